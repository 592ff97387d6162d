//! Hostile and damaged resident lists (issue 14, items 3 and 5-9), imported by the real
//! `loket import residents` as an office would: a rejects file named like the input, rows of
//! another width, every kind of line ending, a sheet that claims the whole grid, NIKs typed as
//! numbers, a quote left open, a column named twice, names in another script and control
//! characters. Every row ends in one count, and the counts add up.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const HEADER: &str = "NIK,NO_KK,NAMA,JENIS_KELAMIN,TEMPAT_LAHIR,TANGGAL_LAHIR,ALAMAT";

/// The `n`th good row (n >= 1): a man of Gunung Kaler born on 1 April 1990 (NIK serial `n` for
/// the first 9,999), 1991 (the next 9,999), ...
fn good(n: u32) -> String {
    let (year, serial) = (90 + (n - 1) / 9_999, (n - 1) % 9_999 + 1);
    format!("3603320104{year:02}{serial:04},,Warga {n},L,Tangerang,01-04-19{year},Kp. Sidoko")
}

/// A new database in `dir` for the binary.
fn new_db(dir: &Path) -> PathBuf {
    let path = dir.join("loket.sqlite");
    drop(common::empty_db(&path));
    path
}

struct Outcome {
    code: i32,
    summary: serde_json::Value,
    stderr: String,
}

impl Outcome {
    /// A failure as `--json` prints it, `{"error": .., "code": ..}`: (code, message).
    fn failure(&self) -> (&str, &str) {
        let field = |k: &str| self.summary[k].as_str().unwrap_or("");
        (field("code"), field("error"))
    }
}

