//! `loket counter`: this PC's counter (desk), which registrations, enrollments and audit rows
//! record (issue 18). `--counter OFFICE/NAME` (or `LOKET_COUNTER`) names it for one run, as an
//! SSH setup does per key; otherwise `loket counter set` keeps it in `<config dir>/counter`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::domain::counter::Counter;
use crate::print::template::config_dir;
use crate::ui::text::{self, Lang};

use super::failure::BadArgument;
use super::{Global, out, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Show this PC's counter (the default)
    Show,
    /// Name this PC's counter: the office's kecamatan code and the desk's name
    Set {
        /// Kecamatan code of the office, e.g. 36.03.04
        office: String,
        /// The desk's name, e.g. "Loket 1"
        name: String,
    },
    /// Forget this PC's counter
    Clear,
}

/// The file that keeps it.
fn file() -> Option<PathBuf> {
    config_dir().map(|d| d.join("counter"))
}

/// This PC's counter for this run: `--counter`/`LOKET_COUNTER`, else the file, else none. A
/// value that does not read is refused with where it came from, never silently dropped.
pub fn this_counter(global: &Global) -> anyhow::Result<Option<Counter>> {
    let lang = global.lang();
    if let Some(given) = global.counter.as_deref().filter(|c| !c.trim().is_empty()) {
        return given
            .parse()
            .map(Some)
            .map_err(|_| BadArgument(text::cli::bad_counter(lang, given, None)).into());
    }
    let Some(path) = file() else { return Ok(None) };
    match std::fs::read_to_string(&path) {
        Ok(kept) => kept.trim().parse().map(Some).map_err(|_| {
            BadArgument(text::cli::bad_counter(lang, kept.trim(), Some(&path))).into()
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    match &args.action {
        None | Some(Action::Show) => {}
        Some(Action::Set { office, name }) => {
            let counter = Counter::new(office, name).map_err(|_| {
                BadArgument(text::cli::bad_counter(
                    lang,
                    &format!("{office}/{name}"),
                    None,
                ))
            })?;
            let path = file().ok_or_else(|| anyhow::anyhow!(text::cli::NO_DATA_DIR.get(lang)))?;
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&path, format!("{counter}\n"))?;
        }
        Some(Action::Clear) => {
            if let Some(path) = file().filter(|p| p.exists()) {
                std::fs::remove_file(path)?;
            }
        }
    }
    let counter = this_counter(global)?;
    if args.json {
        print_json(&serde_json::json!({
            "counter": counter.as_ref().map(Counter::to_string),
            "office": counter.as_ref().map(|c| c.office.clone()),
            "name": counter.as_ref().map(|c| c.name.clone()),
        }))?;
    } else {
        out::line(&text::cli::counter_is(lang, counter.as_ref()))?;
    }
    Ok(ExitCode::SUCCESS)
}
