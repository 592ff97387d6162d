//! Impor daftar penduduk: CSV or XLSX resident lists (Dukcapil/SIAK, OpenSID, DTSEN/P3KE exports)
//! into `resident`, losing nothing: every row read is imported, updated, unchanged or rejected
//! with its line number and reason, and the four counts add up to the rows read.
//!
//! Crash safety: rows are written in batches, each batch one IMMEDIATE transaction with its own
//! audit row. A killed import leaves whole batches only; running it again finds the rows already
//! stored identically ("unchanged", not rejected) and finishes the job without duplicates, because
//! a NIK is stored once (UNIQUE) and `INSERT ... ON CONFLICT(nik) DO NOTHING` never overwrites.
//! The search index (FTS5) is kept by the schema's triggers inside the same transactions.
//!
//! Never writes a resident row outside a batch transaction, never decodes a non-UTF-8 row
//! lossily (it is rejected and written back byte for byte), never formats text for a screen.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use csv::ByteRecord;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;
use thiserror::Error;

use super::{DbError, audit, now_text, reference};
use crate::domain::access::{AccessDenied, Actor, Permission};
use crate::domain::import_row::{
    HeaderMap, MissingColumns, ResidentRow, RowProblem, RowRules, check_row, reasons_text,
};

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
    /// get their audit rows. See [`bulk_recommended`].
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    #[serde(flatten)]
    pub counts: Counts,
    pub cancelled: bool,
    #[serde(skip)]
    pub elapsed: Duration,
}

/// Why an import stopped. Display is Bahasa Indonesia.
#[derive(Debug, Error)]
pub enum ImportError {
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error("{0}")]
    MissingColumns(MissingColumns),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("Berkas {0} tidak bisa dibaca: {1}")]
    Read(String, String),
    #[error("Berkas kosong: tidak ada baris judul")]
    NoHeader,
    #[error("Jenis berkas '{0}' tidak didukung: pakai .csv atau .xlsx")]
    UnsupportedFormat(String),
    #[error("Berkas penolakan tidak bisa ditulis: {0}")]
    RejectsWrite(String),
    #[error("Impor terputus; baris yang sudah tersimpan aman, jalankan lagi untuk menyelesaikan")]
    Interrupted,
}

impl ImportError {
    pub fn message_en(&self) -> String {
        match self {
            ImportError::Denied(e) => e.message_en(),
            ImportError::MissingColumns(m) => m.message_en(),
            ImportError::Db(e) => e.message_en(),
            ImportError::Read(file, e) => format!("Cannot read {file}: {e}"),
            ImportError::NoHeader => "The file is empty: no header row".into(),
            ImportError::UnsupportedFormat(ext) => {
                format!("File type '{ext}' is not supported: use .csv or .xlsx")
            }
            ImportError::RejectsWrite(e) => format!("Cannot write the rejects file: {e}"),
            ImportError::Interrupted => {
                "Import interrupted; stored rows are safe, run it again to finish".into()
            }
        }
    }
}

impl From<rusqlite::Error> for ImportError {
    fn from(e: rusqlite::Error) -> Self {
        ImportError::Db(e.into())
    }
}

/// Rows of an input file as raw bytes, with their line numbers (header = line 1).
pub trait RowSource {
    /// The header cells.
    fn header(&self) -> &[String];
    /// Fills `record` with the next row that has any content and returns its line; `None` at
    /// the end. Rows whose every cell is blank are skipped (spreadsheets pad with them).
    fn next_row(&mut self, record: &mut ByteRecord) -> Result<Option<u64>, ImportError>;
    /// Share of the input read so far, when known.
    fn fraction(&self) -> Option<f64>;
    /// About how many rows the input holds, when it can tell without reading it all.
    fn estimated_rows(&self) -> Option<u64>;
}

fn blank(record: &ByteRecord) -> bool {
    record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
}

