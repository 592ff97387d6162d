//! Layar angkatan (supervisor): the cohort's facts and readiness (before it starts and while it
//! runs), and three views, Tab from one to the next: the roster (enrolled first, then the
//! waitlist in promotion order) with BPJS coverage and BPJS's rejection reason, the attendance
//! grid, and the outcomes (`cohort_outcomes`). In the roster Space marks participants; F2
//! submits their coverage to BPJS, F3 records the KPJ and F4 BPJS's rejection for each marked
//! row in order (or the one under the cursor; F3 on active coverage corrects its KPJ with a
//! reason); F5 moves the cohort on (completing warns about missing outcomes and attendance), F7
//! edits its plan, F8 cancels it, F6 exports the BPJS list; Ctrl-P, Ctrl-S and Ctrl-B print the
//! attendance sheet, the certificates and the BPJS list (`ui::paper`). The header keeps the
//! readiness reason and the last change's message in view at 80x24. Every change goes through `db`.

use std::collections::{BTreeSet, VecDeque};
use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

use super::board::fill_gauge;
use super::cohort_form::CohortForm;
use super::cohort_outcomes::{self, Handled, OutcomeView};
use super::prompt::{Ask, Prompt, PromptReply};
use crate::db::attendance::{self, Sheet, sheet};
use crate::db::board::{BoardFilter, board};
use crate::db::cohorts::{self, CohortRow, EditOutcome};
use crate::db::enrollment::{RosterRow, roster};
use crate::db::{DbError, Missing};
use crate::db::{coverage, export, print};
use crate::domain::attendance::AttendanceStatus;
use crate::domain::cohort::CohortStatus;
use crate::domain::coverage::CoverageStatus;
use crate::domain::enrollment::EnrollmentStatus;
use crate::domain::nik::mask_nik;
use crate::domain::paper::Document;
use crate::domain::readiness::{NotReady, applies};
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::paper;
use crate::ui::text::print as print_text;
use crate::ui::text::{Label, Lang, Localized, cohort_run as run_text, supervisor as text};
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
    Edit,
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
    Binding::new(KeyCode::F(6), Action::Export, "F6", text::EXPORT).help_only(),
    Binding::new(KeyCode::F(7), Action::Edit, "F7", text::EDIT),
    Binding::new(KeyCode::F(8), Action::Cancel, "F8", text::CANCEL).help_only(),
    Binding::ctrl(
        'p',
        Action::Print(Document::Attendance),
        "Ctrl-P",
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
    Binding::new(KeyCode::Tab, Action::View, "Tab", run_text::OUTCOMES),
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

/// Keys of the outcome view besides its own (`cohort_outcomes::KEYS`).
const OUTCOME_KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Tab, Action::View, "Tab", text::ROSTER_VIEW),
    Binding::new(KeyCode::Esc, Action::Back, "Esc", text::BACK),
];

/// The view under the header.
enum View {
    Roster,
    /// The attendance sheet and the day under the cursor.
    Attendance(Sheet, usize),
    Outcomes(OutcomeView),
}

/// KPJ or rejection asked for the marked rows one after another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BatchKind {
    Kpj,
    Reject,
}

struct Batch {
    kind: BatchKind,
    /// Still to ask, in roster order; the first is being asked.
    queue: VecDeque<(i64, String)>,
    total: usize,
    done: usize,
    /// The last rejection reason typed, offered again for the next row.
    last_reason: String,
}

