//! The one home of the helpers every integration test shares. A test file says `mod common;` and
//! calls `common::...`; nothing here asserts a rule of loket, it only sets up and drives.
//!
//! Databases (`db.rs`): each kind is built once per test run into `target/tmp/loket-templates/`
//! and copied into the test's own path, so no test waits for the 83,762 villages again.
//! - `empty_db(&path) -> Connection`: what `db::create` makes (schema, reference data, settings,
//!   the built-in admin), opened with `db::open`. Parent directories are created; refuses an
//!   existing file. `drop(common::empty_db(&path))` leaves just the file, for the binary.
//! - `demo_db(&path, DemoOptions { residents, seed, today }) -> Connection`: that plus
//!   `demo::populate` with those options (one template per distinct options).
//! - `empty_in_memory() -> Connection`: `db::create_in_memory()`, restored from the template.
//! - `demo_file(today) -> (TempDir, PathBuf)`: the 300-resident demo (seed 1) on `today`, closed.
//! - `full_cohort(&conn) -> (id, code)`: the demo's open cohort with a waitlist.
//! - `sqlite_empty_db`, `sqlite_demo_db`: the same on SQLite whatever the run's store (the
//!   SQLite side of the tests comparing stores).
//!
//! With `LOKET_TEST_STORE=postgres` (`.ci/test`'s second pass) `empty_db`/`demo_db` make a
//! server database standing for `path` instead, and `store.rs` maps the path to it: `loket`,
//! `Tty::start` and `Desk::on` given the path reach the server; `store::open(&path)` and
//! `store::connect(&path)` open it; `store::fresh(&path)` gives `loket init` an empty server
//! database; `store::file_only(why)` lets a test about SQLite's file itself return at once there;
//! `store::copy(from, to)` copies a test's database (a file, or `CREATE DATABASE .. TEMPLATE`),
//! `store::backup(path, ..)` is `loket backup`'s work (the file's online copy, or pg_dump), and
//! `store::ImportHold::of(&path).held()` sees an import holding the database against writers
//! (SQLite's rollback journal, PostgreSQL's lock on `resident`).
//!
//!   Tests of `db::create`, `loket init`, `loket demo` or `demo::populate` themselves keep calling
//!   those; everything else uses these.
//!
//! The binary (`cli.rs`), always with `LOKET_LANG`, `LOKET_PASSWORD` and `LOKET_DB` removed:
//! - `BIN`: the path of the built `loket`.
//! - `loket(&db, &args) -> (code, stdout, stderr)`: `loket --db DB ARGS...`, empty stdin.
//! - `loket_with(&db, &args, &[(key, value)], stdin) -> (code, stdout, stderr)`.
//! - `loket_json(&db, &args) -> (code, serde_json::Value)`: stdout parsed (`Null` if not JSON).
//! - `run(&args, &env, stdin) -> (code, stdout, stderr)`: no `--db` added.
//! - `binary_demo(&db)`: `loket demo --residents 300 --seed 1` made by the binary (today's dates).
//!
//! Screens (`screen.rs`), the `App` driven without a terminal:
//! - `ctx(conn, actor, lang, today) -> (Ctx, Receiver<Event>)`: `store` is
//!   "/data/loket.sqlite" so snapshots do not show a temporary path.
//! - `press(&mut app, KeyCode)`, `press_with(&mut app, KeyCode, KeyModifiers)`,
//!   `ctrl(&mut app, 'u')`, `type_text(&mut app, "text")`.
//! - `draw(&mut app)` at 80x24, `screen_text(&mut app, width, height)`: the screen as text, one
//!   line per row, trailing spaces trimmed.
//!
//! The desk (`desk.rs`): `Desk::on(&path, operator, today)` is the `App` with the desk search as
//! root on that file; `key`, `type_text`, `ctrl`, `shift_tab`; `render()` at 80x24 and
//! `render_at(w, h)` with the search's timings masked; `settle()` feeds the search worker's
//! answers until the screen no longer says "Mencari...".
//!
//! The binary in a pseudo-terminal (`tty.rs`): `Tty::start(&db)` runs `loket --db DB --as sari
//! --lang id` at 80x24 (`Tty::start_as(&db, operator, cols, rows)` for others); `send` types,
//! `wait_for(text)` / `wait_gone(text)` / `wait_until(what, fn)` read the screen until it shows
//! what is expected, `resize(cols, rows)`,
//! `wait_exit()`, `signal("HUP")`; key strings `F2`, `ENTER`, `ESC`, `CTRL_Q`, ...
//!
//! PostgreSQL (`pg.rs`): `pg::url(test_file)` is the server `LOKET_TEST_PG` names (or `None`,
//! said once as a note: the PostgreSQL half is skipped); `PgDatabase::create(url)` makes a fresh
//! database, `connect()` opens it, dropping the handle drops the database.
//!
//! Small things (here): `date(y, m, d)`, `TODAY` (2026-11-22, the fixed today of most tests; a
//! file that needs another keeps its own `today()` built with `date`), `count(&conn, sql)`,
//! `count_with(&conn, sql, params)`, `actor(&conn, name)`, `admin(&conn)`.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code, unused_imports)]

mod cli;
mod db;
pub mod desk;
pub mod pg;
mod screen;
pub mod store;
pub mod tty;

pub use cli::{BIN, binary_demo, loket, loket_json, loket_with, pdf_text, run};
pub use db::{
    demo_db, demo_file, empty_db, empty_in_memory, full_cohort, sqlite_demo_db, sqlite_empty_db,
};
pub use screen::{ctrl, ctx, draw, press, press_with, screen_text, type_text};

use chrono::NaiveDate;
use loket::db::Connection;
use loket::domain::access::Actor;

/// The fixed "today" of most tests: 2026-11-22.
pub const TODAY: NaiveDate = date(2026, 11, 22);

/// A date that is known to exist.
pub const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(day) => day,
        None => panic!("no such date"),
    }
}

/// The one integer a query returns.
pub fn count(conn: &Connection, sql: &str) -> i64 {
    count_with(conn, sql, [])
}

/// The one integer a query with parameters returns.
pub fn count_with(conn: &Connection, sql: &str, params: impl loket::db::sql::Params) -> i64 {
    conn.query_row(sql, params, |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
}

/// The operator called `name`, as the permission checks see them.
pub fn actor(conn: &Connection, name: &str) -> Actor {
    loket::db::operators::actor_by_name(conn, name).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// The built-in admin every database starts with.
pub fn admin(conn: &Connection) -> Actor {
    actor(conn, "admin")
}
