//! Text of the walk-in desk: search, resident screen, register/edit form and its modals.

use super::{Lang, Localized, Msg, pick};
use crate::db::enrollment::Promotion;
use crate::db::residents::ResidentError;
use crate::domain::cohort::CohortStatus;
use crate::domain::coverage::CoverageStatus;
use crate::domain::enrollment::{EnrollmentStatus, Outcome};
use crate::domain::nik::Sex;

// Search
pub const SEARCH_TITLE: Msg = Msg::new("Cari penduduk", "Find resident");
pub const SEARCH_PROMPT: Msg = Msg::new("NIK, nomor KK, atau nama", "NIK, KK number or name");
pub const SEARCH_EMPTY_HINT: Msg = Msg::new(
    " Ketik NIK atau nomor KK (awalnya saja cukup) atau nama. F2 daftar baru.",
    " Type a NIK or KK number (the start is enough) or a name. F2 registers a new resident.",
);
pub const SEARCHING: Msg = Msg::new(" Mencari...", " Searching...");
pub const MATCHES: Msg = Msg::new("cocok", "found");
pub const NO_MATCH: Msg = Msg::new(
    "Tidak ada penduduk yang cocok dengan",
    "No resident matches",
);
pub const NO_MATCH_REGISTER: Msg = Msg::new(
    "daftarkan sebagai penduduk baru (yang diketik ikut terbawa)",
    "register a new resident (what you typed is carried over)",
);
pub const LEGEND: Msg = Msg::new(
    " P peserta  T daftar tunggu │ BPJS: ✓ aktif  … diajukan  ! ditolak  - belum",
    " P enrolled  T waitlisted │ BPJS: ✓ active  … submitted  ! rejected  - none",
);
pub const COL_NAME: Msg = Msg::new("Nama", "Name");
pub const COL_SEX: Msg = Msg::new("JK", "Sex");
pub const COL_AGE: Msg = Msg::new("Umur", "Age");
pub const COL_VILLAGE: Msg = Msg::new("Desa/Kel.", "Village");
pub const COL_DISTRICT: Msg = Msg::new("Kecamatan", "District");
pub const OPEN_RESIDENT: Msg = Msg::new("Buka", "Open");
pub const REGISTER_NEW: Msg = Msg::new("Daftar baru", "Register new");
pub const CLEAR_QUERY: Msg = Msg::new("Kosongkan", "Clear");
pub const RECENT: Msg = Msg::new("Terakhir", "Recent");
pub const RECENT_TITLE: Msg = Msg::new("Penduduk yang terakhir dibuka", "Residents opened last");
pub const RECENT_EMPTY: Msg = Msg::new(
    "Operator ini belum membuka data penduduk.",
    "This operator has not opened a resident yet.",
);
pub const RECENT_NOTE: Msg = Msg::new(
    " Terbaru di atas. Membuka data penduduk tercatat di jejak audit.",
    " Newest first. Opening a resident is recorded in the audit trail.",
);
pub const UP: Msg = Msg::new("Naik", "Up");
pub const DOWN: Msg = Msg::new("Turun", "Down");
pub const PAGE_UP: Msg = Msg::new("Halaman sebelumnya", "Page up");
pub const PAGE_DOWN: Msg = Msg::new("Halaman berikutnya", "Page down");
pub const FIRST: Msg = Msg::new("Paling atas", "First");

