//! Is this file a sound loket database? `check` (what `loket check` reports) and `verify` (what
//! a restore demands of a backup): SQLite's integrity and foreign-key checks, loket's mark, a
//! schema exactly as loket writes it at the file's version (tables, indexes, triggers: an edited
//! backup with a dropped trigger or index is not one), and an unbroken audit chain. Reads only.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::OpenFlags;
use serde::Serialize;

use super::BackupError;
use crate::db::audit::{self, BrokenLink};
use crate::db::{Connection, DbError, NotLoket, SCHEMA_VERSION, identify, schema_at};

/// SQLite's own connection, for a file not yet known to be loket's.
type Lite = rusqlite::Connection;

/// What `loket check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// `PRAGMA integrity_check` lines other than "ok".
    pub integrity: Vec<String>,
    /// `PRAGMA foreign_key_check`: table, rowid, parent table.
    pub foreign_keys: Vec<(String, Option<i64>, String)>,
    /// Where the schema differs from the one loket writes at this database's version.
    pub schema: Vec<SchemaDifference>,
    /// The first audit row that does not follow from the one before.
    pub audit_chain: Option<BrokenLink>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.integrity.is_empty()
            && self.foreign_keys.is_empty()
            && self.schema.is_empty()
            && self.audit_chain.is_none()
    }

    /// Damage SQLite finds (a torn file, a broken reference), as against an edit made outside
    /// loket (the schema, the audit chain).
    pub fn is_damaged(&self) -> bool {
        !self.integrity.is_empty() || !self.foreign_keys.is_empty()
    }
}

/// One way a schema differs from loket's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaDifference {
    /// `table`, `index`, `trigger` or `view`.
    pub kind: String,
    pub name: String,
    pub change: Change,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// loket has it, the file does not.
    Missing,
    /// The file has it, loket does not.
    Extra,
    /// Both have it, defined differently.
    Changed,
}

/// Most problems a report lists (a wrecked file can have millions).
const MAX_PROBLEMS: usize = 100;

/// Runs `integrity_check` and `foreign_key_check`, and on a file SQLite finds intact compares
/// the schema with loket's and walks the audit chain. Reads only; the caller has made sure the
/// file is a loket database (`identify`).
pub fn check(conn: &Connection) -> Result<CheckReport, DbError> {
    let mut report = CheckReport::default();
    let mut stmt = conn.prepare("PRAGMA integrity_check(100)")?;
    for line in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let line = line?;
        if line != "ok" {
            report.integrity.push(line);
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if report.foreign_keys.len() >= MAX_PROBLEMS {
            break;
        }
        report.foreign_keys.push((r.get(0)?, r.get(1)?, r.get(2)?));
    }
    if !report.integrity.is_empty() {
        return Ok(report);
    }
    let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if (1..=SCHEMA_VERSION).contains(&version) {
        report.schema = schema_differences(conn, version)?;
        if has_chain(conn)? {
            report.audit_chain = audit::verify_chain(conn)?;
        }
    }
    Ok(report)
}

/// Whether the audit trail carries its chain (schema 4 on; a changed schema may have lost it).
fn has_chain(conn: &Connection) -> Result<bool, DbError> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM pragma_table_info('audit_log') WHERE name = 'chain'",
        [],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// The objects of a schema by name: (kind, definition with its whitespace collapsed). SQLite's
