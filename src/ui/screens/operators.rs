//! Operators (admins): who may use loket, their roles, disabled and locked accounts. F2 adds an
//! operator (name, full name, role, then the password typed twice, hidden), F6 sets the selected
//! operator's password the same way; F5 (next role) and F3 (disable or enable) ask before they
//! change anything. Passwords are never shown and never leave the prompts but for
//! `db::operators::add` and `db::auth::set_password`, which check the policy and audit.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table};

use super::prompt::{Ask, Prompt, PromptReply};
use crate::db::auth::{self, AuthError};
use crate::db::operators::{self, NewOperator, Operator};
use crate::domain::access::Role;
use crate::domain::password;
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::text::{Label, Lang, Localized, admin, auth as text};
use crate::ui::widgets::ListNav;
use crate::ui::{Ctx, Nav, Reply, Screen, theme};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Add,
    Toggle,
    Unlock,
    Role,
    Password,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::F(2), Action::Add, "F2", admin::ADD_OPERATOR),
    Binding::new(KeyCode::F(3), Action::Toggle, "F3", text::TOGGLE_ACTIVE),
    Binding::new(KeyCode::F(4), Action::Unlock, "F4", text::UNLOCK_ACCOUNT),
    Binding::new(KeyCode::F(5), Action::Role, "F5", text::CYCLE_ROLE),
    Binding::new(KeyCode::F(6), Action::Password, "F6", admin::SET_PASSWORD),
];

/// One step of the operator prompts (`Ask::Operator`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperatorAsk {
    NewName,
    NewFullName {
        name: String,
    },
    NewRole {
        name: String,
        full_name: String,
    },
    /// The password of `name`; `new` holds the operator being added (full name, role).
    Password {
        name: String,
        new: Option<(String, Role)>,
    },
    PasswordAgain {
        name: String,
        new: Option<(String, Role)>,
        first: String,
    },
    /// Enter confirms the role change.
    ConfirmRole {
        name: String,
        role: Role,
    },
    /// Enter confirms disabling (or enabling) the operator.
    ConfirmActive {
        name: String,
        active: bool,
    },
}

/// The role after `role` when F5 is pressed.
fn next_role(role: Role) -> Role {
    match role {
        Role::Clerk => Role::Supervisor,
        Role::Supervisor => Role::Admin,
        Role::Admin => Role::Clerk,
    }
}

fn ask(step: OperatorAsk, title: String, question: String) -> Nav {
    Nav::Push(Box::new(Prompt::text(
        Ask::Operator(step),
        title,
        question,
        "",
    )))
}

