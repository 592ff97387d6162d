//! Reference data as a supervisor sees it: courses, venues (BLK, BLK kelurahan, MTU units) and
//! instructors, each added and edited here, and the instructor's BNSP certificate a supervisor
//! keeps up to date (holidays are in `db::holidays`); the planned or running cohorts an
//! instructor teaches outside the course of their certificate. Every change checks `Permission::ManageReference` and writes its
//! audit row in the same transaction. Never formats text for the screen.

use crate::db::sql::{Connection, OptionalExtension, params};
use chrono::NaiveDate;
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
    /// A field is empty or out of its range (`field` names it).
    #[error("invalid {field:?}")]
    Invalid { field: RefField },
    /// Another course or venue already has this code.
    #[error("code '{0}' is taken")]
    CodeTaken(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<crate::db::sql::Error> for ReferenceError {
    fn from(e: crate::db::sql::Error) -> Self {
        ReferenceError::Db(e.into())
    }
}

/// The field of a reference row a refusal names (told by `ui::text::db`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RefField {
    Code,
    Name,
    /// An instructor's certified course: no course has that code.
    CertifiedCourse,
    WorkingDays,
    Capacity,
    /// Minimum participants: 1 up to the capacity.
    Minimum,
    /// Ages: the minimum up to the maximum.
    Ages,
    /// Venue kind: blk, blk_kelurahan or mtu.
    Kind,
    /// A desa code no desa has.
    Village,
    /// 5 or 6 days a week.
    DaysPerWeek,
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
    /// The desa's code, with `village` its name.
    pub village_code: Option<String>,
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
        "SELECT v.code, v.name, v.kind, vil.name, v.days_per_week, v.active, v.village_code
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
            village_code: r.get(6)?,
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
    let cert_no = filled(cert_no);
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

/// A course as a supervisor enters it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CourseInput {
    pub code: String,
    pub name: String,
    pub working_days: u32,
    pub capacity: u32,
    pub min_participants: u32,
    pub min_age: u32,
    pub max_age: u32,
}

impl CourseInput {
    fn check(&self) -> Result<(), RefField> {
        if self.code.trim().is_empty() || self.code.trim().contains(char::is_whitespace) {
            return Err(RefField::Code);
        }
        if self.name.trim().is_empty() {
            return Err(RefField::Name);
        }
        if !(1..=366).contains(&self.working_days) {
            return Err(RefField::WorkingDays);
        }
        if self.capacity == 0 || self.capacity > 1000 {
            return Err(RefField::Capacity);
        }
        if self.min_participants == 0 || self.min_participants > self.capacity {
            return Err(RefField::Minimum);
        }
        if self.min_age > self.max_age || self.max_age > 120 {
            return Err(RefField::Ages);
        }
        Ok(())
    }
}

/// A venue as a supervisor enters it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VenueInput {
    pub code: String,
    pub name: String,
    /// blk, blk_kelurahan, mtu
    pub kind: String,
    /// The desa's dotted code (NN.NN.NN.NNNN), if any.
    pub village_code: Option<String>,
    pub days_per_week: u32,
}

/// An instructor as a supervisor enters them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstructorInput {
    pub name: String,
    /// The course their BNSP certificate is for.
    pub course_code: Option<String>,
    pub bnsp_cert_no: Option<String>,
    pub bnsp_expiry: Option<NaiveDate>,
}

fn invalid(field: RefField) -> ReferenceError {
    ReferenceError::Invalid { field }
}

