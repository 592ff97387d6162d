//! The desk search as stored (issues 3 and 15): a NIK or KK prefix, or name words narrowed by
//! birth date and desa, a page at a time with keyset cursors so every match can be reached
//! without OFFSET over millions; the count of matches, exact up to a cap; skipping N matches for
//! the command line; the places of the office's kabupaten and the name check the desk's line is
//! read with (`domain::search_query`). Never formats text and never shows a full NIK.
//!
//! Order, the same for every page:
//! - digits: residents whose NIK starts with them, in NIK order, then those whose KK starts with
//!   them (the family), by KK;
//! - names: first the names that begin with the typed text, in name order and then by birth
//!   date, as a phone book reads ("siti am" lists SITI AMINAH before SITI AMINAH ZAHRA); a range
//!   of the index `resident_name_key_birth_village`, whose columns also hold the birth date and
//!   desa, so the filters are checked in the index without reading the rows. Then the other
//!   names with a word starting with each typed word, through FTS5, in the order they were
//!   registered, each page's share of them shown in name order (a name order over all of them
//!   would sort every match of a common word at every page).
//! - narrowed to a desa (or the few desa one name stands for): the first part reads the index
//!   `resident_village_name` (desa, name key, birth date) as one name range per desa, so it
//!   does not walk a common name over the whole kabupaten to find the few of one desa.
//! - narrowed by desa or birth year, the other names come from `resident_narrow_fts`, whose
//!   terms carry the desa or the year with each word (migration 0006), so only that desa's or
//!   year's names holding the words are read.
//!
//! Each part reads an index range from its cursor and stops at the limit.
//!
//! On PostgreSQL (issue 18) the results and their order are the same: `nik`, `kk` and
//! `name_key` are `COLLATE "C"` there (byte order, as SQLite's BINARY), so the same ranges and
//! ORDER BYs read its btree indexes of the same names (the planner picks them: no INDEXED
//! BY); the other names come from the GIN word index `resident_name_words` through one
//! `tsquery` of word prefixes, in id order, the birth and desa filters checked on the rows.

use crate::db::sql::types::Value;
use crate::db::sql::{Connection, Dialect, params_from_iter};
use chrono::{Datelike, NaiveDate};

use super::{HIT_COLUMNS, HIT_COUNT, HIT_JOINS, ResidentHit, hit_from_row};
use crate::db::DbError;
use crate::db::settings::{self, SettingKey};
use crate::domain::name_key::name_key_words;
use crate::domain::reference_code;
use crate::domain::search_query::{self, DeskQuery, Names, Place, PlaceBook, PlaceKind};
pub use crate::domain::search_query::{Born, Search, Target};

/// The longest prefix index of `resident_fts` (`prefix = '1 2 3 4 5 6 7 8'` in the schema).
const MAX_PREFIX: usize = 8;

/// What a typed search text asks for, before any filter (the screens' first look at a line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchQuery {
    /// Nothing to search for.
    Empty,
    /// Digits (spaces, dots and dashes ignored): a NIK or KK prefix.
    Digits(String),
    /// A name: the FTS5 expression over the name key, every word a quoted prefix, ANDed.
    Name(String),
}

/// Reads the search box: digits search NIK and KK by prefix, anything else searches names.
pub fn classify(query: &str) -> SearchQuery {
    match Search::plain(query).target {
        Target::Empty => SearchQuery::Empty,
        Target::Digits(d) => SearchQuery::Digits(d),
        Target::Name(name) => match fts_expression(&name_key_words(&name)) {
            Some(expr) => SearchQuery::Name(expr),
            None => SearchQuery::Empty,
        },
    }
}

/// Every word a quoted prefix, ANDed. name_key words hold only [a-z0-9], so quoting cannot be
/// broken out of. A word longer than the longest prefix index is asked by its indexed prefix (a
/// longer prefix would make FTS5 merge every matching term's doclist: 10-35 ms at 3 million
/// residents); the whole word is then checked on the row.
fn fts_expression(words: &[String]) -> Option<String> {
    (!words.is_empty()).then(|| {
        words
            .iter()
            .map(|w| format!("\"{}\"*", &w[..w.len().min(MAX_PREFIX)]))
            .collect::<Vec<_>>()
            .join(" AND ")
    })
}

/// Where the previous page ended: the next page starts after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// After this NIK among the residents whose NIK starts with the digits.
    Nik(String),
    /// After this (KK, id) among those whose KK starts with them.
    Kk(String, i64),
    /// After this (name key, birth date, id) among the names that begin with the text.
    Begins(String, NaiveDate, i64),
    /// After this id among the other names.
    Others(i64),
}

/// One page of matches, and where the next starts (`None`: this is the last).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub hits: Vec<ResidentHit>,
    pub next: Option<Cursor>,
}

/// How many residents match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    Exact(u64),
    /// More than this many (counting stopped there).
    MoreThan(u64),
}

/// The desk search, first page, no filters: at most `limit` rows (see the module documentation
/// for the order). Ask for one more than you show to know there are more.
pub fn search(conn: &Connection, query: &str, limit: usize) -> Result<Vec<ResidentHit>, DbError> {
    Ok(page(conn, &Search::plain(query), None, limit)?.hits)
}

