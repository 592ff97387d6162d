//! Foundation: migrations on real files, refusal of a newer schema, typed constraint errors,
//! the demo database, and the headless `nik` and `workdays` commands.

mod common;

use std::path::Path;

use chrono::NaiveDate;
use common::{TODAY, count, loket};
use loket::db::demo::{self, DemoOptions};
use loket::db::sql::{Connection, params};
use loket::db::{self, Constraint, DbError};
use loket::domain::nik::parse_nik;
use loket::ui::text::{Lang, Localized};

/// The demo these tests read: `residents` residents of seed 7.
fn demo(residents: u32) -> DemoOptions {
    DemoOptions {
        residents,
        seed: 7,
        today: TODAY,
    }
}

/// A database written by the first schema, with residents, is brought up to date: ids, data and
/// references kept, NIK uniqueness now the named index, the search index rebuilt.
#[test]
fn migrates_a_version_1_database_with_residents() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.sqlite");
    {
        let conn = Connection::open_unchecked(&path).unwrap();
        conn.execute_batch(include_str!("../assets/migrations/0001_init.sql"))
            .unwrap();
        for (id, nik, name) in [
            (7, "3603320104900001", "BUDI SANTOSO"),
            (9, "3603324105920002", "SITI AMINAH"),
        ] {
            conn.execute(
                "INSERT INTO resident (id, nik, name, name_key, sex, birth_date, created_at, updated_at)
                 VALUES (?1, ?2, ?3, lower(?3), 'L', '1990-04-01', '2026-01-01 08:00:00', '2026-01-01 08:00:00')",
                params![id, nik, name],
            )
            .unwrap();
        }
        conn.as_sqlite()
            .unwrap()
            .pragma_update(None, "user_version", 1)
            .unwrap();
    }
    let conn = db::open(&path).unwrap();
    assert_eq!(
        count(&conn, "PRAGMA user_version"),
        db::SCHEMA_VERSION as i64
    );
    assert_eq!(count(&conn, "PRAGMA foreign_keys"), 1);
    assert_eq!(
        count(
            &conn,
            "SELECT id FROM resident WHERE nik = '3603324105920002'"
        ),
        9
    );
    let hits = db::residents::search(&conn, "siti", 10).unwrap();
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![9]);
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM sqlite_master WHERE name = 'resident_nik'"
        ),
        1
    );
    let dup = conn.execute(
        "INSERT INTO resident (nik, name, name_key, sex, birth_date, created_at, updated_at)
         VALUES ('3603320104900001', 'X', 'x', 'L', '1990-04-01', '2026-01-01 08:00:00', '2026-01-01 08:00:00')",
        [],
    );
    assert!(dup.is_err(), "a NIK is still stored once");
    let bad_nik = conn.execute(
        "INSERT INTO resident (nik, name, name_key, sex, birth_date, created_at, updated_at)
         VALUES ('0603320104900009', 'X', 'x', 'L', '1990-04-01', '2026-01-01 08:00:00', '2026-01-01 08:00:00')",
        [],
    );
    assert!(bad_nik.is_err(), "the NIK check still refuses a leading 0");
}

#[test]
fn migrates_an_empty_database_and_reopens_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/dir/loket.sqlite");
    let conn = db::create(&path).unwrap();
    assert_eq!(
        count(&conn, "PRAGMA user_version"),
        db::SCHEMA_VERSION as i64
    );
    assert_eq!(count(&conn, "SELECT count(*) FROM province"), 38);
    assert_eq!(count(&conn, "SELECT count(*) FROM regency"), 514);
    assert_eq!(count(&conn, "SELECT count(*) FROM district"), 7285);
    assert_eq!(count(&conn, "SELECT count(*) FROM village"), 83762);
    assert!(count(&conn, "SELECT count(*) FROM holiday") >= 240);
    assert!(count(&conn, "SELECT count(*) FROM course") >= 17);
    assert_eq!(count(&conn, "SELECT count(*) FROM resident"), 0);
    assert_eq!(
        count(&conn, "SELECT count(*) FROM operator WHERE name = 'admin'"),
        1
    );
    let journal: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    drop(conn);

    let conn = db::open(&path).unwrap();
    assert_eq!(count(&conn, "PRAGMA foreign_keys"), 1);
    assert_eq!(count(&conn, "SELECT count(*) FROM village"), 83762);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(matches!(db::create(&path), Err(DbError::AlreadyExists(_))));
}

