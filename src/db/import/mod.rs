//! Impor daftar penduduk: CSV or XLSX resident lists (Dukcapil/SIAK, OpenSID, DTSEN/P3KE exports)
//! into `resident`, losing nothing: every row read is imported, updated, unchanged or rejected
//! with its line number and reason, and the four counts add up to the rows read.
//!
//! Crash safety: rows are written in batches, each batch one IMMEDIATE transaction with its own
//! audit row. A killed import leaves whole batches only; running it again finds the rows already
//! stored identically ("unchanged", not rejected) and finishes the job without duplicates, because
//! a NIK is stored once (the unique index `resident_nik`) and `INSERT ... ON CONFLICT(nik) DO
//! NOTHING` never overwrites. A bulk load ([`ImportOptions::bulk`], see `store::BulkLoad`) is one
//! transaction instead: a kill rolls it all back. The search index (FTS5) is filled inside the
//! same transactions.
//!
//! On PostgreSQL the same rules give the same outcome (counts, rejects, audit rows, residents
//! and their ids): each batch locks `resident` against other writers (SQLite's BEGIN IMMEDIATE
//! does), looks a NIK up before inserting it (an identity would spend an id on a conflict),
//! numbers its new residents on from the highest stored id (`store::BatchIds`: a killed batch's
//! ids are given again, as SQLite's rowids are), and a bulk load sends its new residents by
//! COPY (`pg_copy`); the GIN word index needs no filling.
//!
//! Layout: `source` reads files into raw rows, this module checks them on a reading thread and
//! keeps the counts on the writing one, `store` writes them.
//!
//! Never writes a resident row outside a batch transaction, never decodes a non-UTF-8 row
//! lossily (it is rejected and written back byte for byte), never formats text for a screen.

mod pg_copy;
mod source;
mod store;

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::{Duration, Instant};

use crate::db::sql::Connection;
use chrono::NaiveDate;
use csv::ByteRecord;
use serde::Serialize;
use thiserror::Error;

pub use source::{
    CsvSource, MAX_SHEET_COLUMNS, RowNotes, RowSource, SheetSource, open_source, sniff_delimiter,
};
use store::{BatchIds, BulkLoad, FtsDeferral, NikLookup, Outcome, RollbackJournal, Statements};

use super::{DbError, SavedPragmas, audit, now_text, reference, residents};
use crate::domain::access::{AccessDenied, Actor, Permission};
use crate::domain::import_row::{
    DuplicateColumn, HeaderMap, HeaderProblem, MissingColumns, RowProblem, RowRules, check_row,
};
use crate::domain::resident::ValidResident;

/// Rows per transaction: large enough that commits cost little, small enough that a kill loses
/// seconds of work and other desks wait at most that long for the write lock.
pub const DEFAULT_BATCH_ROWS: usize = 20_000;

/// How an import treats NIKs it already knows and rows the form would ask to confirm.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// A NIK already stored (or earlier in the file) with other data updates that resident
    /// instead of being rejected: `--update-existing`.
    pub update_existing: bool,
    /// A NIK that disagrees with the row's sex or birth date is imported (marked confirmed)
    /// instead of rejected: `--accept-warnings`.
    pub accept_warnings: bool,
    pub batch_rows: usize,
    /// Birth dates after this day are refused; the NIK century is chosen relative to it.
    pub today: NaiveDate,
    /// The file's name, for the audit rows.
    pub source_name: String,
    /// Set from another thread to stop after the current row: the rows read so far are
    /// committed and the summary says `cancelled`.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Bulk mode, for lists large next to what is stored: the whole import is ONE transaction
    /// in which the resident table's non-unique indexes are dropped and rebuilt at the end
    /// (sorting once instead of inserting millions of random keys). A kill rolls everything
    /// back; a re-run starts again. Other desks can read meanwhile but not write. Batches still
    /// get their audit rows. See [`bulk_recommended`]. On PostgreSQL the indexes stay and new
    /// residents go in by COPY.
    pub bulk: bool,
    /// Behaves as if the process were killed after reading this many rows: the open batch is
    /// rolled back and `ImportError::Interrupted` returned (tests of crash safety).
    pub kill_after_rows: Option<u64>,
}

