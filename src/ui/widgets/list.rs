//! The selection of a list on screen, moved by the keys every list shares (Up/Down, PgUp/PgDn,
//! Home/End), with the scroll offset the last render kept. Screens own their rows; this only
//! knows how many there are, so the selection is always a row that exists (or none). The list's
//! keys are a key table like a screen's: a screen looks its own table up first, then the list's,
//! and adds the list's hints to its own.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{List, ListState, Table, TableState};

use crate::ui::keymap::{Binding, Hint, lookup, merged_hints};
use crate::ui::text::{Lang, shell};

/// A move of the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
}

const KEYS: &[Binding<Move>] = &[
    Binding::new(KeyCode::Up, Move::Up, "↑", shell::LIST_MOVE).help_only(),
    Binding::new(KeyCode::Down, Move::Down, "↓", shell::LIST_MOVE).help_only(),
    Binding::new(KeyCode::PageUp, Move::PageUp, "PgUp", shell::LIST_PAGE).help_only(),
    Binding::new(KeyCode::PageDown, Move::PageDown, "PgDn", shell::LIST_PAGE).help_only(),
    Binding::new(KeyCode::Home, Move::First, "Home", shell::LIST_ENDS).help_only(),
    Binding::new(KeyCode::End, Move::Last, "End", shell::LIST_ENDS).help_only(),
];

/// Beside a focused text field Home and End move the caret; the list's ends take Ctrl.
const KEYS_BESIDE_FIELD: &[Binding<Move>] = &[
    Binding::new(KeyCode::Up, Move::Up, "↑", shell::LIST_MOVE).help_only(),
    Binding::new(KeyCode::Down, Move::Down, "↓", shell::LIST_MOVE).help_only(),
    Binding::new(KeyCode::PageUp, Move::PageUp, "PgUp", shell::LIST_PAGE).help_only(),
    Binding::new(KeyCode::PageDown, Move::PageDown, "PgDn", shell::LIST_PAGE).help_only(),
    Binding::new(KeyCode::Home, Move::First, "Ctrl-Home", shell::LIST_ENDS)
        .with(KeyModifiers::CONTROL)
        .help_only(),
    Binding::new(KeyCode::End, Move::Last, "Ctrl-End", shell::LIST_ENDS)
        .with(KeyModifiers::CONTROL)
        .help_only(),
];

#[derive(Debug, Clone, Default)]
pub struct ListNav {
    /// A text field beside the list keeps Home and End (`KEYS_BESIDE_FIELD`).
    beside_field: bool,
    len: usize,
    selected: Option<usize>,
    /// First row drawn at the last render (the table or list scrolled to keep the selection).
    offset: usize,
    /// Rows visible at the last render: how far PgUp/PgDn move.
    page: usize,
}

impl ListNav {
    /// An empty list; `set_len` selects the first row once there are rows.
    pub fn new() -> ListNav {
        ListNav {
            page: 10,
            ..ListNav::default()
        }
    }

    /// A list filtered by a text field that keeps the focus (Home and End are the field's).
    pub fn beside_field() -> ListNav {
        ListNav {
            beside_field: true,
            ..ListNav::new()
        }
    }

