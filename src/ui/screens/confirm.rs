//! Modals of the walk-in desk that ask before going on: a NIK that disagrees with the KTP, a
//! NIK already registered, likely duplicates, discarding typed data, joining a waitlist,
//! withdrawing from a cohort, and the app's own question before quitting or switching operator
//! with unsaved work. The modal answers the screen below (or the app) with a `ConfirmReply`; it
//! never changes data itself.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::text::{Lang, cohorts as cohort_text, desk as text, shell};
use crate::ui::widgets::{ListNav, Move};
use crate::ui::{Ctx, Nav, Reply, Screen, theme, widgets};

/// What is being asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// NIK disagrees with birth date or sex: confirm it matches the KTP.
    Mismatch,
    /// NIK already registered to this resident: open them instead.
    NikTaken(i64),
    /// Residents who may be the same person (ids, in the order listed).
    Duplicates(Vec<i64>),
    /// Leave the form and lose what was typed.
    Discard,
    /// The cohort is full: put the resident on its waitlist.
    JoinWaitlist { cohort_id: i64 },
    /// Withdraw the resident from this cohort, with this reason (may be empty).
    Withdraw { cohort_id: i64, reason: String },
    /// Quit loket although typed data would be lost (the app asks).
    Quit,
    /// Switch operator although typed data would be lost (the app asks).
    Logout,
}

/// The clerk's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Go on (save anyway, confirm, discard).
    Yes,
    /// Back to the form, nothing changed.
    No,
    /// Open the listed resident (by id).
    Open(i64),
}

/// Sent to the screen below when the modal closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmReply {
    pub purpose: Purpose,
    pub answer: Answer,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Key {
    Yes,
    No,
    Open,
    Up,
    Down,
}

const MISMATCH_KEYS: &[Binding<Key>] = &[
    Binding::new(KeyCode::Enter, Key::Yes, "Enter", text::CONFIRM_MATCHES_KTP),
    Binding::new(KeyCode::F(10), Key::Yes, "F10", text::CONFIRM_MATCHES_KTP).help_only(),
    Binding::new(KeyCode::Esc, Key::No, "Esc", text::BACK_TO_FORM),
];
const TAKEN_KEYS: &[Binding<Key>] = &[
    Binding::new(KeyCode::Enter, Key::Open, "Enter", text::OPEN_EXISTING),
    Binding::new(KeyCode::Esc, Key::No, "Esc", text::BACK_TO_FORM),
];
const DUPLICATE_KEYS: &[Binding<Key>] = &[
    Binding::new(KeyCode::Enter, Key::Open, "Enter", text::OPEN_SELECTED),
    Binding::new(KeyCode::F(10), Key::Yes, "F10", text::SAVE_ANYWAY),
    Binding::new(KeyCode::Esc, Key::No, "Esc", text::BACK_TO_FORM),
    Binding::new(KeyCode::Up, Key::Up, "↑", text::UP).help_only(),
    Binding::new(KeyCode::Down, Key::Down, "↓", text::DOWN).help_only(),
];
const DISCARD_KEYS: &[Binding<Key>] = &[
    Binding::new(KeyCode::Enter, Key::Yes, "Enter", text::DISCARD_YES),
    Binding::new(KeyCode::Esc, Key::No, "Esc", text::DISCARD_NO),
];
const WAITLIST_KEYS: &[Binding<Key>] = &[
    Binding::new(
        KeyCode::Enter,
        Key::Yes,
        "Enter",
        cohort_text::JOIN_WAITLIST_YES,
    ),
    Binding::new(KeyCode::Esc, Key::No, "Esc", cohort_text::JOIN_WAITLIST_NO),
];
const WITHDRAW_KEYS: &[Binding<Key>] = &[
    Binding::new(KeyCode::Enter, Key::Yes, "Enter", text::WITHDRAW_YES),
    Binding::new(KeyCode::Esc, Key::No, "Esc", text::WITHDRAW_NO),
];
const LEAVE_KEYS: &[Binding<Key>] = &[
    Binding::new(KeyCode::Enter, Key::Yes, "Enter", shell::LEAVE_YES),
    Binding::new(KeyCode::Esc, Key::No, "Esc", shell::LEAVE_NO),
];

