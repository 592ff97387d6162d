//! Enroll picker (pilih angkatan): the cohorts open for enrollment, nearest to the resident
//! first (same desa, same kecamatan, then the rest), with course, place, dates, seats left and
//! waitlist length. Typing filters; Enter enrolls through `db::enrollment::enroll` and a
//! confirmation modal shows what happened and the BPJS coverage flagged. Without a resident
//! (menu "Angkatan terbuka") Enter opens the cohort's waitlist. Never writes SQL; never queries
//! inside `render`.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Table, Wrap};

use crate::db::cohorts::{self, CohortRow, Proximity};
use crate::db::enrollment::{self, EnrollOutcome, ResidentBrief};
use crate::db::print;
use crate::domain::enrollment::EnrollmentStatus;
use crate::domain::nik::mask_nik;
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::paper::{self, Printed};
use crate::ui::text::print as print_text;
use crate::ui::text::{Label, Lang, Localized, cohorts as text};
use crate::ui::widgets::{Edit, ListNav, TextField};
use crate::ui::{Ctx, Nav, Screen, theme, widgets};

/// How many open cohorts the picker loads (the list is filtered in memory as the clerk types).
const PICKER_LIMIT: u32 = 300;

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

pub struct EnrollPicker {
    resident: Option<ResidentBrief>,
    all: Vec<(Proximity, CohortRow)>,
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

