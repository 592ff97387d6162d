//! `loket demo` and `loket init`: creating databases.

use std::path::Path;
use std::process::ExitCode;

use crate::db::{self, demo};
use crate::ui::text::{self, Lang};

use super::{Global, database_path, out};

pub const DEFAULT_DEMO_RESIDENTS: u32 = 3000;
pub const DEFAULT_DEMO_SEED: u64 = 2026;

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// How many residents to generate
    #[arg(long, default_value_t = DEFAULT_DEMO_RESIDENTS)]
    pub residents: u32,
    /// Seed of the generator (the same seed gives the same residents)
    #[arg(long, default_value_t = DEFAULT_DEMO_SEED)]
    pub seed: u64,
    /// Replace the file if it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {}

/// Creates a demo database at `path`; `announce` prints what it does on standard error.
pub fn create_demo(
    path: &Path,
    residents: u32,
    seed: u64,
    announce: Option<Lang>,
) -> anyhow::Result<()> {
    if let Some(lang) = announce {
        out::error(&text::cli::creating_demo(lang, path));
    }
    let mut conn = db::create(path)?;
    let summary = demo::populate(
        &mut conn,
        demo::DemoOptions {
            residents,
            seed,
            today: db::today(),
        },
    )?;
    if let Some(lang) = announce {
        out::error(&text::cli::demo_ready(
            lang,
            summary.residents,
            summary.cohorts,
            summary.enrollments,
        ));
    }
    Ok(())
}

pub fn demo(global: &Global, args: &DemoArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let path = database_path(global)?;
    if args.force && path.exists() {
        for suffix in ["", "-wal", "-shm"] {
            let file = format!("{}{suffix}", path.display());
            let _ = std::fs::remove_file(file);
        }
    }
    create_demo(&path, args.residents, args.seed, None)?;
    out::line(&text::cli::demo_created(lang, &path))?;
    Ok(ExitCode::SUCCESS)
}

/// Creates a production database; the built-in admin gets the password typed twice on a
/// terminal, or read from standard input otherwise (one line, or two that agree). Standard input
/// that is empty leaves the admin without a password, with a warning.
pub fn init(global: &Global, _args: &InitArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let path = database_path(global)?;
    if path.exists() {
        return Err(db::DbError::AlreadyExists(path).into());
    }
    // Ask before creating anything: a refused password leaves no half-made database behind.
    let password = super::user::read_new_password_or_none(db::operators::BUILTIN_ADMIN, lang)?;
    let conn = db::create(&path)?;
    let admin = db::operators::actor_by_name(&conn, db::operators::BUILTIN_ADMIN)?;
    match &password {
        Some(pw) => db::auth::set_password(&conn, &admin, db::operators::BUILTIN_ADMIN, pw)?,
        // Scripts that pipe nothing (test set-ups) get an admin without a password, and a warning.
        None => out::error(text::cli::ADMIN_WITHOUT_PASSWORD.get(lang)),
    }
    out::line(&text::cli::database_created(lang, &path))?;
    Ok(ExitCode::SUCCESS)
}
