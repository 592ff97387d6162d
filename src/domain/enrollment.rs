//! Pendaftaran peserta: who may enter a cohort, whether they get a seat or a waitlist place, and
//! the order of the waitlist (daftar tunggu): balita stunting in the household first, then the
//! lowest DTSEN desil (unknown last), then the earliest registration (DOMAIN.md: "Priority
//! groups"). Pure: the db layer gathers the facts inside its transaction and calls these.

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::cohort::{CohortStatus, overlaps};
use super::person::age_on;

/// Status pendaftaran. The code (`enrolled`...) is what `enrollment.status` stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "lowercase")]
pub enum EnrollmentStatus {
    /// Terdaftar (holds a seat).
    Enrolled,
    /// Daftar tunggu.
    Waitlisted,
    /// Mengundurkan diri / dikeluarkan.
    Withdrawn,
}

impl EnrollmentStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        self.into()
    }
    /// Enrolled or waitlisted: counts for "not twice" and for overlapping dates.
    pub fn is_live(self) -> bool {
        !matches!(self, EnrollmentStatus::Withdrawn)
    }
}

/// Kelulusan. The code (`passed`...) is what `enrollment.outcome` stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Outcome {
    /// Lulus.
    Passed,
    /// Tidak lulus.
    Failed,
    /// Mengundurkan diri.
    DroppedOut,
}

impl Outcome {
    /// The stored code.
    pub fn code(self) -> &'static str {
        self.into()
    }
    /// Reads what a supervisor types: the code or the Indonesian words, any case.
    pub fn parse(s: &str) -> Option<Outcome> {
        match s.trim().to_ascii_lowercase().as_str() {
            "passed" | "lulus" => Some(Outcome::Passed),
            "failed" | "tidak lulus" | "tidak_lulus" => Some(Outcome::Failed),
            "dropped_out" | "mengundurkan diri" | "mundur" => Some(Outcome::DroppedOut),
            _ => None,
        }
    }
}

/// Tindak lanjut after the training. The code (`employed`...) is what `enrollment.followup`
/// stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Followup {
    /// Bekerja.
    Employed,
    /// Usaha mandiri.
    SelfEmployed,
    /// Kelompok usaha.
    BusinessGroup,
    /// Belum bekerja: asked, and not (yet) working.
    Unemployed,
}

impl Followup {
    /// The stored code.
    pub fn code(self) -> &'static str {
        self.into()
    }
    /// Reads what a supervisor types: the code or the Indonesian words, any case.
    pub fn parse(s: &str) -> Option<Followup> {
        match s.trim().to_ascii_lowercase().as_str() {
            "employed" | "bekerja" => Some(Followup::Employed),
            "self_employed" | "usaha mandiri" | "usaha_mandiri" => Some(Followup::SelfEmployed),
            "business_group" | "kelompok usaha" | "kelompok_usaha" => Some(Followup::BusinessGroup),
            "unemployed" | "belum bekerja" | "belum_bekerja" => Some(Followup::Unemployed),
            _ => None,
        }
    }
}

/// The cohort a resident asks to join, as far as the rules need it.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetCohort {
    pub id: i64,
    pub status: CohortStatus,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub min_age: u32,
    pub max_age: u32,
}

/// One of the resident's live enrollments (enrolled or waitlisted) in a cohort still ahead or
/// under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveEnrollment {
    pub cohort_id: i64,
    pub cohort_code: String,
    pub status: EnrollmentStatus,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// Why a resident cannot enroll. Each names its reason, for the clerk (`ui::text::enrollment`)
/// and for `--json` (`code`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Refusal {
    #[error("the cohort is {status:?}, not open")]
    CohortNotOpen { status: CohortStatus },
    #[error("aged {age}, below the minimum of {min}")]
    TooYoung { age: u32, min: u32 },
    #[error("aged {age}, above the maximum of {max}")]
    TooOld { age: u32, max: u32 },
    #[error("already {status:?} in this cohort")]
    AlreadyInCohort { status: EnrollmentStatus },
    #[error("overlaps cohort {code} ({start} to {end})")]
    Overlap {
        code: String,
        start: NaiveDate,
        end: NaiveDate,
    },
}

