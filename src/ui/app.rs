//! The event loop and the screen stack. Terminal events and worker results arrive on one channel;
//! the top screen turns a key into its own action and returns a `Nav`; `render` draws from state.

use std::any::Any;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::{DefaultTerminal, Frame};
use rusqlite::Connection;

use super::keymap::{Binding, Hint, hints, lookup};
use super::text::{Label, Lang, Msg, shell};
use super::{theme, widgets};
use crate::domain::access::Actor;

/// The smallest terminal loket draws in.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// What arrives on the loop's channel.
pub enum Event {
    Key(KeyEvent),
    Resize,
    /// A periodic wake-up (idle lock, clocks).
    Tick,
    /// A result from a worker thread; the screen that asked downcasts it.
    Worker(Box<dyn Any + Send>),
}

/// What a screen asks of the app after handling a key or a worker result.
pub enum Nav {
    Stay,
    /// Not handled: the app applies its default (Esc goes back, q quits).
    Ignored,
    Push(Box<dyn Screen>),
    Replace(Box<dyn Screen>),
    Pop,
    /// Pops this screen and hands a message to the one below (e.g. "saved", with an id).
    PopWith(Box<dyn Any + Send>),
    Error(String),
    Quit,
}

/// Shared state every screen may use: the database, the operator, the language, today.
pub struct Ctx {
    pub conn: Connection,
    pub db_path: PathBuf,
    pub lang: Lang,
    pub actor: Actor,
    pub today: NaiveDate,
    /// Workers send their results here, wrapped in `Event::Worker`.
    pub events: Sender<Event>,
}

impl Ctx {
    pub fn t(&self, msg: Msg) -> &'static str {
        msg.get(self.lang)
    }
}

