//! The database an end-to-end test types into: a demo SQLite file in a temporary folder, or,
//! with `LOKET_TEST_STORE=postgres` (and `LOKET_TEST_PG` naming the server, as `.ci/test` sets
//! them for its second pass), a demo database of its own on the PostgreSQL test server. The
//! library-level tests get theirs from `common::demo_db`/`empty_db`, which copy a template
//! database on the server in that mode. Tests
//! hold `--db`'s argument as a path either way (a `postgres://` URL is one to loket) and reach
//! the store through [`connect`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use loket::db::Connection;

use super::pg::PgDatabase;

/// A demo the binary built (`loket --db DB demo --residents 300 --seed 1`); dropped with it.
pub struct Demo {
    _dir: tempfile::TempDir,
    _pg: Option<PgDatabase>,
    data_home: Option<PathBuf>,
}

impl Drop for Demo {
    fn drop(&mut self) {
        if let Some(home) = &self.data_home {
            let _ = std::fs::remove_dir_all(home);
        }
    }
}

/// Whether this run types into PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("LOKET_TEST_STORE").is_ok_and(|s| s == "postgres")
}

/// A demo database, and `--db`'s argument for it.
pub fn demo(file_name: &str) -> (Demo, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let pg = on_postgres().then(|| {
        let url = std::env::var("LOKET_TEST_PG")
            .expect("LOKET_TEST_STORE=postgres needs LOKET_TEST_PG (eval \"$(.ci/pg start)\")");
        PgDatabase::create(&url)
    });
    let db = match &pg {
        Some(pg) => PathBuf::from(pg.spec()),
        None => dir.path().join(file_name),
    };
    super::binary_demo(&db);
    let data_home = data_home(&db);
    (
        Demo {
            _dir: dir,
            _pg: pg,
            data_home,
        },
        db,
    )
}

/// The server databases standing for the files tests asked for (`common::demo_db(&path)` and
/// friends on PostgreSQL): the file's path -> the server database's spec.
static STANDS_FOR: Mutex<BTreeMap<PathBuf, String>> = Mutex::new(BTreeMap::new());

/// Notes that the server database `spec` stands for the file `path` in this run.
pub(super) fn stands_for(path: &Path, spec: String) {
    STANDS_FOR
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(path.to_path_buf(), spec);
}

/// `--db`'s argument for the database a test made at `path`: the path itself on SQLite, the
/// server database standing for it on PostgreSQL (`path` unchanged when none does, so a test
/// handing loket a file it never made still gets "not found").
pub fn arg(path: &Path) -> PathBuf {
    STANDS_FOR
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(path)
        .map_or_else(|| path.to_path_buf(), PathBuf::from)
}

/// Where loket keeps the database a test made at `path`, as screens and workers are given it.
pub fn store_of(path: &Path) -> loket::db::Store {
    let arg = arg(path);
    match server(&arg) {
        Some(spec) => loket::db::Store::Server(spec.to_string()),
        None => loket::db::Store::File(arg),
    }
}

