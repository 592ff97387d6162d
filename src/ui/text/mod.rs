//! User-facing text, Bahasa Indonesia first, English selectable. Screens and headless commands
//! never write text inline: each area keeps its strings in one file here, as `Msg` pairs or as
//! functions of the language. `domain` and `db` errors carry data, never sentences: their text
//! is the [`Localized`] impl in the file of their area, and [`Label`] names every stored code.
//! Nothing here does I/O or reads the database.

pub mod admin;
pub mod auth;
pub mod cli;
pub mod codes;
pub mod cohort_run;
pub mod cohorts;
pub mod dashboard;
pub mod db;
pub mod desk;
pub mod enrollment;
pub mod import;
pub mod menu;
pub mod nik;
pub mod print;
pub mod resident;
pub mod search;
pub mod shell;
pub mod store;
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

/// A sentence held in both languages, for screen state built before it is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Both {
    pub id: String,
    pub en: String,
}

impl Both {
    pub fn msg(msg: Msg) -> Both {
        Both {
            id: msg.id.to_string(),
            en: msg.en.to_string(),
        }
    }
    /// Text built by a function of the language.
    pub fn each(text: impl Fn(Lang) -> String) -> Both {
        Both {
            id: text(Lang::Id),
            en: text(Lang::En),
        }
    }
    /// An error or a warning, told in both languages.
    pub fn of(value: &impl Localized) -> Both {
        Both {
            id: value.text(Lang::Id),
            en: value.text(Lang::En),
        }
    }
    /// Text that reads the same in both (a mark, a number).
    pub fn same(text: &str) -> Both {
        Both {
            id: text.to_string(),
            en: text.to_string(),
        }
    }
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Id => &self.id,
            Lang::En => &self.en,
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

/// An error for the person at the terminal or the desk, in their language: the one place that
/// knows every error type. An error no type here names (I/O, clap) keeps its own chain.
pub fn describe(e: &anyhow::Error, lang: Lang) -> String {
    use crate::db::{self, DbError};
    use crate::domain;
    macro_rules! first_of {
        ($($ty:ty),+ $(,)?) => {$(
            if let Some(known) = e.downcast_ref::<$ty>() {
                return known.text(lang);
            }
        )+};
    }
    first_of!(
        DbError,
        db::auth::AuthError,
        db::backup::BackupError,
        db::cohorts::CohortError,
        db::enrollment::EnrollError,
        db::enrollment::ChangeError,
        db::coverage::CoverageChangeError,
        db::attendance::AttendanceError,
        db::export::ExportError,
        db::holidays::HolidayError,
        db::reference_admin::ReferenceError,
        db::dashboard::TargetError,
        db::import::ImportError,
        db::office_move::MoveError,
        db::residents::ResidentError,
        domain::access::AccessDenied,
        domain::password::PasswordError,
        domain::nik::NikError,
        domain::nik::KkError,
        domain::calendar::CalendarError,
        domain::cohort::PlanError,
        domain::cohort::TransitionError,
        domain::enrollment::Refusal,
        domain::enrollment::WithdrawRefusal,
        domain::enrollment::CompletionRefusal,
        domain::coverage::CoverageError,
        domain::attendance::AttendanceRefusal,
        domain::import_row::MissingColumns,
    );
    format!("{e:#}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::DbError;
    use crate::db::auth::AuthError;

    #[test]
    fn describe_finds_the_error_inside_anyhow_in_each_language() {
        let locked = || anyhow::Error::from(AuthError::Db(DbError::Locked));
        assert_eq!(
            describe(&locked(), Lang::Id),
            DbError::Locked.text(Lang::Id)
        );
        assert_eq!(
            describe(&locked(), Lang::En),
            DbError::Locked.text(Lang::En)
        );
        assert_ne!(describe(&locked(), Lang::Id), describe(&locked(), Lang::En));
        let other = anyhow::anyhow!("disk full");
        assert_eq!(describe(&other, Lang::Id), "disk full");
    }
}
