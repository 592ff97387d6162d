//! Writers during a bulk load (issue 14, item 18): a bulk load holds the database under a
//! rollback journal; enrollments from other processes meanwhile wait for it (within SQLite's
//! busy timeout) instead of failing at once with "terkunci". On PostgreSQL the load locks
//! `resident` against other writers only (`import::store::lock_residents`); an enrollment,
//! which reads and row-locks its resident but writes other tables, must go on beside it just
//! as well, never told "locked".

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use loket::db;
use loket::db::demo::DemoOptions;

/// `n` residents as the bench writes them, in `path`, for the desa of `conn`'s kabupaten 36.03.
fn write_list(conn: &loket::db::Connection, path: &Path, n: u64) {
    let villages: Vec<(String, String)> = conn
        .prepare("SELECT code, district_code FROM village WHERE code LIKE '36.03.%' ORDER BY code")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let others = vec!["317101".to_string()];
    loket::bench::data::write_csv(&mut out, n, 11, db::today(), &villages, &others, 1).unwrap();
}

#[test]
fn enrollments_during_a_bulk_load_wait_for_it_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loket.sqlite");
    let conn = common::demo_db(
        &path,
        DemoOptions {
            residents: 400,
            seed: 3,
            today: db::today(),
        },
    );
    let cohort: String = conn
        .query_row(
            "SELECT code FROM cohort WHERE status = 'open' ORDER BY capacity DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let niks: Vec<String> = conn
        .prepare("SELECT nik FROM resident ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let list = dir.path().join("daftar.csv");
    write_list(&conn, &list, 15_000);
    drop(conn);
    // today's automatic backup is taken now, not by an enrollment during the load
    let (code, _, err) = common::loket(&path, &["cohort", "list", "--json"]);
    assert_eq!(code, 0, "{err}");

    let hold = common::store::ImportHold::of(&path);
    let mut load = Command::new(common::BIN)
        .arg("--db")
        .arg(common::store::arg(&path))
        .args(["import", "residents", "--bulk", "--json"])
        .arg(&list)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // the load holds the database once its rollback journal (its lock) is there
    while !hold.held() {
        assert!(
            load.try_wait().unwrap().is_none(),
            "the load ended before its hold on the database was seen"
        );
        std::thread::yield_now();
    }
    let mut during = 0;
    let mut results = Vec::new();
    for nik in &niks {
        let load_running = load.try_wait().unwrap().is_none() && hold.held();
        let (code, out, err) = common::loket(
            &path,
            &["enroll", "--json", "--nik", nik, "--cohort", &cohort],
        );
        during += usize::from(load_running);
        results.push((nik, code, out, err));
        if !load_running {
            break;
        }
    }
    let load = load.wait_with_output().unwrap();
    assert!(
        load.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&load.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&load.stdout).unwrap();
    assert_eq!(summary["read"], 15_000);
    assert!(during >= 1, "no enrollment started during the load");
    for (nik, code, out, err) in &results {
        assert!(
            !err.contains("terkunci") && !out.contains("locked"),
            "{nik}: exit {code}, {out} {err}"
        );
        assert!(
            out.contains("\"status\"") || out.contains("\"error\""),
            "{nik}: exit {code}, {out} {err}"
        );
    }
    let enrolled = common::count(
        &common::store::open(&path),
        "SELECT count(*) FROM audit_log WHERE action = 'enrollment.create'",
    );
    assert!(enrolled >= 1, "{results:?}");
}
