//! Text of the supervisor screens: cohort board, cohort screen, dashboard, prompts, settings;
//! and the sentences of the cohort rules (status changes, plans, working days, BNSP warnings,
//! readiness, attendance).

use super::{Label, Lang, Localized, Msg, pick};
use crate::db::attendance::AttendanceError;
use crate::db::cohorts::CohortError;
use crate::db::settings::SettingKey;
use crate::domain::attendance::AttendanceRefusal;
use crate::domain::calendar::{CalendarError, MAX_DAYS};
use crate::domain::cohort::{BnspWarning, PlanError, TransitionError};
use crate::domain::readiness::NotReady;

pub const BOARD_TITLE: Msg = Msg::new("Papan angkatan", "Cohort board");
pub const COHORT_TITLE: Msg = Msg::new("Angkatan", "Cohort");
pub const DASHBOARD_TITLE: Msg = Msg::new("Dasbor", "Dashboard");
pub const FILTER: Msg = Msg::new("Saring", "Filter");
pub const OPEN: Msg = Msg::new("Buka", "Open");
pub const STATUS: Msg = Msg::new("Status", "Status");
pub const SORT: Msg = Msg::new("Urutkan", "Sort");
pub const RELOAD: Msg = Msg::new("Muat ulang", "Reload");
pub const BACK: Msg = Msg::new("Kembali", "Back");
pub const ALL: Msg = Msg::new("semua", "all");
pub const NONE_FOUND: Msg = Msg::new("Tidak ada angkatan yang cocok.", "No cohort matches.");
pub const COL_CODE: Msg = Msg::new("Kode", "Code");
pub const COL_COURSE: Msg = Msg::new("Kejuruan", "Course");
pub const COL_PLACE: Msg = Msg::new("Tempat", "Place");
pub const COL_DISTRICT: Msg = Msg::new("Kecamatan", "Kecamatan");
pub const COL_DATES: Msg = Msg::new("Tanggal", "Dates");
pub const COL_FILL: Msg = Msg::new("Isi", "Fill");
pub const COL_WAIT: Msg = Msg::new("Tunggu", "Wait");
pub const COL_BPJS: Msg = Msg::new("BPJS", "BPJS");
pub const COL_READY: Msg = Msg::new("Kesiapan", "Readiness");
pub const READY: Msg = Msg::new("Siap", "Ready");
pub const SORT_START: Msg = Msg::new("tanggal mulai", "start date");
pub const SORT_CODE: Msg = Msg::new("kode", "code");
pub const SORT_COURSE: Msg = Msg::new("kejuruan", "course");
pub const SORT_FILL: Msg = Msg::new("terpenuh", "fullest");
pub const SHOWN: Msg = Msg::new("angkatan", "cohorts");
pub const SCOPE: Msg = Msg::new("Cakupan", "Scope");

pub const SELECT: Msg = Msg::new("Pilih", "Select");
pub const SUBMIT: Msg = Msg::new("Ajukan", "Submit");
pub const ACTIVATE: Msg = Msg::new("KPJ", "KPJ");
pub const REJECT: Msg = Msg::new("Ditolak", "Rejected");
pub const ADVANCE: Msg = Msg::new("Lanjut", "Next step");
pub const CANCEL: Msg = Msg::new("Batalkan", "Cancel");
pub const EXPORT: Msg = Msg::new("Ekspor", "Export");
pub const ROSTER: Msg = Msg::new("Peserta dan daftar tunggu", "Participants and waitlist");
pub const COL_NAME: Msg = Msg::new("Nama", "Name");
pub const COL_NIK: Msg = Msg::new("NIK", "NIK");
pub const COL_STATE: Msg = Msg::new("Status", "Status");
pub const COL_COVERAGE: Msg = Msg::new("BPJS JKK/JKM", "BPJS JKK/JKM");
pub const COL_KPJ: Msg = Msg::new("KPJ", "KPJ");
pub const COV_RESUBMIT: Msg = Msg::new("ajukan ulang", "resubmit");
pub const INSTRUCTOR: Msg = Msg::new("Instruktur", "Instructor");
pub const FUNDING: Msg = Msg::new("Dana", "Funding");
pub const PARTICIPANTS: Msg = Msg::new("Peserta", "Participants");
pub const MINIMUM: Msg = Msg::new("minimal", "minimum");
pub const NOT_READY: Msg = Msg::new("Belum siap", "Not ready");
pub const KPJ_PROMPT: Msg = Msg::new("Nomor KPJ (11 angka) untuk", "KPJ number (11 digits) for");
pub const REJECT_PROMPT: Msg =
    Msg::new("Alasan penolakan BPJS untuk", "BPJS's reason for rejecting");