impl ImportOptions {
    pub fn new(today: NaiveDate, source_name: impl Into<String>) -> ImportOptions {
        ImportOptions {
            update_existing: false,
            accept_warnings: false,
            batch_rows: DEFAULT_BATCH_ROWS,
            today,
            source_name: source_name.into(),
            cancel: None,
            bulk: false,
            kill_after_rows: None,
        }
    }
}

/// The fate of every row read so far. `read = imported + updated + unchanged + rejected`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub read: u64,
    /// New residents.
    pub imported: u64,
    /// Residents whose stored data the row changed (`--update-existing`).
    pub updated: u64,
    /// Rows identical to what is stored (for example a re-run after an interrupted import).
    pub unchanged: u64,
    pub rejected: u64,
}

/// Progress reported while an import runs.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub counts: Counts,
    /// Share of the input consumed, 0..=1, when the size is known.
    pub fraction: Option<f64>,
    pub elapsed: Duration,
}

/// The result of a finished (or cancelled) import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    #[serde(flatten)]
    pub counts: Counts,
    pub cancelled: bool,
    #[serde(skip)]
    pub elapsed: Duration,
    /// Header cells that name no column loket reads, as written: their data was not imported.
    pub ignored_columns: Vec<String>,
}

/// Why an import stopped (told by `ui::text::import`).
#[derive(Debug, Error)]
pub enum ImportError {
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error("{0}")]
    MissingColumns(MissingColumns),
    #[error("column {} named twice in the header", .0.column)]
    DuplicateColumn(DuplicateColumn),
    #[error("worksheet claims {claimed}, wider than {max_columns} columns")]
    SheetTooWide { claimed: String, max_columns: u32 },
    #[error("the rejects file {0} is the input file")]
    RejectsIsInput(String),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot read {0}: {1}")]
    Read(String, String),
    #[error("empty file: no header row")]
    NoHeader,
    #[error("unsupported file type '{0}'")]
    UnsupportedFormat(String),
    #[error("cannot write the rejects file: {0}")]
    RejectsWrite(String),
    #[error("import interrupted")]
    Interrupted,
}

impl From<crate::db::sql::Error> for ImportError {
    fn from(e: crate::db::sql::Error) -> Self {
        ImportError::Db(e.into())
    }
}

/// The bulk load's SQLite pragmas.
impl From<rusqlite::Error> for ImportError {
    fn from(e: rusqlite::Error) -> Self {
        ImportError::Db(e.into())
    }
}

/// Words the reasons a row was refused, for people reading the rejects file: the caller
/// passes `ui::text::resident::reasons` in the operator's language.
pub type DescribeRow = Box<dyn Fn(&[RowProblem]) -> String + Send>;

/// The rejects file: `line`, `reason`, then the original cells as read (one that starts like a
/// formula gets a leading `'`, `export::csv_unguarded` takes it off again), so it can be
/// fixed and imported again (the two extra columns are ignored on re-import).
pub struct RejectsWriter {
    writer: csv::Writer<Box<dyn Write + Send>>,
    describe: DescribeRow,
}

