//! Reference data shipped in `assets/`: regions (Kemendagri codes, ODbL), holidays, the course
//! catalogue. Loaded once, when a database is created; supervisors edit holidays and courses later.

use crate::db::sql::{Transaction, params};

use super::DbError;

const PROVINCES: &str = include_str!("../../assets/wilayah/provinces.csv");
const REGENCIES: &str = include_str!("../../assets/wilayah/regencies.csv");
const DISTRICTS: &str = include_str!("../../assets/wilayah/districts.csv");
const VILLAGES: &str = include_str!("../../assets/wilayah/villages.csv");
const HOLIDAYS: &str = include_str!("../../assets/libur_nasional.csv");
const COURSES: &str = include_str!("../../assets/courses.csv");

/// Loads every reference table. The caller commits.
pub fn load_all(tx: &Transaction) -> Result<(), DbError> {
    load_csv(
        tx,
        PROVINCES,
        "INSERT INTO province (code, name) VALUES (?1, ?2)",
        2,
    )?;
    load_csv(
        tx,
        REGENCIES,
        "INSERT INTO regency (code, province_code, name) VALUES (?1, ?2, ?3)",
        3,
    )?;
    load_csv(
        tx,
        DISTRICTS,
        "INSERT INTO district (code, regency_code, name, nik_prefix) VALUES (?1, ?2, ?3, replace(?1, '.', ''))",
        3,
    )?;
    load_csv(
        tx,
        VILLAGES,
        "INSERT INTO village (code, district_code, name) VALUES (?1, ?2, ?3)",
        3,
    )?;
    load_csv(
        tx,
        HOLIDAYS,
        "INSERT INTO holiday (date, category, name) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        3,
    )?;
    load_csv(
        tx,
        COURSES,
        "INSERT INTO course (code, name, category, working_days, capacity, min_participants, \
         min_age, max_age, daily_hours, toolkit) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, nullif(?10, ''))",
        10,
    )?;
    Ok(())
}

/// Inserts each record of a shipped CSV (header skipped); the SQL takes `width` text parameters
/// and SQLite's type affinity does the rest.
fn load_csv(tx: &Transaction, data: &str, sql: &str, width: usize) -> Result<(), DbError> {
    let mut stmt = tx.prepare(sql)?;
    let mut reader = csv::Reader::from_reader(data.as_bytes());
    for record in reader.records() {
        let record = record.map_err(|e| DbError::ReferenceData(e.to_string()))?;
        let values: Vec<&str> = (0..width).map(|i| record.get(i).unwrap_or("")).collect();
        stmt.execute(crate::db::sql::params_from_iter(values))?;
    }
    Ok(())
}

/// Name of a kecamatan by the six digits of a NIK prefix ("360332" -> "Gunung Kaler").
pub fn district_name_by_prefix(
    conn: &crate::db::sql::Connection,
    prefix: &str,
) -> Result<Option<String>, DbError> {
    use crate::db::sql::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT name FROM district WHERE nik_prefix = ?1")?
        .query_row(params![prefix], |r| r.get(0))
        .optional()?)
}

/// All kecamatan, keyed by NIK prefix: the domain's `DistrictLookup` without a query per NIK.
pub fn district_names(
    conn: &crate::db::sql::Connection,
) -> Result<std::collections::HashMap<String, String>, DbError> {
    let mut stmt = conn.prepare("SELECT nik_prefix, name FROM district")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Holiday dates (national holidays, cuti bersama, custom) for the working-day calendar.
pub fn holiday_dates(conn: &crate::db::sql::Connection) -> Result<Vec<chrono::NaiveDate>, DbError> {
    let mut stmt = conn.prepare_cached("SELECT date FROM holiday ORDER BY date")?;
    let rows = stmt.query_map([], |r| r.get::<_, chrono::NaiveDate>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