/// The page of at most `limit` matches of `search` after `after` (from the first without).
pub fn page(
    conn: &Connection,
    search: &Search,
    after: Option<&Cursor>,
    limit: usize,
) -> Result<Page, DbError> {
    if search.impossible || limit == 0 {
        return Ok(Page::default());
    }
    if let Some(enrollment_id) = reference_of(search) {
        if after.is_some() {
            return Ok(Page::default());
        }
        return Ok(Page {
            hits: by_reference(conn, enrollment_id)?,
            next: None,
        });
    }
    let filters = Filters::of(search, conn.dialect());
    let mut out = Page::default();
    match &search.target {
        Target::Empty => {}
        Target::Digits(prefix) => {
            let digits = Digits::new(prefix);
            if !matches!(after, Some(Cursor::Kk(..))) {
                let from = match after {
                    Some(Cursor::Nik(nik)) => Some(nik.as_str()),
                    _ => None,
                };
                let (hits, more) = digits.by_nik(conn, &filters, from, limit)?;
                out.next = more
                    .then(|| hits.last().map(|h| Cursor::Nik(h.nik.clone())))
                    .flatten();
                out.hits = hits;
                if out.next.is_some() {
                    return Ok(out);
                }
            }
            let from = match after {
                Some(Cursor::Kk(kk, id)) => (kk.as_str(), *id),
                _ => (prefix.as_str(), 0),
            };
            let (family, more) = digits.by_kk(conn, &filters, from, limit - out.hits.len())?;
            out.next = more.then(|| match family.last() {
                Some(h) => Cursor::Kk(h.kk.clone().unwrap_or_default(), h.id),
                None => Cursor::Kk(from.0.to_string(), from.1),
            });
            out.hits.extend(family);
        }
        Target::Name(name) => {
            let Some(name) = Name::new(name) else {
                return Ok(out);
            };
            if !matches!(after, Some(Cursor::Others(_))) {
                let from = match after {
                    Some(Cursor::Begins(key, birth, id)) => Some((key.as_str(), *birth, *id)),
                    _ => None,
                };
                let (hits, last) = name.begins(conn, &filters, from, limit)?;
                out.next = last.map(|(k, b, id)| Cursor::Begins(k, b, id));
                out.hits = hits;
                if out.next.is_some() {
                    return Ok(out);
                }
            }
            let from = match after {
                Some(Cursor::Others(id)) => *id,
                _ => 0,
            };
            let (mut others, more) = name.others(conn, &filters, from, limit - out.hits.len())?;
            out.next =
                more.then(|| Cursor::Others(others.iter().map(|h| h.id).max().unwrap_or(from)));
            others
                .sort_by(|a, b| (&a.name, a.birth_date, a.id).cmp(&(&b.name, b.birth_date, b.id)));
            out.hits.extend(others);
        }
    }
    Ok(out)
}

/// The page of at most `limit` matches after skipping the first `offset` (the command line's
/// `--offset`). Skipping reads the skipped entries of the index in order without the rows
/// (one bounded `OFFSET` per part), then the page is read by its cursor.
pub fn page_at(
    conn: &Connection,
    search: &Search,
    offset: u64,
    limit: usize,
) -> Result<Page, DbError> {
    if offset == 0 {
        return page(conn, search, None, limit);
    }
    match skip(conn, search, offset)? {
        Some(cursor) => page(conn, search, Some(&cursor), limit),
        None => Ok(Page::default()),
    }
}

/// The cursor after the first `n` matches (n > 0), or `None` when there are not more than `n`.
fn skip(conn: &Connection, search: &Search, n: u64) -> Result<Option<Cursor>, DbError> {
    if search.impossible || reference_of(search).is_some() {
        return Ok(None);
    }
    let filters = Filters::of(search, conn.dialect());
    let cursor = match &search.target {
        Target::Empty => None,
        Target::Digits(prefix) => {
            let digits = Digits::new(prefix);
            match digits.nth_nik(conn, &filters, n)? {
                Ok(nik) => Some(Cursor::Nik(nik)),
                Err(seen) => digits
                    .nth_kk(conn, &filters, n - seen)?
                    .ok()
                    .map(|(kk, id)| Cursor::Kk(kk, id)),
            }
        }
        Target::Name(name) => match Name::new(name) {
            None => None,
            Some(name) => match name.nth_begins(conn, &filters, n)? {
                Ok((k, b, id)) => Some(Cursor::Begins(k, b, id)),
                Err(seen) => name
                    .nth_other(conn, &filters, n - seen)?
                    .ok()
                    .map(Cursor::Others),
            },
        },
    };
    Ok(cursor)
}

/// How many residents match, exact up to `cap`. Reads the same index ranges as the pages, up to
/// `cap` entries each.
pub fn count(conn: &Connection, search: &Search, cap: u64) -> Result<Count, DbError> {
    if search.impossible {
        return Ok(Count::Exact(0));
    }
    if let Some(enrollment_id) = reference_of(search) {
        let found = by_reference(conn, enrollment_id)?.len() as u64;
        return Ok(Count::Exact(found.min(cap)));
    }
    let filters = Filters::of(search, conn.dialect());
    let total = match &search.target {
        Target::Empty => 0,
        Target::Digits(prefix) => {
            let digits = Digits::new(prefix);
            let first = digits.count_nik(conn, &filters, cap + 1)?;
            if first > cap {
                first
            } else {
                first + digits.count_kk(conn, &filters, cap + 1 - first)?
            }
        }
        Target::Name(name) => match Name::new(name) {
            None => 0,
            Some(name) => {
                let first = name.count_begins(conn, &filters, cap + 1)?;
                if first > cap {
                    first
                } else {
                    first + name.count_others(conn, &filters, cap + 1 - first)?
                }
            }
        },
    };
    Ok(if total > cap {
        Count::MoreThan(cap)
    } else {
        Count::Exact(total)
    })
}

