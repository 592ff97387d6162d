//! Layar angkatan (supervisor): the cohort's facts and readiness, its roster (enrolled first,
//! then the waitlist in promotion order) with BPJS coverage. Space selects participants; F2
//! submits their coverage to BPJS, F3 marks one active with its KPJ, F4 records BPJS's
//! rejection; F5 moves the cohort on (open, start, complete) and F8 cancels it, with the rules
//! of `domain::cohort`; F6 exports the BPJS list; F7, Ctrl-S and Ctrl-B print the attendance
//! sheet, the certificates and the BPJS list (`ui::paper`). Every change goes through `db` functions.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

use super::board::fill_gauge;
use super::prompt::{Ask, Prompt, PromptReply};
use crate::db::attendance::{self, Sheet, sheet};
use crate::db::board::{BoardFilter, board};
use crate::db::cohorts::{self, CohortRow};
use crate::db::enrollment::{RosterRow, roster};
use crate::db::{DbError, Missing};
use crate::db::{coverage, export, print};
use crate::domain::attendance::AttendanceStatus;
use crate::domain::cohort::CohortStatus;
use crate::domain::enrollment::EnrollmentStatus;
use crate::domain::nik::mask_nik;
use crate::domain::paper::Document;
use crate::domain::readiness::NotReady;
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::paper::{self, Printed};
use crate::ui::text::{Label, Lang, Localized, print as print_text, supervisor as text};
use crate::ui::widgets::{ListNav, Move};
use crate::ui::{Ctx, Nav, Reply, Screen, theme};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    View,
    Mark(AttendanceStatus),
    PrevDay,
    NextDay,
    Select,
    Submit,
    Activate,
    Reject,
    Advance,
    Export,
    Cancel,
    Print(Document),
    Back,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Tab, Action::View, "Tab", text::ATTENDANCE),
    Binding::new(KeyCode::Char(' '), Action::Select, "Spasi", text::SELECT),
    Binding::new(KeyCode::F(2), Action::Submit, "F2", text::SUBMIT),
    Binding::new(KeyCode::F(3), Action::Activate, "F3", text::ACTIVATE),
    Binding::new(KeyCode::F(4), Action::Reject, "F4", text::REJECT).help_only(),
    Binding::new(KeyCode::F(5), Action::Advance, "F5", text::ADVANCE),
    Binding::new(KeyCode::F(6), Action::Export, "F6", text::EXPORT),
    Binding::new(KeyCode::F(8), Action::Cancel, "F8", text::CANCEL).help_only(),
    Binding::new(
        KeyCode::F(7),
        Action::Print(Document::Attendance),
        "F7",
        print_text::KEY_PRINT_ATTENDANCE,
    ),
    Binding::ctrl(
        's',
        Action::Print(Document::Certificates),
        "Ctrl-S",
        print_text::KEY_PRINT_CERTIFICATES,
    )
    .help_only(),
    Binding::ctrl(
        'b',
        Action::Print(Document::BpjsList),
        "Ctrl-B",
        print_text::KEY_PRINT_BPJS,
    )
    .help_only(),
    Binding::new(KeyCode::Esc, Action::Back, "Esc", text::BACK),
];

/// Keys of the attendance view (Tab from the roster).
const ATTENDANCE_KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Tab, Action::View, "Tab", text::ROSTER_VIEW),
    Binding::new(
        KeyCode::Char('h'),
        Action::Mark(AttendanceStatus::Present),
        "H",
        text::PRESENT,
    ),
    Binding::new(
        KeyCode::Char('i'),
        Action::Mark(AttendanceStatus::Excused),
        "I",
        text::EXCUSED,
    ),
    Binding::new(
        KeyCode::Char('s'),
        Action::Mark(AttendanceStatus::Sick),
        "S",
        text::SICK,
    ),
    Binding::new(
        KeyCode::Char('a'),
        Action::Mark(AttendanceStatus::Absent),
        "A",
        text::ABSENT,
    ),
    Binding::new(KeyCode::Left, Action::PrevDay, "←/→", text::DAY),
    Binding::new(KeyCode::Right, Action::NextDay, "→", text::DAY).help_only(),
    Binding::new(KeyCode::Esc, Action::Back, "Esc", text::BACK),
];

