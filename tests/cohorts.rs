//! Cohorts, enrollment and BPJS coverage against real SQLite files: every rule enforced in the
//! database transaction, the waitlist order and promotion, calendar-derived dates, audit rows,
//! many connections racing for the last seats, and the enroll picker on a TestBackend.

mod common;

use chrono::{Duration, NaiveDate};
use common::{admin, date as d, loket_json};
use loket::db::cohorts::{self, CohortFilter, NewCohort};
use loket::db::demo::DemoOptions;
use loket::db::sql::{Connection, params};
use loket::db::{self, coverage, enrollment};
use loket::domain::access::{Actor, Role};
use loket::domain::cohort::{
    CohortStatus, Funding, LocationKind, PlanError, PlanField, TransitionError,
};
use loket::domain::coverage::{CoverageError, CoverageStatus};
use loket::domain::enrollment::{EnrollmentStatus, Outcome, Refusal};
use loket::ui::text::{Lang, Localized};

/// The fixed "today" of these tests (a Monday).
fn today() -> NaiveDate {
    d(2026, 2, 2)
}

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    conn: Connection,
}

fn fixture(residents: u32) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loket.sqlite");
    let conn = if residents > 0 {
        let demo = DemoOptions {
            residents,
            seed: 1,
            today: today(),
        };
        common::demo_db(&path, demo)
    } else {
        common::empty_db(&path)
    };
    Fixture {
        _dir: dir,
        path,
        conn,
    }
}

fn clerk(conn: &Connection) -> Actor {
    let id = db::operators::insert_without_password(conn, "tini", "Tini", Role::Clerk).unwrap();
    Actor {
        id,
        name: "tini".into(),
        role: Role::Clerk,
    }
}

