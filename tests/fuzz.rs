//! Property tests (issue 14, "fuzzing in the project"): any input in, no panic and the rules'
//! promises out, for NIK/KK parsing, dates, the name key, the CSV and XLSX row readers and a whole
//! import. `cargo test` runs a bounded number of cases per property; a longer run is
//!
//!     PROPTEST_CASES=100000 cargo test --release --test fuzz
//!
//! (every property runs that many cases; the spreadsheet and whole-import properties a 20th to a
//! 40th as many, each case writing a file or an import). A failure prints the smallest input
//! proptest found; each bug found this way has a named regression test below. Also fuzzed: the
//! search box.

mod common;

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use csv::ByteRecord;
use loket::db::import::{self, RowSource};
use loket::domain::name_key::{name_key, normalize_display_name};
use loket::domain::nik::{parse_kk, parse_nik};
use loket::domain::person::parse_date_flexible;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const TODAY: NaiveDate = common::date(2026, 3, 2);

/// Cases per property: `default` unless `PROPTEST_CASES` asks for more (or fewer); `weight`
/// divides it for the properties whose case is a file or an import.
fn cases(default: u32, weight: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(default, |n| (n / weight).max(1));
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

fn run<S: Strategy>(
    config: Config,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let mut runner = TestRunner::new(config);
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{e}");
    }
}

fn districts() -> &'static HashMap<String, String> {
    static D: OnceLock<HashMap<String, String>> = OnceLock::new();
    D.get_or_init(|| {
        HashMap::from([
            ("360332".to_string(), "Gunung Kaler".to_string()),
            ("317101".to_string(), "Gambir".to_string()),
        ])
    })
}

/// Text that looks like what clerks and files write, and anything else.
fn texty() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9 .-]{0,20}",
        "(3603|3171|0360)[0-9]{12}",
        "[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2,5}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
    ]
}

#[test]
fn fuzz_nik_and_kk_parsing() {
    run(cases(2000, 1), texty(), |s| {
        if let Ok(info) = parse_nik(&s, TODAY, districts()) {
            prop_assert_eq!(info.nik.len(), 16);
            prop_assert!(info.nik.bytes().all(|b| b.is_ascii_digit()));
            prop_assert!(districts().contains_key(&info.nik[..6]));
            prop_assert!(info.birth_date <= TODAY);
            prop_assert_ne!(&info.nik[12..], "0000");
            // the digits alone say the same
            prop_assert_eq!(parse_nik(&info.nik, TODAY, districts()).ok(), Some(info));
        }
        if let Ok(kk) = parse_kk(&s, districts()) {
            prop_assert!(kk.len() == 16 && kk.bytes().all(|b| b.is_ascii_digit()));
        }
        Ok(())
    });
}

#[test]
fn fuzz_date_parsing() {
    run(cases(2000, 1), texty(), |s| {
        if let Some(d) = parse_date_flexible(&s) {
            // a date read comes back from both ways of writing it
            for format in ["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"] {
                if d.year() >= 1000 {
                    let written = d.format(format).to_string();
                    prop_assert_eq!(parse_date_flexible(&written), Some(d), "{}", written);
                }
            }
        }
        Ok(())
    });
}

#[test]
fn fuzz_name_key() {
    run(cases(2000, 1), any::<String>(), |s| {
        let key = name_key(&s);
        prop_assert!(
            key.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' ')
        );
        prop_assert!(!key.starts_with(' ') && !key.ends_with(' ') && !key.contains("  "));
        Ok(())
    });
    // names as KTPs print them: the stored key (of the display name) is the typed name's key
    run(
        cases(2000, 1),
        "[A-Za-z0-9 .,'’éÉüÜñÑçÇøØæÆßœŒ-]{0,40}",
        |s| {
            prop_assert_eq!(name_key(&normalize_display_name(&s)), name_key(&s));
            prop_assert_eq!(name_key(&s.to_lowercase()), name_key(&s));
            Ok(())
        },
    );
}

