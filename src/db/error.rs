//! Typed database errors: what went wrong, in terms the UI can tell a clerk.
//! Constraint failures from SQLite are mapped to `Constraint` so no caller parses messages.

use std::path::PathBuf;

use thiserror::Error;

/// A schema constraint that refused a write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constraint {
    /// `UNIQUE constraint failed: table.column`
    Unique { table: String, column: String },
    /// A named `CHECK` constraint (`ck_table_what`).
    Check { name: String },
    /// `FOREIGN KEY constraint failed`
    ForeignKey,
    /// `NOT NULL constraint failed: table.column`
    NotNull { table: String, column: String },
    /// A trigger's `RAISE(ABORT, message)`.
    Trigger { message: String },
}

/// Why a file is not one of loket's databases (issue 14.16): only `loket init` and `loket demo`
/// make one, and nothing else migrates or changes a file that is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotLoket {
    /// Zero bytes, or an SQLite file with nothing in it.
    Empty,
    /// Not an SQLite file at all (text, a spreadsheet, garbage).
    NotSqlite,
    /// An SQLite database that another application marked as its own (`PRAGMA application_id`).
    OtherApplication(i32),
    /// An SQLite database without loket's marker and without these loket tables.
    MissingTables(Vec<String>),
    /// loket's tables but no marker at a schema that has one, or no schema version at all.
    NoMarker,
}

impl NotLoket {
    pub fn reason_id(&self) -> String {
        match self {
            NotLoket::Empty => "berkas kosong".into(),
            NotLoket::NotSqlite => "bukan berkas SQLite".into(),
            NotLoket::OtherApplication(id) => {
                format!("database SQLite milik aplikasi lain, application_id {id}")
            }
            NotLoket::MissingTables(t) => format!("tidak ada tabel {}", t.join(", ")),
            NotLoket::NoMarker => "tanda loket tidak ada".into(),
        }
    }
    pub fn reason_en(&self) -> String {
        match self {
            NotLoket::Empty => "an empty file".into(),
            NotLoket::NotSqlite => "not an SQLite file".into(),
            NotLoket::OtherApplication(id) => {
                format!("another application's SQLite database, application_id {id}")
            }
            NotLoket::MissingTables(t) => format!("no table {}", t.join(", ")),
            NotLoket::NoMarker => "loket's marker is missing".into(),
        }
    }
}

#[derive(Debug, Error)]
pub enum DbError {
    #[error("Berkas database tidak ditemukan: {0}. Buat dengan `loket init` atau `loket demo`.")]
    NotFound(PathBuf),
    #[error("{} bukan database loket ({}). Berkas tidak diubah; pilih database loket dengan --db, atau buat yang baru dengan `loket init` di nama lain.", .path.display(), .why.reason_id())]
    NotLoket { path: PathBuf, why: NotLoket },
    #[error("Berkas sudah ada: {0}. Pilih nama lain atau hapus dulu berkas itu.")]
    AlreadyExists(PathBuf),
    #[error(
        "Database ini dibuat oleh loket yang lebih baru (skema versi {found}, versi ini mengenal sampai {supported}). Perbarui loket; database tidak diubah."
    )]
    SchemaTooNew { found: u32, supported: u32 },
    #[error(
        "Skema database versi {found}, diharapkan {supported}. Buka dulu dengan loket versi ini agar diperbarui."
    )]
    SchemaMismatch { found: u32, supported: u32 },
    #[error(
        "Pembaruan skema ke versi {version} akan memutus {dangling} rujukan antar tabel; database tidak diubah. Laporkan ke pengelola loket."
    )]
    MigrationBroke { version: u32, dangling: i64 },
    #[error("SQLite di program ini tidak mendukung FTS5; pencarian nama tidak bisa jalan.")]
    NoFts5,
    #[error("Database sedang dipakai proses lain (terkunci). Tunggu sebentar lalu coba lagi.")]
    Locked,
    #[error("Data ditolak oleh aturan database: {0:?}")]
    Constraint(Constraint),
    #[error("Tidak ditemukan: {0}")]
    Missing(String),
    #[error("Gagal mengakses {0}: {1}")]
    Io(PathBuf, String),
    #[error("Kesalahan database: {0}")]
    Sqlite(rusqlite::Error),
}

