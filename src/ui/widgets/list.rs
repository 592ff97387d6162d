//! The selection of a list on screen, moved by the keys every list shares (Up/Down, PgUp/PgDn,
//! first/last), with the scroll offset the last render kept. Screens own their rows; this only
//! knows how many there are, so the selection is always a row that exists (or none).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{List, ListState, Table, TableState};

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

#[derive(Debug, Clone, Default)]
pub struct ListNav {
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
}
