//! The command line: `loket` opens the TUI; subcommands do headless work. Commands, flags and
//! JSON keys are a public interface that offices script against: add, never rename or drop.
//! Everything a command prints goes through `out` (control characters escaped, a closed pipe
//! ends the command quietly); every failure through `failure` (with `--json`, one object
//! `{"error", "code"}` on standard output).

// `out` is the one printer: a stray `println!` would panic on a closed pipe and print names raw.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod audit;
mod backup;
mod bench;
mod check;
mod cohort;
mod cohort_run;
mod counter;
mod coverage;
mod enroll;
mod export;
pub mod failure;
mod import;
mod migrate;
mod nik;
pub mod out;
mod print;
mod restore;
mod search;
mod setting;
mod setup;
mod tui;
mod user;
mod withdraw;
mod workdays;

use std::path::PathBuf;
use std::process::ExitCode;

use crate::db::Connection;
use clap::{Parser, Subcommand};

use crate::db;
use crate::domain::access::Actor;
use crate::ui::text::{self, Lang, Localized};

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
    // Its own id: a subcommand's `--operator` (the audit filter) must never set it.
    #[arg(id = "as", long = "as", global = true, default_value = db::operators::BUILTIN_ADMIN)]
    pub operator: String,
    /// This PC's counter as OFFICE/NAME (e.g. 36.03.04/Loket 1), recorded with its work;
    /// default: what `loket counter set` kept
    #[arg(long, global = true, env = "LOKET_COUNTER")]
    pub counter: Option<String>,
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
    /// BPJS JKK/JKM coverage of one participant: submit, activate (KPJ), reject
    Coverage(coverage::Args),
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
    /// Move this office's database onto the kabupaten's PostgreSQL server (merged by NIK)
    Migrate(migrate::Args),
    /// This PC's counter (desk): show, set OFFICE NAME, clear
    Counter(counter::Args),
    /// Integrity and foreign-key checks; exit status 1 on a problem
    Check(check::Args),
    /// The audit trail, newest first
    Audit(audit::Args),
    /// Settings (pengaturan): list, get, set (supervisors), checked and audited as on screen
    Setting(setting::Args),
    /// Paper: a registration receipt, a cohort's attendance sheet, certificates or BPJS list as PDF
    Print(print::Args),
}

impl Command {
    /// Whether the command was asked for JSON: its failures are then JSON too.
    pub fn wants_json(&self) -> bool {
        match self {
            Command::Nik(a) => a.json,
            Command::Search(a) => a.json,
            Command::Cohort(a) => a.wants_json(),
            Command::Coverage(a) => a.wants_json(),
            Command::Enroll(a) => a.json,
            Command::Withdraw(a) => a.json,
            Command::User(a) => a.wants_json(),
            Command::Backup(a) => a.json,
            Command::Restore(a) => a.json,
            Command::Migrate(a) => a.json,
            Command::Counter(a) => a.json,
            Command::Check(a) => a.json,
            Command::Audit(a) => a.json,
            Command::Import(a) => a.wants_json(),
            Command::Setting(a) => a.wants_json(),
            Command::Bench(a) => a.json,
            Command::Workdays(_)
            | Command::Demo(_)
            | Command::Init(_)
            | Command::Export(_)
            | Command::Print(_) => false,
        }
    }
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
        Some(Command::Coverage(args)) => coverage::run(&cli.global, args, lang),
        Some(Command::Export(args)) => export::run(&cli.global, args, lang),
        Some(Command::Enroll(args)) => enroll::run(&cli.global, args, lang),
        Some(Command::Withdraw(args)) => withdraw::run(&cli.global, args, lang),
        Some(Command::User(args)) => user::run(&cli.global, args, lang),
        Some(Command::Backup(args)) => backup::run(&cli.global, args, lang),
        Some(Command::Restore(args)) => restore::run(&cli.global, args, lang),
        Some(Command::Migrate(args)) => migrate::run(&cli.global, args, lang),
        Some(Command::Counter(args)) => counter::run(&cli.global, args, lang),
        Some(Command::Check(args)) => check::run(&cli.global, args, lang),
        Some(Command::Audit(args)) => audit::run(&cli.global, args, lang),
        Some(Command::Setting(args)) => setting::run(&cli.global, args, lang),
        Some(Command::Print(args)) => print::run(&cli.global, args, lang),
    };
    match result {
        Ok(code) => code,
        // The reader closed standard output (`| head`): it has what it wanted.
        Err(e) if e.is::<out::Closed>() => ExitCode::SUCCESS,
        Err(e) => {
            let as_json = cli.command.as_ref().is_some_and(Command::wants_json);
            let told = failure::report(as_json, &text::describe(&e, lang), failure::code_of(&e));
            match told {
                Err(e) if e.is::<out::Closed>() => ExitCode::SUCCESS,
                _ => ExitCode::from(2),
            }
        }
    }
}