fn ask_password(
    lang: Lang,
    name: String,
    new: Option<(String, Role)>,
    first: Option<String>,
) -> Nav {
    let question = admin::password_question(lang, &name, first.is_some());
    let step = match first {
        None => OperatorAsk::Password { name, new },
        Some(first) => OperatorAsk::PasswordAgain { name, new, first },
    };
    Nav::Push(Box::new(Prompt::secret(
        Ask::Operator(step),
        admin::SET_PASSWORD.get(lang).to_string(),
        question,
    )))
}

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
        let lang = ctx.lang;
        if action == Action::Add {
            return ask(
                OperatorAsk::NewName,
                ctx.t(admin::ADD_OPERATOR).to_string(),
                ctx.t(admin::NEW_NAME).to_string(),
            );
        }
        let Some(op) = self.nav.selected().and_then(|i| self.list.get(i)).cloned() else {
            return Nav::Stay;
        };
        let confirm = |step: OperatorAsk, question: String| {
            Nav::Push(Box::new(Prompt::confirm(
                Ask::Operator(step),
                ctx.t(admin::CONFIRM_TITLE).to_string(),
                question,
            )))
        };
        match action {
            Action::Toggle => confirm(
                OperatorAsk::ConfirmActive {
                    name: op.name.clone(),
                    active: !op.active,
                },
                admin::confirm_active(lang, &op.name, !op.active),
            ),
            Action::Role => confirm(
                OperatorAsk::ConfirmRole {
                    name: op.name.clone(),
                    role: next_role(op.role),
                },
                admin::confirm_role(lang, &op.name, op.role, next_role(op.role)),
            ),
            Action::Password => ask_password(lang, op.name, None, None),
            Action::Unlock => {
                let result = operators::unlock(&ctx.conn, &ctx.actor, &op.name);
                self.done(ctx, result, ctx.t(text::SAVED).to_string())
            }
            Action::Add => Nav::Stay,
        }
    }

    /// Reloads after a change and tells it, or shows why it failed.
    fn done(&mut self, ctx: &Ctx, result: Result<(), AuthError>, message: String) -> Nav {
        match result.and_then(|()| self.reload(ctx)) {
            Ok(()) => {
                self.message = Some(message);
                Nav::Stay
            }
            Err(e) => Nav::Error(e.text(ctx.lang)),
        }
    }

    /// Selects the operator called `name` (after adding one).
    fn select(&mut self, name: &str) {
        if let Some(at) = self.list.iter().position(|o| o.name == name) {
            self.nav.select(at);
        }
    }

    /// Applies one prompt's answer: the next prompt, or the change.
    fn answer(&mut self, reply: PromptReply, ctx: &Ctx) -> Nav {
        let lang = ctx.lang;
        let Ask::Operator(step) = reply.ask else {
            return Nav::Stay;
        };
        let typed = reply.text;
        self.message = None;
        match step {
            OperatorAsk::NewName => ask(
                OperatorAsk::NewFullName { name: typed },
                ctx.t(admin::ADD_OPERATOR).to_string(),
                ctx.t(admin::NEW_FULL_NAME).to_string(),
            ),
            OperatorAsk::NewFullName { name } => ask(
                OperatorAsk::NewRole {
                    name,
                    full_name: typed,
                },
                ctx.t(admin::ADD_OPERATOR).to_string(),
                ctx.t(admin::NEW_ROLE).to_string(),
            ),
            OperatorAsk::NewRole { name, full_name } => match Role::parse(&typed) {
                Some(role) => ask_password(lang, name, Some((full_name, role)), None),
                None => Nav::Error(ctx.t(admin::BAD_ROLE).to_string()),
            },
            OperatorAsk::Password { name, new } => {
                // The policy is told before the password is typed a second time.
                match password::check_policy(&name, &typed) {
                    Ok(()) => ask_password(lang, name, new, Some(typed)),
                    Err(e) => Nav::Error(e.text(lang)),
                }
            }
            OperatorAsk::PasswordAgain { name, new, first } => {
                if let Err(e) = password::check_confirmed(&name, &first, &typed) {
                    return Nav::Error(e.text(lang));
                }
                match new {
                    Some((full_name, role)) => {
                        let new = NewOperator {
                            name: name.clone(),
                            full_name,
                            role,
                        };
                        let result =
                            operators::add(&ctx.conn, &ctx.actor, &new, &first).map(|_| ());
                        let nav = self.done(ctx, result, admin::operator_added(lang, name.trim()));
                        self.select(name.trim());
                        nav
                    }
                    None => {
                        let result = auth::set_password(&ctx.conn, &ctx.actor, &name, &first);
                        self.done(ctx, result, admin::password_set(lang, &name))
                    }
                }
            }
            OperatorAsk::ConfirmRole { name, role } => {
                let result = operators::set_role(&ctx.conn, &ctx.actor, &name, role);
                self.done(ctx, result, ctx.t(text::SAVED).to_string())
            }
            OperatorAsk::ConfirmActive { name, active } => {
                let result = operators::set_active(&ctx.conn, &ctx.actor, &name, active);
                self.done(ctx, result, ctx.t(text::SAVED).to_string())
            }
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
    fn handle_reply(&mut self, reply: Reply, ctx: &mut Ctx) -> Nav {
        match reply {
            Reply::Prompt(reply) => self.answer(reply, ctx),
            _ => Nav::Stay,
        }
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
            None => Line::styled(ctx.t(admin::OPERATORS_HINT), theme::muted()),
        };
        frame.render_widget(Paragraph::new(line).block(Block::bordered()), foot);
    }
}
