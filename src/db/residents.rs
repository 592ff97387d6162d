//! Penduduk as stored: the walk-in desk's search, one resident with their history and family,
//! registering and editing, duplicate checks and the desa type-ahead of the form.
//! Every write takes the `Actor`, checks the permission and writes its audit row in the same
//! transaction. Never formats text for a screen and never shows a full NIK in a list.

mod search;
mod write;

use crate::db::sql::{Connection, Dialect, OptionalExtension, Row, params};
use chrono::NaiveDate;
use serde::Serialize;

use super::{DbError, audit};
use crate::domain::access::{Actor, Permission};
use crate::domain::cohort::CohortStatus;
use crate::domain::coverage::CoverageStatus;
use crate::domain::enrollment::{EnrollmentStatus, Outcome};
use crate::domain::nik::{Sex, normalize_digits};
use crate::domain::resident::{DraftText, Employment, Field, typed_date, typed_yes_no};

pub use search::{
    Born, Count, Cursor, Page, Search, SearchQuery, Target, classify, count, name_held, page,
    page_at, place_book, read_line, search,
};
pub(crate) use write::{
    COLUMNS, INSERT_RETURNING_SQL, INSERT_SQL, ResidentParams, UPDATE_SQL, assignments,
};
pub use write::{ResidentError, insert, likely_duplicates, update};

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
    pub live_enrollment: Option<EnrollmentStatus>,
    /// Coverage status of that live enrollment.
    pub coverage: Option<CoverageStatus>,
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

/// How many columns `HIT_COLUMNS` has.
const HIT_COUNT: usize = 11;

const HIT_JOINS: &str = "FROM resident r
    LEFT JOIN village v ON v.code = r.village_code
    LEFT JOIN district d ON d.code = v.district_code";

fn hit_from_row(r: &Row) -> crate::db::sql::Result<ResidentHit> {
    write::hit_from_row_at(r, 0)
}

/// One resident with every stored field and the names of their desa, kecamatan and kabupaten.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resident {
    pub id: i64,
    pub nik: String,
    pub kk: Option<String>,
    pub name: String,
    pub name_key: String,
    /// Stored (and written to the audit log) as `L` or `P`.
    #[serde(serialize_with = "sex_code")]
    pub sex: Sex,
    pub birth_place: String,
    pub birth_date: NaiveDate,
    pub address: String,
    pub rt: String,
    pub rw: String,
    pub village_code: Option<String>,
    pub village_name: Option<String>,
    pub district_name: Option<String>,
    pub regency_name: Option<String>,
    pub phone: String,
    /// OpenSID pendidikan code 1-10.
    pub education: Option<i64>,
    pub employment: Option<Employment>,
    /// DTSEN desil 1-10, with its source and as-of date.
    pub desil: Option<i64>,
    pub desil_source: Option<String>,
    pub desil_as_of: Option<NaiveDate>,
    pub stunting_household: bool,
    pub disability: bool,
    pub nik_mismatch_confirmed: bool,
    pub created_at: String,
    pub updated_at: String,
}

fn sex_code<S: serde::Serializer>(sex: &Sex, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(sex.code())
}

const RESIDENT_SELECT: &str = "SELECT r.id, r.nik, r.kk, r.name, r.name_key, r.sex, r.birth_place, r.birth_date,
    r.address, r.rt, r.rw, r.village_code, v.name, d.name, g.name, r.phone, r.education, r.employment,
    r.desil, r.desil_source, r.desil_as_of, r.stunting_household, r.disability, r.nik_mismatch_confirmed,
    r.created_at, r.updated_at
    FROM resident r
    LEFT JOIN village v ON v.code = r.village_code
    LEFT JOIN district d ON d.code = v.district_code
    LEFT JOIN regency g ON g.code = d.regency_code";

