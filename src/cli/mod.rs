//! The command line: `loket` opens the TUI; subcommands do headless work. Commands, flags and
//! JSON keys are a public interface that offices script against: add, never rename or drop.

mod audit;
mod backup;
mod bench;
mod check;
mod cohort;
mod enroll;
mod export;
mod import;
mod nik;
mod print;
mod restore;
mod search;
mod setup;
mod tui;
mod user;
mod withdraw;
mod workdays;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rusqlite::Connection;

use crate::db::{self, DbError};
use crate::domain::access::Actor;
use crate::ui::text::Lang;

#[derive(Debug, Parser)]
#[command(
    name = "loket",
    version,
    about = "Loket pelatihan kerja: pendaftaran peserta BLK/MTU dan kepesertaan BPJS JKK/JKM"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every command takes.
#[derive(Debug, Clone, clap::Args)]
pub struct Global {
    /// Database file (default: the platform data directory; first run creates a demo there)
    #[arg(long, global = true, env = "LOKET_DB")]
    pub db: Option<PathBuf>,
    /// Language of messages: id (Bahasa Indonesia) or en
    #[arg(long, global = true, env = "LOKET_LANG")]
    pub lang: Option<String>,
    /// Operator the command acts as
    #[arg(long = "as", global = true, default_value = db::operators::BUILTIN_ADMIN)]
    pub operator: String,
}

impl Global {
    /// The language `--lang` (or `LOKET_LANG`) asks for; Bahasa Indonesia when unset or unknown.
    pub fn lang(&self) -> Lang {
        self.lang_choice().unwrap_or_default()
    }

    /// The language asked for on the command line, if any.
    pub fn lang_choice(&self) -> Option<Lang> {
        self.lang.as_deref().and_then(Lang::parse)
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Explain and validate NIKs (16-digit population numbers)
    Nik(nik::Args),
    /// Date of the N-th working day from START, skipping holidays and cuti bersama
    Workdays(workdays::Args),
    /// Build a demo database (Kabupaten Tangerang) at --db
    Demo(setup::DemoArgs),
    /// Create an empty production database (reference data only)
    Init(setup::InitArgs),
    /// Import a resident list (.csv or .xlsx); every row imported, updated, unchanged or rejected
    Import(import::Args),
    /// Measure import, search, cold start and memory on generated data (default 100,000 residents)
    Bench(bench::Args),
    /// Find residents by NIK/KK prefix or name (as the desk search does)
    Search(search::Args),
    /// Cohorts (angkatan): list, show, and the supervisor's actions
    Cohort(cohort::Args),
    /// Export files: the BPJS registration list, the yearly report
    Export(export::Args),
    /// Enroll a resident (by NIK) into a cohort (by code)
    Enroll(enroll::Args),
    /// Withdraw a resident from a cohort; the head of the waitlist is promoted
    Withdraw(withdraw::Args),
    /// Operators: add, list, disable, enable, passwd, unlock
    User(user::Args),
    /// Copy the database to a backup file (safe while others work)
    Backup(backup::Args),
    /// Replace the database with a checked backup (keeps a safety copy)
    Restore(restore::Args),
    /// Integrity and foreign-key checks; exit status 1 on a problem
    Check(check::Args),
    /// The audit trail, newest first
    Audit(audit::Args),
    /// Paper: a registration receipt, a cohort's attendance sheet, certificates or BPJS list as PDF
    Print(print::Args),
}

/// Parses the command line and runs it; the exit code is the command's.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.global.lang();
    let result = match &cli.command {
        None => tui::run(&cli.global),
        Some(Command::Nik(args)) => nik::run(&cli.global, args, lang),
        Some(Command::Workdays(args)) => workdays::run(&cli.global, args, lang),
        Some(Command::Demo(args)) => setup::demo(&cli.global, args, lang),
        Some(Command::Init(args)) => setup::init(&cli.global, args, lang),
        Some(Command::Import(args)) => import::run(&cli.global, args, lang),
        Some(Command::Bench(args)) => bench::run(&cli.global, args, lang),
        Some(Command::Search(args)) => search::run(&cli.global, args, lang),
        Some(Command::Cohort(args)) => cohort::run(&cli.global, args, lang),
        Some(Command::Export(args)) => export::run(&cli.global, args, lang),
        Some(Command::Enroll(args)) => enroll::run(&cli.global, args, lang),
        Some(Command::Withdraw(args)) => withdraw::run(&cli.global, args, lang),
        Some(Command::User(args)) => user::run(&cli.global, args, lang),
        Some(Command::Backup(args)) => backup::run(&cli.global, args, lang),
        Some(Command::Restore(args)) => restore::run(&cli.global, args, lang),
        Some(Command::Check(args)) => check::run(&cli.global, args, lang),
        Some(Command::Audit(args)) => audit::run(&cli.global, args, lang),
        Some(Command::Print(args)) => print::run(&cli.global, args, lang),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("loket: {}", describe(&e, lang));
            ExitCode::from(2)
        }
    }
}

