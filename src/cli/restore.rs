//! `loket restore PATH`: replaces the database with a checked backup. The file is checked first
//! (SQLite, intact, foreign keys, loket's, schema exactly loket's at its version, audit chain
//! unbroken); the current database is kept as a safety backup; the backup is copied into the live
//! database, so lokets that have it open go on with the restored data. Admins only, logged in.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::db::backup;
use crate::ui::text::Lang;

use super::{Global, actor, open_database, out, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The backup file to restore
    pub path: PathBuf,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (conn, db_path) = open_database(global)?;
    let me = actor(&conn, global)?;
    me.require(crate::domain::access::Permission::Restore)?;
    if conn.as_sqlite().is_none() {
        return Err(backup::BackupError::OnServer.into());
    }
    drop(conn);
    let restored = backup::restore(&db_path, &me, &args.path)?;
    if args.json {
        print_json(&serde_json::to_value(&restored)?)?;
    } else {
        let safety = restored
            .safety_backup
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "-".into());
        out::line(&crate::ui::text::store::restored(lang, &args.path, &safety))?;
    }
    Ok(ExitCode::SUCCESS)
}
