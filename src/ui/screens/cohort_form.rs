//! Angkatan baru / ubah angkatan (supervisor): the plan of a cohort in one form. Course, venue,
//! instructor and funding are picked from lists that filter as one types (the instructor with
//! their BNSP certificate and whether it is for this course); start, working days, capacity and
//! minimum are typed, and the end date the venue's calendar gives shows as one types. Editing
//! offers only what the cohort's status still allows (`domain::cohort::PlanField`). Saves only
//! through `db::cohorts::create` / `edit`, which check every rule again; render never queries.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, Paragraph, Wrap};
use strum::VariantArray;

use super::cohort::CohortScreen;
use crate::db::cohorts::{self, CohortEdit, CohortRow, NewCohort};
use crate::db::reference::holiday_dates;
use crate::db::reference_admin::{self, CourseRef, InstructorRef, VenueRef};
use crate::domain::calendar::{WorkingCalendar, WorkingWeek};
use crate::domain::cohort::{
    CohortStatus, Funding, LocationKind, PlanField, bnsp_warning, plan_dates, teaches,
};
use crate::domain::person::parse_date_flexible;
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::text::{Label, Lang, Localized, cohort_run as text};
use crate::ui::widgets::{ListNav, Move, TextField};
use crate::ui::{Ctx, Nav, Reply, Screen, theme};

/// The form's fields, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Code,
    Course,
    Venue,
    Instructor,
    Start,
    Days,
    Capacity,
    Min,
    Funding,
}

const FIELDS: [Field; 9] = [
    Field::Code,
    Field::Course,
    Field::Venue,
    Field::Instructor,
    Field::Start,
    Field::Days,
    Field::Capacity,
    Field::Min,
    Field::Funding,
];

impl Field {
    fn index(self) -> usize {
        FIELDS.iter().position(|f| *f == self).unwrap_or(0)
    }
    fn is_choice(self) -> bool {
        matches!(
            self,
            Field::Course | Field::Venue | Field::Instructor | Field::Funding
        )
    }
    /// The part of a cohort's plan an edit changes through this field (None: fixed once made).
    fn plan_field(self) -> Option<PlanField> {
        match self {
            Field::Venue => Some(PlanField::Venue),
            Field::Instructor => Some(PlanField::Instructor),
            Field::Start | Field::Days => Some(PlanField::Dates),
            Field::Capacity => Some(PlanField::Capacity),
            Field::Min => Some(PlanField::Minimum),
            Field::Code | Field::Course | Field::Funding => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Save,
    Enter,
    Next,
    Prev,
    Cancel,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::F(10), Action::Save, "F10", text::SAVE),
    Binding::new(KeyCode::Enter, Action::Enter, "Enter", text::PICK_OR_SAVE).help_only(),
    Binding::new(KeyCode::Tab, Action::Next, "Tab", text::NEXT_FIELD),
    Binding::new(KeyCode::BackTab, Action::Prev, "S-Tab", text::PREV_FIELD),
    Binding::new(KeyCode::Esc, Action::Cancel, "Esc", text::CANCEL),
];

/// Label column and field width.
const LABEL_WIDTH: u16 = 13;
const INPUT_WIDTH: u16 = 30;
/// Choices shown under a field at once.
const CHOICE_ROWS: u16 = 6;

pub struct CohortForm {
    /// The cohort being edited; None when creating one.
    editing: Option<CohortRow>,
    inputs: Vec<TextField>,
    /// Per field, the option picked from its list (choice fields only).
    picked: Vec<Option<usize>>,
    focus: usize,
    courses: Vec<CourseRef>,
    venues: Vec<VenueRef>,
    instructors: Vec<InstructorRef>,
    holidays: Vec<NaiveDate>,
    /// Options of the focused choice field that match its text, and the selection among them.
    shown: Vec<usize>,
    choices: ListNav,
    /// The code field still holds the suggestion (replaced when course, venue or start change).
    code_suggested: bool,
    /// The day the form opened (render reads no clock).
    today: NaiveDate,
}

impl CohortForm {
    /// An empty form for a new cohort.
    pub fn create(ctx: &Ctx) -> Result<CohortForm, String> {
        let mut form = CohortForm::load(ctx, None)?;
        form.inputs[Field::Funding.index()].set(&Funding::Apbd.code().to_uppercase());
        form.picked[Field::Funding.index()] = Some(0);
        form.code_suggested = true;
        form.refilter();
        Ok(form)
    }

