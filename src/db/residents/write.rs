//! Writing residents: the one column list and the one bind function that every write of a
//! resident uses (the form's insert and update, the import in batches or in bulk, the demo),
//! the duplicate checks of the form, and how `Sex` and `Employment` are stored.
//!
//! A [`ValidResident`] has passed the domain's rules (`domain::resident::validate`), so nothing
//! here checks a field again. Never formats text for a screen.

use std::sync::LazyLock;

use crate::db::sql::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};
use crate::db::sql::{Connection, Row, ToSql, params};
use chrono::{Datelike, NaiveDate};
use thiserror::Error;

use super::{HIT_COLUMNS, HIT_JOINS, Resident, ResidentHit, get, get_by_nik};
use crate::db::{CodeKind, DbError, Missing, UnknownCode, audit, now_text};
use crate::domain::access::{AccessDenied, Actor, Permission};
use crate::domain::name_key::{name_key, similar_names};
use crate::domain::nik::Sex;
use crate::domain::resident::{Employment, ValidResident};

/// The stored columns of a resident, in the order of [`ResidentParams::values`] (`?1`..`?20`);
/// `?21` is the time of the change.
pub(crate) const COLUMNS: [&str; 20] = [
    "nik",
    "kk",
    "name",
    "name_key",
    "sex",
    "birth_place",
    "birth_date",
    "address",
    "rt",
    "rw",
    "village_code",
    "phone",
    "education",
    "employment",
    "desil",
    "desil_source",
    "desil_as_of",
    "stunting_household",
    "disability",
    "nik_mismatch_confirmed",
];

/// `INSERT INTO resident` of [`ResidentParams::values`], `?21` being both times.
pub(crate) static INSERT_SQL: LazyLock<String> = LazyLock::new(|| {
    let numbers: Vec<String> = (1..=COLUMNS.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO resident ({}, created_at, updated_at) VALUES ({}, ?21, ?21)",
        COLUMNS.join(", "),
        numbers.join(", ")
    )
});

/// [`INSERT_SQL`] answering the new row's id.
pub(crate) static INSERT_RETURNING_SQL: LazyLock<String> =
    LazyLock::new(|| format!("{} RETURNING id", *INSERT_SQL));

/// Overwrites resident `?22` with [`ResidentParams::values`], `?21` being the time.
pub(crate) static UPDATE_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "UPDATE resident SET {}, updated_at = ?21 WHERE id = ?22",
        assignments(" = ", ", ")
    )
});

/// `column = ?n`, joined: the columns of [`COLUMNS`] with their parameter numbers.
pub(crate) fn assignments(op: &str, join: &str) -> String {
    COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c}{op}?{}", i + 1))
        .collect::<Vec<_>>()
        .join(join)
}

/// A resident's values bound in the order of [`COLUMNS`], then the time of the change.
/// Everything is borrowed or on the stack: the import binds millions of these.
pub(crate) struct ResidentParams<'a> {
    r: &'a ValidResident,
    birth: IsoDate,
    rt: &'a str,
    rw: &'a str,
    village: Option<&'a str>,
    phone: &'a str,
    education: Option<u8>,
    desil: Option<u8>,
    desil_source: Option<&'a str>,
    desil_as_of: Option<IsoDate>,
    now: &'a str,
}

impl<'a> ResidentParams<'a> {
    pub(crate) fn new(r: &'a ValidResident, now: &'a str) -> ResidentParams<'a> {
        ResidentParams {
            r,
            birth: IsoDate::new(r.birth_date),
            rt: r.rt.as_ref().map_or("", |v| v.as_str()),
            rw: r.rw.as_ref().map_or("", |v| v.as_str()),
            village: r.village.as_ref().map(|v| v.as_str()),
            phone: r.phone.as_ref().map_or("", |v| v.as_str()),
            education: r.education.map(|e| e.code()),
            desil: r.desil.as_ref().map(|d| d.desil.level()),
            desil_source: r.desil.as_ref().map(|d| d.source.as_ref()),
            desil_as_of: r.desil.as_ref().and_then(|d| d.as_of).map(IsoDate::new),
            now,
        }
    }

    /// `?1`..`?21`.
    pub(crate) fn values(&self) -> [&dyn ToSql; 21] {
        let r = self.r;
        [
            &r.nik,
            &r.kk,
            &r.name,
            &r.name_key,
            &r.sex,
            &r.birth_place,
            &self.birth,
            &r.address,
            &self.rt,
            &self.rw,
            &self.village,
            &self.phone,
            &self.education,
            &r.employment,
            &self.desil,
            &self.desil_source,
            &self.desil_as_of,
            &r.stunting_household,
            &r.disability,
            &r.nik_mismatch_confirmed,
            &self.now,
        ]
    }
}

/// A date as stored, `YYYY-MM-DD`, written without chrono's format machinery (which cost
/// 0.5 s of a 3-million-row import through rusqlite's `ToSql`). Years 0-9999 only, as the
/// domain's dates are.
pub(crate) struct IsoDate([u8; 10]);

