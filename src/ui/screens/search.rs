//! Cari penduduk: the root screen of the desk. One input at the top; results follow every
//! keystroke, answered by the search worker (stale answers dropped, typing never waits).
//! Digits search NIK and KK prefixes (the typed digits shown, the rest masked); words search
//! names, and a year, a date or a desa after them narrow the list: the filter line says how each
//! word was read, and Ctrl-Z turns the place (then the date) back into name words. The list is
//! one page of the whole answer: moving past its last row asks for the next page by its cursor,
//! past its first row for the one before, so every match can be reached. Never shows a full NIK.
//! An answer reaches this screen even while the menu or the lock screen covers it; coming back
//! on top, it asks again only if the database changed meanwhile (markers may have moved).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

use super::resident::ResidentScreen;
use super::resident_form::{Carried, ResidentForm};
use crate::db::residents::{Count, Cursor, ResidentHit, SearchQuery, classify};
use crate::db::{DataStamp, data_stamp};
use crate::domain::coverage::CoverageStatus;
use crate::domain::enrollment::EnrollmentStatus;
use crate::domain::person::age_on;
use crate::domain::search_query::{DeskQuery, Target, as_name, mask_showing};
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::search_worker::{Found, SHOWN, SearchAnswer, SearchRequest, SearchWorker, Searcher};
use crate::ui::text::{Lang, Localized, desk as text, search as words};
use crate::ui::widgets::{Edit, ListNav, TextField};
use crate::ui::{Ctx, Nav, Reply, Screen, ScreenId, theme};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Open,
    Enroll,
    New,
    Recent,
    Clear,
    Undo,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Enter, Action::Open, "Enter", text::OPEN_RESIDENT),
    Binding::new(KeyCode::F(2), Action::New, "F2", text::REGISTER_NEW),
    Binding::new(KeyCode::F(4), Action::Enroll, "F4", text::ENROLL),
    Binding::new(KeyCode::F(3), Action::Recent, "F3", text::RECENT),
    Binding::new(KeyCode::Esc, Action::Clear, "Esc", text::CLEAR_QUERY).help_only(),
    Binding::ctrl('z', Action::Undo, "Ctrl-Z", words::UNDO_READING).help_only(),
];

/// What the results area shows.
enum Results {
    /// Nothing typed yet.
    Idle,
    /// One page of the answer to `line`.
    Hits {
        line: String,
        /// How the line was read (filters and name words).
        query: DeskQuery,
        hits: Vec<ResidentHit>,
        /// Where the next page starts; `None` on the last page.
        next: Option<Cursor>,
        millis: f64,
    },
    Failed(String),
}

/// Which row to select when the awaited page arrives.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Land {
    First,
    Last,
    Row(usize),
}

pub struct SearchScreen {
    /// This screen's address, where the worker's answers go.
    me: ScreenId,
    input: TextField,
    worker: Option<SearchWorker>,
    /// Searches on the UI's own thread when the worker could not start (opened on first use).
    inline: Option<Searcher>,
    /// The generation of the newest question; answers to older ones are dropped.
    generation: u64,
    /// A question is out and not yet answered.
    waiting: bool,
    results: Results,
    list: ListNav,
    /// Where each page of the line starts, up to the one shown (the first starts at `None`):
    /// PgUp goes back by these, PgDn adds the page's `next`.
    pages: Vec<Option<Cursor>>,
    /// The row to select when the awaited page comes.
    land: Land,
    /// How many match the line (arrives after its first page).
    count: Option<Count>,
    /// The database as it was when the last question went out.
    asked_at: Option<DataStamp>,
}

impl SearchScreen {
    /// The search with its worker; without a worker (it could not open its connection) the
    /// search runs on the UI's own thread, still correct, only not in the background.
    pub fn new(ctx: &Ctx) -> SearchScreen {
        let worker = SearchWorker::spawn(&ctx.store).ok();
        SearchScreen {
            me: ScreenId::default(),
            input: TextField::default(),
            worker,
            inline: None,
            generation: 0,
            waiting: false,
            results: Results::Idle,
            list: ListNav::beside_field(),
            pages: vec![None],
            land: Land::First,
            count: None,
            asked_at: None,
        }
    }

    /// The typed text (tests).
    pub fn query(&self) -> &str {
        self.input.text()
    }