/// A reader that hands out one byte per read, as a pipe may.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match (self.0.split_first(), buf.first_mut()) {
            (Some((b, rest)), Some(out)) => {
                *out = *b;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

/// Every row a CSV source gives, with its line.
fn csv_rows<R: Read + Send>(
    source: Result<import::CsvSource<R>, import::ImportError>,
) -> Vec<(u64, ByteRecord)> {
    let Ok(mut source) = source else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut record = ByteRecord::new();
    while let Ok(Some(line)) = source.next_row(&mut record) {
        out.push((line, record.clone()));
    }
    out
}

#[test]
fn fuzz_csv_reader() {
    let bytes = prop::collection::vec(
        prop_oneof![
            any::<u8>(),
            Just(b'\n'),
            Just(b'\r'),
            Just(b','),
            Just(b'"'),
            Just(b';')
        ],
        0..400,
    );
    run(cases(1000, 1), bytes, |bytes| {
        let delimiter = import::sniff_delimiter(&bytes);
        let rows = csv_rows(import::CsvSource::new(
            &bytes[..],
            delimiter,
            None,
            "f".into(),
        ));
        // lines only go forward, and a byte at a time reads the same rows
        prop_assert!(rows.windows(2).all(|w| w[0].0 < w[1].0), "{:?}", rows);
        prop_assert!(rows.iter().all(|(line, _)| *line >= 2));
        let trickled = csv_rows(import::CsvSource::new(
            Trickle(&bytes),
            delimiter,
            None,
            "f".into(),
        ));
        prop_assert_eq!(rows, trickled);
        Ok(())
    });
}

/// Found by `fuzz_csv_reader`: a reader that hands out the first byte alone (a pipe) made a
/// CRLF file whose first byte is its CR look like a CR-only file, so every line after the first
/// was counted twice.
#[test]
fn a_trickled_crlf_file_keeps_its_line_numbers() {
    let bytes = b"\r\nNIK\r\n1\r\n\r\n2\r\n";
    let whole = csv_rows(import::CsvSource::new(&bytes[..], b',', None, "f".into()));
    let trickled = csv_rows(import::CsvSource::new(
        Trickle(bytes),
        b',',
        None,
        "f".into(),
    ));
    let lines: Vec<u64> = trickled.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [3, 5]);
    assert_eq!(whole, trickled);
}

/// Words the search box gets from clerks, from injection attempts and from FTS5's own syntax.
fn search_query() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        "[a-zA-Z]{1,12}",
        "[0-9]{1,16}",
        Just("\"".to_string()),
        Just("*".to_string()),
        Just("' OR 1=1 --".to_string()),
        Just("'); DROP TABLE resident; --".to_string()),
        Just("NEAR(".to_string()),
        Just("AND".to_string()),
        Just("OR".to_string()),
        Just("NOT".to_string()),
        Just("^".to_string()),
        Just("{name_key}:".to_string()),
        Just("%_".to_string()),
        any::<String>(),
    ];
    prop::collection::vec(word, 0..6).prop_map(|w| w.join(" "))
}

/// Any text in the search box is an answer, never an error: at most `limit` rows, digits find
/// only NIKs or KKs that start with them, and the database is the same afterwards.
#[test]
fn fuzz_search_queries() {
    use loket::db::residents::{SearchQuery, classify, search};
    let dir = tempfile::tempdir().unwrap();
    let options = loket::db::demo::DemoOptions {
        residents: 300,
        seed: 1,
        today: common::TODAY,
    };
    let conn = common::demo_db(&dir.path().join("demo.sqlite"), options);
    let residents = common::count(&conn, "SELECT count(*) FROM resident");
    run(
        cases(1000, 1),
        (search_query(), 1usize..40),
        |(query, limit)| {
            let hits = search(&conn, &query, limit);
            prop_assert!(hits.is_ok(), "{:?}: {:?}", query, hits);
            let hits = hits.unwrap_or_default();
            prop_assert!(hits.len() <= limit);
            if let SearchQuery::Digits(prefix) = classify(&query) {
                for hit in &hits {
                    let kk = hit.kk.as_deref().unwrap_or("");
                    prop_assert!(hit.nik.starts_with(&prefix) || kk.starts_with(&prefix));
                }
            }
            Ok(())
        },
    );
    assert_eq!(
        common::count(&conn, "SELECT count(*) FROM resident"),
        residents
    );
    // and a name that is there is found, whatever surrounds it in the box
    let name: String = conn
        .query_row("SELECT name FROM resident ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    for query in [
        name.clone(),
        format!("\"{name}\""),
        format!("{name}*"),
        name.to_lowercase(),
    ] {
        let hits = search(&conn, &query, 50).unwrap();
        assert!(hits.iter().any(|h| h.name == name), "{query}");
    }
}

/// One line of a generated CSV: its cells (no quotes), or empty.
fn lines_and_endings() -> impl Strategy<Value = (Vec<Vec<String>>, Vec<&'static str>, bool)> {
    let line = prop::collection::vec("[a-z0-9 ]{0,6}", 0..4);
    (
        prop::collection::vec(line, 1..30),
        prop::collection::vec(prop_oneof![Just("\n"), Just("\r\n")], 30),
        any::<bool>(),
    )
}