/// An error for the person at the terminal, in their language.
pub fn describe(e: &anyhow::Error, lang: Lang) -> String {
    if let Some(db) = e.downcast_ref::<DbError>() {
        return match lang {
            Lang::Id => db.to_string(),
            Lang::En => db.message_en(),
        };
    }
    if let Some(denied) = e.downcast_ref::<crate::domain::access::AccessDenied>() {
        return match lang {
            Lang::Id => denied.to_string(),
            Lang::En => denied.message_en(),
        };
    }
    if let Some(auth) = e.downcast_ref::<db::auth::AuthError>() {
        return match lang {
            Lang::Id => auth.to_string(),
            Lang::En => auth.message_en(),
        };
    }
    if let Some(backup) = e.downcast_ref::<db::backup::BackupError>() {
        return match lang {
            Lang::Id => backup.to_string(),
            Lang::En => backup.message_en(),
        };
    }
    if let Some(policy) = e.downcast_ref::<crate::domain::password::PasswordError>() {
        return match lang {
            Lang::Id => policy.to_string(),
            Lang::En => policy.message_en(),
        };
    }
    format!("{e:#}")
}

/// The database path a command uses: `--db`/`LOKET_DB`, else the platform default.
pub fn database_path(global: &Global) -> anyhow::Result<PathBuf> {
    match &global.db {
        Some(p) => Ok(p.clone()),
        None => db::default_path().ok_or_else(|| {
            anyhow::anyhow!("tidak menemukan direktori data pengguna; pakai --db PATH")
        }),
    }
}

/// Opens the database for a command. The default database is created with the demo on first
/// run, so a newcomer's first `loket` shows a working app; an explicit `--db` that does not
/// exist is refused (a mistyped path must not silently become an empty database).
pub fn open_database(global: &Global) -> anyhow::Result<(Connection, PathBuf)> {
    let path = database_path(global)?;
    if global.db.is_none() && !path.exists() {
        setup::create_demo(
            &path,
            setup::DEFAULT_DEMO_RESIDENTS,
            setup::DEFAULT_DEMO_SEED,
            true,
        )?;
    }
    let lang = global.lang();
    if path.exists() && db::schema_update_pending(&path) {
        match lang {
            Lang::Id => eprintln!(
                "loket: memperbarui skema database (sekali saja; sekitar 1 menit per 3 juta penduduk) ..."
            ),
            Lang::En => eprintln!(
                "loket: updating the database schema (once; about 1 minute per 3 million residents) ..."
            ),
        }
    }
    let conn = db::open(&path)?;
    // The first start of the day backs the database up; a failed backup must not stop the desk.
    if let Err(e) = db::backup::daily(&conn, &path, db::today()) {
        match lang {
            Lang::Id => eprintln!("loket: cadangan harian gagal: {e}"),
            Lang::En => eprintln!("loket: daily backup failed: {}", e.message_en()),
        }
    }
    Ok((conn, path))
}

/// The operator a headless command acts as (`--as NAME`), logged in: an operator with a password
/// gives it through `LOKET_PASSWORD` or a prompt on a terminal; demo operators have none.
pub fn actor(conn: &Connection, global: &Global) -> anyhow::Result<Actor> {
    let lang = global.lang();
    let name = global.operator.as_str();
    let password = if db::auth::needs_password(conn, name)? {
        Some(user::operator_password(name, lang)?)
    } else {
        None
    };
    let now = chrono::Local::now().naive_local();
    Ok(db::auth::login(
        conn,
        name,
        password.as_deref(),
        db::auth::Via::Cli,
        now,
    )?)
}

/// Prints a JSON value on one line.
pub fn print_json(value: &serde_json::Value) {
    println!("{value}");
}
