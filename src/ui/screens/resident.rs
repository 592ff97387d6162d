//! Data penduduk: one resident with every field, the priority data, the full NIK with what it
//! says, the enrollment history with coverage, and the family on the same KK. Opening it
//! records a `view_nik` audit event (UU 27/2022). The only screen that shows a full NIK.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::resident_form::ResidentForm;
use crate::db::residents::{self, EnrollmentRecord, Resident, ResidentHit};
use crate::db::{enrollment, print, reference};
use crate::domain::enrollment::EnrollmentStatus;
use crate::domain::nik::{format_nik, mask_nik, parse_nik};
use crate::domain::person::age_on;
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::paper::{self, Printed};
use crate::ui::text::{Lang, Localized, desk as text, print as print_text};
use crate::ui::{Ctx, Nav, Reply, Screen, theme};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Edit,
    Enroll,
    PrintReceipt,
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::F(3), Action::Edit, "F3", text::EDIT),
    Binding::new(KeyCode::Enter, Action::Edit, "Enter", text::EDIT).help_only(),
    Binding::new(KeyCode::F(4), Action::Enroll, "F4", text::ENROLL),
    Binding::new(
        KeyCode::F(7),
        Action::PrintReceipt,
        "F7",
        print_text::KEY_PRINT_RECEIPT,
    ),
    Binding::new(KeyCode::Esc, Action::Back, "Esc", text::BACK),
    Binding::new(KeyCode::Up, Action::Up, "↑", text::SCROLL_UP).help_only(),
    Binding::new(KeyCode::Down, Action::Down, "↓", text::SCROLL_DOWN).help_only(),
    Binding::new(KeyCode::PageUp, Action::PageUp, "PgUp", text::PAGE_UP).help_only(),
    Binding::new(KeyCode::PageDown, Action::PageDown, "PgDn", text::PAGE_DOWN).help_only(),
    Binding::new(KeyCode::Home, Action::First, "Home", text::FIRST).help_only(),
];

pub struct ResidentScreen {
    resident: Resident,
    /// What the NIK says: kecamatan of registration, birth date, sex (None: not parseable).
    nik_explained: Option<(String, chrono::NaiveDate, crate::domain::nik::Sex)>,
    history: Vec<EnrollmentRecord>,
    family: Vec<ResidentHit>,
    scroll: u16,
    height: u16,
    /// What the last print key did.
    printed: Option<Printed>,
}

impl ResidentScreen {
    /// Loads the resident, records that the full NIK is being shown, loads history and family.
    pub fn open(ctx: &Ctx, id: i64) -> Result<ResidentScreen, String> {
        let lang = ctx.lang;
        let resident = residents::get(&ctx.conn, id)
            .map_err(|e| e.text(lang))?
            .ok_or_else(|| ctx.t(text::RESIDENT_GONE).to_string())?;
        residents::record_nik_view(&ctx.conn, &ctx.actor, id).map_err(|e| e.text(lang))?;
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
        Ok(ResidentScreen {
            resident,
            nik_explained,
            history,
            family,
            scroll: 0,
            height: 10,
            printed: None,
        })
    }

