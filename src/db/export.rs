//! Exports for supervisors: the BPJS Ketenagakerjaan collective-registration list (daftar
//! peserta BPU untuk didaftarkan) as XLSX or CSV, and the yearly report. NIKs are written as
//! text so no spreadsheet turns them into 3.6E+15. Requires the Export permission; every export
//! is audited (what, how many rows, which file). Never writes outside the path it is given.
//! Every CSV loket writes (this list, the import's rejects file) passes its text cells through
//! [`csv_text`], so a name such as `=HYPERLINK(...)` opens as text, never as a formula.

use std::borrow::Cow;
use std::path::Path;

use chrono::NaiveDate;
use rusqlite::{Connection, params};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Serialize;
use thiserror::Error;

use super::settings::SettingKey;
use super::{DbError, audit, settings};
use crate::domain::access::{AccessDenied, Actor, Permission};
use crate::domain::cohort::Funding;
use crate::domain::contribution::{Contribution, ContributionRates, contribution};

/// Which participants go into a BPJS list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportScope {
    Cohort(i64),
    /// Cohorts whose dates overlap [from, to].
    Range {
        from: NaiveDate,
        to: NaiveDate,
    },
}

/// One participant to register with BPJS.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BpjsRow {
    pub cohort_code: String,
    pub nik: String,
    pub name: String,
    pub birth_place: String,
    pub birth_date: NaiveDate,
    pub sex: String,
    pub address: String,
    pub village: String,
    pub district: String,
    pub phone: String,
    pub jkk: bool,
    pub jkm: bool,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub funding: Funding,
    pub declared_income: i64,
    pub contribution: Contribution,
}

/// Why an export did not happen (told by `ui::text::db`).
#[derive(Debug, Error)]
pub enum ExportError {
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error("unknown file type '{0}'")]
    UnknownExtension(String),
    #[error("cannot write {path}: {message}")]
    Write { path: String, message: String },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for ExportError {
    fn from(e: rusqlite::Error) -> Self {
        ExportError::Db(e.into())
    }
}

/// The contribution rates as the settings hold them now.
pub fn contribution_rates(conn: &Connection) -> Result<ContributionRates, DbError> {
    Ok(ContributionRates {
        declared_income: settings::get_i64(conn, SettingKey::DeclaredIncome)?,
        jkk_per_mille: settings::get_i64(conn, SettingKey::JkkRatePermille)?,
        jkm_monthly: settings::get_i64(conn, SettingKey::JkmMonthly)?,
        discount_percent: settings::get_i64(conn, SettingKey::DiscountPercent)?,
        discount_until: Some(settings::get_date(conn, SettingKey::DiscountUntil)?),
        discount_excluded_funding: settings::get_funding(
            conn,
            SettingKey::DiscountExcludedFunding,
        )?,
    })
}

