//! Jejak audit: who changed what, when, with the values before and after. Every write function
//! calls `record` inside the transaction of its change, so a change and its audit row land or
//! fail together. Rows are append-only (triggers refuse UPDATE and DELETE).

use rusqlite::{Connection, params};
use serde::Serialize;

use super::{DbError, now_text};
use crate::domain::access::Actor;

/// Appends one audit row. `before`/`after` are serialised to JSON; `None` for a creation or a
/// deletion, or for events such as showing a full NIK.
pub fn record<B: Serialize, A: Serialize>(
    conn: &Connection,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at, operator_id, operator_name, action, entity, entity_id, before_json, after_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        now_text(),
        actor.id,
        actor.name,
        action,
        entity,
        entity_id,
        before.map(json),
        after.map(json),
    ])?;
    Ok(())
}

/// Records an event with no before/after values (e.g. a full NIK shown on screen).
pub fn event(
    conn: &Connection,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: &str,
) -> Result<(), DbError> {
    record::<(), ()>(conn, actor, action, entity, entity_id, None, None)
}

/// Plain data always serialises; were it ever to fail, the audit row still says so rather than
/// the change being lost.
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
