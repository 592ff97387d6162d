//! Daftar tunggu of one cohort, in promotion order, each position explained: balita stunting in
//! the household, the DTSEN desil, the time of registration (DOMAIN.md: "Priority groups").
//! Read-only; the order itself is `domain::enrollment::waitlist_cmp`. Never writes SQL.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table};

use crate::db::cohorts::{self, CohortRow};
use crate::db::enrollment::{self, WaitlistRow};
use crate::db::{DbError, Missing};
use crate::domain::nik::mask_nik;
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::text::{Lang, Localized, cohorts as text};
use crate::ui::widgets::ListNav;
use crate::ui::{Ctx, Nav, Screen, theme};

/// Opens the waitlist of a cohort.
pub fn open(ctx: &mut Ctx, cohort_id: i64) -> Nav {
    match WaitlistScreen::new(ctx, cohort_id) {
        Ok(screen) => Nav::Push(Box::new(screen)),
        Err(message) => Nav::Error(message),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Back,
}

const KEYS: &[Binding<Action>] = &[Binding::new(
    KeyCode::Esc,
    Action::Back,
    "Esc",
    text::KEY_BACK,
)];

pub struct WaitlistScreen {
    cohort: CohortRow,
    rows: Vec<WaitlistRow>,
    list: ListNav,
}

impl WaitlistScreen {
    pub fn new(ctx: &Ctx, cohort_id: i64) -> Result<WaitlistScreen, String> {
        let err = |e: DbError| e.text(ctx.lang);
        let cohort = cohorts::get(&ctx.conn, cohort_id)
            .map_err(err)?
            .ok_or_else(|| err(DbError::Missing(Missing::Cohort(cohort_id))))?;
        let rows = enrollment::waitlist(&ctx.conn, cohort_id).map_err(err)?;
        let mut list = ListNav::new();
        list.set_len(rows.len());
        Ok(WaitlistScreen { cohort, rows, list })
    }
}

impl Screen for WaitlistScreen {
    fn title(&self, lang: Lang) -> String {
        format!("{}: {}", text::WAITLIST_TITLE.get(lang), self.cohort.code)
    }

    fn hints(&self, lang: Lang) -> Vec<Hint> {
        let mut all = hints(KEYS, lang);
        all.extend(self.list.hints(lang));
        all
    }

    fn handle_key(&mut self, key: KeyEvent, _ctx: &mut Ctx) -> Nav {
        match lookup(KEYS, &key) {
            Some(Action::Back) => Nav::Pop,
            None if self.list.handle_key(&key) => Nav::Stay,
            None => Nav::Ignored,
        }
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let c = &self.cohort;
        let block = Block::bordered().title(format!(" {} ", self.title(lang)));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [head, body] =
            Layout::vertical([Constraint::Length(3), Constraint::Min(0)]).areas(inner);
        frame.render_widget(
            Paragraph::new(vec![
                Line::raw(format!(
                    "{} | {} | {}",
                    c.course,
                    c.place(),
                    text::short_dates(c.start_date, c.end_date)
                )),
                Line::raw(text::seats_summary(
                    lang,
                    c.enrolled,
                    c.capacity,
                    c.waitlisted,
                )),
                Line::styled(text::WAITLIST_RULE.get(lang), theme::muted()),
            ]),
            head,
        );
        if self.rows.is_empty() {
            frame.render_widget(
                Paragraph::new(text::WAITLIST_EMPTY.get(lang)).style(theme::muted()),
                body,
            );
            frame.set_cursor_position((body.x, body.y));
            return;
        }
        let header = Row::new(vec![
            Cell::from(text::COL_POS.get(lang)),
            Cell::from(text::COL_NAME.get(lang)),
            Cell::from(text::COL_NIK.get(lang)),
            Cell::from(text::COL_STUNTING.get(lang)),
            Cell::from(text::COL_DESIL.get(lang)),
            Cell::from(text::COL_REGISTERED.get(lang)),
        ])
        .style(theme::header());
        let rows: Vec<Row> = self
            .rows
            .iter()
            .map(|w| {
                Row::new(vec![
                    Cell::from(w.reason.position.to_string()),
                    Cell::from(w.name.clone()),
                    Cell::from(mask_nik(&w.nik)),
                    Cell::from(if w.reason.stunting_household {
                        text::YES.get(lang)
                    } else {
                        ""
                    }),
                    Cell::from(
                        w.reason
                            .desil
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| "-".into()),
                    ),
                    // "YYYY-MM-DD HH:MM" of the stored "YYYY-MM-DD HH:MM:SS"
                    Cell::from(w.reason.registered_at.chars().take(16).collect::<String>()),
                ])
            })
            .collect();
        let table = Table::new(
            rows,
            [
                Constraint::Length(3),
                Constraint::Min(16),
                Constraint::Length(19),
                Constraint::Length(8),
                Constraint::Length(5),
                Constraint::Length(16),
            ],
        )
        .header(header)
        .row_highlight_style(theme::selected());
        self.list.render_table(frame, table, body);
        self.list.place_cursor(frame, body.x, body.y + 1, body);
    }
}
