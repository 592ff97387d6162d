//! Where the rows of an import come from: CSV files (raw bytes, delimiter guessed) and the first
//! worksheet of a spreadsheet, each row with its line number in the file (header = line 1).
//!
//! Never trusts what a file claims about itself: a line number is counted, not taken from the
//! parser's guess (CRLF, LF and CR-only files alike); a worksheet is read cell by cell on its own
//! thread, never as the rectangle its cells span (one cell at XFD1048576 would claim 17 billion).

use std::fs::File;
use std::io::{BufReader, Chain, Cursor, Read};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use chrono::NaiveDate;
use csv::ByteRecord;

use super::ImportError;
pub use crate::domain::import_row::RowNotes;

/// Rows of an input file as raw bytes, with their line numbers (header = line 1).
pub trait RowSource: Send {
    /// The header cells.
    fn header(&self) -> &[String];
    /// Fills `record` with the next row that has any content and returns its line; `None` at
    /// the end. Rows whose every cell is blank are skipped (spreadsheets pad with them).
    fn next_row(&mut self, record: &mut ByteRecord) -> Result<Option<u64>, ImportError>;
    /// What the file said about the row just read that its cells cannot say.
    fn notes(&self) -> RowNotes<'_> {
        RowNotes::default()
    }
    /// Share of the input read so far, when known.
    fn fraction(&self) -> Option<f64>;
    /// About how many rows the input holds, when it can tell without reading it all.
    fn estimated_rows(&self) -> Option<u64>;
}

pub(super) fn blank(record: &ByteRecord) -> bool {
    record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
}

/// The input with its head, read ahead to tell its line ends, put back in front.
type Headed<R> = Chain<Cursor<Vec<u8>>, BufReader<R>>;

/// A CSV file: delimiter `,`, `;` or tab, guessed from the header line (Excel in an Indonesian
/// locale writes `;`). Quoted fields may span lines; line numbers are those of the file, whatever
/// ends its lines (LF, CRLF as Excel and Python write, or CR alone as old Macs did).
pub struct CsvSource<R: Read> {
    reader: csv::Reader<LineEnds<Headed<R>>>,
    header: Vec<String>,
    total_bytes: Option<u64>,
    name: String,
    delimiter: u8,
    /// A copy of a last cell while its CR is cut off.
    scratch: Vec<u8>,
    open_quote: Option<(u64, u64)>,
}

impl CsvSource<File> {
    pub fn open(path: &Path) -> Result<Self, ImportError> {
        let name = path.display().to_string();
        let read_err = |e: std::io::Error| ImportError::Read(name.clone(), e.to_string());
        let mut file = File::open(path).map_err(read_err)?;
        let mut head = vec![0u8; 64 * 1024];
        let n = file.read(&mut head).map_err(read_err)?;
        head.truncate(n);
        let total = file.metadata().map(|m| m.len()).ok();
        let file = File::open(path).map_err(read_err)?;
        CsvSource::new(file, sniff_delimiter(&head), total, name)
    }
}

/// The delimiter that occurs most in the first line.
pub fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head
        .split(|b| matches!(b, b'\n' | b'\r'))
        .next()
        .unwrap_or(&[]);
    let count = |d: u8| line.iter().filter(|b| **b == d).count();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| count(*d))
        .filter(|d| count(*d) > 0)
        .unwrap_or(b',')
}

/// Bytes read to tell how a CSV file ends its lines.
const HEAD_BYTES: usize = 64 * 1024;

/// A cell that holds more lines than this is a quote left open, whatever the lines hold.
const MAX_LINES_IN_CELL: usize = 8;

