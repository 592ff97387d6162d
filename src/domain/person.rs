//! Facts about a resident (penduduk) that do not depend on storage: age (umur) on a date and
//! reading the birth dates (tanggal lahir) clerks type or files carry. Never reads the clock:
//! the caller says which day "today" is.

use chrono::{Datelike, NaiveDate};

/// Umur in whole years on `on`; 0 when `on` is before `birth`. Someone born on 29 February
/// turns a year older on 1 March in a non-leap year.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    if on < birth {
        return 0;
    }
    let years = on.year() - birth.year();
    let before_birthday = (on.month(), on.day()) < (birth.month(), birth.day());
    let age = if before_birthday { years - 1 } else { years };
    u32::try_from(age).unwrap_or(0)
}

/// Why a typed date was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not written in a form loket reads (see [`read_date`]).
    Format,
    /// Written correctly, but the month has no such day (31-02-2001, 29-02-2023).
    NoSuchDay { day: u32, month: u32, year: i32 },
}

/// Reads a date as clerks and exports write it (OpenSID uses dd-mm-yyyy; DOMAIN.md, "Files
/// offices already have"): `YYYY-MM-DD`, or day, month, four-digit year separated by `-`, `/`
/// or `.` with one or two digits for day and month (`DD-MM-YYYY`, `D/M/YYYY`, `DD.MM.YYYY`), or
/// eight digits in the order clerks say a date (`17081990` = 17-08-1990), so a date typed
/// without separators reads the same at the desk and in an import. Surrounding spaces are
/// ignored; two-digit years are not read. A day that the month does not have (31-02-2001) is
/// told apart from a date written some other way: the clerk then checks the KTP, not the format.
pub fn read_date(s: &str) -> Result<NaiveDate, DateError> {
    let s = s.trim();
    let digits = |p: &str| !p.is_empty() && p.chars().all(|ch| ch.is_ascii_digit());
    let (year, month, day) = match s.chars().find(|c| matches!(c, '-' | '/' | '.')) {
        // DDMMYYYY: the order of the separated form, with a year loket can mean.
        None if s.len() == 8 && digits(s) => (&s[4..], &s[2..4], &s[..2]),
        None => return Err(DateError::Format),
        Some(sep) => {
            let parts: Vec<&str> = s.split(sep).collect();
            let [a, b, c] = parts.as_slice() else {
                return Err(DateError::Format);
            };
            if ![a, b, c].iter().all(|p| digits(p)) {
                return Err(DateError::Format);
            }
            if a.len() == 4 && sep == '-' && b.len() == 2 && c.len() == 2 {
                (*a, *b, *c)
            } else if a.len() <= 2 && b.len() <= 2 && c.len() == 4 {
                (*c, *b, *a)
            } else {
                return Err(DateError::Format);
            }
        }
    };
    let (Ok(year), Ok(month), Ok(day)) = (year.parse(), month.parse(), day.parse()) else {
        return Err(DateError::Format);
    };
    if year < 1000 || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err(DateError::Format);
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::NoSuchDay { day, month, year })
}

/// [`read_date`], when only the date matters.
pub fn parse_date_flexible(s: &str) -> Option<NaiveDate> {
    read_date(s).ok()
}

/// How many days `month` of `year` has (28-31).
pub fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|&day| NaiveDate::from_ymd_opt(year, month, day).is_some())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date")
    }

    #[test]
    fn ages() {
        let cases: &[(NaiveDate, NaiveDate, u32)] = &[
            (d(1990, 4, 12), d(2026, 4, 11), 35),
            (d(1990, 4, 12), d(2026, 4, 12), 36),
            (d(1990, 4, 12), d(2026, 12, 31), 36),
            (d(2000, 1, 1), d(2000, 1, 1), 0),
            (d(2000, 1, 2), d(2000, 1, 1), 0),
            (d(2000, 2, 29), d(2001, 2, 28), 0),
            (d(2000, 2, 29), d(2001, 3, 1), 1),
            (d(2000, 2, 29), d(2004, 2, 28), 3),
            (d(2000, 2, 29), d(2004, 2, 29), 4),
            (d(2008, 11, 22), d(2026, 11, 21), 17),
            (d(2008, 11, 22), d(2026, 11, 22), 18),
        ];
        for (birth, on, want) in cases {
            assert_eq!(age_on(*birth, *on), *want, "{birth} on {on}");
        }
    }

    #[test]
    fn flexible_dates() {
        let cases: &[(&str, Option<NaiveDate>)] = &[
            ("1990-04-12", Some(d(1990, 4, 12))),
            ("12-04-1990", Some(d(1990, 4, 12))),
            ("12/04/1990", Some(d(1990, 4, 12))),
            ("2/4/1990", Some(d(1990, 4, 2))),
            ("12.04.1990", Some(d(1990, 4, 12))),
            ("  12-04-1990 ", Some(d(1990, 4, 12))),
            ("29-02-2024", Some(d(2024, 2, 29))),
            ("29-02-2023", None),
            ("31/04/1990", None),
            ("1990-02-30", None),
            ("00-01-1990", None),
            ("12-13-1990", None),
            ("12-04-90", None),
            ("12/04-1990", None),
            ("1990/04/12", None),
            ("12-04-1990-1", None),
            ("a2-04-1990", None),
            ("12--1990", None),
            ("", None),
            ("19900412", None),
            ("17081990", Some(d(1990, 8, 17))),
            (" 01041990 ", Some(d(1990, 4, 1))),
            ("1708199", None),
            ("170819900", None),
            ("17081990a", None),
            ("01010203", None),
        ];
        for (input, want) in cases {
            assert_eq!(parse_date_flexible(input), *want, "{input:?}");
        }
    }

    #[test]
    fn a_day_the_month_lacks_is_told_apart() {
        let no_such = |day, month, year| Err(DateError::NoSuchDay { day, month, year });
        let cases: &[(&str, Result<NaiveDate, DateError>)] = &[
            ("31-02-2001", no_such(31, 2, 2001)),
            ("29-02-2023", no_such(29, 2, 2023)),
            ("31/04/1990", no_such(31, 4, 1990)),
            ("1990-02-30", no_such(30, 2, 1990)),
            ("30021990", no_such(30, 2, 1990)),
            ("29-02-2024", Ok(d(2024, 2, 29))),
            ("32-01-1990", Err(DateError::Format)),
            ("12-13-1990", Err(DateError::Format)),
            ("00-01-1990", Err(DateError::Format)),
            ("17 Agustus 1990", Err(DateError::Format)),
        ];
        for (input, want) in cases {
            assert_eq!(read_date(input), *want, "{input:?}");
        }
        assert_eq!(days_in_month(2001, 2), 28);
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(1990, 4), 30);
        assert_eq!(days_in_month(1990, 12), 31);
    }
}
