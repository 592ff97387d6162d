//! The database an end-to-end test types into: a demo SQLite file in a temporary folder, or,
//! with `LOKET_TEST_STORE=postgres` (and `LOKET_TEST_PG` naming the server, as `.ci/test` sets
//! them for its second pass), a demo database of its own on the PostgreSQL test server. The
//! library-level tests get theirs from `common::demo_db`/`empty_db`, which copy a template
//! database on the server in that mode. Tests
//! hold `--db`'s argument as a path either way (a `postgres://` URL is one to loket) and reach
//! the store through [`connect`].

use std::path::{Path, PathBuf};

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

/// The server's URL when `db` names one.
fn server(db: &Path) -> Option<&str> {
    db.to_str().filter(|s| loket::db::sql::is_postgres(s))
}

/// A connection to `db`, a file or a server, for setting up and checking.
pub fn connect(db: &Path) -> Connection {
    match server(db) {
        Some(spec) => Connection::open_postgres(spec).expect("connect to the test database"),
        None => Connection::open_unchecked(db).unwrap(),
    }
}

/// The data folder loket uses for a server's local files (drafts, documents): one per test
/// database, under the system's temporary folder, so tests never touch the user's.
pub fn data_home(db: &Path) -> Option<PathBuf> {
    let spec = server(db)?;
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
