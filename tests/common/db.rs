//! Template databases: each kind (the empty production database, a demo for given options) is
//! built once per test run and copied into each test's own file. Building one loads 83,762
//! villages; copying it is one file copy.
//!
//! Test binaries run one after another and their tests on many threads, and two `cargo test`
//! may run at once: a template is looked up once per process (a `OnceLock` per kind), found on
//! disk under `target/tmp/loket-templates/` or built in a private scratch directory and renamed
//! into place, which is atomic, so nobody ever copies half a template. Its name carries the
//! schema version, a hash of the sources that make it (`src/`, `assets/`, `Cargo.lock`) and the
//! date (the rows carry the time they were made), so a stale template is never used.
//! A template is one self-contained file in rollback-journal mode (its WAL folded in, no `-wal`
//! or `-shm` beside it); `db::open` puts each copy back in WAL mode, as `db::create` leaves it.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use loket::db::Connection;
use loket::db::{self, demo, demo::DemoOptions};
use rusqlite::OpenFlags;

/// What `db::create(path)` makes, copied from the template and opened with `db::open`. With
/// `LOKET_TEST_STORE=postgres`, a copy of the same on the test server instead (`path` unused).
pub fn empty_db(path: &Path) -> Connection {
    if super::store::on_postgres() {
        return on_server(Kind::Empty, path);
    }
    copy_of(&template(Kind::Empty), path)
}

/// What `db::create(path)` and then `demo::populate(conn, opts)` make, copied from the template
/// (on the test server with `LOKET_TEST_STORE=postgres`).
pub fn demo_db(path: &Path, opts: DemoOptions) -> Connection {
    if super::store::on_postgres() {
        return on_server(Kind::Demo(opts), path);
    }
    copy_of(&template(Kind::Demo(opts)), path)
}

/// `empty_db` on SQLite whatever the run's store: the SQLite side of a test comparing stores.
pub fn sqlite_empty_db(path: &Path) -> Connection {
    copy_of(&template(Kind::Empty), path)
}

/// `demo_db` on SQLite whatever the run's store: the SQLite side of a test comparing stores.
pub fn sqlite_demo_db(path: &Path, opts: DemoOptions) -> Connection {
    copy_of(&template(Kind::Demo(opts)), path)
}

