//! `loket backup [--out PATH]`: a copy of the database through SQLite's online backup API, safe
//! while clerks keep working; on a PostgreSQL server, `pg_dump`'s custom format
//! (`loket-<db>-<time>.dump`). Supervisors only; recorded in the audit trail.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::db::{self, backup};
use crate::ui::text::{self, Lang};

use super::failure::BadArgument;
use super::{Global, Location, actor, database_location, open_database, out, print_json};

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
    // A folder that does not exist is a typo more often than a wish: refuse it, never create it.
    if let Some(dir) = args.out.as_deref().and_then(std::path::Path::parent)
        && !dir.as_os_str().is_empty()
        && !dir.is_dir()
    {
        return Err(BadArgument(text::cli::no_such_folder(lang, dir)).into());
    }
    let (conn, path) = open_database(global)?;
    let me = actor(&conn, global)?;
    let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
    match database_location(global)? {
        Location::File(_) => {
            let dest = args
                .out
                .clone()
                .unwrap_or_else(|| backup::backup_dir(&path).join(format!("loket-{stamp}.sqlite")));
            backup::backup_now(&conn, &me, &dest)?;
            tell(args, lang, &dest)
        }
        // The server's own tool, into this computer's backup folder by default.
        Location::Server(spec) => {
            let server = db::sql::PgTarget::parse(&spec).map_err(db::DbError::from)?;
            let dest = args.out.clone().unwrap_or_else(|| {
                let folder =
                    db::default_path().map_or_else(PathBuf::new, |p| backup::backup_dir(&p));
                folder.join(format!("loket-{}-{stamp}.dump", server.dbname))
            });
            backup::dump_server(&conn, &server, &me, &dest)?;
            tell(args, lang, &dest)
        }
    }
}

fn tell(args: &Args, lang: Lang, dest: &Path) -> anyhow::Result<ExitCode> {
    if args.json {
        print_json(&serde_json::json!({"backup": dest.display().to_string()}))?;
    } else {
        out::line(&text::cli::backup_written(lang, dest))?;
    }
    Ok(ExitCode::SUCCESS)
}
