//! Moving offices up and looking after the server (issue 18): `loket migrate --to postgres://...` copies a first office's
//! SQLite database onto an empty server with every count equal and the audit chain intact, then
//! merges a second office by NIK, reporting the residents whose data differs without
//! overwriting them, and refusing cohort codes the server already has; `loket check` and `loket
//! backup` on the server. Skipped (with a note)
//! without `LOKET_TEST_PG`.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use chrono::NaiveDate;
use common::BIN;
use common::pg::{PgDatabase, url};
use loket::db::demo::{self, DemoOptions};
use loket::db::office_move::TABLES;
use loket::db::{self, Connection, audit};

fn office(path: &Path) {
    let mut conn = db::create(path).expect("create the office's file");
    demo::populate(
        &mut conn,
        DemoOptions {
            residents: 300,
            seed: 1,
            today: NaiveDate::from_ymd_opt(2026, 2, 2).unwrap(),
        },
    )
    .expect("demo");
}

fn migrate(file: &Path, server: &str, extra: &[&str]) -> Output {
    Command::new(BIN)
        .args(["--db"])
        .arg(file)
        .args(["--as", "admin", "migrate", "--to", server, "--json"])
        .args(extra)
        .env_remove("LOKET_DB")
        .output()
        .expect("run loket migrate")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).expect(sql)
}

fn counts(conn: &Connection) -> Vec<(&'static str, i64)> {
    TABLES
        .iter()
        .map(|t| (*t, count(conn, &format!("SELECT count(*) FROM {t}"))))
        .collect()
}

