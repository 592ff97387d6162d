//! `loket print receipt --nik NIK --cohort CODE [--out F.pdf]`, `loket print attendance|
//! certificates|bpjs --cohort CODE [--out F.pdf]`: the office's paper, acting as `--as NAME`
//! (receipts: clerks; the rest: supervisors). With `--out` the PDF is written there; without it
//! the PDF is kept in the documents folder and sent to the queue of `printer.receipt` /
//! `printer.a4`. Exit 0 when written (and printed when asked); 1 when refused, when no queue is
//! configured or when printing failed (the PDF is kept and its place told). Every PDF made is
//! audited.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::db::Connection;

use crate::db::enrollment;
use crate::db::print::{self as paper, PrintError, Printable};
use crate::domain::access::Actor;
use crate::print::{self, Printing, Target, deliver};
use crate::ui::text::Lang;
use crate::ui::text::print as text;

use super::failure;
use super::{Global, actor, open_database, out};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, clap::Args)]
pub struct CohortPaper {
    /// The cohort's code
    #[arg(long)]
    pub cohort: String,
    /// Write the PDF here instead of printing it
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// Registration receipt (bukti pendaftaran) of a resident's place in a cohort, A5
    Receipt {
        /// The resident's NIK
        #[arg(long)]
        nik: String,
        /// The cohort's code
        #[arg(long)]
        cohort: String,
        /// Write the PDF here instead of printing it
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Attendance sheet (daftar hadir) of a cohort, A4 landscape
    Attendance(CohortPaper),
    /// Certificates (sertifikat) of a cohort's graduates, one page each
    Certificates(CohortPaper),
    /// BPJS Ketenagakerjaan list (JKK/JKM) of a cohort, as PDF
    Bpjs(CohortPaper),
}

impl failure::Coded for PrintError {
    fn code(&self) -> &'static str {
        match self {
            PrintError::Denied(e) => e.code(),
            PrintError::Db(e) => e.code(),
            PrintError::ResidentNotFound => "resident_not_found",
            PrintError::CohortNotFound(_) => "cohort_not_found",
            PrintError::NotEnrolled(_) => "not_enrolled",
            PrintError::NoParticipants(_) => "no_participants",
            PrintError::NoGraduates(_) => "no_graduates",
        }
    }
}

/// A sentence on standard error and exit status 1: the PDF could not be made, or it was kept
/// without being printed.
fn refused(message: &str, code: &str) -> anyhow::Result<ExitCode> {
    failure::report(false, message, code)?;
    Ok(ExitCode::from(1))
}

fn gather(conn: &Connection, actor: &Actor, what: &What) -> Result<Printable, PrintError> {
    let cohort_code = match what {
        What::Receipt { cohort, .. } => cohort,
        What::Attendance(c) | What::Certificates(c) | What::Bpjs(c) => &c.cohort,
    };
    let cohort = enrollment::cohort_id_by_code(conn, cohort_code)?
        .ok_or_else(|| PrintError::CohortNotFound(cohort_code.clone()))?;
    match what {
        What::Receipt { nik, .. } => {
            let resident =
                enrollment::resident_id_by_nik(conn, nik)?.ok_or(PrintError::ResidentNotFound)?;
            paper::receipt(conn, actor, resident, cohort)
        }
        What::Attendance(_) => paper::attendance_sheet(conn, actor, cohort),
        What::Certificates(_) => paper::certificates(conn, actor, cohort),
        What::Bpjs(_) => paper::bpjs_list(conn, actor, cohort),
    }
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (conn, _) = open_database(global)?;
    let actor = actor(&conn, global)?;
    let printable = match gather(&conn, &actor, &args.what) {
        Ok(p) => p,
        Err(PrintError::Db(e)) => return Err(e.into()),
        Err(PrintError::Denied(e)) => return Err(e.into()),
        Err(e) => return failure::refuse(false, &e, lang),
    };
    let document = printable.paper.document();
    let out = match &args.what {
        What::Receipt { out, .. } => out,
        What::Attendance(c) | What::Certificates(c) | What::Bpjs(c) => &c.out,
    };
    let target = match out {
        Some(file) => Target::File(file.clone()),
        None => match deliver::documents_dir() {
            Some(dir) => Target::Office {
                dir,
                queue: paper::queue(&conn, document.paper())?,
            },
            None => return refused(&text::no_documents_dir(lang), "no_documents_dir"),
        },
    };
    let delivered = match print::make(&printable, lang, &target) {
        Ok(d) => d,
        Err(e) => return refused(&e.text(lang), e.code()),
    };
    paper::record_printed(
        &conn,
        &actor,
        &printable,
        &delivered.file,
        delivered.queue(),
    )
    .map_err(anyhow::Error::from)?;
    let message = print::outcome_text(lang, document, &delivered);
    match delivered.printing {
        Printing::NotAsked | Printing::Sent { .. } => {
            out::line(&message)?;
            Ok(ExitCode::SUCCESS)
        }
        Printing::NoQueue => refused(&message, "no_printer"),
        Printing::Failed { .. } => refused(&message, "print_failed"),
    }
}
