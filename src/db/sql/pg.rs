//! The PostgreSQL side of the seam: connecting (timeouts set at start-up), the statement cache,
//! binding parameters and decoding columns. Parameters go as TEXT (bytea as binary), so the
//! server parses `'2026-01-05'` into a date column and `'1'` into an integer or a boolean: one
//! value fits whatever the column's type, as with SQLite. Columns come back decoded by type into
//! the seam's five storage classes. Never used directly by a db module: `Connection` wraps it.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::error::Error as StdError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use postgres::types::{Format, IsNull, Kind, Type as PgType};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::placeholders;
use super::target::PgTarget;
use super::types::{ToSqlOutput, Value, ValueRef};
use super::{Error, Result};

/// A statement running longer than this is cancelled (and reported as the database being busy):
/// no counter's query may hold a cohort's row lock for long.
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a statement waits for another transaction's row lock: the same wait as SQLite's
/// busy timeout (`db::BUSY_TIMEOUT`), then the clerk hears "locked, try again".
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(5);
/// A counter that dropped off mid-transaction loses its session (and its locks) after this.
pub const IDLE_IN_TRANSACTION_TIMEOUT: Duration = Duration::from_secs(60);
/// TCP keepalive idle time: a vanished server or network is noticed within about a minute.
const KEEPALIVE_IDLE: Duration = Duration::from_secs(30);
/// Prepared statements kept per connection (rusqlite keeps 16; PostgreSQL's cost more to make).
const CACHE_CAPACITY: usize = 128;

/// Result columns' names, shared by a statement's rows.
pub(super) type Columns = Arc<[String]>;

pub(super) struct Pg {
    client: RefCell<postgres::Client>,
    cache: RefCell<HashMap<String, Cached>>,
    uses: Cell<u64>,
    pub(super) in_transaction: Cell<bool>,
    pub(super) tls: MakeRustlsConnect,
    /// What a lost connection is made again with (`reconnect`).
    target: PgTarget,
    password: Option<String>,
    pub(super) interrupts: Arc<Interrupts>,
    /// When a statement we asked to cancel ended by itself: the cancel may still be on its way
    /// and land on a later statement (the server acts on it whenever it arrives).
    stray_cancel: Cell<Option<Instant>>,
}

/// How long a cancel that missed its statement may still arrive (it is sent before
/// `Interrupter::interrupt` returns; this is margin for the server to act on it).
const STRAY_CANCEL_WINDOW: Duration = Duration::from_secs(2);

/// What the `Interrupter` on another thread and the connection share.
#[derive(Default)]
pub(super) struct Interrupts {
    /// A statement is on its way to or from the server.
    pub running: AtomicBool,
    /// Set by the `Interrupter` before it cancels: the "query cancelled" that ends the running
    /// statement is ours, not a statement timeout. Cleared when a statement ends otherwise.
    pub cancelled: AtomicBool,
    /// The current session's cancel key (a new one after a reconnect).
    pub token: Mutex<Option<postgres::CancelToken>>,
}

#[derive(Clone)]
pub(super) struct Prepared {
    pub statement: postgres::Statement,
    pub columns: Columns,
}

struct Cached {
    prepared: Prepared,
    last_use: u64,
}

/// The rows of one query, decoded.
pub(super) struct PgRows {
    pub columns: Columns,
    pub rows: Vec<Vec<Value>>,
}

impl Pg {
    pub fn connect(target: &PgTarget, password: Option<String>) -> Result<Pg> {
        let (client, tls) = open_client(target, password.clone())?;
        let interrupts = Interrupts::default();
        *interrupts.token.lock().unwrap_or_else(|e| e.into_inner()) = Some(client.cancel_token());
        Ok(Pg {
            client: RefCell::new(client),
            cache: RefCell::new(HashMap::new()),
            uses: Cell::new(0),
            in_transaction: Cell::new(false),
            tls,
            target: target.clone(),
            password,
            interrupts: Arc::new(interrupts),
            stray_cancel: Cell::new(None),
        })
    }