/// `loket --db DB import residents FILE --json ARGS...` run in `cwd`.
fn import_in(cwd: &Path, db: &Path, file: &str, args: &[&str]) -> Outcome {
    let out = Command::new(common::BIN)
        .current_dir(cwd)
        .env_remove("LOKET_LANG")
        .env_remove("LOKET_PASSWORD")
        .env_remove("LOKET_DB")
        .arg("--db")
        .arg(common::store::arg(db))
        .args(["import", "residents", file, "--json"])
        .args(args)
        .output()
        .unwrap();
    Outcome {
        code: out.status.code().unwrap_or(-1),
        summary: serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Imports `file` with its rejects written to `rejects`.
fn import(db: &Path, file: &Path, rejects: &Path) -> Outcome {
    import_in(
        Path::new("."),
        db,
        file.to_str().unwrap(),
        &["--rejects", rejects.to_str().unwrap()],
    )
}

/// The counts of a summary, checked to add up: (read, imported, rejected).
fn counts(o: &Outcome) -> (u64, u64, u64) {
    let n = |k: &str| {
        o.summary[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k}: {}", o.stderr))
    };
    let (read, imported, updated, unchanged, rejected) = (
        n("read"),
        n("imported"),
        n("updated"),
        n("unchanged"),
        n("rejected"),
    );
    assert_eq!(
        read,
        imported + updated + unchanged + rejected,
        "{}",
        o.summary
    );
    (read, imported, rejected)
}

/// The rejects file as (line, reason, cell count) rows.
fn rejects(path: &Path) -> Vec<(u64, String, usize)> {
    let bytes = std::fs::read(path).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(&bytes[..]);
    reader
        .byte_records()
        .map(|r| {
            let r = r.unwrap();
            let text = |i: usize| String::from_utf8_lossy(&r[i]).into_owned();
            (text(0).parse().unwrap(), text(1), r.len() - 2)
        })
        .collect()
}

fn stored(db: &Path) -> i64 {
    common::count(&common::store::connect(db), "SELECT count(*) FROM resident")
}

/// Item 3: `--rejects` naming the input itself, as the same path, through `./`, through `..`
/// or through a symbolic link, is refused before anything is written: the input keeps every
/// byte and nobody is imported.
#[test]
fn a_rejects_file_that_is_the_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    let input = dir.path().join("penduduk.csv");
    // larger than any read-ahead buffer, with rejects among the rows
    let mut text = format!("{HEADER}\n");
    for n in 1..=20_000 {
        text.push_str(&if n % 100 == 0 {
            format!("{},x\n", good(n))
        } else {
            format!("{}\n", good(n))
        });
    }
    std::fs::write(&input, &text).unwrap();
    std::os::unix::fs::symlink(&input, dir.path().join("link.csv")).unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let dir_name = dir.path().file_name().unwrap().to_str().unwrap();
    let other_ways = [
        "penduduk.csv".to_string(),
        "./penduduk.csv".to_string(),
        format!("sub/../../{dir_name}/penduduk.csv"),
        "link.csv".to_string(),
        input.to_str().unwrap().to_string(),
    ];
    for rejects in &other_ways {
        let o = import_in(dir.path(), &db, "penduduk.csv", &["--rejects", rejects]);
        assert_eq!(o.code, 2, "{rejects}: {}", o.stderr);
        let (code, error) = o.failure();
        assert_eq!(code, "rejects_is_input", "{rejects}: {}", o.summary);
        assert!(
            error.contains("adalah berkas yang diimpor"),
            "{rejects}: {error}"
        );
        assert_eq!(std::fs::read_to_string(&input).unwrap(), text, "{rejects}");
        assert_eq!(stored(&db), 0, "{rejects}");
    }
    // the input named through a link, the rejects by its own name: refused too
    let o = import_in(dir.path(), &db, "link.csv", &["--rejects", "penduduk.csv"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_eq!(std::fs::read_to_string(&input).unwrap(), text);
    // another name is fine
    let o = import_in(
        dir.path(),
        &db,
        "penduduk.csv",
        &["--rejects", "ditolak.csv"],
    );
    assert_eq!(
        (o.code, counts(&o)),
        (1, (20_000, 19_800, 200)),
        "{}",
        o.stderr
    );
}

/// Item 5: rows with fewer or more cells than the header (short, long, 10,000 cells, a line of
/// NULs) are rejects with their line and reason, and the rows around them go in.
#[test]
fn rows_of_another_width_are_rejects_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    let file = dir.path().join("lebar.csv");
    let mut bytes = format!("{HEADER}\n{}\n3603320104900002,,Pendek,L\n", good(1)).into_bytes();
    bytes.extend(format!("{},a,b,c,d,e,f\n", good(3)).bytes());
    bytes.extend(format!("{}{}\n", good(4), ",x".repeat(9_993)).bytes());
    bytes.extend([0u8; 300]);
    bytes.extend(format!("\n{}\n", good(6)).bytes());
    std::fs::write(&file, &bytes).unwrap();
    let rej = dir.path().join("ditolak.csv");
    let o = import(&db, &file, &rej);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(counts(&o), (6, 2, 4));
    let found = rejects(&rej);
    let lines: Vec<(u64, usize)> = found.iter().map(|(l, _, n)| (*l, *n)).collect();
    assert_eq!(lines, [(3, 4), (4, 13), (5, 10_000), (6, 1)]);
    for (line, reason, n) in &found {
        assert!(
            reason.contains(&format!("jumlah kolom {n}, seharusnya 7")),
            "line {line}: {reason}"
        );
    }
    assert_eq!(stored(&db), 2);
}

/// Item 5: a 25,001-row list whose last row is short commits every other row (more than one
/// batch of 20,000) and ends with its summary.
#[test]
fn a_short_last_row_of_a_long_list_is_one_reject() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    let file = dir.path().join("panjang.csv");
    let mut text = format!("{HEADER}\n");
    for n in 1..=25_000 {
        text.push_str(&good(n));
        text.push('\n');
    }
    text.push_str("3603320104925001,,Pendek\n");
    std::fs::write(&file, text).unwrap();
    let rej = dir.path().join("ditolak.csv");
    let o = import(&db, &file, &rej);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(counts(&o), (25_001, 25_000, 1));
    assert_eq!(rejects(&rej)[0].0, 25_002);
    assert_eq!(stored(&db), 25_000);
}

/// Item 6: the same list with LF, CRLF (Excel's and Python's), mixed and CR-only line endings,
/// with an empty line and a two-line quoted address inside: every reject names its own line.
#[test]
fn reject_lines_are_right_for_every_line_ending() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    // lines: 1 header, 2 good, 3 bad date, 4 empty, 5-6 a two-line address, 7 no name,
    // 8 good, 9 bad sex
    let lines = [
        HEADER.to_string(),
        good(1),
        "3603320104900002,,Dua,L,,31-02-1990,".to_string(),
        String::new(),
        "3603320104900003,,Tiga,L,,01-04-1990,\"Jl. Raya".to_string(),
        "No. 5\"".to_string(),
        "3603320104900004,,,L,,01-04-1990,".to_string(),
        good(5),
        "3603320104900006,,Enam,X,,01-04-1990,".to_string(),
    ];
    let endings: [(&str, &dyn Fn(usize) -> &'static str); 4] = [
        ("lf", &|_| "\n"),
        ("crlf", &|_| "\r\n"),
        ("mixed", &|i| if i % 2 == 0 { "\r\n" } else { "\n" }),
        ("cr", &|_| "\r"),
    ];
    for (name, ending) in endings {
        let text: String = lines
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{l}{}", ending(i)))
            .collect();
        let file = dir.path().join(format!("{name}.csv"));
        std::fs::write(&file, text).unwrap();
        let rej = dir.path().join(format!("{name}.ditolak.csv"));
        let o = import(&db, &file, &rej);
        let found: Vec<u64> = rejects(&rej).iter().map(|(l, _, _)| *l).collect();
        assert_eq!(found, [3, 7, 9], "{name}: {}", o.stderr);
        let (read, _, rejected) = counts(&o);
        assert_eq!((read, rejected), (6, 3), "{name}");
    }
    let conn = common::store::connect(&db);
    let address: String = conn
        .query_row(
            "SELECT address FROM resident WHERE nik = '3603320104900003'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(address, "Jl. Raya\nNo. 5");
}

/// Item 7: a sheet of a few kilobytes with one cell at XFD1048576 claims 17 billion cells; it is
/// refused with a message before any row is read, instead of allocating the rectangle.
#[test]
fn a_sheet_that_claims_the_whole_grid_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    let path = dir.path().join("raksasa.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in HEADER.split(',').enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for (c, v) in good(1).split(',').enumerate() {
        sheet.write_string(1, c as u16, v).unwrap();
    }
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    book.save(&path).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 20_000);
    let o = import(&db, &path, &dir.path().join("r.csv"));
    assert_eq!(o.code, 2, "{}", o.stderr);
    let (code, error) = o.failure();
    assert_eq!(code, "sheet_too_wide", "{}", o.summary);
    assert!(error.contains("XFD1048576"), "{error}");
    assert!(error.contains("256 kolom"), "{error}");
    assert_eq!(stored(&db), 0);
}