impl Refusal {
    /// A stable machine word for scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::CohortNotOpen { .. } => "cohort_not_open",
            Refusal::TooYoung { .. } => "too_young",
            Refusal::TooOld { .. } => "too_old",
            Refusal::AlreadyInCohort { .. } => "already_in_cohort",
            Refusal::Overlap { .. } => "overlapping_dates",
        }
    }
}

/// Checks every enrollment rule, in the order a clerk would explain them: the cohort is open,
/// the resident's age on the start date is within the course's limits, they are not already in
/// this cohort, and none of their live enrollments overlaps its dates.
pub fn check_enroll(
    cohort: &TargetCohort,
    birth: NaiveDate,
    live: &[LiveEnrollment],
) -> Result<(), Refusal> {
    if cohort.status != CohortStatus::Open {
        return Err(Refusal::CohortNotOpen {
            status: cohort.status,
        });
    }
    let age = age_on(birth, cohort.start);
    if age < cohort.min_age {
        return Err(Refusal::TooYoung {
            age,
            min: cohort.min_age,
        });
    }
    if age > cohort.max_age {
        return Err(Refusal::TooOld {
            age,
            max: cohort.max_age,
        });
    }
    if let Some(same) = live
        .iter()
        .find(|e| e.cohort_id == cohort.id && e.status.is_live())
    {
        return Err(Refusal::AlreadyInCohort {
            status: same.status,
        });
    }
    if let Some(other) = live
        .iter()
        .filter(|e| e.status.is_live())
        .find(|e| overlaps((e.start, e.end), (cohort.start, cohort.end)))
    {
        return Err(Refusal::Overlap {
            code: other.cohort_code.clone(),
            start: other.start,
            end: other.end,
        });
    }
    Ok(())
}

/// Where an accepted enrollment lands: a seat while seats are left, else the waitlist.
pub fn placement(enrolled: u32, capacity: u32) -> EnrollmentStatus {
    if enrolled < capacity {
        EnrollmentStatus::Enrolled
    } else {
        EnrollmentStatus::Waitlisted
    }
}

/// One waitlisted person, with what orders them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaitlistEntry {
    pub enrollment_id: i64,
    pub resident_id: i64,
    /// Rumah tangga dengan balita stunting.
    pub stunting_household: bool,
    /// DTSEN desil 1..10 (1 = poorest); None when unknown.
    pub desil: Option<u8>,
    /// `YYYY-MM-DD HH:MM:SS`: sorts as text.
    pub registered_at: String,
}

/// The waitlist order: stunting households first, then lowest desil (unknown last), then the
/// earliest registration; the enrollment id breaks exact ties (the earlier row was written first).
pub fn waitlist_cmp(a: &WaitlistEntry, b: &WaitlistEntry) -> Ordering {
    let key = |e: &WaitlistEntry| (!e.stunting_household, e.desil.unwrap_or(u8::MAX));
    key(a)
        .cmp(&key(b))
        .then_with(|| a.registered_at.cmp(&b.registered_at))
        .then_with(|| a.enrollment_id.cmp(&b.enrollment_id))
}

/// The place `candidate` would take in `waitlist` if it joined now (1 = next to be promoted):
/// one behind everyone [`waitlist_cmp`] puts before it.
pub fn waitlist_position(waitlist: &[WaitlistEntry], candidate: &WaitlistEntry) -> u32 {
    let ahead = waitlist
        .iter()
        .filter(|e| waitlist_cmp(e, candidate) == Ordering::Less)
        .count();
    u32::try_from(ahead).unwrap_or(u32::MAX).saturating_add(1)
}