    /// The session ended since the last statement (the clerk was told: connection lost): the
    /// next one starts on a new session. Checked before the statement cache is read.
    fn ensure_session(&self) -> Result<()> {
        if self.client.borrow().is_closed() && !self.in_transaction.get() {
            self.reconnect()?;
        }
        Ok(())
    }

    /// A new session in place of one the network or a server restart ended: the statement
    /// cache belonged to the old one. Only between transactions (what one held is gone).
    fn reconnect(&self) -> Result<()> {
        let (client, _) = open_client(&self.target, self.password.clone())?;
        *self
            .interrupts
            .token
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(client.cancel_token());
        *self.client.borrow_mut() = client;
        self.cache.borrow_mut().clear();
        Ok(())
    }

    /// The prepared form of `sql` (written with `?N`), from the cache when `cached`.
    pub fn prepare(&self, sql: &str, cached: bool) -> Result<Prepared> {
        self.ensure_session()?;
        let tick = self.uses.get() + 1;
        self.uses.set(tick);
        if cached && let Some(hit) = self.cache.borrow_mut().get_mut(sql) {
            hit.last_use = tick;
            return Ok(hit.prepared.clone());
        }
        let statement = self.run(|c| c.prepare(&placeholders::to_postgres(sql)));
        // A maintainer porting a query sets LOKET_DEBUG_SQL=1 to see the statement PostgreSQL refused
        // (the error alone names only a position in the text).
        if let Err(e) = &statement
            && std::env::var_os("LOKET_DEBUG_SQL").is_some()
        {
            eprintln!("PostgreSQL refused to prepare ({e}):\n{sql}");
        }
        let statement = statement?;
        let columns: Columns = statement
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        let prepared = Prepared { statement, columns };
        if cached {
            let mut cache = self.cache.borrow_mut();
            if cache.len() >= CACHE_CAPACITY
                && let Some(oldest) = cache
                    .iter()
                    .min_by_key(|(_, c)| c.last_use)
                    .map(|(k, _)| k.clone())
            {
                cache.remove(&oldest);
            }
            cache.insert(
                sql.to_string(),
                Cached {
                    prepared: prepared.clone(),
                    last_use: tick,
                },
            );
        }
        Ok(prepared)
    }

    pub fn execute(&self, prepared: &Prepared, values: &[ToSqlOutput<'_>]) -> Result<usize> {
        let params = bind(values);
        let count = self.run(|c| c.execute(&prepared.statement, &refs(&params)))?;
        Ok(usize::try_from(count).unwrap_or(usize::MAX))
    }

    pub fn query(&self, prepared: &Prepared, values: &[ToSqlOutput<'_>]) -> Result<PgRows> {
        let params = bind(values);
        let rows = self.run(|c| c.query(&prepared.statement, &refs(&params)))?;
        let rows = rows
            .iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| {
                        row.try_get::<_, Decoded>(i)
                            .map(|d| d.0)
                            .map_err(|e| decode_error(e, row.columns()[i].type_()))
                    })
                    .collect::<Result<Vec<Value>>>()
            })
            .collect::<Result<_>>()?;
        Ok(PgRows {
            columns: Arc::clone(&prepared.columns),
            rows,
        })
    }

    /// `COPY ... FROM STDIN` (`sql` as written, no parameters) fed with `data`; the rows the
    /// server took. A failed write leaves the copy unfinished, which aborts it.
    pub fn copy_in(&self, sql: &str, data: &[u8]) -> Result<u64> {
        use std::io::Write;
        self.run(|c| {
            let mut writer = c.copy_in(sql)?;
            match writer.write_all(data) {
                Ok(()) => writer.finish(),
                // the connection is gone: dropping the writer aborts the copy, and the next
                // round trip (finishing it would be one) reports why
                Err(_) => Ok(0),
            }
        })
    }

    /// Several statements without parameters (simple query protocol): schema, BEGIN/COMMIT.
    pub fn batch(&self, sql: &str) -> Result<()> {
        self.run(|c| c.batch_execute(sql))
    }

    pub fn is_closed(&self) -> bool {
        self.client.borrow().is_closed()
    }

    /// One round trip with the client, marked as running for the `Interrupter`. A statement
    /// hit by a cancel meant for an earlier one (which ended before the cancel arrived) is run
    /// again, outside a transaction; inside one, the transaction is lost and the error stands.
    fn run<T>(
        &self,
        mut f: impl FnMut(&mut postgres::Client) -> Result<T, postgres::Error>,
    ) -> Result<T> {
        let state = &self.interrupts;
        self.ensure_session()?;
        loop {
            state.running.store(true, Ordering::SeqCst);
            let result = f(&mut self.client.borrow_mut());
            state.running.store(false, Ordering::SeqCst);
            let ours = state.cancelled.swap(false, Ordering::SeqCst);
            let cancelled = matches!(&result, Err(e) if e.code() == Some(&postgres::error::SqlState::QUERY_CANCELED));
            if ours && !cancelled {
                self.stray_cancel.set(Some(Instant::now()));
            }
            if cancelled && !ours {
                let stray = self
                    .stray_cancel
                    .take()
                    .is_some_and(|at| at.elapsed() < STRAY_CANCEL_WINDOW);
                if stray && !self.in_transaction.get() {
                    continue;
                }
            }
            return result.map_err(|e| match cancelled && ours {
                true => Error::Interrupted,
                false => Error::Postgres(e),
            });
        }
    }
}

