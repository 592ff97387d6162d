//! Data referensi (supervisor): the holiday calendar of a year (add next year's cuti bersama,
//! remove one added by mistake) and the settings (contribution rates, attendance minimum, idle
//! lock...). Tab switches; changes go through `db::holidays` and `db::settings::update`, which
//! check the role and audit.

use std::any::Any;

use chrono::Datelike;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Cell, Row, Table, TableState};

use super::prompt::{Prompt, PromptReply};
use crate::db::holidays::{self, Holiday};
use crate::db::settings;
use crate::domain::person::parse_date_flexible;
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::text::{Lang, supervisor as text};
use crate::ui::{Ctx, Nav, Screen, theme};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Switch,
    Add,
    Edit,
    Remove,
    PrevYear,
    NextYear,
    Back,
    Up,
    Down,
}

const HOLIDAY_KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Tab, Action::Switch, "Tab", text::SETTINGS),
    Binding::new(KeyCode::F(2), Action::Add, "F2", text::ADD_HOLIDAY),
    Binding::new(KeyCode::F(8), Action::Remove, "F8", text::REMOVE),
    Binding::new(KeyCode::Left, Action::PrevYear, "←/→", text::YEAR),
    Binding::new(KeyCode::Right, Action::NextYear, "→", text::YEAR).help_only(),
    Binding::new(KeyCode::Esc, Action::Back, "Esc", text::BACK),
    Binding::new(KeyCode::Up, Action::Up, "↑", text::MOVE).help_only(),
    Binding::new(KeyCode::Down, Action::Down, "↓", text::MOVE).help_only(),
];

const SETTING_KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Tab, Action::Switch, "Tab", text::HOLIDAYS),
    Binding::new(KeyCode::Enter, Action::Edit, "Enter", text::EDIT),
    Binding::new(KeyCode::Esc, Action::Back, "Esc", text::BACK),
    Binding::new(KeyCode::Up, Action::Up, "↑", text::MOVE).help_only(),
    Binding::new(KeyCode::Down, Action::Down, "↓", text::MOVE).help_only(),
];

const ASK_HOLIDAY: u32 = 1;
const ASK_SETTING: u32 = 2;
const ASK_REMOVE: u32 = 3;

pub struct Reference {
    year: i32,
    holidays: Vec<Holiday>,
    /// (key, value, what it means)
    settings: Vec<(String, String, String)>,
    on_settings: bool,
    table: TableState,
}

impl Reference {
    pub fn new(ctx: &Ctx) -> Result<Reference, String> {
        let mut screen = Reference {
            year: ctx.today.year() + 1,
            holidays: Vec::new(),
            settings: Vec::new(),
            on_settings: false,
            table: TableState::default().with_selected(Some(0)),
        };
        screen.reload(ctx)?;
        Ok(screen)
    }

    fn reload(&mut self, ctx: &Ctx) -> Result<(), String> {
        let err = |e: crate::db::DbError| {
            if ctx.lang == Lang::En {
                e.message_en()
            } else {
                e.to_string()
            }
        };
        self.holidays = holidays::of_year(&ctx.conn, self.year).map_err(err)?;
        self.settings = settings::all(&ctx.conn).map_err(err)?;
        let len = self.len();
        self.table
            .select((len > 0).then(|| self.table.selected().unwrap_or(0).min(len - 1)));
        Ok(())
    }

    fn len(&self) -> usize {
        if self.on_settings {
            self.settings.len()
        } else {
            self.holidays.len()
        }
    }

    fn keys(&self) -> &'static [Binding<Action>] {
        if self.on_settings {
            SETTING_KEYS
        } else {
            HOLIDAY_KEYS
        }
    }

    fn reloaded(&mut self, ctx: &Ctx) -> Nav {
        match self.reload(ctx) {
            Ok(()) => Nav::Stay,
            Err(e) => Nav::Error(e),
        }
    }
}

