//! Cari penduduk: the root screen of the desk. One input at the top; results follow every
//! keystroke, answered by the search worker (stale answers dropped, typing never waits).
//! Digits search NIK and KK prefixes, letters search names. Never shows a full NIK.
//! An answer reaches this screen even while the menu or the lock screen covers it; coming back
//! on top, it asks again only if the database changed meanwhile (markers may have moved).

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

use super::resident::ResidentScreen;
use super::resident_form::{Carried, ResidentForm};
use crate::db::residents::{ResidentHit, SearchQuery, classify};
use crate::db::{DataStamp, data_stamp};
use crate::domain::coverage::CoverageStatus;
use crate::domain::enrollment::EnrollmentStatus;
use crate::domain::nik::mask_nik;
use crate::domain::person::age_on;
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::search_worker::{SHOWN, SearchAnswer, SearchWorker, run_one};
use crate::ui::text::{Lang, Localized, desk as text};
use crate::ui::widgets::{Edit, ListNav, TextField};
use crate::ui::{Ctx, Nav, Reply, Screen, ScreenId, theme};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Open,
    Enroll,
    New,
    Clear,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Enter, Action::Open, "Enter", text::OPEN_RESIDENT),
    Binding::new(KeyCode::F(2), Action::New, "F2", text::REGISTER_NEW),
    Binding::new(KeyCode::F(4), Action::Enroll, "F4", text::ENROLL),
    Binding::new(KeyCode::Esc, Action::Clear, "Esc", text::CLEAR_QUERY),
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
    /// This screen's address, where the worker's answers go.
    me: ScreenId,
    input: TextField,
    worker: Option<SearchWorker>,
    /// The generation of the newest question; answers to older ones are dropped.
    generation: u64,
    /// A question is out and not yet answered.
    waiting: bool,
    results: Results,
    list: ListNav,
    /// The row to select again when the next answer comes (the same query asked again).
    reselect: Option<usize>,
    /// The database as it was when the last question went out.
    asked_at: Option<DataStamp>,
}

impl SearchScreen {
    /// The search with its worker; without a worker (it could not open its connection) the
    /// search runs on the UI's own connection, still correct, only not in the background.
    pub fn new(ctx: &Ctx) -> SearchScreen {
        let worker = SearchWorker::spawn(&ctx.db_path).ok();
        SearchScreen {
            me: ScreenId::default(),
            input: TextField::default(),
            worker,
            generation: 0,
            waiting: false,
            results: Results::Idle,
            list: ListNav::beside_field(),
            reselect: None,
            asked_at: None,
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
            self.list.set_len(0);
            return Nav::Stay;
        }
        self.asked_at = data_stamp(&ctx.conn).ok();
        match &self.worker {
            Some(worker) => {
                worker.ask(self.generation, &query, ctx.reply_to(self.me));
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
                self.list.reset(hits.len());
                self.list.select(self.reselect.take().unwrap_or(0));
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

    fn selected(&self) -> Option<&ResidentHit> {
        self.list.selected().and_then(|i| self.hits().get(i))
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
        let mut all = hints(KEYS, lang);
        all.extend(self.list.hints(lang));
        all
    }
    fn captures_text(&self) -> bool {
        true
    }
    fn attach(&mut self, me: ScreenId) {
        self.me = me;
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        self.reselect = None; // a key decides anew what is selected
        match lookup(KEYS, &key) {
            Some(Action::Open) => {
                return match self.selected().map(|h| h.id) {
                    Some(id) => match ResidentScreen::open(ctx, id) {
                        Ok(screen) => Nav::Push(Box::new(screen)),
                        Err(message) => Nav::Error(message),
                    },
                    None => Nav::Stay,
                };
            }
            Some(Action::Enroll) => {
                return match self.selected().map(|h| h.id) {
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
                self.input.clear();
                return self.ask(ctx);
            }
            None if self.list.handle_key(&key) => {}
            None => match self.input.handle(&key) {
                Edit::Changed => return self.ask(ctx),
                Edit::Kept => {}
                Edit::NotMine => return Nav::Ignored,
            },
        }
        Nav::Stay
    }
    /// A screen above closed (resident, form, enroll picker, menu). If the database changed
    /// meanwhile (an enrollment, an edit, an import), markers may have moved, so the current
    /// query runs again, keeping the selected row; otherwise the answer shown is current.
    fn resumed(&mut self, ctx: &mut Ctx) -> Nav {
        if self.input.is_empty() {
            return Nav::Stay;
        }
        let now = data_stamp(&ctx.conn).ok();
        if now.is_some() && now == self.asked_at {
            return Nav::Stay;
        }
        self.reselect = self.list.selected();
        self.ask(ctx)
    }
    fn handle_reply(&mut self, reply: Reply, ctx: &mut Ctx) -> Nav {
        if let Reply::Search(answer) = reply {
            self.take(answer, ctx.lang);
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
        frame.render_widget(block, input_area);
        self.input.render(frame, inner, Style::new(), true);

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

        self.list
            .set_page(table_area.height.saturating_sub(1).into());
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
                self.list.render_table(frame, table, table_area);
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
