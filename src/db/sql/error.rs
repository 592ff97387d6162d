//! The seam's error: either store's failure, classified the way `DbError` and the retry loop need
//! it (busy or locked, retry after a serialization failure or deadlock, a refused constraint,
//! connection lost). SQLite errors pass through untouched, so `DbError`'s own parse still applies
//! to them; PostgreSQL's SQLSTATEs are mapped to the same `Constraint` kinds here.

use std::fmt;

use postgres::error::SqlState;

use super::types::Type;
use crate::db::codes::UnknownCode;
use crate::db::{Constraint, DbError};

pub type Result<T, E = Error> = std::result::Result<T, E>;

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug)]
pub enum Error {
    /// Anything SQLite said (`DbError::from` maps busy, locked and constraints).
    Sqlite(rusqlite::Error),
    /// Anything the PostgreSQL server or connection said.
    Postgres(postgres::Error),
    /// A PostgreSQL statement stopped by our own `Interrupter` (SQLite's arrives as `Sqlite`).
    Interrupted,
    /// `query_row` found nothing (`optional()` turns it into `None`).
    QueryReturnedNoRows,
    InvalidColumnIndex(usize),
    InvalidColumnName(String),
    /// The column's value does not fit the asked Rust type (index, column name, stored class).
    InvalidColumnType(usize, String, Type),
    FromSqlConversionFailure(usize, Type, BoxError),
    ToSqlConversionFailure(BoxError),
    /// A PostgreSQL column type the seam does not decode.
    UnsupportedType(String),
    /// BEGIN inside a transaction on PostgreSQL (SQLite refuses it with its own error).
    NestedTransaction,
    /// A connection string or TLS setting refused before connecting (never holds a password).
    InvalidTarget(String),
    /// No connection was made: the server (`postgres://user@host:port/db`, no password) could
    /// not be reached, or refused us (password, unknown database, TLS).
    Connect {
        server: String,
        cause: postgres::Error,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Sqlite(e) => e.fmt(f),
            Error::Postgres(e) if self.is_connection_lost() => {
                write!(f, "connection to the PostgreSQL server lost ({e})")
            }
            Error::Postgres(e) => match e.as_db_error() {
                Some(db) => write!(f, "{}: {}", db.severity(), db.message()),
                None => e.fmt(f),
            },
            Error::Interrupted => f.write_str("statement cancelled"),
            Error::QueryReturnedNoRows => f.write_str("query returned no rows"),
            Error::InvalidColumnIndex(i) => write!(f, "invalid column index {i}"),
            Error::InvalidColumnName(n) => write!(f, "invalid column name {n}"),
            Error::InvalidColumnType(i, name, t) => {
                write!(f, "column {i} ({name}) holds {t}, not the type asked")
            }
            Error::FromSqlConversionFailure(i, t, e) => {
                write!(f, "column {i} ({t}) could not be converted: {e}")
            }
            Error::ToSqlConversionFailure(e) => write!(f, "parameter not convertible: {e}"),
            Error::UnsupportedType(t) => write!(f, "unsupported PostgreSQL column type {t}"),
            Error::NestedTransaction => {
                f.write_str("cannot start a transaction within a transaction")
            }
            Error::InvalidTarget(why) => write!(f, "PostgreSQL connection settings: {why}"),
            Error::Connect { server, cause } => {
                write!(f, "cannot connect to {server}: {}", connect_detail(cause))
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Sqlite(e) => Some(e),
            Error::Postgres(e) | Error::Connect { cause: e, .. } => Some(e),
            Error::FromSqlConversionFailure(_, _, e) | Error::ToSqlConversionFailure(e) => {
                Some(&**e)
            }
            _ => None,
        }
    }
}

/// What the server said when it refused a connection, or what stood in the way (the socket, TLS).
pub fn connect_detail(cause: &postgres::Error) -> String {
    match cause.as_db_error() {
        Some(db) => db.message().to_string(),
        None => {
            let mut text = cause.to_string();
            let mut source = std::error::Error::source(cause);
            while let Some(s) = source {
                text = s.to_string();
                source = s.source();
            }
            text
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::QueryReturnedNoRows => Error::QueryReturnedNoRows,
            e => Error::Sqlite(e),
        }
    }
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        Error::Postgres(e)
    }
}

impl Error {
    fn sqlstate(&self) -> Option<&SqlState> {
        match self {
            Error::Postgres(e) => e.code(),
            _ => None,
        }
    }