impl IsoDate {
    pub(crate) fn new(date: NaiveDate) -> IsoDate {
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let (y, m, d) = (date.year().clamp(0, 9999) as u32, date.month(), date.day());
        IsoDate([
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ])
    }

    #[cfg(test)]
    fn as_str(&self) -> &str {
        // ASCII digits and dashes only
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl ToSql for IsoDate {
    fn to_sql(&self) -> crate::db::sql::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(&self.0)))
    }
}

/// A stored code that no variant knows is an error that names it (`DbError::UnknownCode`),
/// never a silent default.
fn read_code<T>(
    value: ValueRef<'_>,
    kind: CodeKind,
    read: impl Fn(&str) -> Option<T>,
) -> FromSqlResult<T> {
    let text = value.as_str()?;
    read(text).ok_or_else(|| {
        FromSqlError::Other(Box::new(UnknownCode {
            kind,
            value: text.to_string(),
        }))
    })
}

/// Stored as `L` or `P`.
impl ToSql for Sex {
    fn to_sql(&self) -> crate::db::sql::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(
            self.code().as_bytes(),
        )))
    }
}

impl FromSql for Sex {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        read_code(value, CodeKind::Sex, Sex::from_code)
    }
}

/// Stored as its code, `laid_off`.
impl ToSql for Employment {
    fn to_sql(&self) -> crate::db::sql::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(
            self.code().as_bytes(),
        )))
    }
}

impl FromSql for Employment {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        read_code(value, CodeKind::Employment, Employment::from_code)
    }
}

/// Why a registration or an edit was refused (told by `ui::text::desk`).
#[derive(Debug, Error)]
pub enum ResidentError {
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("NIK already registered to {name} (#{id})")]
    NikTaken { id: i64, name: String },
    #[error("{} residents may be the same person", .0.len())]
    LikelyDuplicates(Vec<ResidentHit>),
}

impl From<crate::db::sql::Error> for ResidentError {
    fn from(e: crate::db::sql::Error) -> Self {
        ResidentError::Db(e.into())
    }
}

