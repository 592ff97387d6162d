//! loket's schema on a PostgreSQL server (issue 18): `assets/migrations/postgres/`, the same
//! tables, columns and rules as SQLite's at [`SCHEMA_VERSION`](super::SCHEMA_VERSION), put on
//! an empty database in one transaction: `schema.sql` (schema 7, where PostgreSQL began) and
//! the upgrades after it. The version lives in `app_meta` (`schema_version`); an older one is
//! upgraded in one transaction, a newer one is refused as on SQLite, so an older loket never
//! writes to a database a newer one has changed. [`check`] is `loket check` on a server: the schema by name (a dropped or
//! disabled audit trigger shows), every foreign key's rows, and the audit chain.

use std::collections::BTreeSet;

use super::DbError;
use super::audit;
use super::backup::{Change, CheckReport, SchemaDifference};
use super::sql::{Connection, Dialect, OptionalExtension};

/// The schema a new PostgreSQL database starts from: SQLite's at [`FIRST_VERSION`].
const SCHEMA: &str = include_str!("../../assets/migrations/postgres/schema.sql");

/// The version [`SCHEMA`] makes: the first PostgreSQL schema there ever was.
const FIRST_VERSION: u32 = 7;

/// The upgrades after [`SCHEMA`], in order: `UPGRADES[i]` takes a database from version
/// `FIRST_VERSION + i` to the next. A new database gets them all.
const UPGRADES: &[&str] = &[include_str!(
    "../../assets/migrations/postgres/0008_narrowed_words.sql"
)];

/// The schema version this build writes on PostgreSQL (SQLite's [`SCHEMA_VERSION`](super::SCHEMA_VERSION)).
pub const POSTGRES_SCHEMA_VERSION: u32 = FIRST_VERSION + UPGRADES.len() as u32;

/// Brings the PostgreSQL database behind `conn` to [`POSTGRES_SCHEMA_VERSION`]: creates the
/// schema on an empty database, upgrades an older one, leaves a current one alone, refuses a
/// newer one (`SchemaTooNew`) and one with loket's tables but no version or one older than
/// PostgreSQL's first (`SchemaMismatch`). All in one transaction: a failed upgrade leaves the
/// database as it was.
pub fn migrate(conn: &Connection) -> Result<(), DbError> {
    debug_assert_eq!(conn.dialect(), Dialect::Postgres);
    let tx = conn.transaction()?;
    // Two counters starting on an empty database at once: the second waits here for the
    // first's transaction, then finds the schema made. The key is loket's mark, "LOKT".
    tx.execute_batch(&format!(
        "SELECT pg_advisory_xact_lock({})",
        super::APPLICATION_ID
    ))?;
    let found = version(&tx)?;
    if found == Some(POSTGRES_SCHEMA_VERSION) {
        return Ok(());
    }
    // An upgrade may build an index over every resident (80 s at 3 million): longer than the
    // statement timeout a counter's session has, and quicker with more memory to sort in.
    tx.execute_batch("SET LOCAL statement_timeout = 0; SET LOCAL maintenance_work_mem = '256MB'")?;
    let found = match found {
        Some(found) if found > POSTGRES_SCHEMA_VERSION => {
            return Err(DbError::SchemaTooNew {
                found,
                supported: POSTGRES_SCHEMA_VERSION,
            });
        }
        Some(found) if found < FIRST_VERSION => {
            return Err(DbError::SchemaMismatch {
                found,
                supported: POSTGRES_SCHEMA_VERSION,
            });
        }
        Some(found) => found,
        None => {
            tx.execute_batch(SCHEMA)?;
            tx.execute(
                "INSERT INTO app_meta (key, value) VALUES ('schema_version', ?1)",
                [FIRST_VERSION.to_string()],
            )?;
            FIRST_VERSION
        }
    };
    for upgrade in &UPGRADES[(found - FIRST_VERSION) as usize..] {
        tx.execute_batch(upgrade)?;
    }
    tx.execute(
        "UPDATE app_meta SET value = ?1 WHERE key = 'schema_version'",
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

/// `loket check` on a server. The server keeps its own pages sound, so there is no integrity
/// check; the rest is SQLite's report: rows whose parent is missing (possible only where
/// someone switched the server's checks off, `session_replication_role = replica`), the schema
/// against loket's by name (tables, indexes, triggers; a trigger switched off counts as
/// changed), and the audit chain.
pub fn check(conn: &Connection) -> Result<CheckReport, DbError> {
    let mut report = CheckReport {
        schema: schema_differences(conn)?,
        ..CheckReport::default()
    };
    for (table, column, parent, parent_column) in foreign_keys(conn)? {
        let orphans: i64 = conn.query_row(
            &format!(
                "SELECT count(*) FROM {table} t WHERE t.{column} IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{parent_column} = t.{column})"
            ),
            [],
            |r| r.get(0),
        )?;
        if orphans > 0 {
            report.foreign_keys.push((table, None, parent));
        }
    }
    if version(conn)? == Some(POSTGRES_SCHEMA_VERSION) {
        report.audit_chain = audit::verify_chain(conn)?;
    }
    Ok(report)
}

/// The single-column foreign keys of loket's schema on this server: table, column, parent
/// table, parent column.
fn foreign_keys(conn: &Connection) -> Result<Vec<(String, String, String, String)>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, pa.attname
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
         WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
           AND c.connamespace = current_schema()::regnamespace
         ORDER BY 1, 2",
    )?;
    let keys = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    Ok(keys)
}

