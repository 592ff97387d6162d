//! The storage seam: one `Connection` over the embedded SQLite or a PostgreSQL server, with the
//! subset of rusqlite's API that loket's db modules use, so a module converts by importing from
//! here instead of `rusqlite` (plus a `dialect()` branch where the SQL differs).
//!
//! SQL is written once, SQLite style (`?1`, `?2`); on PostgreSQL the placeholders are rewritten
//! to `$1`, parameters are sent as text and parsed by the server into the column's type, and
//! columns come back as the same five storage classes SQLite has (dates as ISO text, booleans as
//! 0/1, NUMERIC as an integer when it has no fraction). New ids come from `INSERT ... RETURNING
//! id` (`insert_returning_id`), which both stores support; `last_insert_rowid` does not exist
//! here. Multi-step changes run in `immediate` (SQLite: BEGIN IMMEDIATE; PostgreSQL: BEGIN at
//! READ COMMITTED, with `SELECT ... FOR UPDATE` taking the row locks) or in `with_retry`, which
//! runs the work again after a PostgreSQL deadlock or serialization failure.
//!
//! Store-specific work (bulk import, the backup API, pragmas) takes `as_sqlite()`; PostgreSQL's
//! bulk loads take `copy_in` (COPY FROM STDIN). Never knows the domain; never logs a password
//! or a connection string.
//!
//! A converted module:
//!
//! ```no_run
//! use loket::db::DbError;
//! use loket::db::sql::{self, Connection, Dialect, OptionalExtension, Row, params};
//!
//! fn name_from_row(r: &Row) -> sql::Result<String> {
//!     r.get::<_, String>(0)
//! }
//!
//! fn name(conn: &Connection, id: i64) -> Result<Option<String>, DbError> {
//!     Ok(conn
//!         .prepare_cached("SELECT name FROM resident WHERE id = ?1")?
//!         .query_row([id], name_from_row)
//!         .optional()?)
//! }
//!
//! fn enroll(conn: &Connection, cohort: i64, resident: i64) -> Result<i64, DbError> {
//!     sql::with_retry(conn, |tx| {
//!         // SQLite's BEGIN IMMEDIATE already holds the write lock; PostgreSQL locks the row.
//!         let lock = match tx.dialect() {
//!             Dialect::Sqlite => "",
//!             Dialect::Postgres => " FOR UPDATE",
//!         };
//!         let capacity: i64 = tx.query_row(
//!             &format!("SELECT capacity FROM cohort WHERE id = ?1{lock}"),
//!             [cohort],
//!             |r| r.get(0),
//!         )?;
//!         let _ = capacity;
//!         Ok(tx.insert_returning_id(
//!             "INSERT INTO enrollment (cohort_id, resident_id) VALUES (?1, ?2) RETURNING id",
//!             params![cohort, resident],
//!         )?)
//!     })
//! }
//! ```

mod copy;
mod error;
mod params;
mod pg;
mod placeholders;
mod statement;
mod target;
mod tls;
pub mod types;

use std::cell::{Cell, RefCell};
use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

pub use crate::sql_params as params;
pub use copy::copy_csv_row;
pub use error::{Error, OptionalExtension, Result, Retryable, seam_error};
pub use params::{Params, ParamsFromIter, params_from_iter};
pub use pg::{IDLE_IN_TRANSACTION_TIMEOUT, LOCK_TIMEOUT, STATEMENT_TIMEOUT};
pub use placeholders::to_postgres as postgres_placeholders;
pub use statement::{MappedRows, Row, RowIndex, Rows, Statement};
pub use target::{PgTarget, SslMode, is_postgres};
pub use types::{FromSql, ToSql, Value, ValueRef};

use crate::domain::counter::Counter;
use pg::Pg;
use statement::sqlite_params;

