//! loket's own modules on PostgreSQL (issue 18): the same demo built on both stores reads back
//! the same through every read the desk and the supervisor use, and counters racing from many
//! processes for a cohort's last seats never overfill it. Skipped (with a note) without
//! `LOKET_TEST_PG`; `.ci/run` starts a throwaway server for them.

mod common;

use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};

use chrono::{Datelike, Days, NaiveDate};
use common::BIN;
use common::pg::{PgDatabase, same, url};
use loket::db::cohorts::{self, CohortFilter, NewCohort};
use loket::db::dashboard::{Grouping, rows, weekly_enrollments};
use loket::db::demo::{self, DemoOptions};
use loket::db::sql::params;
use loket::db::{self, Connection, audit, board, enrollment, export, operators};
use loket::domain::access::Actor;
use loket::domain::cohort::{CohortStatus, Funding, LocationKind};
use loket::domain::enrollment::EnrollmentStatus;

fn pg() -> Option<PgDatabase> {
    url("tests/pg_store.rs").map(|u| PgDatabase::create(&u))
}

/// A day to build the demo around: the same on both stores.
fn demo_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, 2).unwrap()
}

fn demo_opts() -> DemoOptions {
    DemoOptions {
        residents: 300,
        seed: 1,
        today: demo_today(),
    }
}

/// `init` and then `demo` on the server, through the library as the commands do.
fn demo_on(pg: &PgDatabase, opts: DemoOptions) -> Connection {
    let mut conn = db::create_on_server(&pg.spec()).expect("init on the server");
    demo::populate(&mut conn, opts).expect("demo on the server");
    conn
}

fn year_2026() -> export::ExportScope {
    export::ExportScope::Range {
        from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
    }
}

#[test]
fn the_same_demo_reads_back_the_same_on_both_stores() {
    let Some(pg) = pg() else { return };
    let dir = tempfile::tempdir().unwrap();
    let lite = common::sqlite_demo_db(&dir.path().join("demo.sqlite"), demo_opts());
    let server = demo_on(&pg, demo_opts());
    let today = demo_today();
    for (name, l, p) in [
        (
            "cohort list",
            format!(
                "{:?}",
                cohorts::list(&lite, &CohortFilter::default()).unwrap()
            ),
            format!(
                "{:?}",
                cohorts::list(&server, &CohortFilter::default()).unwrap()
            ),
        ),
        (
            "dashboard by kecamatan",
            format!("{:?}", rows(&lite, Grouping::District, 2026).unwrap()),
            format!("{:?}", rows(&server, Grouping::District, 2026).unwrap()),
        ),
        (
            "dashboard by residence",
            format!("{:?}", rows(&lite, Grouping::Residence, 2026).unwrap()),
            format!("{:?}", rows(&server, Grouping::Residence, 2026).unwrap()),
        ),
        (
            "weekly enrollments",
            format!("{:?}", weekly_enrollments(&lite, 2026).unwrap()),
            format!("{:?}", weekly_enrollments(&server, 2026).unwrap()),
        ),
        (
            "not ready soon",
            format!("{:?}", board::not_ready_soon(&lite, today).unwrap()),
            format!("{:?}", board::not_ready_soon(&server, today).unwrap()),
        ),
        (
            "BPJS rows",
            format!("{:?}", export::bpjs_rows(&lite, year_2026()).unwrap()),
            format!("{:?}", export::bpjs_rows(&server, year_2026()).unwrap()),
        ),
    ] {
        same(name, &l, &p);
    }
    let codes: Vec<i64> = cohorts::list(&lite, &CohortFilter::default())
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert!(codes.len() > 5);
    for id in codes {
        same(
            "roster",
            &enrollment::roster(&lite, id).unwrap(),
            &enrollment::roster(&server, id).unwrap(),
        );
        same(
            "waitlist",
            &enrollment::waitlist(&lite, id).unwrap(),
            &enrollment::waitlist(&server, id).unwrap(),
        );
    }
    assert_eq!(audit::verify_chain(&server).unwrap(), None);
}

