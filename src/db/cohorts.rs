//! Angkatan as stored: listing (with seats and waitlist counts), the enroll picker's "nearest
//! first" list, creating a cohort with its calendar-derived end date, moving its dates (which
//! re-flags BPJS coverage) and status transitions. Rules live in `domain::cohort`; this module
//! gathers facts inside one IMMEDIATE transaction, applies the rule, writes, and audits.
//! Never formats text for the screen.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use serde_json::json;
use thiserror::Error;

use super::{CodeKind, DbError, Missing, audit, now_text, reference};
use crate::domain::access::{AccessDenied, Actor, Permission};
use crate::domain::calendar::{WorkingCalendar, WorkingWeek};
use crate::domain::cohort::{
    BnspWarning, CohortFacts, CohortStatus, Funding, LocationKind, PlanError, TransitionError,
    bnsp_warning, check_dates_editable, check_sizes, check_transition, plan_dates,
};
use crate::domain::coverage::{CoverageStatus, needs_resubmission_after_move};

/// Longest list a cohort query returns.
pub const LIST_LIMIT: u32 = 500;

/// One cohort with what the counter and the board show about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortRow {
    pub id: i64,
    pub code: String,
    pub course_code: String,
    pub course: String,
    pub status: CohortStatus,
    pub venue_code: String,
    pub venue: String,
    pub location_kind: LocationKind,
    pub location_name: String,
    /// The desa where the training takes place (the MTU's stop, else the venue's desa).
    pub village_code: Option<String>,
    pub village: Option<String>,
    pub district: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub working_days: u32,
    pub daily_hours: f64,
    pub capacity: u32,
    pub min_participants: u32,
    pub min_age: u32,
    pub max_age: u32,
    pub funding: Funding,
    pub target_groups: String,
    pub instructor_id: Option<i64>,
    pub instructor: Option<String>,
    pub bnsp_expiry: Option<NaiveDate>,
    pub cancel_reason: Option<String>,
    pub enrolled: u32,
    pub waitlisted: u32,
}

impl CohortRow {
    pub fn seats_left(&self) -> u32 {
        self.capacity.saturating_sub(self.enrolled)
    }

    /// Where the training happens, for lists: the venue, or the MTU's stop and its desa.
    pub fn place(&self) -> String {
        let village = self.village.as_deref().unwrap_or("");
        if self.location_kind == LocationKind::Venue || self.location_name.trim().is_empty() {
            if village.is_empty() {
                self.venue.clone()
            } else {
                format!("{}, {village}", self.venue)
            }
        } else if village.is_empty() {
            self.location_name.clone()
        } else {
            format!("{} {village}", self.location_name)
        }
    }

    /// The instructor's BNSP certificate warning as seen on `today`.
    pub fn bnsp_warning(&self, today: NaiveDate) -> Option<BnspWarning> {
        let instructor = self.instructor_id.map(|_| self.bnsp_expiry);
        bnsp_warning(instructor, self.end_date, today)
    }

    fn facts(&self) -> CohortFacts {
        CohortFacts {
            status: self.status,
            start: self.start_date,
            end: self.end_date,
            enrolled: self.enrolled,
            min_participants: self.min_participants,
        }
    }
}

/// How near a cohort is to a resident (enroll picker order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Proximity {
    /// Desa yang sama.
    SameVillage,
    /// Kecamatan yang sama.
    SameDistrict,
    Elsewhere,
}

/// Which cohorts to list.
#[derive(Debug, Clone, Default)]
pub struct CohortFilter {
    pub status: Option<CohortStatus>,
    /// At most this many (capped at LIST_LIMIT; 0 = LIST_LIMIT).
    pub limit: u32,
}

/// Everything that can go wrong changing a cohort (told by `ui::text::cohorts`).
#[derive(Debug, Error)]
pub enum CohortError {
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error("not found: {0:?}")]
    NotFound(Missing),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for CohortError {
    fn from(e: rusqlite::Error) -> Self {
        CohortError::Db(e.into())
    }
}

pub(crate) const SELECT: &str = "
    SELECT c.id, c.code, co.code, co.name, c.status, v.code, v.name, c.location_kind, c.location_name,
           vil.code, vil.name, dis.name, c.start_date, c.end_date, c.working_days, c.daily_hours,
           c.capacity, c.min_participants, co.min_age, co.max_age, c.funding, c.target_groups,
           c.instructor_id, i.name, i.bnsp_expiry, c.cancel_reason,
           (SELECT count(*) FROM enrollment e WHERE e.cohort_id = c.id AND e.status = 'enrolled'),
           (SELECT count(*) FROM enrollment e WHERE e.cohort_id = c.id AND e.status = 'waitlisted')
    FROM cohort c
    JOIN course co ON co.id = c.course_id
    JOIN venue v ON v.id = c.venue_id
    LEFT JOIN instructor i ON i.id = c.instructor_id
    LEFT JOIN village vil ON vil.code = coalesce(c.location_village_code, v.village_code)
    LEFT JOIN district dis ON dis.code = vil.district_code";

