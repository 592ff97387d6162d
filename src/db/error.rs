//! Typed database errors: what went wrong, in terms the UI can tell a clerk (`ui::text::db`).
//! Constraint failures from SQLite are mapped to `Constraint` so no caller parses messages.

use std::path::PathBuf;

use chrono::NaiveDate;

use thiserror::Error;

use super::codes::{CodeKind, UnknownCode};
use super::settings::SettingKey;
use crate::domain::calendar::CalendarError;

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

/// Something a lookup did not find: what it is and how it was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// An operator by name (active or not).
    Operator(String),
    /// An active operator by name (the `--as` of a headless command).
    ActiveOperator(String),
    Resident(i64),
    /// No resident holds this NIK.
    ResidentNik(String),
    Cohort(i64),
    CohortCode(String),
    Enrollment(i64),
    Course(String),
    Venue(String),
    VenueId(i64),
    Instructor(i64),
    /// No instructor goes by this name.
    InstructorName(String),
    Holiday(NaiveDate),
    /// A setting key nobody knows.
    Setting(String),
}

/// Why the database could not do what was asked. Data only: the sentences are in
/// `ui::text::db`; `Display` is a terse English line for logs.
#[derive(Debug, Error)]
pub enum DbError {
    #[error("database file not found: {}", .0.display())]
    NotFound(PathBuf),
    /// A file that is not loket's (told by `ui::text::db`); nothing was written to it.
    #[error("{} is not a loket database: {why:?}", .path.display())]
    NotLoket { path: PathBuf, why: NotLoket },
    #[error("file already exists: {}", .0.display())]
    AlreadyExists(PathBuf),
    #[error("database schema {found} is newer than {supported}")]
    SchemaTooNew { found: u32, supported: u32 },
    #[error("database schema {found}, expected {supported}")]
    SchemaMismatch { found: u32, supported: u32 },
    #[error("migration to schema {version} would break {dangling} references")]
    MigrationBroke { version: u32, dangling: i64 },
    #[error("SQLite without FTS5")]
    NoFts5,
    #[error("database locked")]
    Locked,
    /// No connection to the PostgreSQL server (`postgres://user@host:port/db`): unreachable, or
    /// it refused (password, unknown database, TLS); `detail` is what stood in the way.
    #[error("cannot connect to {server}: {detail}")]
    ServerUnreachable { server: String, detail: String },
    /// The connection to the server broke off; the server rolled back what was not committed.
    #[error("connection to the PostgreSQL server lost")]
    ConnectionLost,
    /// A PostgreSQL connection string or TLS setting that cannot be used.
    #[error("PostgreSQL connection settings: {0}")]
    ServerSettings(String),
    /// `init` or `demo` on a PostgreSQL database that already holds loket's schema.
    #[error("{0} already holds a loket database")]
    ServerNotEmpty(String),
    /// A PostgreSQL database without loket's schema (`loket --db ... init` puts it there).
    #[error("{0} holds no loket database")]
    ServerEmpty(String),
    #[error("refused by a database rule: {0:?}")]
    Constraint(Constraint),
    #[error("not found: {0:?}")]
    Missing(Missing),
    #[error("cannot access {path}: {1}", path = .0.display())]
    Io(PathBuf, String),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// A stored code no variant of its enum names (see `db::codes`).
    #[error("unknown {kind:?} code '{value}' in the database")]
    UnknownCode { kind: CodeKind, value: String },
    /// A stored value that does not read as its column's type (a timestamp, say).
    #[error("{column} holds '{value}'")]
    Unreadable { column: &'static str, value: String },
    /// A setting whose value does not fit its kind (`SettingKey::kind`).
    #[error("setting {} holds '{value}'", .key.code())]
    BadSetting { key: SettingKey, value: String },
    /// A working calendar that cannot be laid out (a stored cohort's dates).
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// Hashing a password failed (the system's randomness, argon2).
    #[error("cannot hash the password: {0}")]
    Hash(String),
    /// The demo generator made a row loket refuses (a bug of the generator).
    #[error("demo data refused: {0}")]
    Demo(String),
    /// The reference data shipped inside loket does not read.
    #[error("shipped reference data: {0}")]
    ReferenceData(String),
}

impl DbError {
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
