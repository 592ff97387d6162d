//! Papan angkatan (supervisor): every cohort with its fill gauge, waitlist, BPJS coverage and
//! readiness, filtered by status (F2) and by typed text (code, course, place, kecamatan), sorted
//! by F3; the cohorts starting soon that are not ready are named under the list. Enter opens the
//! cohort screen, F4 plans a new cohort. The rows come from `db::board`; render never queries.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table};

use crate::db::board::{BoardFilter, BoardRow, BoardSort, board, not_ready_soon};
use crate::domain::cohort::CohortStatus;
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::text::{Label, Lang, Localized, cohort_run, supervisor as text};
use crate::ui::widgets::{Edit, ListNav, TextField};
use crate::ui::{Ctx, Nav, Screen, theme};
use strum::VariantArray;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Open,
    New,
    Status,
    Sort,
    Reload,
    Back,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Enter, Action::Open, "Enter", text::OPEN),
    Binding::new(KeyCode::F(2), Action::Status, "F2", text::STATUS),
    Binding::new(KeyCode::F(3), Action::Sort, "F3", text::SORT),
    Binding::new(KeyCode::F(4), Action::New, "F4", cohort_run::NEW_COHORT),
    Binding::new(KeyCode::F(5), Action::Reload, "F5", text::RELOAD),
    Binding::new(KeyCode::Esc, Action::Back, "Esc", text::BACK),
];

pub struct Board {
    filter: BoardFilter,
    /// A title naming the drill-down scope, if any ("Kecamatan Kosambi").
    scope: Option<String>,
    rows: Vec<BoardRow>,
    /// Indexes into `rows` that match the typed text.
    shown: Vec<usize>,
    search: TextField,
    list: ListNav,
    /// Planned cohorts starting soon that are not ready (`readiness.warn_days`).
    soon: Vec<BoardRow>,
}

impl Board {
    pub fn new(ctx: &Ctx) -> Result<Board, String> {
        Board::with_filter(ctx, BoardFilter::default(), None)
    }

    /// The board limited to a kecamatan or a course (dashboard drill-down).
    pub fn with_filter(
        ctx: &Ctx,
        filter: BoardFilter,
        scope: Option<String>,
    ) -> Result<Board, String> {
        let mut board = Board {
            filter,
            scope,
            rows: Vec::new(),
            shown: Vec::new(),
            search: TextField::default(),
            list: ListNav::beside_field(),
            soon: Vec::new(),
        };
        board.reload(ctx)?;
        Ok(board)
    }

    fn reload(&mut self, ctx: &Ctx) -> Result<(), String> {
        self.rows = board(&ctx.conn, &self.filter, ctx.today).map_err(|e| e.text(ctx.lang))?;
        self.soon = not_ready_soon(&ctx.conn, ctx.today).map_err(|e| e.text(ctx.lang))?;
        self.refilter();
        Ok(())
    }

    fn refilter(&mut self) {
        let needle = self.search.text().trim().to_lowercase();
        self.shown = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                needle.is_empty() || {
                    let c = &r.cohort;
                    [
                        &c.code,
                        &c.course,
                        &c.place(),
                        c.district.as_deref().unwrap_or(""),
                    ]
                    .iter()
                    .any(|f| f.to_lowercase().contains(&needle))
                }
            })
            .map(|(i, _)| i)
            .collect();
        self.list.set_len(self.shown.len());
    }

    fn selected(&self) -> Option<&BoardRow> {
        self.list
            .selected()
            .and_then(|i| self.shown.get(i))
            .map(|&i| &self.rows[i])
    }

    fn next_status(&mut self) {
        let all = CohortStatus::VARIANTS;
        self.filter.status = match self.filter.status {
            None => Some(all[0]),
            Some(s) => all
                .iter()
                .position(|x| *x == s)
                .and_then(|i| all.get(i + 1))
                .copied(),
        };
    }
}

/// `████░░ 12/16`: enrolled against capacity as a text gauge.
pub fn fill_gauge(enrolled: u32, capacity: u32) -> String {
    let width = 6u32;
    let filled = if capacity == 0 {
        0
    } else {
        (enrolled * width).div_ceil(capacity).min(width)
    };
    format!(
        "{}{} {enrolled}/{capacity}",
        "█".repeat(filled as usize),
        "░".repeat((width - filled) as usize)
    )
}

fn sort_label(sort: BoardSort) -> crate::ui::text::Msg {
    match sort {
        BoardSort::Start => text::SORT_START,
        BoardSort::Code => text::SORT_CODE,
        BoardSort::Course => text::SORT_COURSE,
        BoardSort::Fill => text::SORT_FILL,
    }
}

