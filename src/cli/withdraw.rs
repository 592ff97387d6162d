//! `loket withdraw [--json] --nik NIK --cohort CODE [--reason TEXT]`: withdraws a resident from
//! a cohort, acting as `--as NAME`; a freed seat goes to the head of the waitlist and the
//! output names who was promoted. A refusal exits 1 with `{"error":"<reason>"}`.

use std::process::ExitCode;

use serde_json::json;

use crate::db::enrollment::{self, ChangeError};
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
    /// Why the resident withdraws
    #[arg(long)]
    pub reason: Option<String>,
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (conn, _) = open_database(global)?;
    let actor = actor(&conn, global)?;
    let result = match enrollment::resident_id_by_nik(&conn, &args.nik)? {
        None => Err(ChangeError::NotFound(match lang {
            Lang::Id => "penduduk dengan NIK itu".to_string(),
            Lang::En => "resident with that NIK".to_string(),
        })),
        Some(resident) => match enrollment::cohort_id_by_code(&conn, &args.cohort)? {
            None => Err(ChangeError::NotFound(format!(
                "{} {}",
                match lang {
                    Lang::Id => "angkatan",
                    Lang::En => "cohort",
                },
                args.cohort
            ))),
            Some(cohort) => {
                enrollment::withdraw(&conn, &actor, resident, cohort, args.reason.as_deref())
            }
        },
    };
    match result {
        Ok(out) => {
            if args.json {
                print_json(&json!({
                    "status": "withdrawn",
                    "enrollment_id": out.enrollment_id,
                    "was": out.was.code(),
                    "promoted": out.promoted.as_ref().map(|p| json!({
                        "enrollment_id": p.enrollment_id,
                        "name": p.name,
                    })),
                }));
            } else {
                println!(
                    "{}",
                    match lang {
                        Lang::Id => "Pendaftaran dibatalkan (mundur).",
                        Lang::En => "Withdrawn.",
                    }
                );
                if let Some(p) = &out.promoted {
                    println!(
                        "{} {}",
                        match lang {
                            Lang::Id => "Naik dari daftar tunggu:",
                            Lang::En => "Promoted from the waitlist:",
                        },
                        p.name
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(ChangeError::Db(e)) => Err(e.into()),
        Err(e) => {
            let message = match lang {
                Lang::Id => e.to_string(),
                Lang::En => e.message_en(),
            };
            if args.json {
                print_json(&json!({ "error": message }));
            } else {
                eprintln!("loket: {message}");
            }
            Ok(ExitCode::from(1))
        }
    }
}