pub const CANCEL_PROMPT: Msg = Msg::new(
    "Alasan pembatalan angkatan",
    "Reason for cancelling the cohort",
);
pub const CONFIRM_PROMPT: Msg = Msg::new(
    "Enter untuk lanjut, Esc batal",
    "Enter to go on, Esc to stop",
);
pub const EXPORT_PROMPT: Msg = Msg::new(
    "Simpan daftar BPJS ke berkas (.xlsx atau .csv)",
    "Save the BPJS list to a file (.xlsx or .csv)",
);
pub const PROMPT_KEYS: Msg = Msg::new("Enter simpan · Esc batal", "Enter save · Esc cancel");
pub const SUBMITTED_N: Msg = Msg::new("kepesertaan diajukan", "coverages submitted");
pub const EXPORTED: Msg = Msg::new("Daftar BPJS tersimpan", "BPJS list saved");
pub const STATUS_NOW: Msg = Msg::new("Status sekarang", "Status now");
pub const NOTHING_SELECTED: Msg = Msg::new(
    "Pilih peserta dulu (Spasi).",
    "Select participants first (Space).",
);
pub const NEXT_STEP: Msg = Msg::new("Ubah status ke", "Change status to");

pub const BY_DISTRICT: Msg = Msg::new("Per kecamatan", "By kecamatan");
pub const BY_COURSE: Msg = Msg::new("Per kejuruan", "By course");
pub const SWITCH: Msg = Msg::new("Ganti tabel", "Switch table");
pub const YEAR: Msg = Msg::new("Tahun", "Year");
pub const DRILL: Msg = Msg::new("Lihat angkatan", "Show cohorts");
pub const WEEKLY: Msg = Msg::new("Pendaftaran per minggu", "Enrollments per week");
pub const COL_COHORTS: Msg = Msg::new("Angk.", "Coh.");
pub const COL_ENROLLED: Msg = Msg::new("Peserta", "Enrolled");
pub const COL_PASSED: Msg = Msg::new("Lulus", "Passed");
pub const COL_COVER_RATE: Msg = Msg::new("BPJS%", "BPJS%");
pub const COL_TARGET: Msg = Msg::new("Target", "Target");
pub const COL_TARGET_RATE: Msg = Msg::new("Capai%", "Done%");
pub const NO_DATA: Msg = Msg::new(
    "Belum ada angkatan pada tahun ini.",
    "No cohorts in this year.",
);
pub const ATTENDANCE: Msg = Msg::new("Kehadiran", "Attendance");
pub const ROSTER_VIEW: Msg = Msg::new("Daftar peserta", "Roster");
pub const PRESENT: Msg = Msg::new("Hadir", "Present");
pub const EXCUSED: Msg = Msg::new("Izin", "Excused");
pub const SICK: Msg = Msg::new("Sakit", "Sick");
pub const ABSENT: Msg = Msg::new("Alpa", "Absent");
pub const DAY: Msg = Msg::new("Hari", "Day");
pub const RATE: Msg = Msg::new("Hadir%", "Rate");
pub const MIN_RATE: Msg = Msg::new("minimal lulus", "minimum to pass");
pub const REFERENCE_TITLE: Msg = Msg::new("Data referensi", "Reference data");
pub const SETTINGS: Msg = Msg::new("Pengaturan", "Settings");
pub const HOLIDAYS: Msg = Msg::new("Hari libur", "Holidays");
pub const ADD_HOLIDAY: Msg = Msg::new("Tambah libur", "Add holiday");
pub const REMOVE: Msg = Msg::new("Hapus", "Remove");
pub const EDIT: Msg = Msg::new("Ubah", "Edit");
pub const HOLIDAY_FORMAT: Msg = Msg::new(
    "Tanggal lalu nama, mis. 2027-03-26 Cuti Bersama Hari Raya Idul Fitri",
    "Date then name, e.g. 2027-03-26 Cuti Bersama Hari Raya Idul Fitri",
);
pub const TARGET_PROMPT: Msg = Msg::new(
    "Target peserta setahun untuk",
    "Yearly participant target for",
);
pub const TARGET_NUMBER: Msg = Msg::new(
    "Target harus bilangan bulat, mis. 500.",
    "The target must be a whole number, e.g. 500.",
);
pub const NEXT_LIST: Msg = Msg::new("Daftar berikutnya", "Next list");
pub const INSTRUCTORS: Msg = Msg::new("Instruktur", "Instructors");
pub const COURSES: Msg = Msg::new("Kejuruan", "Courses");
pub const VENUES: Msg = Msg::new("Tempat pelatihan dan MTU", "Venues and MTU units");
pub const BNSP_FORMAT: Msg = Msg::new(
    "Nomor sertifikat BNSP lalu tanggal berlaku sampai, mis. BNSP-01234-2025 2028-06-30",
    "BNSP certificate number then expiry, e.g. BNSP-01234-2025 2028-06-30",
);

