//! Dasbor: the year per kecamatan (where the training takes place, or where the participants
//! live) and per course against the targets a supervisor sets, and enrollments per week. Every
//! kecamatan of the office's kabupaten and every active course has a row, with or without
//! cohorts, so a target can be set for any of them; every week of the year has a count, zeros
//! included, so the time axis never skips. Aggregate queries over the cohorts starting in the
//! year. Never formats text for the screen.

use std::collections::BTreeMap;

use crate::db::sql::{Connection, Dialect, OptionalExtension, params};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;
use thiserror::Error;

use super::settings::{self, SettingKey};
use super::{DbError, audit};
use crate::domain::access::{AccessDenied, Actor, Permission};

/// Why a target could not be set.
#[derive(Debug, Error)]
pub enum TargetError {
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    /// No kecamatan or course has this code.
    #[error("no kecamatan or course '{0}'")]
    UnknownCode(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<crate::db::sql::Error> for TargetError {
    fn from(e: crate::db::sql::Error) -> Self {
        TargetError::Db(e.into())
    }
}

/// One line of the dashboard: a kecamatan or a course in a year.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DashboardRow {
    /// Kecamatan code (dotted) or course code; empty for participants whose desa is not
    /// recorded (residence) or venues without a desa.
    pub code: String,
    /// Empty together with the code.
    pub name: String,
    pub cohorts: u32,
    pub enrolled: u32,
    pub waitlisted: u32,
    /// Lulus.
    pub passed: u32,
    /// Belum dicatat: enrolled participants of completed cohorts without a recorded outcome.
    pub unrecorded: u32,
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
    /// Enrolled against the target, in percent (above 100 when exceeded).
    pub fn target_percent(&self) -> Option<u32> {
        self.target
            .filter(|t| *t > 0)
            .map(|t| self.enrolled * 100 / t)
    }
    /// False for the row of participants or venues without a kecamatan: no target there.
    pub fn has_code(&self) -> bool {
        !self.code.is_empty()
    }
}

/// The totals row: every count summed; the target is the sum of the targets set (None when
/// none is).
pub fn totals(rows: &[DashboardRow]) -> DashboardRow {
    let mut total = DashboardRow::default();
    for r in rows {
        total.cohorts += r.cohorts;
        total.enrolled += r.enrolled;
        total.waitlisted += r.waitlisted;
        total.passed += r.passed;
        total.unrecorded += r.unrecorded;
        total.covered += r.covered;
        if let Some(t) = r.target {
            total.target = Some(total.target.unwrap_or(0) + t);
        }
    }
    total
}

/// Which grouping the dashboard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// Kecamatan where the training takes place (the MTU's stop, else the venue's desa).
    District,
    /// Kecamatan where the participants live (their desa); a cohort counts in every
    /// kecamatan its participants come from.
    Residence,
    /// Kecamatan office whose counter took the enrollment (issue 18; `enrollment.office_code`):
    /// what each office brought in. Enrollments from before counters were named, or from a
    /// PC without one, count as unknown.
    Office,
    Course,
}

impl Grouping {
    /// The target scope stored for this grouping: both kecamatan views share a kecamatan's
    /// target.
    fn target_scope(self) -> &'static str {
        match self {
            Grouping::District | Grouping::Residence | Grouping::Office => "district",
            Grouping::Course => "course",
        }
    }
}

