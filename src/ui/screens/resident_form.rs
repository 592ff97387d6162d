//! Daftar / ubah penduduk: the register and edit form. Validation as the clerk types, next to
//! the field, in plain language; a valid NIK fills sex and birth date and names its kecamatan;
//! a NIK that disagrees with the KTP must be confirmed; a NIK already registered is refused
//! and the existing resident offered; likely duplicates are listed before a second record is
//! made. Nothing typed is lost on an error. Writes only through `db::residents`.

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
use crate::db::residents::{
    self, EMPLOYMENTS, Resident, ResidentError, ResidentInput, VillageChoice,
};
use crate::db::settings::SettingKey;
use crate::db::{reference, settings};
use crate::domain::nik::{NikInfo, NikWarning, Sex, check_against, mask_nik, parse_kk, parse_nik};
use crate::domain::person::{age_on, parse_date_flexible};
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::text::{Both as Bi, Lang, Localized, Msg, desk as text};
use crate::ui::widgets::{ListNav, Move, TextField};
use crate::ui::{Ctx, Nav, Reply, Screen, theme};

/// What the search screen carries into a new registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carried {
    Nothing,
    Nik(String),
    Name(String),
}

/// The fields, in the order Tab visits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Nik,
    Kk,
    Name,
    Sex,
    BirthPlace,
    BirthDate,
    Address,
    Rt,
    Rw,
    Village,
    Phone,
    Education,
    Employment,
    Desil,
    DesilSource,
    DesilAsOf,
    Stunting,
    Disability,
}

const FIELDS: [Field; 18] = [
    Field::Nik,
    Field::Kk,
    Field::Name,
    Field::Sex,
    Field::BirthPlace,
    Field::BirthDate,
    Field::Address,
    Field::Rt,
    Field::Rw,
    Field::Village,
    Field::Phone,
    Field::Education,
    Field::Employment,
    Field::Desil,
    Field::DesilSource,
    Field::DesilAsOf,
    Field::Stunting,
    Field::Disability,
];

