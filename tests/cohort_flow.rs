//! A cohort from plan to certificate against real databases: edits that never back-date and
//! warn of overlaps, capacity that promotes from the waitlist, holidays that touch planned and
//! running cohorts, attendance rules, the BPJS loop (one KPJ per person, corrections, marked rows
//! in order), outcomes with "all remaining passed", readiness while running and the "not ready,
//! starting soon" list; the create/edit form, the outcome view and KPJ on marked rows on a
//! TestBackend at 80x24 and wide; and the headless `cohort edit|outcome|followup|dates` and
//! `coverage` commands.

mod common;

use chrono::{Duration, NaiveDate};
use common::{
    TODAY, actor, count, count_with, draw, loket, loket_json, press, screen_text, type_text,
};
use crossterm::event::KeyCode;
use loket::db::Connection;
use loket::db::cohorts::{self, CohortEdit, CohortError};
use loket::db::coverage::{self, CoverageChangeError};
use loket::db::demo::DemoOptions;
use loket::db::enrollment::{self, Completion};
use loket::db::{attendance, board, holidays};
use loket::domain::attendance::{AttendanceRefusal, AttendanceStatus};
use loket::domain::cohort::{CohortStatus, PlanError, PlanField};
use loket::domain::coverage::{CoverageError, CoverageStatus};
use loket::domain::enrollment::{CompletionRefusal, EnrollmentStatus, Followup, Outcome};
use loket::ui::app::App;
use loket::ui::screens::board::Board;
use loket::ui::screens::cohort::CohortScreen;
use loket::ui::text::Lang;

/// The demo these tests share: sari (clerk), budi (supervisor), admin; "today" is TODAY.
const DEMO: DemoOptions = DemoOptions {
    residents: 400,
    seed: 1,
    today: TODAY,
};

fn demo() -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("c.sqlite"), DEMO);
    (dir, conn)
}

/// The open cohort with a waitlist (the demo's full one).
fn full_cohort(conn: &Connection) -> i64 {
    count(
        conn,
        "SELECT c.id FROM cohort c WHERE c.status = 'open'
           AND EXISTS (SELECT 1 FROM enrollment e WHERE e.cohort_id = c.id AND e.status = 'waitlisted')",
    )
}

/// The first running cohort.
fn running_cohort(conn: &Connection) -> i64 {
    count(
        conn,
        "SELECT id FROM cohort WHERE status = 'running' ORDER BY start_date LIMIT 1",
    )
}

/// Residents aged 20 to 40 on TODAY with no enrollment at all.
fn free_residents(conn: &Connection, n: usize) -> Vec<i64> {
    conn.prepare(
        "SELECT id FROM resident WHERE id NOT IN (SELECT resident_id FROM enrollment)
           AND birth_date BETWEEN '1987-01-01' AND '2005-01-01' ORDER BY id LIMIT ?1",
    )
    .unwrap()
    .query_map([n as i64], |r| r.get(0))
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// A new open cohort of TBS at BLK Jayanti (five-day week) from `start`.
fn open_cohort(conn: &Connection, code: &str, start: NaiveDate, capacity: u32) -> i64 {
    let budi = actor(conn, "budi");
    let new = cohorts::NewCohort {
        code: code.into(),
        course_code: "TBS".into(),
        venue_code: "BLK-JYT".into(),
        location_kind: loket::domain::cohort::LocationKind::Venue,
        location_name: String::new(),
        location_village_code: None,
        start,
        working_days: Some(10),
        capacity: Some(capacity),
        min_participants: Some(1),
        daily_hours: None,
        instructor_id: None,
        funding: loket::domain::cohort::Funding::Apbd,
        target_groups: String::new(),
    };
    let row = cohorts::create(conn, &budi, &new, TODAY).unwrap();
    cohorts::transition(conn, &budi, row.id, CohortStatus::Open, None, TODAY).unwrap();
    row.id
}

fn enroll(conn: &Connection, resident: i64, cohort: i64) -> i64 {
    enrollment::enroll(conn, &actor(conn, "sari"), resident, cohort)
        .unwrap()
        .enrollment_id
}

fn coverage_status(conn: &Connection, enrollment: i64) -> CoverageStatus {
    coverage::get(conn, enrollment).unwrap().unwrap().status
}

// --- plans: dates, overlaps, capacity, instructor ------------------------------------------------

#[test]
fn moving_dates_never_goes_into_the_past_and_names_overlaps() {
    let (_dir, conn) = demo();
    let budi = actor(&conn, "budi");
    let january = open_cohort(&conn, "T-JAN", common::date(2027, 1, 11), 10);
    let march = open_cohort(&conn, "T-MAR", common::date(2027, 3, 1), 10);
    let [ani, budi_r] = free_residents(&conn, 2)[..] else {
        panic!("two free residents")
    };
    enroll(&conn, ani, january);
    enroll(&conn, ani, march);
    enroll(&conn, budi_r, march);

    // Back-dating is refused, whether the cohort is open or a draft (issue 16: 2026-10-01).
    // (A Saturday before today whose first working day is tomorrow would be fine: day 1 counts.)
    for start in [common::date(2026, 10, 1), common::date(2026, 11, 19)] {
        let err = cohorts::update_dates(&conn, &budi, march, start, None, TODAY).unwrap_err();
        assert!(
            matches!(err, CohortError::Plan(PlanError::StartInPast { .. })),
            "{start}: {err:?}"
        );
    }
    // Today itself is fine (day 1 is the next working day on or after it).
    let today_start = cohorts::update_dates(&conn, &budi, march, TODAY, None, TODAY).unwrap();
    assert!(today_start.cohort.start_date >= TODAY);

    // Moving March onto January names Ani, whose January cohort now overlaps; Budi has none.
    let moved =
        cohorts::update_dates(&conn, &budi, march, common::date(2027, 1, 13), None, TODAY).unwrap();
    assert_eq!(moved.changed, vec![PlanField::Dates]);
    let names: Vec<i64> = moved.overlaps.iter().map(|o| o.resident_id).collect();
    assert_eq!(names, vec![ani]);
    assert_eq!(moved.overlaps[0].other_code, "T-JAN");
    // Both enrollments stay: it is a warning.
    assert_eq!(
        count_with(
            &conn,
            "SELECT count(*) FROM enrollment WHERE resident_id = ?1 AND status = 'enrolled'",
            [ani]
        ),
        2
    );
    // A running cohort's dates are locked; a draft created in the past is refused too.
    let running = running_cohort(&conn);
    assert!(matches!(
        cohorts::update_dates(&conn, &budi, running, common::date(2027, 2, 1), None, TODAY),
        Err(CohortError::Plan(PlanError::Locked {
            field: PlanField::Dates,
            status: CohortStatus::Running
        }))
    ));
}

#[test]
fn growing_capacity_promotes_the_head_of_the_waitlist() {
    let (_dir, conn) = demo();
    let budi = actor(&conn, "budi");
    let full = full_cohort(&conn);
    let before = cohorts::get(&conn, full).unwrap().unwrap();
    let heads: Vec<i64> = enrollment::waitlist(&conn, full)
        .unwrap()
        .iter()
        .take(2)
        .map(|w| w.enrollment_id)
        .collect();
    assert!(before.waitlisted >= 3, "the demo's full cohort waits");
    // Below the seated participants: refused, nobody loses a seat.
    let shrink = CohortEdit {
        capacity: Some(before.enrolled - 1),
        min_participants: Some(1),
        ..CohortEdit::default()
    };
    assert!(matches!(
        cohorts::edit(&conn, &budi, full, &shrink, TODAY),
        Err(CohortError::Plan(PlanError::CapacityBelowEnrolled { .. }))
    ));
    let grow = CohortEdit {
        capacity: Some(before.capacity + 2),
        ..CohortEdit::default()
    };
    let out = cohorts::edit(&conn, &budi, full, &grow, TODAY).unwrap();
    let promoted: Vec<i64> = out.promoted.iter().map(|p| p.enrollment_id).collect();
    assert_eq!(promoted, heads, "head of the waitlist first");
    assert_eq!(out.cohort.enrolled, before.enrolled + 2);
    assert_eq!(out.cohort.waitlisted, before.waitlisted - 2);
    for id in &heads {
        let after: String = conn
            .query_row(
                "SELECT after_json FROM audit_log WHERE action = 'enrollment.promote' AND entity_id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .unwrap();
        assert!(after.contains("\"capacity\""), "{after}");
    }
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM audit_log WHERE action = 'cohort.edit'"
        ),
        1
    );
    // A minimum above the capacity is refused.
    let min = CohortEdit {
        min_participants: Some(out.cohort.capacity + 1),
        ..CohortEdit::default()
    };
    assert!(matches!(
        cohorts::edit(&conn, &budi, full, &min, TODAY),
        Err(CohortError::Plan(PlanError::BadMinimum { .. }))
    ));
    // A clerk may not edit.
    assert!(matches!(
        cohorts::edit(&conn, &actor(&conn, "sari"), full, &grow, TODAY),
        Err(CohortError::Denied(_))
    ));
}

