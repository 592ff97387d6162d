//! Cadangan (backups), pemulihan (restore) and the health check. Backups use SQLite's online
//! backup API, so clerks keep working while one is taken; a restore checks the file before it
//! replaces anything and keeps a safety copy of the database it replaces. Backups hold NIKs
//! (UU 27/2022): owner-only files. Never replaces the database with a file it has not checked.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use serde_json::json;
use thiserror::Error;

use super::{DbError, SCHEMA_VERSION, audit, auth, operators, restrict_permissions, settings};
use crate::domain::access::{AccessDenied, Actor, Permission};

/// Tables every loket database has; a file without them is some other program's database.
pub const LOKET_TABLES: &[&str] = &[
    "operator",
    "resident",
    "course",
    "cohort",
    "enrollment",
    "coverage",
    "setting",
    "audit_log",
];

/// Why a backup or a restore did not happen (told by `ui::text::db`). Every refusal leaves the
/// database as it was.
#[derive(Debug, Error)]
pub enum BackupError {
    #[error("{} is not an SQLite database ({detail})", .path.display())]
    NotADatabase { path: PathBuf, detail: String },
    #[error("{} is damaged: {}", .path.display(), .problems.join("; "))]
    Damaged {
        path: PathBuf,
        problems: Vec<String>,
    },
    #[error("{} is not a loket database (no {})", .path.display(), .missing.join(", "))]
    NotLoket { path: PathBuf, missing: Vec<String> },
    #[error("{} has schema {found}, newer than {supported}", .path.display())]
    TooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("the database is in use by another process")]
    InUse,
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for BackupError {
    fn from(e: rusqlite::Error) -> Self {
        BackupError::Db(e.into())
    }
}

fn io(path: &Path, e: std::io::Error) -> BackupError {
    BackupError::Db(DbError::Io(path.to_path_buf(), e.to_string()))
}

/// The folder of automatic and manual backups: `<folder of the database>/backups`.
pub fn backup_dir(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or(Path::new(".")).join("backups")
}

/// Copies the database behind `conn` into a new file `dest` (refusing to overwrite one), through
/// a temporary file renamed into place, so a half-written backup never carries the final name.
/// One backup step copies every page inside one read transaction: in WAL mode writers go on,
/// and the copy is the database as of the moment the step began.
pub fn backup_to(conn: &Connection, dest: &Path) -> Result<(), BackupError> {
    if dest.exists() {
        return Err(DbError::AlreadyExists(dest.to_path_buf()).into());
    }
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    let partial = sibling(dest, &format!("partial-{}", std::process::id()));
    let _ = std::fs::remove_file(&partial);
    let result = copy_pages(conn, &partial);
    if let Err(e) = result {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    restrict_permissions(&partial);
    std::fs::rename(&partial, dest).map_err(|e| io(dest, e))?;
    Ok(())
}

fn copy_pages(conn: &Connection, partial: &Path) -> Result<(), BackupError> {
    let mut dst = Connection::open(partial)?;
    restrict_permissions(partial);
    {
        let backup = Backup::new(conn, &mut dst)?;
        let mut waits = 0;
        loop {
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::More => {}
                // Another connection holds a write lock on the destination's schema or a
                // checkpoint is running: wait like busy_timeout would, then give up.
                StepResult::Busy | StepResult::Locked => {
                    waits += 1;
                    if waits > 100 {
                        return Err(DbError::Locked.into());
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                _ => {}
            }
        }
    }
    // The copy carries the source's WAL flag; a backup is one self-contained file.
    let _: String = dst.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    dst.close().map_err(|(_, e)| BackupError::from(e))?;
    Ok(())
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".{suffix}"));
    path.with_file_name(name)
}