    fn sqlite_code(&self) -> Option<rusqlite::ffi::ErrorCode> {
        match self {
            Error::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => Some(f.code),
            _ => None,
        }
    }

    /// Another writer holds what we need: SQLite BUSY/LOCKED after the busy timeout, PostgreSQL
    /// `lock_timeout` (55P03) or `statement_timeout` (57014, unless we cancelled it ourselves).
    /// The clerk is told the database is locked and to try again.
    pub fn is_busy(&self) -> bool {
        use rusqlite::ffi::ErrorCode;
        matches!(
            self.sqlite_code(),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
        ) || self
            .sqlstate()
            .is_some_and(|s| *s == SqlState::LOCK_NOT_AVAILABLE || *s == SqlState::QUERY_CANCELED)
    }

    /// A PostgreSQL serialization failure (40001) or deadlock (40P01): the transaction was
    /// rolled back and running it again is the documented answer. Never true on SQLite.
    pub fn is_retryable(&self) -> bool {
        self.sqlstate().is_some_and(|s| {
            *s == SqlState::T_R_SERIALIZATION_FAILURE || *s == SqlState::T_R_DEADLOCK_DETECTED
        })
    }

    /// The statement was stopped by an `Interrupter` (a newer search replaced it).
    pub fn is_interrupted(&self) -> bool {
        matches!(self, Error::Interrupted)
            || self.sqlite_code() == Some(rusqlite::ffi::ErrorCode::OperationInterrupted)
    }

    /// The PostgreSQL connection is gone (network, server restart): whatever the transaction did
    /// was rolled back by the server; reconnect and let the clerk retry.
    pub fn is_connection_lost(&self) -> bool {
        let Error::Postgres(e) = self else {
            return false;
        };
        if e.is_closed() {
            return true;
        }
        if let Some(code) = e.code() {
            return code.code().starts_with("08")
                || *code == SqlState::ADMIN_SHUTDOWN
                || *code == SqlState::CRASH_SHUTDOWN
                || *code == SqlState::CANNOT_CONNECT_NOW
                || *code == SqlState::IDLE_IN_TRANSACTION_SESSION_TIMEOUT;
        }
        // No server error: the failure came from the socket (or TLS) under the protocol.
        std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>())
    }

    /// The constraint a PostgreSQL write broke, in `DbError`'s terms. SQLite's constraints are
    /// parsed by `DbError::from(rusqlite::Error)`.
    fn pg_constraint(&self) -> Option<Constraint> {
        let Error::Postgres(e) = self else {
            return None;
        };
        let db = e.as_db_error()?;
        let code = db.code();
        let table = db.table().unwrap_or("").to_string();
        if *code == SqlState::UNIQUE_VIOLATION {
            let column = unique_column(db.detail(), db.constraint(), &table);
            Some(Constraint::Unique { table, column })
        } else if *code == SqlState::FOREIGN_KEY_VIOLATION {
            Some(Constraint::ForeignKey)
        } else if *code == SqlState::CHECK_VIOLATION {
            Some(Constraint::Check {
                name: db.constraint().unwrap_or("").to_string(),
            })
        } else if *code == SqlState::NOT_NULL_VIOLATION {
            Some(Constraint::NotNull {
                table,
                column: db.column().unwrap_or("").to_string(),
            })
        } else if *code == SqlState::RAISE_EXCEPTION || *code == SqlState::RESTRICT_VIOLATION {
            // A trigger's `RAISE EXCEPTION 'message'`, as SQLite's `RAISE(ABORT, 'message')`;
            // the audit trail's raises it `USING ERRCODE = 'restrict_violation'`.
            Some(Constraint::Trigger {
                message: db.message().to_string(),
            })
        } else {
            None
        }
    }
}

/// The first column of a unique violation, as SQLite names it: from the detail `Key (nik)=(...)
/// already exists.` (the column inside an expression index's call: `Key (lower(name))=...` is
/// operator's name, unique without regard to case as SQLite's COLLATE NOCASE column), else from
/// a constraint named `<table>_<column>_key` (PostgreSQL's default), else the constraint's name.
fn unique_column(detail: Option<&str>, constraint: Option<&str>, table: &str) -> String {
    if let Some(columns) = detail
        .and_then(|d| d.strip_prefix("Key ("))
        .and_then(|d| d.split_once(")=(").map(|(cols, _)| cols))
    {
        let first = columns.split(',').next().unwrap_or("").trim();
        let column = first
            .rsplit_once('(')
            .map_or(first, |(_, inner)| inner.trim_end_matches(')'));
        return column.trim().to_string();
    }
    let name = constraint.unwrap_or("");
    name.strip_prefix(table)
        .and_then(|n| n.strip_prefix('_'))
        .and_then(|n| n.strip_suffix("_key"))
        .unwrap_or(name)
        .to_string()
}

