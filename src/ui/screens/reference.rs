//! Data referensi (supervisor), Tab from one list to the next: the holiday calendar of a year
//! (add next year's cuti bersama, remove one added by mistake), the settings (contribution
//! rates, attendance minimum, idle lock...), instructors with their BNSP certificate (Enter
//! edits the certificate, F4 every field, F2 adds one; the cohorts they teach outside their
//! certificate are flagged), and the course catalogue and venues (F2 adds, Enter edits, field by
//! field: `reference_form`). Every list has column headers. Changes go through
//! `db::holidays`, `db::settings::update` and `db::reference_admin`, which check the role and
//! audit. A holiday added or removed inside planned or running cohorts names them and offers to
//! recompute their end dates (`db::cohorts::recompute_ends`).

use chrono::Datelike;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Row, Table};

use super::prompt::{Ask, Prompt, PromptReply};
use super::reference_form::{RefForm, RefKind};
use crate::db::cohorts::{self, TouchedCohort};
use crate::db::holidays::{self, Holiday};
use crate::db::reference_admin::{self, CourseRef, InstructorRef, VenueRef};
use crate::db::settings::{self, SettingKey};
use crate::domain::person::parse_date_flexible;
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::text::{Label, Lang, Localized, admin, cohort_run as run_text, supervisor as text};
use crate::ui::widgets::ListNav;
use crate::ui::{Ctx, Nav, Reply, Screen, theme};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Switch,
    Add,
    Edit,
    Remove,
    EditAll,
    PrevYear,
    NextYear,
    Back,
}

const HOLIDAY_KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Tab, Action::Switch, "Tab", text::NEXT_LIST),
    Binding::new(KeyCode::F(2), Action::Add, "F2", text::ADD_HOLIDAY),
    Binding::new(KeyCode::F(8), Action::Remove, "F8", text::REMOVE),
    Binding::new(KeyCode::Left, Action::PrevYear, "←/→", text::YEAR),
    Binding::new(KeyCode::Right, Action::NextYear, "→", text::YEAR).help_only(),
    Binding::new(KeyCode::Esc, Action::Back, "Esc", text::BACK),
];

const SETTING_KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Tab, Action::Switch, "Tab", text::NEXT_LIST),
    Binding::new(KeyCode::Enter, Action::Edit, "Enter", text::EDIT),
    Binding::new(KeyCode::Esc, Action::Back, "Esc", text::BACK),
];

const LIST_KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Tab, Action::Switch, "Tab", text::NEXT_LIST),
    Binding::new(KeyCode::F(2), Action::Add, "F2", admin::ADD),
    Binding::new(KeyCode::Enter, Action::EditAll, "Enter", text::EDIT),
    Binding::new(KeyCode::Esc, Action::Back, "Esc", text::BACK),
];

const INSTRUCTOR_KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Tab, Action::Switch, "Tab", text::NEXT_LIST),
    Binding::new(KeyCode::F(2), Action::Add, "F2", admin::ADD_INSTRUCTOR),
    Binding::new(KeyCode::Enter, Action::Edit, "Enter", text::EDIT),
    Binding::new(KeyCode::F(4), Action::EditAll, "F4", admin::EDIT_ALL),
    Binding::new(KeyCode::Esc, Action::Back, "Esc", text::BACK),
];

/// The lists, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Holidays,
    Settings,
    Instructors,
    Courses,
    Venues,
}

impl Tab {
    fn next(self) -> Tab {
        match self {
            Tab::Holidays => Tab::Settings,
            Tab::Settings => Tab::Instructors,
            Tab::Instructors => Tab::Courses,
            Tab::Courses => Tab::Venues,
            Tab::Venues => Tab::Holidays,
        }
    }
}

