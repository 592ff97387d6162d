//! Kehadiran harian (hadir, izin, sakit, alpa) and the rules for recording it: only on the
//! cohort's working days, and nobody is marked present on day 1 while their BPJS JKK/JKM is not
//! active for the cohort's dates (a trainee must be protected before training; DOMAIN.md).
//! Pure: no I/O.

use chrono::NaiveDate;
use serde::Serialize;
use thiserror::Error;

/// Status kehadiran. The code (`present`...) is what `attendance.status` stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum AttendanceStatus {
    /// Hadir.
    Present,
    /// Izin.
    Excused,
    /// Sakit.
    Sick,
    /// Alpa (tanpa keterangan).
    Absent,
}

impl AttendanceStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        self.into()
    }
    /// One letter for the attendance grid: H, I, S, A.
    pub fn letter(self) -> char {
        match self {
            AttendanceStatus::Present => 'H',
            AttendanceStatus::Excused => 'I',
            AttendanceStatus::Sick => 'S',
            AttendanceStatus::Absent => 'A',
        }
    }
}

/// Why a day's attendance is not recorded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AttendanceRefusal {
    #[error("{date} is not a training day of this cohort")]
    NotATrainingDay { date: NaiveDate },
    #[error("not covered by BPJS JKK/JKM on day 1")]
    NotCoveredOnDayOne,
    #[error("attendance is for enrolled participants of a running cohort")]
    NotRunning,
}

/// Whether `status` may be recorded on `date`. `days` are the cohort's training days in order;
/// `covered` says the participant's JKK+JKM is active for the cohort's dates.
pub fn check(
    status: AttendanceStatus,
    date: NaiveDate,
    days: &[NaiveDate],
    covered: bool,
) -> Result<(), AttendanceRefusal> {
    if !days.contains(&date) {
        return Err(AttendanceRefusal::NotATrainingDay { date });
    }
    if status == AttendanceStatus::Present && days.first() == Some(&date) && !covered {
        return Err(AttendanceRefusal::NotCoveredOnDayOne);
    }
    Ok(())
}

/// Attendance rate in percent: days present over the training days that have passed (up to and
/// including `today`); None before the first day.
pub fn rate(present: usize, days: &[NaiveDate], today: NaiveDate) -> Option<u32> {
    let passed = days.iter().filter(|d| **d <= today).count();
    (passed > 0).then(|| (present * 100 / passed) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
    }

    #[test]
    fn day_one_present_needs_active_coverage() {
        let days = [d(1), d(2), d(3)];
        assert_eq!(
            check(AttendanceStatus::Present, d(1), &days, false),
            Err(AttendanceRefusal::NotCoveredOnDayOne)
        );
        assert_eq!(check(AttendanceStatus::Present, d(1), &days, true), Ok(()));
        assert_eq!(check(AttendanceStatus::Sick, d(1), &days, false), Ok(()));
        assert_eq!(check(AttendanceStatus::Present, d(2), &days, false), Ok(()));
        assert_eq!(
            check(AttendanceStatus::Absent, d(5), &days, true),
            Err(AttendanceRefusal::NotATrainingDay { date: d(5) })
        );
    }

    #[test]
    fn rate_counts_the_days_that_passed() {
        let days = [d(1), d(2), d(3), d(4)];
        assert_eq!(rate(0, &days, d(1) - chrono::Duration::days(1)), None);
        assert_eq!(rate(1, &days, d(2)), Some(50));
        assert_eq!(rate(3, &days, d(20)), Some(75));
        assert_eq!("sick".parse(), Ok(AttendanceStatus::Sick));
    }
}