fn resident_from_row(r: &Row) -> crate::db::sql::Result<Resident> {
    Ok(Resident {
        id: r.get(0)?,
        nik: r.get(1)?,
        kk: r.get(2)?,
        name: r.get(3)?,
        name_key: r.get(4)?,
        sex: r.get(5)?,
        birth_place: r.get(6)?,
        birth_date: r.get(7)?,
        address: r.get(8)?,
        rt: r.get(9)?,
        rw: r.get(10)?,
        village_code: r.get(11)?,
        village_name: r.get(12)?,
        district_name: r.get(13)?,
        regency_name: r.get(14)?,
        phone: r.get(15)?,
        education: r.get(16)?,
        employment: r.get(17)?,
        desil: r.get(18)?,
        desil_source: r.get(19)?,
        desil_as_of: r.get(20)?,
        stunting_household: r.get(21)?,
        disability: r.get(22)?,
        nik_mismatch_confirmed: r.get(23)?,
        created_at: r.get(24)?,
        updated_at: r.get(25)?,
    })
}

/// The highest resident id (0 when there are none): ids only grow, so the residents written
/// after this moment are those above it.
pub fn max_id(conn: &Connection) -> Result<i64, DbError> {
    Ok(
        conn.query_row("SELECT coalesce(max(id), 0) FROM resident", [], |r| {
            r.get(0)
        })?,
    )
}

/// One resident by id.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Resident>, DbError> {
    Ok(conn
        .prepare_cached(&format!("{RESIDENT_SELECT} WHERE r.id = ?1"))?
        .query_row(params![id], resident_from_row)
        .optional()?)
}

/// One resident by NIK (16 digits, separators ignored).
pub fn get_by_nik(conn: &Connection, nik: &str) -> Result<Option<Resident>, DbError> {
    Ok(conn
        .prepare_cached(&format!("{RESIDENT_SELECT} WHERE r.nik = ?1"))?
        .query_row(params![normalize_digits(nik)], resident_from_row)
        .optional()?)
}

/// Records that an operator was shown a resident's full NIK (UU 27/2022): the resident screen
/// calls this when it opens.
pub fn record_nik_view(conn: &Connection, actor: &Actor, id: i64) -> Result<(), ResidentError> {
    actor.require(Permission::SearchResidents)?;
    audit::event(
        conn,
        actor,
        audit::Action::ViewNik,
        audit::Entity::Resident,
        &id.to_string(),
    )?;
    Ok(())
}

/// One row of a resident's enrollment history (riwayat pendaftaran).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnrollmentRecord {
    pub enrollment_id: i64,
    pub cohort_code: String,
    pub course_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub cohort_status: CohortStatus,
    pub status: EnrollmentStatus,
    pub outcome: Option<Outcome>,
    pub coverage_status: Option<CoverageStatus>,
    pub kpj: Option<String>,
    pub certificate_no: Option<String>,
    pub toolkit_handed_on: Option<NaiveDate>,
}

