//! Document templates: what goes where on a page, as TOML an office can edit without rebuilding
//! loket. The defaults ship in `assets/templates/`; a file of the same name in the office's
//! template folder (`<config dir>/templates/`, see [`office_dir`]) takes precedence. A template
//! holds the page (size, margins, letterhead), the order of blocks (titles, field lists, tables,
//! signature blocks, a QR code) and their wording: `{cohort.code}` puts in a value of the
//! document, `{t.title}` a label in the chosen language (or write your own words instead).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::domain::paper::Document;

/// The shipped default of each document.
fn shipped(document: Document) -> &'static str {
    match document {
        Document::Receipt => include_str!("../../assets/templates/receipt.toml"),
        Document::Attendance => include_str!("../../assets/templates/attendance.toml"),
        Document::Certificates => include_str!("../../assets/templates/certificates.toml"),
        Document::BpjsList => include_str!("../../assets/templates/bpjs.toml"),
    }
}

/// The template file name of a document (`receipt.toml`...).
pub fn file_name(document: Document) -> String {
    format!("{}.toml", document.code())
}

/// The office's configuration folder: `LOKET_CONFIG_DIR` when set, else the platform's (on
/// Linux `~/.config/loket`).
pub fn config_dir() -> Option<PathBuf> {
    match std::env::var_os("LOKET_CONFIG_DIR") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => directories::ProjectDirs::from("id", "loket", "loket")
            .map(|d| d.config_dir().to_path_buf()),
    }
}

/// Where office copies of the templates go: `<config dir>/templates`.
pub fn office_dir() -> Option<PathBuf> {
    config_dir().map(|d| d.join("templates"))
}

/// A template as read, with the file it came from (None: the shipped default).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub template: Template,
    pub source: Option<PathBuf>,
}

/// Why a template could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The office's file, or None for a shipped template.
    pub file: Option<PathBuf>,
    pub message: String,
}

/// Reads the office's copy of a document's template if there is one, else the shipped default.
pub fn load(document: Document) -> Result<Loaded, TemplateError> {
    let office = office_dir()
        .map(|dir| dir.join(file_name(document)))
        .filter(|p| p.is_file());
    match office {
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(|e| TemplateError {
                file: Some(path.clone()),
                message: e.to_string(),
            })?;
            let template = parse(&text).map_err(|message| TemplateError {
                file: Some(path.clone()),
                message,
            })?;
            Ok(Loaded {
                template,
                source: Some(path),
            })
        }
        None => Ok(Loaded {
            template: parse(shipped(document)).map_err(|message| TemplateError {
                file: None,
                message,
            })?,
            source: None,
        }),
    }
}

/// The shipped default template's text (to copy into the office folder).
pub fn default_text(document: Document) -> &'static str {
    shipped(document)
}

pub fn parse(text: &str) -> Result<Template, String> {
    toml::from_str(text).map_err(|e| e.to_string())
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub page: PageSpec,
    #[serde(default)]
    pub letterhead: LetterheadSpec,
    /// Lays the blocks out once per element of a list (a certificate per graduate, a sheet per
    /// group of training days), each on new pages.
    pub repeat: Option<Repeat>,
    #[serde(default, rename = "block")]
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSpec {
    /// `A4` or `A5`.
    pub size: String,
    #[serde(default)]
    pub landscape: bool,
    #[serde(default = "default_margin")]
    pub margin_mm: f32,
    #[serde(default = "default_font_size")]
    pub font_size: f32,
    /// A line at the top of every page after the first (the header repeated over pages).
    #[serde(default)]
    pub running_header: String,
    /// A line at the foot of every page; `{page}` and `{pages}` number it.
    #[serde(default)]
    pub footer: String,
}

fn default_margin() -> f32 {
    15.0
}

fn default_font_size() -> f32 {
    10.0
}

/// Kop surat: its text comes from the settings; the template says whether and how big.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterheadSpec {
    /// `first` (the first page of each repetition), `every` page, or `none`.
    #[serde(default = "default_letterhead")]
    pub on: String,
    #[serde(default = "default_logo")]
    pub logo_mm: f32,
    #[serde(default = "default_government_size")]
    pub government_size: f32,
    #[serde(default = "default_office_size")]
    pub office_size: f32,
    #[serde(default = "default_address_size")]
    pub address_size: f32,
}

impl Default for LetterheadSpec {
    fn default() -> Self {
        LetterheadSpec {
            on: default_letterhead(),
            logo_mm: default_logo(),
            government_size: default_government_size(),
            office_size: default_office_size(),
            address_size: default_address_size(),
        }
    }
}