/// The tables, indexes and triggers [`SCHEMA`] and its [`UPGRADES`] make, by kind.
fn expected() -> [(&'static str, BTreeSet<String>); 3] {
    let named = |prefixes: &[&str]| -> BTreeSet<String> {
        std::iter::once(SCHEMA)
            .chain(UPGRADES.iter().copied())
            .flat_map(str::lines)
            .filter_map(|line| {
                let line = line.trim_start();
                prefixes.iter().find_map(|p| line.strip_prefix(p))
            })
            .filter_map(|rest| rest.split([' ', '(']).next())
            .map(str::to_string)
            .collect()
    };
    [
        ("table", named(&["CREATE TABLE "])),
        ("index", named(&["CREATE INDEX ", "CREATE UNIQUE INDEX "])),
        ("trigger", named(&["CREATE TRIGGER "])),
    ]
}

/// Where the server's schema differs from loket's, by name.
pub fn schema_differences(conn: &Connection) -> Result<Vec<SchemaDifference>, DbError> {
    let names = |sql: &str| -> Result<BTreeSet<String>, DbError> {
        let mut stmt = conn.prepare(sql)?;
        let found = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<_, _>>()?;
        Ok(found)
    };
    let on_server = [
        names(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        )?,
        // Indexes a constraint makes (primary keys, UNIQUE columns) come with their tables.
        names(
            "SELECT i.indexname::text FROM pg_indexes i
             WHERE i.schemaname = current_schema() AND NOT EXISTS (
                 SELECT 1 FROM pg_constraint c
                 WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)",
        )?,
        names(
            "SELECT t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
             WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace",
        )?,
    ];
    let disabled = names(
        "SELECT t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
         WHERE NOT t.tgisinternal AND t.tgenabled = 'D'
           AND c.relnamespace = current_schema()::regnamespace",
    )?;
    let mut differences = Vec::new();
    for ((kind, wanted), found) in expected().into_iter().zip(on_server) {
        let difference = |name: &String, change| SchemaDifference {
            kind: kind.to_string(),
            name: name.clone(),
            change,
        };
        differences.extend(
            wanted
                .difference(&found)
                .map(|n| difference(n, Change::Missing)),
        );
        differences.extend(
            found
                .difference(&wanted)
                .map(|n| difference(n, Change::Extra)),
        );
        if kind == "trigger" {
            differences.extend(
                wanted
                    .intersection(&disabled)
                    .map(|n| difference(n, Change::Changed)),
            );
        }
    }
    Ok(differences)
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

    #[test]
    fn the_schema_names_its_tables_indexes_and_triggers() {
        let [(_, tables), (_, indexes), (_, triggers)] = expected();
        assert!(tables.contains("resident") && tables.contains("audit_log"));
        assert!(indexes.contains("resident_nik") && indexes.contains("operator_name"));
        assert!(triggers.contains("audit_log_no_delete"));
        assert_eq!(tables.len(), 18, "{tables:?}");
    }
}
