//! Daftar / ubah penduduk: the register and edit form. Validation as the clerk types, next to
//! the field, in plain language, and the focused field's whole message on the line under the
//! fields; a valid NIK fills sex and birth date and names its kecamatan; a NIK already
//! registered is said as soon as its 16th digit is typed, with Enter to open the holder; a NIK
//! that disagrees with the KTP must be confirmed; likely duplicates are listed before a second
//! record is made. Enter moves to the next field (picking a desa moves on too) and saves on the
//! last one, as F10 does; a save with errors names the first bad field and its message. A new
//! family member starts with the family's KK, address, RT/RW and desa. Nothing typed is lost on
//! an error, and quitting with typed data asks first. Writes only through `db::residents`.

use std::collections::HashMap;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, Paragraph, Wrap};

use super::confirm::{Answer, Confirm, Purpose};
use super::resident::ResidentScreen;
use crate::db::enrollment::{resident_brief, resident_id_by_nik};
use crate::db::residents::{self, Resident, ResidentError, VillageChoice};
use crate::db::settings::SettingKey;
use crate::db::{drafts, reference, settings};
use crate::domain::nik::{NikInfo, NikWarning, Sex, check_against, mask_nik, parse_nik};
use crate::domain::person::{age_on, parse_date_flexible};
use crate::domain::resident::{
    self as rules, Education, Employment, FIELDS, Field, ResidentDraft, ResidentProblem, Rules,
    ValidResident, read_yes_no, validate,
};
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::text::{Both as Bi, Lang, Localized, Msg, desk as text, resident as resident_text};
use crate::ui::widgets::{ListNav, Move, TextField};
use crate::ui::{Ctx, Nav, Reply, Screen, theme};

/// What the search screen or the resident screen carries into a new registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carried {
    Nothing,
    Nik(String),
    Name(String),
    /// A KK number searched for: the KK field, and when a family already holds it, their
    /// address, RT/RW and desa.
    Kk(String),
    /// A new member of this resident's family: their KK, address, RT/RW and desa.
    FamilyOf(i64),
}

/// What is shown next to a field.
#[derive(Debug, Clone, PartialEq)]
enum Note {
    Info(Bi),
    Warning(Bi),
    Error(Bi),
}

impl Note {
    fn style(&self) -> Style {
        match self {
            Note::Info(_) => theme::muted(),
            Note::Warning(_) => theme::warning(),
            Note::Error(_) => theme::error(),
        }
    }
    fn text(&self, lang: Lang) -> &str {
        match self {
            Note::Info(t) | Note::Warning(t) | Note::Error(t) => t.get(lang),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Save,
    Enter,
    Next,
    Prev,
    Up,
    Down,
    Cancel,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::F(10), Action::Save, "F10", text::SAVE),
    Binding::new(KeyCode::Enter, Action::Enter, "Enter", text::NEXT_FIELD),
    Binding::new(KeyCode::Tab, Action::Next, "Tab", text::NEXT_FIELD).help_only(),
    Binding::new(KeyCode::BackTab, Action::Prev, "S-Tab", text::PREV_FIELD),
    Binding::new(KeyCode::Down, Action::Down, "↓", text::NEXT_FIELD_OR_CHOICE).help_only(),
    Binding::new(KeyCode::Up, Action::Up, "↑", text::PREV_FIELD_OR_CHOICE).help_only(),
    Binding::new(KeyCode::Esc, Action::Cancel, "Esc", text::CANCEL),
];

const LABEL_WIDTH: u16 = 17;
const INPUT_WIDTH: u16 = 24;

pub struct ResidentForm {
    /// The resident being edited; None registers a new one.
    editing: Option<i64>,
    inputs: Vec<TextField>,
    /// Text of each field when the form opened (to know whether something was typed).
    initial: Vec<String>,
    focus: usize,
    today: NaiveDate,
    districts: HashMap<String, String>,
    home_regency: String,
    village: Option<VillageChoice>,
    choices: Vec<VillageChoice>,
    choice: ListNav,
    /// Sex and birth date were filled from the NIK (and may be filled again when it changes).
    auto_sex: bool,
    auto_birth: bool,
    mismatch_confirmed: bool,
    duplicates_confirmed: bool,
    /// A save was tried: empty required fields now show as errors.
    tried: bool,
    /// Why the typed resident would be refused now (`domain::resident::validate`).
    problems: Vec<ResidentProblem>,
    notes: Vec<Option<Note>>,
    /// A message under the fields after a save attempt.
    banner: Option<Note>,
    /// The resident who already holds the NIK typed (id, name), looked up at its 16th digit.
    nik_holder: Option<(i64, String)>,
}

impl ResidentForm {
    fn blank(ctx: &Ctx) -> ResidentForm {
        let districts = reference::district_names(&ctx.conn).unwrap_or_default();
        let home_regency = settings::get(&ctx.conn, SettingKey::OfficeRegency).unwrap_or_default();
        ResidentForm {
            editing: None,
            inputs: vec![TextField::default(); FIELDS.len()],
            initial: vec![String::new(); FIELDS.len()],
            focus: 0,
            today: ctx.today,
            districts,
            home_regency,
            village: None,
            choices: Vec::new(),
            choice: ListNav::new(),
            auto_sex: false,
            auto_birth: false,
            mismatch_confirmed: false,
            duplicates_confirmed: false,
            tried: false,
            problems: Vec::new(),
            notes: vec![None; FIELDS.len()],
            banner: None,
            nik_holder: None,
        }
    }

