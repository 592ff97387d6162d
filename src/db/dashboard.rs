//! Dasbor: the year per kecamatan and per course against the targets a supervisor sets, and
//! enrollments per week. Aggregate queries over the cohorts starting in the year. Never formats
//! text for the screen.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use thiserror::Error;

use super::DbError;
use crate::domain::access::{AccessDenied, Actor, Permission};

/// Why a target could not be set.
#[derive(Debug, Error)]
pub enum TargetError {
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for TargetError {
    fn from(e: rusqlite::Error) -> Self {
        TargetError::Db(e.into())
    }
}

/// One line of the dashboard: a kecamatan or a course in a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DashboardRow {
    /// Kecamatan code (dotted) or course code.
    pub code: String,
    pub name: String,
    pub cohorts: u32,
    pub enrolled: u32,
    pub waitlisted: u32,
    /// Lulus.
    pub passed: u32,
    /// Enrolled (or completed) participants with JKK+JKM active.
    pub covered: u32,
    /// Target for the year (metric `enrolled`), if a supervisor set one.
    pub target: Option<u32>,
}

impl DashboardRow {
    /// Coverage rate in percent of the enrolled, or None when nobody is enrolled.
    pub fn coverage_percent(&self) -> Option<u32> {
        (self.enrolled > 0).then(|| self.covered * 100 / self.enrolled)
    }
    /// Enrolled against the target, in percent.
    pub fn target_percent(&self) -> Option<u32> {
        self.target
            .filter(|t| *t > 0)
            .map(|t| self.enrolled * 100 / t)
    }
}

/// Which grouping the dashboard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    District,
    Course,
}

/// Per kecamatan (where the training takes place) or per course, cohorts starting in `year`.
pub fn rows(
    conn: &Connection,
    grouping: Grouping,
    year: i32,
) -> Result<Vec<DashboardRow>, DbError> {
    let (key, name, scope) = match grouping {
        Grouping::District => ("d.code", "d.name", "district"),
        Grouping::Course => ("co.code", "co.name", "course"),
    };
    // Count per cohort first (on the enrollment index), then group the cohorts: far fewer rows
    // to group than one per enrollment.
    let sql = format!(
        "WITH per AS (
             SELECT e.cohort_id,
                    sum(e.status = 'enrolled') AS enrolled,
                    sum(e.status = 'waitlisted') AS waitlisted,
                    sum(e.outcome = 'passed') AS passed,
                    sum(e.status = 'enrolled' AND cv.status = 'active' AND cv.jkk = 1 AND cv.jkm = 1) AS covered
             FROM cohort c
             JOIN enrollment e ON e.cohort_id = c.id
             LEFT JOIN coverage cv ON cv.enrollment_id = e.id
             WHERE c.start_date >= ?2 AND c.start_date < ?3 AND c.status <> 'cancelled'
             GROUP BY e.cohort_id)
         SELECT {key}, {name}, count(*), sum(per.enrolled), sum(per.waitlisted), sum(per.passed),
                sum(per.covered),
                (SELECT value FROM target t WHERE t.year = ?1 AND t.scope = '{scope}'
                    AND t.scope_code = {key} AND t.metric = 'enrolled')
         FROM cohort c
         JOIN course co ON co.id = c.course_id
         JOIN venue v ON v.id = c.venue_id
         LEFT JOIN village vil ON vil.code = coalesce(c.location_village_code, v.village_code)
         LEFT JOIN district d ON d.code = vil.district_code
         LEFT JOIN per ON per.cohort_id = c.id
         WHERE c.start_date >= ?2 AND c.start_date < ?3 AND c.status <> 'cancelled'
         GROUP BY {key} ORDER BY {name} LIMIT 1000"
    );
    let (from, to) = year_bounds(year);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![year, from, to], |r| {
        Ok(DashboardRow {
            code: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
            name: r.get::<_, Option<String>>(1)?.unwrap_or_else(|| "-".into()),
            cohorts: r.get(2)?,
            enrolled: r.get::<_, Option<u32>>(3)?.unwrap_or(0),
            waitlisted: r.get::<_, Option<u32>>(4)?.unwrap_or(0),
            passed: r.get::<_, Option<u32>>(5)?.unwrap_or(0),
            covered: r.get::<_, Option<u32>>(6)?.unwrap_or(0),
            target: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn year_bounds(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1))
}

/// Enrollments registered per week (Monday) in `year`, oldest first; weeks with none are left
/// out.
pub fn weekly_enrollments(conn: &Connection, year: i32) -> Result<Vec<(NaiveDate, u32)>, DbError> {
    let (from, to) = year_bounds(year);
    let mut stmt = conn.prepare_cached(
        "SELECT date(substr(registered_at, 1, 10), 'weekday 1', '-7 days') AS week, count(*)
         FROM enrollment WHERE registered_at >= ?1 AND registered_at < ?2
         GROUP BY week ORDER BY week LIMIT 60",
    )?;
    let rows = stmt.query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Sets a yearly target (metric `enrolled`) for a kecamatan or a course; supervisors only.
pub fn set_target(
    conn: &Connection,
    actor: &Actor,
    year: i32,
    grouping: Grouping,
    code: &str,
    value: u32,
) -> Result<(), TargetError> {
    actor.require(Permission::ManageReference)?;
    let scope = match grouping {
        Grouping::District => "district",
        Grouping::Course => "course",
    };
    let tx = conn.unchecked_transaction()?;
    let before: Option<u32> = tx
        .query_row(
            "SELECT value FROM target WHERE year = ?1 AND scope = ?2 AND scope_code = ?3 AND metric = 'enrolled'",
            params![year, scope, code],
            |r| r.get(0),
        )
        .optional()?;
    tx.execute(
        "INSERT INTO target (year, scope, scope_code, metric, value) VALUES (?1, ?2, ?3, 'enrolled', ?4)
         ON CONFLICT (year, scope, scope_code, metric) DO UPDATE SET value = excluded.value",
        params![year, scope, code, value],
    )?;
    super::audit::record(
        &tx,
        actor,
        super::audit::Action::Update,
        super::audit::Entity::Target,
        &format!("{year}/{scope}/{code}"),
        before.as_ref(),
        Some(&value),
    )?;
    tx.commit()?;
    Ok(())
}