pub struct CohortScreen {
    cohort: CohortRow,
    covered: u32,
    not_ready: Vec<NotReady>,
    /// Enrolled and waitlisted, in that order (withdrawn are left out).
    roster: Vec<RosterRow>,
    selected: BTreeSet<i64>,
    list: ListNav,
    /// The last change's outcome, shown under the header.
    notice: Option<String>,
    /// What the last print key did (F7, Ctrl-S, Ctrl-B).
    printed: Option<Printed>,
    /// The attendance view (Tab) with its sheet and the day under the cursor.
    attendance: Option<(Sheet, usize)>,
}

impl CohortScreen {
    pub fn open(ctx: &Ctx, cohort_id: i64) -> Result<CohortScreen, String> {
        let mut screen = CohortScreen {
            cohort: load_cohort(ctx, cohort_id)?,
            covered: 0,
            not_ready: Vec::new(),
            roster: Vec::new(),
            selected: BTreeSet::new(),
            list: ListNav::new(),
            notice: None,
            printed: None,
            attendance: None,
        };
        screen.reload(ctx)?;
        Ok(screen)
    }

    fn reload(&mut self, ctx: &Ctx) -> Result<(), String> {
        let err = |e: DbError| e.text(ctx.lang);
        self.cohort = load_cohort(ctx, self.cohort.id)?;
        let filter = BoardFilter {
            course_code: Some(self.cohort.course_code.clone()),
            ..BoardFilter::default()
        };
        if let Some(row) = board(&ctx.conn, &filter, ctx.today)
            .map_err(err)?
            .into_iter()
            .find(|r| r.cohort.id == self.cohort.id)
        {
            self.covered = row.covered;
            self.not_ready = row.not_ready;
        }
        self.roster = roster(&ctx.conn, self.cohort.id)
            .map_err(err)?
            .into_iter()
            .filter(|r| r.status != EnrollmentStatus::Withdrawn)
            .collect();
        if let Some((_, day)) = &self.attendance {
            let day = *day;
            let fresh = sheet(&ctx.conn, self.cohort.id, ctx.today).map_err(err)?;
            let day = day.min(fresh.days.len().saturating_sub(1));
            self.attendance = Some((fresh, day));
        }
        self.list.set_len(self.rows_len());
        Ok(())
    }

    fn rows_len(&self) -> usize {
        match &self.attendance {
            Some((sheet, _)) => sheet.rows.len(),
            None => self.roster.len(),
        }
    }

    /// Opens or closes the attendance view; it opens on today's training day (or the first).
    fn toggle_view(&mut self, ctx: &Ctx) -> Nav {
        if self.attendance.take().is_some() {
            self.list.reset(self.rows_len());
            return Nav::Stay;
        }
        match sheet(&ctx.conn, self.cohort.id, ctx.today) {
            Ok(sheet) => {
                let day = sheet
                    .days
                    .iter()
                    .rposition(|d| *d <= ctx.today)
                    .unwrap_or(0);
                self.attendance = Some((sheet, day));
                self.list.reset(self.rows_len());
                Nav::Stay
            }
            Err(e) => Nav::Error(e.text(ctx.lang)),
        }
    }

    fn mark(&mut self, ctx: &Ctx, status: AttendanceStatus) -> Nav {
        let Some((sheet, day)) = &self.attendance else {
            return Nav::Stay;
        };
        let Some(row) = self.list.selected().and_then(|i| sheet.rows.get(i)) else {
            return Nav::Stay;
        };
        let Some(date) = sheet.days.get(*day).copied() else {
            return Nav::Stay;
        };
        let name = row.name.clone();
        match attendance::record(&ctx.conn, &ctx.actor, row.enrollment_id, date, status) {
            Ok(()) => {
                let nav = self.after_change(
                    ctx,
                    format!("{name}: {} {}", status.letter(), date.format("%d-%m-%Y")),
                );
                self.list.go(Move::Down);
                nav
            }
            Err(e) => Nav::Error(e.text(ctx.lang)),
        }
    }