impl Screen for Reference {
    fn title(&self, lang: Lang) -> String {
        text::REFERENCE_TITLE.get(lang).to_string()
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        hints(self.keys(), lang)
    }
    fn handle_message(&mut self, msg: Box<dyn Any + Send>, ctx: &mut Ctx) -> Nav {
        let Ok(reply) = msg.downcast::<PromptReply>() else {
            return Nav::Stay;
        };
        let en = ctx.lang == Lang::En;
        let result = match reply.tag {
            ASK_HOLIDAY => {
                let (date, name) = reply
                    .text
                    .split_once(' ')
                    .unwrap_or((reply.text.as_str(), ""));
                match parse_date_flexible(date) {
                    Some(date) => holidays::add(&ctx.conn, &ctx.actor, date, name)
                        .map_err(|e| if en { e.message_en() } else { e.to_string() }),
                    None => Err(ctx.t(text::HOLIDAY_FORMAT).to_string()),
                }
            }
            ASK_REMOVE => match self.table.selected().and_then(|i| self.holidays.get(i)) {
                Some(h) => holidays::remove(&ctx.conn, &ctx.actor, h.date)
                    .map_err(|e| if en { e.message_en() } else { e.to_string() }),
                None => Ok(()),
            },
            ASK_SETTING => match self.table.selected().and_then(|i| self.settings.get(i)) {
                Some((key, _, _)) => settings::update(&ctx.conn, &ctx.actor, key, &reply.text)
                    .map_err(|e| if en { e.message_en() } else { e.to_string() }),
                None => Ok(()),
            },
            _ => Ok(()),
        };
        match result {
            Ok(()) => self.reloaded(ctx),
            Err(e) => Nav::Error(e),
        }
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        match lookup(self.keys(), &key) {
            Some(Action::Switch) => {
                self.on_settings = !self.on_settings;
                self.table.select(Some(0));
            }
            Some(Action::Add) => {
                return Nav::Push(Box::new(Prompt::text(
                    ASK_HOLIDAY,
                    ctx.t(text::ADD_HOLIDAY).to_string(),
                    ctx.t(text::HOLIDAY_FORMAT).to_string(),
                    &format!("{}-", self.year),
                )));
            }
            Some(Action::Remove) => {
                if let Some(h) = self.table.selected().and_then(|i| self.holidays.get(i)) {
                    return Nav::Push(Box::new(Prompt::confirm(
                        ASK_REMOVE,
                        ctx.t(text::REMOVE).to_string(),
                        format!("{} {}", h.date.format("%d-%m-%Y"), h.name),
                    )));
                }
            }
            Some(Action::Edit) => {
                if let Some((key, value, about)) =
                    self.table.selected().and_then(|i| self.settings.get(i))
                {
                    return Nav::Push(Box::new(Prompt::text(
                        ASK_SETTING,
                        key.clone(),
                        about.clone(),
                        value,
                    )));
                }
            }
            Some(Action::PrevYear) => {
                self.year -= 1;
                return self.reloaded(ctx);
            }
            Some(Action::NextYear) => {
                self.year += 1;
                return self.reloaded(ctx);
            }
            Some(Action::Back) => return Nav::Pop,
            Some(Action::Up) => self.table.select_previous(),
            Some(Action::Down) => {
                if self.table.selected().is_some_and(|i| i + 1 < self.len()) {
                    self.table.select_next();
                }
            }
            None => return Nav::Ignored,
        }
        Nav::Stay
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let (title, rows, widths): (String, Vec<Row>, [Constraint; 3]) = if self.on_settings {
            (
                ctx.t(text::SETTINGS).to_string(),
                self.settings
                    .iter()
                    .map(|(k, v, about)| {
                        Row::new(vec![
                            Cell::from(k.clone()),
                            Cell::from(v.clone()),
                            Cell::from(about.clone()),
                        ])
                    })
                    .collect(),
                [
                    Constraint::Length(30),
                    Constraint::Length(12),
                    Constraint::Min(20),
                ],
            )
        } else {
            (
                format!("{} {}", ctx.t(text::HOLIDAYS), self.year),
                self.holidays
                    .iter()
                    .map(|h| {
                        Row::new(vec![
                            Cell::from(h.date.format("%a %d-%m-%Y").to_string()),
                            Cell::from(h.category.clone()),
                            Cell::from(h.name.clone()),
                        ])
                    })
                    .collect(),
                [
                    Constraint::Length(15),
                    Constraint::Length(11),
                    Constraint::Min(20),
                ],
            )
        };
        let table = Table::new(rows, widths)
            .block(Block::bordered().title(format!(" {title} ")))
            .column_spacing(1)
            .row_highlight_style(theme::selected());
        frame.render_stateful_widget(table, area, &mut self.table);
        if let Some(row) = self.table.selected() {
            let y = area.y + 1 + row.saturating_sub(self.table.offset()) as u16;
            if y < area.bottom().saturating_sub(1) {
                frame.set_cursor_position((area.x + 1, y));
            }
        }
    }
}
