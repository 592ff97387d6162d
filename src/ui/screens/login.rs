//! Masuk (login) when the TUI starts, and the lock screen after idle minutes. Both sit on the
//! stack with `locks_session`: no menu over them. They ask `db::auth`, which counts failures and
//! writes the audit rows; they never compare passwords themselves, and never show one.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::db::settings::SettingKey;
use crate::db::{auth, settings};
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::text::{Lang, Localized, Msg, auth as text};
use crate::ui::widgets::TextField;
use crate::ui::{Ctx, Nav, Screen, theme, widgets};

/// After how long without a key the screen locks (`session.idle_lock_minutes`; 0 = never).
/// A stored value that is not a number stops `loket` before the terminal UI starts (`cli::tui`)
/// and the settings screen refuses one, so only a database error lands here: the screen then
/// still locks, after the shipped default.
pub fn idle_lock(ctx: &Ctx) -> Option<Duration> {
    let key = SettingKey::IdleLockMinutes;
    let minutes = match settings::get_i64(&ctx.conn, key) {
        Ok(minutes) => minutes,
        Err(_) => key.default_value().parse().ok()?,
    };
    (minutes > 0).then(|| Duration::from_secs(minutes as u64 * 60))
}

/// What the root screen is once the operator is in.
pub type RootFn = fn(&Ctx) -> Box<dyn Screen>;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Submit,
    Next,
    Prev,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Enter, Action::Submit, "Enter", text::LOGIN),
    Binding::new(KeyCode::Tab, Action::Next, "Tab", text::NEXT_FIELD),
    Binding::new(KeyCode::Down, Action::Next, "↓", text::NEXT_FIELD).help_only(),
    Binding::new(
        KeyCode::BackTab,
        Action::Prev,
        "Shift-Tab",
        text::PREV_FIELD,
    )
    .help_only(),
    Binding::new(KeyCode::Up, Action::Prev, "↑", text::PREV_FIELD).help_only(),
];

/// The login screen: operator name (pre-filled from `--as`) and password.
pub struct Login {
    name: TextField,
    password: TextField,
    /// 0: name, 1: password.
    focus: usize,
    message: Option<String>,
    root: RootFn,
}

impl Login {
    pub fn new(prefill: &str, root: RootFn) -> Login {
        let name = prefill.trim();
        let focus = if name.is_empty() { 0 } else { 1 };
        Login {
            name: TextField::new(name),
            password: TextField::masked(),
            focus,
            message: None,
            root,
        }
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Nav {
        if self.name.text().trim().is_empty() {
            self.focus = 0;
            self.message = Some(ctx.t(text::NAME_MISSING).to_string());
            return Nav::Stay;
        }
        let now = chrono::Local::now().naive_local();
        let result = auth::login(
            &ctx.conn,
            self.name.text(),
            Some(self.password.text()),
            auth::Via::Tui,
            now,
        );
        self.password.clear();
        match result {
            Ok(actor) => {
                ctx.actor = actor;
                Nav::Replace((self.root)(ctx))
            }
            Err(e) => {
                self.focus = 1;
                self.message = Some(e.text(ctx.lang));
                Nav::Stay
            }
        }
    }
}

impl Screen for Login {
    fn title(&self, lang: Lang) -> String {
        text::LOGIN_TITLE.get(lang).to_string()
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        hints(KEYS, lang)
    }
    fn captures_text(&self) -> bool {
        true
    }
    fn locks_session(&self) -> bool {
        true
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        match lookup(KEYS, &key) {
            Some(Action::Submit) if self.focus == 0 => self.focus = 1,
            Some(Action::Submit) => return self.submit(ctx),
            Some(Action::Next) | Some(Action::Prev) => self.focus = 1 - self.focus,
            None => {
                let field = if self.focus == 0 {
                    &mut self.name
                } else {
                    &mut self.password
                };
                // Esc must not leave the login screen for a screen below: there is none.
                field.handle(&key);
            }
        }
        Nav::Stay
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let fields = [
            (text::OPERATOR, &self.name),
            (text::PASSWORD, &self.password),
        ];
        draw_form(
            frame,
            area,
            ctx,
            text::LOGIN_HEADING.get(ctx.lang),
            &fields,
            self.focus,
            self.message.as_deref(),
            text::LOGIN_HINT.get(ctx.lang),
        );
    }
}

const LABEL_WIDTH: usize = 12;

/// A centred box with a heading, labelled one-line fields and a message line; the terminal
/// cursor sits in the focused field.
#[allow(clippy::too_many_arguments)]
fn draw_form(
    frame: &mut Frame,
    area: Rect,
    ctx: &Ctx,
    heading: &str,
    fields: &[(Msg, &TextField)],
    focus: usize,
    message: Option<&str>,
    hint: &str,
) {
    let popup = widgets::centered(area, 60, fields.len() as u16 + 7);
    frame.render_widget(Clear, popup);
    let mut lines = vec![
        Line::styled(heading.to_string(), theme::header()),
        Line::raw(""),
    ];
    for (i, (label, _)) in fields.iter().enumerate() {
        let style = if i == focus {
            theme::focused()
        } else {
            Style::new()
        };
        lines.push(Line::from(vec![Span::styled(
            format!("{:<LABEL_WIDTH$}: ", ctx.t(*label)),
            style,
        )]));
    }
    lines.push(Line::raw(""));
    match message {
        Some(m) => lines.push(Line::styled(m.to_string(), theme::error())),
        None => lines.push(Line::styled(hint.to_string(), theme::muted())),
    }
    let block = Block::bordered().title(format!(" {} ", ctx.t(text::LOGIN_TITLE)));
    let inner = block.inner(popup);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        popup,
    );
    let value_x = inner.x + LABEL_WIDTH as u16 + 2;
    for (i, (_, field)) in fields.iter().enumerate() {
        let area = Rect::new(
            value_x,
            inner.y + 2 + i as u16,
            inner.right().saturating_sub(value_x),
            1,
        );
        field.render(frame, area, Style::new(), i == focus);
    }
    if fields.is_empty() {
        // No field (unlock without a password): the cursor rests on the instruction.
        frame.set_cursor_position((inner.x, inner.y + 3));
    }
}

