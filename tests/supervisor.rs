//! Supervisor view: the BPJS list read back from XLSX and CSV, contributions and totals, the
//! board and dashboard against direct counts, roles, and the screens at 80x24 and 160x48.

mod common;

use common::{TODAY, actor, count, count_with, draw, press, screen_text};

use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
use chrono::NaiveDate;
use crossterm::event::KeyCode;
use loket::db;
use loket::db::Connection;
use loket::db::board::{BoardFilter, board};
use loket::db::dashboard::{Grouping, rows, set_target};
use loket::db::demo::DemoOptions;
use loket::db::export::{
    BPJS_HEADER, ExportError, ExportScope, bpjs_rows, write_bpjs, write_report,
};
use loket::ui::app::{App, Ctx};
use loket::ui::screens::board::Board;
use loket::ui::screens::cohort::CohortScreen;
use loket::ui::screens::dashboard::Dashboard;
use loket::ui::text::{Lang, Localized};

/// The demo these tests share: sari (clerk), budi (supervisor), admin.
const DEMO: DemoOptions = DemoOptions {
    residents: 400,
    seed: 1,
    today: TODAY,
};

fn expected_jkk_per_month(funding: &str, start: &str) -> i64 {
    // Defaults: 1% of Rp 1,000,000; the 50% discount only for non-APBN/APBD funding that starts
    // on or before 2026-12-31.
    if (funding == "APBD" || funding == "APBN") || start > "2026-12-31" {
        10_000
    } else {
        5_000
    }
}

#[test]
fn bpjs_list_as_xlsx_has_text_niks_contributions_and_totals() {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("s.sqlite"), DEMO);
    let (cohort, code) = common::full_cohort(&conn);
    // Every participant submitted to BPJS, so every one is billed.
    conn.execute(
        "UPDATE coverage SET status = 'submitted' WHERE enrollment_id IN
             (SELECT id FROM enrollment WHERE cohort_id = ?1)",
        [cohort],
    )
    .unwrap();
    let rows = bpjs_rows(&conn, ExportScope::Cohort(cohort)).unwrap();
    let enrolled = count_with(
        &conn,
        "SELECT count(*) FROM enrollment e JOIN coverage v ON v.enrollment_id = e.id
         WHERE e.cohort_id = ?1 AND e.status = 'enrolled' AND (v.jkk = 1 OR v.jkm = 1)",
        [cohort],
    );
    assert_eq!(rows.len() as i64, enrolled);
    let path = dir.path().join("bpjs.xlsx");
    write_bpjs(&conn, &actor(&conn, "budi"), &path, &code, &rows).unwrap();

    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = book.worksheet_range("Peserta BPJS").unwrap();
    let all: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    // Under the title block: the header, the rows, the totals.
    let first = all
        .iter()
        .position(|r| r[0] == Data::String("ANGKATAN".into()))
        .unwrap();
    let all = &all[first..];
    assert_eq!(all.len() as i64, enrolled + 2, "header + rows + totals");
    let header: Vec<String> = all[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(header, BPJS_HEADER.map(String::from).to_vec());
    let mut sum = 0.0;
    for row in &all[1..all.len() - 1] {
        match &row[1] {
            Data::String(nik) => assert!(
                nik.len() == 16 && nik.chars().all(|c| c.is_ascii_digit()),
                "{nik}"
            ),
            other => panic!("NIK must be text, got {other:?}"),
        }
        let months = row[16].as_f64().unwrap() as i64;
        let jkk = row[17].as_f64().unwrap() as i64;
        let jkm = row[18].as_f64().unwrap() as i64;
        let total = row[19].as_f64().unwrap();
        let funding = row[14].to_string();
        // MULAI is a date cell: its ISO date.
        let Data::DateTime(serial) = &row[12] else {
            panic!("MULAI is a date cell: {row:?}")
        };
        let serial = serial.as_f64() as i64;
        let start = (NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()
            + chrono::Duration::days(serial))
        .to_string();
        assert_eq!(
            jkk,
            expected_jkk_per_month(&funding, &start) * months,
            "{row:?}"
        );
        assert_eq!(
            jkm,
            if jkk == 10_000 * months { 6_800 } else { 3_400 } * months
        );
        assert_eq!(total as i64, jkk + jkm);
        assert!((1..=2).contains(&months));
        sum += total;
    }
    let totals = all.last().unwrap();
    assert_eq!(totals[0].to_string(), "TOTAL");
    assert_eq!(totals[19].as_f64().unwrap(), sum);
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM audit_log WHERE action = 'export' AND entity = 'bpjs_list'"
        ),
        1
    );
}

