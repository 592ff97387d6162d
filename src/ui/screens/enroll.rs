//! Enroll picker (pilih angkatan): the cohorts open for enrollment, nearest to the resident
//! first (same desa, same kecamatan, then the rest), each row saying what enrolling this
//! resident would do now: a free seat, the waitlist place it would get, or why it is refused
//! (age, overlapping dates, already in it, not open), from `db::enrollment::prospects`, which
//! applies the rules `enroll` applies. Refused rows are dimmed; the cursor starts on the nearest
//! cohort with a free seat. Typing filters; Enter enrolls through `db::enrollment::enroll`, and
//! asks first when the cohort is full ("Masuk daftar tunggu urutan ke-N?"); a confirmation shows
//! what happened and the BPJS coverage flagged, and Enter there ends the walk-in (back to an
//! empty search). Without a resident (menu "Angkatan terbuka") Enter opens the cohort's
//! waitlist. Never writes SQL; never queries inside `render`.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Table, Wrap};

use super::confirm::{Answer, Confirm, Purpose};
use crate::db::cohorts::{self, CohortRow, Proximity};
use crate::db::coverage;
use crate::db::enrollment::{self, EnrollOutcome, ResidentBrief};
use crate::db::print;
use crate::domain::coverage::CoverageStatus;
use crate::domain::enrollment::{EnrollmentStatus, Prospect};
use crate::domain::nik::mask_nik;
use crate::domain::person::age_on;
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::paper::{self, Printed};
use crate::ui::text::print as print_text;
use crate::ui::text::{Label, Lang, Localized, cohorts as text};
use crate::ui::widgets::{Edit, ListNav, TextField};
use crate::ui::{Ctx, Nav, Reply, Screen, theme, widgets};

/// How many open cohorts the picker loads (the list is filtered in memory as the clerk types).
const PICKER_LIMIT: u32 = 300;

/// From this inner width on, a cohort takes one row with a column each; below it, two rows.
const WIDE: u16 = 140;

/// Opens the enroll picker for a resident (from the desk's search results or resident screen).
pub fn open(ctx: &mut Ctx, resident_id: i64) -> Nav {
    match EnrollPicker::new(ctx, Some(resident_id)) {
        Ok(picker) => Nav::Push(Box::new(picker)),
        Err(message) => Nav::Error(message),
    }
}

/// The menu's "Angkatan terbuka": the same list without a resident; Enter shows the waitlist.
pub fn browse(ctx: &mut Ctx) -> Result<Box<dyn Screen>, String> {
    Ok(Box::new(EnrollPicker::new(ctx, None)?))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Enroll,
    Waitlist,
    Clear,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Enter, Action::Enroll, "Enter", text::KEY_ENROLL),
    Binding::new(KeyCode::F(4), Action::Waitlist, "F4", text::KEY_WAITLIST),
    Binding::new(KeyCode::Esc, Action::Clear, "Esc", text::KEY_CLEAR),
];

/// In browse mode Enter opens the waitlist, so the table says so.
const BROWSE_KEYS: &[Binding<Action>] = &[
    Binding::new(
        KeyCode::Enter,
        Action::Waitlist,
        "Enter",
        text::KEY_WAITLIST,
    ),
    Binding::new(KeyCode::Esc, Action::Clear, "Esc", text::KEY_CLEAR),
];

/// One open cohort as the picker lists it.
struct Choice {
    near: Proximity,
    cohort: CohortRow,
    /// What enrolling the resident would do (None in browse mode).
    prospect: Option<Prospect>,
}

pub struct EnrollPicker {
    resident: Option<ResidentBrief>,
    all: Vec<Choice>,
    /// Indexes into `all` that match the filter.
    shown: Vec<usize>,
    filter: TextField,
    list: ListNav,
}

impl EnrollPicker {
    fn new(ctx: &Ctx, resident_id: Option<i64>) -> Result<EnrollPicker, String> {
        let lang = ctx.lang;
        let db_err = |e: crate::db::DbError| e.text(lang);
        let resident = match resident_id {
            Some(id) => Some(
                enrollment::resident_brief(&ctx.conn, id)
                    .map_err(db_err)?
                    .ok_or_else(|| ctx.t(text::RESIDENT_MISSING).to_string())?,
            ),
            None => None,
        };
        let mut picker = EnrollPicker {
            resident,
            all: Vec::new(),
            shown: Vec::new(),
            filter: TextField::default(),
            list: ListNav::beside_field(),
        };
        picker.reload(ctx)?;
        Ok(picker)
    }