/// `loket backup`: a backup on behalf of `actor` (supervisors), recorded in the audit trail
/// before the copy, so the backup itself shows who took it.
pub fn backup_now(conn: &Connection, actor: &Actor, dest: &Path) -> Result<(), BackupError> {
    actor.require(Permission::Backup)?;
    if dest.exists() {
        return Err(DbError::AlreadyExists(dest.to_path_buf()).into());
    }
    audit::record(
        conn,
        actor,
        audit::Action::Backup,
        audit::Entity::Database,
        "",
        None::<&()>,
        Some(&json!({"path": dest.display().to_string()})),
    )?;
    backup_to(conn, dest)
}

/// The name of the automatic backup of `day`.
pub fn daily_name(day: NaiveDate) -> String {
    format!("loket-{}.sqlite", day.format("%Y-%m-%d"))
}

/// The automatic backup at the first start of each day: `<backups>/loket-YYYY-MM-DD.sqlite`,
/// keeping the newest `backup.keep` of them. Returns the new file, or `None` when today's
/// backup exists already.
pub fn daily(
    conn: &Connection,
    db_path: &Path,
    today: NaiveDate,
) -> Result<Option<PathBuf>, BackupError> {
    let dir = backup_dir(db_path);
    let dest = dir.join(daily_name(today));
    if dest.exists() {
        return Ok(None);
    }
    match backup_to(conn, &dest) {
        Ok(()) => {}
        // Another loket started at the same moment and won the rename: today is backed up.
        Err(BackupError::Db(DbError::AlreadyExists(_))) => return Ok(None),
        Err(e) => return Err(e),
    }
    let keep = settings::get_i64(conn, settings::SettingKey::BackupKeep)?.max(1) as usize;
    prune(&dir, keep)?;
    Ok(Some(dest))
}

/// Deletes the oldest automatic backups beyond `keep`. Manual and safety backups (other names)
/// are never touched.
pub fn prune(dir: &Path, keep: usize) -> Result<Vec<PathBuf>, BackupError> {
    let mut daily: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| io(dir, e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_daily_name)
        })
        .collect();
    daily.sort();
    let excess = daily.len().saturating_sub(keep);
    let removed: Vec<PathBuf> = daily.into_iter().take(excess).collect();
    for path in &removed {
        std::fs::remove_file(path).map_err(|e| io(path, e))?;
    }
    Ok(removed)
}

fn is_daily_name(name: &str) -> bool {
    name.strip_prefix("loket-")
        .and_then(|rest| rest.strip_suffix(".sqlite"))
        .is_some_and(|date| NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok() && date.len() == 10)
}

/// What `loket check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// `PRAGMA integrity_check` lines other than "ok".
    pub integrity: Vec<String>,
    /// `PRAGMA foreign_key_check`: table, rowid, parent table.
    pub foreign_keys: Vec<(String, Option<i64>, String)>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.integrity.is_empty() && self.foreign_keys.is_empty()
    }
}

/// Most problems a report lists (a wrecked file can have millions).
const MAX_PROBLEMS: usize = 100;

/// Runs `integrity_check` and `foreign_key_check` (read-only).
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
    Ok(report)
}

/// Opens `path` read-only without creating anything beside it (no -wal, no -shm).
fn open_untrusted(path: &Path) -> Result<Connection, BackupError> {
    if !path.is_file() {
        return Err(DbError::NotFound(path.to_path_buf()).into());
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    Ok(conn)
}

/// Checks that `path` is a sound loket database this build can open: an SQLite file, intact,
/// with its foreign keys in order, the loket tables, and a schema no newer than this build's.
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
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(not_db)?;
    let report = check(&conn).map_err(|e| match e {
        DbError::Sqlite(e) => not_db(e),
        other => BackupError::Db(other),
    })?;
    if !report.integrity.is_empty() {
        return Err(BackupError::Damaged {
            path: path.to_path_buf(),
            problems: report.integrity,
        });
    }
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
    let mut missing = Vec::new();
    for table in LOKET_TABLES {
        let found: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )
            .map_err(not_db)?;
        if found == 0 {
            missing.push(table.to_string());
        }
    }
    if !missing.is_empty() {
        return Err(BackupError::NotLoket {
            path: path.to_path_buf(),
            missing,
        });
    }
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
            missing: vec!["user_version".into()],
        });
    }
    Ok(version)
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Restored {
    /// The copy of the database as it was before the restore (none when there was no database).
    pub safety_backup: Option<PathBuf>,
    pub schema_version: u32,
}

