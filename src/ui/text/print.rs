//! Text of the printed documents (their labels, dates and amounts as paper shows them) and of
//! printing (where the PDF went, why printing failed), for the TUI and `loket print`.

use std::path::Path;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde_json::Value;

use super::{Lang, Msg};
use crate::domain::coverage::CoverageStatus;
use crate::domain::paper::{Document, Paper};

pub const KEY_PRINT: Msg = Msg::new("Cetak", "Print");
pub const KEY_PRINT_RECEIPT: Msg = Msg::new("Cetak bukti", "Print receipt");
pub const KEY_PRINT_ATTENDANCE: Msg = Msg::new("Cetak daftar hadir", "Print attendance sheet");
pub const KEY_PRINT_CERTIFICATES: Msg = Msg::new("Cetak sertifikat", "Print certificates");
pub const KEY_PRINT_BPJS: Msg = Msg::new("Cetak daftar BPJS", "Print BPJS list");
pub const PRINTING: Msg = Msg::new("Menyiapkan PDF ...", "Preparing the PDF ...");
pub const NO_LIVE_ENROLLMENT: Msg = Msg::new(
    "Penduduk ini tidak terdaftar atau menunggu di angkatan mana pun: tidak ada bukti untuk dicetak.",
    "This resident is not enrolled or waitlisted in any cohort: no receipt to print.",
);

/// The document's name in a sentence.
pub fn document_name(lang: Lang, document: Document) -> &'static str {
    let (id, en) = match document {
        Document::Receipt => ("bukti pendaftaran", "registration receipt"),
        Document::Attendance => ("daftar hadir", "attendance sheet"),
        Document::Certificates => ("sertifikat", "certificates"),
        Document::BpjsList => ("daftar peserta BPJS", "BPJS list"),
    };
    if lang == Lang::Id { id } else { en }
}

/// The file name of a document, without the folder: readable, and without a NIK.
pub fn file_stem(document: Document, subject: &str, at: NaiveDateTime) -> String {
    let kind = match document {
        Document::Receipt => "bukti-pendaftaran",
        Document::Attendance => "daftar-hadir",
        Document::Certificates => "sertifikat",
        Document::BpjsList => "daftar-bpjs",
    };
    let subject: String = subject
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{kind}-{subject}-{}", at.format("%Y%m%d-%H%M%S"))
}

const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS_ID: [&str; 7] = [
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
];
const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// "3 Desember 2026" / "3 December 2026".
pub fn date_long(lang: Lang, date: NaiveDate) -> String {
    let months = if lang == Lang::Id {
        MONTHS_ID
    } else {
        MONTHS_EN
    };
    format!(
        "{} {} {}",
        date.day(),
        months[date.month0() as usize],
        date.year()
    )
}

/// "Senin" / "Monday".
pub fn weekday(lang: Lang, date: NaiveDate) -> &'static str {
    let days = if lang == Lang::Id {
        WEEKDAYS_ID
    } else {
        WEEKDAYS_EN
    };
    days[date.weekday().num_days_from_monday() as usize]
}

/// "5 Januari 2027 s.d. 30 Januari 2027".
pub fn date_range(lang: Lang, start: NaiveDate, end: NaiveDate) -> String {
    let join = if lang == Lang::Id { "s.d." } else { "to" };
    format!("{} {join} {}", date_long(lang, start), date_long(lang, end))
}

/// "3 Desember 2026 10.15" / "3 December 2026 10:15".
pub fn date_time(lang: Lang, at: NaiveDateTime) -> String {
    let time = if lang == Lang::Id {
        at.format("%H.%M")
    } else {
        at.format("%H:%M")
    };
    format!("{} {time}", date_long(lang, at.date()))
}

/// Rupiah amounts: "1.000.000" in Bahasa Indonesia, "1,000,000" in English.
pub fn amount(lang: Lang, value: i64) -> String {
    let sep = if lang == Lang::Id { '.' } else { ',' };
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if value < 0 { format!("-{out}") } else { out }
}

/// "20 hari kerja (Senin–Jumat)".
pub fn working_days(lang: Lang, days: u32, six_day_week: bool) -> String {
    match (lang, six_day_week) {
        (Lang::Id, false) => format!("{days} hari kerja (Senin–Jumat)"),
        (Lang::Id, true) => format!("{days} hari kerja (Senin–Sabtu)"),
        (Lang::En, false) => format!("{days} working days (Monday–Friday)"),
        (Lang::En, true) => format!("{days} working days (Monday–Saturday)"),
    }
}