/// Line numbers are those a text editor shows, whatever ends the lines: LF, CRLF, a mix, or CR
/// alone, with empty lines anywhere.
#[test]
fn fuzz_csv_line_numbers() {
    run(
        cases(1000, 1),
        lines_and_endings(),
        |(lines, endings, cr_only)| {
            let mut text = String::from("a,b,c,d\n");
            if cr_only {
                text = text.replace('\n', "\r");
            }
            let mut expected = Vec::new();
            for (i, cells) in lines.iter().enumerate() {
                let line = cells.join(",");
                if !line.trim().is_empty() && !line.chars().all(|c| c == ',' || c == ' ') {
                    expected.push((i as u64 + 2, cells.clone()));
                }
                text.push_str(&line);
                text.push_str(if cr_only { "\r" } else { endings[i] });
            }
            let rows = csv_rows(import::CsvSource::new(
                text.as_bytes(),
                b',',
                None,
                "f".into(),
            ));
            let found: Vec<(u64, Vec<String>)> = rows
                .into_iter()
                .map(|(line, r)| {
                    let cells = r.iter().map(|c| String::from_utf8_lossy(c).into_owned());
                    (line, cells.collect())
                })
                .collect();
            prop_assert_eq!(found, expected, "{:?}", text);
            Ok(())
        },
    );
}

/// A cell of a generated sheet.
#[derive(Debug, Clone)]
enum Cell {
    Text(String),
    Number(f64),
    Bool(bool),
}

fn sheet_cells() -> impl Strategy<Value = Vec<((u32, u16), Cell)>> {
    let cell = prop_oneof![
        any::<String>().prop_map(Cell::Text),
        "[0-9]{1,17}".prop_map(Cell::Text),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Cell::Number),
        (0u64..10_000_000_000_000_000).prop_map(|n| Cell::Number(n as f64)),
        any::<bool>().prop_map(Cell::Bool),
    ];
    // now and then a cell right of the columns a sheet may use
    let col = prop_oneof![20 => 0u16..30, 1 => 0u16..300];
    prop::collection::vec(((0u32..40, col), cell), 0..60)
}

/// Any cells anywhere in a sheet read back, in row order, as the text written (control
/// characters aside, which XLSX cannot hold), and never panic the reader.
#[test]
fn fuzz_xlsx_reader() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.xlsx");
    run(cases(48, 40), sheet_cells(), |cells| {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let mut written: HashMap<(u32, u16), String> = HashMap::new();
        for ((row, col), cell) in &cells {
            if matches!(cell, Cell::Text(s) if s.is_empty()) {
                // rust_xlsxwriter writes no cell for "", leaving what was there
                continue;
            }
            let ok = match cell {
                Cell::Text(s) => sheet.write_string(*row, *col, s).is_ok(),
                Cell::Number(f) => sheet.write_number(*row, *col, *f).is_ok(),
                Cell::Bool(b) => sheet.write_boolean(*row, *col, *b).is_ok(),
            };
            written.remove(&(*row, *col));
            if ok && let Cell::Text(s) = cell {
                written.insert((*row, *col), s.clone());
            }
        }
        if book.save(&path).is_err() {
            return Ok(());
        }
        let mut source = match import::open_source(&path) {
            Ok(s) => s,
            Err(_) => return Ok(()),
        };
        let mut record = ByteRecord::new();
        let mut last = 0;
        while let Ok(Some(line)) = source.next_row(&mut record) {
            prop_assert!(line > last);
            last = line;
            prop_assert!(record.len() <= import::MAX_SHEET_COLUMNS as usize);
            for (col, cell) in record.iter().enumerate() {
                let at = (line as u32 - 1, col as u16);
                if let Some(text) = written.get(&at)
                    && !text.chars().any(char::is_control)
                {
                    prop_assert_eq!(String::from_utf8_lossy(cell), text.as_str());
                }
            }
        }
        Ok(())
    });
}

/// Damaged spreadsheets (bytes of a real one changed here and there) are refused or read, never
/// a panic or a hang.
#[test]
fn fuzz_damaged_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["NIK", "NAMA", "JENIS_KELAMIN", "TANGGAL_LAHIR"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
        sheet.write_string(1, c as u16, "3603320104900001").unwrap();
    }
    book.save(&good).unwrap();
    let original = std::fs::read(&good).unwrap();
    let edits = prop::collection::vec((0..original.len(), any::<u8>()), 1..8);
    let path = dir.path().join("f.xlsx");
    run(cases(64, 20), edits, |edits| {
        let mut bytes = original.clone();
        for (at, b) in edits {
            bytes[at] = b;
        }
        std::fs::write(&path, &bytes).unwrap();
        if let Ok(mut source) = import::open_source(&path) {
            let mut record = ByteRecord::new();
            while let Ok(Some(_)) = source.next_row(&mut record) {}
        }
        Ok(())
    });
}

