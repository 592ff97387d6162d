//! Angkatan pelatihan (training cohort): its status machine, the end date laid out on the venue's
//! working calendar, what may be edited when, and the instructor's BNSP certificate warning
//! (DOMAIN.md: "Courses", "Class sizes and durations", "Working days"). Pure: never reads the
//! clock, the holiday list or the database; callers pass in "today" and the calendar.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::calendar::{CalendarError, WorkingCalendar};

/// Status angkatan. The code (`draft`...) is what `cohort.status` stores; labels are in `ui::text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "lowercase")]
pub enum CohortStatus {
    /// Draf: being planned, not visible at the counter.
    Draft,
    /// Dibuka: taking enrollments.
    Open,
    /// Berjalan: training under way.
    Running,
    /// Selesai.
    Completed,
    /// Dibatalkan (with a reason).
    Cancelled,
}

impl CohortStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// Reads what a supervisor types: the code or the Indonesian word, any case.
    pub fn parse(s: &str) -> Option<CohortStatus> {
        match s.trim().to_ascii_lowercase().as_str() {
            "draft" | "draf" => Some(CohortStatus::Draft),
            "open" | "dibuka" | "buka" => Some(CohortStatus::Open),
            "running" | "berjalan" => Some(CohortStatus::Running),
            "completed" | "selesai" => Some(CohortStatus::Completed),
            "cancelled" | "canceled" | "dibatalkan" | "batal" => Some(CohortStatus::Cancelled),
            _ => None,
        }
    }

    /// Whether the cohort is over (no enrollments, withdrawals or date changes any more).
    pub fn is_closed(self) -> bool {
        matches!(self, CohortStatus::Completed | CohortStatus::Cancelled)
    }

    /// Dates (start, working days) may change only before the training starts.
    pub fn dates_editable(self) -> bool {
        matches!(self, CohortStatus::Draft | CohortStatus::Open)
    }

    /// The statuses this one may move to: draft -> open -> running -> completed; draft, open
    /// and running may be cancelled; an open cohort may go back to draft only while empty.
    pub fn next(self) -> &'static [CohortStatus] {
        match self {
            CohortStatus::Draft => &[CohortStatus::Open, CohortStatus::Cancelled],
            CohortStatus::Open => &[
                CohortStatus::Running,
                CohortStatus::Draft,
                CohortStatus::Cancelled,
            ],
            CohortStatus::Running => &[CohortStatus::Completed, CohortStatus::Cancelled],
            CohortStatus::Completed | CohortStatus::Cancelled => &[],
        }
    }
}

/// Sumber dana. The code (`apbd`...) is what `cohort.funding` stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "lowercase")]
pub enum Funding {
    Apbd,
    Apbn,
    /// Dana insentif fiskal.
    Dif,
    Csr,
}

impl Funding {
    /// The stored code.
    pub fn code(self) -> &'static str {
        self.into()
    }
    /// Reads what a supervisor types: the code or the full name, any case.
    pub fn parse(s: &str) -> Option<Funding> {
        match s.trim().to_ascii_lowercase().as_str() {
            "apbd" => Some(Funding::Apbd),
            "apbn" => Some(Funding::Apbn),
            "dif" | "dana insentif fiskal" => Some(Funding::Dif),
            "csr" => Some(Funding::Csr),
            _ => None,
        }
    }
}

/// Where a cohort trains (DOMAIN.md, "Mobile training units"): at its venue, or where the MTU
/// stops. The code (`venue`...) is what `cohort.location_kind` stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum LocationKind {
    /// Di tempat pelatihan (BLK).
    Venue,
    /// Kantor kecamatan.
    DistrictOffice,
    /// Kantor desa/kelurahan.
    VillageOffice,
    /// Balai warga.
    CommunityHall,
    /// Perusahaan.
    Company,
}

impl LocationKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        self.into()
    }
}

/// What the status machine needs to know about a cohort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CohortFacts {
    pub status: CohortStatus,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub enrolled: u32,
    pub min_participants: u32,
}

