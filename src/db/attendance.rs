//! Kehadiran as stored: recording a day for a participant (rules in `domain::attendance`, checked
//! inside the transaction that writes, audited) and the attendance sheet of a cohort. One mark
//! per participant and day is the table's key: a new mark replaces the old one.

use std::collections::HashMap;

use crate::db::sql::{Connection, OptionalExtension, params};
use chrono::NaiveDate;
use thiserror::Error;

use super::settings::SettingKey;
use super::{DbError, Missing, audit, cohorts, settings};
use crate::domain::access::{AccessDenied, Actor, Permission};
use crate::domain::attendance::{
    AttendanceRefusal, AttendanceStatus, Protection, check, rate, sheet_days, unmarked,
};
use crate::domain::cohort::CohortStatus;
use crate::domain::enrollment::EnrollmentStatus;

/// Why a day's attendance was not recorded (told by `ui::text::cohorts`).
#[derive(Debug, Error)]
pub enum AttendanceError {
    #[error(transparent)]
    Refused(#[from] AttendanceRefusal),
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<crate::db::sql::Error> for AttendanceError {
    fn from(e: crate::db::sql::Error) -> Self {
        AttendanceError::Db(e.into())
    }
}

/// The training days of a cohort: its venue's working days from its start, `working_days` of
/// them, never past its end date (a holiday added since may have pushed the last ones out until
/// the end date is recomputed).
pub fn training_days(conn: &Connection, cohort_id: i64) -> Result<Vec<NaiveDate>, DbError> {
    let (venue, start, n, end): (i64, NaiveDate, u32, NaiveDate) = conn
        .prepare_cached(
            "SELECT venue_id, start_date, working_days, end_date FROM cohort WHERE id = ?1",
        )?
        .query_row(params![cohort_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?
        .ok_or(DbError::Missing(Missing::Cohort(cohort_id)))?;
    let calendar = cohorts::venue_calendar(conn, venue)?;
    Ok(sheet_days(calendar.working_days(start, n)?, end))
}

/// Records one participant's attendance on one day seen on `today` (replacing what was
/// recorded that day).
pub fn record(
    conn: &Connection,
    actor: &Actor,
    enrollment_id: i64,
    date: NaiveDate,
    status: AttendanceStatus,
    today: NaiveDate,
) -> Result<(), AttendanceError> {
    actor.require(Permission::RecordAttendance)?;
    let tx = super::immediate(conn)?;
    // Protected: JKK and JKM, in the period BPJS confirmed (kept while a re-submission of moved
    // dates is under way; a rejection ends it).
    type Facts = (
        i64,
        EnrollmentStatus,
        CohortStatus,
        Option<NaiveDate>,
        Option<NaiveDate>,
    );
    let facts: Option<Facts> = tx
        .query_row(
            "SELECT e.cohort_id, e.status, c.status,
                    CASE WHEN v.status IN ('active', 'submitted') AND v.jkk = 1 AND v.jkm = 1 THEN v.covered_from END,
                    CASE WHEN v.status IN ('active', 'submitted') AND v.jkk = 1 AND v.jkm = 1 THEN v.covered_until END
             FROM enrollment e JOIN cohort c ON c.id = e.cohort_id
             LEFT JOIN coverage v ON v.enrollment_id = e.id WHERE e.id = ?1",
            params![enrollment_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((cohort, enrollment_status, cohort_status, from, until)) = facts else {
        return Err(DbError::Missing(Missing::Enrollment(enrollment_id)).into());
    };
    if enrollment_status != EnrollmentStatus::Enrolled || cohort_status != CohortStatus::Running {
        return Err(AttendanceRefusal::NotRunning.into());
    }
    let protection: Protection = from.zip(until);
    check(
        status,
        date,
        today,
        &training_days(&tx, cohort)?,
        protection,
    )?;
    let before: Option<AttendanceStatus> = tx
        .query_row(
            "SELECT status FROM attendance WHERE enrollment_id = ?1 AND date = ?2",
            params![enrollment_id, date],
            |r| r.get(0),
        )
        .optional()?;
    tx.execute(
        "INSERT INTO attendance (enrollment_id, date, status, recorded_by) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (enrollment_id, date) DO UPDATE SET status = excluded.status, recorded_by = excluded.recorded_by",
        params![enrollment_id, date, status, actor.id],
    )?;
    audit::record(
        &tx,
        actor,
        audit::Action::Record,
        audit::Entity::Attendance,
        &format!("{enrollment_id}/{date}"),
        before.as_ref(),
        Some(&status),
    )?;
    tx.commit()?;
    Ok(())
}

/// One participant's line of the attendance sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    pub enrollment_id: i64,
    pub name: String,
    /// Status per training day (same order as `Sheet::days`), None where nothing is recorded.
    pub days: Vec<Option<AttendanceStatus>>,
    /// Percent present of the days passed.
    pub rate: Option<u32>,
    /// Training days passed without a mark.
    pub unmarked: u32,
}

/// The attendance sheet of a cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub days: Vec<NaiveDate>,
    pub rows: Vec<SheetRow>,
    /// Minimum rate for "lulus" (setting attendance.min_rate_percent).
    pub min_rate: u32,
}

pub fn sheet(conn: &Connection, cohort_id: i64, today: NaiveDate) -> Result<Sheet, DbError> {
    let days = training_days(conn, cohort_id)?;
    let index: HashMap<NaiveDate, usize> = days.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let mut people = conn.prepare_cached(
        "SELECT e.id, r.name FROM enrollment e JOIN resident r ON r.id = e.resident_id
         WHERE e.cohort_id = ?1 AND e.status = 'enrolled' ORDER BY r.name, e.id LIMIT 1000",
    )?;
    let mut rows: Vec<SheetRow> = people
        .query_map(params![cohort_id], |r| {
            Ok(SheetRow {
                enrollment_id: r.get(0)?,
                name: r.get(1)?,
                days: vec![None; days.len()],
                rate: None,
                unmarked: 0,
            })
        })?
        .collect::<Result<_, _>>()?;
    let position: HashMap<i64, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.enrollment_id, i))
        .collect();
    let mut marks = conn.prepare_cached(
        "SELECT a.enrollment_id, a.date, a.status FROM attendance a JOIN enrollment e ON e.id = a.enrollment_id
         WHERE e.cohort_id = ?1",
    )?;
    let found = marks.query_map(params![cohort_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, NaiveDate>(1)?,
            r.get::<_, AttendanceStatus>(2)?,
        ))
    })?;
    for mark in found {
        let (enrollment, date, status) = mark?;
        if let (Some(&row), Some(&day)) = (position.get(&enrollment), index.get(&date)) {
            rows[row].days[day] = Some(status);
        }
    }
    for row in &mut rows {
        row.rate = rate(&row.days, &days, today);
        row.unmarked = unmarked(&row.days, &days, today);
    }
    let min_rate = settings::get_i64(conn, SettingKey::AttendanceMinRate)?.clamp(0, 100) as u32;
    Ok(Sheet {
        days,
        rows,
        min_rate,
    })
}