impl RejectsWriter {
    /// Creates (or empties) the rejects file at `path`; refused, before anything is written,
    /// when it is the file being imported (`input`), under any name that leads to it.
    pub fn create(path: &Path, input: &Path, describe: DescribeRow) -> Result<Self, ImportError> {
        if same_file(path, input) {
            return Err(ImportError::RejectsIsInput(path.display().to_string()));
        }
        let file = File::create(path).map_err(|e| ImportError::RejectsWrite(e.to_string()))?;
        super::restrict_permissions(path);
        Ok(Self::new(Box::new(std::io::BufWriter::new(file)), describe))
    }
    pub fn new(out: Box<dyn Write + Send>, describe: DescribeRow) -> Self {
        RejectsWriter {
            // a refused row keeps the cells it had, however many that was
            writer: csv::WriterBuilder::new().flexible(true).from_writer(out),
            describe,
        }
    }
    fn write_header(&mut self, header: &[String]) -> Result<(), ImportError> {
        let mut rec = ByteRecord::new();
        rec.push_field(b"line");
        rec.push_field(b"reason");
        for h in header {
            rec.push_field(&super::export::csv_bytes(h.as_bytes()));
        }
        self.write(&rec)
    }
    fn write_reject(
        &mut self,
        line: u64,
        problems: &[RowProblem],
        cells: &ByteRecord,
    ) -> Result<(), ImportError> {
        let mut rec = ByteRecord::new();
        rec.push_field(line.to_string().as_bytes());
        rec.push_field((self.describe)(problems).as_bytes());
        // Guarded as every CSV loket writes (`export::csv_bytes`): the file is opened in a
        // spreadsheet to be fixed.
        for f in cells {
            rec.push_field(&super::export::csv_bytes(f));
        }
        self.write(&rec)
    }
    fn write(&mut self, rec: &ByteRecord) -> Result<(), ImportError> {
        self.writer
            .write_byte_record(rec)
            .map_err(|e| ImportError::RejectsWrite(e.to_string()))
    }
    pub fn flush(&mut self) -> Result<(), ImportError> {
        self.writer
            .flush()
            .map_err(|e| ImportError::RejectsWrite(e.to_string()))
    }
}

/// One refused row, for callers that show them (the command line prints the first few).
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub line: u64,
    pub problems: Vec<RowProblem>,
}

/// What one batch's audit row records.
#[derive(Serialize)]
struct BatchAudit<'a> {
    file: &'a str,
    batch: u32,
    first_line: u64,
    last_line: u64,
    #[serde(flatten)]
    counts: Counts,
    /// Residents whose data this batch changed (the row holds no before-values).
    updated_ids: Vec<i64>,
    cancelled: bool,
}