/// A session on `target` with loket's timeouts, and the TLS connector it used.
fn open_client(
    target: &PgTarget,
    password: Option<String>,
) -> Result<(postgres::Client, MakeRustlsConnect)> {
    let (tls, wire_mode) = super::tls::connector(target)?;
    let mut config = postgres::Config::new();
    config
        .host(&target.host)
        .port(target.port)
        .user(&target.user)
        .dbname(&target.dbname)
        .application_name(&target.application_name)
        .ssl_mode(wire_mode)
        .keepalives(true)
        .keepalives_idle(KEEPALIVE_IDLE)
        .options(&format!(
            "-c statement_timeout={} -c lock_timeout={} -c idle_in_transaction_session_timeout={}",
            STATEMENT_TIMEOUT.as_millis(),
            LOCK_TIMEOUT.as_millis(),
            IDLE_IN_TRANSACTION_TIMEOUT.as_millis()
        ));
    if target.connect_timeout > 0 {
        config.connect_timeout(Duration::from_secs(target.connect_timeout));
    }
    if let Some(password) = password {
        config.password(password);
    }
    let client = config
        .connect(tls.clone())
        .map_err(|cause| super::Error::Connect {
            server: target.to_string(),
            cause,
        })?;
    Ok((client, tls))
}

fn decode_error(e: postgres::Error, ty: &PgType) -> Error {
    match e.source().and_then(|s| s.downcast_ref::<Unsupported>()) {
        Some(_) => Error::UnsupportedType(ty.name().to_string()),
        None => Error::Postgres(e),
    }
}

// ---- parameters ----

/// One parameter as PostgreSQL receives it: text for everything but bytea.
#[derive(Debug)]
struct Param<'a>(ValueRef<'a>);

fn bind<'a>(values: &'a [ToSqlOutput<'_>]) -> Vec<Param<'a>> {
    values.iter().map(|v| Param(v.value_ref())).collect()
}

fn refs<'a>(params: &'a [Param<'_>]) -> Vec<&'a (dyn postgres::types::ToSql + Sync)> {
    params
        .iter()
        .map(|p| p as &(dyn postgres::types::ToSql + Sync))
        .collect()
}

type BoxError = Box<dyn StdError + Sync + Send>;

impl postgres::types::ToSql for Param<'_> {
    fn to_sql(&self, _ty: &PgType, out: &mut bytes::BytesMut) -> Result<IsNull, BoxError> {
        use std::fmt::Write;
        match self.0 {
            ValueRef::Null => return Ok(IsNull::Yes),
            ValueRef::Integer(i) => write!(out, "{i}")?,
            ValueRef::Real(r) => write!(out, "{r}")?,
            ValueRef::Text(t) => {
                if t.contains(&0) {
                    return Err("text holds a NUL character, which PostgreSQL refuses".into());
                }
                out.extend_from_slice(t);
            }
            ValueRef::Blob(b) => out.extend_from_slice(b),
        }
        Ok(IsNull::No)
    }

    fn accepts(_ty: &PgType) -> bool {
        true
    }

    fn encode_format(&self, _ty: &PgType) -> Format {
        match self.0 {
            ValueRef::Blob(_) => Format::Binary,
            _ => Format::Text,
        }
    }

    postgres::types::to_sql_checked!();
}

// ---- columns ----

/// A column decoded into the seam's storage classes.
struct Decoded(Value);

#[derive(Debug)]
struct Unsupported;

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unsupported column type")
    }
}

