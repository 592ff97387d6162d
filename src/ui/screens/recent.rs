//! Terakhir dibuka: the residents this operator opened last at the counter (F3 from the desk
//! search), newest first, listed as the search lists them (NIK masked). They come from the
//! operator's own `view_nik` audit rows (`db::residents::recently_opened`), so nothing about
//! who was looked at is stored twice; opening one is a view like any other, audited again.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Row, Table};

use super::resident::ResidentScreen;
use crate::db::residents::{self, ResidentHit};
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::text::{Lang, Localized, desk as text};
use crate::ui::widgets::ListNav;
use crate::ui::{Ctx, Nav, Reply, Screen, theme};

/// How many residents the list holds.
const RECENT_LIMIT: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Open,
    Enroll,
    Back,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Enter, Action::Open, "Enter", text::OPEN_RESIDENT),
    Binding::new(KeyCode::F(4), Action::Enroll, "F4", text::ENROLL),
    Binding::new(KeyCode::Esc, Action::Back, "Esc", text::BACK),
];

pub struct Recent {
    hits: Vec<ResidentHit>,
    list: ListNav,
}

impl Recent {
    pub fn new(ctx: &Ctx) -> Result<Recent, String> {
        let mut recent = Recent {
            hits: Vec::new(),
            list: ListNav::new(),
        };
        recent.reload(ctx)?;
        Ok(recent)
    }

    fn reload(&mut self, ctx: &Ctx) -> Result<(), String> {
        self.hits = residents::recently_opened(&ctx.conn, &ctx.actor, RECENT_LIMIT)
            .map_err(|e| e.text(ctx.lang))?;
        self.list.set_len(self.hits.len());
        Ok(())
    }

    fn selected(&self) -> Option<i64> {
        self.list
            .selected()
            .and_then(|i| self.hits.get(i))
            .map(|h| h.id)
    }
}

impl Screen for Recent {
    fn title(&self, lang: Lang) -> String {
        text::RECENT_TITLE.get(lang).to_string()
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        let mut all = hints(KEYS, lang);
        all.extend(self.list.hints(lang));
        all
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        match lookup(KEYS, &key) {
            Some(Action::Open) => match self.selected() {
                Some(id) => match ResidentScreen::open(ctx, id) {
                    Ok(screen) => Nav::Push(Box::new(screen)),
                    Err(message) => Nav::Error(message),
                },
                None => Nav::Stay,
            },
            Some(Action::Enroll) => match self.selected() {
                Some(id) => super::enroll::open(ctx, id),
                None => Nav::Stay,
            },
            Some(Action::Back) => Nav::Pop,
            None if self.list.handle_key(&key) => Nav::Stay,
            None => Nav::Ignored,
        }
    }
    fn resumed(&mut self, ctx: &mut Ctx) -> Nav {
        match self.reload(ctx) {
            Ok(()) => Nav::Stay,
            Err(message) => Nav::Error(message),
        }
    }
    fn handle_reply(&mut self, reply: Reply, _ctx: &mut Ctx) -> Nav {
        match reply {
            Reply::WalkInDone => Nav::PopWith(Reply::WalkInDone),
            _ => Nav::Stay,
        }
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let block = Block::bordered().title(format!(" {} ", ctx.t(text::RECENT_TITLE)));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [note, table_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
        frame.render_widget(
            Paragraph::new(Line::styled(ctx.t(text::RECENT_NOTE), theme::muted())),
            note,
        );
        if self.hits.is_empty() {
            frame.render_widget(
                Paragraph::new(Line::styled(ctx.t(text::RECENT_EMPTY), theme::muted())),
                table_area,
            );
            return;
        }
        let rows: Vec<Row> = self
            .hits
            .iter()
            .map(|h| Row::new(super::search::hit_cells(h, None, ctx.today)))
            .collect();
        let header = Row::new(vec![
            "",
            "NIK",
            ctx.t(text::COL_NAME),
            ctx.t(text::COL_SEX),
            ctx.t(text::COL_AGE),
            ctx.t(text::COL_VILLAGE),
        ])
        .style(theme::header());
        let table = Table::new(
            rows,
            [
                Constraint::Length(2),
                Constraint::Length(19),
                Constraint::Fill(3),
                Constraint::Length(2),
                Constraint::Length(4),
                Constraint::Fill(2),
            ],
        )
        .header(header)
        .row_highlight_style(theme::selected());
        self.list
            .set_page(usize::from(table_area.height.saturating_sub(1)));
        self.list.render_table(frame, table, table_area);
        self.list
            .place_cursor(frame, table_area.x, table_area.y + 1, table_area);
    }
}