pub const SAVED: Msg = Msg::new("tersimpan", "saved");
pub const INACTIVE: Msg = Msg::new("(nonaktif)", "(inactive)");

/// A course's length, "20 hari".
pub fn days(lang: Lang, days: u32) -> String {
    pick(lang, format!("{days} hari"), format!("{days} days"))
}

/// "17-45 th"
pub fn age_range(lang: Lang, min: u32, max: u32) -> String {
    pick(lang, format!("{min}-{max} th"), format!("{min}-{max} yrs"))
}

/// A venue's working week, "5 hari/mg".
pub fn days_per_week(lang: Lang, days: u32) -> String {
    pick(lang, format!("{days} hari/mg"), format!("{days} days/wk"))
}

/// "20 hari kerja"
pub fn working_days(lang: Lang, days: u32) -> String {
    pick(
        lang,
        format!("{days} hari kerja"),
        format!("{days} working days"),
    )
}

impl Localized for TransitionError {
    fn text(&self, lang: Lang) -> String {
        match self {
            TransitionError::NotAllowed { from, to } => pick(
                lang,
                format!(
                    "Angkatan berstatus {} tidak bisa diubah menjadi {}",
                    from.label(lang),
                    to.label(lang)
                ),
                format!(
                    "A {} cohort cannot become {}",
                    from.label(lang),
                    to.label(lang)
                ),
            ),
            TransitionError::NoParticipants => Msg::new(
                "Angkatan belum punya peserta: tidak bisa dimulai",
                "The cohort has no participants: it cannot start",
            )
            .text(lang),
            TransitionError::BelowMinimum { enrolled, min } => pick(
                lang,
                format!(
                    "Peserta baru {enrolled}, kurang dari minimum {min}: angkatan belum bisa dimulai"
                ),
                format!(
                    "Only {enrolled} participants, below the minimum of {min}: the cohort cannot \
                     start yet"
                ),
            ),
            TransitionError::TooEarlyToStart { start } => pick(
                lang,
                format!("Angkatan baru bisa dimulai pada tanggal mulainya ({start})"),
                format!("The cohort can start on its start date ({start}) at the earliest"),
            ),
            TransitionError::TooEarlyToComplete { end } => pick(
                lang,
                format!("Angkatan baru bisa diselesaikan pada tanggal selesainya ({end})"),
                format!("The cohort can be completed on its end date ({end}) at the earliest"),
            ),
            TransitionError::StartInPast { start } => pick(
                lang,
                format!(
                    "Tanggal mulai {start} sudah lewat: ubah dulu tanggalnya sebelum membuka \
                     pendaftaran"
                ),
                format!("The start date {start} has passed: change it before opening enrollment"),
            ),
            TransitionError::HasParticipants { count } => pick(
                lang,
                format!(
                    "Masih ada {count} peserta terdaftar: angkatan tidak bisa dikembalikan ke draf"
                ),
                format!("{count} participants are enrolled: the cohort cannot go back to draft"),
            ),
            TransitionError::ReasonRequired => Msg::new(
                "Pembatalan angkatan harus disertai alasan",
                "Cancelling a cohort needs a reason",
            )
            .text(lang),
        }
    }
}

