//! Exports for supervisors: the BPJS Ketenagakerjaan collective-registration list (daftar
//! peserta BPU untuk didaftarkan) as XLSX or CSV, and the yearly report (`db::xlsx` lays the
//! XLSX files out). The list bills only participants whose coverage was submitted or is active
//! (`contribution::billed`); the others (never submitted, rejected) are charged nothing and are
//! listed apart in the XLSX, left out of the CSV. NIKs are written as text so no spreadsheet
//! turns them into 3.6E+15. Requires the Export permission; every export is audited (what, how
//! many rows, which file). Never writes outside the path it is given.
//! Every CSV loket writes (this list, the import's rejects file) passes its text cells through
//! [`csv_text`], so a name such as `=HYPERLINK(...)` opens as text, never as a formula.

use std::borrow::Cow;
use std::path::Path;

use crate::db::sql::{Connection, params};
use chrono::NaiveDate;
use serde::Serialize;
use thiserror::Error;

use super::settings::SettingKey;
use super::{DbError, audit, settings, xlsx};
use crate::domain::access::{AccessDenied, Actor, Permission};
use crate::domain::cohort::Funding;
use crate::domain::contribution::{Contribution, ContributionRates, billed, contribution};
use crate::domain::coverage::CoverageStatus;

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
    /// Zero when the participant is not billed.
    pub contribution: Contribution,
    /// Nomor KPJ, once BPJS gave one.
    pub kpj: Option<String>,
    pub coverage: CoverageStatus,
}

impl BpjsRow {
    /// Whether BPJS is charged for this participant (coverage submitted or active).
    pub fn billed(&self) -> bool {
        billed(self.coverage)
    }
}

/// What a BPJS list holds: billed participants, those listed apart, and the total charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BpjsSummary {
    pub billed: usize,
    pub unbilled: usize,
    /// Rupiah, billed participants only.
    pub total: i64,
}

