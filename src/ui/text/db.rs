//! Sentences of the storage errors (`DbError` and the errors of backups, exports, holidays and
//! reference data): what went wrong, and what the clerk can do about it.

use super::{Label, Lang, Localized, Msg, pick};
use crate::db::backup::BackupError;
use crate::db::backup::SchemaDifference;
use crate::db::dashboard::TargetError;
use crate::db::export::ExportError;
use crate::db::holidays::HolidayError;
use crate::db::office_move::MoveError;
use crate::db::reference_admin::ReferenceError;
use crate::db::settings::{SettingKey, SettingKind};
use crate::db::{CodeKind, Constraint, DbError, Missing, NotLoket};

impl Localized for DbError {
    fn text(&self, lang: Lang) -> String {
        match self {
            DbError::NotFound(p) => pick(
                lang,
                format!(
                    "Berkas database tidak ditemukan: {}. Buat dengan `loket init` atau `loket demo`.",
                    p.display()
                ),
                format!(
                    "Database file not found: {}. Create one with `loket init` or `loket demo`.",
                    p.display()
                ),
            ),
            DbError::NotLoket { path, why } => pick(
                lang,
                format!(
                    "{} bukan database loket ({}). Berkas tidak diubah; pilih database loket \
                     dengan --db, atau buat yang baru dengan `loket init` di nama lain.",
                    path.display(),
                    why.text(Lang::Id)
                ),
                format!(
                    "{} is not a loket database ({}). The file was not changed; choose a loket \
                     database with --db, or create a new one with `loket init` under another name.",
                    path.display(),
                    why.text(Lang::En)
                ),
            ),
            DbError::AlreadyExists(p) => pick(
                lang,
                format!(
                    "Berkas sudah ada: {}. Pilih nama lain atau hapus dulu berkas itu.",
                    p.display()
                ),
                format!("File already exists: {}.", p.display()),
            ),
            DbError::SchemaTooNew { found, supported } => pick(
                lang,
                format!(
                    "Database ini dibuat oleh loket yang lebih baru (skema versi {found}, versi ini \
                     mengenal sampai {supported}). Perbarui loket; database tidak diubah."
                ),
                format!(
                    "This database was written by a newer loket (schema {found}, this build knows \
                     up to {supported}). Upgrade loket; the database was not changed."
                ),
            ),
            DbError::SchemaMismatch { found, supported } => pick(
                lang,
                format!(
                    "Skema database versi {found}, diharapkan {supported}. Buka dulu dengan loket \
                     versi ini agar diperbarui."
                ),
                format!("Database schema {found}, expected {supported}."),
            ),
            DbError::MigrationBroke { version, dangling } => pick(
                lang,
                format!(
                    "Pembaruan skema ke versi {version} akan memutus {dangling} rujukan antar \
                     tabel; database tidak diubah. Laporkan ke pengelola loket."
                ),
                format!(
                    "Updating the schema to version {version} would break {dangling} references \
                     between tables; the database was not changed. Report this to loket's \
                     maintainers."
                ),
            ),
            DbError::NoFts5 => Msg::new(
                "SQLite di program ini tidak mendukung FTS5; pencarian nama tidak bisa jalan.",
                "This SQLite build lacks FTS5; name search cannot work.",
            )
            .text(lang),
            DbError::Locked => Msg::new(
                "Database sedang dipakai proses lain (terkunci). Tunggu sebentar lalu coba lagi.",
                "The database is locked by another process. Wait and try again.",
            )
            .text(lang),
            DbError::ServerUnreachable { server, detail } => pick(
                lang,
                format!(
                    "Tidak dapat tersambung ke server PostgreSQL {server} ({detail}). Periksa \
                     alamat di --db, jaringan kantor, dan kata sandi (PGPASSWORD atau ~/.pgpass), \
                     lalu coba lagi."
                ),
                format!(
                    "Cannot connect to the PostgreSQL server {server} ({detail}). Check the \
                     address in --db, the office network and the password (PGPASSWORD or \
                     ~/.pgpass), then try again."
                ),
            ),
            DbError::ConnectionLost => Msg::new(
                "Sambungan ke server PostgreSQL terputus. Yang belum tersimpan dibatalkan oleh \
                 server; data yang sudah diketik tetap di layar. Coba lagi.",
                "The connection to the PostgreSQL server was lost. What was not yet saved was \
                 rolled back by the server; what you typed is still on the screen. Try again.",
            )
            .text(lang),
            DbError::ServerSettings(why) => pick(
                lang,
                format!("Pengaturan sambungan PostgreSQL tidak bisa dipakai: {why}"),
                format!("PostgreSQL connection settings cannot be used: {why}"),
            ),
            DbError::ServerNotEmpty(server) => pick(
                lang,
                format!(
                    "Database {server} sudah berisi data loket; tidak ada yang diubah. Untuk \
                     memindahkan data kantor ke sana pakai `loket migrate --to {server}`."
                ),
                format!(
                    "The database {server} already holds loket data; nothing was changed. To \
                     move an office's data there use `loket migrate --to {server}`."
                ),
            ),
            DbError::ServerEmpty(server) => pick(
                lang,
                format!(
                    "Database {server} belum berisi data loket. Siapkan dengan \
                     `loket --db {server} init` (sekali, oleh admin)."
                ),
                format!(
                    "The database {server} holds no loket data yet. Set it up with \
                     `loket --db {server} init` (once, by an admin)."
                ),
            ),
            DbError::Constraint(c) => c.text(lang),
            DbError::Missing(what) => pick(
                lang,
                format!("Tidak ditemukan: {}", what.text(lang)),
                format!("Not found: {}", what.text(lang)),
            ),
            DbError::Io(p, e) => pick(
                lang,
                format!("Gagal mengakses {}: {e}", p.display()),
                format!("Cannot access {}: {e}", p.display()),
            ),
            DbError::Sqlite(e) => pick(
                lang,
                format!("Kesalahan database: {e}"),
                format!("Database error: {e}"),
            ),
            DbError::UnknownCode { kind, value } => {
                let kind = kind.label(lang);
                pick(
                    lang,
                    format!(
                        "Database berisi {kind} yang tidak dikenal loket versi ini: '{value}'. \
                         Tidak ada yang diubah; laporkan ke pengelola loket."
                    ),
                    format!(
                        "The database holds a {kind} this version of loket does not know: \
                         '{value}'. Nothing was changed; report it to loket's maintainers."
                    ),
                )
            }
            DbError::Unreadable { column, value } => pick(
                lang,
                format!(
                    "Database berisi {column} yang tidak terbaca: '{value}'. Tidak ada yang \
                     diubah; laporkan ke pengelola loket."
                ),
                format!(
                    "The database holds a {column} that does not read: '{value}'. Nothing was \
                     changed; report it to loket's maintainers."
                ),
            ),
            DbError::BadSetting { key, value } => bad_setting(*key, value, lang),
            DbError::Calendar(e) => e.text(lang),
            DbError::Hash(detail) => pick(
                lang,
                format!("Kata sandi tidak bisa diproses ({detail}). Coba lagi."),
                format!("The password could not be hashed ({detail}). Try again."),
            ),
            DbError::Demo(detail) => pick(
                lang,
                format!("Data demo ditolak ({detail}). Laporkan ke pengelola loket."),
                format!("The demo data was refused ({detail}). Report it to loket's maintainers."),
            ),
            DbError::ReferenceData(detail) => pick(
                lang,
                format!(
                    "Data referensi bawaan loket tidak terbaca ({detail}). Laporkan ke pengelola \
                     loket."
                ),
                format!(
                    "loket's shipped reference data does not read ({detail}). Report it to \
                     loket's maintainers."
                ),
            ),
        }
    }
}