impl Localized for PlanError {
    fn text(&self, lang: Lang) -> String {
        match self {
            PlanError::Locked { field, status } => pick(
                lang,
                format!(
                    "{} angkatan berstatus {} tidak bisa diubah lagi",
                    field.label(lang),
                    status.label(lang)
                ),
                format!(
                    "The {} of a {} cohort can no longer change",
                    field.label(lang).to_lowercase(),
                    status.label(lang)
                ),
            ),
            PlanError::StartInPast { start } => pick(
                lang,
                format!(
                    "Hari pertama pelatihan {} sudah lewat: tanggal angkatan tidak boleh mundur ke \
                     masa lalu",
                    start.format("%d-%m-%Y")
                ),
                format!(
                    "The first training day {} has passed: a cohort's dates never go into the past",
                    start.format("%d-%m-%Y")
                ),
            ),
            PlanError::CapacityBelowEnrolled { capacity, enrolled } => pick(
                lang,
                format!(
                    "Kapasitas {capacity} kurang dari {enrolled} peserta yang sudah terdaftar: \
                     tidak ada yang kehilangan kursi"
                ),
                format!(
                    "A capacity of {capacity} is below the {enrolled} participants enrolled: \
                     nobody loses a seat"
                ),
            ),
            PlanError::ZeroCapacity => Msg::new(
                "Kapasitas harus paling sedikit 1",
                "Capacity must be at least 1",
            )
            .text(lang),
            PlanError::BadMinimum { min, capacity } => pick(
                lang,
                format!("Minimum peserta ({min}) harus antara 1 dan kapasitas ({capacity})"),
                format!("The minimum ({min}) must be between 1 and the capacity ({capacity})"),
            ),
            PlanError::EmptyCode => Msg::new(
                "Kode angkatan tidak boleh kosong",
                "The cohort code must not be empty",
            )
            .text(lang),
            PlanError::BadHours => Msg::new(
                "Jam pelatihan per hari harus lebih dari 0 dan paling banyak 24",
                "Daily hours must be above 0 and at most 24",
            )
            .text(lang),
            PlanError::Calendar(e) => e.text(lang),
        }
    }
}

impl Localized for CalendarError {
    fn text(&self, lang: Lang) -> String {
        match self {
            CalendarError::ZeroDays => Msg::new(
                "Jumlah hari kerja harus paling sedikit 1: isi lama pelatihan dalam hari kerja",
                "The number of working days must be at least 1: enter the course length in \
                 working days",
            )
            .text(lang),
            CalendarError::TooManyDays { n } => pick(
                lang,
                format!(
                    "Lama pelatihan {n} hari kerja terlalu panjang: paling banyak {MAX_DAYS} hari kerja"
                ),
                format!(
                    "A course of {n} working days is too long: at most {MAX_DAYS} working days"
                ),
            ),
            CalendarError::OutOfRange => Msg::new(
                "Tanggal di luar kalender yang bisa dihitung: periksa tahun tanggal mulai",
                "The date is outside the calendar that can be counted: check the start year",
            )
            .text(lang),
        }
    }
}

impl Localized for BnspWarning {
    fn text(&self, lang: Lang) -> String {
        match self {
            BnspWarning::NoInstructor => {
                Msg::new("Instruktur belum ditentukan", "No instructor assigned yet").text(lang)
            }
            BnspWarning::NoCertificate => Msg::new(
                "Instruktur belum punya sertifikat BNSP tercatat",
                "The instructor has no BNSP certificate on record",
            )
            .text(lang),
            BnspWarning::Expired { on } => pick(
                lang,
                format!("Sertifikat BNSP instruktur habis berlaku {on}"),
                format!("The instructor's BNSP certificate expired {on}"),
            ),
            BnspWarning::ExpiresBeforeEnd { on } => pick(
                lang,
                format!("Sertifikat BNSP instruktur habis {on}, sebelum angkatan selesai"),
                format!("The instructor's BNSP certificate expires {on}, before the cohort ends"),
            ),
        }
    }
}

