//! Data penduduk: one resident with every field, the priority data, the full NIK with what it
//! says, the enrollment history with coverage, and the family on the same KK. Opening it
//! records a `view_nik` audit event (UU 27/2022); showing it again after a change does not.
//! The only screen that shows a full NIK.
//!
//! At the desk, on the history and family rows (↑↓): withdraw from a cohort (a reason, then a
//! confirmation that says whose turn the seat becomes, then who was promoted), mark the
//! coverage as submitted to BPJS, open a family member, register a new one with the family's
//! KK, address, RT/RW and desa. Writes only through `db::enrollment` and `db::coverage`.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::confirm::{Answer, Confirm, Purpose};
use super::prompt::{Ask, Prompt};
use super::resident_form::{Carried, ResidentForm};
use crate::db::residents::{self, EnrollmentRecord, Resident, ResidentHit};
use crate::db::{coverage, enrollment, print, reference};
use crate::domain::enrollment::EnrollmentStatus;
use crate::domain::nik::{format_nik, mask_nik, parse_nik};
use crate::domain::person::age_on;
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::paper;
use crate::ui::text::{Lang, Localized, desk as text, print as print_text};
use crate::ui::widgets::ListNav;
use crate::ui::{Ctx, Nav, Reply, Screen, theme};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Edit,
    Enroll,
    Withdraw,
    Submit,
    NewMember,
    Open,
    PrintReceipt,
    Back,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::F(4), Action::Enroll, "F4", text::ENROLL),
    Binding::new(KeyCode::F(5), Action::Withdraw, "F5", text::WITHDRAW),
    Binding::new(KeyCode::F(6), Action::Submit, "F6", text::SUBMIT_BPJS),
    Binding::new(KeyCode::F(3), Action::Edit, "F3", text::EDIT),
    Binding::new(KeyCode::F(2), Action::NewMember, "F2", text::NEW_MEMBER),
    Binding::new(
        KeyCode::Enter,
        Action::Open,
        "Enter",
        text::OPEN_MEMBER_OR_EDIT,
    )
    .help_only(),
    Binding::new(
        KeyCode::F(7),
        Action::PrintReceipt,
        "F7",
        print_text::KEY_PRINT_RECEIPT,
    ),
    Binding::new(KeyCode::Esc, Action::Back, "Esc", text::BACK).help_only(),
];

/// What a row of the lower half is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum RowOf {
    History(usize),
    Family(usize),
}

pub struct ResidentScreen {
    resident: Resident,
    /// What the NIK says: kecamatan of registration, birth date, sex (None: not parseable).
    nik_explained: Option<(String, chrono::NaiveDate, crate::domain::nik::Sex)>,
    history: Vec<EnrollmentRecord>,
    family: Vec<ResidentHit>,
    /// The selection over the history rows, then the family rows.
    list: ListNav,
    /// First line of the lower half drawn (kept so the selected row stays in view).
    scroll: usize,
    /// The answer to the last action (withdrawn, submitted, or why not).
    message: Option<(String, Style)>,
}

impl ResidentScreen {
    /// Loads the resident and records that the full NIK is being shown (audited as a view).
    pub fn open(ctx: &Ctx, id: i64) -> Result<ResidentScreen, String> {
        residents::record_nik_view(&ctx.conn, &ctx.actor, id).map_err(|e| e.text(ctx.lang))?;
        ResidentScreen::load(ctx, id)
    }

    /// Loads the resident, the history and the family (no audit row: `open` wrote it).
    fn load(ctx: &Ctx, id: i64) -> Result<ResidentScreen, String> {
        let lang = ctx.lang;
        let resident = residents::get(&ctx.conn, id)
            .map_err(|e| e.text(lang))?
            .ok_or_else(|| ctx.t(text::RESIDENT_GONE).to_string())?;
        let history = residents::enrollment_history(&ctx.conn, id).map_err(|e| e.text(lang))?;
        let family = match &resident.kk {
            Some(kk) => residents::family(&ctx.conn, kk, id).map_err(|e| e.text(lang))?,
            None => Vec::new(),
        };
        let lookup = |code: &str| {
            reference::district_name_by_prefix(&ctx.conn, code)
                .ok()
                .flatten()
        };
        let nik_explained = parse_nik(&resident.nik, ctx.today, &lookup)
            .ok()
            .map(|info| {
                (
                    format!("{} ({})", info.district_name, info.district_code),
                    info.birth_date,
                    info.sex,
                )
            });
        let mut list = ListNav::new();
        list.set_len(history.len() + family.len());
        Ok(ResidentScreen {
            resident,
            nik_explained,
            history,
            family,
            list,
            scroll: 0,
            message: None,
        })
    }

