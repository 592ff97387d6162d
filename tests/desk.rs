//! The walk-in desk: db::residents rules on real databases (SQLite files, or the PostgreSQL test
//! server under `LOKET_TEST_STORE=postgres`), and the search, resident and form screens on a
//! TestBackend at 80x24 (insta snapshots, the same on both stores).

mod common;

use std::path::PathBuf;

use chrono::NaiveDate;
use common::desk::Desk;
use crossterm::event::KeyCode;
use loket::db;
use loket::db::Connection;
use loket::db::residents::{self, ResidentError};
use loket::domain::resident::{DraftText, Field, ResidentProblem, Rules, ValidResident, validate};

fn today() -> NaiveDate {
    common::date(2026, 3, 2)
}

/// The demo with 300 residents on these tests' today, closed, in its own directory.
fn demo_db() -> (tempfile::TempDir, PathBuf) {
    common::demo_file(today())
}

/// A valid draft: a NIK registered in Balaraja (36.03.01), a man born 1990-05-17.
fn input(nik: &str, name: &str) -> DraftText {
    let mut text = DraftText::default();
    for (field, value) in [
        (Field::Nik, nik),
        (Field::Kk, "3603011234567890"),
        (Field::Name, name),
        (Field::Sex, "L"),
        (Field::BirthPlace, "TANGERANG"),
        (Field::BirthDate, "17-05-1990"),
        (Field::Address, "Kp. Baru No. 1"),
        (Field::Rt, "001"),
        (Field::Rw, "002"),
        (Field::Village, "36.03.01.2003"),
        (Field::Phone, "081234567890"),
        (Field::Education, "5"),
        (Field::Employment, "PHK"),
        (Field::Desil, "2"),
        (Field::DesilSource, "DTSEN"),
        (Field::DesilAsOf, "30-06-2025"),
        (Field::Stunting, "y"),
        (Field::Disability, "t"),
    ] {
        text.set(field, value);
    }
    text
}

/// The draft checked against the database's kecamatan and desa, as the form checks it.
fn check(conn: &Connection, text: &DraftText) -> Result<ValidResident, Vec<ResidentProblem>> {
    let districts = db::reference::district_names(conn).unwrap();
    let villages = |code: &str| residents::village(conn, code).unwrap().is_some();
    validate(
        &text.draft(),
        &Rules {
            today: today(),
            districts: &districts,
            villages: &villages,
        },
    )
}