/// A resident's enrollments, newest cohort first (at most 100).
pub fn enrollment_history(
    conn: &Connection,
    resident_id: i64,
) -> Result<Vec<EnrollmentRecord>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, c.code, k.name, c.start_date, c.end_date, c.status, e.status, e.outcome, cv.status, cv.kpj,
                e.certificate_no, e.toolkit_handed_on
         FROM enrollment e
         JOIN cohort c ON c.id = e.cohort_id
         JOIN course k ON k.id = c.course_id
         LEFT JOIN coverage cv ON cv.enrollment_id = e.id
         WHERE e.resident_id = ?1
         ORDER BY c.start_date DESC, e.id DESC
         LIMIT 100",
    )?;
    let rows = stmt.query_map(params![resident_id], |r| {
        Ok(EnrollmentRecord {
            enrollment_id: r.get(0)?,
            cohort_code: r.get(1)?,
            course_name: r.get(2)?,
            start_date: r.get(3)?,
            end_date: r.get(4)?,
            cohort_status: r.get(5)?,
            status: r.get(6)?,
            outcome: r.get(7)?,
            coverage_status: r.get(8)?,
            kpj: r.get(9)?,
            certificate_no: r.get(10)?,
            toolkit_handed_on: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The other residents on the same KK (keluarga), at most 30, oldest first.
pub fn family(conn: &Connection, kk: &str, except_id: i64) -> Result<Vec<ResidentHit>, DbError> {
    let sql = format!(
        "SELECT {HIT_COLUMNS} {HIT_JOINS} WHERE r.kk = ?1 AND r.id <> ?2 ORDER BY r.birth_date, r.id LIMIT 30"
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(params![kk, except_id], hit_from_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// How far back in the audit log `recently_opened` looks (rows of every operator).
const RECENT_AUDIT_WINDOW: i64 = 200_000;

/// The residents this operator opened last at the desk (their `view_nik` audit rows, newest
/// first, each resident once), at most `limit`. Read from the audit trail rather than kept
/// apart, so no second copy of who was looked at is stored; the window keeps the read short on
/// a long trail. Lists them as the search does (NIK masked on screen); opening one is a view
/// like any other.
pub fn recently_opened(
    conn: &Connection,
    actor: &Actor,
    limit: usize,
) -> Result<Vec<ResidentHit>, DbError> {
    let mut ids: Vec<i64> = Vec::with_capacity(limit);
    let mut stmt = conn.prepare_cached(
        "SELECT entity_id FROM audit_log
         WHERE id > (SELECT coalesce(max(id), 0) FROM audit_log) - ?2
           AND operator_id = ?1 AND action = ?3 AND entity = ?4
         ORDER BY id DESC",
    )?;
    let mut rows = stmt.query(params![
        actor.id,
        RECENT_AUDIT_WINDOW,
        audit::Action::ViewNik,
        audit::Entity::Resident
    ])?;
    while ids.len() < limit {
        let Some(row) = rows.next()? else { break };
        let text: String = row.get(0)?;
        if let Ok(id) = text.parse::<i64>()
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    let sql = format!("SELECT {HIT_COLUMNS} {HIT_JOINS} WHERE r.id = ?1");
    let mut one = conn.prepare_cached(&sql)?;
    let mut hits = Vec::with_capacity(ids.len());
    for id in ids {
        // A resident deleted since is left out.
        if let Some(hit) = one.query_row(params![id], hit_from_row).optional()? {
            hits.push(hit);
        }
    }
    Ok(hits)
}

/// A desa/kelurahan to choose in the form, with where it lies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VillageChoice {
    pub code: String,
    pub name: String,
    pub district_name: String,
    pub regency_name: String,
}

/// Desa whose name contains every typed word, those of the office's kabupaten
/// (`home_regency`, setting `office.regency_code`) first, then names starting with the text.
pub fn find_villages(
    conn: &Connection,
    typed: &str,
    home_regency: &str,
    limit: usize,
) -> Result<Vec<VillageChoice>, DbError> {
    let words: Vec<String> = typed
        .split_whitespace()
        .map(|w| w.replace(['%', '_'], ""))
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let first = format!("{}%", words[0]);
    let pattern = format!("%{}%", words.join("%"));
    // SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's ILIKE does so too.
    let like = match conn.dialect() {
        Dialect::Sqlite => "LIKE",
        Dialect::Postgres => "ILIKE",
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT v.code, v.name, d.name, g.name
         FROM village v
         JOIN district d ON d.code = v.district_code
         JOIN regency g ON g.code = d.regency_code
         WHERE v.name {like} ?1
         ORDER BY d.regency_code = ?2 DESC, v.name {like} ?3 DESC, v.name, d.name
         LIMIT ?4"
    ))?;
    let rows = stmt.query_map(
        params![
            pattern,
            home_regency,
            first,
            i64::try_from(limit).unwrap_or(i64::MAX)
        ],
        |r| {
            Ok(VillageChoice {
                code: r.get(0)?,
                name: r.get(1)?,
                district_name: r.get(2)?,
                regency_name: r.get(3)?,
            })
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One desa by code, with where it lies.
pub fn village(conn: &Connection, code: &str) -> Result<Option<VillageChoice>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT v.code, v.name, d.name, g.name FROM village v
             JOIN district d ON d.code = v.district_code
             JOIN regency g ON g.code = d.regency_code
             WHERE v.code = ?1",
        )?
        .query_row(params![code], |r| {
            Ok(VillageChoice {
                code: r.get(0)?,
                name: r.get(1)?,
                district_name: r.get(2)?,
                regency_name: r.get(3)?,
            })
        })
        .optional()?)
}

impl Resident {
    /// The resident as the form shows it for editing: each stored value as text that the
    /// domain's rules read back to the same value.
    pub fn to_draft(&self) -> DraftText {
        let mut text = DraftText::default();
        let values = [
            (Field::Nik, self.nik.clone()),
            (Field::Kk, self.kk.clone().unwrap_or_default()),
            (Field::Name, self.name.clone()),
            (Field::Sex, self.sex.code().to_string()),
            (Field::BirthPlace, self.birth_place.clone()),
            (Field::BirthDate, typed_date(self.birth_date)),
            (Field::Address, self.address.clone()),
            (Field::Rt, self.rt.clone()),
            (Field::Rw, self.rw.clone()),
            (
                Field::Village,
                self.village_code.clone().unwrap_or_default(),
            ),
            (Field::Phone, self.phone.clone()),
            (
                Field::Education,
                self.education.map(|e| e.to_string()).unwrap_or_default(),
            ),
            (
                Field::Employment,
                self.employment
                    .map(|e| e.typed().to_string())
                    .unwrap_or_default(),
            ),
            (
                Field::Desil,
                self.desil.map(|d| d.to_string()).unwrap_or_default(),
            ),
            (
                Field::DesilSource,
                self.desil_source.clone().unwrap_or_default(),
            ),
            (
                Field::DesilAsOf,
                self.desil_as_of.map(typed_date).unwrap_or_default(),
            ),
            (
                Field::Stunting,
                typed_yes_no(self.stunting_household).into(),
            ),
            (Field::Disability, typed_yes_no(self.disability).into()),
        ];
        for (field, value) in values {
            text.set(field, value);
        }
        text.mismatch_confirmed = self.nik_mismatch_confirmed;
        text
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
        // a word longer than the prefix index is still matched whole
        let long: String = conn
            .query_row(
                "SELECT name FROM resident WHERE name LIKE '%PERMATASARI%' LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let hits = search(&conn, "permatasari", 51).unwrap();
        assert!(hits.iter().any(|h| h.name == long));
        assert!(hits.iter().all(|h| h.name.contains("PERMATASARI")));
        assert!(search(&conn, "permatasarx", 51).unwrap().is_empty());
        assert_eq!(search(&conn, "3", 5).unwrap().len(), 5);
    }

    #[test]
    fn names_that_begin_with_the_text_come_first_in_name_order() {
        let conn = demo();
        let keys = |sql: &str, q: &str| -> Vec<i64> {
            conn.prepare(sql)
                .unwrap()
                .query_map([q], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        // a word that starts some names and stands later in others
        let word: String = conn
            .query_row(
                "SELECT substr(name_key, 1, instr(name_key, ' ') - 1) AS w FROM resident
                 WHERE name_key LIKE '% %'
                   AND EXISTS (SELECT 1 FROM resident o WHERE o.name_key LIKE '% ' || w || '%')
                 GROUP BY w ORDER BY count(*) DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let begins = keys(
            "SELECT id FROM resident WHERE name_key LIKE ?1 || '%' ORDER BY name_key, birth_date, id",
            &word,
        );
        assert!(begins.len() > 3, "{word}");
        // fewer than begin with it: exactly the first of them, in name order
        let hits = search(&conn, &word, 3).unwrap();
        assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), begins[..3]);
        // more: all of them first, then others with a word starting with it, none twice
        let limit = begins.len() + 5;
        let hits = search(&conn, &word, limit).unwrap();
        let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
        assert_eq!(ids[..begins.len()], begins[..]);
        assert!(ids.len() > begins.len(), "{word}");
        let others = &hits[begins.len()..];
        for h in others {
            let key = crate::domain::name_key(&h.name);
            assert!(!key.starts_with(&word), "{}", h.name);
            assert!(key.split(' ').any(|w| w.starts_with(&word)), "{}", h.name);
        }
        assert!(others.windows(2).all(|p| p[0].name <= p[1].name));
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len());
    }

    #[test]
    fn villages_of_the_home_regency_come_first() {
        let conn = demo();
        let found = find_villages(&conn, "kosambi", "36.03", 10).unwrap();
        assert!(!found.is_empty());
        assert!(found[0].code.starts_with("36.03."), "{found:?}");
    }
}