/// Counts per `$key` over the cohorts `$join` reaches, cohorts starting in [?1, ?2), not
/// cancelled. Counted per cohort first (on the enrollment index), then the cohorts grouped: far
/// fewer rows to group than enrollments. One text for both groupings, so they count alike.
macro_rules! per_cohort_counts {
    ($key:literal, $join:literal) => {
        concat!(
            "
    WITH per AS (
        SELECT e.cohort_id,
               count(*) FILTER (WHERE e.status = 'enrolled') AS enrolled,
               count(*) FILTER (WHERE e.status = 'waitlisted') AS waitlisted,
               count(*) FILTER (WHERE e.status = 'enrolled' AND e.outcome = 'passed') AS passed,
               count(*) FILTER (WHERE e.status = 'enrolled' AND c.status = 'completed' AND e.outcome IS NULL) AS unrecorded,
               count(*) FILTER (WHERE e.status = 'enrolled' AND cv.status = 'active' AND cv.jkk = 1 AND cv.jkm = 1) AS covered
        FROM cohort c
        JOIN enrollment e ON e.cohort_id = c.id
        LEFT JOIN coverage cv ON cv.enrollment_id = e.id
        WHERE c.start_date >= ?1 AND c.start_date < ?2 AND c.status <> 'cancelled'
        GROUP BY e.cohort_id)
    SELECT ",
            $key,
            ", count(*), sum(per.enrolled), sum(per.waitlisted), sum(per.passed),
           sum(per.unrecorded), sum(per.covered)
    FROM cohort c
    ",
            $join,
            "
    LEFT JOIN per ON per.cohort_id = c.id
    WHERE c.start_date >= ?1 AND c.start_date < ?2 AND c.status <> 'cancelled'
    GROUP BY ",
            $key,
            " LIMIT 10000"
        )
    };
}

/// Per kecamatan where the training takes place (the cohort's own place, else its venue's).
const BY_VENUE_DISTRICT: &str = per_cohort_counts!(
    "vil.district_code",
    "JOIN venue v ON v.id = c.venue_id
    LEFT JOIN village vil ON vil.code = coalesce(c.location_village_code, v.village_code)"
);

const BY_COURSE: &str = per_cohort_counts!("co.code", "JOIN course co ON co.id = c.course_id");

/// Counts per `$key` over every live enrollment (`$join` reaching the key from `e`), cohorts
/// starting in [?1, ?2), not cancelled: a cohort counts once under each key its enrollments
/// reach. One text for both groupings, so they count alike.
macro_rules! per_enrollment_counts {
    ($key:literal, $join:literal) => {
        concat!(
            "
    SELECT ",
            $key,
            ", count(DISTINCT e.cohort_id),
           count(*) FILTER (WHERE e.status = 'enrolled'),
           count(*) FILTER (WHERE e.status = 'waitlisted'),
           count(*) FILTER (WHERE e.status = 'enrolled' AND e.outcome = 'passed'),
           count(*) FILTER (WHERE e.status = 'enrolled' AND c.status = 'completed' AND e.outcome IS NULL),
           count(*) FILTER (WHERE e.status = 'enrolled' AND cv.status = 'active' AND cv.jkk = 1 AND cv.jkm = 1)
    FROM cohort c
    JOIN enrollment e ON e.cohort_id = c.id AND e.status IN ('enrolled', 'waitlisted')
    ",
            $join,
            "
    LEFT JOIN coverage cv ON cv.enrollment_id = e.id
    WHERE c.start_date >= ?1 AND c.start_date < ?2 AND c.status <> 'cancelled'
    GROUP BY ",
            $key,
            " LIMIT 10000"
        )
    };
}

/// Per kecamatan of residence: every live enrollment counts where its resident lives.
const BY_RESIDENCE: &str = per_enrollment_counts!(
    "vil.district_code",
    "JOIN resident r ON r.id = e.resident_id
    LEFT JOIN village vil ON vil.code = r.village_code"
);

/// Per office of registration: every live enrollment counts for the office that took it.
const BY_OFFICE: &str = per_enrollment_counts!("e.office_code", "");