    fn keys(&self) -> &'static [Binding<Move>] {
        if self.beside_field {
            KEYS_BESIDE_FIELD
        } else {
            KEYS
        }
    }

    /// The list's keys for the help overlay ("↑/↓ Pindah baris").
    pub fn hints(&self, lang: Lang) -> Vec<Hint> {
        merged_hints(self.keys(), lang)
    }

    /// Moves the selection when `key` is one of the list's keys; false for any other key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> bool {
        match lookup(self.keys(), key) {
            Some(step) => {
                self.go(step);
                true
            }
            None => false,
        }
    }

    /// The rows changed: the selection stays where it was if that row still exists, moves to the
    /// last row if the list got shorter, to the first if there was none; none when empty.
    pub fn set_len(&mut self, len: usize) {
        self.len = len;
        self.selected = (len > 0).then(|| self.selected.unwrap_or(0).min(len - 1));
    }

    /// New rows, selecting the first.
    pub fn reset(&mut self, len: usize) {
        self.selected = None;
        self.set_len(len);
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    /// Selects `row` (clamped to the rows there are).
    pub fn select(&mut self, row: usize) {
        self.selected = (self.len > 0).then(|| row.min(self.len - 1));
    }

    pub fn go(&mut self, step: Move) {
        let Some(last) = self.len.checked_sub(1) else {
            return;
        };
        let at = self.selected.unwrap_or(0);
        let page = self.page.max(1);
        self.selected = Some(match step {
            Move::Up => at.saturating_sub(1),
            Move::Down => (at + 1).min(last),
            Move::PageUp => at.saturating_sub(page),
            Move::PageDown => (at + page).min(last),
            Move::First => 0,
            Move::Last => last,
        });
    }

    /// How many rows the list shows (from the last render).
    pub fn set_page(&mut self, rows: usize) {
        self.page = rows.max(1);
    }

    /// The selected row's position among the rows drawn (0 is the first visible row).
    pub fn visible_row(&self) -> Option<u16> {
        self.selected
            .map(|row| row.saturating_sub(self.offset) as u16)
    }

    /// Draws `table` with the selection highlighted, keeping the scroll offset between renders.
    pub fn render_table(&mut self, frame: &mut Frame, table: Table, area: Rect) {
        let mut state = TableState::new()
            .with_offset(self.offset)
            .with_selected(self.selected);
        frame.render_stateful_widget(table, area, &mut state);
        self.offset = state.offset();
    }

    /// Draws `list` with the selection highlighted, keeping the scroll offset between renders.
    pub fn render_list(&mut self, frame: &mut Frame, list: List, area: Rect) {
        let mut state = ListState::default()
            .with_offset(self.offset)
            .with_selected(self.selected);
        frame.render_stateful_widget(list, area, &mut state);
        self.offset = state.offset();
    }

    /// Puts the terminal cursor on the selected row, `first_row` being where the first visible
    /// row is drawn, if that row is inside `area` (screen readers follow the cursor).
    pub fn place_cursor(&self, frame: &mut Frame, x: u16, first_row: u16, area: Rect) {
        if let Some(row) = self.visible_row() {
            let y = first_row + row;
            if y < area.bottom() {
                frame.set_cursor_position((x, y));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_stay_inside_the_rows() {
        let mut nav = ListNav::new();
        nav.go(Move::Down);
        assert_eq!(nav.selected(), None, "no rows, nothing selected");
        nav.set_len(30);
        assert_eq!(nav.selected(), Some(0));
        nav.set_page(10);
        nav.go(Move::PageDown);
        nav.go(Move::Down);
        assert_eq!(nav.selected(), Some(11));
        nav.go(Move::Last);
        nav.go(Move::Down);
        assert_eq!(nav.selected(), Some(29));
        nav.go(Move::PageUp);
        assert_eq!(nav.selected(), Some(19));
        nav.set_len(5);
        assert_eq!(
            nav.selected(),
            Some(4),
            "a shorter list keeps a row that exists"
        );
        nav.go(Move::First);
        nav.go(Move::Up);
        assert_eq!(nav.selected(), Some(0));
        nav.select(99);
        assert_eq!(nav.selected(), Some(4));
        nav.set_len(0);
        assert_eq!(nav.selected(), None);
        nav.reset(3);
        assert_eq!(nav.selected(), Some(0));
    }

    #[test]
    fn beside_a_field_home_and_end_are_left_to_it() {
        let key = |code, mods| KeyEvent::new(code, mods);
        let mut nav = ListNav::beside_field();
        nav.set_len(5);
        assert!(!nav.handle_key(&key(KeyCode::End, KeyModifiers::NONE)));
        assert!(nav.handle_key(&key(KeyCode::End, KeyModifiers::CONTROL)));
        assert_eq!(nav.selected(), Some(4));
        let mut plain = ListNav::new();
        plain.set_len(5);
        assert!(plain.handle_key(&key(KeyCode::End, KeyModifiers::NONE)));
        assert!(!plain.handle_key(&key(KeyCode::Char('j'), KeyModifiers::NONE)));
        let shown: Vec<String> = nav
            .hints(Lang::Id)
            .iter()
            .map(|h| h.key.to_string())
            .collect();
        assert_eq!(shown, ["↑/↓", "PgUp/PgDn", "Ctrl-Home/Ctrl-End"]);
    }
}
