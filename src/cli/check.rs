//! `loket check`: is the database sound? SQLite's integrity and foreign-key checks, loket's mark,
//! the schema as loket writes it, and the audit chain. Opens the file read-write as any loket
//! does, so what a killed writer left (a hot journal) is rolled back first, as SQLite always
//! recovers it (issue 14.4); nothing else is written: no migration, no backup. Advises a restore
//! only for damage SQLite finds, never for a state it recovers.
//! Exit status 0 when sound, 1 on a problem or a file (or server database) that is not loket's,
//! 2 when the database cannot be read at all (missing, locked, no permission, no server).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rusqlite::{Connection, OpenFlags};

use crate::db::{self, DbError, backup};
use crate::ui::text::{Lang, Localized, store as text};

use super::{Global, Location, database_location, out, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let path = match database_location(global)? {
        Location::File(path) => path,
        Location::Server(spec) => {
            let server = db::sql::PgTarget::parse(&spec).map_err(DbError::from)?;
            let server = PathBuf::from(server.to_string());
            let conn = match db::open_server(&spec) {
                Ok(conn) => conn,
                // No loket schema there: told as a file that is not loket's is (1), not as a
                // database that cannot be read (2).
                Err(e @ DbError::ServerEmpty(_)) => {
                    return not_loket(args, &server, &e.text(lang));
                }
                Err(e) => return Err(e.into()),
            };
            let report = db::pg_schema::check(&conn)?;
            return tell(args, lang, &server, &report, true);
        }
    };
    if !path.exists() {
        return Err(DbError::NotFound(path).into());
    }
    // SQLite opens a file it may not write read-only; the rollback then fails and says so.
    let conn = Connection::open_with_flags(
        &path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(db::BUSY_TIMEOUT)?;
    let report = match db::identify(&conn, &path).and_then(|()| backup::check(&conn.into())) {
        Ok(report) => report,
        Err(DbError::NotLoket { why, .. }) => {
            return not_loket(args, &path, &text::not_loket(lang, &path, &why));
        }
        Err(DbError::Sqlite(e)) if is_read_only(&e) => {
            return Err(anyhow::anyhow!(text::CANNOT_RECOVER.get(lang)));
        }
        Err(DbError::Sqlite(e)) => backup::CheckReport {
            integrity: vec![e.to_string()],
            ..Default::default()
        },
        // Locked, or no file access: nothing is known about the database, so nothing is advised.
        Err(other) => return Err(other.into()),
    };
    tell(args, lang, &path, &report, false)
}

/// A database that is not loket's (`problem` says why), on standard output; exit status 1.
fn not_loket(args: &Args, path: &Path, problem: &str) -> anyhow::Result<ExitCode> {
    if args.json {
        // Also the failure shape every --json command has (`error`, `code`).
        print_json(&serde_json::json!({
            "ok": false,
            "loket": false,
            "path": path.display().to_string(),
            "problem": problem,
            "error": problem,
            "code": "not_a_loket_database",
        }))?;
    } else {
        out::line(problem)?;
    }
    Ok(ExitCode::from(1))
}

/// The report on standard output; exit status 0 when sound, 1 on a problem.
fn tell(
    args: &Args,
    lang: Lang,
    path: &Path,
    report: &backup::CheckReport,
    on_server: bool,
) -> anyhow::Result<ExitCode> {
    if args.json {
        print_json(&serde_json::json!({
            "ok": report.is_ok(),
            "loket": true,
            "path": path.display().to_string(),
            "integrity": report.integrity,
            "foreign_keys": report.foreign_keys,
            "schema": report.schema,
            "audit_chain": report.audit_chain,
        }))?;
    } else if report.is_ok() {
        out::line(&text::sound(lang, path))?;
    } else {
        out::lines(text::problems(lang, report))?;
        out::error(match on_server {
            true => text::SERVER_ADVICE.get(lang),
            false => text::advice(lang, report),
        });
    }
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// SQLite could not write to roll a hot journal back (the file or its folder is read-only).
fn is_read_only(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ffi::ErrorCode::ReadOnly)
}
