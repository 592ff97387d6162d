//! Text of the supervisor screens: cohort board, cohort screen, dashboard, prompts.

use super::Msg;

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
