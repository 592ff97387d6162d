//! Kepesertaan BPJS Ketenagakerjaan (JKK/JKM) as stored, one row per enrollment: submitting
//! participants to BPJS, recording BPJS's answer (aktif with KPJ, or ditolak with a reason) and
//! choosing the programs, and a supervisor's correction of a mistyped KPJ. A KPJ belongs to one
//! person. The rules are `domain::coverage`'s; each change is one transaction with its audit
//! row. The row itself is created by `enrollment::enroll`.

use crate::db::sql::{Connection, OptionalExtension, params};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use thiserror::Error;

use super::{DbError, audit, now_text};
use crate::domain::access::{AccessDenied, Actor, Permission};
use crate::domain::coverage::{
    CoverageError, CoverageState, CoverageStatus, check_activate, check_correct_kpj,
    check_kpj_holder, check_programs, check_reject, check_submit,
};

/// Why a coverage change did not happen (told by `ui::text::enrollment`).
#[derive(Debug, Error)]
pub enum CoverageChangeError {
    #[error(transparent)]
    Rule(#[from] CoverageError),
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error("no coverage for enrollment #{0}")]
    NotFound(i64),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<crate::db::sql::Error> for CoverageChangeError {
    fn from(e: crate::db::sql::Error) -> Self {
        CoverageChangeError::Db(e.into())
    }
}

/// One coverage row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageRow {
    pub enrollment_id: i64,
    pub jkk: bool,
    pub jkm: bool,
    pub status: CoverageStatus,
    pub kpj: Option<String>,
    pub reject_reason: Option<String>,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub needs_resubmission: bool,
    /// The period BPJS confirmed when it activated the coverage (attendance reads this).
    pub covered_from: Option<NaiveDate>,
    pub covered_until: Option<NaiveDate>,
}

impl CoverageRow {
    fn state(&self) -> CoverageState {
        CoverageState {
            status: self.status,
            needs_resubmission: self.needs_resubmission,
        }
    }
}

/// The coverage of an enrollment.
pub fn get(conn: &Connection, enrollment_id: i64) -> Result<Option<CoverageRow>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT enrollment_id, jkk, jkm, status, kpj, reject_reason, period_start, period_end, needs_resubmission,
                    covered_from, covered_until
             FROM coverage WHERE enrollment_id = ?1",
        )?
        .query_row(params![enrollment_id], |r| {
            Ok(CoverageRow {
                enrollment_id: r.get(0)?,
                jkk: r.get(1)?,
                jkm: r.get(2)?,
                status: r.get(3)?,
                kpj: r.get(4)?,
                reject_reason: r.get(5)?,
                period_start: r.get(6)?,
                period_end: r.get(7)?,
                needs_resubmission: r.get(8)?,
                covered_from: r.get(9)?,
                covered_until: r.get(10)?,
            })
        })
        .optional()?)
}

fn current(tx: &Connection, enrollment_id: i64) -> Result<CoverageRow, CoverageChangeError> {
    get(tx, enrollment_id)?.ok_or(CoverageChangeError::NotFound(enrollment_id))
}

