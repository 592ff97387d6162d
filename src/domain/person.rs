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

/// Reads a date as clerks and exports write it (OpenSID uses dd-mm-yyyy; DOMAIN.md, "Files
/// offices already have"): `YYYY-MM-DD`, or day, month, four-digit year separated by `-`, `/`
/// or `.` with one or two digits for day and month (`DD-MM-YYYY`, `D/M/YYYY`, `DD.MM.YYYY`).
/// Surrounding spaces are ignored; impossible dates (31-02-2000) and two-digit years give None.
pub fn parse_date_flexible(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let sep = s.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = s.split(sep).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let all_digits = [a, b, c]
        .iter()
        .all(|p| !p.is_empty() && p.chars().all(|ch| ch.is_ascii_digit()));
    if !all_digits {
        return None;
    }
    let (year, month, day) = if a.len() == 4 && sep == '-' && b.len() == 2 && c.len() == 2 {
        (a, b, c)
    } else if a.len() <= 2 && b.len() <= 2 && c.len() == 4 {
        (c, b, a)
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
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
        ];
        for (input, want) in cases {
            assert_eq!(parse_date_flexible(input), *want, "{input:?}");
        }
    }
}
