//! `loket backup` on a PostgreSQL server: the server's own tool, `pg_dump`, in its custom format
//! (`pg_restore` reads it back), run against the same server and database as loket with the
//! same user, password source (PGPASSWORD, ~/.pgpass) and TLS settings. Without `pg_dump` on
//! this computer the backup is refused with what to install instead; never a silent nothing.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::json;

use super::BackupError;
use crate::db::sql::{PgTarget, SslMode};
use crate::db::{Connection, DbError, audit};
use crate::domain::access::{Actor, Permission};

/// Dumps the server's database behind `conn` (`target`) into the new owner-only file `dest`
/// (never over one), recorded in the audit trail first so the dump holds its own record.
pub fn dump_server(
    conn: &Connection,
    target: &PgTarget,
    actor: &Actor,
    dest: &Path,
) -> Result<(), BackupError> {
    actor.require(Permission::Backup)?;
    if dest.exists() {
        return Err(DbError::AlreadyExists(dest.to_path_buf()).into());
    }
    let mut pg_dump = Command::new("pg_dump");
    pg_dump
        .args(["--format=custom", "--no-password", "--file"])
        .arg(dest)
        .args(["--host", &target.host, "--port", &target.port.to_string()])
        .args(["--username", &target.user, "--dbname", &target.dbname])
        .env("PGSSLMODE", ssl_mode(target.sslmode))
        .stdin(Stdio::null());
    if let Some(ca) = &target.sslrootcert {
        pg_dump.env("PGSSLROOTCERT", ca);
    }
    // Is it there at all? Asked before the audit row, so a refusal records nothing.
    if Command::new("pg_dump")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_err()
    {
        return Err(BackupError::NoPgDump);
    }
    // The dump holds NIKs as SQLite's backups do: owner-only from its first byte, in an
    // owner-only folder when loket makes one (pg_dump writes into the file it finds, keeping
    // its mode; a file of its own would follow the umask, readable by others).
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        super::create_private_dir(dir)?;
    }
    super::create_private_file(dest)?;
    let dumped = record_and_dump(conn, actor, dest, pg_dump);
    if dumped.is_err() {
        // A half-written dump must not pass for a backup.
        let _ = std::fs::remove_file(dest);
    }
    dumped
}

/// The audit row, then the dump into `dest`.
fn record_and_dump(
    conn: &Connection,
    actor: &Actor,
    dest: &Path,
    mut pg_dump: Command,
) -> Result<(), BackupError> {
    audit::record(
        conn,
        actor,
        audit::Action::Backup,
        audit::Entity::Database,
        "",
        None::<&()>,
        Some(&json!({"path": dest.display().to_string(), "tool": "pg_dump"})),
    )?;
    let out = pg_dump.output().map_err(|_| BackupError::NoPgDump)?;
    if !out.status.success() {
        return Err(BackupError::DumpFailed(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        ));
    }
    Ok(())
}

/// libpq's word for the mode.
fn ssl_mode(mode: SslMode) -> &'static str {
    match mode {
        SslMode::Disable => "disable",
        SslMode::Prefer => "prefer",
        SslMode::Require => "require",
        SslMode::VerifyCa => "verify-ca",
        SslMode::VerifyFull => "verify-full",
    }
}
