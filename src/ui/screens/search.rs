//! Cari penduduk: the root screen of the desk. One input at the top; results follow every
//! keystroke, answered by the search worker (stale answers dropped, typing never waits).
//! Digits search NIK and KK prefixes, letters search names. Never shows a full NIK.

use std::any::Any;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::line_input::LineInput;
use super::resident::ResidentScreen;
use super::resident_form::{Carried, ResidentForm};
use crate::db::residents::{ResidentHit, SearchQuery, classify};
use crate::domain::coverage::CoverageStatus;
use crate::domain::enrollment::EnrollmentStatus;
use crate::domain::nik::mask_nik;
use crate::domain::person::age_on;
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::search_worker::{SHOWN, SearchAnswer, SearchWorker, run_one};
use crate::ui::text::{Lang, Localized, desk as text};
use crate::ui::{Ctx, Nav, Screen, theme};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Open,
    Enroll,
    New,
    Clear,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Enter, Action::Open, "Enter", text::OPEN_RESIDENT),
    Binding::new(KeyCode::F(2), Action::New, "F2", text::REGISTER_NEW),
    Binding::new(KeyCode::F(4), Action::Enroll, "F4", text::ENROLL),
    Binding::new(KeyCode::Esc, Action::Clear, "Esc", text::CLEAR_QUERY),
    Binding::new(KeyCode::Up, Action::Up, "↑", text::UP).help_only(),
    Binding::new(KeyCode::Down, Action::Down, "↓", text::DOWN).help_only(),
    Binding::new(KeyCode::PageUp, Action::PageUp, "PgUp", text::PAGE_UP).help_only(),
    Binding::new(KeyCode::PageDown, Action::PageDown, "PgDn", text::PAGE_DOWN).help_only(),
    Binding::new(KeyCode::Home, Action::First, "Home", text::FIRST).help_only(),
    Binding::new(KeyCode::End, Action::Last, "End", text::LAST).help_only(),
];

/// What the results area shows.
enum Results {
    /// Nothing typed yet.
    Idle,
    /// The answer to `query`, `more` when there were more than shown.
    Hits {
        query: String,
        hits: Vec<ResidentHit>,
        more: bool,
        millis: f64,
    },
    Failed(String),
}

pub struct SearchScreen {
    input: LineInput,
    worker: Option<SearchWorker>,
    /// The generation of the newest question; answers to older ones are dropped.
    generation: u64,
    /// A question is out and not yet answered.
    waiting: bool,
    results: Results,
    table: TableState,
    /// Rows of the table on screen at the last render (for PgUp/PgDn).
    page: usize,
    /// The row to select again when the next answer comes (the same query asked again).
    reselect: Option<usize>,
}

impl SearchScreen {
    /// The search with its worker; without a worker (it could not open its connection) the
    /// search runs on the UI's own connection, still correct, only not in the background.
    pub fn new(ctx: &Ctx) -> SearchScreen {
        let worker = SearchWorker::spawn(&ctx.db_path, ctx.events.clone()).ok();
        SearchScreen {
            input: LineInput::default(),
            worker,
            generation: 0,
            waiting: false,
            results: Results::Idle,
            table: TableState::default(),
            page: 10,
            reselect: None,
        }
    }

    /// The typed text (tests).
    pub fn query(&self) -> &str {
        self.input.text()
    }

    fn ask(&mut self, ctx: &mut Ctx) -> Nav {
        self.generation += 1;
        let query = self.input.text().to_string();
        if classify(&query) == SearchQuery::Empty {
            self.waiting = false;
            self.results = Results::Idle;
            self.table.select(None);
            return Nav::Stay;
        }
        match &self.worker {
            Some(worker) => {
                worker.ask(self.generation, &query);
                self.waiting = true;
                Nav::Stay
            }
            None => {
                let answer = run_one(&ctx.conn, self.generation, &query);
                self.take(answer, ctx.lang);
                Nav::Stay
            }
        }
    }

