//! Penduduk as stored: the walk-in desk's search, one resident with their history and family,
//! registering and editing, duplicate checks and the desa type-ahead of the form.
//! Every write takes the `Actor`, checks the permission and writes its audit row in the same
//! transaction. Never formats text for a screen and never shows a full NIK in a list.

use chrono::NaiveDate;
use rusqlite::{Connection, Row, params};
use serde::Serialize;

use super::DbError;
use crate::domain::name_key::name_key_words;
use crate::domain::nik::normalize_digits;

/// What a typed search text asks for.
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
    let digits = normalize_digits(query);
    if digits.is_empty() {
        return SearchQuery::Empty;
    }
    if digits.chars().all(|c| c.is_ascii_digit()) {
        return SearchQuery::Digits(digits);
    }
    let words = name_key_words(query);
    if words.is_empty() {
        return SearchQuery::Empty;
    }
    // name_key words hold only [a-z0-9], so quoting cannot be broken out of.
    let expr = words
        .iter()
        .map(|w| format!("\"{w}\"*"))
        .collect::<Vec<_>>()
        .join(" AND ");
    SearchQuery::Name(expr)
}

/// One row of the search results: enough for the list, never more (the NIK is masked on screen).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResidentHit {
    pub id: i64,
    pub nik: String,
    pub kk: Option<String>,
    pub name: String,
    /// `L` or `P`.
    pub sex: String,
    pub birth_date: NaiveDate,
    pub village_code: Option<String>,
    pub village_name: Option<String>,
    pub district_name: Option<String>,
    /// Status of a live enrollment (enrolled or waitlisted in a cohort not yet completed or
    /// cancelled), enrolled first.
    pub live_enrollment: Option<String>,
    /// Coverage status of that live enrollment.
    pub coverage: Option<String>,
}

const HIT_COLUMNS: &str = "r.id, r.nik, r.kk, r.name, r.sex, r.birth_date, r.village_code, v.name, d.name,
    (SELECT e.status FROM enrollment e JOIN cohort c ON c.id = e.cohort_id
      WHERE e.resident_id = r.id AND e.status IN ('enrolled', 'waitlisted')
        AND c.status IN ('draft', 'open', 'running')
      ORDER BY e.status LIMIT 1),
    (SELECT cv.status FROM enrollment e JOIN cohort c ON c.id = e.cohort_id
       JOIN coverage cv ON cv.enrollment_id = e.id
      WHERE e.resident_id = r.id AND e.status = 'enrolled' AND c.status IN ('draft', 'open', 'running')
      LIMIT 1)";

const HIT_JOINS: &str = "FROM resident r
    LEFT JOIN village v ON v.code = r.village_code
    LEFT JOIN district d ON d.code = v.district_code";

fn hit_from_row(r: &Row) -> rusqlite::Result<ResidentHit> {
    Ok(ResidentHit {
        id: r.get(0)?,
        nik: r.get(1)?,
        kk: r.get(2)?,
        name: r.get(3)?,
        sex: r.get(4)?,
        birth_date: r.get(5)?,
        village_code: r.get(6)?,
        village_name: r.get(7)?,
        district_name: r.get(8)?,
        live_enrollment: r.get(9)?,
        coverage: r.get(10)?,
    })
}