/// A resident with a chosen birth date, priority facts and desa (Kelapa Dua by default).
fn resident(
    conn: &Connection,
    serial: u32,
    name: &str,
    birth: NaiveDate,
    stunting: bool,
    desil: Option<u8>,
) -> i64 {
    let village: String = conn
        .query_row(
            "SELECT min(code) FROM village WHERE district_code = '36.03.04'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    resident_in(conn, serial, name, birth, stunting, desil, &village)
}

fn resident_in(
    conn: &Connection,
    serial: u32,
    name: &str,
    birth: NaiveDate,
    stunting: bool,
    desil: Option<u8>,
    village: &str,
) -> i64 {
    let nik = format!("360304{}{:04}", birth.format("%d%m%y"), serial);
    conn.insert_returning_id(
        "INSERT INTO resident (nik, name, name_key, sex, birth_date, village_code, desil, stunting_household, created_at, updated_at)
         VALUES (?1, ?2, ?3, 'L', ?4, ?5, ?6, ?7, '2026-01-01 08:00:00', '2026-01-01 08:00:00')
         RETURNING id",
        params![nik, name, loket::domain::name_key(name), birth, village, desil, stunting],
    )
    .unwrap()
}

fn new_cohort(code: &str, start: NaiveDate, capacity: u32, min: u32) -> NewCohort {
    NewCohort {
        code: code.into(),
        course_code: "TBS".into(),
        venue_code: "BLK-JYT".into(),
        location_kind: LocationKind::Venue,
        location_name: String::new(),
        location_village_code: None,
        start,
        working_days: None,
        capacity: Some(capacity),
        min_participants: Some(min),
        daily_hours: None,
        instructor_id: None,
        funding: Funding::Apbd,
        target_groups: String::new(),
    }
}

/// An open cohort at BLK Jayanti (five-day week), opened on the tests' fixed today.
fn open_cohort(conn: &Connection, code: &str, start: NaiveDate, capacity: u32) -> i64 {
    open_cohort_on(conn, code, start, capacity, today())
}

fn open_cohort_on(
    conn: &Connection,
    code: &str,
    start: NaiveDate,
    capacity: u32,
    on: NaiveDate,
) -> i64 {
    let actor = admin(conn);
    let row =
        cohorts::create(conn, &actor, &new_cohort(code, start, capacity, 1), today()).unwrap();
    cohorts::transition(conn, &actor, row.id, CohortStatus::Open, None, on).unwrap();
    row.id
}

fn audit_count(conn: &Connection, action: &str) -> i64 {
    conn.query_row(
        "SELECT count(*) FROM audit_log WHERE action = ?1",
        [action],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn end_date_follows_the_venue_calendar_and_moves_with_the_start() {
    let f = fixture(0);
    let actor = admin(&f.conn);
    // BLK Jayanti is only in the demo; add venues with five- and six-day weeks.
    f.conn
        .execute_batch(
            "INSERT INTO venue (code, name, kind, days_per_week) VALUES ('BLK-JYT', 'UPTD BLK Jayanti', 'blk', 5);
             INSERT INTO venue (code, name, kind, days_per_week) VALUES ('MTU-1', 'Mobile Training Unit 1', 'mtu', 6);",
        )
        .unwrap();
    // 20 working days from Monday 16 March 2026 across Nyepi, Idul Fitri and cuti bersama.
    let row = cohorts::create(
        &f.conn,
        &actor,
        &new_cohort("A", d(2026, 3, 16), 16, 10),
        today(),
    )
    .unwrap();
    assert_eq!(
        (row.start_date, row.end_date, row.working_days),
        (d(2026, 3, 16), d(2026, 4, 20), 20)
    );
    assert_eq!(row.status, CohortStatus::Draft);
    let mut six = new_cohort("B", d(2026, 3, 15), 16, 10);
    six.venue_code = "MTU-1".into();
    six.working_days = Some(6);
    let row = cohorts::create(&f.conn, &actor, &six, today()).unwrap();
    // Starting on a Sunday: day 1 is Monday; Saturdays count at the MTU (Nyepi and Idul Fitri
    // 18-24 March are off), so the sixth day is Saturday 28 March.
    assert_eq!(
        (row.start_date, row.end_date),
        (d(2026, 3, 16), d(2026, 3, 28))
    );
    let moved =
        cohorts::update_dates(&f.conn, &actor, row.id, d(2026, 4, 6), Some(3), today()).unwrap();
    assert_eq!(
        (moved.cohort.start_date, moved.cohort.end_date),
        (d(2026, 4, 6), d(2026, 4, 8))
    );
    assert_eq!(audit_count(&f.conn, "cohort.create"), 2);
    assert_eq!(audit_count(&f.conn, "cohort.dates"), 1);
    // Bad sizes are refused with their reason.
    let err = cohorts::create(
        &f.conn,
        &actor,
        &new_cohort("C", d(2026, 3, 16), 5, 6),
        today(),
    )
    .unwrap_err();
    assert!(matches!(
        err,
        cohorts::CohortError::Plan(PlanError::BadMinimum {
            min: 6,
            capacity: 5
        })
    ));
}

#[test]
fn status_machine_is_checked_in_the_database() {
    let f = fixture(50);
    let actor = admin(&f.conn);
    let row = cohorts::create(
        &f.conn,
        &actor,
        &new_cohort("X-1", d(2026, 3, 2), 3, 2),
        today(),
    )
    .unwrap();
    let t = |to, reason, on| cohorts::transition(&f.conn, &actor, row.id, to, reason, on);
    assert!(matches!(
        t(CohortStatus::Running, None, d(2026, 3, 2)).unwrap_err(),
        cohorts::CohortError::Transition(TransitionError::NotAllowed { .. })
    ));
    t(CohortStatus::Open, None, today()).unwrap();
    assert!(matches!(
        t(CohortStatus::Running, None, d(2026, 3, 2)).unwrap_err(),
        cohorts::CohortError::Transition(TransitionError::NoParticipants)
    ));
    let a = resident(&f.conn, 1, "ANI", d(2000, 1, 1), false, None);
    enrollment::enroll(&f.conn, &actor, a, row.id).unwrap();
    assert!(matches!(
        t(CohortStatus::Running, None, d(2026, 3, 2)).unwrap_err(),
        cohorts::CohortError::Transition(TransitionError::BelowMinimum {
            enrolled: 1,
            min: 2
        })
    ));
    let b = resident(&f.conn, 2, "BUDI", d(2000, 1, 1), false, None);
    enrollment::enroll(&f.conn, &actor, b, row.id).unwrap();
    assert!(matches!(
        t(CohortStatus::Running, None, d(2026, 2, 27)).unwrap_err(),
        cohorts::CohortError::Transition(TransitionError::TooEarlyToStart { .. })
    ));
    let running = t(CohortStatus::Running, None, d(2026, 3, 2)).unwrap();
    assert_eq!(running.status, CohortStatus::Running);
    // No date edits once running.
    assert!(matches!(
        cohorts::update_dates(&f.conn, &actor, row.id, d(2026, 3, 9), None, today()).unwrap_err(),
        cohorts::CohortError::Plan(PlanError::Locked {
            field: PlanField::Dates,
            status: CohortStatus::Running
        })
    ));
    t(CohortStatus::Completed, None, running.end_date).unwrap();
    assert_eq!(audit_count(&f.conn, "cohort.status"), 3);
    // A clerk may not manage cohorts.
    let clerk = clerk(&f.conn);
    let err = cohorts::create(
        &f.conn,
        &clerk,
        &new_cohort("X-2", d(2026, 3, 2), 3, 2),
        today(),
    )
    .unwrap_err();
    assert!(matches!(err, cohorts::CohortError::Denied(_)));
}

#[test]
fn cancelling_withdraws_everyone_with_the_reason() {
    let f = fixture(0);
    f.conn
        .execute_batch(
            "INSERT INTO venue (code, name, kind) VALUES ('BLK-JYT', 'UPTD BLK Jayanti', 'blk')",
        )
        .unwrap();
    let actor = admin(&f.conn);
    let id = open_cohort(&f.conn, "C-1", d(2026, 3, 2), 1);
    let a = resident(&f.conn, 1, "ANI", d(2000, 1, 1), false, None);
    let b = resident(&f.conn, 2, "BUDI", d(2000, 1, 1), false, None);
    enrollment::enroll(&f.conn, &actor, a, id).unwrap();
    enrollment::enroll(&f.conn, &actor, b, id).unwrap();
    let err = cohorts::transition(&f.conn, &actor, id, CohortStatus::Cancelled, None, today())
        .unwrap_err();
    assert!(matches!(
        err,
        cohorts::CohortError::Transition(TransitionError::ReasonRequired)
    ));
    cohorts::transition(
        &f.conn,
        &actor,
        id,
        CohortStatus::Cancelled,
        Some("instruktur sakit"),
        today(),
    )
    .unwrap();
    let roster = enrollment::roster(&f.conn, id).unwrap();
    assert!(
        roster
            .iter()
            .all(|r| r.status == EnrollmentStatus::Withdrawn)
    );
    assert!(
        roster[0]
            .withdraw_reason
            .as_deref()
            .unwrap()
            .contains("instruktur sakit")
    );
}

#[test]
fn enroll_rules_refuse_with_their_reason() {
    let f = fixture(0);
    f.conn
        .execute_batch(
            "INSERT INTO venue (code, name, kind) VALUES ('BLK-JYT', 'UPTD BLK Jayanti', 'blk')",
        )
        .unwrap();
    let actor = admin(&f.conn);
    let march = open_cohort(&f.conn, "M", d(2026, 3, 2), 5);
    let overlapping = open_cohort(&f.conn, "O", d(2026, 3, 16), 5);
    let draft = cohorts::create(
        &f.conn,
        &actor,
        &new_cohort("D", d(2026, 6, 1), 5, 1),
        today(),
    )
    .unwrap();
    let adult = resident(&f.conn, 1, "ANI", d(1995, 5, 5), false, None);
    // TBS takes 17 to 50 on the start date.
    let young = resident(&f.conn, 2, "MUDA", d(2009, 3, 3), false, None);
    let old = resident(&f.conn, 3, "TUA", d(1975, 3, 1), false, None);
    let refusal = |r: Result<enrollment::EnrollOutcome, enrollment::EnrollError>| match r {
        Err(enrollment::EnrollError::Refused(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(
        refusal(enrollment::enroll(&f.conn, &actor, adult, draft.id)),
        Refusal::CohortNotOpen {
            status: CohortStatus::Draft
        }
    );
    assert_eq!(
        refusal(enrollment::enroll(&f.conn, &actor, young, march)),
        Refusal::TooYoung { age: 16, min: 17 }
    );
    assert_eq!(
        refusal(enrollment::enroll(&f.conn, &actor, old, march)),
        Refusal::TooOld { age: 51, max: 50 }
    );
    let ok = enrollment::enroll(&f.conn, &actor, adult, march).unwrap();
    assert_eq!(ok.status, EnrollmentStatus::Enrolled);
    assert_eq!(ok.coverage.status, CoverageStatus::Unregistered);
    assert!(ok.coverage.jkk && ok.coverage.jkm);
    assert_eq!(
        (ok.coverage.period_start, ok.coverage.period_end),
        (d(2026, 3, 2), d(2026, 4, 6))
    );
    assert_eq!(
        refusal(enrollment::enroll(&f.conn, &actor, adult, march)),
        Refusal::AlreadyInCohort {
            status: EnrollmentStatus::Enrolled
        }
    );
    let why = refusal(enrollment::enroll(&f.conn, &actor, adult, overlapping));
    assert!(
        matches!(why, Refusal::Overlap { ref code, .. } if code == "M"),
        "{why:?}"
    );
    assert!(why.text(Lang::Id).contains("bentrok"));
    // Withdrawn from March: the overlapping cohort is now possible, and March again too.
    enrollment::withdraw(&f.conn, &actor, adult, march, Some("pindah")).unwrap();
    enrollment::enroll(&f.conn, &actor, adult, overlapping).unwrap();
    assert!(enrollment::enroll(&f.conn, &actor, 9999, march).is_err());
    assert_eq!(audit_count(&f.conn, "enrollment.create"), 2);
}

#[test]
fn full_cohort_waitlists_and_withdrawal_promotes_by_priority() {
    let f = fixture(0);
    f.conn
        .execute_batch(
            "INSERT INTO venue (code, name, kind) VALUES ('BLK-JYT', 'UPTD BLK Jayanti', 'blk')",
        )
        .unwrap();
    let actor = admin(&f.conn);
    let id = open_cohort(&f.conn, "W", d(2026, 3, 2), 2);
    let seated: Vec<i64> = (1..=2)
        .map(|i| {
            resident(
                &f.conn,
                i,
                &format!("DUDUK {i}"),
                d(1990, 1, 1),
                false,
                None,
            )
        })
        .collect();
    for r in &seated {
        assert_eq!(
            enrollment::enroll(&f.conn, &actor, *r, id).unwrap().status,
            EnrollmentStatus::Enrolled
        );
    }
    let early_unknown = resident(&f.conn, 10, "AWAL", d(1990, 1, 1), false, None);
    let desil5 = resident(&f.conn, 11, "LIMA", d(1990, 1, 1), false, Some(5));
    let desil2 = resident(&f.conn, 12, "DUA", d(1990, 1, 1), false, Some(2));
    let stunting = resident(&f.conn, 13, "STUNTING", d(1990, 1, 1), true, Some(9));
    let positions: Vec<u32> = [early_unknown, desil5, desil2, stunting]
        .iter()
        .map(|r| {
            enrollment::enroll(&f.conn, &actor, *r, id)
                .unwrap()
                .position
                .unwrap()
        })
        .collect();
    // Each newcomer's place on arrival: unknown desil 1; desil 5 ahead of it; desil 2 ahead of
    // both; stunting household ahead of everyone.
    assert_eq!(positions, vec![1, 1, 1, 1]);
    let list = enrollment::waitlist(&f.conn, id).unwrap();
    let order: Vec<i64> = list.iter().map(|w| w.resident_id).collect();
    assert_eq!(order, vec![stunting, desil2, desil5, early_unknown]);
    assert_eq!(
        list.iter().map(|w| w.reason.position).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
    assert!(list[0].reason.text(Lang::Id).contains("stunting"));
    let row = cohorts::get(&f.conn, id).unwrap().unwrap();
    assert_eq!((row.enrolled, row.waitlisted, row.seats_left()), (2, 4, 0));

    // Withdrawing a waitlisted person promotes nobody.
    let out = enrollment::withdraw(&f.conn, &actor, desil5, id, None).unwrap();
    assert_eq!(
        (out.was, out.promoted.clone()),
        (EnrollmentStatus::Waitlisted, None)
    );
    // Withdrawing a seated one promotes the stunting household, and says so in the audit.
    let out = enrollment::withdraw(&f.conn, &actor, seated[0], id, Some("sakit")).unwrap();
    let promoted = out.promoted.unwrap();
    assert_eq!(
        (promoted.resident_id, promoted.name.as_str()),
        (stunting, "STUNTING")
    );
    let roster = enrollment::roster(&f.conn, id).unwrap();
    let status_of = |r: i64| roster.iter().find(|x| x.resident_id == r).unwrap().status;
    assert_eq!(status_of(stunting), EnrollmentStatus::Enrolled);
    assert_eq!(status_of(seated[0]), EnrollmentStatus::Withdrawn);
    let promote_audit: String = f
        .conn
        .query_row(
            "SELECT before_json FROM audit_log WHERE action = 'enrollment.promote' AND entity_id = ?1",
            [promoted.enrollment_id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        promote_audit.contains("\"position\":1")
            && promote_audit.contains("\"stunting_household\":true")
    );
    assert_eq!(audit_count(&f.conn, "enrollment.withdraw"), 2);
    // Next freed seat: desil 2.
    let out = enrollment::withdraw(&f.conn, &actor, seated[1], id, None).unwrap();
    assert_eq!(out.promoted.unwrap().resident_id, desil2);
    // Withdrawing twice is refused.
    assert!(matches!(
        enrollment::withdraw(&f.conn, &actor, seated[1], id, None).unwrap_err(),
        enrollment::ChangeError::Withdraw(_)
    ));
}

#[test]
fn coverage_flows_and_date_moves_mark_resubmission() {
    let f = fixture(0);
    f.conn
        .execute_batch(
            "INSERT INTO venue (code, name, kind) VALUES ('BLK-JYT', 'UPTD BLK Jayanti', 'blk')",
        )
        .unwrap();
    let actor = admin(&f.conn);
    let clerk = clerk(&f.conn);
    let id = open_cohort(&f.conn, "K", d(2026, 3, 2), 5);
    let a = resident(&f.conn, 1, "ANI", d(1990, 1, 1), false, None);
    let b = resident(&f.conn, 2, "BUDI", d(1990, 1, 1), false, None);
    let c = resident(&f.conn, 3, "CICI", d(1990, 1, 1), false, None);
    let ea = enrollment::enroll(&f.conn, &clerk, a, id)
        .unwrap()
        .enrollment_id;
    let eb = enrollment::enroll(&f.conn, &clerk, b, id)
        .unwrap()
        .enrollment_id;
    let ec = enrollment::enroll(&f.conn, &clerk, c, id)
        .unwrap()
        .enrollment_id;
    coverage::set_programs(&f.conn, &clerk, ec, true, false).unwrap();
    assert!(matches!(
        coverage::set_programs(&f.conn, &clerk, ec, false, false).unwrap_err(),
        coverage::CoverageChangeError::Rule(CoverageError::NoProgram)
    ));
    assert_eq!(coverage::submit(&f.conn, &clerk, &[ea, eb]).unwrap(), 2);
    // A clerk submits but may not record BPJS's answer.
    assert!(matches!(
        coverage::activate(&f.conn, &clerk, ea, "26000000001").unwrap_err(),
        coverage::CoverageChangeError::Denied(_)
    ));
    assert!(matches!(
        coverage::activate(&f.conn, &actor, ea, "123").unwrap_err(),
        coverage::CoverageChangeError::Rule(CoverageError::BadKpj)
    ));
    coverage::activate(&f.conn, &actor, ea, "260 0000 0001").unwrap();
    coverage::reject(&f.conn, &actor, eb, "NIK tidak cocok dengan Dukcapil").unwrap();
    assert!(matches!(
        coverage::activate(&f.conn, &actor, ec, "26000000003").unwrap_err(),
        coverage::CoverageChangeError::Rule(CoverageError::NotAllowed { .. })
    ));
    // Submitting a batch with one that is already submitted changes none of them.
    coverage::submit(&f.conn, &clerk, &[eb]).unwrap();
    assert!(coverage::submit(&f.conn, &clerk, &[ec, eb]).is_err());
    assert_eq!(
        coverage::get(&f.conn, ec).unwrap().unwrap().status,
        CoverageStatus::Unregistered
    );

    let moved = cohorts::update_dates(&f.conn, &actor, id, d(2026, 4, 6), None, today()).unwrap();
    let ca = coverage::get(&f.conn, ea).unwrap().unwrap();
    assert_eq!(
        (ca.status, ca.kpj.as_deref(), ca.needs_resubmission),
        (CoverageStatus::Active, Some("26000000001"), true)
    );
    assert_eq!(
        (ca.period_start, ca.period_end),
        (moved.cohort.start_date, moved.cohort.end_date)
    );
    assert!(
        coverage::get(&f.conn, eb)
            .unwrap()
            .unwrap()
            .needs_resubmission
    );
    let cc = coverage::get(&f.conn, ec).unwrap().unwrap();
    assert_eq!(
        (cc.needs_resubmission, cc.jkk, cc.jkm, cc.period_start),
        (false, true, false, moved.cohort.start_date)
    );
    coverage::submit(&f.conn, &clerk, &[ea]).unwrap();
    let ca = coverage::get(&f.conn, ea).unwrap().unwrap();
    assert_eq!(
        (ca.status, ca.needs_resubmission),
        (CoverageStatus::Submitted, false)
    );
    assert_eq!(audit_count(&f.conn, "coverage.submit"), 4);
}

#[test]
fn completion_per_participant() {
    let f = fixture(0);
    f.conn
        .execute_batch(
            "INSERT INTO venue (code, name, kind) VALUES ('BLK-JYT', 'UPTD BLK Jayanti', 'blk')",
        )
        .unwrap();
    let actor = admin(&f.conn);
    let id = open_cohort(&f.conn, "L", d(2026, 3, 2), 2);
    let a = resident(&f.conn, 1, "ANI", d(1990, 1, 1), false, None);
    let e = enrollment::enroll(&f.conn, &actor, a, id)
        .unwrap()
        .enrollment_id;
    let passed = enrollment::Completion {
        outcome: Outcome::Passed,
        certificate_no: Some("SKK-2026-00001".into()),
        toolkit_handed_on: Some(d(2026, 3, 27)),
    };
    assert!(matches!(
        enrollment::record_outcome(&f.conn, &actor, e, &passed, d(2026, 3, 27)).unwrap_err(),
        enrollment::ChangeError::Completion(_)
    ));
    assert!(
        enrollment::record_followup(
            &f.conn,
            &actor,
            e,
            loket::domain::enrollment::Followup::Employed,
            d(2026, 6, 1)
        )
        .is_err()
    );
    cohorts::transition(
        &f.conn,
        &actor,
        id,
        CohortStatus::Running,
        None,
        d(2026, 3, 2),
    )
    .unwrap();
    enrollment::record_outcome(&f.conn, &actor, e, &passed, d(2026, 3, 27)).unwrap();
    enrollment::record_followup(
        &f.conn,
        &actor,
        e,
        loket::domain::enrollment::Followup::SelfEmployed,
        d(2026, 6, 1),
    )
    .unwrap();
    let row = &enrollment::roster(&f.conn, id).unwrap()[0];
    assert_eq!(row.outcome, Some(Outcome::Passed));
    assert_eq!(row.certificate_no.as_deref(), Some("SKK-2026-00001"));
    assert_eq!(row.toolkit_handed_on, Some(d(2026, 3, 27)));
    assert_eq!(
        row.followup,
        Some(loket::domain::enrollment::Followup::SelfEmployed)
    );
    assert_eq!(audit_count(&f.conn, "enrollment.outcome"), 1);
    assert_eq!(audit_count(&f.conn, "enrollment.followup"), 1);
}

#[test]
fn picker_lists_open_cohorts_nearest_first() {
    let f = fixture(200);
    let actor = admin(&f.conn);
    // A resident of the desa where BLK Kosambi stands.
    let village: String = f
        .conn
        .query_row(
            "SELECT village_code FROM venue WHERE code = 'BLK-KSB'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let r = resident_in(&f.conn, 1, "DEKAT", d(1990, 1, 1), false, None, &village);
    // Another desa in the same kecamatan, for an MTU stop.
    let neighbour: String = f
        .conn
        .query_row(
            "SELECT code FROM village WHERE district_code = substr(?1, 1, 8) AND code <> ?1 ORDER BY code LIMIT 1",
            [&village],
            |r| r.get(0),
        )
        .unwrap();
    let mut mtu = new_cohort("MTU-STOP", d(2026, 4, 6), 10, 1);
    mtu.venue_code = "MTU-1".into();
    mtu.location_kind = LocationKind::VillageOffice;
    mtu.location_name = "Kantor Desa".into();
    mtu.location_village_code = Some(neighbour);
    let row = cohorts::create(&f.conn, &actor, &mtu, today()).unwrap();
    cohorts::transition(&f.conn, &actor, row.id, CohortStatus::Open, None, today()).unwrap();
    let list = cohorts::open_for_resident(&f.conn, Some(r), 100).unwrap();
    assert!(list.iter().all(|(_, c)| c.status == CohortStatus::Open));
    let proximities: Vec<_> = list.iter().map(|(p, _)| *p).collect();
    let mut sorted = proximities.clone();
    sorted.sort();
    assert_eq!(proximities, sorted, "nearest first");
    assert_eq!(proximities[0], cohorts::Proximity::SameVillage);
    assert!(
        list.iter()
            .any(|(p, c)| *p == cohorts::Proximity::SameDistrict && c.code == "MTU-STOP")
    );
    assert!(
        list.iter()
            .any(|(p, _)| *p == cohorts::Proximity::Elsewhere)
    );
    // Within one proximity, by start date.
    for pair in list.windows(2) {
        if pair[0].0 == pair[1].0 {
            assert!(pair[0].1.start_date <= pair[1].1.start_date);
        }
    }
    let all = cohorts::list(&f.conn, &CohortFilter::default()).unwrap();
    assert_eq!(all.len(), 16);
    let open = cohorts::list(
        &f.conn,
        &CohortFilter {
            status: Some(CohortStatus::Open),
            limit: 0,
        },
    )
    .unwrap();
    assert_eq!(open.len(), list.len());
}

#[test]
fn racing_connections_never_oversubscribe() {
    // Connections racing on one SQLite file, or sessions on one server database (tests/pg_store.rs
    // races 60 counters from many processes there).
    let f = fixture(0);
    f.conn
        .execute_batch(
            "INSERT INTO venue (code, name, kind) VALUES ('BLK-JYT', 'UPTD BLK Jayanti', 'blk')",
        )
        .unwrap();
    let actor = admin(&f.conn);
    let id = open_cohort(&f.conn, "RACE", d(2026, 3, 2), 10);
    // Seven seats taken already: three left for sixteen clerks at once.
    for i in 0..7 {
        let r = resident(
            &f.conn,
            100 + i,
            &format!("AWAL {i}"),
            d(1990, 1, 1),
            false,
            None,
        );
        enrollment::enroll(&f.conn, &actor, r, id).unwrap();
    }
    let racers: Vec<i64> = (0..16)
        .map(|i| {
            resident(
                &f.conn,
                200 + i,
                &format!("BALAP {i}"),
                d(1990, 1, 1),
                false,
                None,
            )
        })
        .collect();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(racers.len()));
    let handles: Vec<_> = racers
        .iter()
        .map(|&r| {
            let path = f.path.clone();
            let barrier = barrier.clone();
            let actor = actor.clone();
            std::thread::spawn(move || {
                let conn = common::store::open(&path);
                barrier.wait();
                enrollment::enroll(&conn, &actor, r, id)
            })
        })
        .collect();
    let outcomes: Vec<_> = handles
        .into_iter()
        .map(|h| h.join().unwrap().unwrap())
        .collect();
    let enrolled = outcomes
        .iter()
        .filter(|o| o.status == EnrollmentStatus::Enrolled)
        .count();
    let waitlisted: Vec<u32> = outcomes
        .iter()
        .filter(|o| o.status == EnrollmentStatus::Waitlisted)
        .map(|o| o.position.unwrap())
        .collect();
    assert_eq!(enrolled, 3);
    assert_eq!(waitlisted.len(), 13);
    // Equal priority: each newcomer joins at the back, so the places are 1..=13, once each.
    let mut places = waitlisted.clone();
    places.sort();
    assert_eq!(places, (1..=13).collect::<Vec<u32>>());
    let row = cohorts::get(&f.conn, id).unwrap().unwrap();
    assert_eq!((row.enrolled, row.waitlisted), (10, 13));
    assert_eq!(audit_count(&f.conn, "enrollment.create"), 23);
}

#[test]
fn demo_cohorts_list_with_counts() {
    let f = fixture(300);
    let rows = cohorts::list(&f.conn, &CohortFilter::default()).unwrap();
    assert!(
        rows.iter()
            .any(|c| c.status == CohortStatus::Open && c.waitlisted > 0)
    );
    for c in &rows {
        assert!(c.enrolled <= c.capacity, "{}", c.code);
        assert!(c.end_date >= c.start_date);
    }
    // Rina Marlina's certificate expires 20 days after today: a warning on her later cohorts.
    let later = rows
        .iter()
        .find(|c| {
            c.instructor.as_deref() == Some("Rina Marlina")
                && c.end_date > today() + Duration::days(20)
        })
        .unwrap();
    assert!(matches!(
        later.bnsp_warning(today()),
        Some(loket::domain::cohort::BnspWarning::ExpiresBeforeEnd { .. })
    ));
}

mod screens {
    use super::*;
    use crate::common::{draw, press, type_text};
    use crossterm::event::KeyCode;
    use loket::ui::Nav;
    use loket::ui::app::App;
    use loket::ui::screens::enroll;
    use loket::ui::text::Lang;

    /// The demo on a fixed today, a resident living in BLK Kosambi's desa, the picker open.
    fn picker(lang: Lang) -> (tempfile::TempDir, App) {
        let f = fixture(300);
        let village: String = f
            .conn
            .query_row(
                "SELECT village_code FROM venue WHERE code = 'BLK-KSB'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let resident = resident_in(
            &f.conn,
            7,
            "SITI NURHALIMAH",
            d(1995, 8, 17),
            false,
            Some(3),
            &village,
        );
        let actor = common::actor(&f.conn, "sari");
        let Fixture { _dir, conn, .. } = f;
        let (mut ctx, _answers) = common::ctx(conn, actor, lang, today());
        let Nav::Push(screen) = enroll::open(&mut ctx, resident) else {
            panic!("picker did not open")
        };
        (_dir, App::new(ctx, screen))
    }

    fn seats_left(app: &App, code: &str) -> u32 {
        cohorts::get_by_code(&app.ctx.conn, code)
            .unwrap()
            .unwrap()
            .seats_left()
    }

    #[test]
    fn enroll_picker_and_confirmation() {
        let (_dir, mut app) = picker(Lang::Id);
        let screen = draw(&mut app);
        insta::assert_snapshot!("enroll_picker_80x24", screen);
        assert!(
            screen.contains("desa"),
            "same-desa cohorts first:\n{screen}"
        );
        // Typing filters; Enter enrolls into the selected cohort.
        type_text(&mut app, "boga");
        let filtered = draw(&mut app);
        assert!(
            filtered.contains("Tata Boga") && !filtered.contains("Tata Busana"),
            "{filtered}"
        );
        let code = cohorts::list(
            &app.ctx.conn,
            &CohortFilter {
                status: Some(CohortStatus::Open),
                limit: 0,
            },
        )
        .unwrap()
        .into_iter()
        .find(|c| c.course_code == "TBG")
        .unwrap()
        .code;
        let before = seats_left(&app, &code);
        press(&mut app, KeyCode::Enter);
        let confirmation = draw(&mut app);
        insta::assert_snapshot!("enroll_confirmation_80x24", confirmation);
        assert!(confirmation.contains("belum didaftarkan") && confirmation.contains("JKK + JKM"));
        assert_eq!(seats_left(&app, &code), before - 1);
        // Closing the confirmation shows the picker again (here it has no screen below to go
        // back to), which now says the resident is in that cohort.
        press(&mut app, KeyCode::Enter);
        let after = draw(&mut app);
        assert!(after.contains("sudah peserta"), "{after}");
        // Enrolling again is refused with its reason.
        press(&mut app, KeyCode::Enter);
        let refused = draw(&mut app);
        insta::assert_snapshot!("enroll_refused_80x24", refused);
        assert!(refused.contains("Sudah terdaftar"), "{refused}");
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.depth(), 1);
    }

    #[test]
    fn full_cohort_waitlists_in_the_picker_and_the_waitlist_explains() {
        let (_dir, mut app) = picker(Lang::Id);
        // The demo's first open Tata Busana cohort is over capacity: enrolling waitlists.
        type_text(&mut app, "busana");
        press(&mut app, KeyCode::Enter);
        assert!(draw(&mut app).contains("Masuk daftar tunggu urutan ke-3?"));
        press(&mut app, KeyCode::Enter);
        let confirmation = draw(&mut app);
        assert!(
            confirmation.contains("masuk daftar tunggu") && confirmation.contains("ke-3."),
            "{confirmation}"
        );
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::F(4));
        let waitlist = draw(&mut app);
        // Desil 3 and registered today: behind the stunting household and the earlier desil 3,
        // ahead of the demo's waitlisted residents without a known desil.
        let line = waitlist
            .lines()
            .find(|l| l.contains("SITI NURHALIMAH"))
            .unwrap();
        assert!(
            line.starts_with("│3 ") && line.contains("     3 "),
            "{waitlist}"
        );
        assert!(waitlist.contains("Urutan: balita stunting"), "{waitlist}");
        press(&mut app, KeyCode::Esc);
        assert!(draw(&mut app).contains("Cari:"));
    }

    #[test]
    fn menu_open_cohorts_and_waitlist_screen() {
        let (_dir, mut app) = picker(Lang::Id);
        press(&mut app, KeyCode::F(9));
        let menu = draw(&mut app);
        assert!(menu.contains("2  Angkatan terbuka"), "{menu}");
        press(&mut app, KeyCode::Char('2'));
        type_text(&mut app, "busana");
        press(&mut app, KeyCode::Enter);
        let waitlist = draw(&mut app);
        insta::assert_snapshot!("waitlist_80x24", waitlist);
        assert!(
            waitlist.contains("Daftar tunggu: 2026-TBS-BLK-JYT-07"),
            "{waitlist}"
        );
    }

    #[test]
    fn picker_in_english() {
        let (_dir, mut app) = picker(Lang::En);
        let screen = draw(&mut app);
        assert!(
            screen.contains("Enroll in a cohort") && screen.contains("Can enroll?"),
            "{screen}"
        );
    }
}

#[test]
fn headless_cohort_enroll_withdraw() {
    let f = fixture(0);
    f.conn
        .execute_batch(
            "INSERT INTO venue (code, name, kind) VALUES ('BLK-JYT', 'UPTD BLK Jayanti', 'blk')",
        )
        .unwrap();
    // Dates far ahead of the real today, which the headless commands use.
    let start = db::today() + Duration::days(60);
    let id = open_cohort_on(&f.conn, "H-1", start, 1, db::today());
    let a = resident(&f.conn, 1, "ANI", d(1990, 1, 1), false, None);
    let b = resident(&f.conn, 2, "BUDI", d(1990, 1, 1), false, Some(4));
    let nik = |id: i64| -> String {
        f.conn
            .query_row("SELECT nik FROM resident WHERE id = ?1", [id], |r| r.get(0))
            .unwrap()
    };
    let (nik_a, nik_b) = (nik(a), nik(b));

    let (code, list) = loket_json(&f.path, &["cohort", "list", "--json", "--status", "open"]);
    assert_eq!(code, 0);
    let first = &list[0];
    for key in [
        "code",
        "course",
        "status",
        "venue",
        "start_date",
        "end_date",
        "capacity",
        "enrolled",
        "waitlisted",
    ] {
        assert!(!first[key].is_null(), "{key} missing in {first}");
    }
    assert_eq!(first["code"], "H-1");

    let (code, out) = loket_json(
        &f.path,
        &["enroll", "--json", "--nik", &nik_a, "--cohort", "H-1"],
    );
    assert_eq!((code, out["status"].as_str()), (0, Some("enrolled")));
    assert_eq!(out["coverage"]["status"], "unregistered");
    // A clerk may enroll but not cancel a cohort: refused with the reason, exit 1.
    clerk(&f.conn);
    let (code, out) = loket_json(
        &f.path,
        &[
            "--as", "tini", "cohort", "cancel", "H-1", "--reason", "x", "--json",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        out["error"].as_str().unwrap().contains("tidak berwenang"),
        "{out}"
    );
    let (code, out) = loket_json(
        &f.path,
        &["enroll", "--json", "--nik", &nik_b, "--cohort", "H-1"],
    );
    assert_eq!(
        (code, out["status"].as_str(), out["position"].as_u64()),
        (0, Some("waitlisted"), Some(1))
    );
    let (code, out) = loket_json(
        &f.path,
        &["enroll", "--json", "--nik", &nik_b, "--cohort", "H-1"],
    );
    assert_eq!(code, 1);
    assert!(out["error"].as_str().unwrap().contains("Sudah"), "{out}");

    let (code, out) = loket_json(
        &f.path,
        &[
            "withdraw", "--json", "--nik", &nik_a, "--cohort", "H-1", "--reason", "pindah",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(out["promoted"]["name"], "BUDI");
    let (code, _) = loket_json(
        &f.path,
        &["withdraw", "--json", "--nik", &nik_a, "--cohort", "H-1"],
    );
    assert_eq!(code, 1);
    let row = cohorts::get(&f.conn, id).unwrap().unwrap();
    assert_eq!((row.enrolled, row.waitlisted), (1, 0));
    let operator: String = f
        .conn
        .query_row(
            "SELECT operator_name FROM audit_log WHERE action = 'enrollment.promote'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(operator, "admin");
    let (code, show) = loket_json(&f.path, &["cohort", "show", "H-1", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(show["roster"].as_array().unwrap().len(), 2);
    assert!(
        show["roster"][0]["nik"].as_str().unwrap().contains('•'),
        "NIKs are masked: {show}"
    );
}