    fn current(&self) -> Option<&RosterRow> {
        self.list.selected().and_then(|i| self.roster.get(i))
    }

    /// The selected participants, or the current one when none is selected.
    fn targets(&self) -> Vec<i64> {
        if self.selected.is_empty() {
            self.current()
                .map(|r| vec![r.enrollment_id])
                .unwrap_or_default()
        } else {
            self.selected.iter().copied().collect()
        }
    }

    /// The status F5 moves to: open from draft, running from open, completed from running.
    fn advance_to(&self) -> Option<CohortStatus> {
        match self.cohort.status {
            CohortStatus::Draft => Some(CohortStatus::Open),
            CohortStatus::Open => Some(CohortStatus::Running),
            CohortStatus::Running => Some(CohortStatus::Completed),
            _ => None,
        }
    }

    fn after_change(&mut self, ctx: &Ctx, notice: String) -> Nav {
        self.selected.clear();
        self.notice = Some(notice);
        self.printed = None;
        match self.reload(ctx) {
            Ok(()) => Nav::Stay,
            Err(e) => Nav::Error(e),
        }
    }

    /// After F3 (KPJ) or F4 (rejection) on one participant.
    fn coverage_changed(
        &mut self,
        ctx: &Ctx,
        result: Result<(), coverage::CoverageChangeError>,
        name: &str,
    ) -> Nav {
        match result {
            Ok(()) => self.after_change(ctx, format!("{}: {}", name, ctx.t(text::SAVED))),
            Err(e) => Nav::Error(e.text(ctx.lang)),
        }
    }

    fn answer(&mut self, reply: PromptReply, ctx: &mut Ctx) -> Nav {
        let lang = ctx.lang;
        match reply.ask {
            Ask::Kpj {
                enrollment_id,
                name,
            } => {
                let result = coverage::activate(&ctx.conn, &ctx.actor, enrollment_id, &reply.text);
                self.coverage_changed(ctx, result, &name)
            }
            Ask::CoverageRejected {
                enrollment_id,
                name,
            } => {
                let result = coverage::reject(&ctx.conn, &ctx.actor, enrollment_id, &reply.text);
                self.coverage_changed(ctx, result, &name)
            }
            ask @ (Ask::AdvanceCohort | Ask::CancelCohort) => {
                let cancel = ask == Ask::CancelCohort;
                let to = if cancel {
                    Some(CohortStatus::Cancelled)
                } else {
                    self.advance_to()
                };
                let Some(to) = to else { return Nav::Stay };
                let reason = cancel.then_some(reply.text.as_str());
                match cohorts::transition(
                    &ctx.conn,
                    &ctx.actor,
                    self.cohort.id,
                    to,
                    reason,
                    ctx.today,
                ) {
                    Ok(row) => self.after_change(
                        ctx,
                        format!("{}: {}", ctx.t(text::STATUS_NOW), row.status.label(lang)),
                    ),
                    Err(e) => Nav::Error(e.text(lang)),
                }
            }
            Ask::ExportBpjs => {
                let path = PathBuf::from(&reply.text);
                let rows =
                    match export::bpjs_rows(&ctx.conn, export::ExportScope::Cohort(self.cohort.id))
                    {
                        Ok(rows) => rows,
                        Err(e) => return Nav::Error(e.text(lang)),
                    };
                match export::write_bpjs(&ctx.conn, &ctx.actor, &path, &self.cohort.code, &rows) {
                    Ok(()) => self.after_change(
                        ctx,
                        format!(
                            "{}: {} ({})",
                            ctx.t(text::EXPORTED),
                            path.display(),
                            rows.len()
                        ),
                    ),
                    Err(e) => Nav::Error(e.text(lang)),
                }
            }
            _ => Nav::Stay,
        }
    }
}