    /// A new registration, with the NIK, name or KK typed in the search carried in, or as a new
    /// member of a registered resident's family.
    pub fn register(ctx: &Ctx, carried: Carried) -> ResidentForm {
        let mut form = ResidentForm::blank(ctx);
        match carried {
            Carried::Nik(nik) => {
                form.inputs[Field::Nik.index()].set(&nik);
                form.nik_changed(ctx);
            }
            Carried::Name(name) => {
                form.inputs[Field::Name.index()].set(&name);
                form.focus = Field::Nik.index();
            }
            Carried::Kk(kk) => {
                form.inputs[Field::Kk.index()].set(&kk);
                let member = residents::family(&ctx.conn, &kk, 0)
                    .ok()
                    .and_then(|family| family.first().map(|m| m.id))
                    .and_then(|id| residents::get(&ctx.conn, id).ok().flatten());
                if let Some(member) = member {
                    form.household_of(ctx, &member);
                }
            }
            Carried::FamilyOf(id) => {
                if let Ok(Some(member)) = residents::get(&ctx.conn, id) {
                    form.household_of(ctx, &member);
                }
            }
            Carried::Nothing => {}
        }
        form.initial = form.inputs.iter().map(|i| i.text().to_string()).collect();
        form.revalidate();
        form
    }

    /// What a family shares, filled from one of its members: KK, address, RT/RW, desa.
    fn household_of(&mut self, ctx: &Ctx, member: &Resident) {
        let draft = member.to_draft();
        for field in [Field::Kk, Field::Address, Field::Rt, Field::Rw] {
            self.inputs[field.index()].set(draft.get(field));
        }
        if let Some(code) = &member.village_code {
            self.village = residents::village(&ctx.conn, code).ok().flatten();
            if let Some(v) = &self.village {
                self.inputs[Field::Village.index()].set(&v.name);
            }
        }
    }

    /// The form filled with a stored resident.
    pub fn edit(ctx: &Ctx, resident: &Resident) -> ResidentForm {
        let mut form = ResidentForm::blank(ctx);
        form.editing = Some(resident.id);
        let draft = resident.to_draft();
        for field in FIELDS.into_iter().filter(|f| *f != Field::Village) {
            form.inputs[field.index()].set(draft.get(field));
        }
        if let Some(code) = &resident.village_code {
            form.village = residents::village(&ctx.conn, code).ok().flatten();
            if let Some(v) = &form.village {
                form.inputs[Field::Village.index()].set(&v.name);
            }
        }
        form.mismatch_confirmed = draft.mismatch_confirmed;
        form.initial = form.inputs.iter().map(|i| i.text().to_string()).collect();
        form.revalidate();
        form
    }