    /// The line changed: its first page, and its count.
    fn ask(&mut self, ctx: &mut Ctx) -> Nav {
        self.pages = vec![None];
        self.count = None;
        self.ask_page(ctx, Land::First)
    }

    /// Asks for the page that starts at the last of `pages`, landing on `land`.
    fn ask_page(&mut self, ctx: &mut Ctx, land: Land) -> Nav {
        self.generation += 1;
        let line = self.input.text().to_string();
        if classify(&line) == SearchQuery::Empty {
            self.waiting = false;
            self.results = Results::Idle;
            self.list.set_len(0);
            return Nav::Stay;
        }
        self.land = land;
        self.asked_at = data_stamp(&ctx.conn).ok();
        let ask = SearchRequest {
            generation: self.generation,
            line,
            after: self.pages.last().cloned().flatten(),
            count: self.count.is_none(),
        };
        if let Some(worker) = &self.worker {
            worker.ask(ask, ctx.reply_to(self.me));
            self.waiting = true;
            return Nav::Stay;
        }
        // No worker: the same answers, in turn, on this thread.
        let searcher = match &self.inline {
            Some(searcher) => searcher,
            None => match ctx.store.open_read_only() {
                Ok(conn) => self.inline.insert(Searcher::new(conn)),
                Err(e) => {
                    self.results = Results::Failed(e.text(ctx.lang));
                    return Nav::Stay;
                }
            },
        };
        let page = searcher.page(&ask);
        let count = ask.count.then(|| searcher.count(&ask));
        self.take(page, ctx.lang);
        if let Some(count) = count {
            self.take(count, ctx.lang);
        }
        Nav::Stay
    }

