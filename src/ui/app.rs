//! The event loop and the screen stack. Terminal events and worker results arrive on one channel;
//! the top screen turns a key into its own action and returns a `Nav`; `render` draws from state.
//! Each screen on the stack has an address (`ScreenId`); a worker's reply goes to the screen that
//! started the job wherever it is in the stack (`reply.rs` says why).
//!
//! Nothing typed is lost or done unseen: quitting or switching operator while a screen holds
//! unsaved work (`Screen::has_unsaved_work`) asks first; a closed window or a shutdown keeps it
//! for the operator's next login (`Screen::unsaved_draft`, `db::drafts`); and while the terminal
//! is smaller than 80x24 no key acts except Ctrl-Q (which still asks) and the answer to that
//! question.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use crate::db::Connection;
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::{DefaultTerminal, Frame};

use super::keymap::{Binding, Hint, hints, is_text_input, lookup, merged_hints};
use super::reply::{Reply, ReplyTo, ScreenId};
use super::screens::confirm::{Answer, Confirm, ConfirmReply, Purpose};
use super::text::{Label, Lang, Localized, Msg, shell};
use super::{theme, widgets};
use crate::db::{DbError, drafts};
use crate::domain::access::{Actor, Role};

/// The smallest terminal loket draws in.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// What arrives on the loop's channel.
pub enum Event {
    Key(KeyEvent),
    /// The terminal's new size: columns, rows.
    Resize(u16, u16),
    /// A periodic wake-up (idle lock, clocks).
    Tick,
    /// A reply from a worker thread to the screen that started the job.
    Worker {
        to: ScreenId,
        reply: Reply,
    },
}

/// What a screen asks of the app after handling a key or a worker result.
pub enum Nav {
    Stay,
    /// Not handled: the app applies its default (Esc goes back, q quits).
    Ignored,
    Push(Box<dyn Screen>),
    Replace(Box<dyn Screen>),
    Pop,
    /// Pops this screen (a modal) and answers the one below, which opened it.
    PopWith(Reply),
    Error(String),
    /// Leave loket (asks first while a screen holds unsaved work).
    Quit,
    /// Back to the login screen for another operator (asks first while a screen holds unsaved
    /// work); every screen of this operator closes.
    Logout,
}

/// Shared state every screen may use: the database, the operator, the language, today.
pub struct Ctx {
    pub conn: Connection,
    /// Where the database lives (a file or a server).
    pub store: crate::db::Store,
    pub lang: Lang,
    pub actor: Actor,
    pub today: NaiveDate,
    /// The loop's channel; workers reply through `reply_to`.
    pub events: Sender<Event>,
}

impl Ctx {
    pub fn t(&self, msg: Msg) -> &'static str {
        msg.get(self.lang)
    }

    /// Where a job started by the screen `me` sends its replies.
    pub fn reply_to(&self, me: ScreenId) -> ReplyTo {
        ReplyTo::new(me, &self.events)
    }
}

/// One screen or modal: its state, its key table and its render function live in one file.
pub trait Screen {
    fn title(&self, lang: Lang) -> String;
    /// The screen's key table as hints, for the footer and the help overlay.
    fn hints(&self, lang: Lang) -> Vec<Hint>;
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav;
    /// Called once, when the screen is put on the stack, with its address. A screen that starts
    /// background jobs keeps it and gives `ctx.reply_to(me)` to each job.
    fn attach(&mut self, _me: ScreenId) {}
    /// A reply addressed to this screen: a worker's result (possibly while other screens are
    /// above it; the `Nav` it returns then waits until it is on top again), or the answer of a
    /// modal it opened.
    fn handle_reply(&mut self, _reply: Reply, _ctx: &mut Ctx) -> Nav {
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
    /// True for the F9 menu: F9 on it closes it.
    fn is_menu(&self) -> bool {
        false
    }
    /// True while the screen holds typed data that closing it would lose (a half-filled form):
    /// quitting or switching operator then asks first.
    fn has_unsaved_work(&self) -> bool {
        false
    }
    /// The typed text a closed window must not lose (`db::drafts`): a screen with unsaved work
    /// that can be opened again from it says what it holds.
    fn unsaved_draft(&self) -> Option<crate::db::drafts::Draft> {
        None
    }
}

/// Keys that work on every screen. Help, Menu and Quit come before the screen sees the key;
/// Back only when the screen did not use it. A plain letter ('?', 'q') is text while a field has
/// focus. `q` closes a screen as Esc does and never leaves loket: a letter typed while no field
/// had focus must not end the session; Ctrl-Q is the one key that quits.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Global {
    Help,
    Menu,
    Quit,
    Back,
}