// Resident screen
pub const RESIDENT_TITLE: Msg = Msg::new("Data penduduk", "Resident");
pub const RESIDENT_GONE: Msg = Msg::new(
    "Data penduduk ini tidak ditemukan lagi.",
    "This resident no longer exists.",
);
pub const EDIT: Msg = Msg::new("Ubah", "Edit");
pub const ENROLL: Msg = Msg::new("Daftarkan", "Enroll");
pub const WITHDRAW: Msg = Msg::new("Mundur", "Withdraw");
pub const SUBMIT_BPJS: Msg = Msg::new("Ajukan BPJS", "Submit BPJS");
pub const NEW_MEMBER: Msg = Msg::new("Anggota baru", "New member");
pub const OPEN_MEMBER_OR_EDIT: Msg = Msg::new(
    "Buka anggota keluarga yang dipilih (lainnya: ubah)",
    "Open the selected family member (elsewhere: edit)",
);
pub const PICK_ENROLLMENT: Msg = Msg::new(
    "Pilih pelatihannya dulu di riwayat dengan ↑↓.",
    "Choose the training in the history with ↑↓ first.",
);
pub const WITHDRAW_REASON: Msg = Msg::new(
    "Alasan mundur (boleh kosong), lalu Enter. Esc batal.",
    "Why the resident withdraws (may be empty), then Enter. Esc cancels.",
);
pub const WITHDRAW_YES: Msg = Msg::new("Ya, mundurkan", "Yes, withdraw");
pub const WITHDRAW_NO: Msg = Msg::new("Batal", "Cancel");
pub const BACK: Msg = Msg::new("Kembali", "Back");
pub const SCROLL_UP: Msg = Msg::new("Gulir naik", "Scroll up");
pub const SCROLL_DOWN: Msg = Msg::new("Gulir turun", "Scroll down");
pub const YEARS: Msg = Msg::new("tahun", "years");
pub const NIK_REGISTERED_IN: Msg = Msg::new("Terdaftar di kec.", "Registered in district");
pub const NIK_BORN: Msg = Msg::new("lahir", "born");
pub const NIK_UNREADABLE: Msg = Msg::new("NIK ini tidak bisa diuraikan", "This NIK cannot be read");
pub const MISMATCH_CONFIRMED: Msg = Msg::new(
    "beda dengan KTP, sudah dikonfirmasi",
    "differs from the KTP, confirmed",
);
pub const KEC: Msg = Msg::new("Kec.", "District");
pub const DESIL: Msg = Msg::new("Desil", "Decile");
pub const AS_OF: Msg = Msg::new("per", "as of");
pub const PRIORITY: Msg = Msg::new("Prioritas", "Priority");
pub const STUNTING: Msg = Msg::new("Balita stunting:", "Stunted toddler:");
pub const DISABILITY: Msg = Msg::new("Disabilitas:", "Disability:");
pub const YES: Msg = Msg::new("ya", "yes");
pub const NO: Msg = Msg::new("tidak", "no");
pub const HISTORY: Msg = Msg::new("Riwayat pelatihan", "Training history");
pub const NO_HISTORY: Msg = Msg::new(
    "Belum pernah mendaftar pelatihan.",
    "Never enrolled in a training.",
);
pub const FAMILY: Msg = Msg::new("Keluarga (KK sama)", "Family (same KK)");
pub const NO_FAMILY: Msg = Msg::new(
    "Tidak ada anggota keluarga lain yang terdaftar.",
    "No other family member registered.",
);
pub const ENROLLED: Msg = Msg::new("peserta", "enrolled");
pub const WAITLISTED: Msg = Msg::new("daftar tunggu", "waitlisted");

