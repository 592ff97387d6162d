//! Moving an office up (issue 18): one office's SQLite database onto the kabupaten's PostgreSQL
//! server (`loket migrate --to postgres://...`), in one transaction on the server, so a move that
//! fails leaves the server as it was.
//!
//! - **The first office** (a server with no residents, cohorts, enrollments or audit rows):
//!   every table is copied as it is, ids and all, over the reference data `init` put there; the
//!   audit trail keeps its chain, so `loket check` verifies it on the server as it did on the
//!   file.
//! - **Every later office** is merged: regions, holidays, targets and settings the server lacks
//!   are added; operators, courses and venues are matched by name or code; residents by NIK. A
//!   resident the server already holds under that NIK with other data (name, birth date, ...) is
//!   a *conflict*: the server's record stays as it is, the office's enrollments follow the NIK,
//!   and the differences are reported (as the import reports its rejects). Cohorts are the
//!   Disnaker's: an office's cohort whose code the server already has refuses the whole move, as
//!   does a certificate number the server has given already. The office's audit rows are
//!   appended to the server's chain in their order, with the server's ids.
//!
//! Either way the counts are verified before the commit, counters may keep working on the server
//! meanwhile (their writes wait for the move's table locks), and the move is recorded in the
//! server's audit trail.

use std::collections::HashMap;
use std::rc::Rc;

use serde::Serialize;
use thiserror::Error;

use super::audit::{self, Action, Entity};
use super::sql::types::Value;
use super::sql::{Connection, Dialect, OptionalExtension, params_from_iter};
use super::{DbError, pg_schema};