const GLOBAL_KEYS: &[Binding<Global>] = &[
    Binding::new(KeyCode::F(1), Global::Help, "F1", shell::HELP),
    Binding::new(KeyCode::Char('?'), Global::Help, "?", shell::HELP).help_only(),
    Binding::new(KeyCode::F(9), Global::Menu, "F9", shell::MENU),
    Binding::ctrl('q', Global::Quit, "Ctrl-Q", shell::QUIT).help_only(),
    Binding::new(KeyCode::Esc, Global::Back, "Esc", shell::BACK).help_only(),
    Binding::new(KeyCode::Char('q'), Global::Back, "q", shell::BACK).help_only(),
];

/// One screen on the stack with its address, and what it asked while it was covered.
struct Slot {
    id: ScreenId,
    screen: Box<dyn Screen>,
    /// Navigation a screen below the top asked for on a worker's reply; done when it is on top.
    deferred: Vec<Nav>,
}

pub struct App {
    pub ctx: Ctx,
    stack: Vec<Slot>,
    /// The address the next pushed screen gets.
    next_id: u64,
    help_open: bool,
    error: Option<String>,
    /// Something the operator should know that is not an error (files tightened on open).
    notice: Option<String>,
    pub quit: bool,
    /// When the operator last pressed a key, and after how long the screen locks (None: never).
    last_input: Instant,
    idle_lock: Option<Duration>,
    /// The terminal's size as last reported or drawn (None: not known yet).
    size: Option<(u16, u16)>,
    /// The app's own question on the stack (quit or log out with unsaved work), if open.
    asking: Option<ScreenId>,
    /// The operator whose closed-window drafts were looked for (0: nobody yet).
    drafts_checked_for: i64,
}

impl App {
    pub fn new(ctx: Ctx, root: Box<dyn Screen>) -> App {
        let idle_lock = super::screens::login::idle_lock(&ctx);
        let mut app = App {
            ctx,
            stack: Vec::new(),
            next_id: 1,
            help_open: false,
            error: None,
            notice: None,
            quit: false,
            last_input: Instant::now(),
            idle_lock,
            size: None,
            asking: None,
            drafts_checked_for: 0,
        };
        app.push(root);
        app.reopen_drafts();
        app
    }

    /// The window is closing (SIGHUP, SIGTERM, a terminal gone): writes what the screens hold
    /// unsaved for this operator (`db::drafts`). None when nothing was typed; else where it went
    /// or why it could not be written.
    pub fn save_drafts(&self) -> Option<Result<PathBuf, DbError>> {
        if self.ctx.actor.id == 0 {
            return None;
        }
        let drafts: Vec<drafts::Draft> = self
            .stack
            .iter()
            .filter_map(|slot| slot.screen.unsaved_draft())
            .collect();
        if drafts.is_empty() {
            return None;
        }
        let left = drafts::Left {
            saved_at: chrono::Local::now().naive_local(),
            drafts,
        };
        Some(drafts::save(
            &self.ctx.store.local_anchor(),
            self.ctx.actor.id,
            &left,
        ))
    }

    /// Once an operator is in: the forms a closed window left them on this database open again,
    /// filled, with a word on what happened.
    fn reopen_drafts(&mut self) {
        let id = self.ctx.actor.id;
        if id == 0 || id == self.drafts_checked_for {
            return;
        }
        self.drafts_checked_for = id;
        let lang = self.ctx.lang;
        match drafts::take(&self.ctx.store.local_anchor(), id) {
            Ok(None) => {}
            Ok(Some(left)) => {
                for draft in &left.drafts {
                    let screen = super::screens::reopen(&self.ctx, draft);
                    self.push(screen);
                }
                self.notify(shell::drafts_reopened(lang, left.saved_at));
            }
            Err(e) => self.error = Some(e.text(lang)),
        }
    }

    /// The terminal's size, before the first frame is drawn (then every resize says it).
    pub fn set_size(&mut self, width: u16, height: u16) {
        self.size = Some((width, height));
    }

    /// True while the terminal is smaller than loket draws in: keys then do nothing unseen.
    pub fn too_small(&self) -> bool {
        self.size
            .is_some_and(|(w, h)| w < MIN_WIDTH || h < MIN_HEIGHT)
    }

