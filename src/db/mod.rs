//! The SQLite database: opening, migrating, and the queries of each part of the desk.
//! Knows the domain, never the terminal. Every multi-step change runs in one transaction.

pub mod attendance;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod board;
pub mod codes;
pub mod cohorts;
pub mod coverage;
pub mod dashboard;
pub mod demo;
pub mod drafts;
pub mod enrollment;
pub mod error;
pub mod export;
pub mod holidays;
pub mod import;
pub mod office_move;
pub mod operators;
pub mod pg_schema;
pub mod print;
pub mod reference;
pub mod reference_admin;
pub mod residents;
pub mod sample;
pub mod settings;
pub mod sql;
mod store;
pub mod xlsx;

pub use store::Store;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::OpenFlags;

pub use codes::{CodeKind, UnknownCode};
pub use error::{Constraint, DbError, Missing, NotLoket};
pub use sql::{Connection, Transaction};

/// SQLite's own connection, for the opening, migration and pragma work below.
type Lite = rusqlite::Connection;

/// Schema migrations, applied in order; the database's `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../../assets/migrations/0001_init.sql"),
    include_str!("../../assets/migrations/0002_resident_nik_index.sql"),
    include_str!("../../assets/migrations/0003_drop_resident_village_index.sql"),
    include_str!("../../assets/migrations/0004_marker_and_audit_chain.sql"),
    include_str!("../../assets/migrations/0005_outcomes_and_coverage.sql"),
    include_str!("../../assets/migrations/0006_resident_search_filters.sql"),
    include_str!("../../assets/migrations/0007_counters.sql"),
    include_str!("../../assets/migrations/0008_postgres_narrowed_words.sql"),
];

/// The schema version this build of loket writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// loket's mark in the SQLite header (`PRAGMA application_id`, "LOKT"), set by migration 4.
pub const APPLICATION_ID: i32 = 0x4C4F_4B54;

/// The first schema that carries [`APPLICATION_ID`]; older loket databases are known by their
/// tables.
const MARKED_FROM: u32 = 4;

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

/// How long a writer waits for another process's lock before telling the clerk.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens an existing loket database read-write, refusing a missing file, a file that is not
/// loket's (before anything is written to it) or a newer schema, and brings an older schema up
/// to date. The first read rolls back what a killed writer left (a hot journal), as SQLite does.
pub fn open(path: &Path) -> Result<Connection, DbError> {
    open_noting(path).map(|(conn, _)| conn)
}

/// [`open`], also telling which files it tightened to owner-only (issue 14.17), for the caller
/// to say so once.
pub fn open_noting(path: &Path) -> Result<(Connection, Vec<PathBuf>), DbError> {
    open_sqlite(path).map(|(conn, tightened)| (conn.into(), tightened))
}

/// [`open_noting`] as SQLite's own connection, for the work only SQLite has (restore).
pub(crate) fn open_sqlite(path: &Path) -> Result<(Lite, Vec<PathBuf>), DbError> {
    if !path.exists() {
        return Err(DbError::NotFound(path.to_path_buf()));
    }
    // NO_MUTEX as rusqlite's own default: a Connection is never used by two threads at once
    // (it is not Sync), so SQLite's per-call mutex only cost time (1.3 s of a 3-million-row
    // import).
    let conn = Lite::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    identify(&conn, path)?;
    let tightened = tighten_permissions(path);
    configure(&conn)?;
    migrate(&conn)?;
    Ok((conn, tightened))
}

/// Opens loket's database on a PostgreSQL server (`postgres://...` or libpq's `key=value`; the
/// password from PGPASSWORD or ~/.pgpass): refuses a database without loket's schema (`init`
/// makes it) or with a newer one.
pub fn open_server(spec: &str) -> Result<Connection, DbError> {
    let conn = Connection::open_postgres(spec)?;
    match pg_schema::version(&conn)? {
        None => Err(DbError::ServerEmpty(
            sql::PgTarget::parse(spec)?.to_string(),
        )),
        Some(_) => {
            pg_schema::migrate(&conn)?;
            Ok(conn)
        }
    }
}

/// Puts loket's schema and reference data (regions, holidays, courses, settings, the built-in
/// admin) on an empty PostgreSQL database; refuses one that has loket's schema already.
pub fn create_on_server(spec: &str) -> Result<Connection, DbError> {
    let conn = Connection::open_postgres(spec)?;
    if pg_schema::version(&conn)?.is_some() {
        return Err(DbError::ServerNotEmpty(
            sql::PgTarget::parse(spec)?.to_string(),
        ));
    }
    pg_schema::migrate(&conn)?;
    load_reference(&conn)?;
    Ok(conn)
}