impl Localized for NotReady {
    fn text(&self, lang: Lang) -> String {
        match self {
            NotReady::TooFew { enrolled, minimum } => pick(
                lang,
                format!("peserta kurang ({enrolled} dari minimal {minimum})"),
                format!("too few participants ({enrolled} of at least {minimum})"),
            ),
            NotReady::Uncovered { count } => pick(
                lang,
                format!("{count} peserta belum aktif BPJS"),
                format!("{count} participants not covered by BPJS"),
            ),
            NotReady::Instructor(w) => w.text(lang),
        }
    }
}

impl Localized for CohortError {
    fn text(&self, lang: Lang) -> String {
        match self {
            CohortError::Denied(e) => e.text(lang),
            CohortError::Transition(e) => e.text(lang),
            CohortError::Plan(e) => e.text(lang),
            CohortError::NotFound(what) => crate::db::DbError::Missing(what.clone()).text(lang),
            CohortError::AmbiguousInstructor { name, matches } => pick(
                lang,
                format!(
                    "'{name}' cocok dengan beberapa instruktur: {}. Tulis nama lengkapnya.",
                    matches.join(", ")
                ),
                format!(
                    "'{name}' matches several instructors: {}. Give the full name.",
                    matches.join(", ")
                ),
            ),
            CohortError::Db(e) => e.text(lang),
        }
    }
}

impl Localized for AttendanceRefusal {
    fn text(&self, lang: Lang) -> String {
        match self {
            AttendanceRefusal::NotATrainingDay { date } => pick(
                lang,
                format!(
                    "{date} bukan hari pelatihan angkatan ini (hari libur, akhir pekan, atau di \
                     luar tanggal angkatan)."
                ),
                format!(
                    "{date} is not a training day of this cohort (holiday, weekend or outside its \
                     dates)."
                ),
            ),
            AttendanceRefusal::Future { date } => pick(
                lang,
                format!(
                    "{} belum tiba: kehadiran dicatat pada hari itu atau sesudahnya.",
                    date.format("%d-%m-%Y")
                ),
                format!(
                    "{} has not come yet: attendance is recorded on the day or later.",
                    date.format("%d-%m-%Y")
                ),
            ),
            AttendanceRefusal::NotCovered { date } => pick(
                lang,
                format!(
                    "Peserta tidak boleh ditandai hadir pada {}: BPJS JKK/JKM-nya tidak aktif \
                     hari itu. Aktifkan kepesertaannya (KPJ) dulu, atau catat izin/sakit/alpa.",
                    date.format("%d-%m-%Y")
                ),
                format!(
                    "The participant cannot be marked present on {}: their BPJS JKK/JKM is not \
                     active that day. Activate the coverage (KPJ) first, or mark excused, sick or \
                     absent.",
                    date.format("%d-%m-%Y")
                ),
            ),
            AttendanceRefusal::NotRunning => Msg::new(
                "Kehadiran hanya dicatat untuk peserta terdaftar pada angkatan yang berjalan.",
                "Attendance is recorded only for enrolled participants of a running cohort.",
            )
            .text(lang),
        }
    }
}

impl Localized for AttendanceError {
    fn text(&self, lang: Lang) -> String {
        match self {
            AttendanceError::Refused(e) => e.text(lang),
            AttendanceError::Denied(e) => e.text(lang),
            AttendanceError::Db(e) => e.text(lang),
        }
    }
}

/// The question of the settings prompt: what the setting means and what it may hold.
pub fn setting_question(lang: Lang, key: SettingKey) -> String {
    format!(
        "{}: {}",
        key.label(lang),
        super::db::setting_shape(key.kind(), lang)
    )
}

