//! The one way a headless command prints. Text goes out with its control characters escaped, so
//! a name holding `ESC ] 0 ; ... BEL` shows as `\x1b]0;...\x07` instead of retitling (or worse)
//! the operator's terminal; JSON goes out as serde writes it, with DEL and the C1 controls also
//! escaped. A reader that stops early (`loket nik ... | head -1`) closes standard output: that
//! is [`Closed`], which ends the command quietly with status 0 (the reader got what it asked
//! for), never a panic. Nothing in `cli` uses `println!`/`eprintln!` (clippy refuses them).

use std::fmt::Write as _;
use std::io::{ErrorKind, Write};

use thiserror::Error;

/// Standard output was closed by its reader. `cli::main` ends the command with status 0 and
/// prints nothing more.
#[derive(Debug, Error)]
#[error("standard output closed")]
pub struct Closed;

/// `text` with every control character (C0, DEL, C1: `char::is_control`) written as an escape:
/// `\t`, `\n`, `\r`, `\x1b`, `\u{9b}`. Everything else, backslashes included, is kept.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x80 && c.is_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.into()
}

/// Lines of text on standard output, each escaped (a line never holds a line break of its
/// own: one inside a value shows as `\n`), written at once.
pub fn lines<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> anyhow::Result<()> {
    let mut text = String::new();
    for line in lines {
        text.push_str(&escape_controls(line.as_ref()));
        text.push('\n');
    }
    write_stdout(text.as_bytes())
}

/// One line of text on standard output, escaped.
pub fn line(text: &str) -> anyhow::Result<()> {
    lines([text])
}

/// A value as JSON on one line of standard output. serde escapes the C0 controls inside
/// strings; DEL and C1 (which some terminals obey too) become `\u007f`...: the same JSON value.
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let text = serde_json::to_string(value)?;
    let mut safe = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        if c.is_control() {
            let _ = write!(safe, "\\u{:04x}", c as u32);
        } else {
            safe.push(c);
        }
    }
    safe.push('\n');
    write_stdout(safe.as_bytes())
}

/// A message for the person at the terminal on standard error, escaped (it may echo what they
/// typed). A closed standard error has nobody to tell: that is ignored.
pub fn error(text: &str) {
    let mut line = escape_controls(text).into_owned();
    line.push('\n');
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// A progress line on standard error, redrawn in place: `text` is loket's own (numbers and
/// words, with the `\r` that returns to the line's start), so it is written as it is.
pub fn progress(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Err(Closed.into()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(escape_controls("SITI AMINAH"), "SITI AMINAH");
        assert_eq!(
            escape_controls("A\u{1b}]0;owned\u{7}B"),
            "A\\x1b]0;owned\\x07B"
        );
        assert_eq!(escape_controls("a\tb\nc\rd\u{7f}"), "a\\tb\\nc\\rd\\x7f");
        assert_eq!(escape_controls("x\u{9b}31m"), "x\\u{9b}31m");
        assert_eq!(escape_controls("C:\\data é ñ 日本"), "C:\\data é ñ 日本");
    }
}
