//! Operators (petugas, supervisor, admin) as stored; who acts on whose behalf. Admins manage
//! them; every change writes its audit row. Never returns a password hash to a caller.

use crate::db::sql::{Connection, OptionalExtension, params};
use serde_json::json;

use super::auth::AuthError;
use super::{DbError, Missing, audit, now_text};
use crate::domain::access::{Actor, Permission, Role};

/// The built-in operator that headless commands act as by default.
pub const BUILTIN_ADMIN: &str = "admin";

/// Creates the built-in `admin` (no password until one is set) if it is missing.
pub fn ensure_builtin_admin(conn: &Connection) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO operator (name, full_name, role, created_at) VALUES (?1, 'Administrator', 'admin', ?2)
         ON CONFLICT DO NOTHING",
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
    Ok(conn.insert_returning_id(
        "INSERT INTO operator (name, full_name, role, created_at) VALUES (?1, ?2, ?3, ?4)
         RETURNING id",
        params![name, full_name, role, now_text()],
    )?)
}

/// The active operator called `name`, as an `Actor` (no password check: see the auth module).
pub fn actor_by_name(conn: &Connection, name: &str) -> Result<Actor, DbError> {
    let row: Option<(i64, String, Role)> = conn
        .prepare_cached("SELECT id, name, role FROM operator WHERE name = ?1 AND active = 1")?
        .query_row(params![name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let (id, name, role) =
        row.ok_or_else(|| DbError::Missing(Missing::ActiveOperator(name.to_string())))?;
    Ok(Actor { id, name, role })
}

/// An operator as listed for admins (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Operator {
    pub id: i64,
    pub name: String,
    pub full_name: String,
    pub role: Role,
    pub active: bool,
    pub has_password: bool,
    pub failed_attempts: i64,
    pub locked_until: Option<String>,
    pub created_at: String,
}

/// The most operators a list shows; an office has a handful.
pub const LIST_LIMIT: i64 = 500;

fn operator_from_row(r: &crate::db::sql::Row) -> crate::db::sql::Result<Operator> {
    Ok(Operator {
        id: r.get(0)?,
        name: r.get(1)?,
        full_name: r.get(2)?,
        role: r.get(3)?,
        active: r.get(4)?,
        has_password: r.get(5)?,
        failed_attempts: r.get(6)?,
        locked_until: r.get(7)?,
        created_at: r.get(8)?,
    })
}

const OPERATOR_COLUMNS: &str = "id, name, full_name, role, active, password_hash IS NOT NULL, failed_attempts, locked_until, created_at";

/// Every operator, active first, by name. Admins only.
pub fn list(conn: &Connection, actor: &Actor) -> Result<Vec<Operator>, AuthError> {
    actor.require(Permission::ManageOperators)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {OPERATOR_COLUMNS} FROM operator ORDER BY active DESC, name LIMIT ?1"
    ))?;
    let rows = stmt.query_map(params![LIST_LIMIT], operator_from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// One operator by name, active or not.
pub fn find(conn: &Connection, name: &str) -> Result<Option<Operator>, DbError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {OPERATOR_COLUMNS} FROM operator WHERE name = ?1"
        ))?
        .query_row(params![name.trim()], operator_from_row)
        .optional()?)
}

/// A new operator as an admin enters it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewOperator {
    pub name: String,
    pub full_name: String,
    pub role: Role,
}

/// Adds an operator with a password (admins only). Names are unique regardless of case.
pub fn add(
    conn: &Connection,
    actor: &Actor,
    new: &NewOperator,
    password: &str,
) -> Result<i64, AuthError> {
    actor.require(Permission::ManageOperators)?;
    let name = new.name.trim();
    if name.is_empty() || name.chars().any(char::is_whitespace) {
        return Err(AuthError::InvalidName);
    }
    crate::domain::password::check_policy(name, password)?;
    let hash = super::auth::hash_password(password)?;
    let tx = super::immediate(conn)?;
    let id = tx.insert_returning_id(
        "INSERT INTO operator (name, full_name, role, password_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        params![name, new.full_name.trim(), new.role, hash, now_text()],
    )?;
    let after = NewOperator {
        name: name.to_string(),
        full_name: new.full_name.trim().to_string(),
        role: new.role,
    };
    audit::record(
        &tx,
        actor,
        audit::Action::Create,
        audit::Entity::Operator,
        &id.to_string(),
        None::<&()>,
        Some(&after),
    )?;
    tx.commit()?;
    Ok(id)
}