/// A text that may be left empty: trimmed, none when nothing is left.
fn filled(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// Refuses `code` (when given) as an invalid `field` unless `table` holds a row with it.
fn require_known(
    tx: &Connection,
    table: &str,
    code: Option<&str>,
    field: RefField,
) -> Result<(), ReferenceError> {
    let Some(code) = code else { return Ok(()) };
    let sql = format!("SELECT EXISTS(SELECT 1 FROM {table} WHERE code = ?1)");
    let known: bool = tx.query_row(&sql, params![code], |r| r.get(0))?;
    if known { Ok(()) } else { Err(invalid(field)) }
}

/// Refuses `code` when a row of `table` other than the one being edited holds it. `IS DISTINCT
/// FROM` (not SQLite's `IS NOT`, which PostgreSQL reads only before NULL/TRUE/FALSE) compares
/// with `editing` even when it is NULL, on both stores.
fn require_free(
    tx: &Connection,
    table: &str,
    code: &str,
    editing: Option<&str>,
) -> Result<(), ReferenceError> {
    let sql = format!(
        "SELECT EXISTS(SELECT 1 FROM {table} WHERE code = ?1 AND code IS DISTINCT FROM ?2)"
    );
    let taken: bool = tx.query_row(&sql, params![code, editing], |r| r.get(0))?;
    if taken {
        return Err(ReferenceError::CodeTaken(code.to_string()));
    }
    Ok(())
}

/// The audit row of a save: a create when there was nothing before, else an update.
fn record_save<B: Serialize, A: Serialize>(
    tx: &Connection,
    actor: &Actor,
    entity: audit::Entity,
    id: &str,
    before: Option<&B>,
    after: &A,
) -> Result<(), DbError> {
    let action = match before {
        Some(_) => audit::Action::Update,
        None => audit::Action::Create,
    };
    audit::record(tx, actor, action, entity, id, before, Some(after))
}

/// Adds a course, or changes the one with code `editing` (its code may change too).
pub fn save_course(
    conn: &Connection,
    actor: &Actor,
    editing: Option<&str>,
    input: &CourseInput,
) -> Result<(), ReferenceError> {
    actor.require(Permission::ManageReference)?;
    input.check().map_err(invalid)?;
    let code = input.code.trim();
    let tx = super::immediate(conn)?;
    let before = match editing {
        Some(old) => Some(
            courses(&tx)?
                .into_iter()
                .find(|c| c.code == old)
                .ok_or_else(|| ReferenceError::NotFound(Missing::Course(old.to_string())))?,
        ),
        None => None,
    };
    require_free(&tx, "course", code, editing)?;
    let values = params![
        code,
        input.name.trim(),
        input.working_days,
        input.capacity,
        input.min_participants,
        input.min_age,
        input.max_age,
        editing
    ];
    if editing.is_some() {
        tx.execute(
            "UPDATE course SET code = ?1, name = ?2, working_days = ?3, capacity = ?4,
                 min_participants = ?5, min_age = ?6, max_age = ?7 WHERE code = ?8",
            values,
        )?;
        // Instructors certified for the course follow its new code.
        tx.execute(
            "UPDATE instructor SET course_code = ?1 WHERE course_code = ?2",
            params![code, editing],
        )?;
    } else {
        tx.execute(
            "INSERT INTO course (code, name, category, working_days, capacity, min_participants,
                 min_age, max_age) VALUES (?1, ?2, '', ?3, ?4, ?5, ?6, ?7)",
            &values[..7],
        )?;
    }
    record_save(
        &tx,
        actor,
        audit::Entity::Course,
        code,
        before.as_ref(),
        input,
    )?;
    tx.commit()?;
    Ok(())
}