const IMPORT_HEADER: &str =
    "NIK,NO_KK,NAMA,JENIS_KELAMIN,TEMPAT_LAHIR,TANGGAL_LAHIR,ALAMAT,RT,RW,KODE_DESA,NO_HP,DESIL";

/// Cells that pass, cells that fail, and cells that break files.
fn import_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "(36033201049|36033241049|31710101019)00[0-9]{3}",
        "3603320101100[0-9]{3}",
        "[A-Za-z ]{1,12}",
        Just("L".to_string()),
        Just("P".to_string()),
        Just("01-04-1990".to_string()),
        Just("1990-04-01".to_string()),
        Just("36.03.32.2001".to_string()),
        "[0-9]{1,3}",
        any::<String>(),
        Just("\"".to_string()),
        Just("\"a,\nb\"".to_string()),
        Just("\u{1b}]0;x\u{7}".to_string()),
        Just("\0".to_string()),
        Just("محمد".to_string()),
    ]
}

fn import_input() -> impl Strategy<Value = Vec<u8>> {
    let row = prop::collection::vec(import_cell(), 0..15).prop_map(|cells| cells.join(","));
    let text = prop::collection::vec(
        (row, prop_oneof![Just("\n"), Just("\r\n"), Just("\r")]),
        0..25,
    )
    .prop_map(|rows| {
        let mut out = format!("{IMPORT_HEADER}\n").into_bytes();
        for (row, end) in rows {
            out.extend(row.bytes());
            out.extend(end.bytes());
        }
        out
    });
    let noise = prop::collection::vec(any::<u8>(), 0..300).prop_map(|bytes| {
        let mut out = format!("{IMPORT_HEADER}\n").into_bytes();
        out.extend(bytes);
        out
    });
    prop_oneof![3 => text, 1 => noise, 1 => prop::collection::vec(any::<u8>(), 0..200)]
}

/// Any bytes imported give a summary whose counts add up (or refuse the file as a whole), the
/// residents stored grow by the rows imported, and the rejects file holds one row per reject.
#[test]
fn fuzz_whole_import() {
    let conn = common::empty_in_memory();
    let admin = common::admin(&conn);
    run(
        cases(48, 20),
        (import_input(), any::<bool>()),
        |(bytes, bulk)| {
            let before = common::count(&conn, "SELECT count(*) FROM resident");
            let Ok(mut source) = import::CsvSource::new(
                &bytes[..],
                import::sniff_delimiter(&bytes),
                None,
                "f.csv".into(),
            ) else {
                return Ok(());
            };
            let rejects = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
            let mut writer = import::RejectsWriter::new(
                Box::new(Shared(rejects.clone())),
                Box::new(|p| loket::ui::text::resident::reasons(p, loket::ui::text::Lang::En)),
            );
            let mut opts = import::ImportOptions::new(TODAY, "f.csv");
            opts.bulk = bulk;
            opts.batch_rows = 7;
            let result = import::import_residents(
                &conn,
                &admin,
                &mut source,
                Some(&mut writer),
                &opts,
                &mut |_| {},
                &mut |_| {},
            );
            let summary = match result {
                Ok(s) => s,
                Err(
                    import::ImportError::MissingColumns(_)
                    | import::ImportError::DuplicateColumn(_),
                ) => {
                    return Ok(());
                }
                Err(e) => return Err(TestCaseError::fail(format!("{e:?}"))),
            };
            drop(writer);
            let c = summary.counts;
            prop_assert_eq!(c.read, c.imported + c.updated + c.unchanged + c.rejected);
            let after = common::count(&conn, "SELECT count(*) FROM resident");
            prop_assert_eq!((after - before) as u64, c.imported);
            let written = rejects.lock().unwrap().clone();
            let mut reader = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(&written[..]);
            prop_assert_eq!(reader.byte_records().count() as u64, c.rejected);
            Ok(())
        },
    );
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let control = common::count(
        &conn,
        "SELECT count(*) FROM resident WHERE name || birth_place || address GLOB '*[\u{1}-\u{9}\u{b}-\u{1f}]*'",
    );
    assert_eq!(control, 0);
}

/// A writer into a buffer the test keeps.
struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
