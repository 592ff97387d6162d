//! Text of the enroll picker, its confirmation and the waitlist screen (angkatan, pendaftaran,
//! daftar tunggu). Phrases with numbers or names are small functions of the language.

use chrono::NaiveDate;

use super::{Lang, Msg};

pub const MENU_OPEN_COHORTS: Msg = Msg::new("Angkatan terbuka", "Open cohorts");
pub const PICKER_TITLE: Msg = Msg::new("Daftarkan ke angkatan", "Enroll in a cohort");
pub const BROWSE_TITLE: Msg = Msg::new("Angkatan terbuka", "Open cohorts");
pub const PARTICIPANT: Msg = Msg::new("Peserta", "Participant");
pub const FILTER: Msg = Msg::new("Cari", "Filter");
pub const COL_COURSE: Msg = Msg::new("Kejuruan", "Course");
pub const COL_PLACE: Msg = Msg::new("Tempat", "Place");
pub const COL_DATES: Msg = Msg::new("Tanggal", "Dates");
pub const COL_SEATS: Msg = Msg::new("Sisa", "Left");
pub const COL_WAIT: Msg = Msg::new("Tunggu", "Wait");
pub const COL_NEAR: Msg = Msg::new("Dekat", "Near");
pub const NEAR_VILLAGE: Msg = Msg::new("desa", "desa");
pub const NEAR_DISTRICT: Msg = Msg::new("kec.", "kec.");
pub const NONE_OPEN: Msg = Msg::new(
    "Tidak ada angkatan yang dibuka untuk pendaftaran.",
    "No cohort is open for enrollment.",
);
pub const NONE_MATCH: Msg = Msg::new(
    "Tidak ada angkatan yang cocok dengan pencarian.",
    "No cohort matches the filter.",
);
pub const KEY_ENROLL: Msg = Msg::new("Daftarkan", "Enroll");
pub const KEY_WAITLIST: Msg = Msg::new("Daftar tunggu", "Waitlist");
pub const KEY_CLEAR: Msg = Msg::new("Hapus cari/kembali", "Clear filter/back");
pub const KEY_CLOSE: Msg = Msg::new("Tutup", "Close");
pub const KEY_BACK: Msg = Msg::new("Kembali", "Back");
pub const RESIDENT_MISSING: Msg = Msg::new("Penduduk tidak ditemukan.", "Resident not found.");

pub const DONE_ENROLLED: Msg = Msg::new("Pendaftaran berhasil", "Enrolled");
pub const DONE_WAITLISTED: Msg = Msg::new("Masuk daftar tunggu", "Waitlisted");
pub const DONE_REFUSED: Msg = Msg::new("Pendaftaran ditolak", "Enrollment refused");
pub const COURSE: Msg = Msg::new("Kejuruan", "Course");
pub const PLACE: Msg = Msg::new("Tempat", "Place");
pub const DATES: Msg = Msg::new("Tanggal", "Dates");
pub const COVERAGE: Msg = Msg::new("BPJS Ketenagakerjaan", "BPJS Ketenagakerjaan");
pub const COVERAGE_STATUS: Msg = Msg::new("Status kepesertaan", "Coverage status");
pub const COVERAGE_NOTE: Msg = Msg::new(
    "Ajukan ke BPJS sebelum pelatihan dimulai.",
    "Submit to BPJS before the training starts.",
);
pub const CLOSE_HINT: Msg = Msg::new("Enter/Esc tutup", "Enter/Esc close");

pub const WAITLIST_TITLE: Msg = Msg::new("Daftar tunggu", "Waitlist");
pub const COL_POS: Msg = Msg::new("No", "No");
pub const COL_NAME: Msg = Msg::new("Nama", "Name");
pub const COL_NIK: Msg = Msg::new("NIK", "NIK");
pub const COL_STUNTING: Msg = Msg::new("Stunting", "Stunting");
pub const COL_DESIL: Msg = Msg::new("Desil", "Desil");
pub const COL_REGISTERED: Msg = Msg::new("Mendaftar", "Registered");
pub const YES: Msg = Msg::new("ya", "yes");
pub const WAITLIST_EMPTY: Msg = Msg::new("Daftar tunggu kosong.", "The waitlist is empty.");
pub const WAITLIST_RULE: Msg = Msg::new(
    "Urutan: balita stunting, lalu desil DTSEN terendah, lalu waktu daftar",
    "Order: stunting households, lowest DTSEN desil, registration time",
);

/// "01/12–30/12/26": a cohort's dates, short enough for a table column.
pub fn short_dates(start: NaiveDate, end: NaiveDate) -> String {
    format!("{}–{}", start.format("%d/%m"), end.format("%d/%m/%y"))
}

/// "01-12-2026 s.d. 30-12-2026"
pub fn long_dates(lang: Lang, start: NaiveDate, end: NaiveDate) -> String {
    let (a, b) = (start.format("%d-%m-%Y"), end.format("%d-%m-%Y"));
    match lang {
        Lang::Id => format!("{a} s.d. {b}"),
        Lang::En => format!("{a} to {b}"),
    }
}

pub fn enrolled_line(lang: Lang, name: &str, code: &str) -> String {
    match lang {
        Lang::Id => format!("{name} terdaftar di angkatan {code}."),
        Lang::En => format!("{name} is enrolled in cohort {code}."),
    }
}

pub fn waitlisted_line(lang: Lang, name: &str, code: &str, position: u32) -> String {
    match lang {
        Lang::Id => format!("{name} masuk daftar tunggu angkatan {code}, urutan ke-{position}."),
        Lang::En => format!("{name} is waitlisted for cohort {code} at position {position}."),
    }
}

pub fn programs(lang: Lang, jkk: bool, jkm: bool) -> String {
    let list = match (jkk, jkm) {
        (true, true) => "JKK + JKM",
        (true, false) => "JKK",
        (false, true) => "JKM",
        (false, false) => "-",
    };
    match lang {
        Lang::Id => format!("{list} ditandai"),
        Lang::En => format!("{list} flagged"),
    }
}

pub fn seats_summary(lang: Lang, enrolled: u32, capacity: u32, waitlisted: u32) -> String {
    match lang {
        Lang::Id => format!(
            "Peserta {enrolled}/{capacity}, sisa {} kursi, {waitlisted} menunggu",
            capacity.saturating_sub(enrolled)
        ),
        Lang::En => format!(
            "Enrolled {enrolled}/{capacity}, {} seats left, {waitlisted} waiting",
            capacity.saturating_sub(enrolled)
        ),
    }
}
