//! Cadangan (backups), pemulihan (restore) and the health check. Backups use SQLite's online
//! backup API, so clerks keep working while one is taken; a restore checks the file before it
//! replaces anything (`health`), keeps a safety copy of the database it replaces and copies the
//! backup into the live database through the same API (`restore`), so every open loket sees it.
//! Backups hold NIKs (UU 27/2022): owner-only files in an owner-only folder. Never replaces the
//! database with a file it has not checked; never leaves a half-written file behind for long.

mod dump;
mod health;
mod restore;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::NaiveDate;
use rusqlite::backup::{Backup, StepResult};
use serde_json::json;
use thiserror::Error;

use super::{Connection, DbError, NotLoket, audit, restrict_permissions, settings};

/// SQLite's own connection: backups copy its pages.
type Lite = rusqlite::Connection;
use crate::domain::access::{AccessDenied, Actor, Permission};

pub use super::LOKET_TABLES;
pub use dump::dump_server;
pub use health::{Change, CheckReport, SchemaDifference, check, schema_differences, verify};
pub use restore::{By, Restored, replace, restore};

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
    #[error("{} is not a loket database: {why:?}", .path.display())]
    NotLoket { path: PathBuf, why: NotLoket },
    #[error("{} has schema {found}, newer than {supported}", .path.display())]
    TooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    /// The file's tables, indexes or triggers are not those loket writes at its version.
    #[error("{} differs from loket's schema {version}: {differences:?}", .path.display())]
    SchemaDiffers {
        path: PathBuf,
        version: u32,
        differences: Vec<SchemaDifference>,
    },
    /// An audit row was changed, removed or slipped in outside loket.
    #[error("the audit trail of {} breaks at audit_log {id}", .path.display())]
    AuditChainBroken { path: PathBuf, id: i64 },
    #[error("the database is in use by another process")]
    InUse,
    /// The database is on a PostgreSQL server: its pages are the server's to copy.
    #[error("the database is on a PostgreSQL server; back it up with pg_dump")]
    OnServer,
    /// The database is on a server and this computer has no `pg_dump` to back it up with.
    #[error("pg_dump is not installed")]
    NoPgDump,
    /// pg_dump ran and failed; what it said.
    #[error("pg_dump failed: {0}")]
    DumpFailed(String),
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

impl From<super::sql::Error> for BackupError {
    fn from(e: super::sql::Error) -> Self {
        BackupError::Db(e.into())
    }
}

