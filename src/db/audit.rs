//! Jejak audit: who changed what, when, with the values before and after. Every write function
//! calls `record` inside the transaction of its change, so a change and its audit row land or
//! fail together. Rows are append-only (triggers refuse UPDATE and DELETE) and chained: each
//! row's `chain` is SHA-256 over the previous row's chain and its own fields, so a row changed,
//! removed or slipped in behind the triggers' back (an edited backup) breaks the chain there,
//! and `verify_chain` names the first such row. Never rewrites a row.

use crate::db::sql::types::ValueRef;
use crate::db::sql::{Connection, Dialect, OptionalExtension, params};
use rusqlite::functions::FunctionFlags;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::codes::{CodeKind, sql_code};
use super::{DbError, now_text};
use crate::domain::access::Actor;

/// What was done, as `audit_log.action` stores it. Older actions are plain verbs, later ones are
/// prefixed with their entity; both stay as written, since stored rows keep them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "&'static str")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Delete,
    Enable,
    Disable,
    Role,
    Unlock,
    Login,
    LoginFailed,
    LoginLocked,
    PasswordSet,
    Backup,
    Restore,
    Record,
    Export,
    Import,
    ViewNik,
    SearchExport,
    /// A document made as PDF (and sent to a printer): whose data, which file (issue 17).
    Print,
    #[strum(serialize = "enrollment.create")]
    EnrollmentCreate,
    #[strum(serialize = "enrollment.withdraw")]
    EnrollmentWithdraw,
    #[strum(serialize = "enrollment.promote")]
    EnrollmentPromote,
    #[strum(serialize = "enrollment.outcome")]
    EnrollmentOutcome,
    #[strum(serialize = "enrollment.followup")]
    EnrollmentFollowup,
    #[strum(serialize = "coverage.submit")]
    CoverageSubmit,
    #[strum(serialize = "coverage.activate")]
    CoverageActivate,
    #[strum(serialize = "coverage.reject")]
    CoverageReject,
    #[strum(serialize = "coverage.programs")]
    CoveragePrograms,
    #[strum(serialize = "coverage.correct")]
    CoverageCorrect,
    #[strum(serialize = "cohort.create")]
    CohortCreate,
    #[strum(serialize = "cohort.dates")]
    CohortDates,
    #[strum(serialize = "cohort.status")]
    CohortStatus,
    #[strum(serialize = "cohort.edit")]
    CohortEdit,
    /// An office's database moved onto the PostgreSQL server (`loket migrate --to`, issue 18).
    #[strum(serialize = "database.move")]
    DatabaseMove,
}

/// What an audit row is about, as `audit_log.entity` stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "&'static str")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Entity {
    Operator,
    Resident,
    Cohort,
    Enrollment,
    Coverage,
    Attendance,
    Setting,
    Holiday,
    Instructor,
    Target,
    Database,
    BpjsList,
    Report,
    Course,
    Venue,
}

impl Action {
    /// The stored word.
    pub fn code(self) -> &'static str {
        self.into()
    }
}

impl Entity {
    /// The stored word.
    pub fn code(self) -> &'static str {
        self.into()
    }
}

sql_code!(Action => CodeKind::AuditAction, Entity => CodeKind::AuditEntity);

