//! `loket print receipt --nik NIK --cohort CODE [--out F.pdf]`, `loket print attendance|
//! certificates|bpjs --cohort CODE [--out F.pdf]`: the office's paper, acting as `--as NAME`
//! (receipts: clerks; the rest: supervisors). With `--out` the PDF is written there; without it
//! the PDF is kept in the documents folder and sent to the queue of `printer.receipt` /
//! `printer.a4`. Exit 0 when written (and printed when asked); 1 when refused, when no queue is
//! configured or when printing failed (the PDF is kept and its place told). Every PDF made is
//! audited.

use std::path::PathBuf;
use std::process::ExitCode;

use rusqlite::Connection;

use crate::db::enrollment;
use crate::db::print::{self as paper, PrintError, Printable};
use crate::domain::access::Actor;
use crate::print::{self, Printing, Target, deliver};
use crate::ui::text::Lang;
use crate::ui::text::print as text;

use super::{Global, actor, open_database};

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

fn refused(message: String) -> anyhow::Result<ExitCode> {
    eprintln!("loket: {message}");
    Ok(ExitCode::from(1))
}

/// A `PrintError` in the operator's language.
pub fn print_error_text(lang: Lang, e: &PrintError) -> String {
    if let Some(text) = text::nothing_to_print(lang, e) {
        return text;
    }
    match (e, lang) {
        (PrintError::Denied(d), Lang::Id) => d.to_string(),
        (PrintError::Denied(d), Lang::En) => d.message_en(),
        (PrintError::Db(d), Lang::Id) => d.to_string(),
        (PrintError::Db(d), Lang::En) => d.message_en(),
        (other, _) => other.to_string(),
    }
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
        Err(e) => return refused(print_error_text(lang, &e)),
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
            None => return refused(text::no_documents_dir(lang)),
        },
    };
    let delivered = match print::make(&printable, lang, &target) {
        Ok(d) => d,
        Err(e) => return refused(e.text(lang)),
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
            println!("{message}");
            Ok(ExitCode::SUCCESS)
        }
        Printing::NoQueue | Printing::Failed { .. } => refused(message),
    }
}