pub(crate) fn from_row(r: &Row) -> rusqlite::Result<CohortRow> {
    from_row_at(r, 0)
}

/// A cohort read from `SELECT`'s columns, starting at column `at` (a query may put its own
/// columns first).
pub(crate) fn from_row_at(r: &Row, at: usize) -> rusqlite::Result<CohortRow> {
    Ok(CohortRow {
        id: r.get(at)?,
        code: r.get(at + 1)?,
        course_code: r.get(at + 2)?,
        course: r.get(at + 3)?,
        status: r.get(at + 4)?,
        venue_code: r.get(at + 5)?,
        venue: r.get(at + 6)?,
        location_kind: r.get(at + 7)?,
        location_name: r.get(at + 8)?,
        village_code: r.get(at + 9)?,
        village: r.get(at + 10)?,
        district: r.get(at + 11)?,
        start_date: r.get(at + 12)?,
        end_date: r.get(at + 13)?,
        working_days: r.get(at + 14)?,
        daily_hours: r.get(at + 15)?,
        capacity: r.get(at + 16)?,
        min_participants: r.get(at + 17)?,
        min_age: r.get(at + 18)?,
        max_age: r.get(at + 19)?,
        funding: r.get(at + 20)?,
        target_groups: r.get(at + 21)?,
        instructor_id: r.get(at + 22)?,
        instructor: r.get(at + 23)?,
        bnsp_expiry: r.get(at + 24)?,
        cancel_reason: r.get(at + 25)?,
        enrolled: r.get(at + 26)?,
        waitlisted: r.get(at + 27)?,
    })
}

fn cap(limit: u32) -> u32 {
    if limit == 0 {
        LIST_LIMIT
    } else {
        limit.min(LIST_LIMIT)
    }
}

/// Cohorts, by start date then code.
pub fn list(conn: &Connection, filter: &CohortFilter) -> Result<Vec<CohortRow>, DbError> {
    let sql = format!(
        "{SELECT} WHERE (?1 IS NULL OR c.status = ?1) ORDER BY c.start_date, c.code LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![filter.status, cap(filter.limit)], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One cohort by id.
pub fn get(conn: &Connection, id: i64) -> Result<Option<CohortRow>, DbError> {
    let sql = format!("{SELECT} WHERE c.id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![id], from_row)
        .optional()?)
}

/// One cohort by its code (case-insensitive).
pub fn get_by_code(conn: &Connection, code: &str) -> Result<Option<CohortRow>, DbError> {
    let sql = format!("{SELECT} WHERE c.code = ?1 COLLATE NOCASE");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![code.trim()], from_row)
        .optional()?)
}

/// Open cohorts for a resident's enroll picker: same desa first, then same kecamatan, then the
/// rest, each by start date. Without a resident (or one with no desa), all are "elsewhere".
pub fn open_for_resident(
    conn: &Connection,
    resident_id: Option<i64>,
    limit: u32,
) -> Result<Vec<(Proximity, CohortRow)>, DbError> {
    let village: Option<String> = match resident_id {
        Some(id) => conn
            .prepare_cached("SELECT village_code FROM resident WHERE id = ?1")?
            .query_row(params![id], |r| r.get(0))
            .optional()?
            .flatten(),
        None => None,
    };
    let sql = format!(
        "{SELECT} WHERE c.status = 'open'
         ORDER BY CASE WHEN ?1 IS NULL OR vil.code IS NULL THEN 2
                       WHEN vil.code = ?1 THEN 0
                       WHEN vil.district_code = substr(?1, 1, 8) THEN 1
                       ELSE 2 END,
                  c.start_date, c.code
         LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![village, cap(limit)], from_row)?;
    let rows: Vec<CohortRow> = rows.collect::<Result<_, _>>()?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let proximity = match (&village, &row.village_code) {
                (Some(mine), Some(theirs)) if mine == theirs => Proximity::SameVillage,
                (Some(mine), Some(theirs)) if mine.get(..8) == theirs.get(..8) => {
                    Proximity::SameDistrict
                }
                _ => Proximity::Elsewhere,
            };
            (proximity, row)
        })
        .collect())
}

