//! Paper the office hands out or files (DOMAIN.md, "Paper"): which documents exist, who may print
//! each, which paper it takes, and the receipt's "what to bring" list from its setting. Pure: no
//! I/O, no rendering.

use serde::Serialize;

use super::access::Permission;

/// A printed document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Document {
    /// Bukti pendaftaran: one enrollment, A5.
    Receipt,
    /// Daftar hadir: a cohort's participants and training days, A4 landscape.
    Attendance,
    /// Sertifikat pelatihan: one page per participant who passed (lulus).
    Certificates,
    /// Daftar peserta BPJS Ketenagakerjaan (JKK/JKM) of a cohort, A4 landscape.
    BpjsList,
}

/// Which printer queue setting a document goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// `printer.receipt`.
    Receipt,
    /// `printer.a4`.
    A4,
}

impl Document {
    pub const ALL: [Document; 4] = [
        Document::Receipt,
        Document::Attendance,
        Document::Certificates,
        Document::BpjsList,
    ];

    /// The stored word (audit rows, template file names).
    pub fn code(self) -> &'static str {
        match self {
            Document::Receipt => "receipt",
            Document::Attendance => "attendance",
            Document::Certificates => "certificates",
            Document::BpjsList => "bpjs",
        }
    }

    /// Clerks print receipts; the cohort's papers carry every participant's data and are a
    /// supervisor's (issue 17).
    pub fn permission(self) -> Permission {
        match self {
            Document::Receipt => Permission::PrintReceipt,
            _ => Permission::PrintCohortPapers,
        }
    }

    pub fn paper(self) -> Paper {
        match self {
            Document::Receipt => Paper::Receipt,
            _ => Paper::A4,
        }
    }
}

/// What a participant brings to the first day, from the `receipt.bring` setting:
/// `*=KTP, KK; TBS=kain 2 m; OTO=baju kerja`. Entries are separated by `;`, items by `,`; the
/// `*` entry is for every course and comes first, then the entries of `course_code`
/// (case-insensitive). Empty items and entries without `=` are skipped.
pub fn bring_list(setting: &str, course_code: &str) -> Vec<String> {
    let entries: Vec<(&str, &str)> = setting
        .split(';')
        .filter_map(|entry| entry.split_once('='))
        .map(|(key, items)| (key.trim(), items))
        .collect();
    let items_of = |wanted: &dyn Fn(&str) -> bool| -> Vec<String> {
        entries
            .iter()
            .filter(|(key, _)| wanted(key))
            .flat_map(|(_, items)| items.split(','))
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut list = items_of(&|key| key == "*");
    list.extend(items_of(&|key| {
        key != "*" && key.eq_ignore_ascii_case(course_code.trim())
    }));
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::{Role, allows};

    #[test]
    fn bring_list_reads_common_then_course_items() {
        let setting = "*=KTP asli, fotokopi KK ; TBS= kain katun 2 m,benang ;OTO=baju kerja";
        assert_eq!(
            bring_list(setting, "tbs"),
            ["KTP asli", "fotokopi KK", "kain katun 2 m", "benang"]
        );
        assert_eq!(
            bring_list(setting, "OTO"),
            ["KTP asli", "fotokopi KK", "baju kerja"]
        );
        assert_eq!(bring_list(setting, "MUA"), ["KTP asli", "fotokopi KK"]);
    }

    #[test]
    fn bring_list_skips_what_it_cannot_read() {
        assert!(bring_list("", "TBS").is_empty());
        assert!(bring_list("KTP, KK", "TBS").is_empty());
        assert_eq!(bring_list("*=, ,KTP;;", "TBS"), ["KTP"]);
    }

    #[test]
    fn clerks_print_receipts_only() {
        for document in Document::ALL {
            let clerk = allows(Role::Clerk, document.permission());
            assert_eq!(clerk, document == Document::Receipt, "{document:?}");
            assert!(allows(Role::Supervisor, document.permission()));
        }
    }
}