    /// Reloads the open cohorts and what enrolling would do in each (seats change), keeping
    /// the selection.
    fn reload(&mut self, ctx: &Ctx) -> Result<(), String> {
        let selected = self.selected().map(|c| c.cohort.id);
        let resident = self.resident.as_ref().map(|r| r.id);
        let rows = cohorts::open_for_resident(&ctx.conn, resident, PICKER_LIMIT)
            .map_err(|e| e.text(ctx.lang))?;
        let prospects = match resident {
            Some(id) => {
                let list: Vec<CohortRow> = rows.iter().map(|(_, c)| c.clone()).collect();
                enrollment::prospects(&ctx.conn, id, &list)
                    .map_err(|e| e.text(ctx.lang))?
                    .into_iter()
                    .map(Some)
                    .collect()
            }
            None => vec![None; rows.len()],
        };
        self.all = rows
            .into_iter()
            .zip(prospects)
            .map(|((near, cohort), prospect)| Choice {
                near,
                cohort,
                prospect,
            })
            .collect();
        self.refilter();
        if let Some(id) = selected
            && let Some(pos) = self.shown.iter().position(|&i| self.all[i].cohort.id == id)
        {
            self.list.select(pos);
        }
        Ok(())
    }

    /// The cursor on the nearest cohort with a free seat (the list is nearest first); the first
    /// row when none has one.
    fn select_first_seat(&mut self) {
        let seat = self
            .shown
            .iter()
            .position(|&i| matches!(self.all[i].prospect, Some(Prospect::Seat { .. })));
        self.list.select(seat.unwrap_or(0));
    }

    fn refilter(&mut self) {
        let words: Vec<String> = self
            .filter
            .text()
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        self.shown = self
            .all
            .iter()
            .enumerate()
            .filter(|(_, choice)| {
                let c = &choice.cohort;
                let hay = format!(
                    "{} {} {} {} {} {}",
                    c.code,
                    c.course,
                    c.course_code,
                    c.place(),
                    c.venue,
                    c.district.as_deref().unwrap_or("")
                )
                .to_lowercase();
                words.iter().all(|w| hay.contains(w.as_str()))
            })
            .map(|(i, _)| i)
            .collect();
        self.list.reset(self.shown.len());
        self.select_first_seat();
    }

    fn selected(&self) -> Option<&Choice> {
        self.list
            .selected()
            .and_then(|row| self.shown.get(row))
            .map(|&i| &self.all[i])
    }