#[test]
fn refuses_a_missing_file_and_a_newer_schema_without_touching_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.sqlite");
    assert!(matches!(db::open(&missing), Err(DbError::NotFound(_))));
    assert!(!missing.exists());

    let path = dir.path().join("future.sqlite");
    drop(common::empty_db(&path));
    let future = db::SCHEMA_VERSION + 5;
    set_schema_version(&path, future);
    let before = fingerprint(&path);
    let store = common::store::store_of(&path);
    match store.open() {
        Err(DbError::SchemaTooNew { found, supported }) => {
            assert_eq!(found, future);
            assert_eq!(supported, db::SCHEMA_VERSION);
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
    assert_eq!(
        fingerprint(&path),
        before,
        "a refused database is not modified"
    );
    let message = store.open().unwrap_err().text(Lang::Id);
    assert!(message.contains("lebih baru"), "{message}");
}

/// Marks the database a test made at `path` as written by schema `version`: SQLite keeps it
/// in the file's header (`user_version`), PostgreSQL in `app_meta`.
fn set_schema_version(path: &Path, version: u32) {
    let conn = common::store::connect(path);
    match conn.as_sqlite() {
        Some(lite) => lite.pragma_update(None, "user_version", version).unwrap(),
        None => {
            conn.execute(
                "UPDATE app_meta SET value = ?1 WHERE key = 'schema_version'",
                [version.to_string()],
            )
            .unwrap();
        }
    }
}

/// What would show a change to the database a test made at `path`: the file's bytes; on
/// PostgreSQL what a migration writes, the schema's objects and `app_meta`.
fn fingerprint(path: &Path) -> Vec<u8> {
    if !common::store::on_postgres() {
        return std::fs::read(path).unwrap();
    }
    let conn = common::store::connect(path);
    let text: String = conn
        .query_row(
            "SELECT (SELECT string_agg(key || '=' || value, ',' ORDER BY key) FROM app_meta)
                 || ';' || (SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class
                            WHERE relnamespace = current_schema()::regnamespace)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    text.into_bytes()
}

fn insert_resident(
    conn: &Connection,
    nik: &str,
    sex: &str,
    birth: &str,
    village: Option<&str>,
) -> Result<usize, DbError> {
    Ok(conn.execute(
        "INSERT INTO resident (nik, name, name_key, sex, birth_date, village_code, created_at, updated_at)
         VALUES (?1, 'SITI AMINAH', 'siti aminah', ?2, ?3, ?4, 'now', 'now')",
        params![nik, sex, birth, village],
    )?)
}

/// A date that does not exist is refused by the schema: on SQLite, whose dates are text, by the
/// named check `check`; on PostgreSQL the column is a `DATE`, so the server refuses the text
/// itself (SQLSTATE 22008) before any check could run, and there is no check to name.
fn refused_as_no_date(r: Result<usize, DbError>, check: &str) {
    let err = r.expect_err("a date that does not exist");
    if !common::store::on_postgres() {
        assert!(
            matches!(&err, DbError::Constraint(Constraint::Check { name }) if name == check),
            "{check}: {err:?}"
        );
        return;
    }
    let said = loket::db::sql::seam_error(&err).map(ToString::to_string);
    assert!(
        said.as_deref()
            .is_some_and(|s| s.contains("date/time field value out of range")),
        "{check}: {err:?}"
    );
}

#[test]
fn each_constraint_gives_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::empty_db(&dir.path().join("c.sqlite"));
    insert_resident(
        &conn,
        "3603324109900001",
        "P",
        "1990-09-01",
        Some("36.03.32.2001"),
    )
    .unwrap();

    let check = |r: Result<usize, DbError>| match r {
        Err(DbError::Constraint(c)) => c,
        other => panic!("expected a constraint error, got {other:?}"),
    };
    assert_eq!(
        check(insert_resident(
            &conn,
            "3603324109900001",
            "P",
            "1990-09-01",
            None
        )),
        Constraint::Unique {
            table: "resident".into(),
            column: "nik".into()
        }
    );
    assert_eq!(
        check(insert_resident(
            &conn,
            "3603324109900002",
            "X",
            "1990-09-01",
            None
        )),
        Constraint::Check {
            name: "ck_resident_sex".into()
        }
    );
    assert_eq!(
        check(insert_resident(&conn, "123", "P", "1990-09-01", None)),
        Constraint::Check {
            name: "ck_resident_nik".into()
        }
    );
    assert_eq!(
        check(insert_resident(
            &conn,
            "0360332410990001",
            "P",
            "1990-09-01",
            None
        )),
        Constraint::Check {
            name: "ck_resident_nik".into()
        }
    );
    refused_as_no_date(
        insert_resident(&conn, "3603324109900003", "P", "1990-02-31", None),
        "ck_resident_birth_date",
    );
    assert_eq!(
        check(insert_resident(
            &conn,
            "3603324109900004",
            "P",
            "1990-09-01",
            Some("99.99.99.9999")
        )),
        Constraint::ForeignKey
    );
    let course = |capacity: i64, min: i64| -> Result<usize, DbError> {
        Ok(conn.execute(
            "INSERT INTO course (code, name, category, working_days, capacity, min_participants, min_age, max_age)
             VALUES (?3, 'Kursus', 'Lain', 10, ?1, ?2, 17, 40)",
            params![capacity, min, format!("X{capacity}{min}")],
        )?)
    };
    assert_eq!(
        check(course(10, 20)),
        Constraint::Check {
            name: "ck_course_min".into()
        }
    );
    assert_eq!(
        check(course(0, 0)),
        Constraint::Check {
            name: "ck_course_capacity".into()
        }
    );
    refused_as_no_date(
        conn.execute(
            "INSERT INTO holiday (date, category, name) VALUES ('2026-13-01', 'public', 'x')",
            [],
        )
        .map_err(DbError::from),
        "ck_holiday_date",
    );
    conn.execute(
        "INSERT INTO audit_log (at, operator_name, action, entity) VALUES ('now', 'admin', 'test', 'x')",
        [],
    )
    .unwrap();
    assert_eq!(
        check(
            conn.execute("DELETE FROM audit_log", [])
                .map_err(DbError::from)
        ),
        Constraint::Trigger {
            message: "audit_log is append-only".into()
        }
    );
    assert_eq!(
        check(
            conn.execute("UPDATE audit_log SET action = 'changed'", [])
                .map_err(DbError::from)
        ),
        Constraint::Trigger {
            message: "audit_log is append-only".into()
        }
    );
}

#[test]
fn coverage_and_enrollment_rules_hold_in_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("d.sqlite"), demo(200));
    let enrollment: i64 = conn
        .query_row(
            "SELECT enrollment_id FROM coverage WHERE status = 'unregistered' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let err = conn
        .execute(
            "UPDATE coverage SET status = 'active' WHERE enrollment_id = ?1",
            [enrollment],
        )
        .map_err(DbError::from)
        .unwrap_err();
    assert!(
        matches!(err, DbError::Constraint(Constraint::Check { ref name }) if name == "ck_coverage_active_kpj"),
        "{err:?}"
    );
    let (resident, cohort): (i64, i64) = conn
        .query_row(
            "SELECT resident_id, cohort_id FROM enrollment WHERE status = 'enrolled' LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let err = conn
        .execute(
            "INSERT INTO enrollment (resident_id, cohort_id, status, registered_at) VALUES (?1, ?2, 'waitlisted', 'now')",
            [resident, cohort],
        )
        .map_err(DbError::from)
        .unwrap_err();
    assert!(err.is_unique("enrollment", "resident_id"), "{err:?}");
}

#[test]
fn a_locked_database_is_reported_as_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.sqlite");
    drop(common::empty_db(&path));
    let holder = common::store::open(&path);
    let other = common::store::open(&path);
    match other.as_sqlite() {
        Some(lite) => {
            holder.execute_batch("BEGIN IMMEDIATE").unwrap();
            lite.busy_timeout(std::time::Duration::from_millis(20))
                .unwrap();
        }
        // PostgreSQL has no lock on the whole database: the holder locks the table the other
        // writes to, and the other's wait is its lock timeout.
        None => {
            holder
                .execute_batch("BEGIN; LOCK TABLE holiday IN EXCLUSIVE MODE")
                .unwrap();
            other.execute_batch("SET lock_timeout = 20").unwrap();
        }
    }
    let err = other
        .execute(
            "INSERT INTO holiday (date, category, name) VALUES ('2031-01-01', 'custom', 'x')",
            [],
        )
        .map_err(DbError::from)
        .unwrap_err();
    assert!(matches!(err, DbError::Locked), "{err:?}");
    holder.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn the_demo_has_every_state_and_valid_niks() {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("d.sqlite"), demo(400));
    for status in ["draft", "open", "running", "completed", "cancelled"] {
        assert!(
            count(
                &conn,
                &format!("SELECT count(*) FROM cohort WHERE status = '{status}'")
            ) > 0,
            "{status}"
        );
    }
    for status in ["unregistered", "submitted", "active", "rejected"] {
        assert!(
            count(
                &conn,
                &format!("SELECT count(*) FROM coverage WHERE status = '{status}'")
            ) > 0,
            "{status}"
        );
    }
    assert!(
        count(
            &conn,
            "SELECT count(*) FROM enrollment WHERE status = 'waitlisted'"
        ) > 0
    );
    assert!(
        count(
            &conn,
            "SELECT count(*) FROM resident WHERE stunting_household = 1"
        ) > 0
    );
    assert!(
        count(
            &conn,
            "SELECT count(*) FROM resident WHERE desil IS NOT NULL"
        ) > 0
    );
    assert_eq!(
        count(&conn, "SELECT count(*) FROM venue WHERE kind = 'blk'"),
        2
    );
    assert_eq!(
        count(&conn, "SELECT count(*) FROM venue WHERE kind = 'mtu'"),
        1
    );
    // No cohort holds more enrolled participants than its capacity.
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM cohort c WHERE (SELECT count(*) FROM enrollment e WHERE e.cohort_id = c.id AND e.status = 'enrolled') > c.capacity"
        ),
        0
    );
    let districts = db::reference::district_names(&conn).unwrap();
    let mut stmt = conn
        .prepare("SELECT nik, sex, birth_date FROM resident")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, NaiveDate>(2)?,
            ))
        })
        .unwrap();
    for row in rows {
        let (nik, sex, birth) = row.unwrap();
        let info = parse_nik(&nik, TODAY, &districts).unwrap_or_else(|e| panic!("{nik}: {e}"));
        assert_eq!(info.birth_date, birth, "{nik}");
        assert_eq!(info.sex.code(), sex, "{nik}");
    }
}

