//! User-facing text, Bahasa Indonesia first, English selectable. Screens and headless commands
//! never write text inline: each area keeps its strings in one file here, as `Msg` pairs or as
//! functions of the language. `domain` and `db` errors carry data, never sentences: their text
//! is the [`Localized`] impl in the file of their area, and [`Label`] names every stored code.
//! Nothing here does I/O or reads the database.

pub mod auth;
pub mod cli;
pub mod codes;
pub mod cohorts;
pub mod db;
pub mod desk;
pub mod enrollment;
pub mod import;
pub mod menu;
pub mod nik;
pub mod shell;
pub mod supervisor;

/// Bahasa tampilan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "id" | "ind" | "indonesia" => Some(Lang::Id),
            "en" | "eng" | "english" => Some(Lang::En),
            _ => None,
        }
    }
}

/// One message in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Msg {
    pub id: &'static str,
    pub en: &'static str,
}

impl Msg {
    pub const fn new(id: &'static str, en: &'static str) -> Msg {
        Msg { id, en }
    }
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Id => self.id,
            Lang::En => self.en,
        }
    }
}

/// A value told to the person at the desk or the terminal, in their language: every error type
/// of `domain` and `db` implements it here, beside the other text of its area.
pub trait Localized {
    fn text(&self, lang: Lang) -> String;
}

impl Localized for Msg {
    fn text(&self, lang: Lang) -> String {
        self.get(lang).to_string()
    }
}

/// The name of a stored code (a status, a role, a mark) in the screen's language.
pub trait Label: Copy {
    fn label(self, lang: Lang) -> &'static str;
}

/// One of two values built in a text module, by language. Only text modules branch on the
/// language: screens and commands ask for a `Msg` or a function of this directory.
pub fn pick<T>(lang: Lang, id: T, en: T) -> T {
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
}