/// A CSV file: delimiter `,`, `;` or tab, guessed from the header line (Excel in an Indonesian
/// locale writes `;`). Quoted fields may span lines; line numbers are those of the file.
pub struct CsvSource<R: Read> {
    reader: csv::Reader<R>,
    header: Vec<String>,
    total_bytes: Option<u64>,
    name: String,
}

impl CsvSource<BufReader<File>> {
    pub fn open(path: &Path) -> Result<Self, ImportError> {
        let name = path.display().to_string();
        let read_err = |e: std::io::Error| ImportError::Read(name.clone(), e.to_string());
        let mut file = File::open(path).map_err(read_err)?;
        let mut head = vec![0u8; 64 * 1024];
        let n = file.read(&mut head).map_err(read_err)?;
        head.truncate(n);
        let total = file.metadata().map(|m| m.len()).ok();
        let file = File::open(path).map_err(read_err)?;
        CsvSource::new(
            BufReader::with_capacity(1 << 20, file),
            sniff_delimiter(&head),
            total,
            name,
        )
    }
}

/// The delimiter that occurs most in the first line.
pub fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let count = |d: u8| line.iter().filter(|b| **b == d).count();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| count(*d))
        .filter(|d| count(*d) > 0)
        .unwrap_or(b',')
}

impl<R: Read> CsvSource<R> {
    pub fn new(
        input: R,
        delimiter: u8,
        total_bytes: Option<u64>,
        name: String,
    ) -> Result<Self, ImportError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(input);
        let mut first = ByteRecord::new();
        let found = reader
            .read_byte_record(&mut first)
            .map_err(|e| ImportError::Read(name.clone(), e.to_string()))?;
        if !found {
            return Err(ImportError::NoHeader);
        }
        let header = first
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        Ok(CsvSource {
            reader,
            header,
            total_bytes,
            name,
        })
    }
}

impl<R: Read> RowSource for CsvSource<R> {
    fn header(&self) -> &[String] {
        &self.header
    }
    fn next_row(&mut self, record: &mut ByteRecord) -> Result<Option<u64>, ImportError> {
        loop {
            let more = self
                .reader
                .read_byte_record(record)
                .map_err(|e| ImportError::Read(self.name.clone(), e.to_string()))?;
            if !more {
                return Ok(None);
            }
            if !blank(record) {
                return Ok(Some(record.position().map(|p| p.line()).unwrap_or(0)));
            }
        }
    }
    fn estimated_rows(&self) -> Option<u64> {
        // a Dukcapil-style row is 100-150 bytes
        self.total_bytes.map(|b| b / 120)
    }
    fn fraction(&self) -> Option<f64> {
        let total = self.total_bytes.filter(|t| *t > 0)?;
        Some((self.reader.position().byte() as f64 / total as f64).min(1.0))
    }
}

/// The first worksheet of an XLSX (or XLS/ODS) workbook. Numbers that are whole print without a
/// decimal point (a NIK typed as a number); date cells print as YYYY-MM-DD.
pub struct SheetSource {
    range: calamine::Range<calamine::Data>,
    header: Vec<String>,
    /// Row index inside the range of the next row to read.
    next: usize,
    /// Sheet row of the range's first row (0-based).
    first_row: u64,
}

impl SheetSource {
    pub fn open(path: &Path) -> Result<Self, ImportError> {
        use calamine::Reader;
        let name = path.display().to_string();
        let err = |e: String| ImportError::Read(name.clone(), e);
        let mut book = calamine::open_workbook_auto(path).map_err(|e| err(e.to_string()))?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(|| err("tidak ada lembar kerja".into()))?
            .map_err(|e| err(e.to_string()))?;
        Self::from_range(range)
    }

    pub fn from_range(range: calamine::Range<calamine::Data>) -> Result<Self, ImportError> {
        let first_row = range.start().map(|(r, _)| u64::from(r)).unwrap_or(0);
        let header: Vec<String> = range
            .rows()
            .next()
            .ok_or(ImportError::NoHeader)?
            .iter()
            .map(cell_text)
            .collect();
        if header.iter().all(|h| h.trim().is_empty()) {
            return Err(ImportError::NoHeader);
        }
        Ok(SheetSource {
            range,
            header,
            next: 1,
            first_row,
        })
    }
}