impl<R: Read> CsvSource<R> {
    pub fn new(
        input: R,
        delimiter: u8,
        total_bytes: Option<u64>,
        name: String,
    ) -> Result<Self, ImportError> {
        let read_err = |e: String| ImportError::Read(name.clone(), e);
        let mut input = BufReader::with_capacity(1 << 20, input);
        // The head is read in full (a reader may hand out a byte at a time): a file with CRs
        // and no LF in its first 64 KiB ends its lines with CR alone.
        let mut head = Vec::with_capacity(HEAD_BYTES);
        (&mut input)
            .take(HEAD_BYTES as u64)
            .read_to_end(&mut head)
            .map_err(|e| read_err(e.to_string()))?;
        let cr_only = head.contains(&b'\r') && !head.contains(&b'\n');
        // Lines end at LF only, so the parser counts every line ending once (a CRLF's CR stays
        // at the end of the last cell and is cut off there; CR-only input is read as LF).
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(LineEnds {
                inner: Cursor::new(head).chain(input),
                cr_only,
                last: None,
                carry: None,
            });
        let mut source = CsvSource {
            reader,
            header: Vec::new(),
            total_bytes,
            name: name.clone(),
            delimiter,
            scratch: Vec::new(),
            open_quote: None,
        };
        let mut first = ByteRecord::new();
        loop {
            match source.read(&mut first)? {
                None => return Err(ImportError::NoHeader),
                Some(_) if blank(&first) => continue,
                Some(_) => break,
            }
        }
        source.header = first
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        Ok(source)
    }

    /// The next record and the line it starts on.
    ///
    /// Lines end at LF: the CR of a CRLF stays at the end of the record's last cell and is cut
    /// off here, so a CRLF counts once (with CRLF as the terminator the csv crate counted its LF
    /// in the next record, one line early). [`LineEnds`] keeps the parser from skipping empty
    /// lines, which it did before noting where the next record starts.
    fn read(&mut self, record: &mut ByteRecord) -> Result<Option<u64>, ImportError> {
        let more = self
            .reader
            .read_byte_record(record)
            .map_err(|e| ImportError::Read(self.name.clone(), e.to_string()))?;
        if !more {
            return Ok(None);
        }
        if let Some(last) = record.len().checked_sub(1)
            && record[last].ends_with(b"\r")
        {
            self.scratch.clear();
            self.scratch
                .extend_from_slice(&record[last][..record[last].len() - 1]);
            record.truncate(last);
            record.push_field(&self.scratch);
        }
        let line = record.position().map_or(1, |p| p.line());
        let breaks = |bytes: &[u8]| bytes.iter().filter(|b| **b == b'\n').count() as u64;
        self.open_quote =
            (breaks(record.as_slice()) > 0 && self.swallowed_rows(record)).then(|| {
                // the lines it swallowed, up to the last with content (the file's last line break
                // may be inside the open quote)
                let bytes = record.as_slice();
                let end = bytes
                    .iter()
                    .rposition(|b| !matches!(b, b'\n' | b'\r'))
                    .map_or(0, |i| i + 1);
                (line, line + breaks(&bytes[..end]))
            });
        Ok(Some(line))
    }

    /// Whether a record whose cells hold line breaks is rows folded into one by a quote that
    /// was never closed: a cell of more than [`MAX_LINES_IN_CELL`] lines, or one whose later
    /// lines hold as many delimiters as half a row (an address never needs them).
    fn swallowed_rows(&self, record: &ByteRecord) -> bool {
        let row_like = (self.header.len().saturating_sub(1) / 2).max(3);
        record.iter().any(|cell| {
            let mut lines = cell.split(|b| *b == b'\n');
            lines.next();
            let mut count = 0;
            lines.any(|line| {
                count += 1;
                count >= MAX_LINES_IN_CELL
                    || line.iter().filter(|b| **b == self.delimiter).count() >= row_like
            })
        })
    }
}