/// What enrolling a resident into a cohort would do now, by the rules an enrollment applies
/// ([`check_enroll`], [`placement`], [`waitlist_cmp`]): the enroll picker says it on every row
/// before the clerk chooses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prospect {
    /// A seat; `left` seats are free now.
    Seat { left: u32 },
    /// The cohort is full: the waitlist, at this place.
    Waitlist { position: u32 },
    /// Not allowed, and why.
    Refused(Refusal),
}

/// Sorts a waitlist in place, head first.
pub fn order_waitlist(entries: &mut [WaitlistEntry]) {
    entries.sort_by(waitlist_cmp);
}

/// Why someone stands where they stand, for the waitlist screen (told by `ui::text`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaitlistReason {
    pub position: u32,
    pub stunting_household: bool,
    pub desil: Option<u8>,
    pub registered_at: String,
}

/// The ordered waitlist with a reason for each position (1 = next to be promoted).
pub fn explain_waitlist(entries: &[WaitlistEntry]) -> Vec<(WaitlistEntry, WaitlistReason)> {
    let mut sorted = entries.to_vec();
    order_waitlist(&mut sorted);
    sorted
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let reason = WaitlistReason {
                position: i as u32 + 1,
                stunting_household: e.stunting_household,
                desil: e.desil,
                registered_at: e.registered_at.clone(),
            };
            (e, reason)
        })
        .collect()
}

/// Why a withdrawal is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WithdrawRefusal {
    #[error("neither enrolled nor waitlisted in this cohort")]
    NotEnrolled,
    #[error("the cohort is {status:?}")]
    CohortClosed { status: CohortStatus },
}

/// A withdrawal is allowed from a live enrollment of a cohort that is not over.
pub fn check_withdraw(
    status: Option<EnrollmentStatus>,
    cohort: CohortStatus,
) -> Result<(), WithdrawRefusal> {
    if !status.is_some_and(EnrollmentStatus::is_live) {
        return Err(WithdrawRefusal::NotEnrolled);
    }
    if cohort.is_closed() {
        return Err(WithdrawRefusal::CohortClosed { status: cohort });
    }
    Ok(())
}

/// A freed seat goes to the head of the waitlist while the cohort is open or running.
pub fn promotes_on_withdraw(withdrawn: EnrollmentStatus, cohort: CohortStatus) -> bool {
    withdrawn == EnrollmentStatus::Enrolled
        && matches!(cohort, CohortStatus::Open | CohortStatus::Running)
}

/// Why a completion (kelulusan) or follow-up cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CompletionRefusal {
    #[error("the cohort is {status:?}: outcomes come once training has started")]
    CohortNotStarted { status: CohortStatus },
    #[error("only enrolled participants have an outcome (status {status:?})")]
    NotEnrolled { status: EnrollmentStatus },
    #[error("follow-up is for participants who passed")]
    NotPassed,
    #[error("a certificate number is for participants who passed")]
    CertificateNotPassed,
    #[error("certificate {number} is already recorded for another participant")]
    CertificateTaken { number: String },
    #[error("no toolkit is handed to a participant who dropped out")]
    ToolkitDroppedOut,
    #[error("the toolkit hand-over date {on} is in the future")]
    ToolkitInFuture { on: NaiveDate },
    #[error("the toolkit hand-over date {on} is before the training started ({start})")]
    ToolkitBeforeStart { on: NaiveDate, start: NaiveDate },
}

/// An outcome is recorded for an enrolled participant of a running or completed cohort.
pub fn check_outcome(
    cohort: CohortStatus,
    status: EnrollmentStatus,
) -> Result<(), CompletionRefusal> {
    if !matches!(cohort, CohortStatus::Running | CohortStatus::Completed) {
        return Err(CompletionRefusal::CohortNotStarted { status: cohort });
    }
    if status != EnrollmentStatus::Enrolled {
        return Err(CompletionRefusal::NotEnrolled { status });
    }
    Ok(())
}