impl Field {
    fn label(self) -> Msg {
        match self {
            Field::Nik => text::F_NIK,
            Field::Kk => text::F_KK,
            Field::Name => text::F_NAME,
            Field::Sex => text::F_SEX,
            Field::BirthPlace => text::F_BIRTH_PLACE,
            Field::BirthDate => text::F_BIRTH_DATE,
            Field::Address => text::F_ADDRESS,
            Field::Rt => text::F_RT,
            Field::Rw => text::F_RW,
            Field::Village => text::F_VILLAGE,
            Field::Phone => text::F_PHONE,
            Field::Education => text::F_EDUCATION,
            Field::Employment => text::F_EMPLOYMENT,
            Field::Desil => text::F_DESIL,
            Field::DesilSource => text::F_DESIL_SOURCE,
            Field::DesilAsOf => text::F_DESIL_AS_OF,
            Field::Stunting => text::F_STUNTING,
            Field::Disability => text::F_DISABILITY,
        }
    }
    fn index(self) -> usize {
        FIELDS.iter().position(|f| *f == self).unwrap_or(0)
    }
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
    Next,
    Prev,
    Up,
    Down,
    Cancel,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::F(10), Action::Save, "F10", text::SAVE),
    Binding::new(KeyCode::Enter, Action::Save, "Enter", text::SAVE_OR_PICK).help_only(),
    Binding::new(KeyCode::Tab, Action::Next, "Tab", text::NEXT_FIELD),
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
    notes: Vec<Option<Note>>,
    /// A message under the fields after a save attempt.
    banner: Option<Note>,
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
            notes: vec![None; FIELDS.len()],
            banner: None,
        }
    }

    /// A new registration, with the NIK or name typed in the search carried in.
    pub fn register(ctx: &Ctx, carried: Carried) -> ResidentForm {
        let mut form = ResidentForm::blank(ctx);
        match carried {
            Carried::Nik(nik) => {
                form.inputs[Field::Nik.index()].set(&nik);
                form.nik_changed();
            }
            Carried::Name(name) => {
                form.inputs[Field::Name.index()].set(&name);
                form.focus = Field::Nik.index();
            }
            Carried::Nothing => {}
        }
        form.initial = form.inputs.iter().map(|i| i.text().to_string()).collect();
        form.revalidate();
        form
    }

    /// The form filled with a stored resident.
    pub fn edit(ctx: &Ctx, resident: &Resident) -> ResidentForm {
        let mut form = ResidentForm::blank(ctx);
        form.editing = Some(resident.id);
        let input = ResidentInput::from(resident);
        let values: [(Field, String); 17] = [
            (Field::Nik, input.nik.clone()),
            (Field::Kk, input.kk.clone().unwrap_or_default()),
            (Field::Name, input.name.clone()),
            (
                Field::Sex,
                input.sex.map(|s| s.code().to_string()).unwrap_or_default(),
            ),
            (Field::BirthPlace, input.birth_place.clone()),
            (
                Field::BirthDate,
                input
                    .birth_date
                    .map(|d| d.format("%d-%m-%Y").to_string())
                    .unwrap_or_default(),
            ),
            (Field::Address, input.address.clone()),
            (Field::Rt, input.rt.clone()),
            (Field::Rw, input.rw.clone()),
            (Field::Phone, input.phone.clone()),
            (
                Field::Education,
                input.education.map(|e| e.to_string()).unwrap_or_default(),
            ),
            (
                Field::Employment,
                input
                    .employment
                    .as_deref()
                    .and_then(|e| EMPLOYMENTS.iter().position(|x| *x == e))
                    .map(|i| (i + 1).to_string())
                    .unwrap_or_default(),
            ),
            (
                Field::Desil,
                input.desil.map(|d| d.to_string()).unwrap_or_default(),
            ),
            (
                Field::DesilSource,
                input.desil_source.clone().unwrap_or_default(),
            ),
            (
                Field::DesilAsOf,
                input
                    .desil_as_of
                    .map(|d| d.format("%d-%m-%Y").to_string())
                    .unwrap_or_default(),
            ),
            (
                Field::Stunting,
                yes_no_code(input.stunting_household).to_string(),
            ),
            (Field::Disability, yes_no_code(input.disability).to_string()),
        ];
        for (field, value) in values {
            form.inputs[field.index()].set(&value);
        }
        if let Some(code) = &resident.village_code {
            form.village = residents::village(&ctx.conn, code).ok().flatten();
            if let Some(v) = &form.village {
                form.inputs[Field::Village.index()].set(&v.name);
            }
        }
        form.mismatch_confirmed = input.nik_mismatch_confirmed;
        form.initial = form.inputs.iter().map(|i| i.text().to_string()).collect();
        form.revalidate();
        form
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

    /// A NIK that became valid fills sex and birth date (unless the clerk typed them).
    fn nik_changed(&mut self) {
        self.mismatch_confirmed = false;
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

    /// The note of every field, from the typed text alone (no database).
    fn revalidate(&mut self) {
        let notes: Vec<Option<Note>> = FIELDS.iter().map(|f| self.check(*f)).collect();
        self.notes = notes;
    }

    fn check(&self, field: Field) -> Option<Note> {
        let value = self.text(field);
        let required = |msg: Msg| {
            if self.tried {
                Some(Note::Error(Bi::msg(msg)))
            } else {
                None
            }
        };
        let warnings = self.warnings();
        let warn = |pick: fn(&NikWarning) -> bool| {
            warnings.iter().find(|w| pick(w)).map(|w| {
                let head = if self.mismatch_confirmed {
                    text::MISMATCH_CONFIRMED
                } else {
                    text::MISMATCH_SHORT
                };
                Note::Warning(Bi {
                    id: format!("{}: {}", head.id, w.text(Lang::Id)),
                    en: format!("{}: {}", head.en, w.text(Lang::En)),
                })
            })
        };
        let error = |msg: Msg| Some(Note::Error(Bi::msg(msg)));
        match field {
            Field::Nik => {
                if value.is_empty() {
                    return required(text::REQUIRED_NIK);
                }
                match parse_nik(value, self.today, &self.districts) {
                    Ok(info) => {
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
                    Err(e) => Some(Note::Error(Bi::of(&e))),
                }
            }
            Field::Kk => {
                if value.is_empty() {
                    return None;
                }
                match parse_kk(value, &self.districts) {
                    Ok(_) => Some(Note::Info(Bi::same("✓"))),
                    Err(e) => Some(Note::Error(Bi::of(&e))),
                }
            }
            Field::Name => {
                if crate::domain::name_key(value).is_empty() {
                    required(text::REQUIRED_NAME)
                } else {
                    None
                }
            }
            Field::Sex => {
                if value.is_empty() {
                    return required(text::REQUIRED_SEX);
                }
                match self.sex() {
                    Some(sex) => warn(|w| matches!(w, NikWarning::SexMismatch { .. })).or(Some(
                        Note::Info(Bi {
                            id: sex.label_id().into(),
                            en: sex.label_en().into(),
                        }),
                    )),
                    None => error(text::BAD_SEX),
                }
            }
            Field::BirthDate => {
                if value.is_empty() {
                    return required(text::REQUIRED_BIRTH_DATE);
                }
                match self.birth_date() {
                    Some(d) if d > self.today => error(text::FUTURE_DATE),
                    Some(d) => {
                        warn(|w| matches!(w, NikWarning::BirthDateMismatch { .. })).or_else(|| {
                            let age = age_on(d, self.today);
                            Some(Note::Info(Bi {
                                id: format!("{age} {}", text::YEARS.id),
                                en: format!("{age} {}", text::YEARS.en),
                            }))
                        })
                    }
                    None => error(text::BAD_DATE),
                }
            }
            Field::Rt | Field::Rw => {
                if value.is_empty()
                    || (value.len() <= 3 && value.chars().all(|c| c.is_ascii_digit()))
                {
                    None
                } else {
                    error(text::BAD_RT)
                }
            }
            Field::Village => match &self.village {
                Some(v) => Some(Note::Info(Bi {
                    id: format!("{} {}, {}", text::KEC.id, v.district_name, v.regency_name),
                    en: format!("{} {}, {}", text::KEC.en, v.district_name, v.regency_name),
                })),
                None if value.is_empty() => required(text::REQUIRED_VILLAGE),
                None if self.choices.is_empty() && value.chars().count() >= 3 => {
                    error(text::NO_VILLAGE)
                }
                None => error(text::PICK_VILLAGE),
            },
            Field::Phone => {
                let digits = value.trim_start_matches('+');
                if value.is_empty()
                    || ((8..=15).contains(&digits.len())
                        && digits.chars().all(|c| c.is_ascii_digit()))
                {
                    None
                } else {
                    error(text::BAD_PHONE)
                }
            }
            Field::Education => {
                if value.is_empty() {
                    return Some(Note::Info(Bi::msg(text::EDUCATION_HINT)));
                }
                match value.parse::<i64>().ok() {
                    Some(code) => match (
                        text::education_label(code, Lang::Id),
                        text::education_label(code, Lang::En),
                    ) {
                        (Some(id), Some(en)) => Some(Note::Info(Bi {
                            id: id.into(),
                            en: en.into(),
                        })),
                        _ => error(text::EDUCATION_HINT),
                    },
                    None => error(text::EDUCATION_HINT),
                }
            }
            Field::Employment => {
                if value.is_empty() {
                    return Some(Note::Info(Bi::msg(text::EMPLOYMENT_HINT)));
                }
                match employment(value) {
                    Some(code) => Some(Note::Info(Bi {
                        id: text::employment_label(code, Lang::Id)
                            .unwrap_or(code)
                            .into(),
                        en: text::employment_label(code, Lang::En)
                            .unwrap_or(code)
                            .into(),
                    })),
                    None => error(text::EMPLOYMENT_HINT),
                }
            }
            Field::Desil => {
                if value.is_empty() {
                    return Some(Note::Info(Bi::msg(text::DESIL_HINT)));
                }
                match value.parse::<i64>() {
                    Ok(1..=10) => None,
                    _ => error(text::DESIL_HINT),
                }
            }
            Field::DesilSource => None,
            Field::DesilAsOf => {
                if value.is_empty() {
                    return None;
                }
                match parse_date_flexible(value) {
                    Some(d) if d > self.today => error(text::FUTURE_DATE),
                    Some(_) => None,
                    None => error(text::BAD_DATE),
                }
            }
            Field::Stunting | Field::Disability => match yes_no(value) {
                Some(b) => Some(Note::Info(Bi::msg(if b { text::YES } else { text::NO }))),
                None => error(text::YES_NO_HINT),
            },
            Field::BirthPlace | Field::Address => None,
        }
    }

    fn first_error(&self) -> Option<usize> {
        self.notes
            .iter()
            .position(|n| matches!(n, Some(Note::Error(_))))
    }

    fn input(&self) -> ResidentInput {
        let opt = |f: Field| Some(self.text(f).to_string()).filter(|s| !s.is_empty());
        let desil = self.text(Field::Desil).parse::<i64>().ok();
        ResidentInput {
            nik: self.text(Field::Nik).to_string(),
            kk: opt(Field::Kk),
            name: self.text(Field::Name).to_string(),
            sex: self.sex(),
            birth_place: self.text(Field::BirthPlace).to_uppercase(),
            birth_date: self.birth_date(),
            address: self.text(Field::Address).to_string(),
            rt: pad3(self.text(Field::Rt)),
            rw: pad3(self.text(Field::Rw)),
            village_code: self.village.as_ref().map(|v| v.code.clone()),
            phone: self.text(Field::Phone).to_string(),
            education: self.text(Field::Education).parse().ok(),
            employment: employment(self.text(Field::Employment)).map(str::to_string),
            desil,
            desil_source: desil.map(|_| opt(Field::DesilSource).unwrap_or_else(|| "DTSEN".into())),
            desil_as_of: desil.and_then(|_| parse_date_flexible(self.text(Field::DesilAsOf))),
            stunting_household: yes_no(self.text(Field::Stunting)).unwrap_or(false),
            disability: yes_no(self.text(Field::Disability)).unwrap_or(false),
            nik_mismatch_confirmed: self.mismatch_confirmed,
        }
    }

    fn save(&mut self, ctx: &mut Ctx) -> Nav {
        self.tried = true;
        self.revalidate();
        if let Some(first) = self.first_error() {
            self.focus = first;
            self.banner = Some(Note::Error(Bi::msg(text::FIX_FIELDS)));
            return Nav::Stay;
        }
        let warnings = self.warnings();
        if !warnings.is_empty() && !self.mismatch_confirmed {
            return self.ask_mismatch(ctx, &warnings);
        }
        let input = self.input();
        let result = match self.editing {
            Some(id) => residents::update(
                &ctx.conn,
                &ctx.actor,
                id,
                &input,
                self.duplicates_confirmed,
                ctx.today,
            )
            .map(|()| id),
            None => residents::insert(
                &ctx.conn,
                &ctx.actor,
                &input,
                self.duplicates_confirmed,
                ctx.today,
            ),
        };
        match result {
            Ok(id) => match self.editing {
                Some(_) => Nav::PopWith(Reply::ResidentSaved),
                None => match ResidentScreen::open(ctx, id) {
                    Ok(screen) => Nav::Replace(Box::new(screen)),
                    Err(message) => Nav::Error(message),
                },
            },
            Err(ResidentError::MismatchNotConfirmed(w)) => self.ask_mismatch(ctx, &w),
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
            Err(ResidentError::Nik(e)) => {
                self.focus = Field::Nik.index();
                self.banner = Some(Note::Error(Bi::of(&e)));
                Nav::Stay
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
        let len = FIELDS.len() as isize;
        self.focus = ((self.focus as isize + delta).rem_euclid(len)) as usize;
    }
}

/// Employment typed as 1-4 (or the stored code) -> stored code.
fn employment(value: &str) -> Option<&'static str> {
    match value.trim().parse::<usize>() {
        Ok(n @ 1..=4) => Some(EMPLOYMENTS[n - 1]),
        _ => EMPLOYMENTS.iter().copied().find(|e| *e == value.trim()),
    }
}

fn yes_no(value: &str) -> Option<bool> {
    match value.trim().to_lowercase().as_str() {
        "" | "t" | "tidak" | "n" | "no" | "0" => Some(false),
        "y" | "ya" | "yes" | "1" => Some(true),
        _ => None,
    }
}

fn yes_no_code(value: bool) -> &'static str {
    if value { "y" } else { "t" }
}

/// RT and RW are written with three digits on the KK ("003").
fn pad3(value: &str) -> String {
    match value.parse::<u32>() {
        Ok(n) if value.len() <= 3 => format!("{n:03}"),
        _ => value.to_string(),
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
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        let nav = match lookup(KEYS, &key) {
            Some(Action::Save) if key.code == KeyCode::Enter && self.picking() => {
                self.pick_village();
                Nav::Stay
            }
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
                        Field::Nik => self.nik_changed(),
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
        let block = Block::bordered();
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let rows = FIELDS.len() as u16;
        let [fields_area, banner_area] = Layout::vertical([
            Constraint::Length(rows.min(inner.height)),
            Constraint::Min(0),
        ])
        .areas(inner);
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
                    format!("{:<w$}", field.label().get(lang), w = LABEL_WIDTH as usize),
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
        // Below the fields: the banner, else the focused field's full note (they may be long).
        let below = self.banner.clone().or_else(|| {
            self.notes[self.focus]
                .clone()
                .filter(|n| !matches!(n, Note::Info(_)))
        });
        if let Some(note) = below {
            frame.render_widget(
                Paragraph::new(Line::styled(localize(&note, lang), note.style()))
                    .wrap(Wrap { trim: true }),
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