/// The enrollment a receipt's reference code (`BP-K7Q-M93X`, issue 17) names, when the line
/// is one, without filters: it finds the resident the receipt was printed for.
fn reference_of(search: &Search) -> Option<i64> {
    match &search.target {
        Target::Name(text) if search.born.is_none() && search.villages.is_none() => {
            reference_code::decode(text)
        }
        _ => None,
    }
}

/// The resident of one enrollment (none when it does not exist).
fn by_reference(conn: &Connection, enrollment_id: i64) -> Result<Vec<ResidentHit>, DbError> {
    let sql = format!(
        "SELECT {HIT_COLUMNS} {HIT_JOINS} WHERE r.id = (SELECT resident_id FROM enrollment WHERE id = ?1)"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_map([enrollment_id], hit_from_row)?
        .collect::<Result<_, _>>()?)
}

/// At most this many desa (a desa, or the few desa one name stands for) are read desa by desa
/// through `resident_village_name`; a kecamatan's are many, and its share of a name is large
/// enough for the name's own range to fill a page soon.
const FEW_VILLAGES: usize = 3;

/// The birth and desa filters as SQL over a table alias, with their parameters, and the store
/// the SQL is for.
struct Filters {
    dialect: Dialect,
    born: Option<(String, String)>,
    /// JSON array of desa codes.
    villages: Option<String>,
    /// True when the desa are few: their residents are read by desa (see [`FEW_VILLAGES`]).
    by_village: bool,
    /// The term prefixes of `resident_narrow_fts` the other names are looked up under: the
    /// line's desa (`_v3603052002_`), or else its birth year (`_y1970_`); none without a filter
    /// or when the desa are too many to ask one by one.
    narrow: Vec<String>,
    /// PostgreSQL: the other names are found soonest by walking residents in id order (many
    /// names hold the words), rather than from the word index (few do). See [`walk_by_id`].
    /// Asked of the server once per search, and only when the other names are read.
    walk_by_id: std::cell::Cell<Option<bool>>,
}

impl Filters {
    fn of(search: &Search, dialect: Dialect) -> Filters {
        Filters {
            dialect,
            born: search.born.map(|b| {
                let (from, to) = b.range();
                (from.to_string(), to.to_string())
            }),
            villages: search
                .villages
                .as_ref()
                .map(|codes| serde_json::Value::from(codes.clone()).to_string()),
            by_village: search
                .villages
                .as_ref()
                .is_some_and(|codes| codes.len() <= FEW_VILLAGES),
            narrow: narrow_scopes(search),
            walk_by_id: std::cell::Cell::new(None),
        }
    }

    /// Whether the other names of `name` are read walking ids (PostgreSQL; see
    /// [`walk_by_id`]): its estimate asked the first time only.
    fn walk_by_id(&self, conn: &Connection, name: &Name) -> Result<bool, DbError> {
        if self.dialect != Dialect::Postgres {
            return Ok(false);
        }
        if let Some(walk) = self.walk_by_id.get() {
            return Ok(walk);
        }
        let filtered = self.born.is_some() || self.villages.is_some();
        let walk = walk_by_id(conn, &tsquery(name.asked_and_on_row().0), filtered)?;
        self.walk_by_id.set(Some(walk));
        Ok(walk)
    }

    /// ` AND ...` over `alias`, numbering its parameters from `next`; pushes their values.
    fn sql(&self, alias: &str, values: &mut Vec<Value>) -> String {
        let mut sql = String::new();
        if let Some((from, to)) = &self.born {
            values.push(from.clone().into());
            values.push(to.clone().into());
            sql.push_str(&format!(
                " AND {alias}.birth_date >= ?{} AND {alias}.birth_date < ?{}",
                values.len() - 1,
                values.len()
            ));
        }
        if let Some(codes) = &self.villages {
            let codes = param(values, codes.clone());
            let test = match self.dialect {
                Dialect::Sqlite => format!("IN (SELECT value FROM json_each({codes}))"),
                // An array, checked on the index entries: `IN (SELECT ...)` became a join that
                // read every row of the name first (38 ms against 4 ms at 400,000 residents).
                Dialect::Postgres => format!(
                    "= ANY (ARRAY(SELECT jsonb_array_elements_text(CAST({codes} AS jsonb))))"
                ),
            };
            sql.push_str(&format!(" AND {alias}.village_code {test}"));
        }
        sql
    }
}

/// At most this many desa are looked up one by one in `resident_narrow_fts` (a kecamatan has
/// 10-30); more, and the birth year (or the name index) narrows instead.
const NARROW_VILLAGES: usize = 40;

