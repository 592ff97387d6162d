//! Which counter did it (issue 18): a PC's counter (`--counter`, `LOKET_COUNTER`, or what
//! `loket counter set` kept) is recorded on the registrations, enrollments and audit rows it
//! writes; the audit chain covers it; the dashboard counts per office of registration; a
//! counter that does not read is refused plainly. On SQLite, and on PostgreSQL when
//! `LOKET_TEST_PG` names a server.

mod common;

use std::path::Path;

use chrono::NaiveDate;
use common::pg::{PgDatabase, url};
use common::{binary_demo, loket_with};
use loket::db::dashboard::{DashboardRow, Grouping, rows};
use loket::db::demo::{self, DemoOptions};
use loket::db::sql::params;
use loket::db::{self, Connection, audit, enrollment, operators};
use loket::domain::counter::Counter;

/// Two walk-ins of Kosambi born 1995, no enrollment yet.
fn walk_ins(conn: &Connection) {
    let village: String = conn
        .query_row(
            "SELECT village_code FROM venue WHERE code = 'BLK-KSB'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    for (serial, name) in [(41, "ANDI KEMIRI"), (42, "BAYU PASARKEMIS")] {
        conn.execute(
            "INSERT INTO resident (nik, kk, name, name_key, sex, birth_date, address, rt, rw, village_code, created_at, updated_at)
             VALUES (?1, '3603040101950077', ?2, ?3, 'L', '1995-06-01', 'Kp. Kosambi', '004', '002', ?4,
                     '2026-01-01 08:00:00', '2026-01-01 08:00:00')",
            params![
                format!("36030401069500{serial}"),
                name,
                loket::domain::name_key(name),
                village
            ],
        )
        .unwrap();
    }
}

/// An open cohort with free seats the walk-ins may join.
fn open_cohort(conn: &Connection) -> (i64, i32) {
    conn.query_row(
        "SELECT c.id, CAST(substr(CAST(c.start_date AS TEXT), 1, 4) AS INTEGER) FROM cohort c JOIN course co ON co.id = c.course_id
         WHERE c.status = 'open' AND co.min_age <= 30 AND co.max_age >= 32
           AND c.capacity - 2 >= (SELECT count(*) FROM enrollment e WHERE e.cohort_id = c.id AND e.status = 'enrolled')
         ORDER BY c.start_date, c.code LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

/// Each walk-in enrolled from his own office's counter; what is stored and counted.
fn enrolled_from_two_offices(conn: &Connection) {
    walk_ins(conn);
    let (cohort, year) = open_cohort(conn);
    let before = rows(conn, Grouping::Office, year).unwrap();
    let sari = operators::actor_by_name(conn, "sari").unwrap();
    for (nik, counter) in [
        ("3603040106950041", "36.03.09/Loket 1"),
        ("3603040106950042", "36.03.12/Loket Depan"),
    ] {
        conn.set_counter(Some(counter.parse::<Counter>().unwrap()));
        let resident = enrollment::resident_id_by_nik(conn, nik).unwrap().unwrap();
        enrollment::enroll(conn, &sari, resident, cohort).unwrap();
    }
    conn.set_counter(None);
    let stored: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT r.name, e.office_code, e.counter FROM enrollment e JOIN resident r ON r.id = e.resident_id
             WHERE r.name IN ('ANDI KEMIRI', 'BAYU PASARKEMIS') ORDER BY r.name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let row =
        |name: &str, office: &str, counter: &str| (name.into(), office.into(), counter.into());
    assert_eq!(
        stored,
        [
            row("ANDI KEMIRI", "36.03.09", "36.03.09/Loket 1"),
            row("BAYU PASARKEMIS", "36.03.12", "36.03.12/Loket Depan"),
        ]
    );
    let audited: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'enrollment.create'
             AND counter IN ('36.03.09/Loket 1', '36.03.12/Loket Depan')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 2);
    assert_eq!(audit::verify_chain(conn).unwrap(), None);
    // Each office counts one more; every enrollment counts once, for one office or unknown.
    let by_office = rows(conn, Grouping::Office, year).unwrap();
    let of = |rows: &[DashboardRow], code: &str| {
        rows.iter()
            .find(|r| r.code == code)
            .map_or(0, |r| r.enrolled)
    };
    for office in ["36.03.09", "36.03.12"] {
        assert_eq!(of(&by_office, office), of(&before, office) + 1, "{office}");
    }
    let named = by_office.iter().find(|r| r.code == "36.03.09").unwrap();
    assert_eq!(named.name, "Kemiri");
    let all: u32 = by_office.iter().map(|r| r.enrolled).sum();
    let district: u32 = rows(conn, Grouping::Residence, year)
        .unwrap()
        .iter()
        .map(|r| r.enrolled)
        .sum();
    assert_eq!(all, district);
}

#[test]
fn enrollments_record_their_counter_and_count_per_office_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kab.sqlite");
    let mut conn = db::create(&path).unwrap();
    demo::populate(&mut conn, demo_opts()).unwrap();
    enrolled_from_two_offices(&conn);
    // The chain covers the counter: a row whose counter is rewritten breaks it.
    conn.as_sqlite()
        .unwrap()
        .execute_batch(
            "DROP TRIGGER audit_log_no_update;
             UPDATE audit_log SET counter = '36.03.09/Loket 9' WHERE counter = '36.03.09/Loket 1';",
        )
        .unwrap();
    assert!(audit::verify_chain(&conn).unwrap().is_some());
}

#[test]
fn enrollments_record_their_counter_and_count_per_office_on_postgres() {
    let Some(url) = url("tests/counter.rs") else {
        return;
    };
    let pg = PgDatabase::create(&url);
    let mut conn = db::create_on_server(&pg.spec()).unwrap();
    demo::populate(&mut conn, demo_opts()).unwrap();
    enrolled_from_two_offices(&conn);
}

