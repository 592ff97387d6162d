//! Impor penduduk: the path of a CSV/XLSX resident list, two options, then the import runs on a
//! worker thread with its own connection (db::import) and reports progress to this screen
//! (`Reply::Import`), even while the menu or the lock screen covers it: a bar with rows/s and
//! the time left; Esc cancels (rows read so far stay saved, a re-run finishes the job). Rejected
//! rows go to `<file>.ditolak.csv` beside the file. Never writes SQL and never blocks the loop on
//! the import.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Gauge, Paragraph, Wrap};

use crate::db::import;
use crate::ui::keymap::{Binding, Hint, hints, lookup};
use crate::ui::text::{Lang, Localized, import as text};
use crate::ui::widgets::{Edit, TextField};
use crate::ui::{Ctx, Nav, Reply, Screen, ScreenId, theme};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Start,
    ToggleUpdate,
    ToggleWarnings,
    Clear,
    Cancel,
}

const KEYS: &[Binding<Action>] = &[
    Binding::new(KeyCode::Enter, Action::Start, "Enter", text::START),
    Binding::new(
        KeyCode::F(2),
        Action::ToggleUpdate,
        "F2",
        text::TOGGLE_UPDATE,
    ),
    Binding::new(
        KeyCode::F(3),
        Action::ToggleWarnings,
        "F3",
        text::TOGGLE_WARNINGS,
    ),
    Binding::ctrl('u', Action::Clear, "Ctrl-U", text::CLEAR).help_only(),
    Binding::new(KeyCode::Esc, Action::Cancel, "Esc", text::BACK),
];

const RUNNING_KEYS: &[Binding<Action>] = &[Binding::new(
    KeyCode::Esc,
    Action::Cancel,
    "Esc",
    text::CANCEL,
)];

/// What the worker sends back.
#[derive(Debug)]
pub enum ImportMsg {
    Progress(import::Progress),
    Finished(Result<import::Summary, String>),
}

enum Phase {
    Editing,
    Running {
        cancel: Arc<AtomicBool>,
        progress: Option<import::Progress>,
    },
    Done(import::Summary),
    Failed(String),
}

pub struct ImportScreen {
    /// This screen's address, where the worker reports.
    me: ScreenId,
    path: TextField,
    update_existing: bool,
    accept_warnings: bool,
    phase: Phase,
    notice: Option<&'static str>,
}

impl ImportScreen {
    pub fn new(_ctx: &Ctx) -> ImportScreen {
        ImportScreen {
            me: ScreenId::default(),
            path: TextField::default(),
            update_existing: false,
            accept_warnings: false,
            phase: Phase::Editing,
            notice: None,
        }
    }

    /// `data/penduduk.xlsx` -> `data/penduduk.ditolak.csv`.
    fn rejects_path(file: &Path) -> PathBuf {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        file.with_file_name(format!("{stem}.ditolak.csv"))
    }

    fn running(&self) -> bool {
        matches!(self.phase, Phase::Running { .. })
    }