/// A cell as the text a CSV export would hold.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e17 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        Data::DateTime(dt) => {
            // Excel's day 0 is 1899-12-30 in the 1900 date system.
            let base = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
            base.checked_add_signed(chrono::Duration::days(dt.as_f64().floor() as i64))
                .map(|d| d.to_string())
                .unwrap_or_default()
        }
        Data::Error(e) => format!("#{e:?}"),
    }
}

impl RowSource for SheetSource {
    fn header(&self) -> &[String] {
        &self.header
    }
    fn next_row(&mut self, record: &mut ByteRecord) -> Result<Option<u64>, ImportError> {
        let width = self.header.len();
        while self.next < self.range.height() {
            let index = self.next;
            self.next += 1;
            record.clear();
            let mut last_filled = 0;
            let cells: Vec<String> = (0..self.range.width())
                .map(|c| {
                    let text = self
                        .range
                        .get((index, c))
                        .map(cell_text)
                        .unwrap_or_default();
                    if !text.trim().is_empty() {
                        last_filled = c + 1;
                    }
                    text
                })
                .collect();
            // A sheet row is as wide as the sheet: cut it to the header unless cells beyond it
            // hold something (then the width check refuses the row).
            let keep = width.max(last_filled);
            for text in cells.iter().take(keep) {
                record.push_field(text.as_bytes());
            }
            if !blank(record) {
                return Ok(Some(self.first_row + index as u64 + 1));
            }
        }
        Ok(None)
    }
    fn estimated_rows(&self) -> Option<u64> {
        Some(self.range.height().saturating_sub(1) as u64)
    }
    fn fraction(&self) -> Option<f64> {
        let h = self.range.height();
        (h > 0).then(|| self.next as f64 / h as f64)
    }
}

/// Opens a resident list by its extension: `.csv` (or `.txt`), `.xlsx`/`.xlsm`/`.xls`/`.ods`.
pub fn open_source(path: &Path) -> Result<Box<dyn RowSource>, ImportError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "txt" | "tsv" => Ok(Box::new(CsvSource::open(path)?)),
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => Ok(Box::new(SheetSource::open(path)?)),
        _ => Err(ImportError::UnsupportedFormat(ext)),
    }
}

/// The rejects file: `line`, `reason`, then the original cells exactly as read, so it can be
/// fixed and imported again (the two extra columns are ignored on re-import).
pub struct RejectsWriter {
    writer: csv::Writer<Box<dyn Write + Send>>,
}