    fn lines(&self, ctx: &Ctx) -> Vec<Line<'static>> {
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
        if let Some(printed) = &self.printed {
            lines.push(paper::line(printed));
        }
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
        lines.push(Line::styled(
            format!("── {} ──", t(text::HISTORY)),
            theme::header(),
        ));
        if self.history.is_empty() {
            lines.push(Line::styled(
                format!(" {}", t(text::NO_HISTORY)),
                theme::muted(),
            ));
        }
        for e in &self.history {
            let mut status = text::enrollment_label(e.status, lang).to_string();
            if let Some(outcome) = e.outcome {
                status = format!("{status}/{}", text::outcome_label(outcome, lang));
            }
            lines.push(Line::raw(format!(
                " {:<20} {:<14} {}–{} {:<8} {:<8} BPJS {}",
                cut(&e.cohort_code, 20),
                cut(&e.course_name, 14),
                e.start_date.format("%d-%m-%y"),
                e.end_date.format("%d-%m-%y"),
                text::cohort_label(e.cohort_status, lang),
                status,
                e.coverage_status
                    .map_or("-", |c| text::coverage_label(c, lang)),
            )));
            if let Some(line) = crate::ui::text::cohort_run::certificate_and_toolkit(
                lang,
                e.certificate_no.as_deref(),
                e.toolkit_handed_on,
            ) {
                lines.push(Line::styled(line, theme::ok()));
            }
        }
        lines.push(Line::styled(
            format!("── {} ──", t(text::FAMILY)),
            theme::header(),
        ));
        if self.family.is_empty() {
            lines.push(Line::styled(
                format!(" {}", t(text::NO_FAMILY)),
                theme::muted(),
            ));
        }
        for f in &self.family {
            let marker = match f.live_enrollment {
                Some(EnrollmentStatus::Enrolled) => t(text::ENROLLED),
                Some(EnrollmentStatus::Waitlisted) => t(text::WAITLISTED),
                _ => "",
            };
            lines.push(Line::raw(format!(
                " {:<28} {}  {}  {:>3}  {}",
                cut(&f.name, 28),
                mask_nik(&f.nik),
                f.sex,
                age_on(f.birth_date, ctx.today),
                marker
            )));
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
            self.printed = Some(Err(ctx.t(print_text::NO_LIVE_ENROLLMENT).to_string()));
            return;
        };
        let gathered = match enrollment::cohort_id_by_code(&ctx.conn, &live.cohort_code) {
            Ok(Some(cohort)) => print::receipt(&ctx.conn, &ctx.actor, self.resident.id, cohort),
            Ok(None) => Err(print::PrintError::CohortNotFound(live.cohort_code.clone())),
            Err(e) => Err(e.into()),
        };
        self.printed = Some(paper::print(ctx, gathered));
    }

    fn reload(&mut self, ctx: &Ctx) -> Nav {
        match ResidentScreen::open(ctx, self.resident.id) {
            Ok(fresh) => {
                let scroll = self.scroll;
                let printed = self.printed.take();
                *self = fresh;
                self.scroll = scroll;
                self.printed = printed;
                Nav::Stay
            }
            Err(message) => Nav::Error(message),
        }
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
        hints(KEYS, lang)
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        let page = self.height.saturating_sub(1).max(1);
        match lookup(KEYS, &key) {
            Some(Action::Edit) => {
                return Nav::Push(Box::new(ResidentForm::edit(ctx, &self.resident)));
            }
            Some(Action::Enroll) => return super::enroll::open(ctx, self.resident.id),
            Some(Action::PrintReceipt) => self.print_receipt(ctx),
            Some(Action::Back) => return Nav::Pop,
            Some(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(Action::Down) => self.scroll = self.scroll.saturating_add(1),
            Some(Action::PageUp) => self.scroll = self.scroll.saturating_sub(page),
            Some(Action::PageDown) => self.scroll = self.scroll.saturating_add(page),
            Some(Action::First) => self.scroll = 0,
            None => return Nav::Ignored,
        }
        Nav::Stay
    }
    fn resumed(&mut self, ctx: &mut Ctx) -> Nav {
        self.reload(ctx)
    }
    fn handle_reply(&mut self, reply: Reply, ctx: &mut Ctx) -> Nav {
        match reply {
            Reply::ResidentSaved => self.reload(ctx),
            _ => Nav::Stay,
        }
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let block = Block::bordered();
        let inner = block.inner(area);
        let lines = self.lines(ctx);
        self.height = inner.height;
        // Wrapped lines may add a few rows; the logical line count is a close enough bound.
        let max_scroll = (lines.len() as u16).saturating_sub(inner.height / 2);
        let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
        self.scroll = self.scroll.min(max_scroll);
        frame.render_widget(paragraph.scroll((self.scroll, 0)).block(block), area);
        frame.set_cursor_position((inner.x, inner.y));
    }
}