#[test]
fn the_demo_is_the_same_for_a_seed() {
    let dir = tempfile::tempdir().unwrap();
    let niks = |name: &str| -> Vec<String> {
        let mut conn = common::empty_db(&dir.path().join(name));
        demo::populate(&mut conn, demo(50)).unwrap();
        let mut stmt = conn
            .prepare("SELECT nik || name FROM resident ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(niks("a.sqlite"), niks("b.sqlite"));
}

// --- headless commands -------------------------------------------------------------------------

/// A database `loket init` made (on the test server, kept until the guard is dropped, with
/// `LOKET_TEST_STORE=postgres`).
fn init_db(dir: &Path) -> (Option<common::pg::PgDatabase>, std::path::PathBuf) {
    let path = dir.join("cli.sqlite");
    let server = common::store::fresh(&path);
    let (code, _, err) = loket(&path, &["init"]);
    assert_eq!(code, 0, "{err}");
    (server, path)
}

#[test]
fn nik_command_explains_one_or_several() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, db) = init_db(dir.path());
    let (code, out, _) = loket(&db, &["nik", "--json", "3603324109900001"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"nik":"3603324109900001","valid":true,"district_code":"36.03.32",
            "district_name":"Gunung Kaler","birth_date":"1990-09-01","sex":"P","serial":1})
    );

    let (code, out, _) = loket(
        &db,
        &[
            "nik",
            "--json",
            "3603320109900001",
            "12345",
            "0360332410990001",
            "3603323102900001",
            "9999990109900001",
            "3603320109900000",
        ],
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 6);
    assert_eq!(items[0]["valid"], true);
    assert_eq!(items[0]["sex"], "L");
    for item in &items[1..] {
        assert_eq!(item["valid"], false, "{item}");
        assert!(!item["error"].as_str().unwrap().is_empty());
    }
    assert!(items[1]["error"].as_str().unwrap().contains("16"));
    assert!(items[2]["error"].as_str().unwrap().contains("sementara"));

    let (code, out, _) = loket(&db, &["nik", "3603324109900001"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Gunung Kaler") && out.contains("Perempuan"),
        "{out}"
    );
    let (code, out, _) = loket(&db, &["--lang", "en", "nik", "12"]);
    assert_eq!(code, 1);
    assert!(out.contains("INVALID"), "{out}");
}

