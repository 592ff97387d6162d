//! One text field for every place a clerk types: the text and its cursor live in `tui-input`,
//! which gives every field the same editing keys (characters, Backspace/Delete, Left/Right,
//! Home/End, Ctrl-U, Ctrl-W, Alt-Backspace, Ctrl-K, Ctrl-Left/Right). This file adds the one-row
//! drawing with horizontal scrolling and puts the real terminal cursor on the caret, which
//! screen readers and input methods follow. Knows nothing about what the text means.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Paragraph;
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

/// What an editing key did to a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The text changed.
    Changed,
    /// An editing key that left the text as it was (a cursor move, Backspace at the start).
    Kept,
    /// Not an editing key: the screen may use it.
    NotMine,
}

impl Edit {
    pub fn changed(self) -> bool {
        self == Edit::Changed
    }
    /// True for every editing key, whether or not the text changed.
    pub fn used(self) -> bool {
        self != Edit::NotMine
    }
}

/// A one-line text field; `masked` fields (passwords) draw a dot per character.
#[derive(Debug, Clone, Default)]
pub struct TextField {
    input: Input,
    masked: bool,
    /// The text is a suggestion (a value already set): the first character typed replaces it;
    /// any other editing key keeps it and edits it as usual.
    suggested: bool,
}

impl TextField {
    /// A field holding `text`, the cursor at its end.
    pub fn new(text: &str) -> TextField {
        TextField {
            input: Input::new(text.to_string()),
            masked: false,
            suggested: false,
        }
    }

    /// A field holding a value already set, the cursor at its end: typing a character replaces
    /// it (a new target is typed over the old one, never appended to it); Backspace, arrows and
    /// the other editing keys edit it.
    pub fn suggested(text: &str) -> TextField {
        TextField {
            suggested: !text.is_empty(),
            ..TextField::new(text)
        }
    }

    /// An empty field that never shows what is typed (a password).
    pub fn masked() -> TextField {
        TextField {
            input: Input::default(),
            masked: true,
            suggested: false,
        }
    }

    pub fn text(&self) -> &str {
        self.input.value()
    }

    /// A password field.
    pub fn is_masked(&self) -> bool {
        self.masked
    }

    pub fn is_empty(&self) -> bool {
        self.input.value().is_empty()
    }

    /// Replaces the text, the cursor at its end.
    pub fn set(&mut self, text: &str) {
        self.input = Input::new(text.to_string());
    }

    pub fn clear(&mut self) {
        self.input.reset();
    }

    /// Cursor position in characters from the start of the text.
    pub fn cursor(&self) -> usize {
        self.input.cursor()
    }

    /// Applies an editing key. Keys the field does not know come back as `Edit::NotMine`.
    pub fn handle(&mut self, key: &KeyEvent) -> Edit {
        let Some(request) = to_input_request(&crossterm::event::Event::Key(*key)) else {
            return Edit::NotMine;
        };
        if std::mem::take(&mut self.suggested) && matches!(request, InputRequest::InsertChar(_)) {
            self.input.reset();
        }
        self.apply(request)
    }

    fn apply(&mut self, request: InputRequest) -> Edit {
        match self.input.handle(request) {
            Some(changed) if changed.value => Edit::Changed,
            _ => Edit::Kept,
        }
    }

    /// The part of the text that fits `width` columns, and the caret's column in it. One column
    /// is kept for the caret after the last character; a long text scrolls to keep it in view.
    pub fn window(&self, width: u16) -> (String, u16) {
        let shown = if self.masked {
            Input::new("•".repeat(self.input.value().chars().count()))
                .with_cursor(self.input.cursor())
        } else {
            self.input.clone()
        };
        let room = usize::from(width.max(1) - 1);
        let scroll = shown.visual_scroll(room);
        let mut skipped = 0;
        let mut used = 0;
        let mut text = String::new();
        for c in shown.value().chars() {
            let w = unicode_width(c);
            if skipped < scroll {
                skipped += w;
                continue;
            }
            if used + w > usize::from(width) {
                break;
            }
            used += w;
            text.push(c);
        }
        let caret = shown.visual_cursor().max(scroll) - scroll;
        (text, caret.min(room) as u16)
    }

