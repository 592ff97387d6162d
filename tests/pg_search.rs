//! The desk search on PostgreSQL (issue 18) finds the same residents in the same order as on
//! SQLite: the same demo plus 160 residents registered through `residents::insert` (most named
//! MUHAMMAD RIZKI, some only holding both words, pairs sharing name and birth date so the id
//! decides, a few SITI names whose order differs between byte order and a language's) are
//! built on both stores, and every page of every search walked by cursors is compared whole
//! (hits and cursors), with the counts, `page_at`/`--offset`, the name check, the place book
//! and the desk line's reading. Names, names narrowed by birth year, by one desa, by a
//! kecamatan's desa and by more desa than the narrowed word index takes; NIK and KK prefixes;
//! a receipt's reference code.
//!
//! The PostgreSQL database is made with ICU's `en-US` collation when the server has ICU, so an
//! order or a range that leans on the database's collation instead of byte order shows here.
//! Skipped (with a note) without `LOKET_TEST_PG`.

mod common;

use std::fmt::Debug;

use chrono::{Datelike, NaiveDate};
use common::pg::{PgDatabase, same, url};
use loket::db::demo::{self, DemoOptions};
use loket::db::residents::{self, Born, Count, Cursor, Page, Search};
use loket::db::{self, Connection};
use loket::domain::reference_code;
use loket::domain::resident::{DraftText, Field, Rules, validate};
use loket::domain::search_query::PlaceKind;

/// The desa the added residents live in: two of kecamatan Kemiri, two of Jayanti.
const VILLAGES: [&str; 4] = [
    "36.03.09.2004", // Kemiri, kec. Kemiri
    "36.03.09.2003", // Lontar, kec. Kemiri
    "36.03.02.2009", // Pasir Gintung, kec. Jayanti
    "36.03.02.2007", // Dangdeur, kec. Jayanti
];

/// Names of the added residents, two residents (same birth date and desa) per entry in turn.
const NAMES: [&str; 10] = [
    "ABDUL MUHAMMAD RIZKI", // holds both words, does not begin with them
    "MUHAMMAD RIZKI PRATAMA",
    "MUHAMMAD RIZKI SAPUTRA",
    "MUHAMMAD RIZKI",
    "MOCH RIZKY", // the same key as MUHAMMAD RIZKI
    "RIZKI MUHAMMAD PERMATASARI",
    "MUHAMMAD RIZKI",
    "SITI AMINAH",
    "M. RIZKY PRATAMA",
    "MUHAMMAD RIZKI PRATAMA",
];
const ADDED: usize = 160;

/// Names whose keys sort differently by bytes than by en-US (space, letters after `siti`).
const SITI: [&str; 5] = ["SITIZ", "SITI A", "SITIAMI", "SITI AMINAH ZAHRA", "SITI Z"];

fn demo_opts() -> DemoOptions {
    DemoOptions {
        residents: 300,
        seed: 1,
        today: common::TODAY,
    }
}

/// The same data on both stores.
struct Stores {
    lite: Connection,
    pg: Connection,
    /// The SQLite file and the server database, as `--db` takes them.
    lite_path: std::path::PathBuf,
    pg_spec: String,
    _dir: tempfile::TempDir,
    _db: PgDatabase,
}

fn stores(what: &str) -> Option<Stores> {
    let url = url(what)?;
    let pg_db = PgDatabase::create_en_us(&url).unwrap_or_else(|| {
        common::pg::note("the test server has no ICU: the PostgreSQL database is collated C");
        PgDatabase::create(&url)
    });
    let dir = tempfile::tempdir().unwrap();
    let lite_path = dir.path().join("search.sqlite");
    let lite = common::sqlite_demo_db(&lite_path, demo_opts());
    let mut pg = db::create_on_server(&pg_db.spec()).expect("init on the server");
    demo::populate(&mut pg, demo_opts()).expect("demo on the server");
    for conn in [&lite, &pg] {
        register_all(conn);
    }
    Some(Stores {
        lite,
        pg,
        lite_path,
        pg_spec: pg_db.spec(),
        _dir: dir,
        _db: pg_db,
    })
}