#[test]
fn a_running_cohort_changes_instructor_but_not_venue_or_sizes() {
    let (_dir, conn) = demo();
    let budi = actor(&conn, "budi");
    let running = running_cohort(&conn);
    let other = count(&conn, "SELECT max(id) FROM instructor");
    let substitute = CohortEdit {
        instructor_id: Some(Some(other)),
        ..CohortEdit::default()
    };
    let out = cohorts::edit(&conn, &budi, running, &substitute, TODAY).unwrap();
    assert_eq!(out.cohort.instructor_id, Some(other));
    for (change, field) in [
        (
            CohortEdit {
                venue_code: Some("MTU-1".into()),
                ..CohortEdit::default()
            },
            PlanField::Venue,
        ),
        (
            CohortEdit {
                capacity: Some(out.cohort.capacity + 1),
                ..CohortEdit::default()
            },
            PlanField::Capacity,
        ),
    ] {
        assert!(matches!(
            cohorts::edit(&conn, &budi, running, &change, TODAY),
            Err(CohortError::Plan(PlanError::Locked { field: f, .. })) if f == field
        ));
    }
    // Instructors are found by name; an ambiguous part of a name is refused with the matches.
    let name: String = conn
        .query_row("SELECT name FROM instructor WHERE id = ?1", [other], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        cohorts::find_instructor(&conn, &name.to_lowercase()).unwrap(),
        other
    );
    assert!(matches!(
        cohorts::find_instructor(&conn, "zzz-nobody"),
        Err(CohortError::NotFound(_))
    ));
}

// --- holidays ------------------------------------------------------------------------------------