#[test]
fn bpjs_list_as_csv_for_a_date_range() {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("s.sqlite"), DEMO);
    let from = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let rows = bpjs_rows(&conn, ExportScope::Range { from, to }).unwrap();
    let listed = count(&conn, "SELECT count(*) FROM enrollment e JOIN coverage v ON v.enrollment_id = e.id JOIN cohort c ON c.id = e.cohort_id
         WHERE e.status = 'enrolled' AND (v.jkk = 1 OR v.jkm = 1) AND c.end_date >= '2026-11-01' AND c.start_date <= '2026-12-31'");
    assert_eq!(rows.len() as i64, listed);
    // The CSV bills only coverage submitted or active.
    let expected = count(&conn, "SELECT count(*) FROM enrollment e JOIN coverage v ON v.enrollment_id = e.id JOIN cohort c ON c.id = e.cohort_id
         WHERE e.status = 'enrolled' AND (v.jkk = 1 OR v.jkm = 1) AND v.status IN ('submitted', 'active')
           AND c.end_date >= '2026-11-01' AND c.start_date <= '2026-12-31'");
    assert!(expected > 0);
    let path = dir.path().join("bpjs.csv");
    write_bpjs(&conn, &actor(&conn, "admin"), &path, "range", &rows).unwrap();
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len() as i64, expected + 1);
    let mut sum = 0i64;
    for r in &records[..records.len() - 1] {
        assert_eq!(r[1].len(), 16);
        sum += r[19].parse::<i64>().unwrap();
    }
    let totals = records.last().unwrap();
    assert_eq!(&totals[0], "TOTAL");
    assert_eq!(totals[19].parse::<i64>().unwrap(), sum);
}

#[test]
fn clerks_cannot_export_and_unknown_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("s.sqlite"), DEMO);
    let (cohort, code) = common::full_cohort(&conn);
    let rows = bpjs_rows(&conn, ExportScope::Cohort(cohort)).unwrap();
    let path = dir.path().join("x.xlsx");
    let err = write_bpjs(&conn, &actor(&conn, "sari"), &path, &code, &rows).unwrap_err();
    assert!(matches!(err, ExportError::Denied(_)), "{err:?}");
    assert!(!path.exists());
    let err = write_report(
        &conn,
        &actor(&conn, "sari"),
        &dir.path().join("r.xlsx"),
        2026,
    )
    .unwrap_err();
    assert!(matches!(err, ExportError::Denied(_)));
    let err = write_bpjs(
        &conn,
        &actor(&conn, "budi"),
        &dir.path().join("x.pdf"),
        &code,
        &rows,
    )
    .unwrap_err();
    assert!(matches!(err, ExportError::UnknownExtension(_)), "{err:?}");
    assert!(
        set_target(
            &conn,
            &actor(&conn, "sari"),
            2026,
            Grouping::Course,
            "TBS",
            100
        )
        .is_err()
    );
}