impl RejectsWriter {
    pub fn create(path: &Path) -> Result<Self, ImportError> {
        let file = File::create(path).map_err(|e| ImportError::RejectsWrite(e.to_string()))?;
        super::restrict_permissions(path);
        Ok(Self::new(Box::new(std::io::BufWriter::new(file))))
    }
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        RejectsWriter {
            writer: csv::Writer::from_writer(out),
        }
    }
    fn write_header(&mut self, header: &[String]) -> Result<(), ImportError> {
        let mut rec = ByteRecord::new();
        rec.push_field(b"line");
        rec.push_field(b"reason");
        for h in header {
            rec.push_field(h.as_bytes());
        }
        self.write(&rec)
    }
    fn write_reject(
        &mut self,
        line: u64,
        reason: &str,
        cells: &ByteRecord,
    ) -> Result<(), ImportError> {
        let mut rec = ByteRecord::new();
        rec.push_field(line.to_string().as_bytes());
        rec.push_field(reason.as_bytes());
        for f in cells {
            rec.push_field(f);
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

/// What happens to one checked row in the database.
enum Outcome {
    Imported,
    Updated(i64),
    Unchanged,
    Rejected(RowProblem),
}

const INSERT_SQL: &str = "INSERT INTO resident (nik, kk, name, name_key, sex, birth_place, birth_date,
        address, rt, rw, village_code, phone, education, employment, desil, desil_source,
        desil_as_of, stunting_household, disability, nik_mismatch_confirmed, created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?21)
     ON CONFLICT(nik) DO NOTHING";

/// The stored resident with this NIK: id, name, and whether every imported field is equal.
const SAME_SQL: &str = "SELECT id, name,
        kk IS ?2 AND name = ?3 AND sex = ?5 AND birth_place = ?6 AND birth_date = ?7
        AND address = ?8 AND rt = ?9 AND rw = ?10 AND village_code IS ?11 AND phone = ?12
        AND education IS ?13 AND employment IS ?14 AND desil IS ?15 AND desil_source IS ?16
        AND desil_as_of IS ?17 AND stunting_household = ?18 AND disability = ?19
        AND nik_mismatch_confirmed = ?20
     FROM resident WHERE nik = ?1";

const UPDATE_SQL: &str = "UPDATE resident SET kk = ?2, name = ?3, name_key = ?4, sex = ?5,
        birth_place = ?6, birth_date = ?7, address = ?8, rt = ?9, rw = ?10, village_code = ?11,
        phone = ?12, education = ?13, employment = ?14, desil = ?15, desil_source = ?16,
        desil_as_of = ?17, stunting_household = ?18, disability = ?19, nik_mismatch_confirmed = ?20,
        updated_at = ?21
     WHERE nik = ?1";

fn apply(
    tx: &Connection,
    fts: Option<&mut FtsDeferral>,
    row: &ResidentRow,
    now: &str,
    update: bool,
) -> Result<Outcome, DbError> {
    let values = params![
        row.nik,
        row.kk,
        row.name,
        row.name_key,
        row.sex.code(),
        row.birth_place,
        row.birth_date,
        row.address,
        row.rt,
        row.rw,
        row.village_code,
        row.phone,
        row.education,
        row.employment,
        row.desil,
        row.desil_source,
        row.desil_as_of,
        row.stunting_household,
        row.disability,
        row.nik_mismatch_confirmed,
        now,
    ];
    if !update && tx.prepare_cached(INSERT_SQL)?.execute(values)? == 1 {
        return Ok(Outcome::Imported);
    }
    let stored: Option<(i64, String, bool)> = tx
        .prepare_cached(SAME_SQL)?
        .query_row(&values[..20], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    match stored {
        None if update => {
            // only reached for a NIK earlier in the file, which is stored: kept for safety
            tx.prepare_cached(INSERT_SQL)?.execute(values)?;
            Ok(Outcome::Imported)
        }
        None => Ok(Outcome::Imported),
        Some((_, _, true)) => Ok(Outcome::Unchanged),
        Some((id, _, false)) if update => {
            // the update trigger deletes the old name from the search index: it must be there
            if let Some(fts) = fts.filter(|f| id > f.max_before) {
                fts.flush(tx)?;
            }
            tx.prepare_cached(UPDATE_SQL)?.execute(values)?;
            Ok(Outcome::Updated(id))
        }
        Some((_, name, false)) => Ok(Outcome::Rejected(RowProblem::NikExists { name })),
    }
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
    let old_cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    if opts.bulk {
        // The NIK index is still filled row by row: keep it in memory (pages are only used
        // as needed, up to 256 MB).
        conn.pragma_update(None, "cache_size", -262_144)?;
    }
    let result = import_body(conn, actor, source, rejects, opts, on_progress, on_reject);
    conn.pragma_update(None, "cache_size", old_cache)?;
    result
}

/// Whether [`ImportOptions::bulk`] is faster for this input: at least 50,000 rows and at
/// least a tenth of the residents already stored (rebuilding their indexes must pay off).
pub fn bulk_recommended(conn: &Connection, source: &dyn RowSource) -> Result<bool, DbError> {
    let stored: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM resident", [], |r| {
        r.get(0)
    })?;
    let rows = source.estimated_rows().unwrap_or(0);
    Ok(rows >= 50_000 && rows >= u64::try_from(stored).unwrap_or(0) / 10)
}