/// A setting value that does not fit its key: what the value must look like, and its range.
fn bad_setting(key: SettingKey, value: &str, lang: Lang) -> String {
    let shape = setting_shape(key.kind(), lang);
    pick(
        lang,
        format!(
            "Pengaturan {} harus berupa {shape}, bukan '{value}'.",
            key.code()
        ),
        format!("Setting {} must be {shape}, not '{value}'.", key.code()),
    )
}

/// What a setting of this kind holds: "angka bulat 0 s.d. 100", "a date, YYYY-MM-DD"...
pub fn setting_shape(kind: SettingKind, lang: Lang) -> String {
    match kind {
        SettingKind::Number { min, max } => pick(
            lang,
            format!("angka bulat {min} s.d. {max}"),
            format!("a whole number from {min} to {max}"),
        ),
        SettingKind::Date => Msg::new("tanggal YYYY-MM-DD", "a date, YYYY-MM-DD").text(lang),
        SettingKind::FundingList => Msg::new(
            "sumber dana dipisah koma (apbd, apbn, dif, csr)",
            "funding codes separated by commas (apbd, apbn, dif, csr)",
        )
        .text(lang),
        SettingKind::Lang => Msg::new("id atau en", "id or en").text(lang),
        SettingKind::RegencyCode => Msg::new(
            "kode kabupaten/kota NN.NN (mis. 36.03)",
            "a regency code NN.NN (e.g. 36.03)",
        )
        .text(lang),
        SettingKind::Text => Msg::new("teks satu baris", "one line of text").text(lang),
        SettingKind::Queue => Msg::new(
            "nama antrean CUPS tanpa spasi, / atau # (kosong = tidak dicetak)",
            "a CUPS queue name without spaces, / or # (empty = not printed)",
        )
        .text(lang),
    }
}

