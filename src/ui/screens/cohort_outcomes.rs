//! The cohort screen's third view (Tab): how the training ended for each enrolled participant.
//! L lulus, T tidak lulus, M mengundurkan diri; F2 "all remaining passed" (everyone without an
//! outcome passes, except whose attendance is below the minimum, who is named); F3 the
//! certificate number, F4 the toolkit hand-over date, F6 the follow-up. The cohort screen holds
//! this view, hands it the keys of its table and shows its notices; every change goes through
//! `db::enrollment` (which checks the rules and audits).

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Cell, Row, Table};

use super::prompt::{Ask, Prompt, PromptReply};
use crate::db::attendance::sheet;
use crate::db::enrollment::{self, RosterRow, roster};
use crate::domain::enrollment::{EnrollmentStatus, Followup, Outcome};
use crate::ui::keymap::{Binding, lookup};
use crate::ui::text::{Label, Localized, cohort_run as text, supervisor};
use crate::ui::widgets::{ListNav, Move};
use crate::ui::{Ctx, Nav, theme};

/// What a key of the outcome view does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Key {
    Result(Outcome),
    PassRemaining,
    Certificate,
    Toolkit,
    Followup,
}

pub const KEYS: &[Binding<Key>] = &[
    Binding::new(
        KeyCode::Char('l'),
        Key::Result(Outcome::Passed),
        "L",
        text::PASSED,
    ),
    Binding::new(
        KeyCode::Char('t'),
        Key::Result(Outcome::Failed),
        "T",
        text::FAILED,
    ),
    Binding::new(
        KeyCode::Char('m'),
        Key::Result(Outcome::DroppedOut),
        "M",
        text::DROPPED,
    ),
    Binding::new(KeyCode::F(2), Key::PassRemaining, "F2", text::ALL_PASSED),
    Binding::new(KeyCode::F(3), Key::Certificate, "F3", text::CERTIFICATE),
    Binding::new(KeyCode::F(4), Key::Toolkit, "F4", text::TOOLKIT).help_only(),
    Binding::new(KeyCode::F(6), Key::Followup, "F6", text::FOLLOWUP).help_only(),
];

/// One enrolled participant with what was recorded and their attendance rate.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeRow {
    pub person: RosterRow,
    pub rate: Option<u32>,
}

pub struct OutcomeView {
    pub rows: Vec<OutcomeRow>,
    pub min_rate: u32,
}

impl OutcomeView {
    pub fn load(ctx: &Ctx, cohort_id: i64) -> Result<OutcomeView, String> {
        let err = |e: crate::db::DbError| e.text(ctx.lang);
        let attendance = sheet(&ctx.conn, cohort_id, ctx.today).map_err(err)?;
        let rows = roster(&ctx.conn, cohort_id)
            .map_err(err)?
            .into_iter()
            .filter(|r| r.status == EnrollmentStatus::Enrolled)
            .map(|person| OutcomeRow {
                rate: attendance
                    .rows
                    .iter()
                    .find(|a| a.enrollment_id == person.enrollment_id)
                    .and_then(|a| a.rate),
                person,
            })
            .collect();
        Ok(OutcomeView {
            rows,
            min_rate: attendance.min_rate,
        })
    }

    /// Handles a key of this view; None when the key is not one of its own.
    pub fn handle_key(&self, key: &KeyEvent, list: &mut ListNav, ctx: &Ctx) -> Option<Handled> {
        let action = lookup(KEYS, key)?;
        let lang = ctx.lang;
        if action == Key::PassRemaining {
            return Some(Handled::Nav(Nav::Push(Box::new(Prompt::confirm(
                Ask::PassRemaining,
                ctx.t(text::ALL_PASSED).to_string(),
                text::pass_remaining_question(lang, self.min_rate),
            )))));
        }
        let row = list.selected().and_then(|i| self.rows.get(i))?;
        let (id, name) = (row.person.enrollment_id, row.person.name.clone());
        Some(match action {
            Key::Result(outcome) => {
                let result = enrollment::set_result(
                    &ctx.conn, &ctx.actor, id, outcome, None, None, ctx.today,
                );
                match result {
                    Ok(_) => {
                        list.go(Move::Down);
                        Handled::Changed(format!("{name}: {}", outcome.label(lang)))
                    }
                    Err(e) => Handled::Nav(Nav::Error(e.text(lang))),
                }
            }
            Key::Certificate => Handled::Nav(Nav::Push(Box::new(Prompt::text(
                Ask::Certificate {
                    enrollment_id: id,
                    name: name.clone(),
                },
                ctx.t(text::CERTIFICATE).to_string(),
                text::certificate_question(lang, &name),
                row.person.certificate_no.as_deref().unwrap_or(""),
            )))),
            Key::Toolkit => Handled::Nav(Nav::Push(Box::new(Prompt::text(
                Ask::Toolkit {
                    enrollment_id: id,
                    name: name.clone(),
                },
                ctx.t(text::TOOLKIT).to_string(),
                text::toolkit_question(lang, &name),
                &row.person
                    .toolkit_handed_on
                    .unwrap_or(ctx.today)
                    .format("%d-%m-%Y")
                    .to_string(),
            )))),
            Key::Followup => Handled::Nav(Nav::Push(Box::new(Prompt::text(
                Ask::Followup {
                    enrollment_id: id,
                    name: name.clone(),
                },
                ctx.t(text::FOLLOWUP).to_string(),
                text::followup_question(lang, &name),
                "",
            )))),
            Key::PassRemaining => return None,
        })
    }

