//! Colours and styles, in one place. The selected row is reverse video, never faint grey.

use ratatui::style::{Color, Modifier, Style};

pub fn title_bar() -> Style {
    Style::new().fg(Color::Black).bg(Color::Cyan)
}
pub fn footer_key() -> Style {
    Style::new().fg(Color::Black).bg(Color::Cyan)
}
pub fn footer_label() -> Style {
    Style::new()
}
pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}
pub fn header() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}
pub fn warning() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}
pub fn ok() -> Style {
    Style::new().fg(Color::Green)
}
pub fn muted() -> Style {
    Style::new().fg(Color::DarkGray)
}
pub fn focused() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}