impl Localized for Constraint {
    fn text(&self, lang: Lang) -> String {
        match self {
            Constraint::Unique { table, column } => match (table.as_str(), column.as_str()) {
                ("resident", "nik") => Msg::new(
                    "NIK ini sudah terdaftar.",
                    "This NIK is already registered.",
                )
                .text(lang),
                ("operator", "name") => Msg::new(
                    "Nama operator itu sudah dipakai: pilih nama lain.",
                    "That operator name is taken: choose another.",
                )
                .text(lang),
                ("cohort", "code") => Msg::new(
                    "Kode angkatan itu sudah dipakai: pilih kode lain.",
                    "That cohort code is taken: choose another.",
                )
                .text(lang),
                ("enrollment", _) => Msg::new(
                    "Penduduk ini sudah terdaftar atau menunggu di angkatan itu.",
                    "This resident is already enrolled or waitlisted in that cohort.",
                )
                .text(lang),
                ("holiday", _) => Msg::new(
                    "Tanggal itu sudah ada di kalender.",
                    "That date is already in the calendar.",
                )
                .text(lang),
                _ => pick(
                    lang,
                    format!("Sudah ada data {table} dengan {column} yang sama."),
                    format!("A {table} with the same {column} already exists."),
                ),
            },
            Constraint::Check { name } => pick(
                lang,
                format!("Isian ditolak oleh aturan database ({name}): periksa lagi yang diketik."),
                format!("Refused by the database rule {name}: check what was entered."),
            ),
            Constraint::ForeignKey => Msg::new(
                "Data ini merujuk ke data yang tidak ada, atau masih dirujuk data lain.",
                "This refers to a record that does not exist, or is still referred to by another.",
            )
            .text(lang),
            Constraint::NotNull { table, column } => pick(
                lang,
                format!("Isian {column} ({table}) wajib diisi."),
                format!("{column} ({table}) must be filled in."),
            ),
            Constraint::Trigger { message } if message.contains("append-only") => Msg::new(
                "Jejak audit tidak bisa diubah atau dihapus.",
                "The audit trail cannot be changed or deleted.",
            )
            .text(lang),
            Constraint::Trigger { message } => pick(
                lang,
                format!("Ditolak oleh database: {message}"),
                format!("Refused by the database: {message}"),
            ),
        }
    }
}