fn audit_count(conn: &Connection, action: &str, id: i64) -> i64 {
    conn.query_row(
        "SELECT count(*) FROM audit_log WHERE action = ?1 AND entity = 'resident' AND entity_id = ?2",
        loket::db::sql::params![action, id.to_string()],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn register_checks_nik_mismatch_duplicates_and_audits() {
    let (_dir, path) = demo_db();
    let conn = common::store::open(&path);
    let clerk = common::actor(&conn, "sari");
    // impossible birth date in the NIK: refused
    let bad = check(&conn, &input("3603013205900001", "MUHAMMAD RIZKI"));
    assert!(
        matches!(
            bad.as_ref().map_err(Vec::as_slice),
            Err([ResidentProblem::Nik(_)])
        ),
        "{bad:?}"
    );
    // NIK says 1990-05-18, the KTP 1990-05-17: warning until confirmed
    let mut rizki = input("3603011805900001", "Muhammad  Rizki");
    let unconfirmed = check(&conn, &rizki);
    assert!(
        matches!(
            unconfirmed.as_ref().map_err(Vec::as_slice),
            Err([ResidentProblem::Mismatch(_)])
        ),
        "{unconfirmed:?}"
    );
    rizki.mismatch_confirmed = true;
    let rizki = check(&conn, &rizki).unwrap();
    let id = residents::insert(&conn, &clerk, &rizki, false).unwrap();
    let stored = residents::get(&conn, id).unwrap().unwrap();
    assert_eq!(stored.name, "MUHAMMAD RIZKI");
    assert!(stored.nik_mismatch_confirmed);
    assert_eq!(audit_count(&conn, "create", id), 1);
    // found again by a misspelled name
    let hits = residents::search(&conn, "moch rizky", 51).unwrap();
    assert!(hits.iter().any(|h| h.id == id));
    // the same NIK again: refused, naming the holder
    match residents::insert(&conn, &clerk, &rizki, true) {
        Err(ResidentError::NikTaken { id: holder, name }) => {
            assert_eq!(holder, id);
            assert_eq!(name, "MUHAMMAD RIZKI");
        }
        other => panic!("{other:?}"),
    }
    // another NIK, same name key and birth date: listed as a likely duplicate
    let mut twin = input("3603011705900002", "MOCH. RIZKY");
    match residents::insert(&conn, &clerk, &check(&conn, &twin).unwrap(), false) {
        Err(ResidentError::LikelyDuplicates(list)) => assert!(list.iter().any(|h| h.id == id)),
        other => panic!("{other:?}"),
    }
    // same KK and a similar name, other birth date: also listed
    twin.set(Field::Nik, "3603011706900003");
    twin.set(Field::BirthDate, "17-06-1990");
    twin.set(Field::Name, "MUHAMAD RIZKIE");
    let twin = check(&conn, &twin).unwrap();
    assert!(matches!(
        residents::insert(&conn, &clerk, &twin, false),
        Err(ResidentError::LikelyDuplicates(_))
    ));
    let twin_id = residents::insert(&conn, &clerk, &twin, true).unwrap();
    assert_eq!(
        residents::family(&conn, "3603011234567890", twin_id)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn edits_are_audited_with_before_and_after_and_nik_views_recorded() {
    let (_dir, path) = demo_db();
    let conn = common::store::open(&path);
    let clerk = common::actor(&conn, "sari");
    let id: i64 = conn
        .query_row("SELECT min(id) FROM resident", [], |r| r.get(0))
        .unwrap();
    let before = residents::get(&conn, id).unwrap().unwrap();
    let mut changed = before.to_draft();
    changed.set(Field::Phone, "0898-7654-3210");
    let changed = check(&conn, &changed).unwrap();
    residents::update(&conn, &clerk, id, &changed, false).unwrap();
    let after = residents::get(&conn, id).unwrap().unwrap();
    assert_eq!(after.phone, "089876543210");
    // Every other stored column is written back as it was.
    assert_eq!(
        (
            &after.nik,
            &after.kk,
            &after.name,
            after.birth_date,
            &after.village_code,
            &after.rt
        ),
        (
            &before.nik,
            &before.kk,
            &before.name,
            before.birth_date,
            &before.village_code,
            &before.rt
        )
    );
    assert_eq!(
        (after.desil, &after.desil_source, after.desil_as_of),
        (before.desil, &before.desil_source, before.desil_as_of)
    );
    let (b, a): (String, String) = conn
        .query_row(
            "SELECT before_json, after_json FROM audit_log WHERE action = 'update' AND entity_id = ?1",
            [id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(b.contains(&before.phone) && a.contains("089876543210"));
    // taking another resident's NIK is refused
    let other: String = conn
        .query_row(
            "SELECT nik FROM resident WHERE id <> ?1 LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    let mut steal = after.to_draft();
    steal.set(Field::Nik, other);
    steal.mismatch_confirmed = true;
    let steal = check(&conn, &steal).unwrap();
    assert!(matches!(
        residents::update(&conn, &clerk, id, &steal, true),
        Err(ResidentError::NikTaken { .. })
    ));
    residents::record_nik_view(&conn, &clerk, id).unwrap();
    assert_eq!(audit_count(&conn, "view_nik", id), 1);
}

// ---- screens ----

/// The desk search on this file's demo, as the clerk sari.
fn open_desk() -> (tempfile::TempDir, Desk) {
    let (dir, path) = demo_db();
    let desk = Desk::on(&path, "sari", today());
    (dir, desk)
}

#[test]
fn search_screen_empty_results_and_no_result() {
    let (_dir, mut desk) = open_desk();
    insta::assert_snapshot!("search_empty", desk.settle());
    desk.type_text("3603 02");
    let results = desk.settle();
    assert!(results.contains("3603 02••"), "{results}");
    insta::assert_snapshot!("search_results", results);
    desk.key(KeyCode::Esc);
    desk.type_text("wahy firm");
    let names = desk.settle();
    assert!(names.contains("WAHYU FIRMANSYAH"), "{names}");
    desk.key(KeyCode::Esc);
    desk.type_text("zzzq");
    insta::assert_snapshot!("search_no_result", desk.settle());
}

#[test]
fn resident_screen_shows_full_nik_history_and_family() {
    let (_dir, mut desk) = open_desk();
    // a resident with an enrollment and family on the same KK
    let nik: String = desk
        .app
        .ctx
        .conn
        .query_row(
            "SELECT r.nik FROM resident r JOIN enrollment e ON e.resident_id = r.id
             WHERE (SELECT count(*) FROM resident f WHERE f.kk = r.kk) > 1 ORDER BY r.id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    desk.type_text(&nik);
    desk.settle();
    desk.key(KeyCode::Enter);
    let screen = desk.render();
    assert!(
        screen.contains(&loket::domain::nik::format_nik(&nik)),
        "{screen}"
    );
    insta::assert_snapshot!("resident", screen);
    let views: i64 = desk
        .app
        .ctx
        .conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'view_nik'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(views, 1);
    desk.key(KeyCode::Esc);
    assert_eq!(desk.app.depth(), 1);
}

#[test]
fn form_shows_validation_errors_and_keeps_what_was_typed() {
    let (_dir, mut desk) = open_desk();
    desk.type_text("rahmat hidayat zzz");
    desk.settle();
    desk.key(KeyCode::F(2));
    // the typed name was carried in; focus is on the NIK
    desk.type_text("3603013205900001");
    desk.key(KeyCode::Tab);
    desk.type_text("12345");
    desk.key(KeyCode::F(10));
    let screen = desk.render();
    assert!(screen.contains("RAHMAT HIDAYAT ZZZ"), "{screen}");
    insta::assert_snapshot!("form_errors", screen);
    let count: i64 = desk
        .app
        .ctx
        .conn
        .query_row("SELECT count(*) FROM resident", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 300);
    // Esc asks first, because something was typed
    desk.shift_tab();
    desk.key(KeyCode::Esc);
    assert!(desk.render().contains("Batalkan isian?"));
    desk.key(KeyCode::Esc);
    assert_eq!(desk.app.depth(), 2);
}