/// The working calendar of a venue: the holiday table plus the venue's working week.
pub fn venue_calendar(conn: &Connection, venue_id: i64) -> Result<WorkingCalendar, DbError> {
    let days: Option<u8> = conn
        .prepare_cached("SELECT days_per_week FROM venue WHERE id = ?1")?
        .query_row(params![venue_id], |r| r.get(0))
        .optional()?;
    let days = days.ok_or(DbError::Missing(Missing::VenueId(venue_id)))?;
    let week = WorkingWeek::from_days(days).ok_or_else(|| DbError::UnknownCode {
        kind: CodeKind::WorkingWeek,
        value: days.to_string(),
    })?;
    Ok(WorkingCalendar::new(reference::holiday_dates(conn)?, week))
}

/// A cohort to create. Sizes, hours and working days default to the course's.
#[derive(Debug, Clone)]
pub struct NewCohort {
    pub code: String,
    pub course_code: String,
    pub venue_code: String,
    pub location_kind: LocationKind,
    pub location_name: String,
    pub location_village_code: Option<String>,
    pub start: NaiveDate,
    pub working_days: Option<u32>,
    pub capacity: Option<u32>,
    pub min_participants: Option<u32>,
    pub daily_hours: Option<f64>,
    pub instructor_id: Option<i64>,
    pub funding: Funding,
    pub target_groups: String,
}

/// Creates a draft cohort; its end date comes from the venue's calendar.
pub fn create(conn: &Connection, actor: &Actor, new: &NewCohort) -> Result<CohortRow, CohortError> {
    actor.require(Permission::ManageCohorts)?;
    if new.code.trim().is_empty() {
        return Err(PlanError::EmptyCode.into());
    }
    let tx = super::immediate(conn)?;
    let course: Option<(i64, u32, u32, u32, f64)> = tx
        .prepare_cached(
            "SELECT id, working_days, capacity, min_participants, daily_hours FROM course WHERE code = ?1 COLLATE NOCASE",
        )?
        .query_row(params![new.course_code.trim()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let (course_id, days, capacity, min, hours) = course.ok_or_else(|| {
        CohortError::NotFound(Missing::Course(new.course_code.trim().to_string()))
    })?;
    let venue_id: Option<i64> = tx
        .prepare_cached("SELECT id FROM venue WHERE code = ?1 COLLATE NOCASE")?
        .query_row(params![new.venue_code.trim()], |r| r.get(0))
        .optional()?;
    let venue_id = venue_id
        .ok_or_else(|| CohortError::NotFound(Missing::Venue(new.venue_code.trim().to_string())))?;
    // Named here rather than left to the foreign key, which cannot say which id is wrong.
    if let Some(id) = new.instructor_id {
        let known: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM instructor WHERE id = ?1)")?
            .query_row(params![id], |r| r.get(0))?;
        if !known {
            return Err(CohortError::NotFound(Missing::Instructor(id)));
        }
    }
    let working_days = new.working_days.unwrap_or(days);
    let capacity = new.capacity.unwrap_or(capacity);
    let min = new.min_participants.unwrap_or(min.min(capacity));
    let hours = new.daily_hours.unwrap_or(hours);
    check_sizes(capacity, min, hours)?;
    let calendar = venue_calendar(&tx, venue_id)?;
    let (start, end) = plan_dates(&calendar, new.start, working_days)?;
    let now = now_text();
    tx.execute(
        "INSERT INTO cohort (code, course_id, venue_id, location_kind, location_name, location_village_code,
            start_date, working_days, end_date, daily_hours, capacity, min_participants, instructor_id,
            funding, target_groups, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 'draft', ?16, ?16)",
        params![
            new.code.trim(),
            course_id,
            venue_id,
            new.location_kind,
            new.location_name,
            new.location_village_code,
            start,
            working_days,
            end,
            hours,
            capacity,
            min,
            new.instructor_id,
            new.funding,
            new.target_groups,
            now,
        ],
    )?;
    let id = tx.last_insert_rowid();
    let row = get(&tx, id)?.ok_or_else(|| CohortError::NotFound(Missing::Cohort(id)))?;
    audit::record::<(), _>(
        &tx,
        actor,
        audit::Action::CohortCreate,
        audit::Entity::Cohort,
        &row.code,
        None,
        Some(&row),
    )?;
    tx.commit()?;
    Ok(row)
}

