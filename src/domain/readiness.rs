//! Kesiapan angkatan: whether a cohort may start, and why not. A supervisor wants to see before a
//! cohort starts that it has enough participants, that every participant is covered by JKK and
//! JKM for its dates, and that its instructor holds a valid BNSP certificate (DOMAIN.md). Pure.

use serde::Serialize;

use super::cohort::BnspWarning;

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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

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