/// Disables or re-enables an operator (admins only). Operators are never deleted: audit rows
/// point at them. The last active admin cannot be disabled, nor can an admin disable themself.
pub fn set_active(
    conn: &Connection,
    actor: &Actor,
    name: &str,
    active: bool,
) -> Result<(), AuthError> {
    actor.require(Permission::ManageOperators)?;
    let tx = super::immediate(conn)?;
    let before = find(&tx, name)?
        .ok_or_else(|| DbError::Missing(Missing::Operator(name.trim().to_string())))?;
    if !active && before.id == actor.id {
        return Err(AuthError::SelfDisable);
    }
    if !active && before.role == Role::Admin && before.active && active_admins(&tx)? <= 1 {
        return Err(AuthError::LastAdmin);
    }
    tx.execute(
        "UPDATE operator SET active = ?2 WHERE id = ?1",
        params![before.id, active],
    )?;
    audit::record(
        &tx,
        actor,
        if active {
            audit::Action::Enable
        } else {
            audit::Action::Disable
        },
        audit::Entity::Operator,
        &before.id.to_string(),
        Some(&json!({"active": before.active})),
        Some(&json!({"active": active})),
    )?;
    tx.commit()?;
    Ok(())
}

/// Changes an operator's role (admins only); the last active admin keeps the admin role.
pub fn set_role(conn: &Connection, actor: &Actor, name: &str, role: Role) -> Result<(), AuthError> {
    actor.require(Permission::ManageOperators)?;
    let tx = super::immediate(conn)?;
    let before = find(&tx, name)?
        .ok_or_else(|| DbError::Missing(Missing::Operator(name.trim().to_string())))?;
    if before.role == Role::Admin
        && role != Role::Admin
        && before.active
        && active_admins(&tx)? <= 1
    {
        return Err(AuthError::LastAdmin);
    }
    tx.execute(
        "UPDATE operator SET role = ?2 WHERE id = ?1",
        params![before.id, role],
    )?;
    audit::record(
        &tx,
        actor,
        audit::Action::Role,
        audit::Entity::Operator,
        &before.id.to_string(),
        Some(&json!({"role": before.role})),
        Some(&json!({"role": role})),
    )?;
    tx.commit()?;
    Ok(())
}

/// Lifts a lockout after failed logins (admins only).
pub fn unlock(conn: &Connection, actor: &Actor, name: &str) -> Result<(), AuthError> {
    actor.require(Permission::ManageOperators)?;
    let tx = super::immediate(conn)?;
    let before = find(&tx, name)?
        .ok_or_else(|| DbError::Missing(Missing::Operator(name.trim().to_string())))?;
    tx.execute(
        "UPDATE operator SET failed_attempts = 0, locked_until = NULL WHERE id = ?1",
        params![before.id],
    )?;
    audit::record(
        &tx,
        actor,
        audit::Action::Unlock,
        audit::Entity::Operator,
        &before.id.to_string(),
        Some(
            &json!({"failed_attempts": before.failed_attempts, "locked_until": before.locked_until}),
        ),
        Some(&json!({"failed_attempts": 0, "locked_until": null})),
    )?;
    tx.commit()?;
    Ok(())
}

fn active_admins(conn: &Connection) -> Result<i64, DbError> {
    Ok(conn.query_row(
        "SELECT count(*) FROM operator WHERE role = 'admin' AND active = 1",
        [],
        |r| r.get(0),
    )?)
}