/// Refuses a file that is not a loket database, reading only: loket's mark in the header, or,
/// for a database from before the mark, loket's tables and a schema version.
pub fn identify(conn: &Lite, path: &Path) -> Result<(), DbError> {
    let not_loket = |why| DbError::NotLoket {
        path: path.to_path_buf(),
        why,
    };
    let application_id: i32 = match conn.query_row("PRAGMA application_id", [], |r| r.get(0)) {
        Ok(id) => id,
        Err(rusqlite::Error::SqliteFailure(f, _))
            if f.code == rusqlite::ffi::ErrorCode::NotADatabase =>
        {
            return Err(not_loket(NotLoket::NotSqlite));
        }
        Err(e) => return Err(e.into()),
    };
    if application_id == APPLICATION_ID {
        return Ok(());
    }
    if application_id != 0 {
        return Err(not_loket(NotLoket::OtherApplication(application_id)));
    }
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    if objects == 0 {
        return Err(not_loket(NotLoket::Empty));
    }
    let mut missing = Vec::new();
    for table in LOKET_TABLES {
        let found: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get(0),
        )?;
        if found == 0 {
            missing.push(table.to_string());
        }
    }
    if !missing.is_empty() {
        return Err(not_loket(NotLoket::MissingTables(missing)));
    }
    match user_version(conn)? {
        1..MARKED_FROM => Ok(()),
        _ => Err(not_loket(NotLoket::NoMarker)),
    }
}

/// Whether opening this database will first update its schema: a one-time wait of about a
/// minute per 3 million residents, which the caller should announce.
pub fn schema_update_pending(path: &Path) -> bool {
    Lite::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .ok()
        .filter(|c| identify(c, path).is_ok())
        .and_then(|c| user_version(&c).ok())
        .is_some_and(|v| v < SCHEMA_VERSION)
}

/// Opens a second, read-only connection (search worker, reports). The schema must be current.
pub fn open_read_only(path: &Path) -> Result<Connection, DbError> {
    let conn = Lite::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let version = user_version(&conn)?;
    if version != SCHEMA_VERSION {
        return Err(DbError::SchemaMismatch {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(conn.into())
}

/// Creates a new database with the schema and the reference data (regions, holidays, courses,
/// settings, the built-in operators). Refuses to touch a file that already exists.
pub fn create(path: &Path) -> Result<Connection, DbError> {
    if path.exists() {
        return Err(DbError::AlreadyExists(path.to_path_buf()));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| DbError::Io(dir.to_path_buf(), e.to_string()))?;
    }
    let conn = Lite::open(path)?;
    restrict_permissions(path);
    initialise(conn)
}

/// Opens an in-memory database with the full schema and reference data (tests, benchmarks).
pub fn create_in_memory() -> Result<Connection, DbError> {
    initialise(Lite::open_in_memory()?)
}

/// Schema, reference data, default settings and the built-in admin, in one transaction.
fn initialise(conn: Lite) -> Result<Connection, DbError> {
    configure(&conn)?;
    migrate(&conn)?;
    let conn = Connection::from(conn);
    load_reference(&conn)?;
    Ok(conn)
}

/// The reference data, default settings and the built-in admin, in one transaction.
fn load_reference(conn: &Connection) -> Result<(), DbError> {
    let tx = conn.transaction()?;
    reference::load_all(&tx)?;
    settings::insert_defaults(&tx)?;
    operators::ensure_builtin_admin(&tx)?;
    tx.commit()?;
    Ok(())
}

/// Pragmas belong to the connection, not to a migration.
fn configure(conn: &Lite) -> Result<(), DbError> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // WAL lets the search worker read while a clerk saves; NORMAL is durable at each checkpoint
    // and never corrupts on a killed process.
    match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
        Ok(_) => conn.pragma_update(None, "synchronous", "NORMAL")?,
        // A bulk import holds the database under a rollback journal (`import::store`). Leaving
        // it needs a write lock that SQLite will not wait for (it already holds a read lock),
        // so this open would fail at once. It goes on in the rollback journal instead, where
        // its writes wait for the load like any writer, within the busy timeout; the load puts
        // WAL back when it ends and this connection follows the file into WAL. FULL is the
        // durable setting under a rollback journal, and is durable under WAL too.
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => {
            conn.pragma_update(None, "synchronous", "FULL")?
        }
        Err(e) => return Err(e.into()),
    }
    check_fts5(conn)?;
    Ok(())
}

fn check_fts5(conn: &Lite) -> Result<(), DbError> {
    let mut stmt = conn.prepare("PRAGMA compile_options")?;
    let has = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .filter_map(Result::ok)
        .any(|o| o == "ENABLE_FTS5");
    if has { Ok(()) } else { Err(DbError::NoFts5) }
}

fn user_version(conn: &Lite) -> Result<u32, DbError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get::<_, u32>(0))?)
}

