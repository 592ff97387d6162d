//! Sentences of the enrollment, withdrawal, completion and BPJS coverage rules and errors, and
//! of the explained waitlist.

use super::{Label, Lang, Localized, Msg, pick};
use crate::db::coverage::CoverageChangeError;
use crate::db::enrollment::{ChangeError, EnrollError};
use crate::domain::coverage::CoverageError;
use crate::domain::enrollment::{CompletionRefusal, Refusal, WaitlistReason, WithdrawRefusal};

impl Localized for Refusal {
    fn text(&self, lang: Lang) -> String {
        match self {
            Refusal::CohortNotOpen { status } => pick(
                lang,
                format!(
                    "Angkatan berstatus {}: hanya angkatan yang dibuka menerima pendaftaran",
                    status.label(lang)
                ),
                format!(
                    "The cohort is {}: only open cohorts take enrollments",
                    status.label(lang)
                ),
            ),
            Refusal::TooYoung { age, min } => pick(
                lang,
                format!(
                    "Umur {age} tahun pada tanggal mulai, kurang dari batas minimal {min} tahun"
                ),
                format!("Aged {age} on the start date, below the minimum age of {min}"),
            ),
            Refusal::TooOld { age, max } => pick(
                lang,
                format!(
                    "Umur {age} tahun pada tanggal mulai, lebih dari batas maksimal {max} tahun"
                ),
                format!("Aged {age} on the start date, above the maximum age of {max}"),
            ),
            Refusal::AlreadyInCohort { status } => pick(
                lang,
                format!("Sudah {} di angkatan ini", status.label(lang)),
                format!("Already {} in this cohort", status.label(lang)),
            ),
            Refusal::Overlap { code, start, end } => pick(
                lang,
                format!(
                    "Tanggalnya bentrok dengan angkatan {code} ({start} s.d. {end}) yang sudah diikuti"
                ),
                format!("The dates overlap with cohort {code} ({start} to {end}) already taken"),
            ),
        }
    }
}

impl Localized for WithdrawRefusal {
    fn text(&self, lang: Lang) -> String {
        match self {
            WithdrawRefusal::NotEnrolled => Msg::new(
                "Penduduk ini tidak terdaftar atau menunggu di angkatan ini",
                "This resident is neither enrolled nor waitlisted in this cohort",
            )
            .text(lang),
            WithdrawRefusal::CohortClosed { status } => pick(
                lang,
                format!(
                    "Angkatan sudah {}: gunakan kelulusan (mengundurkan diri) untuk mencatatnya",
                    status.label(lang)
                ),
                format!(
                    "The cohort is {}: record a dropped-out outcome instead",
                    status.label(lang)
                ),
            ),
        }
    }
}

impl Localized for CompletionRefusal {
    fn text(&self, lang: Lang) -> String {
        match self {
            CompletionRefusal::CohortNotStarted { status } => pick(
                lang,
                format!(
                    "Angkatan berstatus {}: kelulusan dicatat setelah pelatihan dimulai",
                    status.label(lang)
                ),
                format!(
                    "The cohort is {}: outcomes are recorded once training has started",
                    status.label(lang)
                ),
            ),
            CompletionRefusal::NotEnrolled { status } => pick(
                lang,
                format!(
                    "Hanya peserta terdaftar yang punya hasil pelatihan (status: {})",
                    status.label(lang)
                ),
                format!(
                    "Only enrolled participants have an outcome (status: {})",
                    status.label(lang)
                ),
            ),
            CompletionRefusal::NotPassed => Msg::new(
                "Tindak lanjut dicatat untuk peserta yang lulus",
                "Follow-up is recorded for participants who passed",
            )
            .text(lang),
            CompletionRefusal::CertificateNotPassed => Msg::new(
                "Nomor sertifikat hanya untuk peserta yang lulus",
                "A certificate number is only for participants who passed",
            )
            .text(lang),
            CompletionRefusal::CertificateTaken { number } => pick(
                lang,
                format!("Nomor sertifikat {number} sudah tercatat untuk peserta lain"),
                format!("Certificate number {number} is already recorded for another participant"),
            ),
            CompletionRefusal::ToolkitDroppedOut => Msg::new(
                "Peserta yang mengundurkan diri tidak menerima toolkit",
                "A participant who dropped out receives no toolkit",
            )
            .text(lang),
            CompletionRefusal::ToolkitInFuture { on } => pick(
                lang,
                format!(
                    "Tanggal serah terima toolkit {} belum tiba",
                    on.format("%d-%m-%Y")
                ),
                format!(
                    "The toolkit hand-over date {} has not come yet",
                    on.format("%d-%m-%Y")
                ),
            ),
            CompletionRefusal::ToolkitBeforeStart { on, start } => pick(
                lang,
                format!(
                    "Tanggal serah terima toolkit {} sebelum pelatihan dimulai ({})",
                    on.format("%d-%m-%Y"),
                    start.format("%d-%m-%Y")
                ),
                format!(
                    "The toolkit hand-over date {} is before the training started ({})",
                    on.format("%d-%m-%Y"),
                    start.format("%d-%m-%Y")
                ),
            ),
        }
    }
}

