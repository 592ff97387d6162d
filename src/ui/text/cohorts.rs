//! Text of the enroll picker, its confirmation and the waitlist screen (angkatan, pendaftaran,
//! daftar tunggu). Phrases with numbers or names are small functions of the language.

use chrono::NaiveDate;

use super::{Label, Lang, Localized, Msg, pick};
use crate::domain::enrollment::{EnrollmentStatus, Prospect, Refusal};

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
pub const COL_CODE: Msg = Msg::new("Kode", "Code");
pub const COL_COURSE_CODE: Msg = Msg::new("Kejuruan / kode", "Course / code");
pub const COL_PLACE_DATES: Msg = Msg::new("Tempat / tanggal", "Place / dates");
pub const COL_CAN: Msg = Msg::new("Bisa daftar?", "Can enroll?");
pub const NEAR_VILLAGE: Msg = Msg::new("desa", "desa");
pub const NEAR_DISTRICT: Msg = Msg::new("kec.", "kec.");
pub const NEAR_VILLAGE_LONG: Msg = Msg::new("desa sama", "same desa");
pub const NEAR_DISTRICT_LONG: Msg = Msg::new("kec. sama", "same kec.");
pub const YEARS_OLD: Msg = Msg::new("tahun", "years");
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
pub const KEY_DONE: Msg = Msg::new("Selesai", "Done");
pub const KEY_BACK_TO_RESIDENT: Msg = Msg::new("Kembali", "Back");
pub const KEY_SUBMIT_BPJS: Msg = Msg::new("Sudah diajukan ke BPJS", "Submitted to BPJS");
pub const COHORT_FULL: Msg = Msg::new("Angkatan penuh", "Cohort full");
pub const JOIN_WAITLIST_YES: Msg = Msg::new("Ya, masuk daftar tunggu", "Yes, join the waitlist");
pub const JOIN_WAITLIST_NO: Msg = Msg::new("Tidak, pilih angkatan lain", "No, pick another cohort");
pub const SUBMITTED_NOTE: Msg = Msg::new(
    "Ditandai sudah diajukan ke BPJS; supervisor mencatat KPJ setelah BPJS menjawab.",
    "Marked as submitted to BPJS; a supervisor records the KPJ once BPJS answers.",
);
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
pub const PICK_HINT_SEAT: Msg = Msg::new(
    "Ada kursi: Enter mendaftarkan, JKK + JKM ditandai.",
    "A seat is free: Enter enrolls, JKK + JKM flagged.",
);

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

/// The picker's verdict on one row, in two short lines: what enrolling would do, and the
/// number or reason behind it ("✓ Ada kursi" / "sisa 12 dari 16").
pub fn prospect_cell(lang: Lang, prospect: &Prospect, capacity: u32) -> (String, String) {
    match prospect {
        Prospect::Seat { left } => (
            pick(lang, "✓ Ada kursi", "✓ Seat free").to_string(),
            pick(
                lang,
                format!("sisa {left} dari {capacity}"),
                format!("{left} of {capacity} left"),
            ),
        ),
        Prospect::Waitlist { position } => (
            pick(lang, "Penuh: daftar tunggu", "Full: waitlist").to_string(),
            pick(
                lang,
                format!("akan urutan ke-{position}"),
                format!("would be number {position}"),
            ),
        ),
        Prospect::Refused(refusal) => (
            pick(lang, "✗ Tidak bisa", "✗ Cannot").to_string(),
            refusal_short(lang, refusal),
        ),
    }
}

/// The verdict in one cell of a wide picker: "✓ Ada kursi, sisa 4 dari 20".
pub fn prospect_wide(lang: Lang, prospect: &Prospect, capacity: u32) -> String {
    match prospect {
        Prospect::Seat { left } => pick(
            lang,
            format!("✓ Ada kursi, sisa {left} dari {capacity}"),
            format!("✓ Seat free, {left} of {capacity} left"),
        ),
        Prospect::Waitlist { position } => pick(
            lang,
            format!("Penuh: daftar tunggu ke-{position}"),
            format!("Full: waitlist number {position}"),
        ),
        Prospect::Refused(refusal) => format!("✗ {}", refusal_short(lang, refusal)),
    }
}

/// A refusal in a few words, for a table cell; the full sentence is its `Localized` text.
pub fn refusal_short(lang: Lang, refusal: &Refusal) -> String {
    match refusal {
        Refusal::CohortNotOpen { status } => pick(
            lang,
            format!("angkatan {}", status.label(lang)),
            format!("cohort {}", status.label(lang)),
        ),
        Refusal::TooYoung { age, min } => pick(
            lang,
            format!("umur {age}, min. {min}"),
            format!("aged {age}, min. {min}"),
        ),
        Refusal::TooOld { age, max } => pick(
            lang,
            format!("umur {age}, maks. {max}"),
            format!("aged {age}, max. {max}"),
        ),
        Refusal::AlreadyInCohort { status } => match status {
            EnrollmentStatus::Waitlisted => pick(lang, "sudah menunggu", "waitlisted already"),
            _ => pick(lang, "sudah peserta", "enrolled already"),
        }
        .to_string(),
        Refusal::Overlap { code, .. } => {
            pick(lang, format!("bentrok {code}"), format!("overlaps {code}"))
        }
    }
}

/// The picker's line under the list for the selected row: what Enter will do, or why it
/// cannot, in whole sentences.
pub fn prospect_sentence(lang: Lang, prospect: &Prospect) -> String {
    match prospect {
        Prospect::Seat { .. } => PICK_HINT_SEAT.text(lang),
        Prospect::Waitlist { position } => pick(
            lang,
            format!(
                "Angkatan ini penuh: Enter menanyakan dulu sebelum memasukkan ke daftar tunggu \
                 urutan ke-{position}. F4 menampilkan daftar tunggunya."
            ),
            format!(
                "This cohort is full: Enter asks before putting the resident on its waitlist at \
                 number {position}. F4 shows the waitlist."
            ),
        ),
        Prospect::Refused(refusal) => pick(
            lang,
            format!("Tidak bisa mendaftar: {}.", refusal.text(lang)),
            format!("Cannot enroll: {}.", refusal.text(lang)),
        ),
    }
}

/// "Masuk daftar tunggu urutan ke-4?": the question before a full cohort's waitlist.
pub fn join_waitlist_question(lang: Lang, position: u32) -> String {
    pick(
        lang,
        format!("Masuk daftar tunggu urutan ke-{position}?"),
        format!("Join the waitlist at number {position}?"),
    )
}

/// The question's body: which cohort is full and what the waitlist means.
pub fn join_waitlist_body(lang: Lang, name: &str, code: &str, capacity: u32) -> String {
    pick(
        lang,
        format!(
            "Angkatan {code} sudah penuh ({capacity} kursi). {name} mendapat kursi bila ada \
             peserta yang mundur, menurut urutan daftar tunggu."
        ),
        format!(
            "Cohort {code} is full ({capacity} seats). {name} gets a seat when a participant \
             withdraws, in waitlist order."
        ),
    )
}