    /// True when a screen on the stack holds typed data that quitting would lose.
    pub fn has_unsaved_work(&self) -> bool {
        self.stack.iter().any(|slot| slot.screen.has_unsaved_work())
    }

    /// Shows `text` in a box over the screen until the next key.
    pub fn notify(&mut self, text: String) {
        self.notice = Some(text);
    }

    fn push(&mut self, mut screen: Box<dyn Screen>) {
        let id = ScreenId(self.next_id);
        self.next_id += 1;
        screen.attach(id);
        self.stack.push(Slot {
            id,
            screen,
            deferred: Vec::new(),
        });
    }

    fn top(&self) -> Option<&dyn Screen> {
        self.stack.last().map(|slot| slot.screen.as_ref())
    }

    /// Locks the screen when no key came for `session.idle_lock_minutes`; true when it locked.
    pub fn idle_check(&mut self, now: Instant) -> bool {
        let idle = now.saturating_duration_since(self.last_input);
        let locked = self.top().is_some_and(|s| s.locks_session());
        match self.idle_lock {
            Some(limit) if idle >= limit && !locked => {
                self.help_open = false;
                let lock = super::screens::login::Unlock::new(&self.ctx);
                self.push(Box::new(lock));
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
        self.top()
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
            Event::Resize(width, height) => {
                self.set_size(width, height);
                Nav::Stay
            }
            Event::Key(_) => Nav::Stay,
            Event::Tick if self.idle_check(Instant::now()) => Nav::Stay,
            Event::Tick => match self.stack.last_mut() {
                Some(slot) => slot.screen.tick(&mut self.ctx),
                None => Nav::Stay,
            },
            Event::Worker { to, reply } => self.deliver(to, reply),
        };
        self.apply(nav);
        self.reopen_drafts();
    }

    /// Hands a worker's reply to the screen it is addressed to, wherever it is in the stack:
    /// a screen under the menu or the lock screen keeps its state current (an import shows as
    /// finished when its screen is back on top). What it asks of the app waits until it is on
    /// top again. A reply to a screen that has closed is dropped: nobody is left to show it.
    fn deliver(&mut self, to: ScreenId, reply: Reply) -> Nav {
        let Some(at) = self.stack.iter().position(|slot| slot.id == to) else {
            return Nav::Stay;
        };
        let on_top = at + 1 == self.stack.len();
        let slot = &mut self.stack[at];
        match slot.screen.handle_reply(reply, &mut self.ctx) {
            nav if on_top => nav,
            Nav::Stay | Nav::Ignored => Nav::Stay,
            nav => {
                slot.deferred.push(nav);
                Nav::Stay
            }
        }
    }

    fn handle_key(&mut self, key: KeyEvent) -> Nav {
        let asking = self.asking.is_some() && self.asking == self.stack.last().map(|s| s.id);
        if self.too_small() && !asking {
            // Nothing shows what a key would do: only Ctrl-Q acts, and it asks as always.
            return match lookup(GLOBAL_KEYS, &key) {
                Some(Global::Quit) => Nav::Quit,
                _ => Nav::Stay,
            };
        }
        if self.error.take().is_some() || self.notice.take().is_some() {
            return Nav::Stay; // any key closes the message box
        }
        if self.help_open {
            if matches!(key.code, KeyCode::Esc | KeyCode::F(1) | KeyCode::Char('?')) {
                self.help_open = false;
            }
            return Nav::Stay;
        }
        let Some(top) = self.top() else {
            return Nav::Quit;
        };
        let text_key = top.captures_text() && is_text_input(&key);
        let global = if text_key {
            None
        } else {
            lookup(GLOBAL_KEYS, &key)
        };
        match global {
            // Over the app's question only its answers, and Ctrl-Q, act.
            Some(Global::Help | Global::Menu) if asking => return Nav::Stay,
            Some(Global::Help) => {
                self.help_open = true;
                return Nav::Stay;
            }
            Some(Global::Menu) if top.locks_session() => return Nav::Stay,
            Some(Global::Menu) if top.is_menu() => return Nav::Pop,
            Some(Global::Menu) => {
                return Nav::Push(Box::new(super::screens::menu::Menu::new(&self.ctx)));
            }
            // Ctrl-Q again on the question "quit anyway?" is yes.
            Some(Global::Quit) if asking => {
                self.quit = true;
                return Nav::Stay;
            }
            Some(Global::Quit) => return Nav::Quit,
            Some(Global::Back) | None => {}
        }
        let Some(slot) = self.stack.last_mut() else {
            return Nav::Quit;
        };
        match slot.screen.handle_key(key, &mut self.ctx) {
            Nav::Ignored => match global {
                Some(Global::Back) if self.stack.len() > 1 => Nav::Pop,
                _ => Nav::Stay,
            },
            nav => nav,
        }
    }

    /// Quitting or logging out: at once when nothing would be lost, else the app asks.
    fn leave(&mut self, purpose: Purpose) {
        if !self.has_unsaved_work() {
            self.answered(&purpose, Answer::Yes);
            return;
        }
        if self.asking.is_some() {
            return; // the question is open already
        }
        let (title, body) = match purpose {
            Purpose::Logout => (shell::LOGOUT_TITLE, shell::LEAVE_BODY),
            _ => (shell::QUIT_TITLE, shell::LEAVE_BODY),
        };
        let question = Confirm::new(
            purpose,
            title.get(self.ctx.lang),
            vec![body.get(self.ctx.lang).to_string()],
            Vec::new(),
        );
        self.help_open = false;
        self.push(Box::new(question));
        self.asking = self.stack.last().map(|slot| slot.id);
    }

    /// The answer to the app's own question (or a leave that needed none).
    fn answered(&mut self, purpose: &Purpose, answer: Answer) {
        if answer != Answer::Yes {
            return;
        }
        match purpose {
            Purpose::Quit => self.quit = true,
            Purpose::Logout => self.logout(),
            _ => {}
        }
    }

    /// Closes every screen of this operator and shows the login screen; nobody is logged in
    /// until someone is.
    fn logout(&mut self) {
        self.stack.clear();
        self.drafts_checked_for = 0;
        self.help_open = false;
        self.error = None;
        self.notice = None;
        self.ctx.actor = Actor {
            id: 0,
            name: "-".into(),
            role: Role::Clerk,
        };
        let login = super::screens::login::Login::new("", super::screens::root);
        self.push(Box::new(login));
    }

    fn apply(&mut self, nav: Nav) {
        match nav {
            Nav::Stay | Nav::Ignored => {}
            Nav::Push(screen) => self.push(screen),
            Nav::Replace(screen) => {
                self.stack.pop();
                self.push(screen);
            }
            Nav::Pop => {
                if self.stack.len() > 1 {
                    self.stack.pop();
                    if let Some(slot) = self.stack.last_mut() {
                        let next = slot.screen.resumed(&mut self.ctx);
                        self.apply(next);
                    }
                    self.uncovered();
                }
            }
            Nav::PopWith(Reply::Confirm(ConfirmReply { purpose, answer }))
                if matches!(purpose, Purpose::Quit | Purpose::Logout) =>
            {
                // The app's own question: answered to the app, not to the screen below.
                if self.stack.len() > 1 {
                    self.stack.pop();
                }
                self.asking = None;
                self.answered(&purpose, answer);
            }
            Nav::PopWith(reply) => {
                // The bottom screen has nobody below to answer: it stays, the answer is dropped.
                if self.stack.len() <= 1 {
                    return;
                }
                self.stack.pop();
                if let Some(slot) = self.stack.last_mut() {
                    let next = slot.screen.handle_reply(reply, &mut self.ctx);
                    self.apply(next);
                }
                self.uncovered();
            }
            Nav::Error(text) => self.error = Some(text),
            Nav::Quit => self.leave(Purpose::Quit),
            Nav::Logout => self.leave(Purpose::Logout),
        }
    }

    /// The top screen was covered and is on top again: what it asked meanwhile happens now.
    fn uncovered(&mut self) {
        let deferred = match self.stack.last_mut() {
            Some(slot) => std::mem::take(&mut slot.deferred),
            None => return,
        };
        for nav in deferred {
            self.apply(nav);
        }
    }

    pub fn render(&mut self, frame: &mut Frame) {
        let area = frame.area();
        let lang = self.ctx.lang;
        self.size = Some((area.width, area.height));
        if self.too_small() {
            let mut text = format!(
                "{}\n{}: {} x {}",
                shell::TOO_SMALL.get(lang),
                shell::TOO_SMALL_NOW.get(lang),
                area.width,
                area.height
            );
            if self.asking.is_some() {
                text.push_str(&format!("\n\n{}", shell::LEAVE_SMALL.get(lang)));
            }
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
        let base = self
            .stack
            .iter()
            .rposition(|slot| !slot.screen.is_modal())
            .unwrap_or(0);
        let title = self
            .stack
            .get(base)
            .map(|slot| slot.screen.title(lang))
            .unwrap_or_default();
        self.title_bar(frame, top, &title);
        for slot in self.stack[base..].iter_mut() {
            slot.screen.render(frame, body, &self.ctx);
        }
        let screen_hints = self.top().map(|s| s.hints(lang)).unwrap_or_default();
        widgets::footer(frame, bottom, &self.footer(&screen_hints));
        if self.help_open {
            widgets::help(
                frame,
                body,
                lang,
                &screen_hints,
                &merged_hints(GLOBAL_KEYS, lang),
            );
        }
        if let Some(error) = &self.error {
            widgets::message_box(frame, body, shell::ERROR.get(lang), error, theme::error());
        } else if let Some(notice) = &self.notice {
            let title = crate::ui::text::store::NOTICE.get(lang);
            widgets::message_box(frame, body, title, notice, theme::warning());
        }
    }

    /// The footer: the help key, the screen's keys, then the other global keys shown there (no
    /// menu over the login and lock screens), all from the key tables.
    fn footer(&self, screen: &[Hint]) -> Vec<Hint> {
        let lang = self.ctx.lang;
        let locked = self.top().is_some_and(|s| s.locks_session());
        let shown = |b: &&Binding<Global>| b.footer && !(locked && b.action == Global::Menu);
        let (help, rest): (Vec<Binding<Global>>, Vec<Binding<Global>>) = GLOBAL_KEYS
            .iter()
            .filter(shown)
            .partition(|b| b.action == Global::Help);
        let mut footer = hints(&help, lang);
        footer.extend_from_slice(screen);
        footer.extend(hints(&rest, lang));
        footer
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
        // This PC's counter (desk), when named, beside the operator.
        let operator = match self.ctx.conn.counter() {
            Some(counter) => format!("{} | {operator}", counter.name),
            None => operator,
        };
        // The operator always shows; a long database path gives way, keeping its file name end.
        let room = (area.width as usize)
            .saturating_sub(left.chars().count() + operator.chars().count() + 1);
        let path = self.ctx.store.label();
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
    if let Ok(size) = terminal.size() {
        app.set_size(size.width, size.height);
    }
    // A closed window (SIGHUP) or a shutdown (SIGTERM) no longer ends the process at once: the
    // loop sees the flag within a tick and keeps what was typed first.
    let closing = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGHUP, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&closing))?;
    }
    loop {
        if let Err(e) = terminal.draw(|frame| app.render(frame)) {
            // The terminal is gone: what was typed is kept before the error ends the loop.
            keep_drafts(&app);
            return Err(e);
        }
        match events.recv_timeout(Duration::from_millis(250)) {
            Ok(event) => app.handle(event),
            Err(RecvTimeoutError::Timeout) => app.handle(Event::Tick),
            Err(RecvTimeoutError::Disconnected) => break,
        }
        // Drain whatever else is pending before drawing again: fast typing costs one frame.
        while let Ok(event) = events.try_recv() {
            app.handle(event);
        }
        if closing.load(Ordering::Relaxed) {
            keep_drafts(&app);
            break;
        }
        if app.quit {
            break;
        }
    }
    Ok(())
}

/// Writes the drafts of a closing window and says where on standard error (seen when the
/// terminal is still there, e.g. a `kill` from another shell).
fn keep_drafts(app: &App) {
    match app.save_drafts() {
        None => {}
        Some(Ok(path)) => eprintln!("{}", shell::drafts_kept(app.ctx.lang, &path)),
        Some(Err(e)) => eprintln!("{}", e.text(app.ctx.lang)),
    }
}

/// Forwards terminal input to the loop's channel from its own thread.
pub fn spawn_input_thread(events: Sender<Event>) {
    std::thread::spawn(move || {
        loop {
            let event = match crossterm::event::read() {
                Ok(crossterm::event::Event::Key(key)) => Event::Key(key),
                Ok(crossterm::event::Event::Resize(w, h)) => Event::Resize(w, h),
                Ok(_) => continue,
                Err(_) => break,
            };
            if events.send(event).is_err() {
                break;
            }
        }
    });
}