fn demo_opts() -> DemoOptions {
    DemoOptions {
        residents: 300,
        seed: 1,
        today: NaiveDate::from_ymd_opt(2026, 2, 2).unwrap(),
    }
}

/// The command line: `loket counter set` keeps it per PC, `--counter` overrides it for a run,
/// a registration through the headless enroll records it, a malformed one is refused.
#[test]
fn the_counter_is_set_once_per_pc_and_recorded_by_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kab.sqlite");
    binary_demo(&db);
    let config = dir.path().join("config");
    let config = config.to_str().unwrap();
    let run = |args: &[&str], counter: Option<&str>| {
        let mut env = vec![("LOKET_CONFIG_DIR", config)];
        if let Some(c) = counter {
            env.push(("LOKET_COUNTER", c));
        }
        loket_with(&db, args, &env, "")
    };
    let (code, out, _) = run(&["counter"], None);
    assert_eq!(code, 0);
    assert!(out.contains("belum punya nama loket"), "{out}");
    let (code, _, err) = run(&["counter", "set", "36.03.4", "Loket 1"], None);
    assert_ne!(code, 0);
    assert!(err.contains("36.03.04"), "{err}");
    let (code, out, _) = run(&["counter", "set", "36.03.04", "Loket  1"], None);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Loket 1 (kantor kecamatan 36.03.04)"), "{out}");
    assert_eq!(
        std::fs::read_to_string(Path::new(config).join("counter")).unwrap(),
        "36.03.04/Loket 1\n"
    );
    let (_, out, _) = run(&["counter", "--json"], Some("36.03.21/Loket Depan"));
    let shown: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(shown["counter"], "36.03.21/Loket Depan");
    assert_eq!(shown["office"], "36.03.21");

    let conn = Connection::open_unchecked(&db).unwrap();
    walk_ins(&conn);
    let (cohort, _) = open_cohort(&conn);
    let code: String = conn
        .query_row("SELECT code FROM cohort WHERE id = ?1", [cohort], |r| {
            r.get(0)
        })
        .unwrap();
    let (status, out, err) = run(
        &[
            "--as",
            "sari",
            "enroll",
            "--nik",
            "3603040106950041",
            "--cohort",
            &code,
            "--json",
        ],
        None,
    );
    assert_eq!(status, 0, "{out}{err}");
    let counter: String = conn
        .query_row(
            "SELECT e.counter FROM enrollment e JOIN resident r ON r.id = e.resident_id
             WHERE r.nik = '3603040106950041'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(counter, "36.03.04/Loket 1");

    // A counter file edited by hand into something else: every command says what and where.
    std::fs::write(Path::new(config).join("counter"), "Loket 1\n").unwrap();
    let (status, _, err) = run(&["--as", "sari", "search", "andi"], None);
    assert_ne!(status, 0);
    assert!(err.contains("counter"), "{err}");
    assert!(err.contains("Loket 1"), "{err}");
}

/// The title bar names the desk beside the operator, at 80 columns too.
#[test]
fn the_title_bar_shows_the_counter() {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("s.sqlite"), demo_opts());
    conn.set_counter(Some("36.03.09/Loket Depan 2".parse().unwrap()));
    let sari = operators::actor_by_name(&conn, "sari").unwrap();
    let (ctx, _events) = common::ctx(
        conn,
        sari,
        loket::ui::text::Lang::Id,
        NaiveDate::from_ymd_opt(2026, 2, 2).unwrap(),
    );
    let first = loket::ui::screens::root(&ctx);
    let mut app = loket::ui::app::App::new(ctx, first);
    let screen = common::draw(&mut app);
    let title = screen.lines().next().unwrap();
    assert!(
        title.contains("Loket Depan 2 | Operator: sari (Petugas)"),
        "{title}"
    );
}

/// An import records the counter on the residents it adds, row by row and in a bulk load; the
/// residents it only updates keep theirs.
#[test]
fn an_import_marks_the_residents_it_adds_with_the_counter() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kab.sqlite");
    binary_demo(&db);
    let header =
        "NIK,NO_KK,NAMA,JENIS_KELAMIN,TEMPAT_LAHIR,TANGGAL_LAHIR,ALAMAT,RT,RW,KODE_DESA,NO_HP";
    let rows = [
        "3603320104900001,,Budi Santoso,L,Serang,01-04-1990,,,,,",
        "3603320204900002,,Joko Santoso,L,Serang,02-04-1990,,,,,",
    ];
    let file = dir.path().join("dukcapil.csv");
    std::fs::write(&file, format!("{header}\r\n{}\r\n{}\r\n", rows[0], rows[1])).unwrap();
    let config = dir.path().join("config");
    let env = [
        ("LOKET_CONFIG_DIR", config.to_str().unwrap()),
        ("LOKET_COUNTER", "36.03.32/Loket Impor"),
    ];
    let (code, out, err) = loket_with(
        &db,
        &[
            "--as",
            "budi",
            "import",
            "residents",
            file.to_str().unwrap(),
        ],
        &env,
        "",
    );
    assert_eq!(code, 0, "{out}{err}");
    let conn = Connection::open_unchecked(&db).unwrap();
    let marked: i64 = conn
        .query_row(
            "SELECT count(*) FROM resident WHERE counter = '36.03.32/Loket Impor' AND office_code = '36.03.32'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(marked, 2);
    let unmarked: i64 = conn
        .query_row(
            "SELECT count(*) FROM resident WHERE office_code IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        unmarked > 200,
        "the demo's own residents keep none: {unmarked}"
    );
}