    /// Applies a prompt's answer that belongs to this view; None for any other.
    pub fn answer(
        &self,
        reply: &PromptReply,
        ctx: &Ctx,
        cohort_id: i64,
    ) -> Option<Result<String, String>> {
        let lang = ctx.lang;
        let (conn, actor, today) = (&ctx.conn, &ctx.actor, ctx.today);
        let current = |id: i64| {
            self.rows
                .iter()
                .find(|r| r.person.enrollment_id == id)
                .and_then(|r| r.person.outcome)
                .unwrap_or(Outcome::Passed)
        };
        // A certificate number or a toolkit date changed, the outcome kept; the row as told.
        let set_result = |id: i64, name: &str, certificate, toolkit| {
            enrollment::set_result(conn, actor, id, current(id), certificate, toolkit, today)
                .map(|c| {
                    text::outcome_line(
                        lang,
                        name,
                        c.outcome,
                        c.certificate_no.as_deref(),
                        c.toolkit_handed_on,
                    )
                })
                .map_err(|e| e.text(lang))
        };
        Some(match &reply.ask {
            Ask::PassRemaining => enrollment::pass_remaining(conn, actor, cohort_id, today)
                .map(|done| text::passed_remaining(lang, &done))
                .map_err(|e| e.text(lang)),
            Ask::Certificate {
                enrollment_id,
                name,
            } => {
                let number = Some(reply.text.clone()).filter(|t| !t.is_empty());
                set_result(*enrollment_id, name, Some(number), None)
            }
            Ask::Toolkit {
                enrollment_id,
                name,
            } => {
                let date = if reply.text.is_empty() {
                    None
                } else {
                    match crate::domain::person::parse_date_flexible(&reply.text) {
                        Some(d) => Some(d),
                        None => return Some(Err(text::not_a_date(lang, &reply.text))),
                    }
                };
                set_result(*enrollment_id, name, None, Some(date))
            }
            Ask::Followup {
                enrollment_id,
                name,
            } => match followup_typed(&reply.text) {
                Some(followup) => {
                    enrollment::record_followup(conn, actor, *enrollment_id, followup, today)
                        .map(|()| format!("{name}: {}", followup.label(lang)))
                        .map_err(|e| e.text(lang))
                }
                None => Err(text::followup_question(lang, name)),
            },
            _ => return None,
        })
    }

    /// The table of outcomes, with the counts in its title.
    pub fn render(&self, frame: &mut Frame, area: Rect, list: &mut ListNav, ctx: &Ctx) {
        let lang = ctx.lang;
        let header = Row::new(
            [
                supervisor::COL_NAME,
                supervisor::RATE,
                text::COL_RESULT,
                text::CERTIFICATE,
                text::TOOLKIT,
                text::FOLLOWUP,
            ]
            .map(|m| Cell::from(ctx.t(m))),
        )
        .style(theme::header());
        let rows: Vec<Row> = self
            .rows
            .iter()
            .map(|r| {
                let p = &r.person;
                let rate = match r.rate {
                    Some(rate) if rate < self.min_rate => format!("{rate}% !"),
                    Some(rate) => format!("{rate}%"),
                    None => "-".into(),
                };
                let result = p
                    .outcome
                    .map_or(ctx.t(text::NOT_RECORDED), |o| o.label(lang));
                Row::new(vec![
                    Cell::from(p.name.clone()),
                    Cell::from(rate),
                    Cell::from(result),
                    Cell::from(p.certificate_no.clone().unwrap_or_default()),
                    Cell::from(
                        p.toolkit_handed_on
                            .map(|d| d.format("%d-%m-%y").to_string())
                            .unwrap_or_default(),
                    ),
                    Cell::from(p.followup.map_or("", |f| f.label(lang))),
                ])
            })
            .collect();
        let widths = [
            Constraint::Min(14),
            Constraint::Length(6),
            Constraint::Length(13),
            Constraint::Length(16),
            Constraint::Length(8),
            Constraint::Length(14),
        ];
        let count = |o: Option<Outcome>| self.rows.iter().filter(|r| r.person.outcome == o).count();
        let title = text::outcome_counts(
            lang,
            count(Some(Outcome::Passed)),
            count(Some(Outcome::Failed)),
            count(Some(Outcome::DroppedOut)),
            count(None),
        );
        list.set_page(area.height.saturating_sub(3).into());
        let table = Table::new(rows, widths)
            .header(header)
            .block(Block::bordered().title(format!(" {title} ")))
            .column_spacing(1)
            .row_highlight_style(theme::selected());
        list.render_table(frame, table, area);
        let rows_area = area.inner(ratatui::layout::Margin::new(0, 1));
        list.place_cursor(frame, area.x + 1, area.y + 2, rows_area);
    }
}

/// What a key of this view did.
pub enum Handled {
    /// Something was recorded: the notice to show (the cohort screen reloads).
    Changed(String),
    /// A prompt to open, or an error to show.
    Nav(Nav),
}

/// A follow-up typed as its number in the prompt's list (1-4) or its words.
fn followup_typed(typed: &str) -> Option<Followup> {
    match typed.trim() {
        "1" => Some(Followup::Employed),
        "2" => Some(Followup::SelfEmployed),
        "3" => Some(Followup::BusinessGroup),
        "4" => Some(Followup::Unemployed),
        other => Followup::parse(other),
    }
}