/// What a setting means, for the settings tab.
impl Label for SettingKey {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            SettingKey::DeclaredIncome => Msg::new(
                "Penghasilan yang dilaporkan per bulan (Rp)",
                "Declared monthly income (Rp)",
            ),
            SettingKey::JkkRatePermille => Msg::new(
                "Iuran JKK, per seribu penghasilan (10 = 1%)",
                "JKK contribution, per thousand of income (10 = 1%)",
            ),
            SettingKey::JkmMonthly => Msg::new(
                "Iuran JKM per bulan (Rp)",
                "JKM contribution per month (Rp)",
            ),
            SettingKey::DiscountPercent => Msg::new(
                "Potongan iuran JKK/JKM sementara (PP 50/2025), persen",
                "Temporary JKK/JKM discount (PP 50/2025), percent",
            ),
            SettingKey::DiscountUntil => Msg::new(
                "Potongan berlaku sampai tanggal ini",
                "The discount applies until this date",
            ),
            SettingKey::DiscountExcludedFunding => Msg::new(
                "Sumber dana yang tidak mendapat potongan",
                "Funding sources without the discount",
            ),
            SettingKey::AttendanceMinRate => Msg::new(
                "Kehadiran minimum untuk lulus (%)",
                "Minimum attendance to pass (%)",
            ),
            SettingKey::IdleLockMinutes => Msg::new(
                "Layar terkunci setelah menganggur (menit)",
                "Screen locks after being idle (minutes)",
            ),
            SettingKey::LoginMaxFailures => Msg::new(
                "Gagal masuk berturut-turut sebelum akun dikunci",
                "Failed logins in a row before the account locks",
            ),
            SettingKey::LoginLockMinutes => Msg::new(
                "Lama akun terkunci setelah gagal masuk (menit)",
                "How long an account stays locked after failed logins (minutes)",
            ),
            SettingKey::UiLang => {
                Msg::new("Bahasa tampilan: id atau en", "Display language: id or en")
            }
            SettingKey::OfficeRegency => Msg::new(
                "Kabupaten/kota kantor (desa di sini tampil lebih dulu)",
                "The office's regency (its villages are listed first)",
            ),
            SettingKey::BackupKeep => Msg::new(
                "Jumlah cadangan harian yang disimpan",
                "Number of daily backups kept",
            ),
            SettingKey::LetterheadGovernment => Msg::new(
                "Kop surat: nama pemerintah daerah",
                "Letterhead: the local government's name",
            ),
            SettingKey::LetterheadOffice => {
                Msg::new("Kop surat: nama kantor", "Letterhead: the office's name")
            }
            SettingKey::LetterheadAddress => Msg::new(
                "Kop surat: alamat kantor",
                "Letterhead: the office's address",
            ),
            SettingKey::LetterheadCity => Msg::new(
                "Tempat penandatanganan (\"Tigaraksa, 3 Desember 2026\")",
                "Where papers are signed (\"Tigaraksa, 3 December 2026\")",
            ),
            SettingKey::LetterheadLogo => Msg::new(
                "Kop surat: berkas logo PNG atau JPEG (kosong = tanpa logo)",
                "Letterhead: the logo's PNG or JPEG file (empty = no logo)",
            ),
            SettingKey::SignatoryName => Msg::new(
                "Penanda tangan sertifikat dan daftar: nama",
                "Signatory of certificates and lists: name",
            ),
            SettingKey::SignatoryPosition => {
                Msg::new("Penanda tangan: jabatan", "Signatory: position")
            }
            SettingKey::SignatoryNip => Msg::new("Penanda tangan: NIP", "Signatory: NIP"),
            SettingKey::OfficeCounter => Msg::new(
                "Nama loket pada bukti pendaftaran",
                "The counter's name on registration receipts",
            ),
            SettingKey::ReceiptBring => Msg::new(
                "Yang dibawa peserta: *=untuk semua; KODE=per kejuruan; dipisah ;",
                "What participants bring: *=for all; CODE=per course; separated by ;",
            ),
            SettingKey::PrinterA4 => Msg::new(
                "Antrean CUPS untuk kertas A4 (daftar hadir, sertifikat, daftar BPJS)",
                "CUPS queue for A4 paper (attendance sheet, certificates, BPJS list)",
            ),
            SettingKey::PrinterReceipt => Msg::new(
                "Antrean CUPS untuk bukti pendaftaran (A5)",
                "CUPS queue for registration receipts (A5)",
            ),
            SettingKey::ReadinessWarnDays => Msg::new(
                "Angkatan yang belum siap ditandai sekian hari sebelum mulai",
                "Cohorts not ready are flagged this many days before they start",
            ),
        }
        .get(lang)
    }
}