/// The coverage line of a receipt: "JKK + JKM: belum didaftarkan".
pub fn coverage(lang: Lang, jkk: bool, jkm: bool, status: Option<CoverageStatus>) -> String {
    let programs = match (jkk, jkm) {
        (true, true) => "JKK + JKM",
        (true, false) => "JKK",
        (false, true) => "JKM",
        (false, false) => "-",
    };
    let (id, en) = match status {
        Some(CoverageStatus::Unregistered) | None => ("belum didaftarkan", "not yet registered"),
        Some(CoverageStatus::Submitted) => ("diajukan ke BPJS", "submitted to BPJS"),
        Some(CoverageStatus::Active) => ("aktif", "active"),
        Some(CoverageStatus::Rejected) => (
            "ditolak BPJS, sedang diperbaiki",
            "rejected by BPJS, being corrected",
        ),
    };
    format!("{programs}: {}", if lang == Lang::Id { id } else { en })
}

/// The receipt's status line.
pub fn placement(lang: Lang, waitlist_position: Option<u32>) -> String {
    match (lang, waitlist_position) {
        (Lang::Id, None) => "Terdaftar sebagai peserta".into(),
        (Lang::En, None) => "Enrolled as a participant".into(),
        (Lang::Id, Some(n)) => format!("Daftar tunggu, urutan ke-{n}"),
        (Lang::En, Some(n)) => format!("Waitlisted, position {n}"),
    }
}

/// "NIP. 19800101 200501 1 001", or nothing when no NIP is set.
pub fn nip(nip: &str) -> String {
    if nip.trim().is_empty() {
        String::new()
    } else {
        format!("NIP. {}", nip.trim())
    }
}

pub fn sex(lang: Lang, code: &str) -> &'static str {
    match (lang, code) {
        (Lang::Id, "L") => "Laki-laki",
        (Lang::Id, "P") => "Perempuan",
        (Lang::En, "L") => "Male",
        (Lang::En, "P") => "Female",
        _ => "-",
    }
}

pub fn yes_no(lang: Lang, yes: bool) -> &'static str {
    match (lang, yes) {
        (Lang::Id, true) => "Ya",
        (Lang::Id, false) => "Tidak",
        (Lang::En, true) => "Yes",
        (Lang::En, false) => "No",
    }
}

