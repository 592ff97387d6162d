//! The XLSX files an office hands over: the BPJS list and the yearly report. Every sheet opens
//! with a title block (what it is, the office, what it covers, when it was exported), has one
//! header row that is repeated on every printed page, columns wide enough for their header and
//! their cells, dates as date cells, percentages as percentages, a totals row, and prints
//! landscape on A4, one page wide. The texts are the Indonesian of the documents (like the
//! column headers), not the screen's language.

use std::collections::BTreeSet;
use std::path::Path;

use crate::db::sql::{Connection, OptionalExtension, params};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use super::dashboard::{DashboardRow, totals};
use super::export::{BPJS_HEADER, BPJS_TOTAL_COLUMNS, BpjsCell, BpjsRow, cells};
use super::settings::{self, SettingKey};
use super::{DbError, now_text};
use crate::domain::cohort::Funding;

/// Paper size A4 in the XLSX page setup.
const A4: u8 = 9;
/// The widest a column grows, in characters; longer cells wrap or run over.
const MAX_WIDTH: usize = 40;
const DATE_FORMAT: &str = "dd/mm/yyyy";

/// The office as the title block names it: Disnaker of the kabupaten the office serves.
pub fn office_name(conn: &Connection) -> Result<String, DbError> {
    let code = settings::get(conn, SettingKey::OfficeRegency)?;
    let name: Option<String> = conn
        .prepare_cached("SELECT name FROM regency WHERE code = ?1")?
        .query_row(params![code], |r| r.get(0))
        .optional()?;
    Ok(format!(
        "Dinas Tenaga Kerja {}",
        name.unwrap_or_else(|| code.clone())
    ))
}

/// The title block of a BPJS list: label and value lines under the title.
#[derive(Debug, Clone, PartialEq)]
pub struct Title {
    pub title: String,
    pub lines: Vec<(&'static str, String)>,
}

/// The cohorts a list covers, as its title block tells them: office, cohort(s), course, venue,
/// period, funding, exported on. `what` (a cohort code or a range) names an empty list.
pub fn bpjs_title(conn: &Connection, what: &str, rows: &[BpjsRow]) -> Result<Title, DbError> {
    let mut codes: BTreeSet<&str> = rows.iter().map(|r| r.cohort_code.as_str()).collect();
    if codes.is_empty() {
        codes.insert(what);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT c.code, co.name, v.name, c.start_date, c.end_date, c.funding
         FROM cohort c JOIN course co ON co.id = c.course_id JOIN venue v ON v.id = c.venue_id
         WHERE c.code = ?1",
    )?;
    let mut cohorts = Vec::new();
    for code in &codes {
        let found = stmt
            .query_row(params![code], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, NaiveDate>(3)?,
                    r.get::<_, NaiveDate>(4)?,
                    r.get::<_, Funding>(5)?,
                ))
            })
            .optional()?;
        cohorts.extend(found);
    }
    let mut lines = vec![("Kantor", office_name(conn)?)];
    match cohorts.as_slice() {
        [(code, course, venue, start, end, funding)] => {
            lines.push(("Angkatan", code.clone()));
            lines.push(("Kejuruan", course.clone()));
            lines.push(("Tempat", venue.clone()));
            lines.push(("Periode", period(*start, *end)));
            lines.push(("Sumber dana", funding.code().to_uppercase()));
        }
        many => {
            let names: Vec<&str> = many.iter().map(|c| c.0.as_str()).collect();
            lines.push((
                "Angkatan",
                if names.is_empty() {
                    what.to_string()
                } else {
                    names.join(", ")
                },
            ));
            if let (Some(start), Some(end)) = (
                many.iter().map(|c| c.3).min(),
                many.iter().map(|c| c.4).max(),
            ) {
                lines.push(("Periode", period(start, end)));
            }
            let funding: BTreeSet<String> =
                many.iter().map(|c| c.5.code().to_uppercase()).collect();
            if !funding.is_empty() {
                lines.push((
                    "Sumber dana",
                    funding.into_iter().collect::<Vec<_>>().join(", "),
                ));
            }
        }
    }
    lines.push(("Diekspor", exported_on()));
    Ok(Title {
        title: "DAFTAR PESERTA BPU BPJS KETENAGAKERJAAN (JKK/JKM) PELATIHAN KERJA".into(),
        lines,
    })
}