fn default_letterhead() -> String {
    "first".into()
}
fn default_logo() -> f32 {
    20.0
}
fn default_government_size() -> f32 {
    12.0
}
fn default_office_size() -> f32 {
    14.0
}
fn default_address_size() -> f32 {
    8.5
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repeat {
    /// The list (`graduates`, `days`).
    pub over: String,
    /// Groups of this many elements per repetition (`{item.list}`, `{item.number}`,
    /// `{item.count}`); without it each element is one repetition (`{item.name}`...).
    pub chunk: Option<usize>,
}

/// Left, centre or right.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// One piece of a page, laid out top to bottom.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Block {
    /// A heading: bold, centred unless told otherwise.
    Title {
        text: String,
        size: Option<f32>,
        #[serde(default = "center")]
        align: Align,
    },
    /// A paragraph, wrapped to the page.
    Text {
        text: String,
        size: Option<f32>,
        #[serde(default)]
        bold: bool,
        #[serde(default)]
        align: Align,
    },
    /// Label and value pairs; a pair whose value is empty is left out.
    Fields {
        rows: Vec<(String, String)>,
        #[serde(default = "default_label_width")]
        label_mm: f32,
        size: Option<f32>,
    },
    /// A bulleted list of the strings in a list of the document.
    List {
        #[serde(default)]
        title: String,
        items: String,
        size: Option<f32>,
    },
    /// A table over a list of the document (`{row.*}`, `{row.no}` counts from 1); its header
    /// is repeated on every page it runs over.
    Table {
        rows: String,
        columns: Vec<Column>,
        /// A last row (totals), one text per column.
        #[serde(default)]
        footer: Vec<String>,
        size: Option<f32>,
        #[serde(default)]
        row_height_mm: f32,
    },
    /// Signature blocks side by side.
    Signatures {
        blocks: Vec<Signature>,
        #[serde(default = "default_sign_space")]
        space_mm: f32,
        size: Option<f32>,
    },
    /// A QR code of a value.
    Qr {
        value: String,
        #[serde(default = "default_qr")]
        size_mm: f32,
        #[serde(default = "center")]
        align: Align,
        #[serde(default)]
        caption: String,
    },
    /// Empty space.
    Space { mm: f32 },
    /// The next block starts on a new page.
    Pagebreak,
}

fn center() -> Align {
    Align::Center
}
fn default_label_width() -> f32 {
    40.0
}
fn default_sign_space() -> f32 {
    18.0
}
fn default_qr() -> f32 {
    25.0
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Header text; a `\n` breaks it.
    pub header: String,
    /// The cell's text.
    #[serde(default)]
    pub value: String,
    /// Fixed width; columns without one share the rest of the line.
    pub width_mm: Option<f32>,
    #[serde(default)]
    pub align: Align,
    /// One column per element of this list (`{col.*}` names the element).
    pub over: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// Lines above the space for the signature (place and date, position).
    #[serde(default)]
    pub above: Vec<String>,
    /// The signer's name, bold, under the space.
    #[serde(default)]
    pub name: String,
    /// Lines under the name (NIP).
    #[serde(default)]
    pub below: Vec<String>,
}

/// Values a template can name: the document's data, with names bound while laying out a
/// repetition, a table row or a column (`item`, `row`, `col`).
pub struct Scope<'a> {
    pub data: &'a Value,
    pub bound: Vec<(&'static str, Value)>,
}

impl Scope<'_> {
    /// The value at a dotted path (`cohort.code`, `row.name`, `t.title`).
    pub fn lookup(&self, path: &str) -> Option<&Value> {
        let mut parts = path.split('.');
        let first = parts.next()?;
        let mut value = self
            .bound
            .iter()
            .rev()
            .find(|(name, _)| *name == first)
            .map(|(_, v)| v)
            .or_else(|| self.data.get(first))?;
        for part in parts {
            value = match value {
                Value::Object(map) => map.get(part)?,
                Value::Array(list) => list.get(part.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(value)
    }

    /// The list at a path (an empty list when the path holds none).
    pub fn list(&self, path: &str) -> Result<Vec<Value>, String> {
        match self.lookup(path) {
            Some(Value::Array(list)) => Ok(list.clone()),
            Some(_) => Err(format!("'{path}' is not a list")),
            None => Err(format!("unknown list '{path}'")),
        }
    }

    /// Fills the `{path}` places of a text; `{{` and `}}` are braces. An unknown name is an
    /// error naming it, so a mistyped office template is noticed rather than printed.
    pub fn fill(&self, text: &str) -> Result<String, String> {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(i) = rest.find(['{', '}']) {
            out.push_str(&rest[..i]);
            let tail = &rest[i..];
            if tail.starts_with("{{") || tail.starts_with("}}") {
                out.push(tail.as_bytes()[0] as char);
                rest = &tail[2..];
                continue;
            }
            if tail.starts_with('}') {
                return Err(format!("a '}}' without its '{{' in \"{text}\""));
            }
            let end = tail
                .find('}')
                .ok_or_else(|| format!("a '{{' without its '}}' in \"{text}\""))?;
            let path = tail[1..end].trim();
            match self.lookup(path) {
                Some(value) => out.push_str(&plain(value)),
                None => return Err(format!("unknown name {{{path}}}")),
            }
            rest = &tail[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// A value as text: strings as they are, numbers written out, nothing for null.
pub fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// The file a document's template is read from now (for messages and the README).
pub fn source_label(source: &Option<PathBuf>, document: Document) -> String {
    match source {
        Some(path) => path.display().to_string(),
        None => Path::new("assets/templates")
            .join(file_name(document))
            .display()
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shipped_templates_parse() {
        for document in Document::ALL {
            let template = parse(shipped(document));
            assert!(template.is_ok(), "{document:?}: {template:?}");
        }
    }

    #[test]
    fn fill_puts_in_values_and_refuses_unknown_names() {
        let data = json!({"cohort": {"code": "TBS-01"}, "t": {"title": "Daftar"}, "n": 3});
        let mut scope = Scope {
            data: &data,
            bound: Vec::new(),
        };
        scope.bound.push(("row", json!({"name": "SITI"})));
        assert_eq!(
            scope.fill("{t.title} {cohort.code}: {row.name} ({n}) {{x}}"),
            Ok("Daftar TBS-01: SITI (3) {x}".to_string())
        );
        assert_eq!(
            scope.fill("{cohort.kode}"),
            Err("unknown name {cohort.kode}".to_string())
        );
        assert!(scope.fill("{open").is_err());
    }
}
