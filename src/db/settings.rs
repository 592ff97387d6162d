//! Editable settings (pengaturan): contribution rates, attendance minimum, idle lock, language.
//! Rates are settings, never constants in code (DOMAIN.md: BPJS Ketenagakerjaan coverage).

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{DbError, now_text};

/// Every setting with its default value and what it means.
pub const DEFAULTS: &[(&str, &str, &str)] = &[
    (
        "bpjs.declared_income",
        "1000000",
        "Penghasilan yang dilaporkan per bulan (Rp)",
    ),
    (
        "bpjs.jkk_rate_permille",
        "10",
        "Iuran JKK, per seribu penghasilan (10 = 1%)",
    ),
    ("bpjs.jkm_monthly", "6800", "Iuran JKM per bulan (Rp)"),
    (
        "bpjs.discount_percent",
        "50",
        "Potongan iuran JKK/JKM sementara (PP 50/2025), persen",
    ),
    (
        "bpjs.discount_until",
        "2026-12-31",
        "Potongan berlaku sampai tanggal ini",
    ),
    (
        "bpjs.discount_excluded_funding",
        "apbn,apbd",
        "Sumber dana yang tidak mendapat potongan",
    ),
    (
        "attendance.min_rate_percent",
        "80",
        "Kehadiran minimum untuk lulus (%)",
    ),
    (
        "session.idle_lock_minutes",
        "10",
        "Layar terkunci setelah menganggur (menit)",
    ),
    (
        "login.max_failures",
        "5",
        "Gagal masuk berturut-turut sebelum akun dikunci",
    ),
    (
        "login.lock_minutes",
        "15",
        "Lama akun terkunci setelah gagal masuk (menit)",
    ),
    ("ui.lang", "id", "Bahasa tampilan: id atau en"),
    (
        "office.regency_code",
        "36.03",
        "Kabupaten/kota kantor (desa di sini tampil lebih dulu)",
    ),
    ("backup.keep", "14", "Jumlah cadangan harian yang disimpan"),
    // Paper (issue 17): the letterhead, the signatory, what to bring, the printers.
    (
        "letterhead.government",
        "PEMERINTAH KABUPATEN TANGERANG",
        "Kop surat: nama pemerintah daerah",
    ),
    (
        "letterhead.office",
        "DINAS KETENAGAKERJAAN",
        "Kop surat: nama kantor",
    ),
    (
        "letterhead.address",
        "Jl. Atiek Suardi, Tigaraksa, Kabupaten Tangerang, Banten 15720",
        "Kop surat: alamat kantor",
    ),
    (
        "letterhead.city",
        "Tigaraksa",
        "Tempat penandatanganan (\"Tigaraksa, 3 Desember 2026\")",
    ),
    (
        "letterhead.logo",
        "",
        "Kop surat: berkas logo (PNG, JPEG atau SVG), kosong = tanpa logo",
    ),
    (
        "signatory.name",
        "",
        "Penanda tangan sertifikat dan daftar: nama",
    ),
    (
        "signatory.position",
        "Kepala UPTD Latihan Kerja",
        "Penanda tangan: jabatan",
    ),
    ("signatory.nip", "", "Penanda tangan: NIP"),
    (
        "office.counter",
        "Loket Pelatihan Kerja",
        "Nama loket pada bukti pendaftaran",
    ),
    (
        "receipt.bring",
        "*=KTP asli dan fotokopi, fotokopi Kartu Keluarga, pas foto 3x4 (2 lembar)",
        "Yang dibawa peserta: *=untuk semua; KODE=per kejuruan; dipisah ;",
    ),
    (
        "printer.a4",
        "",
        "Antrean CUPS untuk kertas A4 (daftar hadir, sertifikat, daftar BPJS)",
    ),
    (
        "printer.receipt",
        "",
        "Antrean CUPS untuk bukti pendaftaran (A5)",
    ),
];

pub fn insert_defaults(tx: &Transaction) -> Result<(), DbError> {
    let now = now_text();
    let mut stmt =
        tx.prepare("INSERT OR IGNORE INTO setting (key, value, updated_at) VALUES (?1, ?2, ?3)")?;
    for (key, value, _) in DEFAULTS {
        stmt.execute(params![key, value, now])?;
    }
    Ok(())
}

/// A setting's value, or its shipped default when the row is missing.
pub fn get(conn: &Connection, key: &str) -> Result<String, DbError> {
    let stored: Option<String> = conn
        .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
        .query_row(params![key], |r| r.get(0))
        .optional()?;
    stored
        .or_else(|| {
            DEFAULTS
                .iter()
                .find(|(k, _, _)| *k == key)
                .map(|(_, v, _)| v.to_string())
        })
        .ok_or_else(|| DbError::Missing(format!("pengaturan {key}")))
}

/// A numeric setting; a value that does not parse falls back to the shipped default.
pub fn get_i64(conn: &Connection, key: &str) -> Result<i64, DbError> {
    let value = get(conn, key)?;
    match value.trim().parse() {
        Ok(n) => Ok(n),
        Err(_) => DEFAULTS
            .iter()
            .find(|(k, _, _)| *k == key)
            .and_then(|(_, v, _)| v.parse().ok())
            .ok_or_else(|| DbError::Missing(format!("pengaturan {key}"))),
    }
}

/// Writes a setting. Callers check the operator may (supervisor) and record the audit row.
pub fn set(conn: &Connection, key: &str, value: &str) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO setting (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        params![key, value, now_text()],
    )?;
    Ok(())
}

/// All settings with their values (stored or default), for the settings screen.
pub fn all(conn: &Connection) -> Result<Vec<(String, String, String)>, DbError> {
    DEFAULTS
        .iter()
        .map(|(k, _, about)| Ok((k.to_string(), get(conn, k)?, about.to_string())))
        .collect()
}

/// Changes a setting on behalf of `actor` (supervisors): only known keys, numbers where the
/// default is a number, with an audit row holding the value before and after.
pub fn update(
    conn: &Connection,
    actor: &crate::domain::access::Actor,
    key: &str,
    value: &str,
) -> Result<(), super::auth::AuthError> {
    actor.require(crate::domain::access::Permission::ManageSettings)?;
    let Some((_, default, _)) = DEFAULTS.iter().find(|(k, _, _)| *k == key) else {
        return Err(DbError::Missing(format!("pengaturan {key}")).into());
    };
    let value = value.trim();
    if default.parse::<i64>().is_ok() && value.parse::<i64>().is_err() {
        return Err(DbError::Missing(format!("angka untuk pengaturan {key}")).into());
    }
    let tx = super::immediate(conn)?;
    let before = get(&tx, key)?;
    set(&tx, key, value)?;
    super::audit::record(
        &tx,
        actor,
        "update",
        "setting",
        key,
        Some(&serde_json::json!({ "value": before })),
        Some(&serde_json::json!({ "value": value })),
    )?;
    tx.commit()?;
    Ok(())
}