/// `query_row(...).optional()`: no row becomes `None`, as in rusqlite.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::QueryReturnedNoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// SQLite errors keep today's mapping; a stored code no variant names is `UnknownCode` on both
/// stores (a code type's `FromSql` fails with `FromSqlError::Other(UnknownCode)`, as with
/// rusqlite). PostgreSQL: constraints as `Constraint`, lock and
/// statement timeouts as `Locked`; anything else travels boxed in `DbError::Sqlite` (as
/// `ToSqlConversionFailure`, whose text is ours) until `DbError` grows a store-neutral variant.
impl From<Error> for DbError {
    fn from(e: Error) -> Self {
        match e {
            Error::Sqlite(e) => DbError::from(e),
            Error::InvalidTarget(why) => DbError::ServerSettings(why),
            Error::Connect { server, cause } => DbError::ServerUnreachable {
                server,
                detail: connect_detail(&cause),
            },
            e if e.is_connection_lost() => DbError::ConnectionLost,
            Error::QueryReturnedNoRows => DbError::Sqlite(rusqlite::Error::QueryReturnedNoRows),
            Error::FromSqlConversionFailure(_, _, inner)
                if inner.downcast_ref::<UnknownCode>().is_some() =>
            {
                match inner.downcast::<UnknownCode>() {
                    Ok(unknown) => DbError::UnknownCode {
                        kind: unknown.kind,
                        value: unknown.value,
                    },
                    Err(inner) => DbError::Sqlite(rusqlite::Error::ToSqlConversionFailure(inner)),
                }
            }
            e => {
                if let Some(c) = e.pg_constraint() {
                    DbError::Constraint(c)
                } else if e.is_busy() {
                    DbError::Locked
                } else {
                    DbError::Sqlite(rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
                }
            }
        }
    }
}

/// Whether an error means "run the transaction again" (see `with_retry`). Implemented for the
/// seam's and the store's errors; a module's own error enum that wraps `DbError` implements it
/// by asking its `Db` variant.
pub trait Retryable {
    fn is_retryable(&self) -> bool;
}

impl Retryable for Error {
    fn is_retryable(&self) -> bool {
        Error::is_retryable(self)
    }
}

impl Retryable for DbError {
    fn is_retryable(&self) -> bool {
        match self {
            DbError::Sqlite(rusqlite::Error::ToSqlConversionFailure(inner)) => inner
                .downcast_ref::<Error>()
                .is_some_and(Error::is_retryable),
            _ => false,
        }
    }
}

/// The seam's error inside a `DbError`, if the `DbError` came from one (connection lost,
/// retryable, ...): lets the UI tell "reconnect" from other failures without a new variant.
pub fn seam_error(e: &DbError) -> Option<&Error> {
    match e {
        DbError::Sqlite(rusqlite::Error::ToSqlConversionFailure(inner)) => inner.downcast_ref(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_column_from_detail_or_name() {
        assert_eq!(
            unique_column(
                Some("Key (nik)=(3603020101900001) already exists."),
                Some("ux_resident_nik"),
                "resident"
            ),
            "nik"
        );
        assert_eq!(
            unique_column(
                Some("Key (cohort_id, resident_id)=(1, 2) already exists."),
                None,
                "enrollment"
            ),
            "cohort_id"
        );
        assert_eq!(
            unique_column(
                Some("Key (lower(name))=(sari) already exists."),
                Some("operator_name"),
                "operator"
            ),
            "name"
        );
        assert_eq!(
            unique_column(None, Some("resident_nik_key"), "resident"),
            "nik"
        );
        assert_eq!(
            unique_column(None, Some("ux_cohort_code"), "cohort"),
            "ux_cohort_code"
        );
    }

    #[test]
    fn no_rows_is_none_and_maps_as_before() {
        let none: Result<i64> = Err(Error::QueryReturnedNoRows);
        assert_eq!(none.optional().ok(), Some(None));
        assert!(matches!(
            DbError::from(Error::QueryReturnedNoRows),
            DbError::Sqlite(rusqlite::Error::QueryReturnedNoRows)
        ));
    }
}
