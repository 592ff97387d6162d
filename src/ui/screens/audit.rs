//! Jejak audit browser (supervisors): filter by operator, entity and dates; pages of rows
//! newest first, keyset-paged (each page asks for ids below the last one shown); the values
//! before and after of the selected row below the list. Read-only: audit rows are never edited.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

use crate::db::audit::{self, AuditFilter, AuditRow, Entity};
use crate::domain::person::parse_date_flexible;
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::text::{Lang, Localized, Msg, auth as text};
use crate::ui::widgets::{ListNav, Move, TextField};
use crate::ui::{Ctx, Nav, Screen, theme};

/// Rows per page.
pub const PAGE_SIZE: i64 = 100;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Apply,
    Focus,
    Move(Move),
    NextPage,
    PrevPage,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Enter, Action::Apply, "Enter", text::APPLY),
    Binding::new(KeyCode::Tab, Action::Focus, "Tab", text::FOCUS_LIST),
    Binding::new(KeyCode::PageDown, Action::NextPage, "PgDn", text::NEXT_PAGE),
    Binding::new(KeyCode::PageUp, Action::PrevPage, "PgUp", text::PREV_PAGE),
    Binding::new(KeyCode::Up, Action::Move(Move::Up), "↑", text::UP).help_only(),
    Binding::new(KeyCode::Down, Action::Move(Move::Down), "↓", text::DOWN).help_only(),
];

const FILTERS: [Msg; 4] = [
    text::FILTER_OPERATOR,
    text::FILTER_ENTITY,
    text::FILTER_FROM,
    text::FILTER_TO,
];
/// Focus index of the list (0..4 are the filter fields).
const LIST: usize = 4;

pub struct AuditBrowser {
    inputs: [TextField; 4],
    focus: usize,
    filter: AuditFilter,
    rows: Vec<AuditRow>,
    /// `before_id` of every page shown so far; the last is the current page's.
    pages: Vec<Option<i64>>,
    list: ListNav,
    message: Option<String>,
}

impl AuditBrowser {
    pub fn new(ctx: &Ctx) -> Result<AuditBrowser, String> {
        let mut screen = AuditBrowser {
            inputs: Default::default(),
            focus: LIST,
            filter: AuditFilter::default(),
            rows: Vec::new(),
            pages: vec![None],
            list: ListNav::new(),
            message: None,
        };
        screen.load(ctx)?;
        Ok(screen)
    }

    fn load(&mut self, ctx: &Ctx) -> Result<(), String> {
        let before = self.pages.last().copied().flatten();
        let rows = audit::list(&ctx.conn, &ctx.actor, &self.filter, before, PAGE_SIZE)
            .map_err(|e| e.text(ctx.lang))?;
        self.rows = rows;
        self.list.reset(self.rows.len());
        Ok(())
    }

    fn apply(&mut self, ctx: &Ctx) -> Nav {
        let date = |s: &str| -> Result<Option<chrono::NaiveDate>, ()> {
            if s.trim().is_empty() {
                Ok(None)
            } else {
                parse_date_flexible(s).map(Some).ok_or(())
            }
        };
        let (Ok(from), Ok(to)) = (date(self.inputs[2].text()), date(self.inputs[3].text())) else {
            self.message = Some(ctx.t(text::BAD_DATE).to_string());
            return Nav::Stay;
        };
        let entity = match self.inputs[1].text().trim() {
            "" => None,
            typed => match typed.parse::<Entity>() {
                Ok(entity) => Some(entity),
                Err(_) => {
                    self.message = Some(text::unknown_entity(ctx.lang, typed));
                    return Nav::Stay;
                }
            },
        };
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        self.filter = AuditFilter {
            operator: text(self.inputs[0].text()),
            entity,
            from,
            to,
        };
        self.message = None;
        self.pages = vec![None];
        self.focus = LIST;
        match self.load(ctx) {
            Ok(()) => Nav::Stay,
            Err(e) => Nav::Error(e),
        }
    }