/// Which SQL a store speaks, for the few statements written twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A connection to either store. Not `Sync` (as rusqlite's): one thread at a time.
pub struct Connection {
    inner: Inner,
    /// The counter (desk) this connection works for, recorded with what it writes.
    counter: RefCell<Option<Counter>>,
}

enum Inner {
    Sqlite(rusqlite::Connection),
    Postgres(Box<Pg>),
}

/// Which store only: a connection string may hold a user or a host, never printed.
impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Connection({:?})", self.dialect())
    }
}

impl From<rusqlite::Connection> for Connection {
    fn from(conn: rusqlite::Connection) -> Self {
        Connection {
            inner: Inner::Sqlite(conn),
            counter: RefCell::new(None),
        }
    }
}

impl Connection {
    /// Connects to a PostgreSQL server (`postgres://...` or libpq's `key=value` string; see
    /// `PgTarget`). The password comes from PGPASSWORD or ~/.pgpass only. Sets the statement,
    /// lock and idle-in-transaction timeouts for the session.
    pub fn open_postgres(spec: &str) -> Result<Connection> {
        let target = PgTarget::parse(spec)?;
        let password = target.password(&|k| std::env::var(k).ok());
        Connection::connect_postgres(&target, password)
    }

    /// Connects to `target` with `password` (tests, a password asked interactively).
    pub fn connect_postgres(target: &PgTarget, password: Option<String>) -> Result<Connection> {
        Ok(Connection {
            inner: Inner::Postgres(Box::new(Pg::connect(target, password)?)),
            counter: RefCell::new(None),
        })
    }

    /// An SQLite file as SQLite opens it (created when missing), with none of loket's checks:
    /// for tests and tools that handle a file as a file. loket's own opens are `db::open`'s.
    pub fn open_unchecked(path: impl AsRef<std::path::Path>) -> Result<Connection> {
        Ok(rusqlite::Connection::open(path)?.into())
    }

    /// An SQLite database in memory, with no schema (unit tests of SQL alone).
    pub fn open_in_memory() -> Result<Connection> {
        Ok(rusqlite::Connection::open_in_memory()?.into())
    }

    /// The desk whose work this connection writes (`loket counter`); none by default.
    pub fn set_counter(&self, counter: Option<Counter>) {
        *self.counter.borrow_mut() = counter;
    }

    pub fn counter(&self) -> Option<Counter> {
        self.counter.borrow().clone()
    }

    pub fn dialect(&self) -> Dialect {
        match self.inner {
            Inner::Sqlite(_) => Dialect::Sqlite,
            Inner::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (pragmas, backup, bulk import).
    pub fn as_sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.inner {
            Inner::Sqlite(c) => Some(c),
            Inner::Postgres(_) => None,
        }
    }

    pub fn as_sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match &mut self.inner {
            Inner::Sqlite(c) => Some(c),
            Inner::Postgres(_) => None,
        }
    }

    /// True outside a transaction (rusqlite's name).
    pub fn is_autocommit(&self) -> bool {
        match &self.inner {
            Inner::Sqlite(c) => c.is_autocommit(),
            Inner::Postgres(pg) => !pg.in_transaction.get(),
        }
    }

    /// True when the PostgreSQL connection is gone (reconnect); never for SQLite.
    pub fn is_closed(&self) -> bool {
        match &self.inner {
            Inner::Sqlite(_) => false,
            Inner::Postgres(pg) => pg.is_closed(),
        }
    }