/// One screen or modal: its state, its key table and its render function live in one file.
pub trait Screen {
    fn title(&self, lang: Lang) -> String;
    /// The screen's key table as hints, for the footer and the help overlay.
    fn hints(&self, lang: Lang) -> Vec<Hint>;
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav;
    /// A worker's result, or a message from a screen popped above this one.
    fn handle_message(&mut self, _msg: Box<dyn Any + Send>, _ctx: &mut Ctx) -> Nav {
        Nav::Stay
    }
    /// Called when the screen above this one closed and this one is on top again: the data it
    /// shows may have changed (an enrollment, an edit), so it may reload.
    fn resumed(&mut self, _ctx: &mut Ctx) -> Nav {
        Nav::Stay
    }
    /// Called on every tick (about four times a second).
    fn tick(&mut self, _ctx: &mut Ctx) -> Nav {
        Nav::Stay
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx);
    /// True while a text field has focus: plain letters are then text, never commands.
    fn captures_text(&self) -> bool {
        false
    }
    /// A modal is drawn over the screen below it rather than replacing it.
    fn is_modal(&self) -> bool {
        false
    }
    /// True for the login and lock screens: no menu over them, and no idle lock on top of them.
    fn locks_session(&self) -> bool {
        false
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Global {
    Help,
    Menu,
    Quit,
}

const GLOBAL_KEYS: &[Binding<Global>] = &[
    Binding::new(KeyCode::F(1), Global::Help, "F1/?", shell::HELP),
    Binding::new(KeyCode::F(9), Global::Menu, "F9", shell::MENU),
    Binding::ctrl('q', Global::Quit, "Ctrl-Q", shell::QUIT),
];

/// Keys that work on every screen, as the help overlay lists them.
fn global_hints(lang: Lang) -> Vec<Hint> {
    let mut all = hints(GLOBAL_KEYS, lang);
    all.push(Hint {
        key: "Esc",
        label: shell::BACK.get(lang),
        footer: false,
    });
    all.push(Hint {
        key: "q",
        label: shell::QUIT.get(lang),
        footer: false,
    });
    all
}

pub struct App {
    pub ctx: Ctx,
    stack: Vec<Box<dyn Screen>>,
    help_open: bool,
    error: Option<String>,
    pub quit: bool,
    /// When the operator last pressed a key, and after how long the screen locks (None: never).
    last_input: Instant,
    idle_lock: Option<Duration>,
}

impl App {
    pub fn new(ctx: Ctx, root: Box<dyn Screen>) -> App {
        let idle_lock = super::screens::login::idle_lock(&ctx);
        App {
            ctx,
            stack: vec![root],
            help_open: false,
            error: None,
            quit: false,
            last_input: Instant::now(),
            idle_lock,
        }
    }

    /// Locks the screen when no key came for `session.idle_lock_minutes`; true when it locked.
    pub fn idle_check(&mut self, now: Instant) -> bool {
        let idle = now.saturating_duration_since(self.last_input);
        let locked = self.stack.last().is_some_and(|s| s.locks_session());
        match self.idle_lock {
            Some(limit) if idle >= limit && !locked => {
                self.help_open = false;
                let lock = super::screens::login::Unlock::new(&self.ctx);
                self.stack.push(Box::new(lock));
                true
            }
            _ => false,
        }
    }

    /// Depth of the screen stack (tests).
    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    pub fn top_title(&self) -> String {
        self.stack
            .last()
            .map(|s| s.title(self.ctx.lang))
            .unwrap_or_default()
    }

    pub fn handle(&mut self, event: Event) {
        let nav = match event {
            Event::Key(key)
                if key.kind == KeyEventKind::Press || key.kind == KeyEventKind::Repeat =>
            {
                self.last_input = Instant::now();
                self.handle_key(key)
            }
            Event::Key(_) | Event::Resize => Nav::Stay,
            Event::Tick if self.idle_check(Instant::now()) => Nav::Stay,
            Event::Tick => match self.stack.last_mut() {
                Some(screen) => screen.tick(&mut self.ctx),
                None => Nav::Stay,
            },
            Event::Worker(msg) => match self.stack.last_mut() {
                Some(screen) => screen.handle_message(msg, &mut self.ctx),
                None => Nav::Stay,
            },
        };
        self.apply(nav);
    }

    fn handle_key(&mut self, key: KeyEvent) -> Nav {
        if self.error.take().is_some() {
            return Nav::Stay; // any key closes the message box
        }
        let captures = self.stack.last().is_some_and(|s| s.captures_text());
        if self.help_open {
            if matches!(key.code, KeyCode::Esc | KeyCode::F(1) | KeyCode::Char('?')) {
                self.help_open = false;
            }
            return Nav::Stay;
        }
        match lookup(GLOBAL_KEYS, &key) {
            Some(Global::Help) => {
                self.help_open = true;
                return Nav::Stay;
            }
            Some(Global::Menu) if self.stack.last().is_some_and(|s| s.locks_session()) => {
                return Nav::Stay;
            }
            Some(Global::Menu) => {
                let menu_open = self.stack.last().is_some_and(|s| {
                    s.title(self.ctx.lang) == super::text::menu::TITLE.get(self.ctx.lang)
                });
                return if menu_open {
                    Nav::Pop
                } else {
                    Nav::Push(Box::new(super::screens::menu::Menu::new(&self.ctx)))
                };
            }
            Some(Global::Quit) => return Nav::Quit,
            None => {}
        }
        if key.code == KeyCode::Char('?')
            && !captures
            && key.modifiers - KeyModifiers::SHIFT == KeyModifiers::NONE
        {
            self.help_open = true;
            return Nav::Stay;
        }
        let Some(screen) = self.stack.last_mut() else {
            return Nav::Quit;
        };
        match screen.handle_key(key, &mut self.ctx) {
            Nav::Ignored => match key.code {
                KeyCode::Esc if self.stack.len() > 1 => Nav::Pop,
                KeyCode::Char('q') if !captures && key.modifiers.is_empty() => Nav::Quit,
                _ => Nav::Stay,
            },
            nav => nav,
        }
    }

    fn apply(&mut self, nav: Nav) {
        match nav {
            Nav::Stay | Nav::Ignored => {}
            Nav::Push(screen) => self.stack.push(screen),
            Nav::Replace(screen) => {
                self.stack.pop();
                self.stack.push(screen);
            }
            Nav::Pop => {
                if self.stack.len() > 1 {
                    self.stack.pop();
                    if let Some(screen) = self.stack.last_mut() {
                        let next = screen.resumed(&mut self.ctx);
                        self.apply(next);
                    }
                }
            }
            Nav::PopWith(msg) => {
                if self.stack.len() > 1 {
                    self.stack.pop();
                }
                if let Some(screen) = self.stack.last_mut() {
                    let next = screen.handle_message(msg, &mut self.ctx);
                    self.apply(next);
                }
            }
            Nav::Error(text) => self.error = Some(text),
            Nav::Quit => self.quit = true,
        }
    }

    pub fn render(&mut self, frame: &mut Frame) {
        let area = frame.area();
        let lang = self.ctx.lang;
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            let text = format!(
                "{}\n{}: {} x {}",
                shell::TOO_SMALL.get(lang),
                shell::TOO_SMALL_NOW.get(lang),
                area.width,
                area.height
            );
            frame.render_widget(
                Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
                area,
            );
            return;
        }
        let [top, body, bottom] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(1),
        ])
        .areas(area);
        // Modals draw over the nearest full screen below them.
        let base = self.stack.iter().rposition(|s| !s.is_modal()).unwrap_or(0);
        let title = self
            .stack
            .get(base)
            .map(|s| s.title(lang))
            .unwrap_or_default();
        self.title_bar(frame, top, &title);
        for screen in self.stack[base..].iter_mut() {
            screen.render(frame, body, &self.ctx);
        }
        let screen_hints = self.stack.last().map(|s| s.hints(lang)).unwrap_or_default();
        let mut footer = screen_hints.clone();
        footer.insert(
            0,
            Hint {
                key: "F1",
                label: shell::HELP.get(lang),
                footer: true,
            },
        );
        let locked = self.stack.last().is_some_and(|s| s.locks_session());
        footer.extend((!locked).then_some(Hint {
            key: "F9",
            label: shell::MENU.get(lang),
            footer: true,
        }));
        widgets::footer(frame, bottom, &footer);
        if self.help_open {
            widgets::help(frame, body, lang, &screen_hints, &global_hints(lang));
        }
        if let Some(error) = &self.error {
            widgets::message_box(frame, body, shell::ERROR.get(lang), error, theme::error());
        }
    }

    fn title_bar(&self, frame: &mut Frame, area: Rect, title: &str) {
        let lang = self.ctx.lang;
        let left = format!(" {} | {} ", shell::APP.get(lang), title);
        // Before login (login screen) the context holds nobody (id 0): show no operator.
        let operator = if self.ctx.actor.id == 0 {
            String::new()
        } else {
            format!(
                "{}: {} ({}) | ",
                shell::OPERATOR.get(lang),
                self.ctx.actor.name,
                self.ctx.actor.role.label(lang),
            )
        };
        // The operator always shows; a long database path gives way, keeping its file name end.
        let room = (area.width as usize)
            .saturating_sub(left.chars().count() + operator.chars().count() + 1);
        let path = self.ctx.db_path.display().to_string();
        let path_len = path.chars().count();
        let path = if path_len > room {
            let tail: String = path.chars().skip(path_len + 1 - room.max(1)).collect();
            format!("…{tail}")
        } else {
            path
        };
        let right = format!("{operator}{path} ");
        let room = (area.width as usize).saturating_sub(left.chars().count());
        let right = format!("{right:>room$}");
        frame.render_widget(
            Paragraph::new(Line::from(vec![Span::raw(left), Span::raw(right)]))
                .style(theme::title_bar()),
            area,
        );
    }
}