/// Item 8: a NIK or KK in a numeric cell has passed through a float that keeps 15 digits: it is
/// refused with a reason that says to format the column as text, even when it looks right; the
/// same digits as text go in, and a KK of 0 (OpenSID's "none") may be a number.
#[test]
fn numeric_nik_and_kk_cells_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    let path = dir.path().join("angka.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in HEADER.split(',').enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for row in 1..=5u32 {
        let cells = good(row);
        for (c, v) in cells.split(',').enumerate() {
            sheet.write_string(row, c as u16, v).unwrap();
        }
    }
    // row 2: a NIK that a float keeps exactly; row 3: one above 2^53, which it cannot
    sheet.write_number(1, 0, 3_603_320_104_900_001.0).unwrap();
    sheet.write_number(2, 0, 9_603_320_104_900_007.0).unwrap();
    // row 4: a KK number; row 5: KK 0
    sheet.write_number(3, 1, 3_603_320_101_100_001.0).unwrap();
    sheet.write_number(4, 1, 0.0).unwrap();
    // row 6: the KK as text
    sheet.write_string(5, 1, "3603320101100001").unwrap();
    book.save(&path).unwrap();
    let rej = dir.path().join("r.csv");
    let o = import(&db, &path, &rej);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(counts(&o), (5, 2, 3));
    let found = rejects(&rej);
    let lines: Vec<u64> = found.iter().map(|(l, _, _)| *l).collect();
    assert_eq!(lines, [2, 3, 4]);
    for ((_, reason, _), column) in found.iter().zip(["NIK", "NIK", "NO_KK"]) {
        assert!(
            reason.starts_with(&format!("{column} tersimpan sebagai angka"))
                && reason.contains(&format!("format kolom {column} sebagai Teks")),
            "{reason}"
        );
    }
    // the rounded NIK is not blamed on a kecamatan or a date
    assert!(!found[1].1.contains("kecamatan"), "{}", found[1].1);
}

