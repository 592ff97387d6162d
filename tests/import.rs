//! Resident import (issue 6): every kind of bad row rejected with its line and reason, all good
//! rows in, counts adding up, CSV and XLSX alike; an interrupted or cancelled import re-run
//! gives the database of one clean run. Plus the command line and a small `loket bench`.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use common::admin;
use loket::db::Connection;
use loket::db::sql::Dialect;
use loket::db::{self, import};
use loket::domain::access::Role;

fn today() -> NaiveDate {
    common::date(2026, 3, 2)
}

/// A new production database called `name` in `dir`.
fn new_db(dir: &Path, name: &str) -> Connection {
    common::empty_db(&dir.join(name))
}

struct Run {
    summary: import::Summary,
    rejects: String,
}

fn run_import(
    conn: &Connection,
    source: &mut dyn import::RowSource,
    opts: &import::ImportOptions,
    rejects_path: &Path,
) -> Result<Run, import::ImportError> {
    let mut rejects = import::RejectsWriter::create(
        rejects_path,
        Path::new(&opts.source_name),
        Box::new(|p| loket::ui::text::resident::reasons(p, loket::ui::text::Lang::Id)),
    )?;
    let summary = import::import_residents(
        conn,
        &admin(conn),
        source,
        Some(&mut rejects),
        opts,
        &mut |_| {},
        &mut |_| {},
    )?;
    drop(rejects);
    let bytes = std::fs::read(rejects_path).unwrap();
    Ok(Run {
        summary,
        rejects: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

/// Imports the file at `csv` (opened by its extension, as the command line does).
fn import_file(
    conn: &Connection,
    csv: &Path,
    opts: &import::ImportOptions,
    rejects_path: &Path,
) -> Result<Run, import::ImportError> {
    let mut source = import::open_source(csv)?;
    run_import(conn, source.as_mut(), opts, rejects_path)
}

/// Imports the file at `csv` without a rejects file, calling `on_progress` as it goes.
fn import_watching(
    conn: &Connection,
    csv: &Path,
    opts: &import::ImportOptions,
    on_progress: &mut dyn FnMut(&import::Progress),
) -> import::Summary {
    let mut source = import::open_source(csv).unwrap();
    import::import_residents(
        conn,
        &admin(conn),
        source.as_mut(),
        None,
        opts,
        on_progress,
        &mut |_| {},
    )
    .unwrap()
}

fn csv_source(bytes: &[u8]) -> import::CsvSource<&[u8]> {
    import::CsvSource::new(
        bytes,
        import::sniff_delimiter(bytes),
        None,
        "test.csv".into(),
    )
    .unwrap()
}

const HEADER: &str =
    "NIK,NO_KK,NAMA,JENIS_KELAMIN,TEMPAT_LAHIR,TANGGAL_LAHIR,ALAMAT,RT,RW,KODE_DESA,NO_HP";

/// Line 1 header; good rows on lines 2, 3, 12-13 (quoted address over two lines), 14, 17;
/// lines 15 (empty) and 16 (blank cells) are not rows.
fn bad_csv() -> Vec<u8> {
    let mut out = Vec::new();
    let lines: Vec<&[u8]> = vec![
        HEADER.as_bytes(),
        b"3603320104900001,3603320101100001,Budi Santoso,L,Tangerang,01-04-1990,Kp. Sidoko,001,002,3603322002,0812-3456-7890",
        b"3603324205850002,3603320101100001,Siti Aminah,P,Tangerang,1985-05-02,Kp. Sidoko,001,002,36.03.32.2002,",
        b"36033201049000,,Salah Panjang,L,,01-04-1990,,,,,",
        b"3603320104900003,,Andi,L,,31-02-1990,,,,,",
        b"3603320104900004,,Dewi Lestari,P,,01-04-1990,,,,,",
        b"3603320104900005,,,L,,01-04-1990,,,,,",
        b"3603320104900001,,Budi S,L,,01-04-1990,,,,,",
        b"3603320104900006,,Rudi,L,,01-04-1990,,,,9999999999,",
        b"3603320104900009,,Jos\xe9 Rizal,L,,01-04-1990,,,,,",
        b"0360332200100001,,Sementara,L,,01-04-1990,,,,,",
        b"3603320104900007,,Agus,LAKI-LAKI,,01-04-1990,\"Jl. Raya\nNo. 5\",,,,",
        b"3603320104900008,,Eko,1,,01/04/1990,,,,36.03.32.2001,",
        b"",
        b",,,,,,,,,,",
        b"3603324104900010,,Rina,PR,,01-04-1990,,,,,",
    ];
    for l in lines {
        out.extend_from_slice(l);
        out.push(b'\n');
    }
    out
}

/// The rejects file as (line, reason) pairs.
fn reject_lines(rejects: &str) -> Vec<(u64, String)> {
    let mut r = csv::Reader::from_reader(rejects.as_bytes());
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[0].parse().unwrap(), rec[1].to_string())
        })
        .collect()
}