    fn keys(&self) -> &'static [Binding<Action>] {
        if self.resident.is_some() {
            KEYS
        } else {
            BROWSE_KEYS
        }
    }

    /// Enter: a free seat enrolls at once; a full cohort asks first; a refusal is shown by the
    /// enrollment itself (which checks again and writes nothing).
    fn choose(&mut self, ctx: &mut Ctx) -> Nav {
        let (Some(resident), Some(choice)) = (&self.resident, self.selected()) else {
            return Nav::Stay;
        };
        match choice.prospect {
            Some(Prospect::Waitlist { position }) => {
                let c = &choice.cohort;
                let question = text::join_waitlist_question(ctx.lang, position);
                let body = text::join_waitlist_body(ctx.lang, &resident.name, &c.code, c.capacity);
                Nav::Push(Box::new(Confirm::new(
                    Purpose::JoinWaitlist { cohort_id: c.id },
                    ctx.t(text::COHORT_FULL),
                    vec![question, String::new(), body],
                    Vec::new(),
                )))
            }
            _ => self.enroll(ctx, choice.cohort.id),
        }
    }

    fn enroll(&mut self, ctx: &mut Ctx, cohort_id: i64) -> Nav {
        let Some(resident) = self.resident.clone() else {
            return Nav::Stay;
        };
        let Some(cohort) = self
            .all
            .iter()
            .find(|c| c.cohort.id == cohort_id)
            .map(|c| c.cohort.clone())
        else {
            return Nav::Stay;
        };
        let content = match enrollment::enroll(&ctx.conn, &ctx.actor, resident.id, cohort.id) {
            Ok(outcome) => Outcome::Done(outcome),
            Err(e) => Outcome::Refused(e.text(ctx.lang)),
        };
        if let Err(message) = self.reload(ctx) {
            return Nav::Error(message);
        }
        Nav::Push(Box::new(Confirmation {
            resident_id: resident.id,
            resident_name: resident.name,
            cohort,
            content,
            message: None,
            printed: None,
        }))
    }

    /// One cohort's cells: two-row cells below `WIDE`, one row with a column each above it.
    fn row(&self, choice: &Choice, wide: bool, lang: Lang) -> Row<'static> {
        let c = &choice.cohort;
        let near = match (wide, choice.near) {
            (true, Proximity::SameVillage) => text::NEAR_VILLAGE.get(lang),
            (true, Proximity::SameDistrict) => text::NEAR_DISTRICT.get(lang),
            (false, Proximity::SameVillage) => text::NEAR_VILLAGE_LONG.get(lang),
            (false, Proximity::SameDistrict) => text::NEAR_DISTRICT_LONG.get(lang),
            (_, Proximity::Elsewhere) => "",
        };
        let (verdict, detail) = match &choice.prospect {
            Some(p) => text::prospect_cell(lang, p, c.capacity),
            None => (
                format!("{}/{}", c.seats_left(), c.capacity),
                format!(
                    "{} {}",
                    c.waitlisted,
                    text::COL_WAIT.get(lang).to_lowercase()
                ),
            ),
        };
        let dates = text::short_dates(c.start_date, c.end_date);
        let style = match choice.prospect {
            Some(Prospect::Refused(_)) => theme::muted(),
            _ => Style::new(),
        };
        let row = if wide {
            Row::new(vec![
                Cell::from(c.code.clone()),
                Cell::from(c.course.clone()),
                Cell::from(c.place()),
                Cell::from(dates),
                Cell::from(Line::from(c.seats_left().to_string()).right_aligned()),
                Cell::from(Line::from(c.waitlisted.to_string()).right_aligned()),
                Cell::from(near),
                Cell::from(match &choice.prospect {
                    Some(p) => text::prospect_wide(lang, p, c.capacity),
                    None => format!("{verdict} · {detail}"),
                }),
            ])
        } else {
            let second = if near.is_empty() {
                dates
            } else {
                format!("{dates} · {near}")
            };
            Row::new(vec![
                Cell::from(Text::from(vec![
                    Line::raw(c.course.clone()),
                    Line::styled(c.code.clone(), theme::muted()),
                ])),
                Cell::from(Text::from(vec![Line::raw(c.place()), Line::raw(second)])),
                Cell::from(Text::from(vec![Line::raw(verdict), Line::raw(detail)])),
            ])
            .height(2)
        };
        row.style(style)
    }

    fn table(&self, width: u16, lang: Lang) -> (Table<'static>, bool) {
        let wide = width >= WIDE;
        let longest = |f: &dyn Fn(&CohortRow) -> usize| {
            self.shown
                .iter()
                .map(|&i| f(&self.all[i].cohort))
                .max()
                .unwrap_or(0) as u16
        };
        let rows: Vec<Row> = self
            .shown
            .iter()
            .map(|&i| self.row(&self.all[i], wide, lang))
            .collect();
        let course = longest(&|c| c.course.chars().count());
        let code = longest(&|c| c.code.chars().count());
        if wide {
            let header = Row::new(vec![
                Cell::from(text::COL_CODE.get(lang)),
                Cell::from(text::COL_COURSE.get(lang)),
                Cell::from(text::COL_PLACE.get(lang)),
                Cell::from(text::COL_DATES.get(lang)),
                Cell::from(Line::from(text::COL_SEATS.get(lang)).right_aligned()),
                Cell::from(Line::from(text::COL_WAIT.get(lang)).right_aligned()),
                Cell::from(text::COL_NEAR.get(lang)),
                Cell::from(text::COL_CAN.get(lang)),
            ])
            .style(theme::header());
            let widths = [
                Constraint::Length(code.max(4)),
                Constraint::Length(course.max(8)),
                Constraint::Fill(1),
                Constraint::Length(14),
                Constraint::Length(4),
                Constraint::Length(6),
                Constraint::Length(5),
                Constraint::Length(34),
            ];
            (Table::new(rows, widths).header(header), true)
        } else {
            let header = Row::new(vec![
                Cell::from(text::COL_COURSE_CODE.get(lang)),
                Cell::from(text::COL_PLACE_DATES.get(lang)),
                Cell::from(text::COL_CAN.get(lang)),
            ])
            .style(theme::header());
            // The verdict column keeps what it needs; the course name takes what it needs of
            // the rest, the place what is left (at least 22 columns).
            let verdict = 21;
            let room = width.saturating_sub(verdict + 2);
            let first = course.max(code).min(room.saturating_sub(22)).max(12);
            let widths = [
                Constraint::Length(first),
                Constraint::Fill(1),
                Constraint::Length(verdict),
            ];
            (Table::new(rows, widths).header(header), false)
        }
    }

    /// The line under the list: the selected cohort in full and what Enter will do with it.
    fn detail(&self, lang: Lang) -> Vec<Line<'static>> {
        let Some(choice) = self.selected() else {
            return Vec::new();
        };
        let c = &choice.cohort;
        let head = format!(
            "{} · {} · {} · {}",
            c.code,
            c.course,
            c.place(),
            text::long_dates(lang, c.start_date, c.end_date)
        );
        let (sentence, style) = match &choice.prospect {
            Some(p @ Prospect::Refused(_)) => (text::prospect_sentence(lang, p), theme::warning()),
            Some(p) => (text::prospect_sentence(lang, p), theme::ok()),
            None => (
                text::seats_summary(lang, c.enrolled, c.capacity, c.waitlisted),
                Style::new(),
            ),
        };
        vec![
            Line::styled(head, theme::header()),
            Line::styled(sentence, style),
        ]
    }
}