/// Imports every row of `source` (see the module documentation for the rules and the counts).
/// Refused rows go to `rejects` (when given) and to `on_reject`; `on_progress` is called after
/// every batch and every 1,000 rows. Requires `Permission::ImportResidents`.
///
/// Two threads: one reads and checks rows (CSV parsing, the domain's validation, name keys),
/// the calling one writes them, in file order, so the outcome is the same as one thread's.
pub fn import_residents(
    conn: &Connection,
    actor: &Actor,
    source: &mut dyn RowSource,
    rejects: Option<&mut RejectsWriter>,
    opts: &ImportOptions,
    on_progress: &mut dyn FnMut(&Progress),
    on_reject: &mut dyn FnMut(&Rejected),
) -> Result<Summary, ImportError> {
    actor.require(Permission::ImportResidents)?;
    // The settings a bulk load changes, put back after its transaction is gone.
    let _restore = conn
        .as_sqlite()
        .map(|lite| {
            SavedPragmas::save(
                lite,
                &[
                    "cache_size",
                    "foreign_keys",
                    "threads",
                    "synchronous",
                    "ignore_check_constraints",
                ],
            )
        })
        .transpose()?;
    // A bulk load sets SQLite's indexes aside; on a server it sends new residents by COPY.
    let lite = conn.as_sqlite().filter(|_| opts.bulk);
    // Dropped before `_restore`: the WAL comes back once the load's transaction is gone.
    let _journal = match opts.bulk {
        true => Some(RollbackJournal::begin(conn)?),
        false => None,
    };
    if let Some(conn) = lite {
        // Up to 256 MB of pages (only taken as needed) while the rows go in.
        conn.pragma_update(None, "cache_size", -262_144)?;
        // A resident references one table only, village, and every row's desa is checked
        // against the villages read inside the load's write transaction: no one can remove one
        // meanwhile, so SQLite's per-row lookup would only repeat that check.
        conn.pragma_update(None, "foreign_keys", false)?;
        // The table's CHECK constraints restate rules every row has passed on the checking
        // thread (`check_row`: NIK and KK shape, name, sex, dates, codes), most of them held by
        // the row's types besides (a NaiveDate, a Sex, an Rt, bools). Evaluating them again per row
        // (GLOBs, date()) cost 7 s of 3 million rows; the bulk load skips them as it skips
        // the foreign keys. Batch imports keep them.
        conn.pragma_update(None, "ignore_check_constraints", true)?;
    }
    let started = Instant::now();
    let header = HeaderMap::from_headers(source.header()).map_err(|e| match e {
        HeaderProblem::Missing(m) => ImportError::MissingColumns(m),
        HeaderProblem::Duplicate(d) => ImportError::DuplicateColumn(d),
    })?;
    let mut rejects = rejects;
    if let Some(w) = rejects.as_deref_mut() {
        w.write_header(source.header())?;
    }
    let bulk = if opts.bulk {
        Some(BulkLoad::begin(conn)?)
    } else {
        None
    };
    // Read inside the bulk load's transaction, so its villages cannot change under it.
    let reader: &Connection = bulk.as_ref().map_or(conn, |b| &b.tx);
    let districts = reference::district_names(reader)?;
    let villages: HashSet<String> = reader
        .prepare("SELECT code FROM village")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    // Sized once: growing a map of millions of NIKs rehashes it again and again.
    let expected_rows = source.estimated_rows().unwrap_or(0).min(10_000_000) as usize;
    let (sender, receiver) = sync_channel(CHANNEL_CHUNKS);
    let (give_back, taken_back) = sync_channel(CHANNEL_CHUNKS);
    std::thread::scope(|scope| {
        let (header, districts, villages) = (&header, &districts, &villages);
        let checker = scope.spawn(move || {
            let rules = RowRules {
                today: opts.today,
                districts,
                villages,
                accept_warnings: opts.accept_warnings,
            };
            read_and_check(source, header, &rules, sender, taken_back)
        });
        let incoming = Incoming {
            receiver,
            rows: Vec::new().into_iter(),
            fraction: None,
            ended: false,
            done: Vec::with_capacity(CHUNK_ROWS),
            give_back,
        };
        let mut writer = Writer {
            conn,
            actor,
            opts,
            rejects,
            on_progress,
            on_reject,
            started,
            incoming,
            expected_rows,
        };
        let result = writer.run(bulk).map(|summary| Summary {
            ignored_columns: header.ignored.clone(),
            ..summary
        });
        // Hang up first: a reader still sending stops at its next chunk. A reader that
        // panicked has already made `run` fail with Interrupted; its panic is not re-raised.
        drop(writer);
        let _ = checker.join();
        result
    })
}

/// Whether [`ImportOptions::bulk`] is faster for this input: at least 50,000 rows and at
/// least a tenth of the residents already stored (rebuilding their indexes must pay off).
pub fn bulk_recommended(conn: &Connection, source: &dyn RowSource) -> Result<bool, DbError> {
    let stored = residents::max_id(conn)?;
    let rows = source.estimated_rows().unwrap_or(0);
    Ok(rows >= 50_000 && rows >= u64::try_from(stored).unwrap_or(0) / 10)
}

/// One row as the reading thread hands it over: its line, its cells as read, and the domain's
/// verdict.
struct CheckedRow {
    line: u64,
    record: ByteRecord,
    checked: Result<ValidResident, Vec<RowProblem>>,
}

/// Rows travel between the threads in chunks of this many.
const CHUNK_ROWS: usize = 512;
/// Chunks under way in each direction.
const CHANNEL_CHUNKS: usize = 8;