impl DbError {
    pub fn message_en(&self) -> String {
        match self {
            DbError::NotFound(p) => format!(
                "Database file not found: {}. Create one with `loket init` or `loket demo`.",
                p.display()
            ),
            DbError::AlreadyExists(p) => format!("File already exists: {}.", p.display()),
            DbError::NotLoket { path, why } => format!(
                "{} is not a loket database ({}). The file was not changed; choose a loket database with --db, or create a new one with `loket init` under another name.",
                path.display(),
                why.reason_en()
            ),
            DbError::SchemaTooNew { found, supported } => format!(
                "This database was written by a newer loket (schema {found}, this build knows up to {supported}). Upgrade loket; the database was not changed."
            ),
            DbError::SchemaMismatch { found, supported } => {
                format!("Database schema {found}, expected {supported}.")
            }
            DbError::MigrationBroke { version, dangling } => format!(
                "Updating the schema to version {version} would break {dangling} references between tables; the database was not changed. Report this to loket's maintainers."
            ),
            DbError::NoFts5 => "This SQLite build lacks FTS5; name search cannot work.".into(),
            DbError::Locked => {
                "The database is locked by another process. Wait and try again.".into()
            }
            DbError::Constraint(c) => format!("Refused by a database rule: {c:?}"),
            DbError::Missing(what) => format!("Not found: {what}"),
            DbError::Io(p, e) => format!("Cannot access {}: {e}", p.display()),
            DbError::Sqlite(e) => format!("Database error: {e}"),
        }
    }

    /// True when the write was refused by a UNIQUE constraint on `table.column`.
    pub fn is_unique(&self, table: &str, column: &str) -> bool {
        matches!(self, DbError::Constraint(Constraint::Unique { table: t, column: c }) if t == table && c == column)
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        if let rusqlite::Error::SqliteFailure(f, msg) = &e {
            match f.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => return DbError::Locked,
                ErrorCode::ConstraintViolation => {
                    return DbError::Constraint(parse_constraint(msg.as_deref().unwrap_or("")));
                }
                _ => {}
            }
        }
        DbError::Sqlite(e)
    }
}

fn parse_constraint(msg: &str) -> Constraint {
    let table_column = |rest: &str| {
        let first = rest.split(',').next().unwrap_or("").trim();
        let (t, c) = first.split_once('.').unwrap_or(("", first));
        (t.to_string(), c.to_string())
    };
    if let Some(rest) = msg.strip_prefix("UNIQUE constraint failed: ") {
        let (table, column) = table_column(rest);
        Constraint::Unique { table, column }
    } else if let Some(rest) = msg.strip_prefix("NOT NULL constraint failed: ") {
        let (table, column) = table_column(rest);
        Constraint::NotNull { table, column }
    } else if let Some(rest) = msg.strip_prefix("CHECK constraint failed: ") {
        Constraint::Check {
            name: rest.trim().to_string(),
        }
    } else if msg.starts_with("FOREIGN KEY constraint failed") {
        Constraint::ForeignKey
    } else {
        Constraint::Trigger {
            message: msg.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sqlite_constraint_messages() {
        assert_eq!(
            parse_constraint("UNIQUE constraint failed: resident.nik"),
            Constraint::Unique {
                table: "resident".into(),
                column: "nik".into()
            }
        );
        assert_eq!(
            parse_constraint("CHECK constraint failed: ck_resident_sex"),
            Constraint::Check {
                name: "ck_resident_sex".into()
            }
        );
        assert_eq!(
            parse_constraint("FOREIGN KEY constraint failed"),
            Constraint::ForeignKey
        );
        assert_eq!(
            parse_constraint("audit_log is append-only"),
            Constraint::Trigger {
                message: "audit_log is append-only".into()
            }
        );
    }
}