impl Localized for Missing {
    fn text(&self, lang: Lang) -> String {
        match self {
            Missing::Operator(name) => format!("operator '{name}'"),
            Missing::ActiveOperator(name) => pick(
                lang,
                format!("operator aktif '{name}'"),
                format!("active operator '{name}'"),
            ),
            Missing::Resident(id) => {
                pick(lang, format!("penduduk #{id}"), format!("resident #{id}"))
            }
            Missing::ResidentNik(_) => {
                Msg::new("penduduk dengan NIK itu", "resident with that NIK").text(lang)
            }
            Missing::Cohort(id) => pick(lang, format!("angkatan #{id}"), format!("cohort #{id}")),
            Missing::CohortCode(code) => {
                pick(lang, format!("angkatan {code}"), format!("cohort {code}"))
            }
            Missing::Enrollment(id) => pick(
                lang,
                format!("pendaftaran #{id}"),
                format!("enrollment #{id}"),
            ),
            Missing::Course(code) => {
                pick(lang, format!("kejuruan {code}"), format!("course {code}"))
            }
            Missing::Venue(code) => pick(lang, format!("tempat {code}"), format!("venue {code}")),
            Missing::VenueId(id) => pick(
                lang,
                format!("tempat pelatihan #{id}"),
                format!("venue #{id}"),
            ),
            Missing::Instructor(id) => pick(
                lang,
                format!("instruktur #{id}"),
                format!("instructor #{id}"),
            ),
            Missing::InstructorName(name) => pick(
                lang,
                format!("instruktur '{name}'"),
                format!("instructor '{name}'"),
            ),
            Missing::Holiday(date) => pick(
                lang,
                format!("hari libur {date}"),
                format!("holiday {date}"),
            ),
            Missing::Setting(key) => {
                pick(lang, format!("pengaturan {key}"), format!("setting {key}"))
            }
        }
    }
}

impl Label for CodeKind {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            CodeKind::CohortStatus => Msg::new("status angkatan", "cohort status"),
            CodeKind::EnrollmentStatus => Msg::new("status pendaftaran", "enrollment status"),
            CodeKind::CoverageStatus => Msg::new("status kepesertaan BPJS", "BPJS coverage status"),
            CodeKind::Outcome => Msg::new("kelulusan", "outcome"),
            CodeKind::Followup => Msg::new("tindak lanjut", "follow-up"),
            CodeKind::AttendanceStatus => Msg::new("status kehadiran", "attendance mark"),
            CodeKind::Funding => Msg::new("sumber dana", "funding source"),
            CodeKind::Role => Msg::new("peran operator", "operator role"),
            CodeKind::AuditAction => Msg::new("tindakan audit", "audit action"),
            CodeKind::AuditEntity => Msg::new("entitas audit", "audit entity"),
            CodeKind::WorkingWeek => Msg::new("hari kerja per minggu", "working days per week"),
            CodeKind::HolidayCategory => Msg::new("jenis hari libur", "holiday kind"),
            CodeKind::LocationKind => Msg::new("jenis lokasi pelatihan", "training place kind"),
            CodeKind::Sex => Msg::new("jenis kelamin", "sex"),
            CodeKind::Employment => Msg::new("status pekerjaan", "employment"),
        }
        .get(lang)
    }
}

/// Why a file is not loket's, as the end of "... is not a loket database (...)".
impl Localized for NotLoket {
    fn text(&self, lang: Lang) -> String {
        match self {
            NotLoket::Empty => Msg::new("berkas kosong", "an empty file").text(lang),
            NotLoket::NotSqlite => Msg::new("bukan berkas SQLite", "not an SQLite file").text(lang),
            NotLoket::OtherApplication(id) => pick(
                lang,
                format!("database SQLite milik aplikasi lain, application_id {id}"),
                format!("another application's SQLite database, application_id {id}"),
            ),
            NotLoket::MissingTables(tables) => pick(
                lang,
                format!("tidak ada tabel {}", tables.join(", ")),
                format!("no table {}", tables.join(", ")),
            ),
            NotLoket::NoMarker => {
                Msg::new("tanda loket tidak ada", "loket's mark is missing").text(lang)
            }
        }
    }
}

