//! `loket backup [--out PATH]`: a copy of the database through SQLite's online backup API, safe
//! while clerks keep working. Supervisors only; recorded in the audit trail.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::db::backup;
use crate::ui::text::{self, Lang};

use super::{Global, actor, open_database, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the backup (default: <data dir>/backups/loket-<date>-<time>.sqlite)
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (conn, path) = open_database(global)?;
    let me = actor(&conn, global)?;
    let out = args.out.clone().unwrap_or_else(|| {
        backup::backup_dir(&path).join(format!(
            "loket-{}.sqlite",
            chrono::Local::now().format("%Y-%m-%d-%H%M%S")
        ))
    });
    backup::backup_now(&conn, &me, &out)?;
    if args.json {
        print_json(&serde_json::json!({"backup": out.display().to_string()}));
    } else {
        println!("{}", text::cli::backup_written(lang, &out));
    }
    Ok(ExitCode::SUCCESS)
}