impl<R: Read + Send> RowSource for CsvSource<R> {
    fn header(&self) -> &[String] {
        &self.header
    }
    fn next_row(&mut self, record: &mut ByteRecord) -> Result<Option<u64>, ImportError> {
        while let Some(line) = self.read(record)? {
            if !blank(record) {
                return Ok(Some(line));
            }
        }
        Ok(None)
    }
    fn notes(&self) -> RowNotes<'_> {
        RowNotes {
            open_quote: self.open_quote,
            ..RowNotes::default()
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

/// The bytes of a CSV file as the parser should see them: CR-only line ends read as LF, and a CR
/// put into every empty line after the first line. The parser skips an empty line without
/// counting it in the line of the record after it; a line holding a CR is a record of one blank
/// cell instead (skipped as blank, its line counted), and inside a quoted cell the CR goes where
/// the cell's line break is read anyway.
struct LineEnds<R> {
    inner: R,
    cr_only: bool,
    /// The last byte handed on.
    last: Option<u8>,
    /// A byte that did not fit into a one-byte read.
    carry: Option<u8>,
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if let Some(b) = self.carry.take() {
            buf[0] = b;
            return Ok(1);
        }
        if buf.len() < 2 {
            let mut two = [0; 2];
            let n = self.read(&mut two)?;
            if n == 2 {
                self.carry = Some(two[1]);
            }
            buf[..n.min(1)].copy_from_slice(&two[..n.min(1)]);
            return Ok(n.min(1));
        }
        // Read into the first half: every byte may need a CR before it.
        let half = buf.len() / 2;
        let n = self.inner.read(&mut buf[..half])?;
        if n == 0 {
            return Ok(0);
        }
        if self.cr_only {
            buf[..n]
                .iter_mut()
                .filter(|b| **b == b'\r')
                .for_each(|b| *b = b'\n');
        }
        let first_previous = self.last;
        let mut previous = first_previous;
        let mut empty_lines = 0;
        for b in &buf[..n] {
            empty_lines += usize::from(*b == b'\n' && previous == Some(b'\n'));
            previous = Some(*b);
        }
        self.last = previous;
        if empty_lines == 0 {
            return Ok(n);
        }
        // Spread the bytes out from the back, a CR before each LF that ends an empty line; a byte
        // is moved no further forward than its place, so the one before it is still unread.
        let mut to = n + empty_lines;
        for from in (0..n).rev() {
            let b = buf[from];
            to -= 1;
            buf[to] = b;
            let before = if from == 0 {
                first_previous
            } else {
                Some(buf[from - 1])
            };
            if b == b'\n' && before == Some(b'\n') {
                to -= 1;
                buf[to] = b'\r';
            }
        }
        Ok(n + empty_lines)
    }
}

/// The columns a worksheet may use. loket knows 19 columns and registry exports hold a few dozen.
/// A sheet whose `<dimension>` claims more is refused before any row is read; a cell further
/// right that the dimension did not announce refuses its row, which keeps the first
/// `MAX_SHEET_COLUMNS` cells (so neither memory nor the rejects file grows with the claim).
pub const MAX_SHEET_COLUMNS: u32 = 256;

/// Rows handed from the worksheet's reading thread at a time.
const SHEET_CHUNK_ROWS: usize = 256;

/// One worksheet row as read: its line, its cells up to the last one with content, and which
/// of them were numbers.
struct SheetRow {
    line: u64,
    cells: Vec<String>,
    numeric: Vec<usize>,
    far_cell: Option<String>,
}

enum SheetMsg {
    /// The first row with content, and the rows the sheet says it holds.
    Header(Vec<String>, Option<u64>),
    Rows(Vec<SheetRow>),
    End,
}

/// The first worksheet of an XLSX/XLSM/XLSB (or XLS) workbook, read cell by cell on a thread of
/// its own and handed over a row at a time: memory follows the cells the file holds, never the
/// size its cells span or its `<dimension>` claims. Numbers that are whole print without a
/// decimal point (a NIK typed as a number); date cells print as YYYY-MM-DD.
pub struct SheetSource {
    rows: Receiver<Result<SheetMsg, ImportError>>,
    pending: std::vec::IntoIter<SheetRow>,
    header: Vec<String>,
    name: String,
    numeric: Vec<usize>,
    far_cell: Option<String>,
    claimed_rows: Option<u64>,
    rows_read: u64,
    ended: bool,
}

impl SheetSource {
    pub fn open(path: &Path) -> Result<Self, ImportError> {
        let name = path.display().to_string();
        let (sender, rows) = sync_channel(4);
        let owned = path.to_path_buf();
        let reader_name = name.clone();
        std::thread::Builder::new()
            .name("sheet reader".into())
            .spawn(move || {
                let mut builder = RowBuilder::new(sender.clone());
                if let Err(e) =
                    read_sheet(&owned, &reader_name, &mut builder).and_then(|()| builder.finish())
                {
                    let _ = sender.send(Err(e));
                }
            })
            .map_err(|e| ImportError::Read(name.clone(), e.to_string()))?;
        let mut source = SheetSource {
            rows,
            pending: Vec::new().into_iter(),
            header: Vec::new(),
            name,
            numeric: Vec::new(),
            far_cell: None,
            claimed_rows: None,
            rows_read: 0,
            ended: false,
        };
        match source.receive()? {
            Some(SheetMsg::Header(header, claimed)) => {
                source.header = header;
                source.claimed_rows = claimed;
                Ok(source)
            }
            _ => Err(ImportError::NoHeader),
        }
    }

