//! `loket check`: SQLite's integrity and foreign-key checks on the database, read-only.
//! Exit status 0 when both pass, 1 on a problem (2 when the file cannot be opened at all).

use std::process::ExitCode;

use rusqlite::{Connection, OpenFlags};

use crate::db::{self, backup};
use crate::ui::text::{self, Lang, Localized};

use super::{Global, database_path, out, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let path = database_path(global)?;
    if !path.exists() {
        return Err(db::DbError::NotFound(path).into());
    }
    // Never migrate or back up a database that is being checked: open it read-only as it is.
    let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.busy_timeout(db::BUSY_TIMEOUT)?;
    let report = match backup::check(&conn) {
        Ok(report) => report,
        Err(e) => backup::CheckReport {
            integrity: vec![e.text(lang)],
            foreign_keys: Vec::new(),
        },
    };
    if args.json {
        print_json(
            &serde_json::json!({"ok": report.is_ok(), "path": path.display().to_string(), "integrity": report.integrity, "foreign_keys": report.foreign_keys}),
        )?;
    } else if report.is_ok() {
        out::line(&text::cli::database_sound(lang, &path))?;
    } else {
        let integrity = report.integrity.iter().map(|l| format!("integrity: {l}"));
        let foreign_keys = report.foreign_keys.iter().map(|(table, rowid, parent)| {
            let rowid = rowid.map(|r| r.to_string()).unwrap_or_default();
            format!("foreign key: {table} {rowid} -> {parent}")
        });
        out::lines(integrity.chain(foreign_keys))?;
        out::error(text::cli::DATABASE_BROKEN.get(lang));
    }
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
