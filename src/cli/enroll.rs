//! `loket enroll [--json] --nik NIK --cohort CODE`: enrolls a resident, acting as `--as NAME`.
//! Exit 0 with `{"status":"enrolled"}` or `{"status":"waitlisted","position":N}` (plus the
//! coverage flagged); a refusal exits 1 with `{"error":"<reason>"}`. Keys: add, never rename.

use std::process::ExitCode;

use serde_json::json;

use crate::db::enrollment::{self, EnrollError};
use crate::domain::enrollment::EnrollmentStatus;
use crate::ui::text::{self, Lang, Localized};

use super::{Global, actor, open_database, print_json};

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
        Ok(out) => {
            if args.json {
                let mut value = json!({
                    "status": out.status.code(),
                    "enrollment_id": out.enrollment_id,
                    "cohort": out.cohort_code,
                    "coverage": {
                        "jkk": out.coverage.jkk,
                        "jkm": out.coverage.jkm,
                        "status": out.coverage.status.code(),
                        "period_start": out.coverage.period_start.to_string(),
                        "period_end": out.coverage.period_end.to_string(),
                    },
                });
                if let Some(position) = out.position {
                    value["position"] = json!(position);
                }
                print_json(&value);
            } else {
                let programs = match (out.coverage.jkk, out.coverage.jkm) {
                    (true, true) => "JKK+JKM",
                    (true, false) => "JKK",
                    _ => "JKM",
                };
                let line = match out.status {
                    EnrollmentStatus::Waitlisted => {
                        text::cli::waitlisted(lang, &out.cohort_code, out.position)
                    }
                    _ => text::cli::enrolled(lang, &out.cohort_code),
                };
                println!("{line}");
                println!(
                    "{}",
                    text::cli::coverage_line(
                        lang,
                        programs,
                        out.coverage.status,
                        out.coverage.period_start,
                        out.coverage.period_end
                    )
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(EnrollError::Db(e)) => Err(e.into()),
        Err(e) => {
            if args.json {
                print_json(&json!({ "error": e.text(lang), "code": e.code() }));
            } else {
                eprintln!("loket: {}", e.text(lang));
            }
            Ok(ExitCode::from(1))
        }
    }
}
