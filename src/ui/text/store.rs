//! Text about the database file itself: `loket check`, restores, `demo --force`, file modes.
//! Shared by the command line and the TUI.

use std::path::{Path, PathBuf};

use super::{Lang, Localized, Msg, pick};
use crate::db::NotLoket;
use crate::db::backup::CheckReport;

pub fn sound(lang: Lang, path: &Path) -> String {
    pick(
        lang,
        format!(
            "Database baik: {} (integrity_check, foreign_key_check, skema, rantai jejak audit)",
            path.display()
        ),
        format!(
            "Database sound: {} (integrity_check, foreign_key_check, schema, audit chain)",
            path.display()
        ),
    )
}

/// The lines of a report with problems, one per problem, for standard output.
pub fn problems(lang: Lang, report: &CheckReport) -> Vec<String> {
    let mut lines: Vec<String> = report
        .integrity
        .iter()
        .map(|line| format!("integrity: {line}"))
        .collect();
    lines.extend(report.foreign_keys.iter().map(|(table, rowid, parent)| {
        format!(
            "foreign key: {table} {} -> {parent}",
            rowid.map(|r| r.to_string()).unwrap_or_default()
        )
    }));
    lines.extend(
        report
            .schema
            .iter()
            .map(|d| format!("schema: {}", d.text(lang))),
    );
    if let Some(broken) = report.audit_chain {
        lines.push(pick(
            lang,
            format!(
                "audit: audit_log {} tidak mengikuti baris sebelumnya (diubah, dihapus atau disisipkan di luar loket)",
                broken.id
            ),
            format!(
                "audit: audit_log {} does not follow from the row before it (changed, removed or inserted outside loket)",
                broken.id
            ),
        ));
    }
    lines
}

/// What to do about a report with problems: restore only for damage SQLite found.
/// `loket check` found a problem on a PostgreSQL server.
pub const SERVER_ADVICE: Msg = Msg::new(
    "loket: database di server bermasalah. Minta admin server memeriksanya (perubahan di luar \
     loket?) dan, bila perlu, memulihkan cadangan pg_dump dengan pg_restore.",
    "loket: the database on the server has a problem. Ask the server's admin to look into it \
     (changed outside loket?) and, if need be, restore a pg_dump backup with pg_restore.",
);

pub fn advice(lang: Lang, report: &CheckReport) -> &'static str {
    if report.is_damaged() {
        DAMAGED.get(lang)
    } else {
        EDITED.get(lang)
    }
}

const DAMAGED: Msg = Msg::new(
    "loket: database bermasalah. Pulihkan dari cadangan dengan `loket restore` (admin).",
    "loket: the database has problems. Restore a backup with `loket restore` (admin).",
);
const EDITED: Msg = Msg::new(
    "loket: database ini diubah di luar loket (skema atau jejak audit). Simpan salinan berkas ini sebagai bukti dan laporkan ke admin; cadangan yang lolos `loket check` bisa dipulihkan.",
    "loket: this database was changed outside loket (schema or audit trail). Keep a copy of the file as evidence and tell an admin; a backup that passes `loket check` can be restored.",
);

/// `check` on a file that is not loket's.
pub fn not_loket(lang: Lang, path: &Path, why: &NotLoket) -> String {
    let why = why.text(lang);
    pick(
        lang,
        format!("{} bukan database loket: {why}.", path.display()),
        format!("{} is not a loket database: {why}.", path.display()),
    )
}

/// `check` could not roll back what a killed writer left: no write permission. Not damage.
pub const CANNOT_RECOVER: Msg = Msg::new(
    "loket: penulisan yang terputus tidak bisa dibatalkan karena berkas database atau foldernya tidak boleh ditulis. Jalankan `loket check` sebagai pemilik berkas; database tidak perlu dipulihkan dari cadangan.",
    "loket: an interrupted write cannot be rolled back because the database file or its folder is not writable. Run `loket check` as the file's owner; the database does not need a restore.",
);

pub fn restored(lang: Lang, source: &Path, safety: &str) -> String {
    pick(
        lang,
        format!(
            "Database dipulihkan dari {}. Database sebelumnya disimpan di {safety}. Loket lain yang sedang terbuka langsung memakai data ini.",
            source.display()
        ),
        format!(
            "Database restored from {}. The previous database was kept at {safety}. Lokets that have it open use this data at once.",
            source.display()
        ),
    )
}

