//! Papan angkatan: every cohort with its fill, waitlist, BPJS coverage and readiness, filtered
//! and sorted for the supervisor. One query with correlated counts on the enrollment index;
//! LIMIT-ed. Never formats text for the screen.

use crate::db::sql::{Connection, ToSql};
use chrono::NaiveDate;
use serde::Serialize;

use super::DbError;
use super::cohorts::{self, CohortRow};
use super::settings::{self, SettingKey};
use crate::domain::cohort::CohortStatus;
use crate::domain::readiness::{NotReady, applies, readiness, warn_soon};

/// Most rows the board shows at once.
pub const BOARD_LIMIT: u32 = 500;

/// How the board is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BoardSort {
    #[default]
    Start,
    Code,
    Course,
    /// Fullest first.
    Fill,
}

impl BoardSort {
    pub fn next(self) -> BoardSort {
        match self {
            BoardSort::Start => BoardSort::Code,
            BoardSort::Code => BoardSort::Course,
            BoardSort::Course => BoardSort::Fill,
            BoardSort::Fill => BoardSort::Start,
        }
    }
}

/// Which cohorts the board shows. `None` means any.
#[derive(Debug, Clone, Default)]
pub struct BoardFilter {
    pub status: Option<CohortStatus>,
    pub course_code: Option<String>,
    /// Kecamatan of the place of training, dotted (`36.03.02`).
    pub district_code: Option<String>,
    pub venue_code: Option<String>,
    /// Cohorts running at some point in [from, to].
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub sort: BoardSort,
    /// 0 = BOARD_LIMIT.
    pub limit: u32,
}

/// One row of the board.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardRow {
    pub cohort: CohortRow,
    /// Enrolled participants with JKK+JKM active for the cohort's whole dates, nothing to
    /// re-submit.
    pub covered: u32,
    /// Empty when ready to start (or, while running, when nothing is missing).
    pub not_ready: Vec<NotReady>,
}

pub fn board(
    conn: &Connection,
    filter: &BoardFilter,
    today: NaiveDate,
) -> Result<Vec<BoardRow>, DbError> {
    let order = match filter.sort {
        BoardSort::Start => "c.start_date, c.code",
        BoardSort::Code => "c.code",
        BoardSort::Course => "co.name, c.start_date",
        BoardSort::Fill => {
            "(SELECT count(*) FROM enrollment e WHERE e.cohort_id = c.id AND e.status = 'enrolled') * 1.0 / c.capacity DESC, c.start_date"
        }
    };
    let sql = format!(
        "{select_with_covered}
           WHERE (c.status = ?1 OR ?1 IS NULL)
             AND (co.code = ?2 OR ?2 IS NULL)
             AND (vil.district_code = ?3 OR ?3 IS NULL)
             AND (v.code = ?4 OR ?4 IS NULL)
             AND (c.end_date >= ?5 OR ?5 IS NULL)
             AND (c.start_date <= ?6 OR ?6 IS NULL)
           ORDER BY {order} LIMIT ?7",
        select_with_covered = cohorts::SELECT.replacen(
            "SELECT c.id,",
            "SELECT (SELECT count(*) FROM enrollment e JOIN coverage cv ON cv.enrollment_id = e.id
                     WHERE e.cohort_id = c.id AND e.status = 'enrolled' AND cv.status = 'active'
                       AND cv.jkk = 1 AND cv.jkm = 1 AND cv.needs_resubmission = 0
                       AND cv.period_start <= c.start_date AND cv.period_end >= c.end_date) AS covered, c.id,",
            1
        ),
    );
    let limit = if filter.limit == 0 {
        BOARD_LIMIT
    } else {
        filter.limit.min(BOARD_LIMIT)
    };
    let status = filter.status.map(CohortStatus::code);
    let params: [&dyn ToSql; 7] = [
        &status,
        &filter.course_code,
        &filter.district_code,
        &filter.venue_code,
        &filter.from,
        &filter.to,
        &limit,
    ];
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(&params[..], |r| {
        let covered: u32 = r.get(0)?;
        // The cohort's own columns follow the count: read them through a shifted view.
        let cohort = cohorts::from_row_at(r, 1)?;
        Ok((covered, cohort))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (covered, cohort) = row?;
        let not_ready = if applies(cohort.status) {
            readiness(
                cohort.enrolled,
                cohort.min_participants,
                covered,
                cohort.bnsp_warning(today),
            )
        } else {
            Vec::new()
        };
        out.push(BoardRow {
            cohort,
            covered,
            not_ready,
        });
    }
    Ok(out)
}

/// Planned cohorts starting within `readiness.warn_days` of `today` that are not ready, by
/// start date (`domain::readiness::warn_soon`): the board and the dashboard list them.
pub fn not_ready_soon(conn: &Connection, today: NaiveDate) -> Result<Vec<BoardRow>, DbError> {
    let days = settings::get_i64(conn, SettingKey::ReadinessWarnDays)?.clamp(0, 366) as u32;
    let filter = BoardFilter {
        from: Some(today),
        to: Some(today + chrono::Duration::days(i64::from(days))),
        ..BoardFilter::default()
    };
    Ok(board(conn, &filter, today)?
        .into_iter()
        .filter(|r| {
            warn_soon(
                r.cohort.status,
                r.cohort.start_date,
                today,
                days,
                &r.not_ready,
            )
        })
        .collect())
}
