//! Masuk (login) and passwords: argon2id hashes in `operator.password_hash` (PHC strings), the
//! lockout after repeated failures, and the audit rows of each attempt. Never stores, logs or
//! returns a password; never tells an unknown name apart from a wrong password.

use crate::db::sql::{Connection, OptionalExtension, params};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{Duration, NaiveDateTime};
use serde_json::json;
use thiserror::Error;

use super::settings::SettingKey;
use super::{DbError, Missing, audit, settings};
use crate::domain::access::{Actor, Permission, Role};
use crate::domain::password::{self, PasswordError};

/// How the operator came in; recorded with each login row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The login screen of the TUI.
    Tui,
    /// Unlocking the TUI after the idle lock.
    Unlock,
    /// A headless command (`--as NAME`).
    Cli,
}

impl Via {
    fn code(self) -> &'static str {
        match self {
            Via::Tui => "tui",
            Via::Unlock => "unlock",
            Via::Cli => "cli",
        }
    }
}

/// Why a login or an operator change did not happen (told by `ui::text::auth`).
#[derive(Debug, Error)]
pub enum AuthError {
    /// Unknown or disabled name, or a wrong password: the same words, so names can't be probed.
    #[error("wrong operator name or password ({remaining:?} attempts left)")]
    WrongCredentials { remaining: Option<i64> },
    #[error("account {name} locked until {until}")]
    Locked { name: String, until: String },
    #[error("operator {0} needs a password")]
    PasswordRequired(String),
    #[error("an operator name is one word")]
    InvalidName,
    #[error("an admin cannot disable their own account")]
    SelfDisable,
    #[error("the last active admin")]
    LastAdmin,
    #[error(transparent)]
    Policy(#[from] PasswordError),
    #[error(transparent)]
    Denied(#[from] crate::domain::access::AccessDenied),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<crate::db::sql::Error> for AuthError {
    fn from(e: crate::db::sql::Error) -> Self {
        AuthError::Db(e.into())
    }
}

/// Hashes a password with argon2id (the crate's defaults: 19 MiB, 2 passes, OWASP's minimum)
/// and a fresh 16-byte salt from the operating system.
pub fn hash_password(password: &str) -> Result<String, DbError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| DbError::Hash(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| DbError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DbError::Hash(e.to_string()))
}

/// True when `password` matches the PHC string `hash`; a malformed hash never matches.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// What login needs to know about an operator.
struct LoginRow {
    id: i64,
    name: String,
    role: Role,
    hash: Option<String>,
    failed: i64,
    locked_until: Option<String>,
}

const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// Whether the active operator `name` has a password (false for an unknown name, so the caller
/// still asks and login then refuses with the usual words).
pub fn needs_password(conn: &Connection, name: &str) -> Result<bool, DbError> {
    let hash: Option<Option<String>> = conn
        .prepare_cached("SELECT password_hash FROM operator WHERE name = ?1 AND active = 1")?
        .query_row(params![name], |r| r.get(0))
        .optional()?;
    Ok(match hash {
        Some(h) => h.is_some(),
        None => true,
    })
}

/// Logs `name` in at `now`. An operator with no password (demo databases) comes in without one.
/// After `login.max_failures` wrong passwords in a row the account is locked for
/// `login.lock_minutes`. Every attempt writes an audit row, committed even when login fails.
pub fn login(
    conn: &Connection,
    name: &str,
    password: Option<&str>,
    via: Via,
    now: NaiveDateTime,
) -> Result<Actor, AuthError> {
    // IMMEDIATE: two terminals failing at once must both count.
    let tx = super::immediate(conn)?;
    let row: Option<LoginRow> = tx
        .prepare_cached(
            "SELECT id, name, role, password_hash, failed_attempts, locked_until
             FROM operator WHERE name = ?1 AND active = 1",
        )?
        .query_row(params![name.trim()], |r| {
            Ok(LoginRow {
                id: r.get(0)?,
                name: r.get(1)?,
                role: r.get(2)?,
                hash: r.get(3)?,
                failed: r.get(4)?,
                locked_until: r.get(5)?,
            })
        })
        .optional()?;
    let Some(row) = row else {
        record_unverified(
            &tx,
            name.trim(),
            audit::Action::LoginFailed,
            audit::Entity::Operator,
            "",
            json!({"via": via.code(), "reason": "unknown"}),
        )?;
        tx.commit()?;
        return Err(AuthError::WrongCredentials { remaining: None });
    };
    let actor = Actor {
        id: row.id,
        name: row.name.clone(),
        role: row.role,
    };
    let id = row.id.to_string();
    if let Some(until) = row.locked_until.as_deref() {
        let until_time =
            NaiveDateTime::parse_from_str(until, TIME_FORMAT).map_err(|_| DbError::Unreadable {
                column: "operator.locked_until",
                value: until.to_string(),
            })?;
        let still_locked = until_time > now;
        if still_locked {
            audit::record(
                &tx,
                &actor,
                audit::Action::LoginLocked,
                audit::Entity::Operator,
                &id,
                None::<&()>,
                Some(&json!({"via": via.code(), "locked_until": until})),
            )?;
            tx.commit()?;
            return Err(AuthError::Locked {
                name: actor.name,
                until: until.to_string(),
            });
        }
    }
    let ok = match (&row.hash, password) {
        (None, _) => true,
        (Some(hash), Some(pw)) => verify_password(hash, pw),
        (Some(_), None) => false,
    };
    if ok {
        if row.failed != 0 || row.locked_until.is_some() {
            tx.execute(
                "UPDATE operator SET failed_attempts = 0, locked_until = NULL WHERE id = ?1",
                params![row.id],
            )?;
        }
        audit::record(
            &tx,
            &actor,
            audit::Action::Login,
            audit::Entity::Operator,
            &id,
            None::<&()>,
            Some(&json!({"via": via.code()})),
        )?;
        tx.commit()?;
        return Ok(actor);
    }
    let max = settings::get_i64(&tx, SettingKey::LoginMaxFailures)?.max(1);
    let failed = row.failed + 1;
    if failed >= max {
        let minutes = settings::get_i64(&tx, SettingKey::LoginLockMinutes)?.max(1);
        let until = (now + Duration::minutes(minutes))
            .format(TIME_FORMAT)
            .to_string();
        tx.execute(
            "UPDATE operator SET failed_attempts = 0, locked_until = ?2 WHERE id = ?1",
            params![row.id, until],
        )?;
        audit::record(
            &tx,
            &actor,
            audit::Action::LoginFailed,
            audit::Entity::Operator,
            &id,
            None::<&()>,
            Some(&json!({"via": via.code(), "failures": failed, "locked_until": until})),
        )?;
        tx.commit()?;
        return Err(AuthError::Locked {
            name: actor.name,
            until,
        });
    }
    tx.execute(
        "UPDATE operator SET failed_attempts = ?2 WHERE id = ?1",
        params![row.id, failed],
    )?;
    audit::record(
        &tx,
        &actor,
        audit::Action::LoginFailed,
        audit::Entity::Operator,
        &id,
        None::<&()>,
        Some(&json!({"via": via.code(), "failures": failed})),
    )?;
    tx.commit()?;
    Err(AuthError::WrongCredentials {
        remaining: Some(max - failed),
    })
}

/// Sets operator `name`'s password. An admin may set anyone's; every operator may set their own.
/// The audit row says that it changed, never what to.
pub fn set_password(
    conn: &Connection,
    actor: &Actor,
    name: &str,
    new_password: &str,
) -> Result<(), AuthError> {
    if !actor.name.eq_ignore_ascii_case(name.trim()) {
        actor.require(Permission::ManageOperators)?;
    }
    password::check_policy(name, new_password)?;
    let hash = hash_password(new_password)?;
    let tx = super::immediate(conn)?;
    let row: Option<(i64, bool)> = tx
        .query_row(
            "SELECT id, password_hash IS NOT NULL FROM operator WHERE name = ?1",
            params![name.trim()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (id, had) =
        row.ok_or_else(|| DbError::Missing(Missing::Operator(name.trim().to_string())))?;
    tx.execute(
        "UPDATE operator SET password_hash = ?2, failed_attempts = 0, locked_until = NULL WHERE id = ?1",
        params![id, hash],
    )?;
    audit::record(
        &tx,
        actor,
        audit::Action::PasswordSet,
        audit::Entity::Operator,
        &id.to_string(),
        Some(&json!({"has_password": had})),
        Some(&json!({"has_password": true})),
    )?;
    tx.commit()?;
    Ok(())
}

/// An audit row whose operator was not verified (a login with an unknown name, a restore whose
/// operator is not in the restored database): `operator_id` stays NULL, the name typed is kept.
pub fn record_unverified(
    conn: &Connection,
    operator_name: &str,
    action: audit::Action,
    entity: audit::Entity,
    entity_id: &str,
    after: serde_json::Value,
) -> Result<(), DbError> {
    audit::record_unverified(conn, operator_name, action, entity, entity_id, after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_salted_argon2id_and_verify() {
        let a = hash_password("rahasia123").unwrap();
        let b = hash_password("rahasia123").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify_password(&a, "rahasia123"));
        assert!(!verify_password(&a, "rahasia124"));
        assert!(!verify_password("not a hash", "rahasia123"));
    }
}