fn period(start: NaiveDate, end: NaiveDate) -> String {
    format!(
        "{} s.d. {}",
        start.format("%d/%m/%Y"),
        end.format("%d/%m/%Y")
    )
}

/// Now, as the title block tells it.
fn exported_on() -> String {
    let now = now_text();
    chrono::NaiveDateTime::parse_from_str(&now, "%Y-%m-%d %H:%M:%S")
        .map(|t| t.format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or(now)
}

/// The formats every sheet shares.
struct Formats {
    title: Format,
    label: Format,
    header: Format,
    text: Format,
    date: Format,
    number: Format,
    percent: Format,
    total_label: Format,
    total_number: Format,
    total_percent: Format,
}

impl Formats {
    fn new() -> Formats {
        let total = Format::new().set_bold().set_border_top(FormatBorder::Thin);
        Formats {
            title: Format::new().set_bold().set_font_size(13),
            label: Format::new().set_bold(),
            header: Format::new()
                .set_bold()
                .set_background_color("#DDEBF7")
                .set_border(FormatBorder::Thin)
                .set_text_wrap(),
            text: Format::new().set_num_format("@"),
            date: Format::new().set_num_format(DATE_FORMAT),
            number: Format::new().set_num_format("#,##0"),
            percent: Format::new().set_num_format("0%"),
            total_label: total.clone(),
            total_number: total.clone().set_num_format("#,##0"),
            total_percent: total.set_num_format("0%"),
        }
    }
}

/// A date as a date cell value.
fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    // Years, months and days of a NaiveDate from the database are always in range; a year past
    // u16 is refused by ExcelDateTime itself.
    let year = u16::try_from(d.year()).map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

/// Column widths that fit each column's header and cells (in characters, capped).
struct Widths(Vec<usize>);

impl Widths {
    fn new(headers: &[&str]) -> Widths {
        Widths(headers.iter().map(|h| h.chars().count()).collect())
    }
    fn fit(&mut self, col: usize, chars: usize) {
        if let Some(w) = self.0.get_mut(col) {
            *w = (*w).max(chars);
        }
    }
    fn apply(&self, sheet: &mut Worksheet) -> Result<(), XlsxError> {
        for (col, width) in self.0.iter().enumerate() {
            // Two characters of padding, so a header never touches the next column (and the
            // filter of a bold header never clips it).
            sheet.set_column_width(col as u16, (width.min(&MAX_WIDTH) + 2) as f64)?;
        }
        Ok(())
    }
}

/// Writes the title and its label/value lines from row 0; returns the next free row (after one
/// blank row).
fn title_block(
    sheet: &mut Worksheet,
    f: &Formats,
    title: &str,
    lines: &[(&str, String)],
) -> Result<u32, XlsxError> {
    sheet.write_string_with_format(0, 0, title, &f.title)?;
    for (i, (label, value)) in lines.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string_with_format(row, 0, *label, &f.label)?;
        sheet.write_string(row, 1, value)?;
    }
    Ok(lines.len() as u32 + 2)
}

/// Landscape A4, one page wide and as many tall as needed, the header row on every page,
/// narrow margins and page numbers in the footer.
fn print_setup(sheet: &mut Worksheet, header_row: u32) -> Result<(), XlsxError> {
    sheet.set_landscape();
    sheet.set_paper_size(A4);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(header_row, header_row)?;
    sheet.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    sheet.set_footer("&CHalaman &P dari &N");
    sheet.set_freeze_panes(header_row + 1, 0)?;
    Ok(())
}

fn header_row(
    sheet: &mut Worksheet,
    f: &Formats,
    row: u32,
    headers: &[&str],
) -> Result<(), XlsxError> {
    for (col, name) in headers.iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, *name, &f.header)?;
    }
    Ok(())
}

