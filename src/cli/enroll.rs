//! `loket enroll [--json] --nik NIK --cohort CODE`: enrolls a resident, acting as `--as NAME`.
//! Exit 0 with `{"status":"enrolled"}` or `{"status":"waitlisted","position":N}` (plus the
//! coverage flagged); a refusal exits 1 with `{"error":"<reason>","code":"<word>"}`. Keys: add,
//! never rename.

use std::process::ExitCode;

use serde_json::json;

use crate::db::enrollment::{self, EnrollError};
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
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (conn, _) = open_database(global)?;
    let actor = actor(&conn, global)?;
    let result = match enrollment::resident_id_by_nik(&conn, &args.nik)? {
        None => Err(EnrollError::ResidentNotFound),
        Some(resident) => match enrollment::cohort_id_by_code(&conn, &args.cohort)? {
            None => Err(EnrollError::CohortNotFound),
            Some(cohort) => enrollment::enroll(&conn, &actor, resident, cohort),
        },
    };
    match result {
        Ok(done) => {
            if args.json {
                let mut value = json!({
                    "status": done.status.code(),
                    "enrollment_id": done.enrollment_id,
                    "cohort": done.cohort_code,
                    "coverage": {
                        "jkk": done.coverage.jkk,
                        "jkm": done.coverage.jkm,
                        "status": done.coverage.status.code(),
                        "period_start": done.coverage.period_start.to_string(),
                        "period_end": done.coverage.period_end.to_string(),
                    },
                });
                if let Some(position) = done.position {
                    value["position"] = json!(position);
                }
                print_json(&value)?;
            } else {
                let programs = match (done.coverage.jkk, done.coverage.jkm) {
                    (true, true) => "JKK+JKM",
                    (true, false) => "JKK",
                    _ => "JKM",
                };
                let line = match done.status {
                    EnrollmentStatus::Waitlisted => {
                        text::cli::waitlisted(lang, &done.cohort_code, done.position)
                    }
                    _ => text::cli::enrolled(lang, &done.cohort_code),
                };
                let coverage = text::cli::coverage_line(
                    lang,
                    programs,
                    done.coverage.status,
                    done.coverage.period_start,
                    done.coverage.period_end,
                );
                out::lines([line, coverage])?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(EnrollError::Db(e)) => Err(e.into()),
        Err(e) => failure::refuse(args.json, &e, lang),
    }
}