/// Drops the resident table's non-unique indexes; returns their SQL to rebuild them.
fn drop_secondary_indexes(conn: &Connection) -> Result<Vec<String>, DbError> {
    let indexes: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'resident'
             AND sql IS NOT NULL AND upper(sql) NOT LIKE 'CREATE UNIQUE%'",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (name, _) in &indexes {
        conn.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}

/// Fills the search index for a transaction's new residents in one statement instead of by
/// the insert trigger row by row. Measured: FTS5 flushes its pending terms at every statement
/// savepoint, so the trigger writes one tiny segment per row and then merges them (300,000 rows:
/// 5 s through the trigger, 0.4 s in one INSERT ... SELECT). The trigger is dropped and re-created
/// inside the same transaction, so no other connection ever sees it missing.
struct FtsDeferral {
    trigger_sql: Option<String>,
    max_before: i64,
}

impl FtsDeferral {
    fn begin(tx: &Connection) -> Result<FtsDeferral, DbError> {
        let trigger_sql: Option<String> = tx
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'resident_fts_insert'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if trigger_sql.is_some() {
            tx.execute_batch("DROP TRIGGER resident_fts_insert")?;
        }
        let max_before = tx.query_row("SELECT coalesce(max(id), 0) FROM resident", [], |r| {
            r.get(0)
        })?;
        Ok(FtsDeferral {
            trigger_sql,
            max_before,
        })
    }

    /// Indexes the residents inserted so far (before one of them is updated).
    fn flush(&mut self, tx: &Connection) -> Result<(), DbError> {
        if self.trigger_sql.is_some() {
            tx.prepare_cached(
                "INSERT INTO resident_fts(rowid, name_key) SELECT id, name_key FROM resident WHERE id > ?1",
            )?
            .execute([self.max_before])?;
            self.max_before =
                tx.query_row("SELECT coalesce(max(id), 0) FROM resident", [], |r| {
                    r.get(0)
                })?;
        }
        Ok(())
    }

    fn finish(mut self, tx: &Connection) -> Result<(), DbError> {
        self.flush(tx)?;
        if let Some(sql) = self.trigger_sql {
            tx.execute_batch(&sql)?;
        }
        Ok(())
    }
}

