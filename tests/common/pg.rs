//! PostgreSQL for the tests that run on both stores: a fresh database per test on the server
//! `LOKET_TEST_PG` names (`eval "$(.ci/pg start)"` starts a throwaway one), dropped when the
//! handle is; without it the PostgreSQL half is skipped with a note on standard error.

use std::io::Write;
use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};

use loket::db::sql::{Connection, PgTarget};

/// A database of its own on the test server, dropped (connections and all) with this.
pub struct PgDatabase {
    pub server: PgTarget,
    pub name: String,
}

impl PgDatabase {
    pub fn create(url: &str) -> PgDatabase {
        PgDatabase::create_with(url, "").expect("create database")
    }

    /// A database whose default collation is ICU's `en-US` rather than the test server's byte
    /// order (`C`), as a server set up with a language's locale has: what compares text must
    /// not depend on it. `None` when the server has no ICU.
    pub fn create_en_us(url: &str) -> Option<PgDatabase> {
        PgDatabase::create_with(
            url,
            " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'",
        )
        .ok()
    }

    /// `CREATE DATABASE name` followed by `options`.
    fn create_with(url: &str, options: &str) -> Result<PgDatabase, loket::db::sql::Error> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let server = PgTarget::parse(url).expect("LOKET_TEST_PG is a PostgreSQL URL");
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "loket_test_{}_{}_{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let admin = Connection::connect_postgres(&server, password(&server)).expect("connect");
        admin.execute_batch(&format!("CREATE DATABASE {name}{options}"))?;
        Ok(PgDatabase { server, name })
    }

    /// The database as `--db` takes it (`postgres://user@host:port/name`; the password, if
    /// any, from the environment as for every counter).
    pub fn spec(&self) -> String {
        let mut target = self.server.clone();
        target.dbname = self.name.clone();
        target.to_string()
    }

    pub fn connect(&self) -> Connection {
        let mut target = self.server.clone();
        target.dbname = self.name.clone();
        Connection::connect_postgres(&target, password(&target)).expect("connect to test db")
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(admin) = Connection::connect_postgres(&self.server, password(&self.server)) {
            let _ = admin.execute_batch(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

pub fn password(target: &PgTarget) -> Option<String> {
    target.password(&|k| std::env::var(k).ok())
}

/// The test server's URL, or `None` (said once per test binary `what`) when it is not set.
pub fn url(what: &str) -> Option<String> {
    static NOTED: Once = Once::new();
    let url = std::env::var("LOKET_TEST_PG")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        NOTED.call_once(|| {
            note(&format!(
                "LOKET_TEST_PG unset: the PostgreSQL half of {what} is skipped (eval \"$(.ci/pg start)\")"
            ))
        });
    }
    url
}

/// A line past the test harness's capture (a new handle on the process's stderr), so a skipped
/// half shows in a passing run.
pub fn note(text: &str) {
    let line = format!("note: {text}\n");
    match std::fs::OpenOptions::new().append(true).open("/dev/stderr") {
        Ok(mut stderr) => {
            let _ = stderr.write_all(line.as_bytes());
        }
        Err(_) => eprint!("{line}"),
    }
}

/// Debug-printed equal, or a panic showing where the two stores part.
pub fn same<T: std::fmt::Debug>(what: &str, sqlite: &T, postgres: &T) {
    let (a, b) = (format!("{sqlite:#?}"), format!("{postgres:#?}"));
    if a != b {
        let first = a
            .lines()
            .zip(b.lines())
            .position(|(x, y)| x != y)
            .unwrap_or_else(|| a.lines().count().min(b.lines().count()));
        let around = |t: &str| {
            t.lines()
                .skip(first.saturating_sub(6))
                .take(12)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "{what} differs between the stores (line {first}):\n--- SQLite\n{}\n--- PostgreSQL\n{}",
            around(&a),
            around(&b)
        );
    }
}
