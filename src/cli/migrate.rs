//! `loket migrate --to postgres://...`: moves this office's SQLite database onto the
//! kabupaten's PostgreSQL server (issue 18; `db::office_move`): the first office is copied as it
//! is, later ones are merged by NIK with the conflicts reported. Admins only, logged in. The
//! file is only read, inside one snapshot, so the office can keep working meanwhile.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::db::DbError;
use crate::db::office_move::{self, MoveReport};
use crate::db::sql::{Connection, PgTarget};
use crate::domain::access::Permission;
use crate::ui::text::{self, Lang};

use super::failure::BadArgument;
use super::{Global, actor, open_database, out, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The PostgreSQL server (postgres://user@host:port/db, or host=... dbname=...); the
    /// password from PGPASSWORD or ~/.pgpass
    #[arg(long, value_name = "SERVER")]
    pub to: String,
    /// Write residents whose NIK the server holds with other data to this CSV file
    #[arg(long, value_name = "FILE")]
    pub conflicts: Option<PathBuf>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (office, path) = open_database(global)?;
    let me = actor(&office, global)?;
    me.require(Permission::Restore)?;
    if !crate::db::sql::is_postgres(&args.to) {
        return Err(BadArgument(text::cli::MIGRATE_TO_SERVER.get(lang).into()).into());
    }
    let server_name = PgTarget::parse(&args.to)
        .map_err(DbError::from)?
        .to_string();
    let server = Connection::open_postgres(&args.to).map_err(DbError::from)?;
    let file_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    // One read transaction: every table as it stood at one moment.
    let snapshot = office.transaction()?;
    let quiet = args.json;
    let mut report = office_move::move_office(&snapshot, &server, &file_name, &me.name, |table| {
        if !quiet {
            out::error(&text::store::moving_table(lang, table));
        }
    })?;
    drop(snapshot);
    report.server = server_name;
    if let Some(file) = &args.conflicts {
        write_conflicts(file, &report)?;
    }
    if args.json {
        print_json(&serde_json::to_value(&report)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    out::line(&text::store::moved(lang, &report, &path))?;
    for moved in &report.tables {
        out::line(&text::store::moved_table(lang, moved))?;
    }
    if !report.conflicts.is_empty() {
        out::line(&text::store::move_conflicts(
            lang,
            report.conflicts.len(),
            args.conflicts.as_deref(),
        ))?;
        if args.conflicts.is_none() {
            for conflict in &report.conflicts {
                for d in &conflict.differences {
                    out::line(&format!(
                        "  {} {}: {} | server: {}",
                        conflict.nik, d.field, d.office, d.server
                    ))?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line per differing field: nik, field, the office's value, the server's.
fn write_conflicts(file: &Path, report: &MoveReport) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_path(file)?;
    csv.write_record(["nik", "field", "office", "server"])?;
    for conflict in &report.conflicts {
        for d in &conflict.differences {
            csv.write_record([conflict.nik.as_str(), d.field, &d.office, &d.server])?;
        }
    }
    csv.flush()?;
    Ok(())
}