/// One difference from loket's schema: "indeks resident_nik hilang".
impl Localized for SchemaDifference {
    fn text(&self, lang: Lang) -> String {
        use crate::db::backup::Change;
        let kind = match (self.kind.as_str(), lang) {
            ("table", Lang::Id) => "tabel",
            ("index", Lang::Id) => "indeks",
            (other, _) => other,
        };
        let change = match self.change {
            Change::Missing => Msg::new("hilang", "missing"),
            Change::Extra => Msg::new("tambahan", "added"),
            Change::Changed => Msg::new("berbeda", "changed"),
        };
        format!("{kind} {} {}", self.name, change.get(lang))
    }
}

impl Localized for BackupError {
    fn text(&self, lang: Lang) -> String {
        let unchanged = Msg::new("Tidak ada yang diubah.", "Nothing was changed.").get(lang);
        let what = match self {
            BackupError::OnServer => Msg::new(
                "Database ini ada di server PostgreSQL: cadangan dan pemulihannya memakai alat \
                 server, pg_dump dan pg_restore (lihat README, \"Banyak loket\"), bukan berkas \
                 di komputer ini.",
                "This database is on a PostgreSQL server: it is backed up and restored with the \
                 server's tools, pg_dump and pg_restore (see the README, \"Many counters\"), not \
                 as a file on this computer.",
            )
            .get(lang)
            .to_string(),
            BackupError::NoPgDump => Msg::new(
                "Database ini ada di server PostgreSQL dan komputer ini tidak memiliki pg_dump: \
                 pasang paket postgresql-client (Debian/Ubuntu) lalu ulangi `loket backup`, \
                 atau cadangkan di server dengan `pg_dump -Fc -d loket -f loket.dump`.",
                "This database is on a PostgreSQL server and this computer has no pg_dump: \
                 install the postgresql-client package (Debian/Ubuntu) and run `loket backup` \
                 again, or back it up on the server with `pg_dump -Fc -d loket -f loket.dump`.",
            )
            .get(lang)
            .to_string(),
            BackupError::DumpFailed(said) => pick(
                lang,
                format!(
                    "pg_dump gagal; tidak ada cadangan yang dibuat. pg_dump berkata: {said}. \
                     Versi pg_dump harus sama atau lebih baru dari server (paket \
                     postgresql-client)."
                ),
                format!(
                    "pg_dump failed; no backup was made. pg_dump said: {said}. pg_dump must be \
                     the server's version or newer (package postgresql-client)."
                ),
            ),
            BackupError::NotADatabase { path, detail } => pick(
                lang,
                format!(
                    "{} bukan berkas database SQLite ({detail}).",
                    path.display()
                ),
                format!("{} is not an SQLite database ({detail}).", path.display()),
            ),
            BackupError::Damaged { path, problems } => pick(
                lang,
                format!("{} rusak: {}.", path.display(), problems.join("; ")),
                format!("{} is damaged: {}.", path.display(), problems.join("; ")),
            ),
            BackupError::NotLoket { path, why } => pick(
                lang,
                format!(
                    "{} bukan database loket ({}).",
                    path.display(),
                    why.text(lang)
                ),
                format!(
                    "{} is not a loket database ({}).",
                    path.display(),
                    why.text(lang)
                ),
            ),
            BackupError::SchemaDiffers {
                path,
                version,
                differences,
            } => {
                let list = differences
                    .iter()
                    .map(|d| d.text(lang))
                    .collect::<Vec<_>>()
                    .join("; ");
                pick(
                    lang,
                    format!(
                        "Skema {} tidak sama dengan skema loket versi {version}: {list}. Berkas \
                         ini diubah di luar loket.",
                        path.display()
                    ),
                    format!(
                        "The schema of {} differs from loket's schema {version}: {list}. The \
                         file was changed outside loket.",
                        path.display()
                    ),
                )
            }
            BackupError::AuditChainBroken { path, id } => pick(
                lang,
                format!(
                    "Jejak audit {} diubah di luar loket mulai baris audit_log {id}.",
                    path.display()
                ),
                format!(
                    "The audit trail of {} was changed outside loket from audit_log row {id} on.",
                    path.display()
                ),
            ),
            BackupError::TooNew {
                path,
                found,
                supported,
            } => pick(
                lang,
                format!(
                    "{} dibuat oleh loket yang lebih baru (skema {found}, versi ini sampai \
                     {supported}).",
                    path.display()
                ),
                format!(
                    "{} was written by a newer loket (schema {found}, this build knows up to \
                     {supported}).",
                    path.display()
                ),
            ),
            BackupError::InUse => Msg::new(
                "Database sedang dipakai proses lain. Tutup loket di komputer lain lalu ulangi.",
                "The database is in use by another process. Close loket elsewhere and retry.",
            )
            .text(lang),
            // A backup to read that is not there (or is a folder): `loket init` is no answer.
            BackupError::Db(DbError::NotFound(path)) => pick(
                lang,
                format!("{} tidak ada, atau bukan berkas.", path.display()),
                format!("{} does not exist, or is not a file.", path.display()),
            ),
            BackupError::Denied(e) => return e.text(lang),
            BackupError::Db(e) => return e.text(lang),
        };
        format!("{what} {unchanged}")
    }
}