/// Where the database of a command lives.
pub use db::Store as Location;

/// The database a command uses: `--db`/`LOKET_DB`, else the platform default file.
pub fn database_location(global: &Global) -> anyhow::Result<Location> {
    match &global.db {
        Some(p) if names_a_postgres_server(p) => {
            Ok(Location::Server(p.to_string_lossy().into_owned()))
        }
        _ => database_path(global).map(Location::File),
    }
}

/// The database file a command that works on SQLite only uses: `--db`/`LOKET_DB`, else the
/// platform default; a PostgreSQL server is refused with what to do instead.
pub fn database_path(global: &Global) -> anyhow::Result<PathBuf> {
    match &global.db {
        // Never a file named `postgres:/...` (what `init` made of a URL before).
        Some(p) if names_a_postgres_server(p) => {
            Err(failure::BadArgument(text::cli::POSTGRES_NOT_YET.get(global.lang()).into()).into())
        }
        Some(p) => Ok(p.clone()),
        None => db::default_path()
            .ok_or_else(|| anyhow::anyhow!(text::cli::NO_DATA_DIR.get(global.lang()))),
    }
}

/// A PostgreSQL URL or libpq `key=value` string (`sql::is_postgres`: a file called
/// `kantor=kemiri.sqlite` stays a file).
fn names_a_postgres_server(p: &std::path::Path) -> bool {
    db::sql::is_postgres(&p.to_string_lossy())
}

/// Opens the database for a command. The default database is created with the demo on first
/// run, so a newcomer's first `loket` shows a working app; an explicit `--db` that does not
/// exist is refused (a mistyped path must not silently become an empty database).
pub fn open_database(global: &Global) -> anyhow::Result<(Connection, PathBuf)> {
    open_database_noting(global).map(|(conn, path, _)| (conn, path))
}

/// [`open_database`], also telling which files it tightened to owner-only (said on standard
/// error already), for the TUI to show as well.
pub fn open_database_noting(
    global: &Global,
) -> anyhow::Result<(Connection, PathBuf, Option<setup::Tightened>)> {
    let path = match database_location(global)? {
        Location::File(path) => path,
        // A server keeps no files beside the counter: no demo made, no daily copy, nothing
        // to tighten (the server's backups are pg_dump's).
        Location::Server(spec) => {
            let conn = db::open_server(&spec)?;
            conn.set_counter(counter::this_counter(global)?);
            return Ok((conn, PathBuf::new(), None));
        }
    };
    let lang = global.lang();
    if global.db.is_none() && !path.exists() {
        setup::create_demo(
            &path,
            setup::DEFAULT_DEMO_RESIDENTS,
            setup::DEFAULT_DEMO_SEED,
            Some(lang),
        )?;
    }
    if path.exists() && db::schema_update_pending(&path) {
        out::error(text::cli::SCHEMA_UPDATE.get(lang));
    }
    let (conn, tightened) = setup::open_existing(&path, lang)?;
    conn.set_counter(counter::this_counter(global)?);
    // The first start of the day backs the database up; a failed backup must not stop the desk.
    if let Err(e) = db::backup::daily(&conn, &path, db::today()) {
        out::error(&text::cli::daily_backup_failed(lang, &e.text(lang)));
    }
    Ok((conn, path, tightened))
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

/// Prints a value as JSON on one line (`out::json`).
pub fn print_json<T: serde::Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    out::json(value)
}
