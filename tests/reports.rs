//! Reports an office hands over, read back: the BPJS list (XLSX: title block, KPJ and status,
//! date cells, only submitted or active coverage billed, the rest listed apart, print setup;
//! CSV: billed rows only) and the yearly report (titles, totals, percentages, every week); the
//! dashboard's groupings (where participants live, every kecamatan, targets anywhere).

mod common;

use std::io::Read;
use std::path::Path;

use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
use chrono::{Datelike, NaiveDate};
use common::{TODAY, actor, count, count_with};
use loket::db::dashboard::{Grouping, rows, set_target, totals, weekly_enrollments};
use loket::db::demo::DemoOptions;
use loket::db::export::{BPJS_HEADER, ExportScope, bpjs_rows, summary, write_bpjs, write_report};
use loket::db::sql::{Connection, params};
use loket::db::xlsx::{REPORT_HEADER, WEEK_HEADER};
use loket::domain::coverage::CoverageStatus;

const DEMO: DemoOptions = DemoOptions {
    residents: 400,
    seed: 1,
    today: TODAY,
};

/// Gives the cohort's enrolled participants, by name, these coverage statuses in turn (the
/// rest unregistered); returns the enrollment ids in that order.
fn arrange_coverage(conn: &Connection, cohort: i64, statuses: &[CoverageStatus]) -> Vec<i64> {
    let ids: Vec<i64> = conn
        .prepare(
            "SELECT e.id FROM enrollment e JOIN resident r ON r.id = e.resident_id
             WHERE e.cohort_id = ?1 AND e.status = 'enrolled' ORDER BY r.name, r.nik",
        )
        .unwrap()
        .query_map([cohort], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(ids.len() > statuses.len(), "{} enrolled", ids.len());
    for (i, id) in ids.iter().enumerate() {
        let status = statuses
            .get(i)
            .copied()
            .unwrap_or(CoverageStatus::Unregistered);
        let kpj = (status == CoverageStatus::Active)
            .then(|| format!("{:011}", 90000000000i64 + i as i64));
        let reason = (status == CoverageStatus::Rejected).then_some("NIK tidak padan");
        conn.execute(
            "UPDATE coverage SET status = ?2, kpj = ?3, reject_reason = ?4, jkk = 1, jkm = 1
             WHERE enrollment_id = ?1",
            params![id, status.code(), kpj, reason],
        )
        .unwrap();
    }
    ids
}

/// Excel's serial day number of a date (days since 1899-12-30).
fn serial(d: NaiveDate) -> f64 {
    (d - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let range = book.worksheet_range(name).unwrap();
    // calamine starts the range at the first used cell: row 0 is the title here.
    assert_eq!(range.start(), Some((0, 0)));
    range.rows().map(|r| r.to_vec()).collect()
}

/// A date cell's serial day number (None for any other cell).
fn date_of(cell: &Data) -> Option<f64> {
    match cell {
        Data::DateTime(d) => Some(d.as_f64()),
        _ => None,
    }
}

fn text(cell: &Data) -> String {
    cell.to_string()
}

/// The row index whose first cell is `first`.
fn row_of(rows: &[Vec<Data>], first: &str) -> usize {
    rows.iter()
        .position(|r| r.first().map(text).as_deref() == Some(first))
        .unwrap_or_else(|| panic!("no row starting with {first}"))
}

/// A file inside the XLSX (zip) as text.
fn part(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut out = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut out).unwrap();
    out
}

/// The column widths `<col min=.. max=.. width=..>` of a sheet's XML, by column (1-based).
fn widths(xml: &str) -> Vec<(usize, usize, f64)> {
    xml.split("<col ")
        .skip(1)
        .map(|col| {
            let attr = |name: &str| -> String {
                let at = col.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                col[at..].split('"').next().unwrap().to_string()
            };
            (
                attr("min").parse().unwrap(),
                attr("max").parse().unwrap(),
                attr("width").parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn bpjs_xlsx_bills_only_submitted_or_active_coverage_with_kpj_status_and_date_cells() {
    use CoverageStatus::*;
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("s.sqlite"), DEMO);
    let (cohort, code) = common::full_cohort(&conn);
    arrange_coverage(
        &conn,
        cohort,
        &[Active, Active, Active, Submitted, Submitted, Rejected],
    );
    let enrolled = count_with(
        &conn,
        "SELECT count(*) FROM enrollment WHERE cohort_id = ?1 AND status = 'enrolled'",
        [cohort],
    ) as usize;
    let rows = bpjs_rows(&conn, ExportScope::Cohort(cohort)).unwrap();
    let listed = summary(&rows);
    assert_eq!((listed.billed, listed.unbilled), (5, enrolled - 5));
    assert!(
        rows.iter()
            .filter(|r| !r.billed())
            .all(|r| r.contribution.total == 0)
    );
    let path = dir.path().join("bpjs.xlsx");
    write_bpjs(&conn, &actor(&conn, "budi"), &path, &code, &rows).unwrap();

    let all = sheet(&path, "Peserta BPJS");
    // Title block: what, the office, the cohort, its course, venue, period, funding, when.
    assert!(text(&all[0][0]).starts_with("DAFTAR PESERTA BPU BPJS KETENAGAKERJAAN"));
    let (start, end, funding, course, venue): (NaiveDate, NaiveDate, String, String, String) = conn
        .query_row(
            "SELECT c.start_date, c.end_date, upper(c.funding), co.name, v.name FROM cohort c
             JOIN course co ON co.id = c.course_id JOIN venue v ON v.id = c.venue_id WHERE c.id = ?1",
            [cohort],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    let line = |label: &str| text(&all[row_of(&all, label)][1]);
    assert!(
        line("Kantor").starts_with("Dinas Tenaga Kerja"),
        "{}",
        line("Kantor")
    );
    assert_eq!(line("Angkatan"), code);
    assert_eq!(line("Kejuruan"), course);
    assert_eq!(line("Tempat"), venue);
    assert_eq!(
        line("Periode"),
        format!(
            "{} s.d. {}",
            start.format("%d/%m/%Y"),
            end.format("%d/%m/%Y")
        )
    );
    assert_eq!(line("Sumber dana"), funding);
    assert!(!line("Diekspor").is_empty());

    let header = row_of(&all, "ANGKATAN");
    let names: Vec<String> = all[header].iter().map(text).collect();
    assert_eq!(names, BPJS_HEADER.map(String::from).to_vec());
    let col = |name: &str| BPJS_HEADER.iter().position(|h| *h == name).unwrap();
    let total_row = row_of(&all, "TOTAL");
    let billed = &all[header + 1..total_row];
    assert_eq!(billed.len(), 5, "only submitted or active rows are billed");
    let mut sum = 0.0;
    for row in billed {
        let status = text(&row[col("STATUS_BPJS")]);
        assert!(status == "AKTIF" || status == "DIAJUKAN", "{status}");
        assert_eq!(
            text(&row[col("KPJ")]).len() == 11,
            status == "AKTIF",
            "{row:?}"
        );
        assert!(matches!(row[col("NIK")], Data::String(_)), "NIK as text");
        for date in ["TANGGAL_LAHIR", "MULAI", "SELESAI"] {
            assert!(
                row[col(date)].is_datetime(),
                "{date} is a date cell: {:?}",
                row[col(date)]
            );
        }
        assert_eq!(date_of(&row[col("MULAI")]), Some(serial(start)));
        assert_eq!(date_of(&row[col("SELESAI")]), Some(serial(end)));
        assert!(row[col("IURAN_TOTAL")].as_f64().unwrap() > 0.0);
        sum += row[col("IURAN_TOTAL")].as_f64().unwrap();
    }
    // Birth dates read back as the resident's.
    let first_nik = text(&billed[0][col("NIK")]);
    let born: NaiveDate = conn
        .query_row(
            "SELECT birth_date FROM resident WHERE nik = ?1",
            [&first_nik],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        date_of(&billed[0][col("TANGGAL_LAHIR")]),
        Some(serial(born))
    );
    assert_eq!(all[total_row][col("IURAN_TOTAL")].as_f64(), Some(sum));
    assert_eq!(sum as i64, listed.total);
    assert_eq!(text(&all[total_row][2]), "5 peserta ditagih");

    // The others: listed apart, with their status, charged nothing.
    let apart = all
        .iter()
        .position(|r| text(&r[0]).starts_with("TIDAK DITAGIH"))
        .unwrap();
    assert!(text(&all[apart][0]).contains(&format!("{} peserta", enrolled - 5)));
    let unbilled = &all[apart + 1..];
    assert_eq!(unbilled.len(), enrolled - 5);
    let statuses: Vec<String> = unbilled
        .iter()
        .map(|r| text(&r[col("STATUS_BPJS")]))
        .collect();
    assert_eq!(statuses.iter().filter(|s| *s == "DITOLAK").count(), 1);
    assert!(
        statuses
            .iter()
            .all(|s| s == "DITOLAK" || s == "BELUM_DIDAFTARKAN"),
        "{statuses:?}"
    );
    for row in unbilled {
        assert!(row[col("IURAN_TOTAL")].is_empty(), "{row:?}");
        assert!(row[col("MULAI")].is_datetime());
    }

    // Print setup: landscape A4, one page wide, the header row repeated, columns wide enough.
    let xml = part(&path, "xl/worksheets/sheet1.xml");
    assert!(
        xml.contains(r#"<pageSetUpPr fitToPage="1"/>"#),
        "fit to page"
    );
    let setup = &xml[xml.find("<pageSetup ").unwrap()..];
    let setup = &setup[..setup.find("/>").unwrap()];
    for attr in [
        r#"paperSize="9""#,
        r#"orientation="landscape""#,
        r#"fitToHeight="0""#,
    ] {
        assert!(setup.contains(attr), "{attr} in {setup}");
    }
    // fitToWidth defaults to 1 and is then left out.
    assert!(
        !setup.contains("fitToWidth") || setup.contains(r#"fitToWidth="1""#),
        "{setup}"
    );
    let book = part(&path, "xl/workbook.xml");
    let titles = format!("'Peserta BPJS'!${0}:${0}", header + 1);
    assert!(
        book.contains("_xlnm.Print_Titles") && book.contains(&titles),
        "{titles} in {book}"
    );
    let widths = widths(&xml);
    for (i, name) in BPJS_HEADER.iter().enumerate() {
        let width = widths
            .iter()
            .find(|(min, max, _)| (*min..=*max).contains(&(i + 1)))
            .map(|w| w.2)
            .unwrap_or(8.43);
        assert!(width >= name.len() as f64 + 1.0, "{name}: {width}");
    }
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM audit_log WHERE action = 'export' AND entity = 'bpjs_list'"
        ),
        1
    );
    let audited: String = conn
        .query_row(
            "SELECT after_json FROM audit_log WHERE entity = 'bpjs_list'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let audited: serde_json::Value = serde_json::from_str(&audited).unwrap();
    assert_eq!(audited["billed"], 5);
    assert_eq!(audited["unbilled"], enrolled - 5);
}

#[test]
fn bpjs_csv_holds_billed_rows_only_with_kpj_and_status() {
    use CoverageStatus::*;
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("s.sqlite"), DEMO);
    let (cohort, code) = common::full_cohort(&conn);
    arrange_coverage(&conn, cohort, &[Active, Rejected, Submitted]);
    let rows = bpjs_rows(&conn, ExportScope::Cohort(cohort)).unwrap();
    let path = dir.path().join("bpjs.csv");
    write_bpjs(&conn, &actor(&conn, "budi"), &path, &code, &rows).unwrap();
    let mut reader = csv::Reader::from_path(&path).unwrap();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        BPJS_HEADER.to_vec()
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 3, "two billed rows and the totals");
    assert_eq!((&records[0][20].len(), &records[0][21]), (&11, "AKTIF"));
    assert_eq!((&records[1][20], &records[1][21]), ("", "DIAJUKAN"));
    assert_eq!(
        &records[0][12],
        &records[0][12].parse::<NaiveDate>().unwrap().to_string()
    );
    let sum: i64 = records[..2]
        .iter()
        .map(|r| r[19].parse::<i64>().unwrap())
        .sum();
    assert_eq!(&records[2][0], "TOTAL");
    assert_eq!(records[2][19].parse::<i64>().unwrap(), sum);
}

#[test]
fn yearly_report_has_titles_totals_percentages_and_every_week() {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("s.sqlite"), DEMO);
    let path = dir.path().join("report.xlsx");
    write_report(&conn, &actor(&conn, "budi"), &path, 2026).unwrap();
    let book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Per kecamatan",
            "Per kejuruan",
            "Per domisili",
            "Per kantor",
            "Per minggu"
        ]
    );
    for (name, grouping) in [
        ("Per kecamatan", Grouping::District),
        ("Per kejuruan", Grouping::Course),
        ("Per domisili", Grouping::Residence),
        ("Per kantor", Grouping::Office),
    ] {
        let all = sheet(&path, name);
        assert_eq!(text(&all[0][0]), "LAPORAN TAHUNAN PELATIHAN KERJA 2026");
        assert_eq!(text(&all[row_of(&all, "Tahun")][1]), "2026");
        let header = row_of(&all, "KODE");
        let names: Vec<String> = all[header].iter().map(text).collect();
        assert_eq!(names, REPORT_HEADER.map(String::from).to_vec(), "{name}");
        let total = row_of(&all, "TOTAL");
        let expected = rows(&conn, grouping, 2026).unwrap();
        assert_eq!(total - header - 1, expected.len(), "{name}: one row each");
        let sums = totals(&expected);
        assert_eq!(
            all[total][3].as_f64(),
            Some(f64::from(sums.enrolled)),
            "{name}"
        );
        let column_sum: f64 = all[header + 1..total]
            .iter()
            .filter_map(|r| r[3].as_f64())
            .sum();
        assert_eq!(column_sum, f64::from(sums.enrolled));
        // Coverage as a fraction (shown as a percent), not a whole number.
        for row in &all[header + 1..=total] {
            if let Some(share) = row[7].as_f64() {
                assert!((0.0..=1.0).contains(&share), "{name}: {row:?}");
            }
        }
        if sums.enrolled > 0 {
            let share = all[total][7].as_f64().unwrap();
            assert!((share - f64::from(sums.covered) / f64::from(sums.enrolled)).abs() < 1e-9);
        }
        let xml = part(
            &path,
            &format!(
                "xl/worksheets/sheet{}.xml",
                match grouping {
                    Grouping::District => 1,
                    Grouping::Course => 2,
                    Grouping::Residence => 3,
                    Grouping::Office => 4,
                }
            ),
        );
        assert!(xml.contains(r#"orientation="landscape""#) && xml.contains("fitToPage"));
    }
    // Every kecamatan of the kabupaten is a row, with or without cohorts.
    let kabupaten = count(
        &conn,
        "SELECT count(*) FROM district WHERE regency_code = (SELECT value FROM setting WHERE key = 'office.regency_code')",
    );
    assert!(kabupaten > 20);
    let by_venue = rows(&conn, Grouping::District, 2026).unwrap();
    assert!(by_venue.iter().filter(|r| r.has_code()).count() as i64 >= kabupaten);

    let weeks = sheet(&path, "Per minggu");
    let header = row_of(&weeks, "MINGGU_MULAI");
    assert_eq!(
        weeks[header].iter().map(text).collect::<Vec<_>>(),
        WEEK_HEADER.to_vec()
    );
    let total = row_of(&weeks, "TOTAL");
    let days: Vec<f64> = weeks[header + 1..total]
        .iter()
        .map(|r| date_of(&r[0]).unwrap_or_else(|| panic!("a date cell: {r:?}")))
        .collect();
    assert_eq!(days.len(), 53, "every week of 2026, from Monday 29/12/2025");
    assert_eq!(
        days[0],
        serial(NaiveDate::from_ymd_opt(2025, 12, 29).unwrap())
    );
    assert!(days.windows(2).all(|w| w[1] - w[0] == 7.0));
    let counts: Vec<f64> = weeks[header + 1..total]
        .iter()
        .map(|r| r[1].as_f64().unwrap())
        .collect();
    assert!(counts.contains(&0.0), "empty weeks are there, as zero");
    let registered = count(
        &conn,
        "SELECT count(*) FROM enrollment WHERE registered_at >= '2026-01-01' AND registered_at < '2027-01-01'",
    );
    assert_eq!(weeks[total][1].as_f64(), Some(registered as f64));
    assert_eq!(counts.iter().sum::<f64>(), registered as f64);
}

#[test]
fn dashboard_counts_where_participants_live_and_takes_targets_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("s.sqlite"), DEMO);
    let residence = rows(&conn, Grouping::Residence, 2026).unwrap();
    let by_venue = rows(&conn, Grouping::District, 2026).unwrap();
    // The same participants, grouped two ways.
    assert_eq!(totals(&residence).enrolled, totals(&by_venue).enrolled);
    assert_eq!(totals(&residence).covered, totals(&by_venue).covered);
    // Each kecamatan counts the participants who live there.
    for row in residence.iter().filter(|r| r.has_code() && r.enrolled > 0) {
        let direct = count_with(
            &conn,
            "SELECT count(*) FROM enrollment e JOIN cohort c ON c.id = e.cohort_id
             JOIN resident r ON r.id = e.resident_id JOIN village v ON v.code = r.village_code
             WHERE e.status = 'enrolled' AND c.status <> 'cancelled' AND v.district_code = ?1
               AND c.start_date >= '2026-01-01' AND c.start_date < '2027-01-01'",
            [&row.code],
        );
        assert_eq!(i64::from(row.enrolled), direct, "{}", row.name);
    }
    // A kecamatan with no cohort takes a target, shared by both kecamatan views.
    let empty = by_venue
        .iter()
        .find(|r| r.has_code() && r.cohorts == 0)
        .expect("a kecamatan without cohorts");
    let budi = actor(&conn, "budi");
    set_target(&conn, &budi, 2026, Grouping::Residence, &empty.code, 40).unwrap();
    for grouping in [Grouping::District, Grouping::Residence] {
        let again = rows(&conn, grouping, 2026).unwrap();
        let row = again.iter().find(|r| r.code == empty.code).unwrap();
        assert_eq!(row.target, Some(40));
    }
    assert!(set_target(&conn, &budi, 2026, Grouping::District, "99.99.99", 5).is_err());
    // Every week of the year, zeros included.
    let weeks = weekly_enrollments(&conn, 2026).unwrap();
    assert_eq!(weeks.len(), 53);
    assert!(
        weeks
            .iter()
            .all(|(w, _)| w.weekday() == chrono::Weekday::Mon)
    );
    // Each registration counts in the week of the Monday on or before its day (a Monday's in
    // its own week: it once went to the week before).
    let mut expected: std::collections::BTreeMap<chrono::NaiveDate, u32> = Default::default();
    let days: Vec<chrono::NaiveDate> = conn
        .prepare(
            "SELECT substr(registered_at, 1, 10) FROM enrollment WHERE registered_at LIKE '2026-%'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(days.iter().any(|d| d.weekday() == chrono::Weekday::Mon));
    for day in days {
        let monday = day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()));
        *expected.entry(monday).or_default() += 1;
    }
    let counted: std::collections::BTreeMap<_, _> =
        weeks.into_iter().filter(|(_, n)| *n > 0).collect();
    assert_eq!(counted, expected);
}

