//! Operators (petugas, supervisor, admin) as stored; who acts on whose behalf.

use rusqlite::{Connection, OptionalExtension, params};

use super::{DbError, now_text};
use crate::domain::access::{Actor, Role};

/// The built-in operator that headless commands act as by default.
pub const BUILTIN_ADMIN: &str = "admin";

/// Creates the built-in `admin` (no password until one is set) if it is missing.
pub fn ensure_builtin_admin(conn: &Connection) -> Result<(), DbError> {
    conn.execute(
        "INSERT OR IGNORE INTO operator (name, full_name, role, created_at) VALUES (?1, 'Administrator', 'admin', ?2)",
        params![BUILTIN_ADMIN, now_text()],
    )?;
    Ok(())
}

/// Creates an operator with no password (demo databases, tests).
pub fn insert_without_password(
    conn: &Connection,
    name: &str,
    full_name: &str,
    role: Role,
) -> Result<i64, DbError> {
    conn.execute(
        "INSERT INTO operator (name, full_name, role, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![name, full_name, role.code(), now_text()],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The active operator called `name`, as an `Actor` (no password check: see the auth module).
pub fn actor_by_name(conn: &Connection, name: &str) -> Result<Actor, DbError> {
    let row: Option<(i64, String, String)> = conn
        .prepare_cached("SELECT id, name, role FROM operator WHERE name = ?1 AND active = 1")?
        .query_row(params![name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let (id, name, role) =
        row.ok_or_else(|| DbError::Missing(format!("operator aktif '{name}'")))?;
    let role = Role::parse(&role).ok_or_else(|| DbError::Missing(format!("peran '{role}'")))?;
    Ok(Actor { id, name, role })
}