    /// The form again as a closed window left it (`db::drafts`): the stored resident (or a new
    /// one) with the typed text over it, so it counts as unsaved work until saved or dropped.
    /// A resident removed since is registered afresh from the text.
    pub fn from_draft(
        ctx: &Ctx,
        editing: Option<i64>,
        fields: &[(Field, String)],
        village: Option<&str>,
    ) -> ResidentForm {
        let stored = editing.and_then(|id| residents::get(&ctx.conn, id).ok().flatten());
        let mut form = match &stored {
            Some(resident) => ResidentForm::edit(ctx, resident),
            None => ResidentForm::register(ctx, Carried::Nothing),
        };
        for (field, text) in fields {
            form.inputs[field.index()].set(text);
        }
        form.village = village.and_then(|code| residents::village(&ctx.conn, code).ok().flatten());
        let nik_typed = fields.iter().any(|(f, _)| *f == Field::Nik);
        if nik_typed {
            // The holder check of the 16th digit, without filling sex or birth date again.
            let (sex, birth) = (
                form.text(Field::Sex).to_string(),
                form.text(Field::BirthDate).to_string(),
            );
            form.nik_changed(ctx);
            form.inputs[Field::Sex.index()].set(&sex);
            form.inputs[Field::BirthDate.index()].set(&birth);
        }
        form.revalidate();
        form
    }

    /// What a closed window must keep of this form: its text when something was typed.
    pub fn draft_left(&self) -> Option<drafts::Draft> {
        if !self.dirty() {
            return None;
        }
        Some(drafts::Draft::ResidentForm {
            editing: self.editing,
            fields: FIELDS
                .iter()
                .map(|f| (*f, self.inputs[f.index()].text().to_string()))
                .collect(),
            village: self.village.as_ref().map(|v| v.code.clone()),
        })
    }

    fn text(&self, field: Field) -> &str {
        self.inputs[field.index()].text().trim()
    }

    fn focused(&self) -> Field {
        FIELDS[self.focus]
    }

    fn dirty(&self) -> bool {
        self.inputs
            .iter()
            .zip(&self.initial)
            .any(|(i, t)| i.text() != t)
    }

    fn nik_info(&self) -> Option<NikInfo> {
        parse_nik(self.text(Field::Nik), self.today, &self.districts).ok()
    }

    /// A NIK that became valid fills sex and birth date (unless the clerk typed them); at its
    /// 16th digit the database says whether someone else holds it already.
    fn nik_changed(&mut self, ctx: &Ctx) {
        self.mismatch_confirmed = false;
        self.nik_holder = None;
        let typed = self.text(Field::Nik);
        if typed.chars().filter(char::is_ascii_digit).count() == 16 {
            let holder = resident_id_by_nik(&ctx.conn, typed)
                .ok()
                .flatten()
                .filter(|id| Some(*id) != self.editing);
            self.nik_holder = holder.and_then(|id| {
                let brief = resident_brief(&ctx.conn, id).ok().flatten()?;
                Some((id, brief.name))
            });
        }
        let Some(info) = self.nik_info() else { return };
        if self.text(Field::Sex).is_empty() || self.auto_sex {
            self.inputs[Field::Sex.index()].set(info.sex.code());
            self.auto_sex = true;
        }
        if self.text(Field::BirthDate).is_empty() || self.auto_birth {
            self.inputs[Field::BirthDate.index()]
                .set(&info.birth_date.format("%d-%m-%Y").to_string());
            self.auto_birth = true;
        }
    }

    fn sex(&self) -> Option<Sex> {
        Sex::parse(self.text(Field::Sex))
    }

    fn birth_date(&self) -> Option<NaiveDate> {
        parse_date_flexible(self.text(Field::BirthDate))
    }

