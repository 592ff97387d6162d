//! Editable settings (pengaturan): contribution rates, attendance minimum, idle lock, language.
//! Rates are settings, never constants in code (DOMAIN.md: BPJS Ketenagakerjaan coverage).
//! Keys are [`SettingKey`]s, each with its shipped default; what a key means is told in
//! `ui::text`. A stored value that does not read as its key's type is an error naming it, never
//! a silent default.

use crate::db::sql::{Connection, OptionalExtension, Transaction, params};
use chrono::NaiveDate;
use strum::{EnumString, IntoStaticStr, VariantArray};

use super::{DbError, Missing, audit, now_text};
use crate::domain::access::{Actor, Permission};
use crate::domain::cohort::Funding;

/// A setting's key, as `setting.key` stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
pub enum SettingKey {
    #[strum(serialize = "bpjs.declared_income")]
    DeclaredIncome,
    #[strum(serialize = "bpjs.jkk_rate_permille")]
    JkkRatePermille,
    #[strum(serialize = "bpjs.jkm_monthly")]
    JkmMonthly,
    #[strum(serialize = "bpjs.discount_percent")]
    DiscountPercent,
    #[strum(serialize = "bpjs.discount_until")]
    DiscountUntil,
    #[strum(serialize = "bpjs.discount_excluded_funding")]
    DiscountExcludedFunding,
    #[strum(serialize = "attendance.min_rate_percent")]
    AttendanceMinRate,
    #[strum(serialize = "session.idle_lock_minutes")]
    IdleLockMinutes,
    #[strum(serialize = "login.max_failures")]
    LoginMaxFailures,
    #[strum(serialize = "login.lock_minutes")]
    LoginLockMinutes,
    #[strum(serialize = "ui.lang")]
    UiLang,
    #[strum(serialize = "office.regency_code")]
    OfficeRegency,
    #[strum(serialize = "backup.keep")]
    BackupKeep,
    #[strum(serialize = "readiness.warn_days")]
    ReadinessWarnDays,
    // Paper (issue 17): the letterhead, the signatory, the counter, what to bring, the printers.
    #[strum(serialize = "letterhead.government")]
    LetterheadGovernment,
    #[strum(serialize = "letterhead.office")]
    LetterheadOffice,
    #[strum(serialize = "letterhead.address")]
    LetterheadAddress,
    #[strum(serialize = "letterhead.city")]
    LetterheadCity,
    #[strum(serialize = "letterhead.logo")]
    LetterheadLogo,
    #[strum(serialize = "signatory.name")]
    SignatoryName,
    #[strum(serialize = "signatory.position")]
    SignatoryPosition,
    #[strum(serialize = "signatory.nip")]
    SignatoryNip,
    #[strum(serialize = "office.counter")]
    OfficeCounter,
    #[strum(serialize = "receipt.bring")]
    ReceiptBring,
    #[strum(serialize = "printer.a4")]
    PrinterA4,
    #[strum(serialize = "printer.receipt")]
    PrinterReceipt,
}

impl SettingKey {
    /// The stored key, `bpjs.declared_income`...
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// The value loket ships with.
    pub fn default_value(self) -> &'static str {
        match self {
            SettingKey::DeclaredIncome => "1000000",
            SettingKey::JkkRatePermille => "10",
            SettingKey::JkmMonthly => "6800",
            SettingKey::DiscountPercent => "50",
            SettingKey::DiscountUntil => "2026-12-31",
            SettingKey::DiscountExcludedFunding => "apbn,apbd",
            SettingKey::AttendanceMinRate => "80",
            SettingKey::IdleLockMinutes => "10",
            SettingKey::LoginMaxFailures => "5",
            SettingKey::LoginLockMinutes => "15",
            SettingKey::UiLang => "id",
            SettingKey::OfficeRegency => "36.03",
            SettingKey::BackupKeep => "14",
            SettingKey::ReadinessWarnDays => "14",
            SettingKey::LetterheadGovernment => "PEMERINTAH KABUPATEN TANGERANG",
            SettingKey::LetterheadOffice => "DINAS KETENAGAKERJAAN",
            SettingKey::LetterheadAddress => {
                "Jl. Atiek Suardi, Tigaraksa, Kabupaten Tangerang, Banten 15720"
            }
            SettingKey::LetterheadCity => "Tigaraksa",
            SettingKey::SignatoryPosition => "Kepala UPTD Latihan Kerja",
            SettingKey::OfficeCounter => "Loket Pelatihan Kerja",
            SettingKey::ReceiptBring => {
                "*=KTP asli dan fotokopi, fotokopi Kartu Keluarga, pas foto 3x4 (2 lembar)"
            }
            SettingKey::LetterheadLogo
            | SettingKey::SignatoryName
            | SettingKey::SignatoryNip
            | SettingKey::PrinterA4
            | SettingKey::PrinterReceipt => "",
        }
    }

    /// What the value must be: checked when a supervisor changes it (screen or `loket setting
    /// set`), and when it is read, so a value written around loket stops the work that needs it
    /// instead of billing a negative contribution.
    pub fn kind(self) -> SettingKind {
        let number = |min, max| SettingKind::Number { min, max };
        match self {
            // Rupiah: never negative; the ceiling keeps every product of rates within i64.
            SettingKey::DeclaredIncome | SettingKey::JkmMonthly => number(0, MAX_RUPIAH),
            // Per mille of income.
            SettingKey::JkkRatePermille => number(0, 1000),
            SettingKey::DiscountPercent | SettingKey::AttendanceMinRate => number(0, 100),
            // 0 = the screen never locks (login::idle_lock); at most a day.
            SettingKey::IdleLockMinutes => number(0, 24 * 60),
            SettingKey::LoginMaxFailures => number(1, 100),
            SettingKey::LoginLockMinutes => number(1, 24 * 60),
            // Daily backups kept: at least one, at most a year of them.
            SettingKey::BackupKeep => number(1, 365),
            // Days before the start a cohort that is not ready is named; up to a year ahead.
            SettingKey::ReadinessWarnDays => number(0, 365),
            SettingKey::DiscountUntil => SettingKind::Date,
            SettingKey::DiscountExcludedFunding => SettingKind::FundingList,
            SettingKey::UiLang => SettingKind::Lang,
            SettingKey::OfficeRegency => SettingKind::RegencyCode,
            SettingKey::PrinterA4 | SettingKey::PrinterReceipt => SettingKind::Queue,
            SettingKey::LetterheadGovernment
            | SettingKey::LetterheadOffice
            | SettingKey::LetterheadAddress
            | SettingKey::LetterheadCity
            | SettingKey::LetterheadLogo
            | SettingKey::SignatoryName
            | SettingKey::SignatoryPosition
            | SettingKey::SignatoryNip
            | SettingKey::OfficeCounter
            | SettingKey::ReceiptBring => SettingKind::Text,
        }
    }
}