impl Screen for EnrollPicker {
    fn title(&self, lang: Lang) -> String {
        // The resident's name is on the first line of the screen, not squeezed into the title.
        match &self.resident {
            Some(_) => text::PICKER_TITLE.get(lang).to_string(),
            None => text::BROWSE_TITLE.get(lang).to_string(),
        }
    }

    fn hints(&self, lang: Lang) -> Vec<Hint> {
        let mut all = hints(self.keys(), lang);
        all.extend(self.list.hints(lang));
        all
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        if let Some(action) = lookup(self.keys(), &key) {
            match action {
                Action::Enroll => return self.choose(ctx),
                Action::Waitlist => {
                    if let Some(c) = self.selected() {
                        return super::waitlist::open(ctx, c.cohort.id);
                    }
                }
                Action::Clear => {
                    if self.filter.is_empty() {
                        return Nav::Ignored;
                    }
                    self.filter.clear();
                    self.refilter();
                }
            }
            return Nav::Stay;
        }
        if self.list.handle_key(&key) {
            return Nav::Stay;
        }
        match self.filter.handle(&key) {
            Edit::Changed => {
                self.refilter();
                Nav::Stay
            }
            Edit::Kept => Nav::Stay,
            Edit::NotMine => Nav::Ignored,
        }
    }

    fn handle_reply(&mut self, reply: Reply, ctx: &mut Ctx) -> Nav {
        match reply {
            Reply::Confirm(answer) => match (answer.purpose, answer.answer) {
                (Purpose::JoinWaitlist { cohort_id }, Answer::Yes) => self.enroll(ctx, cohort_id),
                _ => Nav::Stay,
            },
            // The walk-in ends, or the clerk goes back to where the picker was opened.
            Reply::WalkInDone => Nav::PopWith(Reply::WalkInDone),
            Reply::EnrollmentClosed => Nav::Pop,
            _ => Nav::Stay,
        }
    }