/// Enrolled participants with JKK or JKM flagged, by cohort then name.
pub fn bpjs_rows(conn: &Connection, scope: ExportScope) -> Result<Vec<BpjsRow>, DbError> {
    let rates = contribution_rates(conn)?;
    let (cohort, from, to) = match scope {
        ExportScope::Cohort(id) => (Some(id), None, None),
        ExportScope::Range { from, to } => (None, Some(from), Some(to)),
    };
    let mut stmt = conn.prepare_cached(
        "SELECT c.code, r.nik, r.name, r.birth_place, r.birth_date, r.sex,
                trim(r.address || CASE WHEN r.rt <> '' OR r.rw <> '' THEN ' RT ' || r.rt || ' RW ' || r.rw ELSE '' END),
                coalesce(vil.name, ''), coalesce(d.name, ''), r.phone, cv.jkk, cv.jkm,
                cv.period_start, cv.period_end, c.funding
         FROM enrollment e
         JOIN coverage cv ON cv.enrollment_id = e.id
         JOIN resident r ON r.id = e.resident_id
         JOIN cohort c ON c.id = e.cohort_id
         LEFT JOIN village vil ON vil.code = r.village_code
         LEFT JOIN district d ON d.code = vil.district_code
         WHERE e.status = 'enrolled' AND (cv.jkk = 1 OR cv.jkm = 1)
           AND (?1 IS NULL OR e.cohort_id = ?1)
           AND (?2 IS NULL OR c.end_date >= ?2) AND (?3 IS NULL OR c.start_date <= ?3)
         ORDER BY c.code, r.name, r.nik",
    )?;
    let rows = stmt.query_map(params![cohort, from, to], |r| {
        let jkk: bool = r.get(10)?;
        let jkm: bool = r.get(11)?;
        let start: NaiveDate = r.get(12)?;
        let end: NaiveDate = r.get(13)?;
        let funding: Funding = r.get(14)?;
        Ok(BpjsRow {
            cohort_code: r.get(0)?,
            nik: r.get(1)?,
            name: r.get(2)?,
            birth_place: r.get(3)?,
            birth_date: r.get(4)?,
            sex: r.get(5)?,
            address: r.get(6)?,
            village: r.get(7)?,
            district: r.get(8)?,
            phone: r.get(9)?,
            jkk,
            jkm,
            period_start: start,
            period_end: end,
            declared_income: rates.declared_income,
            contribution: contribution(&rates, start, end, jkk, jkm, funding),
            funding,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Column headers of the BPJS list, in file order.
pub const BPJS_HEADER: [&str; 20] = [
    "ANGKATAN",
    "NIK",
    "NAMA",
    "TEMPAT_LAHIR",
    "TANGGAL_LAHIR",
    "JENIS_KELAMIN",
    "ALAMAT",
    "DESA",
    "KECAMATAN",
    "NO_HP",
    "JKK",
    "JKM",
    "MULAI",
    "SELESAI",
    "SUMBER_DANA",
    "PENGHASILAN",
    "BULAN",
    "IURAN_JKK",
    "IURAN_JKM",
    "IURAN_TOTAL",
];

fn cells(row: &BpjsRow) -> [String; 20] {
    let yes = |b: bool| if b { "YA" } else { "TIDAK" }.to_string();
    [
        row.cohort_code.clone(),
        row.nik.clone(),
        row.name.clone(),
        row.birth_place.clone(),
        row.birth_date.to_string(),
        row.sex.clone(),
        row.address.clone(),
        row.village.clone(),
        row.district.clone(),
        row.phone.clone(),
        yes(row.jkk),
        yes(row.jkm),
        row.period_start.to_string(),
        row.period_end.to_string(),
        row.funding.code().to_uppercase(),
        row.declared_income.to_string(),
        row.contribution.months.to_string(),
        row.contribution.jkk.to_string(),
        row.contribution.jkm.to_string(),
        row.contribution.total.to_string(),
    ]
}

/// Columns 15.. hold rupiah and month counts: numbers in XLSX.
const FIRST_NUMBER_COLUMN: usize = 15;

/// The first characters that make a spreadsheet read a CSV cell as a formula (OWASP, "CSV
/// Injection"): `=`, `+`, `-`, `@`, tab and carriage return.
const FORMULA_STARTS: &[u8] = b"=+-@\t\r";

/// Whether a CSV cell would be read as a formula.
pub fn starts_like_formula(cell: &[u8]) -> bool {
    cell.first().is_some_and(|b| FORMULA_STARTS.contains(b))
}

/// A text cell for a CSV file: one that would be read as a formula gets a leading `'` (OWASP's
/// rule), which spreadsheets show as text. Only text goes through here: numbers loket computes
/// (rupiah, months) are written as numbers, since `-4` is a number, not a formula.
pub fn csv_text(cell: &str) -> Cow<'_, str> {
    if starts_like_formula(cell.as_bytes()) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// [`csv_text`] for a cell read as bytes (the import's rejects file keeps the bytes it read).
pub fn csv_bytes(cell: &[u8]) -> Cow<'_, [u8]> {
    if starts_like_formula(cell) {
        let mut guarded = Vec::with_capacity(cell.len() + 1);
        guarded.push(b'\'');
        guarded.extend_from_slice(cell);
        guarded.into()
    } else {
        cell.into()
    }
}

/// A cell of a CSV that loket wrote, as it was before [`csv_text`]: the `'` in front of a
/// formula-like start is taken off (for a rejects file that is fixed and imported again).
pub fn csv_unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_like_formula(rest.as_bytes()) => rest,
        _ => cell,
    }
}

/// Writes the rows as XLSX or CSV (by the file's extension), with a totals row, and audits it.
pub fn write_bpjs(
    conn: &Connection,
    actor: &Actor,
    path: &Path,
    what: &str,
    rows: &[BpjsRow],
) -> Result<(), ExportError> {
    actor.require(Permission::Export)?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let totals = (
        rows.iter().map(|r| r.contribution.jkk).sum::<i64>(),
        rows.iter().map(|r| r.contribution.jkm).sum::<i64>(),
        rows.iter().map(|r| r.contribution.total).sum::<i64>(),
    );
    let failed = |message: String| ExportError::Write {
        path: path.display().to_string(),
        message,
    };
    match extension.as_str() {
        "xlsx" => write_bpjs_xlsx(path, rows, totals).map_err(|e| failed(e.to_string()))?,
        "csv" => write_bpjs_csv(path, rows, totals).map_err(|e| failed(e.to_string()))?,
        other => return Err(ExportError::UnknownExtension(other.to_string())),
    }
    super::restrict_permissions(path);
    audit::record(
        conn,
        actor,
        audit::Action::Export,
        audit::Entity::BpjsList,
        what,
        None::<&()>,
        Some(
            &serde_json::json!({ "file": path.display().to_string(), "rows": rows.len(), "total": totals.2 }),
        ),
    )?;
    Ok(())
}

fn write_bpjs_xlsx(
    path: &Path,
    rows: &[BpjsRow],
    totals: (i64, i64, i64),
) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Peserta BPJS")?;
    let header = Format::new().set_bold().set_background_color("#DDEBF7");
    let text = Format::new().set_num_format("@");
    let money = Format::new().set_num_format("#,##0");
    let bold_money = Format::new().set_bold().set_num_format("#,##0");
    for (col, title) in BPJS_HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &header)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (col, value) in cells(row).iter().enumerate() {
            if col >= FIRST_NUMBER_COLUMN {
                let n: f64 = value.parse().unwrap_or(0.0);
                sheet.write_number_with_format(r, col as u16, n, &money)?;
            } else {
                sheet.write_string_with_format(r, col as u16, value, &text)?;
            }
        }
    }
    let last = rows.len() as u32 + 1;
    sheet.write_string_with_format(last, 0, "TOTAL", &header)?;
    sheet.write_number_with_format(last, 17, totals.0 as f64, &bold_money)?;
    sheet.write_number_with_format(last, 18, totals.1 as f64, &bold_money)?;
    sheet.write_number_with_format(last, 19, totals.2 as f64, &bold_money)?;
    for (col, width) in [
        18, 19, 28, 16, 14, 8, 36, 20, 18, 15, 6, 6, 12, 12, 12, 12, 7, 11, 11, 12,
    ]
    .iter()
    .enumerate()
    {
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save(path)
}

