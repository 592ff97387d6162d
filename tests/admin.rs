//! Admin in the TUI: operators added with a password typed twice (hidden), passwords set, role
//! changes and disabling only after a confirmation; reference data (instructors with their BNSP
//! certificate, courses, venues) with labelled columns.

mod common;

use common::{TODAY, actor, count, draw, press, screen_text, type_text};
use crossterm::event::KeyCode;
use loket::db::auth;
use loket::db::demo::DemoOptions;
use loket::db::operators;
use loket::domain::access::Role;
use loket::ui::app::{App, Ctx};
use loket::ui::screens::operators::Operators;
use loket::ui::text::Lang;
use std::path::Path;

const DEMO: DemoOptions = DemoOptions {
    residents: 50,
    seed: 1,
    today: TODAY,
};

fn ctx(dir: &Path, operator: &str) -> Ctx {
    let conn = common::demo_db(&dir.join("s.sqlite"), DEMO);
    let actor = actor(&conn, operator);
    common::ctx(conn, actor, Lang::Id, TODAY).0
}

fn operators_app(dir: &Path) -> App {
    let ctx = ctx(dir, "admin");
    let screen = Operators::new(&ctx).unwrap();
    App::new(ctx, Box::new(screen))
}

/// Moves the selection to operator `name`.
fn select(app: &mut App, name: &str) {
    let names: Vec<String> = operators::list(&app.ctx.conn, &app.ctx.actor)
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    let at = names.iter().position(|n| n == name).unwrap();
    press(app, KeyCode::Home);
    for _ in 0..at {
        press(app, KeyCode::Down);
    }
}

/// Whether `password` is operator `name`'s.
fn password_is(app: &App, name: &str, password: &str) -> bool {
    let hash: String = app
        .ctx
        .conn
        .query_row(
            "SELECT password_hash FROM operator WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap();
    auth::verify_password(&hash, password)
}

fn operator(app: &App, name: &str) -> operators::Operator {
    operators::find(&app.ctx.conn, name).unwrap().unwrap()
}

#[test]
fn an_admin_adds_an_operator_with_a_password_typed_twice_and_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = operators_app(dir.path());
    insta::assert_snapshot!("operators_80x24", draw(&mut app));
    press(&mut app, KeyCode::F(2));
    type_text(&mut app, "rina");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "Rina Marlina");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "petugas");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "loket-rina-2026");
    let screen = draw(&mut app);
    assert!(!screen.contains("loket-rina"), "hidden: {screen}");
    assert!(screen.contains("•••••"), "{screen}");
    insta::assert_snapshot!("operator_password_80x24", screen);
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "loket-rina-2026");
    press(&mut app, KeyCode::Enter);
    let rina = operator(&app, "rina");
    assert_eq!(
        (rina.role, rina.full_name.as_str(), rina.has_password),
        (Role::Clerk, "Rina Marlina", true)
    );
    assert!(password_is(&app, "rina", "loket-rina-2026"));
    let screen = draw(&mut app);
    assert!(screen.contains("Operator rina ditambahkan."), "{screen}");
    assert_eq!(
        count(
            &app.ctx.conn,
            "SELECT count(*) FROM audit_log WHERE entity = 'operator' AND action = 'create'"
        ),
        1
    );
}

#[test]
fn two_different_passwords_or_a_short_one_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = operators_app(dir.path());
    select(&mut app, "sari");
    let before = operator(&app, "sari");
    // Too short: told at once, before typing it again.
    press(&mut app, KeyCode::F(6));
    type_text(&mut app, "abc");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.depth(), 1);
    press(&mut app, KeyCode::Esc); // closes the message
    // Two that differ.
    press(&mut app, KeyCode::F(6));
    type_text(&mut app, "sandi-baru-sari");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "sandi-baru-sar1");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.depth(), 1);
    press(&mut app, KeyCode::Esc); // closes the message
    assert_eq!(
        count(
            &app.ctx.conn,
            "SELECT count(*) FROM audit_log WHERE action = 'password_set'"
        ),
        0
    );
    // The same twice: set.
    press(&mut app, KeyCode::F(6));
    type_text(&mut app, "sandi-baru-sari");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "sandi-baru-sari");
    press(&mut app, KeyCode::Enter);
    assert!(draw(&mut app).contains("Kata sandi sari diatur."));
    assert!(password_is(&app, "sari", "sandi-baru-sari"));
    assert_eq!(operator(&app, "sari").role, before.role);
}