/// Why a cohort may not change status. Data only: the sentences are in `ui::text::cohorts`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TransitionError {
    #[error("a {from:?} cohort cannot become {to:?}")]
    NotAllowed {
        from: CohortStatus,
        to: CohortStatus,
    },
    #[error("no participants: the cohort cannot start")]
    NoParticipants,
    #[error("{enrolled} participants, below the minimum of {min}")]
    BelowMinimum { enrolled: u32, min: u32 },
    #[error("too early to start: the cohort starts on {start}")]
    TooEarlyToStart { start: NaiveDate },
    #[error("too early to complete: the cohort ends on {end}")]
    TooEarlyToComplete { end: NaiveDate },
    #[error("the start date {start} has passed")]
    StartInPast { start: NaiveDate },
    #[error("{count} participants are enrolled or waitlisted")]
    HasParticipants { count: u32 },
    #[error("cancelling needs a reason")]
    ReasonRequired,
}

/// Checks a status change. `live` counts enrolled plus waitlisted rows (for going back to
/// draft); `facts.enrolled` counts enrolled only.
pub fn check_transition(
    facts: &CohortFacts,
    live: u32,
    to: CohortStatus,
    today: NaiveDate,
    reason: Option<&str>,
) -> Result<(), TransitionError> {
    let from = facts.status;
    if !from.next().contains(&to) {
        return Err(TransitionError::NotAllowed { from, to });
    }
    match to {
        CohortStatus::Open if facts.start < today => {
            Err(TransitionError::StartInPast { start: facts.start })
        }
        CohortStatus::Draft if live > 0 => Err(TransitionError::HasParticipants { count: live }),
        CohortStatus::Running if facts.enrolled == 0 => Err(TransitionError::NoParticipants),
        CohortStatus::Running if facts.enrolled < facts.min_participants => {
            Err(TransitionError::BelowMinimum {
                enrolled: facts.enrolled,
                min: facts.min_participants,
            })
        }
        CohortStatus::Running if today < facts.start => {
            Err(TransitionError::TooEarlyToStart { start: facts.start })
        }
        CohortStatus::Completed if today < facts.end => {
            Err(TransitionError::TooEarlyToComplete { end: facts.end })
        }
        CohortStatus::Cancelled if reason.is_none_or(|r| r.trim().is_empty()) => {
            Err(TransitionError::ReasonRequired)
        }
        _ => Ok(()),
    }
}

/// What a supervisor may change in a cohort's plan after creating it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanField {
    /// Start date and length (the end date follows).
    Dates,
    /// Tempat pelatihan: its working week lays out the end date again.
    Venue,
    Capacity,
    Minimum,
    Instructor,
}

impl PlanField {
    /// Dates, venue, capacity and minimum change only before the training starts; an instructor
    /// may still be replaced while it runs (a substitute), never once the cohort is over.
    pub fn editable(self, status: CohortStatus) -> bool {
        match self {
            PlanField::Instructor => !status.is_closed(),
            _ => status.dates_editable(),
        }
    }
}

/// Why a cohort's plan (dates, sizes) is refused. Data only: the sentences are in
/// `ui::text::cohorts`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PlanError {
    #[error("the {field:?} of a {status:?} cohort is locked")]
    Locked {
        field: PlanField,
        status: CohortStatus,
    },
    #[error("the first training day {start} is before today")]
    StartInPast { start: NaiveDate },
    #[error("capacity {capacity} is below the {enrolled} participants enrolled")]
    CapacityBelowEnrolled { capacity: u32, enrolled: u32 },
    #[error("capacity must be at least 1")]
    ZeroCapacity,
    #[error("minimum {min} must be between 1 and the capacity {capacity}")]
    BadMinimum { min: u32, capacity: u32 },
    #[error("empty cohort code")]
    EmptyCode,
    #[error("daily hours must be above 0 and at most 24")]
    BadHours,
    #[error(transparent)]
    Calendar(CalendarError),
}

/// The cohort's training dates: day 1 is the first working day on or after `start`, the end is
/// the `working_days`-th working day of the venue's calendar ("20 hari kerja", DOMAIN.md).
pub fn plan_dates(
    calendar: &WorkingCalendar,
    start: NaiveDate,
    working_days: u32,
) -> Result<(NaiveDate, NaiveDate), PlanError> {
    let days = calendar
        .working_days(start, working_days)
        .map_err(PlanError::Calendar)?;
    match (days.first(), days.last()) {
        (Some(first), Some(last)) => Ok((*first, *last)),
        _ => Err(PlanError::Calendar(CalendarError::ZeroDays)),
    }
}

