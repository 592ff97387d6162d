//! `loket export bpjs --cohort CODE --out FILE` (or `--from DATE --to DATE`) and
//! `loket export report --year Y --out FILE.xlsx`: files for BPJS and for the yearly report,
//! XLSX or CSV by the file's extension. Supervisors only; every export is audited.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::db::enrollment::cohort_id_by_code;
use crate::db::export::{self, ExportError, ExportScope};
use crate::domain::person::parse_date_flexible;
use crate::ui::text::{self, Lang, Localized};

use super::{Global, actor, open_database, out};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// BPJS Ketenagakerjaan collective-registration list (JKK/JKM) of a cohort or a date range
    Bpjs {
        /// Cohort code
        #[arg(long, conflicts_with_all = ["from", "to"], required_unless_present_all = ["from", "to"])]
        cohort: Option<String>,
        /// Cohorts running on or after this date (with --to)
        #[arg(long, requires = "to")]
        from: Option<String>,
        /// Cohorts running on or before this date (with --from)
        #[arg(long, requires = "from")]
        to: Option<String>,
        /// Output file: .xlsx or .csv
        #[arg(long)]
        out: PathBuf,
    },
    /// The yearly report (per kecamatan, per course, per week) as XLSX
    Report {
        #[arg(long)]
        year: i32,
        /// Output file (.xlsx)
        #[arg(long)]
        out: PathBuf,
    },
}

/// Prints a refusal and returns exit code 1.
fn fail(message: String) -> anyhow::Result<ExitCode> {
    out::error(&format!("loket: {message}"));
    Ok(ExitCode::from(1))
}

fn failed(lang: Lang, e: &ExportError) -> anyhow::Result<ExitCode> {
    fail(e.text(lang))
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (conn, _) = open_database(global)?;
    let actor = actor(&conn, global)?;
    match &args.what {
        What::Bpjs {
            cohort,
            from,
            to,
            out: path,
        } => {
            let (scope, what) = match (cohort, from, to) {
                (Some(code), _, _) => match cohort_id_by_code(&conn, code)? {
                    Some(id) => (ExportScope::Cohort(id), code.clone()),
                    None => return fail(text::cli::cohort_not_found(lang, code)),
                },
                (None, Some(from), Some(to)) => {
                    match (parse_date_flexible(from), parse_date_flexible(to)) {
                        (Some(f), Some(t)) if f <= t => {
                            (ExportScope::Range { from: f, to: t }, format!("{f}..{t}"))
                        }
                        _ => return fail(text::cli::bad_date_range(lang, from, to)),
                    }
                }
                _ => return fail(text::cli::COHORT_OR_RANGE.text(lang)),
            };
            let rows = export::bpjs_rows(&conn, scope)?;
            if let Err(e) = export::write_bpjs(&conn, &actor, path, &what, &rows) {
                return failed(lang, &e);
            }
            out::line(&text::cli::exported(lang, &export::summary(&rows), path))?;
        }
        What::Report { year, out: path } => {
            if let Err(e) = export::write_report(&conn, &actor, path, *year) {
                return failed(lang, &e);
            }
            out::line(&path.display().to_string())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
