//! `loket demo` and `loket init`: creating databases.

use std::path::Path;
use std::process::ExitCode;

use crate::db::{self, demo};
use crate::ui::text::Lang;

use super::{Global, database_path};

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
pub fn create_demo(path: &Path, residents: u32, seed: u64, announce: bool) -> anyhow::Result<()> {
    if announce {
        eprintln!("loket: membuat database demo di {} ...", path.display());
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
    if announce {
        eprintln!(
            "loket: demo siap: {} penduduk, {} angkatan, {} pendaftaran.",
            summary.residents, summary.cohorts, summary.enrollments
        );
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
    create_demo(&path, args.residents, args.seed, false)?;
    println!(
        "{}",
        match lang {
            Lang::Id => format!("Database demo dibuat: {}", path.display()),
            Lang::En => format!("Demo database created: {}", path.display()),
        }
    );
    Ok(ExitCode::SUCCESS)
}

pub fn init(global: &Global, _args: &InitArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let path = database_path(global)?;
    db::create(&path)?;
    println!(
        "{}",
        match lang {
            Lang::Id => format!(
                "Database baru dibuat (data referensi saja): {}",
                path.display()
            ),
            Lang::En => format!(
                "New database created (reference data only): {}",
                path.display()
            ),
        }
    );
    Ok(ExitCode::SUCCESS)
}