fn write_bpjs_csv(
    path: &Path,
    rows: &[BpjsRow],
    totals: (i64, i64, i64),
) -> Result<(), csv::Error> {
    let mut out = csv::Writer::from_path(path)?;
    out.write_record(BPJS_HEADER)?;
    for row in rows {
        // Text columns are guarded; the rupiah and month columns are numbers.
        let cells = cells(row);
        let (text, numbers) = cells.split_at(FIRST_NUMBER_COLUMN);
        out.write_record(
            text.iter()
                .map(|c| csv_text(c).into_owned())
                .chain(numbers.iter().cloned()),
        )?;
    }
    let mut total = vec![String::new(); BPJS_HEADER.len()];
    total[0] = "TOTAL".into();
    total[17] = totals.0.to_string();
    total[18] = totals.1.to_string();
    total[19] = totals.2.to_string();
    out.write_record(&total)?;
    out.flush()?;
    Ok(())
}

/// The yearly report: per kecamatan, per course, and enrollments per week, one sheet each.
pub fn write_report(
    conn: &Connection,
    actor: &Actor,
    path: &Path,
    year: i32,
) -> Result<(), ExportError> {
    use super::dashboard::{Grouping, rows, weekly_enrollments};
    actor.require(Permission::Export)?;
    let is_xlsx = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        return Err(ExportError::UnknownExtension(ext.to_string()));
    }
    let districts = rows(conn, Grouping::District, year)?;
    let courses = rows(conn, Grouping::Course, year)?;
    let weeks = weekly_enrollments(conn, year)?;
    let failed = |e: XlsxError| ExportError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let build = || -> Result<(), XlsxError> {
        let mut workbook = Workbook::new();
        let header = Format::new().set_bold().set_background_color("#DDEBF7");
        for (title, table) in [("Per kecamatan", &districts), ("Per kejuruan", &courses)] {
            let sheet = workbook.add_worksheet();
            sheet.set_name(title)?;
            let columns = [
                "KODE",
                "NAMA",
                "ANGKATAN",
                "PESERTA",
                "DAFTAR_TUNGGU",
                "LULUS",
                "BPJS_AKTIF",
                "CAKUPAN_BPJS_%",
                "TARGET",
                "CAPAIAN_%",
            ];
            for (col, name) in columns.iter().enumerate() {
                sheet.write_string_with_format(0, col as u16, *name, &header)?;
            }
            for (i, row) in table.iter().enumerate() {
                let r = i as u32 + 1;
                sheet.write_string(r, 0, &row.code)?;
                sheet.write_string(r, 1, &row.name)?;
                for (col, value) in [
                    row.cohorts,
                    row.enrolled,
                    row.waitlisted,
                    row.passed,
                    row.covered,
                ]
                .iter()
                .enumerate()
                {
                    sheet.write_number(r, col as u16 + 2, *value as f64)?;
                }
                for (col, value) in [
                    (7u16, row.coverage_percent()),
                    (8, row.target),
                    (9, row.target_percent()),
                ] {
                    if let Some(v) = value {
                        sheet.write_number(r, col, v as f64)?;
                    }
                }
            }
            sheet.set_column_width(1, 28)?;
            sheet.set_freeze_panes(1, 0)?;
        }
        let sheet = workbook.add_worksheet();
        sheet.set_name("Per minggu")?;
        sheet.write_string_with_format(0, 0, "MINGGU_MULAI", &header)?;
        sheet.write_string_with_format(0, 1, "PENDAFTARAN", &header)?;
        for (i, (week, count)) in weeks.iter().enumerate() {
            sheet.write_string(i as u32 + 1, 0, week.to_string())?;
            sheet.write_number(i as u32 + 1, 1, *count as f64)?;
        }
        sheet.set_column_width(0, 14)?;
        workbook.save(path)
    };
    build().map_err(failed)?;
    super::restrict_permissions(path);
    audit::record(
        conn,
        actor,
        audit::Action::Export,
        audit::Entity::Report,
        &year.to_string(),
        None::<&()>,
        Some(
            &serde_json::json!({ "file": path.display().to_string(), "districts": districts.len(), "courses": courses.len() }),
        ),
    )?;
    Ok(())
}