#[test]
fn role_changes_and_disabling_ask_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = operators_app(dir.path());
    select(&mut app, "sari");
    assert_eq!(operator(&app, "sari").role, Role::Clerk);
    press(&mut app, KeyCode::F(5));
    let screen = draw(&mut app);
    assert!(screen.contains("Ubah peran sari"), "{screen}");
    insta::assert_snapshot!("operator_confirm_role_80x24", screen);
    press(&mut app, KeyCode::Esc);
    assert_eq!(
        operator(&app, "sari").role,
        Role::Clerk,
        "Esc changes nothing"
    );
    press(&mut app, KeyCode::F(5));
    press(&mut app, KeyCode::Enter);
    assert_eq!(operator(&app, "sari").role, Role::Supervisor);

    press(&mut app, KeyCode::F(3));
    assert!(draw(&mut app).contains("Nonaktifkan sari?"));
    press(&mut app, KeyCode::Esc);
    assert!(operator(&app, "sari").active);
    press(&mut app, KeyCode::F(3));
    press(&mut app, KeyCode::Enter);
    assert!(!operator(&app, "sari").active);
    let wide = screen_text(&mut app, 160, 48);
    let line = wide.lines().find(|l| l.contains("sari")).unwrap();
    assert!(line.contains("nonaktif"), "{line}");
}

// --- reference data ---------------------------------------------------------------------------

mod reference {
    use super::*;
    use loket::db::reference_admin;
    use loket::ui::screens::reference::Reference;

    fn app(dir: &Path) -> App {
        let ctx = ctx(dir, "budi");
        let screen = Reference::new(&ctx).unwrap();
        App::new(ctx, Box::new(screen))
    }

    /// Tab to the n-th list: 0 holidays, 1 settings, 2 instructors, 3 courses, 4 venues.
    fn tab(app: &mut App, n: usize) {
        for _ in 0..n {
            press(app, KeyCode::Tab);
        }
    }

    /// Answers each prompt of a form in turn.
    fn answer(app: &mut App, answers: &[&str]) {
        for a in answers {
            type_text(app, a);
            press(app, KeyCode::Enter);
        }
    }

