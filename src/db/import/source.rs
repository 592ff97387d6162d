//! Where the rows of an import come from: CSV files (raw bytes, delimiter guessed) and the first
//! worksheet of a spreadsheet, each row with its line number in the file (header = line 1).

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use chrono::NaiveDate;
use csv::ByteRecord;

use super::ImportError;

/// Rows of an input file as raw bytes, with their line numbers (header = line 1).
pub trait RowSource: Send {
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

pub(super) fn blank(record: &ByteRecord) -> bool {
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

impl<R: Read + Send> RowSource for CsvSource<R> {
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