/// Runs the loop on a real terminal until the operator quits. `ratatui::init` has installed a
/// panic hook that restores the terminal; the caller restores it on a normal exit.
pub fn run(
    mut app: App,
    terminal: &mut DefaultTerminal,
    events: Receiver<Event>,
) -> std::io::Result<()> {
    loop {
        terminal.draw(|frame| app.render(frame))?;
        match events.recv_timeout(Duration::from_millis(250)) {
            Ok(event) => app.handle(event),
            Err(RecvTimeoutError::Timeout) => app.handle(Event::Tick),
            Err(RecvTimeoutError::Disconnected) => break,
        }
        // Drain whatever else is pending before drawing again: fast typing costs one frame.
        while let Ok(event) = events.try_recv() {
            app.handle(event);
        }
        if app.quit {
            break;
        }
    }
    Ok(())
}

/// Forwards terminal input to the loop's channel from its own thread.
pub fn spawn_input_thread(events: Sender<Event>) {
    std::thread::spawn(move || {
        loop {
            let event = match crossterm::event::read() {
                Ok(crossterm::event::Event::Key(key)) => Event::Key(key),
                Ok(crossterm::event::Event::Resize(_, _)) => Event::Resize,
                Ok(_) => continue,
                Err(_) => break,
            };
            if events.send(event).is_err() {
                break;
            }
        }
    });
}