    fn take(&mut self, answer: SearchAnswer, lang: Lang) {
        if answer.generation != self.generation {
            return; // stale: the clerk typed on meanwhile
        }
        self.waiting = false;
        self.results = match answer.result {
            Ok(mut hits) => {
                let more = hits.len() > SHOWN;
                hits.truncate(SHOWN);
                let row = self.reselect.take().unwrap_or(0);
                self.table
                    .select((!hits.is_empty()).then(|| row.min(hits.len() - 1)));
                Results::Hits {
                    query: answer.query,
                    hits,
                    more,
                    millis: answer.elapsed.as_secs_f64() * 1000.0,
                }
            }
            Err(e) => Results::Failed(e.text(lang)),
        };
    }

    fn hits(&self) -> &[ResidentHit] {
        match &self.results {
            Results::Hits { hits, .. } => hits,
            _ => &[],
        }
    }

    fn move_by(&mut self, delta: isize) {
        let len = self.hits().len();
        if len == 0 {
            return;
        }
        let at = self.table.selected().unwrap_or(0) as isize + delta;
        self.table
            .select(Some(at.clamp(0, len as isize - 1) as usize));
    }

    fn carried(&self) -> Carried {
        let typed = self.input.text().trim();
        match classify(typed) {
            SearchQuery::Digits(digits) => Carried::Nik(digits),
            SearchQuery::Name(_) => Carried::Name(typed.to_uppercase()),
            SearchQuery::Empty => Carried::Nothing,
        }
    }
}