    /// The resident's id.
    pub fn resident_id(&self) -> i64 {
        self.resident.id
    }

    fn selected(&self) -> Option<RowOf> {
        let row = self.list.selected()?;
        if row < self.history.len() {
            Some(RowOf::History(row))
        } else {
            let member = row - self.history.len();
            (member < self.family.len()).then_some(RowOf::Family(member))
        }
    }

    /// The enrollment an action applies to: the selected history row, or the only one that is
    /// still live when a family row (or nothing) is selected.
    fn target(&self) -> Option<&EnrollmentRecord> {
        let live = |e: &&EnrollmentRecord| e.status.is_live() && !e.cohort_status.is_closed();
        match self.selected() {
            Some(RowOf::History(i)) => self.history.get(i),
            _ => {
                let mut open = self.history.iter().filter(live);
                match (open.next(), open.next()) {
                    (Some(only), None) => Some(only),
                    _ => None,
                }
            }
        }
    }

    fn details(&self, ctx: &Ctx) -> Vec<Line<'static>> {
        let r = &self.resident;
        let lang = ctx.lang;
        let t = |m: crate::ui::text::Msg| m.get(lang);
        let label =
            |m: crate::ui::text::Msg| Span::styled(format!("{:<15}", m.get(lang)), theme::header());
        let dash = |s: &str| {
            if s.trim().is_empty() {
                "-".to_string()
            } else {
                s.to_string()
            }
        };
        let mut lines = Vec::new();
        let sex_label = text::sex_label(r.sex, lang);
        lines.push(Line::from(vec![
            Span::styled(r.name.clone(), theme::focused()),
            Span::raw(format!(
                "  {} · {} {}",
                sex_label,
                age_on(r.birth_date, ctx.today),
                t(text::YEARS)
            )),
        ]));
        lines.push(Line::from(vec![
            label(text::F_NIK),
            Span::raw(format_nik(&r.nik)),
        ]));
        let explained = match &self.nik_explained {
            Some((district, birth, nik_sex)) => format!(
                "{} {} · {} {} · {}",
                t(text::NIK_REGISTERED_IN),
                district,
                t(text::NIK_BORN),
                birth.format("%d-%m-%Y"),
                text::sex_label(*nik_sex, lang)
            ),
            None => t(text::NIK_UNREADABLE).to_string(),
        };
        let mut explain = vec![
            Span::raw(" ".repeat(15)),
            Span::styled(explained, theme::muted()),
        ];
        if r.nik_mismatch_confirmed {
            explain.push(Span::styled(
                format!(" ({})", t(text::MISMATCH_CONFIRMED)),
                theme::warning(),
            ));
        }
        lines.push(Line::from(explain));
        lines.push(Line::from(vec![
            label(text::F_KK),
            Span::raw(
                r.kk.as_deref()
                    .map(format_nik)
                    .unwrap_or_else(|| "-".into()),
            ),
        ]));
        lines.push(Line::from(vec![
            label(text::F_BIRTH),
            Span::raw(format!(
                "{}, {}",
                dash(&r.birth_place),
                r.birth_date.format("%d-%m-%Y")
            )),
        ]));
        lines.push(Line::from(vec![
            label(text::F_ADDRESS),
            Span::raw(format!(
                "{} RT {} / RW {}",
                dash(&r.address),
                dash(&r.rt),
                dash(&r.rw)
            )),
        ]));
        lines.push(Line::from(vec![
            label(text::F_VILLAGE),
            Span::raw(match (&r.village_name, &r.district_name, &r.regency_name) {
                (Some(v), Some(d), Some(g)) => format!("{v}, {} {d}, {g}", t(text::KEC)),
                _ => "-".into(),
            }),
        ]));
        lines.push(Line::from(vec![
            label(text::F_PHONE),
            Span::raw(dash(&r.phone)),
        ]));
        lines.push(Line::from(vec![
            label(text::F_EDUCATION),
            Span::raw(
                r.education
                    .and_then(|e| text::education_label(e, lang))
                    .unwrap_or("-")
                    .to_string(),
            ),
            Span::raw("   "),
            Span::styled(format!("{} ", t(text::F_EMPLOYMENT)), theme::header()),
            Span::raw(
                r.employment
                    .map(|e| crate::ui::text::resident::employment_label(e, lang))
                    .unwrap_or("-")
                    .to_string(),
            ),
        ]));
        let desil = match (r.desil, &r.desil_source, r.desil_as_of) {
            (Some(d), source, as_of) => format!(
                "{} {d} ({}{})",
                t(text::DESIL),
                source.clone().unwrap_or_else(|| "-".into()),
                as_of
                    .map(|a| format!(", {} {}", t(text::AS_OF), a.format("%d-%m-%Y")))
                    .unwrap_or_default()
            ),
            (None, _, _) => format!("{} -", t(text::DESIL)),
        };
        let yes_no = |b: bool| if b { t(text::YES) } else { t(text::NO) };
        lines.push(Line::from(vec![
            label(text::PRIORITY),
            Span::raw(format!(
                "{desil} · {} {} · {} {}",
                t(text::STUNTING),
                yes_no(r.stunting_household),
                t(text::DISABILITY),
                yes_no(r.disability)
            )),
        ]));
        lines
    }

    /// The lower half: the history, then the family; each row with its place in the selection.
    fn rows(&self, ctx: &Ctx, width: usize) -> Vec<(Option<usize>, Line<'static>)> {
        let lang = ctx.lang;
        let t = |m: crate::ui::text::Msg| m.get(lang);
        let mut lines = vec![(
            None,
            Line::styled(format!("── {} ──", t(text::HISTORY)), theme::header()),
        )];
        if self.history.is_empty() {
            lines.push((
                None,
                Line::styled(format!(" {}", t(text::NO_HISTORY)), theme::muted()),
            ));
        }
        // The course name takes what the other columns leave (the cohort code names it too).
        let code_width = self
            .history
            .iter()
            .map(|e| e.cohort_code.chars().count())
            .max()
            .unwrap_or(0)
            .min(20);
        let course_width = width.saturating_sub(code_width + 50).max(8);
        for (i, e) in self.history.iter().enumerate() {
            // A participant's outcome says more than "enrolled" once there is one.
            let status = match e.outcome {
                Some(outcome) => text::outcome_label(outcome, lang),
                None => text::enrollment_label(e.status, lang),
            };
            lines.push((
                Some(i),
                Line::raw(format!(
                    " {:<code_width$} {:<course_width$} {} {:<8} {:<9} BPJS {}",
                    cut(&e.cohort_code, code_width),
                    cut(&e.course_name, course_width),
                    crate::ui::text::cohorts::short_dates(e.start_date, e.end_date),
                    text::cohort_label(e.cohort_status, lang),
                    status,
                    e.coverage_status
                        .map_or("-", |c| text::coverage_label(c, lang)),
                )),
            ));
            if let Some(line) = crate::ui::text::cohort_run::certificate_and_toolkit(
                lang,
                e.certificate_no.as_deref(),
                e.toolkit_handed_on,
            ) {
                lines.push((Some(i), Line::styled(line, theme::ok())));
            }
        }
        lines.push((
            None,
            Line::styled(format!("── {} ──", t(text::FAMILY)), theme::header()),
        ));
        if self.family.is_empty() {
            lines.push((
                None,
                Line::styled(format!(" {}", t(text::NO_FAMILY)), theme::muted()),
            ));
        }
        for (i, f) in self.family.iter().enumerate() {
            let marker = match f.live_enrollment {
                Some(EnrollmentStatus::Enrolled) => t(text::ENROLLED),
                Some(EnrollmentStatus::Waitlisted) => t(text::WAITLISTED),
                _ => "",
            };
            lines.push((
                Some(self.history.len() + i),
                Line::raw(format!(
                    " {:<28} {}  {}  {:>3}  {}",
                    cut(&f.name, 28),
                    mask_nik(&f.nik),
                    f.sex,
                    age_on(f.birth_date, ctx.today),
                    marker
                )),
            ));
        }
        lines
    }

    /// The receipt of the newest live (enrolled or waitlisted) place in a cohort not yet over.
    fn print_receipt(&mut self, ctx: &Ctx) {
        let live = self.history.iter().find(|e| {
            matches!(
                e.status,
                EnrollmentStatus::Enrolled | EnrollmentStatus::Waitlisted
            ) && !e.cohort_status.is_closed()
        });
        let Some(live) = live else {
            self.say(
                ctx.t(print_text::NO_LIVE_ENROLLMENT).to_string(),
                theme::warning(),
            );
            return;
        };
        let gathered = match enrollment::cohort_id_by_code(&ctx.conn, &live.cohort_code) {
            Ok(Some(cohort)) => print::receipt(&ctx.conn, &ctx.actor, self.resident.id, cohort),
            Ok(None) => Err(print::PrintError::CohortNotFound(live.cohort_code.clone())),
            Err(e) => Err(e.into()),
        };
        match paper::print(ctx, gathered) {
            Ok(done) => self.say(done, theme::ok()),
            Err(why) => self.say(why, theme::warning()),
        }
    }

    /// Shows the resident again from the database (after a change), keeping the selection.
    fn reload(&mut self, ctx: &Ctx) -> Nav {
        match ResidentScreen::load(ctx, self.resident.id) {
            Ok(fresh) => {
                let (selected, scroll, message) =
                    (self.list.selected(), self.scroll, self.message.take());
                *self = fresh;
                if let Some(row) = selected {
                    self.list.select(row);
                }
                self.scroll = scroll;
                self.message = message;
                Nav::Stay
            }
            Err(message) => Nav::Error(message),
        }
    }

    fn say(&mut self, text: String, style: Style) {
        self.message = Some((text, style));
    }

    /// F5: asks the reason first (the confirmation follows the answer).
    fn withdraw(&mut self, ctx: &mut Ctx) -> Nav {
        let Some(target) = self.target() else {
            self.say(ctx.t(text::PICK_ENROLLMENT).to_string(), theme::warning());
            return Nav::Stay;
        };
        if !target.status.is_live() || target.cohort_status.is_closed() {
            let why = text::not_withdrawable(ctx.lang, &target.cohort_code);
            self.say(why, theme::warning());
            return Nav::Stay;
        }
        let code = target.cohort_code.clone();
        let cohort_id = match enrollment::cohort_id_by_code(&ctx.conn, &code) {
            Ok(Some(id)) => id,
            Ok(None) => return Nav::Error(ctx.t(text::RESIDENT_GONE).to_string()),
            Err(e) => return Nav::Error(e.text(ctx.lang)),
        };
        Nav::Push(Box::new(Prompt::text(
            Ask::WithdrawReason {
                cohort_id,
                cohort_code: code.clone(),
            },
            text::withdraw_title(ctx.lang, &code),
            ctx.t(text::WITHDRAW_REASON).to_string(),
            "",
        )))
    }

    /// After the reason: the confirmation, saying what happens to the seat.
    fn confirm_withdraw(&mut self, ctx: &Ctx, cohort_id: i64, code: &str, reason: String) -> Nav {
        let lang = ctx.lang;
        let seated = self
            .history
            .iter()
            .any(|e| e.cohort_code == code && e.status == EnrollmentStatus::Enrolled);
        let head = match enrollment::waitlist(&ctx.conn, cohort_id) {
            Ok(list) => list.first().map(|w| w.name.clone()),
            Err(e) => return Nav::Error(e.text(lang)),
        };
        let body = text::withdraw_body(lang, &self.resident.name, code, &reason, seated, head);
        Nav::Push(Box::new(Confirm::new(
            Purpose::Withdraw { cohort_id, reason },
            &text::withdraw_title(lang, code),
            body,
            Vec::new(),
        )))
    }

    fn do_withdraw(&mut self, ctx: &Ctx, cohort_id: i64, reason: &str) -> Nav {
        let lang = ctx.lang;
        let result = enrollment::withdraw(
            &ctx.conn,
            &ctx.actor,
            self.resident.id,
            cohort_id,
            Some(reason),
        );
        let nav = self.reload(ctx);
        match result {
            Ok(outcome) => {
                let said = text::withdrawn(lang, &self.resident.name, outcome.promoted.as_ref());
                self.say(said, theme::ok());
            }
            Err(e) => self.say(e.text(lang), theme::error()),
        }
        nav
    }

    /// F6: the coverage of the chosen enrollment was submitted to BPJS.
    fn submit(&mut self, ctx: &Ctx) -> Nav {
        let Some(target) = self.target() else {
            self.say(ctx.t(text::PICK_ENROLLMENT).to_string(), theme::warning());
            return Nav::Stay;
        };
        let (id, code) = (target.enrollment_id, target.cohort_code.clone());
        let result = coverage::submit(&ctx.conn, &ctx.actor, &[id]);
        let nav = self.reload(ctx);
        match result {
            Ok(_) => self.say(text::submitted(ctx.lang, &code), theme::ok()),
            Err(e) => self.say(e.text(ctx.lang), theme::error()),
        }
        nav
    }
}