/// The largest rupiah amount a setting holds (Rp 1 miliar).
pub const MAX_RUPIAH: i64 = 1_000_000_000;

/// The shape of a setting's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingKind {
    /// A whole number from `min` to `max` (both included).
    Number { min: i64, max: i64 },
    /// `YYYY-MM-DD`.
    Date,
    /// Funding codes separated by commas (`apbn,apbd`); empty for none.
    FundingList,
    /// `id` or `en`.
    Lang,
    /// A kabupaten/kota code as the reference data writes it: `36.03`.
    RegencyCode,
    /// One line of text, possibly empty (letterhead, signatory, what to bring).
    Text,
    /// A CUPS queue name (printable, no space, `/` or `#`, not starting with `-`), or empty
    /// for none.
    Queue,
}

impl SettingKind {
    /// The word scripts see in `loket setting list --json`.
    pub fn code(self) -> &'static str {
        match self {
            SettingKind::Number { .. } => "number",
            SettingKind::Date => "date",
            SettingKind::FundingList => "funding_list",
            SettingKind::Lang => "lang",
            SettingKind::RegencyCode => "regency_code",
            SettingKind::Text => "text",
            SettingKind::Queue => "queue",
        }
    }
}

/// The funding codes of a `FundingList` value; `None` when one is not a funding code.
fn funding_list(value: &str) -> Option<Vec<Funding>> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.to_ascii_lowercase().parse().ok())
        .collect()
}

/// Whether `value` has the shape and lies in the range `key` needs.
pub fn fits(key: SettingKey, value: &str) -> bool {
    let value = value.trim();
    match key.kind() {
        SettingKind::Number { min, max } => {
            value.parse::<i64>().is_ok_and(|n| (min..=max).contains(&n))
        }
        SettingKind::Date => NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok(),
        SettingKind::FundingList => funding_list(value).is_some(),
        SettingKind::Lang => matches!(value, "id" | "en"),
        SettingKind::RegencyCode => {
            let b = value.as_bytes();
            b.len() == 5 && b[2] == b'.' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit())
        }
        SettingKind::Text => !value.chars().any(char::is_control),
        // CUPS: up to 127 printable characters other than space, '/' and '#'.
        SettingKind::Queue => {
            value.len() <= 127
                && !value.starts_with('-')
                && value
                    .chars()
                    .all(|c| c.is_ascii_graphic() && c != '/' && c != '#')
        }
    }
}

