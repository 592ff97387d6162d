//! Text of the headless commands (`loket nik`, `loket import`, `loket user` ...): what they print
//! and the refusals they explain. JSON keys are not text: they stay in `cli`.

use std::path::Path;

use chrono::NaiveDate;

use super::{Label, Lang, Msg, pick};
use crate::db::export::BpjsSummary;
use crate::db::import::Counts;
use crate::domain::access::Role;
use crate::domain::coverage::CoverageStatus;
use crate::domain::nik::NikInfo;

// The frame of every command

pub const SCHEMA_UPDATE: Msg = Msg::new(
    "loket: memperbarui skema database (sekali saja; sekitar 1 menit per 3 juta penduduk) ...",
    "loket: updating the database schema (once; about 1 minute per 3 million residents) ...",
);
/// `--db` names a PostgreSQL server for a command that works on an SQLite file only (issue 18).
pub const POSTGRES_NOT_YET: Msg = Msg::new(
    "--db menunjuk server PostgreSQL; perintah ini baru bekerja pada berkas SQLite (lihat README, \"Banyak loket\"). Pakai path berkas, misalnya --db /srv/loket/loket.sqlite",
    "--db names a PostgreSQL server; this command works on an SQLite file only so far (see the README, \"Many counters\"). Give a file path, e.g. --db /srv/loket/loket.sqlite",
);
pub const MIGRATE_TO_SERVER: Msg = Msg::new(
    "--to harus menunjuk server PostgreSQL, misalnya --to postgres://loket@10.0.0.5/loket (kata sandi dari PGPASSWORD atau ~/.pgpass)",
    "--to must name a PostgreSQL server, e.g. --to postgres://loket@10.0.0.5/loket (the password from PGPASSWORD or ~/.pgpass)",
);
/// A counter that does not read as OFFICE/NAME, from `--counter` or from `file`.
pub fn bad_counter(lang: Lang, given: &str, file: Option<&std::path::Path>) -> String {
    let from = match (file, lang) {
        (Some(f), Lang::Id) => format!(" (tersimpan di {})", f.display()),
        (Some(f), Lang::En) => format!(" (kept in {})", f.display()),
        (None, _) => String::new(),
    };
    pick(
        lang,
        format!(
            "Loket \"{given}\"{from} tidak bisa dipakai: tulis kode kecamatan kantor dan nama loket, \
             misalnya `loket counter set 36.03.04 \"Loket 1\"` (nama paling panjang 24 huruf, tanpa /)."
        ),
        format!(
            "The counter \"{given}\"{from} cannot be used: give the office's kecamatan code and the \
             desk's name, e.g. `loket counter set 36.03.04 \"Loket 1\"` (a name of at most 24 \
             characters, without /)."
        ),
    )
}

/// `loket counter`: this PC's counter, or that it has none.
pub fn counter_is(lang: Lang, counter: Option<&crate::domain::counter::Counter>) -> String {
    match (counter, lang) {
        (Some(c), Lang::Id) => format!(
            "Loket komputer ini: {} (kantor kecamatan {})",
            c.name, c.office
        ),
        (Some(c), Lang::En) => format!(
            "This PC's counter: {} (kecamatan office {})",
            c.name, c.office
        ),
        (None, Lang::Id) => {
            "Komputer ini belum punya nama loket; pekerjaannya dicatat tanpa kantor. \
                             Atur dengan `loket counter set 36.03.04 \"Loket 1\"`."
                .into()
        }
        (None, Lang::En) => "This PC has no counter name; its work is recorded without an office. \
                             Set one with `loket counter set 36.03.04 \"Loket 1\"`."
            .into(),
    }
}

pub const NO_DATA_DIR: Msg = Msg::new(
    "tidak menemukan direktori data pengguna; pakai --db PATH",
    "no user data directory found; use --db PATH",
);
/// A hidden prompt left with Esc or Ctrl-C (the prompt knows no language).
pub const CANCELLED: &str = "dibatalkan / cancelled";

