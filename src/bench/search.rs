//! The desk search's query categories and the naive scan each is compared with. The first five
//! (issue 6) run `db::residents::search` on the text as typed; the three of issue 15 run what
//! the desk runs for a line: its reading (`db::residents::read_line`, the name check included)
//! and the page it asks for, "page 20" from the cursor where page 19 ended (walked to before the
//! clock starts, as the clerk's PgDn had). The naive scan answers the same page in the same
//! order with `LIKE '%q%'` and the same filters, `OFFSET` for a later page.
//! Never used outside `loket bench`.

use crate::db::sql::types::Value;
use crate::db::sql::{Connection, Dialect, params_from_iter};

use super::data::{Rng, Sample};
use crate::db::DbError;
use crate::db::residents::{self, Cursor, Search, Target};
use crate::domain::search_query::PlaceBook;

/// Rows of the desk's page.
const PAGE: usize = 50;

/// How the desk runs a query of a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// `db::residents::search(text, 51)`.
    Plain,
    /// The desk's line: reading and first page.
    Line,
    /// The desk's line, this page (1-based), from the cursor where the page before ended.
    Page(usize),
}

/// One timed query: what the clerk types and how the desk runs it.
#[derive(Debug, Clone)]
pub struct BenchQuery {
    pub line: String,
    pub how: How,
}

/// A query made ready outside the clock: for a later page, the cursor the desk holds; and the
/// naive scan's filters, read from the same line.
pub struct Ready {
    pub query: BenchQuery,
    search: Search,
    after: Option<Cursor>,
    /// This page's first row is not there: the page is empty for both.
    past_end: bool,
}

/// The categories of issue 15, drawn from residents in the file: a first name (and half the
/// time the start of the second word) with the birth year; the same with the name of the desa
/// as the clerk says it; a first name alone, page 20.
pub fn line_queries(
    samples: &[Sample],
    per_category: usize,
    seed: u64,
    book: &PlaceBook,
) -> Vec<(String, Vec<BenchQuery>)> {
    let mut rng = Rng(seed ^ 0x15);
    let mut year = Vec::new();
    let mut place = Vec::new();
    let mut page = Vec::new();
    for s in samples {
        let words: Vec<String> = s.name.to_lowercase().split(' ').map(String::from).collect();
        let mut name = words[0].clone();
        if words.len() >= 2 && rng.below(2) == 0 {
            let w = &words[1];
            name = format!("{name} {}", &w[..(3 + rng.below(4)).min(w.len())]);
        }
        if year.len() < per_category {
            year.push(BenchQuery {
                line: format!("{name} {}", chrono::Datelike::year(&s.birth)),
                how: How::Line,
            });
        }
        if place.len() < per_category
            && let Some(desa) = book.place(&s.village)
        {
            place.push(BenchQuery {
                line: format!("{name} {}", desa.name.to_lowercase()),
                how: How::Line,
            });
        }
        if page.len() < per_category {
            page.push(BenchQuery {
                line: words[0].clone(),
                how: How::Page(20),
            });
        }
    }
    vec![
        ("name + birth year".into(), year),
        ("name + place".into(), place),
        ("page 20 of a first name".into(), page),
    ]
}

/// Reads the line and walks to the page, outside the clock.
pub fn ready(conn: &Connection, book: &PlaceBook, query: &BenchQuery) -> Result<Ready, DbError> {
    let search = match query.how {
        How::Plain => Search::plain(&query.line),
        How::Line | How::Page(_) => residents::read_line(conn, book, &query.line).search,
    };
    let mut after = None;
    let mut past_end = false;
    if let How::Page(n) = query.how {
        for _ in 1..n {
            match residents::page(conn, &search, after.as_ref(), PAGE)?.next {
                Some(next) => after = Some(next),
                None => {
                    past_end = true;
                    break;
                }
            }
        }
    }
    Ok(Ready {
        query: query.clone(),
        search,
        after,
        past_end,
    })
}

/// What the desk runs for the query (timed): the rows found.
pub fn desk(conn: &Connection, book: &PlaceBook, ready: &Ready) -> Result<usize, DbError> {
    match ready.query.how {
        How::Plain => Ok(residents::search(conn, &ready.query.line, PAGE + 1)?.len()),
        How::Line | How::Page(_) if ready.past_end => Ok(0),
        How::Line | How::Page(_) => {
            let read = residents::read_line(conn, book, &ready.query.line);
            Ok(
                residents::page(conn, &read.search, ready.after.as_ref(), PAGE)?
                    .hits
                    .len(),
            )
        }
    }
}

/// The naive search a first version would write: a scan with `LIKE '%q%'`, the same filters
/// and the same page. `ordered`: in the desk's order (NIKs in NIK order; names that begin with
/// the text first, then by name), so the scan must read every row to know the page. Otherwise
/// any rows that contain the text. Only id, NIK and name are read, not the desa and enrollment
/// the desk shows, so the scan is timed at its cheapest.
pub fn naive(conn: &Connection, ready: &Ready, ordered: bool) -> Result<usize, DbError> {
    let (digits, text) = match &ready.search.target {
        Target::Empty => return Ok(0),
        Target::Digits(d) => (true, d.clone()),
        Target::Name(name) => (false, name.to_lowercase()),
    };
    let mut values: Vec<Value> = vec![format!("{}{text}%", if digits { "" } else { "%" }).into()];
    // SQLite's LIKE ignores ASCII case, PostgreSQL's needs ILIKE; the desa list is JSON text.
    let (like, list) = match conn.dialect() {
        Dialect::Sqlite => ("LIKE", "SELECT value FROM json_each"),
        Dialect::Postgres => ("ILIKE", "SELECT json_array_elements_text"),
    };
    let mut sql = format!(
        "SELECT id, nik, name FROM resident WHERE {} {like} ?1",
        if digits { "nik" } else { "name" }
    );
    if let Some(born) = ready.search.born {
        let (from, to) = born.range();
        values.push(from.to_string().into());
        values.push(to.to_string().into());
        sql.push_str(" AND birth_date >= ?2 AND birth_date < ?3");
    }
    if let Some(codes) = &ready.search.villages {
        values.push(serde_json::Value::from(codes.clone()).to_string().into());
        let cast = if conn.dialect() == Dialect::Postgres {
            "::json"
        } else {
            ""
        };
        sql.push_str(&format!(
            " AND village_code IN ({list}(?{}{cast}))",
            values.len()
        ));
    }
    if ordered {
        if digits {
            sql.push_str(" ORDER BY nik");
        } else {
            values.push(format!("{text}%").into());
            sql.push_str(&format!(
                " ORDER BY name {like} ?{} DESC, name",
                values.len()
            ));
        }
    }
    let (limit, offset) = match ready.query.how {
        How::Page(n) => (PAGE, PAGE * (n - 1)),
        _ => (PAGE + 1, 0),
    };
    sql.push_str(&format!(" LIMIT {limit} OFFSET {offset}"));
    let mut stmt = conn.prepare_cached(&sql)?;
    let n = stmt
        .query_map(params_from_iter(values), |_| Ok(()))?
        .count();
    Ok(n)
}
