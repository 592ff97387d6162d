//! The TUI driven without a terminal: a context for an `App`, keys pressed as a clerk presses
//! them, and the screen read back as text (what a snapshot shows).

use std::sync::mpsc::{self, Receiver};

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use loket::db::Connection;
use loket::domain::access::Actor;
use loket::ui::app::{App, Ctx, Event};
use loket::ui::text::Lang;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// A context on `conn` for `actor`; workers answer on the returned receiver. The database path
/// shown in the title bar is "/data/loket.sqlite", never the temporary one.
pub fn ctx(conn: Connection, actor: Actor, lang: Lang, today: NaiveDate) -> (Ctx, Receiver<Event>) {
    let (events, answers) = mpsc::channel();
    let ctx = Ctx {
        conn,
        store: loket::db::Store::File("/data/loket.sqlite".into()),
        lang,
        actor,
        today,
        events,
    };
    (ctx, answers)
}

/// Presses one key without modifiers.
pub fn press(app: &mut App, code: KeyCode) {
    press_with(app, code, KeyModifiers::NONE);
}

/// Presses one key with modifiers (`KeyCode::BackTab` with `KeyModifiers::SHIFT`, say).
pub fn press_with(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    app.handle(Event::Key(KeyEvent::new(code, modifiers)));
}

/// Presses Ctrl and a letter.
pub fn ctrl(app: &mut App, letter: char) {
    press_with(app, KeyCode::Char(letter), KeyModifiers::CONTROL);
}

/// Types `text`, one key per character.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// The screen at 80x24 as text.
pub fn draw(app: &mut App) -> String {
    screen_text(app, 80, 24)
}

/// Renders the app at `width` x `height` and returns the screen as text, one line per row,
/// trailing spaces trimmed (what a snapshot shows).
pub fn screen_text(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| app.render(f)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