pub fn daily_backup_failed(lang: Lang, why: &str) -> String {
    pick(
        lang,
        format!("loket: cadangan harian gagal: {why}"),
        format!("loket: daily backup failed: {why}"),
    )
}

pub fn creating_demo(lang: Lang, path: &Path) -> String {
    pick(
        lang,
        format!("loket: membuat database demo di {} ...", path.display()),
        format!("loket: creating a demo database at {} ...", path.display()),
    )
}

pub fn demo_ready(lang: Lang, residents: usize, cohorts: usize, enrollments: usize) -> String {
    pick(
        lang,
        format!(
            "loket: demo siap: {residents} penduduk, {cohorts} angkatan, {enrollments} pendaftaran."
        ),
        format!(
            "loket: demo ready: {residents} residents, {cohorts} cohorts, {enrollments} enrollments."
        ),
    )
}

// Input a command refuses

pub fn not_a_date(lang: Lang, typed: &str) -> String {
    pick(
        lang,
        format!("tanggal tidak dikenali: {typed}"),
        format!("not a date: {typed}"),
    )
}

pub fn bad_start_date(lang: Lang, typed: &str) -> String {
    pick(
        lang,
        format!("tanggal mulai tidak sah: '{typed}'"),
        format!("invalid start date: '{typed}'"),
    )
}

pub fn bad_start_date_example(lang: Lang, typed: &str) -> String {
    pick(
        lang,
        format!("tanggal mulai tidak sah: '{typed}' (contoh: 2026-03-16)"),
        format!("invalid start date: '{typed}' (e.g. 2026-03-16)"),
    )
}

pub fn bad_date_range(lang: Lang, from: &str, to: &str) -> String {
    pick(
        lang,
        format!("rentang tanggal tidak sah: {from} s.d. {to} (contoh 2026-01-01)"),
        format!("invalid date range: {from} to {to} (e.g. 2026-01-01)"),
    )
}

/// An output path whose folder does not exist (never created silently: it is usually a typo).
pub fn no_such_folder(lang: Lang, dir: &Path) -> String {
    pick(
        lang,
        format!(
            "Folder {} tidak ada. Periksa ketikan, atau buat foldernya dulu.",
            dir.display()
        ),
        format!(
            "The folder {} does not exist. Check the spelling, or create it first.",
            dir.display()
        ),
    )
}

/// A folder given where a file is expected.
pub fn folder_not_file(lang: Lang, path: &Path) -> String {
    pick(
        lang,
        format!(
            "{} adalah folder, bukan berkas. Sebutkan berkasnya (.csv atau .xlsx).",
            path.display()
        ),
        format!(
            "{} is a folder, not a file. Name the file (.csv or .xlsx).",
            path.display()
        ),
    )
}

pub const COHORT_OR_RANGE: Msg = Msg::new(
    "pilih --cohort atau --from dan --to",
    "give --cohort or --from and --to",
);

/// A code typed that is none of `known` (a status, a funding source, an audit entity...).
pub fn unknown_code(lang: Lang, what: Msg, typed: &str, known: &[&str]) -> String {
    let what = what.get(lang);
    let known = known.join(", ");
    pick(
        lang,
        format!("{what} tidak dikenal: '{typed}' ({known})"),
        format!("unknown {what}: '{typed}' ({known})"),
    )
}

pub const STATUS: Msg = Msg::new("status", "status");
pub const FUNDING: Msg = Msg::new("sumber dana", "funding");
pub const LOCATION_KIND: Msg = Msg::new("jenis lokasi", "location kind");
pub const ENTITY: Msg = Msg::new("entitas", "entity");
pub const ROLE: Msg = Msg::new("peran", "role");
pub const SETTING: Msg = Msg::new("pengaturan", "setting");

pub fn cohort_not_found(lang: Lang, code: &str) -> String {
    pick(
        lang,
        format!("angkatan '{code}' tidak ditemukan"),
        format!("cohort '{code}' not found"),
    )
}

// loket setting

