//! The desk search of issue 15 against real databases: a common name paged to its last match
//! by keyset cursors, narrowed by birth year and by desa/kecamatan as the search line reads
//! them, counted, skipped into with `--offset`; NIK and KK prefixes paged across both parts;
//! `loket search --born --place --offset` against the binary; and the real binary in a
//! pseudo-terminal, a clerk narrowing and paging a common name.
//!
//! The data: the 300-resident demo plus 130 residents whose names hold MUHAMMAD RIZKI (most
//! begin with it, some only hold both words), born 1986-1992, living in four desa of two
//! kecamatan (Kemiri and Jayanti). The expected answers are computed here from every row.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use common::tty::{CTRL_Q, CTRL_U, DOWN, Tty};
use loket::db::demo::DemoOptions;
use loket::db::residents::{self, Born, Count, Page, ResidentHit, Search, Target};
use loket::db::sql::{Connection, params};
use loket::domain::name_key::{name_key, name_key_words};

/// The desa the added residents live in: two of kecamatan Kemiri, two of Jayanti.
const VILLAGES: [&str; 4] = [
    "36.03.09.2004", // Kemiri, kec. Kemiri
    "36.03.09.2003", // Lontar, kec. Kemiri
    "36.03.02.2009", // Pasir Gintung, kec. Jayanti
    "36.03.02.2007", // Dangdeur, kec. Jayanti
];
const ADDED: usize = 130;

/// The desa codes a line narrows to (`None`: anywhere).
type Places = Option<Vec<String>>;

fn database() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search.sqlite");
    let conn = common::demo_db(
        &path,
        DemoOptions {
            residents: 300,
            seed: 1,
            today: common::TODAY,
        },
    );
    for i in 0..ADDED {
        let name = match i % 10 {
            0 => "ABDUL MUHAMMAD RIZKI", // holds both words, does not begin with them
            1 | 4 | 7 => "MUHAMMAD RIZKI PRATAMA",
            2 | 5 => "MUHAMMAD RIZKI SAPUTRA",
            _ => "MUHAMMAD RIZKI",
        };
        let birth = NaiveDate::from_ymd_opt(
            1986 + (i % 7) as i32,
            1 + (i % 12) as u32,
            1 + (i % 28) as u32,
        )
        .unwrap();
        let nik = format!("3699990{:09}", i);
        // families of three share a KK that starts with 3699880
        let kk = format!("3699880{:09}", i / 3);
        conn.execute(
            "INSERT INTO resident (nik, kk, name, name_key, sex, birth_date, village_code, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'L', ?5, ?6, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
            params![nik, kk, name, name_key(name), birth, VILLAGES[i % 4]],
        )
        .unwrap();
    }
    drop(conn);
    (dir, path)
}

/// The database as the desk's search worker opens it: read-only, on whichever store it lives.
fn read_only(path: &Path) -> Connection {
    common::store::store_of(path).open_read_only().unwrap()
}

/// A resident as the expected answers need it.
struct Row {
    id: i64,
    nik: String,
    kk: Option<String>,
    key: String,
    birth: NaiveDate,
    village: Option<String>,
}