/// Why a move did not happen; the server was not changed.
#[derive(Debug, Error)]
pub enum MoveError {
    #[error(transparent)]
    Db(#[from] DbError),
    /// The office's cohorts whose codes the server already has.
    #[error("cohort codes already on the server: {0:?}")]
    CohortCodesTaken(Vec<String>),
    /// Certificate numbers of the office the server has given already.
    #[error("certificate numbers already on the server: {0:?}")]
    CertificatesTaken(Vec<String>),
    /// The office's audit trail does not verify from this row on; it is not carried over.
    #[error("the office's audit trail is broken at row {0}")]
    SourceChainBroken(i64),
    /// After copying, the server does not hold what it should (a bug; rolled back).
    #[error("{table}: {expected} rows expected on the server, {found} found")]
    CountsDiffer {
        table: &'static str,
        expected: i64,
        found: i64,
    },
}

impl From<super::sql::Error> for MoveError {
    fn from(e: super::sql::Error) -> Self {
        MoveError::Db(e.into())
    }
}

/// What a move did, table by table.
#[derive(Debug, Clone, Serialize)]
pub struct MoveReport {
    /// The server, as `postgres://user@host:port/db`.
    pub server: String,
    /// False for the first office (copied as it is), true for a merge.
    pub merged: bool,
    pub tables: Vec<TableMove>,
    /// Residents the server holds under the same NIK with other data (kept as the server has
    /// them).
    pub conflicts: Vec<ResidentConflict>,
}

/// One table: rows in the office's file, rows added to the server, rows matched to what the
/// server had (same code, name or NIK).
#[derive(Debug, Clone, Serialize)]
pub struct TableMove {
    pub table: &'static str,
    pub office: i64,
    pub added: i64,
    pub matched: i64,
}

/// A NIK the server holds with other data than the office's file.
#[derive(Debug, Clone, Serialize)]
pub struct ResidentConflict {
    pub nik: String,
    pub differences: Vec<FieldDifference>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldDifference {
    pub field: &'static str,
    pub office: String,
    pub server: String,
}

/// The tables a move carries, parents before children.
pub const TABLES: [&str; 17] = [
    "province",
    "regency",
    "district",
    "village",
    "holiday",
    "operator",
    "course",
    "venue",
    "instructor",
    "cohort",
    "resident",
    "enrollment",
    "coverage",
    "attendance",
    "target",
    "setting",
    "audit_log",
];

/// The tables whose ids come from an identity column on PostgreSQL.
const WITH_IDS: [&str; 8] = [
    "operator",
    "course",
    "venue",
    "instructor",
    "cohort",
    "resident",
    "enrollment",
    "audit_log",
];

/// The resident fields that must agree for two records under one NIK to be the same person's.
const RESIDENT_FIELDS: [&str; 10] = [
    "name",
    "kk",
    "sex",
    "birth_place",
    "birth_date",
    "address",
    "rt",
    "rw",
    "village_code",
    "phone",
];

/// Moves the office database `office` (SQLite, read only) onto the server `server`, which has
/// loket's schema (`loket --db ... init`) or none yet (then it is made). `mover` is the operator
/// doing it, for the server's audit trail. `progress` hears each table as it starts.
pub fn move_office(
    office: &Connection,
    server: &Connection,
    office_name: &str,
    mover: &str,
    mut progress: impl FnMut(&str),
) -> Result<MoveReport, MoveError> {
    debug_assert_eq!(server.dialect(), Dialect::Postgres);
    if let Some(broken) = audit::verify_chain(office)? {
        return Err(MoveError::SourceChainBroken(broken.id));
    }
    if pg_schema::version(server)?.is_none() {
        pg_schema::migrate(server)?;
        super::load_reference(server)?;
    } else {
        pg_schema::migrate(server)?;
    }
    let tx = server.transaction()?;
    // Counters go on reading; their writes wait until the move commits or rolls back. A second
    // move waits for the first.
    tx.execute_batch(
        "LOCK TABLE operator, course, venue, instructor, cohort, resident, enrollment, coverage,
                    attendance, target, setting, holiday, audit_log IN EXCLUSIVE MODE",
    )?;
    let merged = !is_fresh(&tx)?;
    let mut report = MoveReport {
        server: String::new(),
        merged,
        tables: Vec::new(),
        conflicts: Vec::new(),
    };
    if merged {
        Merge::new(office, &tx).run(&mut report, &mut progress)?;
    } else {
        copy_all(office, &tx, &mut report, &mut progress)?;
    }
    audit::record_unverified(
        &tx,
        mover,
        Action::DatabaseMove,
        Entity::Database,
        office_name,
        serde_json::json!({
            "office": office_name,
            "merged": merged,
            "tables": report.tables,
            "conflicts": report.conflicts.len(),
        }),
    )?;
    tx.commit()?;
    Ok(report)
}

/// A server that holds no office's work yet: only what `init` put there.
fn is_fresh(server: &Connection) -> Result<bool, DbError> {
    for table in ["resident", "cohort", "enrollment", "audit_log"] {
        if count(server, table)? > 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

fn count(conn: &Connection, table: &str) -> Result<i64, DbError> {
    Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
}

/// One row as read, by column name.
struct Record {
    columns: Rc<[String]>,
    values: Vec<Value>,
}

impl Record {
    fn get(&self, column: &str) -> &Value {
        self.columns
            .iter()
            .position(|c| c == column)
            .map_or(&Value::Null, |i| &self.values[i])
    }

    fn set(&mut self, column: &str, value: Value) {
        if let Some(i) = self.columns.iter().position(|c| c == column) {
            self.values[i] = value;
        }
    }

    fn id(&self) -> i64 {
        match self.get("id") {
            Value::Integer(id) => *id,
            _ => 0,
        }
    }

    /// The columns and values but `id`, for an insert that lets the server number the row.
    fn without_id(&self) -> (Vec<&str>, Vec<&Value>) {
        self.columns
            .iter()
            .zip(&self.values)
            .filter(|(c, _)| c.as_str() != "id")
            .map(|(c, v)| (c.as_str(), v))
            .unzip()
    }
}

/// Calls `each` with every row of `sql` on the office's file, in its order.
fn each_row(
    office: &Connection,
    sql: &str,
    mut each: impl FnMut(Record) -> Result<(), MoveError>,
) -> Result<i64, MoveError> {
    let mut stmt = office.prepare(sql)?;
    let columns: Rc<[String]> = stmt.column_names().into();
    let mut rows = stmt.query([])?;
    let mut n = 0;
    while let Some(row) = rows.next()? {
        let values = (0..columns.len())
            .map(|i| row.get_ref(i).map(Value::from))
            .collect::<Result<Vec<_>, _>>()?;
        each(Record {
            columns: Rc::clone(&columns),
            values,
        })?;
        n += 1;
    }
    Ok(n)
}

/// Rows inserted a few hundred at a time (one statement each, far fewer round trips to the
/// server than one per row).
struct Batch<'c> {
    server: &'c Connection,
    table: &'static str,
    tail: &'static str,
    columns: Rc<[String]>,
    rows: Vec<Vec<Value>>,
    /// Rows the server took so far (`ON CONFLICT DO NOTHING` skips some).
    inserted: i64,
}

/// At most this many rows per statement (a resident has 24 columns: 9,600 parameters, well
/// under PostgreSQL's 65,535).
const BATCH_ROWS: usize = 400;

impl<'c> Batch<'c> {
    fn new(server: &'c Connection, table: &'static str, tail: &'static str) -> Batch<'c> {
        Batch {
            server,
            table,
            tail,
            columns: Rc::from(Vec::new()),
            rows: Vec::with_capacity(BATCH_ROWS),
            inserted: 0,
        }
    }

    fn push(&mut self, row: Record) -> Result<(), MoveError> {
        self.columns = row.columns;
        self.rows.push(row.values);
        if self.rows.len() == BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    /// Sends what is waiting; the rows inserted so far.
    fn flush(&mut self) -> Result<i64, MoveError> {
        if !self.rows.is_empty() {
            let width = self.columns.len();
            let values: Vec<String> = (0..self.rows.len())
                .map(|r| {
                    let marks: Vec<String> =
                        (1..=width).map(|c| format!("?{}", r * width + c)).collect();
                    format!("({})", marks.join(", "))
                })
                .collect();
            let sql = format!(
                "INSERT INTO {} ({}) VALUES {}{}",
                self.table,
                self.columns.join(", "),
                values.join(", "),
                self.tail
            );
            let stmt = match self.rows.len() {
                BATCH_ROWS => self.server.prepare_cached(&sql),
                _ => self.server.prepare(&sql),
            };
            self.inserted += stmt?.execute(params_from_iter(self.rows.iter().flatten()))? as i64;
            self.rows.clear();
        }
        Ok(self.inserted)
    }
}

fn insert_sql(table: &str, columns: &[&str], tail: &str) -> String {
    let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({}){tail}",
        columns.join(", "),
        marks.join(", ")
    )
}

/// The first office: the server's reference rows give way to the office's, then every table
/// is copied as it is and the identity columns continue after the copied ids.
fn copy_all(
    office: &Connection,
    server: &Connection,
    report: &mut MoveReport,
    progress: &mut impl FnMut(&str),
) -> Result<(), MoveError> {
    for table in TABLES.iter().rev() {
        if *table != "audit_log" {
            server.execute(&format!("DELETE FROM {table}"), [])?;
        }
    }
    for table in TABLES {
        progress(table);
        let mut batch = Batch::new(server, table, "");
        let copied = each_row(office, &format!("SELECT * FROM {table}"), |row| {
            batch.push(row)
        })?;
        batch.flush()?;
        report.tables.push(TableMove {
            table,
            office: copied,
            added: copied,
            matched: 0,
        });
    }
    for table in WITH_IDS {
        server.query_row(
            &format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                               (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            ),
            [],
            |_| Ok(()),
        )?;
    }
    for moved in &report.tables {
        let found = count(server, moved.table)?;
        if found != moved.office {
            return Err(MoveError::CountsDiffer {
                table: moved.table,
                expected: moved.office,
                found,
            });
        }
    }
    Ok(())
}

/// Office ids to server ids, per table.
#[derive(Default)]
struct Ids(HashMap<&'static str, HashMap<i64, i64>>);

impl Ids {
    fn put(&mut self, table: &'static str, office: i64, server: i64) {
        self.0.entry(table).or_default().insert(office, server);
    }

    /// The server's id for an office id (NULL stays NULL; an id the office's own foreign keys
    /// guarantee is always there).
    fn of(&self, table: &str, office: &Value) -> Value {
        match office {
            Value::Integer(id) => self
                .0
                .get(table)
                .and_then(|m| m.get(id))
                .map_or(Value::Null, |id| Value::Integer(*id)),
            _ => Value::Null,
        }
    }
}

/// A later office merged into a server that has others' work.
struct Merge<'a> {
    office: &'a Connection,
    server: &'a Connection,
    ids: Ids,
}

impl<'a> Merge<'a> {
    fn new(office: &'a Connection, server: &'a Connection) -> Merge<'a> {
        Merge {
            office,
            server,
            ids: Ids::default(),
        }
    }

    fn run(
        mut self,
        report: &mut MoveReport,
        progress: &mut impl FnMut(&str),
    ) -> Result<(), MoveError> {
        self.refuse_clashes()?;
        let before: Vec<i64> = TABLES
            .iter()
            .map(|t| count(self.server, t))
            .collect::<Result<_, _>>()?;
        for table in TABLES {
            progress(table);
            let moved = match table {
                "province" | "regency" | "district" | "village" | "holiday" | "target"
                | "setting" => self.add_missing(table)?,
                "operator" => self.matched_by(table, "lower(name) = lower(?1)", &["name"])?,
                "course" | "venue" => self.matched_by(table, "code = ?1", &["code"])?,
                "instructor" => self.matched_by(
                    table,
                    "lower(name) = lower(?1) AND course_code IS NOT DISTINCT FROM ?2",
                    &["name", "course_code"],
                )?,
                "resident" => self.residents(&mut report.conflicts)?,
                "audit_log" => self.audit()?,
                _ => self.children(table)?,
            };
            report.tables.push(moved);
        }
        for (moved, before) in report.tables.iter().zip(before) {
            let found = count(self.server, moved.table)?;
            if found != before + moved.added {
                return Err(MoveError::CountsDiffer {
                    table: moved.table,
                    expected: before + moved.added,
                    found,
                });
            }
        }
        Ok(())
    }

    /// Cohort codes and certificate numbers the server has already: the move is refused.
    fn refuse_clashes(&self) -> Result<(), MoveError> {
        let taken = |sql_office: &str, sql_server: &str| -> Result<Vec<String>, MoveError> {
            let mut taken = Vec::new();
            let mut check = self.server.prepare(sql_server)?;
            each_row(self.office, sql_office, |row| {
                if let Value::Text(code) = row.get("code")
                    && check.exists([code.as_str()])?
                {
                    taken.push(code.clone());
                }
                Ok(())
            })?;
            Ok(taken)
        };
        let cohorts = taken(
            "SELECT code FROM cohort ORDER BY code",
            "SELECT 1 FROM cohort WHERE code = ?1",
        )?;
        if !cohorts.is_empty() {
            return Err(MoveError::CohortCodesTaken(cohorts));
        }
        let certificates = taken(
            "SELECT certificate_no AS code FROM enrollment WHERE certificate_no IS NOT NULL
             ORDER BY certificate_no",
            "SELECT 1 FROM enrollment WHERE certificate_no = ?1",
        )?;
        if !certificates.is_empty() {
            return Err(MoveError::CertificatesTaken(certificates));
        }
        Ok(())
    }

    /// Rows keyed by their own code or date: the server's stay, the others are added.
    fn add_missing(&mut self, table: &'static str) -> Result<TableMove, MoveError> {
        let mut batch = Batch::new(self.server, table, " ON CONFLICT DO NOTHING");
        let office = each_row(self.office, &format!("SELECT * FROM {table}"), |row| {
            batch.push(row)
        })?;
        let added = batch.flush()?;
        Ok(TableMove {
            table,
            office,
            added,
            matched: office - added,
        })
    }

    /// Rows the server may know by name or code (`keys` are the columns `condition` reads as
    /// `?1`, `?2`...): matched ones take the server's id, the others are added.
    fn matched_by(
        &mut self,
        table: &'static str,
        condition: &str,
        keys: &[&str],
    ) -> Result<TableMove, MoveError> {
        let find = format!("SELECT id FROM {table} WHERE {condition} ORDER BY id LIMIT 1");
        let (mut added, mut matched) = (0, 0);
        let server = self.server;
        let mut ids = std::mem::take(&mut self.ids);
        let office = each_row(self.office, &format!("SELECT * FROM {table}"), |row| {
            let found: Option<i64> = server
                .prepare_cached(&find)?
                .query_row(params_from_iter(keys.iter().map(|k| row.get(k))), |r| {
                    r.get(0)
                })
                .optional()?;
            let id = match found {
                Some(id) => {
                    matched += 1;
                    id
                }
                None => {
                    added += 1;
                    insert_row(server, table, &row)?
                }
            };
            ids.put(table, row.id(), id);
            Ok(())
        })?;
        self.ids = ids;
        Ok(TableMove {
            table,
            office,
            added,
            matched,
        })
    }

    /// Residents by NIK: a new NIK is added; a known one takes the server's record, and its
    /// differences from the office's are reported.
    fn residents(&mut self, conflicts: &mut Vec<ResidentConflict>) -> Result<TableMove, MoveError> {
        let server = self.server;
        let fields = RESIDENT_FIELDS.join(", ");
        let find = format!("SELECT id, {fields} FROM resident WHERE nik = ?1");
        let (mut added, mut matched) = (0, 0);
        let mut ids = std::mem::take(&mut self.ids);
        let office = each_row(self.office, "SELECT * FROM resident ORDER BY id", |row| {
            let known = server
                .prepare_cached(&find)?
                .query_row([row.get("nik")], |r| {
                    let id: i64 = r.get(0)?;
                    let values = (1..=RESIDENT_FIELDS.len())
                        .map(|i| r.get_ref(i).map(Value::from))
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok((id, values))
                })
                .optional()?;
            let id = match known {
                Some((id, theirs)) => {
                    matched += 1;
                    let differences: Vec<FieldDifference> = RESIDENT_FIELDS
                        .iter()
                        .zip(&theirs)
                        .filter(|(field, server)| shown(row.get(field)) != shown(server))
                        .map(|(field, server)| FieldDifference {
                            field,
                            office: shown(row.get(field)),
                            server: shown(server),
                        })
                        .collect();
                    if !differences.is_empty() {
                        conflicts.push(ResidentConflict {
                            nik: shown(row.get("nik")),
                            differences,
                        });
                    }
                    id
                }
                None => {
                    added += 1;
                    insert_row(server, "resident", &row)?
                }
            };
            ids.put("resident", row.id(), id);
            Ok(())
        })?;
        self.ids = ids;
        Ok(TableMove {
            table: "resident",
            office,
            added,
            matched,
        })
    }

    /// Cohorts, enrollments, coverage and attendance: always added, their references turned
    /// into the server's ids.
    fn children(&mut self, table: &'static str) -> Result<TableMove, MoveError> {
        let references: &[(&str, &str)] = match table {
            "cohort" => &[
                ("course_id", "course"),
                ("venue_id", "venue"),
                ("instructor_id", "instructor"),
            ],
            "enrollment" => &[
                ("resident_id", "resident"),
                ("cohort_id", "cohort"),
                ("created_by", "operator"),
            ],
            "coverage" => &[("enrollment_id", "enrollment")],
            "attendance" => &[("enrollment_id", "enrollment"), ("recorded_by", "operator")],
            _ => &[],
        };
        let server = self.server;
        let mut ids = std::mem::take(&mut self.ids);
        let numbered = WITH_IDS.contains(&table);
        let mut batch = Batch::new(server, table, "");
        let office = each_row(self.office, &format!("SELECT * FROM {table}"), |mut row| {
            for (column, parent) in references {
                let mapped = ids.of(parent, row.get(column));
                row.set(column, mapped);
            }
            if numbered {
                let id = insert_row(server, table, &row)?;
                ids.put(table, row.id(), id);
            } else {
                batch.push(row)?;
            }
            Ok(())
        })?;
        batch.flush()?;
        self.ids = ids;
        Ok(TableMove {
            table,
            office,
            added: office,
            matched: 0,
        })
    }

    /// The office's trail appended to the server's chain, in its order: the server's ids for
    /// operators and for the residents, enrollments, coverage and attendance rows named.
    fn audit(&mut self) -> Result<TableMove, MoveError> {
        let server = self.server;
        let ids = &self.ids;
        let office = each_row(self.office, "SELECT * FROM audit_log ORDER BY id", |row| {
            let text = |column| match row.get(column) {
                Value::Text(t) => Some(t.clone()),
                _ => None,
            };
            let entity = text("entity").unwrap_or_default();
            let entity_id = text("entity_id").unwrap_or_default();
            let entity_id = match entity.as_str() {
                "resident" => mapped_id(ids, "resident", &entity_id),
                "operator" => mapped_id(ids, "operator", &entity_id),
                "enrollment" | "coverage" => mapped_id(ids, "enrollment", &entity_id),
                "attendance" => match entity_id.split_once('/') {
                    Some((id, date)) => format!("{}/{date}", mapped_id(ids, "enrollment", id)),
                    None => entity_id,
                },
                _ => entity_id,
            };
            audit::append_moved(
                server,
                audit::MovedRow {
                    at: text("at").unwrap_or_default(),
                    operator_id: match ids.of("operator", row.get("operator_id")) {
                        Value::Integer(id) => Some(id),
                        _ => None,
                    },
                    operator_name: text("operator_name").unwrap_or_default(),
                    action: text("action").unwrap_or_default(),
                    entity,
                    entity_id,
                    before: text("before_json"),
                    after: text("after_json"),
                    counter: text("counter"),
                },
            )?;
            Ok(())
        })?;
        Ok(TableMove {
            table: "audit_log",
            office,
            added: office,
            matched: 0,
        })
    }
}

/// An audit row's entity id turned into the server's, when it is an id the move renumbered.
fn mapped_id(ids: &Ids, table: &str, entity_id: &str) -> String {
    match entity_id.parse::<i64>() {
        Ok(id) => match ids.of(table, &Value::Integer(id)) {
            Value::Integer(server) => server.to_string(),
            _ => entity_id.to_string(),
        },
        Err(_) => entity_id.to_string(),
    }
}

/// Adds `row` without its id; the server's new id.
fn insert_row(server: &Connection, table: &str, row: &Record) -> Result<i64, MoveError> {
    let (columns, values) = row.without_id();
    Ok(server.insert_returning_id(
        &insert_sql(table, &columns, " RETURNING id"),
        params_from_iter(values),
    )?)
}

/// A value as a report shows it.
fn shown(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => r.to_string(),
        Value::Text(t) => t.clone(),
        Value::Blob(b) => format!("{} bytes", b.len()),
    }
}