    fn warnings(&self) -> Vec<NikWarning> {
        match (self.nik_info(), self.birth_date(), self.sex()) {
            (Some(info), Some(date), Some(sex)) => check_against(&info, Some(date), Some(sex)),
            _ => Vec::new(),
        }
    }

    /// The typed resident as the domain reads it: the desa is the one picked from the list.
    fn draft(&self) -> ResidentDraft<'_> {
        let mut draft = ResidentDraft::default();
        for field in FIELDS {
            draft.set(field, self.text(field));
        }
        draft.set(
            Field::Village,
            self.village.as_ref().map_or("", |v| v.code.as_str()),
        );
        draft.mismatch_confirmed = self.mismatch_confirmed;
        draft
    }

    /// The typed resident checked by the rules every way in uses (an import too).
    fn validated(&self) -> Result<ValidResident, Vec<ResidentProblem>> {
        let picked = |code: &str| self.village.as_ref().is_some_and(|v| v.code == code);
        validate(
            &self.draft(),
            &Rules {
                today: self.today,
                districts: &self.districts,
                villages: &picked,
            },
        )
    }

    /// Why the typed resident would be refused now; empty when it would be saved (a NIK that
    /// disagrees with the KTP counts until confirmed).
    pub fn problems(&self) -> &[ResidentProblem] {
        &self.problems
    }

    /// The note of every field, from the typed text alone (no database).
    fn revalidate(&mut self) {
        self.problems = self.validated().err().unwrap_or_default();
        let notes: Vec<Option<Note>> = FIELDS.iter().map(|f| self.check(*f)).collect();
        self.notes = notes;
    }

    /// A field's note: its first problem, else the NIK's disagreement, else what the value
    /// means (the kecamatan of a NIK, an age, a code's label).
    fn check(&self, field: Field) -> Option<Note> {
        let value = self.text(field);
        if let (Field::Nik, Some((_, name))) = (field, &self.nik_holder) {
            return Some(Note::Error(Bi::each(|lang| text::nik_held_by(lang, name))));
        }
        let problem = self
            .problems
            .iter()
            .find(|p| p.field() == field && !matches!(p, ResidentProblem::Mismatch(_)));
        if let Some(problem) = problem {
            if problem.is_missing() && !self.tried {
                return None;
            }
            return Some(Note::Error(Bi::each(|lang| {
                resident_text::note(problem, lang)
            })));
        }
        if field == Field::Village && self.village.is_none() && !value.is_empty() {
            let none_found = self.choices.is_empty() && value.chars().count() >= 3;
            return Some(Note::Error(Bi::msg(match none_found {
                true => text::NO_VILLAGE,
                false => text::PICK_VILLAGE,
            })));
        }
        self.mismatch_note(field)
            .or_else(|| self.meaning(field, value))
    }

    /// The NIK's disagreement with the sex or birth date, on that field.
    fn mismatch_note(&self, field: Field) -> Option<Note> {
        let warning = self.warnings().into_iter().find(|w| match w {
            NikWarning::SexMismatch { .. } => field == Field::Sex,
            NikWarning::BirthDateMismatch { .. } => field == Field::BirthDate,
        })?;
        let head = if self.mismatch_confirmed {
            text::MISMATCH_CONFIRMED
        } else {
            text::MISMATCH_SHORT
        };
        Some(Note::Warning(Bi::each(|lang| {
            format!("{}: {}", head.get(lang), warning.text(lang))
        })))
    }