fn rows(conn: &Connection) -> Vec<Row> {
    conn.prepare("SELECT id, nik, kk, name_key, birth_date, village_code FROM resident")
        .unwrap()
        .query_map([], |r| {
            Ok(Row {
                id: r.get(0)?,
                nik: r.get(1)?,
                kk: r.get(2)?,
                key: r.get(3)?,
                birth: r.get(4)?,
                village: r.get(5)?,
            })
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The expected answer to name words with filters: the names that begin with the words in
/// (name key, birth date, id) order, then the set of the other names holding every word.
fn expected_names(
    all: &[Row],
    words: &str,
    born: Option<Born>,
    villages: Option<&[String]>,
) -> (Vec<i64>, HashSet<i64>) {
    let words = name_key_words(words);
    let key = words.join(" ");
    let kept = |r: &&Row| {
        born.is_none_or(|b| {
            let (from, to) = b.range();
            r.birth >= from && r.birth < to
        }) && villages.is_none_or(|v| r.village.as_ref().is_some_and(|c| v.contains(c)))
    };
    let mut begins: Vec<&Row> = all
        .iter()
        .filter(|r| r.key.starts_with(&key))
        .filter(kept)
        .collect();
    begins.sort_by(|a, b| (&a.key, a.birth, a.id).cmp(&(&b.key, b.birth, b.id)));
    let others = all
        .iter()
        .filter(|r| !r.key.starts_with(&key))
        .filter(|r| {
            words
                .iter()
                .all(|w| r.key.split(' ').any(|k| k.starts_with(w.as_str())))
        })
        .filter(kept)
        .map(|r| r.id)
        .collect();
    (begins.iter().map(|r| r.id).collect(), others)
}

/// Every page of `search`, `size` rows each, walked by cursors.
fn walk(conn: &Connection, search: &Search, size: usize) -> Vec<Page> {
    let mut pages = vec![residents::page(conn, search, None, size).unwrap()];
    while let Some(next) = pages.last().and_then(|p| p.next.clone()) {
        pages.push(residents::page(conn, search, Some(&next), size).unwrap());
        assert!(pages.len() < 1000, "the pages never end");
    }
    pages
}

fn ids(hits: &[ResidentHit]) -> Vec<i64> {
    hits.iter().map(|h| h.id).collect()
}

/// The pages hold every expected row once: the first part in its order, then the others.
fn assert_pages(pages: &[Page], size: usize, expected: &(Vec<i64>, HashSet<i64>), what: &str) {
    let all: Vec<i64> = pages.iter().flat_map(|p| ids(&p.hits)).collect();
    let (begins, others) = expected;
    assert_eq!(
        all.len(),
        begins.len() + others.len(),
        "{what}: every match once"
    );
    assert_eq!(
        &all[..begins.len()],
        begins.as_slice(),
        "{what}: phone-book order first"
    );
    let rest: HashSet<i64> = all[begins.len()..].iter().copied().collect();
    assert_eq!(&rest, others, "{what}: then the others");
    for (i, page) in pages.iter().enumerate() {
        let last = i + 1 == pages.len();
        assert_eq!(
            page.next.is_none(),
            last,
            "{what}: only the last page has no next"
        );
        if !last {
            assert_eq!(page.hits.len(), size, "{what}: a full page before the last");
        }
    }
}

#[test]
fn a_common_name_is_paged_to_its_last_match_counted_and_skipped_into() {
    let (_dir, path) = database();
    let conn = read_only(&path);
    let all = rows(&conn);
    let search = Search::plain("muhammad rizki");
    let expected = expected_names(&all, "muhammad rizki", None, None);
    let total = expected.0.len() + expected.1.len();
    assert!(total > 100, "more than two desk pages: {total}");
    assert!(!expected.1.is_empty(), "some only hold the words");

    let pages = walk(&conn, &search, 50);
    assert_pages(&pages, 50, &expected, "pages of 50");
    // small pages cross from the first part into the others inside a page
    assert_pages(&walk(&conn, &search, 7), 7, &expected, "pages of 7");
    // the first page is what `search` always gave
    assert_eq!(
        ids(&residents::search(&conn, "muhammad rizki", 50).unwrap()),
        ids(&pages[0].hits)
    );

    assert_eq!(
        residents::count(&conn, &search, 10_000).unwrap(),
        Count::Exact(total as u64)
    );
    assert_eq!(
        residents::count(&conn, &search, 100).unwrap(),
        Count::MoreThan(100)
    );

    // --offset lands where the cursors do, across the parts' border too
    let flat: Vec<i64> = pages.iter().flat_map(|p| ids(&p.hits)).collect();
    let border = expected.0.len();
    for offset in [
        0,
        1,
        50,
        border - 3,
        border,
        border + 1,
        total - 1,
        total,
        total + 5,
    ] {
        let page = residents::page_at(&conn, &search, offset as u64, 10).unwrap();
        let got = ids(&page.hits);
        assert_eq!(
            got.len(),
            total.saturating_sub(offset).min(10),
            "offset {offset}"
        );
        // the names that begin with the words exactly; the others are taken in registration
        // order a page at a time and shown by name, so only which ones is fixed
        let exact = border.saturating_sub(offset).min(got.len());
        assert_eq!(
            got[..exact],
            flat[offset.min(total)..][..exact],
            "offset {offset}"
        );
        assert!(
            got[exact..].iter().all(|id| expected.1.contains(id)),
            "offset {offset}"
        );
    }
}

#[test]
fn the_search_line_narrows_by_birth_year_day_and_place() {
    let (_dir, path) = database();
    let conn = read_only(&path);
    let all = rows(&conn);
    let book = residents::place_book(&conn).unwrap();
    let kemiri: Vec<String> = all
        .iter()
        .filter_map(|r| r.village.clone())
        .filter(|v| v.starts_with("36.03.09."))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let day = NaiveDate::from_ymd_opt(1990, 5, 5).unwrap();
    let cases: Vec<(&str, Option<Born>, Places)> = vec![
        ("muhammad rizki 1990", Some(Born::Year(1990)), None),
        ("muhammad rizki 05-05-1990", Some(Born::Day(day)), None),
        ("muhammad rizki kemiri", None, Some(kemiri.clone())),
        (
            "muhammad rizki 1990 kemiri",
            Some(Born::Year(1990)),
            Some(kemiri.clone()),
        ),
        (
            "muhammad rizki desa pasir gintung",
            None,
            Some(vec!["36.03.02.2009".into()]),
        ),
        // one desa, read desa by desa: the others (ABDUL MUHAMMAD RIZKI) too, with a year
        (
            "muhammad rizki 1988 desa pasir gintung",
            Some(Born::Year(1988)),
            Some(vec!["36.03.02.2009".into()]),
        ),
    ];
    // a second word alone: MUHAMMAD RIZKI ... are the others, RIZKI ... (if any) begin with it
    let second = (
        "rizki desa pasir gintung",
        None,
        Some(vec!["36.03.02.2009".into()]),
    );
    for (line, born, villages) in cases.into_iter().chain([second]) {
        let read = residents::read_line(&conn, &book, line);
        let name = read.name().map(str::to_string).unwrap_or_default();
        assert!(
            name == "muhammad rizki" || (line.starts_with("rizki") && name == "rizki"),
            "{line}: {name}"
        );
        assert_eq!(read.search.born, born, "{line}");
        assert!(!read.readings.is_empty(), "{line}: the reading is told");
        let expected = expected_names(&all, &name, born, villages.as_deref());
        assert!(
            !expected.0.is_empty() || !expected.1.is_empty(),
            "{line}: the data has such residents"
        );
        for hit in walk(&conn, &read.search, 50)
            .iter()
            .flat_map(|p| p.hits.iter())
        {
            if let Some(Born::Year(y)) = born {
                assert_eq!(hit.birth_date.year(), y, "{line}");
            }
        }
        assert_pages(&walk(&conn, &read.search, 9), 9, &expected, line);
        let n = (expected.0.len() + expected.1.len()) as u64;
        // skipping into either part lands where walking does
        let walked: Vec<i64> = walk(&conn, &read.search, 50)
            .iter()
            .flat_map(|p| ids(&p.hits))
            .collect();
        for offset in [1, expected.0.len().saturating_sub(1), expected.0.len() + 1] {
            let skipped = residents::page_at(&conn, &read.search, offset as u64, 1).unwrap();
            let at = walked.get(offset).copied();
            if offset < expected.0.len() {
                assert_eq!(ids(&skipped.hits).first().copied(), at, "{line} +{offset}");
            } else if let Some(hit) = skipped.hits.first() {
                assert!(expected.1.contains(&hit.id), "{line} +{offset}");
            }
        }
        assert_eq!(
            residents::count(&conn, &read.search, 10_000).unwrap(),
            Count::Exact(n)
        );
    }
    // a day that does not exist finds nobody, without asking the database for a name
    let read = residents::read_line(&conn, &book, "muhammad rizki 31-02-1990");
    assert!(read.search.impossible);
    assert!(
        residents::page(&conn, &read.search, None, 50)
            .unwrap()
            .hits
            .is_empty()
    );
    // the undo key's quoting reads the place back as a name word: nobody is called so
    let line = "muhammad rizki kemiri";
    let read = residents::read_line(&conn, &book, line);
    let undone = loket::domain::search_query::as_name(line, read.undoable().unwrap());
    let read = residents::read_line(&conn, &book, &undone);
    assert_eq!(read.name(), Some("muhammad rizki kemiri"));
    assert!(
        residents::page(&conn, &read.search, None, 50)
            .unwrap()
            .hits
            .is_empty()
    );
}

/// The other names narrowed by year or desa come from a second word index (migration 0006)
/// kept by triggers on SQLite (the GIN index on the name key on PostgreSQL): after residents
/// are renamed, moved, re-dated, added and removed, every narrowed line still finds exactly
/// the residents the rows say, and SQLite's index checks sound.
#[test]
fn the_narrowed_word_index_follows_every_change_to_a_resident() {
    let (_dir, path) = database();
    let conn = common::store::connect(&path);
    let others: Vec<i64> = conn
        .prepare("SELECT id FROM resident WHERE name = 'ABDUL MUHAMMAD RIZKI' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let rename = "SITI MUHAMMAD RIZKIA";
    conn.execute(
        "UPDATE resident SET name = ?1, name_key = ?2 WHERE id = ?3",
        params![rename, name_key(rename), others[0]],
    )
    .unwrap();
    conn.execute(
        "UPDATE resident SET birth_date = '1990-02-03', village_code = ?1 WHERE id = ?2",
        params![VILLAGES[2], others[1]],
    )
    .unwrap();
    conn.execute("DELETE FROM resident WHERE id = ?1", [others[2]])
        .unwrap();
    conn.execute(
        "INSERT INTO resident (nik, name, name_key, sex, birth_date, village_code, created_at, updated_at)
         VALUES ('3699990999999999', 'BUDI MUHAMMAD RIZKI', ?1, 'L', '1990-07-07', ?2,
                 '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
        params![name_key("BUDI MUHAMMAD RIZKI"), VILLAGES[2]],
    )
    .unwrap();
    // SQLite's narrowed word index is a table its triggers keep: it must still agree with the
    // rows. PostgreSQL's is a GIN index on the rows' own name key, which the server keeps.
    if !common::store::on_postgres() {
        conn.execute(
            "INSERT INTO resident_narrow_fts(resident_narrow_fts, rank) VALUES ('integrity-check', 1)",
            [],
        )
        .unwrap();
    }
    let all = rows(&conn);
    let book = residents::place_book(&conn).unwrap();
    let pasir_gintung = Some(vec![VILLAGES[2].to_string()]);
    let cases: Vec<(&str, Option<Born>, Places)> = vec![
        ("muhammad rizki 1990", Some(Born::Year(1990)), None),
        ("rizki 1990", Some(Born::Year(1990)), None),
        ("muhammad r 1990", Some(Born::Year(1990)), None),
        ("m rizki 1987", Some(Born::Year(1987)), None),
        ("muhammad rizkia 1986", Some(Born::Year(1986)), None),
        ("rizki desa pasir gintung", None, pasir_gintung.clone()),
        ("muhammad r desa pasir gintung", None, pasir_gintung),
    ];
    for (line, born, villages) in cases {
        let read = residents::read_line(&conn, &book, line);
        assert_eq!(read.search.born, born, "{line}");
        assert_eq!(read.search.villages, villages, "{line}");
        let name = read.name().unwrap().to_string();
        let expected = expected_names(&all, &name, born, villages.as_deref());
        assert!(!expected.1.is_empty(), "{line}: the data has other names");
        assert_pages(&walk(&conn, &read.search, 7), 7, &expected, line);
    }
}

#[test]
fn nik_and_kk_prefixes_page_across_both_parts() {
    let (_dir, path) = database();
    let conn = read_only(&path);
    let all = rows(&conn);
    for prefix in ["369999", "3699990000000", "369988", "36998800000000"] {
        let search = Search::plain(prefix);
        assert_eq!(search.target, Target::Digits(prefix.into()));
        let mut by_nik: Vec<&Row> = all.iter().filter(|r| r.nik.starts_with(prefix)).collect();
        by_nik.sort_by(|a, b| a.nik.cmp(&b.nik));
        let mut by_kk: Vec<&Row> = all
            .iter()
            .filter(|r| !r.nik.starts_with(prefix))
            .filter(|r| r.kk.as_deref().is_some_and(|k| k.starts_with(prefix)))
            .collect();
        by_kk.sort_by(|a, b| (&a.kk, a.id).cmp(&(&b.kk, b.id)));
        let want: Vec<i64> = by_nik.iter().chain(&by_kk).map(|r| r.id).collect();
        assert!(!want.is_empty(), "{prefix}");
        for size in [50, 4] {
            let got: Vec<i64> = walk(&conn, &search, size)
                .iter()
                .flat_map(|p| ids(&p.hits))
                .collect();
            assert_eq!(got, want, "{prefix} by {size}");
        }
        let count = residents::count(&conn, &search, 10_000).unwrap();
        assert_eq!(count, Count::Exact(want.len() as u64), "{prefix}");
        let skipped = residents::page_at(&conn, &search, 3, 5).unwrap();
        assert_eq!(
            ids(&skipped.hits),
            want.iter().skip(3).take(5).copied().collect::<Vec<_>>()
        );
    }
}

#[test]
fn the_name_index_holds_birth_date_and_desa_and_the_desa_index_names() {
    let (_dir, path) = database();
    let conn = common::store::connect(&path);
    // The catalogues differ: SQLite's pragma and sqlite_master, PostgreSQL's pg_index and
    // pg_indexes; the indexes have the same names and columns on both (pg_schema::check).
    let on_postgres = common::store::on_postgres();
    let columns_sql = if on_postgres {
        "SELECT a.attname::text FROM pg_index i
         JOIN pg_class c ON c.oid = i.indexrelid
         CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, seqno)
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
         WHERE c.relname::text = ?1 ORDER BY k.seqno"
    } else {
        "SELECT name FROM pragma_index_info(?1) ORDER BY seqno"
    };
    let columns = |index: &str| -> Vec<String> {
        conn.prepare(columns_sql)
            .unwrap()
            .query_map([index], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(
        columns("resident_name_key_birth_village"),
        ["name_key", "birth_date", "village_code"]
    );
    assert_eq!(
        columns("resident_village_name"),
        ["village_code", "name_key", "birth_date"]
    );
    let index_named = if on_postgres {
        "SELECT count(*) FROM pg_indexes WHERE indexname = ?1"
    } else {
        "SELECT count(*) FROM sqlite_master WHERE name = ?1"
    };
    assert_eq!(
        common::count_with(&conn, index_named, ["resident_name_key_birth"]),
        0,
        "the narrower index it replaces is gone"
    );
}

// ---- the command line ----

#[test]
fn loket_search_takes_born_place_and_offset() {
    let (_dir, path) = database();
    let conn = read_only(&path);
    let all = rows(&conn);
    let jayanti: Vec<String> = all
        .iter()
        .filter_map(|r| r.village.clone())
        .filter(|v| v.starts_with("36.03.02."))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let (begins, others) = expected_names(
        &all,
        "muhammad rizki",
        Some(Born::Year(1989)),
        Some(&jayanti),
    );
    assert!(begins.len() > 3, "{begins:?}");
    let json_ids = |args: &[&str]| -> Vec<i64> {
        let (code, value) = common::loket_json(&path, args);
        assert_eq!(code, 0, "{args:?}: {value}");
        value
            .as_array()
            .unwrap_or_else(|| panic!("{args:?}: {value}"))
            .iter()
            .map(|v| v["id"].as_i64().unwrap())
            .collect()
    };
    let base = [
        "--as", "sari", "search", "--json", "--born", "1989", "--place", "jayan",
    ];
    let first = json_ids(&[&base[..], &["--limit", "2", "muhammad", "rizki"]].concat());
    assert_eq!(first, begins[..2]);
    let rest = json_ids(&[&base[..], &["--offset", "2", "muhammad", "rizki"]].concat());
    assert_eq!(rest[..begins.len() - 2], begins[2..]);
    let tail: HashSet<i64> = rest[begins.len() - 2..].iter().copied().collect();
    assert_eq!(tail, others);
    // a day, and a place as the desk names it (kecamatan prefix, any case)
    let day = all
        .iter()
        .find(|r| {
            r.key
                .starts_with(&name_key_words("muhammad rizki").join(" "))
        })
        .map(|r| r.birth)
        .unwrap();
    let day_text = day.to_string();
    let on_day = json_ids(&[
        "--as", "sari", "search", "--json", "--born", &day_text, "muhammad", "rizki",
    ]);
    let want = expected_names(&all, "muhammad rizki", Some(Born::Day(day)), None);
    assert_eq!(on_day.len(), want.0.len() + want.1.len());
    let kemiri = json_ids(&[
        "--as", "sari", "search", "--json", "--place", "KEMIRI", "muhammad", "rizki",
    ]);
    assert!(!kemiri.is_empty());
    assert!(kemiri.iter().all(|id| {
        all.iter().any(|r| {
            r.id == *id
                && r.village
                    .as_deref()
                    .is_some_and(|v| v.starts_with("36.03.09."))
        })
    }));

    // an unknown place and an impossible date are refused, as one JSON failure
    let (code, value) = common::loket_json(
        &path,
        &[
            "--as", "sari", "search", "--json", "--place", "zzzq", "muhammad",
        ],
    );
    assert_eq!(code, 2, "{value}");
    assert_eq!(value["code"], "bad_argument", "{value}");
    let (code, _, err) = common::loket(
        &path,
        &["--as", "sari", "search", "--born", "1990-02-30", "muhammad"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--born"), "{err}");

    // text: a NIK prefix shows its digits, the rest stays masked
    let (code, out, err) = common::loket(&path, &["--as", "sari", "search", "36999900000"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("3699 9900 000• 0000"), "{out}");
    assert!(!out.contains("3699990000000000"), "{out}");
}

// ---- the real binary in a pseudo-terminal ----

const CTRL_Z: &str = "\x1a";
const CTRL_END: &str = "\x1b[1;5F";
const UP: &str = "\x1b[A";
const CTRL_HOME: &str = "\x1b[1;5H";

#[test]
fn clerk_narrows_a_common_name_by_year_and_desa_and_pages_past_the_fiftieth() {
    let (_dir, path) = database();
    let conn = read_only(&path);
    let all = rows(&conn);
    let (begins, others) = expected_names(&all, "muhammad rizki", None, None);
    let total = begins.len() + others.len();
    assert!(total > 100 && total < 150, "{total}");
    let in_1990 = expected_names(&all, "muhammad rizki", Some(Born::Year(1990)), None);
    let in_1990 = in_1990.0.len() + in_1990.1.len();
    drop(conn);

    let mut tty = Tty::start(&path);
    tty.wait_for("NIK, nomor KK, atau nama");
    tty.send("muhammad rizki");
    tty.wait_for(&format!("1–50 dari {total} cocok"));
    tty.wait_for("Banyak yang cocok?");
    // past the 50th: the list's last row, then one down turns the page
    tty.send(CTRL_END);
    tty.send(DOWN);
    tty.wait_for(&format!("51–100 dari {total} cocok"));
    tty.send(CTRL_END);
    tty.send(DOWN);
    tty.wait_for(&format!("101–{total} dari {total} cocok"));
    // and back: up from the first row of a page, Ctrl-Home to the first page
    tty.send(UP);
    tty.wait_for(&format!("51–100 dari {total} cocok"));
    tty.send(CTRL_HOME);
    tty.wait_for(&format!("1–50 dari {total} cocok"));

    // narrowed by the birth year: the filter line tells it
    tty.send(" 1990");
    tty.wait_for("lahir 1990");
    tty.wait_for(&format!("1–{in_1990} dari {in_1990} cocok"));
    // and by the desa's kecamatan
    tty.send(" kemiri");
    tty.wait_for("lahir 1990 · kec. Kemiri");
    tty.wait_for("Ctrl-Z: \"kemiri\" sebagai nama");
    // undo: "kemiri" becomes a name word, which nobody holds
    tty.send(CTRL_Z);
    tty.wait_for("muhammad rizki 1990 \"kemiri\"");
    tty.wait_for("0 cocok");

    // a NIK prefix: the typed digits show in the list
    tty.send(CTRL_U);
    tty.send("369999000000");
    tty.wait_for("3699 9900 0000 0000");
    tty.wait_for("3699 9900 0000 0001");

    tty.send(CTRL_Q);
    assert!(tty.wait_exit(), "loket quits cleanly");
}

#[test]
fn a_receipt_reference_finds_its_resident_at_the_desk() {
    let (_dir, path) = database();
    let conn = read_only(&path);
    let (enrollment, resident): (i64, i64) = conn
        .query_row(
            "SELECT id, resident_id FROM enrollment ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let code = loket::domain::reference_code::encode(enrollment).unwrap();
    let book = residents::place_book(&conn).unwrap();
    let search = residents::read_line(&conn, &book, &code).search;
    let page = residents::page(&conn, &search, None, 50).unwrap();
    assert_eq!(ids(&page.hits), vec![resident]);
    assert!(page.next.is_none());
    assert_eq!(
        residents::count(&conn, &search, 10_000).unwrap(),
        Count::Exact(1)
    );
    assert!(
        residents::page_at(&conn, &search, 1, 50)
            .unwrap()
            .hits
            .is_empty()
    );
}
