//! Adding or editing an instructor, a course or a venue from the reference screen: one prompt per
//! field, each showing the value it had (typing replaces it, Enter keeps it); after the last
//! field the row is saved through `db::reference_admin`, which checks and audits. Esc at any
//! field leaves everything as it was.

use chrono::NaiveDate;

use super::prompt::{Ask, Prompt};
use crate::db::reference_admin::{
    self, CourseInput, CourseRef, InstructorInput, InstructorRef, RefField, VenueInput, VenueRef,
};
use crate::domain::person::parse_date_flexible;
use crate::ui::text::{Lang, Localized, Msg, admin as text};
use crate::ui::{Ctx, Nav};

/// What the form saves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Instructor,
    Course,
    Venue,
}

impl RefKind {
    /// The question of each field, in order.
    fn fields(self) -> &'static [Msg] {
        match self {
            RefKind::Instructor => &text::INSTRUCTOR_FIELDS,
            RefKind::Course => &text::COURSE_FIELDS,
            RefKind::Venue => &text::VENUE_FIELDS,
        }
    }
    fn title(self, editing: bool) -> Msg {
        match (self, editing) {
            (RefKind::Instructor, false) => text::ADD_INSTRUCTOR,
            (RefKind::Instructor, true) => text::EDIT_INSTRUCTOR,
            (RefKind::Course, false) => text::ADD_COURSE,
            (RefKind::Course, true) => text::EDIT_COURSE,
            (RefKind::Venue, false) => text::ADD_VENUE,
            (RefKind::Venue, true) => text::EDIT_VENUE,
        }
    }
}

/// The form's state between prompts (`Ask::Reference`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefForm {
    pub kind: RefKind,
    /// The code (course, venue) or id (instructor) of the row edited; None adds one.
    pub editing: Option<String>,
    /// The values before the form, one per field (empty when adding).
    pub current: Vec<String>,
    /// What was answered so far.
    pub answers: Vec<String>,
}

impl RefForm {
    pub fn add(kind: RefKind) -> RefForm {
        RefForm {
            kind,
            editing: None,
            current: vec![String::new(); kind.fields().len()],
            answers: Vec::new(),
        }
    }

    pub fn edit_instructor(i: &InstructorRef) -> RefForm {
        RefForm {
            kind: RefKind::Instructor,
            editing: Some(i.id.to_string()),
            current: vec![
                i.name.clone(),
                i.course_code.clone().unwrap_or_default(),
                i.bnsp_cert_no.clone().unwrap_or_default(),
                i.bnsp_expiry.map(|d| d.to_string()).unwrap_or_default(),
            ],
            answers: Vec::new(),
        }
    }

    pub fn edit_course(c: &CourseRef) -> RefForm {
        RefForm {
            kind: RefKind::Course,
            editing: Some(c.code.clone()),
            current: vec![
                c.code.clone(),
                c.name.clone(),
                c.working_days.to_string(),
                c.capacity.to_string(),
                c.min_participants.to_string(),
                c.min_age.to_string(),
                c.max_age.to_string(),
            ],
            answers: Vec::new(),
        }
    }

    pub fn edit_venue(v: &VenueRef) -> RefForm {
        RefForm {
            kind: RefKind::Venue,
            editing: Some(v.code.clone()),
            current: vec![
                v.code.clone(),
                v.name.clone(),
                v.kind.clone(),
                v.village_code.clone().unwrap_or_default(),
                v.days_per_week.to_string(),
            ],
            answers: Vec::new(),
        }
    }

    /// The prompt of the next field to answer.
    pub fn next_prompt(self, lang: Lang) -> Nav {
        let at = self.answers.len();
        let fields = self.kind.fields();
        let question = format!(
            "({}/{}) {}",
            at + 1,
            fields.len(),
            fields.get(at).map(|m| m.get(lang)).unwrap_or_default()
        );
        let title = self
            .kind
            .title(self.editing.is_some())
            .get(lang)
            .to_string();
        let current = self.current.get(at).cloned().unwrap_or_default();
        Nav::Push(Box::new(Prompt::replacing(
            Ask::Reference(self),
            title,
            question,
            &current,
        )))
    }

    /// Takes one answer: `Ok(Some(prompt))` asks the next field; `Ok(None)` after the last
    /// field, the row saved; `Err` says why it was not.
    pub fn answer(mut self, typed: String, ctx: &Ctx) -> Result<Option<Nav>, String> {
        self.answers.push(typed);
        if self.answers.len() < self.kind.fields().len() {
            return Ok(Some(self.next_prompt(ctx.lang)));
        }
        self.save(ctx).map(|()| None)
    }

    fn save(&self, ctx: &Ctx) -> Result<(), String> {
        let lang = ctx.lang;
        let a = |i: usize| self.answers.get(i).map(String::as_str).unwrap_or("");
        let number = |i: usize, field: RefField| -> Result<u32, String> {
            a(i).trim()
                .parse::<u32>()
                .map_err(|_| text::field_rule(lang, field))
        };
        let optional = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let failed = |e: reference_admin::ReferenceError| e.text(lang);
        match self.kind {
            RefKind::Instructor => {
                let expiry: Option<NaiveDate> = match a(3).trim() {
                    "" => None,
                    typed => Some(
                        parse_date_flexible(typed)
                            .ok_or_else(|| ctx.t(text::EXPIRY_FORMAT).to_string())?,
                    ),
                };
                // The id this form wrote when it started.
                let editing = self
                    .editing
                    .as_deref()
                    .and_then(|id| id.parse::<i64>().ok());
                let input = InstructorInput {
                    name: a(0).to_string(),
                    course_code: optional(a(1)),
                    bnsp_cert_no: optional(a(2)),
                    bnsp_expiry: expiry,
                };
                reference_admin::save_instructor(&ctx.conn, &ctx.actor, editing, &input)
                    .map(|_| ())
                    .map_err(failed)
            }
            RefKind::Course => {
                let input = CourseInput {
                    code: a(0).to_string(),
                    name: a(1).to_string(),
                    working_days: number(2, RefField::WorkingDays)?,
                    capacity: number(3, RefField::Capacity)?,
                    min_participants: number(4, RefField::Minimum)?,
                    min_age: number(5, RefField::Ages)?,
                    max_age: number(6, RefField::Ages)?,
                };
                reference_admin::save_course(&ctx.conn, &ctx.actor, self.editing.as_deref(), &input)
                    .map_err(failed)
            }
            RefKind::Venue => {
                let input = VenueInput {
                    code: a(0).to_string(),
                    name: a(1).to_string(),
                    kind: a(2).to_string(),
                    village_code: optional(a(3)),
                    days_per_week: number(4, RefField::DaysPerWeek)?,
                };
                reference_admin::save_venue(&ctx.conn, &ctx.actor, self.editing.as_deref(), &input)
                    .map_err(failed)
            }
        }
    }
}
