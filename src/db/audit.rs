//! Jejak audit: who changed what, when, with the values before and after. Every write function
//! calls `record` inside the transaction of its change, so a change and its audit row land or
//! fail together. Rows are append-only (triggers refuse UPDATE and DELETE).

use rusqlite::{Connection, params};
use serde::Serialize;

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
    #[strum(serialize = "cohort.create")]
    CohortCreate,
    #[strum(serialize = "cohort.dates")]
    CohortDates,
    #[strum(serialize = "cohort.status")]
    CohortStatus,
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
    action: Action,
    entity: Entity,
    entity_id: &str,
) -> Result<(), DbError> {
    record::<(), ()>(conn, actor, action, entity, entity_id, None, None)
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
         WHERE (?1 IS NULL OR operator_name = ?1 COLLATE NOCASE)
           AND (?2 IS NULL OR entity = ?2)
           AND (?3 IS NULL OR at >= ?3)
           AND (?4 IS NULL OR at < ?4)
           AND (?5 IS NULL OR id < ?5)
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