/// Item 9: a quote left open swallows the rows after it into one cell: the reject says where
/// the quote starts and which lines it took, and the rows after the swallowed ones go in.
#[test]
fn an_open_quote_says_where_it_starts_and_what_it_swallowed() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    let file = dir.path().join("kutip.csv");
    let text = format!(
        "{HEADER}\n{}\n3603320104900002,,\"Dua,L,,01-04-1990,\n{}\n{}\n{}\"x\n{}\n",
        good(1),
        good(3),
        good(4),
        good(5),
        good(6)
    );
    std::fs::write(&file, text).unwrap();
    let rej = dir.path().join("r.csv");
    let o = import(&db, &file, &rej);
    let (read, imported, rejected) = counts(&o);
    assert_eq!((read, imported, rejected), (3, 2, 1), "{}", o.stderr);
    let found = rejects(&rej);
    assert_eq!(found[0].0, 3);
    assert!(
        found[0]
            .1
            .starts_with("tanda kutip tidak seimbang mulai baris 3: baris 3-6 terbaca"),
        "{}",
        found[0].1
    );
}

/// Item 9: a header naming a column twice (under one name or two of its names) is refused
/// with the column's name and both places, instead of the first one silently winning.
#[test]
fn a_column_named_twice_refuses_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    for (name, header) in [
        ("same", format!("{HEADER},NAMA")),
        ("alias", format!("{HEADER},NAMA_LENGKAP")),
    ] {
        let file = dir.path().join(format!("{name}.csv"));
        std::fs::write(&file, format!("{header}\n{},Lain\n", good(1))).unwrap();
        let o = import(&db, &file, &dir.path().join("r.csv"));
        assert_eq!(o.code, 2, "{name}: {}", o.stderr);
        let (code, error) = o.failure();
        assert_eq!(code, "duplicate_column", "{name}: {}", o.summary);
        assert!(
            error.contains("Kolom NAMA ada dua kali") && error.contains("kolom 8"),
            "{name}: {error}"
        );
    }
    assert_eq!(stored(&db), 0);
}