#[allow(clippy::too_many_arguments)]
fn import_body(
    conn: &Connection,
    actor: &Actor,
    source: &mut dyn RowSource,
    mut rejects: Option<&mut RejectsWriter>,
    opts: &ImportOptions,
    on_progress: &mut dyn FnMut(&Progress),
    on_reject: &mut dyn FnMut(&Rejected),
) -> Result<Summary, ImportError> {
    let started = Instant::now();
    let header = HeaderMap::from_headers(source.header()).map_err(ImportError::MissingColumns)?;
    if let Some(w) = rejects.as_deref_mut() {
        w.write_header(source.header())?;
    }
    let districts = reference::district_names(conn)?;
    let villages: HashSet<String> = conn
        .prepare("SELECT code FROM village")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let rules = RowRules {
        today: opts.today,
        districts: &districts,
        villages: &villages,
        accept_warnings: opts.accept_warnings,
    };
    // NIKs accepted so far in this file, with their line: a later row with one is a duplicate.
    let mut seen: HashMap<u64, u64> = HashMap::new();
    let mut counts = Counts::default();
    let mut record = ByteRecord::new();
    let mut batch_no = 0u32;
    let mut cancelled = false;
    let mut finished = false;
    let report =
        |counts: Counts, source: &dyn RowSource, on_progress: &mut dyn FnMut(&Progress)| {
            on_progress(&Progress {
                counts,
                fraction: source.fraction(),
                elapsed: started.elapsed(),
            });
        };
    let (bulk_tx, bulk_indexes, mut bulk_fts) = if opts.bulk {
        let tx = super::immediate(conn)?;
        let indexes = drop_secondary_indexes(&tx)?;
        let fts = FtsDeferral::begin(&tx)?;
        (Some(tx), indexes, Some(fts))
    } else {
        (None, Vec::new(), None)
    };
    while !finished {
        let batch_tx = match bulk_tx {
            Some(_) => None,
            None => Some(Transaction::new_unchecked(
                conn,
                TransactionBehavior::Immediate,
            )?),
        };
        let tx: &Connection = match (&batch_tx, &bulk_tx) {
            (Some(t), _) => t,
            (None, Some(t)) => t,
            (None, None) => conn,
        };
        let mut batch_fts = match &batch_tx {
            Some(t) => Some(FtsDeferral::begin(t)?),
            None => None,
        };
        let now = now_text();
        let before = counts;
        let mut first_line = 0;
        let mut last_line = 0;
        let mut updated_ids = Vec::new();
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
                return Err(ImportError::Interrupted); // `tx` is dropped: rolled back
            }
            let Some(line) = source.next_row(&mut record)? else {
                finished = true;
                break;
            };
            in_batch += 1;
            counts.read += 1;
            if first_line == 0 {
                first_line = line;
            }
            last_line = line;
            let problems = match decode(&record) {
                None => vec![RowProblem::NotUtf8],
                Some(cells) => match check_row(&header, &cells, &rules) {
                    Err(problems) => problems,
                    Ok(row) => {
                        let earlier = seen.get(&row.nik_number).copied();
                        let outcome = match earlier {
                            Some(line) if !opts.update_existing => {
                                Outcome::Rejected(RowProblem::DuplicateInFile { line })
                            }
                            _ => apply(
                                tx,
                                batch_fts.as_mut().or(bulk_fts.as_mut()),
                                &row,
                                &now,
                                earlier.is_some(),
                            )?,
                        };
                        match outcome {
                            Outcome::Imported => counts.imported += 1,
                            Outcome::Updated(id) => {
                                counts.updated += 1;
                                updated_ids.push(id);
                            }
                            Outcome::Unchanged => counts.unchanged += 1,
                            Outcome::Rejected(p) => {
                                counts.rejected += 1;
                                reject(&mut rejects, on_reject, line, vec![p], &record)?;
                                continue;
                            }
                        }
                        seen.entry(row.nik_number).or_insert(line);
                        Vec::new()
                    }
                },
            };
            if !problems.is_empty() {
                counts.rejected += 1;
                reject(&mut rejects, on_reject, line, problems, &record)?;
            }
            if counts.read.is_multiple_of(1000) {
                report(counts, source, on_progress);
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
                actor,
                "import",
                "resident",
                &opts.source_name,
                None,
                Some(&batch),
            )?;
        }
        if let (Some(t), Some(fts)) = (batch_tx, batch_fts) {
            fts.finish(&t)?;
            t.commit()?;
        }
        report(counts, source, on_progress);
    }
    if let (Some(tx), Some(fts)) = (bulk_tx, bulk_fts) {
        fts.finish(&tx)?;
        for sql in bulk_indexes {
            tx.execute_batch(&sql)?;
        }
        tx.commit()?;
    }
    if let Some(w) = rejects {
        w.flush()?;
    }
    Ok(Summary {
        counts,
        cancelled,
        elapsed: started.elapsed(),
    })
}

fn reject(
    rejects: &mut Option<&mut RejectsWriter>,
    on_reject: &mut dyn FnMut(&Rejected),
    line: u64,
    problems: Vec<RowProblem>,
    record: &ByteRecord,
) -> Result<(), ImportError> {
    if let Some(w) = rejects.as_deref_mut() {
        w.write_reject(line, &reasons_text(&problems), record)?;
    }
    on_reject(&Rejected { line, problems });
    Ok(())
}

/// The cells as text, or None when any is not UTF-8.
fn decode(record: &ByteRecord) -> Option<Vec<&str>> {
    record.iter().map(|f| std::str::from_utf8(f).ok()).collect()
}