fn load_cohort(ctx: &Ctx, id: i64) -> Result<CohortRow, String> {
    match cohorts::get(&ctx.conn, id) {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(DbError::Missing(Missing::Cohort(id)).text(ctx.lang)),
        Err(e) => Err(e.text(ctx.lang)),
    }
}

impl CohortScreen {
    fn keys(&self) -> &'static [Binding<Action>] {
        if self.attendance.is_some() {
            ATTENDANCE_KEYS
        } else {
            KEYS
        }
    }
}

impl Screen for CohortScreen {
    fn title(&self, lang: Lang) -> String {
        format!("{} {}", text::COHORT_TITLE.get(lang), self.cohort.code)
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        let mut all = hints(self.keys(), lang);
        all.extend(self.list.hints(lang));
        all
    }
    fn handle_reply(&mut self, reply: Reply, ctx: &mut Ctx) -> Nav {
        match reply {
            Reply::Prompt(reply) => self.answer(reply, ctx),
            _ => Nav::Stay,
        }
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        let lang = ctx.lang;
        let name = self.current().map(|r| r.name.clone()).unwrap_or_default();
        match lookup(self.keys(), &key) {
            Some(Action::View) => return self.toggle_view(ctx),
            Some(Action::Mark(status)) => return self.mark(ctx, status),
            Some(step @ (Action::PrevDay | Action::NextDay)) => {
                if let Some((sheet, day)) = &mut self.attendance {
                    *day = if step == Action::PrevDay {
                        day.saturating_sub(1)
                    } else {
                        (*day + 1).min(sheet.days.len().saturating_sub(1))
                    };
                }
            }
            Some(Action::Select) => {
                if let Some(id) = self.current().map(|r| r.enrollment_id) {
                    if !self.selected.remove(&id) {
                        self.selected.insert(id);
                    }
                    self.list.go(Move::Down);
                }
            }
            Some(Action::Submit) => {
                let targets = self.targets();
                if targets.is_empty() {
                    return Nav::Error(ctx.t(text::NOTHING_SELECTED).to_string());
                }
                return match coverage::submit(&ctx.conn, &ctx.actor, &targets) {
                    Ok(n) => self.after_change(ctx, format!("{n} {}", ctx.t(text::SUBMITTED_N))),
                    Err(e) => Nav::Error(e.text(lang)),
                };
            }
            Some(Action::Activate) if !name.is_empty() => {
                let Some(row) = self.current() else {
                    return Nav::Stay;
                };
                let kpj = row.kpj.clone().unwrap_or_default();
                let ask = Ask::Kpj {
                    enrollment_id: row.enrollment_id,
                    name: name.clone(),
                };
                return Nav::Push(Box::new(Prompt::text(
                    ask,
                    ctx.t(text::ACTIVATE).to_string(),
                    format!("{} {name}", ctx.t(text::KPJ_PROMPT)),
                    &kpj,
                )));
            }
            Some(Action::Reject) if !name.is_empty() => {
                let Some(enrollment_id) = self.current().map(|r| r.enrollment_id) else {
                    return Nav::Stay;
                };
                let ask = Ask::CoverageRejected {
                    enrollment_id,
                    name: name.clone(),
                };
                return Nav::Push(Box::new(Prompt::text(
                    ask,
                    ctx.t(text::REJECT).to_string(),
                    format!("{} {name}", ctx.t(text::REJECT_PROMPT)),
                    "",
                )));
            }
            Some(Action::Advance) => {
                if let Some(to) = self.advance_to() {
                    return Nav::Push(Box::new(Prompt::confirm(
                        Ask::AdvanceCohort,
                        ctx.t(text::ADVANCE).to_string(),
                        format!(
                            "{} {}: {}",
                            ctx.t(text::NEXT_STEP),
                            to.label(lang),
                            self.cohort.code
                        ),
                    )));
                }
            }
            Some(Action::Cancel) if !self.cohort.status.is_closed() => {
                return Nav::Push(Box::new(Prompt::text(
                    Ask::CancelCohort,
                    ctx.t(text::CANCEL).to_string(),
                    ctx.t(text::CANCEL_PROMPT).to_string(),
                    "",
                )));
            }
            Some(Action::Export) => {
                return Nav::Push(Box::new(Prompt::text(
                    Ask::ExportBpjs,
                    ctx.t(text::EXPORT).to_string(),
                    ctx.t(text::EXPORT_PROMPT).to_string(),
                    &format!("bpjs-{}.xlsx", self.cohort.code),
                )));
            }
            Some(Action::Print(document)) => {
                let (conn, actor, id) = (&ctx.conn, &ctx.actor, self.cohort.id);
                let gathered = match document {
                    Document::Certificates => print::certificates(conn, actor, id),
                    Document::BpjsList => print::bpjs_list(conn, actor, id),
                    _ => print::attendance_sheet(conn, actor, id),
                };
                self.notice = None;
                self.printed = Some(paper::print(ctx, gathered));
            }
            Some(Action::Back) => return Nav::Pop,
            Some(_) => {}
            None if self.list.handle_key(&key) => {}
            None => return Nav::Ignored,
        }
        Nav::Stay
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let c = &self.cohort;
        let [head_area, table_area] =
            Layout::vertical([Constraint::Length(6), Constraint::Min(3)]).areas(area);
        let bnsp = c.bnsp_warning(ctx.today).map(|w| w.text(lang));
        let readiness = if self.not_ready.is_empty() {
            ctx.t(text::READY).to_string()
        } else {
            let reasons: Vec<String> = self.not_ready.iter().map(|r| r.text(lang)).collect();
            format!("{}: {}", ctx.t(text::NOT_READY), reasons.join("; "))
        };
        let mut head = vec![
            Line::raw(format!(
                "{} · {} · {}",
                c.course,
                c.place(),
                c.status.label(lang)
            )),
            Line::raw(format!(
                "{} – {} ({}) · {}: {} ({} {}) · {}: {} · {}: {}",
                c.start_date.format("%d-%m-%Y"),
                c.end_date.format("%d-%m-%Y"),
                text::working_days(lang, c.working_days),
                ctx.t(text::PARTICIPANTS),
                fill_gauge(c.enrolled, c.capacity),
                ctx.t(text::MINIMUM),
                c.min_participants,
                ctx.t(text::COL_WAIT),
                c.waitlisted,
                ctx.t(text::COL_BPJS),
                self.covered,
            )),
            Line::raw(format!(
                "{}: {} · {}: {}",
                ctx.t(text::INSTRUCTOR),
                c.instructor.as_deref().unwrap_or("-"),
                ctx.t(text::FUNDING),
                c.funding.code().to_uppercase()
            )),
        ];
        if let Some(w) = bnsp {
            head.push(Line::styled(w, theme::warning()));
        }
        // Readiness is the question before the start; later it would only confuse.
        if c.status.dates_editable() {
            let style = if self.not_ready.is_empty() {
                theme::ok()
            } else {
                theme::warning()
            };
            head.push(Line::styled(readiness, style));
        }
        if let Some(notice) = &self.notice {
            head.push(Line::styled(notice.clone(), theme::ok()));
        }
        if let Some(printed) = &self.printed {
            head.push(paper::line(printed));
        }
        frame.render_widget(Paragraph::new(head).wrap(Wrap { trim: true }), head_area);
        if self.attendance.is_some() {
            self.render_attendance(frame, table_area, ctx);
            return;
        }

        // The KPJ column shows when there is room for it (it is also in the BPJS list).
        let wide = table_area.width >= 100;
        let titles = [
            text::COL_NAME,
            text::COL_NIK,
            text::COL_STATE,
            text::COL_COVERAGE,
            text::COL_KPJ,
        ];
        let shown_titles = if wide { &titles[..] } else { &titles[..4] };
        let header = Row::new(
            [""].into_iter()
                .chain(shown_titles.iter().map(|m| ctx.t(*m)))
                .map(Cell::from)
                .collect::<Vec<_>>(),
        )
        .style(theme::header());
        let rows: Vec<Row> = self
            .roster
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mark = if self.selected.contains(&r.enrollment_id) {
                    "x"
                } else {
                    " "
                };
                let state = r.status.label(lang);
                let mut cover = r.coverage_status.map_or("-", |s| s.label(lang)).to_string();
                if r.needs_resubmission {
                    cover = format!("{cover} ({})", ctx.t(text::COV_RESUBMIT));
                }
                let mut cells = vec![
                    Cell::from(format!("{mark}{:>3}", i + 1)),
                    Cell::from(r.name.clone()),
                    Cell::from(mask_nik(&r.nik)),
                    Cell::from(state),
                    Cell::from(cover),
                ];
                if wide {
                    cells.push(Cell::from(r.kpj.clone().unwrap_or_default()));
                }
                Row::new(cells)
            })
            .collect();
        let mut widths = vec![
            Constraint::Length(4),
            Constraint::Min(14),
            Constraint::Length(19),
            Constraint::Length(13),
            Constraint::Length(17),
        ];
        if wide {
            widths.push(Constraint::Length(11));
        }
        self.list
            .set_page(table_area.height.saturating_sub(3).into());
        let table = Table::new(rows, widths)
            .header(header)
            .block(Block::bordered().title(format!(" {} ", ctx.t(text::ROSTER))))
            .column_spacing(1)
            .row_highlight_style(theme::selected());
        self.list.render_table(frame, table, table_area);
        let rows_area = table_area.inner(ratatui::layout::Margin::new(0, 1));
        self.list
            .place_cursor(frame, table_area.x + 2, table_area.y + 2, rows_area);
    }
}

