//! The TUI frame around every screen, driven without a terminal: title bar, footer, help
//! overlay, menu, "terminal too small", quitting.

mod common;

use std::sync::mpsc;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use loket::db;
use loket::ui::app::{App, Ctx, Event};
use loket::ui::screens::search::SearchScreen;
use loket::ui::text::Lang;

fn app(lang: Lang) -> App {
    let conn = db::create_in_memory().unwrap();
    let actor = db::operators::actor_by_name(&conn, "admin").unwrap();
    let (tx, _rx) = mpsc::channel();
    let ctx = Ctx {
        conn,
        db_path: "/data/loket.sqlite".into(),
        lang,
        actor,
        today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        events: tx,
    };
    let home = Box::new(SearchScreen::new(&ctx));
    App::new(ctx, home)
}

fn press(app: &mut App, code: KeyCode) {
    app.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn draw(app: &mut App, width: u16, height: u16) -> String {
    common::screen_text(app, width, height)
}

#[test]
fn frame_shows_title_operator_and_footer() {
    let mut app = app(Lang::Id);
    let screen = draw(&mut app, 80, 24);
    insta::assert_snapshot!("root_80x24", screen);
    let first = screen.lines().next().unwrap();
    assert!(
        first.contains("Cari penduduk") && first.contains("admin"),
        "{first}"
    );
    assert!(screen.lines().last().unwrap().contains("F1 Bantuan"));
}

#[test]
fn help_opens_and_closes() {
    let mut app = app(Lang::Id);
    press(&mut app, KeyCode::F(1));
    let screen = draw(&mut app, 80, 24);
    assert!(screen.contains("Di semua layar"), "{screen}");
    assert!(screen.contains("Ctrl-Q"));
    press(&mut app, KeyCode::Esc);
    assert!(!draw(&mut app, 80, 24).contains("Di semua layar"));
    // The search field has focus: '?' is text there, F1 still opens help.
    press(&mut app, KeyCode::Char('?'));
    assert!(!draw(&mut app, 80, 24).contains("Di semua layar"));
    press(&mut app, KeyCode::F(1));
    assert!(draw(&mut app, 80, 24).contains("Di semua layar"));
}

#[test]
fn english_is_selectable() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::F(1));
    let screen = draw(&mut app, 80, 24);
    assert!(
        screen.contains("On every screen") && screen.contains("Help"),
        "{screen}"
    );
}

#[test]
fn a_tiny_terminal_says_so() {
    let mut app = app(Lang::Id);
    let screen = draw(&mut app, 60, 12);
    assert!(screen.contains("Terminal terlalu kecil"), "{screen}");
    assert!(screen.contains("60 x 12"), "{screen}");
}

#[test]
fn menu_opens_with_f9_and_escape_closes_it() {
    let mut app = app(Lang::Id);
    press(&mut app, KeyCode::F(9));
    assert_eq!(app.depth(), 2);
    assert!(draw(&mut app, 80, 24).contains("Menu"));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.depth(), 1);
    assert!(!app.quit);
}

#[test]
fn ctrl_q_quits_but_q_in_a_text_field_is_text() {
    let mut app = app(Lang::Id);
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.quit, "q typed into the search field is a letter");
    assert!(draw(&mut app, 80, 24).contains("q"));
    let mut app = self::app(Lang::Id);
    app.handle(Event::Key(KeyEvent::new(
        KeyCode::Char('q'),
        KeyModifiers::CONTROL,
    )));
    assert!(app.quit);
}
