//! Typed database errors: what went wrong, in terms the UI can tell a clerk.
//! Constraint failures from SQLite are mapped to `Constraint` so no caller parses messages.

use std::path::PathBuf;

use thiserror::Error;

use super::codes::{CodeKind, UnknownCode};

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

#[derive(Debug, Error)]
pub enum DbError {
    #[error("Berkas database tidak ditemukan: {0}. Buat dengan `loket init` atau `loket demo`.")]
    NotFound(PathBuf),
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
    /// A stored code no variant of its enum names (see `db::codes`).
    #[error("unknown {kind:?} code '{value}' in the database")]
    UnknownCode { kind: CodeKind, value: String },
}

impl DbError {
    pub fn message_en(&self) -> String {
        match self {
            DbError::NotFound(p) => format!(
                "Database file not found: {}. Create one with `loket init` or `loket demo`.",
                p.display()
            ),
            DbError::AlreadyExists(p) => format!("File already exists: {}.", p.display()),
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
            DbError::UnknownCode { kind, value } => {
                format!("unknown {kind:?} code '{value}' in the database")
            }
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
        if let rusqlite::Error::FromSqlConversionFailure(_, _, inner) = &e
            && let Some(unknown) = inner.downcast_ref::<UnknownCode>()
        {
            return DbError::UnknownCode {
                kind: unknown.kind,
                value: unknown.value.clone(),
            };
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
