//! `loket coverage submit|activate|reject --cohort CODE --nik NIK [--kpj N] [--reason TEXT]
//! [--json]`: the BPJS loop headless, one participant at a time. `submit` tells BPJS (diajukan,
//! a clerk may); `activate --kpj N` records BPJS's acceptance with the KPJ (supervisor), and on
//! coverage already active corrects a mistyped KPJ, which needs `--reason`; `reject --reason`
//! records BPJS's refusal (supervisor). Exit 0 with the coverage as JSON
//! `{"cohort","nik","name","status","kpj","reject_reason","needs_resubmission","period_start",
//! "period_end","corrected"}`; a refusal exits 1 with `{"error","code"}`. Keys: add, never rename.

use std::process::ExitCode;

use clap::Subcommand;
use serde_json::json;

use crate::db::DbError;
use crate::db::coverage::{self, CoverageChangeError};
use crate::domain::coverage::{CoverageError, CoverageStatus};
use crate::domain::nik::mask_nik;
use crate::ui::text::{Lang, Localized, cohort_run as words};

use super::cohort_run::{participant, refuse};
use super::failure::BadArgument;
use super::{Global, actor, open_database, out, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: CoverageCommand,
}

impl Args {
    /// Whether `--json` was given.
    pub fn wants_json(&self) -> bool {
        match &self.command {
            CoverageCommand::Submit(w)
            | CoverageCommand::Activate(w)
            | CoverageCommand::Reject(w) => w.json,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum CoverageCommand {
    /// Mark the participant's JKK/JKM as submitted to BPJS (diajukan)
    Submit(Who),
    /// BPJS accepted: active with the KPJ (--kpj); on active coverage, correct the KPJ (--reason)
    Activate(Who),
    /// BPJS refused, with its reason (--reason)
    Reject(Who),
}

#[derive(Debug, clap::Args)]
pub struct Who {
    /// The cohort's code
    #[arg(long)]
    pub cohort: String,
    /// The participant's NIK
    #[arg(long)]
    pub nik: String,
    /// The KPJ number BPJS gave (11 digits)
    #[arg(long)]
    pub kpj: Option<String>,
    /// BPJS's reason for a rejection, or why a KPJ is corrected
    #[arg(long)]
    pub reason: Option<String>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// The machine word of a coverage refusal.
fn code(e: &CoverageChangeError) -> &'static str {
    match e {
        CoverageChangeError::Rule(rule) => match rule {
            CoverageError::NotAllowed { .. } => "not_allowed",
            CoverageError::BadKpj => "bad_kpj",
            CoverageError::ReasonRequired | CoverageError::CorrectionReasonRequired => {
                "reason_required"
            }
            CoverageError::NoProgram => "no_program",
            CoverageError::ProgramsLocked => "programs_locked",
            CoverageError::KpjTaken { .. } => "kpj_taken",
            CoverageError::KpjUnchanged => "kpj_unchanged",
        },
        CoverageChangeError::Denied(_) => "access_denied",
        CoverageChangeError::NotFound(_) => "coverage_not_found",
        CoverageChangeError::Db(DbError::Locked) => "database_locked",
        CoverageChangeError::Db(_) => "database_error",
    }
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (conn, _) = open_database(global)?;
    let actor = actor(&conn, global)?;
    let who = match &args.command {
        CoverageCommand::Submit(w) | CoverageCommand::Activate(w) | CoverageCommand::Reject(w) => w,
    };
    let p = match participant(&conn, &who.cohort, &who.nik)? {
        Ok(p) => p,
        Err(missing) => return Ok(refuse(who.json, missing.text(lang), missing.code())),
    };
    let id = p.enrollment_id;
    let reason = who.reason.as_deref().unwrap_or("");
    let mut corrected = false;
    let result = match &args.command {
        CoverageCommand::Submit(_) => coverage::submit(&conn, &actor, &[id]).map(|_| ()),
        CoverageCommand::Activate(_) => {
            let Some(kpj) = who.kpj.as_deref() else {
                return Err(BadArgument(words::KPJ_FLAG_NEEDED.get(lang).to_string()).into());
            };
            let active =
                coverage::get(&conn, id)?.is_some_and(|c| c.status == CoverageStatus::Active);
            corrected = active;
            if active {
                coverage::correct_kpj(&conn, &actor, id, kpj, reason)
            } else {
                coverage::activate(&conn, &actor, id, kpj)
            }
        }
        CoverageCommand::Reject(_) => coverage::reject(&conn, &actor, id, reason),
    };
    if let Err(e) = result {
        if let CoverageChangeError::Db(db) = e {
            return Err(db.into());
        }
        return Ok(refuse(who.json, e.text(lang), code(&e)));
    }
    let Some(now) = coverage::get(&conn, id)? else {
        let missing = CoverageChangeError::NotFound(id);
        return Ok(refuse(who.json, missing.text(lang), code(&missing)));
    };
    if who.json {
        print_json(&json!({
            "cohort": p.cohort.code,
            "nik": mask_nik(&p.nik),
            "name": p.name,
            "status": now.status.code(),
            "kpj": now.kpj,
            "reject_reason": now.reject_reason,
            "needs_resubmission": now.needs_resubmission,
            "period_start": now.period_start.to_string(),
            "period_end": now.period_end.to_string(),
            "corrected": corrected,
        }))?;
    } else {
        out::line(&words::coverage_now(lang, &p.name, &now))?;
    }
    Ok(ExitCode::SUCCESS)
}
