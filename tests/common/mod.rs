//! Helpers shared by the screen tests.

use loket::ui::app::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Renders the app at `width` x `height` and returns the screen as text, one line per row,
/// trailing spaces trimmed (what a snapshot shows).
pub fn screen_text(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| app.render(f)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