/// Writes one BPJS row's cells at `row`; money columns blank when `charged` is false.
fn bpjs_cells(
    sheet: &mut Worksheet,
    f: &Formats,
    widths: &mut Widths,
    row: u32,
    data: &BpjsRow,
    charged: bool,
) -> Result<(), XlsxError> {
    for (col, cell) in cells(data).iter().enumerate() {
        let c = col as u16;
        match cell {
            BpjsCell::Text(t) => {
                sheet.write_string_with_format(row, c, t, &f.text)?;
                widths.fit(col, t.chars().count());
            }
            BpjsCell::Date(d) => {
                sheet.write_datetime_with_format(row, c, excel_date(*d)?, &f.date)?;
                widths.fit(col, DATE_FORMAT.len());
            }
            BpjsCell::Number(n) => {
                if charged || col < BPJS_TOTAL_COLUMNS[0] - 1 {
                    sheet.write_number_with_format(row, c, *n as f64, &f.number)?;
                    widths.fit(col, n.to_string().len() + n.to_string().len() / 3);
                }
            }
        }
    }
    Ok(())
}

/// The BPJS list: title block, header, the billed participants, a totals row with their count,
/// then the participants not billed (never submitted or rejected) with their status.
pub fn write_bpjs(path: &Path, title: &Title, rows: &[BpjsRow]) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    let f = Formats::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Peserta BPJS")?;
    let header = title_block(sheet, &f, &title.title, &title.lines)?;
    header_row(sheet, &f, header, &BPJS_HEADER)?;
    let mut widths = Widths::new(&BPJS_HEADER);
    // The title block's labels sit in the first column.
    widths.fit(0, "Sumber dana".len());
    let (billed, unbilled): (Vec<&BpjsRow>, Vec<&BpjsRow>) = rows.iter().partition(|r| r.billed());
    let mut row = header + 1;
    let mut sums = [0i64; 3];
    for data in &billed {
        bpjs_cells(sheet, &f, &mut widths, row, data, true)?;
        for (sum, col) in sums.iter_mut().zip(BPJS_TOTAL_COLUMNS) {
            if let BpjsCell::Number(n) = cells(data)[col] {
                *sum += n;
            }
        }
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "TOTAL", &f.total_label)?;
    sheet.write_string_with_format(
        row,
        2,
        format!("{} peserta ditagih", billed.len()),
        &f.total_label,
    )?;
    for (sum, col) in sums.iter().zip(BPJS_TOTAL_COLUMNS) {
        sheet.write_number_with_format(row, col as u16, *sum as f64, &f.total_number)?;
    }
    if !unbilled.is_empty() {
        row += 2;
        sheet.write_string_with_format(
            row,
            0,
            format!(
                "TIDAK DITAGIH: {} peserta belum didaftarkan atau ditolak BPJS (tanpa iuran)",
                unbilled.len()
            ),
            &f.label,
        )?;
        row += 1;
        for data in &unbilled {
            bpjs_cells(sheet, &f, &mut widths, row, data, false)?;
            row += 1;
        }
    }
    widths.apply(sheet)?;
    print_setup(sheet, header)?;
    workbook.save(path)
}

/// What the yearly report shows (`export::write_report` gathers it).
pub struct Report {
    pub year: i32,
    pub office: String,
    pub districts: Vec<DashboardRow>,
    pub residence: Vec<DashboardRow>,
    /// Per kecamatan office whose counter took the enrollment (issue 18).
    pub offices: Vec<DashboardRow>,
    pub courses: Vec<DashboardRow>,
    pub weeks: Vec<(NaiveDate, u32)>,
}

/// Column headers of the report's grouped sheets (BELUM_DICATAT added last).
pub const REPORT_HEADER: [&str; 11] = [
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
    "BELUM_DICATAT",
];

/// Column headers of the weekly sheet.
pub const WEEK_HEADER: [&str; 2] = ["MINGGU_MULAI", "PENDAFTARAN"];

/// A fraction for a percent cell.
fn fraction(part: u32, whole: Option<u32>) -> Option<f64> {
    whole
        .filter(|w| *w > 0)
        .map(|w| f64::from(part) / f64::from(w))
}