/// Applies the migrations this database lacks, each in its own transaction with its version bump.
fn migrate(conn: &Lite) -> Result<(), DbError> {
    let found = user_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(DbError::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    // A migration may rebuild a table that others reference (SQLite's documented procedure):
    // foreign keys are off meanwhile and checked before each migration commits.
    let _restore = SavedPragmas::save(conn, &["foreign_keys"])?;
    conn.pragma_update(None, "foreign_keys", false)?;
    audit::register_chain_function(conn)?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Deferred)?;
        tx.execute_batch(sql)?;
        let dangling: i64 =
            tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if dangling > 0 {
            return Err(DbError::MigrationBroke {
                version: index as u32 + 1,
                dangling,
            });
        }
        tx.pragma_update(None, "user_version", index as u32 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// A database in memory holding exactly the schema loket writes at `version` (its tables,
/// indexes and triggers, no rows): what a database of that version must look like.
pub(crate) fn schema_at(version: u32) -> Result<Lite, DbError> {
    let conn = Lite::open_in_memory()?;
    audit::register_chain_function(&conn)?;
    for sql in MIGRATIONS.iter().take(version as usize) {
        conn.execute_batch(sql)?;
    }
    Ok(conn)
}

/// Connection settings (integer pragmas) put back as they were when the guard is dropped, however
/// the work between ends. Drop it after the transactions it covers: `foreign_keys`, for one,
/// cannot change inside a transaction.
pub(crate) struct SavedPragmas<'c> {
    conn: &'c Lite,
    saved: Vec<(&'static str, i64)>,
}

impl<'c> SavedPragmas<'c> {
    pub(crate) fn save(
        conn: &'c Lite,
        pragmas: &[&'static str],
    ) -> Result<SavedPragmas<'c>, DbError> {
        let saved = pragmas
            .iter()
            .map(|p| {
                Ok((
                    *p,
                    conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get(0))?,
                ))
            })
            .collect::<Result<_, DbError>>()?;
        Ok(SavedPragmas { conn, saved })
    }
}

impl Drop for SavedPragmas<'_> {
    fn drop(&mut self) {
        for (pragma, value) in &self.saved {
            let _ = self.conn.pragma_update(None, pragma, value);
        }
    }
}

/// A transaction that takes the write lock at once (BEGIN IMMEDIATE): rules that read, then
/// write (seats left, waitlist positions, status changes) cannot be passed by two processes at
/// the same time, and a busy database answers within the busy timeout instead of failing late.
pub fn immediate(conn: &Connection) -> Result<Transaction<'_>, DbError> {
    Ok(conn.immediate_transaction()?)
}

/// Locks the rows a read-then-write rule depends on, in loket's one order (the resident, then
/// the cohort), so two counters changing the same cohort's seats wait for each other instead of
/// both reading the same count, and no two transactions wait for each other in a circle. On
/// PostgreSQL these are `SELECT ... FOR UPDATE` row locks, held to the transaction's end; on
/// SQLite the immediate transaction holds the whole database already.
pub(crate) fn lock_rows(
    tx: &Connection,
    resident: Option<i64>,
    cohort: Option<i64>,
) -> Result<(), DbError> {
    if tx.dialect() == sql::Dialect::Sqlite {
        return Ok(());
    }
    if let Some(id) = resident {
        tx.prepare_cached("SELECT 1 FROM resident WHERE id = ?1 FOR UPDATE")?
            .execute([id])?;
    }
    if let Some(id) = cohort {
        tx.prepare_cached("SELECT 1 FROM cohort WHERE id = ?1 FOR UPDATE")?
            .execute([id])?;
    }
    Ok(())
}

/// What the database has been through, as seen from one connection: it differs from an earlier
/// stamp of the same connection when anything was committed since, through this connection
/// (`total_changes`) or another one, such as an import's (`PRAGMA data_version`). A screen that
/// shows a query's answer compares stamps to know whether to ask again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataStamp {
    others: i64,
    own: u64,
}

pub fn data_stamp(conn: &Connection) -> Result<DataStamp, DbError> {
    match conn.as_sqlite() {
        Some(lite) => Ok(DataStamp {
            others: lite.query_row("PRAGMA data_version", [], |r| r.get(0))?,
            own: lite.total_changes(),
        }),
        // The next transaction id the server will hand out: it moves whenever any counter
        // writes anything (a coarser stamp than SQLite's, never a stale one).
        None => Ok(DataStamp {
            others: conn.query_row(
                "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint",
                [],
                |r| r.get(0),
            )?,
            own: 0,
        }),
    }
}

/// The database and its backups hold NIKs (UU 27/2022): readable by their owner only.
pub fn restrict_permissions(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Tightens the database and the files SQLite keeps beside it (-wal, -shm, -journal) to
/// owner-only where group or others could read them (issue 14.17: a file copied in, or made
/// under a loose umask by an older loket); returns the files it changed. SQLite gives new -wal
/// and -shm files the database's own mode.
pub fn tighten_permissions(path: &Path) -> Vec<PathBuf> {
    let mut changed = Vec::new();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        let file = PathBuf::from(name);
        if owner_only(&file, 0o600) {
            changed.push(file);
        }
    }
    changed
}

/// Sets `mode` on `path` when group or others hold any permission on it; true when it did.
pub(crate) fn owner_only(path: &Path, mode: u32) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let loose = std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0);
        loose && std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).is_ok()
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        false
    }
}

/// The default database: `<platform data dir>/loket.sqlite`.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("id", "loket", "loket")
        .map(|d| d.data_dir().join("loket.sqlite"))
}

/// Today's date in the office (local time).
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Current local time as stored in `*_at` columns: `YYYY-MM-DD HH:MM:SS`.
pub fn now_text() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}