    #[test]
    fn an_instructor_is_added_with_a_certificate_and_flagged_outside_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path());
        tab(&mut app, 2);
        let screen = draw(&mut app);
        for header in ["Nama", "Sertifikat", "No. BNSP", "Berlaku s.d."] {
            assert!(screen.contains(header), "{header}: {screen}");
        }
        press(&mut app, KeyCode::F(2));
        assert!(draw(&mut app).contains("(1/4)"));
        answer(
            &mut app,
            &["Dewi Lestari", "TBS", "BNSP-12345-2026", "2028-06-30"],
        );
        let dewi: (i64, Option<String>, Option<String>, Option<String>) = app
            .ctx
            .conn
            .query_row(
                "SELECT id, course_code, bnsp_cert_no, bnsp_expiry FROM instructor WHERE name = 'Dewi Lestari'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            (dewi.1.as_deref(), dewi.2.as_deref(), dewi.3.as_deref()),
            (Some("TBS"), Some("BNSP-12345-2026"), Some("2028-06-30"))
        );
        // An unknown course is refused, nothing added.
        press(&mut app, KeyCode::F(2));
        answer(&mut app, &["Eko", "XYZ", "", ""]);
        press(&mut app, KeyCode::Esc); // closes the message
        assert_eq!(
            count(
                &app.ctx.conn,
                "SELECT count(*) FROM instructor WHERE name = 'Eko'"
            ),
            0
        );
        // Teaching a planned cohort of another course is flagged on the list.
        let (cohort, course): (String, String) = app
            .ctx
            .conn
            .query_row(
                "SELECT c.code, co.code FROM cohort c JOIN course co ON co.id = c.course_id
                 WHERE c.status IN ('draft', 'open') AND co.code <> 'TBS' ORDER BY c.code LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        app.ctx
            .conn
            .execute(
                "UPDATE cohort SET instructor_id = ?1 WHERE code = ?2",
                loket::db::sql::params![dewi.0, cohort],
            )
            .unwrap();
        let flagged = reference_admin::uncertified_cohorts(&app.ctx.conn).unwrap();
        assert_eq!(
            flagged.get(&dewi.0),
            Some(&vec![cohort.clone()]),
            "{course}"
        );
        // F4 on Dewi, every field kept (Enter): saved as it was, and the list reloads.
        let at = reference_admin::instructors(&app.ctx.conn)
            .unwrap()
            .iter()
            .position(|i| i.id == dewi.0)
            .unwrap();
        press(&mut app, KeyCode::Home);
        for _ in 0..at {
            press(&mut app, KeyCode::Down);
        }
        press(&mut app, KeyCode::F(4));
        assert!(draw(&mut app).contains("Dewi Lestari"), "prefilled");
        answer(&mut app, &["", "", "", ""]);
        let wide = screen_text(&mut app, 160, 48);
        let line = wide.lines().find(|l| l.contains("Dewi Lestari")).unwrap();
        assert!(
            line.contains(&format!("di luar sertifikat: {cohort}")),
            "{line}"
        );
    }

    #[test]
    fn courses_and_venues_are_added_and_edited_with_labelled_columns() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path());
        tab(&mut app, 3);
        let screen = draw(&mut app);
        insta::assert_snapshot!("reference_courses_80x24", screen);
        for header in ["Kode", "Nama", "Hari", "Min/kap.", "Umur"] {
            assert!(screen.contains(header), "{header}: {screen}");
        }
        press(&mut app, KeyCode::F(2));
        answer(
            &mut app,
            &["KPI", "Barista Kopi", "20", "16", "8", "18", "35"],
        );
        let course: (String, u32, u32, u32) = app
            .ctx
            .conn
            .query_row(
                "SELECT name, working_days, capacity, min_participants FROM course WHERE code = 'KPI'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(course, ("Barista Kopi".into(), 20, 16, 8));
        // A minimum above the capacity is refused.
        press(&mut app, KeyCode::F(2));
        answer(
            &mut app,
            &["BRT", "Bartender", "20", "10", "12", "18", "35"],
        );
        let told = draw(&mut app);
        assert!(
            told.contains("Peserta minimal: 1 sampai kapasitas."),
            "{told}"
        );
        press(&mut app, KeyCode::Esc); // closes the message
        assert_eq!(
            count(
                &app.ctx.conn,
                "SELECT count(*) FROM course WHERE code = 'BRT'"
            ),
            0
        );

        tab(&mut app, 1);
        let screen = draw(&mut app);
        for header in ["Kode", "Nama", "Jenis", "Desa", "Per minggu"] {
            assert!(screen.contains(header), "{header}: {screen}");
        }
        // Enter edits the first venue: Enter keeps a field as it was, typing replaces it.
        let (code, name): (String, String) = app
            .ctx
            .conn
            .query_row(
                "SELECT code, name FROM venue ORDER BY kind, name LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        press(&mut app, KeyCode::Enter);
        let prompt = draw(&mut app);
        assert!(prompt.contains(&code), "prefilled: {prompt}");
        press(&mut app, KeyCode::Enter); // code kept
        press(&mut app, KeyCode::Enter); // name kept
        press(&mut app, KeyCode::Enter); // kind kept
        press(&mut app, KeyCode::Enter); // desa kept
        type_text(&mut app, "6");
        press(&mut app, KeyCode::Enter);
        let after: (String, u32) = app
            .ctx
            .conn
            .query_row(
                "SELECT name, days_per_week FROM venue WHERE code = ?1",
                [&code],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(after, (name, 6));
        assert_eq!(
            count(
                &app.ctx.conn,
                "SELECT count(*) FROM audit_log WHERE entity IN ('course', 'venue')"
            ),
            2
        );
    }
}