    /// What an accepted value means, or a hint for an empty optional field.
    fn meaning(&self, field: Field, value: &str) -> Option<Note> {
        let info = |msg: Msg| Some(Note::Info(Bi::msg(msg)));
        match field {
            Field::Nik => {
                let info = self.nik_info()?;
                let born = info.birth_date.format("%d-%m-%Y");
                Some(Note::Info(Bi {
                    id: format!(
                        "✓ {} {} · {born} · {}",
                        text::KEC.id,
                        info.district_name,
                        info.sex.label_id()
                    ),
                    en: format!(
                        "✓ {} {} · {born} · {}",
                        text::KEC.en,
                        info.district_name,
                        info.sex.label_en()
                    ),
                }))
            }
            Field::Kk => rules::read_kk(value, &self.districts)
                .ok()
                .flatten()
                .map(|_| Note::Info(Bi::same("✓"))),
            Field::Sex => self.sex().map(|sex| {
                Note::Info(Bi {
                    id: sex.label_id().into(),
                    en: sex.label_en().into(),
                })
            }),
            Field::BirthDate => self.birth_date().map(|d| {
                let age = age_on(d, self.today);
                Note::Info(Bi {
                    id: format!("{age} {}", text::YEARS.id),
                    en: format!("{age} {}", text::YEARS.en),
                })
            }),
            Field::Village => self.village.as_ref().map(|v| {
                Note::Info(Bi {
                    id: format!("{} {}, {}", text::KEC.id, v.district_name, v.regency_name),
                    en: format!("{} {}, {}", text::KEC.en, v.district_name, v.regency_name),
                })
            }),
            Field::Education => match Education::read(value) {
                Ok(Some(code)) => Some(Note::Info(Bi::each(|lang| {
                    text::education_label(i64::from(code.code()), lang)
                        .unwrap_or_default()
                        .to_string()
                }))),
                _ => info(text::EDUCATION_HINT),
            },
            Field::Employment => match Employment::read(value) {
                Ok(Some(e)) => Some(Note::Info(Bi::each(|lang| {
                    resident_text::employment_label(e, lang).to_string()
                }))),
                _ if value.is_empty() => info(resident_text::EMPLOYMENT_HINT),
                _ => info(resident_text::OUTSIDE_LABOUR_FORCE),
            },
            Field::Desil if value.is_empty() => info(text::DESIL_HINT),
            Field::Stunting | Field::Disability => match read_yes_no(value) {
                Ok(yes) => info(if yes { text::YES } else { text::NO }),
                Err(_) => None,
            },
            _ => None,
        }
    }

    fn first_error(&self) -> Option<usize> {
        self.notes
            .iter()
            .position(|n| matches!(n, Some(Note::Error(_))))
    }

    /// The message after a save refused for the fields: the first bad field, named, with its
    /// whole message (the focus goes there).
    fn refused_at(&mut self, first: usize) {
        self.tidy_date();
        self.focus = first;
        let label = resident_text::field_label(FIELDS[first]);
        let note = self.notes[first].clone();
        self.banner = Some(Note::Error(Bi::each(|lang| {
            let why = note.as_ref().map(|n| n.text(lang)).unwrap_or_default();
            format!("{} {}: {why}", text::NOT_SAVED.get(lang), label.get(lang))
        })));
    }

    fn save(&mut self, ctx: &mut Ctx) -> Nav {
        self.tried = true;
        self.revalidate();
        if let Some(first) = self.first_error() {
            self.refused_at(first);
            return Nav::Stay;
        }
        let resident = match self.validated() {
            Ok(resident) => resident,
            Err(problems) => {
                // every other problem is an error beside its field, caught above
                let warnings: Vec<NikWarning> = problems
                    .iter()
                    .filter_map(|p| match p {
                        ResidentProblem::Mismatch(w) => Some(*w),
                        _ => None,
                    })
                    .collect();
                if !warnings.is_empty() && warnings.len() == problems.len() {
                    return self.ask_mismatch(ctx, &warnings);
                }
                let first = problems.first().map_or(0, |p| p.field().index());
                self.refused_at(first);
                return Nav::Stay;
            }
        };
        let result = match self.editing {
            Some(id) => residents::update(
                &ctx.conn,
                &ctx.actor,
                id,
                &resident,
                self.duplicates_confirmed,
            )
            .map(|()| id),
            None => residents::insert(&ctx.conn, &ctx.actor, &resident, self.duplicates_confirmed),
        };
        match result {
            Ok(id) => match self.editing {
                Some(_) => Nav::PopWith(Reply::ResidentSaved),
                None => match ResidentScreen::open(ctx, id) {
                    Ok(screen) => Nav::Replace(Box::new(screen)),
                    Err(message) => Nav::Error(message),
                },
            },
            Err(ResidentError::NikTaken { id, name }) => {
                let body = vec![format!("{} {}.", ctx.t(text::NIK_TAKEN), name)];
                Nav::Push(Box::new(Confirm::new(
                    Purpose::NikTaken(id),
                    ctx.t(text::NIK_TAKEN_TITLE),
                    body,
                    Vec::new(),
                )))
            }
            Err(ResidentError::LikelyDuplicates(list)) => {
                let ids = list.iter().map(|h| h.id).collect();
                let items = list
                    .iter()
                    .map(|h| {
                        format!(
                            "{:<24} {} {} {}",
                            h.name.chars().take(24).collect::<String>(),
                            mask_nik(&h.nik),
                            h.birth_date.format("%d-%m-%Y"),
                            h.village_name.as_deref().unwrap_or("-")
                        )
                    })
                    .collect();
                Nav::Push(Box::new(Confirm::new(
                    Purpose::Duplicates(ids),
                    ctx.t(text::DUPLICATES_TITLE),
                    vec![ctx.t(text::DUPLICATES_BODY).to_string()],
                    items,
                )))
            }
            Err(e) => {
                self.banner = Some(Note::Error(Bi::of(&e)));
                Nav::Stay
            }
        }
    }