    /// The plan of `cohort`, for editing what its status allows.
    pub fn edit(ctx: &Ctx, cohort: CohortRow) -> Result<CohortForm, String> {
        let mut form = CohortForm::load(ctx, Some(cohort.clone()))?;
        let c = &cohort;
        let course = form.courses.iter().position(|x| x.code == c.course_code);
        let venue = form.venues.iter().position(|x| x.code == c.venue_code);
        let instructor = c
            .instructor_id
            .and_then(|id| form.instructors.iter().position(|x| x.id == id));
        let funding = Funding::VARIANTS.iter().position(|f| *f == c.funding);
        form.picked[Field::Course.index()] = course;
        form.picked[Field::Venue.index()] = venue;
        form.picked[Field::Instructor.index()] = instructor;
        form.picked[Field::Funding.index()] = funding;
        for field in FIELDS {
            let value = match field {
                Field::Code => c.code.clone(),
                Field::Start => c.start_date.format("%d-%m-%Y").to_string(),
                Field::Days => c.working_days.to_string(),
                Field::Capacity => c.capacity.to_string(),
                Field::Min => c.min_participants.to_string(),
                Field::Instructor if instructor.is_none() => {
                    c.instructor.clone().unwrap_or_default()
                }
                _ => form.picked[field.index()]
                    .map(|i| form.option_name(field, i))
                    .unwrap_or_default(),
            };
            form.inputs[field.index()].set(&value);
        }
        form.focus = FIELDS.iter().position(|f| form.editable(*f)).unwrap_or(0);
        form.refilter();
        Ok(form)
    }

    fn load(ctx: &Ctx, editing: Option<CohortRow>) -> Result<CohortForm, String> {
        let err = |e: crate::db::DbError| e.text(ctx.lang);
        Ok(CohortForm {
            editing,
            inputs: vec![TextField::default(); FIELDS.len()],
            picked: vec![None; FIELDS.len()],
            focus: 0,
            courses: reference_admin::courses(&ctx.conn)
                .map_err(err)?
                .into_iter()
                .filter(|c| c.active)
                .collect(),
            venues: reference_admin::venues(&ctx.conn)
                .map_err(err)?
                .into_iter()
                .filter(|v| v.active)
                .collect(),
            instructors: reference_admin::instructors(&ctx.conn).map_err(err)?,
            holidays: holiday_dates(&ctx.conn).map_err(err)?,
            shown: Vec::new(),
            choices: ListNav::beside_field(),
            code_suggested: false,
            today: ctx.today,
        })
    }

    fn focused(&self) -> Field {
        FIELDS[self.focus]
    }

    fn status(&self) -> Option<CohortStatus> {
        self.editing.as_ref().map(|c| c.status)
    }

    /// Whether a field takes input: every field of a new cohort; of an existing one, those its
    /// status still lets change.
    fn editable(&self, field: Field) -> bool {
        match self.status() {
            None => true,
            Some(status) => field.plan_field().is_some_and(|p| p.editable(status)),
        }
    }

    fn text(&self, field: Field) -> &str {
        self.inputs[field.index()].text().trim()
    }

    fn picked(&self, field: Field) -> Option<usize> {
        self.picked[field.index()]
    }

    fn options(&self, field: Field) -> usize {
        match field {
            Field::Course => self.courses.len(),
            Field::Venue => self.venues.len(),
            Field::Instructor => self.instructors.len(),
            Field::Funding => Funding::VARIANTS.len(),
            _ => 0,
        }
    }

    /// What the field shows once an option is picked.
    fn option_name(&self, field: Field, i: usize) -> String {
        match field {
            Field::Course => self
                .courses
                .get(i)
                .map(|c| format!("{} {}", c.code, c.name)),
            Field::Venue => self.venues.get(i).map(|v| format!("{} {}", v.code, v.name)),
            Field::Instructor => self.instructors.get(i).map(|x| x.name.clone()),
            Field::Funding => Funding::VARIANTS.get(i).map(|f| f.code().to_uppercase()),
            _ => None,
        }
        .unwrap_or_default()
    }