    /// Reloads the open cohorts (after an enrollment the seats change), keeping the selection.
    fn reload(&mut self, ctx: &Ctx) -> Result<(), String> {
        let selected = self.selected().map(|c| c.id);
        self.all = cohorts::open_for_resident(
            &ctx.conn,
            self.resident.as_ref().map(|r| r.id),
            PICKER_LIMIT,
        )
        .map_err(|e| e.text(ctx.lang))?;
        self.refilter();
        if let Some(id) = selected
            && let Some(pos) = self.shown.iter().position(|&i| self.all[i].1.id == id)
        {
            self.list.select(pos);
        }
        Ok(())
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
            .filter(|(_, (_, c))| {
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
    }

    fn selected(&self) -> Option<&CohortRow> {
        self.list
            .selected()
            .and_then(|row| self.shown.get(row))
            .map(|&i| &self.all[i].1)
    }

    fn keys(&self) -> &'static [Binding<Action>] {
        if self.resident.is_some() {
            KEYS
        } else {
            BROWSE_KEYS
        }
    }

    fn enroll(&mut self, ctx: &mut Ctx) -> Nav {
        let (Some(resident), Some(cohort)) = (self.resident.clone(), self.selected().cloned())
        else {
            return Nav::Stay;
        };
        let result = enrollment::enroll(&ctx.conn, &ctx.actor, resident.id, cohort.id);
        let content = match result {
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
            printed: None,
        }))
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
                Action::Enroll => return self.enroll(ctx),
                Action::Waitlist => {
                    if let Some(c) = self.selected() {
                        return super::waitlist::open(ctx, c.id);
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

    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let block = Block::bordered().title(format!(" {} ", self.title(lang)));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let head_rows = if self.resident.is_some() { 2 } else { 1 };
        let [head, table_area] =
            Layout::vertical([Constraint::Length(head_rows), Constraint::Min(0)]).areas(inner);
        let mut lines = Vec::new();
        if let Some(r) = &self.resident {
            let place = match (&r.village, &r.district) {
                (Some(v), Some(d)) => format!("  {v}, {d}"),
                (Some(v), None) => format!("  {v}"),
                _ => String::new(),
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{}: ", text::PARTICIPANT.get(lang)),
                    theme::header(),
                ),
                Span::raw(format!("{}  {}{place}", r.name, mask_nik(&r.nik))),
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
            let header = Row::new(vec![
                Cell::from(text::COL_COURSE.get(lang)),
                Cell::from(text::COL_PLACE.get(lang)),
                Cell::from(text::COL_DATES.get(lang)),
                Cell::from(Line::from(text::COL_SEATS.get(lang)).right_aligned()),
                Cell::from(Line::from(text::COL_WAIT.get(lang)).right_aligned()),
                Cell::from(text::COL_NEAR.get(lang)),
            ])
            .style(theme::header());
            let rows: Vec<Row> = self
                .shown
                .iter()
                .map(|&i| {
                    let (near, c) = &self.all[i];
                    let near = match near {
                        Proximity::SameVillage => text::NEAR_VILLAGE.get(lang),
                        Proximity::SameDistrict => text::NEAR_DISTRICT.get(lang),
                        Proximity::Elsewhere => "",
                    };
                    Row::new(vec![
                        Cell::from(c.course.clone()),
                        Cell::from(c.place()),
                        Cell::from(text::short_dates(c.start_date, c.end_date)),
                        Cell::from(Line::from(c.seats_left().to_string()).right_aligned()),
                        Cell::from(Line::from(c.waitlisted.to_string()).right_aligned()),
                        Cell::from(near),
                    ])
                })
                .collect();
            let table = Table::new(
                rows,
                [
                    Constraint::Length(22),
                    Constraint::Min(22),
                    Constraint::Length(14),
                    Constraint::Length(4),
                    Constraint::Length(6),
                    Constraint::Length(5),
                ],
            )
            .header(header)
            .row_highlight_style(theme::selected());
            self.list
                .set_page(usize::from(table_area.height).saturating_sub(2));
            self.list.render_table(frame, table, table_area);
        }
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

/// What the enrollment did: enrolled, or waitlisted at position N, with the coverage flagged;
/// or the refusal with its reason. Enter or Esc closes it.
pub struct Confirmation {
    resident_id: i64,
    resident_name: String,
    cohort: CohortRow,
    content: Outcome,
    /// What F7 (print the receipt) did.
    printed: Option<Printed>,
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
        let mut hints = vec![Hint {
            key: "Enter/Esc".into(),
            label: text::KEY_CLOSE.get(lang),
            footer: true,
        }];
        if matches!(self.content, Outcome::Done(_)) {
            hints.push(Hint {
                key: "F7".into(),
                label: print_text::KEY_PRINT_RECEIPT.get(lang),
                footer: true,
            });
        }
        hints
    }

    fn is_modal(&self) -> bool {
        true
    }

    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        match key.code {
            KeyCode::Enter | KeyCode::Esc => Nav::Pop,
            KeyCode::F(7) if matches!(self.content, Outcome::Done(_)) => {
                let gathered =
                    print::receipt(&ctx.conn, &ctx.actor, self.resident_id, self.cohort.id);
                self.printed = Some(paper::print(ctx, gathered));
                Nav::Stay
            }
            _ => Nav::Stay,
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
        let (lines, style) = match &self.content {
            Outcome::Done(o) => {
                let first = match (o.status, o.position) {
                    (EnrollmentStatus::Waitlisted, Some(n)) => {
                        text::waitlisted_line(lang, &self.resident_name, &o.cohort_code, n)
                    }
                    _ => text::enrolled_line(lang, &self.resident_name, &o.cohort_code),
                };
                let lines = vec![
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
                    Line::styled(text::COVERAGE_NOTE.get(lang), theme::warning()),
                ];
                let mut lines = lines;
                match &self.printed {
                    Some(printed) => lines.push(paper::line(printed)),
                    None => lines.push(Line::styled(
                        format!("F7 {}", print_text::KEY_PRINT_RECEIPT.get(lang)),
                        theme::muted(),
                    )),
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
        // Long refusals wrap: leave room for them.
        let extra = match (&self.content, &self.printed) {
            (Outcome::Refused(reason), _) => reason.chars().count() as u16 / 66,
            // A file path is one long word: wrapping leaves lines short, so count generously.
            (Outcome::Done(_), Some(Ok(m) | Err(m))) => m.chars().count() as u16 / 40 + 1,
            (Outcome::Done(_), None) => 0,
        };
        let popup = widgets::centered(area, 72, lines.len() as u16 + 2 + extra);
        frame.render_widget(Clear, popup);
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: false }).block(
                Block::bordered()
                    .border_style(style)
                    .title(format!(" {} ", self.title(lang)))
                    .title_bottom(format!(" {} ", text::CLOSE_HINT.get(lang))),
            ),
            popup,
        );
        frame.set_cursor_position((popup.x + 1, popup.y + 1));
    }
}