/// The desk search (DOMAIN.md, "Who and where"; issue 3). Digits find residents whose NIK starts
/// with them (in NIK order), then those whose KK starts with them (the family); letters find
/// names by word prefixes of the name key through FTS5, so "wahy sapu" finds WAHYU SAPUTRA and
/// "moch rizky" finds MUHAMMAD RIZKI. At most `limit` rows: ask for one more than you show to
/// know there are more. Each part reads an index range and stops at the limit, so the time does
/// not grow with the number of residents.
pub fn search(conn: &Connection, query: &str, limit: usize) -> Result<Vec<ResidentHit>, DbError> {
    let limit_sql = i64::try_from(limit).unwrap_or(i64::MAX);
    match classify(query) {
        SearchQuery::Empty => Ok(Vec::new()),
        SearchQuery::Digits(prefix) => {
            // ':' sorts right after '9': every string that starts with the prefix is below it.
            let upper = format!("{prefix}:");
            let by_nik = format!(
                "SELECT {HIT_COLUMNS} {HIT_JOINS} WHERE r.nik >= ?1 AND r.nik < ?2 ORDER BY r.nik LIMIT ?3"
            );
            let mut hits: Vec<ResidentHit> = conn
                .prepare_cached(&by_nik)?
                .query_map(params![prefix, upper, limit_sql], hit_from_row)?
                .collect::<Result<_, _>>()?;
            if hits.len() < limit {
                let by_kk = format!(
                    "SELECT {HIT_COLUMNS} {HIT_JOINS} WHERE r.kk >= ?1 AND r.kk < ?2 ORDER BY r.kk, r.id LIMIT ?3"
                );
                let family: Vec<ResidentHit> = conn
                    .prepare_cached(&by_kk)?
                    .query_map(params![prefix, upper, limit_sql], hit_from_row)?
                    .collect::<Result<_, _>>()?;
                for hit in family {
                    if hits.len() >= limit {
                        break;
                    }
                    if !hits.iter().any(|h| h.id == hit.id) {
                        hits.push(hit);
                    }
                }
            }
            Ok(hits)
        }
        SearchQuery::Name(expr) => {
            // The FTS subquery stops at the limit (rowid order); the page is then sorted by name.
            let sql = format!(
                "SELECT {HIT_COLUMNS} {HIT_JOINS}
                 WHERE r.id IN (SELECT rowid FROM resident_fts WHERE resident_fts MATCH ?1 LIMIT ?2)"
            );
            let mut hits: Vec<ResidentHit> = conn
                .prepare_cached(&sql)?
                .query_map(params![expr, limit_sql], hit_from_row)?
                .collect::<Result<_, _>>()?;
            hits.sort_by(|a, b| {
                a.name
                    .cmp(&b.name)
                    .then(a.birth_date.cmp(&b.birth_date))
                    .then(a.id.cmp(&b.id))
            });
            Ok(hits)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::demo::{DemoOptions, populate};

    fn demo() -> Connection {
        let mut conn = crate::db::create_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        populate(
            &mut conn,
            DemoOptions {
                residents: 300,
                seed: 1,
                today,
            },
        )
        .unwrap();
        conn
    }

    #[test]
    fn classifies_queries() {
        assert_eq!(classify("  "), SearchQuery::Empty);
        assert_eq!(classify("3603 12"), SearchQuery::Digits("360312".into()));
        assert_eq!(
            classify("wahy sapu"),
            SearchQuery::Name("\"wahi\"* AND \"sapu\"*".into())
        );
        assert_eq!(
            classify("moch rizky"),
            SearchQuery::Name("\"muhamad\"* AND \"rizki\"*".into())
        );
    }

    #[test]
    fn finds_by_nik_prefix_kk_and_name() {
        let conn = demo();
        let (nik, kk, name): (String, String, String) = conn
            .query_row(
                "SELECT nik, kk, name FROM resident WHERE name LIKE '% %' ORDER BY id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        let hits = search(&conn, &nik[..10], 51).unwrap();
        assert!(hits.iter().any(|h| h.nik == nik));
        assert!(hits.iter().all(|h| h.nik.starts_with(&nik[..10])
            || h.kk.as_deref().is_some_and(|k| k.starts_with(&nik[..10]))));
        let family = search(&conn, &kk, 51).unwrap();
        assert!(family.iter().any(|h| h.nik == nik));
        let typed: String = name
            .split(' ')
            .map(|w| &w[..w.len().min(4)])
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let hits = search(&conn, &typed, 51).unwrap();
        assert!(hits.iter().any(|h| h.nik == nik), "{typed}");
        assert!(search(&conn, "zzzqqq", 51).unwrap().is_empty());
        assert_eq!(search(&conn, "3", 5).unwrap().len(), 5);
    }
}