    /// One line of a field's list: the option with what tells it apart.
    fn option_line(&self, field: Field, i: usize, lang: Lang) -> String {
        match field {
            Field::Course => self
                .courses
                .get(i)
                .map(|c| text::course_choice(lang, c))
                .unwrap_or_default(),
            Field::Venue => self
                .venues
                .get(i)
                .map(|v| text::venue_choice(lang, v))
                .unwrap_or_default(),
            Field::Instructor => self
                .instructors
                .get(i)
                .map(|x| {
                    let (fits, warning) = self.instructor_fit(x);
                    text::instructor_choice(lang, x, fits, warning.as_ref())
                })
                .unwrap_or_default(),
            Field::Funding => Funding::VARIANTS
                .get(i)
                .map(|f| format!("{} · {}", f.code().to_uppercase(), f.label(lang)))
                .unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// Whether the instructor's certificate is for the picked course, and what is wrong with it
    /// for the planned dates.
    fn instructor_fit(
        &self,
        x: &InstructorRef,
    ) -> (Option<bool>, Option<crate::domain::cohort::BnspWarning>) {
        let course = self.picked(Field::Course).and_then(|i| self.courses.get(i));
        let fits = course.map(|c| teaches(x.course_code.as_deref(), &c.code));
        let warning = self
            .planned()
            .and_then(|(_, end)| bnsp_warning(Some(x.bnsp_expiry), end, self.today));
        (fits, warning)
    }

    /// Day 1 and the last day on the picked venue's calendar, when start and days read.
    fn planned(&self) -> Option<(NaiveDate, NaiveDate)> {
        let venue = self.picked(Field::Venue).and_then(|i| self.venues.get(i))?;
        let week = WorkingWeek::from_days(u8::try_from(venue.days_per_week).ok()?)?;
        let start = parse_date_flexible(self.text(Field::Start))?;
        let days: u32 = self.text(Field::Days).parse().ok()?;
        let calendar = WorkingCalendar::new(self.holidays.iter().copied(), week);
        plan_dates(&calendar, start, days).ok()
    }
}

impl CohortForm {
    /// The options of the focused choice field that match its text: all of them while the text
    /// is the picked option's name (or empty), so ↑/↓ browse the whole list.
    fn refilter(&mut self) {
        let field = self.focused();
        if !field.is_choice() || !self.editable(field) {
            self.shown.clear();
            self.choices.reset(0);
            return;
        }
        let typed = self.text(field).to_lowercase();
        let picked = self.picked(field);
        let browse = typed.is_empty()
            || picked.is_some_and(|i| self.option_name(field, i).to_lowercase() == typed);
        self.shown = (0..self.options(field))
            .filter(|&i| {
                browse
                    || self
                        .option_line(field, i, Lang::Id)
                        .to_lowercase()
                        .contains(&typed)
                    || self.option_name(field, i).to_lowercase().contains(&typed)
            })
            .collect();
        // Instructors certified for the picked course come first.
        if field == Field::Instructor {
            let fits = |i: &usize| {
                self.instructors
                    .get(*i)
                    .map(|x| self.instructor_fit(x).0 == Some(true))
                    .unwrap_or(false)
            };
            let (mut first, rest): (Vec<usize>, Vec<usize>) =
                self.shown.iter().partition(|i| fits(i));
            first.extend(rest);
            self.shown = first;
        }
        self.choices.reset(self.shown.len());
        if let Some(at) = picked.and_then(|p| self.shown.iter().position(|i| *i == p)) {
            self.choices.select(at);
        }
    }

    /// Picks the highlighted option of the focused field; false when there is none.
    fn pick(&mut self, ctx: &Ctx) -> bool {
        let field = self.focused();
        let Some(&option) = self.choices.selected().and_then(|i| self.shown.get(i)) else {
            return false;
        };
        self.picked[field.index()] = Some(option);
        let name = self.option_name(field, option);
        self.inputs[field.index()].set(&name);
        if field == Field::Course
            && self.editing.is_none()
            && let Some(c) = self.courses.get(option).cloned()
        {
            for (f, value) in [
                (Field::Days, c.working_days),
                (Field::Capacity, c.capacity),
                (Field::Min, c.min_participants.min(c.capacity)),
            ] {
                if self.text(f).is_empty() {
                    self.inputs[f.index()].set(&value.to_string());
                }
            }
        }
        self.suggest_code(ctx);
        self.refilter();
        true
    }

    /// A new cohort's code follows course, venue and year ("2027-TBS-BLK-JYT-02") until the
    /// supervisor types their own.
    fn suggest_code(&mut self, ctx: &Ctx) {
        if self.editing.is_some() || !self.code_suggested {
            return;
        }
        let course = self.picked(Field::Course).and_then(|i| self.courses.get(i));
        let venue = self.picked(Field::Venue).and_then(|i| self.venues.get(i));
        let (Some(course), Some(venue)) = (course, venue) else {
            return;
        };
        let year = parse_date_flexible(self.text(Field::Start))
            .map(|d| chrono::Datelike::year(&d))
            .unwrap_or_else(|| chrono::Datelike::year(&ctx.today));
        let prefix = format!("{year}-{}-{}", course.code, venue.code);
        if let Ok(code) = cohorts::suggest_code(&ctx.conn, &prefix) {
            self.inputs[Field::Code.index()].set(&code);
        }
    }

    fn move_focus(&mut self, forward: bool, ctx: &Ctx) {
        let field = self.focused();
        // Leaving a choice field with typed text takes the highlighted option.
        if field.is_choice() && self.picked(field).is_none() && !self.text(field).is_empty() {
            self.pick(ctx);
        }
        let n = FIELDS.len();
        for step in 1..=n {
            let i = if forward {
                (self.focus + step) % n
            } else {
                (self.focus + n - step) % n
            };
            if self.editable(FIELDS[i]) {
                self.focus = i;
                break;
            }
        }
        self.refilter();
    }

    fn number(&self, field: Field, lang: Lang) -> Result<u32, String> {
        self.text(field)
            .parse()
            .map_err(|_| text::not_a_number(lang, field_label(field).get(lang), self.text(field)))
    }

    /// The picked option of a choice field, or why there is none.
    fn required(&self, field: Field, lang: Lang) -> Result<usize, String> {
        self.picked(field)
            .ok_or_else(|| text::pick_from_list(lang, field_label(field).get(lang)))
    }

    /// The instructor chosen: None when the field is empty.
    fn instructor(&self, lang: Lang) -> Result<Option<i64>, String> {
        if self.text(Field::Instructor).is_empty() {
            return Ok(None);
        }
        let i = self.required(Field::Instructor, lang)?;
        Ok(self.instructors.get(i).map(|x| x.id))
    }

    fn start(&self, lang: Lang) -> Result<NaiveDate, String> {
        parse_date_flexible(self.text(Field::Start))
            .ok_or_else(|| text::not_a_date(lang, self.text(Field::Start)))
    }

    fn save(&mut self, ctx: &mut Ctx) -> Nav {
        let lang = ctx.lang;
        match self.editing.clone() {
            None => match self.new_cohort(lang) {
                Ok(new) => match cohorts::create(&ctx.conn, &ctx.actor, &new, ctx.today) {
                    Ok(row) => match CohortScreen::open(ctx, row.id) {
                        Ok(screen) => Nav::Replace(Box::new(
                            screen.with_notice(text::created(lang, &row.code)),
                        )),
                        Err(e) => Nav::Error(e),
                    },
                    Err(e) => Nav::Error(e.text(lang)),
                },
                Err(e) => Nav::Error(e),
            },
            Some(cohort) => match self.change(lang) {
                Ok(change) => {
                    match cohorts::edit(&ctx.conn, &ctx.actor, cohort.id, &change, ctx.today) {
                        Ok(outcome) => Nav::PopWith(Reply::CohortEdited(Box::new(outcome))),
                        Err(e) => Nav::Error(e.text(lang)),
                    }
                }
                Err(e) => Nav::Error(e),
            },
        }
    }

    fn new_cohort(&self, lang: Lang) -> Result<NewCohort, String> {
        let course = self.required(Field::Course, lang)?;
        let venue = self.required(Field::Venue, lang)?;
        let funding = self.required(Field::Funding, lang)?;
        let course = self.courses.get(course).map(|c| c.code.clone());
        let venue = self.venues.get(venue).map(|v| v.code.clone());
        Ok(NewCohort {
            code: self.text(Field::Code).to_string(),
            course_code: course.unwrap_or_default(),
            venue_code: venue.unwrap_or_default(),
            location_kind: LocationKind::Venue,
            location_name: String::new(),
            location_village_code: None,
            start: self.start(lang)?,
            working_days: Some(self.number(Field::Days, lang)?),
            capacity: Some(self.number(Field::Capacity, lang)?),
            min_participants: Some(self.number(Field::Min, lang)?),
            daily_hours: None,
            instructor_id: self.instructor(lang)?,
            funding: Funding::VARIANTS
                .get(funding)
                .copied()
                .unwrap_or(Funding::Apbd),
            target_groups: String::new(),
        })
    }

    /// The edit: every part the status allows, as typed (`db::cohorts::edit` compares).
    fn change(&self, lang: Lang) -> Result<CohortEdit, String> {
        let mut change = CohortEdit::default();
        if self.editable(Field::Start) {
            change.start = Some(self.start(lang)?);
            change.working_days = Some(self.number(Field::Days, lang)?);
        }
        if self.editable(Field::Venue) {
            let venue = self.required(Field::Venue, lang)?;
            change.venue_code = self.venues.get(venue).map(|v| v.code.clone());
        }
        if self.editable(Field::Capacity) {
            change.capacity = Some(self.number(Field::Capacity, lang)?);
        }
        if self.editable(Field::Min) {
            change.min_participants = Some(self.number(Field::Min, lang)?);
        }
        if self.editable(Field::Instructor) {
            change.instructor_id = Some(self.instructor(lang)?);
        }
        Ok(change)
    }

    /// What shows beside a field: the end date the calendar gives, the instructor's fit, the
    /// reason a value will be refused.
    fn note(&self, field: Field, lang: Lang) -> Option<(String, Style)> {
        let info = |s: String| Some((s, theme::muted()));
        let warn = |s: String| Some((s, theme::warning()));
        if !self.editable(field) {
            return self.editing.as_ref().and_then(|c| {
                field
                    .plan_field()
                    .map(|_| (text::locked(lang, c.status), theme::muted()))
            });
        }
        match field {
            Field::Start => match (parse_date_flexible(self.text(field)), self.planned()) {
                (None, _) if !self.text(field).is_empty() => {
                    warn(text::not_a_date(lang, self.text(field)))
                }
                (_, Some((first, _))) if first < self.today => warn(text::in_past(lang)),
                (_, Some((first, end))) => info(text::planned(lang, first, end)),
                _ => None,
            },
            Field::Instructor if self.text(field).is_empty() => {
                info(text::NO_INSTRUCTOR.get(lang).into())
            }
            Field::Instructor => self
                .picked(field)
                .and_then(|i| self.instructors.get(i))
                .map(|x| {
                    let (fits, warning) = self.instructor_fit(x);
                    let line = text::instructor_fit(lang, fits, warning.as_ref());
                    let style = if fits == Some(false) || warning.is_some() {
                        theme::warning()
                    } else {
                        theme::ok()
                    };
                    (line, style)
                }),
            Field::Capacity | Field::Min => {
                let capacity: Option<u32> = self.text(Field::Capacity).parse().ok();
                let min: Option<u32> = self.text(Field::Min).parse().ok();
                let enrolled = self.editing.as_ref().map_or(0, |c| c.enrolled);
                match (field, capacity, min) {
                    (_, Some(cap), Some(min)) if field == Field::Min && (min == 0 || min > cap) => {
                        warn(text::bad_minimum(lang, cap))
                    }
                    (Field::Capacity, Some(cap), _) if cap < enrolled => {
                        warn(text::below_enrolled(lang, enrolled))
                    }
                    (Field::Capacity, Some(cap), _) => self
                        .editing
                        .as_ref()
                        .filter(|c| cap > c.capacity && c.waitlisted > 0)
                        .and_then(|c| {
                            info(text::will_promote(
                                lang,
                                (cap - c.capacity.max(c.enrolled)).min(c.waitlisted),
                            ))
                        }),
                    _ => None,
                }
            }
            f if f.is_choice() && self.picked(f).is_none() && !self.text(f).is_empty() => {
                warn(text::pick_from_list(lang, field_label(f).get(lang)))
            }
            _ => None,
        }
    }
}

fn field_label(field: Field) -> crate::ui::text::Msg {
    match field {
        Field::Code => text::F_CODE,
        Field::Course => text::F_COURSE,
        Field::Venue => text::F_VENUE,
        Field::Instructor => text::F_INSTRUCTOR,
        Field::Start => text::F_START,
        Field::Days => text::F_DAYS,
        Field::Capacity => text::F_CAPACITY,
        Field::Min => text::F_MIN,
        Field::Funding => text::F_FUNDING,
    }
}

impl Screen for CohortForm {
    fn title(&self, lang: Lang) -> String {
        match &self.editing {
            Some(c) => format!("{} {}", text::EDIT_TITLE.get(lang), c.code),
            None => text::NEW_TITLE.get(lang).to_string(),
        }
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        let mut all = hints(KEYS, lang);
        all.extend(self.choices.hints(lang));
        all
    }
    fn captures_text(&self) -> bool {
        true
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        let field = self.focused();
        let listing = field.is_choice() && !self.shown.is_empty();
        match lookup(KEYS, &key) {
            Some(Action::Save) => return self.save(ctx),
            Some(Action::Enter) if listing => {
                self.pick(ctx);
                self.move_focus(true, ctx);
            }
            Some(Action::Enter) => return self.save(ctx),
            Some(Action::Next) => self.move_focus(true, ctx),
            Some(Action::Prev) => self.move_focus(false, ctx),
            Some(Action::Cancel) => return Nav::Pop,
            None if listing && matches!(key.code, KeyCode::Up | KeyCode::Down) => {
                self.choices.go(if key.code == KeyCode::Up {
                    Move::Up
                } else {
                    Move::Down
                });
                // Browsing the list picks as it goes, so the form always shows what is chosen.
                self.pick(ctx);
            }
            None if key.code == KeyCode::Down => self.move_focus(true, ctx),
            None if key.code == KeyCode::Up => self.move_focus(false, ctx),
            None if listing && self.choices.handle_key(&key) => {}
            None => {
                if self.inputs[self.focus].handle(&key).changed() {
                    if field.is_choice() {
                        self.picked[field.index()] = None;
                    }
                    if field == Field::Code {
                        self.code_suggested = false;
                    }
                    if field == Field::Start {
                        self.suggest_code(ctx);
                    }
                    self.refilter();
                }
            }
        }
        Nav::Stay
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let block = Block::bordered();
        let inner = block.inner(area);
        frame.render_widget(block, area);
        for (i, field) in FIELDS.iter().enumerate() {
            let y = inner.y + i as u16;
            if y >= inner.bottom() {
                break;
            }
            let focused = i == self.focus;
            let editable = self.editable(*field);
            let label_style = if focused {
                theme::focused()
            } else if editable {
                Style::new()
            } else {
                theme::muted()
            };
            let note = self.note(*field, lang);
            let note_width = inner.width.saturating_sub(LABEL_WIDTH + INPUT_WIDTH + 1) as usize;
            let (note_text, note_style) = note.unwrap_or_default();
            let line = Line::from(vec![
                Span::styled(
                    format!(
                        "{:<w$}",
                        field_label(*field).get(lang),
                        w = LABEL_WIDTH as usize
                    ),
                    label_style,
                ),
                Span::raw(" ".repeat(usize::from(INPUT_WIDTH) + 1)),
                Span::styled(cut(&note_text, note_width), note_style),
            ]);
            frame.render_widget(Paragraph::new(line), Rect::new(inner.x, y, inner.width, 1));
            let style = if focused {
                theme::selected()
            } else if editable {
                theme::muted().add_modifier(ratatui::style::Modifier::UNDERLINED)
            } else {
                theme::muted()
            };
            let width = INPUT_WIDTH.min(inner.width.saturating_sub(LABEL_WIDTH));
            let at = Rect::new(inner.x + LABEL_WIDTH, y, width, 1);
            self.inputs[i].render(frame, at, style, focused);
        }
        // Below the fields: the focused field's note in full (it may be long), and the rules.
        let below_y = inner.y + FIELDS.len() as u16 + 1;
        if below_y < inner.bottom() {
            let mut lines = Vec::new();
            if let Some((note, style)) = self.note(self.focused(), lang) {
                lines.push(Line::styled(note, style));
            }
            lines.push(Line::styled(text::FORM_RULES.get(lang), theme::muted()));
            frame.render_widget(
                Paragraph::new(lines).wrap(Wrap { trim: true }),
                Rect::new(inner.x, below_y, inner.width, inner.bottom() - below_y),
            );
        }
        let field = self.focused();
        if field.is_choice() && !self.shown.is_empty() {
            let y = inner.y + self.focus as u16 + 1;
            let rows = (self.shown.len() as u16).min(CHOICE_ROWS);
            let height = (rows + 2).min(area.bottom().saturating_sub(y));
            let popup = Rect::new(
                inner.x + LABEL_WIDTH,
                y,
                inner.width.saturating_sub(LABEL_WIDTH),
                height,
            );
            let items: Vec<ListItem> = self
                .shown
                .iter()
                .map(|&i| ListItem::new(self.option_line(field, i, lang)))
                .collect();
            frame.render_widget(Clear, popup);
            self.choices.set_page(usize::from(rows));
            self.choices.render_list(
                frame,
                List::new(items)
                    .block(Block::bordered())
                    .highlight_style(theme::selected()),
                popup,
            );
        }
    }
}

fn cut(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}
