//! Kehadiran harian (hadir, izin, sakit, alpa) and the rules for recording it: only on the
//! cohort's training days that have come (never a future day), at most one mark per participant
//! per day (a new mark replaces the old), and nobody is marked present on a day their BPJS
//! JKK/JKM is not active for (a trainee must be protected while training; DOMAIN.md). A rate
//! counts the days that have passed, so it never exceeds 100%. Pure: no I/O.

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
    #[error("{date} has not come yet")]
    Future { date: NaiveDate },
    #[error("not covered by BPJS JKK/JKM on {date}")]
    NotCovered { date: NaiveDate },
    #[error("attendance is for enrolled participants of a running cohort")]
    NotRunning,
}

/// The BPJS JKK+JKM protection of one participant as BPJS confirmed it: active from..until
/// (inclusive), or none (not registered, submitted, rejected, or one program missing).
pub type Protection = Option<(NaiveDate, NaiveDate)>;

/// Whether `status` may be recorded on `date`, seen on `today`. `days` are the cohort's
/// training days in order; `protection` is the participant's confirmed coverage.
pub fn check(
    status: AttendanceStatus,
    date: NaiveDate,
    today: NaiveDate,
    days: &[NaiveDate],
    protection: Protection,
) -> Result<(), AttendanceRefusal> {
    if !days.contains(&date) {
        return Err(AttendanceRefusal::NotATrainingDay { date });
    }
    if date > today {
        return Err(AttendanceRefusal::Future { date });
    }
    let covered = protection.is_some_and(|(from, until)| from <= date && date <= until);
    if status == AttendanceStatus::Present && !covered {
        return Err(AttendanceRefusal::NotCovered { date });
    }
    Ok(())
}

/// Attendance rate in percent: days present among the training days that have passed (up to
/// and including `today`), over those days; None before the first day. `marks` holds one mark
/// (or none) per training day, in the order of `days`: a mark on a day still to come is not
/// counted, so the rate stays within 0..=100.
pub fn rate(
    marks: &[Option<AttendanceStatus>],
    days: &[NaiveDate],
    today: NaiveDate,
) -> Option<u32> {
    let passed: Vec<usize> = (0..days.len()).filter(|&i| days[i] <= today).collect();
    let present = passed
        .iter()
        .filter(|&&i| marks.get(i).copied().flatten() == Some(AttendanceStatus::Present))
        .count();
    (!passed.is_empty()).then(|| (present * 100 / passed.len()) as u32)
}

/// Training days that have passed without a mark for a participant (the sheet is incomplete).
pub fn unmarked(marks: &[Option<AttendanceStatus>], days: &[NaiveDate], today: NaiveDate) -> u32 {
    (0..days.len())
        .filter(|&i| days[i] <= today && marks.get(i).copied().flatten().is_none())
        .count() as u32
}

/// The training days of a cohort as its sheet shows them: the venue calendar's working days
/// from the start, cut at the cohort's end date. When a holiday added after planning pushes the
/// n-th working day past the end, the grid still stops at the end (and at the coverage period,
/// which is the cohort's dates) until a supervisor recomputes the end date.
pub fn sheet_days(working_days: Vec<NaiveDate>, end: NaiveDate) -> Vec<NaiveDate> {
    working_days.into_iter().filter(|d| *d <= end).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use AttendanceStatus::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
    }

    #[test]
    fn marks_table() {
        let days = [d(1), d(2), d(3), d(4)];
        let whole = Some((d(1), d(4)));
        let from_day_three = Some((d(3), d(4)));
        let today = d(3);
        type Case = (
            AttendanceStatus,
            NaiveDate,
            Protection,
            Result<(), AttendanceRefusal>,
        );
        let cases: &[Case] = &[
            (Present, d(1), whole, Ok(())),
            (Present, d(3), whole, Ok(())),
            (
                Absent,
                d(5),
                whole,
                Err(AttendanceRefusal::NotATrainingDay { date: d(5) }),
            ),
            // no future day, whatever the mark
            (
                Present,
                d(4),
                whole,
                Err(AttendanceRefusal::Future { date: d(4) }),
            ),
            (
                Sick,
                d(4),
                whole,
                Err(AttendanceRefusal::Future { date: d(4) }),
            ),
            // present needs coverage on that very day, any day (not only day 1)
            (
                Present,
                d(1),
                None,
                Err(AttendanceRefusal::NotCovered { date: d(1) }),
            ),
            (
                Present,
                d(3),
                None,
                Err(AttendanceRefusal::NotCovered { date: d(3) }),
            ),
            (
                Present,
                d(2),
                from_day_three,
                Err(AttendanceRefusal::NotCovered { date: d(2) }),
            ),
            (Present, d(3), from_day_three, Ok(())),
            // other marks need no coverage
            (Sick, d(1), None, Ok(())),
            (Excused, d(2), None, Ok(())),
            (Absent, d(3), None, Ok(())),
        ];
        for (status, date, protection, want) in cases {
            assert_eq!(
                &check(*status, *date, today, &days, *protection),
                want,
                "{status:?} on {date} with {protection:?}"
            );
        }
    }

    #[test]
    fn rates_never_exceed_100_percent() {
        let days = [d(1), d(2), d(3), d(4)];
        let all_present = [Some(Present); 4];
        // (marks, today, rate, unmarked)
        type Case<'a> = (&'a [Option<AttendanceStatus>], NaiveDate, Option<u32>, u32);
        let cases: &[Case] = &[
            (&all_present, d(1) - chrono::Duration::days(1), None, 0),
            (&all_present, d(1), Some(100), 0),
            // marks on days to come do not count (they made 300% before)
            (&all_present, d(2), Some(100), 0),
            (&[Some(Present), None, Some(Sick), None], d(3), Some(33), 1),
            (
                &[Some(Present), Some(Absent), Some(Present), None],
                d(20),
                Some(50),
                1,
            ),
            (&[None, None], d(20), Some(0), 4),
            (&[], d(2), Some(0), 2),
        ];
        for (marks, today, want, gaps) in cases {
            let got = rate(marks, &days, *today);
            assert_eq!(got, *want, "{marks:?} on {today}");
            assert!(got.is_none_or(|r| r <= 100));
            assert_eq!(
                unmarked(marks, &days, *today),
                *gaps,
                "{marks:?} on {today}"
            );
        }
        assert_eq!("sick".parse(), Ok(AttendanceStatus::Sick));
    }

    #[test]
    fn the_grid_stops_at_the_end_date() {
        // A cuti bersama on 2 December pushed the 4th working day to 5 December.
        let laid_out = vec![d(1), d(3), d(4), d(5)];
        assert_eq!(sheet_days(laid_out.clone(), d(4)), vec![d(1), d(3), d(4)]);
        assert_eq!(sheet_days(laid_out.clone(), d(5)), laid_out);
    }
}
