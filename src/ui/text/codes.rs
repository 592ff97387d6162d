//! Names of the stored codes (cohort, enrollment and coverage statuses, outcomes, follow-ups,
//! funding, roles, training places, permissions) in both languages: one [`Label`] impl per
//! code enum. The codes themselves live with their enums in `domain`.

use super::{Label, Lang, Msg};
use crate::domain::access::{Permission, Role};
use crate::domain::cohort::{CohortStatus, Funding, LocationKind, PlanField};
use crate::domain::coverage::CoverageStatus;
use crate::domain::enrollment::{EnrollmentStatus, Followup, Outcome};

impl Label for CohortStatus {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            CohortStatus::Draft => Msg::new("draf", "draft"),
            CohortStatus::Open => Msg::new("dibuka", "open"),
            CohortStatus::Running => Msg::new("berjalan", "running"),
            CohortStatus::Completed => Msg::new("selesai", "completed"),
            CohortStatus::Cancelled => Msg::new("dibatalkan", "cancelled"),
        }
        .get(lang)
    }
}

impl Label for EnrollmentStatus {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            EnrollmentStatus::Enrolled => Msg::new("terdaftar", "enrolled"),
            EnrollmentStatus::Waitlisted => Msg::new("daftar tunggu", "waitlisted"),
            EnrollmentStatus::Withdrawn => Msg::new("mundur", "withdrawn"),
        }
        .get(lang)
    }
}

impl Label for CoverageStatus {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            CoverageStatus::Unregistered => Msg::new("belum didaftarkan", "not registered"),
            CoverageStatus::Submitted => Msg::new("diajukan", "submitted"),
            CoverageStatus::Active => Msg::new("aktif", "active"),
            CoverageStatus::Rejected => Msg::new("ditolak", "rejected"),
        }
        .get(lang)
    }
}

impl Label for Outcome {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            Outcome::Passed => Msg::new("lulus", "passed"),
            Outcome::Failed => Msg::new("tidak lulus", "failed"),
            Outcome::DroppedOut => Msg::new("mengundurkan diri", "dropped out"),
        }
        .get(lang)
    }
}

impl Label for Followup {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            Followup::Employed => Msg::new("bekerja", "employed"),
            Followup::SelfEmployed => Msg::new("usaha mandiri", "self-employed"),
            Followup::BusinessGroup => Msg::new("kelompok usaha", "business group"),
            Followup::Unemployed => Msg::new("belum bekerja", "not working yet"),
        }
        .get(lang)
    }
}

impl Label for PlanField {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            PlanField::Dates => Msg::new("Tanggal", "Dates"),
            PlanField::Venue => Msg::new("Tempat", "Venue"),
            PlanField::Capacity => Msg::new("Kapasitas", "Capacity"),
            PlanField::Minimum => Msg::new("Minimal peserta", "Minimum"),
            PlanField::Instructor => Msg::new("Instruktur", "Instructor"),
        }
        .get(lang)
    }
}

impl Label for Funding {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            Funding::Apbd => Msg::new("APBD", "APBD"),
            Funding::Apbn => Msg::new("APBN", "APBN"),
            Funding::Dif => Msg::new("Dana Insentif Fiskal", "Fiscal incentive fund"),
            Funding::Csr => Msg::new("CSR", "CSR"),
        }
        .get(lang)
    }
}

impl Label for Role {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            Role::Clerk => Msg::new("Petugas", "Clerk"),
            Role::Supervisor => Msg::new("Supervisor", "Supervisor"),
            Role::Admin => Msg::new("Admin", "Admin"),
        }
        .get(lang)
    }
}

impl Label for LocationKind {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            LocationKind::Venue => Msg::new("tempat pelatihan", "training venue"),
            LocationKind::DistrictOffice => Msg::new("kantor kecamatan", "district office"),
            LocationKind::VillageOffice => Msg::new("kantor desa", "village office"),
            LocationKind::CommunityHall => Msg::new("balai warga", "community hall"),
            LocationKind::Company => Msg::new("perusahaan", "company"),
        }
        .get(lang)
    }
}

/// What a permission lets an operator do, as the end of "may not ...".
impl Label for Permission {
    fn label(self, lang: Lang) -> &'static str {
        use Permission::*;
        match self {
            SearchResidents => Msg::new("mencari penduduk", "search residents"),
            EditResidents => Msg::new(
                "mendaftarkan atau mengubah data penduduk",
                "register or edit residents",
            ),
            Enroll => Msg::new(
                "mendaftarkan peserta ke angkatan",
                "enroll participants in cohorts",
            ),
            Withdraw => Msg::new("mengundurkan peserta", "withdraw participants"),
            SubmitCoverage => Msg::new("mengajukan kepesertaan BPJS", "submit BPJS coverage"),
            ManageCohorts => Msg::new("mengelola angkatan", "manage cohorts"),
            RecordAttendance => Msg::new("mencatat kehadiran", "record attendance"),
            CompleteCohorts => Msg::new(
                "menyelesaikan angkatan dan kelulusan",
                "complete cohorts and record outcomes",
            ),
            ActivateCoverage => Msg::new("mengaktifkan kepesertaan BPJS", "activate BPJS coverage"),
            Export => Msg::new("mengekspor data", "export data"),
            ViewDashboard => Msg::new("melihat dasbor", "view the dashboard"),
            ImportResidents => Msg::new("mengimpor data penduduk", "import residents"),
            ManageReference => Msg::new("mengelola data referensi", "manage reference data"),
            ManageSettings => Msg::new("mengubah pengaturan", "change settings"),
            ViewAudit => Msg::new("melihat jejak audit", "view the audit trail"),
            Backup => Msg::new("mencadangkan database", "back up the database"),
            ManageOperators => Msg::new("mengelola operator", "manage operators"),
            PrintReceipt => Msg::new("mencetak bukti pendaftaran", "print registration receipts"),
            PrintCohortPapers => Msg::new(
                "mencetak daftar hadir, sertifikat dan daftar BPJS",
                "print attendance sheets, certificates and BPJS lists",
            ),
            Restore => Msg::new(
                "memulihkan atau mengganti database",
                "restore or replace the database",
            ),
        }
        .get(lang)
    }
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;

    /// What a screen shows in Bahasa Indonesia, a supervisor may type back.
    #[test]
    fn indonesian_labels_read_back() {
        for s in CohortStatus::VARIANTS {
            assert_eq!(CohortStatus::parse(s.label(Lang::Id)), Some(*s));
        }
        for s in CoverageStatus::VARIANTS {
            assert_eq!(CoverageStatus::parse(s.label(Lang::Id)), Some(*s));
        }
        for o in Outcome::VARIANTS {
            assert_eq!(Outcome::parse(o.label(Lang::Id)), Some(*o));
        }
        for f in Followup::VARIANTS {
            assert_eq!(Followup::parse(f.label(Lang::Id)), Some(*f));
        }
        for f in Funding::VARIANTS {
            assert_eq!(Funding::parse(f.label(Lang::Id)), Some(*f));
        }
        for r in Role::VARIANTS {
            assert_eq!(Role::parse(r.label(Lang::Id)), Some(*r));
        }
    }
}
