//! Menu (F9 from every screen): the areas of loket, those the operator's role may use, then
//! locking the screen now and switching operator. Each row is one of `AREAS`; opening an area
//! replaces the menu with its screen.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, List, ListItem};

use crate::domain::access::{Permission, allows};
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::text::{Lang, Msg, menu as text};
use crate::ui::widgets::ListNav;
use crate::ui::{Ctx, Nav, Screen, theme, widgets};

/// One area of the app reachable from the menu.
pub struct Area {
    pub label: Msg,
    pub permission: Permission,
    pub open: Opens,
}

/// What choosing a row does.
pub enum Opens {
    /// Its screen takes the menu's place.
    Screen(fn(&mut Ctx) -> Result<Box<dyn Screen>, String>),
    /// Kunci layar: the lock screen, now, as after idle minutes.
    Lock,
    /// Ganti operator: back to the login screen (the app asks first if work would be lost).
    Logout,
}

/// Every area, in menu order.
pub const AREAS: &[Area] = &[
    Area {
        label: crate::ui::text::desk::SEARCH_TITLE,
        permission: Permission::SearchResidents,
        open: Opens::Screen(|ctx| Ok(Box::new(super::search::SearchScreen::new(ctx)))),
    },
    Area {
        label: crate::ui::text::cohorts::MENU_OPEN_COHORTS,
        permission: Permission::SearchResidents,
        open: Opens::Screen(super::enroll::browse),
    },
    Area {
        label: crate::ui::text::supervisor::BOARD_TITLE,
        permission: Permission::ManageCohorts,
        open: Opens::Screen(|ctx| Ok(Box::new(super::board::Board::new(ctx)?))),
    },
    Area {
        label: crate::ui::text::supervisor::DASHBOARD_TITLE,
        permission: Permission::ViewDashboard,
        open: Opens::Screen(|ctx| Ok(Box::new(super::dashboard::Dashboard::new(ctx)?))),
    },
    Area {
        label: crate::ui::text::supervisor::REFERENCE_TITLE,
        permission: Permission::ManageReference,
        open: Opens::Screen(|ctx| Ok(Box::new(super::reference::Reference::new(ctx)?))),
    },
    Area {
        label: crate::ui::text::auth::AUDIT_MENU,
        permission: Permission::ViewAudit,
        open: Opens::Screen(|ctx| Ok(Box::new(super::audit::AuditBrowser::new(ctx)?))),
    },
    Area {
        label: crate::ui::text::auth::OPERATORS_MENU,
        permission: Permission::ManageOperators,
        open: Opens::Screen(|ctx| Ok(Box::new(super::operators::Operators::new(ctx)?))),
    },
    Area {
        label: crate::ui::text::import::MENU_ROW,
        permission: Permission::ImportResidents,
        open: Opens::Screen(|ctx| Ok(Box::new(super::import::ImportScreen::new(ctx)))),
    },
    Area {
        label: text::LOCK_NOW,
        permission: Permission::SearchResidents,
        open: Opens::Lock,
    },
    Area {
        label: text::SWITCH_OPERATOR,
        permission: Permission::SearchResidents,
        open: Opens::Logout,
    },
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Open,
    Close,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Enter, Action::Open, "Enter", text::OPEN),
    Binding::new(KeyCode::Esc, Action::Close, "Esc", text::CLOSE),
];

pub struct Menu {
    /// Indexes into AREAS the operator may open.
    areas: Vec<usize>,
    list: ListNav,
}

impl Menu {
    pub fn new(ctx: &Ctx) -> Menu {
        let areas: Vec<usize> = (0..AREAS.len())
            .filter(|&i| allows(ctx.actor.role, AREAS[i].permission))
            .collect();
        let mut list = ListNav::new();
        list.set_len(areas.len());
        Menu { areas, list }
    }
}

impl Screen for Menu {
    fn title(&self, lang: Lang) -> String {
        text::TITLE.get(lang).to_string()
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        let mut all = hints(KEYS, lang);
        all.extend(self.list.hints(lang));
        all
    }
    fn is_modal(&self) -> bool {
        true
    }
    fn is_menu(&self) -> bool {
        true
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        // Digits open an area directly: 1 is the first row.
        if let KeyCode::Char(c @ '1'..='9') = key.code {
            let row = c as usize - '1' as usize;
            if row < self.areas.len() {
                self.list.select(row);
                return self.open(ctx);
            }
        }
        match lookup(KEYS, &key) {
            Some(Action::Open) => return self.open(ctx),
            Some(Action::Close) => return Nav::Pop,
            None if self.list.handle_key(&key) => {}
            None => return Nav::Ignored,
        }
        Nav::Stay
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let items: Vec<ListItem> = self
            .areas
            .iter()
            .enumerate()
            .map(|(row, &i)| {
                // Only 1-9 open by a digit; a row past them is reached with the arrows.
                let digit = match row {
                    0..=8 => (row + 1).to_string(),
                    _ => " ".to_string(),
                };
                ListItem::new(Line::raw(format!(" {digit}  {}", ctx.t(AREAS[i].label))))
            })
            .collect();
        let popup = widgets::centered(area, 44, items.len() as u16 + 2);
        frame.render_widget(Clear, popup);
        let list = List::new(items)
            .block(Block::bordered().title(format!(" {} ", ctx.t(text::TITLE))))
            .highlight_style(theme::selected());
        self.list.render_list(frame, list, popup);
        self.list
            .place_cursor(frame, popup.x + 1, popup.y + 1, popup);
    }
}

impl Menu {
    fn open(&mut self, ctx: &mut Ctx) -> Nav {
        let Some(&index) = self.list.selected().and_then(|row| self.areas.get(row)) else {
            return Nav::Stay;
        };
        match AREAS[index].open {
            Opens::Screen(open) => match open(ctx) {
                Ok(screen) => Nav::Replace(screen),
                Err(message) => Nav::Error(message),
            },
            Opens::Lock => Nav::Replace(Box::new(super::login::Unlock::new(ctx))),
            Opens::Logout => Nav::Logout,
        }
    }
}