/// The term prefixes of `resident_narrow_fts` for a search's filters, as migration 0006 writes
/// them: `_v` and the desa code's digits, or `_y` and the year's four digits, then `_`. A desa
/// is the narrower of the two (a few thousand residents against 40,000 born in a year). A code
/// holding anything but digits and dots, or a year outside 1000-9999, gets none (the filter is
/// then only checked on the rows).
fn narrow_scopes(search: &Search) -> Vec<String> {
    if let Some(codes) = &search.villages
        && !codes.is_empty()
        && codes.len() <= NARROW_VILLAGES
        && codes
            .iter()
            .all(|c| c.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
    {
        return codes
            .iter()
            .map(|c| format!("_v{}_", c.replace('.', "")))
            .collect();
    }
    match search.born.map(|b| b.range().0.year()) {
        Some(year) if (1000..=9999).contains(&year) => vec![format!("_y{year}_")],
        _ => Vec::new(),
    }
}

fn param(values: &mut Vec<Value>, value: impl Into<Value>) -> String {
    values.push(value.into());
    format!("?{}", values.len())
}

fn limit_value(n: impl TryInto<i64>) -> Value {
    Value::Integer(n.try_into().unwrap_or(i64::MAX))
}

/// The hits of ids chosen by `inner` (a query whose first column is `id`), in `order` (over
/// the inner query's columns, alias `m`), each with the text of the inner column `extra`.
fn hits_with(
    conn: &Connection,
    inner: &str,
    order: &str,
    extra: &str,
    values: Vec<Value>,
) -> Result<Vec<(ResidentHit, Option<String>)>, DbError> {
    let sql = format!(
        "SELECT {HIT_COLUMNS}, {extra} FROM ({inner}) m JOIN resident r ON r.id = m.id
         LEFT JOIN village v ON v.code = r.village_code
         LEFT JOIN district d ON d.code = v.district_code
         ORDER BY {order}"
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(values), |r| {
            Ok((hit_from_row(r)?, r.get(HIT_COUNT)?))
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The hits of ids chosen by `inner`, in `order` (see [`hits_with`]).
fn hits_of(
    conn: &Connection,
    inner: &str,
    order: &str,
    values: Vec<Value>,
) -> Result<Vec<ResidentHit>, DbError> {
    Ok(hits_with(conn, inner, order, "NULL", values)?
        .into_iter()
        .map(|(hit, _)| hit)
        .collect())
}

/// `SELECT count(*)` of `inner` stopped at `cap` rows.
fn count_of(
    conn: &Connection,
    inner: &str,
    mut values: Vec<Value>,
    cap: u64,
) -> Result<u64, DbError> {
    let limit = param(&mut values, limit_value(cap));
    let sql = format!("SELECT count(*) FROM ({inner} LIMIT {limit}) AS counted");
    let n: i64 = conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(values), |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The `n`-th row (1-based) of `inner` (ordered), read by `get`; `Err(rows)` when it has only
/// `rows` < n.
fn nth_of<T>(
    conn: &Connection,
    inner: &str,
    mut values: Vec<Value>,
    n: u64,
    get: impl Fn(&crate::db::sql::Row) -> crate::db::sql::Result<T>,
) -> Result<Result<T, u64>, DbError> {
    let mut with_offset = values.clone();
    let offset = param(&mut with_offset, limit_value(n - 1));
    let sql = format!("{inner} LIMIT 1 OFFSET {offset}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(with_offset))?;
    if let Some(row) = rows.next()? {
        return Ok(Ok(get(&row)?));
    }
    drop(rows);
    let seen = count_of(conn, inner, std::mem::take(&mut values), n)?;
    Ok(Err(seen))
}

/// A NIK/KK prefix and the bounds of its range: ':' sorts right after '9', so every string
/// that starts with the prefix is below `upper`.
struct Digits<'a> {
    prefix: &'a str,
    upper: String,
}

impl<'a> Digits<'a> {
    fn new(prefix: &'a str) -> Digits<'a> {
        Digits {
            prefix,
            upper: format!("{prefix}:"),
        }
    }

    /// Ids and NIKs of the NIK part in order, after `from`.
    fn nik_ids(&self, filters: &Filters, from: Option<&str>, values: &mut Vec<Value>) -> String {
        let lower = match from {
            Some(nik) => format!("r.nik > {}", param(values, nik.to_string())),
            None => format!("r.nik >= {}", param(values, self.prefix.to_string())),
        };
        let upper = param(values, self.upper.clone());
        let filter = filters.sql("r", values);
        format!(
            "SELECT r.id, r.nik FROM resident r WHERE {lower} AND r.nik < {upper}{filter} ORDER BY r.nik"
        )
    }

    /// Ids, KKs of the KK part in order, after `from`; those found by NIK are left out.
    fn kk_ids(
        &self,
        filters: &Filters,
        from: Option<(&str, i64)>,
        values: &mut Vec<Value>,
    ) -> String {
        let (kk, id) = from.unwrap_or((self.prefix, 0));
        let (kk, id) = (param(values, kk.to_string()), param(values, id));
        let upper = param(values, self.upper.clone());
        let prefix = param(values, self.prefix.to_string());
        let filter = filters.sql("r", values);
        format!(
            "SELECT r.id, r.kk FROM resident r
             WHERE r.kk IS NOT NULL AND (r.kk, r.id) > ({kk}, {id}) AND r.kk < {upper}
               AND NOT (r.nik >= {prefix} AND r.nik < {upper}){filter}
             ORDER BY r.kk, r.id"
        )
    }

    fn by_nik(
        &self,
        conn: &Connection,
        filters: &Filters,
        from: Option<&str>,
        limit: usize,
    ) -> Result<(Vec<ResidentHit>, bool), DbError> {
        let mut values = Vec::new();
        let inner = self.nik_ids(filters, from, &mut values);
        let limit_sql = param(&mut values, limit_value(limit + 1));
        let mut hits = hits_of(conn, &format!("{inner} LIMIT {limit_sql}"), "m.nik", values)?;
        let more = hits.len() > limit;
        hits.truncate(limit);
        Ok((hits, more))
    }

    fn by_kk(
        &self,
        conn: &Connection,
        filters: &Filters,
        from: (&str, i64),
        limit: usize,
    ) -> Result<(Vec<ResidentHit>, bool), DbError> {
        let mut values = Vec::new();
        let inner = self.kk_ids(filters, Some(from), &mut values);
        let limit_sql = param(&mut values, limit_value(limit + 1));
        let mut hits = hits_of(
            conn,
            &format!("{inner} LIMIT {limit_sql}"),
            "m.kk, m.id",
            values,
        )?;
        let more = hits.len() > limit;
        hits.truncate(limit);
        Ok((hits, more))
    }

    fn nth_nik(
        &self,
        conn: &Connection,
        filters: &Filters,
        n: u64,
    ) -> Result<Result<String, u64>, DbError> {
        let mut values = Vec::new();
        let inner = self.nik_ids(filters, None, &mut values);
        nth_of(conn, &inner, values, n, |r| r.get(1))
    }

    fn nth_kk(
        &self,
        conn: &Connection,
        filters: &Filters,
        n: u64,
    ) -> Result<Result<(String, i64), u64>, DbError> {
        let mut values = Vec::new();
        let inner = self.kk_ids(filters, None, &mut values);
        nth_of(conn, &inner, values, n, |r| Ok((r.get(1)?, r.get(0)?)))
    }

    fn count_nik(&self, conn: &Connection, filters: &Filters, cap: u64) -> Result<u64, DbError> {
        let mut values = Vec::new();
        let inner = self.nik_ids(filters, None, &mut values);
        count_of(conn, &inner, values, cap)
    }

    fn count_kk(&self, conn: &Connection, filters: &Filters, cap: u64) -> Result<u64, DbError> {
        let mut values = Vec::new();
        let inner = self.kk_ids(filters, None, &mut values);
        count_of(conn, &inner, values, cap)
    }
}

/// Name words as the two parts ask them.
struct Name {
    /// The typed words' key: the names that begin with it come first.
    key: String,
    upper: String,
    /// The FTS5 expression of the other names.
    fts: String,
    /// Words longer than the prefix index (FTS5 is asked their indexed prefix; the whole word
    /// is checked on the row).
    long: Vec<String>,
    /// The typed words as name keys.
    words: Vec<String>,
}

impl Name {
    fn new(name: &str) -> Option<Name> {
        let words = name_key_words(name);
        let fts = fts_expression(&words)?;
        let key = words.join(" ");
        Some(Name {
            // '{' sorts right after 'z': every key that starts with `key` lies below it.
            upper: format!("{key}{{"),
            key,
            fts,
            long: words
                .iter()
                .filter(|w| w.len() > MAX_PREFIX)
                .cloned()
                .collect(),
            words,
        })
    }

    /// Ids, keys and birth dates of the names that begin with the text, in name order, after
    /// `from`: a range of `resident_name_key_birth_village` read without the rows.
    fn begins_ids(
        &self,
        filters: &Filters,
        from: Option<(&str, NaiveDate, i64)>,
        values: &mut Vec<Value>,
    ) -> String {
        // Before the first: (key, no birth date, 0) is below every row whose key starts with `key`.
        let (key, birth, id) = match from {
            Some((k, b, id)) => (k.to_string(), b.to_string(), id),
            None => (
                self.key.clone(),
                before_every_birth(filters.dialect).to_string(),
                0,
            ),
        };
        let (key, birth, id) = (param(values, key), param(values, birth), param(values, id));
        let upper = param(values, self.upper.clone());
        let filter = filters.sql("r", values);
        // In a desa: the name's range within each desa's entries, merged in name order.
        let index = match filters.by_village {
            true => "resident_village_name",
            false => "resident_name_key_birth_village",
        };
        // PostgreSQL's planner picks the index itself (it has no INDEXED BY).
        let index = match filters.dialect {
            Dialect::Sqlite => format!(" INDEXED BY {index}"),
            Dialect::Postgres => String::new(),
        };
        format!(
            "SELECT r.id, r.name_key, r.birth_date FROM resident r{index}
             WHERE (r.name_key, r.birth_date, r.id) > ({key}, {birth}, {id}) AND r.name_key < {upper}{filter}
             ORDER BY r.name_key, r.birth_date, r.id"
        )
    }

    /// Ids of the other names holding every word, in id order, after `from`. The names that
    /// begin with the text are left out by their index range, before any row is read.
    fn others_ids(
        &self,
        conn: &Connection,
        filters: &Filters,
        from: i64,
        values: &mut Vec<Value>,
    ) -> Result<String, DbError> {
        if filters.dialect == Dialect::Postgres {
            if !filters.narrow.is_empty() {
                return Ok(self.others_narrowed(filters, from, values));
            }
            let walk = filters.walk_by_id(conn, self)?;
            return Ok(self.others_on_postgres(filters, walk, from, values));
        }
        if !filters.narrow.is_empty() {
            return Ok(self.others_narrowed(filters, from, values));
        }
        let fts = param(values, self.fts.clone());
        let from = param(values, from);
        let key = param(values, self.key.clone());
        let upper = param(values, self.upper.clone());
        let long = words_on_row(&self.long, Dialect::Sqlite, values);
        let filter = filters.sql("r", values);
        Ok(format!(
            "SELECT r.id FROM resident_fts f JOIN resident r ON r.id = f.rowid
             WHERE resident_fts MATCH {fts} AND f.rowid > {from}
               AND f.rowid NOT IN (SELECT id FROM resident WHERE name_key >= {key} AND name_key < {upper}){long}{filter}
             ORDER BY f.rowid"
        ))
    }

    /// The same narrowed by desa or birth year: looked up in `resident_narrow_fts` under the
    /// filter's term prefixes, each word a prefix of a term (`"_y1970_rizki"* AND
    /// "_y1970_sap"*`), so only the few names of that year or desa holding the words are read.
    /// Measured at 3 million residents: "rizki sap 1970" 1-3 ms, against 10-13 ms through the
    /// name index (RIZKI's doclist intersected with every resident of 1970, the rows left read
    /// for SAP), and a desa name shared by two kecamatan 1 ms, against 3-6 ms reading every
    /// entry of both desa. A one-letter word is checked on the rows instead when a longer word
    /// is there (under a year, `m` spans every M name of that year). The exact filters are
    /// checked on the rows too.
    ///
    /// On PostgreSQL the GIN index `resident_narrow_words` (schema 8) holds the same terms:
    /// `'_y1970_rizki':* & '_y1970_sap':*`, one group per scope. The few names found are read
    /// once each (the filters and the left-out first part checked on the same visit), then put
    /// in id order; MATERIALIZED keeps the planner from walking ids or and-ing in the desa
    /// index, as it otherwise tries.
    fn others_narrowed(&self, filters: &Filters, from: i64, values: &mut Vec<Value>) -> String {
        let (asked, on_row) = self.asked_and_on_row();
        let (term, and, or) = match filters.dialect {
            Dialect::Sqlite => (("\"", "\"*"), " AND ", " OR "),
            Dialect::Postgres => (("'", "':*"), " & ", " | "),
        };
        // Scope prefixes and words hold only [a-z0-9_]: quoting cannot be broken out of.
        let query = filters
            .narrow
            .iter()
            .map(|scope| {
                let all: Vec<String> = asked
                    .iter()
                    .map(|w| format!("{}{scope}{w}{}", term.0, term.1))
                    .collect();
                format!("({})", all.join(and))
            })
            .collect::<Vec<_>>()
            .join(or);
        let query = param(values, query);
        let from = param(values, from);
        let key = param(values, self.key.clone());
        let upper = param(values, self.upper.clone());
        let words = words_on_row(on_row, filters.dialect, values);
        let filter = filters.sql("r", values);
        match filters.dialect {
            Dialect::Sqlite => format!(
                "SELECT r.id FROM resident_narrow_fts f JOIN resident r ON r.id = f.rowid
                 WHERE resident_narrow_fts MATCH {query} AND f.rowid > {from}
                   AND NOT (r.name_key >= {key} AND r.name_key < {upper}){words}{filter}
                 ORDER BY f.rowid"
            ),
            Dialect::Postgres => format!(
                "WITH held AS MATERIALIZED (SELECT r.id FROM resident r
                     WHERE resident_narrow_words(r.name_key, r.birth_date, r.village_code)
                           @@ CAST({query} AS tsquery)
                       AND r.id > {from}
                       AND NOT (r.name_key >= {key} AND r.name_key < {upper}){words}{filter})
                 SELECT id FROM held ORDER BY id"
            ),
        }
    }

    /// The words looked up in a word index, and those checked on the rows instead: a one-letter
    /// word is checked on the rows when a longer word is there (`m` spans every M name; the
    /// longer word's holders are few beside them).
    fn asked_and_on_row(&self) -> (Vec<&String>, Vec<&String>) {
        let longer: Vec<&String> = self.words.iter().filter(|w| w.len() > 1).collect();
        match longer.is_empty() {
            true => (self.words.iter().collect(), Vec::new()),
            false => (longer, self.words.iter().filter(|w| w.len() == 1).collect()),
        }
    }

    /// The other names on PostgreSQL: every word a prefix in one `tsquery` over the GIN index
    /// `resident_name_words` (`to_tsvector('simple', name_key)`: a name key's words are its
    /// lexemes, whole, so a long word needs no check on the row; a one-letter word is checked
    /// on the row, see [`Name::asked_and_on_row`]), the filters checked on the rows, in id
    /// order as SQLite's rowid.
    fn others_on_postgres(
        &self,
        filters: &Filters,
        walk_by_id: bool,
        from: i64,
        values: &mut Vec<Value>,
    ) -> String {
        let (asked, on_row) = self.asked_and_on_row();
        let words = param(values, tsquery(asked));
        let from = param(values, from);
        let key = param(values, self.key.clone());
        let upper = param(values, self.upper.clone());
        let on_row = words_on_row(on_row, Dialect::Postgres, values);
        let filter = filters.sql("r", values);
        let holds = format!("to_tsvector('simple', r.name_key) @@ to_tsquery('simple', {words})");
        if walk_by_id {
            return format!(
                "SELECT r.id FROM resident r
                 WHERE {holds} AND r.id > {from}
                   AND NOT (r.name_key >= {key} AND r.name_key < {upper}){on_row}{filter}
                 ORDER BY r.id"
            );
        }
        // Few hold the words: every one of them from the word index (MATERIALIZED keeps the
        // planner from walking ids in the hope of an early match), then in id order.
        format!(
            "WITH held AS MATERIALIZED (SELECT r.id FROM resident r WHERE {holds} AND r.id > {from})
             SELECT r.id FROM held JOIN resident r ON r.id = held.id
             WHERE NOT (r.name_key >= {key} AND r.name_key < {upper}){on_row}{filter}
             ORDER BY r.id"
        )
    }

    /// A page of the first part and, when there is more, the last row's place in the order.
    #[allow(clippy::type_complexity)]
    fn begins(
        &self,
        conn: &Connection,
        filters: &Filters,
        from: Option<(&str, NaiveDate, i64)>,
        limit: usize,
    ) -> Result<(Vec<ResidentHit>, Option<(String, NaiveDate, i64)>), DbError> {
        let mut values = Vec::new();
        let inner = self.begins_ids(filters, from, &mut values);
        let limit_sql = param(&mut values, limit_value(limit + 1));
        let mut rows = hits_with(
            conn,
            &format!("{inner} LIMIT {limit_sql}"),
            "m.name_key, m.birth_date, m.id",
            "m.name_key",
            values,
        )?;
        let more = rows.len() > limit;
        rows.truncate(limit);
        let last = more
            .then(|| {
                rows.last()
                    .map(|(h, key)| (key.clone().unwrap_or_default(), h.birth_date, h.id))
            })
            .flatten();
        Ok((rows.into_iter().map(|(hit, _)| hit).collect(), last))
    }

    fn others(
        &self,
        conn: &Connection,
        filters: &Filters,
        from: i64,
        limit: usize,
    ) -> Result<(Vec<ResidentHit>, bool), DbError> {
        if limit == 0 {
            // Whether any exists, so the page says there is more.
            let mut values = Vec::new();
            let inner = self.others_ids(conn, filters, from, &mut values)?;
            return Ok((Vec::new(), count_of(conn, &inner, values, 1)? > 0));
        }
        let mut values = Vec::new();
        let inner = self.others_ids(conn, filters, from, &mut values)?;
        let limit_sql = param(&mut values, limit_value(limit + 1));
        let mut hits = hits_of(conn, &format!("{inner} LIMIT {limit_sql}"), "m.id", values)?;
        let more = hits.len() > limit;
        hits.truncate(limit);
        Ok((hits, more))
    }

    fn nth_begins(
        &self,
        conn: &Connection,
        filters: &Filters,
        n: u64,
    ) -> Result<Result<(String, NaiveDate, i64), u64>, DbError> {
        let mut values = Vec::new();
        let inner = self.begins_ids(filters, None, &mut values);
        nth_of(conn, &inner, values, n, |r| {
            Ok((r.get(1)?, r.get(2)?, r.get(0)?))
        })
    }

    fn nth_other(
        &self,
        conn: &Connection,
        filters: &Filters,
        n: u64,
    ) -> Result<Result<i64, u64>, DbError> {
        let mut values = Vec::new();
        let inner = self.others_ids(conn, filters, 0, &mut values)?;
        nth_of(conn, &inner, values, n, |r| r.get(0))
    }

    fn count_begins(&self, conn: &Connection, filters: &Filters, cap: u64) -> Result<u64, DbError> {
        let mut values = Vec::new();
        let inner = self.begins_ids(filters, None, &mut values);
        count_of(conn, &inner, values, cap)
    }

    fn count_others(&self, conn: &Connection, filters: &Filters, cap: u64) -> Result<u64, DbError> {
        let mut values = Vec::new();
        let inner = self.others_ids(conn, filters, 0, &mut values)?;
        count_of(conn, &inner, values, cap)
    }
}

/// ` AND ...` over the alias `r`: the name key holds a word starting with each of `words`. On
/// SQLite a GLOB for a first word or one after a space (name keys hold only [a-z0-9] and single
/// spaces, so no wildcard and no other separator; GLOB is case-sensitive and cheaper than LIKE
/// over `' ' || name_key`); on PostgreSQL that LIKE (the column is COLLATE "C": byte-wise).
fn words_on_row<W: AsRef<str>>(
    words: impl IntoIterator<Item = W>,
    dialect: Dialect,
    values: &mut Vec<Value>,
) -> String {
    let mut sql = String::new();
    for w in words {
        let w = w.as_ref();
        match dialect {
            Dialect::Sqlite => {
                let first = param(values, format!("{w}*"));
                let later = param(values, format!("* {w}*"));
                sql.push_str(&format!(
                    " AND (r.name_key GLOB {first} OR r.name_key GLOB {later})"
                ));
            }
            Dialect::Postgres => {
                let anywhere = param(values, format!("% {w}%"));
                sql.push_str(&format!(" AND (' ' || r.name_key) LIKE {anywhere}"));
            }
        }
    }
    sql
}

/// A birth date below every stored one, for the first part's first page: SQLite compares the
/// ISO text with '', PostgreSQL's DATE takes '-infinity'.
fn before_every_birth(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "",
        Dialect::Postgres => "-infinity",
    }
}

/// Above this many names estimated to hold the words, the other names are found by walking
/// residents in id order; below it, all of them from the word index. Measured at 3 million
/// residents: the walk tests about 1.6 million rows a second, so a page of 21 among 20,000
/// holders reads about 3,000 rows (2 ms) where the index reads all 20,000 (15-20 ms); for a
/// word nobody holds the walk reads every row (1.9 s) and the index none (0.3 ms). With a birth
/// or desa filter a walk reads far more rows per match: it is taken only for very common words.
const WALK_ABOVE: f64 = 20_000.0;
const WALK_ABOVE_FILTERED: f64 = 400_000.0;

/// Whether the other names are found soonest walking ids: PostgreSQL's own estimate (the
/// planner's statistics of the word index) of how many residents hold `words` (a `tsquery`).
fn walk_by_id(conn: &Connection, words: &str, filtered: bool) -> Result<bool, DbError> {
    // The tsquery holds only [a-z0-9], ':*' and '&' (name key words), quoted all the same.
    let quoted = words.replace('\'', "''");
    let plan: String = conn.query_row(
        &format!(
            "EXPLAIN SELECT 1 FROM resident
             WHERE to_tsvector('simple', name_key) @@ to_tsquery('simple', '{quoted}')"
        ),
        [],
        |r| r.get(0),
    )?;
    let rows: f64 = plan
        .split("rows=")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0);
    Ok(rows
        > if filtered {
            WALK_ABOVE_FILTERED
        } else {
            WALK_ABOVE
        })
}

/// The PostgreSQL `tsquery` of name key words: each a prefix (`wahi:* & sapu:*`). The words
/// hold only [a-z0-9] (name keys), which the parser reads as one lexeme each and which carry no
/// operator; the text is passed as a parameter all the same.
fn tsquery<W: AsRef<str>>(words: impl IntoIterator<Item = W>) -> String {
    words
        .into_iter()
        .map(|w| format!("{}:*", w.as_ref()))
        .collect::<Vec<_>>()
        .join(" & ")
}

/// Whether some resident's name holds every word of `words` (each a word prefix): what the
/// desk asks before reading a word as a place.
pub fn name_held(conn: &Connection, words: &str) -> Result<bool, DbError> {
    let Some(name) = Name::new(words) else {
        return Ok(false);
    };
    if conn.dialect() == Dialect::Postgres {
        // From the word index: asked as EXISTS the planner walks the whole table in the hope
        // of an early match, seconds at 3 million residents when no name holds the words.
        let held = |words: &[String]| -> Result<bool, DbError> {
            Ok(conn
                .prepare_cached(
                    "WITH held AS MATERIALIZED (SELECT id FROM resident
                         WHERE to_tsvector('simple', name_key) @@ to_tsquery('simple', ?1))
                     SELECT EXISTS (SELECT 1 FROM held)",
                )?
                .query_row([tsquery(words)], |r| r.get(0))?)
        };
        // The desk asks about words that end with a place's name, which few names hold: that
        // word alone first (0.3 ms at 3 million residents), all of them only when it is held
        // (7-12 ms: every holder of a first name is read). SQLite's FTS5 needs no such order.
        let last = &name.words[name.words.len() - 1..];
        if name.words.len() > 1 && !held(last)? {
            return Ok(false);
        }
        return held(&name.words);
    }
    let mut values = Vec::new();
    let fts = param(&mut values, name.fts.clone());
    let long = words_on_row(&name.long, Dialect::Sqlite, &mut values);
    let sql = if long.is_empty() {
        format!("SELECT EXISTS (SELECT 1 FROM resident_fts WHERE resident_fts MATCH {fts})")
    } else {
        format!(
            "SELECT EXISTS (SELECT 1 FROM resident_fts f JOIN resident r ON r.id = f.rowid
             WHERE resident_fts MATCH {fts}{long})"
        )
    };
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(values), |r| r.get(0))?)
}