pub struct Reference {
    year: i32,
    holidays: Vec<Holiday>,
    /// Each key with its value (stored or default).
    settings: Vec<(SettingKey, String)>,
    instructors: Vec<InstructorRef>,
    /// Per instructor id, the planned or running cohorts outside their certificate.
    uncertified: std::collections::HashMap<i64, Vec<String>>,
    courses: Vec<CourseRef>,
    venues: Vec<VenueRef>,
    tab: Tab,
    list: ListNav,
    /// The last change's message (recomputed end dates), under the list.
    notice: Option<String>,
}

impl Reference {
    pub fn new(ctx: &Ctx) -> Result<Reference, String> {
        let mut screen = Reference {
            year: ctx.today.year() + 1,
            holidays: Vec::new(),
            settings: Vec::new(),
            instructors: Vec::new(),
            uncertified: std::collections::HashMap::new(),
            courses: Vec::new(),
            venues: Vec::new(),
            tab: Tab::Holidays,
            list: ListNav::new(),
            notice: None,
        };
        screen.reload(ctx)?;
        Ok(screen)
    }

    fn reload(&mut self, ctx: &Ctx) -> Result<(), String> {
        let err = |e: crate::db::DbError| e.text(ctx.lang);
        self.holidays = holidays::of_year(&ctx.conn, self.year).map_err(err)?;
        self.settings = settings::all(&ctx.conn).map_err(err)?;
        self.instructors = reference_admin::instructors(&ctx.conn).map_err(err)?;
        self.uncertified = reference_admin::uncertified_cohorts(&ctx.conn).map_err(err)?;
        self.courses = reference_admin::courses(&ctx.conn).map_err(err)?;
        self.venues = reference_admin::venues(&ctx.conn).map_err(err)?;
        self.list.set_len(self.len());
        Ok(())
    }

    fn len(&self) -> usize {
        match self.tab {
            Tab::Holidays => self.holidays.len(),
            Tab::Settings => self.settings.len(),
            Tab::Instructors => self.instructors.len(),
            Tab::Courses => self.courses.len(),
            Tab::Venues => self.venues.len(),
        }
    }

    fn keys(&self) -> &'static [Binding<Action>] {
        match self.tab {
            Tab::Holidays => HOLIDAY_KEYS,
            Tab::Settings => SETTING_KEYS,
            Tab::Instructors => INSTRUCTOR_KEYS,
            Tab::Courses | Tab::Venues => LIST_KEYS,
        }
    }

    fn reloaded(&mut self, ctx: &Ctx) -> Nav {
        match self.reload(ctx) {
            Ok(()) => Nav::Stay,
            Err(e) => Nav::Error(e),
        }
    }

    /// After a holiday change: the cohorts it touched are named, with the offer to recompute
    /// their end dates.
    fn holiday_changed(
        &mut self,
        ctx: &Ctx,
        date: chrono::NaiveDate,
        added: bool,
        touched: Vec<TouchedCohort>,
    ) -> Nav {
        let nav = self.reloaded(ctx);
        if touched.is_empty() {
            return nav;
        }
        Nav::Push(Box::new(Prompt::confirm(
            Ask::RecomputeEnds {
                date,
                added,
                cohort_ids: touched.iter().map(|c| c.id).collect(),
            },
            ctx.t(run_text::RECOMPUTE_TITLE).to_string(),
            run_text::holiday_touches(ctx.lang, date, &touched),
        )))
    }

    /// Applies what a prompt answered.
    fn answer(&mut self, reply: PromptReply, ctx: &Ctx) -> Nav {
        let lang = ctx.lang;
        let typed = reply.text;
        self.notice = None;
        let result = match reply.ask {
            Ask::AddHoliday => {
                let (date, name) = typed.split_once(' ').unwrap_or((typed.as_str(), ""));
                match parse_date_flexible(date) {
                    Some(date) => match holidays::add(&ctx.conn, &ctx.actor, date, name) {
                        Ok(touched) => return self.holiday_changed(ctx, date, true, touched),
                        Err(e) => Err(e.text(lang)),
                    },
                    None => Err(ctx.t(text::HOLIDAY_FORMAT).to_string()),
                }
            }
            Ask::RemoveHoliday { date } => match holidays::remove(&ctx.conn, &ctx.actor, date) {
                Ok(touched) => return self.holiday_changed(ctx, date, false, touched),
                Err(e) => Err(e.text(lang)),
            },
            Ask::RecomputeEnds {
                date,
                added,
                cohort_ids,
            } => {
                let why = format!("holiday {date} {}", if added { "added" } else { "removed" });
                match cohorts::recompute_ends(&ctx.conn, &ctx.actor, &cohort_ids, &why) {
                    Ok(moved) => {
                        self.notice = Some(run_text::ends_recomputed(lang, &moved));
                        Ok(())
                    }
                    Err(e) => Err(e.text(lang)),
                }
            }
            Ask::Bnsp { instructor_id } => {
                let (number, expiry) = typed.rsplit_once(' ').unwrap_or((typed.as_str(), ""));
                match parse_date_flexible(expiry) {
                    Some(expiry) => reference_admin::set_instructor_bnsp(
                        &ctx.conn,
                        &ctx.actor,
                        instructor_id,
                        Some(number),
                        Some(expiry),
                    )
                    .map_err(|e| e.text(lang)),
                    None => Err(ctx.t(text::BNSP_FORMAT).to_string()),
                }
            }
            Ask::Setting { key } => {
                settings::update(&ctx.conn, &ctx.actor, key, &typed).map_err(|e| e.text(lang))
            }
            Ask::Reference(form) => match form.answer(typed, ctx) {
                Ok(Some(next)) => return next,
                Ok(None) => Ok(()),
                Err(e) => Err(e),
            },
            _ => Ok(()),
        };
        match result {
            Ok(()) => self.reloaded(ctx),
            Err(e) => Nav::Error(e),
        }
    }
}

