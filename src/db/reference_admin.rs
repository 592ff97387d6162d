//! Reference data as a supervisor sees it: courses, venues (BLK, BLK kelurahan, MTU units) and
//! instructors, and the instructor's BNSP certificate a supervisor keeps up to date (holidays
//! are in `db::holidays`). Every change checks `Permission::ManageReference` and writes its
//! audit row in the same transaction. Never formats text for the screen.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::json;
use thiserror::Error;

use super::{DbError, Missing, audit};
use crate::domain::access::{AccessDenied, Actor, Permission};

/// Longest reference list returned.
pub const LIST_LIMIT: u32 = 1000;

/// Why a reference change did not happen (told by `ui::text::db`).
#[derive(Debug, Error)]
pub enum ReferenceError {
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error("not found: {0:?}")]
    NotFound(Missing),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for ReferenceError {
    fn from(e: rusqlite::Error) -> Self {
        ReferenceError::Db(e.into())
    }
}

/// Kejuruan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseRef {
    pub code: String,
    pub name: String,
    pub working_days: u32,
    pub capacity: u32,
    pub min_participants: u32,
    pub min_age: u32,
    pub max_age: u32,
    pub active: bool,
}

/// Tempat pelatihan: BLK, BLK kelurahan, or an MTU unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VenueRef {
    pub code: String,
    pub name: String,
    /// blk, blk_kelurahan, mtu
    pub kind: String,
    pub village: Option<String>,
    pub days_per_week: u32,
    pub active: bool,
}

/// Instruktur with the BNSP certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstructorRef {
    pub id: i64,
    pub name: String,
    pub course_code: Option<String>,
    pub bnsp_cert_no: Option<String>,
    pub bnsp_expiry: Option<NaiveDate>,
}

pub fn courses(conn: &Connection) -> Result<Vec<CourseRef>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT code, name, working_days, capacity, min_participants, min_age, max_age, active
         FROM course ORDER BY name LIMIT ?1",
    )?;
    let rows = stmt.query_map(params![LIST_LIMIT], |r| {
        Ok(CourseRef {
            code: r.get(0)?,
            name: r.get(1)?,
            working_days: r.get(2)?,
            capacity: r.get(3)?,
            min_participants: r.get(4)?,
            min_age: r.get(5)?,
            max_age: r.get(6)?,
            active: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn venues(conn: &Connection) -> Result<Vec<VenueRef>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.code, v.name, v.kind, vil.name, v.days_per_week, v.active
         FROM venue v LEFT JOIN village vil ON vil.code = v.village_code
         ORDER BY v.kind, v.name LIMIT ?1",
    )?;
    let rows = stmt.query_map(params![LIST_LIMIT], |r| {
        Ok(VenueRef {
            code: r.get(0)?,
            name: r.get(1)?,
            kind: r.get(2)?,
            village: r.get(3)?,
            days_per_week: r.get(4)?,
            active: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn instructors(conn: &Connection) -> Result<Vec<InstructorRef>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, course_code, bnsp_cert_no, bnsp_expiry FROM instructor
         WHERE active = 1 ORDER BY name LIMIT ?1",
    )?;
    let rows = stmt.query_map(params![LIST_LIMIT], |r| {
        Ok(InstructorRef {
            id: r.get(0)?,
            name: r.get(1)?,
            course_code: r.get(2)?,
            bnsp_cert_no: r.get(3)?,
            bnsp_expiry: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Records an instructor's BNSP certificate number and expiry (either may be cleared).
pub fn set_instructor_bnsp(
    conn: &Connection,
    actor: &Actor,
    instructor_id: i64,
    cert_no: Option<&str>,
    expiry: Option<NaiveDate>,
) -> Result<(), ReferenceError> {
    actor.require(Permission::ManageReference)?;
    let tx = super::immediate(conn)?;
    let before: Option<(Option<String>, Option<NaiveDate>)> = tx
        .query_row(
            "SELECT bnsp_cert_no, bnsp_expiry FROM instructor WHERE id = ?1",
            params![instructor_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (old_no, old_expiry) =
        before.ok_or_else(|| ReferenceError::NotFound(Missing::Instructor(instructor_id)))?;
    let cert_no = cert_no.map(str::trim).filter(|c| !c.is_empty());
    tx.execute(
        "UPDATE instructor SET bnsp_cert_no = ?2, bnsp_expiry = ?3 WHERE id = ?1",
        params![instructor_id, cert_no, expiry],
    )?;
    audit::record(
        &tx,
        actor,
        audit::Action::Update,
        audit::Entity::Instructor,
        &instructor_id.to_string(),
        Some(&json!({"bnsp_cert_no": old_no, "bnsp_expiry": old_expiry})),
        Some(&json!({"bnsp_cert_no": cert_no, "bnsp_expiry": expiry})),
    )?;
    tx.commit()?;
    Ok(())
}
