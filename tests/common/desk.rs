//! The desk as a clerk uses it, without a terminal: the `App` on a database file with the desk
//! search as its root (its worker answering on the test's channel), keys pressed one by one, and
//! the screen read back at 80x24 or any size with the search's timings masked.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyModifiers};

use loket::ui::app::{App, Event};
use loket::ui::screens::search::SearchScreen;
use loket::ui::text::Lang;

pub struct Desk {
    pub app: App,
    pub events: Receiver<Event>,
}

impl Desk {
    /// The desk search on `path` for `operator`, in Indonesian, on `today`. The title bar shows
    /// "desk.sqlite" (the temporary path would change every run).
    pub fn on(path: &Path, operator: &str, today: NaiveDate) -> Desk {
        let conn = super::store::open(path);
        let actor = super::actor(&conn, operator);
        let (mut ctx, events) = super::ctx(conn, actor, Lang::Id, today);
        // the search worker opens its own connection on this store
        ctx.store = super::store::store_of(path);
        let root = Box::new(SearchScreen::new(&ctx));
        let mut app = App::new(ctx, root);
        app.ctx.store = loket::db::Store::File(PathBuf::from("desk.sqlite"));
        Desk { app, events }
    }

    pub fn key(&mut self, code: KeyCode) {
        super::press(&mut self.app, code);
    }

    pub fn shift_tab(&mut self) {
        super::press_with(&mut self.app, KeyCode::BackTab, KeyModifiers::SHIFT);
    }

    pub fn ctrl(&mut self, letter: char) {
        super::ctrl(&mut self.app, letter);
    }

    pub fn type_text(&mut self, text: &str) {
        super::type_text(&mut self.app, text);
    }

    /// The screen at 80x24, timings masked.
    pub fn render(&mut self) -> String {
        without_timing(&super::draw(&mut self.app))
    }

    /// The screen at `width` x `height`, timings masked.
    pub fn render_at(&mut self, width: u16, height: u16) -> String {
        without_timing(&super::screen_text(&mut self.app, width, height))
    }

    /// Feeds worker answers until the search screen no longer waits (no sleeping: blocks on the
    /// channel, with a generous deadline against a hang).
    pub fn settle(&mut self) -> String {
        loop {
            let screen = self.render();
            if !screen.contains("Mencari...") {
                return screen;
            }
            let event = self
                .events
                .recv_timeout(Duration::from_secs(30))
                .expect("search worker answers");
            self.app.handle(event);
        }
    }
}

/// "· 1.3 ms" -> "· N ms": the query time differs between runs.
pub fn without_timing(screen: &str) -> String {
    screen
        .lines()
        .map(|line| match (line.find("· "), line.find(" ms")) {
            (Some(a), Some(b))
                if a < b
                    && line[a + "· ".len()..b]
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == '.') =>
            {
                format!("{}· N{}", &line[..a], &line[b..])
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
