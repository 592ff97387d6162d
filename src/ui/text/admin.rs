//! Text of the admin screens: adding operators and setting passwords, the confirmations before a
//! role change or disabling an operator, and the reference data an admin or supervisor keeps
//! (instructors, courses, venues).

use super::{Label, Lang, Msg, pick};
use crate::db::reference_admin::RefField;
use crate::domain::access::Role;

pub const ADD_OPERATOR: Msg = Msg::new("Tambah operator", "Add operator");
pub const SET_PASSWORD: Msg = Msg::new("Atur kata sandi", "Set password");
pub const NEW_NAME: Msg = Msg::new(
    "Nama login operator baru (tanpa spasi):",
    "Login name of the new operator (no spaces):",
);
pub const NEW_FULL_NAME: Msg = Msg::new("Nama lengkap:", "Full name:");
pub const NEW_ROLE: Msg = Msg::new(
    "Peran: petugas, supervisor atau admin",
    "Role: clerk, supervisor or admin",
);
pub const BAD_ROLE: Msg = Msg::new(
    "Peran harus petugas, supervisor atau admin.",
    "The role is clerk, supervisor or admin.",
);
pub const CONFIRM_TITLE: Msg = Msg::new("Konfirmasi", "Confirm");
pub const OPERATORS_HINT: Msg = Msg::new(
    "F2 tambah operator, F6 atur kata sandi; peran dan nonaktif ditanya dulu.",
    "F2 adds an operator, F6 sets a password; role changes and disabling ask first.",
);

/// The password question, first or second time, for operator `name`.
pub fn password_question(lang: Lang, name: &str, again: bool) -> String {
    match (again, lang) {
        (false, Lang::Id) => format!("Kata sandi baru untuk {name} (tidak tampil):"),
        (false, Lang::En) => format!("New password for {name} (hidden):"),
        (true, Lang::Id) => format!("Ketik lagi kata sandi untuk {name}:"),
        (true, Lang::En) => format!("Type the password for {name} again:"),
    }
}

/// Asks before a role change.
pub fn confirm_role(lang: Lang, name: &str, from: Role, to: Role) -> String {
    let (from, to) = (from.label(lang), to.label(lang));
    pick(
        lang,
        format!("Ubah peran {name} dari {from} menjadi {to}? Enter = ya, Esc = batal."),
        format!("Change {name}'s role from {from} to {to}? Enter = yes, Esc = cancel."),
    )
}

/// Asks before disabling (or enabling again) an operator.
pub fn confirm_active(lang: Lang, name: &str, active: bool) -> String {
    match (active, lang) {
        (false, Lang::Id) => format!(
            "Nonaktifkan {name}? Ia tidak bisa masuk lagi sampai diaktifkan. Enter = ya, Esc = batal."
        ),
        (false, Lang::En) => format!(
            "Disable {name}? They cannot log in until enabled again. Enter = yes, Esc = cancel."
        ),
        (true, Lang::Id) => format!("Aktifkan lagi {name}? Enter = ya, Esc = batal."),
        (true, Lang::En) => format!("Enable {name} again? Enter = yes, Esc = cancel."),
    }
}

/// After an operator was added.
pub fn operator_added(lang: Lang, name: &str) -> String {
    pick(
        lang,
        format!("Operator {name} ditambahkan."),
        format!("Operator {name} added."),
    )
}

/// After a password was set.
pub fn password_set(lang: Lang, name: &str) -> String {
    pick(
        lang,
        format!("Kata sandi {name} diatur."),
        format!("Password of {name} set."),
    )
}

/// What a reference field must hold, told when it does not.
pub fn field_rule(lang: Lang, field: RefField) -> String {
    let (id, en) = match field {
        RefField::Code => (
            "Kode wajib diisi, tanpa spasi.",
            "A code is required, without spaces.",
        ),
        RefField::Name => ("Nama wajib diisi.", "A name is required."),
        RefField::CertifiedCourse => (
            "Tidak ada kejuruan dengan kode itu (lihat daftar Kejuruan).",
            "No course has that code (see the Courses list).",
        ),
        RefField::WorkingDays => ("Hari kerja: 1 sampai 366.", "Working days: 1 to 366."),
        RefField::Capacity => ("Kapasitas: 1 sampai 1000.", "Capacity: 1 to 1000."),
        RefField::Minimum => (
            "Peserta minimal: 1 sampai kapasitas.",
            "Minimum participants: 1 up to the capacity.",
        ),
        RefField::Ages => (
            "Umur: minimal tidak lebih dari maksimal (sampai 120).",
            "Ages: the minimum no more than the maximum (up to 120).",
        ),
        RefField::Kind => (
            "Jenis tempat: blk, blk_kelurahan atau mtu.",
            "Venue kind: blk, blk_kelurahan or mtu.",
        ),
        RefField::Village => (
            "Tidak ada desa dengan kode itu (mis. 36.03.12.2001).",
            "No desa has that code (e.g. 36.03.12.2001).",
        ),
        RefField::DaysPerWeek => ("Hari per minggu: 5 atau 6.", "Days per week: 5 or 6."),
    };
    pick(lang, id, en).to_string()
}