/// Registers the added residents as the form does (checked by the domain's rules, inserted by
/// `residents::insert` with its audit row), in the same order on every store.
fn register_all(conn: &Connection) {
    let clerk = common::actor(conn, "sari");
    let districts = db::reference::district_names(conn).unwrap();
    let villages = |code: &str| residents::village(conn, code).unwrap().is_some();
    let rules = Rules {
        today: common::TODAY,
        districts: &districts,
        villages: &villages,
    };
    let people = (0..ADDED)
        .map(|i| (i, NAMES[(i / 2) % NAMES.len()]))
        .chain(SITI.iter().enumerate().map(|(n, name)| (ADDED + n, *name)));
    for (i, name) in people {
        let j = i / 2;
        let birth = NaiveDate::from_ymd_opt(
            1986 + (j % 7) as i32,
            1 + (j % 12) as u32,
            1 + (j % 28) as u32,
        )
        .unwrap();
        let village = VILLAGES[j % VILLAGES.len()];
        let district: String = village[..8].replace('.', "");
        let nik = format!(
            "{district}{:02}{:02}{:02}{:04}",
            birth.day(),
            birth.month(),
            birth.year() % 100,
            i + 1
        );
        // families of three share a KK (a KK's digits after the kecamatan start with 9)
        let kk = format!("{district}9{:09}", i / 3);
        let mut text = DraftText::default();
        for (field, value) in [
            (Field::Nik, nik.as_str()),
            (Field::Kk, kk.as_str()),
            (Field::Name, name),
            (Field::Sex, "L"),
            (Field::BirthPlace, "TANGERANG"),
            (Field::BirthDate, &birth.format("%d-%m-%Y").to_string()),
            (Field::Address, "Kp. Baru No. 1"),
            (Field::Rt, "001"),
            (Field::Rw, "002"),
            (Field::Village, village),
        ] {
            text.set(field, value);
        }
        let valid = validate(&text.draft(), &rules).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        residents::insert(conn, &clerk, &valid, true).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    }
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

fn ids(pages: &[Page]) -> Vec<i64> {
    pages
        .iter()
        .flat_map(|p| p.hits.iter().map(|h| h.id))
        .collect()
}

/// Everything the desk and `loket search` read of one search, on one store.
#[derive(Debug)]
struct Answers {
    pages_of_20: Vec<Page>,
    pages_of_7: Vec<Page>,
    counts: Vec<Count>,
    /// `page_at` at offsets around the pages' and the parts' borders.
    at: Vec<(u64, Page)>,
}

fn answers(conn: &Connection, search: &Search, offsets: &[u64]) -> Answers {
    Answers {
        pages_of_20: walk(conn, search, 20),
        pages_of_7: walk(conn, search, 7),
        counts: [1, 20, 50, 10_000]
            .iter()
            .map(|&cap| residents::count(conn, search, cap).unwrap())
            .collect(),
        at: offsets
            .iter()
            .map(|&o| (o, residents::page_at(conn, search, o, 10).unwrap()))
            .collect(),
    }
}

/// The answers of `search` on both stores are the same; returns SQLite's. Offsets are taken
/// around every border the walk crossed: each page's, the parts' and the end.
fn compare(s: &Stores, what: &str, search: &Search) -> Answers {
    let walked = walk(&s.lite, search, 20);
    let total = ids(&walked).len() as u64;
    let mut offsets = vec![1, 19, 20, 21, total.saturating_sub(1), total, total + 3];
    // where the first part ends: the first page whose cursor is not the first part's
    let flat: Vec<(i64, bool)> = walk(&s.lite, search, 1)
        .iter()
        .flat_map(|p| {
            let part_one = matches!(p.next, Some(Cursor::Begins(..)) | Some(Cursor::Nik(_)));
            p.hits.iter().map(move |h| (h.id, part_one))
        })
        .collect();
    if let Some(border) = flat.iter().position(|(_, one)| !one) {
        let border = border as u64;
        offsets.extend([border.saturating_sub(1), border, border + 1, border + 2]);
    }
    offsets.sort();
    offsets.dedup();
    let lite = answers(&s.lite, search, &offsets);
    let pg = answers(&s.pg, search, &offsets);
    same(what, &lite, &pg);
    assert!(
        lite.at
            .iter()
            .all(|(o, page)| (*o >= total) == page.hits.is_empty()),
        "{what}: a page at every offset below {total}, none past it"
    );
    lite
}

fn name(text: &str) -> Search {
    Search::plain(text)
}

fn born(text: &str, year: i32) -> Search {
    let mut search = Search::plain(text);
    search.born = Some(Born::Year(year));
    search
}

fn living_in(text: &str, villages: &[String]) -> Search {
    let mut search = Search::plain(text);
    search.villages = Some(villages.to_vec());
    search
}

#[test]
fn names_are_found_and_paged_in_the_same_order_on_both_stores() {
    let Some(s) = stores("tests/pg_search.rs") else {
        return;
    };
    // a common name: many pages, both parts, pairs that only the id orders
    let common = compare(&s, "muhammad rizki", &name("muhammad rizki"));
    let total = ids(&common.pages_of_20).len();
    assert!(total > 120, "{total}");
    assert!(common.pages_of_20.len() > 6);
    let cursors: Vec<&Cursor> = common
        .pages_of_20
        .iter()
        .filter_map(|p| p.next.as_ref())
        .collect();
    assert!(cursors.iter().any(|c| matches!(c, Cursor::Begins(..))));
    assert!(
        common
            .pages_of_7
            .iter()
            .any(|p| matches!(p.next, Some(Cursor::Others(_)))),
        "the others span pages of 7"
    );
    assert_eq!(common.counts.last(), Some(&Count::Exact(total as u64)));
    assert_eq!(common.counts[1], Count::MoreThan(20));

    for text in [
        "rizki",
        "moch rizky",
        "rizki muhammad",
        "rizki pra",
        "m",
        "m rizki",
        "muhammad rizki pratama",
        "siti",
        "siti a",
        "siti am",
        "sitia",
        "permatasari",
        "permata",
        "permatasarx",
        "zzzqqq",
        "abdul",
        "a",
    ] {
        compare(&s, text, &name(text));
    }
    // the byte order of SQLite, whatever the server's collation
    let siti = walk(&s.pg, &name("siti"), 50);
    let keys: Vec<String> = siti[0]
        .hits
        .iter()
        .map(|h| loket::domain::name_key::name_key(&h.name))
        .take_while(|k| k.starts_with("siti"))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(keys.contains(&"sitiz".to_string()), "{keys:?}");

    // narrowed by birth year (SQLite: the narrowed word index by year)
    for (text, year) in [
        ("muhammad rizki", 1988),
        ("rizki", 1990),
        ("rizki sap", 1987),
        ("m rizki", 1989),
        ("siti", 1986),
        ("muhammad rizki", 1901),
    ] {
        let found = compare(&s, &format!("{text} born {year}"), &born(text, year));
        if year != 1901 {
            assert!(!found.pages_of_20[0].hits.is_empty(), "{text} {year}");
        }
    }
    // a day
    let mut day = Search::plain("muhammad rizki");
    day.born = Some(Born::Day(NaiveDate::from_ymd_opt(1986, 1, 1).unwrap()));
    compare(&s, "muhammad rizki on a day", &day);

    // narrowed by desa: one (read desa by desa), a kecamatan's (by the narrowed index), more
    // than the narrowed index takes, and one with a year as well
    let book = residents::place_book(&s.lite).unwrap();
    let kemiri = book.village_codes(&book.starting("kemiri", Some(PlaceKind::District)));
    assert!(kemiri.len() > 3, "{kemiri:?}");
    let mut many: Vec<String> = s
        .lite
        .prepare("SELECT code FROM village WHERE code LIKE '36.03.%' ORDER BY code DESC LIMIT 60")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    many.extend(VILLAGES.iter().map(|v| v.to_string()));
    for (what, villages) in [
        ("desa Kemiri", vec![VILLAGES[0].to_string()]),
        (
            "two desa",
            vec![VILLAGES[1].to_string(), VILLAGES[2].to_string()],
        ),
        ("kecamatan Kemiri", kemiri),
        ("64 desa", many),
    ] {
        for text in ["muhammad rizki", "rizki", "m rizki", "siti", "abdul"] {
            let found = compare(
                &s,
                &format!("{text} in {what}"),
                &living_in(text, &villages),
            );
            if text != "siti" && text != "abdul" {
                assert!(!found.pages_of_20[0].hits.is_empty(), "{text} in {what}");
            }
            let mut both = living_in(text, &villages);
            both.born = Some(Born::Year(1988));
            compare(&s, &format!("{text} in {what} born 1988"), &both);
        }
    }
    // the first page as `residents::search` gives it
    for text in ["muhammad rizki", "rizki", "siti"] {
        same(
            text,
            &residents::search(&s.lite, text, 51).unwrap(),
            &residents::search(&s.pg, text, 51).unwrap(),
        );
    }
}

#[test]
fn the_desk_line_name_check_digits_places_and_references_agree() {
    let Some(s) = stores("tests/pg_search.rs") else {
        return;
    };
    // the name check the line is read with
    for words in [
        "muhammad",
        "rizki pra",
        "muhammad rizki saputra",
        "permatasari",
        "permatasarx",
        "kemiri",
        "lontar",
        "jayanti",
        "siti am",
        "m",
        "zzzqqq",
        "",
    ] {
        same(
            &format!("name_held({words})"),
            &residents::name_held(&s.lite, words).unwrap(),
            &residents::name_held(&s.pg, words).unwrap(),
        );
    }
    assert!(residents::name_held(&s.pg, "rizki pra").unwrap());
    assert!(residents::name_held(&s.pg, "permatasari").unwrap());
    assert!(!residents::name_held(&s.pg, "permatasarx").unwrap());

    // the places a line may name
    let (lite_book, pg_book) = (
        residents::place_book(&s.lite).unwrap(),
        residents::place_book(&s.pg).unwrap(),
    );
    assert!(!lite_book.is_empty());
    for typed in ["k", "kemiri", "jayanti", "lontar", "pasir", "s", "dangdeur"] {
        for kind in [None, Some(PlaceKind::District), Some(PlaceKind::Village)] {
            same(
                &format!("places starting {typed} {kind:?}"),
                &lite_book.starting(typed, kind),
                &pg_book.starting(typed, kind),
            );
        }
    }

    // lines as the clerk types them: read the same, found the same
    for line in [
        "muhammad rizki",
        "muhammad rizki 1988",
        "muhammad rizki kemiri",
        "rizki 1990 lontar",
        "rizki jayanti 1987",
        "m rizki 01-01-1986",
        "siti 1986",
        "kemiri",
        "3603",
        "360309",
    ] {
        let lite = residents::read_line(&s.lite, &lite_book, line);
        let pg = residents::read_line(&s.pg, &pg_book, line);
        same(&format!("line {line}"), &lite, &pg);
        compare(&s, &format!("line {line}"), &lite.search);
    }
    let narrowed = residents::read_line(&s.lite, &lite_book, "muhammad rizki 1988 kemiri");
    assert!(narrowed.search.born.is_some() && narrowed.search.villages.is_some());

    // NIK and KK prefixes: the NIK part, then the families, across pages
    let (nik, kk): (String, String) = s
        .lite
        .query_row(
            "SELECT nik, kk FROM resident WHERE kk LIKE '3603099%' ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    for digits in [
        "3",
        "36",
        "3603",
        "360309",
        "3603090",
        "3603099",
        "36030990000000",
        &kk,
        &nik,
        &nik[..12],
        "360302",
        "9",
        "1",
    ] {
        let found = compare(&s, &format!("digits {digits}"), &Search::plain(digits));
        if digits.starts_with('3') {
            assert!(!found.pages_of_20[0].hits.is_empty(), "{digits}");
        }
    }
    // a prefix found both by NIK and by KK, with pages crossing from one part into the other
    let both = compare(&s, "digits 3603", &Search::plain("3603"));
    assert!(
        both.pages_of_7
            .iter()
            .any(|p| matches!(p.next, Some(Cursor::Nik(_))))
    );
    let family = compare(&s, "digits 3603099", &Search::plain("3603099"));
    assert!(ids(&family.pages_of_20).len() >= 3);
    assert!(
        family
            .pages_of_7
            .iter()
            .any(|p| matches!(p.next, Some(Cursor::Kk(..))))
    );
    let mut narrowed = Search::plain("3603");
    narrowed.born = Some(Born::Year(1988));
    narrowed.villages = Some(vec![VILLAGES[0].to_string(), VILLAGES[3].to_string()]);
    compare(&s, "digits 3603 narrowed", &narrowed);

    // a receipt's reference code finds its resident
    let enrollment: i64 = s
        .lite
        .query_row("SELECT min(id) FROM enrollment", [], |r| r.get(0))
        .unwrap();
    let code = reference_code::encode(enrollment).unwrap();
    let found = compare(&s, "reference code", &Search::plain(&code));
    assert_eq!(ids(&found.pages_of_20).len(), 1);
}

#[test]
fn loket_search_prints_the_same_on_both_stores() {
    let Some(s) = stores("tests/pg_search.rs") else {
        return;
    };
    let lite_db = s.lite_path.to_str().unwrap();
    #[rustfmt::skip]
    let asks: &[&[&str]] = &[
        &["muhammad", "rizki"],
        &["--limit", "50", "--offset", "40", "muhammad", "rizki"],
        &["--offset", "125", "muhammad", "rizki"],
        &["--born", "1989", "--place", "jayan", "rizki"],
        &["--born", "1986-01-01", "muhammad", "rizki"],
        &["--place", "KEMIRI", "--offset", "10", "muhammad", "rizki"],
        &["--place", "kemiri", "siti"],
        &["--offset", "3", "3603099"],
        &["--limit", "50", "3603"],
    ];
    for ask in asks {
        let args = |db: &str| -> Vec<String> {
            ["--db", db, "--as", "sari", "search", "--json"]
                .iter()
                .chain(ask.iter())
                .map(|a| a.to_string())
                .collect()
        };
        let run = |db: &str| {
            let args = args(db);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, out, err) = common::run(&args, &[], "");
            assert_eq!(code, 0, "{ask:?}: {err}");
            out
        };
        let (lite, pg) = (run(lite_db), run(&s.pg_spec));
        assert!(lite.trim_start().starts_with("[{"), "{ask:?}: {lite}");
        same(&format!("loket search {ask:?}"), &lite, &pg);
    }
}