#[test]
fn board_and_dashboard_agree_with_direct_counts() {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("s.sqlite"), DEMO);
    let all = board(&conn, &BoardFilter::default(), TODAY).unwrap();
    assert_eq!(
        all.len() as i64,
        count(&conn, "SELECT count(*) FROM cohort")
    );
    for row in &all {
        let c = &row.cohort;
        let enrolled = count_with(
            &conn,
            "SELECT count(*) FROM enrollment WHERE cohort_id = ?1 AND status = 'enrolled'",
            [c.id],
        );
        let covered = count_with(&conn, "SELECT count(*) FROM enrollment e JOIN coverage v ON v.enrollment_id = e.id WHERE e.cohort_id = ?1
             AND e.status = 'enrolled' AND v.status = 'active' AND v.jkk = 1 AND v.jkm = 1 AND v.needs_resubmission = 0", [c.id]);
        assert_eq!(
            (c.enrolled as i64, row.covered as i64),
            (enrolled, covered),
            "{}",
            c.code
        );
        if c.status.dates_editable() && row.not_ready.is_empty() {
            assert!(covered == enrolled && enrolled >= c.min_participants as i64);
        }
    }
    // The full cohort is not ready: not everybody is covered.
    let (full, _) = common::full_cohort(&conn);
    assert!(
        !all.iter()
            .find(|r| r.cohort.id == full)
            .unwrap()
            .not_ready
            .is_empty()
    );
    let open = BoardFilter {
        status: Some(loket::domain::cohort::CohortStatus::Open),
        ..BoardFilter::default()
    };
    let open_rows = board(&conn, &open, TODAY).unwrap();
    assert_eq!(
        open_rows.len() as i64,
        count(&conn, "SELECT count(*) FROM cohort WHERE status = 'open'")
    );

    let by_course = rows(&conn, Grouping::Course, 2026).unwrap();
    let enrolled_2026: i64 = count(
        &conn,
        "SELECT count(*) FROM enrollment e JOIN cohort c ON c.id = e.cohort_id
         WHERE e.status = 'enrolled' AND substr(CAST(c.start_date AS TEXT), 1, 5) = '2026-' AND c.status <> 'cancelled'",
    );
    assert_eq!(
        by_course.iter().map(|r| r.enrolled as i64).sum::<i64>(),
        enrolled_2026
    );
    let by_district = rows(&conn, Grouping::District, 2026).unwrap();
    assert_eq!(
        by_district.iter().map(|r| r.enrolled as i64).sum::<i64>(),
        enrolled_2026
    );

    set_target(
        &conn,
        &actor(&conn, "budi"),
        2026,
        Grouping::Course,
        "TBS",
        64,
    )
    .unwrap();
    let tbs = rows(&conn, Grouping::Course, 2026)
        .unwrap()
        .into_iter()
        .find(|r| r.code == "TBS")
        .unwrap();
    assert_eq!(tbs.target, Some(64));
    assert_eq!(tbs.target_percent(), Some(tbs.enrolled * 100 / 64));
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM audit_log WHERE entity = 'target'"
        ),
        1
    );
}

// --- screens -----------------------------------------------------------------------------------

fn ctx(conn: Connection, operator: &str) -> Ctx {
    let actor = actor(&conn, operator);
    common::ctx(conn, actor, Lang::Id, TODAY).0
}

#[test]
fn board_screen_at_two_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = ctx(common::demo_db(&dir.path().join("s.sqlite"), DEMO), "budi");
    let board = Board::new(&ctx).unwrap();
    let mut app = App::new(ctx, Box::new(board));
    insta::assert_snapshot!("board_80x24", draw(&mut app));
    insta::assert_snapshot!("board_160x48", screen_text(&mut app, 160, 48));
    // F2 steps the status filter: draft first.
    press(&mut app, KeyCode::F(2));
    let screen = draw(&mut app);
    assert!(screen.contains("Status: draf"), "{screen}");
    assert!(!screen.contains("selesai "), "{screen}");
}