impl StdError for Unsupported {}

/// 2000-01-01, PostgreSQL's epoch for dates and timestamps.
fn pg_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default()
}

fn be<const N: usize>(raw: &[u8]) -> Result<[u8; N], BoxError> {
    raw.try_into()
        .map_err(|_| format!("expected {N} bytes, got {}", raw.len()).into())
}

impl<'a> postgres::types::FromSql<'a> for Decoded {
    fn from_sql(ty: &PgType, raw: &'a [u8]) -> Result<Self, BoxError> {
        let text = |raw: &[u8]| -> Result<Value, BoxError> {
            Ok(Value::Text(std::str::from_utf8(raw)?.to_string()))
        };
        let value = match *ty {
            PgType::BOOL => Value::Integer(i64::from(raw.first() == Some(&1))),
            PgType::INT2 => Value::Integer(i16::from_be_bytes(be(raw)?).into()),
            PgType::INT4 => Value::Integer(i32::from_be_bytes(be(raw)?).into()),
            PgType::INT8 => Value::Integer(i64::from_be_bytes(be(raw)?)),
            PgType::OID => Value::Integer(u32::from_be_bytes(be(raw)?).into()),
            PgType::FLOAT4 => Value::Real(f32::from_be_bytes(be(raw)?).into()),
            PgType::FLOAT8 => Value::Real(f64::from_be_bytes(be(raw)?)),
            PgType::NUMERIC => numeric(raw)?,
            PgType::TEXT
            | PgType::VARCHAR
            | PgType::BPCHAR
            | PgType::NAME
            | PgType::UNKNOWN
            | PgType::JSON
            | PgType::CHAR => text(raw)?,
            PgType::JSONB => text(raw.get(1..).unwrap_or_default())?,
            PgType::BYTEA => Value::Blob(raw.to_vec()),
            PgType::DATE => {
                let days = i32::from_be_bytes(be(raw)?);
                let date = pg_epoch()
                    .checked_add_signed(chrono::Duration::days(days.into()))
                    .ok_or("date out of range")?;
                Value::Text(date.format("%Y-%m-%d").to_string())
            }
            PgType::TIMESTAMP | PgType::TIMESTAMPTZ => {
                let micros = i64::from_be_bytes(be(raw)?);
                let at = pg_epoch()
                    .and_hms_opt(0, 0, 0)
                    .and_then(|e| e.checked_add_signed(chrono::Duration::microseconds(micros)))
                    .ok_or("timestamp out of range")?;
                // As `db::now_text` writes them; fractions only when there are any.
                let format = if at.and_utc().timestamp_subsec_micros() == 0 {
                    "%Y-%m-%d %H:%M:%S"
                } else {
                    "%Y-%m-%d %H:%M:%S%.6f"
                };
                Value::Text(at.format(format).to_string())
            }
            _ => match ty.kind() {
                // A domain over text, an enum: its text.
                Kind::Enum(_) => text(raw)?,
                Kind::Domain(inner) => Decoded::from_sql(inner, raw)?.0,
                _ if ty.name() == "citext" => text(raw)?,
                _ => return Err(Box::new(Unsupported)),
            },
        };
        Ok(Decoded(value))
    }

    fn from_sql_null(_ty: &PgType) -> Result<Self, BoxError> {
        Ok(Decoded(Value::Null))
    }

    fn accepts(_ty: &PgType) -> bool {
        true
    }
}

