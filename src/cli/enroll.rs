//! `loket enroll [--json] --nik NIK --cohort CODE`: enrolls a resident, acting as `--as NAME`.
//! Exit 0 with `{"status":"enrolled"}` or `{"status":"waitlisted","position":N}` (plus the
//! coverage flagged); a refusal exits 1 with `{"error":"<reason>"}`. Keys: add, never rename.

use std::process::ExitCode;

use serde_json::json;

use crate::db::enrollment::{self, EnrollError};
use crate::domain::enrollment::EnrollmentStatus;
use crate::ui::text::Lang;

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

fn message(e: &EnrollError, lang: Lang) -> String {
    match lang {
        Lang::Id => e.to_string(),
        Lang::En => e.message_en(),
    }
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
                let line = match (out.status, lang) {
                    (EnrollmentStatus::Waitlisted, Lang::Id) => format!(
                        "Masuk daftar tunggu angkatan {} di urutan {}.",
                        out.cohort_code,
                        out.position.unwrap_or(0)
                    ),
                    (EnrollmentStatus::Waitlisted, Lang::En) => format!(
                        "Waitlisted for cohort {} at position {}.",
                        out.cohort_code,
                        out.position.unwrap_or(0)
                    ),
                    (_, Lang::Id) => format!("Terdaftar di angkatan {}.", out.cohort_code),
                    (_, Lang::En) => format!("Enrolled in cohort {}.", out.cohort_code),
                };
                println!("{line}");
                println!(
                    "BPJS {programs}: {} ({} s.d. {})",
                    match lang {
                        Lang::Id => out.coverage.status.label_id(),
                        Lang::En => out.coverage.status.label_en(),
                    },
                    out.coverage.period_start,
                    out.coverage.period_end
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(EnrollError::Db(e)) => Err(e.into()),
        Err(e) => {
            if args.json {
                print_json(&json!({ "error": message(&e, lang), "code": e.code() }));
            } else {
                eprintln!("loket: {}", message(&e, lang));
            }
            Ok(ExitCode::from(1))
        }
    }
}