#[test]
fn cohort_screen_marks_coverage_and_shows_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("s.sqlite"), DEMO);
    let (cohort, _) = common::full_cohort(&conn);
    let ctx = ctx(conn, "budi");
    let screen = CohortScreen::open(&ctx, cohort).unwrap();
    let mut app = App::new(ctx, Box::new(screen));
    insta::assert_snapshot!("cohort_80x24", draw(&mut app));
    insta::assert_snapshot!("cohort_160x48", screen_text(&mut app, 160, 48));

    // Find a participant not yet registered with BPJS; submit, then activate with a KPJ.
    let target: (i64, String) = app
        .ctx
        .conn
        .query_row(
            "SELECT e.id, r.name FROM enrollment e JOIN resident r ON r.id = e.resident_id JOIN coverage v ON v.enrollment_id = e.id
             WHERE e.cohort_id = ?1 AND e.status = 'enrolled' AND v.status = 'unregistered' ORDER BY r.name LIMIT 1",
            [cohort],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // The screen lists the roster without the withdrawn, in db::enrollment::roster's order.
    let position = loket::db::enrollment::roster(&app.ctx.conn, cohort)
        .unwrap()
        .into_iter()
        .filter(|r| r.status != loket::domain::enrollment::EnrollmentStatus::Withdrawn)
        .position(|r| r.enrollment_id == target.0)
        .unwrap();
    for _ in 0..position {
        press(&mut app, KeyCode::Down);
    }
    // Activating straight away is refused: it must be submitted first.
    press(&mut app, KeyCode::F(3));
    for c in "26012345678".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    assert!(draw(&mut app).contains("Kesalahan"));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::F(2));
    let status = |app: &App| -> String {
        app.ctx
            .conn
            .query_row(
                "SELECT status FROM coverage WHERE enrollment_id = ?1",
                [target.0],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(status(&app), "submitted");
    press(&mut app, KeyCode::F(3));
    for c in "26012345678".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(status(&app), "active");
    let kpj: String = app
        .ctx
        .conn
        .query_row(
            "SELECT kpj FROM coverage WHERE enrollment_id = ?1",
            [target.0],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kpj, "26012345678");
}

#[test]
fn a_clerk_cannot_move_a_cohort_on() {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("s.sqlite"), DEMO);
    let (cohort, _) = common::full_cohort(&conn);
    let ctx = ctx(conn, "sari");
    let screen = CohortScreen::open(&ctx, cohort).unwrap();
    let mut app = App::new(ctx, Box::new(screen));
    press(&mut app, KeyCode::F(5));
    press(&mut app, KeyCode::Enter);
    let screen = draw(&mut app);
    assert!(screen.contains("tidak berwenang"), "{screen}");
    let status: String = app
        .ctx
        .conn
        .query_row("SELECT status FROM cohort WHERE id = ?1", [cohort], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(status, "open");
}

#[test]
fn dashboard_at_two_sizes_and_drill_down() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = ctx(common::demo_db(&dir.path().join("s.sqlite"), DEMO), "budi");
    let dashboard = Dashboard::new(&ctx).unwrap();
    let mut app = App::new(ctx, Box::new(dashboard));
    insta::assert_snapshot!("dashboard_80x24", draw(&mut app));
    insta::assert_snapshot!("dashboard_160x48", screen_text(&mut app, 160, 48));
    press(&mut app, KeyCode::Tab); // where participants live
    press(&mut app, KeyCode::Tab); // which office enrolled them
    press(&mut app, KeyCode::Tab);
    assert!(draw(&mut app).contains("Per kejuruan"));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.depth(), 2);
    assert!(
        app.top_title().starts_with("Papan angkatan:"),
        "{}",
        app.top_title()
    );
}

#[test]
fn nobody_is_present_on_a_day_without_active_coverage() {
    use loket::db::attendance::{AttendanceError, record, sheet, training_days};
    use loket::domain::attendance::{AttendanceRefusal, AttendanceStatus};
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("s.sqlite"), DEMO);
    let cohort: i64 = conn
        .query_row(
            "SELECT id FROM cohort WHERE status = 'running' ORDER BY start_date LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let enrollment: i64 = conn
        .query_row(
            "SELECT id FROM enrollment WHERE cohort_id = ?1 AND status = 'enrolled' LIMIT 1",
            [cohort],
            |r| r.get(0),
        )
        .unwrap();
    // BPJS has not answered yet for this participant.
    conn.execute(
        "UPDATE coverage SET status = 'submitted', kpj = NULL, covered_from = NULL, covered_until = NULL
         WHERE enrollment_id = ?1",
        [enrollment],
    )
    .unwrap();
    let days = training_days(&conn, cohort).unwrap();
    let clerk = actor(&conn, "sari");
    let today = days[1];
    // Present needs coverage active on that very day: day 1 and every day after.
    for day in [days[0], days[1]] {
        let err = record(
            &conn,
            &clerk,
            enrollment,
            day,
            AttendanceStatus::Present,
            today,
        )
        .unwrap_err();
        assert!(
            matches!(err, AttendanceError::Refused(AttendanceRefusal::NotCovered { date }) if date == day),
            "{err:?}"
        );
        assert!(err.text(Lang::Id).contains("BPJS"));
    }
    record(
        &conn,
        &clerk,
        enrollment,
        days[0],
        AttendanceStatus::Sick,
        today,
    )
    .unwrap();
    // BPJS answers: active from day 1, and present is recorded.
    conn.execute(
        "UPDATE coverage SET status = 'active', kpj = '26000000001', covered_from = period_start,
             covered_until = period_end WHERE enrollment_id = ?1",
        [enrollment],
    )
    .unwrap();
    record(
        &conn,
        &clerk,
        enrollment,
        days[1],
        AttendanceStatus::Present,
        today,
    )
    .unwrap();
    let saturday_or_holiday = days[0] - chrono::Duration::days(1);
    assert!(matches!(
        record(
            &conn,
            &clerk,
            enrollment,
            saturday_or_holiday,
            AttendanceStatus::Present,
            today
        ),
        Err(AttendanceError::Refused(
            AttendanceRefusal::NotATrainingDay { .. }
        ))
    ));
    let sheet = sheet(&conn, cohort, days[1]).unwrap();
    let row = sheet
        .rows
        .iter()
        .find(|r| r.enrollment_id == enrollment)
        .unwrap();
    assert_eq!(row.days[0], Some(AttendanceStatus::Sick));
    assert_eq!(row.days[1], Some(AttendanceStatus::Present));
    assert_eq!(row.rate, Some(50));
    assert_eq!(sheet.min_rate, 80);
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM audit_log WHERE entity = 'attendance'"
        ),
        2
    );
}