/// Checks capacity, minimum and hours of a planned cohort.
pub fn check_sizes(capacity: u32, min: u32, daily_hours: f64) -> Result<(), PlanError> {
    if capacity == 0 {
        return Err(PlanError::ZeroCapacity);
    }
    if min == 0 || min > capacity {
        return Err(PlanError::BadMinimum { min, capacity });
    }
    if !(daily_hours > 0.0 && daily_hours <= 24.0) {
        return Err(PlanError::BadHours);
    }
    Ok(())
}

/// Dates may change only while the cohort is a draft or open.
pub fn check_dates_editable(status: CohortStatus) -> Result<(), PlanError> {
    check_editable(PlanField::Dates, status)
}

/// Whether `field` may change while the cohort has `status` (`PlanField::editable`).
pub fn check_editable(field: PlanField, status: CohortStatus) -> Result<(), PlanError> {
    if field.editable(status) {
        Ok(())
    } else {
        Err(PlanError::Locked { field, status })
    }
}

/// Planning or moving a cohort never puts its first training day before today: a back-dated
/// cohort could be started and completed at once, back-dating its coverage and dropping its
/// waitlist (issue 16). Opening refuses a past start for the same reason.
pub fn check_start(first_day: NaiveDate, today: NaiveDate) -> Result<(), PlanError> {
    if first_day < today {
        Err(PlanError::StartInPast { start: first_day })
    } else {
        Ok(())
    }
}

/// A new capacity and minimum for a cohort that already seats `enrolled` participants: the
/// sizes must hold (`check_sizes`) and nobody seated loses a seat.
pub fn check_resize(
    capacity: u32,
    min: u32,
    daily_hours: f64,
    enrolled: u32,
) -> Result<(), PlanError> {
    check_sizes(capacity, min, daily_hours)?;
    if capacity < enrolled {
        return Err(PlanError::CapacityBelowEnrolled { capacity, enrolled });
    }
    Ok(())
}

/// How many waitlisted people a cohort promotes when its capacity grows to `capacity`: the
/// seats freed, as far as the waitlist reaches, while the cohort takes participants (open or
/// running, as a withdrawal does).
pub fn promotions_on_resize(
    status: CohortStatus,
    capacity: u32,
    enrolled: u32,
    waitlisted: u32,
) -> u32 {
    if matches!(status, CohortStatus::Open | CohortStatus::Running) {
        capacity.saturating_sub(enrolled).min(waitlisted)
    } else {
        0
    }
}

/// Whether two date ranges (inclusive) share a day: one person cannot train in both.
pub fn overlaps(a: (NaiveDate, NaiveDate), b: (NaiveDate, NaiveDate)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// Whether a holiday added or removed on `date` changes the training days of a cohort
/// running from `start` to `end` at a venue with `week`: the date lies within the cohort's
/// dates, on a day the venue trains. A cohort over or cancelled is history and is left alone.
pub fn holiday_touches(
    status: CohortStatus,
    start: NaiveDate,
    end: NaiveDate,
    week: super::calendar::WorkingWeek,
    date: NaiveDate,
) -> bool {
    use chrono::Datelike;
    !status.is_closed() && start <= date && date <= end && week.includes(date.weekday())
}

/// Whether the instructor is certified for the course: the course they hold their BNSP
/// certificate for is this one. An instructor with no course on record does not match.
pub fn teaches(instructor_course: Option<&str>, course_code: &str) -> bool {
    instructor_course.is_some_and(|c| c.trim().eq_ignore_ascii_case(course_code.trim()))
}

/// What is wrong with the instructor's BNSP certificate for this cohort (DOMAIN.md: instructors
/// must hold a BNSP certificate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BnspWarning {
    /// No instructor assigned yet.
    NoInstructor,
    /// The instructor has no certificate on record.
    NoCertificate,
    /// Expired on or before today.
    Expired { on: NaiveDate },
    /// Valid today but expires before the cohort ends.
    ExpiresBeforeEnd { on: NaiveDate },
}