    fn page(&mut self, ctx: &Ctx, forward: bool) -> Nav {
        if forward {
            // A short page is the last one.
            let Some(last) = self
                .rows
                .last()
                .filter(|_| self.rows.len() as i64 == PAGE_SIZE)
            else {
                return Nav::Stay;
            };
            self.pages.push(Some(last.id));
        } else if self.pages.len() > 1 {
            self.pages.pop();
        } else {
            return Nav::Stay;
        }
        match self.load(ctx) {
            Ok(()) => Nav::Stay,
            Err(e) => Nav::Error(e),
        }
    }
}

impl Screen for AuditBrowser {
    fn title(&self, lang: Lang) -> String {
        text::AUDIT_TITLE.get(lang).to_string()
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        hints(KEYS, lang)
    }
    fn captures_text(&self) -> bool {
        self.focus < LIST
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        match lookup(KEYS, &key) {
            Some(Action::Apply) => return self.apply(ctx),
            Some(Action::Focus) => self.focus = (self.focus + 1) % (LIST + 1),
            Some(Action::Move(step)) if self.focus == LIST => self.list.go(step),
            Some(Action::NextPage) => return self.page(ctx, true),
            Some(Action::PrevPage) => return self.page(ctx, false),
            Some(Action::Move(_)) => {}
            None if self.focus < LIST && self.inputs[self.focus].handle(&key).used() => {}
            None => return Nav::Ignored,
        }
        Nav::Stay
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let [filters, list, detail] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Min(5),
            Constraint::Length(6),
        ])
        .areas(area);
        // Filter fields side by side: label and value.
        let cells = Layout::horizontal([Constraint::Ratio(1, 4); 4]).split(filters);
        for (i, cell) in cells.iter().enumerate() {
            let style = if i == self.focus {
                theme::focused()
            } else {
                Style::new()
            };
            let block = Block::bordered()
                .title(ctx.t(FILTERS[i]))
                .border_style(style);
            let inner = block.inner(*cell);
            frame.render_widget(block, *cell);
            self.inputs[i].render(frame, inner, Style::new(), i == self.focus);
        }
        let header = Row::new(
            [
                text::COL_TIME,
                text::COL_OPERATOR,
                text::COL_ACTION,
                text::COL_ENTITY,
            ]
            .map(|m| Cell::from(ctx.t(m))),
        )
        .style(theme::header());
        let rows = self.rows.iter().map(|r| {
            Row::new([
                Cell::from(r.at.clone()),
                Cell::from(r.operator_name.clone()),
                Cell::from(r.action.code()),
                Cell::from(if r.entity_id.is_empty() {
                    r.entity.code().to_string()
                } else {
                    format!("{}:{}", r.entity.code(), r.entity_id)
                }),
            ])
        });
        let page_title = format!(" {} {} ", ctx.t(text::PAGE), self.pages.len());
        let table = Table::new(
            rows,
            [
                Constraint::Length(19),
                Constraint::Length(14),
                Constraint::Length(14),
                Constraint::Min(10),
            ],
        )
        .header(header)
        .block(Block::bordered().title(page_title))
        .row_highlight_style(theme::selected());
        self.list.render_table(frame, table, list);
        if self.focus == LIST {
            self.list.place_cursor(frame, list.x + 1, list.y + 2, list);
        }
        let lines = match (
            &self.message,
            self.list.selected().and_then(|i| self.rows.get(i)),
        ) {
            (Some(m), _) => vec![Line::styled(m.clone(), theme::error())],
            (None, Some(r)) => vec![
                Line::raw(format!(
                    "{}: {}",
                    ctx.t(text::BEFORE),
                    r.before.as_deref().unwrap_or("-")
                )),
                Line::raw(format!(
                    "{}: {}",
                    ctx.t(text::AFTER),
                    r.after.as_deref().unwrap_or("-")
                )),
            ],
            (None, None) => vec![Line::styled(ctx.t(text::NO_ROWS), theme::muted())],
        };
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::bordered()),
            detail,
        );
    }
}