/// Adds a venue, or changes the one with code `editing`.
pub fn save_venue(
    conn: &Connection,
    actor: &Actor,
    editing: Option<&str>,
    input: &VenueInput,
) -> Result<(), ReferenceError> {
    actor.require(Permission::ManageReference)?;
    let code = input.code.trim();
    if code.is_empty() || code.contains(char::is_whitespace) {
        return Err(invalid(RefField::Code));
    }
    if input.name.trim().is_empty() {
        return Err(invalid(RefField::Name));
    }
    let kind = input.kind.trim().to_ascii_lowercase();
    if !["blk", "blk_kelurahan", "mtu"].contains(&kind.as_str()) {
        return Err(invalid(RefField::Kind));
    }
    if !(5..=6).contains(&input.days_per_week) {
        return Err(invalid(RefField::DaysPerWeek));
    }
    let village = filled(input.village_code.as_deref());
    let tx = super::immediate(conn)?;
    require_known(&tx, "village", village, RefField::Village)?;
    let before: Option<VenueInput> = match editing {
        Some(old) => Some(
            tx.query_row(
                "SELECT code, name, kind, village_code, days_per_week FROM venue WHERE code = ?1",
                params![old],
                |r| {
                    Ok(VenueInput {
                        code: r.get(0)?,
                        name: r.get(1)?,
                        kind: r.get(2)?,
                        village_code: r.get(3)?,
                        days_per_week: r.get(4)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| ReferenceError::NotFound(Missing::Venue(old.to_string())))?,
        ),
        None => None,
    };
    require_free(&tx, "venue", code, editing)?;
    let values = params![
        code,
        input.name.trim(),
        kind,
        village,
        input.days_per_week,
        editing
    ];
    if editing.is_some() {
        tx.execute(
            "UPDATE venue SET code = ?1, name = ?2, kind = ?3, village_code = ?4, days_per_week = ?5
             WHERE code = ?6",
            values,
        )?;
    } else {
        tx.execute(
            "INSERT INTO venue (code, name, kind, village_code, days_per_week)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            &values[..5],
        )?;
    }
    let after = VenueInput {
        code: code.to_string(),
        name: input.name.trim().to_string(),
        kind,
        village_code: village.map(str::to_string),
        days_per_week: input.days_per_week,
    };
    record_save(
        &tx,
        actor,
        audit::Entity::Venue,
        code,
        before.as_ref(),
        &after,
    )?;
    tx.commit()?;
    Ok(())
}

/// Adds an instructor (`editing` None; returns the new id) or changes instructor `editing`:
/// name, the course of their certificate (a known course code, or none), BNSP number and expiry.
pub fn save_instructor(
    conn: &Connection,
    actor: &Actor,
    editing: Option<i64>,
    input: &InstructorInput,
) -> Result<i64, ReferenceError> {
    actor.require(Permission::ManageReference)?;
    let name = input.name.trim();
    if name.is_empty() {
        return Err(invalid(RefField::Name));
    }
    let course = filled(input.course_code.as_deref());
    let cert_no = filled(input.bnsp_cert_no.as_deref());
    let tx = super::immediate(conn)?;
    require_known(&tx, "course", course, RefField::CertifiedCourse)?;
    let after = InstructorInput {
        name: name.to_string(),
        course_code: course.map(str::to_string),
        bnsp_cert_no: cert_no.map(str::to_string),
        bnsp_expiry: input.bnsp_expiry,
    };
    let (id, before) = match editing {
        Some(id) => {
            let before = instructors(&tx)?
                .into_iter()
                .find(|i| i.id == id)
                .ok_or(ReferenceError::NotFound(Missing::Instructor(id)))?;
            tx.execute(
                "UPDATE instructor SET name = ?2, course_code = ?3, bnsp_cert_no = ?4, bnsp_expiry = ?5
                 WHERE id = ?1",
                params![id, name, course, cert_no, input.bnsp_expiry],
            )?;
            (id, Some(before))
        }
        None => {
            let id = tx.insert_returning_id(
                "INSERT INTO instructor (name, course_code, bnsp_cert_no, bnsp_expiry)
                 VALUES (?1, ?2, ?3, ?4) RETURNING id",
                params![name, course, cert_no, input.bnsp_expiry],
            )?;
            (id, None)
        }
    };
    record_save(
        &tx,
        actor,
        audit::Entity::Instructor,
        &id.to_string(),
        before.as_ref(),
        &after,
    )?;
    tx.commit()?;
    Ok(id)
}

/// Per instructor, the codes of the planned or running cohorts they teach whose course is not
/// the one their certificate is for (or who have no certified course on record).
pub fn uncertified_cohorts(
    conn: &Connection,
) -> Result<std::collections::HashMap<i64, Vec<String>>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.id, c.code FROM cohort c
         JOIN instructor i ON i.id = c.instructor_id
         JOIN course co ON co.id = c.course_id
         WHERE c.status IN ('draft', 'open', 'running')
           AND (i.course_code IS NULL OR upper(trim(i.course_code)) <> upper(co.code))
         ORDER BY c.start_date, c.code LIMIT 10000",
    )?;
    let mut out: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (id, code) = row?;
        out.entry(id).or_default().push(code);
    }
    Ok(out)
}