    fn resumed(&mut self, ctx: &mut Ctx) -> Nav {
        match self.reload(ctx) {
            Ok(()) => Nav::Stay,
            Err(message) => Nav::Error(message),
        }
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let block = Block::bordered().title(format!(" {} ", self.title(lang)));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let head_rows = if self.resident.is_some() { 2 } else { 1 };
        let detail = self.detail(lang);
        let detail_rows = Paragraph::new(detail.clone())
            .wrap(Wrap { trim: true })
            .line_count(inner.width) as u16;
        let [head, table_area, detail_area] = Layout::vertical([
            Constraint::Length(head_rows),
            Constraint::Min(0),
            Constraint::Length(detail_rows.min(4)),
        ])
        .areas(inner);
        let mut lines = Vec::new();
        if let Some(r) = &self.resident {
            // The desa only: the kecamatan would push the line past 80 columns.
            let place = r
                .village
                .as_deref()
                .map(|v| format!(" · {v}"))
                .unwrap_or_default();
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{}: ", text::PARTICIPANT.get(lang)),
                    theme::header(),
                ),
                Span::raw(format!(
                    "{} · {} · {} {}{place}",
                    r.name,
                    mask_nik(&r.nik),
                    age_on(r.birth_date, ctx.today),
                    text::YEARS_OLD.get(lang)
                )),
            ]));
        }
        let label = format!("{}: ", text::FILTER.get(lang));
        let label_width = label.chars().count() as u16;
        let filter_y = head.y + head_rows - 1;
        lines.push(Line::styled(label, theme::focused()));
        frame.render_widget(Paragraph::new(lines), head);

        if self.shown.is_empty() {
            let msg = if self.all.is_empty() {
                text::NONE_OPEN
            } else {
                text::NONE_MATCH
            };
            frame.render_widget(
                Paragraph::new(msg.get(lang)).style(theme::muted()),
                table_area,
            );
        } else {
            let (table, wide) = self.table(table_area.width, lang);
            let row_height = if wide { 1 } else { 2 };
            self.list.set_page(usize::from(
                table_area.height.saturating_sub(1) / row_height,
            ));
            self.list.render_table(
                frame,
                table.row_highlight_style(theme::selected()),
                table_area,
            );
        }
        frame.render_widget(
            Paragraph::new(detail).wrap(Wrap { trim: true }),
            detail_area,
        );
        let field = Rect::new(
            inner.x + label_width,
            filter_y,
            inner.width.saturating_sub(label_width),
            1,
        );
        self.filter.render(frame, field, Style::new(), true);
    }
}

enum Outcome {
    Done(EnrollOutcome),
    Refused(String),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Close {
    Done,
    Back,
    Submit,
    Print,
}

const DONE_KEYS: &[Binding<Close>] = &[
    Binding::new(KeyCode::Enter, Close::Done, "Enter", text::KEY_DONE),
    Binding::new(KeyCode::F(6), Close::Submit, "F6", text::KEY_SUBMIT_BPJS),
    Binding::new(
        KeyCode::F(7),
        Close::Print,
        "F7",
        print_text::KEY_PRINT_RECEIPT,
    ),
    Binding::new(KeyCode::Esc, Close::Back, "Esc", text::KEY_BACK_TO_RESIDENT),
];

const SUBMITTED_KEYS: &[Binding<Close>] = &[
    Binding::new(KeyCode::Enter, Close::Done, "Enter", text::KEY_DONE),
    Binding::new(
        KeyCode::F(7),
        Close::Print,
        "F7",
        print_text::KEY_PRINT_RECEIPT,
    ),
    Binding::new(KeyCode::Esc, Close::Back, "Esc", text::KEY_BACK_TO_RESIDENT),
];

const REFUSED_KEYS: &[Binding<Close>] = &[
    Binding::new(KeyCode::Enter, Close::Back, "Enter", text::KEY_CLOSE),
    Binding::new(KeyCode::Esc, Close::Back, "Esc", text::KEY_CLOSE).help_only(),
];

/// What the enrollment did: enrolled, or waitlisted at position N, with the coverage flagged;
/// or the refusal with its reason. After an enrollment Enter ends the walk-in (an empty search
/// for the next resident), F6 records that the coverage was submitted to BPJS, Esc goes back to
/// where the picker was opened; a refusal closes back to the picker.
pub struct Confirmation {
    resident_id: i64,
    resident_name: String,
    cohort: CohortRow,
    content: Outcome,
    /// The answer to F6 (submitted, or why not).
    message: Option<Result<String, String>>,
    /// What F7 (print the receipt) did.
    printed: Option<Printed>,
}

impl Confirmation {
    fn keys(&self) -> &'static [Binding<Close>] {
        match &self.content {
            Outcome::Done(o) if o.coverage.status == CoverageStatus::Unregistered => DONE_KEYS,
            Outcome::Done(_) => SUBMITTED_KEYS,
            Outcome::Refused(_) => REFUSED_KEYS,
        }
    }

    fn submit(&mut self, ctx: &Ctx) {
        let Outcome::Done(outcome) = &mut self.content else {
            return;
        };
        self.message = Some(
            match coverage::submit(&ctx.conn, &ctx.actor, &[outcome.enrollment_id]) {
                Ok(_) => {
                    outcome.coverage.status = CoverageStatus::Submitted;
                    Ok(ctx.t(text::SUBMITTED_NOTE).to_string())
                }
                Err(e) => Err(e.text(ctx.lang)),
            },
        );
    }
}