/// What is recorded with an outcome: a certificate number only for who passed (the certificate
/// of completion, DOMAIN.md "The cohort from plan to certificate"), a toolkit hand-over date
/// for who finished the training (passed or not, never for who dropped out), on a day that has
/// come and not before the training began.
pub fn check_outcome_details(
    outcome: Outcome,
    certificate: Option<&str>,
    toolkit: Option<NaiveDate>,
    start: NaiveDate,
    today: NaiveDate,
) -> Result<(), CompletionRefusal> {
    if certificate.is_some_and(|c| !c.trim().is_empty()) && outcome != Outcome::Passed {
        return Err(CompletionRefusal::CertificateNotPassed);
    }
    if let Some(on) = toolkit {
        if outcome == Outcome::DroppedOut {
            return Err(CompletionRefusal::ToolkitDroppedOut);
        }
        if on > today {
            return Err(CompletionRefusal::ToolkitInFuture { on });
        }
        if on < start {
            return Err(CompletionRefusal::ToolkitBeforeStart { on, start });
        }
    }
    Ok(())
}

/// What "all remaining passed" does with one enrolled participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RemainingPass {
    /// An outcome is recorded already (an exception, or an earlier pass): left as it is.
    Recorded,
    /// Passed now.
    Pass,
    /// Attendance below the minimum to pass: left for the supervisor to decide one by one.
    BelowAttendance { rate: u32, min: u32 },
}

/// "All remaining passed": who has no outcome yet passes, unless their attendance rate is
/// below `attendance.min_rate_percent` (the minimum to pass). No attendance kept at all (no
/// rate) does not hold anyone back: the sheet may be on paper.
pub fn pass_remaining(outcome: Option<Outcome>, rate: Option<u32>, min: u32) -> RemainingPass {
    match (outcome, rate) {
        (Some(_), _) => RemainingPass::Recorded,
        (None, Some(rate)) if rate < min => RemainingPass::BelowAttendance { rate, min },
        (None, _) => RemainingPass::Pass,
    }
}