/// Refuses a KPJ another person's coverage carries (read inside the writing transaction).
fn check_kpj_free(
    tx: &Connection,
    enrollment_id: i64,
    kpj: &str,
) -> Result<(), CoverageChangeError> {
    let resident: i64 = tx
        .prepare_cached("SELECT resident_id FROM enrollment WHERE id = ?1")?
        .query_row(params![enrollment_id], |r| r.get(0))?;
    let holders: Vec<i64> = tx
        .prepare_cached(
            "SELECT DISTINCT e.resident_id FROM coverage cv JOIN enrollment e ON e.id = cv.enrollment_id
             WHERE cv.kpj = ?1 AND cv.enrollment_id <> ?2",
        )?
        .query_map(params![kpj, enrollment_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    check_kpj_holder(kpj, &holders, resident)?;
    Ok(())
}

/// Marks these enrollments' coverage as submitted to BPJS: all of them or none.
pub fn submit(
    conn: &Connection,
    actor: &Actor,
    enrollment_ids: &[i64],
) -> Result<usize, CoverageChangeError> {
    actor.require(Permission::SubmitCoverage)?;
    let tx = super::immediate(conn)?;
    let now = now_text();
    for &id in enrollment_ids {
        let before = current(&tx, id)?;
        check_submit(before.state())?;
        tx.prepare_cached(
            "UPDATE coverage SET status = 'submitted', needs_resubmission = 0, reject_reason = NULL,
                 submitted_at = ?2, updated_at = ?2 WHERE enrollment_id = ?1",
        )?
        .execute(params![id, now])?;
        audit::record(
            &tx,
            actor,
            audit::Action::CoverageSubmit,
            audit::Entity::Coverage,
            &id.to_string(),
            Some(
                &json!({"status": before.status, "needs_resubmission": before.needs_resubmission}),
            ),
            Some(
                &json!({"status": CoverageStatus::Submitted, "period_start": before.period_start, "period_end": before.period_end}),
            ),
        )?;
    }
    tx.commit()?;
    Ok(enrollment_ids.len())
}

/// BPJS accepted: the coverage is active with its KPJ number.
pub fn activate(
    conn: &Connection,
    actor: &Actor,
    enrollment_id: i64,
    kpj: &str,
) -> Result<(), CoverageChangeError> {
    actor.require(Permission::ActivateCoverage)?;
    let tx = super::immediate(conn)?;
    let before = current(&tx, enrollment_id)?;
    let kpj = check_activate(before.state(), kpj)?;
    check_kpj_free(&tx, enrollment_id, &kpj)?;
    let now = now_text();
    // BPJS confirmed the period it was sent: the one stored now.
    tx.execute(
        "UPDATE coverage SET status = 'active', kpj = ?2, activated_at = ?3, updated_at = ?3,
             covered_from = period_start, covered_until = period_end
         WHERE enrollment_id = ?1",
        params![enrollment_id, kpj, now],
    )?;
    audit::record(
        &tx,
        actor,
        audit::Action::CoverageActivate,
        audit::Entity::Coverage,
        &enrollment_id.to_string(),
        Some(&json!({"status": before.status})),
        Some(&json!({"status": CoverageStatus::Active, "kpj": kpj})),
    )?;
    tx.commit()?;
    Ok(())
}

/// A supervisor corrects the KPJ of active coverage (a typing mistake), with the reason; the
/// old and new numbers and the reason go to the audit trail.
pub fn correct_kpj(
    conn: &Connection,
    actor: &Actor,
    enrollment_id: i64,
    kpj: &str,
    reason: &str,
) -> Result<(), CoverageChangeError> {
    actor.require(Permission::ActivateCoverage)?;
    let tx = super::immediate(conn)?;
    let before = current(&tx, enrollment_id)?;
    let kpj = check_correct_kpj(before.state(), before.kpj.as_deref(), kpj, reason)?;
    check_kpj_free(&tx, enrollment_id, &kpj)?;
    tx.execute(
        "UPDATE coverage SET kpj = ?2, updated_at = ?3 WHERE enrollment_id = ?1",
        params![enrollment_id, kpj, now_text()],
    )?;
    audit::record(
        &tx,
        actor,
        audit::Action::CoverageCorrect,
        audit::Entity::Coverage,
        &enrollment_id.to_string(),
        Some(&json!({"kpj": before.kpj})),
        Some(&json!({"kpj": kpj, "reason": reason.trim()})),
    )?;
    tx.commit()?;
    Ok(())
}

/// BPJS refused: the coverage is rejected with BPJS's reason (it may be submitted again). No
/// period counts as confirmed any more: nobody is marked present until BPJS accepts again.
pub fn reject(
    conn: &Connection,
    actor: &Actor,
    enrollment_id: i64,
    reason: &str,
) -> Result<(), CoverageChangeError> {
    actor.require(Permission::ActivateCoverage)?;
    let tx = super::immediate(conn)?;
    let before = current(&tx, enrollment_id)?;
    check_reject(before.state(), reason)?;
    tx.execute(
        "UPDATE coverage SET status = 'rejected', reject_reason = ?2, updated_at = ?3,
             covered_from = NULL, covered_until = NULL
         WHERE enrollment_id = ?1",
        params![enrollment_id, reason.trim(), now_text()],
    )?;
    audit::record(
        &tx,
        actor,
        audit::Action::CoverageReject,
        audit::Entity::Coverage,
        &enrollment_id.to_string(),
        Some(&json!({"status": before.status})),
        Some(&json!({"status": CoverageStatus::Rejected, "reason": reason.trim()})),
    )?;
    tx.commit()?;
    Ok(())
}

/// Chooses the programs (JKK, JKM) before submission.
pub fn set_programs(
    conn: &Connection,
    actor: &Actor,
    enrollment_id: i64,
    jkk: bool,
    jkm: bool,
) -> Result<(), CoverageChangeError> {
    actor.require(Permission::SubmitCoverage)?;
    let tx = super::immediate(conn)?;
    let before = current(&tx, enrollment_id)?;
    check_programs(before.state(), jkk, jkm)?;
    tx.execute(
        "UPDATE coverage SET jkk = ?2, jkm = ?3, updated_at = ?4 WHERE enrollment_id = ?1",
        params![enrollment_id, jkk, jkm, now_text()],
    )?;
    audit::record(
        &tx,
        actor,
        audit::Action::CoveragePrograms,
        audit::Entity::Coverage,
        &enrollment_id.to_string(),
        Some(&json!({"jkk": before.jkk, "jkm": before.jkm})),
        Some(&json!({"jkk": jkk, "jkm": jkm})),
    )?;
    tx.commit()?;
    Ok(())
}
