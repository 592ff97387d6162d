//! Paper (issue 17): turns a document gathered by `db::print` into a PDF through its template
//! (`template.rs`, office-editable TOML), lays it out (`layout.rs`) in the embedded fonts
//! (`fonts.rs`) and writes it (`pdf.rs`), then puts it where it belongs (`deliver.rs`: a file,
//! the documents folder, the printer). Knows no SQL: the TUI and `loket print` gather the data,
//! call [`make`], and record the audit row with `db::print::record_printed`.

pub mod deliver;
mod fonts;
mod image;
mod layout;
mod pdf;
mod qr;
pub mod template;
pub mod view;

use std::path::PathBuf;

use crate::db::print::Printable;
use crate::domain::paper::Document;
use crate::ui::text::Lang;
use crate::ui::text::print as text;
pub use deliver::{Delivered, Printing, Target};

/// Why no PDF was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintFailure {
    /// The template (the office's copy, or the shipped one) cannot be read or laid out.
    Template {
        document: Document,
        file: String,
        message: String,
    },
    /// The logo set in `letterhead.logo` cannot be read.
    Logo { file: PathBuf, message: String },
    /// The PDF could not be written.
    Write { file: PathBuf, message: String },
    /// Neither `--out` nor a documents folder.
    NoDocumentsDir,
}

impl PrintFailure {
    /// A stable machine word for scripts (`loket print`'s failures).
    pub fn code(&self) -> &'static str {
        match self {
            PrintFailure::Template { .. } => "template_unusable",
            PrintFailure::Logo { .. } => "logo_unusable",
            PrintFailure::Write { .. } => "write_failed",
            PrintFailure::NoDocumentsDir => "no_documents_dir",
        }
    }

    /// The failure in the operator's language.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            PrintFailure::Template {
                document,
                file,
                message,
            } => text::template_failed(lang, *document, file, message),
            PrintFailure::Logo { file, message } => text::logo_failed(lang, file, message),
            PrintFailure::Write { file, message } => text::write_failed(lang, file, message),
            PrintFailure::NoDocumentsDir => text::no_documents_dir(lang),
        }
    }
}

/// Renders a document as PDF bytes, in `lang`, through its template.
pub fn render(printable: &Printable, lang: Lang) -> Result<Vec<u8>, PrintFailure> {
    let document = printable.paper.document();
    let loaded = template::load(document).map_err(|e| PrintFailure::Template {
        document,
        file: template::source_label(&e.file, document),
        message: e.message,
    })?;
    let failed = |message: String| PrintFailure::Template {
        document,
        file: template::source_label(&loaded.source, document),
        message,
    };
    let mut images = Vec::new();
    if let Some(file) = &printable.office.letterhead.logo {
        let picture = image::load(file).map_err(|message| PrintFailure::Logo {
            file: file.clone(),
            message,
        })?;
        images.push(picture);
    }
    let fonts = fonts::Fonts::load().map_err(failed)?;
    let data = view::values(printable, lang);
    let letterhead = &printable.office.letterhead;
    let kop = layout::Kop {
        government: &letterhead.government,
        office: &letterhead.office,
        address: &letterhead.address,
        logo: (!images.is_empty()).then_some(0),
    };
    let mut layout = layout::Layout::new(&fonts, &loaded.template, kop, images).map_err(failed)?;
    layout.run(&data).map_err(failed)?;
    let items = layout.run_items(&data).map_err(failed)?;
    let canvas = layout.finish(&data, &items).map_err(failed)?;
    let title = format!(
        "{} {}",
        text::document_name(lang, document),
        printable.paper.cohort().cohort.code
    );
    canvas.write(&fonts, &title).map_err(failed)
}

/// The file name (without folder) a document is kept under.
pub fn file_stem(printable: &Printable) -> String {
    let subject = match &printable.paper {
        crate::db::print::Paperwork::Receipt(r) => r.reference.clone(),
        other => other.cohort().cohort.code.clone(),
    };
    text::file_stem(printable.paper.document(), &subject, printable.printed_at)
}

/// Renders and delivers a document: the work of one print key or one `loket print`, safe to
/// run off the UI thread (it touches no database).
pub fn make(printable: &Printable, lang: Lang, target: &Target) -> Result<Delivered, PrintFailure> {
    let pdf = render(printable, lang)?;
    deliver::deliver(&pdf, &file_stem(printable), target).map_err(|e| PrintFailure::Write {
        file: e.file,
        message: e.message,
    })
}

/// Where a delivered document went, or why its paper did not print, in `lang`.
pub fn outcome_text(lang: Lang, document: Document, delivered: &Delivered) -> String {
    let file = &delivered.file;
    match &delivered.printing {
        Printing::NotAsked => text::delivered(lang, document, file, None),
        Printing::Sent { queue } => text::delivered(lang, document, file, Some(queue)),
        Printing::NoQueue => text::no_queue(lang, document.paper(), file),
        Printing::Failed { queue, why } => {
            let why = match why {
                deliver::LpFailure::NotStarted(e) => text::lp_missing(lang, e),
                deliver::LpFailure::Refused { status, stderr } => {
                    text::lp_refused(lang, status, stderr)
                }
            };
            text::print_failed(lang, queue, &why, file)
        }
    }
}