struct Chunk {
    rows: Vec<CheckedRow>,
    /// The share of the input read when the chunk was full.
    fraction: Option<f64>,
    /// The input ended after these rows. A channel that closes without it means the reading
    /// thread died: the import stops as if killed instead of committing a part as the whole.
    end: bool,
}

/// The reading thread: reads, decodes and checks rows and sends them in file order; stops at
/// the end, at a read error (sent after the rows before it) or when the writer hangs up.
///
/// The writer hands used rows back (`used`): their records are read into again and their
/// checked values are freed here, on the thread that allocated them. Measured at 3 million
/// rows: allocating and zeroing a record per row and freeing every row's strings on the other
/// thread cost about 2 s of the two threads' time.
fn read_and_check(
    source: &mut dyn RowSource,
    header: &HeaderMap,
    rules: &RowRules,
    out: SyncSender<Result<Chunk, ImportError>>,
    used: Receiver<Vec<CheckedRow>>,
) {
    let mut spare: Vec<ByteRecord> = Vec::new();
    loop {
        while spare.len() < CHUNK_ROWS {
            let Ok(rows) = used.try_recv() else { break };
            spare.extend(rows.into_iter().map(|row| row.record));
        }
        let mut rows = Vec::with_capacity(CHUNK_ROWS);
        // Some(None): the input ended; Some(Some(e)): reading failed after these rows.
        let mut stop = None;
        while rows.len() < CHUNK_ROWS {
            let mut record = spare.pop().unwrap_or_default();
            record.clear();
            match source.next_row(&mut record) {
                Ok(Some(line)) => {
                    let notes = source.notes();
                    let checked = match decode(&record) {
                        None => Err(vec![RowProblem::NotUtf8]),
                        Some(cells) => check_row(header, &cells, &notes, rules),
                    };
                    rows.push(CheckedRow {
                        line,
                        record,
                        checked,
                    });
                }
                Ok(None) => {
                    stop = Some(None);
                    break;
                }
                Err(e) => {
                    stop = Some(Some(e));
                    break;
                }
            }
        }
        let chunk = Chunk {
            rows,
            fraction: source.fraction(),
            end: matches!(stop, Some(None)),
        };
        if out.send(Ok(chunk)).is_err() {
            return;
        }
        match stop {
            None => {}
            Some(None) => return,
            Some(Some(e)) => {
                let _ = out.send(Err(e));
                return;
            }
        }
    }
}

/// The writer's end of the channel, one row at a time.
struct Incoming {
    receiver: Receiver<Result<Chunk, ImportError>>,
    rows: std::vec::IntoIter<CheckedRow>,
    fraction: Option<f64>,
    ended: bool,
    /// Rows written, on their way back to the reading thread.
    done: Vec<CheckedRow>,
    give_back: SyncSender<Vec<CheckedRow>>,
}

impl Incoming {
    /// A row the writer is done with, for the reading thread to reuse and free. Never waits:
    /// when the reader has enough, the rows are freed here.
    fn used(&mut self, row: CheckedRow) {
        self.done.push(row);
        if self.done.len() >= CHUNK_ROWS {
            let rows = std::mem::replace(&mut self.done, Vec::with_capacity(CHUNK_ROWS));
            let _ = self.give_back.try_send(rows);
        }
    }

    fn next(&mut self) -> Result<Option<CheckedRow>, ImportError> {
        loop {
            if let Some(row) = self.rows.next() {
                return Ok(Some(row));
            }
            match self.receiver.recv() {
                Ok(Ok(chunk)) => {
                    self.fraction = chunk.fraction;
                    self.ended = chunk.end;
                    self.rows = chunk.rows.into_iter();
                }
                Ok(Err(e)) => return Err(e),
                Err(_) if self.ended => return Ok(None),
                Err(_) => return Err(ImportError::Interrupted),
            }
        }
    }
}