/// "bpjs.jkm_monthly: 6800 -> 7000"
pub fn setting_changed(lang: Lang, key: &str, before: &str, after: &str) -> String {
    pick(
        lang,
        format!("Pengaturan {key} diubah: {before} -> {after}"),
        format!("Setting {key} changed: {before} -> {after}"),
    )
}

// loket nik

pub fn nik_valid(lang: Lang, formatted: &str, i: &NikInfo) -> String {
    pick(
        lang,
        format!(
            "{formatted}  sah: kecamatan {} {}, lahir {}, {}, nomor urut {}",
            i.district_code,
            i.district_name,
            i.birth_date.format("%d-%m-%Y"),
            i.sex.label_id(),
            i.serial
        ),
        format!(
            "{formatted}  valid: district {} {}, born {}, {}, serial {}",
            i.district_code,
            i.district_name,
            i.birth_date,
            i.sex.label_en(),
            i.serial
        ),
    )
}

pub fn nik_invalid(lang: Lang, input: &str, why: &str) -> String {
    pick(
        lang,
        format!("{input}  TIDAK SAH: {why}"),
        format!("{input}  INVALID: {why}"),
    )
}

// loket search

pub const NO_MATCH: Msg = Msg::new("Tidak ada penduduk yang cocok.", "No matching resident.");
pub const SEARCH_HEADER: [Msg; 6] = [
    Msg::new("NIK", "NIK"),
    Msg::new("Nama", "Name"),
    Msg::new("JK", "Sex"),
    Msg::new("Umur", "Age"),
    Msg::new("Desa", "Village"),
    Msg::new("Kecamatan", "District"),
];

// loket cohort, enroll, withdraw

/// "2026-03-02 s.d. 2026-03-27"
pub fn date_span(lang: Lang, start: NaiveDate, end: NaiveDate) -> String {
    pick(
        lang,
        format!("{start} s.d. {end}"),
        format!("{start} to {end}"),
    )
}

pub fn waitlisted(lang: Lang, cohort: &str, position: Option<u32>) -> String {
    let position = position.map_or("-".to_string(), |p| p.to_string());
    pick(
        lang,
        format!("Masuk daftar tunggu angkatan {cohort} di urutan {position}."),
        format!("Waitlisted for cohort {cohort} at position {position}."),
    )
}

pub fn enrolled(lang: Lang, cohort: &str) -> String {
    pick(
        lang,
        format!("Terdaftar di angkatan {cohort}."),
        format!("Enrolled in cohort {cohort}."),
    )
}

/// "BPJS JKK+JKM: belum didaftarkan (2026-03-02 s.d. 2026-03-27)"
pub fn coverage_line(
    lang: Lang,
    programs: &str,
    status: CoverageStatus,
    start: NaiveDate,
    end: NaiveDate,
) -> String {
    format!(
        "BPJS {programs}: {} ({})",
        status.label(lang),
        date_span(lang, start, end)
    )
}

pub const WITHDRAWN: Msg = Msg::new("Pendaftaran dibatalkan (mundur).", "Withdrawn.");
pub const PROMOTED: Msg = Msg::new("Naik dari daftar tunggu:", "Promoted from the waitlist:");

// loket export

pub fn exported(lang: Lang, list: &BpjsSummary, out: &Path) -> String {
    let (billed, total, unbilled) = (list.billed, list.total, list.unbilled);
    pick(
        lang,
        format!(
            "{billed} peserta ditagih, iuran Rp {total}; {unbilled} tidak ditagih (belum didaftarkan atau ditolak) -> {}",
            out.display()
        ),
        format!(
            "{billed} participants billed, contributions Rp {total}; {unbilled} not billed (never submitted or rejected) -> {}",
            out.display()
        ),
    )
}

// loket import

pub const ROWS: Msg = Msg::new("baris", "rows");
pub const LINE: Msg = Msg::new("Baris", "Line");

