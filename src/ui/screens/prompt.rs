//! A one-line question over the screen (a KPJ number, a reason, a file name, or just Enter to
//! confirm). It answers the screen below with a `PromptReply`; it never changes data itself.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::line_input::LineInput;
use crate::ui::keymap::Hint;
use crate::ui::text::{Lang, supervisor as text};
use crate::ui::{Ctx, Nav, Screen, widgets};

/// The answer: which question (the asker's own tag) and the text typed.
pub struct PromptReply {
    pub tag: u32,
    pub text: String,
}

pub struct Prompt {
    tag: u32,
    title: String,
    question: String,
    /// None: a confirmation, Enter alone answers.
    input: Option<LineInput>,
}

impl Prompt {
    /// Asks for a line of text, starting with `initial`.
    pub fn text(tag: u32, title: String, question: String, initial: &str) -> Prompt {
        Prompt {
            tag,
            title,
            question,
            input: Some(LineInput::new(initial)),
        }
    }
    /// Asks Enter to go on.
    pub fn confirm(tag: u32, title: String, question: String) -> Prompt {
        Prompt {
            tag,
            title,
            question,
            input: None,
        }
    }
}

impl Screen for Prompt {
    fn title(&self, _lang: Lang) -> String {
        self.title.clone()
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        vec![Hint {
            key: "Enter/Esc",
            label: text::PROMPT_KEYS.get(lang),
            footer: true,
        }]
    }
    fn is_modal(&self) -> bool {
        true
    }
    fn captures_text(&self) -> bool {
        self.input.is_some()
    }
    fn handle_key(&mut self, key: KeyEvent, _ctx: &mut Ctx) -> Nav {
        match key.code {
            KeyCode::Esc => Nav::Pop,
            KeyCode::Enter => Nav::PopWith(Box::new(PromptReply {
                tag: self.tag,
                text: self
                    .input
                    .as_ref()
                    .map(|i| i.text().trim().to_string())
                    .unwrap_or_default(),
            })),
            _ => {
                if let Some(input) = &mut self.input {
                    input.handle(&key);
                }
                Nav::Stay
            }
        }
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let popup = widgets::centered(area, 66, 7);
        frame.render_widget(Clear, popup);
        let mut lines = vec![Line::raw(self.question.clone()), Line::raw("")];
        match &self.input {
            Some(input) => lines.push(Line::raw(format!("> {}", input.text()))),
            None => lines.push(Line::raw(ctx.t(text::CONFIRM_PROMPT))),
        }
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::bordered().title(format!(" {} ", self.title))),
            popup,
        );
        if let Some(input) = &self.input {
            let x = popup.x + 3 + input.cursor() as u16;
            frame.set_cursor_position((x.min(popup.right().saturating_sub(2)), popup.y + 3));
        }
    }
}