/// The writing side of an import: batches, outcomes, counts, rejects and progress.
struct Writer<'a, 'r> {
    conn: &'a Connection,
    actor: &'a Actor,
    opts: &'a ImportOptions,
    rejects: Option<&'r mut RejectsWriter>,
    on_progress: &'r mut dyn FnMut(&Progress),
    on_reject: &'r mut dyn FnMut(&Rejected),
    started: Instant,
    incoming: Incoming,
    /// About how many rows the input holds.
    expected_rows: usize,
}

impl Writer<'_, '_> {
    fn run(&mut self, mut bulk: Option<BulkLoad>) -> Result<Summary, ImportError> {
        let opts = self.opts;
        // NIKs accepted so far in this file: the line and the resident's id. A later row with
        // one is a duplicate (or, with --update-existing, updates that resident).
        let mut seen: HashMap<u64, (u64, i64)> = HashMap::with_capacity(self.expected_rows);
        let mut statements = Statements::new(self.conn);
        let mut counts = Counts::default();
        let mut batch_no = 0u32;
        let mut cancelled = false;
        let mut finished = false;
        // The residents this import added, first and last id, for this PC's counter.
        let mut added: Option<(i64, i64)> = None;
        while !finished {
            let batch_tx = match bulk {
                Some(_) => None,
                None => Some(super::immediate(self.conn)?),
            };
            if let Some(t) = &batch_tx {
                store::lock_residents(t)?;
            }
            let mut batch_ids = match &batch_tx {
                Some(t) => BatchIds::begin(t)?,
                None => None,
            };
            let mut batch_fts = match &batch_tx {
                Some(t) => Some(FtsDeferral::begin(t)?),
                None => None,
            };
            let (tx, fts, mut lookup): (&Connection, &mut FtsDeferral, NikLookup) =
                match (&batch_tx, batch_fts.as_mut(), bulk.as_mut()) {
                    (Some(t), Some(f), _) => (
                        t,
                        f,
                        NikLookup::Index {
                            ids: batch_ids.as_mut(),
                        },
                    ),
                    (_, _, Some(b)) => (
                        &b.tx,
                        &mut b.fts,
                        NikLookup::Known {
                            stored: &b.stored,
                            copy: b.copy.as_mut(),
                        },
                    ),
                    _ => unreachable!("a batch transaction or a bulk load is open"),
                };
            let now = now_text();
            let before = counts;
            let mut first_line = 0;
            let mut last_line = 0;
            let mut updated_ids = Vec::new();
            let mut batch_added: Option<(i64, i64)> = None;
            let mut in_batch = 0;
            while in_batch < opts.batch_rows.max(1) {
                if opts
                    .cancel
                    .as_ref()
                    .is_some_and(|c| c.load(Ordering::Relaxed))
                {
                    cancelled = true;
                    finished = true;
                    break;
                }
                if opts.kill_after_rows.is_some_and(|k| counts.read >= k) {
                    return Err(ImportError::Interrupted); // the transaction is dropped: rolled back
                }
                let Some(row) = self.incoming.next()? else {
                    finished = true;
                    break;
                };
                in_batch += 1;
                counts.read += 1;
                if first_line == 0 {
                    first_line = row.line;
                }
                last_line = row.line;
                let outcome = match &row.checked {
                    Err(problems) => Err(problems.clone()),
                    Ok(checked) => {
                        let earlier = seen.get(&checked.nik_number).copied();
                        match earlier {
                            Some((line, _)) if !opts.update_existing => {
                                Err(vec![RowProblem::DuplicateInFile { line }])
                            }
                            _ => {
                                let stored = match statements.apply(
                                    fts,
                                    &mut lookup,
                                    checked,
                                    &now,
                                    earlier.map(|(_, id)| id),
                                    opts.update_existing,
                                )? {
                                    Outcome::Rejected(p) => Err(vec![p]),
                                    Outcome::Imported(id) => {
                                        counts.imported += 1;
                                        batch_added = Some(
                                            batch_added
                                                .map_or((id, id), |(a, b)| (a.min(id), b.max(id))),
                                        );
                                        Ok(id)
                                    }
                                    Outcome::Updated(id) => {
                                        counts.updated += 1;
                                        updated_ids.push(id);
                                        Ok(id)
                                    }
                                    Outcome::Unchanged(id) => {
                                        counts.unchanged += 1;
                                        Ok(id)
                                    }
                                };
                                if let (Ok(id), None) = (&stored, earlier) {
                                    seen.insert(checked.nik_number, (row.line, *id));
                                }
                                stored.map(|_| ())
                            }
                        }
                    }
                };
                if let Err(problems) = outcome {
                    counts.rejected += 1;
                    self.reject(row.line, problems, &row.record)?;
                }
                self.incoming.used(row);
                if counts.read.is_multiple_of(1000) {
                    self.report(counts);
                }
            }
            if counts.read > before.read || batch_no == 0 {
                batch_no += 1;
                let batch = BatchAudit {
                    file: &opts.source_name,
                    batch: batch_no,
                    first_line,
                    last_line,
                    counts: Counts {
                        read: counts.read - before.read,
                        imported: counts.imported - before.imported,
                        updated: counts.updated - before.updated,
                        unchanged: counts.unchanged - before.unchanged,
                        rejected: counts.rejected - before.rejected,
                    },
                    updated_ids,
                    cancelled: cancelled && finished,
                };
                audit::record::<(), _>(
                    tx,
                    self.actor,
                    audit::Action::Import,
                    audit::Entity::Resident,
                    &opts.source_name,
                    None,
                    Some(&batch),
                )?;
            }
            if let Some((first, last)) = batch_added {
                match &batch_tx {
                    // The batch holds the residents against other writers: its range is its own.
                    Some(t) => store::mark_counter(t, first, last)?,
                    None => {
                        added =
                            Some(added.map_or((first, last), |(a, b)| (a.min(first), b.max(last))))
                    }
                }
            }
            if let (Some(t), Some(fts)) = (batch_tx, batch_fts) {
                fts.finish(&t)?;
                if let Some(ids) = batch_ids {
                    ids.finish(&t)?;
                }
                t.commit()?;
            }
            self.report(counts);
        }
        if let Some(b) = bulk.take() {
            // A bulk load runs alone: what it added is the range of its new ids.
            b.commit(added)?;
        }
        if let Some(w) = self.rejects.as_deref_mut() {
            w.flush()?;
        }
        Ok(Summary {
            counts,
            cancelled,
            elapsed: self.started.elapsed(),
            ignored_columns: Vec::new(),
        })
    }

    fn report(&mut self, counts: Counts) {
        (self.on_progress)(&Progress {
            counts,
            fraction: self.incoming.fraction,
            elapsed: self.started.elapsed(),
        });
    }

    fn reject(
        &mut self,
        line: u64,
        problems: Vec<RowProblem>,
        record: &ByteRecord,
    ) -> Result<(), ImportError> {
        if let Some(w) = self.rejects.as_deref_mut() {
            w.write_reject(line, &problems, record)?;
        }
        (self.on_reject)(&Rejected { line, problems });
        Ok(())
    }
}

/// Whether two paths lead to one file: the same file (device and inode), or, for a file not yet
/// there, the same place once `.`, `..` and symbolic links are resolved.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    let canonical = |p: &Path| {
        p.canonicalize().ok().or_else(|| {
            let parent = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            Some(parent.canonicalize().ok()?.join(p.file_name()?))
        })
    };
    matches!((canonical(a), canonical(b)), (Some(x), Some(y)) if x == y)
}

/// The cells as text, or None when any is not UTF-8.
fn decode(record: &ByteRecord) -> Option<Vec<&str>> {
    record.iter().map(|f| std::str::from_utf8(f).ok()).collect()
}