/// The BNSP warning for an instructor (`None` = none assigned; inner `None` = no certificate)
/// teaching until `end`, as seen on `today`. A certificate valid through `end` is fine.
pub fn bnsp_warning(
    instructor: Option<Option<NaiveDate>>,
    end: NaiveDate,
    today: NaiveDate,
) -> Option<BnspWarning> {
    match instructor {
        None => Some(BnspWarning::NoInstructor),
        Some(None) => Some(BnspWarning::NoCertificate),
        Some(Some(on)) if on <= today => Some(BnspWarning::Expired { on }),
        Some(Some(on)) if on < end => Some(BnspWarning::ExpiresBeforeEnd { on }),
        Some(Some(_)) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::WorkingWeek;
    use CohortStatus::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date")
    }

    fn facts(status: CohortStatus, enrolled: u32) -> CohortFacts {
        CohortFacts {
            status,
            start: d(2026, 3, 2),
            end: d(2026, 3, 27),
            enrolled,
            min_participants: 10,
        }
    }

    #[test]
    fn status_codes_round_trip() {
        use strum::VariantArray;
        for s in CohortStatus::VARIANTS {
            assert_eq!(CohortStatus::parse(s.code()), Some(*s));
            assert_eq!(s.code().parse(), Ok(*s));
        }
        assert_eq!(CohortStatus::parse("bogus"), None);
        assert!(
            "dibuka".parse::<CohortStatus>().is_err(),
            "stored codes are exact"
        );
    }

    type Case = (
        CohortFacts,
        u32,
        CohortStatus,
        NaiveDate,
        Option<&'static str>,
        Result<(), TransitionError>,
    );

    #[test]
    fn transitions_table() {
        let before = d(2026, 2, 20);
        let on_start = d(2026, 3, 2);
        let after_end = d(2026, 3, 27);
        let cases: &[Case] = &[
            (facts(Draft, 0), 0, Open, before, None, Ok(())),
            (
                facts(Draft, 0),
                0,
                Open,
                d(2026, 3, 3),
                None,
                Err(TransitionError::StartInPast {
                    start: d(2026, 3, 2),
                }),
            ),
            (
                facts(Draft, 0),
                0,
                Running,
                on_start,
                None,
                Err(TransitionError::NotAllowed {
                    from: Draft,
                    to: Running,
                }),
            ),
            (
                facts(Draft, 0),
                0,
                Cancelled,
                before,
                Some("dana belum cair"),
                Ok(()),
            ),
            (
                facts(Draft, 0),
                0,
                Cancelled,
                before,
                Some("  "),
                Err(TransitionError::ReasonRequired),
            ),
            (
                facts(Open, 0),
                0,
                Running,
                on_start,
                None,
                Err(TransitionError::NoParticipants),
            ),
            (
                facts(Open, 9),
                9,
                Running,
                on_start,
                None,
                Err(TransitionError::BelowMinimum {
                    enrolled: 9,
                    min: 10,
                }),
            ),
            (
                facts(Open, 10),
                10,
                Running,
                before,
                None,
                Err(TransitionError::TooEarlyToStart {
                    start: d(2026, 3, 2),
                }),
            ),
            (facts(Open, 10), 12, Running, on_start, None, Ok(())),
            (facts(Open, 0), 0, Draft, before, None, Ok(())),
            (
                facts(Open, 0),
                2,
                Draft,
                before,
                None,
                Err(TransitionError::HasParticipants { count: 2 }),
            ),
            (
                facts(Open, 3),
                3,
                Cancelled,
                before,
                None,
                Err(TransitionError::ReasonRequired),
            ),
            (
                facts(Open, 3),
                3,
                Completed,
                after_end,
                None,
                Err(TransitionError::NotAllowed {
                    from: Open,
                    to: Completed,
                }),
            ),
            (
                facts(Running, 10),
                10,
                Completed,
                d(2026, 3, 26),
                None,
                Err(TransitionError::TooEarlyToComplete {
                    end: d(2026, 3, 27),
                }),
            ),
            (facts(Running, 10), 10, Completed, after_end, None, Ok(())),
            (
                facts(Running, 10),
                10,
                Open,
                after_end,
                None,
                Err(TransitionError::NotAllowed {
                    from: Running,
                    to: Open,
                }),
            ),
            (
                facts(Running, 10),
                10,
                Cancelled,
                on_start,
                Some("banjir"),
                Ok(()),
            ),
            (
                facts(Completed, 10),
                10,
                Cancelled,
                after_end,
                Some("x"),
                Err(TransitionError::NotAllowed {
                    from: Completed,
                    to: Cancelled,
                }),
            ),
            (
                facts(Cancelled, 0),
                0,
                Open,
                before,
                None,
                Err(TransitionError::NotAllowed {
                    from: Cancelled,
                    to: Open,
                }),
            ),
        ];
        for (f, live, to, today, reason, want) in cases {
            let got = check_transition(f, *live, *to, *today, *reason);
            assert_eq!(&got, want, "{:?} -> {to:?} on {today}", f.status);
        }
    }

    #[test]
    fn dates_from_the_calendar() {
        // Idul Fitri 2026 and its cuti bersama (18-24 March), Good Friday 3 April.
        let holidays = [
            d(2026, 3, 18),
            d(2026, 3, 19),
            d(2026, 3, 20),
            d(2026, 3, 23),
            d(2026, 3, 24),
            d(2026, 4, 3),
        ];
        let five = WorkingCalendar::new(holidays, WorkingWeek::FiveDay);
        let six = WorkingCalendar::new(holidays, WorkingWeek::SixDay);
        let cases: &[(&WorkingCalendar, NaiveDate, u32, (NaiveDate, NaiveDate))] = &[
            (&five, d(2026, 3, 16), 20, (d(2026, 3, 16), d(2026, 4, 20))),
            (&five, d(2026, 3, 16), 15, (d(2026, 3, 16), d(2026, 4, 13))),
            // Starting on a Sunday: day 1 is Monday.
            (&five, d(2026, 3, 15), 1, (d(2026, 3, 16), d(2026, 3, 16))),
            (&six, d(2026, 3, 16), 6, (d(2026, 3, 16), d(2026, 3, 27))),
            (&six, d(2026, 3, 16), 20, (d(2026, 3, 16), d(2026, 4, 14))),
        ];
        for (cal, start, n, want) in cases {
            assert_eq!(plan_dates(cal, *start, *n), Ok(*want), "{start} + {n}");
        }
        assert_eq!(
            plan_dates(&five, d(2026, 3, 16), 0),
            Err(PlanError::Calendar(CalendarError::ZeroDays))
        );
    }

    #[test]
    fn sizes_and_locks() {
        assert_eq!(check_sizes(16, 16, 8.0), Ok(()));
        assert_eq!(check_sizes(0, 0, 8.0), Err(PlanError::ZeroCapacity));
        assert_eq!(
            check_sizes(16, 17, 8.0),
            Err(PlanError::BadMinimum {
                min: 17,
                capacity: 16
            })
        );
        assert_eq!(
            check_sizes(16, 0, 8.0),
            Err(PlanError::BadMinimum {
                min: 0,
                capacity: 16
            })
        );
        assert_eq!(check_sizes(16, 10, 0.0), Err(PlanError::BadHours));
        assert_eq!(check_sizes(16, 10, 25.0), Err(PlanError::BadHours));
        assert_eq!(check_dates_editable(Draft), Ok(()));
        assert_eq!(check_dates_editable(Open), Ok(()));
        for s in [Running, Completed, Cancelled] {
            assert_eq!(
                check_dates_editable(s),
                Err(PlanError::Locked {
                    field: PlanField::Dates,
                    status: s
                })
            );
        }
    }

    #[test]
    fn what_may_change_when() {
        use PlanField::*;
        // (field, status, editable)
        let cases = [
            (Dates, Draft, true),
            (Dates, Open, true),
            (Dates, Running, false),
            (Venue, Open, true),
            (Venue, Running, false),
            (Capacity, Draft, true),
            (Capacity, Open, true),
            (Capacity, Running, false),
            (Minimum, Open, true),
            (Minimum, Completed, false),
            (Instructor, Draft, true),
            (Instructor, Running, true),
            (Instructor, Completed, false),
            (Instructor, Cancelled, false),
        ];
        for (field, status, want) in cases {
            let got = check_editable(field, status);
            let expected = if want {
                Ok(())
            } else {
                Err(PlanError::Locked { field, status })
            };
            assert_eq!(got, expected, "{field:?} while {status:?}");
        }
    }

    #[test]
    fn starts_never_go_into_the_past() {
        let today = d(2026, 12, 3);
        let cases = [
            (
                d(2026, 10, 1),
                Err(PlanError::StartInPast {
                    start: d(2026, 10, 1),
                }),
            ),
            (
                d(2026, 12, 2),
                Err(PlanError::StartInPast {
                    start: d(2026, 12, 2),
                }),
            ),
            (today, Ok(())),
            (d(2027, 1, 4), Ok(())),
        ];
        for (start, want) in cases {
            assert_eq!(check_start(start, today), want, "{start}");
        }
    }

    #[test]
    fn resizing_keeps_every_seat_and_promotes_into_new_ones() {
        assert_eq!(check_resize(20, 10, 8.0, 16), Ok(()));
        assert_eq!(check_resize(16, 10, 8.0, 16), Ok(()));
        assert_eq!(
            check_resize(15, 10, 8.0, 16),
            Err(PlanError::CapacityBelowEnrolled {
                capacity: 15,
                enrolled: 16
            })
        );
        assert_eq!(
            check_resize(20, 21, 8.0, 0),
            Err(PlanError::BadMinimum {
                min: 21,
                capacity: 20
            })
        );
        // (status, capacity, enrolled, waitlisted, promoted)
        let cases = [
            (Open, 20, 16, 7, 4),
            (Open, 20, 16, 2, 2),
            (Open, 16, 16, 5, 0),
            (Running, 18, 16, 5, 2),
            (Draft, 20, 0, 0, 0),
            (Completed, 20, 16, 3, 0),
        ];
        for (status, capacity, enrolled, waitlisted, want) in cases {
            assert_eq!(
                promotions_on_resize(status, capacity, enrolled, waitlisted),
                want,
                "{status:?} {capacity} {enrolled} {waitlisted}"
            );
        }
    }

    #[test]
    fn overlaps_and_holidays_that_touch_a_cohort() {
        use crate::domain::calendar::WorkingWeek::{FiveDay, SixDay};
        let march = (d(2026, 3, 2), d(2026, 3, 27));
        assert!(overlaps(march, (d(2026, 3, 27), d(2026, 4, 20))));
        assert!(overlaps(march, (d(2026, 2, 1), d(2026, 3, 2))));
        assert!(overlaps(march, (d(2026, 3, 10), d(2026, 3, 11))));
        assert!(!overlaps(march, (d(2026, 3, 28), d(2026, 4, 20))));
        assert!(!overlaps(march, (d(2026, 2, 1), d(2026, 3, 1))));
        let (start, end) = march;
        // (status, week, date, touches): Saturday 14 March counts only for a six-day venue.
        let cases = [
            (Open, FiveDay, d(2026, 3, 10), true),
            (Draft, FiveDay, d(2026, 3, 2), true),
            (Running, FiveDay, d(2026, 3, 27), true),
            (Open, FiveDay, d(2026, 3, 14), false),
            (Open, SixDay, d(2026, 3, 14), true),
            (Open, FiveDay, d(2026, 3, 28), false),
            (Open, FiveDay, d(2026, 3, 1), false),
            (Completed, FiveDay, d(2026, 3, 10), false),
            (Cancelled, FiveDay, d(2026, 3, 10), false),
        ];
        for (status, week, date, want) in cases {
            assert_eq!(
                holiday_touches(status, start, end, week, date),
                want,
                "{status:?} {week:?} {date}"
            );
        }
    }

    #[test]
    fn an_instructor_teaches_the_course_of_their_certificate() {
        assert!(teaches(Some("TBS"), "TBS"));
        assert!(teaches(Some("tbs "), "TBS"));
        assert!(!teaches(Some("OTO"), "TBS"));
        assert!(!teaches(None, "TBS"));
    }

    #[test]
    fn bnsp_warnings() {
        let end = d(2026, 3, 27);
        let today = d(2026, 3, 1);
        assert_eq!(
            bnsp_warning(None, end, today),
            Some(BnspWarning::NoInstructor)
        );
        assert_eq!(
            bnsp_warning(Some(None), end, today),
            Some(BnspWarning::NoCertificate)
        );
        assert_eq!(
            bnsp_warning(Some(Some(d(2026, 3, 1))), end, today),
            Some(BnspWarning::Expired { on: d(2026, 3, 1) })
        );
        assert_eq!(
            bnsp_warning(Some(Some(d(2026, 3, 26))), end, today),
            Some(BnspWarning::ExpiresBeforeEnd { on: d(2026, 3, 26) })
        );
        assert_eq!(bnsp_warning(Some(Some(end)), end, today), None);
        assert_eq!(bnsp_warning(Some(Some(d(2027, 1, 1))), end, today), None);
    }
}