pub struct CohortScreen {
    cohort: CohortRow,
    covered: u32,
    not_ready: Vec<NotReady>,
    /// Enrolled and waitlisted, in that order (withdrawn are left out).
    roster: Vec<RosterRow>,
    selected: BTreeSet<i64>,
    list: ListNav,
    /// The last change's outcome, shown under the header (always, even at 80x24).
    notice: Option<(String, Style)>,
    view: View,
    batch: Option<Batch>,
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
            view: View::Roster,
            batch: None,
        };
        screen.reload(ctx)?;
        Ok(screen)
    }

    /// The screen with a message under its header (after the cohort was created, say).
    pub fn with_notice(mut self, notice: String) -> CohortScreen {
        self.notice = Some((notice, theme::ok()));
        self
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
        match &mut self.view {
            View::Roster => {}
            View::Attendance(old, day) => {
                let fresh = sheet(&ctx.conn, self.cohort.id, ctx.today).map_err(err)?;
                *day = (*day).min(fresh.days.len().saturating_sub(1));
                *old = fresh;
            }
            View::Outcomes(view) => *view = OutcomeView::load(ctx, self.cohort.id)?,
        }
        self.list.set_len(self.rows_len());
        Ok(())
    }

    fn rows_len(&self) -> usize {
        match &self.view {
            View::Roster => self.roster.len(),
            View::Attendance(sheet, _) => sheet.rows.len(),
            View::Outcomes(view) => view.rows.len(),
        }
    }

    /// Roster, then attendance (opening on today's training day, or the first), then outcomes.
    fn next_view(&mut self, ctx: &Ctx) -> Nav {
        let next = match self.view {
            View::Roster => sheet(&ctx.conn, self.cohort.id, ctx.today)
                .map(|sheet| {
                    let day = sheet
                        .days
                        .iter()
                        .rposition(|d| *d <= ctx.today)
                        .unwrap_or(0);
                    View::Attendance(sheet, day)
                })
                .map_err(|e| e.text(ctx.lang)),
            View::Attendance(..) => OutcomeView::load(ctx, self.cohort.id).map(View::Outcomes),
            View::Outcomes(_) => Ok(View::Roster),
        };
        match next {
            Ok(view) => {
                self.view = view;
                self.list.reset(self.rows_len());
                Nav::Stay
            }
            Err(e) => Nav::Error(e),
        }
    }

    fn mark(&mut self, ctx: &Ctx, status: AttendanceStatus) -> Nav {
        let View::Attendance(sheet, day) = &self.view else {
            return Nav::Stay;
        };
        let Some(row) = self.list.selected().and_then(|i| sheet.rows.get(i)) else {
            return Nav::Stay;
        };
        let Some(date) = sheet.days.get(*day).copied() else {
            return Nav::Stay;
        };
        let name = row.name.clone();
        match attendance::record(
            &ctx.conn,
            &ctx.actor,
            row.enrollment_id,
            date,
            status,
            ctx.today,
        ) {
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

    /// The marked participants in the roster's order, or the current one when none is marked.
    fn targets(&self) -> Vec<&RosterRow> {
        if self.selected.is_empty() {
            self.current().into_iter().collect()
        } else {
            self.roster
                .iter()
                .filter(|r| self.selected.contains(&r.enrollment_id))
                .collect()
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
        self.notice = Some((notice, theme::ok()));
        match self.reload(ctx) {
            Ok(()) => Nav::Stay,
            Err(e) => Nav::Error(e),
        }
    }

    /// Starts asking KPJ or rejection for the marked rows (or the current one). A batch of
    /// several asks only the rows BPJS has an answer for (submitted); one row is always asked
    /// (the rule then says why not), and F3 on active coverage corrects its KPJ.
    fn start_batch(&mut self, kind: BatchKind, ctx: &Ctx) -> Nav {
        let targets = self.targets();
        let single = targets.len() == 1;
        if single
            && kind == BatchKind::Kpj
            && targets[0].coverage_status == Some(CoverageStatus::Active)
        {
            let row = targets[0];
            return Nav::Push(Box::new(Prompt::text(
                Ask::KpjCorrection {
                    enrollment_id: row.enrollment_id,
                    name: row.name.clone(),
                },
                ctx.t(run_text::CORRECT_KPJ).to_string(),
                run_text::correct_kpj_question(ctx.lang, &row.name),
                row.kpj.as_deref().unwrap_or(""),
            )));
        }
        let queue: VecDeque<(i64, String)> = targets
            .iter()
            .filter(|r| single || r.coverage_status == Some(CoverageStatus::Submitted))
            .map(|r| (r.enrollment_id, r.name.clone()))
            .collect();
        let skipped = targets.len() - queue.len();
        if queue.is_empty() {
            return Nav::Error(if targets.is_empty() {
                ctx.t(text::NOTHING_SELECTED).to_string()
            } else {
                run_text::none_submitted(ctx.lang, skipped)
            });
        }
        self.notice = (skipped > 0).then(|| {
            (
                run_text::skipped_not_submitted(ctx.lang, skipped),
                theme::warning(),
            )
        });
        self.batch = Some(Batch {
            kind,
            total: queue.len(),
            queue,
            done: 0,
            last_reason: String::new(),
        });
        self.ask_next(ctx, None, "")
    }

    /// Asks the batch's next row (or the same one again, with `error` and what was typed).
    fn ask_next(&mut self, ctx: &Ctx, error: Option<String>, typed: &str) -> Nav {
        let Some(batch) = &self.batch else {
            return Nav::Stay;
        };
        let Some((enrollment_id, name)) = batch.queue.front().cloned() else {
            let done = batch.done;
            self.batch = None;
            return self.after_change(ctx, run_text::batch_done(ctx.lang, done));
        };
        let lang = ctx.lang;
        let place = (batch.total > 1).then(|| (batch.done + 1, batch.total));
        let mut question = match batch.kind {
            BatchKind::Kpj => run_text::kpj_question(lang, &name, place),
            BatchKind::Reject => run_text::reject_question(lang, &name, place),
        };
        if let Some(error) = error {
            question = format!("{error} {question}");
        }
        let (ask, title, initial) = match batch.kind {
            BatchKind::Kpj => (
                Ask::Kpj {
                    enrollment_id,
                    name,
                },
                ctx.t(text::ACTIVATE),
                typed.to_string(),
            ),
            BatchKind::Reject => (
                Ask::CoverageRejected {
                    enrollment_id,
                    name,
                },
                ctx.t(text::REJECT),
                if typed.is_empty() {
                    batch.last_reason.clone()
                } else {
                    typed.to_string()
                },
            ),
        };
        Nav::Push(Box::new(Prompt::text(
            ask,
            title.to_string(),
            question,
            &initial,
        )))
    }

    /// The answer for the batch's current row: on to the next, or the same row again.
    fn batch_answered(
        &mut self,
        ctx: &Ctx,
        result: Result<(), coverage::CoverageChangeError>,
        typed: &str,
    ) -> Nav {
        let lang = ctx.lang;
        match result {
            Ok(()) => {
                if let Some(batch) = &mut self.batch {
                    batch.queue.pop_front();
                    batch.done += 1;
                    if batch.kind == BatchKind::Reject {
                        batch.last_reason = typed.to_string();
                    }
                }
                if let Err(e) = self.reload(ctx) {
                    return Nav::Error(e);
                }
                self.ask_next(ctx, None, "")
            }
            Err(e) if self.batch.as_ref().is_some_and(|b| b.total > 1) => {
                self.ask_next(ctx, Some(e.text(lang)), typed)
            }
            Err(e) => {
                self.batch = None;
                Nav::Error(e.text(lang))
            }
        }
    }

    fn answer(&mut self, reply: PromptReply, ctx: &mut Ctx) -> Nav {
        let lang = ctx.lang;
        if let View::Outcomes(view) = &self.view
            && let Some(result) = view.answer(&reply, ctx, self.cohort.id)
        {
            return match result {
                Ok(notice) => self.after_change(ctx, notice),
                Err(e) => Nav::Error(e),
            };
        }
        match reply.ask {
            Ask::Kpj { enrollment_id, .. } => {
                let result = coverage::activate(&ctx.conn, &ctx.actor, enrollment_id, &reply.text);
                self.batch_answered(ctx, result, &reply.text)
            }
            Ask::CoverageRejected { enrollment_id, .. } => {
                let result = coverage::reject(&ctx.conn, &ctx.actor, enrollment_id, &reply.text);
                self.batch_answered(ctx, result, &reply.text)
            }
            Ask::KpjCorrection {
                enrollment_id,
                name,
            } => Nav::Push(Box::new(Prompt::text(
                Ask::KpjCorrectionReason {
                    enrollment_id,
                    name: name.clone(),
                    kpj: reply.text.clone(),
                },
                ctx.t(run_text::CORRECT_KPJ).to_string(),
                run_text::correct_reason_question(lang, &name, &reply.text),
                "",
            ))),
            Ask::KpjCorrectionReason {
                enrollment_id,
                name,
                kpj,
            } => {
                match coverage::correct_kpj(&ctx.conn, &ctx.actor, enrollment_id, &kpj, &reply.text)
                {
                    Ok(()) => self.after_change(ctx, run_text::kpj_corrected(lang, &name, &kpj)),
                    Err(e) => Nav::Error(e.text(lang)),
                }
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

    /// What the edit form did, told under the header: saved, who moved up from the waitlist,
    /// whose other cohorts now overlap.
    fn edited(&mut self, ctx: &Ctx, outcome: &EditOutcome) -> Nav {
        let lang = ctx.lang;
        let mut parts = vec![format!("{}: {}", self.cohort.code, ctx.t(text::SAVED))];
        parts.extend(
            outcome
                .promoted
                .iter()
                .map(|p| run_text::promoted(lang, &p.name)),
        );
        let warn = !outcome.overlaps.is_empty();
        parts.extend(outcome.overlaps.iter().map(|o| run_text::overlap(lang, o)));
        let nav = self.after_change(ctx, parts.join(" · "));
        if warn && let Some((_, style)) = &mut self.notice {
            *style = theme::warning();
        }
        nav
    }

    /// The question before F5: the next status, and for completion what is still missing.
    fn advance_question(&self, ctx: &Ctx, to: CohortStatus) -> String {
        let lang = ctx.lang;
        let mut question = format!(
            "{} {}: {}",
            ctx.t(text::NEXT_STEP),
            to.label(lang),
            self.cohort.code
        );
        if to == CohortStatus::Completed {
            match cohorts::completion_gaps(&ctx.conn, self.cohort.id, ctx.today) {
                Ok(gaps) => {
                    for line in run_text::completion_gaps(lang, &gaps) {
                        question.push_str(&format!(". {line}"));
                    }
                }
                Err(e) => question.push_str(&format!(". {}", e.text(lang))),
            }
        }
        question
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
        match self.view {
            View::Roster => KEYS,
            View::Attendance(..) => ATTENDANCE_KEYS,
            View::Outcomes(_) => OUTCOME_KEYS,
        }
    }
}

impl Screen for CohortScreen {
    fn title(&self, lang: Lang) -> String {
        format!("{} {}", text::COHORT_TITLE.get(lang), self.cohort.code)
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        let mut all = hints(self.keys(), lang);
        if let View::Outcomes(_) = self.view {
            all.splice(1..1, hints(cohort_outcomes::KEYS, lang));
        }
        all.extend(self.list.hints(lang));
        all
    }
    fn handle_reply(&mut self, reply: Reply, ctx: &mut Ctx) -> Nav {
        match reply {
            Reply::Prompt(reply) => self.answer(reply, ctx),
            Reply::CohortEdited(outcome) => self.edited(ctx, &outcome),
            _ => Nav::Stay,
        }
    }
    fn resumed(&mut self, ctx: &mut Ctx) -> Nav {
        // A prompt closed with Esc: a batch of KPJ or rejections stops where it is.
        if let Some(batch) = self.batch.take() {
            return self.after_change(
                ctx,
                run_text::batch_stopped(ctx.lang, batch.done, batch.total),
            );
        }
        Nav::Stay
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        let lang = ctx.lang;
        if let View::Outcomes(view) = &self.view
            && lookup(self.keys(), &key).is_none()
        {
            match view.handle_key(&key, &mut self.list, ctx) {
                Some(Handled::Changed(notice)) => return self.after_change(ctx, notice),
                Some(Handled::Nav(nav)) => return nav,
                None => {}
            }
        }
        match lookup(self.keys(), &key) {
            Some(Action::View) => return self.next_view(ctx),
            Some(Action::Mark(status)) => return self.mark(ctx, status),
            Some(step @ (Action::PrevDay | Action::NextDay)) => {
                if let View::Attendance(sheet, day) = &mut self.view {
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
                let targets: Vec<i64> = self.targets().iter().map(|r| r.enrollment_id).collect();
                if targets.is_empty() {
                    return Nav::Error(ctx.t(text::NOTHING_SELECTED).to_string());
                }
                return match coverage::submit(&ctx.conn, &ctx.actor, &targets) {
                    Ok(n) => self.after_change(ctx, format!("{n} {}", ctx.t(text::SUBMITTED_N))),
                    Err(e) => Nav::Error(e.text(lang)),
                };
            }
            Some(Action::Activate) => return self.start_batch(BatchKind::Kpj, ctx),
            Some(Action::Reject) => return self.start_batch(BatchKind::Reject, ctx),
            Some(Action::Advance) => {
                if let Some(to) = self.advance_to() {
                    return Nav::Push(Box::new(Prompt::confirm(
                        Ask::AdvanceCohort,
                        ctx.t(text::ADVANCE).to_string(),
                        self.advance_question(ctx, to),
                    )));
                }
            }
            Some(Action::Edit) => {
                return match CohortForm::edit(ctx, self.cohort.clone()) {
                    Ok(form) => Nav::Push(Box::new(form)),
                    Err(e) => Nav::Error(e),
                };
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
                self.notice = Some(match paper::print(ctx, gathered) {
                    Ok(message) => (message, theme::ok()),
                    Err(message) => (message, theme::warning()),
                });
            }
            Some(Action::Back) => return Nav::Pop,
            Some(_) => {}
            None if self.list.handle_key(&key) => {}
            None => return Nav::Ignored,
        }
        Nav::Stay
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let head = self.header(ctx, area);
        let height = wrapped_height(&head, area.width);
        let [head_area, table_area] =
            Layout::vertical([Constraint::Length(height), Constraint::Min(5)]).areas(area);
        frame.render_widget(Paragraph::new(head).wrap(Wrap { trim: true }), head_area);
        match &self.view {
            View::Roster => self.render_roster(frame, table_area, ctx),
            View::Attendance(..) => self.render_attendance(frame, table_area, ctx),
            View::Outcomes(view) => view.render(frame, table_area, &mut self.list, ctx),
        }
    }
}

/// Rows `lines` take wrapped into `width` columns (whole words move to the next row).
fn wrapped_height(lines: &[Line], width: u16) -> u16 {
    let width = usize::from(width.max(1));
    lines
        .iter()
        .map(|l| {
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            let mut rows = 1;
            let mut used = 0;
            for word in text.split(' ') {
                let len = word.chars().count();
                let need = if used == 0 { len } else { used + 1 + len };
                if need <= width {
                    used = need;
                } else {
                    rows += 1;
                    used = len.min(width);
                }
            }
            rows as u16
        })
        .sum()
}

impl CohortScreen {
    /// The header: what the cohort is, its fill and coverage, readiness (before the start and
    /// while running) and the last message. When the screen is short the instructor and BNSP
    /// lines give way first: readiness and the message always show.
    fn header(&self, ctx: &Ctx, area: Rect) -> Vec<Line<'static>> {
        let width = area.width;
        let lang = ctx.lang;
        let c = &self.cohort;
        let mut head = vec![
            Line::raw(format!(
                "{} · {} · {}",
                c.course,
                c.place(),
                c.status.label(lang)
            )),
            Line::raw(format!(
                "{} – {} ({}) · {}: {} ({} {}) · {}: {} · {}: {}/{}",
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
                c.enrolled,
            )),
        ];
        let mut optional = vec![Line::raw(format!(
            "{}: {} · {}: {}",
            ctx.t(text::INSTRUCTOR),
            c.instructor.as_deref().unwrap_or("-"),
            ctx.t(text::FUNDING),
            c.funding.code().to_uppercase()
        ))];
        if let Some(w) = c.bnsp_warning(ctx.today) {
            optional.push(Line::styled(w.text(lang), theme::warning()));
        }
        let mut required = Vec::new();
        if applies(c.status) {
            let (line, style) = if self.not_ready.is_empty() {
                (ctx.t(text::READY).to_string(), theme::ok())
            } else {
                let reasons: Vec<String> = self.not_ready.iter().map(|r| r.text(lang)).collect();
                (
                    format!("{}: {}", ctx.t(text::NOT_READY), reasons.join("; ")),
                    theme::warning(),
                )
            };
            required.push(Line::styled(line, style));
        }
        if let Some((notice, style)) = &self.notice {
            required.push(Line::styled(notice.clone(), *style));
        }
        // The table keeps at least 6 rows of the body.
        let budget = area.height.saturating_sub(6);
        let fixed = wrapped_height(&head, width) + wrapped_height(&required, width);
        let mut used = fixed;
        for line in optional {
            let h = wrapped_height(std::slice::from_ref(&line), width);
            if used + h <= budget {
                used += h;
                head.push(line);
            }
        }
        head.extend(required);
        head
    }

    fn render_roster(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let [table_area, detail_area] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
        // KPJ and the rejection reason get columns when there is room; at 80 columns the line
        // under the table tells them for the row under the cursor.
        let wide = table_area.width >= 100;
        let titles = [
            text::COL_NAME,
            text::COL_NIK,
            text::COL_STATE,
            text::COL_COVERAGE,
            text::COL_KPJ,
            run_text::COL_REASON,
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
                let mut cover = r.coverage_status.map_or("-", |s| s.label(lang)).to_string();
                if r.needs_resubmission {
                    cover = format!("{cover} ({})", ctx.t(text::COV_RESUBMIT));
                } else if r.reject_reason.is_some() && !wide {
                    cover.push_str(" !");
                }
                let mut cells = vec![
                    Cell::from(format!("{mark}{:>3}", i + 1)),
                    Cell::from(r.name.clone()),
                    Cell::from(mask_nik(&r.nik)),
                    Cell::from(r.status.label(lang)),
                    Cell::from(cover),
                ];
                if wide {
                    cells.push(Cell::from(r.kpj.clone().unwrap_or_default()));
                    cells.push(Cell::from(r.reject_reason.clone().unwrap_or_default()));
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
            widths.push(Constraint::Min(16));
        }
        self.list
            .set_page(table_area.height.saturating_sub(3).into());
        let title = if self.selected.is_empty() {
            format!(" {} ", ctx.t(text::ROSTER))
        } else {
            format!(
                " {} · {} ",
                ctx.t(text::ROSTER),
                run_text::marked(lang, self.selected.len())
            )
        };
        let table = Table::new(rows, widths)
            .header(header)
            .block(Block::bordered().title(title))
            .column_spacing(1)
            .row_highlight_style(theme::selected());
        self.list.render_table(frame, table, table_area);
        if let Some(r) = self.current() {
            let style = if r.reject_reason.is_some() {
                theme::warning()
            } else {
                theme::muted()
            };
            let line = run_text::roster_detail(lang, r);
            frame.render_widget(Paragraph::new(Line::styled(line, style)), detail_area);
        }
        let rows_area = table_area.inner(ratatui::layout::Margin::new(0, 1));
        self.list
            .place_cursor(frame, table_area.x + 2, table_area.y + 2, rows_area);
    }

    /// The attendance grid: a window of training days around the cursor day, one letter each
    /// (H hadir, I izin, S sakit, A alpa), and each participant's rate against the minimum.
    fn render_attendance(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let View::Attendance(sheet, day) = &self.view else {
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
            } else if sheet.days[i] > ctx.today {
                theme::muted()
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
        let col = window.iter().position(|i| i == day).unwrap_or(0) as u16;
        self.list.render_table(frame, table, area);
        let rows_area = area.inner(ratatui::layout::Margin::new(0, 1));
        self.list.place_cursor(
            frame,
            area.x + 1 + 23 + 8 + col * 6 + 2,
            area.y + 2,
            rows_area,
        );
    }
}