    fn receive(&mut self) -> Result<Option<SheetMsg>, ImportError> {
        match self.rows.recv() {
            Ok(Ok(msg)) => Ok(Some(msg)),
            Ok(Err(e)) => Err(e),
            // the reading thread died without saying why (a panic inside the reader)
            Err(_) => Err(ImportError::Read(
                self.name.clone(),
                "pembaca lembar kerja berhenti".into(),
            )),
        }
    }
}

/// Reads the first worksheet of the workbook at `path` into `rows`.
fn read_sheet(path: &Path, name: &str, rows: &mut RowBuilder) -> Result<(), ImportError> {
    use calamine::Reader;
    let err = |e: String| ImportError::Read(name.to_string(), e);
    let no_sheet = || err("tidak ada lembar kerja".into());
    let ext = extension(path);
    match ext.as_str() {
        "xlsx" | "xlsm" => {
            let mut book: calamine::Xlsx<_> = calamine::open_workbook(path)
                .map_err(|e: calamine::XlsxError| err(e.to_string()))?;
            let sheet = book.sheet_names().first().cloned().ok_or_else(no_sheet)?;
            let mut cells = book
                .worksheet_cells_reader(&sheet)
                .map_err(|e| err(e.to_string()))?;
            rows.claimed(cells.dimensions())?;
            while let Some(cell) = cells.next_cell().map_err(|e| err(e.to_string()))? {
                rows.push(
                    cell.get_position(),
                    &calamine::Data::from(cell.get_value().clone()),
                )?;
            }
        }
        "xlsb" => {
            let mut book: calamine::Xlsb<_> = calamine::open_workbook(path)
                .map_err(|e: calamine::XlsbError| err(e.to_string()))?;
            let sheet = book.sheet_names().first().cloned().ok_or_else(no_sheet)?;
            let mut cells = book
                .worksheet_cells_reader(&sheet)
                .map_err(|e| err(e.to_string()))?;
            rows.claimed(cells.dimensions())?;
            while let Some(cell) = cells.next_cell().map_err(|e| err(e.to_string()))? {
                rows.push(
                    cell.get_position(),
                    &calamine::Data::from(cell.get_value().clone()),
                )?;
            }
        }
        _ => {
            // XLS has no cell reader; its format bounds a sheet to 65,536 x 256 cells.
            let mut book = calamine::open_workbook_auto(path).map_err(|e| err(e.to_string()))?;
            let range = book
                .worksheet_range_at(0)
                .ok_or_else(no_sheet)?
                .map_err(|e| err(e.to_string()))?;
            let (top, left) = range.start().unwrap_or((0, 0));
            for (r, c, data) in range.used_cells() {
                rows.push((top + r as u32, left + c as u32), data)?;
            }
        }
    }
    Ok(())
}

/// Groups a worksheet's cells, in the order the file lists them, into rows for the reader.
struct RowBuilder {
    out: SyncSender<Result<SheetMsg, ImportError>>,
    header_sent: bool,
    claimed: Option<u64>,
    row: Option<u32>,
    cells: Vec<String>,
    numeric: Vec<usize>,
    far_cell: Option<String>,
    chunk: Vec<SheetRow>,
}

/// The reader hung up: the import stopped, so reading stops too.
fn hung_up() -> ImportError {
    ImportError::Interrupted
}

impl RowBuilder {
    fn new(out: SyncSender<Result<SheetMsg, ImportError>>) -> RowBuilder {
        RowBuilder {
            out,
            header_sent: false,
            claimed: None,
            row: None,
            cells: Vec::new(),
            numeric: Vec::new(),
            far_cell: None,
            chunk: Vec::with_capacity(SHEET_CHUNK_ROWS),
        }
    }

