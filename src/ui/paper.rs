//! The print keys (issue 17): the receipt on the enrollment confirmation and the resident
//! screen, the attendance sheet, certificates and BPJS list on the cohort screen. Gathers
//! through `db::print`, makes the PDF through `crate::print` into the documents folder, sends it
//! to the configured queue and records the audit row, as `loket print` does without `--out`.
//! Runs in the key's handler: a document renders in tens of milliseconds and `lp` only spools.

use ratatui::text::Line;

use super::{Ctx, theme};
use crate::db::print::{self as paper, PrintError, Printable};
use crate::print::{self, Printing, Target, deliver};
use crate::ui::text::Localized;
use crate::ui::text::print as text;

/// What a print key did, for the screen's status line: where the PDF went (`Ok`), or why
/// nothing or not everything happened (`Err`; a PDF that was made is kept and named).
pub type Printed = Result<String, String>;

/// Makes, keeps and prints the gathered document.
pub fn print(ctx: &Ctx, gathered: Result<Printable, PrintError>) -> Printed {
    let lang = ctx.lang;
    let printable = gathered.map_err(|e| e.text(lang))?;
    let document = printable.paper.document();
    let dir = deliver::documents_dir().ok_or_else(|| text::no_documents_dir(lang))?;
    let queue = paper::queue(&ctx.conn, document.paper()).map_err(|e| e.text(lang))?;
    let delivered =
        print::make(&printable, lang, &Target::Office { dir, queue }).map_err(|e| e.text(lang))?;
    paper::record_printed(
        &ctx.conn,
        &ctx.actor,
        &printable,
        &delivered.file,
        delivered.queue(),
    )
    .map_err(|e| e.text(lang))?;
    let message = print::outcome_text(lang, document, &delivered);
    match delivered.printing {
        Printing::NotAsked | Printing::Sent { .. } => Ok(message),
        Printing::NoQueue | Printing::Failed { .. } => Err(message),
    }
}

/// The status line of a print key's outcome.
pub fn line(printed: &Printed) -> Line<'static> {
    match printed {
        Ok(message) => Line::styled(message.clone(), theme::ok()),
        Err(message) => Line::styled(message.clone(), theme::warning()),
    }
}
