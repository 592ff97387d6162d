//! Pendaftaran as stored: enroll, withdraw (promoting the head of the waitlist), the roster, the
//! explained waitlist, and completion per participant. Each change runs in ONE IMMEDIATE
//! transaction: the write lock is taken before the facts are read, so two clerks on two
//! processes cannot both see the last seat free. The rules are `domain::enrollment`'s; this
//! module never decides on its own and never formats text for the screen.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::json;
use thiserror::Error;

use super::{DbError, Missing, audit, cohorts, now_text};
use crate::domain::access::{AccessDenied, Actor, Permission};
use crate::domain::cohort::CohortStatus;
use crate::domain::coverage::CoverageStatus;
use crate::domain::enrollment::{
    CompletionRefusal, EnrollmentStatus, Followup, LiveEnrollment, Outcome, Refusal, TargetCohort,
    WaitlistEntry, WaitlistReason, WithdrawRefusal, check_enroll, check_followup, check_outcome,
    check_withdraw, explain_waitlist, placement, promotes_on_withdraw,
};

/// Longest roster or waitlist returned.
pub const ROSTER_LIMIT: u32 = 2000;

/// Why an enrollment did not happen (told by `ui::text::enrollment`).
#[derive(Debug, Error)]
pub enum EnrollError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error("resident not found")]
    ResidentNotFound,
    #[error("cohort not found")]
    CohortNotFound,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl EnrollError {
    /// A stable machine word for scripts.
    pub fn code(&self) -> &'static str {
        match self {
            EnrollError::Refused(r) => r.code(),
            EnrollError::Denied(_) => "access_denied",
            EnrollError::ResidentNotFound => "resident_not_found",
            EnrollError::CohortNotFound => "cohort_not_found",
            EnrollError::Db(DbError::Locked) => "database_locked",
            EnrollError::Db(_) => "database_error",
        }
    }
}

impl From<rusqlite::Error> for EnrollError {
    fn from(e: rusqlite::Error) -> Self {
        EnrollError::Db(e.into())
    }
}

/// Why a withdrawal or a completion did not happen (told by `ui::text::enrollment`).
#[derive(Debug, Error)]
pub enum ChangeError {
    #[error(transparent)]
    Withdraw(#[from] WithdrawRefusal),
    #[error(transparent)]
    Completion(#[from] CompletionRefusal),
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error("not found: {0:?}")]
    NotFound(Missing),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for ChangeError {
    fn from(e: rusqlite::Error) -> Self {
        ChangeError::Db(e.into())
    }
}

/// The coverage flagged with an enrollment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageFlag {
    pub jkk: bool,
    pub jkm: bool,
    pub status: CoverageStatus,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
}

/// What an accepted enrollment became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnrollOutcome {
    pub enrollment_id: i64,
    pub cohort_code: String,
    pub status: EnrollmentStatus,
    /// Place on the waitlist (1 = next), when waitlisted.
    pub position: Option<u32>,
    pub coverage: CoverageFlag,
}

/// Someone moved from the waitlist into a freed seat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Promotion {
    pub enrollment_id: i64,
    pub resident_id: i64,
    pub name: String,
}

/// What a withdrawal did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WithdrawOutcome {
    pub enrollment_id: i64,
    /// What the withdrawn enrollment was.
    pub was: EnrollmentStatus,
    pub promoted: Option<Promotion>,
}

/// A resident as the enroll picker heads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResidentBrief {
    pub id: i64,
    pub nik: String,
    pub name: String,
    pub birth_date: NaiveDate,
    pub village_code: Option<String>,
    pub village: Option<String>,
    pub district: Option<String>,
}

/// The resident with this NIK, if registered.
pub fn resident_id_by_nik(conn: &Connection, nik: &str) -> Result<Option<i64>, DbError> {
    let digits: String = nik.chars().filter(char::is_ascii_digit).collect();
    Ok(conn
        .prepare_cached("SELECT id FROM resident WHERE nik = ?1")?
        .query_row(params![digits], |r| r.get(0))
        .optional()?)
}