/// `db::open` of the database a test made at `path` (checked and migrated, as loket opens it),
/// on whichever store it lives.
pub fn open(path: &Path) -> Connection {
    store_of(path)
        .open()
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

/// A place for `loket init` (or `loket demo`) to make a new database: `path` on SQLite; on
/// PostgreSQL a new empty server database (dropped with the returned guard), noted as standing
/// for `path`, so `arg(path)` and `common::loket(&path, ..)` reach it.
pub fn fresh(path: &Path) -> Option<PgDatabase> {
    if !on_postgres() {
        return None;
    }
    let url = std::env::var("LOKET_TEST_PG")
        .expect("LOKET_TEST_STORE=postgres needs LOKET_TEST_PG (eval \"$(.ci/pg start)\")");
    let pg = PgDatabase::create(&url);
    stands_for(path, pg.spec());
    Some(pg)
}

/// True, with a note on stderr, when this run is on PostgreSQL and the calling test is about
/// SQLite's file itself (`why` says what, and where its PostgreSQL counterpart is): the test
/// returns at once there.
pub fn file_only(why: &str) -> bool {
    if on_postgres() {
        eprintln!("note: SQLite only ({why})");
    }
    on_postgres()
}

/// The server's URL when `db` names one.
fn server(db: &Path) -> Option<&str> {
    db.to_str().filter(|s| loket::db::sql::is_postgres(s))
}

/// A connection to `db`, a file or a server, for setting up and checking (unchecked: no
/// migration, no schema check). `db` is `--db`'s argument or a path a test made its database at.
pub fn connect(db: &Path) -> Connection {
    let db = arg(db);
    match server(&db) {
        Some(spec) => Connection::open_postgres(spec).expect("connect to the test database"),
        None => Connection::open_unchecked(&db).unwrap(),
    }
}

/// The data folder loket uses for a server's local files (drafts, documents): one per test
/// database, under the system's temporary folder, so tests never touch the user's.
pub fn data_home(db: &Path) -> Option<PathBuf> {
    let db = arg(db);
    let spec = server(&db)?;
    let name = loket::db::sql::PgTarget::parse(spec).ok()?.dbname;
    Some(std::env::temp_dir().join(format!("loket-e2e-{name}")))
}

/// Where a closed window's drafts for `db` are kept.
pub fn drafts_dir(db: &Path) -> PathBuf {
    match data_home(db) {
        Some(home) => home.join("loket").join("drafts"),
        None => db.parent().unwrap().join("drafts"),
    }
}

/// A copy of the database a test made at `from`, standing for `to` (a test trying one change
/// per copy): the file copied on SQLite; on PostgreSQL a new server database made from it
/// (`CREATE DATABASE .. TEMPLATE`), left for the throwaway cluster as `common::demo_db`'s are.
/// Nobody may be connected to `from` meanwhile: drop its connections first.
pub fn copy(from: &Path, to: &Path) {
    use std::sync::atomic::{AtomicU32, Ordering};
    let source = arg(from);
    let Some(spec) = server(&source) else {
        std::fs::copy(&source, to).unwrap();
        return;
    };
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let mut target = loket::db::sql::PgTarget::parse(spec).unwrap();
    let template = std::mem::take(&mut target.dbname);
    target.dbname = format!("{template}_c{}", COUNTER.fetch_add(1, Ordering::SeqCst));
    let url = std::env::var("LOKET_TEST_PG")
        .expect("LOKET_TEST_STORE=postgres needs LOKET_TEST_PG (eval \"$(.ci/pg start)\")");
    let admin = Connection::open_postgres(&url).unwrap();
    let create = format!("CREATE DATABASE {} TEMPLATE {template}", target.dbname);
    // The server may not yet have ended the session of a connection just dropped (a template
    // must have none): try again shortly.
    for attempt in 0.. {
        match admin.execute_batch(&create) {
            Ok(()) => break,
            Err(_) if attempt < 50 => std::thread::sleep(std::time::Duration::from_millis(100)),
            Err(e) => panic!("copying {template}: {e}"),
        }
    }
    stands_for(to, target.to_string());
}

/// `loket backup`'s work for the database a test made at `path`, by `actor`, into the new file
/// `dest`: SQLite's online copy of the file (`backup::backup_now`), or on a server pg_dump's
/// archive (`backup::dump_server`), each refused the same way (permission, an existing file).
pub fn backup(
    path: &Path,
    conn: &Connection,
    actor: &loket::domain::access::Actor,
    dest: &Path,
) -> Result<(), loket::db::backup::BackupError> {
    use loket::db::backup;
    match store_of(path) {
        loket::db::Store::File(_) => backup::backup_now(conn, actor, dest),
        loket::db::Store::Server(spec) => {
            let target = loket::db::sql::PgTarget::parse(&spec).expect("the test server's spec");
            backup::dump_server(conn, &target, actor, dest)
        }
    }
}

/// How a test sees that an import holds the database it made at a path against other writers
/// (a bulk load from its start to its commit): on SQLite the load's rollback journal beside
/// the file; on PostgreSQL, which has no such file, a session holding `resident` in the mode
/// the import locks it in (`SHARE ROW EXCLUSIVE`, `import::store::lock_residents`).
pub enum ImportHold {
    Journal(PathBuf),
    Server(Connection),
}

impl ImportHold {
    pub fn of(path: &Path) -> ImportHold {
        match on_postgres() {
            true => ImportHold::Server(connect(path)),
            false => ImportHold::Journal(path.with_extension("sqlite-journal")),
        }
    }

    pub fn held(&self) -> bool {
        match self {
            ImportHold::Journal(journal) => journal.exists(),
            ImportHold::Server(conn) => {
                super::count(
                    conn,
                    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                     WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                       AND c.relname = 'resident' AND l.mode = 'ShareRowExclusiveLock' AND l.granted",
                ) > 0
            }
        }
    }
}