fn report_row(
    sheet: &mut Worksheet,
    f: &Formats,
    row: u32,
    data: &DashboardRow,
    total: bool,
) -> Result<(), XlsxError> {
    let (number, percent) = if total {
        (&f.total_number, &f.total_percent)
    } else {
        (&f.number, &f.percent)
    };
    for (col, value) in [
        (2u16, Some(data.cohorts)),
        (3, Some(data.enrolled)),
        (4, Some(data.waitlisted)),
        (5, Some(data.passed)),
        (6, Some(data.covered)),
        (8, data.target),
        (10, Some(data.unrecorded)),
    ] {
        if let Some(v) = value {
            sheet.write_number_with_format(row, col, f64::from(v), number)?;
        }
    }
    for (col, value) in [
        (7u16, fraction(data.covered, Some(data.enrolled))),
        (9, fraction(data.enrolled, data.target)),
    ] {
        if let Some(v) = value {
            sheet.write_number_with_format(row, col, v, percent)?;
        }
    }
    Ok(())
}

fn report_sheet(
    workbook: &mut Workbook,
    f: &Formats,
    report: &Report,
    name: &str,
    grouping: &str,
    table: &[DashboardRow],
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    let lines = [
        ("Kantor", report.office.clone()),
        ("Tahun", report.year.to_string()),
        ("Menurut", grouping.to_string()),
        ("Diekspor", exported_on()),
    ];
    let title = format!("LAPORAN TAHUNAN PELATIHAN KERJA {}", report.year);
    let header = title_block(sheet, f, &title, &lines)?;
    header_row(sheet, f, header, &REPORT_HEADER)?;
    let mut widths = Widths::new(&REPORT_HEADER);
    widths.fit(0, "Diekspor".len());
    let mut row = header + 1;
    for data in table {
        let (code, name) = if data.has_code() {
            (data.code.as_str(), data.name.as_str())
        } else {
            ("", "(tidak diketahui)")
        };
        sheet.write_string_with_format(row, 0, code, &f.text)?;
        sheet.write_string_with_format(row, 1, name, &f.text)?;
        widths.fit(0, code.chars().count());
        widths.fit(1, name.chars().count());
        report_row(sheet, f, row, data, false)?;
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "TOTAL", &f.total_label)?;
    sheet.write_string_with_format(row, 1, "", &f.total_label)?;
    report_row(sheet, f, row, &totals(table), true)?;
    widths.apply(sheet)?;
    print_setup(sheet, header)
}

/// The yearly report: per kecamatan of the venue, per kecamatan of residence, per course, and
/// per week (every week of the year, zeros included), each with titles and a totals row.
pub fn write_report(path: &Path, report: &Report) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    let f = Formats::new();
    for (name, grouping, table) in [
        (
            "Per kecamatan",
            "kecamatan tempat pelatihan",
            &report.districts,
        ),
        ("Per kejuruan", "kejuruan", &report.courses),
        (
            "Per domisili",
            "kecamatan domisili peserta",
            &report.residence,
        ),
        (
            "Per kantor",
            "kantor kecamatan yang mendaftarkan (loket)",
            &report.offices,
        ),
    ] {
        report_sheet(&mut workbook, &f, report, name, grouping, table)?;
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name("Per minggu")?;
    let lines = [
        ("Kantor", report.office.clone()),
        ("Tahun", report.year.to_string()),
        ("Menurut", "minggu pendaftaran (Senin)".to_string()),
        ("Diekspor", exported_on()),
    ];
    let title = format!("PENDAFTARAN PELATIHAN PER MINGGU {}", report.year);
    let header = title_block(sheet, &f, &title, &lines)?;
    header_row(sheet, &f, header, &WEEK_HEADER)?;
    let mut row = header + 1;
    for (week, count) in &report.weeks {
        sheet.write_datetime_with_format(row, 0, excel_date(*week)?, &f.date)?;
        sheet.write_number_with_format(row, 1, f64::from(*count), &f.number)?;
        row += 1;
    }
    let total: u32 = report.weeks.iter().map(|(_, n)| n).sum();
    sheet.write_string_with_format(row, 0, "TOTAL", &f.total_label)?;
    sheet.write_number_with_format(row, 1, f64::from(total), &f.total_number)?;
    let mut widths = Widths::new(&WEEK_HEADER);
    widths.fit(0, "Diekspor".len());
    widths.apply(sheet)?;
    print_setup(sheet, header)?;
    workbook.save(path)
}