#[test]
fn workdays_command_uses_the_holiday_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, db) = init_db(dir.path());
    let (code, out, _) = loket(&db, &["workdays", "2026-03-16", "20"]);
    assert_eq!((code, out.trim()), (0, "2026-04-20"));
    let (code, out, _) = loket(
        &db,
        &["workdays", "2026-03-16", "20", "--days-per-week", "6"],
    );
    assert_eq!(code, 0);
    assert!(
        out.trim() < "2026-04-20" && out.trim() > "2026-03-16",
        "{out}"
    );
    let (code, _, err) = loket(&db, &["workdays", "2026-02-30", "5"]);
    assert_eq!(code, 1);
    assert!(err.contains("2026-02-30"), "{err}");
    let (code, _, err) = loket(&db, &["workdays", "2026-03-16", "0"]);
    assert_eq!(code, 1, "{err}");
    let (code, _, _) = loket(
        &db,
        &["workdays", "2026-03-16", "20", "--days-per-week", "7"],
    );
    assert_ne!(code, 0);
}

#[test]
fn an_explicit_missing_database_is_refused_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = loket(
        &dir.path().join("typo.sqlite"),
        &["nik", "3603324109900001"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("loket init"), "{err}");
    assert!(!dir.path().join("typo.sqlite").exists());
}

