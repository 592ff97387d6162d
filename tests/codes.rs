//! Typed codes and text in one place (issue 13): a stored code loket does not know is an error
//! that names it, never a silent default; a setting that does not fit its kind is refused when
//! typed and named when read; refusals read as sentences in the chosen language, never as Debug
//! output.

mod common;

use common::{TODAY, admin, loket, loket_with};
use loket::db::Connection;
use loket::db::audit::Entity;
use loket::db::codes::CodeKind;
use loket::db::demo::DemoOptions;
use loket::db::settings::{self, SettingKey};
use loket::db::{DbError, cohorts, enrollment, export};
use loket::ui::text::{Lang, Localized};

fn demo(path: &std::path::Path) -> Connection {
    common::demo_db(
        path,
        DemoOptions {
            residents: 300,
            seed: 1,
            today: TODAY,
        },
    )
}

/// Writes what the schema's CHECK constraints on `table` would refuse: a database written by a
/// newer loket, or edited by hand. SQLite switches its checks off for the write. PostgreSQL has
/// no such switch: the table's checks are dropped for the write and put back `NOT VALID`, under
/// their names, so they hold for later writes but the tampered row stays as it was written.
fn tamper(conn: &Connection, table: &str, sql: &str) {
    if common::store::on_postgres() {
        let checks: Vec<(String, String)> = conn
            .prepare(
                "SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint
                 WHERE conrelid = ?1::text::regclass AND contype = 'c'",
            )
            .unwrap()
            .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for (name, _) in &checks {
            conn.execute_batch(&format!("ALTER TABLE {table} DROP CONSTRAINT {name}"))
                .unwrap();
        }
        conn.execute(sql, []).unwrap();
        for (name, check) in &checks {
            conn.execute_batch(&format!(
                "ALTER TABLE {table} ADD CONSTRAINT {name} {check} NOT VALID"
            ))
            .unwrap();
        }
        return;
    }
    conn.as_sqlite()
        .unwrap()
        .pragma_update(None, "ignore_check_constraints", true)
        .unwrap();
    conn.execute(sql, []).unwrap();
    conn.as_sqlite()
        .unwrap()
        .pragma_update(None, "ignore_check_constraints", false)
        .unwrap();
}

fn cohort_with_participants(conn: &Connection) -> i64 {
    conn.query_row(
        "SELECT cohort_id FROM enrollment WHERE status = 'enrolled' LIMIT 1",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn an_unknown_stored_code_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("codes.sqlite");
    let conn = demo(&path);
    let cohort = cohort_with_participants(&conn);
    tamper(
        &conn,
        "cohort",
        &format!("UPDATE cohort SET status = 'paused' WHERE id = {cohort}"),
    );
    let err = cohorts::list(&conn, &Default::default()).unwrap_err();
    assert!(
        matches!(&err, DbError::UnknownCode { kind: CodeKind::CohortStatus, value } if value == "paused"),
        "{err:?}"
    );
    assert!(
        err.text(Lang::Id).contains("status angkatan"),
        "{}",
        err.text(Lang::Id)
    );
    assert!(
        err.text(Lang::En).contains("'paused'"),
        "{}",
        err.text(Lang::En)
    );
    let (code, _, stderr) = loket(&path, &["cohort", "list"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("'paused'"), "{stderr}");
}

#[test]
fn an_unknown_stored_outcome_stops_the_roster_instead_of_hiding() {
    let dir = tempfile::tempdir().unwrap();
    let conn = demo(&dir.path().join("outcome.sqlite"));
    let cohort = cohort_with_participants(&conn);
    tamper(
        &conn,
        "enrollment",
        &format!("UPDATE enrollment SET outcome = 'graduated' WHERE cohort_id = {cohort}"),
    );
    let err = enrollment::roster(&conn, cohort).unwrap_err();
    assert!(
        matches!(&err, DbError::UnknownCode { kind: CodeKind::Outcome, value } if value == "graduated"),
        "{err:?}"
    );
}

#[test]
fn settings_must_fit_their_kind_when_typed_and_when_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.sqlite");
    let conn = demo(&path);
    let admin = admin(&conn);
    for (key, bad) in [
        (SettingKey::BackupKeep, "empat belas"),
        (SettingKey::DiscountUntil, "31-12-2026"),
        (SettingKey::DiscountExcludedFunding, "apbn,hibah"),
        (SettingKey::UiLang, "jv"),
    ] {
        let err = settings::update(&conn, &admin, key, bad).unwrap_err();
        let said = err.text(Lang::Id);
        assert!(said.contains(key.code()) && said.contains(bad), "{said}");
    }
    settings::update(&conn, &admin, SettingKey::DiscountUntil, "2027-06-30").unwrap();
    // A value written behind loket's back is named when it is read, never replaced by a default.
    settings::set(&conn, SettingKey::DiscountExcludedFunding, "apbn,hibah").unwrap();
    let err = export::contribution_rates(&conn).unwrap_err();
    assert!(
        matches!(&err, DbError::BadSetting { key: SettingKey::DiscountExcludedFunding, value } if value == "apbn,hibah"),
        "{err:?}"
    );
    settings::set(&conn, SettingKey::IdleLockMinutes, "sepuluh").unwrap();
    drop(conn);
    let (code, _, stderr) = loket(&path, &["--as", "sari"]);
    assert_eq!(code, 2, "the terminal UI does not start");
    assert!(
        stderr.contains("session.idle_lock_minutes") && stderr.contains("'sepuluh'"),
        "{stderr}"
    );
}

#[test]
fn refusals_read_as_sentences_in_each_language() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("refusals.sqlite");
    drop(demo(&path));
    // A taken operator name was `Unique { table: "operator", column: "name" }`.
    let (code, _, err) = loket_with(
        &path,
        &["user", "add", "SARI", "--role", "clerk"],
        &[],
        "rahasia123\n",
    );
    assert_eq!(code, 2);
    assert!(err.contains("Nama operator itu sudah dipakai"), "{err}");
    assert!(!err.contains('{') && !err.contains("Unique"), "{err}");
    // A refused permission named its Rust variant in English.
    let (code, _, err) = loket(
        &path,
        &["--as", "sari", "--lang", "en", "user", "unlock", "budi"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("Operator sari (Clerk) may not manage operators"),
        "{err}"
    );
    let (_, _, err) = loket(&path, &["--as", "sari", "user", "unlock", "budi"]);
    assert!(
        err.contains("Operator sari (Petugas) tidak berwenang mengelola operator"),
        "{err}"
    );
    // An entity filter that is not one lists the ones there are instead of showing nothing.
    let (code, _, err) = loket(&path, &["audit", "--entity", "penduduk"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("'penduduk'") && err.contains(Entity::Resident.code()),
        "{err}"
    );
    let (code, out, _) = loket(&path, &["audit", "--entity", "operator", "--limit", "1"]);
    assert_eq!(code, 0);
    assert!(out.contains("operator:"), "{out}");
}