/// Appends one audit row. `before`/`after` are serialised to JSON; `None` for a creation or a
/// deletion, or for events such as showing a full NIK.
pub fn record<B: Serialize, A: Serialize>(
    conn: &Connection,
    actor: &Actor,
    action: Action,
    entity: Entity,
    entity_id: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<(), DbError> {
    append(
        conn,
        &Fields {
            at: now_text(),
            operator_id: Some(actor.id),
            operator_name: actor.name.clone(),
            action,
            entity,
            entity_id: entity_id.to_string(),
            before: before.map(json),
            after: after.map(json),
            counter: conn.counter().map(|c| c.to_string()),
        },
    )
}

/// Records an event with no before/after values (e.g. a full NIK shown on screen).
pub fn event(
    conn: &Connection,
    actor: &Actor,
    action: Action,
    entity: Entity,
    entity_id: &str,
) -> Result<(), DbError> {
    record::<(), ()>(conn, actor, action, entity, entity_id, None, None)
}

/// Appends a row for an operator this database does not know (a failed login's name, the
/// restorer of a database that lacks them): no operator id.
pub(crate) fn record_unverified(
    conn: &Connection,
    operator_name: &str,
    action: Action,
    entity: Entity,
    entity_id: &str,
    after: serde_json::Value,
) -> Result<(), DbError> {
    append(
        conn,
        &Fields {
            at: now_text(),
            operator_id: None,
            operator_name: operator_name.to_string(),
            action,
            entity,
            entity_id: entity_id.to_string(),
            before: None,
            after: Some(after.to_string()),
            counter: conn.counter().map(|c| c.to_string()),
        },
    )
}

/// What an audit row says, as the chain hashes it.
struct Fields {
    at: String,
    operator_id: Option<i64>,
    operator_name: String,
    action: Action,
    entity: Entity,
    entity_id: String,
    before: Option<String>,
    after: Option<String>,
    /// The desk (`36.03.04/Loket 1`) when the PC has one set (schema 7); chained when set.
    counter: Option<String>,
}

/// An audit row of another database, carried onto this one's chain (`db::office_move`): its
/// codes as stored there, its ids already turned into this database's.
pub(crate) struct MovedRow {
    pub at: String,
    pub operator_id: Option<i64>,
    pub operator_name: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub counter: Option<String>,
}

/// Appends `row` with the next id and its link in this database's chain.
pub(crate) fn append_moved(conn: &Connection, row: MovedRow) -> Result<(), DbError> {
    let unknown = |kind, value: &str| DbError::UnknownCode {
        kind,
        value: value.to_string(),
    };
    append(
        conn,
        &Fields {
            action: row
                .action
                .parse()
                .map_err(|_| unknown(CodeKind::AuditAction, &row.action))?,
            entity: row
                .entity
                .parse()
                .map_err(|_| unknown(CodeKind::AuditEntity, &row.entity))?,
            at: row.at,
            operator_id: row.operator_id,
            operator_name: row.operator_name,
            entity_id: row.entity_id,
            before: row.before,
            after: row.after,
            counter: row.counter,
        },
    )
}

/// The advisory lock key that orders appends to the chain on PostgreSQL ("LOKTAUDT").
const AUDIT_CHAIN_LOCK: i64 = 0x4C4F_4B54_4155_4454;

/// Appends a row with the next id and its link in the chain. The previous row (the highest id)
/// and the new one are read and written under one write lock: the caller's transaction, or one
/// taken here, so two writers can never chain to the same row. On PostgreSQL, whose writers
/// do not exclude each other, that lock is a transaction-level advisory lock, taken last in
/// every transaction (after its row locks), so it adds no lock-order cycle.
fn append(conn: &Connection, row: &Fields) -> Result<(), DbError> {
    let own = match conn.is_autocommit() {
        true => Some(super::immediate(conn)?),
        false => None,
    };
    if conn.dialect() == Dialect::Postgres {
        conn.prepare_cached("SELECT pg_advisory_xact_lock(?1)")?
            .execute([AUDIT_CHAIN_LOCK])?;
    }
    let (last_id, last_chain): (i64, Option<String>) = conn
        .prepare_cached("SELECT id, chain FROM audit_log ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, None));
    let id = last_id + 1;
    let mut fields = vec![
        ValueRef::Integer(id),
        ValueRef::Text(row.at.as_bytes()),
        row.operator_id.map_or(ValueRef::Null, ValueRef::Integer),
        ValueRef::Text(row.operator_name.as_bytes()),
        ValueRef::Text(row.action.code().as_bytes()),
        ValueRef::Text(row.entity.code().as_bytes()),
        ValueRef::Text(row.entity_id.as_bytes()),
        row.before
            .as_deref()
            .map_or(ValueRef::Null, |t| ValueRef::Text(t.as_bytes())),
        row.after
            .as_deref()
            .map_or(ValueRef::Null, |t| ValueRef::Text(t.as_bytes())),
    ];
    if let Some(counter) = &row.counter {
        fields.push(ValueRef::Text(counter.as_bytes()));
    }
    let chain = link(last_chain.as_deref().unwrap_or(""), &fields);
    conn.prepare_cached(
        "INSERT INTO audit_log (id, at, operator_id, operator_name, action, entity, entity_id, before_json, after_json, chain, counter)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        id,
        row.at,
        row.operator_id,
        row.operator_name,
        row.action,
        row.entity,
        row.entity_id,
        row.before,
        row.after,
        chain,
        row.counter,
    ])?;
    if let Some(tx) = own {
        tx.commit()?;
    }
    Ok(())
}

/// The columns of a row the chain covers, in this order, after the previous row's chain; then
/// the counter, when the row has one (schema 7), so older rows keep their links.
const CHAINED: &str =
    "id, at, operator_id, operator_name, action, entity, entity_id, before_json, after_json";

/// One link: SHA-256 (lowercase hex) over the previous row's chain and this row's fields, each
/// field framed with its type and length so no two rows hash alike by shifting text between
/// fields.
pub fn link(previous: &str, fields: &[ValueRef<'_>]) -> String {
    let mut hash = Sha256::new();
    frame(&mut hash, ValueRef::Text(previous.as_bytes()));
    for field in fields {
        frame(&mut hash, *field);
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(64);
    for b in hash.finalize() {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

fn frame(hash: &mut Sha256, value: ValueRef<'_>) {
    match value {
        ValueRef::Null => hash.update([0u8]),
        ValueRef::Integer(i) => {
            hash.update([1u8]);
            hash.update(i.to_le_bytes());
        }
        ValueRef::Real(f) => {
            hash.update([2u8]);
            hash.update(f.to_le_bytes());
        }
        ValueRef::Text(t) => {
            hash.update([3u8]);
            hash.update((t.len() as u64).to_le_bytes());
            hash.update(t);
        }
        ValueRef::Blob(b) => {
            hash.update([4u8]);
            hash.update((b.len() as u64).to_le_bytes());
            hash.update(b);
        }
    }
}

/// `loket_audit_link(previous, id, at, ...)`: [`link`] in SQL, for the migration that chains the
/// rows written before the chain existed.
pub(crate) fn register_chain_function(conn: &rusqlite::Connection) -> Result<(), DbError> {
    conn.create_scalar_function(
        "loket_audit_link",
        10,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let previous = ctx.get::<String>(0)?;
            let fields: Vec<ValueRef<'_>> = (1..ctx.len())
                .map(|i| match ctx.get_raw(i) {
                    rusqlite::types::ValueRef::Null => ValueRef::Null,
                    rusqlite::types::ValueRef::Integer(v) => ValueRef::Integer(v),
                    rusqlite::types::ValueRef::Real(v) => ValueRef::Real(v),
                    rusqlite::types::ValueRef::Text(v) => ValueRef::Text(v),
                    rusqlite::types::ValueRef::Blob(v) => ValueRef::Blob(v),
                })
                .collect();
            Ok(link(&previous, &fields))
        },
    )?;
    Ok(())
}

/// Where the chain breaks: the first row (by id) whose `chain` does not follow from the row
/// before it and its own fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BrokenLink {
    /// `audit_log.id` of that row.
    pub id: i64,
}

/// Walks the whole trail in id order; `None` when every row follows from the one before.
pub fn verify_chain(conn: &Connection) -> Result<Option<BrokenLink>, DbError> {
    // A backup from before schema 7 has no counter column.
    let counter = match has_counter(conn)? {
        true => "counter",
        false => "NULL",
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT chain, {CHAINED}, {counter} FROM audit_log ORDER BY id"
    ))?;
    let mut rows = stmt.query([])?;
    let mut previous = String::new();
    while let Some(row) = rows.next()? {
        let mut fields: Vec<ValueRef<'_>> =
            (1..=9).map(|i| row.get_ref(i)).collect::<Result<_, _>>()?;
        match row.get_ref(10)? {
            ValueRef::Null => {}
            counter => fields.push(counter),
        }
        let expected = link(&previous, &fields);
        let stored: Option<String> = row.get(0)?;
        if stored.as_deref() != Some(expected.as_str()) {
            return Ok(Some(BrokenLink { id: row.get(1)? }));
        }
        previous = expected;
    }
    Ok(None)
}

/// Whether the trail has the counter column (schema 7 on; PostgreSQL's schema starts there).
fn has_counter(conn: &Connection) -> Result<bool, DbError> {
    if conn.dialect() == Dialect::Postgres {
        return Ok(true);
    }
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM pragma_table_info('audit_log') WHERE name = 'counter'",
        [],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// Plain data always serialises; were it ever to fail, the audit row still says so rather than
/// the change being lost.
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// One audit row as the audit browser and `loket audit` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub operator_id: Option<i64>,
    pub operator_name: String,
    pub action: Action,
    pub entity: Entity,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// What to show of the audit trail; `None` fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Operator name, exact (any case).
    pub operator: Option<String>,
    /// Entity: `operator`, `setting`, `resident`, `enrollment`...
    pub entity: Option<Entity>,
    /// From this day on (inclusive).
    pub from: Option<chrono::NaiveDate>,
    /// Up to this day (inclusive).
    pub to: Option<chrono::NaiveDate>,
}

/// The most rows one page may ask for.
pub const MAX_PAGE: i64 = 1000;

/// One page of the audit trail, newest first (supervisors). Keyset paging: pass the smallest id
/// of the previous page as `before_id` for the next, so a page costs the same at any depth.
pub fn list(
    conn: &Connection,
    actor: &Actor,
    filter: &AuditFilter,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRow>, super::auth::AuthError> {
    actor.require(crate::domain::access::Permission::ViewAudit)?;
    let from = filter.from.map(|d| d.format("%Y-%m-%d").to_string());
    // `at` is 'YYYY-MM-DD HH:MM:SS': everything on day `to` sorts below the next day.
    let to = filter
        .to
        .and_then(|d| d.succ_opt())
        .map(|d| d.format("%Y-%m-%d").to_string());
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, operator_id, operator_name, action, entity, entity_id, before_json, after_json
         FROM audit_log
         WHERE (lower(operator_name) = lower(?1) OR ?1 IS NULL)
           AND (entity = ?2 OR ?2 IS NULL)
           AND (at >= ?3 OR ?3 IS NULL)
           AND (at < ?4 OR ?4 IS NULL)
           AND (id < ?5 OR ?5 IS NULL)
         ORDER BY id DESC
         LIMIT ?6",
    )?;
    let rows = stmt.query_map(
        params![
            filter
                .operator
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty()),
            filter.entity,
            from,
            to,
            before_id,
            limit.clamp(1, MAX_PAGE)
        ],
        |r| {
            Ok(AuditRow {
                id: r.get(0)?,
                at: r.get(1)?,
                operator_id: r.get(2)?,
                operator_name: r.get(3)?,
                action: r.get(4)?,
                entity: r.get(5)?,
                entity_id: r.get(6)?,
                before: r.get(7)?,
                after: r.get(8)?,
            })
        },
    )?;
    Ok(rows.collect::<Result<Vec<_>, _>>().map_err(DbError::from)?)
}
