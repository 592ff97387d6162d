//! Text of the import screen (impor penduduk) and of `loket import`, and the sentences of the
//! errors that stop an import.

use super::{Lang, Localized, Msg, pick};
use crate::db::import::ImportError;
use crate::domain::import_row::MissingColumns;

pub const TITLE: Msg = Msg::new("Impor penduduk", "Import residents");
pub const MENU_ROW: Msg = Msg::new("Impor penduduk (CSV/XLSX)", "Import residents (CSV/XLSX)");
pub const FILE: Msg = Msg::new("Berkas (.csv/.xlsx)", "File (.csv/.xlsx)");
pub const UPDATE_EXISTING: Msg = Msg::new(
    "Perbarui penduduk yang NIK-nya sudah ada",
    "Update residents whose NIK exists",
);
pub const ACCEPT_WARNINGS: Msg = Msg::new(
    "Terima NIK yang berbeda dengan jenis kelamin/tanggal lahir",
    "Accept NIKs that disagree with sex/birth date",
);
pub const REJECTS_TO: Msg = Msg::new("Baris ditolak disimpan ke", "Rejected rows saved to");
pub const START: Msg = Msg::new("Mulai", "Start");
pub const CANCEL: Msg = Msg::new("Batalkan", "Cancel");
pub const BACK: Msg = Msg::new("Kembali", "Back");
pub const TOGGLE_UPDATE: Msg = Msg::new("Perbarui", "Update");
pub const TOGGLE_WARNINGS: Msg = Msg::new("Peringatan", "Warnings");
pub const CLEAR: Msg = Msg::new("Kosongkan", "Clear");
pub const READ: Msg = Msg::new("Dibaca", "Read");
pub const ROWS_PER_S: Msg = Msg::new("baris/detik", "rows/s");
pub const ETA: Msg = Msg::new("sisa", "left");
/// Every row read: what is left is building the search indexes (at 3 million residents about
/// 15 s), shown instead of "sisa 00:00" over a full bar.
pub const INDEXING: Msg = Msg::new(
    "semua baris terbaca, menyusun indeks pencarian...",
    "every row read, building the search indexes...",
);
pub const IMPORTED: Msg = Msg::new("Baru", "New");
pub const UPDATED: Msg = Msg::new("Diperbarui", "Updated");
pub const UNCHANGED: Msg = Msg::new("Sudah sama", "Unchanged");
pub const REJECTED: Msg = Msg::new("Ditolak", "Rejected");
pub const RUNNING: Msg = Msg::new(
    "Mengimpor... Esc membatalkan (baris yang sudah dibaca tetap tersimpan)",
    "Importing... Esc cancels (rows read so far stay saved)",
);
pub const CANCELLING: Msg = Msg::new("Membatalkan...", "Cancelling...");
pub const DONE: Msg = Msg::new("Selesai.", "Done.");
pub const CANCELLED: Msg = Msg::new(
    "Dibatalkan. Jalankan lagi untuk menyelesaikan: baris yang sudah tersimpan dihitung 'sudah sama'.",
    "Cancelled. Run again to finish: rows already saved count as 'unchanged'.",
);
pub const FAILED: Msg = Msg::new("Impor gagal", "Import failed");
pub const NO_FILE: Msg = Msg::new(
    "Ketik dulu lokasi berkasnya.",
    "Type the file's path first.",
);
pub const HINT: Msg = Msg::new(
    "Kolom wajib: NIK, NAMA, JENIS_KELAMIN, TANGGAL_LAHIR. Kolom OpenSID juga dikenal.",
    "Required columns: NIK, NAMA, JENIS_KELAMIN, TANGGAL_LAHIR. OpenSID columns work too.",
);

impl Localized for MissingColumns {
    fn text(&self, lang: Lang) -> String {
        let columns = self.0.join(", ");
        pick(
            lang,
            format!(
                "Kolom wajib tidak ada di baris judul: {columns}. Berkas tidak diimpor; tambahkan \
                 kolom itu (nama lain yang dikenal: NAMA_LENGKAP, SEX, TANGGALLAHIR, ...)"
            ),
            format!(
                "Required columns missing from the header row: {columns}. Nothing was imported; \
                 add them (other accepted names: NAMA_LENGKAP, SEX, TANGGALLAHIR, ...)"
            ),
        )
    }
}

