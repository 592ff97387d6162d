//! The holiday calendar a supervisor keeps: national holidays and cuti bersama ship with loket,
//! next year's cuti bersama decree comes late, so holidays can be added and custom ones removed.
//! Supervisors only (ManageReference); every change audited. A change inside a planned or
//! running cohort's dates is told back (`cohorts::TouchedCohort`, with the end the calendar now
//! gives) so the supervisor can have the end dates recomputed (`cohorts::recompute_ends`);
//! until then a cohort keeps its end date and its attendance grid stops there.

use crate::db::sql::{Connection, OptionalExtension, params};
use chrono::NaiveDate;
use serde::Serialize;
use thiserror::Error;

use super::cohorts::{TouchedCohort, touched_by_holiday};
use super::{DbError, audit};
use crate::domain::access::{AccessDenied, Actor, Permission};
use crate::domain::calendar::HolidayCategory;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub category: HolidayCategory,
    pub name: String,
}

/// Why a holiday change did not happen (told by `ui::text::db`).
#[derive(Debug, Error)]
pub enum HolidayError {
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error("a holiday needs a name")]
    EmptyName,
    #[error("{0} is already a holiday")]
    Exists(NaiveDate),
    #[error("{0} is a national holiday")]
    NotCustom(NaiveDate),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<crate::db::sql::Error> for HolidayError {
    fn from(e: crate::db::sql::Error) -> Self {
        HolidayError::Db(e.into())
    }
}

/// Holidays of a year, by date.
pub fn of_year(conn: &Connection, year: i32) -> Result<Vec<Holiday>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT date, category, name FROM holiday WHERE date >= ?1 AND date < ?2 ORDER BY date LIMIT 400",
    )?;
    let rows = stmt.query_map(
        params![format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1)],
        |r| {
            Ok(Holiday {
                date: r.get(0)?,
                category: r.get(1)?,
                name: r.get(2)?,
            })
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Adds a holiday. A name starting with "Cuti Bersama" is filed as cuti bersama (government),
/// anything else as custom. Returns the cohorts whose training days it touches.
pub fn add(
    conn: &Connection,
    actor: &Actor,
    date: NaiveDate,
    name: &str,
) -> Result<Vec<TouchedCohort>, HolidayError> {
    actor.require(Permission::ManageReference)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(HolidayError::EmptyName);
    }
    let category = if name.to_lowercase().starts_with("cuti bersama") {
        HolidayCategory::Government
    } else {
        HolidayCategory::Custom
    };
    let tx = conn.unchecked_transaction()?;
    let exists: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM holiday WHERE date = ?1)",
        [date],
        |r| r.get(0),
    )?;
    if exists {
        return Err(HolidayError::Exists(date));
    }
    tx.execute(
        "INSERT INTO holiday (date, category, name) VALUES (?1, ?2, ?3)",
        params![date, category, name],
    )?;
    let after = Holiday {
        date,
        category,
        name: name.into(),
    };
    audit::record(
        &tx,
        actor,
        audit::Action::Create,
        audit::Entity::Holiday,
        &date.to_string(),
        None::<&()>,
        Some(&after),
    )?;
    let touched = touched_by_holiday(&tx, date)?;
    tx.commit()?;
    Ok(touched)
}

/// Removes a holiday added here (the shipped national ones stay). Returns the cohorts whose
/// training days it touches.
pub fn remove(
    conn: &Connection,
    actor: &Actor,
    date: NaiveDate,
) -> Result<Vec<TouchedCohort>, HolidayError> {
    actor.require(Permission::ManageReference)?;
    let tx = conn.unchecked_transaction()?;
    let before: Option<Holiday> = tx
        .query_row(
            "SELECT date, category, name FROM holiday WHERE date = ?1",
            [date],
            |r| {
                Ok(Holiday {
                    date: r.get(0)?,
                    category: r.get(1)?,
                    name: r.get(2)?,
                })
            },
        )
        .optional()?;
    let Some(before) = before else {
        return Err(DbError::Missing(super::Missing::Holiday(date)).into());
    };
    if before.category == HolidayCategory::Public {
        return Err(HolidayError::NotCustom(date));
    }
    tx.execute("DELETE FROM holiday WHERE date = ?1", [date])?;
    audit::record(
        &tx,
        actor,
        audit::Action::Delete,
        audit::Entity::Holiday,
        &date.to_string(),
        Some(&before),
        None::<&()>,
    )?;
    let touched = touched_by_holiday(&tx, date)?;
    tx.commit()?;
    Ok(touched)
}