pub struct Confirm {
    purpose: Purpose,
    title: String,
    body: Vec<String>,
    /// Selectable rows (duplicates): one per id of the purpose.
    items: Vec<String>,
    list: ListNav,
}

impl Confirm {
    pub fn new(purpose: Purpose, title: &str, body: Vec<String>, items: Vec<String>) -> Confirm {
        let mut list = ListNav::new();
        list.set_len(items.len());
        Confirm {
            purpose,
            title: title.to_string(),
            body,
            items,
            list,
        }
    }

    fn keys(&self) -> &'static [Binding<Key>] {
        match self.purpose {
            Purpose::Mismatch => MISMATCH_KEYS,
            Purpose::NikTaken(_) => TAKEN_KEYS,
            Purpose::Duplicates(_) => DUPLICATE_KEYS,
            Purpose::Discard => DISCARD_KEYS,
            Purpose::JoinWaitlist { .. } => WAITLIST_KEYS,
            Purpose::Withdraw { .. } => WITHDRAW_KEYS,
            Purpose::Quit | Purpose::Logout => LEAVE_KEYS,
        }
    }

    fn reply(&self, answer: Answer) -> Nav {
        Nav::PopWith(Reply::Confirm(ConfirmReply {
            purpose: self.purpose.clone(),
            answer,
        }))
    }
}

impl Screen for Confirm {
    fn title(&self, _lang: Lang) -> String {
        self.title.clone()
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        hints(self.keys(), lang)
    }
    fn is_modal(&self) -> bool {
        true
    }
    fn handle_key(&mut self, key: KeyEvent, _ctx: &mut Ctx) -> Nav {
        match lookup(self.keys(), &key) {
            Some(Key::Yes) => self.reply(Answer::Yes),
            Some(Key::No) => self.reply(Answer::No),
            Some(Key::Open) => match &self.purpose {
                Purpose::NikTaken(id) => self.reply(Answer::Open(*id)),
                Purpose::Duplicates(ids) => match self.list.selected().and_then(|i| ids.get(i)) {
                    Some(id) => self.reply(Answer::Open(*id)),
                    None => Nav::Stay,
                },
                _ => Nav::Stay,
            },
            Some(Key::Up) => {
                self.list.go(Move::Up);
                Nav::Stay
            }
            Some(Key::Down) => {
                self.list.go(Move::Down);
                Nav::Stay
            }
            None => Nav::Stay,
        }
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let style = match self.purpose {
            Purpose::NikTaken(_) | Purpose::Duplicates(_) | Purpose::Withdraw { .. } => {
                theme::error()
            }
            _ => theme::warning(),
        };
        let mut lines: Vec<Line> = self.body.iter().map(|l| Line::raw(l.clone())).collect();
        let first_item = lines.len() + usize::from(!self.items.is_empty());
        if !self.items.is_empty() {
            lines.push(Line::raw(""));
        }
        for (i, item) in self.items.iter().enumerate() {
            let line = Line::raw(format!(" {item}"));
            lines.push(if Some(i) == self.list.selected() {
                line.style(theme::selected())
            } else {
                line
            });
        }
        let hint_text: Vec<String> = hints(self.keys(), ctx.lang)
            .into_iter()
            .filter(|h| h.footer)
            .map(|h| format!("{} {}", h.key, h.label))
            .collect();
        lines.push(Line::raw(""));
        lines.push(Line::styled(hint_text.join("   "), theme::focused()));
        let width = 72.min(area.width);
        let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
        let height = (paragraph.line_count(width.saturating_sub(2)) as u16 + 2).min(area.height);
        let popup = widgets::centered(area, width, height);
        frame.render_widget(Clear, popup);
        frame.render_widget(
            paragraph.block(
                Block::bordered()
                    .border_style(style)
                    .title(format!(" {} ", self.title)),
            ),
            popup,
        );
        let row = match self.list.selected() {
            Some(selected) => first_item + selected,
            None => 0,
        };
        frame.set_cursor_position((
            popup.x + 1,
            (popup.y + 1 + row as u16).min(popup.bottom().saturating_sub(2)),
        ));
    }
}
