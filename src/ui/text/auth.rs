//! Text of the login and lock screens, the audit browser and the operators screen, and the
//! sentences of refused logins, passwords and permissions.

use super::{Label, Lang, Localized, Msg, pick};
use crate::db::audit::Entity;
use crate::db::auth::AuthError;
use crate::domain::access::AccessDenied;
use crate::domain::password::PasswordError;

pub const LOGIN_TITLE: Msg = Msg::new("Masuk", "Log in");
pub const LOGIN_HEADING: Msg = Msg::new("Masuk ke loket", "Log in to loket");
pub const OPERATOR: Msg = Msg::new("Operator", "Operator");
pub const PASSWORD: Msg = Msg::new("Kata sandi", "Password");
pub const LOGIN: Msg = Msg::new("Masuk", "Log in");
pub const NEXT_FIELD: Msg = Msg::new("Kolom berikut", "Next field");
pub const PREV_FIELD: Msg = Msg::new("Kolom sebelumnya", "Previous field");
pub const LOGIN_HINT: Msg = Msg::new(
    "Ketik nama operator dan kata sandi, lalu Enter.",
    "Type your operator name and password, then Enter.",
);
pub const NAME_MISSING: Msg = Msg::new("Isi nama operator.", "Enter an operator name.");
pub const LOCK_TITLE: Msg = Msg::new("Layar terkunci", "Screen locked");
pub const LOCK_HEADING: Msg = Msg::new(
    "Layar dikunci karena tidak dipakai.",
    "The screen locked after being idle.",
);
pub const UNLOCK: Msg = Msg::new("Buka kunci", "Unlock");
pub const UNLOCK_NO_PASSWORD: Msg = Msg::new(
    "Operator ini tidak memakai kata sandi: tekan Enter.",
    "This operator has no password: press Enter.",
);
pub const UNLOCK_OTHER: Msg = Msg::new(
    "Operator lain: keluar (Ctrl-Q) lalu buka loket lagi.",
    "Another operator: quit (Ctrl-Q) and start loket again.",
);

// Audit browser (jejak audit)
pub const AUDIT_MENU: Msg = Msg::new("Jejak audit", "Audit trail");
pub const AUDIT_TITLE: Msg = Msg::new("Jejak audit", "Audit trail");
pub const FILTER_OPERATOR: Msg = Msg::new("Operator", "Operator");
pub const FILTER_ENTITY: Msg = Msg::new("Entitas", "Entity");
pub const FILTER_FROM: Msg = Msg::new("Dari tgl", "From");
pub const FILTER_TO: Msg = Msg::new("Sampai", "To");
pub const APPLY: Msg = Msg::new("Terapkan filter", "Apply filter");
pub const NEXT_PAGE: Msg = Msg::new("Halaman berikut", "Next page");
pub const PREV_PAGE: Msg = Msg::new("Halaman sebelumnya", "Previous page");
pub const UP: Msg = Msg::new("Naik", "Up");
pub const DOWN: Msg = Msg::new("Turun", "Down");
pub const FOCUS_LIST: Msg = Msg::new("Filter/daftar", "Filter/list");
pub const BACK: Msg = Msg::new("Kembali", "Back");
pub const COL_TIME: Msg = Msg::new("Waktu", "Time");
pub const COL_OPERATOR: Msg = Msg::new("Operator", "Operator");
pub const COL_ACTION: Msg = Msg::new("Aksi", "Action");
pub const COL_ENTITY: Msg = Msg::new("Entitas", "Entity");
pub const BEFORE: Msg = Msg::new("Sebelum", "Before");
pub const AFTER: Msg = Msg::new("Sesudah", "After");
pub const NO_ROWS: Msg = Msg::new("Tidak ada baris audit yang cocok.", "No audit rows match.");
pub const PAGE: Msg = Msg::new("Halaman", "Page");
pub const BAD_DATE: Msg = Msg::new(
    "Tanggal tidak dikenali (contoh 2026-03-01 atau 01-03-2026).",
    "Not a date (e.g. 2026-03-01 or 01-03-2026).",
);

// Operators screen
pub const OPERATORS_MENU: Msg = Msg::new("Operator", "Operators");
pub const OPERATORS_TITLE: Msg = Msg::new("Operator", "Operators");
pub const TOGGLE_ACTIVE: Msg = Msg::new("Aktif/nonaktif", "Enable/disable");
pub const UNLOCK_ACCOUNT: Msg = Msg::new("Buka akun terkunci", "Unlock account");
pub const CYCLE_ROLE: Msg = Msg::new("Ganti peran", "Change role");
pub const COL_NAME: Msg = Msg::new("Nama", "Name");
pub const COL_ROLE: Msg = Msg::new("Peran", "Role");
pub const COL_STATE: Msg = Msg::new("Status", "State");
pub const COL_FULL_NAME: Msg = Msg::new("Nama lengkap", "Full name");
pub const STATE_ACTIVE: Msg = Msg::new("aktif", "active");
pub const STATE_DISABLED: Msg = Msg::new("nonaktif", "disabled");
pub const STATE_LOCKED: Msg = Msg::new("terkunci", "locked");
pub const HAS_PASSWORD: Msg = Msg::new("sandi", "password");
pub const NO_PASSWORD: Msg = Msg::new("tanpa sandi", "no password");
pub const SAVED: Msg = Msg::new("Tersimpan.", "Saved.");