impl Screen for Board {
    fn title(&self, lang: Lang) -> String {
        match &self.scope {
            Some(scope) => format!("{}: {scope}", text::BOARD_TITLE.get(lang)),
            None => text::BOARD_TITLE.get(lang).to_string(),
        }
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        let mut all = hints(KEYS, lang);
        all.extend(self.list.hints(lang));
        all
    }
    fn captures_text(&self) -> bool {
        true
    }
    fn resumed(&mut self, ctx: &mut Ctx) -> Nav {
        match self.reload(ctx) {
            Ok(()) => Nav::Stay,
            Err(e) => Nav::Error(e),
        }
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        match lookup(KEYS, &key) {
            Some(Action::Open) => {
                let Some(id) = self.selected().map(|r| r.cohort.id) else {
                    return Nav::Stay;
                };
                return match super::cohort::CohortScreen::open(ctx, id) {
                    Ok(screen) => Nav::Push(Box::new(screen)),
                    Err(e) => Nav::Error(e),
                };
            }
            Some(Action::New) => {
                return match super::cohort_form::CohortForm::create(ctx) {
                    Ok(form) => Nav::Push(Box::new(form)),
                    Err(e) => Nav::Error(e),
                };
            }
            Some(Action::Status) => {
                self.next_status();
                return self.resumed(ctx);
            }
            Some(Action::Sort) => {
                self.filter.sort = self.filter.sort.next();
                return self.resumed(ctx);
            }
            Some(Action::Reload) => return self.resumed(ctx),
            Some(Action::Back) => {
                if self.search.text().is_empty() {
                    return Nav::Ignored;
                }
                self.search.clear();
                self.refilter();
            }
            None if self.list.handle_key(&key) => {}
            None => match self.search.handle(&key) {
                Edit::Changed => {
                    self.list.select(0);
                    self.refilter();
                }
                Edit::Kept => {}
                Edit::NotMine => return Nav::Ignored,
            },
        }
        Nav::Stay
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let [filter_area, table_area] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
        let status = self
            .filter
            .status
            .map(|s| s.label(lang))
            .unwrap_or(text::ALL.get(lang));
        let label = format!("{}: ", ctx.t(text::FILTER));
        let line2 = format!(
            "{}: {status} · {}: {} · {} {}",
            ctx.t(text::STATUS),
            ctx.t(text::SORT),
            ctx.t(sort_label(self.filter.sort)),
            self.shown.len(),
            ctx.t(text::SHOWN),
        );
        let label_width = label.chars().count() as u16;
        frame.render_widget(
            Paragraph::new(vec![Line::raw(label), Line::styled(line2, theme::muted())]),
            filter_area,
        );
        let field = Rect::new(
            filter_area.x + label_width,
            filter_area.y,
            filter_area.width.saturating_sub(label_width),
            1,
        );
        self.search.render(frame, field, Style::new(), true);
        let wide = table_area.width >= 120;
        // At 80 columns the course and place give way (the code names both).
        let keep = |i: usize| wide || !(1..=2).contains(&i);
        let header = Row::new(
            [
                text::COL_CODE,
                text::COL_COURSE,
                text::COL_PLACE,
                text::COL_DATES,
                text::STATUS,
                text::COL_FILL,
                text::COL_WAIT,
                text::COL_BPJS,
                text::COL_READY,
            ]
            .into_iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, m)| Cell::from(ctx.t(m)))
            .collect::<Vec<_>>(),
        )
        .style(theme::header());
        let rows: Vec<Row> = self
            .shown
            .iter()
            .map(|&i| {
                let r = &self.rows[i];
                let c = &r.cohort;
                let dates = if wide {
                    format!(
                        "{} – {}",
                        c.start_date.format("%d-%m-%Y"),
                        c.end_date.format("%d-%m-%Y")
                    )
                } else {
                    format!(
                        "{}–{}",
                        c.start_date.format("%d/%m"),
                        c.end_date.format("%d/%m")
                    )
                };
                let ready = match r.not_ready.first() {
                    None if matches!(c.status, CohortStatus::Draft | CohortStatus::Open) => {
                        ctx.t(text::READY).to_string()
                    }
                    None => String::new(),
                    Some(reason) => reason.text(lang),
                };
                let cells = [
                    c.code.clone(),
                    c.course.clone(),
                    c.place(),
                    dates,
                    c.status.label(lang).to_string(),
                    fill_gauge(c.enrolled, c.capacity),
                    c.waitlisted.to_string(),
                    format!("{}/{}", r.covered, c.enrolled),
                    ready,
                ];
                Row::new(
                    cells
                        .into_iter()
                        .enumerate()
                        .filter(|(i, _)| keep(*i))
                        .map(|(_, cell)| Cell::from(cell))
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        let widths = if wide {
            vec![
                Constraint::Length(20),
                Constraint::Length(24),
                Constraint::Length(26),
                Constraint::Length(23),
                Constraint::Length(10),
                Constraint::Length(12),
                Constraint::Length(6),
                Constraint::Length(6),
                Constraint::Min(20),
            ]
        } else {
            vec![
                Constraint::Length(19),
                Constraint::Length(11),
                Constraint::Length(10),
                Constraint::Length(12),
                Constraint::Length(3),
                Constraint::Length(5),
                Constraint::Min(8),
            ]
        };
        self.list
            .set_page(table_area.height.saturating_sub(3).into());
        let mut block = Block::bordered();
        if let Some(soon) = cohort_run::not_ready_soon(lang, &self.soon, table_area.width >= 120) {
            block = block.title_bottom(Line::styled(soon, theme::warning()));
        }
        if rows.is_empty() {
            frame.render_widget(
                Paragraph::new(ctx.t(text::NONE_FOUND)).block(block),
                table_area,
            );
            return;
        }
        let table = Table::new(rows, widths)
            .header(header)
            .block(block)
            .column_spacing(1)
            .row_highlight_style(theme::selected());
        self.list.render_table(frame, table, table_area);
    }
}