#[test]
fn demo_command_builds_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite");
    let _server = common::store::fresh(&db);
    let (code, _, err) = loket(&db, &["demo", "--residents", "120", "--seed", "3"]);
    assert_eq!(code, 0, "{err}");
    let conn = common::store::connect(&db);
    assert_eq!(count(&conn, "SELECT count(*) FROM resident"), 120);
    let (code, _, err) = loket(&db, &["demo"]);
    assert_eq!(code, 2);
    // A file that exists, or a server database that holds loket's data already.
    let refusal = if common::store::on_postgres() {
        "sudah berisi data loket"
    } else {
        "sudah ada"
    };
    assert!(err.contains(refusal), "{err}");
    assert_eq!(count(&conn, "SELECT count(*) FROM resident"), 120);
}

/// The README shows the test command `.ci/test` runs: its PostgreSQL pass runs every
/// integration test, as the README says.
#[test]
fn the_readme_shows_the_test_commands_and_the_whole_suite_on_postgresql() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let pass = "LOKET_TEST_STORE=postgres cargo test --test '*'";
    let script = std::fs::read_to_string(root.join(".ci/test")).unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(script.lines().any(|l| l.trim() == pass), "{script}");
    assert!(
        readme.contains(&format!("\n    {pass}")),
        "the README's test commands"
    );
    let ci = std::fs::read_to_string(root.join(".ci/run")).unwrap();
    assert!(ci.lines().any(|l| l.trim() == ".ci/test"), "{ci}");
    assert!(readme.contains("\n    .ci/test\n"));
}