#[test]
fn a_holiday_inside_cohorts_names_them_and_recomputes_their_ends() {
    let (_dir, conn) = demo();
    let budi = actor(&conn, "budi");
    let cohort = open_cohort(&conn, "T-HOL", common::date(2027, 1, 11), 10);
    let [a] = free_residents(&conn, 1)[..] else {
        panic!()
    };
    let e = enroll(&conn, a, cohort);
    coverage::submit(&conn, &budi, &[e]).unwrap();
    coverage::activate(&conn, &budi, e, "26099990001").unwrap();
    let before = cohorts::get(&conn, cohort).unwrap().unwrap();
    assert_eq!(before.end_date, common::date(2027, 1, 22));
    // A cuti bersama on Wednesday 13 January: inside the cohort, on a training day.
    let wednesday = common::date(2027, 1, 13);
    let touched = holidays::add(&conn, &budi, wednesday, "Cuti Bersama uji").unwrap();
    let mine = touched.iter().find(|t| t.id == cohort).expect("named");
    assert_eq!(mine.end_date, before.end_date);
    assert_eq!(mine.new_end, common::date(2027, 1, 25));
    // Until recomputed the grid stops at the old end: 9 days, none past the end.
    let days = attendance::training_days(&conn, cohort).unwrap();
    assert_eq!(days.len(), 9);
    assert!(
        days.iter()
            .all(|d| *d <= before.end_date && *d != wednesday)
    );
    // A Saturday at a five-day venue, or a date outside, touches nothing of this cohort.
    let saturday = common::date(2027, 1, 16);
    assert!(
        holidays::add(&conn, &budi, saturday, "Libur lokal")
            .unwrap()
            .iter()
            .all(|t| t.id != cohort)
    );
    let moved =
        cohorts::recompute_ends(&conn, &budi, &[cohort], "holiday 2027-01-13 added").unwrap();
    assert_eq!(moved.len(), 1);
    let after = cohorts::get(&conn, cohort).unwrap().unwrap();
    assert_eq!(
        (after.start_date, after.end_date),
        (before.start_date, common::date(2027, 1, 25))
    );
    assert_eq!(attendance::training_days(&conn, cohort).unwrap().len(), 10);
    let cv = coverage::get(&conn, e).unwrap().unwrap();
    assert_eq!(cv.period_end, after.end_date, "the coverage period follows");
    assert!(cv.needs_resubmission, "BPJS must hear of the new period");
    assert_eq!(
        cv.covered_until,
        Some(before.end_date),
        "BPJS confirmed the old one"
    );
    let audit: String = conn
        .query_row(
            "SELECT after_json FROM audit_log WHERE action = 'cohort.dates' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(audit.contains("holiday 2027-01-13 added"), "{audit}");
    // Removing it names the cohort again, whose end can come back.
    let touched = holidays::remove(&conn, &budi, wednesday).unwrap();
    let mine = touched.iter().find(|t| t.id == cohort).expect("named");
    assert_eq!(mine.new_end, before.end_date);
    // Recomputing again with nothing to move changes nothing twice.
    cohorts::recompute_ends(&conn, &budi, &[cohort], "holiday removed").unwrap();
    assert!(
        cohorts::recompute_ends(&conn, &budi, &[cohort], "again")
            .unwrap()
            .is_empty()
    );
}

// --- attendance ----------------------------------------------------------------------------------

#[test]
fn attendance_has_no_future_one_mark_a_day_and_needs_cover_each_day() {
    let (_dir, conn) = demo();
    let sari = actor(&conn, "sari");
    let cohort = running_cohort(&conn);
    let days = attendance::training_days(&conn, cohort).unwrap();
    let passed: Vec<NaiveDate> = days.iter().copied().filter(|d| *d <= TODAY).collect();
    assert!(passed.len() >= 3 && passed.len() < days.len(), "{days:?}");
    let e = count_with(
        &conn,
        "SELECT e.id FROM enrollment e JOIN coverage v ON v.enrollment_id = e.id
         WHERE e.cohort_id = ?1 AND e.status = 'enrolled' AND v.status = 'active' ORDER BY e.id LIMIT 1",
        [cohort],
    );
    let future = days[passed.len()];
    assert!(matches!(
        attendance::record(&conn, &sari, e, future, AttendanceStatus::Present, TODAY),
        Err(attendance::AttendanceError::Refused(
            AttendanceRefusal::Future { .. }
        ))
    ));
    // Marked three times the same day: one row, the last mark.
    for status in [
        AttendanceStatus::Present,
        AttendanceStatus::Absent,
        AttendanceStatus::Present,
    ] {
        attendance::record(&conn, &sari, e, passed[0], status, TODAY).unwrap();
    }
    assert_eq!(
        count_with(
            &conn,
            "SELECT count(*) FROM attendance WHERE enrollment_id = ?1",
            [e]
        ),
        1
    );
    for day in &passed {
        attendance::record(&conn, &sari, e, *day, AttendanceStatus::Present, TODAY).unwrap();
    }
    let sheet = attendance::sheet(&conn, cohort, TODAY).unwrap();
    let row = sheet.rows.iter().find(|r| r.enrollment_id == e).unwrap();
    assert_eq!((row.rate, row.unmarked), (Some(100), 0));
    assert!(sheet.rows.iter().all(|r| r.rate.is_none_or(|r| r <= 100)));

    // Coverage rejected: present refused on any day, not only day 1 (issue 16: day 3).
    let other = count_with(
        &conn,
        "SELECT e.id FROM enrollment e WHERE e.cohort_id = ?1 AND e.status = 'enrolled' AND e.id <> ?2
         ORDER BY e.id LIMIT 1",
        [cohort, e],
    );
    conn.execute(
        "UPDATE coverage SET status = 'submitted', needs_resubmission = 1 WHERE enrollment_id = ?1",
        [other],
    )
    .unwrap();
    coverage::reject(&conn, &actor(&conn, "budi"), other, "NIK tidak cocok").unwrap();
    for day in &passed {
        assert!(matches!(
            attendance::record(&conn, &sari, other, *day, AttendanceStatus::Present, TODAY),
            Err(attendance::AttendanceError::Refused(AttendanceRefusal::NotCovered { date })) if date == *day
        ));
        attendance::record(&conn, &sari, other, *day, AttendanceStatus::Sick, TODAY).unwrap();
    }
}

// --- the BPJS loop ------------------------------------------------------------------------------

#[test]
fn a_kpj_is_one_persons_and_a_supervisor_corrects_it_with_a_reason() {
    let (_dir, conn) = demo();
    let budi = actor(&conn, "budi");
    let first = open_cohort(&conn, "T-K1", common::date(2027, 1, 11), 10);
    let second = open_cohort(&conn, "T-K2", common::date(2027, 3, 1), 10);
    let [a, b] = free_residents(&conn, 2)[..] else {
        panic!()
    };
    let ea = enroll(&conn, a, first);
    let eb = enroll(&conn, b, first);
    let ea2 = enroll(&conn, a, second);
    coverage::submit(&conn, &budi, &[ea, eb, ea2]).unwrap();
    coverage::activate(&conn, &budi, ea, "26011112222").unwrap();
    // Another person's KPJ is refused, however it is typed.
    assert!(matches!(
        coverage::activate(&conn, &budi, eb, "260 1111 2222"),
        Err(CoverageChangeError::Rule(CoverageError::KpjTaken { .. }))
    ));
    assert_eq!(coverage_status(&conn, eb), CoverageStatus::Submitted);
    // The same person in a second course keeps their KPJ.
    coverage::activate(&conn, &budi, ea2, "26011112222").unwrap();
    coverage::activate(&conn, &budi, eb, "26011113333").unwrap();
    // A correction needs a reason, a new number, and never takes another's KPJ.
    for (kpj, reason, want) in [
        ("26011114444", " ", CoverageError::CorrectionReasonRequired),
        ("26011113333", "salah ketik", CoverageError::KpjUnchanged),
        (
            "26011112222",
            "salah ketik",
            CoverageError::KpjTaken {
                kpj: "26011112222".into(),
            },
        ),
    ] {
        let err = coverage::correct_kpj(&conn, &budi, eb, kpj, reason).unwrap_err();
        assert!(
            matches!(&err, CoverageChangeError::Rule(e) if *e == want),
            "{kpj} {reason:?}: {err:?}"
        );
    }
    assert!(matches!(
        coverage::correct_kpj(&conn, &actor(&conn, "sari"), eb, "26011114444", "x"),
        Err(CoverageChangeError::Denied(_))
    ));
    coverage::correct_kpj(&conn, &budi, eb, "2601111 4444", "salah ketik di kartu").unwrap();
    let cv = coverage::get(&conn, eb).unwrap().unwrap();
    assert_eq!(
        (cv.status, cv.kpj.as_deref()),
        (CoverageStatus::Active, Some("26011114444"))
    );
    let (before, after): (String, String) = conn
        .query_row(
            "SELECT before_json, after_json FROM audit_log WHERE action = 'coverage.correct'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(before.contains("26011113333"), "{before}");
    assert!(
        after.contains("26011114444") && after.contains("salah ketik"),
        "{after}"
    );
}

#[test]
fn readiness_shows_while_running_and_soon_starting_cohorts_are_listed() {
    let (_dir, conn) = demo();
    let budi = actor(&conn, "budi");
    let running = running_cohort(&conn);
    let e = count_with(
        &conn,
        "SELECT id FROM enrollment WHERE cohort_id = ?1 AND status = 'enrolled' ORDER BY id LIMIT 1",
        [running],
    );
    conn.execute(
        "UPDATE coverage SET status = 'rejected', reject_reason = 'x', covered_from = NULL,
             covered_until = NULL WHERE enrollment_id = ?1",
        [e],
    )
    .unwrap();
    let rows = board::board(&conn, &board::BoardFilter::default(), TODAY).unwrap();
    let row = rows.iter().find(|r| r.cohort.id == running).unwrap();
    assert!(
        row.not_ready.iter().any(
            |n| matches!(n, loket::domain::readiness::NotReady::Uncovered { count } if *count >= 1)
        ),
        "{:?}",
        row.not_ready
    );
    // Not ready and starting within readiness.warn_days (14): listed; beyond: not.
    let soon = board::not_ready_soon(&conn, TODAY).unwrap();
    assert!(!soon.is_empty());
    for r in &soon {
        assert!(r.cohort.status.dates_editable() && !r.not_ready.is_empty());
        assert!(r.cohort.start_date >= TODAY && r.cohort.start_date <= TODAY + Duration::days(14));
    }
    loket::db::settings::update(
        &conn,
        &budi,
        loket::db::settings::SettingKey::ReadinessWarnDays,
        "60",
    )
    .unwrap();
    let later = board::not_ready_soon(&conn, TODAY).unwrap();
    assert!(
        later.len() > soon.len(),
        "{} vs {}",
        later.len(),
        soon.len()
    );
}

// --- outcomes ------------------------------------------------------------------------------------

#[test]
fn outcomes_all_remaining_passed_with_exceptions_and_completion_gaps() {
    let (_dir, conn) = demo();
    let budi = actor(&conn, "budi");
    let sari = actor(&conn, "sari");
    let cohort = running_cohort(&conn);
    let people: Vec<i64> = enrollment::roster(&conn, cohort)
        .unwrap()
        .into_iter()
        .filter(|r| r.status == EnrollmentStatus::Enrolled)
        .map(|r| r.enrollment_id)
        .collect();
    let (failed, dropped, low, rest) = (people[0], people[1], people[2], &people[3..]);
    let start = cohorts::get(&conn, cohort).unwrap().unwrap().start_date;
    // Everyone present every passed day, except `low`, absent.
    let days = attendance::training_days(&conn, cohort).unwrap();
    for day in days.iter().filter(|d| **d <= TODAY) {
        for e in &people {
            let status = if *e == low {
                AttendanceStatus::Absent
            } else {
                AttendanceStatus::Present
            };
            // The demo's running cohorts are covered; whoever is not is marked sick.
            if attendance::record(&conn, &sari, *e, *day, status, TODAY).is_err() {
                attendance::record(&conn, &sari, *e, *day, AttendanceStatus::Sick, TODAY).unwrap();
            }
        }
    }
    // Exceptions first.
    enrollment::set_result(&conn, &budi, failed, Outcome::Failed, None, None, TODAY).unwrap();
    enrollment::set_result(
        &conn,
        &budi,
        dropped,
        Outcome::DroppedOut,
        None,
        None,
        TODAY,
    )
    .unwrap();
    let done = enrollment::pass_remaining(&conn, &budi, cohort, TODAY).unwrap();
    assert_eq!(done.kept, 2);
    assert_eq!(
        done.held
            .iter()
            .map(|h| h.enrollment_id)
            .collect::<Vec<_>>(),
        vec![low]
    );
    let mut passed = done.passed.clone();
    passed.sort();
    let mut want = rest.to_vec();
    want.retain(|e| !done.held.iter().any(|h| h.enrollment_id == *e));
    want.sort();
    assert_eq!(passed, want);
    let roster = enrollment::roster(&conn, cohort).unwrap();
    let outcome = |e: i64| {
        roster
            .iter()
            .find(|r| r.enrollment_id == e)
            .unwrap()
            .outcome
    };
    assert_eq!(outcome(failed), Some(Outcome::Failed));
    assert_eq!(outcome(dropped), Some(Outcome::DroppedOut));
    assert_eq!(outcome(low), None);

    // Certificate: only with lulus, one number per participant; toolkit not in the future.
    let refused =
        |e: i64, c: Completion| match enrollment::record_outcome(&conn, &budi, e, &c, TODAY) {
            Err(enrollment::ChangeError::Completion(why)) => why,
            other => panic!("expected a refusal, got {other:?}"),
        };
    let cert = |n: &str| Some(n.to_string());
    assert_eq!(
        refused(
            failed,
            Completion {
                outcome: Outcome::Failed,
                certificate_no: cert("C-1"),
                toolkit_handed_on: None
            }
        ),
        CompletionRefusal::CertificateNotPassed
    );
    enrollment::set_result(
        &conn,
        &budi,
        rest[0],
        Outcome::Passed,
        Some(cert("C-1")),
        Some(Some(TODAY)),
        TODAY,
    )
    .unwrap();
    assert_eq!(
        refused(
            rest[1],
            Completion {
                outcome: Outcome::Passed,
                certificate_no: cert("C-1"),
                toolkit_handed_on: None
            }
        ),
        CompletionRefusal::CertificateTaken {
            number: "C-1".into()
        }
    );
    assert_eq!(
        refused(
            rest[1],
            Completion {
                outcome: Outcome::Passed,
                certificate_no: None,
                toolkit_handed_on: Some(TODAY + Duration::days(1))
            }
        ),
        CompletionRefusal::ToolkitInFuture {
            on: TODAY + Duration::days(1)
        }
    );
    assert_eq!(
        refused(
            rest[1],
            Completion {
                outcome: Outcome::Passed,
                certificate_no: None,
                toolkit_handed_on: Some(start - Duration::days(1))
            }
        ),
        CompletionRefusal::ToolkitBeforeStart {
            on: start - Duration::days(1),
            start
        }
    );
    // Changing to tidak lulus drops the certificate (kept only with lulus) and the follow-up.
    enrollment::record_followup(&conn, &budi, rest[0], Followup::Unemployed, TODAY).unwrap();
    let c =
        enrollment::set_result(&conn, &budi, rest[0], Outcome::Failed, None, None, TODAY).unwrap();
    assert_eq!((c.certificate_no, c.toolkit_handed_on), (None, Some(TODAY)));
    let row = enrollment::roster(&conn, cohort)
        .unwrap()
        .into_iter()
        .find(|r| r.enrollment_id == rest[0])
        .unwrap();
    assert_eq!(row.followup, None);

    // Completion leaves `low` without an outcome: the gap is counted.
    let gaps = cohorts::completion_gaps(&conn, cohort, TODAY).unwrap();
    assert_eq!(gaps.missing_outcomes, 1);
    assert_eq!(gaps.unmarked_days, 0);
}

// --- screens -------------------------------------------------------------------------------------

fn app_on(
    conn: Connection,
    operator: &str,
    screen: impl FnOnce(&loket::ui::Ctx) -> Box<dyn loket::ui::Screen>,
) -> App {
    let who = actor(&conn, operator);
    let (ctx, _) = common::ctx(conn, who, Lang::Id, TODAY);
    let screen = screen(&ctx);
    App::new(ctx, screen)
}

#[test]
fn the_create_form_plans_a_cohort_from_the_board() {
    let (_dir, conn) = demo();
    let mut app = app_on(conn, "budi", |ctx| Box::new(Board::new(ctx).unwrap()));
    press(&mut app, KeyCode::F(4));
    assert_eq!(app.top_title(), "Angkatan baru");
    // The code is suggested from course, venue and year; Tab leaves it.
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "busana");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "jayanti");
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("create_instructor_80x24", draw(&mut app));
    // The instructor list tells the BNSP certificate and whether it is for this course.
    let screen = draw(&mut app);
    assert!(screen.contains("BNSP"), "{screen}");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "04-01-2027");
    insta::assert_snapshot!("create_form_80x24", draw(&mut app));
    insta::assert_snapshot!("create_form_160x48", screen_text(&mut app, 160, 48));
    press(&mut app, KeyCode::F(10));
    assert!(
        app.top_title().starts_with("Angkatan 2027-TBS-BLK-JYT-"),
        "{}",
        app.top_title()
    );
    let screen = draw(&mut app);
    assert!(screen.contains("dibuat sebagai draf"), "{screen}");
    assert_eq!(
        count(
            &app.ctx.conn,
            "SELECT count(*) FROM cohort WHERE code LIKE '2027-TBS-BLK-JYT-%' AND status = 'draft' AND start_date = '2027-01-04'"
        ),
        1
    );
}