    fn start(&mut self, ctx: &Ctx) -> Nav {
        let file = PathBuf::from(self.path.text().trim());
        if self.path.text().trim().is_empty() {
            self.notice = Some(ctx.t(text::NO_FILE));
            return Nav::Stay;
        }
        let cancel = Arc::new(AtomicBool::new(false));
        let mut opts = import::ImportOptions::new(ctx.today, file.display().to_string());
        opts.update_existing = self.update_existing;
        opts.accept_warnings = self.accept_warnings;
        opts.cancel = Some(cancel.clone());
        let counter = ctx.conn.counter();
        let (store, actor, lang, reply_to) = (
            ctx.store.clone(),
            ctx.actor.clone(),
            ctx.lang,
            ctx.reply_to(self.me),
        );
        std::thread::spawn(move || {
            let send = |msg: ImportMsg| {
                reply_to.send(Reply::Import(msg));
            };
            let result = (|| {
                let conn = store.open()?;
                conn.set_counter(counter);
                let mut source = import::open_source(&file)?;
                opts.bulk = import::bulk_recommended(&conn, source.as_ref())?;
                let mut rejects = import::RejectsWriter::create(
                    &Self::rejects_path(&file),
                    &file,
                    Box::new(move |p| crate::ui::text::resident::reasons(p, lang)),
                )?;
                let mut last = Instant::now();
                import::import_residents(
                    &conn,
                    &actor,
                    source.as_mut(),
                    Some(&mut rejects),
                    &opts,
                    &mut |p| {
                        if last.elapsed() >= Duration::from_millis(100) {
                            last = Instant::now();
                            send(ImportMsg::Progress(*p));
                        }
                    },
                    &mut |_| {},
                )
            })();
            let result = result.map_err(|e: import::ImportError| e.text(lang));
            send(ImportMsg::Finished(result));
        });
        self.notice = None;
        self.phase = Phase::Running {
            cancel,
            progress: None,
        };
        Nav::Stay
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn counts_line(c: &import::Counts, ctx: &Ctx) -> Line<'static> {
    Line::from(vec![
        Span::raw(format!(
            "{} {}  ",
            ctx.t(text::IMPORTED),
            thousands(c.imported)
        )),
        Span::raw(format!(
            "{} {}  ",
            ctx.t(text::UPDATED),
            thousands(c.updated)
        )),
        Span::raw(format!(
            "{} {}  ",
            ctx.t(text::UNCHANGED),
            thousands(c.unchanged)
        )),
        Span::styled(
            format!("{} {}", ctx.t(text::REJECTED), thousands(c.rejected)),
            if c.rejected > 0 {
                theme::warning()
            } else {
                theme::ok()
            },
        ),
    ])
}

impl Screen for ImportScreen {
    fn title(&self, lang: Lang) -> String {
        text::TITLE.get(lang).to_string()
    }
    fn hints(&self, lang: Lang) -> Vec<Hint> {
        hints(if self.running() { RUNNING_KEYS } else { KEYS }, lang)
    }
    fn captures_text(&self) -> bool {
        matches!(
            self.phase,
            Phase::Editing | Phase::Done(_) | Phase::Failed(_)
        )
    }
    fn attach(&mut self, me: ScreenId) {
        self.me = me;
    }
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Nav {
        if let Phase::Running { cancel, .. } = &self.phase {
            if lookup(RUNNING_KEYS, &key) == Some(Action::Cancel) {
                cancel.store(true, Ordering::Relaxed);
                self.notice = Some(ctx.t(text::CANCELLING));
            }
            return Nav::Stay;
        }
        match lookup(KEYS, &key) {
            Some(Action::Start) => return self.start(ctx),
            Some(Action::ToggleUpdate) => self.update_existing = !self.update_existing,
            Some(Action::ToggleWarnings) => self.accept_warnings = !self.accept_warnings,
            Some(Action::Clear) => self.path.clear(),
            Some(Action::Cancel) => return Nav::Ignored,
            None => match self.path.handle(&key) {
                Edit::Changed => {}
                Edit::Kept => return Nav::Stay,
                Edit::NotMine => return Nav::Ignored,
            },
        }
        if !matches!(self.phase, Phase::Editing) {
            self.phase = Phase::Editing;
        }
        Nav::Stay
    }
    fn handle_reply(&mut self, reply: Reply, _ctx: &mut Ctx) -> Nav {
        let Reply::Import(msg) = reply else {
            return Nav::Stay;
        };
        match msg {
            ImportMsg::Progress(p) => {
                if let Phase::Running { progress, .. } = &mut self.phase {
                    *progress = Some(p);
                }
            }
            ImportMsg::Finished(Ok(summary)) => {
                self.notice = None;
                self.phase = Phase::Done(summary);
            }
            ImportMsg::Finished(Err(message)) => {
                self.notice = None;
                self.phase = Phase::Failed(message);
            }
        }
        Nav::Stay
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let block = Block::bordered().title(format!(" {} ", ctx.t(text::TITLE)));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [form, bar, status] = Layout::vertical([
            Constraint::Length(6),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(inner);
        let check = |on: bool| if on { "[x]" } else { "[ ]" };
        let label = format!("{}: ", ctx.t(text::FILE));
        let typed = self.path.text().trim();
        let rejects = if typed.is_empty() {
            String::new()
        } else {
            Self::rejects_path(Path::new(typed)).display().to_string()
        };
        let lines = vec![
            Line::styled(label.clone(), theme::header()),
            Line::raw(format!(
                "{} F2 {}",
                check(self.update_existing),
                ctx.t(text::UPDATE_EXISTING)
            )),
            Line::raw(format!(
                "{} F3 {}",
                check(self.accept_warnings),
                ctx.t(text::ACCEPT_WARNINGS)
            )),
            Line::raw(format!("{}: {rejects}", ctx.t(text::REJECTS_TO))),
            Line::styled(ctx.t(text::HINT), theme::muted()),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), form);
        let mut info: Vec<Line> = Vec::new();
        match &self.phase {
            Phase::Editing => {}
            Phase::Running { progress, .. } => {
                let (ratio, read, rate, eta) = match progress {
                    Some(p) => {
                        let secs = p.elapsed.as_secs_f64().max(0.001);
                        let rate = p.counts.read as f64 / secs;
                        let fraction = p.fraction.unwrap_or(0.0).clamp(0.0, 1.0);
                        let eta = (fraction > 0.0).then(|| secs * (1.0 - fraction) / fraction);
                        (fraction, p.counts.read, rate, eta)
                    }
                    None => (0.0, 0, 0.0, None),
                };
                let eta = match eta {
                    _ if ratio >= 1.0 => format!(" · {}", ctx.t(text::INDEXING)),
                    Some(s) => format!(
                        " · {} {:02}:{:02}",
                        ctx.t(text::ETA),
                        s as u64 / 60,
                        s as u64 % 60
                    ),
                    None => String::new(),
                };
                let gauge = Gauge::default()
                    .gauge_style(theme::focused())
                    .ratio(ratio)
                    .label(format!("{:.0}%", ratio * 100.0));
                frame.render_widget(gauge, bar);
                info.push(Line::raw(format!(
                    "{} {} · {:.0} {}{eta}",
                    ctx.t(text::READ),
                    thousands(read),
                    rate,
                    ctx.t(text::ROWS_PER_S)
                )));
                if let Some(p) = progress {
                    info.push(counts_line(&p.counts, ctx));
                }
                info.push(Line::styled(ctx.t(text::RUNNING), theme::muted()));
            }
            Phase::Done(summary) => {
                let c = &summary.counts;
                let done = if summary.cancelled {
                    ctx.t(text::CANCELLED)
                } else {
                    ctx.t(text::DONE)
                };
                info.push(Line::styled(
                    done,
                    if summary.cancelled {
                        theme::warning()
                    } else {
                        theme::ok()
                    },
                ));
                info.push(Line::raw(format!(
                    "{} {}",
                    ctx.t(text::READ),
                    thousands(c.read)
                )));
                info.push(counts_line(c, ctx));
                if !summary.ignored_columns.is_empty() {
                    info.push(Line::styled(
                        text::ignored_columns(ctx.lang, &summary.ignored_columns),
                        theme::warning(),
                    ));
                }
            }
            Phase::Failed(message) => {
                info.push(Line::styled(ctx.t(text::FAILED), theme::error()));
                info.push(Line::raw(message.clone()));
            }
        }
        if let Some(notice) = self.notice {
            info.push(Line::styled(notice, theme::warning()));
        }
        frame.render_widget(Paragraph::new(info).wrap(Wrap { trim: true }), status);
        let label_width = label.chars().count() as u16;
        let field = Rect::new(
            form.x + label_width,
            form.y,
            form.width.saturating_sub(label_width),
            1,
        );
        self.path
            .render(frame, field, Style::new(), !self.running());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_beside_the_file() {
        assert_eq!(
            ImportScreen::rejects_path(Path::new("/data/penduduk.xlsx")),
            PathBuf::from("/data/penduduk.ditolak.csv")
        );
        assert_eq!(thousands(1234567), "1.234.567");
        assert_eq!(thousands(12), "12");
    }
}