impl Screen for SearchScreen {
    fn title(&self, lang: Lang) -> String {
        text::SEARCH_TITLE.get(lang).to_string()
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        hints(KEYS, lang)
    }
    fn captures_text(&self) -> bool {
        true
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        self.reselect = None; // a key decides anew what is selected
        match lookup(KEYS, &key) {
            Some(Action::Open) => {
                let selected = self
                    .table
                    .selected()
                    .and_then(|i| self.hits().get(i))
                    .map(|h| h.id);
                return match selected {
                    Some(id) => match ResidentScreen::open(ctx, id) {
                        Ok(screen) => Nav::Push(Box::new(screen)),
                        Err(message) => Nav::Error(message),
                    },
                    None => Nav::Stay,
                };
            }
            Some(Action::Enroll) => {
                let selected = self.table.selected().and_then(|i| self.hits().get(i));
                return match selected.map(|h| h.id) {
                    Some(id) => super::enroll::open(ctx, id),
                    None => Nav::Stay,
                };
            }
            Some(Action::New) => {
                return Nav::Push(Box::new(ResidentForm::register(ctx, self.carried())));
            }
            Some(Action::Clear) => {
                if self.input.text().is_empty() {
                    return Nav::Ignored;
                }
                self.input.set("");
                return self.ask(ctx);
            }
            Some(Action::Up) => self.move_by(-1),
            Some(Action::Down) => self.move_by(1),
            Some(Action::PageUp) => self.move_by(-(self.page.max(1) as isize)),
            Some(Action::PageDown) => self.move_by(self.page.max(1) as isize),
            Some(Action::First) => self.move_by(isize::MIN / 2),
            Some(Action::Last) => self.move_by(isize::MAX / 2),
            None => {
                if self.input.handle(&key) {
                    return self.ask(ctx);
                }
                if !LineInput::is_edit_key(&key) {
                    return Nav::Ignored;
                }
            }
        }
        Nav::Stay
    }
    /// A screen above closed (resident, form, enroll picker): markers may have changed, so the
    /// current query runs again, keeping the selected row.
    fn resumed(&mut self, ctx: &mut Ctx) -> Nav {
        if self.input.text().is_empty() {
            return Nav::Stay;
        }
        self.reselect = self.table.selected();
        self.ask(ctx)
    }
    fn handle_message(&mut self, msg: Box<dyn Any + Send>, ctx: &mut Ctx) -> Nav {
        if let Ok(answer) = msg.downcast::<SearchAnswer>() {
            self.take(*answer, ctx.lang);
        }
        Nav::Stay
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let [input_area, status_area, table_area, legend_area] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .areas(area);
        let block = Block::bordered().title(format!(" {} ", ctx.t(text::SEARCH_PROMPT)));
        let inner = block.inner(input_area);
        frame.render_widget(Paragraph::new(self.input.text()).block(block), input_area);
        let cursor_x = inner.x + (self.input.cursor() as u16).min(inner.width.saturating_sub(1));
        frame.set_cursor_position((cursor_x, inner.y));

        let status = match (&self.results, self.waiting) {
            (_, true) => Line::styled(ctx.t(text::SEARCHING), theme::muted()),
            (Results::Idle, _) => Line::styled(ctx.t(text::SEARCH_EMPTY_HINT), theme::muted()),
            (Results::Failed(e), _) => Line::styled(e.clone(), theme::error()),
            (
                Results::Hits {
                    hits, more, millis, ..
                },
                _,
            ) => {
                let count = if *more {
                    format!("{SHOWN}+")
                } else {
                    hits.len().to_string()
                };
                Line::raw(format!(
                    " {} {} · {:.1} ms",
                    count,
                    ctx.t(text::MATCHES),
                    millis
                ))
            }
        };
        frame.render_widget(Paragraph::new(status), status_area);

        self.page = table_area.height.saturating_sub(1) as usize;
        match &self.results {
            Results::Hits { query, hits, .. } if hits.is_empty() => {
                let lines = vec![
                    Line::raw(""),
                    Line::styled(
                        format!(" {} \"{}\".", ctx.t(text::NO_MATCH), query),
                        theme::warning(),
                    ),
                    Line::raw(""),
                    Line::from(vec![
                        Span::raw(" "),
                        Span::styled("F2", theme::footer_key()),
                        Span::raw(format!(" {}", ctx.t(text::NO_MATCH_REGISTER))),
                    ]),
                ];
                frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), table_area);
            }
            Results::Hits { hits, .. } => {
                let rows: Vec<Row> = hits
                    .iter()
                    .map(|h| {
                        Row::new(vec![
                            Cell::from(markers(h)),
                            Cell::from(mask_nik(&h.nik)),
                            Cell::from(h.name.clone()),
                            Cell::from(h.sex.clone()),
                            Cell::from(format!("{:>3}", age_on(h.birth_date, ctx.today))),
                            Cell::from(h.village_name.clone().unwrap_or_default()),
                            Cell::from(h.district_name.clone().unwrap_or_default()),
                        ])
                    })
                    .collect();
                let header = Row::new(vec![
                    "",
                    "NIK",
                    ctx.t(text::COL_NAME),
                    ctx.t(text::COL_SEX),
                    ctx.t(text::COL_AGE),
                    ctx.t(text::COL_VILLAGE),
                    ctx.t(text::COL_DISTRICT),
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
                        Constraint::Fill(2),
                    ],
                )
                .header(header)
                .column_spacing(1)
                .row_highlight_style(theme::selected());
                frame.render_stateful_widget(table, table_area, &mut self.table);
            }
            Results::Idle | Results::Failed(_) => {}
        }
        frame.render_widget(
            Paragraph::new(Line::styled(ctx.t(text::LEGEND), theme::muted())),
            legend_area,
        );
    }
}

/// Two characters: live enrollment (P peserta, T daftar tunggu) and BPJS coverage of it.
fn markers(hit: &ResidentHit) -> String {
    let enrolled = match hit.live_enrollment {
        Some(EnrollmentStatus::Enrolled) => 'P',
        Some(EnrollmentStatus::Waitlisted) => 'T',
        _ => ' ',
    };
    let covered = match hit.coverage {
        Some(CoverageStatus::Active) => '✓',
        Some(CoverageStatus::Submitted) => '…',
        Some(CoverageStatus::Rejected) => '!',
        Some(CoverageStatus::Unregistered) => '-',
        None => ' ',
    };
    format!("{enrolled}{covered}")
}