/// NUMERIC's binary form (base-10000 digits): an integer when it has no scale and fits (SUM over
/// bigint), else a real (AVG, a ratio).
fn numeric(raw: &[u8]) -> Result<Value, BoxError> {
    let word = |i: usize| -> Result<i16, BoxError> {
        Ok(i16::from_be_bytes(be(raw
            .get(i * 2..i * 2 + 2)
            .unwrap_or_default())?))
    };
    let ndigits = usize::try_from(word(0)?).map_err(|_| "bad numeric")?;
    let weight = i32::from(word(1)?);
    let sign = word(2)? as u16;
    let dscale = usize::try_from(word(3)?).map_err(|_| "bad numeric")?;
    match sign {
        0xC000 => return Ok(Value::Real(f64::NAN)),
        0xD000 => return Ok(Value::Real(f64::INFINITY)),
        0xF000 => return Ok(Value::Real(f64::NEG_INFINITY)),
        _ => {}
    }
    let digits = (0..ndigits)
        .map(|i| word(4 + i))
        .collect::<Result<Vec<i16>, BoxError>>()?;
    // Digit i stands for 10000^(weight - i).
    let digit_at = |exp: i32| -> i16 {
        usize::try_from(weight - exp)
            .ok()
            .and_then(|i| digits.get(i).copied())
            .unwrap_or(0)
    };
    let mut text = String::new();
    if sign == 0x4000 {
        text.push('-');
    }
    if weight < 0 {
        text.push('0');
    } else {
        for exp in (0..=weight).rev() {
            let d = digit_at(exp);
            if text.trim_start_matches('-').is_empty() {
                text.push_str(&d.to_string());
            } else {
                text.push_str(&format!("{d:04}"));
            }
        }
    }
    if dscale > 0 {
        let mut fraction = String::new();
        for exp in 1..=dscale.div_ceil(4) as i32 {
            fraction.push_str(&format!("{:04}", digit_at(-exp)));
        }
        fraction.truncate(dscale);
        text.push('.');
        text.push_str(&fraction);
        return Ok(Value::Real(text.parse()?));
    }
    Ok(match text.parse::<i64>() {
        Ok(i) => Value::Integer(i),
        Err(_) => Value::Real(text.parse()?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(ndigits: i16, weight: i16, sign: u16, dscale: i16, digits: &[i16]) -> Vec<u8> {
        let mut raw = Vec::new();
        for w in [ndigits, weight, sign as i16, dscale] {
            raw.extend_from_slice(&w.to_be_bytes());
        }
        for d in digits {
            raw.extend_from_slice(&d.to_be_bytes());
        }
        raw
    }

    #[test]
    fn numerics_decode_as_integers_or_reals() {
        let ok = |raw: Vec<u8>| numeric(&raw).unwrap_or_else(|e| panic!("{e}"));
        // 123456789 = 1|2345|6789, weight 2
        assert_eq!(
            ok(encode(3, 2, 0, 0, &[1, 2345, 6789])),
            Value::Integer(123_456_789)
        );
        // 20000 = 2|0000 with the trailing zero group dropped
        assert_eq!(ok(encode(1, 1, 0, 0, &[2])), Value::Integer(20_000));
        assert_eq!(ok(encode(0, 0, 0, 0, &[])), Value::Integer(0));
        assert_eq!(ok(encode(1, 0, 0x4000, 0, &[42])), Value::Integer(-42));
        // 12.5 = 12 . 5000, dscale 1
        assert_eq!(ok(encode(2, 0, 0, 1, &[12, 5000])), Value::Real(12.5));
        // 0.0005 = weight -1, digit 5, dscale 4
        assert_eq!(ok(encode(1, -1, 0, 4, &[5])), Value::Real(0.0005));
        // 1.2345678 (dscale 7)
        assert_eq!(
            ok(encode(3, 0, 0, 7, &[1, 2345, 6780])),
            Value::Real(1.234_567_8)
        );
        // beyond i64: a real
        assert!(matches!(
            ok(encode(6, 5, 0, 0, &[1, 0, 0, 0, 0, 0])),
            Value::Real(r) if r == 1e20
        ));
    }
}
