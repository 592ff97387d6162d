//! `loket bench [--residents N] [--out DIR] [--json]`: generates N residents, imports them and
//! measures import, search, cold start and memory (see src/bench). Reports, never asserts.
//! `loket --db postgres://... bench` imports into and searches that server's database instead
//! (empty or fresh from `init`; refused otherwise); a `--db` file is never touched.
//! `--probe` is the child the bench starts to time the first frame; not for people.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::bench::{self, BenchOptions};
use crate::db;
use crate::ui::text::Lang;

use super::{Global, Location, database_location, database_path, out};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Residents to generate (3000000 for the full run of the README)
    #[arg(long, default_value_t = 100_000)]
    pub residents: u64,
    /// Directory for the generated CSV and databases (kept); default: a temporary one, removed
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed of the generator
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Queries per search category
    #[arg(long, default_value_t = 200)]
    pub queries: usize,
    /// Time the import and sqlite3's .import this many times each, alternately (the fastest
    /// of each counts)
    #[arg(long, default_value_t = 1)]
    pub runs: usize,
    /// Print the report as one JSON line
    #[arg(long)]
    pub json: bool,
    /// Internal: open --db, draw one frame, run searches read from stdin
    #[arg(long, hide = true)]
    pub probe: bool,
}

pub fn run(global: &Global, args: &Args, _lang: Lang) -> anyhow::Result<ExitCode> {
    if args.probe {
        bench::probe_main(&database_path(global)?, &global.operator)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (dir, temporary) = match &args.out {
        Some(d) => (d.clone(), false),
        None => (
            std::env::temp_dir().join(format!("loket-bench-{}", std::process::id())),
            true,
        ),
    };
    let opts = BenchOptions {
        residents: args.residents,
        dir: dir.clone(),
        seed: args.seed,
        today: db::today(),
        queries: args.queries.max(1),
        exe: std::env::current_exe()?,
        runs: args.runs.max(1),
        server: match global.db.as_ref().map(|_| database_location(global)) {
            Some(Ok(Location::Server(spec))) => Some(spec),
            _ => None,
        },
    };
    let quiet = args.json;
    let mut say = |s: &str| {
        if !quiet {
            out::error(&format!("bench: {s}"));
        }
    };
    let result = bench::run(&opts, &mut say);
    if temporary {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let report = result?;
    if args.json {
        out::json(&report)?;
    } else {
        let markdown = bench::markdown(&report);
        let summary = format!("import summary: {}", report.import_summary);
        out::lines(markdown.lines().chain([summary.as_str()]))?;
    }
    Ok(ExitCode::SUCCESS)
}