pub fn insert_defaults(tx: &Transaction) -> Result<(), DbError> {
    let now = now_text();
    let mut stmt = tx.prepare(
        "INSERT INTO setting (key, value, updated_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    )?;
    for key in SettingKey::VARIANTS {
        stmt.execute(params![key.code(), key.default_value(), now])?;
    }
    Ok(())
}

/// A setting's value, or its shipped default when the row is missing.
pub fn get(conn: &Connection, key: SettingKey) -> Result<String, DbError> {
    let stored: Option<String> = conn
        .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
        .query_row(params![key.code()], |r| r.get(0))
        .optional()?;
    Ok(stored.unwrap_or_else(|| key.default_value().to_string()))
}

/// A setting's value checked against its kind: a stored value that does not fit is an error
/// that names it.
fn get_checked(conn: &Connection, key: SettingKey) -> Result<String, DbError> {
    let value = get(conn, key)?;
    if fits(key, &value) {
        Ok(value.trim().to_string())
    } else {
        Err(DbError::BadSetting { key, value })
    }
}

/// A numeric setting.
pub fn get_i64(conn: &Connection, key: SettingKey) -> Result<i64, DbError> {
    let value = get_checked(conn, key)?;
    value
        .parse()
        .map_err(|_| DbError::BadSetting { key, value })
}

/// A date setting.
pub fn get_date(conn: &Connection, key: SettingKey) -> Result<NaiveDate, DbError> {
    let value = get_checked(conn, key)?;
    NaiveDate::parse_from_str(&value, "%Y-%m-%d").map_err(|_| DbError::BadSetting { key, value })
}

/// A list of funding codes.
pub fn get_funding(conn: &Connection, key: SettingKey) -> Result<Vec<Funding>, DbError> {
    let value = get_checked(conn, key)?;
    funding_list(&value).ok_or(DbError::BadSetting { key, value })
}

/// The display language's code, `id` or `en`.
pub fn get_lang(conn: &Connection) -> Result<String, DbError> {
    get_checked(conn, SettingKey::UiLang)
}

/// A text setting (letterhead, signatory, printer queue), trimmed; empty when unset.
pub fn get_text(conn: &Connection, key: SettingKey) -> Result<String, DbError> {
    get_checked(conn, key)
}

/// Writes a setting. Callers check the operator may (supervisor) and record the audit row.
pub fn set(conn: &Connection, key: SettingKey, value: &str) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO setting (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        params![key.code(), value, now_text()],
    )?;
    Ok(())
}

/// Every setting with its value (stored or default), for the settings screen.
pub fn all(conn: &Connection) -> Result<Vec<(SettingKey, String)>, DbError> {
    SettingKey::VARIANTS
        .iter()
        .map(|k| Ok((*k, get(conn, *k)?)))
        .collect()
}

/// The key a supervisor typed, or `Missing::Setting` naming it.
pub fn key(typed: &str) -> Result<SettingKey, DbError> {
    typed
        .trim()
        .parse()
        .map_err(|_| DbError::Missing(Missing::Setting(typed.trim().to_string())))
}

/// Changes a setting on behalf of `actor` (supervisors): the value must fit the key's kind
/// (a number in its range, a date, funding codes, a language, a regency code); an audit row
/// holds the value before and after. The settings screen and `loket setting set` both call it.
pub fn update(
    conn: &Connection,
    actor: &Actor,
    key: SettingKey,
    value: &str,
) -> Result<(), super::auth::AuthError> {
    actor.require(Permission::ManageSettings)?;
    let value = value.trim();
    if !fits(key, value) {
        return Err(DbError::BadSetting {
            key,
            value: value.to_string(),
        }
        .into());
    }
    let tx = super::immediate(conn)?;
    let before = get(&tx, key)?;
    set(&tx, key, value)?;
    audit::record(
        &tx,
        actor,
        audit::Action::Update,
        audit::Entity::Setting,
        key.code(),
        Some(&serde_json::json!({ "value": before })),
        Some(&serde_json::json!({ "value": value })),
    )?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fit_their_kind_and_bad_values_are_named() {
        for key in SettingKey::VARIANTS {
            assert!(fits(*key, key.default_value()), "{key:?}");
            assert_eq!(key.code().parse(), Ok(*key));
        }
        let conn = crate::db::create_in_memory().unwrap();
        assert_eq!(get_i64(&conn, SettingKey::BackupKeep).unwrap(), 14);
        assert_eq!(
            get_funding(&conn, SettingKey::DiscountExcludedFunding).unwrap(),
            vec![Funding::Apbn, Funding::Apbd]
        );
        set(&conn, SettingKey::BackupKeep, "empat belas").unwrap();
        assert!(matches!(
            get_i64(&conn, SettingKey::BackupKeep),
            Err(DbError::BadSetting { key: SettingKey::BackupKeep, value }) if value == "empat belas"
        ));
        set(&conn, SettingKey::DiscountExcludedFunding, "apbn,hibah").unwrap();
        assert!(get_funding(&conn, SettingKey::DiscountExcludedFunding).is_err());
        assert!(!fits(SettingKey::DiscountUntil, "31-12-2026"));
        assert!(!fits(SettingKey::UiLang, "jv"));
        for (key, value, ok) in [
            (SettingKey::JkmMonthly, "-5", false),
            (SettingKey::JkmMonthly, "0", true),
            (SettingKey::AttendanceMinRate, "250", false),
            (SettingKey::AttendanceMinRate, "100", true),
            (SettingKey::IdleLockMinutes, "0", true),
            (SettingKey::LoginMaxFailures, "0", false),
            (SettingKey::BackupKeep, "366", false),
            (SettingKey::DeclaredIncome, "1.000.000", false),
            (SettingKey::OfficeRegency, "36.03", true),
            (SettingKey::OfficeRegency, "Tangerang", false),
        ] {
            assert_eq!(fits(key, value), ok, "{key:?} = {value}");
        }
    }
}
