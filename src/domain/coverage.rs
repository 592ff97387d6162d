//! Kepesertaan BPJS Ketenagakerjaan JKK/JKM for the training period (DOMAIN.md: "BPJS
//! Ketenagakerjaan coverage for trainees"): belum didaftarkan -> diajukan -> aktif (with the KPJ
//! number) or ditolak (with a reason); a rejection may be submitted again, and moved cohort dates
//! mark submitted or active coverage for re-submission. Pure: no I/O, no clock.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Status kepesertaan. The code (`unregistered`...) is what `coverage.status` stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "lowercase")]
pub enum CoverageStatus {
    /// Belum didaftarkan.
    Unregistered,
    /// Diajukan ke BPJS.
    Submitted,
    /// Aktif, with a KPJ.
    Active,
    /// Ditolak, with a reason.
    Rejected,
}

impl CoverageStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        self.into()
    }
    /// Reads what a supervisor types: the code or the Indonesian words, any case.
    pub fn parse(s: &str) -> Option<CoverageStatus> {
        match s.trim().to_ascii_lowercase().as_str() {
            "unregistered" | "belum didaftarkan" => Some(CoverageStatus::Unregistered),
            "submitted" | "diajukan" => Some(CoverageStatus::Submitted),
            "active" | "aktif" => Some(CoverageStatus::Active),
            "rejected" | "ditolak" => Some(CoverageStatus::Rejected),
            _ => None,
        }
    }
}

/// The coverage of one enrollment, as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoverageState {
    pub status: CoverageStatus,
    pub needs_resubmission: bool,
}

/// Why a coverage change is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CoverageError {
    #[error("{from:?} coverage cannot become {to:?}")]
    NotAllowed {
        from: CoverageStatus,
        to: CoverageStatus,
    },
    #[error("a KPJ number has 11 digits")]
    BadKpj,
    #[error("a rejection needs a reason")]
    ReasonRequired,
    #[error("no program chosen")]
    NoProgram,
    #[error("programs are locked once submitted")]
    ProgramsLocked,
    #[error("KPJ {kpj} belongs to another person")]
    KpjTaken { kpj: String },
    #[error("the KPJ is unchanged")]
    KpjUnchanged,
    #[error("a KPJ correction needs a reason")]
    CorrectionReasonRequired,
}

/// Submitting to BPJS: from unregistered or rejected, or again when the dates moved.
pub fn check_submit(state: CoverageState) -> Result<(), CoverageError> {
    match state.status {
        CoverageStatus::Unregistered | CoverageStatus::Rejected => Ok(()),
        CoverageStatus::Submitted | CoverageStatus::Active if state.needs_resubmission => Ok(()),
        from => Err(CoverageError::NotAllowed {
            from,
            to: CoverageStatus::Submitted,
        }),
    }
}

/// Normalises and checks a KPJ (nomor kartu peserta jamsostek): 11 digits, spaces and dots
/// ignored.
pub fn parse_kpj(input: &str) -> Result<String, CoverageError> {
    let digits: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    if digits.len() == 11 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(CoverageError::BadKpj)
    }
}

/// Activation by BPJS's answer: only submitted coverage becomes active, with its KPJ.
pub fn check_activate(state: CoverageState, kpj: &str) -> Result<String, CoverageError> {
    if state.status != CoverageStatus::Submitted {
        return Err(CoverageError::NotAllowed {
            from: state.status,
            to: CoverageStatus::Active,
        });
    }
    parse_kpj(kpj)
}

/// A KPJ is one person's BPJS membership number: it may appear on several of their
/// enrollments (a second course), never on another person's. `holders` are the residents whose
/// coverage carries `kpj` already.
pub fn check_kpj_holder(kpj: &str, holders: &[i64], resident: i64) -> Result<(), CoverageError> {
    if holders.iter().any(|h| *h != resident) {
        Err(CoverageError::KpjTaken {
            kpj: kpj.to_string(),
        })
    } else {
        Ok(())
    }
}

/// Correcting a mistyped KPJ (supervisor): only on active coverage, with a reason, to a valid
/// number that differs from the one stored. Returns the normalised KPJ.
pub fn check_correct_kpj(
    state: CoverageState,
    current: Option<&str>,
    kpj: &str,
    reason: &str,
) -> Result<String, CoverageError> {
    if state.status != CoverageStatus::Active {
        return Err(CoverageError::NotAllowed {
            from: state.status,
            to: CoverageStatus::Active,
        });
    }
    let kpj = parse_kpj(kpj)?;
    if current == Some(kpj.as_str()) {
        return Err(CoverageError::KpjUnchanged);
    }
    if reason.trim().is_empty() {
        return Err(CoverageError::CorrectionReasonRequired);
    }
    Ok(kpj)
}

/// Rejection by BPJS: only submitted coverage, always with a reason.
pub fn check_reject(state: CoverageState, reason: &str) -> Result<(), CoverageError> {
    if state.status != CoverageStatus::Submitted {
        return Err(CoverageError::NotAllowed {
            from: state.status,
            to: CoverageStatus::Rejected,
        });
    }
    if reason.trim().is_empty() {
        return Err(CoverageError::ReasonRequired);
    }
    Ok(())
}