impl Localized for EnrollError {
    fn text(&self, lang: Lang) -> String {
        match self {
            EnrollError::Refused(r) => r.text(lang),
            EnrollError::Denied(e) => e.text(lang),
            EnrollError::ResidentNotFound => {
                Msg::new("Penduduk tidak ditemukan", "Resident not found").text(lang)
            }
            EnrollError::CohortNotFound => {
                Msg::new("Angkatan tidak ditemukan", "Cohort not found").text(lang)
            }
            EnrollError::Db(e) => e.text(lang),
        }
    }
}

impl Localized for ChangeError {
    fn text(&self, lang: Lang) -> String {
        match self {
            ChangeError::Withdraw(r) => r.text(lang),
            ChangeError::Completion(r) => r.text(lang),
            ChangeError::Denied(e) => e.text(lang),
            ChangeError::NotFound(what) => crate::db::DbError::Missing(what.clone()).text(lang),
            ChangeError::Db(e) => e.text(lang),
        }
    }
}

impl Localized for CoverageError {
    fn text(&self, lang: Lang) -> String {
        match self {
            CoverageError::NotAllowed { from, to } => pick(
                lang,
                format!(
                    "Kepesertaan berstatus {} tidak bisa menjadi {}",
                    from.label(lang),
                    to.label(lang)
                ),
                format!(
                    "Coverage that is {} cannot become {}",
                    from.label(lang),
                    to.label(lang)
                ),
            ),
            CoverageError::BadKpj => Msg::new(
                "Nomor KPJ harus 11 angka (tertulis di kartu BPJS Ketenagakerjaan)",
                "The KPJ number must be 11 digits (as on the BPJS card)",
            )
            .text(lang),
            CoverageError::ReasonRequired => Msg::new(
                "Penolakan harus disertai alasan dari BPJS",
                "A rejection needs BPJS's reason",
            )
            .text(lang),
            CoverageError::NoProgram => Msg::new(
                "Paling sedikit satu program (JKK atau JKM) harus dipilih",
                "At least one program (JKK or JKM) must be chosen",
            )
            .text(lang),
            CoverageError::ProgramsLocked => Msg::new(
                "Program tidak bisa diubah setelah diajukan; tunggu hasilnya atau ajukan ulang",
                "Programs cannot change once submitted; wait for the answer or resubmit",
            )
            .text(lang),
            CoverageError::KpjTaken { kpj } => pick(
                lang,
                format!(
                    "KPJ {kpj} sudah tercatat untuk orang lain: satu KPJ milik satu orang. \
                     Periksa kembali nomornya di kartu BPJS."
                ),
                format!(
                    "KPJ {kpj} is recorded for another person: a KPJ belongs to one person. \
                     Check the number on the BPJS card."
                ),
            ),
            CoverageError::KpjUnchanged => Msg::new(
                "Nomor KPJ sama dengan yang tercatat",
                "The KPJ number is the one already recorded",
            )
            .text(lang),
            CoverageError::CorrectionReasonRequired => Msg::new(
                "Koreksi KPJ harus disertai alasan",
                "A KPJ correction needs a reason",
            )
            .text(lang),
        }
    }
}

impl Localized for CoverageChangeError {
    fn text(&self, lang: Lang) -> String {
        match self {
            CoverageChangeError::Rule(e) => e.text(lang),
            CoverageChangeError::Denied(e) => e.text(lang),
            CoverageChangeError::NotFound(id) => pick(
                lang,
                format!("Kepesertaan untuk pendaftaran #{id} tidak ditemukan"),
                format!("No coverage for enrollment #{id}"),
            ),
            CoverageChangeError::Db(e) => e.text(lang),
        }
    }
}

/// Why someone stands where they stand: "rumah tangga balita stunting, desil 3, mendaftar ...".
impl Localized for WaitlistReason {
    fn text(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        if self.stunting_household {
            parts.push(
                Msg::new(
                    "rumah tangga balita stunting",
                    "household with a stunted toddler",
                )
                .text(lang),
            );
        }
        parts.push(match self.desil {
            Some(d) => format!("desil {d}"),
            None => Msg::new("desil belum diketahui", "desil unknown").text(lang),
        });
        parts.push(pick(
            lang,
            format!("mendaftar {}", self.registered_at),
            format!("registered {}", self.registered_at),
        ));
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waitlist_reasons_read_in_both_languages() {
        let head = WaitlistReason {
            position: 1,
            stunting_household: true,
            desil: Some(3),
            registered_at: "2026-01-02 09:30:00".into(),
        };
        assert_eq!(
            head.text(Lang::Id),
            "rumah tangga balita stunting, desil 3, mendaftar 2026-01-02 09:30:00"
        );
        let next = WaitlistReason {
            position: 2,
            stunting_household: false,
            desil: None,
            registered_at: "2026-01-01 08:00:00".into(),
        };
        assert_eq!(
            next.text(Lang::En),
            "desil unknown, registered 2026-01-01 08:00:00"
        );
    }
}
