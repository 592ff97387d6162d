//! User-facing text, Bahasa Indonesia first, English selectable. Screens never write text inline:
//! each area keeps its strings in one file here, as `Msg` pairs.

pub mod auth;
pub mod cohorts;
pub mod desk;
pub mod import;
pub mod menu;
pub mod print;
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
