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
use crate::db::residents::{self, Resident, ResidentError, VillageChoice};
use crate::db::settings::SettingKey;
use crate::db::{reference, settings};
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

/// What the search screen carries into a new registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carried {
    Nothing,
    Nik(String),
    Name(String),
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
    /// Why the typed resident would be refused now (`domain::resident::validate`).
    problems: Vec<ResidentProblem>,
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
            problems: Vec::new(),
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

    fn save(&mut self, ctx: &mut Ctx) -> Nav {
        self.tried = true;
        self.revalidate();
        if let Some(first) = self.first_error() {
            self.focus = first;
            self.banner = Some(Note::Error(Bi::msg(text::FIX_FIELDS)));
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
                self.banner = Some(Note::Error(Bi::msg(text::FIX_FIELDS)));
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