/// Residents who may be the same person as the one being saved: the same name key and birth
/// date, or the same KK and a similar name (`domain::name_key::similar_names`, issue 3). At most
/// 20; `except_id` is the one edited.
pub fn likely_duplicates(
    conn: &Connection,
    name: &str,
    birth_date: NaiveDate,
    kk: Option<&str>,
    except_id: Option<i64>,
) -> Result<Vec<ResidentHit>, DbError> {
    let key = name_key(name);
    let except = except_id.unwrap_or(-1);
    let sql = format!(
        "SELECT {HIT_COLUMNS} {HIT_JOINS} WHERE r.name_key = ?1 AND r.birth_date = ?2 AND r.id <> ?3 LIMIT 20"
    );
    let mut hits: Vec<ResidentHit> = conn
        .prepare_cached(&sql)?
        .query_map(params![key, birth_date, except], |r| hit_from_row_at(r, 0))?
        .collect::<Result<_, _>>()?;
    if let Some(kk) = kk {
        let sql = format!(
            "SELECT r.name_key, {HIT_COLUMNS} {HIT_JOINS} WHERE r.kk = ?1 AND r.id <> ?2 LIMIT 50"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let family = stmt.query_map(params![kk, except], |r| {
            let other_key: String = r.get(0)?;
            Ok((other_key, hit_from_row_at(r, 1)?))
        })?;
        for row in family {
            let (other_key, hit) = row?;
            if similar_names(&key, &other_key) && !hits.iter().any(|h| h.id == hit.id) {
                hits.push(hit);
            }
        }
    }
    hits.truncate(20);
    Ok(hits)
}

/// A [`ResidentHit`] from the columns of `HIT_COLUMNS` starting at `at`.
pub(super) fn hit_from_row_at(r: &Row, at: usize) -> crate::db::sql::Result<ResidentHit> {
    Ok(ResidentHit {
        id: r.get(at)?,
        nik: r.get(at + 1)?,
        kk: r.get(at + 2)?,
        name: r.get(at + 3)?,
        sex: r.get(at + 4)?,
        birth_date: r.get(at + 5)?,
        village_code: r.get(at + 6)?,
        village_name: r.get(at + 7)?,
        district_name: r.get(at + 8)?,
        live_enrollment: r.get(at + 9)?,
        coverage: r.get(at + 10)?,
    })
}

/// Registers a new resident. Refuses a NIK already registered (naming who holds it) and,
/// unless `duplicates_confirmed`, likely duplicates (listing them). Returns the new id.
pub fn insert(
    conn: &Connection,
    actor: &Actor,
    resident: &ValidResident,
    duplicates_confirmed: bool,
) -> Result<i64, ResidentError> {
    actor.require(Permission::EditResidents)?;
    // IMMEDIATE: the NIK and duplicate checks and the write hold one lock, so two desks
    // cannot both pass the check.
    let tx = crate::db::immediate(conn)?;
    if let Some(existing) = get_by_nik(&tx, &resident.nik)? {
        return Err(ResidentError::NikTaken {
            id: existing.id,
            name: existing.name,
        });
    }
    if !duplicates_confirmed {
        refuse_duplicates(&tx, resident, None)?;
    }
    let now = now_text();
    let id: i64 = tx
        .prepare_cached(&INSERT_RETURNING_SQL)?
        .query_row(&ResidentParams::new(resident, &now).values()[..], |r| {
            r.get(0)
        })?;
    if let Some(counter) = tx.counter() {
        tx.prepare_cached("UPDATE resident SET office_code = ?1, counter = ?2 WHERE id = ?3")?
            .execute(params![counter.office, counter.to_string(), id])?;
    }
    let stored = get(&tx, id)?.ok_or_else(|| DbError::Missing(Missing::Resident(id)))?;
    audit::record::<(), Resident>(
        &tx,
        actor,
        audit::Action::Create,
        audit::Entity::Resident,
        &id.to_string(),
        None,
        Some(&stored),
    )?;
    tx.commit()?;
    Ok(id)
}

/// Changes a resident's data; the NIK may not be another resident's, and a changed name, birth
/// date or KK is checked for duplicates as [`insert`] does. The audit row holds the values
/// before and after.
pub fn update(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    resident: &ValidResident,
    duplicates_confirmed: bool,
) -> Result<(), ResidentError> {
    actor.require(Permission::EditResidents)?;
    // IMMEDIATE: the NIK and duplicate checks and the write hold one lock, so two desks
    // cannot both pass the check.
    let tx = crate::db::immediate(conn)?;
    let before = get(&tx, id)?.ok_or_else(|| DbError::Missing(Missing::Resident(id)))?;
    if let Some(existing) = get_by_nik(&tx, &resident.nik)?.filter(|r| r.id != id) {
        return Err(ResidentError::NikTaken {
            id: existing.id,
            name: existing.name,
        });
    }
    let identity_changed = before.name_key != resident.name_key
        || before.birth_date != resident.birth_date
        || before.kk != resident.kk;
    if identity_changed && !duplicates_confirmed {
        refuse_duplicates(&tx, resident, Some(id))?;
    }
    let now = now_text();
    let params = ResidentParams::new(resident, &now);
    let values: Vec<&dyn ToSql> = params.values().into_iter().chain([&id as _]).collect();
    tx.prepare_cached(&UPDATE_SQL)?.execute(&values[..])?;
    let after = get(&tx, id)?.ok_or_else(|| DbError::Missing(Missing::Resident(id)))?;
    audit::record(
        &tx,
        actor,
        audit::Action::Update,
        audit::Entity::Resident,
        &id.to_string(),
        Some(&before),
        Some(&after),
    )?;
    tx.commit()?;
    Ok(())
}

fn refuse_duplicates(
    conn: &Connection,
    resident: &ValidResident,
    except_id: Option<i64>,
) -> Result<(), ResidentError> {
    let dups = likely_duplicates(
        conn,
        &resident.name,
        resident.birth_date,
        resident.kk.as_deref(),
        except_id,
    )?;
    match dups.is_empty() {
        true => Ok(()),
        false => Err(ResidentError::LikelyDuplicates(dups)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_as_chrono_writes_them() {
        for (y, m, d) in [
            (1900, 1, 1),
            (1987, 12, 31),
            (2024, 2, 29),
            (2026, 10, 5),
            (999, 3, 4),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(
                IsoDate::new(date).as_str(),
                date.format("%Y-%m-%d").to_string()
            );
        }
    }

    #[test]
    fn one_column_list_for_insert_and_update() {
        assert!(INSERT_SQL.starts_with("INSERT INTO resident (nik, kk, name, name_key, sex,"));
        assert!(INSERT_SQL.ends_with("?19, ?20, ?21, ?21)"));
        assert!(UPDATE_SQL.contains("nik = ?1, kk = ?2,"));
        assert!(
            UPDATE_SQL.ends_with("nik_mismatch_confirmed = ?20, updated_at = ?21 WHERE id = ?22")
        );
    }

    #[test]
    fn unknown_stored_codes_are_errors_that_name_the_value() {
        let conn = Connection::open_in_memory().unwrap();
        let read = |sql: &str| -> (
            crate::db::sql::Result<Sex>,
            crate::db::sql::Result<Option<Employment>>,
        ) {
            conn.query_row(sql, [], |r| Ok((r.get(0), r.get(1))))
                .unwrap()
        };
        let (sex, employment) = read("SELECT 'P', 'laid_off'");
        assert_eq!(sex.unwrap(), Sex::Female);
        assert_eq!(employment.unwrap(), Some(Employment::LaidOff));
        let (_, employment) = read("SELECT 'L', NULL");
        assert_eq!(employment.unwrap(), None);
        let (sex, employment) = read("SELECT 'X', 'retired'");
        assert!(matches!(
            DbError::from(sex.unwrap_err()),
            DbError::UnknownCode { kind: CodeKind::Sex, value } if value == "X"
        ));
        assert!(matches!(
            DbError::from(employment.unwrap_err()),
            DbError::UnknownCode { kind: CodeKind::Employment, value } if value == "retired"
        ));
        let round: (String, String) = conn
            .query_row(
                "SELECT ?1, ?2",
                params![Sex::Male, Employment::FactoryWorker],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(round, ("L".into(), "factory_worker".into()));
    }
}