impl Localized for ImportError {
    fn text(&self, lang: Lang) -> String {
        match self {
            ImportError::Denied(e) => e.text(lang),
            ImportError::MissingColumns(m) => m.text(lang),
            ImportError::DuplicateColumn(d) => {
                let (column, (at, name), (again, twice)) = (d.column, &d.first, &d.second);
                pick(
                    lang,
                    format!(
                        "Kolom {column} ada dua kali di baris judul: kolom {at} '{name}' dan kolom \
                         {again} '{twice}'. Berkas tidak diimpor; hapus salah satunya"
                    ),
                    format!(
                        "Column {column} appears twice in the header row: column {at} '{name}' \
                         and column {again} '{twice}'. Nothing was imported; remove one of them"
                    ),
                )
            }
            ImportError::SheetTooWide {
                claimed,
                max_columns,
            } => pick(
                lang,
                format!(
                    "Lembar kerja menyebut ukuran {claimed}, lebih dari {max_columns} kolom yang \
                     dibaca loket. Berkas tidak diimpor; hapus isi dan format sel di luar tabel \
                     lalu simpan ulang"
                ),
                format!(
                    "The worksheet claims {claimed}, more than the {max_columns} columns loket \
                     reads. Nothing was imported; clear the contents and formats of cells \
                     outside the table and save again"
                ),
            ),
            ImportError::RejectsIsInput(path) => pick(
                lang,
                format!(
                    "Berkas penolakan {path} adalah berkas yang diimpor: pilih nama lain (berkas \
                     tidak diubah)"
                ),
                format!(
                    "The rejects file {path} is the file being imported: choose another name \
                     (the file was not touched)"
                ),
            ),
            ImportError::Db(e) => e.text(lang),
            ImportError::Read(file, e) => pick(
                lang,
                format!("Berkas {file} tidak bisa dibaca: {e}"),
                format!("Cannot read {file}: {e}"),
            ),
            ImportError::NoHeader => Msg::new(
                "Berkas kosong: tidak ada baris judul",
                "The file is empty: no header row",
            )
            .text(lang),
            ImportError::UnsupportedFormat(ext) if ext.is_empty() => Msg::new(
                "Nama berkas tidak berakhiran .csv atau .xlsx: sebutkan berkas daftar penduduk",
                "The file name ends in neither .csv nor .xlsx: name the resident list file",
            )
            .text(lang),
            ImportError::UnsupportedFormat(ext) => pick(
                lang,
                format!("Jenis berkas '{ext}' tidak didukung: pakai .csv atau .xlsx"),
                format!("File type '{ext}' is not supported: use .csv or .xlsx"),
            ),
            ImportError::RejectsWrite(e) => pick(
                lang,
                format!("Berkas penolakan tidak bisa ditulis: {e}"),
                format!("Cannot write the rejects file: {e}"),
            ),
            ImportError::Interrupted => Msg::new(
                "Impor terputus; baris yang sudah tersimpan aman, jalankan lagi untuk menyelesaikan",
                "Import interrupted; stored rows are safe, run it again to finish",
            )
            .text(lang),
        }
    }
}

/// The header cells an import did not read: their data is not in loket. A desa column of names
/// (`DESA`, `KELURAHAN`) is the likely one, so the line then says where loket reads the desa.
pub fn ignored_columns(lang: Lang, columns: &[String]) -> String {
    let list = columns.join(", ");
    let desa = columns.iter().any(|c| {
        let n = crate::domain::import_row::normalize_header(c);
        n.contains("DESA") || n.contains("KELURAHAN")
    });
    let (head, hint) = match lang {
        Lang::Id => (
            "Kolom tidak dikenal, isinya tidak diimpor",
            " Desa dibaca dari kolom KODE_DESA (kode desa, bukan nama).",
        ),
        Lang::En => (
            "Unknown columns, not imported",
            " The desa is read from the KODE_DESA column (its code, not its name).",
        ),
    };
    format!("{head}: {list}.{}", if desa { hint } else { "" })
}