/// Name, NIK and desa of a resident.
pub fn resident_brief(conn: &Connection, id: i64) -> Result<Option<ResidentBrief>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT r.id, r.nik, r.name, r.birth_date, r.village_code, v.name, d.name
             FROM resident r LEFT JOIN village v ON v.code = r.village_code
             LEFT JOIN district d ON d.code = v.district_code WHERE r.id = ?1",
        )?
        .query_row(params![id], |r| {
            Ok(ResidentBrief {
                id: r.get(0)?,
                nik: r.get(1)?,
                name: r.get(2)?,
                birth_date: r.get(3)?,
                village_code: r.get(4)?,
                village: r.get(5)?,
                district: r.get(6)?,
            })
        })
        .optional()?)
}

fn target(
    tx: &Connection,
    cohort_id: i64,
) -> Result<Option<(TargetCohort, String, u32, u32)>, DbError> {
    Ok(tx
        .prepare_cached(
            "SELECT c.id, c.status, c.start_date, c.end_date, co.min_age, co.max_age, c.code, c.capacity,
                    (SELECT count(*) FROM enrollment e WHERE e.cohort_id = c.id AND e.status = 'enrolled')
             FROM cohort c JOIN course co ON co.id = c.course_id WHERE c.id = ?1",
        )?
        .query_row(params![cohort_id], |r| {
            Ok((
                TargetCohort {
                    id: r.get(0)?,
                    status: r.get(1)?,
                    start: r.get(2)?,
                    end: r.get(3)?,
                    min_age: r.get(4)?,
                    max_age: r.get(5)?,
                },
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })
        .optional()?)
}

/// The resident's enrolled or waitlisted rows in cohorts that are not over.
fn live_enrollments(tx: &Connection, resident_id: i64) -> Result<Vec<LiveEnrollment>, DbError> {
    let mut stmt = tx.prepare_cached(
        "SELECT c.id, c.code, e.status, c.start_date, c.end_date FROM enrollment e JOIN cohort c ON c.id = e.cohort_id
         WHERE e.resident_id = ?1 AND e.status IN ('enrolled', 'waitlisted')
           AND c.status NOT IN ('completed', 'cancelled')",
    )?;
    let rows = stmt.query_map(params![resident_id], |r| {
        Ok(LiveEnrollment {
            cohort_id: r.get(0)?,
            cohort_code: r.get(1)?,
            status: r.get(2)?,
            start: r.get(3)?,
            end: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn waitlist_entries(tx: &Connection, cohort_id: i64) -> Result<Vec<WaitlistEntry>, DbError> {
    let mut stmt = tx.prepare_cached(
        "SELECT e.id, e.resident_id, r.stunting_household, r.desil, e.registered_at
         FROM enrollment e JOIN resident r ON r.id = e.resident_id
         WHERE e.cohort_id = ?1 AND e.status = 'waitlisted' LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![cohort_id, ROSTER_LIMIT], |r| {
        Ok(WaitlistEntry {
            enrollment_id: r.get(0)?,
            resident_id: r.get(1)?,
            stunting_household: r.get(2)?,
            desil: r.get(3)?,
            registered_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Enrolls a resident into a cohort: a seat while seats are left, else the waitlist; the
/// coverage row (JKK and JKM, belum didaftarkan, the cohort's dates) is created with it.
pub fn enroll(
    conn: &Connection,
    actor: &Actor,
    resident_id: i64,
    cohort_id: i64,
) -> Result<EnrollOutcome, EnrollError> {
    actor.require(Permission::Enroll)?;
    let tx = super::immediate(conn)?;
    let birth: Option<NaiveDate> = tx
        .prepare_cached("SELECT birth_date FROM resident WHERE id = ?1")?
        .query_row(params![resident_id], |r| r.get(0))
        .optional()?;
    let birth = birth.ok_or(EnrollError::ResidentNotFound)?;
    let (cohort, code, capacity, enrolled) =
        target(&tx, cohort_id)?.ok_or(EnrollError::CohortNotFound)?;
    check_enroll(&cohort, birth, &live_enrollments(&tx, resident_id)?)?;
    let status = placement(enrolled, capacity);
    let now = now_text();
    tx.prepare_cached(
        "INSERT INTO enrollment (resident_id, cohort_id, status, registered_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![resident_id, cohort_id, status, now, actor.id])?;
    let enrollment_id = tx.last_insert_rowid();
    let coverage = CoverageFlag {
        jkk: true,
        jkm: true,
        status: CoverageStatus::Unregistered,
        period_start: cohort.start,
        period_end: cohort.end,
    };
    tx.prepare_cached(
        "INSERT INTO coverage (enrollment_id, jkk, jkm, status, period_start, period_end, updated_at)
         VALUES (?1, 1, 1, 'unregistered', ?2, ?3, ?4)",
    )?
    .execute(params![enrollment_id, cohort.start, cohort.end, now])?;
    let position = if status == EnrollmentStatus::Waitlisted {
        explain_waitlist(&waitlist_entries(&tx, cohort_id)?)
            .iter()
            .find(|(e, _)| e.enrollment_id == enrollment_id)
            .map(|(_, why)| why.position)
    } else {
        None
    };
    let outcome = EnrollOutcome {
        enrollment_id,
        cohort_code: code,
        status,
        position,
        coverage,
    };
    audit::record::<(), _>(
        &tx,
        actor,
        audit::Action::EnrollmentCreate,
        audit::Entity::Enrollment,
        &enrollment_id.to_string(),
        None,
        Some(
            &json!({"resident_id": resident_id, "cohort": outcome.cohort_code, "status": status,
                     "position": position, "coverage": outcome.coverage}),
        ),
    )?;
    tx.commit()?;
    Ok(outcome)
}

/// Withdraws a resident's live enrollment with a reason; a freed seat goes to the head of the
/// waitlist, and the promotion is recorded (its own audit row).
pub fn withdraw(
    conn: &Connection,
    actor: &Actor,
    resident_id: i64,
    cohort_id: i64,
    reason: Option<&str>,
) -> Result<WithdrawOutcome, ChangeError> {
    actor.require(Permission::Withdraw)?;
    let tx = super::immediate(conn)?;
    let cohort_status: Option<CohortStatus> = tx
        .prepare_cached("SELECT status FROM cohort WHERE id = ?1")?
        .query_row(params![cohort_id], |r| r.get(0))
        .optional()?;
    let cohort_status = cohort_status.ok_or(ChangeError::NotFound(Missing::Cohort(cohort_id)))?;
    let current: Option<(i64, EnrollmentStatus)> = tx
        .prepare_cached(
            "SELECT id, status FROM enrollment WHERE resident_id = ?1 AND cohort_id = ?2
               AND status IN ('enrolled', 'waitlisted')",
        )?
        .query_row(params![resident_id, cohort_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    check_withdraw(current.map(|(_, s)| s), cohort_status)?;
    let Some((enrollment_id, was)) = current else {
        return Err(WithdrawRefusal::NotEnrolled.into());
    };
    let now = now_text();
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    tx.execute(
        "UPDATE enrollment SET status = 'withdrawn', withdrawn_at = ?2, withdraw_reason = ?3 WHERE id = ?1",
        params![enrollment_id, now, reason],
    )?;
    audit::record(
        &tx,
        actor,
        audit::Action::EnrollmentWithdraw,
        audit::Entity::Enrollment,
        &enrollment_id.to_string(),
        Some(&json!({"status": was})),
        Some(&json!({"status": EnrollmentStatus::Withdrawn, "reason": reason})),
    )?;
    let mut promoted = None;
    if promotes_on_withdraw(was, cohort_status) {
        let waitlist = explain_waitlist(&waitlist_entries(&tx, cohort_id)?);
        if let Some((head, why)) = waitlist.first() {
            tx.execute(
                "UPDATE enrollment SET status = 'enrolled', promoted_at = ?2 WHERE id = ?1",
                params![head.enrollment_id, now],
            )?;
            let name: String = tx.query_row(
                "SELECT name FROM resident WHERE id = ?1",
                params![head.resident_id],
                |r| r.get(0),
            )?;
            audit::record(
                &tx,
                actor,
                audit::Action::EnrollmentPromote,
                audit::Entity::Enrollment,
                &head.enrollment_id.to_string(),
                Some(
                    &json!({"status": EnrollmentStatus::Waitlisted, "position": why.position, "stunting_household": why.stunting_household,
                             "desil": why.desil, "registered_at": why.registered_at}),
                ),
                Some(&json!({"status": EnrollmentStatus::Enrolled, "freed_by": enrollment_id})),
            )?;
            promoted = Some(Promotion {
                enrollment_id: head.enrollment_id,
                resident_id: head.resident_id,
                name,
            });
        }
    }
    tx.commit()?;
    Ok(WithdrawOutcome {
        enrollment_id,
        was,
        promoted,
    })
}

/// One participant of a cohort, with completion and coverage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RosterRow {
    pub enrollment_id: i64,
    pub resident_id: i64,
    pub nik: String,
    pub name: String,
    pub village: Option<String>,
    pub status: EnrollmentStatus,
    pub registered_at: String,
    pub promoted_at: Option<String>,
    pub withdraw_reason: Option<String>,
    pub outcome: Option<Outcome>,
    pub certificate_no: Option<String>,
    pub toolkit_handed_on: Option<NaiveDate>,
    pub followup: Option<Followup>,
    pub coverage_status: Option<CoverageStatus>,
    pub jkk: bool,
    pub jkm: bool,
    pub kpj: Option<String>,
    pub needs_resubmission: bool,
}

/// Everyone who ever enrolled in a cohort: enrolled first, then waitlisted, then withdrawn;
/// by name within each.
pub fn roster(conn: &Connection, cohort_id: i64) -> Result<Vec<RosterRow>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, r.id, r.nik, r.name, v.name, e.status, e.registered_at, e.promoted_at, e.withdraw_reason,
                e.outcome, e.certificate_no, e.toolkit_handed_on, e.followup,
                cv.status, coalesce(cv.jkk, 0), coalesce(cv.jkm, 0), cv.kpj, coalesce(cv.needs_resubmission, 0)
         FROM enrollment e JOIN resident r ON r.id = e.resident_id
         LEFT JOIN village v ON v.code = r.village_code
         LEFT JOIN coverage cv ON cv.enrollment_id = e.id
         WHERE e.cohort_id = ?1
         ORDER BY CASE e.status WHEN 'enrolled' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END, r.name_key, e.id
         LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![cohort_id, ROSTER_LIMIT], |r| {
        Ok(RosterRow {
            enrollment_id: r.get(0)?,
            resident_id: r.get(1)?,
            nik: r.get(2)?,
            name: r.get(3)?,
            village: r.get(4)?,
            status: r.get(5)?,
            registered_at: r.get(6)?,
            promoted_at: r.get(7)?,
            withdraw_reason: r.get(8)?,
            outcome: r.get(9)?,
            certificate_no: r.get(10)?,
            toolkit_handed_on: r.get(11)?,
            followup: r.get(12)?,
            coverage_status: r.get(13)?,
            jkk: r.get(14)?,
            jkm: r.get(15)?,
            kpj: r.get(16)?,
            needs_resubmission: r.get(17)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One waitlist place, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaitlistRow {
    pub enrollment_id: i64,
    pub resident_id: i64,
    pub nik: String,
    pub name: String,
    pub reason: WaitlistReason,
}

/// The waitlist in promotion order, each position with why it is there.
pub fn waitlist(conn: &Connection, cohort_id: i64) -> Result<Vec<WaitlistRow>, DbError> {
    let explained = explain_waitlist(&waitlist_entries(conn, cohort_id)?);
    let mut who = conn.prepare_cached("SELECT nik, name FROM resident WHERE id = ?1")?;
    let mut out = Vec::with_capacity(explained.len());
    for (entry, reason) in explained {
        let (nik, name): (String, String) =
            who.query_row(params![entry.resident_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        out.push(WaitlistRow {
            enrollment_id: entry.enrollment_id,
            resident_id: entry.resident_id,
            nik,
            name,
            reason,
        });
    }
    Ok(out)
}

/// What a supervisor records for a participant at the end of the training.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completion {
    pub outcome: Outcome,
    pub certificate_no: Option<String>,
    pub toolkit_handed_on: Option<NaiveDate>,
}

fn enrollment_facts(
    tx: &Connection,
    enrollment_id: i64,
) -> Result<(CohortStatus, EnrollmentStatus, Option<Outcome>), ChangeError> {
    let row: Option<(CohortStatus, EnrollmentStatus, Option<Outcome>)> = tx
        .prepare_cached(
            "SELECT c.status, e.status, e.outcome FROM enrollment e JOIN cohort c ON c.id = e.cohort_id WHERE e.id = ?1",
        )?
        .query_row(params![enrollment_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    row.ok_or(ChangeError::NotFound(Missing::Enrollment(enrollment_id)))
}

/// Records lulus / tidak lulus / mengundurkan diri, the certificate number and the toolkit date.
pub fn record_outcome(
    conn: &Connection,
    actor: &Actor,
    enrollment_id: i64,
    completion: &Completion,
) -> Result<(), ChangeError> {
    actor.require(Permission::CompleteCohorts)?;
    let tx = super::immediate(conn)?;
    let (cohort, status, before) = enrollment_facts(&tx, enrollment_id)?;
    check_outcome(cohort, status)?;
    let certificate = completion
        .certificate_no
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    tx.execute(
        "UPDATE enrollment SET outcome = ?2, certificate_no = ?3, toolkit_handed_on = ?4 WHERE id = ?1",
        params![enrollment_id, completion.outcome, certificate, completion.toolkit_handed_on],
    )?;
    audit::record(
        &tx,
        actor,
        audit::Action::EnrollmentOutcome,
        audit::Entity::Enrollment,
        &enrollment_id.to_string(),
        Some(&json!({"outcome": before})),
        Some(completion),
    )?;
    tx.commit()?;
    Ok(())
}

/// Records the follow-up of a graduate (bekerja, usaha mandiri, kelompok usaha) on a date.
pub fn record_followup(
    conn: &Connection,
    actor: &Actor,
    enrollment_id: i64,
    followup: Followup,
    on: NaiveDate,
) -> Result<(), ChangeError> {
    actor.require(Permission::CompleteCohorts)?;
    let tx = super::immediate(conn)?;
    let (_, _, outcome) = enrollment_facts(&tx, enrollment_id)?;
    check_followup(outcome)?;
    tx.execute(
        "UPDATE enrollment SET followup = ?2, followup_on = ?3 WHERE id = ?1",
        params![enrollment_id, followup, on],
    )?;
    audit::record::<(), _>(
        &tx,
        actor,
        audit::Action::EnrollmentFollowup,
        audit::Entity::Enrollment,
        &enrollment_id.to_string(),
        None,
        Some(&json!({"followup": followup, "on": on})),
    )?;
    tx.commit()?;
    Ok(())
}

/// The cohort a code names, for headless commands.
pub fn cohort_id_by_code(conn: &Connection, code: &str) -> Result<Option<i64>, DbError> {
    Ok(cohorts::get_by_code(conn, code)?.map(|c| c.id))
}
