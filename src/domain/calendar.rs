//! Working days (hari kerja): counting "20 hari kerja" of a course across weekends, national
//! holidays and cuti bersama (DOMAIN.md, "Working days"). Must never read the holiday list
//! itself: holidays are editable by a supervisor, so the caller passes them in.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use thiserror::Error;

/// Hari kerja per minggu of a venue: Monday-Friday, or Monday-Saturday for venues that train
/// on Saturdays. Sunday is never a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorkingWeek {
    /// Lima hari kerja (Senin-Jumat).
    FiveDay,
    /// Enam hari kerja (Senin-Sabtu).
    SixDay,
}

impl WorkingWeek {
    /// 5 or 6; anything else is not a working week.
    pub fn from_days(days: u8) -> Option<Self> {
        match days {
            5 => Some(WorkingWeek::FiveDay),
            6 => Some(WorkingWeek::SixDay),
            _ => None,
        }
    }

    /// Number of working days in a week.
    pub fn days(self) -> u8 {
        match self {
            WorkingWeek::FiveDay => 5,
            WorkingWeek::SixDay => 6,
        }
    }

    pub fn includes(self, day: Weekday) -> bool {
        match day {
            Weekday::Sun => false,
            Weekday::Sat => self == WorkingWeek::SixDay,
            _ => true,
        }
    }
}

/// Kind of day off, as `holiday.category` stores it (DOMAIN.md, "Working days").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "lowercase")]
pub enum HolidayCategory {
    /// Libur nasional (shipped with loket; never removed).
    Public,
    /// Cuti bersama.
    Government,
    /// Added by a supervisor.
    Custom,
}

impl HolidayCategory {
    /// The stored code.
    pub fn code(self) -> &'static str {
        self.into()
    }
}

/// Longest course the calendar will lay out, in working days (a year).
pub const MAX_DAYS: u32 = 366;

/// Why a run of working days could not be laid out.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    #[error("zero working days")]
    ZeroDays,
    #[error("{n} working days is more than {MAX_DAYS}")]
    TooManyDays { n: u32 },
    #[error("date outside the calendar")]
    OutOfRange,
}

/// Kalender hari kerja of a venue: its working week plus national holidays (libur nasional)
/// and cuti bersama, which are both days off (DOMAIN.md, "Working days").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingCalendar {
    holidays: HashSet<NaiveDate>,
    week: WorkingWeek,
}

impl WorkingCalendar {
    /// A calendar from holidays (libur nasional and cuti bersama together) and a working week.
    pub fn new(holidays: impl IntoIterator<Item = NaiveDate>, week: WorkingWeek) -> Self {
        WorkingCalendar {
            holidays: holidays.into_iter().collect(),
            week,
        }
    }

    /// The venue's working week.
    pub fn week(&self) -> WorkingWeek {
        self.week
    }

    /// Whether `d` is a national holiday or cuti bersama in this calendar.
    pub fn is_holiday(&self, d: NaiveDate) -> bool {
        self.holidays.contains(&d)
    }