#[test]
fn supervisors_keep_the_holiday_calendar_and_clerks_cannot() {
    use loket::db::holidays::{HolidayError, add, of_year, remove};
    use loket::domain::calendar::{WorkingCalendar, WorkingWeek};
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("s.sqlite"), DEMO);
    let date = NaiveDate::from_ymd_opt(2027, 2, 12).unwrap(); // a Friday, no holiday yet
    let before = WorkingCalendar::new(
        db::reference::holiday_dates(&conn).unwrap(),
        WorkingWeek::FiveDay,
    );
    assert!(before.is_working_day(date));
    assert!(matches!(
        add(&conn, &actor(&conn, "sari"), date, "Cuti Bersama X"),
        Err(HolidayError::Denied(_))
    ));
    add(&conn, &actor(&conn, "budi"), date, "Cuti Bersama Contoh").unwrap();
    let after = WorkingCalendar::new(
        db::reference::holiday_dates(&conn).unwrap(),
        WorkingWeek::FiveDay,
    );
    assert!(!after.is_working_day(date));
    let added = of_year(&conn, 2027)
        .unwrap()
        .into_iter()
        .find(|h| h.date == date)
        .unwrap();
    assert_eq!(added.category.code(), "government");
    assert!(matches!(
        add(&conn, &actor(&conn, "budi"), date, "lagi"),
        Err(HolidayError::Exists(_))
    ));
    let new_year = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    assert!(matches!(
        remove(&conn, &actor(&conn, "budi"), new_year),
        Err(HolidayError::NotCustom(_))
    ));
    remove(&conn, &actor(&conn, "budi"), date).unwrap();
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM audit_log WHERE entity = 'holiday'"
        ),
        2
    );
}

#[test]
fn reference_screen_edits_an_instructors_certificate() {
    use loket::ui::screens::reference::Reference;
    let dir = tempfile::tempdir().unwrap();
    let ctx = ctx(common::demo_db(&dir.path().join("s.sqlite"), DEMO), "budi");
    let screen = Reference::new(&ctx).unwrap();
    let mut app = App::new(ctx, Box::new(screen));
    insta::assert_snapshot!("reference_holidays_80x24", draw(&mut app));
    press(&mut app, KeyCode::Tab); // settings
    press(&mut app, KeyCode::Tab); // instructors
    let screen = draw(&mut app);
    assert!(screen.contains("Instruktur"), "{screen}");
    let first: (i64, String) = app
        .ctx
        .conn
        .query_row(
            "SELECT id, name FROM instructor WHERE active = 1 ORDER BY name LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    press(&mut app, KeyCode::Enter);
    // Clear the prefilled text, then type a new number and expiry.
    common::ctrl(&mut app, 'u');
    for c in "BNSP-99999-2026 2029-06-30".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    let after = draw(&mut app);
    assert!(!after.contains("Kesalahan"), "{after}");
    let (no, expiry): (String, String) = app
        .ctx
        .conn
        .query_row(
            "SELECT bnsp_cert_no, bnsp_expiry FROM instructor WHERE id = ?1",
            [first.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (no.as_str(), expiry.as_str()),
        ("BNSP-99999-2026", "2029-06-30"),
        "{}",
        first.1
    );
    assert_eq!(
        count(
            &app.ctx.conn,
            "SELECT count(*) FROM audit_log WHERE entity = 'instructor'"
        ),
        1
    );
}
