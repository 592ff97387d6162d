//! One key table per screen: the same rows feed the handler, the footer and the help overlay,
//! so what is shown can never disagree with what the keys do.

use std::borrow::Cow;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::text::{Lang, Msg};

/// One key of a screen: what is pressed, what it does, and how it is shown.
#[derive(Debug, Clone, Copy)]
pub struct Binding<A> {
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: A,
    /// How the key is written on screen: "F2", "Enter", "Ctrl-N".
    pub shown: &'static str,
    pub label: Msg,
    /// Shown in the footer (the help overlay shows every binding).
    pub footer: bool,
}

impl<A: Copy> Binding<A> {
    pub const fn new(code: KeyCode, action: A, shown: &'static str, label: Msg) -> Self {
        Binding {
            code,
            mods: KeyModifiers::NONE,
            action,
            shown,
            label,
            footer: true,
        }
    }
    pub const fn ctrl(c: char, action: A, shown: &'static str, label: Msg) -> Self {
        Binding {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
            action,
            shown,
            label,
            footer: true,
        }
    }
    /// The same key with modifiers held (Ctrl-Home).
    pub const fn with(mut self, mods: KeyModifiers) -> Self {
        self.mods = mods;
        self
    }
    /// Listed in help only (a second key for the same action, or a movement key).
    pub const fn help_only(mut self) -> Self {
        self.footer = false;
        self
    }

    fn matches(&self, key: &KeyEvent) -> bool {
        // Shift is part of the character itself ('?' is Shift-/), so it is not compared.
        let strip = |m: KeyModifiers| m - KeyModifiers::SHIFT;
        if strip(self.mods) != strip(key.modifiers) {
            return false;
        }
        match (self.code, key.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) if self.mods.contains(KeyModifiers::CONTROL) => {
                a.eq_ignore_ascii_case(&b)
            }
            (a, b) => a == b,
        }
    }
}

/// The action bound to a key in a table, if any.
pub fn lookup<A: Copy>(table: &[Binding<A>], key: &KeyEvent) -> Option<A> {
    table.iter().find(|b| b.matches(key)).map(|b| b.action)
}

/// What the footer and help show for one binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub key: Cow<'static, str>,
    pub label: &'static str,
    pub footer: bool,
}

/// Hints of a table in a language.
pub fn hints<A: Copy>(table: &[Binding<A>], lang: Lang) -> Vec<Hint> {
    table
        .iter()
        .map(|b| Hint {
            key: b.shown.into(),
            label: b.label.get(lang),
            footer: b.footer,
        })
        .collect()
}

/// Hints of a table where consecutive keys with the same label share one row ("F1/?",
/// "↑/↓"), as a help list shows them.
pub fn merged_hints<A: Copy>(table: &[Binding<A>], lang: Lang) -> Vec<Hint> {
    let mut rows: Vec<Hint> = Vec::new();
    for hint in hints(table, lang) {
        match rows.last_mut() {
            Some(last) if last.label == hint.label => {
                last.key = format!("{}/{}", last.key, hint.key).into();
                last.footer |= hint.footer;
            }
            _ => rows.push(hint),
        }
    }
    rows
}

/// True for a key that types text into a focused field (so it must never be a command).
pub fn is_text_input(key: &KeyEvent) -> bool {
    matches!(key.code, KeyCode::Char(_))
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum A {
        Help,
        New,
        Quit,
    }
    const T: &[Binding<A>] = &[
        Binding::new(KeyCode::F(1), A::Help, "F1", Msg::new("Bantuan", "Help")),
        Binding::new(
            KeyCode::Char('?'),
            A::Help,
            "?",
            Msg::new("Bantuan", "Help"),
        )
        .help_only(),
        Binding::ctrl('n', A::New, "Ctrl-N", Msg::new("Baru", "New")),
        Binding::ctrl('q', A::Quit, "Ctrl-Q", Msg::new("Keluar", "Quit")),
    ];

    #[test]
    fn keys_find_their_action() {
        let ev = |code, mods| KeyEvent::new(code, mods);
        assert_eq!(
            lookup(T, &ev(KeyCode::F(1), KeyModifiers::NONE)),
            Some(A::Help)
        );
        assert_eq!(
            lookup(T, &ev(KeyCode::Char('?'), KeyModifiers::SHIFT)),
            Some(A::Help)
        );
        assert_eq!(
            lookup(T, &ev(KeyCode::Char('n'), KeyModifiers::CONTROL)),
            Some(A::New)
        );
        assert_eq!(lookup(T, &ev(KeyCode::Char('n'), KeyModifiers::NONE)), None);
        assert_eq!(
            lookup(T, &ev(KeyCode::Char('q'), KeyModifiers::CONTROL)),
            Some(A::Quit)
        );
        assert_eq!(hints(T, Lang::En).iter().filter(|h| h.footer).count(), 3);
        let merged: Vec<String> = merged_hints(T, Lang::En)
            .iter()
            .map(|h| format!("{} {}", h.key, h.label))
            .collect();
        assert_eq!(merged, ["F1/? Help", "Ctrl-N New", "Ctrl-Q Quit"]);
    }
}