pub fn demo_replaced(lang: Lang, path: &Path, safety: Option<&PathBuf>) -> String {
    let safety = safety.map_or_else(|| "-".to_string(), |p| p.display().to_string());
    pick(
        lang,
        format!(
            "Database demo menggantikan {}. Database sebelumnya disimpan di {safety}.",
            path.display()
        ),
        format!(
            "A demo database replaced {}. The previous database was kept at {safety}.",
            path.display()
        ),
    )
}

/// Files that group or others could read, tightened on open (issue 14.17).
pub fn tightened(lang: Lang, files: &[PathBuf], dir: Option<&Path>) -> String {
    let mut parts: Vec<String> = files
        .iter()
        .map(|f| format!("{} -> 0600", f.display()))
        .collect();
    if let Some(dir) = dir {
        parts.push(format!("{} -> 0700", dir.display()));
    }
    pick(
        lang,
        format!(
            "Izin berkas diperketat agar hanya pemilik yang bisa membaca (data pribadi, UU 27/2022): {}",
            parts.join(", ")
        ),
        format!(
            "File permissions tightened to owner-only (personal data, UU 27/2022): {}",
            parts.join(", ")
        ),
    )
}

/// The title of the TUI's box for that line.
pub const NOTICE: Msg = Msg::new("Pemberitahuan", "Notice");

/// `loket migrate`: a table as it starts (standard error).
pub fn moving_table(lang: Lang, table: &str) -> String {
    pick(
        lang,
        format!("memindahkan {table} ..."),
        format!("moving {table} ..."),
    )
}

/// `loket migrate`: one table's line of the summary.
pub fn moved_table(lang: Lang, moved: &crate::db::office_move::TableMove) -> String {
    let (table, office, added, matched) = (moved.table, moved.office, moved.added, moved.matched);
    pick(
        lang,
        format!(
            "  {table:<11} {office:>8} di berkas  {added:>8} ditambahkan  {matched:>8} sudah ada di server"
        ),
        format!(
            "  {table:<11} {office:>8} in file    {added:>8} added        {matched:>8} already on the server"
        ),
    )
}

/// `loket migrate`: the first line of the summary.
pub fn moved(lang: Lang, report: &crate::db::office_move::MoveReport, file: &Path) -> String {
    let (server, file) = (&report.server, file.display());
    match (report.merged, lang) {
        (false, Lang::Id) => format!(
            "{file} disalin utuh ke {server} (kantor pertama di server ini); jumlah baris tiap tabel sudah dicocokkan."
        ),
        (false, Lang::En) => format!(
            "{file} copied whole onto {server} (the first office on this server); every table's row count was verified."
        ),
        (true, Lang::Id) => format!(
            "{file} digabung ke {server}: penduduk dicocokkan dengan NIK, data server tidak ditimpa; jumlah baris sudah dicocokkan."
        ),
        (true, Lang::En) => format!(
            "{file} merged into {server}: residents matched by NIK, nothing on the server overwritten; row counts verified."
        ),
    }
}

/// `loket migrate`: residents whose NIK the server holds with other data.
pub fn move_conflicts(lang: Lang, n: usize, file: Option<&Path>) -> String {
    let whereto = match (file, lang) {
        (Some(f), Lang::Id) => format!("Rinciannya di {}", f.display()),
        (Some(f), Lang::En) => format!("Details in {}", f.display()),
        (None, Lang::Id) => "Rinciannya di bawah; simpan dengan --conflicts BERKAS.csv".into(),
        (None, Lang::En) => "Details below; save them with --conflicts FILE.csv".into(),
    };
    pick(
        lang,
        format!(
            "{n} penduduk dengan NIK yang sama tetapi data berbeda: data server dipertahankan, pendaftaran kantor ini ikut NIK itu; periksa dan perbaiki di loket. {whereto}."
        ),
        format!(
            "{n} residents with the same NIK but other data: the server's data was kept, this office's enrollments follow that NIK; check and correct them in loket. {whereto}."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::backup::{Change, SchemaDifference};

    #[test]
    fn schema_differences_name_the_object_in_both_languages() {
        let d = SchemaDifference {
            kind: "index".into(),
            name: "resident_nik".into(),
            change: Change::Missing,
        };
        let report = CheckReport {
            schema: vec![d],
            ..Default::default()
        };
        assert_eq!(
            problems(Lang::Id, &report),
            ["schema: indeks resident_nik hilang"]
        );
        assert_eq!(
            problems(Lang::En, &report),
            ["schema: index resident_nik missing"]
        );
        assert_eq!(advice(Lang::Id, &report), EDITED.id);
    }
}