/// Another course or venue has the code.
pub fn code_taken(lang: Lang, code: &str) -> String {
    pick(
        lang,
        format!("Kode {code} sudah dipakai."),
        format!("Code {code} is already used."),
    )
}

pub const ADD_INSTRUCTOR: Msg = Msg::new("Tambah instruktur", "Add instructor");
pub const EDIT_INSTRUCTOR: Msg = Msg::new("Ubah instruktur", "Edit instructor");
pub const ADD_COURSE: Msg = Msg::new("Tambah kejuruan", "Add course");
pub const EDIT_COURSE: Msg = Msg::new("Ubah kejuruan", "Edit course");
pub const ADD_VENUE: Msg = Msg::new("Tambah tempat", "Add venue");
pub const EDIT_VENUE: Msg = Msg::new("Ubah tempat", "Edit venue");
pub const EXPIRY_FORMAT: Msg = Msg::new(
    "Tanggal berlaku: mis. 2028-06-30 atau 30-06-2028 (kosong bila belum ada).",
    "Expiry: e.g. 2028-06-30 or 30-06-2028 (empty if none yet).",
);
pub const INSTRUCTOR_FIELDS: [Msg; 4] = [
    Msg::new("Nama instruktur:", "Instructor's name:"),
    Msg::new(
        "Kode kejuruan sertifikat BNSP-nya (mis. TBS):",
        "Course code of their BNSP certificate (e.g. TBS):",
    ),
    Msg::new("Nomor sertifikat BNSP:", "BNSP certificate number:"),
    Msg::new(
        "Sertifikat berlaku sampai (mis. 2028-06-30):",
        "Certificate valid until (e.g. 2028-06-30):",
    ),
];
pub const COURSE_FIELDS: [Msg; 7] = [
    Msg::new("Kode kejuruan (tanpa spasi):", "Course code (no spaces):"),
    Msg::new("Nama kejuruan:", "Course name:"),
    Msg::new("Hari kerja pelatihan:", "Working days of training:"),
    Msg::new("Kapasitas per angkatan:", "Capacity per cohort:"),
    Msg::new("Peserta minimal:", "Minimum participants:"),
    Msg::new("Umur minimal peserta:", "Participants' minimum age:"),
    Msg::new("Umur maksimal peserta:", "Participants' maximum age:"),
];
pub const VENUE_FIELDS: [Msg; 5] = [
    Msg::new("Kode tempat (tanpa spasi):", "Venue code (no spaces):"),
    Msg::new("Nama tempat:", "Venue name:"),
    Msg::new(
        "Jenis: blk, blk_kelurahan atau mtu",
        "Kind: blk, blk_kelurahan or mtu",
    ),
    Msg::new(
        "Kode desa (mis. 36.03.12.2001, kosong untuk MTU):",
        "Desa code (e.g. 36.03.12.2001, empty for an MTU):",
    ),
    Msg::new(
        "Hari pelatihan per minggu (5 atau 6):",
        "Training days per week (5 or 6):",
    ),
];
pub const UNCERTIFIED: Msg = Msg::new("Di luar sertifikat", "Outside certificate");
pub const COL_CERTIFIED: Msg = Msg::new("Sertifikat", "Certified");
pub const COL_BNSP_NO: Msg = Msg::new("No. BNSP", "BNSP no.");
pub const COL_VALID_UNTIL: Msg = Msg::new("Berlaku s.d.", "Valid until");
pub const COL_NOTE: Msg = Msg::new("Catatan", "Note");
pub const COL_DAYS: Msg = Msg::new("Hari", "Days");
pub const COL_MIN_CAP: Msg = Msg::new("Min/kap.", "Min/cap.");
pub const COL_AGES: Msg = Msg::new("Umur", "Ages");
pub const COL_KIND: Msg = Msg::new("Jenis", "Kind");
pub const COL_VILLAGE: Msg = Msg::new("Desa", "Desa");
pub const COL_WEEK: Msg = Msg::new("Per minggu", "Per week");
pub const ADD: Msg = Msg::new("Tambah", "Add");
pub const EDIT_ALL: Msg = Msg::new("Ubah data", "Edit");

/// The cohorts an instructor teaches outside the course of their certificate.
pub fn uncertified(lang: Lang, codes: &[String]) -> String {
    let list = codes.join(", ");
    pick(
        lang,
        format!("mengajar di luar sertifikat: {list}"),
        format!("teaches outside their certificate: {list}"),
    )
}
pub const COL_SETTING: Msg = Msg::new("Pengaturan", "Setting");
pub const COL_VALUE: Msg = Msg::new("Nilai", "Value");
pub const COL_DATE: Msg = Msg::new("Tanggal", "Date");
pub const COL_CATEGORY: Msg = Msg::new("Jenis", "Kind");
pub const COL_NAME: Msg = Msg::new("Nama", "Name");
pub const COL_CODE: Msg = Msg::new("Kode", "Code");
