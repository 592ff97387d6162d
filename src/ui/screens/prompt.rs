//! A one-line question over the screen (a KPJ number, a reason, a file name, or just Enter to
//! confirm). It answers the screen below with a `PromptReply` naming what was asked (`Ask`); it
//! never changes data itself.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::db::dashboard::Grouping;
use crate::db::settings::SettingKey;
use crate::ui::keymap::Hint;
use crate::ui::screens::operators::OperatorAsk;
use crate::ui::screens::reference_form::RefForm;
use crate::ui::text::{Lang, supervisor as text};
use crate::ui::widgets::TextField;
use crate::ui::{Ctx, Nav, Reply, Screen, widgets};

/// What a prompt asks for, with what the answer applies to; the asker matches on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// Cohort screen: the KPJ number that makes an enrollment's coverage active.
    Kpj { enrollment_id: i64, name: String },
    /// Cohort screen: why BPJS rejected an enrollment's coverage.
    CoverageRejected { enrollment_id: i64, name: String },
    /// Cohort screen: move the cohort to its next status (Enter confirms).
    AdvanceCohort,
    /// Cohort screen: the reason for cancelling the cohort.
    CancelCohort,
    /// Cohort screen: the file the BPJS list is written to.
    ExportBpjs,
    /// Cohort screen: the corrected KPJ of active coverage (a reason is asked next).
    KpjCorrection { enrollment_id: i64, name: String },
    /// Cohort screen: why the KPJ is corrected to `kpj`.
    KpjCorrectionReason {
        enrollment_id: i64,
        name: String,
        kpj: String,
    },
    /// Cohort screen, outcomes: the certificate number of a participant who passed.
    Certificate { enrollment_id: i64, name: String },
    /// Cohort screen, outcomes: the toolkit hand-over date.
    Toolkit { enrollment_id: i64, name: String },
    /// Cohort screen, outcomes: the follow-up of a graduate.
    Followup { enrollment_id: i64, name: String },
    /// Cohort screen, outcomes: every participant without an outcome passes (Enter confirms).
    PassRemaining,
    /// Reference data: recompute the end dates of the cohorts a holiday change on `date`
    /// (`added` or removed) touched (Enter confirms).
    RecomputeEnds {
        date: NaiveDate,
        added: bool,
        cohort_ids: Vec<i64>,
    },
    /// Dashboard: the target of one kecamatan or course in a year.
    Target {
        year: i32,
        grouping: Grouping,
        code: String,
    },
    /// Reference data: a holiday, typed as "date name".
    AddHoliday,
    /// Reference data: remove this holiday (Enter confirms).
    RemoveHoliday { date: NaiveDate },
    /// Reference data: an instructor's BNSP certificate, typed as "number expiry".
    Bnsp { instructor_id: i64 },
    /// Reference data: a setting's new value.
    Setting { key: SettingKey },
    /// Resident screen: why the resident withdraws from this cohort (may be empty).
    WithdrawReason { cohort_id: i64, cohort_code: String },
    /// Operators (admins): a step of adding an operator, setting a password, or a confirmation.
    Operator(OperatorAsk),
    /// Reference data: one field of an instructor, course or venue being added or edited.
    Reference(RefForm),
}

/// The answer: what was asked and the text typed (trimmed; empty for a confirmation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptReply {
    pub ask: Ask,
    pub text: String,
}

pub struct Prompt {
    ask: Ask,
    title: String,
    question: String,
    /// None: a confirmation, Enter alone answers.
    input: Option<TextField>,
}

impl Prompt {
    /// Asks for a line of text, starting with `initial`.
    pub fn text(ask: Ask, title: String, question: String, initial: &str) -> Prompt {
        Prompt {
            ask,
            title,
            question,
            input: Some(TextField::new(initial)),
        }
    }
    /// Asks for text over a value already set: the first character typed replaces it
    /// (`TextField::suggested`).
    pub fn replacing(ask: Ask, title: String, question: String, current: &str) -> Prompt {
        Prompt {
            input: Some(TextField::suggested(current)),
            ..Prompt::text(ask, title, question, "")
        }
    }
    /// Asks for a password: what is typed shows as dots and is answered as typed (not trimmed).
    pub fn secret(ask: Ask, title: String, question: String) -> Prompt {
        Prompt {
            input: Some(TextField::masked()),
            ..Prompt::text(ask, title, question, "")
        }
    }
    /// Asks Enter to go on.
    pub fn confirm(ask: Ask, title: String, question: String) -> Prompt {
        Prompt {
            ask,
            title,
            question,
            input: None,
        }
    }
}

impl Screen for Prompt {
    fn title(&self, _lang: Lang) -> String {
        self.title.clone()
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        vec![Hint {
            key: "Enter/Esc".into(),
            label: text::PROMPT_KEYS.get(lang),
            footer: true,
        }]
    }
    fn is_modal(&self) -> bool {
        true
    }
    fn captures_text(&self) -> bool {
        self.input.is_some()
    }
    fn handle_key(&mut self, key: KeyEvent, _ctx: &mut Ctx) -> Nav {
        match key.code {
            KeyCode::Esc => Nav::Pop,
            KeyCode::Enter => Nav::PopWith(Reply::Prompt(PromptReply {
                ask: self.ask.clone(),
                text: match &self.input {
                    Some(i) if i.is_masked() => i.text().to_string(),
                    Some(i) => i.text().trim().to_string(),
                    None => String::new(),
                },
            })),
            _ => {
                if let Some(input) = &mut self.input {
                    input.handle(&key);
                }
                Nav::Stay
            }
        }
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        // A long question (a warning naming cohorts) makes the box taller, never cut.
        let wrapped = wrapped_rows(&self.question, 64) as u16;
        let popup = widgets::centered(area, 66, (wrapped + 5).max(7));
        frame.render_widget(Clear, popup);
        let block = Block::bordered().title(format!(" {} ", self.title));
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        frame.render_widget(
            Paragraph::new(self.question.clone()).wrap(Wrap { trim: false }),
            inner,
        );
        // The answer goes one blank row below the question, however many rows it wrapped to.
        let question_rows = wrapped_rows(&self.question, inner.width.max(1).into());
        let y = (inner.y + question_rows.max(1) as u16 + 1).min(inner.bottom().saturating_sub(1));
        let row = Rect::new(inner.x, y, inner.width, 1);
        match &self.input {
            Some(input) => {
                let [mark, field] =
                    Layout::horizontal([Constraint::Length(2), Constraint::Min(1)]).areas(row);
                frame.render_widget(Line::raw(">"), mark);
                input.render(frame, field, Style::new(), true);
            }
            None => frame.render_widget(Line::raw(ctx.t(text::CONFIRM_PROMPT)), row),
        }
    }
}

/// Rows `text` takes wrapped at word boundaries into `width` columns (as the paragraph wraps it).
fn wrapped_rows(text: &str, width: usize) -> usize {
    let mut rows = 1;
    let mut used = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        let need = if used == 0 { len } else { used + 1 + len };
        if need <= width {
            used = need;
        } else {
            rows += 1 + len.saturating_sub(1) / width.max(1);
            used = len % width.max(1);
        }
    }
    rows
}
