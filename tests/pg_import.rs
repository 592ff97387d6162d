//! The resident import on PostgreSQL (issue 18): the same hostile files imported into SQLite
//! and into a server give the same outcome: the same counts, the same rejects file byte for
//! byte, the same audit rows and the same residents, every column. Row by row (batches) and
//! through the bulk path (COPY on the server, forced on small files as `--bulk` does), library
//! and command line. Skipped (with a note) without `LOKET_TEST_PG`.

mod common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::pg::{PgDatabase, url};
use loket::db::sql::Value;
use loket::db::{self, Connection, import};

fn today() -> NaiveDate {
    common::date(2026, 3, 2)
}

const HEADER: &str =
    "NIK,NO_KK,NAMA,JENIS_KELAMIN,TEMPAT_LAHIR,TANGGAL_LAHIR,ALAMAT,RT,RW,KODE_DESA,NO_HP";

/// The rows of `tests/import.rs`'s `bad_csv` (every kind of bad row: short NIK, impossible
/// date, sex against the NIK, no name, a NIK twice, an unknown desa, a non-UTF-8 name, a
/// temporary NIK, a two-line quoted address, an empty line, blank cells), ended by `eol`.
fn bad_csv(eol: &str) -> Vec<u8> {
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
        // of another width: short, long
        b"3603320104900011,,Pendek,L",
        b"3603320104900012,,Panjang,L,,01-04-1990,,,,,,x,y",
        // 'quoted' cells with a formula-like start and a tab
        b"3603324104900013,,\"=Tuti\",P,,01-04-1990,\"Jl.\tMawar\",,,,",
        b"3603324104900014,,Tuti Alawiyah,P,Serang,01-04-1990,\"Jl. Mawar, No. 1\",003,004,36.03.32.2002,081234567890",
    ];
    let mut out = Vec::new();
    for l in lines {
        out.extend_from_slice(l);
        out.extend_from_slice(eol.as_bytes());
    }
    out
}

/// A sheet with bad rows, a real date cell and a NIK typed as a number (from `tests/import.rs`).
fn xlsx(path: &Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let text = String::from_utf8_lossy(&bad_csv("\n")).into_owned();
    let mut r = 0u32;
    for line in text.lines().take(9) {
        for (c, v) in line.split(',').enumerate() {
            if !v.is_empty() {
                sheet.write_string(r, c as u16, v).unwrap();
            }
        }
        r += 1;
    }
    sheet.write_string(r, 0, "3603320104900008").unwrap();
    sheet.write_string(r, 2, "Eko").unwrap();
    sheet.write_string(r, 3, "L").unwrap();
    let date = ExcelDateTime::from_ymd(1990, 4, 1).unwrap();
    sheet
        .write_datetime_with_format(r, 5, &date, &Format::new().set_num_format("dd/mm/yyyy"))
        .unwrap();
    sheet.write_number(r + 1, 0, 3603320104900019.0).unwrap();
    sheet.write_string(r + 1, 2, "Fajar").unwrap();
    sheet.write_string(r + 1, 3, "L").unwrap();
    sheet.write_string(r + 1, 5, "01-04-1990").unwrap();
    book.save(path).unwrap();
}

/// `n` residents as the bench generates them (one bad row in a thousand, families, dupes).
fn generated_csv(dir: &Path, n: u64, seed: u64) -> PathBuf {
    let conn = common::sqlite_empty_db(&dir.join(format!("scratch-{n}-{seed}.sqlite")));
    let villages: Vec<(String, String)> = conn
        .prepare("SELECT code, district_code FROM village WHERE code LIKE '36.03.%' ORDER BY code")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let path = dir.join(format!("generated-{n}-{seed}.csv"));
    let mut out = std::fs::File::create(&path).unwrap();
    let others = vec!["317101".to_string(), "360101".to_string()];
    loket::bench::data::write_csv(&mut out, n, seed, today(), &villages, &others, 10).unwrap();
    path
}

/// A list for `--update-existing` from two generated ones: 900 rows of `stored` (every third
/// with another birth place), then 300 rows of `new`, each of them twice (the second time every
/// other one with another birth place): updates of stored residents, of residents of the same
/// file (still on their way to the server in a bulk load) and unchanged rows of both kinds.
fn reworked(dir: &Path, stored: &Path, new: &Path) -> PathBuf {
    let stored = std::fs::read_to_string(stored).unwrap();
    let new = std::fs::read_to_string(new).unwrap();
    let moved = |row: &str, place: &str| {
        let mut cells: Vec<&str> = row.split(',').collect();
        cells[4] = place;
        cells.join(",")
    };
    let mut out = vec![stored.lines().next().unwrap().to_string()];
    for (i, row) in stored.lines().skip(1).take(900).enumerate() {
        out.push(if i % 3 == 0 {
            moved(row, "Cilegon")
        } else {
            row.to_string()
        });
    }
    let fresh: Vec<&str> = new.lines().skip(1).take(300).collect();
    out.extend(fresh.iter().map(|r| r.to_string()));
    for (i, row) in fresh.iter().enumerate() {
        out.push(if i % 2 == 0 {
            moved(row, "Pandeglang")
        } else {
            row.to_string()
        });
    }
    let path = dir.join("reworked.csv");
    std::fs::write(&path, out.join("\r\n")).unwrap();
    path
}

