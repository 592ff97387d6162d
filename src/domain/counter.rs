//! Which counter did it (issue 18): a counter (loket) is one desk of one kecamatan office,
//! named by the office's kecamatan code and a short name the office chooses ("Loket 1"). It is
//! a setting of the PC, not of the shared database; registrations, enrollments and audit rows
//! record it, written `36.03.04/Loket 1`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// One desk of one office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counter {
    /// The office's kecamatan code, `PP.KK.CC` (e.g. `36.03.04`).
    pub office: String,
    /// The desk's name within the office, e.g. `Loket 1`.
    pub name: String,
}

/// The longest counter name (it shows on a status line of 80 columns).
pub const MAX_NAME: usize = 24;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CounterError {
    /// Not `PP.KK.CC`.
    #[error("office code '{0}' is not a kecamatan code like 36.03.04")]
    Office(String),
    /// Empty, too long, or holding a `/` or a control character.
    #[error("counter name '{0}' is empty, too long or holds '/'")]
    Name(String),
    /// No `/` between the office and the name.
    #[error("'{0}' is not OFFICE/NAME")]
    Shape(String),
}

impl Counter {
    pub fn new(office: &str, name: &str) -> Result<Counter, CounterError> {
        let office = office.trim();
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if !is_district_code(office) {
            return Err(CounterError::Office(office.to_string()));
        }
        if name.is_empty()
            || name.chars().count() > MAX_NAME
            || name.contains('/')
            || name.chars().any(char::is_control)
        {
            return Err(CounterError::Name(name));
        }
        Ok(Counter {
            office: office.to_string(),
            name,
        })
    }
}

/// `PP.KK.CC`: three groups of two digits.
fn is_district_code(code: &str) -> bool {
    let parts: Vec<&str> = code.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
}

impl fmt::Display for Counter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.office, self.name)
    }
}

impl FromStr for Counter {
    type Err = CounterError;

    /// `36.03.04/Loket 1`.
    fn from_str(s: &str) -> Result<Counter, CounterError> {
        let (office, name) = s
            .split_once('/')
            .ok_or_else(|| CounterError::Shape(s.to_string()))?;
        Counter::new(office, name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_read_and_refuse() {
        let ok = |s: &str| s.parse::<Counter>().map(|c| c.to_string());
        let table: &[(&str, Result<&str, ()>)] = &[
            ("36.03.04/Loket 1", Ok("36.03.04/Loket 1")),
            (" 36.03.04 /  Loket   2 ", Ok("36.03.04/Loket 2")),
            ("36.03.04/", Err(())),
            ("36.03.4/Loket 1", Err(())),
            ("36.03.04.2001/Loket 1", Err(())),
            ("3603 04/Loket 1", Err(())),
            ("Loket 1", Err(())),
            ("36.03.04/Loket/1", Err(())),
            ("36.03.04/Loket\t\u{7}", Err(())),
            ("36.03.04/ABCDEFGHIJKLMNOPQRSTUVWXY", Err(())),
            (
                "36.03.04/ABCDEFGHIJKLMNOPQRSTUVWX",
                Ok("36.03.04/ABCDEFGHIJKLMNOPQRSTUVWX"),
            ),
        ];
        for (input, want) in table {
            match want {
                Ok(shown) => assert_eq!(ok(input).as_deref(), Ok(*shown), "{input:?}"),
                Err(()) => assert!(ok(input).is_err(), "{input:?} accepted"),
            }
        }
    }
}
