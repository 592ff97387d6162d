//! Widgets shared by screens: the text field (`field`), list navigation (`list`), and small
//! drawing helpers: centred popups, the footer, the help overlay, a message box.

pub mod field;
pub mod list;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::keymap::Hint;
use super::text::{Lang, shell};
use super::theme;

pub use field::{Edit, TextField};
pub use list::{ListNav, Move};

/// A rectangle of `width` x `height` centred in `area` (clamped to it).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// htop-style footer: key in reverse colours, label after it. A hint that does not fit whole is
/// left out rather than cut (the help overlay lists every key).
pub fn footer(frame: &mut Frame, area: Rect, hints: &[Hint]) {
    let mut spans = Vec::new();
    let mut used = 0usize;
    for hint in hints.iter().filter(|h| h.footer) {
        let label = format!(" {} ", hint.label);
        let width = hint.key.chars().count() + label.chars().count();
        if used + width > area.width as usize {
            continue;
        }
        used += width;
        spans.push(Span::styled(hint.key.clone(), theme::footer_key()));
        spans.push(Span::styled(label, theme::footer_label()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The help overlay: every key of the screen, then the keys that work everywhere.
pub fn help(frame: &mut Frame, area: Rect, lang: Lang, screen: &[Hint], global: &[Hint]) {
    let mut lines = vec![Line::styled(shell::HELP_TITLE.get(lang), theme::header())];
    let row = |h: &Hint| {
        Line::from(vec![
            Span::styled(format!("  {:<12}", h.key), theme::focused()),
            Span::raw(h.label),
        ])
    };
    lines.extend(screen.iter().map(row));
    lines.push(Line::raw(""));
    lines.push(Line::styled(shell::HELP_GLOBAL.get(lang), theme::header()));
    lines.extend(global.iter().map(row));
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = centered(area, 60, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .title(format!(" {} ", shell::HELP.get(lang)))
                .title_bottom(shell::HELP_CLOSE.get(lang)),
        ),
        popup,
    );
}

/// A message box over the screen (errors the clerk must read).
pub fn message_box(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    body: &str,
    style: ratatui::style::Style,
) {
    let width = 64.min(area.width);
    let lines = (body.len() as u16 / width.saturating_sub(4).max(1)) + 4;
    let popup = centered(area, width, lines.min(area.height));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(body).wrap(Wrap { trim: true }).block(
            Block::bordered()
                .border_style(style)
                .title(format!(" {title} ")),
        ),
        popup,
    );
}