/// Item 9: a name in another script is refused saying so (not "nama kosong"); control
/// characters (ESC, NUL, BEL, a bidirectional override) in a name, birth place or address are
/// refused naming the field, and never stored.
#[test]
fn names_in_another_script_and_control_characters_are_refused_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    let file = dir.path().join("aneh.csv");
    let rows = [
        "3603320104900001,,محمد,L,,01-04-1990,".to_string(),
        "3603320104900002,,李明,L,,01-04-1990,".to_string(),
        "3603320104900003,,Budi \u{1b}]0;judul\u{7},L,,01-04-1990,".to_string(),
        "3603320104900004,,Andi,L,Tange\u{1b}[2Jrang,01-04-1990,".to_string(),
        "3603320104900005,,Eko,L,,01-04-1990,Kp. \u{0}Sidoko".to_string(),
        "3603320104900006,,Rina \u{202e}inaR,L,,01-04-1990,".to_string(),
        "3603320104900007,,José Müller,L,,01-04-1990,\"Jl. Raya\r\nNo. 5\"".to_string(),
    ];
    std::fs::write(&file, format!("{HEADER}\n{}\n", rows.join("\n"))).unwrap();
    let rej = dir.path().join("r.csv");
    let o = import(&db, &file, &rej);
    assert_eq!(counts(&o), (7, 1, 6), "{}", o.stderr);
    let found = rejects(&rej);
    let expected = [
        (2, "nama 'محمد' tidak berhuruf Latin"),
        (3, "nama '李明' tidak berhuruf Latin"),
        (4, "Nama berisi karakter kendali"),
        (5, "Tempat lahir berisi karakter kendali"),
        (6, "Alamat berisi karakter kendali"),
        (7, "Nama berisi karakter kendali"),
    ];
    for ((line, reason, _), (want_line, want)) in found.iter().zip(expected) {
        assert_eq!(*line, want_line);
        assert!(reason.starts_with(want), "line {line}: {reason}");
    }
    let conn = common::store::connect(&db);
    let (name, address): (String, String) = conn
        .query_row("SELECT name, address FROM resident", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(
        (name.as_str(), address.as_str()),
        ("JOSÉ MÜLLER", "Jl. Raya\nNo. 5")
    );
    // Read back and looked at here: a pattern of control characters is written differently on
    // each store (SQLite's GLOB, PostgreSQL's regular expressions).
    let texts: Vec<Option<String>> = conn
        .prepare("SELECT name, birth_place, address FROM resident")
        .unwrap()
        .query_map([], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?]))
        .unwrap()
        .collect::<Result<Vec<[Option<String>; 3]>, _>>()
        .unwrap()
        .into_iter()
        .flatten()
        .collect();
    let controls: Vec<&String> = texts
        .iter()
        .flatten()
        .filter(|t| t.chars().any(|c| c.is_control() && c != '\n'))
        .collect();
    assert!(controls.is_empty(), "{controls:?}");
}

/// Found driving the binary as an office would: a Dukcapil-style list with a `DESA` column of
/// desa names (loket reads `KODE_DESA`) was imported without its desa and without a word. The
/// file here is as Excel writes it (CRLF) with a short row, imported while another connection
/// holds the database open: the unknown columns are named in the summary (JSON and text), the
/// short row is a reject on its own line, the good rows are stored.
#[test]
fn columns_loket_does_not_read_are_named_in_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    let holder = common::store::connect(&db);
    holder
        .execute_batch("BEGIN; SELECT count(*) FROM resident;")
        .unwrap();
    let file = dir.path().join("dukcapil.csv");
    let text = format!(
        "{HEADER},Desa,Catatan\r\n{},Gunung Kaler,\r\n3603320104900009,short\r\n{},Gunung Kaler,x\r\n",
        good(1),
        good(2)
    );
    std::fs::write(&file, text).unwrap();
    let rej = dir.path().join("rejects.csv");
    let outcome = import(&db, &file, &rej);
    assert_eq!(counts(&outcome), (3, 2, 1), "{}", outcome.stderr);
    assert_eq!(
        outcome.summary["ignored_columns"],
        serde_json::json!(["Desa", "Catatan"])
    );
    assert_eq!(rejects(&rej)[0].0, 3, "the short row's own line");
    holder.execute_batch("COMMIT").unwrap();
    drop(holder);
    assert_eq!(stored(&db), 2);

    // In text, one line names them and says where loket reads the desa.
    let again = dir.path().join("again.csv");
    std::fs::write(
        &again,
        format!("{HEADER},DESA\r\n{},Gunung Kaler\r\n", good(3)),
    )
    .unwrap();
    let (code, out, err) = common::loket(&db, &["import", "residents", again.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("Kolom tidak dikenal, isinya tidak diimpor: DESA.")
            && out.contains("KODE_DESA"),
        "{out}"
    );
    // A file whose every column is known says nothing of the kind.
    let plain = dir.path().join("plain.csv");
    std::fs::write(&plain, format!("{HEADER}\n{}\n", good(4))).unwrap();
    let (_, out, _) = common::loket(&db, &["import", "residents", plain.to_str().unwrap()]);
    assert!(!out.contains("tidak dikenal"), "{out}");
}