/// The kecamatan and desa of the office's kabupaten (setting `office.regency_code`): the places
/// a search line or `--place` may name.
pub fn place_book(conn: &Connection) -> Result<PlaceBook, DbError> {
    let regency = settings::get(conn, SettingKey::OfficeRegency)?;
    let mut stmt = conn.prepare_cached(
        "SELECT d.code, d.name, NULL, NULL FROM district d WHERE d.regency_code = ?1
         UNION ALL
         SELECT d.code, d.name, v.code, v.name FROM village v JOIN district d ON d.code = v.district_code
         WHERE d.regency_code = ?1",
    )?;
    let places = stmt
        .query_map([&regency], |r| {
            let district_code: String = r.get(0)?;
            let district_name: String = r.get(1)?;
            let village: Option<(String, String)> = match r.get::<_, Option<String>>(2)? {
                Some(code) => Some((code, r.get(3)?)),
                None => None,
            };
            Ok(match village {
                Some((code, name)) => Place {
                    kind: PlaceKind::Village,
                    code,
                    name,
                    district_code,
                    district_name,
                },
                None => Place {
                    kind: PlaceKind::District,
                    code: district_code.clone(),
                    name: district_name.clone(),
                    district_code,
                    district_name,
                },
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(PlaceBook::new(places))
}

/// The names held by the residents of one connection, for the line's reading. A failing query
/// counts as held: the words then stay names, and the search itself reports the failure.
struct HeldOn<'c>(&'c Connection);

impl Names for HeldOn<'_> {
    fn held(&self, words: &str) -> bool {
        name_held(self.0, words).unwrap_or(true)
    }
}

/// Reads the desk's line with the places of `book` and the names stored on `conn`.
pub fn read_line(conn: &Connection, book: &PlaceBook, line: &str) -> DeskQuery {
    search_query::read(line, book, &HeldOn(conn))
}