    fn ask_mismatch(&self, ctx: &Ctx, warnings: &[NikWarning]) -> Nav {
        let body = warnings.iter().map(|w| w.text(ctx.lang)).collect();
        Nav::Push(Box::new(Confirm::new(
            Purpose::Mismatch,
            ctx.t(text::MISMATCH_TITLE),
            body,
            Vec::new(),
        )))
    }

    fn village_typed(&mut self, ctx: &Ctx) {
        self.village = None;
        let typed = self.text(Field::Village).to_string();
        self.choices = if typed.chars().count() >= 3 {
            residents::find_villages(&ctx.conn, &typed, &self.home_regency, 8).unwrap_or_default()
        } else {
            Vec::new()
        };
        self.choice.reset(self.choices.len());
    }

    /// Enter: picks the desa while its list is open, opens the resident who holds the typed NIK,
    /// saves on the last field, and otherwise moves to the next field.
    fn enter(&mut self, ctx: &mut Ctx) -> Nav {
        if self.picking() {
            self.pick_village();
            self.move_focus(1);
            return Nav::Stay;
        }
        if let (Field::Nik, Some((id, name))) = (self.focused(), self.nik_holder.clone()) {
            return self.open_holder(ctx, id, &name);
        }
        if self.focus + 1 == FIELDS.len() {
            return self.save(ctx);
        }
        self.move_focus(1);
        Nav::Stay
    }

    /// The NIK is someone's already: open them. Only the NIK (or what was carried in) is typed:
    /// at once; anything more typed would be lost, so the form asks first.
    fn open_holder(&mut self, ctx: &mut Ctx, id: i64, name: &str) -> Nav {
        let typed_more =
            self.inputs
                .iter()
                .zip(&self.initial)
                .enumerate()
                .any(|(i, (input, initial))| {
                    let auto = (i == Field::Sex.index() && self.auto_sex)
                        || (i == Field::BirthDate.index() && self.auto_birth);
                    i != Field::Nik.index() && !auto && input.text() != initial
                });
        if typed_more {
            let body = vec![format!("{} {}.", ctx.t(text::NIK_TAKEN), name)];
            return Nav::Push(Box::new(Confirm::new(
                Purpose::NikTaken(id),
                ctx.t(text::NIK_TAKEN_TITLE),
                body,
                Vec::new(),
            )));
        }
        match ResidentScreen::open(ctx, id) {
            Ok(screen) => Nav::Replace(Box::new(screen)),
            Err(message) => Nav::Error(message),
        }
    }

    fn pick_village(&mut self) -> bool {
        let Some(chosen) = self
            .choice
            .selected()
            .and_then(|i| self.choices.get(i))
            .cloned()
        else {
            return false;
        };
        self.inputs[Field::Village.index()].set(&chosen.name);
        self.village = Some(chosen);
        self.choices.clear();
        self.choice.reset(0);
        true
    }