    /// Runs one statement; the number of rows changed.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        match &self.inner {
            Inner::Sqlite(c) => params.with_values(|v| Ok(c.execute(sql, sqlite_params(v))?)),
            Inner::Postgres(_) => self.prepare_cached(sql)?.execute(params),
        }
    }

    /// Runs several `;`-separated statements without parameters (schema, migrations).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.inner {
            Inner::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Inner::Postgres(pg) => pg.batch(sql),
        }
    }

    /// The first row of `sql` through `f`; `Error::QueryReturnedNoRows` when there is none.
    pub fn query_row<T, P, F>(&self, sql: &str, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        match &self.inner {
            Inner::Sqlite(c) => Statement::sqlite(c.prepare(sql)?).query_row(params, f),
            // PostgreSQL prepares cost a round trip: keep them.
            Inner::Postgres(_) => self.prepare_cached(sql)?.query_row(params, f),
        }
    }

    /// `INSERT ... RETURNING id`: the new row's id (both stores; SQLite since 3.35).
    pub fn insert_returning_id<P: Params>(&self, sql: &str, params: P) -> Result<i64> {
        self.query_row(sql, params, |r| r.get(0))
    }

    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        match &self.inner {
            Inner::Sqlite(c) => Ok(Statement::sqlite(c.prepare(sql)?)),
            Inner::Postgres(pg) => Ok(Statement::postgres(pg, pg.prepare(sql, false)?)),
        }
    }

    /// A statement kept by the connection for the next call with the same text.
    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        match &self.inner {
            Inner::Sqlite(c) => Ok(Statement::sqlite_cached(c.prepare_cached(sql)?)),
            Inner::Postgres(pg) => Ok(Statement::postgres(pg, pg.prepare(sql, true)?)),
        }
    }

    /// A transaction that takes its locks as it goes (SQLite BEGIN DEFERRED, PostgreSQL BEGIN).
    /// Rolled back when dropped without `commit`.
    pub fn transaction(&self) -> Result<Transaction<'_>> {
        self.begin("BEGIN DEFERRED", "BEGIN")
    }

    /// rusqlite's name for `transaction` on a shared reference.
    pub fn unchecked_transaction(&self) -> Result<Transaction<'_>> {
        self.transaction()
    }

    /// A transaction for read-then-write rules (seats, waitlists, status changes): SQLite takes
    /// the write lock at once (BEGIN IMMEDIATE); PostgreSQL runs READ COMMITTED and the SQL takes
    /// row locks with `SELECT ... FOR UPDATE`, in a fixed order (resident, then cohort).
    pub fn immediate_transaction(&self) -> Result<Transaction<'_>> {
        self.begin("BEGIN IMMEDIATE", "BEGIN ISOLATION LEVEL READ COMMITTED")
    }

    fn begin(&self, sqlite: &str, postgres: &str) -> Result<Transaction<'_>> {
        match &self.inner {
            Inner::Sqlite(c) => c.execute_batch(sqlite)?,
            Inner::Postgres(pg) => {
                // PostgreSQL only warns about a nested BEGIN and would then commit the outer
                // work early; refuse it as SQLite does.
                if pg.in_transaction.get() {
                    return Err(Error::NestedTransaction);
                }
                pg.batch(postgres)?;
                pg.in_transaction.set(true);
            }
        }
        Ok(Transaction {
            conn: self,
            done: Cell::new(false),
        })
    }

    fn end(&self, sql: &str) -> Result<()> {
        match &self.inner {
            Inner::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Inner::Postgres(pg) => {
                let result = pg.batch(sql);
                // After COMMIT or ROLLBACK, failed or not, the server has left the transaction
                // (a failed COMMIT rolls back; a lost connection has no transaction).
                pg.in_transaction.set(false);
                result
            }
        }
    }

    /// A handle another thread can use to stop the statement running on this connection.
    pub fn interrupter(&self) -> Interrupter {
        match &self.inner {
            Inner::Sqlite(c) => Interrupter {
                inner: InterruptInner::Sqlite(c.get_interrupt_handle()),
            },
            Inner::Postgres(pg) => Interrupter {
                inner: InterruptInner::Postgres {
                    tls: pg.tls.clone(),
                    state: Arc::clone(&pg.interrupts),
                },
            },
        }
    }
}

/// `db::immediate(conn)` for the seam.
pub fn immediate(conn: &Connection) -> Result<Transaction<'_>> {
    conn.immediate_transaction()
}