/// Follow-up (bekerja, usaha mandiri, kelompok usaha, belum bekerja) is for graduates.
pub fn check_followup(outcome: Option<Outcome>) -> Result<(), CompletionRefusal> {
    if outcome == Some(Outcome::Passed) {
        Ok(())
    } else {
        Err(CompletionRefusal::NotPassed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_details_table() {
        use CompletionRefusal::*;
        use Outcome::*;
        let start = d(2026, 3, 2);
        let today = d(2026, 4, 10);
        type Case = (
            Outcome,
            Option<&'static str>,
            Option<NaiveDate>,
            Result<(), CompletionRefusal>,
        );
        let cases: &[Case] = &[
            (
                Passed,
                Some("BLK/TBS/2026/001"),
                Some(d(2026, 3, 27)),
                Ok(()),
            ),
            (Passed, None, None, Ok(())),
            (Failed, Some("X-1"), None, Err(CertificateNotPassed)),
            (DroppedOut, Some("X-1"), None, Err(CertificateNotPassed)),
            (Failed, Some("  "), Some(d(2026, 3, 27)), Ok(())),
            (
                DroppedOut,
                None,
                Some(d(2026, 3, 27)),
                Err(ToolkitDroppedOut),
            ),
            (Passed, None, Some(today), Ok(())),
            (Passed, None, Some(start), Ok(())),
            (
                Passed,
                None,
                Some(d(2026, 4, 11)),
                Err(ToolkitInFuture { on: d(2026, 4, 11) }),
            ),
            (
                Passed,
                None,
                Some(d(2026, 3, 1)),
                Err(ToolkitBeforeStart {
                    on: d(2026, 3, 1),
                    start,
                }),
            ),
        ];
        for (outcome, cert, toolkit, want) in cases {
            assert_eq!(
                &check_outcome_details(*outcome, *cert, *toolkit, start, today),
                want,
                "{outcome:?} {cert:?} {toolkit:?}"
            );
        }
    }

    #[test]
    fn all_remaining_passed_leaves_exceptions_and_low_attendance() {
        use Outcome::*;
        let cases = [
            (None, Some(100), 80, RemainingPass::Pass),
            (None, Some(80), 80, RemainingPass::Pass),
            (
                None,
                Some(79),
                80,
                RemainingPass::BelowAttendance { rate: 79, min: 80 },
            ),
            (None, None, 80, RemainingPass::Pass),
            (Some(Failed), Some(100), 80, RemainingPass::Recorded),
            (Some(DroppedOut), Some(10), 80, RemainingPass::Recorded),
            (Some(Passed), Some(10), 80, RemainingPass::Recorded),
        ];
        for (outcome, rate, min, want) in cases {
            assert_eq!(
                pass_remaining(outcome, rate, min),
                want,
                "{outcome:?} {rate:?}"
            );
        }
        for f in [
            Followup::Employed,
            Followup::SelfEmployed,
            Followup::BusinessGroup,
            Followup::Unemployed,
        ] {
            assert_eq!(Followup::parse(f.code()), Some(f));
        }
        assert_eq!(Followup::parse("belum bekerja"), Some(Followup::Unemployed));
        assert_eq!(check_followup(Some(Passed)), Ok(()));
        assert_eq!(
            check_followup(Some(Failed)),
            Err(CompletionRefusal::NotPassed)
        );
        assert_eq!(check_followup(None), Err(CompletionRefusal::NotPassed));
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date")
    }

    fn cohort(status: CohortStatus) -> TargetCohort {
        TargetCohort {
            id: 7,
            status,
            start: d(2026, 3, 2),
            end: d(2026, 3, 27),
            min_age: 17,
            max_age: 45,
        }
    }

    fn live(id: i64, status: EnrollmentStatus, start: NaiveDate, end: NaiveDate) -> LiveEnrollment {
        LiveEnrollment {
            cohort_id: id,
            cohort_code: format!("C{id}"),
            status,
            start,
            end,
        }
    }

    type Case = (
        TargetCohort,
        NaiveDate,
        Vec<LiveEnrollment>,
        Result<(), Refusal>,
    );

    #[test]
    fn enroll_rules_table() {
        use EnrollmentStatus::*;
        let adult = d(1990, 5, 5);
        let cases: Vec<Case> = vec![
            (cohort(CohortStatus::Open), adult, vec![], Ok(())),
            (
                cohort(CohortStatus::Draft),
                adult,
                vec![],
                Err(Refusal::CohortNotOpen {
                    status: CohortStatus::Draft,
                }),
            ),
            (
                cohort(CohortStatus::Running),
                adult,
                vec![],
                Err(Refusal::CohortNotOpen {
                    status: CohortStatus::Running,
                }),
            ),
            // 17th birthday on the start date: allowed; one day later: too young.
            (cohort(CohortStatus::Open), d(2009, 3, 2), vec![], Ok(())),
            (
                cohort(CohortStatus::Open),
                d(2009, 3, 3),
                vec![],
                Err(Refusal::TooYoung { age: 16, min: 17 }),
            ),
            // 45 on the start date: allowed; 46: too old.
            (cohort(CohortStatus::Open), d(1980, 3, 3), vec![], Ok(())),
            (
                cohort(CohortStatus::Open),
                d(1980, 3, 2),
                vec![],
                Err(Refusal::TooOld { age: 46, max: 45 }),
            ),
            (
                cohort(CohortStatus::Open),
                adult,
                vec![live(7, Waitlisted, d(2026, 3, 2), d(2026, 3, 27))],
                Err(Refusal::AlreadyInCohort { status: Waitlisted }),
            ),
            (
                cohort(CohortStatus::Open),
                adult,
                vec![live(7, Withdrawn, d(2026, 3, 2), d(2026, 3, 27))],
                Ok(()),
            ),
            // Touching on one day overlaps; the day after does not.
            (
                cohort(CohortStatus::Open),
                adult,
                vec![live(8, Enrolled, d(2026, 2, 2), d(2026, 3, 2))],
                Err(Refusal::Overlap {
                    code: "C8".into(),
                    start: d(2026, 2, 2),
                    end: d(2026, 3, 2),
                }),
            ),
            (
                cohort(CohortStatus::Open),
                adult,
                vec![live(8, Enrolled, d(2026, 2, 2), d(2026, 3, 1))],
                Ok(()),
            ),
            (
                cohort(CohortStatus::Open),
                adult,
                vec![live(9, Waitlisted, d(2026, 3, 27), d(2026, 4, 20))],
                Err(Refusal::Overlap {
                    code: "C9".into(),
                    start: d(2026, 3, 27),
                    end: d(2026, 4, 20),
                }),
            ),
            (
                cohort(CohortStatus::Open),
                adult,
                vec![live(9, Withdrawn, d(2026, 3, 10), d(2026, 4, 20))],
                Ok(()),
            ),
            (
                cohort(CohortStatus::Open),
                adult,
                vec![live(9, Enrolled, d(2026, 3, 28), d(2026, 4, 20))],
                Ok(()),
            ),
        ];
        for (c, birth, l, want) in cases {
            let got = check_enroll(&c, birth, &l);
            assert_eq!(got, want, "{:?} born {birth} live {l:?}", c.status);
            if let Err(e) = got {
                assert!(!e.code().is_empty());
            }
        }
    }

    #[test]
    fn full_cohort_waitlists() {
        assert_eq!(placement(0, 16), EnrollmentStatus::Enrolled);
        assert_eq!(placement(15, 16), EnrollmentStatus::Enrolled);
        assert_eq!(placement(16, 16), EnrollmentStatus::Waitlisted);
        assert_eq!(placement(17, 16), EnrollmentStatus::Waitlisted);
    }

    fn entry(id: i64, stunting: bool, desil: Option<u8>, at: &str) -> WaitlistEntry {
        WaitlistEntry {
            enrollment_id: id,
            resident_id: 100 + id,
            stunting_household: stunting,
            desil,
            registered_at: at.into(),
        }
    }

    #[test]
    fn waitlist_order() {
        let mut list = vec![
            entry(1, false, None, "2026-01-01 08:00:00"),
            entry(2, false, Some(5), "2026-01-03 08:00:00"),
            entry(3, true, None, "2026-01-09 08:00:00"),
            entry(4, false, Some(1), "2026-01-05 08:00:00"),
            entry(5, true, Some(7), "2026-01-08 08:00:00"),
            entry(6, false, Some(5), "2026-01-02 08:00:00"),
            entry(7, false, Some(5), "2026-01-02 08:00:00"),
            entry(8, false, None, "2025-12-31 08:00:00"),
        ];
        order_waitlist(&mut list);
        let ids: Vec<i64> = list.iter().map(|e| e.enrollment_id).collect();
        // stunting (desil 7 before unknown), desil 1, desil 5 by time (6 and 7 tie: id), unknown by time
        assert_eq!(ids, vec![5, 3, 4, 6, 7, 2, 8, 1]);
    }

    #[test]
    fn a_newcomer_queues_behind_those_it_does_not_outrank() {
        let list = vec![
            entry(1, false, None, "2026-01-01 08:00:00"),
            entry(2, true, Some(3), "2026-01-02 09:30:00"),
            entry(3, false, Some(2), "2026-01-03 10:00:00"),
        ];
        let newcomer = |stunting, desil| entry(99, stunting, desil, "2026-02-01 08:00:00");
        // behind the stunting household and desil 2, before the unknown desil
        assert_eq!(waitlist_position(&list, &newcomer(false, Some(2))), 3);
        assert_eq!(waitlist_position(&list, &newcomer(false, Some(1))), 2);
        assert_eq!(waitlist_position(&list, &newcomer(true, Some(1))), 1);
        assert_eq!(waitlist_position(&list, &newcomer(false, None)), 4);
        assert_eq!(waitlist_position(&[], &newcomer(false, None)), 1);
        // the place it gets is the place the explained waitlist then shows
        let joined = newcomer(false, Some(2));
        let mut after = list.clone();
        after.push(joined.clone());
        let explained = explain_waitlist(&after);
        let shown = explained
            .iter()
            .find(|(e, _)| e.enrollment_id == joined.enrollment_id)
            .map(|(_, why)| why.position);
        assert_eq!(shown, Some(waitlist_position(&list, &joined)));
    }

    #[test]
    fn waitlist_explained() {
        let list = vec![
            entry(1, false, None, "2026-01-01 08:00:00"),
            entry(2, true, Some(3), "2026-01-02 09:30:00"),
        ];
        let explained = explain_waitlist(&list);
        assert_eq!(explained[0].0.enrollment_id, 2);
        assert_eq!(explained[0].1.position, 1);
        assert!(explained[0].1.stunting_household);
        assert_eq!(explained[0].1.desil, Some(3));
        assert_eq!(explained[1].1.position, 2);
        assert_eq!(explained[1].1.registered_at, "2026-01-01 08:00:00");
    }

    #[test]
    fn withdraw_rules() {
        use EnrollmentStatus::*;
        assert_eq!(check_withdraw(Some(Enrolled), CohortStatus::Open), Ok(()));
        assert_eq!(
            check_withdraw(Some(Waitlisted), CohortStatus::Running),
            Ok(())
        );
        assert_eq!(
            check_withdraw(None, CohortStatus::Open),
            Err(WithdrawRefusal::NotEnrolled)
        );
        assert_eq!(
            check_withdraw(Some(Withdrawn), CohortStatus::Open),
            Err(WithdrawRefusal::NotEnrolled)
        );
        assert_eq!(
            check_withdraw(Some(Enrolled), CohortStatus::Completed),
            Err(WithdrawRefusal::CohortClosed {
                status: CohortStatus::Completed
            })
        );
        assert!(promotes_on_withdraw(Enrolled, CohortStatus::Open));
        assert!(promotes_on_withdraw(Enrolled, CohortStatus::Running));
        assert!(!promotes_on_withdraw(Waitlisted, CohortStatus::Open));
        assert!(!promotes_on_withdraw(Enrolled, CohortStatus::Draft));
    }

    #[test]
    fn codes_round_trip() {
        use strum::VariantArray;
        for o in Outcome::VARIANTS {
            assert_eq!(Outcome::parse(o.code()), Some(*o));
            assert_eq!(o.code().parse(), Ok(*o));
        }
        for f in Followup::VARIANTS {
            assert_eq!(Followup::parse(f.code()), Some(*f));
            assert_eq!(f.code().parse(), Ok(*f));
        }
        for s in EnrollmentStatus::VARIANTS {
            assert_eq!(s.code().parse(), Ok(*s));
        }
        assert!("Enrolled".parse::<EnrollmentStatus>().is_err());
    }

    #[test]
    fn completion_rules() {
        use EnrollmentStatus::*;
        assert_eq!(check_outcome(CohortStatus::Running, Enrolled), Ok(()));
        assert_eq!(check_outcome(CohortStatus::Completed, Enrolled), Ok(()));
        assert_eq!(
            check_outcome(CohortStatus::Open, Enrolled),
            Err(CompletionRefusal::CohortNotStarted {
                status: CohortStatus::Open
            })
        );
        assert_eq!(
            check_outcome(CohortStatus::Running, Waitlisted),
            Err(CompletionRefusal::NotEnrolled { status: Waitlisted })
        );
        assert_eq!(check_followup(Some(Outcome::Passed)), Ok(()));
        assert_eq!(
            check_followup(Some(Outcome::Failed)),
            Err(CompletionRefusal::NotPassed)
        );
        assert_eq!(check_followup(None), Err(CompletionRefusal::NotPassed));
    }
}