/// Per kecamatan (of the venue or of residence) or per course, cohorts starting in `year`:
/// every kecamatan of the office's kabupaten (setting `office.regency_code`) or every active
/// course, then any other with cohorts or a target; by name, the row without a kecamatan last.
pub fn rows(
    conn: &Connection,
    grouping: Grouping,
    year: i32,
) -> Result<Vec<DashboardRow>, DbError> {
    let sql = match grouping {
        Grouping::District => BY_VENUE_DISTRICT,
        Grouping::Residence => BY_RESIDENCE,
        Grouping::Office => BY_OFFICE,
        Grouping::Course => BY_COURSE,
    };
    let (from, to) = year_bounds(year);
    let mut by_code: BTreeMap<String, DashboardRow> = BTreeMap::new();
    for (code, name) in base_list(conn, grouping)? {
        by_code.insert(
            code.clone(),
            DashboardRow {
                code,
                name,
                ..DashboardRow::default()
            },
        );
    }
    let mut stmt = conn.prepare_cached(sql)?;
    let counted = stmt.query_map(params![from, to], |r| {
        let n = |i: usize| -> crate::db::sql::Result<u32> {
            Ok(r.get::<_, Option<u32>>(i)?.unwrap_or(0))
        };
        Ok((
            r.get::<_, Option<String>>(0)?.unwrap_or_default(),
            [n(1)?, n(2)?, n(3)?, n(4)?, n(5)?, n(6)?],
        ))
    })?;
    for row in counted {
        let (code, [cohorts, enrolled, waitlisted, passed, unrecorded, covered]) = row?;
        let entry = by_code.entry(code.clone()).or_insert_with(|| DashboardRow {
            code,
            ..DashboardRow::default()
        });
        entry.cohorts += cohorts;
        entry.enrolled += enrolled;
        entry.waitlisted += waitlisted;
        entry.passed += passed;
        entry.unrecorded += unrecorded;
        entry.covered += covered;
    }
    let mut stmt = conn.prepare_cached(
        "SELECT scope_code, value FROM target
         WHERE year = ?1 AND scope = ?2 AND metric = 'enrolled' LIMIT 10000",
    )?;
    let targets = stmt.query_map(params![year, grouping.target_scope()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
    })?;
    for target in targets {
        let (code, value) = target?;
        by_code
            .entry(code.clone())
            .or_insert_with(|| DashboardRow {
                code,
                ..DashboardRow::default()
            })
            .target = Some(value);
    }
    let mut out: Vec<DashboardRow> = by_code.into_values().collect();
    for row in out.iter_mut().filter(|r| r.has_code() && r.name.is_empty()) {
        row.name = name_of(conn, grouping, &row.code)?.unwrap_or_else(|| row.code.clone());
    }
    out.sort_by(|a, b| (!a.has_code(), &a.name, &a.code).cmp(&(!b.has_code(), &b.name, &b.code)));
    Ok(out)
}

/// The rows every year shows: the kecamatan of the office's kabupaten, or the active courses.
fn base_list(conn: &Connection, grouping: Grouping) -> Result<Vec<(String, String)>, DbError> {
    let pair = |r: &crate::db::sql::Row| Ok((r.get(0)?, r.get(1)?));
    let rows = match grouping {
        Grouping::District | Grouping::Residence | Grouping::Office => conn
            .prepare_cached(
                "SELECT code, name FROM district WHERE regency_code = ?1 ORDER BY name LIMIT 1000",
            )?
            .query_map(
                params![settings::get(conn, SettingKey::OfficeRegency)?],
                pair,
            )?
            .collect::<Result<_, _>>()?,
        Grouping::Course => conn
            .prepare_cached(
                "SELECT code, name FROM course WHERE active = 1 ORDER BY name LIMIT 1000",
            )?
            .query_map([], pair)?
            .collect::<Result<_, _>>()?,
    };
    Ok(rows)
}

/// The name of a kecamatan or a course by code.
fn name_of(conn: &Connection, grouping: Grouping, code: &str) -> Result<Option<String>, DbError> {
    let sql = match grouping {
        Grouping::District | Grouping::Residence | Grouping::Office => {
            "SELECT name FROM district WHERE code = ?1"
        }
        Grouping::Course => "SELECT name FROM course WHERE code = ?1",
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row(params![code], |r| r.get(0))
        .optional()?)
}

fn year_bounds(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1))
}