/// own objects (`sqlite_stat1` after ANALYZE, automatic indexes) are not loket's to compare.
fn schema_of(conn: &Connection) -> Result<BTreeMap<String, (String, String)>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )?;
    let rows = stmt.query_map([], |r| {
        let sql: String = r.get(2)?;
        Ok((
            r.get::<_, String>(1)?,
            (
                r.get::<_, String>(0)?,
                sql.split_whitespace().collect::<Vec<_>>().join(" "),
            ),
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How the schema behind `conn` differs from the one loket writes at `version`.
pub fn schema_differences(
    conn: &Connection,
    version: u32,
) -> Result<Vec<SchemaDifference>, DbError> {
    let expected = schema_of(&Connection::from(schema_at(version)?))?;
    let found = schema_of(conn)?;
    let mut differences = Vec::new();
    for (name, (kind, sql)) in &expected {
        let change = match found.get(name) {
            None => Change::Missing,
            Some(other) if other != &(kind.clone(), sql.clone()) => Change::Changed,
            Some(_) => continue,
        };
        differences.push(SchemaDifference {
            kind: kind.clone(),
            name: name.clone(),
            change,
        });
    }
    for (name, (kind, _)) in &found {
        if !expected.contains_key(name) {
            differences.push(SchemaDifference {
                kind: kind.clone(),
                name: name.clone(),
                change: Change::Extra,
            });
        }
    }
    Ok(differences)
}

/// Opens `path` read-only without creating anything beside it (no -wal, no -shm).
fn open_untrusted(path: &Path) -> Result<Lite, BackupError> {
    if !path.is_file() {
        return Err(DbError::NotFound(path.to_path_buf()).into());
    }
    let conn = Lite::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    Ok(conn)
}

/// Checks that `path` is a sound loket database this build can open: an SQLite file, intact,
/// with its foreign keys in order, loket's, with a schema no newer than this build's and exactly
/// as loket writes it, and an unbroken audit chain. Returns its schema version.
pub fn verify(path: &Path) -> Result<u32, BackupError> {
    let conn = open_untrusted(path)?;
    let not_db = |e: rusqlite::Error| {
        use rusqlite::ffi::ErrorCode;
        match &e {
            rusqlite::Error::SqliteFailure(f, _) if matches!(f.code, ErrorCode::NotADatabase) => {
                BackupError::NotADatabase {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                }
            }
            rusqlite::Error::SqliteFailure(f, _)
                if matches!(f.code, ErrorCode::DatabaseCorrupt) =>
            {
                BackupError::Damaged {
                    path: path.to_path_buf(),
                    problems: vec![e.to_string()],
                }
            }
            _ => BackupError::from(e),
        }
    };
    let as_backup_error = |e: DbError| match e {
        DbError::Sqlite(e) => not_db(e),
        DbError::NotLoket { path, why } => BackupError::NotLoket { path, why },
        other => BackupError::Db(other),
    };
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(not_db)?;
    // Integrity first: a torn file says so, whatever else it is.
    let mut integrity = Vec::new();
    let mut stmt = conn
        .prepare("PRAGMA integrity_check(100)")
        .map_err(not_db)?;
    for line in stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(not_db)?
    {
        let line = line.map_err(not_db)?;
        if line != "ok" {
            integrity.push(line);
        }
    }
    drop(stmt);
    if !integrity.is_empty() {
        return Err(BackupError::Damaged {
            path: path.to_path_buf(),
            problems: integrity,
        });
    }
    identify(&conn, path).map_err(as_backup_error)?;
    if version > SCHEMA_VERSION {
        return Err(BackupError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version == 0 {
        return Err(BackupError::NotLoket {
            path: path.to_path_buf(),
            why: NotLoket::NoMarker,
        });
    }
    let report = check(&Connection::from(conn)).map_err(as_backup_error)?;
    if !report.foreign_keys.is_empty() {
        let problems = report
            .foreign_keys
            .iter()
            .map(|(t, id, p)| {
                format!(
                    "{t} {} -> {p}",
                    id.map(|i| i.to_string()).unwrap_or_default()
                )
            })
            .collect();
        return Err(BackupError::Damaged {
            path: path.to_path_buf(),
            problems,
        });
    }
    if !report.schema.is_empty() {
        return Err(BackupError::SchemaDiffers {
            path: path.to_path_buf(),
            version,
            differences: report.schema,
        });
    }
    if let Some(broken) = report.audit_chain {
        return Err(BackupError::AuditChainBroken {
            path: path.to_path_buf(),
            id: broken.id,
        });
    }
    Ok(version)
}