/// The lock screen after idle minutes: the same operator's password, or Enter for an operator
/// without one. Hides everything below it (it is a full screen, not a modal).
pub struct Unlock {
    has_password: bool,
    password: TextField,
    message: Option<String>,
}

const UNLOCK_KEYS: &[Binding<Action>] = &[Binding::new(
    KeyCode::Enter,
    Action::Submit,
    "Enter",
    text::UNLOCK,
)];

impl Unlock {
    pub fn new(ctx: &Ctx) -> Unlock {
        let has_password = auth::needs_password(&ctx.conn, &ctx.actor.name).unwrap_or(true);
        Unlock {
            has_password,
            password: TextField::masked(),
            message: None,
        }
    }
}

impl Screen for Unlock {
    fn title(&self, lang: Lang) -> String {
        text::LOCK_TITLE.get(lang).to_string()
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        hints(UNLOCK_KEYS, lang)
    }
    fn captures_text(&self) -> bool {
        true
    }
    fn locks_session(&self) -> bool {
        true
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        if lookup(UNLOCK_KEYS, &key) != Some(Action::Submit) {
            if self.has_password {
                self.password.handle(&key);
            }
            return Nav::Stay;
        }
        if !self.has_password {
            return Nav::Pop;
        }
        let now = chrono::Local::now().naive_local();
        let result = auth::login(
            &ctx.conn,
            &ctx.actor.name,
            Some(self.password.text()),
            auth::Via::Unlock,
            now,
        );
        self.password.clear();
        match result {
            Ok(actor) if actor.id == ctx.actor.id => Nav::Pop,
            Ok(_) => Nav::Stay,
            Err(e) => {
                self.message = Some(e.text(ctx.lang));
                Nav::Stay
            }
        }
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        // Cover the screen below: nothing of a resident's record stays visible.
        frame.render_widget(Clear, area);
        frame.render_widget(Block::bordered(), area);
        let heading = format!(
            "{} {}: {}",
            ctx.t(text::LOCK_HEADING),
            ctx.t(text::OPERATOR),
            ctx.actor.name
        );
        if self.has_password {
            let fields = [(text::PASSWORD, &self.password)];
            draw_form(
                frame,
                area,
                ctx,
                &heading,
                &fields,
                0,
                self.message.as_deref(),
                ctx.t(text::UNLOCK_OTHER),
            );
        } else {
            draw_form(
                frame,
                area,
                ctx,
                &heading,
                &[],
                0,
                None,
                ctx.t(text::UNLOCK_NO_PASSWORD),
            );
        }
    }
}