impl Screen for Reference {
    fn title(&self, lang: Lang) -> String {
        text::REFERENCE_TITLE.get(lang).to_string()
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        let mut all = hints(self.keys(), lang);
        all.extend(self.list.hints(lang));
        all
    }
    fn handle_reply(&mut self, reply: Reply, ctx: &mut Ctx) -> Nav {
        match reply {
            Reply::Prompt(reply) => self.answer(reply, ctx),
            _ => Nav::Stay,
        }
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        match lookup(self.keys(), &key) {
            Some(Action::Switch) => {
                self.tab = self.tab.next();
                self.list.reset(self.len());
            }
            Some(Action::Add) if self.tab != Tab::Holidays => {
                let kind = match self.tab {
                    Tab::Courses => RefKind::Course,
                    Tab::Venues => RefKind::Venue,
                    _ => RefKind::Instructor,
                };
                return RefForm::add(kind).next_prompt(ctx.lang);
            }
            Some(Action::EditAll) => {
                let at = self.list.selected();
                let form = match self.tab {
                    Tab::Instructors => at
                        .and_then(|i| self.instructors.get(i))
                        .map(RefForm::edit_instructor),
                    Tab::Courses => at
                        .and_then(|i| self.courses.get(i))
                        .map(RefForm::edit_course),
                    Tab::Venues => at.and_then(|i| self.venues.get(i)).map(RefForm::edit_venue),
                    Tab::Holidays | Tab::Settings => None,
                };
                if let Some(form) = form {
                    return form.next_prompt(ctx.lang);
                }
            }
            Some(Action::Add) => {
                return Nav::Push(Box::new(Prompt::text(
                    Ask::AddHoliday,
                    ctx.t(text::ADD_HOLIDAY).to_string(),
                    ctx.t(text::HOLIDAY_FORMAT).to_string(),
                    &format!("{}-", self.year),
                )));
            }
            Some(Action::Remove) => {
                if let Some(h) = self.list.selected().and_then(|i| self.holidays.get(i)) {
                    return Nav::Push(Box::new(Prompt::confirm(
                        Ask::RemoveHoliday { date: h.date },
                        ctx.t(text::REMOVE).to_string(),
                        format!("{} {}", h.date.format("%d-%m-%Y"), h.name),
                    )));
                }
            }
            Some(Action::Edit) if self.tab == Tab::Instructors => {
                if let Some(i) = self.list.selected().and_then(|i| self.instructors.get(i)) {
                    let current = format!(
                        "{} {}",
                        i.bnsp_cert_no.as_deref().unwrap_or(""),
                        i.bnsp_expiry.map(|d| d.to_string()).unwrap_or_default()
                    );
                    return Nav::Push(Box::new(Prompt::text(
                        Ask::Bnsp {
                            instructor_id: i.id,
                        },
                        i.name.clone(),
                        ctx.t(text::BNSP_FORMAT).to_string(),
                        current.trim(),
                    )));
                }
            }
            Some(Action::Edit) if self.tab == Tab::Settings => {
                if let Some((key, value)) = self.list.selected().and_then(|i| self.settings.get(i))
                {
                    return Nav::Push(Box::new(Prompt::text(
                        Ask::Setting { key: *key },
                        key.code().to_string(),
                        text::setting_question(ctx.lang, *key),
                        value,
                    )));
                }
            }
            Some(Action::Edit) => {}
            Some(Action::PrevYear) => {
                self.year -= 1;
                return self.reloaded(ctx);
            }
            Some(Action::NextYear) => {
                self.year += 1;
                return self.reloaded(ctx);
            }
            Some(Action::Back) => return Nav::Pop,
            None if self.list.handle_key(&key) => {}
            None => return Nav::Ignored,
        }
        Nav::Stay
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let yes_no = |active: bool| if active { "" } else { ctx.t(text::INACTIVE) };
        let (title, rows, widths): (String, Vec<Row>, Vec<Constraint>) = match self.tab {
            Tab::Settings => (
                ctx.t(text::SETTINGS).to_string(),
                self.settings
                    .iter()
                    .map(|(k, v)| {
                        Row::new(vec![
                            Cell::from(k.code()),
                            Cell::from(v.clone()),
                            Cell::from(k.label(lang)),
                        ])
                    })
                    .collect(),
                vec![
                    Constraint::Length(30),
                    Constraint::Length(12),
                    Constraint::Min(20),
                ],
            ),
            Tab::Holidays => (
                format!("{} {}", ctx.t(text::HOLIDAYS), self.year),
                self.holidays
                    .iter()
                    .map(|h| {
                        Row::new(vec![
                            Cell::from(h.date.format("%d-%m-%Y").to_string()),
                            Cell::from(h.category.code()),
                            Cell::from(h.name.clone()),
                        ])
                    })
                    .collect(),
                vec![
                    Constraint::Length(15),
                    Constraint::Length(11),
                    Constraint::Min(20),
                ],
            ),
            Tab::Instructors => (
                ctx.t(text::INSTRUCTORS).to_string(),
                self.instructors
                    .iter()
                    .map(|i| {
                        let warning = crate::domain::cohort::bnsp_warning(
                            Some(i.bnsp_expiry),
                            ctx.today,
                            ctx.today,
                        )
                        .map(|w| w.text(lang));
                        let outside = self
                            .uncertified
                            .get(&i.id)
                            .map(|codes| admin::uncertified(lang, codes));
                        let note: Vec<String> = warning.into_iter().chain(outside).collect();
                        let flagged = !note.is_empty();
                        let row = Row::new(vec![
                            Cell::from(i.name.clone()),
                            Cell::from(i.course_code.clone().unwrap_or_default()),
                            Cell::from(i.bnsp_cert_no.clone().unwrap_or_else(|| "-".into())),
                            Cell::from(
                                i.bnsp_expiry
                                    .map(|d| d.format("%d-%m-%Y").to_string())
                                    .unwrap_or_else(|| "-".into()),
                            ),
                            Cell::from(note.join("; ")),
                        ]);
                        if flagged {
                            row.style(theme::warning())
                        } else {
                            row
                        }
                    })
                    .collect(),
                vec![
                    Constraint::Length(20),
                    Constraint::Length(10),
                    Constraint::Length(16),
                    Constraint::Length(12),
                    Constraint::Min(10),
                ],
            ),
            Tab::Courses => (
                ctx.t(text::COURSES).to_string(),
                self.courses
                    .iter()
                    .map(|c| {
                        Row::new(vec![
                            Cell::from(c.code.clone()),
                            Cell::from(c.name.clone()),
                            Cell::from(text::days(lang, c.working_days)),
                            Cell::from(format!("{}/{}", c.min_participants, c.capacity)),
                            Cell::from(format!(
                                "{} {}",
                                text::age_range(lang, c.min_age, c.max_age),
                                yes_no(c.active)
                            )),
                        ])
                    })
                    .collect(),
                vec![
                    Constraint::Length(4),
                    Constraint::Min(20),
                    Constraint::Length(8),
                    Constraint::Length(8),
                    Constraint::Length(20),
                ],
            ),
            Tab::Venues => (
                ctx.t(text::VENUES).to_string(),
                self.venues
                    .iter()
                    .map(|v| {
                        Row::new(vec![
                            Cell::from(v.code.clone()),
                            Cell::from(v.name.clone()),
                            Cell::from(v.kind.to_uppercase()),
                            Cell::from(v.village.clone().unwrap_or_default()),
                            Cell::from(format!(
                                "{} {}",
                                text::days_per_week(lang, v.days_per_week),
                                yes_no(v.active)
                            )),
                        ])
                    })
                    .collect(),
                vec![
                    Constraint::Length(10),
                    Constraint::Min(16),
                    Constraint::Length(13),
                    Constraint::Length(16),
                    Constraint::Length(20),
                ],
            ),
        };
        let header: &[&str] = match self.tab {
            Tab::Settings => &[
                ctx.t(admin::COL_SETTING),
                ctx.t(admin::COL_VALUE),
                ctx.t(admin::COL_NOTE),
            ],
            Tab::Holidays => &[
                ctx.t(admin::COL_DATE),
                ctx.t(admin::COL_CATEGORY),
                ctx.t(admin::COL_NAME),
            ],
            Tab::Instructors => &[
                ctx.t(admin::COL_NAME),
                ctx.t(admin::COL_CERTIFIED),
                ctx.t(admin::COL_BNSP_NO),
                ctx.t(admin::COL_VALID_UNTIL),
                ctx.t(admin::COL_NOTE),
            ],
            Tab::Courses => &[
                ctx.t(admin::COL_CODE),
                ctx.t(admin::COL_NAME),
                ctx.t(admin::COL_DAYS),
                ctx.t(admin::COL_MIN_CAP),
                ctx.t(admin::COL_AGES),
            ],
            Tab::Venues => &[
                ctx.t(admin::COL_CODE),
                ctx.t(admin::COL_NAME),
                ctx.t(admin::COL_KIND),
                ctx.t(admin::COL_VILLAGE),
                ctx.t(admin::COL_WEEK),
            ],
        };
        let header = Row::new(header.iter().map(|h| Cell::from(*h))).style(theme::header());
        let mut block = Block::bordered().title(format!(" {title} "));
        if let Some(notice) = &self.notice {
            block = block.title_bottom(Line::styled(format!(" {notice} "), theme::ok()));
        }
        let table = Table::new(rows, widths)
            .header(header)
            .block(block)
            .column_spacing(1)
            .row_highlight_style(theme::selected());
        self.list.render_table(frame, table, area);
        let rows_area = area.inner(ratatui::layout::Margin::new(0, 1));
        // The first row is drawn under the header.
        self.list
            .place_cursor(frame, area.x + 1, area.y + 2, rows_area);
    }
}