// Form
pub const REGISTER_TITLE: Msg = Msg::new("Daftar penduduk baru", "Register resident");
pub const EDIT_TITLE: Msg = Msg::new("Ubah data penduduk", "Edit resident");
pub const F_NIK: Msg = Msg::new("NIK", "NIK");
pub const F_KK: Msg = Msg::new("No. KK", "KK number");
pub const F_NAME: Msg = Msg::new("Nama", "Name");
pub const F_SEX: Msg = Msg::new("Jenis kel. (L/P)", "Sex (L/P)");
pub const F_BIRTH: Msg = Msg::new("Lahir", "Born");
pub const F_BIRTH_PLACE: Msg = Msg::new("Tempat lahir", "Birth place");
pub const F_BIRTH_DATE: Msg = Msg::new("Tgl lahir", "Birth date");
pub const F_ADDRESS: Msg = Msg::new("Alamat", "Address");
pub const F_RT: Msg = Msg::new("RT", "RT");
pub const F_RW: Msg = Msg::new("RW", "RW");
pub const F_VILLAGE: Msg = Msg::new("Desa/Kelurahan", "Village");
pub const F_PHONE: Msg = Msg::new("No. HP", "Phone");
pub const F_EDUCATION: Msg = Msg::new("Pendidikan", "Education");
pub const F_EMPLOYMENT: Msg = Msg::new("Pekerjaan", "Employment");
pub const F_DESIL: Msg = Msg::new("Desil DTSEN", "DTSEN decile");
pub const F_DESIL_SOURCE: Msg = Msg::new("Sumber desil", "Decile source");
pub const F_DESIL_AS_OF: Msg = Msg::new("Desil per tgl", "Decile as of");
pub const F_STUNTING: Msg = Msg::new("Balita stunting", "Stunted toddler");
pub const F_DISABILITY: Msg = Msg::new("Disabilitas", "Disability");
pub const SAVE: Msg = Msg::new("Simpan", "Save");
pub const NOT_SAVED: Msg = Msg::new("Belum tersimpan.", "Not saved.");
pub const NEXT_FIELD: Msg = Msg::new("Kolom berikut", "Next field");
pub const PREV_FIELD: Msg = Msg::new("Kolom sebelum", "Previous field");
pub const NEXT_FIELD_OR_CHOICE: Msg = Msg::new("Kolom/pilihan berikut", "Next field or choice");
pub const PREV_FIELD_OR_CHOICE: Msg = Msg::new("Kolom/pilihan sebelum", "Previous field or choice");
pub const CANCEL: Msg = Msg::new("Batal", "Cancel");
pub const REQUIRED_NIK: Msg = Msg::new(
    "NIK wajib diisi (16 angka dari KTP)",
    "NIK is required (16 digits from the KTP)",
);
pub const REQUIRED_NAME: Msg = Msg::new(
    "Nama wajib diisi, seperti di KTP",
    "Name is required, as on the KTP",
);
pub const REQUIRED_SEX: Msg = Msg::new(
    "Isi L (laki-laki) atau P (perempuan)",
    "Type L (male) or P (female)",
);
pub const BAD_SEX: Msg = Msg::new(
    "Isi L (laki-laki) atau P (perempuan)",
    "Type L (male) or P (female)",
);
pub const REQUIRED_BIRTH_DATE: Msg = Msg::new(
    "Tanggal lahir wajib diisi (hh-bb-tttt)",
    "Birth date is required (dd-mm-yyyy)",
);
pub const BAD_DATE: Msg = Msg::new(
    "Tulis tanggal sebagai hh-bb-tttt, mis. 17-08-1990 atau 17081990",
    "Write the date as dd-mm-yyyy, e.g. 17-08-1990 or 17081990",
);
pub const FUTURE_DATE: Msg = Msg::new("Tanggal ini belum lewat", "This date is in the future");
pub const BAD_RT: Msg = Msg::new("RT/RW: paling banyak 3 angka", "RT/RW: at most 3 digits");
pub const REQUIRED_VILLAGE: Msg = Msg::new(
    "Desa wajib dipilih: ketik namanya",
    "Choose the village: type its name",
);
pub const PICK_VILLAGE: Msg = Msg::new(
    "Ketik nama desa lalu pilih dengan ↑↓ dan Enter",
    "Type the village name, pick with ↑↓ and Enter",
);
pub const NO_VILLAGE: Msg = Msg::new("Tidak ada desa dengan nama itu", "No village has that name");
pub const PICK_VILLAGE_TITLE: Msg = Msg::new("Pilih desa (↑↓ Enter)", "Pick village (↑↓ Enter)");
pub const BAD_PHONE: Msg = Msg::new("No. HP: 8-15 angka", "Phone: 8-15 digits");
pub const EDUCATION_HINT: Msg = Msg::new(
    "1-10 seperti di KK: 3 SD, 4 SLTP, 5 SLTA, 8 S1",
    "1-10 as on the KK: 3 primary, 4 junior, 5 senior high, 8 bachelor",
);
pub const DESIL_HINT: Msg = Msg::new(
    "1-10 (1 = termiskin), kosong bila belum ada",
    "1-10 (1 = poorest), empty if unknown",
);
pub const YES_NO_HINT: Msg = Msg::new("Isi y (ya) atau t (tidak)", "Type y (yes) or t (no)");
pub const MISMATCH_SHORT: Msg = Msg::new("Perlu konfirmasi", "Needs confirmation");
pub const FIX_FIELDS: Msg = Msg::new(
    "Belum tersimpan: perbaiki kolom yang bertanda merah. Isian tidak hilang.",
    "Not saved: fix the fields marked red. Nothing typed is lost.",
);