#[test]
fn the_create_form_refuses_a_past_start_with_its_reason() {
    let (_dir, conn) = demo();
    let mut app = app_on(conn, "budi", |ctx| Box::new(Board::new(ctx).unwrap()));
    press(&mut app, KeyCode::F(4));
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "busana");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "jayanti");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "01-10-2026");
    let screen = draw(&mut app);
    assert!(screen.contains("hari pertama sudah lewat"), "{screen}");
    press(&mut app, KeyCode::F(10));
    let screen = draw(&mut app);
    assert!(screen.contains("sudah lewat"), "{screen}");
    assert_eq!(app.top_title(), "Angkatan baru");
}

#[test]
fn editing_capacity_on_the_cohort_screen_promotes_and_says_who() {
    let (_dir, conn) = demo();
    let full = full_cohort(&conn);
    let head = enrollment::waitlist(&conn, full).unwrap()[0].name.clone();
    let mut app = app_on(conn, "budi", |ctx| {
        Box::new(CohortScreen::open(ctx, full).unwrap())
    });
    press(&mut app, KeyCode::F(7));
    assert!(app.top_title().starts_with("Ubah angkatan"));
    insta::assert_snapshot!("edit_form_80x24", draw(&mut app));
    // Focus starts on the first editable field (venue); go to capacity.
    for _ in 0..4 {
        press(&mut app, KeyCode::Tab);
    }
    common::ctrl(&mut app, 'u');
    type_text(&mut app, "17");
    let screen = draw(&mut app);
    assert!(
        screen.contains("1 orang naik dari daftar tunggu"),
        "{screen}"
    );
    press(&mut app, KeyCode::F(10));
    let screen = draw(&mut app);
    assert!(screen.contains("tersimpan"), "{screen}");
    assert!(screen.contains(&head), "{screen}");
    insta::assert_snapshot!("edit_saved_80x24", screen);
}

