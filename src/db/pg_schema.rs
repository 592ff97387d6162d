//! loket's schema on a PostgreSQL server (issue 18): `assets/migrations/postgres/`, the same
//! tables, columns and rules as SQLite's at [`SCHEMA_VERSION`](super::SCHEMA_VERSION), put on
//! an empty database in one transaction. The version lives in `app_meta` (`schema_version`); a
//! newer one is refused as on SQLite, so an older loket never writes to a database a newer one
//! has changed. Nothing above `db/` runs on PostgreSQL yet: this is the schema the ported
//! modules will find.

use super::DbError;
use super::sql::{Connection, Dialect, OptionalExtension};

/// The schema a new PostgreSQL database gets.
const SCHEMA: &str = include_str!("../../assets/migrations/postgres/0006_schema.sql");

/// The SQLite schema version [`SCHEMA`] matches.
pub const POSTGRES_SCHEMA_VERSION: u32 = 6;

/// Brings the PostgreSQL database behind `conn` to [`POSTGRES_SCHEMA_VERSION`]: creates the
/// schema on an empty database, leaves a current one alone, refuses a newer one
/// (`SchemaTooNew`) and one with loket's tables but no version (`SchemaMismatch`).
pub fn migrate(conn: &Connection) -> Result<(), DbError> {
    debug_assert_eq!(conn.dialect(), Dialect::Postgres);
    let tx = conn.transaction()?;
    // Two counters starting on an empty database at once: the second waits here for the
    // first's transaction, then finds the schema made. The key is loket's mark, "LOKT".
    tx.execute_batch(&format!(
        "SELECT pg_advisory_xact_lock({})",
        super::APPLICATION_ID
    ))?;
    match version(&tx)? {
        Some(found) if found == POSTGRES_SCHEMA_VERSION => return Ok(()),
        Some(found) if found > POSTGRES_SCHEMA_VERSION => {
            return Err(DbError::SchemaTooNew {
                found,
                supported: POSTGRES_SCHEMA_VERSION,
            });
        }
        Some(found) => {
            return Err(DbError::SchemaMismatch {
                found,
                supported: POSTGRES_SCHEMA_VERSION,
            });
        }
        None => {}
    }
    tx.execute_batch(SCHEMA)?;
    tx.execute(
        "INSERT INTO app_meta (key, value) VALUES ('schema_version', ?1)",
        [POSTGRES_SCHEMA_VERSION.to_string()],
    )?;
    tx.commit()?;
    Ok(())
}

/// The schema version of the database: `None` when it has no loket tables at all.
pub fn version(conn: &Connection) -> Result<Option<u32>, DbError> {
    let tables: i64 = conn.query_row(
        "SELECT count(*) FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_name = 'app_meta'",
        [],
        |r| r.get(0),
    )?;
    if tables == 0 {
        return Ok(None);
    }
    let value: Option<String> = conn
        .query_row(
            "SELECT value FROM app_meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    // loket's tables without a version: something else made them; never build over it.
    Ok(Some(value.and_then(|v| v.parse().ok()).unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sqlite_migration_has_its_postgresql_schema() {
        assert_eq!(
            POSTGRES_SCHEMA_VERSION,
            super::super::SCHEMA_VERSION,
            "a SQLite migration needs its PostgreSQL twin in assets/migrations/postgres/"
        );
    }
}