fn expect_reasons(found: &[(u64, String)], expected: &[(u64, &str)]) {
    let lines: Vec<u64> = found.iter().map(|(l, _)| *l).collect();
    let want: Vec<u64> = expected.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, want, "{found:#?}");
    for ((_, reason), (line, part)) in found.iter().zip(expected) {
        assert!(
            reason.contains(part),
            "line {line}: {reason:?} should contain {part:?}"
        );
    }
}

const CSV_REJECTS: &[(u64, &str)] = &[
    (4, "NIK harus 16 angka (tertulis 14)"),
    (5, "tanggal lahir '31-02-1990' tidak sah"),
    (6, "Jenis kelamin Perempuan berbeda dengan NIK"),
    (7, "nama kosong"),
    (8, "NIK sama dengan baris 2"),
    (9, "kode desa 99.99.99.9999 tidak dikenal"),
    (10, "bukan UTF-8"),
    (11, "NIK sementara"),
];

fn residents(conn: &Connection) -> Vec<String> {
    conn.prepare(
        "SELECT id, nik, kk, name, name_key, sex, birth_place, birth_date, address, rt, rw,
                village_code, phone, education, employment, desil, desil_source, desil_as_of,
                stunting_household, disability, nik_mismatch_confirmed
         FROM resident ORDER BY id",
    )
    .unwrap()
    .query_map([], |r| {
        let cells: Vec<String> = (0..21)
            .map(|i| format!("{:?}", r.get::<_, loket::db::sql::Value>(i).unwrap()))
            .collect();
        Ok(cells.join("|"))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// Both word indexes (names; names by year and desa) agree with the rows. On PostgreSQL the
/// word index is a GIN index the server keeps with the table in the same transaction, nothing
/// loket fills or sets aside: there the import must have left what `loket check` checks whole
/// (every index and trigger of the schema, the foreign keys, the audit chain).
fn fts_ok(conn: &Connection) {
    if conn.dialect() == Dialect::Postgres {
        let report = db::pg_schema::check(conn).unwrap();
        assert!(report.is_ok(), "{report:?}");
        return;
    }
    for table in ["resident_fts", "resident_narrow_fts"] {
        conn.execute(
            &format!("INSERT INTO {table}({table}, rank) VALUES('integrity-check', 1)"),
            [],
        )
        .unwrap();
    }
}

#[test]
fn csv_every_bad_row_rejected_with_its_line_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let conn = new_db(dir.path(), "a.sqlite");
    let bytes = bad_csv();
    let opts = import::ImportOptions::new(today(), "test.csv");
    let run = run_import(
        &conn,
        &mut csv_source(&bytes),
        &opts,
        &dir.path().join("rej.csv"),
    )
    .unwrap();
    let c = run.summary.counts;
    assert_eq!(
        (c.read, c.imported, c.updated, c.unchanged, c.rejected),
        (13, 5, 0, 0, 8)
    );
    assert_eq!(c.read, c.imported + c.updated + c.unchanged + c.rejected);
    expect_reasons(&reject_lines(&run.rejects), CSV_REJECTS);
    // the header and the original cells come back, the non-UTF-8 bytes byte for byte
    let raw = std::fs::read(dir.path().join("rej.csv")).unwrap();
    assert!(raw.starts_with(format!("line,reason,{HEADER}\n").as_bytes()));
    assert!(raw.windows(10).any(|w| w == b"Jos\xe9 Rizal"));
    assert!(
        run.rejects
            .contains(",3603320104900001,,Budi S,L,,01-04-1990,,,,,")
    );
    let niks: Vec<String> = conn
        .prepare("SELECT nik FROM resident ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        niks,
        [
            "3603320104900001",
            "3603324205850002",
            "3603320104900007",
            "3603320104900008",
            "3603324104900010"
        ]
    );
    let (addr, village, sex): (String, Option<String>, String) = conn
        .query_row(
            "SELECT address, village_code, sex FROM resident WHERE nik = '3603320104900007'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (addr.as_str(), village, sex.as_str()),
        ("Jl. Raya\nNo. 5", None, "L")
    );
    let village: String = conn
        .query_row(
            "SELECT village_code FROM resident WHERE nik = '3603324205850002'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(village, "36.03.32.2002");
    // found by the desk search, one audit row for the one batch
    assert_eq!(
        db::residents::search(&conn, "siti amin", 10).unwrap().len(),
        1
    );
    let audits: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'import'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audits, 1);
    fts_ok(&conn);
}

#[test]
fn warnings_accepted_and_existing_niks_updated_or_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let conn = new_db(dir.path(), "a.sqlite");
    let bytes = bad_csv();
    let mut opts = import::ImportOptions::new(today(), "test.csv");
    run_import(
        &conn,
        &mut csv_source(&bytes),
        &opts,
        &dir.path().join("r1.csv"),
    )
    .unwrap();
    // the same file again: the five stored rows are unchanged, the bad ones still rejected
    let again = run_import(
        &conn,
        &mut csv_source(&bytes),
        &opts,
        &dir.path().join("r2.csv"),
    )
    .unwrap();
    let c = again.summary.counts;
    assert_eq!(
        (c.read, c.imported, c.updated, c.unchanged, c.rejected),
        (13, 0, 0, 5, 8)
    );
    expect_reasons(&reject_lines(&again.rejects), CSV_REJECTS);
    // a stored NIK with other data: rejected naming the holder, or updated on request
    let changed = format!("{HEADER}\n3603320104900001,,Budi Santoso,L,Serang,01-04-1990,,,,,\n");
    let run = run_import(
        &conn,
        &mut csv_source(changed.as_bytes()),
        &opts,
        &dir.path().join("r3.csv"),
    )
    .unwrap();
    assert_eq!(run.summary.counts.rejected, 1);
    expect_reasons(
        &reject_lines(&run.rejects),
        &[(2, "sudah terdaftar atas nama BUDI SANTOSO")],
    );
    opts.update_existing = true;
    opts.accept_warnings = true;
    let run = run_import(
        &conn,
        &mut csv_source(&bytes),
        &opts,
        &dir.path().join("r4.csv"),
    )
    .unwrap();
    let c = run.summary.counts;
    // line 6 (sex mismatch) now imported; line 8 (same NIK as line 2) updates it
    assert_eq!(
        (c.read, c.imported, c.updated, c.unchanged, c.rejected),
        (13, 1, 1, 5, 6)
    );
    let (name, confirmed): (String, bool) = conn
        .query_row(
            "SELECT name, nik_mismatch_confirmed FROM resident WHERE nik = '3603320104900004'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((name.as_str(), confirmed), ("DEWI LESTARI", true));
    let name: String = conn
        .query_row(
            "SELECT name FROM resident WHERE nik = '3603320104900001'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(name, "BUDI S");
    fts_ok(&conn);
    assert_eq!(db::residents::search(&conn, "budi s", 10).unwrap().len(), 1);

    // --update-existing overwrites a stored resident with other data, in batches and in bulk
    for (bulk, place) in [(false, "Serang"), (true, "Pandeglang")] {
        opts.bulk = bulk;
        let row = format!("{HEADER}\n3603320104900001,,Budi Santoso,L,{place},01-04-1990,,,,,\n");
        let run = run_import(
            &conn,
            &mut csv_source(row.as_bytes()),
            &opts,
            &dir.path().join("r5.csv"),
        )
        .unwrap();
        let c = run.summary.counts;
        assert_eq!((c.read, c.updated, c.rejected), (1, 1, 0), "bulk {bulk}");
        let (name, stored_place): (String, String) = conn
            .query_row(
                "SELECT name, birth_place FROM resident WHERE nik = '3603320104900001'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (name.as_str(), stored_place.as_str()),
            ("BUDI SANTOSO", place.to_uppercase().as_str())
        );
        fts_ok(&conn);
        assert_eq!(
            db::residents::search(&conn, "budi santoso", 10)
                .unwrap()
                .len(),
            1
        );
    }
    assert_eq!(
        index_names(&conn),
        index_names(&new_db(dir.path(), "fresh.sqlite")),
        "the bulk load rebuilt every index"
    );
}

#[test]
fn missing_columns_refuse_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let conn = new_db(dir.path(), "a.sqlite");
    let text = "NAMA;ALAMAT;NIK\nBudi;Kp. Sidoko;3603320104900001\n";
    let opts = import::ImportOptions::new(today(), "test.csv");
    let err = run_import(
        &conn,
        &mut csv_source(text.as_bytes()),
        &opts,
        &dir.path().join("r.csv"),
    )
    .err()
    .unwrap();
    let message = err.to_string();
    assert!(
        message.contains("JENIS_KELAMIN, TANGGAL_LAHIR"),
        "{message}"
    );
    assert!(!message.contains("NIK,"), "{message}");
    let n: i64 = conn
        .query_row("SELECT count(*) FROM resident", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn opensid_columns_and_semicolons() {
    let dir = tempfile::tempdir().unwrap();
    let conn = new_db(dir.path(), "a.sqlite");
    let text = "alamat;dusun;rw;rt;nama;no_kk;nik;sex;tempatlahir;tanggallahir\n\
                Kp. Sidoko;Sidoko I;002;001;budi  santoso;3603320101100001;3603320104900001;1;TANGERANG;01-04-1990\n\
                ;;;;Siti;0;3603324205850002;2;;02-05-1985\n";
    let opts = import::ImportOptions::new(today(), "opensid.csv");
    let run = run_import(
        &conn,
        &mut csv_source(text.as_bytes()),
        &opts,
        &dir.path().join("r.csv"),
    )
    .unwrap();
    assert_eq!(run.summary.counts.imported, 2, "{}", run.rejects);
    let (addr, kk): (String, Option<String>) = conn
        .query_row(
            "SELECT address, kk FROM resident WHERE nik = '3603324205850002'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((addr.as_str(), kk), ("", None));
    let addr: String = conn
        .query_row(
            "SELECT address FROM resident WHERE nik = '3603320104900001'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(addr, "Kp. Sidoko, Dusun Sidoko I");
}

#[test]
fn xlsx_every_bad_row_rejected_with_its_line_and_reason() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("penduduk.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let rows: &[&[&str]] = &[
        &HEADER.split(',').collect::<Vec<_>>(),
        &[
            "3603320104900001",
            "3603320101100001",
            "Budi Santoso",
            "L",
            "Tangerang",
            "01-04-1990",
            "",
            "001",
            "002",
            "3603322002",
            "",
        ],
        &[
            "36033201049000",
            "",
            "Salah Panjang",
            "L",
            "",
            "01-04-1990",
            "",
            "",
            "",
            "",
            "",
        ],
        &[
            "3603320104900003",
            "",
            "Andi",
            "L",
            "",
            "31-02-1990",
            "",
            "",
            "",
            "",
            "",
        ],
        &[
            "3603320104900004",
            "",
            "Dewi Lestari",
            "P",
            "",
            "01-04-1990",
            "",
            "",
            "",
            "",
            "",
        ],
        &[
            "3603320104900005",
            "",
            "",
            "L",
            "",
            "01-04-1990",
            "",
            "",
            "",
            "",
            "",
        ],
        &[
            "3603320104900001",
            "",
            "Budi S",
            "L",
            "",
            "01-04-1990",
            "",
            "",
            "",
            "",
            "",
        ],
        &[
            "3603320104900006",
            "",
            "Rudi",
            "L",
            "",
            "01-04-1990",
            "",
            "",
            "",
            "9999999999",
            "",
        ],
        &["", "", "", "", "", "", "", "", "", "", ""],
        &[
            "3603324205850002",
            "",
            "Siti Aminah",
            "PEREMPUAN",
            "",
            "1985-05-02",
            "",
            "",
            "",
            "36.03.32.2002",
            "",
        ],
    ];
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    // a real date cell, then a NIK typed as a number (refused: Excel keeps 15 digits)
    sheet.write_string(10, 0, "3603320104900008").unwrap();
    sheet.write_string(10, 2, "Eko").unwrap();
    sheet.write_string(10, 3, "L").unwrap();
    let date = ExcelDateTime::from_ymd(1990, 4, 1).unwrap();
    sheet
        .write_datetime_with_format(10, 5, &date, &Format::new().set_num_format("dd/mm/yyyy"))
        .unwrap();
    sheet.write_number(11, 0, 3603320104900009.0).unwrap();
    sheet.write_string(11, 2, "Fajar").unwrap();
    sheet.write_string(11, 3, "L").unwrap();
    sheet.write_string(11, 5, "01-04-1990").unwrap();
    book.save(&path).unwrap();

    let conn = new_db(dir.path(), "a.sqlite");
    let mut source = import::open_source(&path).unwrap();
    let opts = import::ImportOptions::new(today(), "penduduk.xlsx");
    let run = run_import(&conn, source.as_mut(), &opts, &dir.path().join("rej.csv")).unwrap();
    let c = run.summary.counts;
    // the all-empty sheet row 9 is not a row
    assert_eq!(
        (c.read, c.imported, c.rejected),
        (10, 3, 7),
        "{}",
        run.rejects
    );
    expect_reasons(
        &reject_lines(&run.rejects),
        &[
            (3, "NIK harus 16 angka (tertulis 14)"),
            (4, "tanggal lahir '31-02-1990' tidak sah"),
            (5, "Jenis kelamin Perempuan berbeda dengan NIK"),
            (6, "nama kosong"),
            (7, "NIK sama dengan baris 2"),
            (8, "kode desa 99.99.99.9999 tidak dikenal"),
            (12, "NIK tersimpan sebagai angka di lembar kerja"),
        ],
    );
    let (sex, birth): (String, String) = conn
        .query_row(
            "SELECT sex, birth_date FROM resident WHERE nik = '3603320104900008'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((sex.as_str(), birth.as_str()), ("L", "1990-04-01"));
    assert!(run.rejects.contains("\n3,NIK harus 16 angka (tertulis 14): periksa kembali dengan KTP,36033201049000,,Salah Panjang,L,,01-04-1990"), "{}", run.rejects);
}

/// A generated list of `n` residents (one bad row in a thousand) in a file.
/// `n` residents as the bench generates them, in `dir/generated.csv` (the desa codes come from
/// a scratch database there).
fn generated_csv(dir: &Path, n: u64) -> std::path::PathBuf {
    let conn = new_db(dir, "scratch.sqlite");
    let villages: Vec<(String, String)> = conn
        .prepare("SELECT code, district_code FROM village WHERE code LIKE '36.03.%' ORDER BY code")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let path = dir.join("generated.csv");
    let mut out = std::fs::File::create(&path).unwrap();
    let others = vec!["317101".to_string(), "360101".to_string()];
    loket::bench::data::write_csv(&mut out, n, 7, today(), &villages, &others, 10).unwrap();
    path
}

fn clean_run(dir: &Path, csv: &Path) -> (Connection, import::Summary) {
    let conn = new_db(dir, "clean.sqlite");
    let mut opts = import::ImportOptions::new(today(), "generated.csv");
    opts.batch_rows = 500;
    let mut source = import::open_source(csv).unwrap();
    let run = run_import(&conn, source.as_mut(), &opts, &dir.join("clean-rej.csv")).unwrap();
    (conn, run.summary)
}

#[test]
fn killed_import_rerun_gives_the_clean_database() {
    let dir = tempfile::tempdir().unwrap();
    let csv = generated_csv(dir.path(), 3000);
    let (clean, clean_summary) = clean_run(dir.path(), &csv);
    assert_eq!(clean_summary.counts.read, 3000);
    assert!(clean_summary.counts.rejected > 0);

    let conn = new_db(dir.path(), "killed.sqlite");
    let mut opts = import::ImportOptions::new(today(), "generated.csv");
    opts.batch_rows = 500;
    opts.kill_after_rows = Some(1700);
    let err = import_file(&conn, &csv, &opts, &dir.path().join("k1.csv"))
        .err()
        .unwrap();
    assert!(matches!(err, import::ImportError::Interrupted));
    // three whole batches are in, the fourth was rolled back
    let batches: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'import'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(batches, 3);
    fts_ok(&conn);
    opts.kill_after_rows = None;
    let run = import_file(&conn, &csv, &opts, &dir.path().join("k2.csv")).unwrap();
    let c = run.summary.counts;
    assert_eq!(c.read, 3000);
    assert_eq!(c.imported + c.unchanged, clean_summary.counts.imported);
    assert_eq!(c.rejected, clean_summary.counts.rejected);
    assert!(c.unchanged > 1000 && c.unchanged < 1500, "{c:?}");
    assert_eq!(residents(&conn), residents(&clean));
    fts_ok(&conn);
    let clean_rejects = std::fs::read(dir.path().join("clean-rej.csv")).unwrap();
    assert_eq!(
        std::fs::read(dir.path().join("k2.csv")).unwrap(),
        clean_rejects
    );
}

#[test]
fn cancelled_import_keeps_what_it_read_and_rerun_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let csv = generated_csv(dir.path(), 2500);
    let (clean, _) = clean_run(dir.path(), &csv);

    let conn = new_db(dir.path(), "cancelled.sqlite");
    let cancel = Arc::new(AtomicBool::new(false));
    let mut opts = import::ImportOptions::new(today(), "generated.csv");
    opts.batch_rows = 700;
    opts.cancel = Some(cancel.clone());
    let summary = import_watching(&conn, &csv, &opts, &mut |p| {
        if p.counts.read >= 1000 {
            cancel.store(true, Ordering::Relaxed);
        }
    });
    assert!(summary.cancelled);
    let c = summary.counts;
    assert_eq!(c.read, 1000);
    let stored: u64 = conn
        .query_row("SELECT count(*) FROM resident", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, c.imported);
    cancel.store(false, Ordering::Relaxed);
    import_file(&conn, &csv, &opts, &dir.path().join("c2.csv")).unwrap();
    assert_eq!(residents(&conn), residents(&clean));
}

#[test]
fn a_clerk_may_not_import() {
    let dir = tempfile::tempdir().unwrap();
    let conn = new_db(dir.path(), "a.sqlite");
    db::operators::insert_without_password(&conn, "sari", "Sari", Role::Clerk).unwrap();
    let clerk = common::actor(&conn, "sari");
    let bytes = bad_csv();
    let opts = import::ImportOptions::new(today(), "test.csv");
    let err = import::import_residents(
        &conn,
        &clerk,
        &mut csv_source(&bytes),
        None,
        &opts,
        &mut |_| {},
        &mut |_| {},
    )
    .err()
    .unwrap();
    assert!(matches!(err, import::ImportError::Denied(_)));
}

#[test]
fn command_line_summary_and_rejects_file() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("a.sqlite");
    drop(common::empty_db(&db_path));
    let csv = dir.path().join("penduduk.csv");
    std::fs::write(&csv, bad_csv()).unwrap();
    let rejects = dir.path().join("ditolak.csv");
    let (code, out, err) = common::loket(
        &db_path,
        &[
            "import",
            "residents",
            csv.to_str().unwrap(),
            "--json",
            "--rejects",
            rejects.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "{err}");
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["read"], 13);
    assert_eq!(summary["imported"], 5);
    assert_eq!(summary["updated"], 0);
    assert_eq!(summary["rejected"], 8);
    let text = String::from_utf8_lossy(&std::fs::read(&rejects).unwrap()).into_owned();
    expect_reasons(&reject_lines(&text), CSV_REJECTS);
    // refused file: exit 2, the missing columns named
    let bad = dir.path().join("kolom.csv");
    std::fs::write(
        &bad,
        "NAMA,ALAMAT
Budi,Kp
",
    )
    .unwrap();
    let (code, _, err) = common::loket(&db_path, &["import", "residents", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("NIK, JENIS_KELAMIN, TANGGAL_LAHIR"));
}

#[test]
fn bench_smoke() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("bench");
    let (code, out, err) = common::run(
        &[
            "bench",
            "--residents",
            "2000",
            "--queries",
            "20",
            "--json",
            "--out",
            out_dir.to_str().unwrap(),
        ],
        &[],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["residents"], 2000);
    assert_eq!(report["search"].as_array().unwrap().len(), 8);
    let summary: serde_json::Value =
        serde_json::from_str(report["import_summary"].as_str().unwrap()).unwrap();
    assert_eq!(summary["read"], 2000);
    assert_eq!(
        summary["imported"].as_u64().unwrap() + summary["rejected"].as_u64().unwrap(),
        2000
    );
}

/// The screen as text, with the temporary directory replaced.
fn screen_text(terminal: &ratatui::Terminal<ratatui::backend::TestBackend>, dir: &Path) -> String {
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    // the title bar (row 0) shows the database path, whose length depends on the machine
    for y in 1..buffer.area.height {
        let mut line = String::new();
        for x in 0..buffer.area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        let line = line.replace(dir.to_str().unwrap(), "[DIR]");
        out.push_str(line.trim_end_matches('│').trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn import_screen_runs_the_import_on_a_worker() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use loket::ui::app::{App, Ctx, Event};
    use loket::ui::screens::import::ImportScreen;
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("a.sqlite");
    let conn = common::empty_db(&db_path);
    let csv = dir.path().join("p.csv");
    std::fs::write(&csv, bad_csv()).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let ctx = Ctx {
        actor: admin(&conn),
        conn,
        store: common::store::store_of(&db_path),
        lang: loket::ui::text::Lang::Id,
        today: today(),
        events: tx,
    };
    let root = Box::new(ImportScreen::new(&ctx));
    let mut app = App::new(ctx, root);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    let key = |code| Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    for c in csv.to_str().unwrap().chars() {
        app.handle(key(KeyCode::Char(c)));
    }
    app.handle(key(KeyCode::F(2)));
    terminal.draw(|f| app.render(f)).unwrap();
    insta::assert_snapshot!("import_screen_form", screen_text(&terminal, dir.path()));
    app.handle(key(KeyCode::Enter));
    loop {
        let event = rx.recv_timeout(std::time::Duration::from_secs(30)).unwrap();
        let finished = matches!(
            &event,
            Event::Worker {
                reply: loket::ui::Reply::Import(loket::ui::screens::import::ImportMsg::Finished(_)),
                ..
            }
        );
        app.handle(event);
        if finished {
            break;
        }
    }
    terminal.draw(|f| app.render(f)).unwrap();
    insta::assert_snapshot!("import_screen_done", screen_text(&terminal, dir.path()));
    let rejects =
        String::from_utf8_lossy(&std::fs::read(dir.path().join("p.ditolak.csv")).unwrap())
            .into_owned();
    assert!(rejects.starts_with("line,reason,NIK"), "{rejects}");
}

/// The indexes of `resident`, by name (SQLite's catalogue, or the server's).
fn index_names(conn: &Connection) -> Vec<String> {
    let sql = match conn.dialect() {
        Dialect::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'resident' ORDER BY name"
        }
        Dialect::Postgres => {
            "SELECT indexname::text FROM pg_indexes
             WHERE schemaname = current_schema() AND tablename = 'resident' ORDER BY 1"
        }
    };
    conn.prepare(sql)
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn bulk_import_killed_rolls_back_and_rerun_gives_the_clean_database() {
    let dir = tempfile::tempdir().unwrap();
    let csv = generated_csv(dir.path(), 3000);
    let (clean, _) = clean_run(dir.path(), &csv);

    let conn = new_db(dir.path(), "bulk.sqlite");
    let indexes = index_names(&conn);
    assert!(indexes.len() >= 3, "{indexes:?}");
    let mut opts = import::ImportOptions::new(today(), "generated.csv");
    opts.batch_rows = 500;
    opts.bulk = true;
    opts.kill_after_rows = Some(1700);
    let err = import_file(&conn, &csv, &opts, &dir.path().join("b1.csv"))
        .err()
        .unwrap();
    assert!(matches!(err, import::ImportError::Interrupted));
    let n: i64 = conn
        .query_row("SELECT count(*) FROM resident", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
    assert_eq!(index_names(&conn), indexes);
    opts.kill_after_rows = None;
    let run = import_file(&conn, &csv, &opts, &dir.path().join("b2.csv")).unwrap();
    assert_eq!(run.summary.counts.read, 3000);
    assert_eq!(index_names(&conn), indexes);
    assert_eq!(residents(&conn), residents(&clean));
    fts_ok(&conn);
    // one audit row per batch of 500 rows, in bulk mode too
    let batches: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'import'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(batches, 6);
}

#[test]
fn duplicate_in_file_updates_a_row_of_the_same_batch_and_keeps_the_search_index_sound() {
    let dir = tempfile::tempdir().unwrap();
    for bulk in [false, true] {
        let conn = new_db(dir.path(), &format!("{bulk}.sqlite"));
        let mut opts = import::ImportOptions::new(today(), "test.csv");
        opts.update_existing = true;
        opts.bulk = bulk;
        let run = run_import(
            &conn,
            &mut csv_source(&bad_csv()),
            &opts,
            &dir.path().join("r.csv"),
        )
        .unwrap();
        let c = run.summary.counts;
        assert_eq!((c.imported, c.updated, c.rejected), (5, 1, 7));
        fts_ok(&conn);
        assert_eq!(db::residents::search(&conn, "budi s", 10).unwrap().len(), 1);
        assert!(
            db::residents::search(&conn, "budi santoso", 10)
                .unwrap()
                .is_empty()
        );
    }
}

/// A source whose reading thread dies (a bug, not a bad row) after `rows` rows.
struct DyingSource {
    inner: Box<dyn import::RowSource>,
    rows: u64,
}

impl import::RowSource for DyingSource {
    fn header(&self) -> &[String] {
        self.inner.header()
    }
    fn next_row(
        &mut self,
        record: &mut csv::ByteRecord,
    ) -> Result<Option<u64>, import::ImportError> {
        assert!(self.rows > 0, "the reader dies here on purpose");
        self.rows -= 1;
        self.inner.next_row(record)
    }
    fn fraction(&self) -> Option<f64> {
        None
    }
    fn estimated_rows(&self) -> Option<u64> {
        None
    }
}

#[test]
fn a_reader_that_dies_stops_the_import_as_if_killed() {
    let dir = tempfile::tempdir().unwrap();
    let csv = generated_csv(dir.path(), 3000);
    let (clean, _) = clean_run(dir.path(), &csv);
    for bulk in [false, true] {
        let conn = new_db(dir.path(), &format!("dies-{bulk}.sqlite"));
        let mut opts = import::ImportOptions::new(today(), "generated.csv");
        opts.batch_rows = 500;
        opts.bulk = bulk;
        let mut source = DyingSource {
            inner: import::open_source(&csv).unwrap(),
            rows: 1700,
        };
        let err = run_import(&conn, &mut source, &opts, &dir.path().join("d.csv"))
            .err()
            .unwrap();
        assert!(matches!(err, import::ImportError::Interrupted), "{err:?}");
        let stored: i64 = conn
            .query_row("SELECT count(*) FROM resident", [], |r| r.get(0))
            .unwrap();
        // batches: the rows of the whole batches before the death; bulk: nothing
        assert!(
            if bulk {
                stored == 0
            } else {
                stored > 0 && stored <= 1500
            },
            "{stored}"
        );
        fts_ok(&conn);
        opts.bulk = false;
        import_file(&conn, &csv, &opts, &dir.path().join("d2.csv")).unwrap();
        assert_eq!(residents(&conn), residents(&clean));
    }
}

/// Starts the real `loket import residents` on `csv` with `args`, waits (for the bulk load's
/// journal, on PostgreSQL its lock, to appear first when `at_journal`, then `wait_ms`), kills
/// it with SIGKILL and opens the database again, checking that it is sound. A kill that came
/// after the import had ended proves nothing: it is tried again on a new database, waiting half
/// as long, until the kill hits a running import (an import killed as it starts always is).
fn kill_import(
    dir: &Path,
    name: &str,
    csv: &Path,
    args: &[&str],
    at_journal: bool,
    wait_ms: u64,
) -> Connection {
    let mut wait_ms = wait_ms;
    for attempt in 0.. {
        let db_path = dir.join(format!("{name}-{attempt}.sqlite"));
        if let Some(conn) = kill_import_once(&db_path, csv, args, at_journal, wait_ms) {
            return conn;
        }
        assert!(attempt < 12, "{name}: every import ended before its kill");
        wait_ms /= 2;
    }
    unreachable!("the loop returns or fails")
}

/// One try of [`kill_import`]: None when the import had ended before the kill.
fn kill_import_once(
    db_path: &Path,
    csv: &Path,
    args: &[&str],
    at_journal: bool,
    wait_ms: u64,
) -> Option<Connection> {
    drop(common::empty_db(db_path));
    let hold = common::store::ImportHold::of(db_path);
    let mut child = Command::new(common::BIN)
        .arg("--db")
        .arg(common::store::arg(db_path))
        .args(["import", "residents", "--json"])
        .args(args)
        .arg(csv)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    if at_journal {
        let started = std::time::Instant::now();
        while !hold.held() {
            if child.try_wait().unwrap().is_some() {
                // it ended before its journal was seen
                return None;
            }
            assert!(started.elapsed().as_secs() < 60, "no journal appeared");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(wait_ms));
    let running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let status = child.wait().unwrap();
    if !running || !killed(&status) {
        return None;
    }
    if let common::store::ImportHold::Server(monitor) = &hold {
        // The server rolls the killed session's transaction back once it sees the connection
        // gone, as SQLite rolls a hot journal back at the next open.
        wait_for_sessions_to_end(monitor);
    }
    let conn = common::store::open(db_path);
    if conn.dialect() == Dialect::Sqlite {
        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok", "{}", db_path.display());
        assert_eq!(journal_mode(&conn), "wal");
    }
    fts_ok(&conn);
    Some(conn)
}

/// Waits until no client but `monitor` is connected to its server database.
fn wait_for_sessions_to_end(monitor: &Connection) {
    let started = std::time::Instant::now();
    while common::count(
        monitor,
        "SELECT count(*) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()
           AND backend_type = 'client backend'",
    ) > 0
    {
        assert!(
            started.elapsed().as_secs() < 30,
            "the killed import's session stays"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Whether the kill ended the process (SIGKILL), rather than the process ending by itself.
#[cfg(unix)]
fn killed(status: &std::process::ExitStatus) -> bool {
    std::os::unix::process::ExitStatusExt::signal(status) == Some(9)
}

#[cfg(not(unix))]
fn killed(_: &std::process::ExitStatus) -> bool {
    true
}

/// Runs the whole import again on a killed one's database: the database of one clean run.
fn rerun_gives_the_clean_database(
    conn: &Connection,
    csv: &Path,
    opts: &import::ImportOptions,
    clean: &Connection,
    dir: &Path,
) {
    let run = import_file(conn, csv, opts, &dir.join("again.csv")).unwrap();
    assert_eq!(run.summary.counts.read, 3000);
    assert_eq!(residents(conn), residents(clean));
    fts_ok(conn);
}

/// The real process killed (SIGKILL) at several moments of an import: the database stays
/// sound, and running the import again gives the database of one clean run.
#[test]
fn killing_the_import_process_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let csv = generated_csv(dir.path(), 3000);
    let (clean, _) = clean_run(dir.path(), &csv);
    for (round, wait_ms) in [5u64, 40, 120, 400].into_iter().enumerate() {
        let name = format!("killed-{round}");
        let args = ["--batch-rows", "200"];
        let conn = kill_import(dir.path(), &name, &csv, &args, false, wait_ms);
        let mut opts = import::ImportOptions::new(today(), "generated.csv");
        opts.batch_rows = 200;
        rerun_gives_the_clean_database(&conn, &csv, &opts, &clean, dir.path());
    }
}

fn journal_mode(conn: &Connection) -> String {
    conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap()
}

/// A bulk load leaves WAL for a rollback journal when it has the database to itself, stays in
/// WAL when another connection has it open, and either way ends in WAL with the same rows and
/// the search index's settings as they were.
#[test]
fn bulk_load_runs_under_a_rollback_journal_only_when_alone() {
    if common::store::file_only(
        "SQLite's journal mode and FTS5's settings around a bulk load; its PostgreSQL \
         counterpart: tests/pg_import.rs::bulk_imports_end_the_same_on_both_stores",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let csv = generated_csv(dir.path(), 1500);
    let mut databases = Vec::new();
    for (name, other_open) in [("alone.sqlite", false), ("shared.sqlite", true)] {
        let path = dir.path().join(name);
        let conn = common::empty_db(&path);
        let other = other_open.then(|| db::open_read_only(&path).unwrap());
        let mut opts = import::ImportOptions::new(today(), "generated.csv");
        opts.bulk = true;
        let mut seen_modes = std::collections::BTreeSet::new();
        let summary = import_watching(&conn, &csv, &opts, &mut |_| {
            seen_modes.insert(journal_mode(&conn));
        });
        assert_eq!(summary.counts.read, 1500);
        let expected = if other_open { "wal" } else { "delete" };
        assert_eq!(
            seen_modes.into_iter().collect::<Vec<_>>(),
            [expected],
            "{name}"
        );
        assert_eq!(journal_mode(&conn), "wal", "{name}");
        if let Some(other) = &other {
            let n: i64 = other
                .query_row("SELECT count(*) FROM resident", [], |r| r.get(0))
                .unwrap();
            assert_eq!(n as u64, summary.counts.imported);
        }
        let hashsize: i64 = conn
            .query_row(
                "SELECT v FROM resident_fts_config WHERE k = 'hashsize'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(hashsize, 1 << 20, "FTS5's default is back");
        fts_ok(&conn);
        databases.push(residents(&conn));
    }
    assert_eq!(databases[0], databases[1]);
}

/// The real process killed (SIGKILL) during a bulk load, which runs under a rollback journal:
/// the next open rolls the load back whole (no resident, or all of them), the database is
/// sound and in WAL again, and running the import again gives the database of one clean run.
/// On PostgreSQL the load is one transaction the server rolls back when its client is gone.
#[test]
fn killing_a_bulk_load_rolls_it_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let csv = generated_csv(dir.path(), 3000);
    let (clean, clean_summary) = clean_run(dir.path(), &csv);
    // (wait for the load's journal to appear first, then milliseconds)
    let moments = [(false, 5u64), (true, 0), (true, 40), (false, 2000)];
    for (round, (at_journal, wait_ms)) in moments.into_iter().enumerate() {
        let name = format!("bulk-killed-{round}");
        let conn = kill_import(dir.path(), &name, &csv, &["--bulk"], at_journal, wait_ms);
        let n: u64 = conn
            .query_row("SELECT count(*) FROM resident", [], |r| r.get(0))
            .unwrap();
        assert!(
            n == 0 || n == clean_summary.counts.imported,
            "round {round}: {n} residents, a part of the load"
        );
        let mut opts = import::ImportOptions::new(today(), "generated.csv");
        opts.bulk = true;
        rerun_gives_the_clean_database(&conn, &csv, &opts, &clean, dir.path());
    }
}