impl Localized for ExportError {
    fn text(&self, lang: Lang) -> String {
        match self {
            ExportError::Denied(e) => e.text(lang),
            ExportError::UnknownExtension(ext) => pick(
                lang,
                format!(
                    "Jenis berkas tidak dikenal: '{ext}'. Pakai nama berakhiran .xlsx atau .csv."
                ),
                format!("Unknown file type '{ext}': use .xlsx or .csv."),
            ),
            ExportError::Write { path, message } => pick(
                lang,
                format!("Gagal menulis {path}: {message}"),
                format!("Cannot write {path}: {message}"),
            ),
            ExportError::Db(e) => e.text(lang),
        }
    }
}

impl Localized for HolidayError {
    fn text(&self, lang: Lang) -> String {
        match self {
            HolidayError::Denied(e) => e.text(lang),
            HolidayError::EmptyName => Msg::new(
                "Nama hari libur tidak boleh kosong.",
                "A holiday needs a name.",
            )
            .text(lang),
            HolidayError::Exists(d) => pick(
                lang,
                format!("{d} sudah ada di kalender."),
                format!("{d} is already in the calendar."),
            ),
            HolidayError::NotCustom(d) => pick(
                lang,
                format!(
                    "{d} adalah libur nasional resmi dan tidak bisa dihapus; hanya cuti bersama dan \
                     tambahan sendiri yang bisa."
                ),
                format!(
                    "{d} is an official national holiday and cannot be removed; only cuti bersama \
                     and added ones can."
                ),
            ),
            HolidayError::Db(e) => e.text(lang),
        }
    }
}

impl Localized for ReferenceError {
    fn text(&self, lang: Lang) -> String {
        match self {
            ReferenceError::Denied(e) => e.text(lang),
            ReferenceError::NotFound(what) => DbError::Missing(what.clone()).text(lang),
            ReferenceError::Invalid { field } => super::admin::field_rule(lang, *field),
            ReferenceError::CodeTaken(code) => super::admin::code_taken(lang, code),
            ReferenceError::Db(e) => e.text(lang),
        }
    }
}