/// The SQLite file behind `conn`, or [`BackupError::OnServer`].
fn sqlite(conn: &Connection) -> Result<&Lite, BackupError> {
    conn.as_sqlite().ok_or(BackupError::OnServer)
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
/// and the copy is the database as of the moment the step began. Partial files that killed runs
/// left beside `dest` go first.
pub fn backup_to(conn: &Connection, dest: &Path) -> Result<(), BackupError> {
    copy_to(sqlite(conn)?, dest)
}

/// [`backup_to`] from SQLite's own connection.
pub(crate) fn copy_to(conn: &Lite, dest: &Path) -> Result<(), BackupError> {
    if dest.exists() {
        return Err(DbError::AlreadyExists(dest.to_path_buf()).into());
    }
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
        if let Some(name) = dest.file_name().and_then(|n| n.to_str()) {
            remove_stale_partials(dir, &format!("{name}.partial-"));
        }
    }
    let partial = partial_path(dest, "");
    remove_with_sides(&partial);
    let result = copy_into_new(conn, &partial);
    if let Err(e) = result {
        remove_with_sides(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, dest).map_err(|e| io(dest, e))?;
    Ok(())
}

/// Copies every page of `conn`'s database into a new self-contained file at `path`, created
/// owner-only before a byte is written.
pub(crate) fn copy_into_new(conn: &Lite, path: &Path) -> Result<(), BackupError> {
    create_private_file(path)?;
    let mut dst = Lite::open(path)?;
    copy_pages(conn, &mut dst)?;
    // The copy carries the source's WAL flag; a backup is one self-contained file.
    let _: String = dst.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    dst.close().map_err(|(_, e)| BackupError::from(e))?;
    Ok(())
}

/// Every page of `src` into `dst` in one step, under `dst`'s write lock: other connections to
/// `dst` see all of it at their next read, or none. A lock held elsewhere is waited for as
/// `busy_timeout` would, then the copy gives up with [`DbError::Locked`].
pub(crate) fn copy_pages(src: &Lite, dst: &mut Lite) -> Result<(), BackupError> {
    let backup = Backup::new(src, dst)?;
    let mut waits = 0;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
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

/// `<path>.<what>.partial-<pid>` (or `<path>.partial-<pid>`): a file this process is writing.
/// [`remove_stale_partials`] knows the pattern.
pub(crate) fn partial_path(path: &Path, what: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    if !what.is_empty() {
        name.push(format!(".{what}"));
    }
    name.push(format!(".partial-{}", std::process::id()));
    path.with_file_name(name)
}

/// Removes `path` and the -wal, -shm and -journal SQLite may have left beside it.
pub(crate) fn remove_with_sides(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

/// A partial file older than this is stale even if its process id is in use (ids are reused).
const PARTIAL_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// Removes, in `dir`, the partial files (`<prefix>...partial-<pid>`, with their -wal/-shm/-journal)
/// of runs that were killed: their process is gone, or they are older than a day. A run still
/// going keeps its file. Returns what it removed. Only names loket gives are touched.
pub fn remove_stale_partials(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(pid) = partial_pid(name).filter(|_| name.starts_with(prefix)) else {
            continue;
        };
        let age = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .unwrap_or_default();
        if (!process_alive(pid) || age > PARTIAL_MAX_AGE)
            && std::fs::remove_file(entry.path()).is_ok()
        {
            removed.push(entry.path());
        }
    }
    removed
}

/// The process id in a partial file's name: `....partial-<pid>`, maybe with -wal, -shm or
/// -journal after it.
fn partial_pid(name: &str) -> Option<u32> {
    let base = ["-wal", "-shm", "-journal"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name);
    let (_, pid) = base.rsplit_once(".partial-")?;
    pid.bytes().all(|b| b.is_ascii_digit()).then_some(())?;
    pid.parse().ok()
}

/// Whether process `pid` exists. Known where /proc shows processes (Linux); elsewhere every
/// process counts as alive, and only the age rule removes a partial file.
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    pid == std::process::id() || proc.join(pid.to_string()).exists()
}

/// Removes what killed backups and restores left beside the database at `db_path` and in its
/// backups folder.
pub fn remove_stale_files(db_path: &Path) -> Vec<PathBuf> {
    let mut removed = remove_stale_partials(&backup_dir(db_path), "");
    if let (Some(dir), Some(name)) = (
        db_path.parent(),
        db_path.file_name().and_then(|n| n.to_str()),
    ) {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        removed.extend(remove_stale_partials(dir, &format!("{name}.")));
    }
    removed
}

/// Creates `dir` (and its parents) owner-only where it is missing; backups hold NIKs.
pub(crate) fn create_private_dir(dir: &Path) -> Result<(), BackupError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| io(dir, e))
}

/// Creates the empty file `path`, owner-only from its first byte (not after: a copy of a large
/// database takes seconds, readable by others meanwhile under a loose umask).
pub(crate) fn create_private_file(path: &Path) -> Result<(), BackupError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(|e| io(path, e))?;
    restrict_permissions(path);
    Ok(())
}

/// The backups folder of the database at `db_path`, made owner-only (0700): created so when
/// missing, tightened (with the files in it) when group or others may read it. Returns the
/// folder when it had to be tightened, for the caller to say so.
pub fn secure_backup_dir(db_path: &Path) -> Result<Option<PathBuf>, BackupError> {
    let dir = backup_dir(db_path);
    create_private_dir(&dir)?;
    if !super::owner_only(&dir, 0o700) {
        return Ok(None);
    }
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.filter_map(Result::ok) {
            if entry.file_type().is_ok_and(|t| t.is_file()) {
                super::owner_only(&entry.path(), 0o600);
            }
        }
    }
    Ok(Some(dir))
}

/// `loket backup`: a backup on behalf of `actor` (supervisors), recorded in the audit trail
/// before the copy, so the backup itself shows who took it.
pub fn backup_now(conn: &Connection, actor: &Actor, dest: &Path) -> Result<(), BackupError> {
    actor.require(Permission::Backup)?;
    sqlite(conn)?;
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
    // A server's database is backed up on the server (pg_dump), not by each counter.
    if conn.as_sqlite().is_none() {
        return Ok(None);
    }
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
