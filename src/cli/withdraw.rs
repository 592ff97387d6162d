//! `loket withdraw [--json] --nik NIK --cohort CODE [--reason TEXT]`: withdraws a resident from
//! a cohort, acting as `--as NAME`; a freed seat goes to the head of the waitlist and the
//! output names who was promoted. A refusal exits 1 with `{"error":"<reason>","code":"<word>"}`.

use std::process::ExitCode;

use serde_json::json;

use crate::db::Missing;
use crate::db::enrollment::{self, ChangeError};
use crate::domain::enrollment::EnrollmentStatus;
use crate::ui::text::{self, Lang};

use super::{Global, actor, failure, open_database, out, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
    /// The resident's NIK
    #[arg(long)]
    pub nik: String,
    /// The cohort's code
    #[arg(long)]
    pub cohort: String,
    /// Why the resident withdraws
    #[arg(long)]
    pub reason: Option<String>,
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (conn, _) = open_database(global)?;
    let actor = actor(&conn, global)?;
    let result = match enrollment::resident_id_by_nik(&conn, &args.nik)? {
        None => Err(ChangeError::NotFound(Missing::ResidentNik(
            args.nik.clone(),
        ))),
        Some(resident) => match enrollment::cohort_id_by_code(&conn, &args.cohort)? {
            None => Err(ChangeError::NotFound(Missing::CohortCode(
                args.cohort.clone(),
            ))),
            Some(cohort) => {
                enrollment::withdraw(&conn, &actor, resident, cohort, args.reason.as_deref())
            }
        },
    };
    match result {
        Ok(done) => {
            if args.json {
                print_json(&json!({
                    "status": EnrollmentStatus::Withdrawn.code(),
                    "enrollment_id": done.enrollment_id,
                    "was": done.was.code(),
                    "promoted": done.promoted.as_ref().map(|p| json!({
                        "enrollment_id": p.enrollment_id,
                        "name": p.name,
                    })),
                }))?;
            } else {
                let mut lines = vec![text::cli::WITHDRAWN.get(lang).to_string()];
                if let Some(p) = &done.promoted {
                    lines.push(format!("{} {}", text::cli::PROMOTED.get(lang), p.name));
                }
                out::lines(lines)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(ChangeError::Db(e)) => Err(e.into()),
        Err(e) => failure::refuse(args.json, &e, lang),
    }
}