// Modals
pub const MISMATCH_TITLE: Msg = Msg::new("NIK berbeda dengan KTP", "NIK differs from the KTP");
pub const CONFIRM_MATCHES_KTP: Msg = Msg::new("Sudah sesuai KTP, simpan", "Matches the KTP, save");
pub const BACK_TO_FORM: Msg = Msg::new("Kembali ke formulir", "Back to the form");
pub const NIK_TAKEN_TITLE: Msg = Msg::new("NIK sudah terdaftar", "NIK already registered");
pub const NIK_TAKEN: Msg = Msg::new(
    "NIK ini sudah terdaftar, atas nama",
    "This NIK is already registered, to",
);
pub const OPEN_EXISTING: Msg = Msg::new("Buka data yang ada", "Open the existing resident");
pub const DUPLICATES_TITLE: Msg =
    Msg::new("Mungkin sudah terdaftar", "Possibly registered already");
pub const DUPLICATES_BODY: Msg = Msg::new(
    "Penduduk berikut bernama mirip dengan tanggal lahir atau KK yang sama. Buka bila orangnya sama; F10 bila memang orang lain.",
    "These residents have a similar name and the same birth date or KK. Open one if it is the same person; F10 if it is someone else.",
);
pub const OPEN_SELECTED: Msg = Msg::new("Buka yang dipilih", "Open selected");
pub const SAVE_ANYWAY: Msg = Msg::new("Orang lain, tetap simpan", "Someone else, save");
pub const DISCARD_TITLE: Msg = Msg::new("Batalkan isian?", "Discard what was typed?");
pub const DISCARD_BODY: Msg = Msg::new(
    "Yang sudah diketik di formulir akan hilang.",
    "What was typed in the form will be lost.",
);
pub const DISCARD_YES: Msg = Msg::new("Ya, batalkan", "Yes, discard");
pub const DISCARD_NO: Msg = Msg::new("Tidak, lanjut mengisi", "No, keep typing");

/// "Mundur dari angkatan 2026-TBS-01": the withdrawal prompt's and question's title.
pub fn withdraw_title(lang: Lang, code: &str) -> String {
    pick(
        lang,
        format!("Mundur dari angkatan {code}"),
        format!("Withdraw from cohort {code}"),
    )
}

/// The question before a withdrawal: who leaves, why, and whose turn the seat becomes.
pub fn withdraw_body(
    lang: Lang,
    name: &str,
    code: &str,
    reason: &str,
    seated: bool,
    waitlist_head: Option<String>,
) -> Vec<String> {
    let why = if reason.trim().is_empty() {
        pick(lang, "(tanpa alasan)", "(no reason given)").to_string()
    } else {
        reason.to_string()
    };
    let seat = match (seated, waitlist_head) {
        (true, Some(head)) => pick(
            lang,
            format!("Kursinya diberikan ke urutan pertama daftar tunggu: {head}."),
            format!("The seat goes to the head of the waitlist: {head}."),
        ),
        (true, None) => pick(
            lang,
            "Daftar tunggu kosong: kursinya menjadi kosong.".to_string(),
            "The waitlist is empty: the seat becomes free.".to_string(),
        ),
        (false, _) => pick(
            lang,
            "Ia keluar dari daftar tunggu; tidak ada kursi yang dilepas.".to_string(),
            "They leave the waitlist; no seat is freed.".to_string(),
        ),
    };
    vec![
        pick(
            lang,
            format!("{name} mundur dari angkatan {code}?"),
            format!("Withdraw {name} from cohort {code}?"),
        ),
        pick(lang, format!("Alasan: {why}"), format!("Reason: {why}")),
        seat,
    ]
}

/// What a withdrawal did, and who got the seat.
pub fn withdrawn(lang: Lang, name: &str, promoted: Option<&Promotion>) -> String {
    match promoted {
        Some(p) => pick(
            lang,
            format!(
                "{name} sudah mundur. Kursinya diberikan ke {} (sebelumnya urutan pertama daftar \
                 tunggu).",
                p.name
            ),
            format!(
                "{name} has withdrawn. The seat went to {} (head of the waitlist).",
                p.name
            ),
        ),
        None => pick(
            lang,
            format!("{name} sudah mundur. Tidak ada yang naik dari daftar tunggu."),
            format!("{name} has withdrawn. Nobody moved up from the waitlist."),
        ),
    }
}

/// Why this history row cannot be withdrawn from.
pub fn not_withdrawable(lang: Lang, code: &str) -> String {
    pick(
        lang,
        format!("Angkatan {code} sudah selesai atau penduduk tidak lagi terdaftar di sana."),
        format!("Cohort {code} is over or the resident is no longer in it."),
    )
}