#[test]
fn kpj_and_rejection_on_marked_rows_in_order() {
    let (_dir, conn) = demo();
    let full = full_cohort(&conn);
    // Three enrolled participants not yet registered: submit them, then mark them.
    let roster: Vec<_> = enrollment::roster(&conn, full)
        .unwrap()
        .into_iter()
        .filter(|r| r.status != EnrollmentStatus::Withdrawn)
        .collect();
    let picks: Vec<(usize, i64, String)> = roster
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.status == EnrollmentStatus::Enrolled
                && r.coverage_status == Some(CoverageStatus::Unregistered)
        })
        .take(3)
        .map(|(i, r)| (i, r.enrollment_id, r.name.clone()))
        .collect();
    assert_eq!(picks.len(), 3);
    let ids: Vec<i64> = picks.iter().map(|p| p.1).collect();
    coverage::submit(&conn, &actor(&conn, "sari"), &ids).unwrap();
    let mut app = app_on(conn, "budi", |ctx| {
        Box::new(CohortScreen::open(ctx, full).unwrap())
    });
    // Mark the last first: the order asked is the roster's, not the marking's.
    for &(row, _, _) in picks.iter().rev() {
        press(&mut app, KeyCode::Home);
        for _ in 0..row {
            press(&mut app, KeyCode::Down);
        }
        press(&mut app, KeyCode::Char(' '));
    }
    press(&mut app, KeyCode::F(3));
    let screen = draw(&mut app);
    assert!(
        screen.contains(&format!("{} (1/3)", picks[0].2)),
        "{screen}"
    );
    insta::assert_snapshot!("kpj_marked_80x24", screen);
    type_text(&mut app, "26077770001");
    press(&mut app, KeyCode::Enter);
    // A wrong number asks the same person again, saying why.
    type_text(&mut app, "123");
    press(&mut app, KeyCode::Enter);
    let screen = draw(&mut app);
    assert!(
        screen.contains("11 angka") && screen.contains(&format!("{} (2/3)", picks[1].2)),
        "{screen}"
    );
    common::ctrl(&mut app, 'u');
    type_text(&mut app, "26077770002");
    press(&mut app, KeyCode::Enter);
    let screen = draw(&mut app);
    assert!(
        screen.contains(&format!("{} (3/3)", picks[2].2)),
        "{screen}"
    );
    // Esc stops: two of three saved.
    press(&mut app, KeyCode::Esc);
    let screen = draw(&mut app);
    assert!(screen.contains("2 dari 3"), "{screen}");
    let conn = &app.ctx.conn;
    assert_eq!(coverage_status(conn, ids[0]), CoverageStatus::Active);
    assert_eq!(coverage_status(conn, ids[1]), CoverageStatus::Active);
    assert_eq!(coverage_status(conn, ids[2]), CoverageStatus::Submitted);

    // Rejection of the third, with BPJS's reason: the roster then shows it.
    let (row, third) = (picks[2].0, ids[2]);
    press(&mut app, KeyCode::Home);
    for _ in 0..row {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::F(4));
    type_text(&mut app, "Tanggal lahir beda dengan Dukcapil");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        coverage_status(&app.ctx.conn, third),
        CoverageStatus::Rejected
    );
    let screen = draw(&mut app);
    assert!(
        screen.contains("ditolak: Tanggal lahir beda dengan Dukcapil"),
        "{screen}"
    );
    insta::assert_snapshot!("rejected_80x24", screen);
    let wide = screen_text(&mut app, 160, 48);
    assert!(wide.contains("Alasan ditolak"), "{wide}");
    insta::assert_snapshot!("rejected_160x48", wide);
}