/// One SQLite file and one server database, both fresh from `init`.
struct Stores {
    dir: tempfile::TempDir,
    lite: Connection,
    pg: Connection,
    _db: PgDatabase,
}

fn stores() -> Option<Stores> {
    let url = url("tests/pg_import.rs")?;
    let pg_db = PgDatabase::create(&url);
    let pg = db::create_on_server(&pg_db.spec()).expect("init on the server");
    let dir = tempfile::tempdir().unwrap();
    let lite = common::sqlite_empty_db(&dir.path().join("loket.sqlite"));
    Some(Stores {
        dir,
        lite,
        pg,
        _db: pg_db,
    })
}

/// What an import did: its summary (or error) and the rejects file's bytes.
#[derive(Debug, PartialEq)]
struct Outcome {
    summary: Result<(import::Counts, bool, Vec<String>), String>,
    rejects: Vec<u8>,
}

fn import_into(
    conn: &Connection,
    file: &Path,
    opts: &import::ImportOptions,
    rej: &Path,
) -> Outcome {
    let summary = (|| {
        let mut source = import::open_source(file)?;
        let mut rejects = import::RejectsWriter::create(
            rej,
            file,
            Box::new(|p| loket::ui::text::resident::reasons(p, loket::ui::text::Lang::Id)),
        )?;
        let s = import::import_residents(
            conn,
            &common::admin(conn),
            source.as_mut(),
            Some(&mut rejects),
            opts,
            &mut |_| {},
            &mut |_| {},
        )?;
        Ok::<_, import::ImportError>((s.counts, s.cancelled, s.ignored_columns))
    })()
    .map_err(|e| e.to_string());
    Outcome {
        summary,
        rejects: std::fs::read(rej).unwrap_or_default(),
    }
}