    /// Draws the field into the one-row `area` with `style`; a focused field takes the
    /// terminal cursor.
    pub fn render(&self, frame: &mut Frame, area: Rect, style: Style, focused: bool) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let (text, caret) = self.window(area.width);
        frame.render_widget(Paragraph::new(text).style(style), area);
        if focused {
            frame.set_cursor_position((area.x + caret, area.y));
        }
    }
}

/// Columns a character takes (wide CJK and emoji take two), as `tui-input` counts them.
fn unicode_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    ratatui::text::Span::raw(&*c.encode_utf8(&mut buf)).width()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }
    fn with(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn edits_at_the_cursor() {
        let mut field = TextField::new("bdi");
        field.handle(&key(KeyCode::Left));
        field.handle(&key(KeyCode::Left));
        assert_eq!(field.handle(&key(KeyCode::Char('u'))), Edit::Changed);
        assert_eq!(field.text(), "budi");
        field.handle(&key(KeyCode::Backspace));
        assert_eq!(field.text(), "bdi");
        field.handle(&key(KeyCode::Delete));
        assert_eq!((field.text(), field.cursor()), ("bi", 1));
        assert_eq!(
            field.handle(&with(KeyCode::Char('u'), KeyModifiers::CONTROL)),
            Edit::Changed
        );
        assert_eq!(field.text(), "");
    }

    #[test]
    fn typing_over_a_suggested_value_replaces_it() {
        let mut field = TextField::suggested("120");
        assert_eq!(field.text(), "120");
        field.handle(&key(KeyCode::Char('8')));
        field.handle(&key(KeyCode::Char('0')));
        assert_eq!(field.text(), "80");
        // An editing key first keeps the value: Backspace edits it.
        let mut field = TextField::suggested("120");
        field.handle(&key(KeyCode::Backspace));
        field.handle(&key(KeyCode::Char('5')));
        assert_eq!(field.text(), "125");
        // A plain field appends.
        let mut field = TextField::new("12");
        field.handle(&key(KeyCode::Char('5')));
        assert_eq!(field.text(), "125");
    }

    #[test]
    fn home_end_and_word_keys_work_in_every_field() {
        let mut field = TextField::new("budi santoso");
        assert_eq!(field.handle(&key(KeyCode::Home)), Edit::Kept);
        assert_eq!(field.cursor(), 0);
        field.handle(&key(KeyCode::End));
        assert_eq!(field.cursor(), 12);
        field.handle(&with(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(field.text(), "budi ");
        field.set("budi santoso");
        field.handle(&with(KeyCode::Backspace, KeyModifiers::ALT));
        assert_eq!(field.text(), "budi ");
        // Backspace at the start is an editing key that changes nothing
        field.handle(&key(KeyCode::Home));
        assert_eq!(field.handle(&key(KeyCode::Backspace)), Edit::Kept);
        // keys a screen uses are left to it
        assert_eq!(field.handle(&key(KeyCode::Enter)), Edit::NotMine);
        assert_eq!(field.handle(&key(KeyCode::Up)), Edit::NotMine);
        assert_eq!(field.handle(&key(KeyCode::F(2))), Edit::NotMine);
    }

    #[test]
    fn a_long_text_scrolls_to_keep_the_caret_in_view() {
        let field = TextField::new("kecamatan balaraja");
        assert_eq!(field.window(20), ("kecamatan balaraja".to_string(), 18));
        assert_eq!(field.window(8), ("alaraja".to_string(), 7));
        let mut field = field;
        field.handle(&key(KeyCode::Home));
        assert_eq!(field.window(8), ("kecamata".to_string(), 0));
        let mut password = TextField::masked();
        for c in "rahasia".chars() {
            password.handle(&key(KeyCode::Char(c)));
        }
        assert_eq!(password.text(), "rahasia");
        assert_eq!(password.window(20), ("•••••••".to_string(), 7));
    }
}
