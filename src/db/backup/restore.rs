//! Pemulihan: replacing the live database with a checked one (a backup, or a new demo) while
//! other lokets may have it open. The file is never renamed under open connections (they would
//! go on writing to the replaced file, issue 14.2): the checked copy is brought to this build's
//! schema beside the database, then copied INTO the live database through SQLite's backup API
//! under the database's own write lock, so every open loket reads the restored data at its next
//! query and whatever it writes afterwards lands in it. A safety copy of the replaced database
//! is taken first, while a write lock keeps anyone from committing between that copy and the
//! replacement. Restores are for admins (issue 14.15).

use std::path::{Path, PathBuf};

use rusqlite::TransactionBehavior;

use crate::db::Connection;

/// SQLite's own connection: a restore copies pages.
type Lite = rusqlite::Connection;
use serde::Serialize;
use serde_json::json;

use super::{
    BackupError, backup_dir, copy_pages, copy_to, create_private_file, health::verify, io,
    partial_path, remove_with_sides,
};
use crate::db::{self, DbError, audit, operators, restrict_permissions};
use crate::domain::access::{Actor, Permission};

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Restored {
    /// The copy of the database as it was before the restore (none when there was no database).
    pub safety_backup: Option<PathBuf>,
    pub schema_version: u32,
}

/// Who replaces the database, as its audit trail will say.
#[derive(Debug, Clone, Copy)]
pub enum By<'a> {
    /// A logged-in operator.
    Operator(&'a Actor),
    /// A name no password vouched for (`loket demo --force` over a demo database).
    Unverified(&'a str),
}

/// Replaces the database at `db_path` with the backup `source` on behalf of `actor` (admins).
/// The source is checked where it lies (a damaged or edited file is never copied anywhere),
/// copied beside the database and checked again there (what is checked is what moves in), then
/// [`replace`]s the database. Any failure leaves the database as it was.
pub fn restore(db_path: &Path, actor: &Actor, source: &Path) -> Result<Restored, BackupError> {
    actor.require(Permission::Restore)?;
    verify(source)?;
    let staged = partial_path(db_path, "restore");
    remove_with_sides(&staged);
    let result = std::fs::copy(source, &staged)
        .map_err(|e| io(&staged, e))
        .and_then(|_| {
            restrict_permissions(&staged);
            verify(&staged)
        })
        .and_then(|schema_version| {
            let safety_backup = replace(
                db_path,
                By::Operator(actor),
                &staged,
                &source.display().to_string(),
                "restore",
            )?;
            Ok(Restored {
                safety_backup,
                schema_version,
            })
        });
    remove_with_sides(&staged);
    result
}

/// Replaces the database at `db_path` with the checked loket database at `staged` (which is
/// brought to this build's schema and gets the audit row of the replacement): a safety copy
/// `<backups>/loket-before-<reason>-<time>.sqlite` first, then every page of `staged` into the
/// live database. Returns the safety copy (none when there was no database yet). The caller
/// removes `staged`.
pub fn replace(
    db_path: &Path,
    by: By<'_>,
    staged: &Path,
    source: &str,
    reason: &str,
) -> Result<Option<PathBuf>, BackupError> {
    let incoming = Connection::from(db::open_sqlite(staged)?.0);
    let Some(incoming_pages) = incoming.as_sqlite() else {
        return Err(BackupError::OnServer);
    };
    if !db_path.exists() {
        record(&incoming, by, source, None)?;
        create_private_file(db_path)?;
        let mut live = Lite::open(db_path)?;
        copy_pages(incoming_pages, &mut live)?;
        let _: String = live.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        return Ok(None);
    }
    let mut live = db::open_sqlite(db_path)?.0;
    same_page_size(incoming_pages, &live)?;
    let safety = {
        // Another connection's write lock: nobody commits between the safety copy and the
        // replacement (a lock the live connection held itself would stop the backup API).
        let guard = Lite::open(db_path)?;
        guard.busy_timeout(db::BUSY_TIMEOUT)?;
        let _lock = rusqlite::Transaction::new_unchecked(&guard, TransactionBehavior::Immediate)
            .map_err(|e| match DbError::from(e) {
                DbError::Locked => BackupError::InUse,
                other => BackupError::Db(other),
            })?;
        let safety = safety_copy(&live, db_path, reason)?;
        record(&incoming, by, source, Some(&safety))?;
        safety
    };
    copy_pages(incoming_pages, &mut live).map_err(|e| match e {
        BackupError::Db(DbError::Locked) => BackupError::InUse,
        other => other,
    })?;
    Ok(Some(safety))
}

/// The row that says who replaced the database, written into the incoming one so the replaced
/// database tells it from its first read. Its operator table may not know them.
fn record(
    incoming: &Connection,
    by: By<'_>,
    source: &str,
    safety: Option<&Path>,
) -> Result<(), BackupError> {
    let after = json!({
        "source": source,
        "safety_backup": safety.map(|p| p.display().to_string()),
    });
    let name = match by {
        By::Operator(actor) => match operators::actor_by_name(incoming, &actor.name) {
            Ok(known) => {
                return Ok(audit::record(
                    incoming,
                    &known,
                    audit::Action::Restore,
                    audit::Entity::Database,
                    "",
                    None::<&()>,
                    Some(&after),
                )?);
            }
            Err(_) => actor.name.as_str(),
        },
        By::Unverified(name) => name,
    };
    audit::record_unverified(
        incoming,
        name,
        audit::Action::Restore,
        audit::Entity::Database,
        "",
        after,
    )?;
    Ok(())
}

/// The backup API copies into a WAL database only between equal page sizes: the incoming copy
/// (ours alone, beside the database) is rebuilt at the live page size when they differ.
fn same_page_size(incoming: &Lite, live: &Lite) -> Result<(), BackupError> {
    let size = |c: &Lite| c.query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0));
    let wanted = size(live)?;
    if size(incoming)? == wanted {
        return Ok(());
    }
    let _: String = incoming.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    incoming.pragma_update(None, "page_size", wanted)?;
    incoming.execute_batch("VACUUM")?;
    let _: String = incoming.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    Ok(())
}

/// How many safety copies one second may hold.
const SAME_SECOND: u32 = 1000;

/// A safety copy of the live database under a name no other has: the time to the second, and a
/// counter after it when that name is taken (two restores in one second, issue 14.22).
fn safety_copy(live: &Lite, db_path: &Path, reason: &str) -> Result<PathBuf, BackupError> {
    let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
    let dir = backup_dir(db_path);
    for n in 1..=SAME_SECOND {
        let name = match n {
            1 => format!("loket-before-{reason}-{stamp}.sqlite"),
            n => format!("loket-before-{reason}-{stamp}-{n}.sqlite"),
        };
        match copy_to(live, &dir.join(&name)) {
            Err(BackupError::Db(DbError::AlreadyExists(_))) => continue,
            done => return done.map(|()| dir.join(name)),
        }
    }
    Err(DbError::AlreadyExists(dir.join(format!("loket-before-{reason}-{stamp}.sqlite"))).into())
}