/// Each cohort's code with its enrolled and waitlisted residents' NIKs, in a stable order.
fn rosters(conn: &Connection) -> Vec<(String, String, String)> {
    let mut stmt = conn
        .prepare(
            "SELECT c.code, e.status, r.nik FROM enrollment e
             JOIN cohort c ON c.id = e.cohort_id JOIN resident r ON r.id = e.resident_id
             ORDER BY c.code, e.status, r.nik",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_first_office_is_copied_whole_and_a_second_is_merged_by_nik() {
    let Some(url) = url("tests/pg_migrate.rs") else {
        return;
    };
    let pg = PgDatabase::create(&url);
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("kemiri.sqlite");
    office(&first);
    let file = Connection::open_unchecked(&first).unwrap();

    // The first office onto a database without loket's schema: made, then copied as it is.
    let out = migrate(&first, &pg.spec(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report = json(&out);
    assert_eq!(report["merged"], false);
    let server = pg.connect();
    let mut expected = counts(&file);
    // The move itself is recorded on the server.
    expected.last_mut().unwrap().1 += 1;
    assert_eq!(counts(&server), expected);
    assert_eq!(rosters(&server), rosters(&file));
    assert_eq!(audit::verify_chain(&server).unwrap(), None);
    let moved: String = server
        .query_row(
            "SELECT entity_id FROM audit_log WHERE action = 'database.move'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(moved, "kemiri.sqlite");
    // New rows continue after the copied ids.
    server
        .execute(
            "INSERT INTO operator (name, role, created_at) VALUES ('baru', 'clerk', 'now')",
            [],
        )
        .unwrap();
    let before = counts(&server);

    // A second office whose file holds the same cohorts: refused, nothing written.
    let second = dir.path().join("pasar_kemis.sqlite");
    std::fs::copy(&first, &second).unwrap();
    let out = migrate(&second, &pg.spec(), &[]);
    assert!(!out.status.success());
    assert_eq!(json(&out)["code"], "cohort_code_taken");
    assert_eq!(counts(&server), before);

    // Its own cohorts and certificates; three residents typed differently; ten residents the
    // first office never saw.
    let other = Connection::open_unchecked(&second).unwrap();
    other
        .execute_batch(
            "UPDATE cohort SET code = code || '-PK';
             UPDATE enrollment SET certificate_no = certificate_no || '-PK'
                 WHERE certificate_no IS NOT NULL;
             UPDATE resident SET name = name || ' PUTRI' WHERE id IN (1, 2, 3);
             UPDATE resident SET nik = substr(nik, 1, 12) || (9000 + id) WHERE id BETWEEN 10 AND 19;",
        )
        .unwrap();
    let conflicts = dir.path().join("konflik.csv");
    let out = migrate(
        &second,
        &pg.spec(),
        &["--conflicts", conflicts.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report = json(&out);
    assert_eq!(report["merged"], true);
    let table = |name: &str| {
        report["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["table"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(table("resident")["added"], 10);
    assert_eq!(table("resident")["matched"], 290);
    assert_eq!(table("operator")["matched"], 3);
    assert_eq!(table("village")["added"], 0);
    let nik_of = |id: i64| -> String {
        other
            .query_row("SELECT nik FROM resident WHERE id = ?1", [id], |r| r.get(0))
            .unwrap()
    };
    let mut reported: Vec<String> = report["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["differences"][0]["field"], "name");
            c["nik"].as_str().unwrap().to_string()
        })
        .collect();
    reported.sort();
    let mut typed_differently: Vec<String> = (1..=3).map(nik_of).collect();
    typed_differently.sort();
    assert_eq!(reported, typed_differently);
    let csv = std::fs::read_to_string(&conflicts).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(csv.starts_with("nik,field,office,server"));

    // Nothing on the server overwritten: the first office's names stand.
    for nik in &typed_differently {
        let name: String = server
            .query_row("SELECT name FROM resident WHERE nik = ?1", [nik], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(!name.ends_with(" PUTRI"), "{name}");
    }
    let after = counts(&server);
    let grew = |t: &str| {
        let of = |c: &[(&str, i64)]| c.iter().find(|(n, _)| *n == t).unwrap().1;
        of(&after) - of(&before)
    };
    assert_eq!(grew("resident"), 10);
    assert_eq!(grew("cohort"), 15);
    assert_eq!(
        grew("enrollment"),
        count(&other, "SELECT count(*) FROM enrollment")
    );
    assert_eq!(
        grew("coverage"),
        count(&other, "SELECT count(*) FROM coverage")
    );
    assert_eq!(grew("operator"), 0);
    // The office's trail and the move, appended to the server's chain.
    assert_eq!(
        grew("audit_log"),
        count(&other, "SELECT count(*) FROM audit_log") + 1
    );
    assert_eq!(audit::verify_chain(&server).unwrap(), None);
    // The second office's rosters, by NIK, are on the server under its own cohort codes.
    let theirs: Vec<_> = rosters(&server)
        .into_iter()
        .filter(|(code, _, _)| code.ends_with("-PK"))
        .collect();
    assert_eq!(theirs, rosters(&other));

    // `loket check` on the server: sound; then an audit trigger switched off and a cohort
    // deleted behind the server's back are both found.
    let check = |spec: &str| {
        let out = Command::new(BIN)
            .args(["--db", spec, "check", "--json"])
            .output()
            .unwrap();
        (out.status.code(), json(&out))
    };
    let (status, report) = check(&pg.spec());
    assert_eq!(status, Some(0), "{report}");
    assert_eq!(report["ok"], true);
    server
        .execute_batch(
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_delete;
             SET session_replication_role = replica;
             DELETE FROM cohort WHERE code LIKE '%-PK' AND id IN (SELECT cohort_id FROM enrollment);
             SET session_replication_role = DEFAULT;",
        )
        .unwrap();
    let (status, report) = check(&pg.spec());
    assert_eq!(status, Some(1), "{report}");
    assert_eq!(report["schema"][0]["name"], "audit_log_no_delete");
    assert_eq!(report["schema"][0]["change"], "changed");
    assert_eq!(report["foreign_keys"][0][0], "enrollment");
    assert_eq!(report["foreign_keys"][0][2], "cohort");
}

/// What is refused before any server is reached: a file as the target, a clerk moving the
/// office, an unreachable server; the office's file is left as it was.
#[test]
fn a_move_is_refused_plainly_without_touching_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kemiri.sqlite");
    office(&file);
    let code = |out: &Output| json(out)["code"].as_str().unwrap().to_string();
    let out = migrate(&file, "lain.sqlite", &[]);
    assert_eq!(code(&out), "bad_argument");
    assert!(
        json(&out)["error"]
            .as_str()
            .unwrap()
            .contains("postgres://")
    );
    let out = Command::new(BIN)
        .arg("--db")
        .arg(&file)
        .args([
            "--as",
            "sari",
            "migrate",
            "--to",
            "postgres://loket@127.0.0.1:1/loket",
        ])
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(code(&out), "access_denied");
    let out = migrate(&file, "postgres://loket@127.0.0.1:1/loket", &[]);
    assert_eq!(code(&out), "server_unreachable");
    assert!(!dir.path().join("lain.sqlite").exists());
}

/// `loket backup` on a server is pg_dump's custom format, which pg_restore reads; without
/// pg_dump on the computer it says what to install and writes nothing.
#[test]
fn a_server_backup_is_a_pg_dump_or_says_what_to_install() {
    let Some(url) = url("tests/pg_migrate.rs") else {
        return;
    };
    let pg = PgDatabase::create(&url);
    db::create_on_server(&pg.spec()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("kabupaten.dump");
    let backup = |path: &str| {
        Command::new(BIN)
            .args([
                "--db",
                &pg.spec(),
                "--as",
                "admin",
                "backup",
                "--json",
                "--out",
            ])
            .arg(&dest)
            .env("PATH", path)
            .output()
            .unwrap()
    };
    let out = backup("/nonexistent");
    assert_eq!(json(&out)["code"], "pg_dump_missing");
    assert!(
        json(&out)["error"]
            .as_str()
            .unwrap()
            .contains("postgresql-client")
    );
    assert!(!dest.exists());
    let out = backup(&std::env::var("PATH").unwrap());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let listed = Command::new("pg_restore")
        .arg("--list")
        .arg(&dest)
        .output()
        .unwrap();
    assert!(listed.status.success());
    let listing = String::from_utf8_lossy(&listed.stdout);
    assert!(listing.contains("TABLE DATA public resident"), "{listing}");
    assert!(
        listing.contains("TRIGGER public audit_log audit_log_no_delete"),
        "{listing}"
    );
    let server = pg.connect();
    assert_eq!(
        count(
            &server,
            "SELECT count(*) FROM audit_log WHERE action = 'backup'"
        ),
        1
    );
}