/// An open transaction; derefs to the `Connection`, so every `&Connection` function runs in it.
/// `commit` ends it; dropped without, it rolls back.
pub struct Transaction<'c> {
    conn: &'c Connection,
    done: Cell<bool>,
}

impl Deref for Transaction<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Transaction<'_> {
    pub fn commit(self) -> Result<()> {
        // A failed COMMIT leaves `done` unset: the drop then rolls back what is left.
        self.conn.end("COMMIT")?;
        self.done.set(true);
        Ok(())
    }

    pub fn rollback(self) -> Result<()> {
        self.done.set(true);
        self.conn.end("ROLLBACK")
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if !self.done.get() {
            let still_open = match &self.conn.inner {
                Inner::Sqlite(c) => !c.is_autocommit(),
                Inner::Postgres(pg) => pg.in_transaction.get() && !pg.is_closed(),
            };
            if still_open {
                let _ = self.conn.end("ROLLBACK");
            } else if let Inner::Postgres(pg) = &self.conn.inner {
                pg.in_transaction.set(false);
            }
        }
    }
}

/// How many times `with_retry` runs the work after a deadlock or serialization failure.
pub const RETRIES: u32 = 8;

/// Runs `work` in an immediate transaction and commits; on a PostgreSQL deadlock or
/// serialization failure (the server rolled it back) waits a little and runs it again, up to
/// `RETRIES` times. `work` must be safe to repeat: it reads what it needs inside the
/// transaction. Lock and statement timeouts are not retried (they already waited): they reach
/// the caller as `DbError::Locked`. On SQLite the first run is the only one.
pub fn with_retry<T, E>(
    conn: &Connection,
    mut work: impl FnMut(&Transaction<'_>) -> std::result::Result<T, E>,
) -> std::result::Result<T, E>
where
    E: From<Error> + Retryable,
{
    let mut attempt = 0;
    loop {
        let tx = conn.immediate_transaction()?;
        let result = work(&tx).and_then(|value| tx.commit().map(|()| value).map_err(E::from));
        match result {
            Err(e) if e.is_retryable() && attempt < RETRIES => {
                attempt += 1;
                std::thread::sleep(backoff(attempt));
            }
            other => return other,
        }
    }
}

/// A short, growing, jittered pause, so racing counters do not collide again in step.
fn backoff(attempt: u32) -> Duration {
    let jitter = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() % 5_000);
    Duration::from_micros(u64::from(attempt.min(6)) * 2_000 + u64::from(jitter))
}

/// Stops the statement running on a connection from another thread (the search worker's newer
/// query replaces the one in flight): SQLite's interrupt, or PostgreSQL's cancel request (a
/// short extra connection to the server, made on the calling thread; it returns once the server
/// has the request). Does nothing while the connection is idle. The stopped statement fails with
/// an error for which `is_interrupted()` is true; a statement that ends by itself meanwhile is
/// unaffected.
pub struct Interrupter {
    inner: InterruptInner,
}

enum InterruptInner {
    Sqlite(rusqlite::InterruptHandle),
    Postgres {
        tls: tokio_postgres_rustls::MakeRustlsConnect,
        state: Arc<pg::Interrupts>,
    },
}

impl Interrupter {
    pub fn interrupt(&self) {
        match &self.inner {
            InterruptInner::Sqlite(handle) => handle.interrupt(),
            InterruptInner::Postgres { tls, state } => {
                // An idle connection has nothing to stop (as SQLite's interrupt).
                if !state.running.load(Ordering::SeqCst) {
                    return;
                }
                state.cancelled.store(true, Ordering::SeqCst);
                // Nothing to do when the server cannot be reached: the statement then ends by
                // itself (statement_timeout) and its answer is dropped as stale.
                let token = state
                    .token
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone();
                if let Some(token) = token {
                    let _ = token.cancel_query(tls.clone());
                }
            }
        }
    }
}
