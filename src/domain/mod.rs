//! Pure types and rules of the training desk (DOMAIN.md). No I/O, no terminal, no SQL, no clock:
//! callers pass in "today", reference data and holidays, so every rule is testable as a function.

pub mod access;
pub mod attendance;
pub mod calendar;
pub mod cohort;
pub mod contribution;
pub mod counter;
pub mod coverage;
pub mod enrollment;
pub mod import_row;
pub mod name_key;
pub mod nik;
pub mod paper;
pub mod password;
pub mod person;
pub mod readiness;
pub mod reference_code;
pub mod resident;
pub mod search_query;

pub use calendar::{CalendarError, WorkingCalendar, WorkingWeek};
pub use name_key::{name_key, name_key_words, normalize_display_name};
pub use nik::{
    DistrictLookup, KkError, NikError, NikInfo, NikWarning, Sex, check_against, format_nik,
    mask_nik, normalize_digits, parse_kk, parse_nik,
};
pub use person::{age_on, parse_date_flexible};