/// Moves a draft or open cohort's start (and optionally its length); the end date is laid out
/// again, and every live enrollment's coverage period follows. Coverage BPJS already knows is
/// marked for re-submission.
pub fn update_dates(
    conn: &Connection,
    actor: &Actor,
    cohort_id: i64,
    start: NaiveDate,
    working_days: Option<u32>,
) -> Result<CohortRow, CohortError> {
    actor.require(Permission::ManageCohorts)?;
    let tx = super::immediate(conn)?;
    let before =
        get(&tx, cohort_id)?.ok_or_else(|| CohortError::NotFound(Missing::Cohort(cohort_id)))?;
    check_dates_editable(before.status)?;
    let venue_id: i64 = tx.query_row(
        "SELECT venue_id FROM cohort WHERE id = ?1",
        params![cohort_id],
        |r| r.get(0),
    )?;
    let working_days = working_days.unwrap_or(before.working_days);
    let (start, end) = plan_dates(&venue_calendar(&tx, venue_id)?, start, working_days)?;
    let now = now_text();
    tx.execute(
        "UPDATE cohort SET start_date = ?2, working_days = ?3, end_date = ?4, updated_at = ?5 WHERE id = ?1",
        params![cohort_id, start, working_days, end, now],
    )?;
    if (start, end) != (before.start_date, before.end_date) {
        let coverage: Vec<(i64, CoverageStatus)> = tx
            .prepare(
                "SELECT cv.enrollment_id, cv.status FROM coverage cv JOIN enrollment e ON e.id = cv.enrollment_id
                 WHERE e.cohort_id = ?1 AND e.status IN ('enrolled', 'waitlisted')",
            )?
            .query_map(params![cohort_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut update = tx.prepare_cached(
            "UPDATE coverage SET period_start = ?2, period_end = ?3,
                 needs_resubmission = max(needs_resubmission, ?4), updated_at = ?5
             WHERE enrollment_id = ?1",
        )?;
        for (enrollment_id, status) in coverage {
            let moved = needs_resubmission_after_move(status);
            update.execute(params![enrollment_id, start, end, moved, now])?;
        }
    }
    let after =
        get(&tx, cohort_id)?.ok_or_else(|| CohortError::NotFound(Missing::Cohort(cohort_id)))?;
    audit::record(
        &tx,
        actor,
        audit::Action::CohortDates,
        audit::Entity::Cohort,
        &after.code,
        Some(
            &json!({"start_date": before.start_date, "working_days": before.working_days, "end_date": before.end_date}),
        ),
        Some(
            &json!({"start_date": after.start_date, "working_days": after.working_days, "end_date": after.end_date}),
        ),
    )?;
    tx.commit()?;
    Ok(after)
}

/// Changes a cohort's status after checking the transition on `today`. Cancelling withdraws
/// every live enrollment with the reason; completing withdraws whoever is still waitlisted.
pub fn transition(
    conn: &Connection,
    actor: &Actor,
    cohort_id: i64,
    to: CohortStatus,
    reason: Option<&str>,
    today: NaiveDate,
) -> Result<CohortRow, CohortError> {
    actor.require(match to {
        CohortStatus::Completed => Permission::CompleteCohorts,
        _ => Permission::ManageCohorts,
    })?;
    let tx = super::immediate(conn)?;
    let before =
        get(&tx, cohort_id)?.ok_or_else(|| CohortError::NotFound(Missing::Cohort(cohort_id)))?;
    let live = before.enrolled + before.waitlisted;
    check_transition(&before.facts(), live, to, today, reason)?;
    let now = now_text();
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    tx.execute(
        "UPDATE cohort SET status = ?2, cancel_reason = CASE WHEN ?2 = 'cancelled' THEN ?3 ELSE cancel_reason END,
             updated_at = ?4 WHERE id = ?1",
        params![cohort_id, to, reason, now],
    )?;
    let closing = match to {
        CohortStatus::Cancelled => Some((
            "('enrolled', 'waitlisted')",
            format!("Angkatan dibatalkan: {}", reason.unwrap_or("")),
        )),
        CohortStatus::Completed => Some((
            "('waitlisted')",
            "Angkatan selesai sebelum mendapat kursi".to_string(),
        )),
        _ => None,
    };
    if let Some((statuses, why)) = closing {
        tx.execute(
            &format!(
                "UPDATE enrollment SET status = 'withdrawn', withdrawn_at = ?2, withdraw_reason = ?3
                 WHERE cohort_id = ?1 AND status IN {statuses}"
            ),
            params![cohort_id, now, why],
        )?;
    }
    audit::record(
        &tx,
        actor,
        audit::Action::CohortStatus,
        audit::Entity::Cohort,
        &before.code,
        Some(&json!({"status": before.status})),
        Some(&json!({"status": to, "reason": reason})),
    )?;
    let after =
        get(&tx, cohort_id)?.ok_or_else(|| CohortError::NotFound(Missing::Cohort(cohort_id)))?;
    tx.commit()?;
    Ok(after)
}
