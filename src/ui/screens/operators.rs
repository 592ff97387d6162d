//! Operators (admins): who may use loket, their roles, disabled and locked accounts. Adding
//! operators and setting passwords happen on the command line (`loket user`), where a password
//! can be typed without echo; this screen never shows or takes a password.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table};

use crate::db::auth::AuthError;
use crate::db::operators::{self, Operator};
use crate::domain::access::Role;
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::text::{Label, Lang, Localized, auth as text};
use crate::ui::widgets::ListNav;
use crate::ui::{Ctx, Nav, Screen, theme};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Toggle,
    Unlock,
    Role,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::F(3), Action::Toggle, "F3", text::TOGGLE_ACTIVE),
    Binding::new(KeyCode::F(4), Action::Unlock, "F4", text::UNLOCK_ACCOUNT),
    Binding::new(KeyCode::F(5), Action::Role, "F5", text::CYCLE_ROLE),
];

pub struct Operators {
    list: Vec<Operator>,
    nav: ListNav,
    message: Option<String>,
}

impl Operators {
    pub fn new(ctx: &Ctx) -> Result<Operators, String> {
        let list = operators::list(&ctx.conn, &ctx.actor).map_err(|e| e.text(ctx.lang))?;
        let mut nav = ListNav::new();
        nav.set_len(list.len());
        Ok(Operators {
            list,
            nav,
            message: None,
        })
    }

    fn reload(&mut self, ctx: &Ctx) -> Result<(), AuthError> {
        self.list = operators::list(&ctx.conn, &ctx.actor)?;
        self.nav.set_len(self.list.len());
        Ok(())
    }

    fn act(&mut self, ctx: &Ctx, action: Action) -> Nav {
        let Some(op) = self.nav.selected().and_then(|i| self.list.get(i)).cloned() else {
            return Nav::Stay;
        };
        let result = match action {
            Action::Toggle => operators::set_active(&ctx.conn, &ctx.actor, &op.name, !op.active),
            Action::Unlock => operators::unlock(&ctx.conn, &ctx.actor, &op.name),
            Action::Role => {
                let next = match op.role {
                    Role::Clerk => Role::Supervisor,
                    Role::Supervisor => Role::Admin,
                    Role::Admin => Role::Clerk,
                };
                operators::set_role(&ctx.conn, &ctx.actor, &op.name, next)
            }
        };
        match result.and_then(|()| self.reload(ctx)) {
            Ok(()) => {
                self.message = Some(ctx.t(text::SAVED).to_string());
                Nav::Stay
            }
            Err(e) => Nav::Error(e.text(ctx.lang)),
        }
    }
}

impl Screen for Operators {
    fn title(&self, lang: Lang) -> String {
        text::OPERATORS_TITLE.get(lang).to_string()
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        let mut all = hints(KEYS, lang);
        all.extend(self.nav.hints(lang));
        all
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        match lookup(KEYS, &key) {
            Some(action) => return self.act(ctx, action),
            None if self.nav.handle_key(&key) => {}
            None => return Nav::Ignored,
        }
        Nav::Stay
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let [list, foot] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(3)]).areas(area);
        let header = Row::new(
            [
                text::COL_NAME,
                text::COL_ROLE,
                text::COL_STATE,
                text::PASSWORD,
                text::COL_FULL_NAME,
            ]
            .map(|m| Cell::from(ctx.t(m))),
        )
        .style(theme::header());
        let rows = self.list.iter().map(|op| {
            let state = match (op.active, &op.locked_until) {
                (false, _) => ctx.t(text::STATE_DISABLED).to_string(),
                (true, Some(until)) => format!("{} {until}", ctx.t(text::STATE_LOCKED)),
                (true, None) => ctx.t(text::STATE_ACTIVE).to_string(),
            };
            Row::new([
                Cell::from(op.name.clone()),
                Cell::from(op.role.label(ctx.lang)),
                Cell::from(state),
                Cell::from(ctx.t(if op.has_password {
                    text::HAS_PASSWORD
                } else {
                    text::NO_PASSWORD
                })),
                Cell::from(op.full_name.clone()),
            ])
        });
        let table = Table::new(
            rows,
            [
                Constraint::Length(14),
                Constraint::Length(11),
                Constraint::Length(18),
                Constraint::Length(12),
                Constraint::Min(10),
            ],
        )
        .header(header)
        .block(Block::bordered())
        .row_highlight_style(theme::selected());
        self.nav.render_table(frame, table, list);
        self.nav.place_cursor(frame, list.x + 1, list.y + 2, list);
        let line = match &self.message {
            Some(m) => Line::styled(m.clone(), theme::ok()),
            None => Line::styled(ctx.t(text::OPERATORS_HINT), theme::muted()),
        };
        frame.render_widget(Paragraph::new(line).block(Block::bordered()), foot);
    }
}
