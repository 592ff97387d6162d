//! Beranda: what the database holds at a glance. The desk search replaces it as the root screen.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::db::stats::Counts;
use crate::ui::keymap::{Binding, Hint, hints};
use crate::ui::text::{Lang, shell};
use crate::ui::{Ctx, Nav, Screen};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {}

const KEYS: &[Binding<Action>] = &[];

pub struct Home {
    counts: Result<Counts, String>,
}

impl Home {
    pub fn new(ctx: &Ctx) -> Home {
        let counts = crate::db::stats::counts(&ctx.conn).map_err(|e| match ctx.lang {
            Lang::Id => e.to_string(),
            Lang::En => e.message_en(),
        });
        Home { counts }
    }
}

impl Screen for Home {
    fn title(&self, lang: Lang) -> String {
        shell::HOME_TITLE.get(lang).to_string()
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        hints(KEYS, lang)
    }
    fn handle_key(&mut self, _key: KeyEvent, _ctx: &mut Ctx) -> Nav {
        Nav::Ignored
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lines = match &self.counts {
            Ok(c) => vec![
                Line::raw(format!("{}: {}", ctx.t(shell::HOME_RESIDENTS), c.residents)),
                Line::raw(format!("{}: {}", ctx.t(shell::HOME_COHORTS), c.cohorts)),
                Line::raw(format!(
                    "{}: {}",
                    ctx.t(shell::HOME_ENROLLED),
                    c.active_enrollments
                )),
            ],
            Err(e) => vec![Line::raw(e.clone())],
        };
        frame.render_widget(Paragraph::new(lines).block(Block::bordered()), area);
    }
}