pub fn import_summary(lang: Lang, c: &Counts, secs: f64) -> String {
    pick(
        lang,
        format!(
            "Dibaca {} baris: {} baru, {} diperbarui, {} sudah sama, {} ditolak ({secs:.1} detik).",
            c.read, c.imported, c.updated, c.unchanged, c.rejected
        ),
        format!(
            "Read {} rows: {} new, {} updated, {} unchanged, {} rejected ({secs:.1} s).",
            c.read, c.imported, c.updated, c.unchanged, c.rejected
        ),
    )
}

pub fn rejects_written(lang: Lang, path: &Path) -> String {
    pick(
        lang,
        format!("Baris yang ditolak beserta alasannya: {}", path.display()),
        format!("Rejected rows with their reasons: {}", path.display()),
    )
}

pub const REJECTS_HINT: Msg = Msg::new(
    "Simpan baris yang ditolak dengan --rejects BERKAS.csv untuk diperbaiki lalu diimpor ulang.",
    "Save rejected rows with --rejects FILE.csv to fix and re-import them.",
);

// loket demo, init, backup, restore, check

pub fn demo_created(lang: Lang, path: &Path) -> String {
    pick(
        lang,
        format!("Database demo dibuat: {}", path.display()),
        format!("Demo database created: {}", path.display()),
    )
}

pub fn database_created(lang: Lang, path: &Path) -> String {
    pick(
        lang,
        format!(
            "Database baru dibuat (data referensi saja): {}",
            path.display()
        ),
        format!(
            "New database created (reference data only): {}",
            path.display()
        ),
    )
}

pub const ADMIN_WITHOUT_PASSWORD: Msg = Msg::new(
    "loket: PERINGATAN: admin belum punya kata sandi (stdin kosong). Pasang dengan `loket user passwd admin`.",
    "loket: WARNING: admin has no password (empty stdin). Set one with `loket user passwd admin`.",
);

pub fn backup_written(lang: Lang, path: &Path) -> String {
    pick(
        lang,
        format!("Cadangan dibuat: {}", path.display()),
        format!("Backup written: {}", path.display()),
    )
}

// loket restore, loket check: ui::text::store

// loket user

pub fn operator_added(lang: Lang, name: &str, role: Role) -> String {
    pick(
        lang,
        format!("Operator {name} ({}) ditambahkan.", role.label(lang)),
        format!("Operator {name} ({}) added.", role.code()),
    )
}

pub fn operator_disabled(lang: Lang, name: &str) -> String {
    pick(
        lang,
        format!("Operator {name} dinonaktifkan."),
        format!("Operator {name} disabled."),
    )
}

pub fn operator_enabled(lang: Lang, name: &str) -> String {
    pick(
        lang,
        format!("Operator {name} diaktifkan."),
        format!("Operator {name} enabled."),
    )
}

pub fn password_changed(lang: Lang, name: &str) -> String {
    pick(
        lang,
        format!("Kata sandi {name} diganti."),
        format!("Password of {name} changed."),
    )
}

pub fn account_unlocked(lang: Lang, name: &str) -> String {
    pick(
        lang,
        format!("Akun {name} dibuka."),
        format!("Account {name} unlocked."),
    )
}

pub fn new_password_prompt(lang: Lang, name: &str) -> String {
    pick(
        lang,
        format!("Kata sandi baru untuk {name}: "),
        format!("New password for {name}: "),
    )
}

pub const REPEAT_PASSWORD: Msg = Msg::new("Ulangi kata sandi: ", "Repeat the password: ");

pub fn password_prompt(lang: Lang, name: &str) -> String {
    pick(
        lang,
        format!("Kata sandi {name}: "),
        format!("Password of {name}: "),
    )
}

/// The state column of `loket user list`, in both languages at once (scripts read it).
pub fn operator_state(active: bool, locked_until: Option<&str>) -> String {
    match (active, locked_until) {
        (false, _) => "nonaktif/disabled".to_string(),
        (true, Some(until)) => format!("terkunci/locked {until}"),
        (true, None) => "aktif/active".to_string(),
    }
}

/// The password column of `loket user list`.
pub const HAS_PASSWORD: &str = "sandi";
