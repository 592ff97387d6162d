//! The TUI frame around every screen, driven without a terminal: title bar, footer, help
//! overlay, menu, "terminal too small", quitting.

mod common;

use crossterm::event::KeyCode;
use loket::ui::app::App;
use loket::ui::screens::search::SearchScreen;
use loket::ui::text::Lang;

fn app(lang: Lang) -> App {
    let conn = common::empty_in_memory();
    let actor = common::actor(&conn, "admin");
    let (ctx, _answers) = common::ctx(conn, actor, lang, common::TODAY);
    let home = Box::new(SearchScreen::new(&ctx));
    App::new(ctx, home)
}

#[test]
fn frame_shows_title_operator_and_footer() {
    let mut app = app(Lang::Id);
    let screen = common::draw(&mut app);
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
    common::press(&mut app, KeyCode::F(1));
    let screen = common::draw(&mut app);
    assert!(screen.contains("Di semua layar"), "{screen}");
    assert!(screen.contains("Ctrl-Q"));
    common::press(&mut app, KeyCode::Esc);
    assert!(!common::draw(&mut app).contains("Di semua layar"));
    // The search field has focus: '?' is text there, F1 still opens help.
    common::press(&mut app, KeyCode::Char('?'));
    assert!(!common::draw(&mut app).contains("Di semua layar"));
    common::press(&mut app, KeyCode::F(1));
    assert!(common::draw(&mut app).contains("Di semua layar"));
}

#[test]
fn english_is_selectable() {
    let mut app = app(Lang::En);
    common::press(&mut app, KeyCode::F(1));
    let screen = common::draw(&mut app);
    assert!(
        screen.contains("On every screen") && screen.contains("Help"),
        "{screen}"
    );
}

#[test]
fn a_tiny_terminal_says_so() {
    let mut app = app(Lang::Id);
    let screen = common::screen_text(&mut app, 60, 12);
    assert!(screen.contains("Terminal terlalu kecil"), "{screen}");
    assert!(screen.contains("60 x 12"), "{screen}");
}

#[test]
fn menu_opens_with_f9_and_escape_closes_it() {
    let mut app = app(Lang::Id);
    common::press(&mut app, KeyCode::F(9));
    assert_eq!(app.depth(), 2);
    assert!(common::draw(&mut app).contains("Menu"));
    common::press(&mut app, KeyCode::Esc);
    assert_eq!(app.depth(), 1);
    assert!(!app.quit);
}

#[test]
fn ctrl_q_quits_but_q_in_a_text_field_is_text() {
    let mut app = app(Lang::Id);
    common::press(&mut app, KeyCode::Char('q'));
    assert!(!app.quit, "q typed into the search field is a letter");
    assert!(common::draw(&mut app).contains("q"));
    let mut app = self::app(Lang::Id);
    common::ctrl(&mut app, 'q');
    assert!(app.quit);
}