/// Kelapa Dua's first desa, as the demo's residents live there.
fn village(conn: &Connection) -> String {
    conn.query_row(
        "SELECT min(code) FROM village WHERE district_code = '36.03.04'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// A resident of 30 with equal priority to every other racer: NIK and id.
fn racer(conn: &Connection, serial: u32, village: &str) -> (String, i64) {
    let birth = NaiveDate::from_ymd_opt(1996, 5, 17).unwrap();
    let nik = format!("360304{}{:04}", birth.format("%d%m%y"), 5000 + serial);
    let name = format!("PEMBALAP {serial}");
    let id = conn
        .insert_returning_id(
            "INSERT INTO resident (nik, name, name_key, sex, birth_date, village_code, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'L', ?4, ?5, '2026-01-01 08:00:00', '2026-01-01 08:00:00')
             RETURNING id",
            params![nik, name, loket::domain::name_key(&name), birth, village],
        )
        .unwrap();
    (nik, id)
}

/// The Monday at least two weeks ahead of the real today (the binary enrolls on that today).
fn next_start() -> NaiveDate {
    let mut day = db::today() + Days::new(14);
    while day.weekday() != chrono::Weekday::Mon {
        day = day + Days::new(1);
    }
    day
}

fn race_cohort(conn: &Connection, admin: &Actor, capacity: u32) -> i64 {
    let new = NewCohort {
        code: "RACE".into(),
        course_code: "TBS".into(),
        venue_code: "BLK-JYT".into(),
        location_kind: LocationKind::Venue,
        location_name: String::new(),
        location_village_code: None,
        start: next_start(),
        working_days: None,
        capacity: Some(capacity),
        min_participants: Some(1),
        daily_hours: None,
        instructor_id: None,
        funding: Funding::Apbd,
        target_groups: String::new(),
    };
    let row = cohorts::create(conn, admin, &new, db::today()).unwrap();
    cohorts::transition(conn, admin, row.id, CohortStatus::Open, None, db::today()).unwrap();
    row.id
}

/// 44 `loket enroll` processes and 16 connections of this process, 60 counters in all, race for
/// the last 3 seats of a cohort of 10: 3 get seats, 57 join the waitlist at places 1..=57, each
/// once; the cohort never holds more than its capacity; every enrollment is audited and the
/// audit chain holds (its appends are ordered across connections too).
#[test]
fn counters_racing_from_many_processes_never_overfill_a_cohort() {
    let Some(pg) = pg() else { return };
    let spec = pg.spec();
    let conn = demo_on(
        &pg,
        DemoOptions {
            residents: 50,
            seed: 3,
            today: db::today(),
        },
    );
    let admin = operators::actor_by_name(&conn, operators::BUILTIN_ADMIN).unwrap();
    let clerk = operators::actor_by_name(&conn, "sari").unwrap();
    let cohort = race_cohort(&conn, &admin, 10);
    let desa = village(&conn);
    for i in 0..7 {
        let (_, id) = racer(&conn, 900 + i, &desa);
        enrollment::enroll(&conn, &clerk, id, cohort).unwrap();
    }
    let racers: Vec<(String, i64)> = (0..60).map(|i| racer(&conn, i, &desa)).collect();
    let (by_process, by_thread) = racers.split_at(44);
    let children: Vec<_> = by_process
        .iter()
        .map(|(nik, _)| {
            Command::new(BIN)
                .args(["--db", &spec, "--as", "sari", "--lang", "en"])
                .args(["enroll", "--json", "--nik", nik, "--cohort", "RACE"])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let barrier = Arc::new(Barrier::new(by_thread.len()));
    let threads: Vec<_> = by_thread
        .iter()
        .map(|&(_, resident)| {
            let (pg_conn, barrier, clerk) = (pg.connect(), barrier.clone(), clerk.clone());
            std::thread::spawn(move || {
                barrier.wait();
                enrollment::enroll(&pg_conn, &clerk, resident, cohort)
                    .map(|o| (o.status, o.position))
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
        let status = match v["status"].as_str().unwrap() {
            "enrolled" => EnrollmentStatus::Enrolled,
            "waitlisted" => EnrollmentStatus::Waitlisted,
            other => panic!("{other}"),
        };
        outcomes.push((status, v["position"].as_u64().map(|p| p as u32)));
    }
    for t in threads {
        outcomes.push(t.join().unwrap().expect("enrolled or waitlisted"));
    }
    let seated = outcomes
        .iter()
        .filter(|(s, _)| *s == EnrollmentStatus::Enrolled)
        .count();
    let mut places: Vec<u32> = outcomes
        .iter()
        .filter(|(s, _)| *s == EnrollmentStatus::Waitlisted)
        .map(|(_, p)| p.expect("a waitlist place"))
        .collect();
    places.sort();
    assert_eq!(seated, 3);
    assert_eq!(places, (1..=57).collect::<Vec<u32>>());
    let row = cohorts::get(&conn, cohort).unwrap().unwrap();
    assert_eq!((row.enrolled, row.waitlisted), (10, 57));
    let audited: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'enrollment.create'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(audited >= 67, "{audited}");
    assert_eq!(audit::verify_chain(&conn).unwrap(), None);
    // A withdrawal frees a seat: the head of the waitlist takes it, on the server as on SQLite.
    let seated_resident: i64 = conn
        .query_row(
            "SELECT resident_id FROM enrollment WHERE cohort_id = ?1 AND status = 'enrolled' ORDER BY id LIMIT 1",
            [cohort],
            |r| r.get(0),
        )
        .unwrap();
    let done =
        enrollment::withdraw(&conn, &clerk, seated_resident, cohort, Some("pindah")).unwrap();
    assert!(done.promoted.is_some());
    let row = cohorts::get(&conn, cohort).unwrap().unwrap();
    assert_eq!((row.enrolled, row.waitlisted), (10, 56));
}