impl Localized for TargetError {
    fn text(&self, lang: Lang) -> String {
        match self {
            TargetError::Denied(e) => e.text(lang),
            TargetError::UnknownCode(code) => super::dashboard::unknown_code(lang, code),
            TargetError::Db(e) => e.text(lang),
        }
    }
}

impl Localized for MoveError {
    fn text(&self, lang: Lang) -> String {
        let unchanged = Msg::new(
            "Server tidak diubah; belum ada yang dipindahkan.",
            "The server was not changed; nothing was moved.",
        )
        .get(lang);
        let what = match self {
            MoveError::Db(e) => return e.text(lang),
            MoveError::CohortCodesTaken(codes) => pick(
                lang,
                format!(
                    "Kode angkatan berikut sudah ada di server: {}. Angkatan dikelola Disnaker; \
                     ubah kode angkatan itu di database kantor ini (menu Angkatan), lalu ulangi.",
                    codes.join(", ")
                ),
                format!(
                    "These cohort codes are already on the server: {}. Cohorts are run by the \
                     Disnaker; change those codes in this office's database (Cohorts), then \
                     try again.",
                    codes.join(", ")
                ),
            ),
            MoveError::CertificatesTaken(numbers) => pick(
                lang,
                format!(
                    "Nomor sertifikat berikut sudah dipakai di server: {}. Perbaiki nomornya di \
                     database kantor ini, lalu ulangi.",
                    numbers.join(", ")
                ),
                format!(
                    "These certificate numbers are already used on the server: {}. Correct them \
                     in this office's database, then try again.",
                    numbers.join(", ")
                ),
            ),
            MoveError::SourceChainBroken(id) => pick(
                lang,
                format!(
                    "Jejak audit database kantor ini rusak mulai baris {id}: tidak dipindahkan \
                     agar perubahan yang tidak tercatat tidak ikut masuk server. Periksa dengan \
                     `loket check`, atau pulihkan cadangan yang utuh."
                ),
                format!(
                    "This office database's audit trail is broken from row {id}: it is not moved, \
                     so unrecorded changes do not reach the server. Look with `loket check`, or \
                     restore an intact backup."
                ),
            ),
            MoveError::CountsDiffer {
                table,
                expected,
                found,
            } => pick(
                lang,
                format!(
                    "Setelah disalin, tabel {table} di server berisi {found} baris, seharusnya \
                     {expected}. Pemindahan dibatalkan; laporkan ke pengembang loket."
                ),
                format!(
                    "After copying, the server's {table} table holds {found} rows instead of \
                     {expected}. The move was rolled back; report this to loket's developers."
                ),
            ),
        };
        format!("{what} {unchanged}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_read_as_sentences_not_debug_output() {
        let all = [
            Constraint::Unique {
                table: "resident".into(),
                column: "nik".into(),
            },
            Constraint::Unique {
                table: "course".into(),
                column: "code".into(),
            },
            Constraint::Check {
                name: "ck_cohort_location_kind".into(),
            },
            Constraint::ForeignKey,
            Constraint::NotNull {
                table: "cohort".into(),
                column: "code".into(),
            },
            Constraint::Trigger {
                message: "audit_log is append-only".into(),
            },
        ];
        for c in all {
            for lang in [Lang::Id, Lang::En] {
                let text = DbError::Constraint(c.clone()).text(lang);
                assert!(!text.contains('{') && !text.contains("Unique"), "{text}");
            }
        }
    }

    #[test]
    fn unknown_codes_and_bad_settings_name_the_value() {
        let e = DbError::UnknownCode {
            kind: CodeKind::CohortStatus,
            value: "paused".into(),
        };
        assert!(
            e.text(Lang::Id).contains("status angkatan") && e.text(Lang::Id).contains("'paused'")
        );
        let e = DbError::BadSetting {
            key: SettingKey::BackupKeep,
            value: "x".into(),
        };
        assert!(
            e.text(Lang::En).contains("backup.keep") && e.text(Lang::En).contains("whole number")
        );
    }
}
