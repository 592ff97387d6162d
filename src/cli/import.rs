//! `loket import residents FILE [--rejects OUT.csv] [--update-existing] [--accept-warnings]
//! [--json]`: a resident list (CSV or XLSX) into the database, every row accounted for
//! (db::import). Exit 0 when every row is in, 1 when some rows were rejected, 2 when the file
//! was refused (missing columns, unreadable) or the import failed.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use serde_json::json;

use crate::db::{self, import};
use crate::ui::text::resident::reasons;
use crate::ui::text::{self, Lang, Localized};

use super::failure::BadArgument;
use super::{Global, actor, open_database, out, print_json};

/// Rejected rows printed on standard error when there is no `--rejects` file.
const SHOWN_REJECTS: usize = 20;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// Import residents (penduduk) from a .csv or .xlsx file
    Residents(ResidentsArgs),
}

#[derive(Debug, clap::Args)]
pub struct ResidentsArgs {
    /// The file: .csv (comma, semicolon or tab) or .xlsx (first sheet); header on line 1
    pub file: PathBuf,
    /// Write rejected rows here: line, reason, then the original columns
    #[arg(long, value_name = "OUT.csv")]
    pub rejects: Option<PathBuf>,
    /// Update residents whose NIK is already stored (or earlier in the file) instead of rejecting
    #[arg(long)]
    pub update_existing: bool,
    /// Import rows whose NIK disagrees with their sex or birth date, marked as confirmed
    #[arg(long)]
    pub accept_warnings: bool,
    /// Print the summary as one JSON line
    #[arg(long)]
    pub json: bool,
    /// Rows per transaction
    #[arg(long, default_value_t = import::DEFAULT_BATCH_ROWS, hide = true)]
    pub batch_rows: usize,
    /// One transaction with the indexes rebuilt at the end, whatever the size (normally chosen
    /// for long lists only)
    #[arg(long, hide = true)]
    pub bulk: bool,
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    match &args.what {
        What::Residents(a) => residents(global, a, lang),
    }
}

impl Args {
    /// Whether `--json` was given.
    pub fn wants_json(&self) -> bool {
        match &self.what {
            What::Residents(a) => a.json,
        }
    }
}

fn residents(global: &Global, args: &ResidentsArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    if args.file.is_dir() {
        return Err(BadArgument(text::cli::folder_not_file(lang, &args.file)).into());
    }
    let (conn, _) = open_database(global)?;
    let actor = actor(&conn, global)?;
    let mut opts = import::ImportOptions::new(db::today(), args.file.display().to_string());
    opts.update_existing = args.update_existing;
    opts.accept_warnings = args.accept_warnings;
    opts.batch_rows = args.batch_rows;
    let result = (|| -> Result<import::Summary, import::ImportError> {
        let mut source = import::open_source(&args.file)?;
        opts.bulk = args.bulk || import::bulk_recommended(&conn, source.as_ref())?;
        let mut rejects = match &args.rejects {
            Some(path) => Some(import::RejectsWriter::create(
                path,
                &args.file,
                Box::new(move |p| reasons(p, lang)),
            )?),
            None => None,
        };
        let show_progress = std::io::stderr().is_terminal() && !args.json;
        let mut last = Instant::now();
        let mut indexing = false;
        let mut on_progress = |p: &import::Progress| {
            let all_read = p.fraction.is_some_and(|f| f >= 1.0);
            if show_progress && all_read && !indexing {
                // What is left (about 15 s at 3 million rows) gets its own words.
                indexing = true;
                out::progress(&format!(
                    "\r100.0% {} {} · {}   ",
                    p.counts.read,
                    text::cli::ROWS.get(lang),
                    text::import::INDEXING.get(lang)
                ));
            } else if show_progress && !indexing && last.elapsed().as_millis() >= 500 {
                last = Instant::now();
                let rate = p.counts.read as f64 / p.elapsed.as_secs_f64().max(0.001);
                let pct = p
                    .fraction
                    .map(|f| format!("{:5.1}% ", f * 100.0))
                    .unwrap_or_default();
                out::progress(&format!(
                    "\r{pct}{} {} ({rate:.0}/s)   ",
                    p.counts.read,
                    text::cli::ROWS.get(lang)
                ));
            }
        };
        let mut shown = 0usize;
        let keep_quiet = args.rejects.is_some() || args.json;
        let mut on_reject = |r: &import::Rejected| {
            if !keep_quiet && shown < SHOWN_REJECTS {
                shown += 1;
                out::error(&format!(
                    "{} {}: {}",
                    text::cli::LINE.get(lang),
                    r.line,
                    reasons(&r.problems, lang)
                ));
            }
        };
        let summary = import::import_residents(
            &conn,
            &actor,
            source.as_mut(),
            rejects.as_mut(),
            &opts,
            &mut on_progress,
            &mut on_reject,
        );
        if show_progress {
            out::progress(&format!("\r{:60}\r", ""));
        }
        summary
    })();
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            super::failure::report(args.json, &e.text(lang), super::failure::Coded::code(&e))?;
            return Ok(ExitCode::from(2));
        }
    };
    let c = summary.counts;
    if args.json {
        print_json(&json!({
            "read": c.read,
            "imported": c.imported,
            "updated": c.updated,
            "unchanged": c.unchanged,
            "rejected": c.rejected,
            "ignored_columns": summary.ignored_columns,
        }))?;
    } else {
        let secs = summary.elapsed.as_secs_f64();
        let mut lines = vec![text::cli::import_summary(lang, &c, secs)];
        if !summary.ignored_columns.is_empty() {
            lines.push(text::import::ignored_columns(
                lang,
                &summary.ignored_columns,
            ));
        }
        if c.rejected > 0 {
            lines.push(match &args.rejects {
                Some(p) => text::cli::rejects_written(lang, p),
                None => text::cli::REJECTS_HINT.get(lang).to_string(),
            });
        }
        out::lines(lines)?;
    }
    Ok(if c.rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