impl CohortScreen {
    /// The attendance grid: a window of training days around the cursor day, one letter each
    /// (H hadir, I izin, S sakit, A alpa), and each participant's rate against the minimum.
    fn render_attendance(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let Some((sheet, day)) = &self.attendance else {
            return;
        };
        let columns = ((area.width.saturating_sub(2 + 22 + 8)) / 6).max(1) as usize;
        let first = day
            .saturating_sub(columns / 2)
            .min(sheet.days.len().saturating_sub(columns));
        let window: Vec<usize> = (first..(first + columns).min(sheet.days.len())).collect();
        let mut header = vec![
            Cell::from(ctx.t(text::COL_NAME)),
            Cell::from(ctx.t(text::RATE)),
        ];
        for &i in &window {
            let label = sheet.days[i].format("%d/%m").to_string();
            let style = if i == *day {
                theme::selected()
            } else {
                theme::header()
            };
            header.push(Cell::from(label).style(style));
        }
        let rows: Vec<Row> = sheet
            .rows
            .iter()
            .map(|r| {
                let rate = match r.rate {
                    Some(rate) if rate < sheet.min_rate => format!("{rate}% !"),
                    Some(rate) => format!("{rate}%"),
                    None => "-".into(),
                };
                let mut cells = vec![Cell::from(r.name.clone()), Cell::from(rate)];
                for &i in &window {
                    let mark = r.days[i]
                        .map(|s| s.letter().to_string())
                        .unwrap_or_else(|| "·".into());
                    cells.push(Cell::from(format!("  {mark}")));
                }
                Row::new(cells)
            })
            .collect();
        let mut widths = vec![Constraint::Length(22), Constraint::Length(7)];
        widths.extend(window.iter().map(|_| Constraint::Length(5)));
        let title = format!(
            " {} · {} {}% ",
            ctx.t(text::ATTENDANCE),
            ctx.t(text::MIN_RATE),
            sheet.min_rate
        );
        let table = Table::new(rows, widths)
            .header(Row::new(header).style(theme::header()))
            .block(Block::bordered().title(title))
            .column_spacing(1)
            .row_highlight_style(theme::selected());
        self.list.render_table(frame, table, area);
        let col = window.iter().position(|i| i == day).unwrap_or(0) as u16;
        let rows_area = area.inner(ratatui::layout::Margin::new(0, 1));
        self.list.place_cursor(
            frame,
            area.x + 1 + 23 + 8 + col * 6 + 2,
            area.y + 2,
            rows_area,
        );
    }
}