#[test]
fn the_outcome_view_records_results_and_all_remaining_passed() {
    let (_dir, conn) = demo();
    let cohort = running_cohort(&conn);
    let mut app = app_on(conn, "budi", |ctx| {
        Box::new(CohortScreen::open(ctx, cohort).unwrap())
    });
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    insta::assert_snapshot!("outcomes_80x24", draw(&mut app));
    // The first row fails (an exception), then everyone else passes.
    press(&mut app, KeyCode::Char('t'));
    press(&mut app, KeyCode::F(2));
    let screen = draw(&mut app);
    assert!(screen.contains("Sisanya lulus"), "{screen}");
    press(&mut app, KeyCode::Enter);
    let screen = draw(&mut app);
    assert!(screen.contains("peserta lulus"), "{screen}");
    insta::assert_snapshot!("outcomes_done_160x48", screen_text(&mut app, 160, 48));
    let conn = &app.ctx.conn;
    assert_eq!(
        count_with(
            conn,
            "SELECT count(*) FROM enrollment WHERE cohort_id = ?1 AND status = 'enrolled' AND outcome = 'failed'",
            [cohort]
        ),
        1
    );
    // The certificate of the second row, typed in its prompt.
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::F(3));
    type_text(&mut app, "SKK-TEST-001");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        count(
            &app.ctx.conn,
            "SELECT count(*) FROM enrollment WHERE certificate_no = 'SKK-TEST-001' AND outcome = 'passed'"
        ),
        1
    );
    // Follow-up 4: belum bekerja.
    press(&mut app, KeyCode::F(6));
    type_text(&mut app, "4");
    press(&mut app, KeyCode::Enter);
    assert!(draw(&mut app).contains("belum bekerja"));
}