/// Every column of every resident, in id order. The two times differ between the stores by
/// the seconds between their imports: they are checked to be today's, in order, and left out
/// (which rows an import updated the audit rows say, compared besides).
fn residents(conn: &Connection) -> Vec<Vec<Value>> {
    let now = chrono::Local::now().format("%Y-%m-%d").to_string();
    conn.prepare(
        "SELECT id, nik, kk, name, name_key, sex, birth_place, birth_date, address, rt, rw,
                village_code, phone, education, employment, desil, desil_source, desil_as_of,
                stunting_household, disability, nik_mismatch_confirmed, created_at, updated_at
         FROM resident ORDER BY id",
    )
    .unwrap()
    .query_map([], |r| {
        let cells: Vec<Value> = (0..21).map(|i| r.get::<_, Value>(i).unwrap()).collect();
        let (created, updated): (String, String) = (r.get(21)?, r.get(22)?);
        assert!(
            created.starts_with(&now) && created.len() == 19,
            "{created}"
        );
        assert!(
            updated >= created && updated.len() == 19,
            "{created} {updated}"
        );
        Ok(cells)
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// The import's audit rows: who, what, and the batch record (as JSON, key order aside).
fn audit_rows(conn: &Connection) -> Vec<(String, String, String, serde_json::Value)> {
    conn.prepare(
        "SELECT operator_name, entity, entity_id, after_json FROM audit_log
         WHERE action = 'import' ORDER BY id",
    )
    .unwrap()
    .query_map([], |r| {
        let after: String = r.get(3)?;
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            serde_json::from_str(&after).unwrap(),
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

impl Stores {
    /// Imports `file` into both stores with `opts` and checks that everything came out the
    /// same; the outcome.
    fn both(&self, what: &str, file: &Path, opts: &import::ImportOptions) -> Outcome {
        let rej = |store: &str| self.dir.path().join(format!("{what}.{store}.rejects.csv"));
        let lite = import_into(&self.lite, file, opts, &rej("sqlite"));
        let pg = import_into(&self.pg, file, opts, &rej("pg"));
        assert_eq!(lite.summary, pg.summary, "{what}: summaries");
        assert!(
            lite.rejects == pg.rejects,
            "{what}: rejects files differ:\n--- SQLite\n{}\n--- PostgreSQL\n{}",
            String::from_utf8_lossy(&lite.rejects),
            String::from_utf8_lossy(&pg.rejects)
        );
        self.same_store(what);
        lite
    }

    fn same_store(&self, what: &str) {
        let (a, b) = (residents(&self.lite), residents(&self.pg));
        assert_eq!(a.len(), b.len(), "{what}: residents stored");
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x, y, "{what}: a resident differs");
        }
        assert_eq!(
            audit_rows(&self.lite),
            audit_rows(&self.pg),
            "{what}: audit rows"
        );
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

fn counts(o: &Outcome) -> (u64, u64, u64, u64, u64) {
    let c = o.summary.as_ref().expect("import ran").0;
    assert_eq!(c.read, c.imported + c.updated + c.unchanged + c.rejected);
    (c.read, c.imported, c.updated, c.unchanged, c.rejected)
}

/// The same series of imports, row by row or in bulk: a hostile file (LF, then CRLF: the same
/// rows, now unchanged), a NIK stored with other data (rejected naming the holder, then
/// updated), warnings accepted with `--update-existing` (a NIK twice in the file updates the
/// row of the same file), an .xlsx, and small batches.
fn series(bulk: bool) {
    let Some(s) = stores() else { return };
    let mut opts = import::ImportOptions::new(today(), "penduduk.csv");
    opts.bulk = bulk;
    let lf = s.write("lf.csv", &bad_csv("\n"));
    let o = s.both("lf", &lf, &opts);
    assert_eq!(
        counts(&o),
        (17, 7, 0, 0, 10),
        "{}",
        String::from_utf8_lossy(&o.rejects)
    );
    let crlf = s.write("crlf.csv", &bad_csv("\r\n"));
    let o = s.both("crlf", &crlf, &opts);
    assert_eq!(counts(&o), (17, 0, 0, 7, 10));
    let changed = s.write(
        "changed.csv",
        format!("{HEADER}\r\n3603320104900001,,Budi Santoso,L,Serang,01-04-1990,,,,,\r\n")
            .as_bytes(),
    );
    let o = s.both("changed", &changed, &opts);
    assert_eq!(counts(&o), (1, 0, 0, 0, 1));
    assert!(String::from_utf8_lossy(&o.rejects).contains("BUDI SANTOSO"));
    opts.update_existing = true;
    opts.accept_warnings = true;
    let o = s.both("changed-updated", &changed, &opts);
    assert_eq!(counts(&o), (1, 0, 1, 0, 0));
    let o = s.both("lf-updated", &lf, &opts);
    assert_eq!(counts(&o), (17, 1, 2, 6, 8));
    let sheet = s.dir.path().join("penduduk.xlsx");
    xlsx(&sheet);
    opts.update_existing = false;
    let o = s.both("xlsx", &sheet, &opts);
    assert_eq!(counts(&o).0, 10, "{}", String::from_utf8_lossy(&o.rejects));
    // many batches, duplicates within the file and against what is stored
    let big = generated_csv(s.dir.path(), 3_000, 7);
    opts.batch_rows = 500;
    let o = s.both("generated", &big, &opts);
    assert!(counts(&o).1 > 2_900, "{:?}", counts(&o));
    let other = generated_csv(s.dir.path(), 2_000, 8);
    let reworked = reworked(s.dir.path(), &big, &other);
    opts.batch_rows = 300;
    opts.update_existing = true;
    let o = s.both("reworked-updated", &reworked, &opts);
    let (read, imported, updated, unchanged, _) = counts(&o);
    assert_eq!(read, 1_500);
    assert!(
        imported >= 295 && updated >= 440 && unchanged >= 740,
        "{:?}",
        counts(&o)
    );
    opts.update_existing = false;
    let o = s.both("reworked-again", &reworked, &opts);
    let (_, imported, updated, unchanged, rejected) = counts(&o);
    assert_eq!((imported, updated), (0, 0));
    assert!(unchanged >= 1_190 && rejected >= 150, "{:?}", counts(&o));
    opts.update_existing = false;
    let o = s.both("generated-again", &big, &opts);
    assert_eq!(counts(&o).1, 0);
    // the word index finds the imported names on both stores
    for conn in [&s.lite, &s.pg] {
        assert_eq!(
            db::residents::search(conn, "tuti alaw", 10).unwrap().len(),
            1
        );
    }
}

#[test]
fn row_by_row_imports_end_the_same_on_both_stores() {
    series(false);
}

#[test]
fn bulk_imports_end_the_same_on_both_stores() {
    series(true);
}

/// A row-by-row import onto a bulk one and the other way round: the server's two paths write
/// the same residents.
#[test]
fn the_two_paths_mix_on_the_server() {
    let Some(s) = stores() else { return };
    let mut opts = import::ImportOptions::new(today(), "campur.csv");
    let a = generated_csv(s.dir.path(), 1_500, 3);
    let b = generated_csv(s.dir.path(), 1_500, 4);
    opts.bulk = true;
    s.both("a-bulk", &a, &opts);
    opts.bulk = false;
    opts.update_existing = true;
    s.both("b-rows", &b, &opts);
    opts.bulk = true;
    s.both("a-bulk-again", &a, &opts);
    let lf = s.write("lf.csv", &bad_csv("\n"));
    s.both("lf-bulk", &lf, &opts);
}

/// `loket --db postgres://... import residents FILE --rejects OUT --json`, as an office runs
/// it: the same JSON summary, exit code and rejects file as on an SQLite file.
#[test]
fn the_command_line_imports_the_same_onto_a_server() {
    let Some(s) = stores() else { return };
    let file = s.write("cli.csv", &bad_csv("\r\n"));
    let lite_db = s.dir.path().join("loket.sqlite");
    let pg_spec = s._db.spec();
    let run = |db: &str, rej: &Path, extra: &[&str]| {
        let mut args = vec![
            "import",
            "residents",
            file.to_str().unwrap(),
            "--json",
            "--rejects",
            rej.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let (code, out, err) = common::run(&[&["--db", db][..], &args[..]].concat(), &[], "");
        (code, out, err, std::fs::read(rej).unwrap())
    };
    for extra in [&[][..], &["--bulk"][..], &["--update-existing"][..]] {
        let lite = run(
            lite_db.to_str().unwrap(),
            &s.dir.path().join("cli.sqlite.rej"),
            extra,
        );
        let pg = run(&pg_spec, &s.dir.path().join("cli.pg.rej"), extra);
        assert_eq!(lite.0, 1, "{}", lite.2);
        assert_eq!((lite.0, &lite.1), (pg.0, &pg.1), "{extra:?}: {}", pg.2);
        assert_eq!(lite.3, pg.3, "{extra:?}: rejects");
        s.same_store(&format!("cli {extra:?}"));
    }
}

/// `loket --db postgres://... bench` writes only into a database of its own: one holding
/// residents, or tables that are not loket's, is refused before anything is written.
#[test]
fn the_bench_refuses_a_database_that_holds_data() {
    let Some(s) = stores() else { return };
    let lf = s.write("lf.csv", &bad_csv("\n"));
    let opts = import::ImportOptions::new(today(), "lf.csv");
    import_into(&s.pg, &lf, &opts, &s.dir.path().join("r.csv"));
    let before = residents(&s.pg);
    let bench = |spec: &str| common::run(&["--db", spec, "bench", "--residents", "1000"], &[], "");
    let (code, out, err) = bench(&s._db.spec());
    assert_ne!(code, 0);
    assert!(err.contains("already holds resident rows"), "{out}{err}");
    assert_eq!(residents(&s.pg), before);

    let url = url("tests/pg_import.rs").unwrap();
    let other = PgDatabase::create(&url);
    other
        .connect()
        .execute_batch(
            "CREATE TABLE ledger (id INTEGER PRIMARY KEY); INSERT INTO ledger VALUES (1)",
        )
        .unwrap();
    let (code, out, err) = bench(&other.spec());
    assert_ne!(code, 0);
    assert!(err.contains("1 tables that are not loket's"), "{out}{err}");
    assert_eq!(
        common::count(&other.connect(), "SELECT count(*) FROM ledger"),
        1
    );
}

/// The counters' database role (`counter_role.sql`) imports in bulk and row by row: it may
/// draw from the resident identity but neither read nor set it, so each import numbers its
/// residents on from the highest stored id and draws the identity past them; the desk's next
/// registration follows the last imported resident.
#[test]
fn the_counters_role_imports_in_bulk_and_row_by_row() {
    let Some(s) = stores() else { return };
    s.pg.execute_batch(include_str!(
        "../assets/migrations/postgres/counter_role.sql"
    ))
    .unwrap();
    let mut target = loket::db::sql::PgTarget::parse(&s._db.spec()).unwrap();
    target.user = "loket_counter".into();
    let counter = db::open_server(&target.to_string()).expect("the counters' role logs in");
    let mut imported = 0;
    for (seed, bulk) in [(1, true), (2, false)] {
        let file = generated_csv(s.dir.path(), 300, seed);
        let mut opts = import::ImportOptions::new(today(), "role.csv");
        opts.bulk = bulk;
        let rej = s.dir.path().join(format!("role-{seed}.rej"));
        let outcome = import_into(&counter, &file, &opts, &rej);
        let (counts, _, _) = outcome.summary.expect("imported as the counters' role");
        assert!(counts.imported > 250, "{counts:?}");
        imported += counts.imported as i64;
    }
    let (count, max): (i64, i64) = counter
        .query_row("SELECT count(*), max(id) FROM resident", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((count, max), (imported, imported), "ids one after another");
    let next: i64 = counter
        .query_row(
            "SELECT nextval(pg_get_serial_sequence('resident', 'id'))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(next, imported + 1);
}