    /// The sheet's `<dimension>`: refused when wider than [`MAX_SHEET_COLUMNS`], otherwise
    /// only for the progress bar.
    fn claimed(&mut self, d: calamine::Dimensions) -> Result<(), ImportError> {
        if d.end.1 >= MAX_SHEET_COLUMNS {
            return Err(ImportError::SheetTooWide {
                claimed: format!(
                    "{}:{}",
                    cell_name(d.start.0, d.start.1),
                    cell_name(d.end.0, d.end.1)
                ),
                max_columns: MAX_SHEET_COLUMNS,
            });
        }
        self.claimed = Some(u64::from(d.end.0.saturating_sub(d.start.0)));
        Ok(())
    }

    fn push(&mut self, (row, col): (u32, u32), data: &calamine::Data) -> Result<(), ImportError> {
        if matches!(data, calamine::Data::Empty) {
            return Ok(());
        }
        if self.row != Some(row) {
            self.end_row()?;
            self.row = Some(row);
        }
        if col >= MAX_SHEET_COLUMNS {
            self.far_cell.get_or_insert_with(|| cell_name(row, col));
            return Ok(());
        }
        let col = col as usize;
        if self.cells.len() <= col {
            self.cells.resize(col + 1, String::new());
        }
        self.cells[col] = cell_text(data);
        if matches!(data, calamine::Data::Int(_) | calamine::Data::Float(_)) {
            self.numeric.push(col);
        }
        Ok(())
    }