impl Screen for Confirmation {
    fn title(&self, lang: Lang) -> String {
        match &self.content {
            Outcome::Done(o) if o.status == EnrollmentStatus::Waitlisted => {
                text::DONE_WAITLISTED.get(lang)
            }
            Outcome::Done(_) => text::DONE_ENROLLED.get(lang),
            Outcome::Refused(_) => text::DONE_REFUSED.get(lang),
        }
        .to_string()
    }

    fn hints(&self, lang: Lang) -> Vec<Hint> {
        hints(self.keys(), lang)
    }

    fn is_modal(&self) -> bool {
        true
    }

    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        match lookup(self.keys(), &key) {
            Some(Close::Done) => Nav::PopWith(Reply::WalkInDone),
            Some(Close::Back) => match self.content {
                Outcome::Done(_) => Nav::PopWith(Reply::EnrollmentClosed),
                Outcome::Refused(_) => Nav::Pop,
            },
            Some(Close::Submit) => {
                self.submit(ctx);
                Nav::Stay
            }
            Some(Close::Print) => {
                let gathered =
                    print::receipt(&ctx.conn, &ctx.actor, self.resident_id, self.cohort.id);
                self.printed = Some(paper::print(ctx, gathered));
                Nav::Stay
            }
            None => Nav::Stay,
        }
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let c = &self.cohort;
        let field = |label: &str, value: String| {
            Line::from(vec![
                Span::styled(format!("{label:<20} "), theme::header()),
                Span::raw(value),
            ])
        };
        let (mut lines, style) = match &self.content {
            Outcome::Done(o) => {
                let first = match (o.status, o.position) {
                    (EnrollmentStatus::Waitlisted, Some(n)) => {
                        text::waitlisted_line(lang, &self.resident_name, &o.cohort_code, n)
                    }
                    _ => text::enrolled_line(lang, &self.resident_name, &o.cohort_code),
                };
                let mut lines = vec![
                    Line::styled(first, theme::ok()),
                    Line::raw(""),
                    field(text::COURSE.get(lang), c.course.clone()),
                    field(text::PLACE.get(lang), c.place()),
                    field(
                        text::DATES.get(lang),
                        text::long_dates(lang, c.start_date, c.end_date),
                    ),
                    Line::raw(""),
                    field(
                        text::COVERAGE.get(lang),
                        text::programs(lang, o.coverage.jkk, o.coverage.jkm),
                    ),
                    field(
                        text::COVERAGE_STATUS.get(lang),
                        o.coverage.status.label(lang).to_string(),
                    ),
                    field(
                        "",
                        text::long_dates(lang, o.coverage.period_start, o.coverage.period_end),
                    ),
                ];
                if o.coverage.status == CoverageStatus::Unregistered {
                    lines.push(Line::styled(
                        text::COVERAGE_NOTE.get(lang),
                        theme::warning(),
                    ));
                }
                (lines, theme::ok())
            }
            Outcome::Refused(reason) => {
                let lines = vec![
                    Line::styled(reason.clone(), theme::error()),
                    Line::raw(""),
                    field(text::COURSE.get(lang), format!("{} ({})", c.course, c.code)),
                    field(
                        text::DATES.get(lang),
                        text::long_dates(lang, c.start_date, c.end_date),
                    ),
                ];
                (lines, theme::error())
            }
        };
        match &self.message {
            Some(Ok(note)) => lines.push(Line::styled(note.clone(), theme::ok())),
            Some(Err(why)) => lines.push(Line::styled(why.clone(), theme::error())),
            None => {}
        }
        if let Some(printed) = &self.printed {
            lines.push(paper::line(printed));
        }
        let keys: Vec<String> = hints(self.keys(), lang)
            .into_iter()
            .filter(|h| h.footer)
            .map(|h| format!("{} {}", h.key, h.label))
            .collect();
        lines.push(Line::raw(""));
        lines.push(Line::styled(keys.join("   "), theme::focused()));
        let width = 74.min(area.width);
        let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
        let height = paragraph.line_count(width.saturating_sub(2)) as u16 + 2;
        let popup = widgets::centered(area, width, height);
        frame.render_widget(Clear, popup);
        frame.render_widget(
            paragraph.block(
                Block::bordered()
                    .border_style(style)
                    .title(format!(" {} ", self.title(lang))),
            ),
            popup,
        );
        frame.set_cursor_position((popup.x + 1, popup.y + 1));
    }
}
