//! Angkatan as stored: listing (with seats and waitlist counts), the enroll picker's "nearest
//! first" list, creating a cohort with its calendar-derived end date, editing its plan (dates,
//! venue, capacity, minimum, instructor: moved dates re-flag BPJS coverage and name the
//! participants whose other cohorts now overlap, a larger capacity promotes from the
//! waitlist), recomputing end dates after a holiday changed, the gaps a completion leaves, and
//! status transitions. Rules live in `domain::cohort`; this module gathers facts inside one
//! IMMEDIATE transaction, applies the rule, writes, and audits. Never formats text for the
//! screen.

use crate::db::sql::{Connection, OptionalExtension, Row, params};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use thiserror::Error;

use super::enrollment::{self, Promotion};
use super::{CodeKind, DbError, Missing, attendance, audit, now_text, reference};
use crate::domain::access::{AccessDenied, Actor, Permission};
use crate::domain::calendar::{WorkingCalendar, WorkingWeek};
use crate::domain::cohort::{
    BnspWarning, CohortFacts, CohortStatus, Funding, LocationKind, PlanError, PlanField,
    TransitionError, bnsp_warning, check_editable, check_resize, check_sizes, check_start,
    check_transition, holiday_touches, overlaps, plan_dates, promotions_on_resize,
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
    #[error("{name:?} names several instructors: {matches:?}")]
    AmbiguousInstructor { name: String, matches: Vec<String> },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<crate::db::sql::Error> for CohortError {
    fn from(e: crate::db::sql::Error) -> Self {
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

pub(crate) fn from_row(r: &Row) -> crate::db::sql::Result<CohortRow> {
    from_row_at(r, 0)
}

/// A cohort read from `SELECT`'s columns, starting at column `at` (a query may put its own
/// columns first).
pub(crate) fn from_row_at(r: &Row, at: usize) -> crate::db::sql::Result<CohortRow> {
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
        "{SELECT} WHERE (c.status = ?1 OR ?1 IS NULL) ORDER BY c.start_date, c.code LIMIT ?2"
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
    let sql = format!("{SELECT} WHERE lower(c.code) = lower(?1)");
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
         ORDER BY CASE WHEN CAST(?1 AS TEXT) IS NULL OR vil.code IS NULL THEN 2
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

/// Creates a draft cohort; its end date comes from the venue's calendar. Its first training
/// day may not lie before `today`.
pub fn create(
    conn: &Connection,
    actor: &Actor,
    new: &NewCohort,
    today: NaiveDate,
) -> Result<CohortRow, CohortError> {
    actor.require(Permission::ManageCohorts)?;
    if new.code.trim().is_empty() {
        return Err(PlanError::EmptyCode.into());
    }
    let tx = super::immediate(conn)?;
    let course: Option<(i64, u32, u32, u32, f64)> = tx
        .prepare_cached(
            "SELECT id, working_days, capacity, min_participants, daily_hours FROM course WHERE lower(code) = lower(?1)",
        )?
        .query_row(params![new.course_code.trim()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let (course_id, days, capacity, min, hours) = course.ok_or_else(|| {
        CohortError::NotFound(Missing::Course(new.course_code.trim().to_string()))
    })?;
    let venue_id: Option<i64> = tx
        .prepare_cached("SELECT id FROM venue WHERE lower(code) = lower(?1)")?
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
    check_start(start, today)?;
    if let Some(id) = new.instructor_id {
        instructor_exists(&tx, id)?;
    }
    let now = now_text();
    let id: i64 = tx.insert_returning_id(
        "INSERT INTO cohort (code, course_id, venue_id, location_kind, location_name, location_village_code,
            start_date, working_days, end_date, daily_hours, capacity, min_participants, instructor_id,
            funding, target_groups, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 'draft', ?16, ?16)
         RETURNING id",
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

/// The first free code `PREFIX-NN` (01, 02, ...) for a new cohort.
pub fn suggest_code(conn: &Connection, prefix: &str) -> Result<String, DbError> {
    let mut taken =
        conn.prepare_cached("SELECT EXISTS(SELECT 1 FROM cohort WHERE lower(code) = lower(?1))")?;
    for n in 1..1000 {
        let code = format!("{prefix}-{n:02}");
        let exists: bool = taken.query_row(params![code], |r| r.get(0))?;
        if !exists {
            return Ok(code);
        }
    }
    Ok(format!(
        "{prefix}-{}",
        now_text().replace([' ', ':', '-'], "")
    ))
}

/// Moves a draft or open cohort's start (and optionally its length), as `edit` does.
pub fn update_dates(
    conn: &Connection,
    actor: &Actor,
    cohort_id: i64,
    start: NaiveDate,
    working_days: Option<u32>,
    today: NaiveDate,
) -> Result<EditOutcome, CohortError> {
    let change = CohortEdit {
        start: Some(start),
        working_days,
        ..CohortEdit::default()
    };
    edit(conn, actor, cohort_id, &change, today)
}

/// What a supervisor changes in a cohort's plan; `None` leaves a part as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CohortEdit {
    pub start: Option<NaiveDate>,
    pub working_days: Option<u32>,
    pub venue_code: Option<String>,
    pub capacity: Option<u32>,
    pub min_participants: Option<u32>,
    /// `Some(None)` removes the instructor.
    pub instructor_id: Option<Option<i64>>,
}

/// A participant of the edited cohort whose other live enrollment now shares days with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverlapWarning {
    pub resident_id: i64,
    pub name: String,
    pub other_code: String,
    pub other_start: NaiveDate,
    pub other_end: NaiveDate,
}

/// What an edit did besides changing the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EditOutcome {
    pub cohort: CohortRow,
    /// Moved from the waitlist into the seats a larger capacity opened, head first.
    pub promoted: Vec<Promotion>,
    /// Participants whose other cohorts now overlap the new dates (a warning: both stay).
    pub overlaps: Vec<OverlapWarning>,
    /// The parts that changed.
    pub changed: Vec<PlanField>,
}

/// Changes a cohort's plan in one transaction. Each part that differs from what is stored must
/// be editable in the cohort's status (`PlanField::editable`); a new first day may not lie
/// before `today`; sizes must hold and keep every seated participant. New dates (or a venue
/// with another working week) lay the end out again and move every live enrollment's coverage
/// period (coverage BPJS knows is marked for re-submission); a larger capacity promotes the
/// head of the waitlist into each new seat, audited as a withdrawal's promotion is.
pub fn edit(
    conn: &Connection,
    actor: &Actor,
    cohort_id: i64,
    change: &CohortEdit,
    today: NaiveDate,
) -> Result<EditOutcome, CohortError> {
    actor.require(Permission::ManageCohorts)?;
    let tx = super::immediate(conn)?;
    super::lock_rows(&tx, None, Some(cohort_id))?;
    let before =
        get(&tx, cohort_id)?.ok_or_else(|| CohortError::NotFound(Missing::Cohort(cohort_id)))?;
    let mut changed = Vec::new();
    let venue_id = match change.venue_code.as_deref().map(str::trim) {
        Some(code) if !code.eq_ignore_ascii_case(&before.venue_code) => {
            changed.push(PlanField::Venue);
            venue_id(&tx, code)?
        }
        _ => tx.query_row(
            "SELECT venue_id FROM cohort WHERE id = ?1",
            params![cohort_id],
            |r| r.get(0),
        )?,
    };
    let start = change.start.unwrap_or(before.start_date);
    let working_days = change.working_days.unwrap_or(before.working_days);
    if start != before.start_date || working_days != before.working_days {
        changed.push(PlanField::Dates);
    }
    let capacity = change.capacity.unwrap_or(before.capacity);
    if capacity != before.capacity {
        changed.push(PlanField::Capacity);
    }
    let min = change.min_participants.unwrap_or(before.min_participants);
    if min != before.min_participants {
        changed.push(PlanField::Minimum);
    }
    let instructor = change.instructor_id.unwrap_or(before.instructor_id);
    if instructor != before.instructor_id {
        changed.push(PlanField::Instructor);
        if let Some(id) = instructor {
            instructor_exists(&tx, id)?;
        }
    }
    for field in &changed {
        check_editable(*field, before.status)?;
    }
    check_resize(capacity, min, before.daily_hours, before.enrolled)?;
    let (first, end) = if changed
        .iter()
        .any(|f| matches!(f, PlanField::Dates | PlanField::Venue))
    {
        let (first, end) = plan_dates(&venue_calendar(&tx, venue_id)?, start, working_days)?;
        if first != before.start_date {
            check_start(first, today)?;
        }
        (first, end)
    } else {
        (before.start_date, before.end_date)
    };
    let now = now_text();
    tx.execute(
        "UPDATE cohort SET start_date = ?2, working_days = ?3, end_date = ?4, venue_id = ?5, capacity = ?6,
             min_participants = ?7, instructor_id = ?8, updated_at = ?9
         WHERE id = ?1",
        params![cohort_id, first, working_days, end, venue_id, capacity, min, instructor, now],
    )?;
    let moved = (first, end) != (before.start_date, before.end_date);
    if moved {
        move_coverage(&tx, cohort_id, first, end, &now)?;
    }
    let overlaps = if moved {
        overlap_warnings(&tx, cohort_id, (first, end))?
    } else {
        Vec::new()
    };
    let grown = promotions_on_resize(before.status, capacity, before.enrolled, before.waitlisted);
    let promoted =
        enrollment::promote_heads(&tx, actor, cohort_id, grown, &json!({"capacity": capacity}))?;
    let after =
        get(&tx, cohort_id)?.ok_or_else(|| CohortError::NotFound(Missing::Cohort(cohort_id)))?;
    if changed.contains(&PlanField::Dates) || moved {
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
    }
    if changed.iter().any(|f| !matches!(f, PlanField::Dates)) {
        audit::record(
            &tx,
            actor,
            audit::Action::CohortEdit,
            audit::Entity::Cohort,
            &after.code,
            Some(
                &json!({"venue": before.venue_code, "capacity": before.capacity,
                         "min_participants": before.min_participants, "instructor_id": before.instructor_id}),
            ),
            Some(
                &json!({"venue": after.venue_code, "capacity": after.capacity,
                         "min_participants": after.min_participants, "instructor_id": after.instructor_id,
                         "promoted": promoted.len()}),
            ),
        )?;
    }
    tx.commit()?;
    Ok(EditOutcome {
        cohort: after,
        promoted,
        overlaps,
        changed,
    })
}

fn venue_id(tx: &Connection, code: &str) -> Result<i64, CohortError> {
    let id: Option<i64> = tx
        .prepare_cached("SELECT id FROM venue WHERE lower(code) = lower(?1)")?
        .query_row(params![code.trim()], |r| r.get(0))
        .optional()?;
    id.ok_or_else(|| CohortError::NotFound(Missing::Venue(code.trim().to_string())))
}

fn instructor_exists(tx: &Connection, id: i64) -> Result<(), CohortError> {
    let found: bool = tx
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM instructor WHERE id = ?1)")?
        .query_row(params![id], |r| r.get(0))?;
    if found {
        Ok(())
    } else {
        Err(CohortError::NotFound(Missing::Instructor(id)))
    }
}

/// The instructor a supervisor names (`--instructor NAME`): the one whose name is `name`
/// (any case), else the only one whose name contains it; a number is an id as before.
pub fn find_instructor(conn: &Connection, name: &str) -> Result<i64, CohortError> {
    let name = name.trim();
    if let Ok(id) = name.parse::<i64>() {
        instructor_exists(conn, id)?;
        return Ok(id);
    }
    let found: Vec<(i64, String)> = conn
        .prepare_cached(
            "SELECT id, name FROM instructor
             WHERE lower(name) = lower(?1) OR instr(lower(name), lower(?1)) > 0
             ORDER BY lower(name) = lower(?1) DESC, name LIMIT 20",
        )?
        .query_map(params![name], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    match found.as_slice() {
        [] => Err(CohortError::NotFound(Missing::InstructorName(
            name.to_string(),
        ))),
        [(id, _)] => Ok(*id),
        [(id, first), ..] if first.eq_ignore_ascii_case(name) => Ok(*id),
        many => Err(CohortError::AmbiguousInstructor {
            name: name.to_string(),
            matches: many.iter().map(|(_, n)| n.clone()).collect(),
        }),
    }
}

/// Every live enrollment's coverage period follows new cohort dates; coverage BPJS already
/// knows is marked for re-submission (the period BPJS confirmed stays as it was).
fn move_coverage(
    tx: &Connection,
    cohort_id: i64,
    start: NaiveDate,
    end: NaiveDate,
    now: &str,
) -> Result<(), DbError> {
    let coverage: Vec<(i64, CoverageStatus)> = tx
        .prepare_cached(
            "SELECT cv.enrollment_id, cv.status FROM coverage cv JOIN enrollment e ON e.id = cv.enrollment_id
             WHERE e.cohort_id = ?1 AND e.status IN ('enrolled', 'waitlisted')",
        )?
        .query_map(params![cohort_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut update = tx.prepare_cached(
        "UPDATE coverage SET period_start = ?2, period_end = ?3,
             needs_resubmission = CASE WHEN ?4 > needs_resubmission THEN ?4 ELSE needs_resubmission END,
             updated_at = ?5
         WHERE enrollment_id = ?1",
    )?;
    for (enrollment_id, status) in coverage {
        let moved = needs_resubmission_after_move(status);
        update.execute(params![enrollment_id, start, end, moved, now])?;
    }
    Ok(())
}

/// The participants (enrolled or waitlisted) of a cohort whose other live enrollments in
/// cohorts not over share days with `dates`.
fn overlap_warnings(
    tx: &Connection,
    cohort_id: i64,
    dates: (NaiveDate, NaiveDate),
) -> Result<Vec<OverlapWarning>, DbError> {
    let mut stmt = tx.prepare_cached(
        "SELECT r.id, r.name, c.code, c.start_date, c.end_date
         FROM enrollment mine JOIN resident r ON r.id = mine.resident_id
         JOIN enrollment other ON other.resident_id = mine.resident_id AND other.cohort_id <> mine.cohort_id
         JOIN cohort c ON c.id = other.cohort_id
         WHERE mine.cohort_id = ?1 AND mine.status IN ('enrolled', 'waitlisted')
           AND other.status IN ('enrolled', 'waitlisted') AND c.status NOT IN ('completed', 'cancelled')
         ORDER BY r.name_key, c.start_date",
    )?;
    let rows = stmt.query_map(params![cohort_id], |r| {
        Ok(OverlapWarning {
            resident_id: r.get(0)?,
            name: r.get(1)?,
            other_code: r.get(2)?,
            other_start: r.get(3)?,
            other_end: r.get(4)?,
        })
    })?;
    let mut out = Vec::new();
    for row in rows {
        let row = row?;
        if overlaps(dates, (row.other_start, row.other_end)) {
            out.push(row);
        }
    }
    Ok(out)
}

/// A cohort whose training days a holiday change touches, with its end date before and as
/// the calendar now lays it out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TouchedCohort {
    pub id: i64,
    pub code: String,
    pub status: CohortStatus,
    pub end_date: NaiveDate,
    /// The end the current calendar gives (equal to `end_date` when nothing moves).
    pub new_end: NaiveDate,
}

/// Cohorts (draft, open or running) whose dates include `date` on a day their venue trains:
/// a holiday added or removed on it changes their training days (`domain::cohort::
/// holiday_touches`). Read after the holiday table changed, so `new_end` is the new layout.
pub fn touched_by_holiday(
    conn: &Connection,
    date: NaiveDate,
) -> Result<Vec<TouchedCohort>, DbError> {
    struct Candidate {
        id: i64,
        code: String,
        status: CohortStatus,
        start: NaiveDate,
        end: NaiveDate,
        days: u32,
        per_week: u8,
        venue: i64,
    }
    let candidates: Vec<Candidate> = conn
        .prepare_cached(
            "SELECT c.id, c.code, c.status, c.start_date, c.end_date, c.working_days, v.days_per_week, v.id
             FROM cohort c JOIN venue v ON v.id = c.venue_id
             WHERE c.status IN ('draft', 'open', 'running') AND c.start_date <= ?1 AND c.end_date >= ?1
             ORDER BY c.start_date, c.code LIMIT ?2",
        )?
        .query_map(params![date, LIST_LIMIT], |r| {
            Ok(Candidate {
                id: r.get(0)?,
                code: r.get(1)?,
                status: r.get(2)?,
                start: r.get(3)?,
                end: r.get(4)?,
                days: r.get(5)?,
                per_week: r.get(6)?,
                venue: r.get(7)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for Candidate {
        id,
        code,
        status,
        start,
        end,
        days,
        per_week,
        venue,
    } in candidates
    {
        let week = WorkingWeek::from_days(per_week).ok_or_else(|| DbError::UnknownCode {
            kind: CodeKind::WorkingWeek,
            value: per_week.to_string(),
        })?;
        if !holiday_touches(status, start, end, week, date) {
            continue;
        }
        let new_end = venue_calendar(conn, venue)?.nth_working_day(start, days)?;
        out.push(TouchedCohort {
            id,
            code,
            status,
            end_date: end,
            new_end,
        });
    }
    Ok(out)
}

/// Lays the end date of each cohort out again on the current calendar (after a holiday was
/// added or removed), keeping its start and its number of working days; coverage periods
/// follow, and coverage BPJS knows is marked for re-submission. Draft, open and running
/// cohorts only; each change audited as `cohort.dates` with the reason. Returns the cohorts
/// whose end moved.
pub fn recompute_ends(
    conn: &Connection,
    actor: &Actor,
    cohort_ids: &[i64],
    reason: &str,
) -> Result<Vec<TouchedCohort>, CohortError> {
    actor.require(Permission::ManageCohorts)?;
    let tx = super::immediate(conn)?;
    let now = now_text();
    let mut moved = Vec::new();
    for &id in cohort_ids {
        let before = get(&tx, id)?.ok_or_else(|| CohortError::NotFound(Missing::Cohort(id)))?;
        if before.status.is_closed() {
            return Err(PlanError::Locked {
                field: PlanField::Dates,
                status: before.status,
            }
            .into());
        }
        let venue: i64 = tx.query_row(
            "SELECT venue_id FROM cohort WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )?;
        let end = venue_calendar(&tx, venue)?
            .nth_working_day(before.start_date, before.working_days)
            .map_err(PlanError::Calendar)?;
        if end == before.end_date {
            continue;
        }
        tx.execute(
            "UPDATE cohort SET end_date = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, end, now],
        )?;
        move_coverage(&tx, id, before.start_date, end, &now)?;
        audit::record(
            &tx,
            actor,
            audit::Action::CohortDates,
            audit::Entity::Cohort,
            &before.code,
            Some(&json!({"end_date": before.end_date})),
            Some(&json!({"end_date": end, "reason": reason})),
        )?;
        moved.push(TouchedCohort {
            id,
            code: before.code,
            status: before.status,
            end_date: before.end_date,
            new_end: end,
        });
    }
    tx.commit()?;
    Ok(moved)
}

/// What completing a cohort would leave unrecorded (a warning, never a refusal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CompletionGaps {
    /// Enrolled participants without lulus / tidak lulus / mengundurkan diri.
    pub missing_outcomes: u32,
    /// Training days passed without an attendance mark, summed over participants.
    pub unmarked_days: u32,
    /// Participants with at least one such day.
    pub unmarked_participants: u32,
}

impl CompletionGaps {
    pub fn is_empty(&self) -> bool {
        self.missing_outcomes == 0 && self.unmarked_days == 0
    }
}

/// The outcomes and attendance marks a cohort still lacks, as seen on `today`.
pub fn completion_gaps(
    conn: &Connection,
    cohort_id: i64,
    today: NaiveDate,
) -> Result<CompletionGaps, DbError> {
    let missing_outcomes: u32 = conn
        .prepare_cached(
            "SELECT count(*) FROM enrollment WHERE cohort_id = ?1 AND status = 'enrolled' AND outcome IS NULL",
        )?
        .query_row(params![cohort_id], |r| r.get(0))?;
    let sheet = attendance::sheet(conn, cohort_id, today)?;
    Ok(CompletionGaps {
        missing_outcomes,
        unmarked_days: sheet.rows.iter().map(|r| r.unmarked).sum(),
        unmarked_participants: sheet.rows.iter().filter(|r| r.unmarked > 0).count() as u32,
    })
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
    super::lock_rows(&tx, None, Some(cohort_id))?;
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
