//! Kesiapan angkatan: whether a cohort may start, and why not. A supervisor wants to see before a
//! cohort starts that it has enough participants, that every participant is covered by JKK and
//! JKM for its dates, and that its instructor holds a valid BNSP certificate (DOMAIN.md); and
//! while it runs, the same questions still matter (a participant training uncovered). Pure.

use chrono::NaiveDate;
use serde::Serialize;

use super::cohort::{BnspWarning, CohortStatus};

/// One reason a cohort is not ready (told by `ui::text::cohorts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum NotReady {
    /// Fewer participants than the cohort's minimum.
    TooFew { enrolled: u32, minimum: u32 },
    /// Participants whose JKK+JKM is not active for the cohort's dates.
    Uncovered { count: u32 },
    /// The instructor or the certificate is missing, expired or expires before the end.
    Instructor(BnspWarning),
}

/// Every reason the cohort is not ready; empty means ready. `covered` counts enrolled
/// participants whose coverage is active with both programs and needs no re-submission.
pub fn readiness(
    enrolled: u32,
    minimum: u32,
    covered: u32,
    instructor: Option<BnspWarning>,
) -> Vec<NotReady> {
    let mut reasons = Vec::new();
    if enrolled < minimum {
        reasons.push(NotReady::TooFew { enrolled, minimum });
    }
    if covered < enrolled {
        reasons.push(NotReady::Uncovered {
            count: enrolled - covered,
        });
    }
    if let Some(warning) = instructor {
        reasons.push(NotReady::Instructor(warning));
    }
    reasons
}

/// Whether readiness is asked of a cohort in this status: before it starts and while it runs.
pub fn applies(status: CohortStatus) -> bool {
    matches!(
        status,
        CohortStatus::Draft | CohortStatus::Open | CohortStatus::Running
    )
}

/// Whether a cohort belongs on the "not ready, starting soon" list: planned (draft or open),
/// starting from today up to `warn_days` days ahead (setting `readiness.warn_days`), and not
/// ready.
pub fn warn_soon(
    status: CohortStatus,
    start: NaiveDate,
    today: NaiveDate,
    warn_days: u32,
    not_ready: &[NotReady],
) -> bool {
    status.dates_editable()
        && !not_ready.is_empty()
        && today <= start
        && (start - today).num_days() <= i64::from(warn_days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_is_listed_as_not_ready_soon() {
        use CohortStatus::*;
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let today = d(12, 3);
        let reasons = [NotReady::Uncovered { count: 2 }];
        // (status, start, warn_days, not ready?, listed)
        let cases = [
            (Open, d(12, 3), 14, true, true),
            (Open, d(12, 17), 14, true, true),
            (Draft, d(12, 10), 14, true, true),
            (Open, d(12, 18), 14, true, false),
            (Open, d(12, 17), 14, false, false),
            (Open, d(12, 2), 14, true, false),
            (Running, d(12, 1), 14, true, false),
            (Cancelled, d(12, 10), 14, true, false),
            (Open, d(12, 3), 0, true, true),
            (Open, d(12, 4), 0, true, false),
        ];
        for (status, start, days, not_ready, want) in cases {
            let why: &[NotReady] = if not_ready { &reasons } else { &[] };
            assert_eq!(
                warn_soon(status, start, today, days, why),
                want,
                "{status:?} {start} within {days}"
            );
        }
        assert!(applies(Running) && applies(Open) && applies(Draft));
        assert!(!applies(Completed) && !applies(Cancelled));
    }

    #[test]
    fn ready_only_when_full_enough_covered_and_certified() {
        assert!(readiness(16, 16, 16, None).is_empty());
        assert_eq!(
            readiness(12, 16, 12, None),
            vec![NotReady::TooFew {
                enrolled: 12,
                minimum: 16
            }]
        );
        assert_eq!(
            readiness(16, 16, 13, None),
            vec![NotReady::Uncovered { count: 3 }]
        );
        let expired = BnspWarning::Expired {
            on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        };
        let all = readiness(3, 16, 0, Some(expired));
        assert_eq!(all.len(), 3);
        assert_eq!(all[2], NotReady::Instructor(expired));
    }
}