fn cut(s: &str, width: usize) -> String {
    s.chars().take(width).collect()
}

impl Screen for ResidentScreen {
    fn title(&self, lang: Lang) -> String {
        text::RESIDENT_TITLE.get(lang).to_string()
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        let mut all = hints(KEYS, lang);
        all.extend(self.list.hints(lang));
        all
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        let action = lookup(KEYS, &key);
        if action.is_some() {
            self.message = None;
        }
        match action {
            Some(Action::Edit) => Nav::Push(Box::new(ResidentForm::edit(ctx, &self.resident))),
            Some(Action::Open) => match self.selected() {
                Some(RowOf::Family(i)) => match ResidentScreen::open(ctx, self.family[i].id) {
                    Ok(screen) => Nav::Push(Box::new(screen)),
                    Err(message) => Nav::Error(message),
                },
                _ => Nav::Push(Box::new(ResidentForm::edit(ctx, &self.resident))),
            },
            Some(Action::Enroll) => super::enroll::open(ctx, self.resident.id),
            Some(Action::Withdraw) => self.withdraw(ctx),
            Some(Action::Submit) => self.submit(ctx),
            Some(Action::PrintReceipt) => {
                self.print_receipt(ctx);
                Nav::Stay
            }
            Some(Action::NewMember) => Nav::Push(Box::new(ResidentForm::register(
                ctx,
                Carried::FamilyOf(self.resident.id),
            ))),
            Some(Action::Back) => Nav::Pop,
            None if self.list.handle_key(&key) => Nav::Stay,
            None => Nav::Ignored,
        }
    }
    fn resumed(&mut self, ctx: &mut Ctx) -> Nav {
        self.reload(ctx)
    }
    fn handle_reply(&mut self, reply: Reply, ctx: &mut Ctx) -> Nav {
        match reply {
            Reply::ResidentSaved => self.reload(ctx),
            Reply::WalkInDone => Nav::PopWith(Reply::WalkInDone),
            Reply::Prompt(answer) => match answer.ask {
                Ask::WithdrawReason {
                    cohort_id,
                    cohort_code,
                } => self.confirm_withdraw(ctx, cohort_id, &cohort_code, answer.text),
                _ => Nav::Stay,
            },
            Reply::Confirm(answer) => match (answer.purpose, answer.answer) {
                (Purpose::Withdraw { cohort_id, reason }, Answer::Yes) => {
                    self.do_withdraw(ctx, cohort_id, &reason)
                }
                _ => Nav::Stay,
            },
            _ => Nav::Stay,
        }
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let block = Block::bordered();
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let details = Paragraph::new(self.details(ctx)).wrap(Wrap { trim: false });
        let details_rows = details.line_count(inner.width) as u16;
        let message = self.message.clone().map(|(text, style)| {
            Paragraph::new(Line::styled(text, style)).wrap(Wrap { trim: true })
        });
        let message_rows = message
            .as_ref()
            .map_or(0, |m| m.line_count(inner.width) as u16);
        let [top, lower, bottom] = Layout::vertical([
            Constraint::Length(details_rows),
            Constraint::Min(3),
            Constraint::Length(message_rows),
        ])
        .areas(inner);
        frame.render_widget(details, top);
        if let Some(message) = message {
            frame.render_widget(message, bottom);
        }
        // The lower half scrolls to keep the selected row in view.
        let rows = self.rows(ctx, usize::from(lower.width));
        let height = usize::from(lower.height);
        self.list.set_page(height.saturating_sub(2).max(1));
        let at = rows
            .iter()
            .position(|(row, _)| row.is_some() && *row == self.list.selected());
        if let Some(at) = at {
            if at < self.scroll {
                // Keep the section heading above the first row in view.
                self.scroll = at.saturating_sub(1);
            } else if at >= self.scroll + height {
                self.scroll = at + 1 - height;
            }
        }
        self.scroll = self.scroll.min(rows.len().saturating_sub(height));
        let shown: Vec<Line> = rows
            .into_iter()
            .skip(self.scroll)
            .take(height)
            .map(|(row, line)| match row {
                Some(_) if row == self.list.selected() => line.style(theme::selected()),
                _ => line,
            })
            .collect();
        frame.render_widget(Paragraph::new(shown), lower);
        let cursor_y = at
            .filter(|at| *at >= self.scroll)
            .map_or(inner.y, |at| lower.y + (at - self.scroll) as u16);
        frame.set_cursor_position((inner.x, cursor_y.min(inner.bottom().saturating_sub(1))));
    }
}