// --- the dashboard screen ---------------------------------------------------------------------

mod screens {
    use super::*;
    use common::{draw, press, screen_text, type_text};
    use crossterm::event::KeyCode;
    use loket::ui::app::{App, Ctx};
    use loket::ui::screens::dashboard::Dashboard;
    use loket::ui::text::Lang;

    fn app(dir: &Path, operator: &str) -> App {
        let conn = common::demo_db(&dir.join("s.sqlite"), DEMO);
        let actor = actor(&conn, operator);
        let ctx: Ctx = common::ctx(conn, actor, Lang::Id, TODAY).0;
        let dashboard = Dashboard::new(&ctx).unwrap();
        App::new(ctx, Box::new(dashboard))
    }

    /// The selected row's first cell: the row the terminal cursor is on.
    fn target_of(app: &App, code: &str) -> Option<u32> {
        app.ctx
            .conn
            .query_row(
                "SELECT value FROM target WHERE year = 2026 AND scope = 'district' AND scope_code = ?1",
                [code],
                |r| r.get(0),
            )
            .ok()
    }

    #[test]
    fn gauges_totals_and_every_week_at_two_sizes() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path(), "budi");
        let small = draw(&mut app);
        insta::assert_snapshot!("dashboard_80x24", small);
        assert!(
            small.contains("Per kecamatan tempat pelatihan 2026"),
            "{small}"
        );
        assert!(small.contains("Jumlah"), "totals row: {small}");
        assert!(
            small.contains('█') || small.contains('░'),
            "gauges: {small}"
        );
        assert!(
            small.contains("29/12/2025 - 28/12/2026"),
            "every week: {small}"
        );
        let wide = screen_text(&mut app, 160, 48);
        insta::assert_snapshot!("dashboard_160x48", wide);
        assert!(wide.contains("Blm dicatat"), "{wide}");
        press(&mut app, KeyCode::Tab);
        let residence = draw(&mut app);
        assert!(
            residence.contains("Per kecamatan domisili peserta"),
            "{residence}"
        );
        insta::assert_snapshot!("dashboard_residence_80x24", residence);
        // Residence rows do not drill into the board (the board is by venue).
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.depth(), 1);
        let told = draw(&mut app);
        assert!(told.contains("Angkatan per domisili"), "{told}");
        press(&mut app, KeyCode::Esc); // closes the message
        press(&mut app, KeyCode::Tab);
        // Per office of registration: the demo's residents registered at their own kecamatan,
        // so each office brought in what the kecamatan of residence counts.
        let office = draw(&mut app);
        assert!(
            office.contains("Per kantor kecamatan yang mendaftarkan"),
            "{office}"
        );
        assert_eq!(
            office
                .lines()
                .find(|l| l.contains("Jumlah"))
                .map(|l| l.split_whitespace().nth(2).map(str::to_string)),
            residence
                .lines()
                .find(|l| l.contains("Jumlah"))
                .map(|l| l.split_whitespace().nth(2).map(str::to_string)),
            "the same participants in all"
        );
        press(&mut app, KeyCode::Tab);
        assert!(draw(&mut app).contains("Per kejuruan"));
    }

    #[test]
    fn a_target_typed_over_the_old_one_stays_on_its_row() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path(), "budi");
        let rows = rows(&app.ctx.conn, Grouping::District, 2026).unwrap();
        // The fourth kecamatan, whatever its cohorts.
        let row = &rows[3];
        for _ in 0..3 {
            press(&mut app, KeyCode::Down);
        }
        press(&mut app, KeyCode::F(2));
        type_text(&mut app, "120");
        press(&mut app, KeyCode::Enter);
        assert_eq!(target_of(&app, &row.code), Some(120));
        // Again on the same row, without moving: the prefilled 120 is replaced, not appended.
        press(&mut app, KeyCode::F(2));
        let prompt = draw(&mut app);
        assert!(prompt.contains(&row.name), "{prompt}");
        assert!(prompt.contains("120"), "prefilled: {prompt}");
        type_text(&mut app, "80");
        press(&mut app, KeyCode::Enter);
        assert_eq!(target_of(&app, &row.code), Some(80));
        // No other row got it.
        assert_eq!(
            count(
                &app.ctx.conn,
                "SELECT count(*) FROM target WHERE year = 2026"
            ),
            1
        );
        let screen = draw(&mut app);
        let line = screen
            .lines()
            .find(|l| l.contains(&row.name))
            .unwrap_or_else(|| panic!("{screen}"));
        assert!(line.contains(" 80 "), "{line}");
    }
}