/// Choosing JKK/JKM: at least one, and only before submission (or after a rejection).
pub fn check_programs(state: CoverageState, jkk: bool, jkm: bool) -> Result<(), CoverageError> {
    if !jkk && !jkm {
        return Err(CoverageError::NoProgram);
    }
    match state.status {
        CoverageStatus::Unregistered | CoverageStatus::Rejected => Ok(()),
        _ => Err(CoverageError::ProgramsLocked),
    }
}

/// When the cohort's dates move, BPJS must be told again if it already knows the old period.
pub fn needs_resubmission_after_move(status: CoverageStatus) -> bool {
    matches!(status, CoverageStatus::Submitted | CoverageStatus::Active)
}

#[cfg(test)]
mod tests {
    use super::*;
    use CoverageStatus::*;

    fn st(status: CoverageStatus, resubmit: bool) -> CoverageState {
        CoverageState {
            status,
            needs_resubmission: resubmit,
        }
    }

    #[test]
    fn submit_table() {
        assert_eq!(check_submit(st(Unregistered, false)), Ok(()));
        assert_eq!(check_submit(st(Rejected, false)), Ok(()));
        assert_eq!(
            check_submit(st(Submitted, false)),
            Err(CoverageError::NotAllowed {
                from: Submitted,
                to: Submitted
            })
        );
        assert_eq!(
            check_submit(st(Active, false)),
            Err(CoverageError::NotAllowed {
                from: Active,
                to: Submitted
            })
        );
        assert_eq!(check_submit(st(Active, true)), Ok(()));
        assert_eq!(check_submit(st(Submitted, true)), Ok(()));
    }

    #[test]
    fn activate_and_reject() {
        assert_eq!(
            check_activate(st(Submitted, false), "260 0000 1234"),
            Ok("26000001234".into())
        );
        assert_eq!(
            check_activate(st(Submitted, false), "2600000123"),
            Err(CoverageError::BadKpj)
        );
        assert_eq!(
            check_activate(st(Submitted, false), "2600000123x"),
            Err(CoverageError::BadKpj)
        );
        assert_eq!(
            check_activate(st(Unregistered, false), "26000001234"),
            Err(CoverageError::NotAllowed {
                from: Unregistered,
                to: Active
            })
        );
        assert_eq!(
            check_reject(st(Submitted, false), "NIK tidak cocok"),
            Ok(())
        );
        assert_eq!(
            check_reject(st(Submitted, false), " "),
            Err(CoverageError::ReasonRequired)
        );
        assert_eq!(
            check_reject(st(Active, false), "x"),
            Err(CoverageError::NotAllowed {
                from: Active,
                to: Rejected
            })
        );
    }

    #[test]
    fn a_kpj_is_one_persons() {
        // (holders, resident, ok)
        let cases: &[(&[i64], i64, bool)] = &[
            (&[], 7, true),
            (&[7], 7, true),
            (&[7, 7], 7, true),
            (&[8], 7, false),
            (&[7, 8], 7, false),
        ];
        for (holders, resident, ok) in cases {
            let got = check_kpj_holder("26000001234", holders, *resident);
            assert_eq!(got.is_ok(), *ok, "{holders:?} for {resident}");
            if !ok {
                assert_eq!(
                    got,
                    Err(CoverageError::KpjTaken {
                        kpj: "26000001234".into()
                    })
                );
            }
        }
    }

    #[test]
    fn correcting_a_kpj() {
        let active = st(Active, false);
        let current = Some("26000001234");
        type Case = (
            CoverageState,
            &'static str,
            &'static str,
            Result<String, CoverageError>,
        );
        let cases: &[Case] = &[
            (
                active,
                "260 0000 1243",
                "salah ketik",
                Ok("26000001243".into()),
            ),
            (
                active,
                "26000001243",
                " ",
                Err(CoverageError::CorrectionReasonRequired),
            ),
            (
                active,
                "2600000124",
                "salah ketik",
                Err(CoverageError::BadKpj),
            ),
            (
                active,
                "26000001234",
                "salah ketik",
                Err(CoverageError::KpjUnchanged),
            ),
            (
                st(Submitted, false),
                "26000001243",
                "x",
                Err(CoverageError::NotAllowed {
                    from: Submitted,
                    to: Active,
                }),
            ),
            (
                st(Rejected, false),
                "26000001243",
                "x",
                Err(CoverageError::NotAllowed {
                    from: Rejected,
                    to: Active,
                }),
            ),
        ];
        for (state, kpj, reason, want) in cases {
            assert_eq!(
                &check_correct_kpj(*state, current, kpj, reason),
                want,
                "{state:?} {kpj} {reason:?}"
            );
        }
    }

    #[test]
    fn programs_and_moves() {
        assert_eq!(check_programs(st(Unregistered, false), true, false), Ok(()));
        assert_eq!(
            check_programs(st(Unregistered, false), false, false),
            Err(CoverageError::NoProgram)
        );
        assert_eq!(
            check_programs(st(Submitted, false), true, true),
            Err(CoverageError::ProgramsLocked)
        );
        assert_eq!(check_programs(st(Rejected, false), true, true), Ok(()));
        assert!(!needs_resubmission_after_move(Unregistered));
        assert!(needs_resubmission_after_move(Submitted));
        assert!(needs_resubmission_after_move(Active));
        assert!(!needs_resubmission_after_move(Rejected));
        for s in [Unregistered, Submitted, Active, Rejected] {
            assert_eq!(CoverageStatus::parse(s.code()), Some(s));
            assert_eq!(s.code().parse(), Ok(s));
        }
    }
}