    fn picking(&self) -> bool {
        self.focused() == Field::Village && self.village.is_none() && !self.choices.is_empty()
    }

    fn move_focus(&mut self, delta: isize) {
        self.tidy_date();
        let len = FIELDS.len() as isize;
        self.focus = ((self.focus as isize + delta).rem_euclid(len)) as usize;
    }

    /// Leaving a date field, a date typed without separators (17081990) is shown as the form
    /// writes dates (17-08-1990), so the clerk sees it was read as meant.
    fn tidy_date(&mut self) {
        let field = self.focused();
        if !matches!(field, Field::BirthDate | Field::DesilAsOf) {
            return;
        }
        let typed = self.text(field);
        if let Some(date) = parse_date_flexible(typed) {
            let tidy = rules::typed_date(date);
            if tidy != typed {
                self.inputs[field.index()].set(&tidy);
            }
        }
    }
}

impl Screen for ResidentForm {
    fn title(&self, lang: Lang) -> String {
        match self.editing {
            Some(_) => text::EDIT_TITLE.get(lang).to_string(),
            None => text::REGISTER_TITLE.get(lang).to_string(),
        }
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        hints(KEYS, lang)
    }
    fn captures_text(&self) -> bool {
        true
    }
    fn has_unsaved_work(&self) -> bool {
        self.dirty()
    }
    fn unsaved_draft(&self) -> Option<drafts::Draft> {
        self.draft_left()
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        let nav = match lookup(KEYS, &key) {
            Some(Action::Enter) => self.enter(ctx),
            Some(Action::Save) => self.save(ctx),
            Some(Action::Next) => {
                self.move_focus(1);
                Nav::Stay
            }
            Some(Action::Prev) => {
                self.move_focus(-1);
                Nav::Stay
            }
            Some(Action::Down) if self.picking() => {
                self.choice.go(Move::Down);
                Nav::Stay
            }
            Some(Action::Up) if self.picking() => {
                self.choice.go(Move::Up);
                Nav::Stay
            }
            Some(Action::Down) => {
                self.move_focus(1);
                Nav::Stay
            }
            Some(Action::Up) => {
                self.move_focus(-1);
                Nav::Stay
            }
            Some(Action::Cancel) => {
                if self.dirty() {
                    Nav::Push(Box::new(Confirm::new(
                        Purpose::Discard,
                        ctx.t(text::DISCARD_TITLE),
                        vec![ctx.t(text::DISCARD_BODY).to_string()],
                        Vec::new(),
                    )))
                } else {
                    Nav::Pop
                }
            }
            None => {
                let field = self.focused();
                if self.inputs[self.focus].handle(&key).changed() {
                    self.banner = None;
                    match field {
                        Field::Nik => self.nik_changed(ctx),
                        Field::Sex => {
                            self.auto_sex = false;
                            self.mismatch_confirmed = false;
                        }
                        Field::BirthDate => {
                            self.auto_birth = false;
                            self.mismatch_confirmed = false;
                        }
                        Field::Village => self.village_typed(ctx),
                        Field::Name | Field::Kk => self.duplicates_confirmed = false,
                        _ => {}
                    }
                }
                Nav::Stay
            }
        };
        self.revalidate();
        nav
    }
    fn handle_reply(&mut self, reply: Reply, ctx: &mut Ctx) -> Nav {
        let Reply::Confirm(reply) = reply else {
            return Nav::Stay;
        };
        match (reply.purpose, reply.answer) {
            (Purpose::Mismatch, Answer::Yes) => {
                self.mismatch_confirmed = true;
                self.revalidate();
                self.save(ctx)
            }
            (Purpose::Duplicates(_), Answer::Yes) => {
                self.duplicates_confirmed = true;
                self.save(ctx)
            }
            (Purpose::Discard, Answer::Yes) => Nav::Pop,
            (Purpose::NikTaken(_) | Purpose::Duplicates(_), Answer::Open(id)) => {
                match ResidentScreen::open(ctx, id) {
                    Ok(screen) => Nav::Replace(Box::new(screen)),
                    Err(message) => Nav::Error(message),
                }
            }
            _ => Nav::Stay,
        }
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        // No frame around the form: at 80x24 the rows it would take hold the message line.
        let inner = area.inner(ratatui::layout::Margin::new(1, 0));
        let rows = FIELDS.len() as u16;
        let [fields_area, rule_area, banner_area] = Layout::vertical([
            Constraint::Length(rows.min(inner.height)),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(inner);
        frame.render_widget(
            Paragraph::new("─".repeat(usize::from(rule_area.width))).style(theme::muted()),
            rule_area,
        );
        let lang = ctx.lang;
        for (i, field) in FIELDS.iter().enumerate() {
            let y = fields_area.y + i as u16;
            if y >= fields_area.bottom() {
                break;
            }
            let focused = i == self.focus;
            let label_style = if focused {
                theme::focused()
            } else {
                Style::new()
            };
            let note = self.notes[i].as_ref();
            let note_width = inner.width.saturating_sub(LABEL_WIDTH + INPUT_WIDTH + 2) as usize;
            let note_text = note.map(|n| localize(n, lang)).unwrap_or_default();
            let line = Line::from(vec![
                Span::styled(
                    format!(
                        "{:<w$}",
                        resident_text::field_label(*field).get(lang),
                        w = LABEL_WIDTH as usize
                    ),
                    label_style,
                ),
                // The field itself is drawn over these columns below.
                Span::raw(" ".repeat(usize::from(INPUT_WIDTH) + 1)),
                Span::styled(
                    cut(&note_text, note_width),
                    note.map(Note::style).unwrap_or_default(),
                ),
            ]);
            frame.render_widget(Paragraph::new(line), Rect::new(inner.x, y, inner.width, 1));
            let style = if focused {
                theme::selected()
            } else {
                theme::muted().add_modifier(ratatui::style::Modifier::UNDERLINED)
            };
            let width = INPUT_WIDTH.min(inner.width.saturating_sub(LABEL_WIDTH));
            let area = Rect::new(inner.x + LABEL_WIDTH, y, width, 1);
            self.inputs[i].render(frame, area, style, focused);
        }
        // Below the fields, whole and wrapped: the answer to a save, else the focused field's
        // note (beside the field it may be cut), named by its field.
        let below = match &self.banner {
            Some(note) => Some((localize(note, lang), note.style())),
            None => self.notes[self.focus].as_ref().map(|note| {
                let label = resident_text::field_label(self.focused()).get(lang);
                (format!("{label}: {}", localize(note, lang)), note.style())
            }),
        };
        if let Some((message, style)) = below {
            frame.render_widget(
                Paragraph::new(Line::styled(message, style)).wrap(Wrap { trim: true }),
                banner_area,
            );
        }
        if self.picking() {
            let y = fields_area.y + Field::Village.index() as u16 + 1;
            let height = (self.choices.len() as u16 + 2).min(area.bottom().saturating_sub(y));
            let popup = Rect::new(
                inner.x + LABEL_WIDTH,
                y,
                inner.width.saturating_sub(LABEL_WIDTH),
                height,
            );
            let items: Vec<ListItem> = self
                .choices
                .iter()
                .map(|v| {
                    ListItem::new(format!(
                        "{} · {} {} · {}",
                        v.name,
                        text::KEC.get(lang),
                        v.district_name,
                        v.regency_name
                    ))
                })
                .collect();
            frame.render_widget(Clear, popup);
            self.choice.render_list(
                frame,
                List::new(items)
                    .block(
                        Block::bordered()
                            .title(format!(" {} ", text::PICK_VILLAGE_TITLE.get(lang))),
                    )
                    .highlight_style(theme::selected()),
                popup,
            );
        }
    }
}

fn localize(note: &Note, lang: Lang) -> String {
    note.text(lang).to_string()
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
