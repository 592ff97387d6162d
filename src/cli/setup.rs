//! `loket demo` and `loket init`: the only commands that create a database; and the step every
//! other command's open goes through (`open_existing`: owner-only files, stale partial files).
//! `demo --force` never silently replaces a production database: it replaces a demo, or, for a
//! logged-in admin, a production database after a safety copy (issue 14.1).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::db::Connection;

use crate::db::{self, backup, demo};
use crate::domain::access::Permission;
use crate::ui::text::{self, Lang, store};

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
    // On a server the demo goes onto an empty database only: nothing there is ever replaced.
    if let super::Location::Server(spec) = super::database_location(global)? {
        let mut conn = db::create_on_server(&spec)?;
        demo::populate(
            &mut conn,
            demo::DemoOptions {
                residents: args.residents,
                seed: args.seed,
                today: db::today(),
            },
        )?;
        let shown = db::sql::PgTarget::parse(&spec).map_err(db::DbError::from)?;
        out::line(&text::cli::demo_created(
            lang,
            Path::new(&shown.to_string()),
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    let path = database_path(global)?;
    // An empty file holds nothing to lose (a placeholder someone made).
    let empty = std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() == 0);
    if args.force && empty {
        std::fs::remove_file(&path)?;
    }
    if args.force && path.exists() {
        let safety = replace_with_demo(global, &path, args)?;
        out::line(&store::demo_replaced(lang, &path, safety.as_ref()))?;
        return Ok(ExitCode::SUCCESS);
    }
    create_demo(&path, args.residents, args.seed, None)?;
    out::line(&text::cli::demo_created(lang, &path))?;
    Ok(ExitCode::SUCCESS)
}

/// Replaces the loket database at `path` with a new demo, as a restore does: built beside it,
/// copied into it under its write lock (open lokets see the demo), a safety copy first. A demo
/// database is replaced on request; a production one only by a logged-in admin. A file that is
/// not loket's is refused by the open. Returns the safety copy.
fn replace_with_demo(
    global: &Global,
    path: &Path,
    args: &DemoArgs,
) -> anyhow::Result<Option<PathBuf>> {
    let conn = db::open(path)?;
    let admin = match demo::is_demo(&conn)? {
        true => None,
        false => {
            let me = super::actor(&conn, global)?;
            me.require(Permission::Restore)?;
            Some(me)
        }
    };
    drop(conn);
    let by = match &admin {
        Some(me) => backup::By::Operator(me),
        None => backup::By::Unverified(&global.operator),
    };
    let staged = backup::partial_path(path, "demo");
    backup::remove_with_sides(&staged);
    let result = create_demo(&staged, args.residents, args.seed, None)
        .and_then(|()| Ok(backup::replace(path, by, &staged, "demo", "demo")?));
    backup::remove_with_sides(&staged);
    result
}

/// Files that group or others could read, made owner-only when the database was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tightened {
    /// The database and the files beside it, now 0600.
    pub files: Vec<PathBuf>,
    /// The backups folder, now 0700.
    pub dir: Option<PathBuf>,
}

impl Tightened {
    pub fn text(&self, lang: Lang) -> String {
        store::tightened(lang, &self.files, self.dir.as_deref())
    }
}

/// Opens the existing database at `path` for a command (never creates one): refuses a file that
/// is not loket's, tightens the database and its backups folder to owner-only and says so on
/// standard error (once: they stay tightened), and removes what killed backups and restores
/// left. Returns the connection and what it tightened.
pub fn open_existing(path: &Path, lang: Lang) -> anyhow::Result<(Connection, Option<Tightened>)> {
    let (conn, files) = db::open_noting(path)?;
    let dir = backup::secure_backup_dir(path)?;
    backup::remove_stale_files(path);
    let tightened = (!files.is_empty() || dir.is_some()).then_some(Tightened { files, dir });
    if let Some(tightened) = &tightened {
        out::error(&format!("loket: {}", tightened.text(lang)));
    }
    Ok((conn, tightened))
}

/// Creates a production database; the built-in admin gets the password typed twice on a
/// terminal, or read from standard input otherwise (one line, or two that agree). Standard input
/// that is empty leaves the admin without a password, with a warning.
pub fn init(global: &Global, _args: &InitArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let (path, server) = match super::database_location(global)? {
        super::Location::File(path) => (path, None),
        super::Location::Server(spec) => {
            let shown = db::sql::PgTarget::parse(&spec)?.to_string();
            (PathBuf::from(shown), Some(spec))
        }
    };
    if server.is_none() && path.exists() {
        return Err(db::DbError::AlreadyExists(path).into());
    }
    // Ask before creating anything: a refused password leaves no half-made database behind.
    let password = super::user::read_new_password_or_none(db::operators::BUILTIN_ADMIN, lang)?;
    let conn = match &server {
        Some(spec) => db::create_on_server(spec)?,
        None => db::create(&path)?,
    };
    let admin = db::operators::actor_by_name(&conn, db::operators::BUILTIN_ADMIN)?;
    match &password {
        Some(pw) => db::auth::set_password(&conn, &admin, db::operators::BUILTIN_ADMIN, pw)?,
        // Scripts that pipe nothing (test set-ups) get an admin without a password, and a warning.
        None => out::error(text::cli::ADMIN_WITHOUT_PASSWORD.get(lang)),
    }
    out::line(&text::cli::database_created(lang, &path))?;
    Ok(ExitCode::SUCCESS)
}