/// The labels a document's template names as `{t.*}`.
pub fn labels(lang: Lang) -> Value {
    const LABELS: &[(&str, &str, &str)] = &[
        ("page", "Halaman", "Page"),
        ("of", "dari", "of"),
        ("printed", "Dicetak", "Printed"),
        ("by", "oleh", "by"),
        ("cohort", "Angkatan", "Cohort"),
        ("course", "Kejuruan", "Course"),
        ("venue", "Tempat pelatihan", "Training venue"),
        ("address", "Alamat", "Address"),
        ("dates", "Tanggal", "Dates"),
        ("duration", "Lama pelatihan", "Duration"),
        ("hours", "Jam per hari", "Hours per day"),
        ("instructor", "Instruktur", "Instructor"),
        ("funding", "Sumber dana", "Funding"),
        ("no", "No", "No"),
        ("name", "Nama", "Name"),
        ("nik", "NIK", "NIK"),
        ("village", "Desa/Kelurahan", "Village"),
        (
            "receipt_title",
            "BUKTI PENDAFTARAN PELATIHAN",
            "TRAINING REGISTRATION RECEIPT",
        ),
        ("reference", "Nomor bukti", "Reference"),
        ("status", "Status", "Status"),
        ("bpjs", "BPJS Ketenagakerjaan", "BPJS Ketenagakerjaan"),
        ("registered", "Didaftarkan", "Registered"),
        ("counter", "Loket", "Counter"),
        ("operator", "Petugas", "Clerk"),
        (
            "bring",
            "Dibawa pada hari pertama:",
            "Bring on the first day:",
        ),
        (
            "receipt_note",
            "Simpan bukti ini. Sebutkan nomor bukti atau tunjukkan kode QR di loket untuk menanyakan pendaftaran Anda.",
            "Keep this receipt. Give the reference or show the QR code at the counter to ask about your registration.",
        ),
        (
            "attendance_title",
            "DAFTAR HADIR PESERTA PELATIHAN",
            "TRAINING ATTENDANCE SHEET",
        ),
        ("sheet", "Lembar", "Sheet"),
        ("day", "Hari", "Day"),
        (
            "signature",
            "Tanda tangan peserta per hari pelatihan",
            "Participants' signature per training day",
        ),
        ("known_by", "Mengetahui,", "Acknowledged by,"),
        ("the_instructor", "Instruktur", "Instructor"),
        (
            "certificate_title",
            "SERTIFIKAT PELATIHAN",
            "TRAINING CERTIFICATE",
        ),
        ("certificate_no", "Nomor", "Number"),
        ("certificate_given", "diberikan kepada", "is awarded to"),
        ("born", "Tempat, tanggal lahir", "Place and date of birth"),
        (
            "certificate_body",
            "telah mengikuti dan dinyatakan LULUS pelatihan berbasis kompetensi",
            "has attended and PASSED the competency-based training",
        ),
        (
            "bpjs_title",
            "DAFTAR PESERTA PELATIHAN UNTUK PENDAFTARAN BPJS KETENAGAKERJAAN (JKK DAN JKM)",
            "TRAINEES TO REGISTER WITH BPJS KETENAGAKERJAAN (JKK AND JKM)",
        ),
        ("birth_place", "Tempat lahir", "Birthplace"),
        ("birth_date", "Tgl lahir", "Birth date"),
        ("sex", "L/P", "Sex"),
        ("district", "Kecamatan", "District"),
        ("phone", "No HP", "Phone"),
        ("start", "Mulai", "Start"),
        ("end", "Selesai", "End"),
        ("income", "Penghasilan", "Income"),
        ("months", "Bulan", "Months"),
        ("jkk_amount", "Iuran JKK", "JKK"),
        ("jkm_amount", "Iuran JKM", "JKM"),
        ("total_amount", "Iuran total", "Total"),
        ("total", "TOTAL", "TOTAL"),
        ("participants", "peserta", "participants"),
    ];
    let map = LABELS
        .iter()
        .map(|(key, id, en)| {
            let text = if lang == Lang::Id { id } else { en };
            (key.to_string(), Value::String(text.to_string()))
        })
        .collect();
    Value::Object(map)
}

/// Where a document went, for the status line and the command line.
pub fn delivered(lang: Lang, document: Document, file: &Path, queue: Option<&str>) -> String {
    let what = document_name(lang, document);
    match (lang, queue) {
        (Lang::Id, Some(q)) => format!(
            "{what} dikirim ke printer {q}; PDF disimpan di {}",
            file.display()
        ),
        (Lang::En, Some(q)) => {
            format!("{what} sent to printer {q}; PDF kept at {}", file.display())
        }
        (Lang::Id, None) => format!("{what} disimpan di {}", file.display()),
        (Lang::En, None) => format!("{what} saved to {}", file.display()),
    }
}

/// The setting that names a paper's printer.
pub fn queue_setting(paper: Paper) -> &'static str {
    match paper {
        Paper::A4 => "printer.a4",
        Paper::Receipt => "printer.receipt",
    }
}

/// No printer is configured for this paper: the PDF is kept.
pub fn no_queue(lang: Lang, paper: Paper, file: &Path) -> String {
    let key = queue_setting(paper);
    match lang {
        Lang::Id => format!(
            "Tidak ada printer yang diatur ({key} kosong); tidak dicetak. PDF disimpan di {}",
            file.display()
        ),
        Lang::En => format!(
            "No printer is configured ({key} is empty); nothing printed. PDF kept at {}",
            file.display()
        ),
    }
}

/// Printing failed (lp missing or refusing): why, and where the PDF is.
pub fn print_failed(lang: Lang, queue: &str, why: &str, file: &Path) -> String {
    match lang {
        Lang::Id => format!(
            "Gagal mencetak ke {queue}: {why}. PDF tetap disimpan di {}",
            file.display()
        ),
        Lang::En => format!(
            "Printing to {queue} failed: {why}. The PDF is kept at {}",
            file.display()
        ),
    }
}

/// `lp` could not be started at all.
pub fn lp_missing(lang: Lang, error: &str) -> String {
    match lang {
        Lang::Id => format!("perintah lp (CUPS) tidak bisa dijalankan ({error})"),
        Lang::En => format!("the lp command (CUPS) could not be run ({error})"),
    }
}