/// Counts the billed and unbilled rows and sums what is charged.
pub fn summary(rows: &[BpjsRow]) -> BpjsSummary {
    BpjsSummary {
        billed: rows.iter().filter(|r| r.billed()).count(),
        unbilled: rows.iter().filter(|r| !r.billed()).count(),
        total: rows.iter().map(|r| r.contribution.total).sum(),
    }
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

impl From<crate::db::sql::Error> for ExportError {
    fn from(e: crate::db::sql::Error) -> Self {
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

/// Enrolled participants with JKK or JKM flagged, by cohort then name, with their coverage
/// status and KPJ; those not billed carry a zero contribution.
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
                cv.period_start, cv.period_end, c.funding, cv.kpj, cv.status
         FROM enrollment e
         JOIN coverage cv ON cv.enrollment_id = e.id
         JOIN resident r ON r.id = e.resident_id
         JOIN cohort c ON c.id = e.cohort_id
         LEFT JOIN village vil ON vil.code = r.village_code
         LEFT JOIN district d ON d.code = vil.district_code
         WHERE e.status = 'enrolled' AND (cv.jkk = 1 OR cv.jkm = 1)
           AND (e.cohort_id = ?1 OR ?1 IS NULL)
           AND (c.end_date >= ?2 OR ?2 IS NULL) AND (c.start_date <= ?3 OR ?3 IS NULL)
         ORDER BY c.code, r.name, r.nik",
    )?;
    let rows = stmt.query_map(params![cohort, from, to], |r| {
        let jkk: bool = r.get(10)?;
        let jkm: bool = r.get(11)?;
        let start: NaiveDate = r.get(12)?;
        let end: NaiveDate = r.get(13)?;
        let funding: Funding = r.get(14)?;
        let coverage: CoverageStatus = r.get(16)?;
        let charged = if billed(coverage) {
            contribution(&rates, start, end, jkk, jkm, funding)
        } else {
            Contribution::default()
        };
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
            contribution: charged,
            funding,
            kpj: r.get(15)?,
            coverage,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Column headers of the BPJS list, in file order (KPJ and status were added last, so the
/// columns before them keep their places).
pub const BPJS_HEADER: [&str; 22] = [
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
    "KPJ",
    "STATUS_BPJS",
];

/// The columns holding rupiah (JKK, JKM, total) contributions, summed on the totals row.
pub const BPJS_TOTAL_COLUMNS: [usize; 3] = [17, 18, 19];

/// One cell of the BPJS list, typed: XLSX writes dates as date cells and numbers as numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum BpjsCell {
    Text(String),
    Date(NaiveDate),
    Number(i64),
}

/// The status as the list writes it.
pub fn coverage_word(status: CoverageStatus) -> &'static str {
    match status {
        CoverageStatus::Unregistered => "BELUM_DIDAFTARKAN",
        CoverageStatus::Submitted => "DIAJUKAN",
        CoverageStatus::Active => "AKTIF",
        CoverageStatus::Rejected => "DITOLAK",
    }
}

/// A row's cells in [`BPJS_HEADER`] order.
pub fn cells(row: &BpjsRow) -> [BpjsCell; 22] {
    use BpjsCell::{Date, Number, Text};
    let yes = |b: bool| Text(if b { "YA" } else { "TIDAK" }.to_string());
    [
        Text(row.cohort_code.clone()),
        Text(row.nik.clone()),
        Text(row.name.clone()),
        Text(row.birth_place.clone()),
        Date(row.birth_date),
        Text(row.sex.clone()),
        Text(row.address.clone()),
        Text(row.village.clone()),
        Text(row.district.clone()),
        Text(row.phone.clone()),
        yes(row.jkk),
        yes(row.jkm),
        Date(row.period_start),
        Date(row.period_end),
        Text(row.funding.code().to_uppercase()),
        Number(row.declared_income),
        Number(row.contribution.months),
        Number(row.contribution.jkk),
        Number(row.contribution.jkm),
        Number(row.contribution.total),
        Text(row.kpj.clone().unwrap_or_default()),
        Text(coverage_word(row.coverage).to_string()),
    ]
}

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

/// Writes the rows as XLSX (title block, billed participants with totals, the unbilled apart,
/// print setup) or CSV (billed participants and a totals row), by the file's extension, and
/// audits it. `what` names the cohort or the range.
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
    let failed = |message: String| ExportError::Write {
        path: path.display().to_string(),
        message,
    };
    match extension.as_str() {
        "xlsx" => {
            let title = xlsx::bpjs_title(conn, what, rows)?;
            xlsx::write_bpjs(path, &title, rows).map_err(|e| failed(e.to_string()))?
        }
        "csv" => write_bpjs_csv(path, rows).map_err(|e| failed(e.to_string()))?,
        other => return Err(ExportError::UnknownExtension(other.to_string())),
    }
    super::restrict_permissions(path);
    let sum = summary(rows);
    audit::record(
        conn,
        actor,
        audit::Action::Export,
        audit::Entity::BpjsList,
        what,
        None::<&()>,
        Some(&serde_json::json!({
            "file": path.display().to_string(),
            "rows": rows.len(),
            "billed": sum.billed,
            "unbilled": sum.unbilled,
            "total": sum.total,
        })),
    )?;
    Ok(())
}

/// The billed participants, then a totals row. Text cells are guarded; dates are ISO text;
/// the rupiah and month columns are numbers.
fn write_bpjs_csv(path: &Path, rows: &[BpjsRow]) -> Result<(), csv::Error> {
    let mut out = csv::Writer::from_path(path)?;
    out.write_record(BPJS_HEADER)?;
    let mut totals = [0i64; 3];
    for row in rows.iter().filter(|r| r.billed()) {
        let cells = cells(row);
        for (sum, col) in totals.iter_mut().zip(BPJS_TOTAL_COLUMNS) {
            if let BpjsCell::Number(n) = cells[col] {
                *sum += n;
            }
        }
        out.write_record(cells.iter().map(|cell| match cell {
            BpjsCell::Text(t) => csv_text(t).into_owned(),
            BpjsCell::Date(d) => d.to_string(),
            BpjsCell::Number(n) => n.to_string(),
        }))?;
    }
    let mut total = vec![String::new(); BPJS_HEADER.len()];
    total[0] = "TOTAL".into();
    for (sum, col) in totals.iter().zip(BPJS_TOTAL_COLUMNS) {
        total[col] = sum.to_string();
    }
    out.write_record(&total)?;
    out.flush()?;
    Ok(())
}

/// The yearly report: per kecamatan (of the venue and of residence), per course, per office
/// whose counter enrolled, and enrollments per week (every week), one sheet each, with titles
/// and totals (`db::xlsx`).
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
    let report = xlsx::Report {
        year,
        office: xlsx::office_name(conn)?,
        districts: rows(conn, Grouping::District, year)?,
        residence: rows(conn, Grouping::Residence, year)?,
        offices: rows(conn, Grouping::Office, year)?,
        courses: rows(conn, Grouping::Course, year)?,
        weeks: weekly_enrollments(conn, year)?,
    };
    xlsx::write_report(path, &report).map_err(|e| ExportError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    super::restrict_permissions(path);
    audit::record(
        conn,
        actor,
        audit::Action::Export,
        audit::Entity::Report,
        &year.to_string(),
        None::<&()>,
        Some(&serde_json::json!({
            "file": path.display().to_string(),
            "districts": report.districts.len(),
            "courses": report.courses.len(),
            "weeks": report.weeks.len(),
        })),
    )?;
    Ok(())
}
