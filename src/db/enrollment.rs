//! Pendaftaran as stored: enroll, withdraw (promoting the head of the waitlist), the roster, the
//! explained waitlist, and completion per participant. Each change runs in ONE IMMEDIATE
//! transaction: the write lock is taken before the facts are read, so two clerks on two
//! processes cannot both see the last seat free. The rules are `domain::enrollment`'s; this
//! module never decides on its own and never formats text for the screen.

use crate::db::sql::{self, Connection, OptionalExtension, params};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use thiserror::Error;

use super::{DbError, Missing, audit, cohorts, now_text};
use crate::domain::access::{AccessDenied, Actor, Permission};
use crate::domain::cohort::CohortStatus;
use crate::domain::coverage::CoverageStatus;
use crate::domain::enrollment::{
    CompletionRefusal, EnrollmentStatus, Followup, LiveEnrollment, Outcome, Prospect, Refusal,
    RemainingPass, TargetCohort, WaitlistEntry, WaitlistReason, WithdrawRefusal, check_enroll,
    check_followup, check_outcome, check_outcome_details, check_withdraw, explain_waitlist,
    pass_remaining as pass_remaining_rule, placement, promotes_on_withdraw, waitlist_position,
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

impl From<crate::db::sql::Error> for EnrollError {
    fn from(e: crate::db::sql::Error) -> Self {
        EnrollError::Db(e.into())
    }
}

impl sql::Retryable for EnrollError {
    fn is_retryable(&self) -> bool {
        matches!(self, EnrollError::Db(e) if e.is_retryable())
    }
}

impl sql::Retryable for ChangeError {
    fn is_retryable(&self) -> bool {
        matches!(self, ChangeError::Db(e) if e.is_retryable())
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

impl From<crate::db::sql::Error> for ChangeError {
    fn from(e: crate::db::sql::Error) -> Self {
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
    sql::with_retry(conn, |tx| enroll_in(tx, actor, resident_id, cohort_id))
}

/// [`enroll`] inside its transaction (run again after a PostgreSQL deadlock).
fn enroll_in(
    tx: &Connection,
    actor: &Actor,
    resident_id: i64,
    cohort_id: i64,
) -> Result<EnrollOutcome, EnrollError> {
    super::lock_rows(tx, Some(resident_id), Some(cohort_id))?;
    let birth: Option<NaiveDate> = tx
        .prepare_cached("SELECT birth_date FROM resident WHERE id = ?1")?
        .query_row(params![resident_id], |r| r.get(0))
        .optional()?;
    let birth = birth.ok_or(EnrollError::ResidentNotFound)?;
    let (cohort, code, capacity, enrolled) =
        target(tx, cohort_id)?.ok_or(EnrollError::CohortNotFound)?;
    check_enroll(&cohort, birth, &live_enrollments(tx, resident_id)?)?;
    let status = placement(enrolled, capacity);
    let now = now_text();
    let counter = tx.counter();
    let enrollment_id: i64 = tx
        .prepare_cached(
            "INSERT INTO enrollment (resident_id, cohort_id, status, registered_at, created_by, office_code, counter)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        )?
        .query_row(
            params![
                resident_id,
                cohort_id,
                status,
                now,
                actor.id,
                counter.as_ref().map(|c| c.office.clone()),
                counter.as_ref().map(|c| c.to_string())
            ],
            |r| r.get(0),
        )?;
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
        explain_waitlist(&waitlist_entries(tx, cohort_id)?)
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
        tx,
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
    Ok(outcome)
}

/// What enrolling the resident into each of `cohorts` would do now (the enroll picker's rows, in
/// the same order): a seat, the waitlist place it would get, or the refusal, by the rules
/// `enroll` applies to the same facts. Read without the write lock: `enroll` decides again.
pub fn prospects(
    conn: &Connection,
    resident_id: i64,
    cohorts: &[cohorts::CohortRow],
) -> Result<Vec<Prospect>, EnrollError> {
    let facts: Option<(NaiveDate, bool, Option<u8>)> = conn
        .prepare_cached("SELECT birth_date, stunting_household, desil FROM resident WHERE id = ?1")?
        .query_row(params![resident_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let (birth, stunting_household, desil) = facts.ok_or(EnrollError::ResidentNotFound)?;
    let live = live_enrollments(conn, resident_id)?;
    // Joining now: registered this second, after every row already written.
    let candidate = WaitlistEntry {
        enrollment_id: i64::MAX,
        resident_id,
        stunting_household,
        desil,
        registered_at: now_text(),
    };
    let mut out = Vec::with_capacity(cohorts.len());
    for c in cohorts {
        let target = TargetCohort {
            id: c.id,
            status: c.status,
            start: c.start_date,
            end: c.end_date,
            min_age: c.min_age,
            max_age: c.max_age,
        };
        out.push(match check_enroll(&target, birth, &live) {
            Err(refusal) => Prospect::Refused(refusal),
            Ok(()) => match placement(c.enrolled, c.capacity) {
                EnrollmentStatus::Enrolled => Prospect::Seat {
                    left: c.seats_left(),
                },
                _ => Prospect::Waitlist {
                    position: waitlist_position(&waitlist_entries(conn, c.id)?, &candidate),
                },
            },
        });
    }
    Ok(out)
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
    sql::with_retry(conn, |tx| {
        withdraw_in(tx, actor, resident_id, cohort_id, reason)
    })
}

/// [`withdraw`] inside its transaction (run again after a PostgreSQL deadlock).
fn withdraw_in(
    tx: &Connection,
    actor: &Actor,
    resident_id: i64,
    cohort_id: i64,
    reason: Option<&str>,
) -> Result<WithdrawOutcome, ChangeError> {
    super::lock_rows(tx, Some(resident_id), Some(cohort_id))?;
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
        tx,
        actor,
        audit::Action::EnrollmentWithdraw,
        audit::Entity::Enrollment,
        &enrollment_id.to_string(),
        Some(&json!({"status": was})),
        Some(&json!({"status": EnrollmentStatus::Withdrawn, "reason": reason})),
    )?;
    let promoted = if promotes_on_withdraw(was, cohort_status) {
        promote_heads(tx, actor, cohort_id, 1, &json!({"freed_by": enrollment_id}))?
            .into_iter()
            .next()
    } else {
        None
    };
    Ok(WithdrawOutcome {
        enrollment_id,
        was,
        promoted,
    })
}

/// Moves the first `seats` of the waitlist into seats, head first, each with its own audit row
/// (`enrollment.promote`: the position and why it was first, and `why` the seat is free). Runs
/// inside the caller's transaction.
pub(crate) fn promote_heads(
    tx: &Connection,
    actor: &Actor,
    cohort_id: i64,
    seats: u32,
    why: &serde_json::Value,
) -> Result<Vec<Promotion>, DbError> {
    if seats == 0 {
        return Ok(Vec::new());
    }
    let now = now_text();
    let waitlist = explain_waitlist(&waitlist_entries(tx, cohort_id)?);
    let mut promoted = Vec::new();
    for (head, place) in waitlist.iter().take(seats as usize) {
        tx.execute(
            "UPDATE enrollment SET status = 'enrolled', promoted_at = ?2 WHERE id = ?1",
            params![head.enrollment_id, now],
        )?;
        let name: String = tx.query_row(
            "SELECT name FROM resident WHERE id = ?1",
            params![head.resident_id],
            |r| r.get(0),
        )?;
        let mut after = json!({"status": EnrollmentStatus::Enrolled});
        if let (Some(after), Some(why)) = (after.as_object_mut(), why.as_object()) {
            after.extend(why.clone());
        }
        audit::record(
            tx,
            actor,
            audit::Action::EnrollmentPromote,
            audit::Entity::Enrollment,
            &head.enrollment_id.to_string(),
            Some(
                &json!({"status": EnrollmentStatus::Waitlisted, "position": place.position, "stunting_household": place.stunting_household,
                         "desil": place.desil, "registered_at": place.registered_at}),
            ),
            Some(&after),
        )?;
        promoted.push(Promotion {
            enrollment_id: head.enrollment_id,
            resident_id: head.resident_id,
            name,
        });
    }
    Ok(promoted)
}

/// The resident's enrolled or waitlisted row in a cohort (for headless commands by NIK).
pub fn live_enrollment(
    conn: &Connection,
    resident_id: i64,
    cohort_id: i64,
) -> Result<Option<(i64, EnrollmentStatus)>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT id, status FROM enrollment WHERE resident_id = ?1 AND cohort_id = ?2
               AND status IN ('enrolled', 'waitlisted')",
        )?
        .query_row(params![resident_id, cohort_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
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
    /// BPJS's reason, when the coverage was rejected.
    pub reject_reason: Option<String>,
}

/// Everyone who ever enrolled in a cohort: enrolled first, then waitlisted, then withdrawn;
/// by name within each.
pub fn roster(conn: &Connection, cohort_id: i64) -> Result<Vec<RosterRow>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, r.id, r.nik, r.name, v.name, e.status, e.registered_at, e.promoted_at, e.withdraw_reason,
                e.outcome, e.certificate_no, e.toolkit_handed_on, e.followup,
                cv.status, coalesce(cv.jkk, 0), coalesce(cv.jkm, 0), cv.kpj, coalesce(cv.needs_resubmission, 0),
                CASE WHEN cv.status = 'rejected' THEN cv.reject_reason END
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
            reject_reason: r.get(18)?,
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

/// What the completion rules need about one enrollment.
struct Facts {
    cohort_id: i64,
    cohort: CohortStatus,
    start: NaiveDate,
    status: EnrollmentStatus,
    outcome: Option<Outcome>,
}

fn enrollment_facts(tx: &Connection, enrollment_id: i64) -> Result<Facts, ChangeError> {
    let row: Option<Facts> = tx
        .prepare_cached(
            "SELECT c.id, c.status, c.start_date, e.status, e.outcome
             FROM enrollment e JOIN cohort c ON c.id = e.cohort_id WHERE e.id = ?1",
        )?
        .query_row(params![enrollment_id], |r| {
            Ok(Facts {
                cohort_id: r.get(0)?,
                cohort: r.get(1)?,
                start: r.get(2)?,
                status: r.get(3)?,
                outcome: r.get(4)?,
            })
        })
        .optional()?;
    row.ok_or(ChangeError::NotFound(Missing::Enrollment(enrollment_id)))
}

/// Records lulus / tidak lulus / mengundurkan diri, the certificate number and the toolkit
/// date (`domain::enrollment::check_outcome_details`, on `today`); a certificate number
/// recorded for another participant is refused. An outcome other than lulus clears the
/// follow-up (it is for graduates).
pub fn record_outcome(
    conn: &Connection,
    actor: &Actor,
    enrollment_id: i64,
    completion: &Completion,
    today: NaiveDate,
) -> Result<(), ChangeError> {
    actor.require(Permission::CompleteCohorts)?;
    let tx = super::immediate(conn)?;
    let facts = enrollment_facts(&tx, enrollment_id)?;
    check_outcome(facts.cohort, facts.status)?;
    let certificate = completion
        .certificate_no
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    check_outcome_details(
        completion.outcome,
        certificate,
        completion.toolkit_handed_on,
        facts.start,
        today,
    )?;
    if let Some(number) = certificate {
        let taken: bool = tx
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM enrollment WHERE certificate_no = ?1 AND id <> ?2)",
            )?
            .query_row(params![number, enrollment_id], |r| r.get(0))?;
        if taken {
            return Err(CompletionRefusal::CertificateTaken {
                number: number.to_string(),
            }
            .into());
        }
    }
    write_outcome(
        &tx,
        actor,
        enrollment_id,
        facts.outcome,
        completion.outcome,
        certificate,
        completion.toolkit_handed_on,
    )?;
    tx.commit()?;
    Ok(())
}

/// Records an outcome changing only what is given: `None` keeps the stored certificate number
/// or toolkit date while it still fits the outcome (a certificate only with lulus, a toolkit
/// not with mengundurkan diri), `Some` replaces it. What the cohort screen's keys and `loket
/// cohort outcome` without every flag use. Returns what is now recorded.
pub fn set_result(
    conn: &Connection,
    actor: &Actor,
    enrollment_id: i64,
    outcome: Outcome,
    certificate: Option<Option<String>>,
    toolkit: Option<Option<NaiveDate>>,
    today: NaiveDate,
) -> Result<Completion, ChangeError> {
    let stored: Option<(Option<String>, Option<NaiveDate>)> = conn
        .prepare_cached("SELECT certificate_no, toolkit_handed_on FROM enrollment WHERE id = ?1")?
        .query_row(params![enrollment_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (kept_certificate, kept_toolkit) =
        stored.ok_or(ChangeError::NotFound(Missing::Enrollment(enrollment_id)))?;
    let completion = Completion {
        outcome,
        certificate_no: certificate
            .unwrap_or_else(|| kept_certificate.filter(|_| outcome == Outcome::Passed)),
        toolkit_handed_on: toolkit
            .unwrap_or_else(|| kept_toolkit.filter(|_| outcome != Outcome::DroppedOut)),
    };
    record_outcome(conn, actor, enrollment_id, &completion, today)?;
    Ok(completion)
}

fn write_outcome(
    tx: &Connection,
    actor: &Actor,
    enrollment_id: i64,
    before: Option<Outcome>,
    outcome: Outcome,
    certificate: Option<&str>,
    toolkit: Option<NaiveDate>,
) -> Result<(), DbError> {
    tx.prepare_cached(
        "UPDATE enrollment SET outcome = ?2, certificate_no = ?3, toolkit_handed_on = ?4,
             followup = CASE WHEN ?2 = 'passed' THEN followup END,
             followup_on = CASE WHEN ?2 = 'passed' THEN followup_on END
         WHERE id = ?1",
    )?
    .execute(params![enrollment_id, outcome, certificate, toolkit])?;
    audit::record(
        tx,
        actor,
        audit::Action::EnrollmentOutcome,
        audit::Entity::Enrollment,
        &enrollment_id.to_string(),
        Some(&json!({"outcome": before})),
        Some(
            &json!({"outcome": outcome, "certificate_no": certificate, "toolkit_handed_on": toolkit}),
        ),
    )?;
    Ok(())
}

/// Someone "all remaining passed" left for the supervisor: attendance below the minimum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldBack {
    pub enrollment_id: i64,
    pub name: String,
    pub rate: u32,
    pub min: u32,
}

/// What "all remaining passed" did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RemainingPassed {
    /// Enrollments now lulus.
    pub passed: Vec<i64>,
    /// Not passed for their attendance (decide one by one).
    pub held: Vec<HeldBack>,
    /// Outcomes recorded before (exceptions) and kept.
    pub kept: u32,
}

/// "Semua sisanya lulus": every enrolled participant of a running or completed cohort without
/// an outcome passes, except those whose attendance is below the minimum to pass
/// (`domain::enrollment::pass_remaining`). One transaction; each outcome audited.
pub fn pass_remaining(
    conn: &Connection,
    actor: &Actor,
    cohort_id: i64,
    today: NaiveDate,
) -> Result<RemainingPassed, ChangeError> {
    actor.require(Permission::CompleteCohorts)?;
    let tx = super::immediate(conn)?;
    super::lock_rows(&tx, None, Some(cohort_id))?;
    let status: Option<CohortStatus> = tx
        .prepare_cached("SELECT status FROM cohort WHERE id = ?1")?
        .query_row(params![cohort_id], |r| r.get(0))
        .optional()?;
    let status = status.ok_or(ChangeError::NotFound(Missing::Cohort(cohort_id)))?;
    check_outcome(status, EnrollmentStatus::Enrolled)?;
    let sheet = super::attendance::sheet(&tx, cohort_id, today)?;
    let outcomes: std::collections::HashMap<i64, Option<Outcome>> = tx
        .prepare_cached(
            "SELECT id, outcome FROM enrollment WHERE cohort_id = ?1 AND status = 'enrolled'",
        )?
        .query_map(params![cohort_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut done = RemainingPassed::default();
    for row in &sheet.rows {
        let outcome = outcomes.get(&row.enrollment_id).copied().flatten();
        // No mark at all: attendance was not kept here (a paper sheet), which holds nobody back.
        let kept = row.days.iter().any(Option::is_some);
        let rate = row.rate.filter(|_| kept);
        match pass_remaining_rule(outcome, rate, sheet.min_rate) {
            RemainingPass::Recorded => done.kept += 1,
            RemainingPass::Pass => {
                write_outcome(
                    &tx,
                    actor,
                    row.enrollment_id,
                    None,
                    Outcome::Passed,
                    None,
                    None,
                )?;
                done.passed.push(row.enrollment_id);
            }
            RemainingPass::BelowAttendance { rate, min } => done.held.push(HeldBack {
                enrollment_id: row.enrollment_id,
                name: row.name.clone(),
                rate,
                min,
            }),
        }
    }
    tx.commit()?;
    Ok(done)
}

/// Records the follow-up of a graduate (bekerja, usaha mandiri, kelompok usaha, belum bekerja)
/// on a date.
pub fn record_followup(
    conn: &Connection,
    actor: &Actor,
    enrollment_id: i64,
    followup: Followup,
    on: NaiveDate,
) -> Result<(), ChangeError> {
    actor.require(Permission::CompleteCohorts)?;
    let tx = super::immediate(conn)?;
    let facts = enrollment_facts(&tx, enrollment_id)?;
    check_followup(facts.outcome)?;
    let before: Option<Followup> = tx.query_row(
        "SELECT followup FROM enrollment WHERE id = ?1",
        params![enrollment_id],
        |r| r.get(0),
    )?;
    tx.execute(
        "UPDATE enrollment SET followup = ?2, followup_on = ?3 WHERE id = ?1",
        params![enrollment_id, followup, on],
    )?;
    audit::record(
        &tx,
        actor,
        audit::Action::EnrollmentFollowup,
        audit::Entity::Enrollment,
        &enrollment_id.to_string(),
        Some(&json!({"followup": before, "cohort_id": facts.cohort_id})),
        Some(&json!({"followup": followup, "on": on})),
    )?;
    tx.commit()?;
    Ok(())
}

/// The cohort a code names, for headless commands.
pub fn cohort_id_by_code(conn: &Connection, code: &str) -> Result<Option<i64>, DbError> {
    Ok(cohorts::get_by_code(conn, code)?.map(|c| c.id))
}
