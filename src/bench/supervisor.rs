//! The supervisor's queries at scale: a fixture of cohorts and enrollments over the bench's
//! residents (5,000 cohorts and 100,000 enrollments by default, as issue 5 sets), and the
//! board and dashboard queries timed on it. Never used outside `loket bench` and its tests.

use std::time::{Duration, Instant};

use crate::db::sql::{Connection, params};
use chrono::{Duration as Days, NaiveDate};

use crate::db::board::{BoardFilter, BoardSort, board};
use crate::db::dashboard::{Grouping, rows, weekly_enrollments};
use crate::db::sample::SplitMix64;
use crate::db::{DbError, now_text};
use crate::domain::cohort::CohortStatus;

/// The day the fixture's dates are laid around (fixed, so runs compare).
pub fn fixture_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or(NaiveDate::MIN)
}

/// Adds `cohorts` cohorts with `enrollments` enrollments (and their coverage) spread over the
/// residents already in the database, in one transaction. Dates run from two years before to
/// one year after `fixture_today()`; statuses follow the dates.
pub fn fixture(
    conn: &Connection,
    cohorts: u32,
    enrollments: u32,
    seed: u64,
) -> Result<(), DbError> {
    let residents = crate::db::residents::max_id(conn)?;
    if residents == 0 || cohorts == 0 {
        return Ok(());
    }
    let mut rng = SplitMix64(seed);
    let tx = conn.unchecked_transaction()?;
    let now = now_text();
    let villages: Vec<String> = tx
        .prepare("SELECT code FROM village WHERE code LIKE '36.03.%' ORDER BY code")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let courses: Vec<i64> = tx
        .prepare("SELECT id FROM course")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut venues = Vec::new();
    for i in 0..40 {
        tx.execute(
            "INSERT INTO venue (code, name, kind, village_code) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO NOTHING",
            params![
                format!("BENCH-V{i:02}"),
                format!("BLK Kelurahan {i}"),
                if i % 10 == 0 { "mtu" } else { "blk_kelurahan" },
                rng.pick(&villages)
            ],
        )?;
        venues.push(tx.query_row(
            "SELECT id FROM venue WHERE code = ?1",
            [format!("BENCH-V{i:02}")],
            |r| r.get::<_, i64>(0),
        )?);
    }
    let per_cohort = (enrollments / cohorts).max(1);
    let today = fixture_today();
    let mut cohort_stmt = tx.prepare(
        "INSERT INTO cohort (code, course_id, venue_id, start_date, working_days, end_date, capacity,
             min_participants, funding, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 20, ?5, ?6, ?7, ?8, ?9, ?10, ?10) RETURNING id",
    )?;
    let mut enroll_stmt = tx.prepare(
        "INSERT INTO enrollment (resident_id, cohort_id, status, registered_at, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
    )?;
    let mut cover_stmt = tx.prepare(
        "INSERT INTO coverage (enrollment_id, status, kpj, reject_reason, period_start, period_end, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut resident = rng.below(residents as usize) as i64;
    for n in 0..cohorts {
        let start = today - Days::days(730) + Days::days(rng.below(1095) as i64);
        let end = start + Days::days(27);
        let status = if end < today {
            if rng.percent(5) {
                CohortStatus::Cancelled
            } else {
                CohortStatus::Completed
            }
        } else if start <= today {
            CohortStatus::Running
        } else if rng.percent(20) {
            CohortStatus::Draft
        } else {
            CohortStatus::Open
        };
        let capacity = 16 + (rng.below(3) as u32) * 2;
        let cohort: i64 = cohort_stmt.query_row(
            params![
                format!("BENCH-{n:05}"),
                rng.pick(&courses),
                rng.pick(&venues),
                start,
                end,
                capacity,
                16,
                ["apbd", "apbn", "dif", "csr"][rng.below(4)],
                status.code(),
                now,
            ],
            |r| r.get(0),
        )?;
        if status == CohortStatus::Draft {
            continue;
        }
        for seat in 0..per_cohort {
            resident = resident % residents + 1;
            let waitlisted = seat >= capacity;
            let registered = format!("{} 09:00:00", start - Days::days(30 - (seat % 28) as i64));
            let outcome = (status == CohortStatus::Completed && !waitlisted)
                .then(|| if rng.percent(85) { "passed" } else { "failed" });
            let enrollment: i64 = enroll_stmt.query_row(
                params![
                    resident,
                    cohort,
                    if waitlisted { "waitlisted" } else { "enrolled" },
                    registered,
                    outcome
                ],
                |r| r.get(0),
            )?;
            let coverage = if waitlisted {
                "unregistered"
            } else {
                [
                    "active",
                    "active",
                    "active",
                    "submitted",
                    "unregistered",
                    "rejected",
                ][rng.below(6)]
            };
            cover_stmt.execute(params![
                enrollment,
                coverage,
                (coverage == "active").then(|| format!("{:011}", enrollment)),
                (coverage == "rejected").then_some("data tidak cocok"),
                start,
                end,
                now
            ])?;
        }
    }
    drop((cohort_stmt, enroll_stmt, cover_stmt));
    tx.commit()?;
    conn.execute_batch("ANALYZE")?;
    Ok(())
}

fn timed(
    runs: usize,
    mut f: impl FnMut() -> Result<(), DbError>,
) -> Result<Vec<Duration>, DbError> {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f()?;
            Ok(t.elapsed())
        })
        .collect()
}

pub fn board_default(conn: &Connection) -> Result<Vec<Duration>, DbError> {
    timed(20, || {
        board(conn, &BoardFilter::default(), fixture_today()).map(drop)
    })
}

pub fn board_open_by_fill(conn: &Connection) -> Result<Vec<Duration>, DbError> {
    let filter = BoardFilter {
        status: Some(CohortStatus::Open),
        sort: BoardSort::Fill,
        ..BoardFilter::default()
    };
    timed(20, || board(conn, &filter, fixture_today()).map(drop))
}

pub fn dashboard_by_district(conn: &Connection) -> Result<Vec<Duration>, DbError> {
    timed(20, || rows(conn, Grouping::District, 2026).map(drop))
}

pub fn dashboard_by_course(conn: &Connection) -> Result<Vec<Duration>, DbError> {
    timed(20, || rows(conn, Grouping::Course, 2026).map(drop))
}

pub fn weekly(conn: &Connection) -> Result<Vec<Duration>, DbError> {
    timed(20, || weekly_enrollments(conn, 2026).map(drop))
}