    fn take(&mut self, answer: SearchAnswer, lang: Lang) {
        if answer.generation != self.generation {
            return; // stale: the clerk typed on meanwhile
        }
        match answer.result {
            Ok(Found::Page(found)) => {
                let (query, page) = *found;
                self.waiting = false;
                self.list.reset(page.hits.len());
                self.list.select(match self.land {
                    Land::First => 0,
                    Land::Last => page.hits.len().saturating_sub(1),
                    Land::Row(row) => row,
                });
                self.results = Results::Hits {
                    line: answer.query,
                    query,
                    hits: page.hits,
                    next: page.next,
                    millis: answer.elapsed.as_secs_f64() * 1000.0,
                };
            }
            Ok(Found::Count(count)) => self.count = Some(count),
            Err(e) => {
                self.waiting = false;
                self.results = Results::Failed(e.text(lang));
            }
        }
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

    /// The reading of the line as it stands (none while its answer is on the way).
    fn reading(&self) -> Option<&DeskQuery> {
        match &self.results {
            Results::Hits { line, query, .. } if line == self.input.text() => Some(query),
            _ => None,
        }
    }

    fn carried(&self) -> Carried {
        let typed = self.input.text().trim();
        // the name words only: a year or a desa read from the line is not part of the name
        if let Some(name) = self.reading().and_then(DeskQuery::name) {
            return Carried::Name(name.to_uppercase());
        }
        match classify(typed) {
            // Digits that the answer shows as a family's KK (and as nobody's NIK) are a KK.
            SearchQuery::Digits(digits)
                if self
                    .hits()
                    .iter()
                    .any(|h| h.kk.as_deref().is_some_and(|kk| kk.starts_with(&digits)))
                    && !self.hits().iter().any(|h| h.nik.starts_with(&digits)) =>
            {
                Carried::Kk(digits)
            }
            SearchQuery::Digits(digits) => Carried::Nik(digits),
            SearchQuery::Name(_) => Carried::Name(typed.to_uppercase()),
            SearchQuery::Empty => Carried::Nothing,
        }
    }

    /// The page before or after the one shown, when a list key runs off its end: the list is
    /// one page of the whole answer, and moving past its last row turns the page.
    fn turn_page(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Option<Nav> {
        let Results::Hits { next, hits, .. } = &self.results else {
            return None;
        };
        if self.waiting {
            // a page is on its way: the cursors shown are about to change
            return None;
        }
        let at = self.list.selected()?;
        let last = hits.len().checked_sub(1)?;
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let forward = match key.code {
            KeyCode::Down | KeyCode::PageDown if at == last => Some(Land::First),
            KeyCode::End if ctrl && at == last => Some(Land::Last),
            _ => None,
        };
        if let (Some(land), Some(next)) = (forward, next.clone()) {
            self.pages.push(Some(next));
            return Some(self.ask_page(ctx, land));
        }
        let back = match key.code {
            KeyCode::Up | KeyCode::PageUp if at == 0 => Some(Land::Last),
            _ => None,
        };
        if let Some(land) = back
            && self.pages.len() > 1
        {
            self.pages.pop();
            return Some(self.ask_page(ctx, land));
        }
        if key.code == KeyCode::Home && ctrl && self.pages.len() > 1 {
            self.pages.truncate(1);
            return Some(self.ask_page(ctx, Land::First));
        }
        None
    }

    /// The status line: the rows shown of how many, and how long the answer took.
    fn status(&self, lang: Lang) -> Line<'static> {
        let (hits, next, millis) = match (&self.results, self.waiting) {
            (Results::Idle, false) => {
                return Line::styled(text::SEARCH_EMPTY_HINT.get(lang), theme::muted());
            }
            (_, true) => return Line::styled(text::SEARCHING.get(lang), theme::muted()),
            (Results::Failed(e), _) => return Line::styled(e.clone(), theme::error()),
            (
                Results::Hits {
                    hits, next, millis, ..
                },
                _,
            ) => (hits, next, millis),
        };
        if hits.is_empty() {
            return Line::raw(format!(" {} · {millis:.1} ms", words::none_found(lang)));
        }
        let first = (self.pages.len() - 1) * SHOWN;
        let total = match (next, self.count) {
            (None, _) => words::number(lang, (first + hits.len()) as u64),
            (Some(_), Some(Count::Exact(n))) => words::number(lang, n),
            (Some(_), Some(Count::MoreThan(n))) => words::more_than(lang, n),
            (Some(_), None) => words::COUNTING.get(lang).to_string(),
        };
        Line::raw(format!(
            " {} · {millis:.1} ms",
            words::shown_of(lang, first + 1, first + hits.len(), &total)
        ))
    }

    /// The filter line: how the words were read and the key that undoes it, or a hint to narrow
    /// a long answer.
    fn filters(&self, lang: Lang) -> Line<'static> {
        let Some(query) = self.reading() else {
            return Line::raw("");
        };
        if query.readings.is_empty() {
            let many = matches!(&self.results, Results::Hits { next: Some(_), .. })
                && matches!(query.search.target, Target::Name(_));
            return if many {
                Line::styled(format!(" {}", words::MANY_HINT.get(lang)), theme::muted())
            } else {
                Line::raw("")
            };
        }
        let mut spans = vec![Span::styled(
            format!(" {}", words::readings(lang, &query.readings)),
            theme::focused(),
        )];
        if let Some(undo) = query.undoable() {
            spans.push(Span::styled(
                format!("   {}", words::undo_hint(lang, &undo.typed)),
                theme::muted(),
            ));
        }
        Line::from(spans)
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
        match lookup(KEYS, &key) {
            Some(Action::Open) => match self.selected().map(|h| h.id) {
                Some(id) => match ResidentScreen::open(ctx, id) {
                    Ok(screen) => Nav::Push(Box::new(screen)),
                    Err(message) => Nav::Error(message),
                },
                None => Nav::Stay,
            },
            Some(Action::Enroll) => match self.selected().map(|h| h.id) {
                Some(id) => super::enroll::open(ctx, id),
                None => Nav::Stay,
            },
            Some(Action::New) => Nav::Push(Box::new(ResidentForm::register(ctx, self.carried()))),
            Some(Action::Recent) => match super::recent::Recent::new(ctx) {
                Ok(screen) => Nav::Push(Box::new(screen)),
                Err(message) => Nav::Error(message),
            },
            Some(Action::Clear) => {
                if self.input.text().is_empty() {
                    return Nav::Ignored;
                }
                self.input.clear();
                self.ask(ctx)
            }
            Some(Action::Undo) => {
                let line = self.input.text().to_string();
                let undone = self
                    .reading()
                    .and_then(DeskQuery::undoable)
                    .map(|reading| as_name(&line, reading));
                match undone {
                    Some(text) => {
                        self.input.set(&text);
                        self.ask(ctx)
                    }
                    None => Nav::Stay,
                }
            }
            None => {
                if let Some(nav) = self.turn_page(&key, ctx) {
                    return nav;
                }
                if self.list.handle_key(&key) {
                    return Nav::Stay;
                }
                match self.input.handle(&key) {
                    Edit::Changed => self.ask(ctx),
                    Edit::Kept => Nav::Stay,
                    Edit::NotMine => Nav::Ignored,
                }
            }
        }
    }
    /// A screen above closed (resident, form, enroll picker, menu). If the database changed
    /// meanwhile (an enrollment, an edit, an import), markers may have moved, so the page shown
    /// is asked again, keeping the selected row; otherwise the answer shown is current.
    fn resumed(&mut self, ctx: &mut Ctx) -> Nav {
        if self.input.is_empty() {
            return Nav::Stay;
        }
        let now = data_stamp(&ctx.conn).ok();
        if now.is_some() && now == self.asked_at {
            return Nav::Stay;
        }
        // the same page again, the same row selected
        let row = self.list.selected().unwrap_or(0);
        self.count = None;
        self.ask_page(ctx, Land::Row(row))
    }
    fn handle_reply(&mut self, reply: Reply, ctx: &mut Ctx) -> Nav {
        match reply {
            Reply::Search(answer) => self.take(answer, ctx.lang),
            // The walk-in is done: an empty search for the next resident.
            Reply::WalkInDone => {
                self.input.clear();
                return self.ask(ctx);
            }
            _ => {}
        }
        Nav::Stay
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let [
            input_area,
            status_area,
            filter_area,
            table_area,
            legend_area,
        ] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .areas(area);
        let block = Block::bordered().title(format!(" {} ", ctx.t(text::SEARCH_PROMPT)));
        let inner = block.inner(input_area);
        frame.render_widget(block, input_area);
        self.input.render(frame, inner, Style::new(), true);
        frame.render_widget(Paragraph::new(self.status(ctx.lang)), status_area);
        frame.render_widget(Paragraph::new(self.filters(ctx.lang)), filter_area);

        self.list
            .set_page(table_area.height.saturating_sub(1).into());
        match &self.results {
            Results::Hits { line, hits, .. } if hits.is_empty() => {
                let lines = vec![
                    Line::raw(""),
                    Line::styled(
                        format!(" {} \"{}\".", ctx.t(text::NO_MATCH), line),
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
            Results::Hits { query, hits, .. } => {
                // The digits typed show in the NIK (or, for a family found by KK, the KK).
                let typed = match &query.search.target {
                    Target::Digits(digits) => Some(digits.as_str()),
                    _ => None,
                };
                let rows: Vec<Row> = hits
                    .iter()
                    .map(|h| {
                        let mut cells = hit_cells(h, typed, ctx.today);
                        cells.push(Cell::from(h.district_name.clone().unwrap_or_default()));
                        Row::new(cells)
                    })
                    .collect();
                let header = Row::new(vec![
                    "",
                    if typed.is_some() {
                        ctx.t(words::NIK_OR_KK)
                    } else {
                        "NIK"
                    },
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

/// A resident's cells in a list (the search's, the recent residents'): markers, NIK (or KK,
/// see [`number_cell`]), name, sex, age on `today`, desa.
pub(super) fn hit_cells(
    h: &ResidentHit,
    typed: Option<&str>,
    today: chrono::NaiveDate,
) -> Vec<Cell<'static>> {
    vec![
        Cell::from(markers(h)),
        number_cell(h, typed),
        Cell::from(h.name.clone()),
        Cell::from(h.sex.clone()),
        Cell::from(format!("{:>3}", age_on(h.birth_date, today))),
        Cell::from(h.village_name.clone().unwrap_or_default()),
    ]
}

/// The NIK, masked, with the digits the clerk typed shown; a resident found by their KK shows
/// the KK that way instead (in the muted style), so the row can be checked against the card.
fn number_cell(hit: &ResidentHit, typed: Option<&str>) -> Cell<'static> {
    let Some(typed) = typed else {
        return Cell::from(mask_showing(&hit.nik, ""));
    };
    match &hit.kk {
        Some(kk) if !hit.nik.starts_with(typed) && kk.starts_with(typed) => {
            Cell::from(Span::styled(mask_showing(kk, typed), theme::muted()))
        }
        _ => Cell::from(mask_showing(&hit.nik, typed)),
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