    /// A day of the working week that is not a holiday.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        self.week.includes(d.weekday()) && !self.is_holiday(d)
    }

    /// The date of the n-th working day of a course starting on `start` (start is day 1 when
    /// it is a working day; otherwise the first working day after it).
    pub fn nth_working_day(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let days = self.working_days(start, n)?;
        days.last().copied().ok_or(CalendarError::ZeroDays)
    }

    /// Working days in [from, to] inclusive; 0 when `to` is before `from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let count = from
            .iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    /// All working days from start, n of them (for attendance sheets).
    pub fn working_days(&self, start: NaiveDate, n: u32) -> Result<Vec<NaiveDate>, CalendarError> {
        if n == 0 {
            return Err(CalendarError::ZeroDays);
        }
        if n > MAX_DAYS {
            return Err(CalendarError::TooManyDays { n });
        }
        let wanted = n as usize;
        let days: Vec<NaiveDate> = start
            .iter_days()
            .filter(|d| self.is_working_day(*d))
            .take(wanted)
            .collect();
        if days.len() < wanted {
            return Err(CalendarError::OutOfRange);
        }
        Ok(days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date")
    }

    /// Libur nasional and cuti bersama 2026 and early 2027, from data/libur_nasional.csv.
    fn holidays() -> Vec<NaiveDate> {
        [
            (2026, 1, 1),
            (2026, 1, 16),
            (2026, 2, 16),
            (2026, 2, 17),
            (2026, 3, 18),
            (2026, 3, 19),
            (2026, 3, 20),
            (2026, 3, 21),
            (2026, 3, 22),
            (2026, 3, 23),
            (2026, 3, 24),
            (2026, 4, 3),
            (2026, 4, 5),
            (2026, 5, 1),
            (2026, 12, 24),
            (2026, 12, 25),
            (2027, 1, 1),
            (2027, 1, 5),
        ]
        .into_iter()
        .map(|(y, m, day)| d(y, m, day))
        .collect()
    }

    fn five() -> WorkingCalendar {
        WorkingCalendar::new(holidays(), WorkingWeek::FiveDay)
    }

    fn six() -> WorkingCalendar {
        WorkingCalendar::new(holidays(), WorkingWeek::SixDay)
    }

    #[test]
    fn nth_working_day_table() {
        let cases: &[(WorkingCalendar, NaiveDate, u32, NaiveDate)] = &[
            // Across Nyepi, Idul Fitri and its cuti bersama, and Good Friday.
            (five(), d(2026, 3, 16), 20, d(2026, 4, 20)),
            (five(), d(2026, 3, 16), 1, d(2026, 3, 16)),
            (five(), d(2026, 3, 16), 2, d(2026, 3, 17)),
            (five(), d(2026, 3, 16), 3, d(2026, 3, 25)),
            // Start on a holiday or a weekend: day 1 is the next working day.
            (five(), d(2026, 3, 18), 1, d(2026, 3, 25)),
            (five(), d(2026, 3, 21), 1, d(2026, 3, 25)),
            (five(), d(2026, 3, 14), 1, d(2026, 3, 16)),
            (five(), d(2026, 3, 15), 15, d(2026, 4, 13)),
            // Year end: 24 Dec cuti, 25 Dec Natal, 1 Jan, 5 Jan Isra Mikraj.
            (five(), d(2026, 12, 21), 7, d(2026, 12, 31)),
            (five(), d(2026, 12, 21), 8, d(2027, 1, 4)),
            (five(), d(2026, 12, 21), 9, d(2027, 1, 6)),
            // Six-day week: Saturdays count, Sundays never.
            (six(), d(2026, 3, 14), 1, d(2026, 3, 14)),
            (six(), d(2026, 3, 15), 1, d(2026, 3, 16)),
            (six(), d(2026, 3, 16), 3, d(2026, 3, 25)),
            (six(), d(2026, 3, 16), 6, d(2026, 3, 28)),
            (six(), d(2026, 3, 16), 7, d(2026, 3, 30)),
            (six(), d(2026, 12, 21), 8, d(2026, 12, 31)),
            (six(), d(2026, 12, 21), 9, d(2027, 1, 2)),
            (six(), d(2026, 12, 21), 10, d(2027, 1, 4)),
        ];
        for (cal, start, n, want) in cases {
            assert_eq!(
                cal.nth_working_day(*start, *n),
                Ok(*want),
                "{:?} start {start} n {n}",
                cal.week()
            );
        }
    }

    #[test]
    fn errors() {
        let cal = five();
        let cases: &[(NaiveDate, u32, CalendarError)] = &[
            (d(2026, 3, 16), 0, CalendarError::ZeroDays),
            (d(2026, 3, 16), 367, CalendarError::TooManyDays { n: 367 }),
            (NaiveDate::MAX, 5, CalendarError::OutOfRange),
        ];
        for (start, n, want) in cases {
            assert_eq!(cal.nth_working_day(*start, *n).as_ref(), Err(want));
            assert_eq!(cal.working_days(*start, *n).as_ref(), Err(want));
            assert!(!want.to_string().is_empty());
        }
        assert!(cal.working_days(d(2026, 1, 1), 366).is_ok());
    }

    #[test]
    fn working_days_list() {
        let days = five()
            .working_days(d(2026, 3, 16), 20)
            .expect("20 working days");
        assert_eq!(days.len(), 20);
        assert_eq!(days[0], d(2026, 3, 16));
        assert_eq!(days[2], d(2026, 3, 25));
        assert_eq!(days[19], d(2026, 4, 20));
        assert!(!days.contains(&d(2026, 4, 3)));
        assert!(days.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn between() {
        let cases: &[(WorkingCalendar, NaiveDate, NaiveDate, u32)] = &[
            (five(), d(2026, 3, 16), d(2026, 4, 20), 20),
            (five(), d(2026, 3, 16), d(2026, 3, 16), 1),
            (five(), d(2026, 3, 18), d(2026, 3, 24), 0),
            (five(), d(2026, 3, 17), d(2026, 3, 16), 0),
            (five(), d(2026, 12, 21), d(2027, 1, 6), 9),
            (six(), d(2026, 12, 21), d(2027, 1, 6), 11),
            (six(), d(2026, 3, 15), d(2026, 3, 15), 0),
        ];
        for (cal, from, to, want) in cases {
            assert_eq!(
                cal.working_days_between(*from, *to),
                *want,
                "{from} to {to}"
            );
        }
    }

    #[test]
    fn working_week() {
        assert_eq!(WorkingWeek::from_days(5), Some(WorkingWeek::FiveDay));
        assert_eq!(WorkingWeek::from_days(6), Some(WorkingWeek::SixDay));
        for n in [0, 4, 7] {
            assert_eq!(WorkingWeek::from_days(n), None);
        }
        assert_eq!(
            (WorkingWeek::FiveDay.days(), WorkingWeek::SixDay.days()),
            (5, 6)
        );
        let cal = six();
        assert!(cal.is_working_day(d(2026, 3, 14)));
        assert!(!cal.is_working_day(d(2026, 3, 15)));
        assert!(!cal.is_working_day(d(2026, 3, 21)));
        assert!(!five().is_working_day(d(2026, 3, 14)));
    }
}