/// The coverage of an enrollment was marked as submitted to BPJS.
pub fn submitted(lang: Lang, code: &str) -> String {
    pick(
        lang,
        format!("Kepesertaan BPJS (JKK + JKM) untuk angkatan {code} ditandai sudah diajukan."),
        format!("BPJS coverage (JKK + JKM) for cohort {code} is marked as submitted."),
    )
}

/// The NIK field's note when someone holds the NIK typed.
pub fn nik_held_by(lang: Lang, name: &str) -> String {
    pick(
        lang,
        format!("NIK ini sudah terdaftar atas nama {name}. Enter membuka datanya."),
        format!("This NIK is registered to {name} already. Enter opens that resident."),
    )
}

pub fn sex_label(sex: Sex, lang: Lang) -> &'static str {
    match lang {
        Lang::Id => sex.label_id(),
        Lang::En => sex.label_en(),
    }
}

/// OpenSID pendidikan codes (DOMAIN.md, "Files offices already have").
pub fn education_label(code: i64, lang: Lang) -> Option<&'static str> {
    let (id, en) = match code {
        1 => ("Tidak/belum sekolah", "No schooling"),
        2 => ("Belum tamat SD", "Primary, unfinished"),
        3 => ("Tamat SD", "Primary school"),
        4 => ("SLTP", "Junior high"),
        5 => ("SLTA", "Senior high"),
        6 => ("D-I/II", "Diploma I/II"),
        7 => ("D-III", "Diploma III"),
        8 => ("D-IV/S1", "Bachelor"),
        9 => ("S2", "Master"),
        10 => ("S3", "Doctorate"),
        _ => return None,
    };
    Some(if lang == Lang::Id { id } else { en })
}

/// A cohort status, short for the history table.
pub fn cohort_label(status: CohortStatus, lang: Lang) -> &'static str {
    match status {
        CohortStatus::Draft => Msg::new("Draf", "Draft"),
        CohortStatus::Open => Msg::new("Dibuka", "Open"),
        CohortStatus::Running => Msg::new("Berjalan", "Running"),
        CohortStatus::Completed => Msg::new("Selesai", "Completed"),
        CohortStatus::Cancelled => Msg::new("Batal", "Cancelled"),
    }
    .get(lang)
}

/// An enrollment status, short for the history table.
pub fn enrollment_label(status: EnrollmentStatus, lang: Lang) -> &'static str {
    match status {
        EnrollmentStatus::Enrolled => Msg::new("Peserta", "Enrolled"),
        EnrollmentStatus::Waitlisted => Msg::new("Tunggu", "Waitlist"),
        EnrollmentStatus::Withdrawn => Msg::new("Mundur", "Withdrawn"),
    }
    .get(lang)
}

/// An outcome, short for the history table.
pub fn outcome_label(outcome: Outcome, lang: Lang) -> &'static str {
    match outcome {
        Outcome::Passed => Msg::new("Lulus", "Passed"),
        Outcome::Failed => Msg::new("Tdk lulus", "Failed"),
        Outcome::DroppedOut => Msg::new("Keluar", "Dropped"),
    }
    .get(lang)
}

/// A coverage status, short for the history table.
pub fn coverage_label(status: CoverageStatus, lang: Lang) -> &'static str {
    match status {
        CoverageStatus::Unregistered => Msg::new("belum", "none"),
        CoverageStatus::Submitted => Msg::new("diajukan", "submitted"),
        CoverageStatus::Active => Msg::new("aktif", "active"),
        CoverageStatus::Rejected => Msg::new("ditolak", "rejected"),
    }
    .get(lang)
}

impl Localized for ResidentError {
    fn text(&self, lang: Lang) -> String {
        match self {
            ResidentError::Denied(e) => e.text(lang),
            ResidentError::Db(e) => e.text(lang),
            ResidentError::NikTaken { name, .. } => pick(
                lang,
                format!(
                    "NIK ini sudah terdaftar atas nama {name}: buka data penduduk itu, jangan \
                     daftar dua kali"
                ),
                format!("This NIK is already registered to {name}: open that resident instead"),
            ),
            ResidentError::LikelyDuplicates(list) => pick(
                lang,
                format!(
                    "Ada {} penduduk yang mungkin orang yang sama: periksa dulu sebelum menyimpan",
                    list.len()
                ),
                format!(
                    "{} residents may be the same person: check them before saving",
                    list.len()
                ),
            ),
        }
    }
}