/// `lp` ran and refused.
pub fn lp_refused(lang: Lang, status: &str, stderr: &str) -> String {
    let stderr = stderr.trim();
    match (lang, stderr.is_empty()) {
        (Lang::Id, true) => format!("lp keluar dengan status {status}"),
        (Lang::En, true) => format!("lp exited with status {status}"),
        (Lang::Id, false) => format!("lp keluar dengan status {status}: {stderr}"),
        (Lang::En, false) => format!("lp exited with status {status}: {stderr}"),
    }
}

/// The PDF could not be written.
pub fn write_failed(lang: Lang, file: &Path, error: &str) -> String {
    match lang {
        Lang::Id => format!("Gagal menulis {}: {error}", file.display()),
        Lang::En => format!("Cannot write {}: {error}", file.display()),
    }
}

/// The logo of `letterhead.logo` cannot be used.
pub fn logo_failed(lang: Lang, file: &Path, error: &str) -> String {
    match lang {
        Lang::Id => format!(
            "Logo kop surat {} tidak bisa dipakai: {error} (pengaturan letterhead.logo)",
            file.display()
        ),
        Lang::En => format!(
            "The letterhead logo {} cannot be used: {error} (setting letterhead.logo)",
            file.display()
        ),
    }
}

/// No folder to keep documents in.
pub fn no_documents_dir(lang: Lang) -> String {
    match lang {
        Lang::Id => {
            "Tidak menemukan folder dokumen; pakai --out FILE.pdf atau atur LOKET_DOCUMENTS_DIR"
                .into()
        }
        Lang::En => {
            "No documents folder found; use --out FILE.pdf or set LOKET_DOCUMENTS_DIR".into()
        }
    }
}

/// A template that cannot be used, naming its file.
pub fn template_failed(lang: Lang, document: Document, file: &str, message: &str) -> String {
    let what = document_name(lang, document);
    match lang {
        Lang::Id => format!("Templat {what} ({file}) tidak bisa dipakai: {message}"),
        Lang::En => format!("The {what} template ({file}) cannot be used: {message}"),
    }
}

/// Why a document cannot be put together, in the operator's language.
impl super::Localized for crate::db::print::PrintError {
    fn text(&self, lang: Lang) -> String {
        use crate::db::print::PrintError as E;
        match (self, lang) {
            (E::Denied(e), _) => e.text(lang),
            (E::Db(e), _) => e.text(lang),
            (E::ResidentNotFound, Lang::Id) => "Penduduk tidak ditemukan.".into(),
            (E::ResidentNotFound, Lang::En) => "Resident not found.".into(),
            (E::CohortNotFound(c), Lang::Id) => format!("Angkatan '{c}' tidak ditemukan."),
            (E::CohortNotFound(c), Lang::En) => format!("Cohort '{c}' not found."),
            (E::NotEnrolled(c), Lang::Id) => {
                format!("Penduduk ini tidak terdaftar atau menunggu di angkatan {c}.")
            }
            (E::NotEnrolled(c), Lang::En) => {
                format!("This resident is not enrolled or waitlisted in cohort {c}.")
            }
            (E::NoParticipants(c), Lang::Id) => format!("Angkatan {c} belum punya peserta."),
            (E::NoParticipants(c), Lang::En) => format!("Cohort {c} has no participants yet."),
            (E::NoGraduates(c), Lang::Id) => format!(
                "Belum ada peserta angkatan {c} yang dinyatakan lulus: tidak ada sertifikat."
            ),
            (E::NoGraduates(c), Lang::En) => {
                format!("No participant of cohort {c} has passed yet: no certificate.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_amounts_read_as_offices_write_them() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).expect("date");
        assert_eq!(date_long(Lang::Id, day), "3 Desember 2026");
        assert_eq!(date_long(Lang::En, day), "3 December 2026");
        assert_eq!(weekday(Lang::Id, day), "Kamis");
        assert_eq!(amount(Lang::Id, 1_000_000), "1.000.000");
        assert_eq!(amount(Lang::En, 16_800), "16,800");
        assert_eq!(amount(Lang::Id, 800), "800");
        assert_eq!(amount(Lang::Id, -6800), "-6.800");
    }
}