#[test]
fn the_cohort_screen_keeps_readiness_and_the_message_in_view_at_80x24() {
    let (_dir, conn) = demo();
    let full = full_cohort(&conn);
    let row = enrollment::roster(&conn, full)
        .unwrap()
        .iter()
        .filter(|r| r.status != EnrollmentStatus::Withdrawn)
        .position(|r| r.coverage_status == Some(CoverageStatus::Unregistered))
        .unwrap();
    let mut app = app_on(conn, "budi", |ctx| {
        Box::new(CohortScreen::open(ctx, full).unwrap())
    });
    for _ in 0..row {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::F(2));
    let screen = draw(&mut app);
    assert!(screen.contains("Belum siap:"), "{screen}");
    assert!(screen.contains("kepesertaan diajukan"), "{screen}");
}

// --- headless ------------------------------------------------------------------------------------

/// A demo whose "today" is the machine's, as the commands see it.
fn demo_for_cli() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cli.sqlite");
    let opts = DemoOptions {
        today: loket::db::today(),
        ..DEMO
    };
    drop(common::demo_db(&path, opts));
    (dir, path)
}

fn code_of(path: &std::path::Path, sql: &str) -> String {
    common::store::connect(path)
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn cohort_edit_dates_outcome_and_followup_headless() {
    let (_dir, db) = demo_for_cli();
    let full = code_of(
        &db,
        "SELECT c.code FROM cohort c WHERE c.status = 'open'
           AND EXISTS (SELECT 1 FROM enrollment e WHERE e.cohort_id = c.id AND e.status = 'waitlisted')",
    );
    let capacity = count(
        &common::store::connect(&db),
        &format!("SELECT capacity FROM cohort WHERE code = '{full}'"),
    );
    let instructor = code_of(&db, "SELECT name FROM instructor ORDER BY id DESC LIMIT 1");
    let grown = (capacity + 1).to_string();
    let (code, out) = loket_json(
        &db,
        &[
            "--as",
            "budi",
            "cohort",
            "edit",
            &full,
            "--capacity",
            &grown,
            "--min",
            "2",
            "--instructor",
            &instructor,
            "--json",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(out["capacity"], capacity + 1);
    assert_eq!(out["min_participants"], 2);
    assert_eq!(out["instructor"], instructor.as_str());
    assert_eq!(out["promoted"].as_array().unwrap().len(), 1);
    // Venue by code; an unknown one is refused with its machine word.
    let (code, out) = loket_json(
        &db,
        &[
            "--as", "budi", "cohort", "edit", &full, "--venue", "NOPE", "--json",
        ],
    );
    assert_eq!(
        (code, out["code"].as_str()),
        (1, Some("venue_not_found")),
        "{out}"
    );
    // A clerk may not.
    let (code, out) = loket_json(
        &db,
        &[
            "--as", "sari", "cohort", "edit", &full, "--min", "3", "--json",
        ],
    );
    assert_eq!(
        (code, out["code"].as_str()),
        (1, Some("access_denied")),
        "{out}"
    );
    // Back-dating is refused (issue 16).
    let (code, out) = loket_json(
        &db,
        &[
            "--as",
            "budi",
            "cohort",
            "dates",
            &full,
            "--start",
            "2026-10-01",
            "--json",
        ],
    );
    assert_eq!(
        (code, out["code"].as_str()),
        (1, Some("start_in_past")),
        "{out}"
    );
    let (code, _, err) = loket(
        &db,
        &[
            "--as",
            "budi",
            "cohort",
            "dates",
            &full,
            "--start",
            "2026-10-01",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("sudah lewat"), "{err}");

    // Outcomes of a running cohort's participant, then the follow-up.
    let running = code_of(
        &db,
        "SELECT code FROM cohort WHERE status = 'running' ORDER BY start_date LIMIT 1",
    );
    let nik = code_of(
        &db,
        &format!(
            "SELECT r.nik FROM enrollment e JOIN resident r ON r.id = e.resident_id JOIN cohort c ON c.id = e.cohort_id
             WHERE c.code = '{running}' AND e.status = 'enrolled' ORDER BY e.id LIMIT 1"
        ),
    );
    let today = loket::db::today().to_string();
    let (code, out) = loket_json(
        &db,
        &[
            "--as",
            "budi",
            "cohort",
            "outcome",
            &running,
            "--nik",
            &nik,
            "--result",
            "passed",
            "--certificate",
            "SKK-CLI-1",
            "--toolkit",
            &today,
            "--json",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(out["outcome"], "passed");
    assert_eq!(out["certificate_no"], "SKK-CLI-1");
    assert_eq!(out["toolkit_handed_on"], today.as_str());
    assert!(out["nik"].as_str().unwrap().contains('•'), "masked: {out}");
    // Without --certificate the number stays while the result is lulus.
    let (code, out) = loket_json(
        &db,
        &[
            "--as", "budi", "cohort", "outcome", &running, "--nik", &nik, "--result", "lulus",
            "--json",
        ],
    );
    assert_eq!(
        (code, out["certificate_no"].as_str()),
        (0, Some("SKK-CLI-1")),
        "{out}"
    );
    let (code, out) = loket_json(
        &db,
        &[
            "--as",
            "budi",
            "cohort",
            "followup",
            &running,
            "--nik",
            &nik,
            "--status",
            "unemployed",
            "--json",
        ],
    );
    assert_eq!(
        (code, out["followup"].as_str()),
        (0, Some("unemployed")),
        "{out}"
    );
    // Refusals: a certificate for tidak lulus, an unknown result (usage, exit 2), a stranger.
    let (code, out) = loket_json(
        &db,
        &[
            "--as",
            "budi",
            "cohort",
            "outcome",
            &running,
            "--nik",
            &nik,
            "--result",
            "failed",
            "--certificate",
            "X",
            "--json",
        ],
    );
    assert_eq!(
        (code, out["code"].as_str()),
        (1, Some("certificate_not_passed")),
        "{out}"
    );
    let (code, _, _) = loket(
        &db,
        &[
            "--as", "budi", "cohort", "outcome", &running, "--nik", &nik, "--result", "maybe",
        ],
    );
    assert_eq!(code, 2);
    let (code, out) = loket_json(
        &db,
        &[
            "--as", "budi", "cohort", "followup", &full, "--nik", &nik, "--status", "employed",
            "--json",
        ],
    );
    assert_eq!(
        (code, out["code"].as_str()),
        (1, Some("not_in_cohort")),
        "{out}"
    );
}

#[test]
fn coverage_submit_activate_reject_headless() {
    let (_dir, db) = demo_for_cli();
    let full = code_of(
        &db,
        "SELECT c.code FROM cohort c WHERE c.status = 'open'
           AND EXISTS (SELECT 1 FROM enrollment e WHERE e.cohort_id = c.id AND e.status = 'waitlisted')",
    );
    let niks: Vec<String> = {
        let conn = common::store::connect(&db);
        let mut stmt = conn
            .prepare(
                "SELECT r.nik FROM enrollment e JOIN resident r ON r.id = e.resident_id
                 JOIN cohort c ON c.id = e.cohort_id JOIN coverage v ON v.enrollment_id = e.id
                 WHERE c.code = ?1 AND e.status = 'enrolled' AND v.status = 'unregistered' ORDER BY e.id LIMIT 2",
            )
            .unwrap();
        stmt.query_map([&full], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let [a, b] = &niks[..] else {
        panic!("two unregistered participants")
    };
    let cov = |args: &[&str]| {
        let mut all = vec!["--as", "budi", "coverage"];
        all.extend_from_slice(args);
        all.push("--json");
        loket_json(&db, &all)
    };
    // Activation before submission is refused with its word.
    let (code, out) = cov(&[
        "activate",
        "--cohort",
        &full,
        "--nik",
        a,
        "--kpj",
        "26055550001",
    ]);
    assert_eq!(
        (code, out["code"].as_str()),
        (1, Some("not_allowed")),
        "{out}"
    );
    for nik in [a, b] {
        let (code, out) = cov(&["submit", "--cohort", &full, "--nik", nik]);
        assert_eq!(
            (code, out["status"].as_str()),
            (0, Some("submitted")),
            "{out}"
        );
    }
    let (code, out) = cov(&[
        "activate",
        "--cohort",
        &full,
        "--nik",
        a,
        "--kpj",
        "260 5555 0001",
    ]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        (
            out["status"].as_str(),
            out["kpj"].as_str(),
            out["corrected"].as_bool()
        ),
        (Some("active"), Some("26055550001"), Some(false))
    );
    for key in [
        "cohort",
        "nik",
        "name",
        "reject_reason",
        "needs_resubmission",
        "period_start",
        "period_end",
    ] {
        assert!(out.get(key).is_some(), "{key} in {out}");
    }
    // Another person's KPJ is refused.
    let (code, out) = cov(&[
        "activate",
        "--cohort",
        &full,
        "--nik",
        b,
        "--kpj",
        "26055550001",
    ]);
    assert_eq!(
        (code, out["code"].as_str()),
        (1, Some("kpj_taken")),
        "{out}"
    );
    // Rejection needs a reason; with one, it is recorded and shown.
    let (code, out) = cov(&["reject", "--cohort", &full, "--nik", b]);
    assert_eq!(
        (code, out["code"].as_str()),
        (1, Some("reason_required")),
        "{out}"
    );
    let (code, out) = cov(&[
        "reject",
        "--cohort",
        &full,
        "--nik",
        b,
        "--reason",
        "NIK tidak cocok",
    ]);
    assert_eq!(
        (code, out["status"].as_str(), out["reject_reason"].as_str()),
        (0, Some("rejected"), Some("NIK tidak cocok"))
    );
    // Correcting an active KPJ: a reason is needed, then it is a correction.
    let (code, out) = cov(&[
        "activate",
        "--cohort",
        &full,
        "--nik",
        a,
        "--kpj",
        "26055550009",
    ]);
    assert_eq!(
        (code, out["code"].as_str()),
        (1, Some("reason_required")),
        "{out}"
    );
    let (code, out) = cov(&[
        "activate",
        "--cohort",
        &full,
        "--nik",
        a,
        "--kpj",
        "26055550009",
        "--reason",
        "salah ketik",
    ]);
    assert_eq!(
        (code, out["kpj"].as_str(), out["corrected"].as_bool()),
        (0, Some("26055550009"), Some(true)),
        "{out}"
    );
    // A clerk submits but does not activate; an unknown NIK or cohort says so.
    let (code, out) = loket_json(
        &db,
        &[
            "--as", "sari", "coverage", "reject", "--cohort", &full, "--nik", a, "--reason", "x",
            "--json",
        ],
    );
    assert_eq!(
        (code, out["code"].as_str()),
        (1, Some("access_denied")),
        "{out}"
    );
    let (code, out) = cov(&["submit", "--cohort", "NOPE", "--nik", a]);
    assert_eq!(
        (code, out["code"].as_str()),
        (1, Some("cohort_not_found")),
        "{out}"
    );
    let (code, out) = cov(&["submit", "--cohort", &full, "--nik", "3603010101900001"]);
    assert_eq!(
        (code, out["code"].as_str()),
        (1, Some("resident_not_found")),
        "{out}"
    );
    // Text output names the person and the status.
    let (code, stdout, _) = loket(
        &db,
        &[
            "--as", "budi", "coverage", "submit", "--cohort", &full, "--nik", b,
        ],
    );
    assert_eq!(code, 0);
    assert!(stdout.contains("BPJS diajukan"), "{stdout}");
}