    fn end_row(&mut self) -> Result<(), ImportError> {
        let Some(row) = self.row.take() else {
            return Ok(());
        };
        let cells = std::mem::take(&mut self.cells);
        let numeric = std::mem::take(&mut self.numeric);
        let far_cell = self.far_cell.take();
        if !self.header_sent {
            if cells.iter().all(|c| c.trim().is_empty()) {
                return Ok(());
            }
            self.header_sent = true;
            let claimed = self.claimed;
            return self
                .out
                .send(Ok(SheetMsg::Header(cells, claimed)))
                .map_err(|_| hung_up());
        }
        self.chunk.push(SheetRow {
            line: u64::from(row) + 1,
            cells,
            numeric,
            far_cell,
        });
        if self.chunk.len() >= SHEET_CHUNK_ROWS {
            let rows = std::mem::replace(&mut self.chunk, Vec::with_capacity(SHEET_CHUNK_ROWS));
            self.out
                .send(Ok(SheetMsg::Rows(rows)))
                .map_err(|_| hung_up())?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), ImportError> {
        self.end_row()?;
        if !self.header_sent {
            return Err(ImportError::NoHeader);
        }
        let rows = std::mem::take(&mut self.chunk);
        self.out
            .send(Ok(SheetMsg::Rows(rows)))
            .and_then(|()| self.out.send(Ok(SheetMsg::End)))
            .map_err(|_| hung_up())
    }
}

/// `A1` notation of a 0-based cell position (`XFD1048576`).
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!(
        "{}{}",
        String::from_utf8_lossy(&letters),
        u64::from(row) + 1
    )
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
            let days = dt.as_f64().floor();
            (days.abs() < 1e7)
                .then(|| base.checked_add_signed(chrono::Duration::days(days as i64)))
                .flatten()
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
        loop {
            let Some(row) = self.pending.next() else {
                if self.ended {
                    return Ok(None);
                }
                match self.receive()? {
                    Some(SheetMsg::Rows(rows)) => self.pending = rows.into_iter(),
                    _ => self.ended = true,
                }
                continue;
            };
            self.rows_read += 1;
            record.clear();
            // A row is cut to the header unless cells beyond it hold something (then the width
            // check refuses the row); a shorter one is padded, as spreadsheets leave cells out.
            let filled = row
                .cells
                .iter()
                .rposition(|c| !c.trim().is_empty())
                .map_or(0, |i| i + 1);
            let keep = width.max(filled);
            for i in 0..keep {
                record.push_field(row.cells.get(i).map_or(&b""[..], |c| c.as_bytes()));
            }
            if !blank(record) || row.far_cell.is_some() {
                self.numeric = row.numeric;
                self.numeric.retain(|c| *c < keep);
                self.far_cell = row.far_cell;
                return Ok(Some(row.line));
            }
        }
    }
    fn notes(&self) -> RowNotes<'_> {
        RowNotes {
            numeric: &self.numeric,
            far_cell: self.far_cell.as_deref(),
            ..RowNotes::default()
        }
    }
    fn estimated_rows(&self) -> Option<u64> {
        self.claimed_rows
    }
    fn fraction(&self) -> Option<f64> {
        let claimed = self.claimed_rows.filter(|c| *c > 0)?;
        Some((self.rows_read as f64 / claimed as f64).min(1.0))
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Opens a resident list by its extension: `.csv` (or `.txt`, `.tsv`), `.xlsx`/`.xlsm`/`.xlsb`/
/// `.xls`. (OpenDocument sheets are refused: calamine reads them only as a whole rectangle, whose
/// size the file chooses.)
pub fn open_source(path: &Path) -> Result<Box<dyn RowSource>, ImportError> {
    let ext = extension(path);
    match ext.as_str() {
        "csv" | "txt" | "tsv" => Ok(Box::new(CsvSource::open(path)?)),
        "xlsx" | "xlsm" | "xls" | "xlsb" => Ok(Box::new(SheetSource::open(path)?)),
        _ => Err(ImportError::UnsupportedFormat(ext)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(bytes: &[u8]) -> Vec<(u64, Vec<String>)> {
        let mut source = CsvSource::new(bytes, b',', None, "t.csv".into()).unwrap();
        let mut record = ByteRecord::new();
        let mut out = Vec::new();
        while let Some(line) = source.next_row(&mut record).unwrap() {
            let cells = record
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            out.push((line, cells));
        }
        out
    }

    #[test]
    fn line_numbers_count_every_kind_of_line_end() {
        let cells = |s: &str| s.split(',').map(str::to_string).collect::<Vec<_>>();
        for ending in ["\n", "\r\n", "\r"] {
            let quoted = format!("\"e{ending}f\",g");
            let text = ["h1,h2", "a,b", "", "c,d", &quoted, "i,j"].join(ending);
            let rows = lines(text.as_bytes());
            let found: Vec<u64> = rows.iter().map(|(l, _)| *l).collect();
            assert_eq!(found, [2, 4, 5, 7], "{ending:?}");
            assert_eq!(rows[0].1, cells("a,b"), "{ending:?}");
            assert_eq!(rows[3].1, cells("i,j"), "{ending:?}");
        }
        // mixed, and a last line with its ending
        let rows = lines(b"h1,h2\r\na,b\nc,d\r\n\r\ne,f\r\n");
        let found: Vec<u64> = rows.iter().map(|(l, _)| *l).collect();
        assert_eq!(found, [2, 3, 5]);
        assert_eq!(rows[2].1, cells("e,f"));
    }

    #[test]
    fn a_quote_left_open_is_noticed() {
        let text = b"a,b,c,d,e,f,g\n1,\"2,3,4,5,6,7\n8,9,10,11,12,13,14\n15,16,17,18,19,20,21\n";
        let mut source = CsvSource::new(&text[..], b',', None, "t.csv".into()).unwrap();
        let mut record = ByteRecord::new();
        assert_eq!(source.next_row(&mut record).unwrap(), Some(2));
        assert_eq!(source.notes().open_quote, Some((2, 4)));
        // a two-line address is not
        let text = b"a,b\n1,\"Jl. Raya\nNo. 5, RT 1\"\n";
        let mut source = CsvSource::new(&text[..], b',', None, "t.csv".into()).unwrap();
        assert_eq!(source.next_row(&mut record).unwrap(), Some(2));
        assert_eq!(source.notes().open_quote, None);
    }

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(9, 27), "AB10");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
    }
}