/// An entity filter that is none of the audit trail's entities.
pub fn unknown_entity(lang: Lang, typed: &str) -> String {
    use strum::VariantArray;
    let known: Vec<&str> = Entity::VARIANTS.iter().map(|e| e.code()).collect();
    let known = known.join(", ");
    pick(
        lang,
        format!("Entitas tidak dikenal: '{typed}' ({known})"),
        format!("Unknown entity: '{typed}' ({known})"),
    )
}

impl Localized for AccessDenied {
    fn text(&self, lang: Lang) -> String {
        let (role, what) = (self.role.label(lang), self.permission.label(lang));
        // Who to ask is whoever holds the permission: an admin for operators, else a supervisor.
        let who = self.permission.least_role().label(lang).to_lowercase();
        let operator = &self.operator;
        pick(
            lang,
            format!(
                "Operator {operator} ({role}) tidak berwenang {what}. Minta {who} melakukannya."
            ),
            format!(
                "Operator {operator} ({role}) may not {what}. Ask {}.",
                a_or_an(&who)
            ),
        )
    }
}

/// "a supervisor", "an admin".
fn a_or_an(word: &str) -> String {
    let article = if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {word}")
}

impl Localized for PasswordError {
    fn text(&self, lang: Lang) -> String {
        match self {
            PasswordError::TooShort { min } => pick(
                lang,
                format!("Kata sandi terlalu pendek: minimal {min} karakter."),
                format!("Password too short: at least {min} characters."),
            ),
            PasswordError::TooLong { max } => pick(
                lang,
                format!("Kata sandi terlalu panjang: maksimal {max} karakter."),
                format!("Password too long: at most {max} characters."),
            ),
            PasswordError::EdgeWhitespace => Msg::new(
                "Kata sandi tidak boleh diawali atau diakhiri spasi.",
                "A password must not start or end with a space.",
            )
            .text(lang),
            PasswordError::SameAsName => Msg::new(
                "Kata sandi tidak boleh sama dengan nama operator.",
                "A password must not equal the operator's name.",
            )
            .text(lang),
            PasswordError::Mismatch => Msg::new(
                "Kedua kata sandi tidak sama. Ketik ulang.",
                "The two passwords differ. Type them again.",
            )
            .text(lang),
        }
    }
}

impl Localized for AuthError {
    fn text(&self, lang: Lang) -> String {
        match self {
            AuthError::WrongCredentials { remaining } => {
                let head = Msg::new(
                    "Nama operator atau kata sandi salah.",
                    "Wrong operator name or password.",
                )
                .get(lang);
                match remaining {
                    Some(n) => pick(
                        lang,
                        format!("{head} Sisa {n} kali percobaan sebelum akun dikunci."),
                        format!("{head} {n} attempts left before the account locks."),
                    ),
                    None => head.to_string(),
                }
            }
            AuthError::Locked { name, until } => pick(
                lang,
                format!(
                    "Akun {name} terkunci sampai {until} karena terlalu sering salah kata sandi. \
                     Tunggu, atau minta admin membukanya."
                ),
                format!(
                    "Account {name} is locked until {until} after too many wrong passwords. \
                     Wait, or ask an admin to unlock it."
                ),
            ),
            AuthError::PasswordRequired(name) => pick(
                lang,
                format!(
                    "Operator {name} memakai kata sandi: isi LOKET_PASSWORD atau jalankan di \
                     terminal agar ditanya."
                ),
                format!(
                    "Operator {name} has a password: set LOKET_PASSWORD or run on a terminal to \
                     be asked."
                ),
            ),
            AuthError::InvalidName => Msg::new(
                "Nama operator harus satu kata tanpa spasi.",
                "An operator name is one word without spaces.",
            )
            .text(lang),
            AuthError::SelfDisable => Msg::new(
                "Anda tidak bisa menonaktifkan akun Anda sendiri; minta admin lain.",
                "You cannot disable your own account; ask another admin.",
            )
            .text(lang),
            AuthError::LastAdmin => Msg::new(
                "Ini admin aktif terakhir: tambahkan admin lain dulu.",
                "This is the last active admin: add another admin first.",
            )
            .text(lang),
            AuthError::Policy(e) => e.text(lang),
            AuthError::Denied(e) => e.text(lang),
            AuthError::Db(e) => e.text(lang),
        }
    }
}