/// Replaces the database at `db_path` with the backup `source` on behalf of `actor`
/// (supervisors). Order matters: the file is copied beside the database and checked there
/// (what is checked is what moves in); a safety backup of the current database is taken; the
/// WAL is checkpointed (refused when another process keeps it busy); the stale -wal/-shm are
/// removed; the checked copy is renamed over the database in one step. Any failure before the
/// rename leaves the database as it was.
pub fn restore(db_path: &Path, actor: &Actor, source: &Path) -> Result<Restored, BackupError> {
    actor.require(Permission::Backup)?;
    // Check the source where it lies first: a damaged file never gets copied anywhere.
    verify(source)?;
    let staged = sibling(db_path, &format!("restore-{}", std::process::id()));
    let _ = std::fs::remove_file(&staged);
    std::fs::copy(source, &staged).map_err(|e| io(&staged, e))?;
    restrict_permissions(&staged);
    let result = replace_with(db_path, actor, source, &staged);
    if result.is_err() {
        let _ = std::fs::remove_file(&staged);
    }
    result
}

fn replace_with(
    db_path: &Path,
    actor: &Actor,
    source: &Path,
    staged: &Path,
) -> Result<Restored, BackupError> {
    let schema_version = verify(staged)?;
    let safety_backup = db_path.exists().then(|| {
        backup_dir(db_path).join(format!(
            "loket-before-restore-{}.sqlite",
            chrono::Local::now().format("%Y-%m-%d-%H%M%S")
        ))
    });
    if let Some(safety_backup) = &safety_backup {
        let current = super::open(db_path)?;
        backup_to(&current, safety_backup)?;
        let (busy, _, _): (i64, i64, i64) =
            current.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        if busy != 0 {
            return Err(BackupError::InUse);
        }
        current.close().map_err(|(_, e)| BackupError::from(e))?;
    }
    // A -wal left beside the new file would be replayed into it: remove both before the rename.
    for suffix in ["-wal", "-shm"] {
        let mut name = db_path.as_os_str().to_os_string();
        name.push(suffix);
        let side = PathBuf::from(name);
        if side.exists() {
            std::fs::remove_file(&side).map_err(|e| io(&side, e))?;
        }
    }
    std::fs::rename(staged, db_path).map_err(|e| io(db_path, e))?;
    restrict_permissions(db_path);
    // The restored database records who restored it; its operator table may not know them.
    let conn = super::open(db_path)?;
    let after = json!({
        "source": source.display().to_string(),
        "safety_backup": safety_backup.as_ref().map(|p| p.display().to_string()),
    });
    match operators::actor_by_name(&conn, &actor.name) {
        Ok(known) => audit::record(
            &conn,
            &known,
            audit::Action::Restore,
            audit::Entity::Database,
            "",
            None::<&()>,
            Some(&after),
        )?,
        Err(_) => auth::record_unverified(
            &conn,
            &actor.name,
            audit::Action::Restore,
            audit::Entity::Database,
            "",
            after,
        )?,
    }
    Ok(Restored {
        safety_backup,
        schema_version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daily_names_are_recognised_exactly() {
        assert!(is_daily_name("loket-2026-03-01.sqlite"));
        assert!(!is_daily_name(
            "loket-before-restore-2026-03-01-101500.sqlite"
        ));
        assert!(!is_daily_name("loket-2026-13-01.sqlite"));
        assert!(!is_daily_name("loket-2026-03-01.sqlite.partial-12"));
        assert_eq!(
            daily_name(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
            "loket-2026-03-01.sqlite"
        );
    }
}