/// The Mondays of the weeks that hold a day of `year`, oldest first (the first may fall in
/// December of the year before).
pub fn weeks_of(year: i32) -> Vec<NaiveDate> {
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Vec::new();
    };
    let mut monday = first - Duration::days(first.weekday().num_days_from_monday().into());
    let mut weeks = Vec::new();
    while monday <= last {
        weeks.push(monday);
        monday += Duration::days(7);
    }
    debug_assert!(weeks.iter().all(|w| w.weekday() == Weekday::Mon));
    weeks
}

/// Enrollments registered per week (by its Monday) in `year`, oldest first: every week of the
/// year, those with none as zero.
pub fn weekly_enrollments(conn: &Connection, year: i32) -> Result<Vec<(NaiveDate, u32)>, DbError> {
    let (from, to) = year_bounds(year);
    // The Monday on or before the day (a Monday is its own week's).
    let week = match conn.dialect() {
        Dialect::Sqlite => "date(substr(registered_at, 1, 10), '-6 days', 'weekday 1')",
        Dialect::Postgres => {
            "to_char(date_trunc('week', substr(registered_at, 1, 10)::date), 'YYYY-MM-DD')"
        }
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {week} AS week, count(*)
         FROM enrollment WHERE registered_at >= ?1 AND registered_at < ?2
         GROUP BY week ORDER BY week LIMIT 60"
    ))?;
    let counted: BTreeMap<NaiveDate, u32> = stmt
        .query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(weeks_of(year)
        .into_iter()
        .map(|week| (week, counted.get(&week).copied().unwrap_or(0)))
        .collect())
}

/// Sets a yearly target (metric `enrolled`) for a kecamatan or a course, with or without
/// cohorts; supervisors only. Both kecamatan groupings set the kecamatan's one target.
pub fn set_target(
    conn: &Connection,
    actor: &Actor,
    year: i32,
    grouping: Grouping,
    code: &str,
    value: u32,
) -> Result<(), TargetError> {
    actor.require(Permission::ManageReference)?;
    let code = code.trim();
    if name_of(conn, grouping, code)?.is_none() {
        return Err(TargetError::UnknownCode(code.to_string()));
    }
    let scope = grouping.target_scope();
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
    audit::record(
        &tx,
        actor,
        audit::Action::Update,
        audit::Entity::Target,
        &format!("{year}/{scope}/{code}"),
        before.as_ref(),
        Some(&value),
    )?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_week_of_the_year_from_the_monday_before_new_year() {
        let weeks = weeks_of(2026);
        assert_eq!(
            weeks.first(),
            NaiveDate::from_ymd_opt(2025, 12, 29).as_ref()
        );
        assert_eq!(weeks.last(), NaiveDate::from_ymd_opt(2026, 12, 28).as_ref());
        assert_eq!(weeks.len(), 53);
        // 2024 starts on a Monday.
        assert_eq!(
            weeks_of(2024).first(),
            NaiveDate::from_ymd_opt(2024, 1, 1).as_ref()
        );
        assert!(weeks.windows(2).all(|w| w[1] - w[0] == Duration::days(7)));
    }

    #[test]
    fn totals_sum_counts_and_the_targets_set() {
        let row = |enrolled, covered, target| DashboardRow {
            code: "x".into(),
            name: "x".into(),
            cohorts: 1,
            enrolled,
            waitlisted: 2,
            passed: 3,
            unrecorded: 1,
            covered,
            target,
        };
        let total = totals(&[row(10, 5, Some(20)), row(30, 30, None), row(0, 0, Some(5))]);
        assert_eq!(
            (total.cohorts, total.enrolled, total.covered, total.target),
            (3, 40, 35, Some(25))
        );
        assert_eq!(
            (total.waitlisted, total.passed, total.unrecorded),
            (6, 9, 3)
        );
        assert_eq!(total.coverage_percent(), Some(87));
        assert_eq!(total.target_percent(), Some(160));
        assert_eq!(totals(&[row(1, 1, None)]).target, None);
        assert_eq!(row(0, 0, Some(0)).target_percent(), None);
        assert_eq!(row(0, 0, None).coverage_percent(), None);
    }
}