/// A new database on the test server made from the template database of `kind` (built once
/// per build and day, under an advisory lock, by whichever test process comes first), standing
/// for the file `path` would have been (`store::arg(path)` names it). The copies are left for
/// the throwaway cluster to take with it (`.ci/pg stop`).
fn on_server(kind: Kind, path: &Path) -> Connection {
    use std::sync::atomic::{AtomicU32, Ordering};
    let url = std::env::var("LOKET_TEST_PG")
        .expect("LOKET_TEST_STORE=postgres needs LOKET_TEST_PG (eval \"$(.ci/pg start)\")");
    let server = loket::db::sql::PgTarget::parse(&url).unwrap();
    let spec = |name: &str| {
        let mut target = server.clone();
        target.dbname = name.to_string();
        target.to_string()
    };
    let admin = Connection::open_postgres(&url).unwrap();
    let key = hash_of(&format!("{}-{}", kind.name(), stamp())) as i64;
    let template = format!("loket_tpl_{:016x}", key as u64);
    // Another process may be building the template for longer than loket's lock wait.
    admin.execute_batch("SET lock_timeout = 0").unwrap();
    admin
        .query_row("SELECT pg_advisory_lock(?1)::text", [key], |_| Ok(()))
        .unwrap();
    let exists: i64 = admin
        .query_row(
            "SELECT count(*) FROM pg_database WHERE datname = ?1",
            [&template],
            |r| r.get(0),
        )
        .unwrap();
    if exists == 0 {
        let building = format!("{template}_building");
        for sql in [
            format!("DROP DATABASE IF EXISTS {building}"),
            format!("CREATE DATABASE {building}"),
        ] {
            admin.execute_batch(&sql).unwrap();
        }
        {
            let mut conn = db::create_on_server(&spec(&building)).unwrap();
            if let Kind::Demo(opts) = kind {
                demo::populate(&mut conn, opts).unwrap();
            }
        }
        admin
            .execute_batch(&format!("ALTER DATABASE {building} RENAME TO {template}"))
            .unwrap();
    }
    admin
        .query_row("SELECT pg_advisory_unlock(?1)::text", [key], |_| Ok(()))
        .unwrap();
    static SWEPT: OnceLock<()> = OnceLock::new();
    // Process ids say whether a run has ended only on this machine's own server.
    if ["127.0.0.1", "localhost", "::1"].contains(&server.host.as_str()) {
        SWEPT.get_or_init(|| drop_copies_of_finished_runs(&admin));
    }
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "loket_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    );
    // Another test copying the template at the same moment makes the server refuse (a template
    // must have no other session): try again shortly.
    for attempt in 0.. {
        match admin.execute_batch(&format!("CREATE DATABASE {name} TEMPLATE {template}")) {
            Ok(()) => break,
            Err(e) if attempt < 50 => {
                let _ = e;
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => panic!("copying {template}: {e}"),
        }
    }
    super::store::stands_for(path, spec(&name));
    db::open_server(&spec(&name)).unwrap()
}

/// Drops the copies made by test processes that have ended (their names carry the process id),
/// once per process: a whole suite on the server would otherwise leave hundreds of them, 20 MB
/// each, until the cluster is stopped.
fn drop_copies_of_finished_runs(admin: &Connection) {
    let names: Vec<String> = admin
        .prepare("SELECT datname FROM pg_database WHERE datname LIKE 'loket\\_test\\_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for name in names {
        let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
        let running = pid.is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
        if !running {
            // Another process may be sweeping the same copy: its error is no failure here.
            let _ = admin.execute_batch(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// The demo with 300 residents (seed 1) on `today`, closed, in its own directory: a file for
/// the binary or for a test that opens it its own way.
pub fn demo_file(today: chrono::NaiveDate) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite");
    let opts = DemoOptions {
        residents: 300,
        seed: 1,
        today,
    };
    drop(demo_db(&path, opts));
    (dir, path)
}

/// The open cohort with a waitlist (the demo's full one): id and code.
pub fn full_cohort(conn: &Connection) -> (i64, String) {
    conn.query_row(
        "SELECT c.id, c.code FROM cohort c WHERE c.status = 'open'
           AND EXISTS (SELECT 1 FROM enrollment e WHERE e.cohort_id = c.id AND e.status = 'waitlisted')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

/// What `db::create_in_memory()` makes, restored from the template.
pub fn empty_in_memory() -> Connection {
    let source = rusqlite::Connection::open_with_flags(
        template(Kind::Empty),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .unwrap();
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    rusqlite::backup::Backup::new(&source, &mut conn)
        .unwrap()
        .run_to_completion(i32::MAX, Duration::ZERO, None)
        .unwrap();
    // The connection settings `db::create_in_memory` makes (WAL does not apply in memory).
    conn.busy_timeout(db::BUSY_TIMEOUT).unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    conn.into()
}

#[derive(Clone, Copy)]
enum Kind {
    Empty,
    Demo(DemoOptions),
}

impl Kind {
    fn name(self) -> String {
        match self {
            Kind::Empty => "empty".into(),
            // The options' Debug text covers any field added to them later.
            Kind::Demo(opts) => format!(
                "demo-{}-{:016x}",
                opts.residents,
                hash_of(&format!("{opts:?}"))
            ),
        }
    }
}

/// The template of `kind`, built if this run has none yet.
fn template(kind: Kind) -> PathBuf {
    static SEEN: Mutex<BTreeMap<String, Arc<OnceLock<PathBuf>>>> = Mutex::new(BTreeMap::new());
    let name = kind.name();
    let cell = SEEN
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .entry(name.clone())
        .or_default()
        .clone();
    cell.get_or_init(|| find_or_build(kind, &name)).clone()
}

fn find_or_build(kind: Kind, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("loket-templates");
    let file = dir.join(format!("{name}-v{}-{}.sqlite", db::SCHEMA_VERSION, stamp()));
    if file.exists() {
        return file;
    }
    std::fs::create_dir_all(&dir).unwrap();
    prune(&dir);
    let scratch = tempfile::Builder::new()
        .prefix(".building-")
        .tempdir_in(&dir)
        .unwrap();
    let built = scratch.path().join("template.sqlite");
    {
        let conn = match kind {
            Kind::Empty => db::create(&built).unwrap(),
            Kind::Demo(opts) => {
                let mut conn = copy_of(&template(Kind::Empty), &built);
                demo::populate(&mut conn, opts).unwrap();
                conn
            }
        };
        // Fold the WAL into the file and remove it: a copy of the file is the whole database.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete", "template {name}");
    }
    let beside: Vec<_> = std::fs::read_dir(scratch.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        beside,
        ["template.sqlite"],
        "template {name} left files behind"
    );
    // Atomic: another process finds the whole template or none (if two built it, the last wins).
    std::fs::rename(&built, &file).unwrap();
    file
}

/// Copies `template` to `path` (a new file; parent directories are made) and opens it.
fn copy_of(template: &Path, path: &Path) -> Connection {
    assert!(!path.exists(), "{} exists already", path.display());
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::copy(template, path).unwrap();
    db::open(path).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

/// What the templates of this build and day depend on: the sources that make them, and the date
/// their `created_at` columns carry.
fn stamp() -> &'static str {
    static STAMP: OnceLock<String> = OnceLock::new();
    STAMP.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for part in ["src", "assets"] {
            files_under(&root.join(part), &mut files);
        }
        files.push(root.join("Cargo.lock"));
        files.sort();
        let mut hasher = DefaultHasher::new();
        for file in &files {
            file.strip_prefix(root).unwrap().hash(&mut hasher);
            std::fs::read(file).unwrap().hash(&mut hasher);
        }
        format!("{:016x}-{}", hasher.finish(), db::today())
    })
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn hash_of(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// Removes the templates of other sources or days (and scratch directories of killed runs) once
/// they are an hour old, so `target/tmp` does not grow with every edit.
fn prune(dir: &Path) {
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < hour_ago);
        if old && !entry.file_name().to_string_lossy().contains(stamp()) {
            let path = entry.path();
            let _ = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        }
    }
}
