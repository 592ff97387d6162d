//! Text of the frame around every screen: title bar, footer, help, quit, errors.

use chrono::NaiveDateTime;

use super::{Lang, Msg};

pub const APP: Msg = Msg::new("loket", "loket");
pub const HELP: Msg = Msg::new("Bantuan", "Help");
pub const HELP_TITLE: Msg = Msg::new("Tombol di layar ini", "Keys on this screen");
pub const HELP_GLOBAL: Msg = Msg::new("Di semua layar", "On every screen");
pub const HELP_CLOSE: Msg = Msg::new("Esc/F1 tutup", "Esc/F1 close");
pub const BACK: Msg = Msg::new("Kembali", "Back");
pub const MENU: Msg = Msg::new("Menu", "Menu");
pub const QUIT: Msg = Msg::new("Keluar", "Quit");
pub const OPERATOR: Msg = Msg::new("Operator", "Operator");
pub const TOO_SMALL: Msg = Msg::new(
    "Terminal terlalu kecil. Perbesar jendela sampai minimal 80 x 24.",
    "Terminal too small. Enlarge the window to at least 80 x 24.",
);
pub const TOO_SMALL_NOW: Msg = Msg::new("Sekarang", "Now");
pub const ERROR: Msg = Msg::new("Kesalahan", "Error");
pub const LIST_MOVE: Msg = Msg::new("Pindah baris", "Move");
pub const LIST_PAGE: Msg = Msg::new("Halaman sebelumnya/berikutnya", "Page up/down");
pub const LIST_ENDS: Msg = Msg::new("Baris pertama/terakhir", "First/last row");
pub const QUIT_TITLE: Msg = Msg::new("Keluar dari loket?", "Quit loket?");
pub const LOGOUT_TITLE: Msg = Msg::new("Ganti operator?", "Switch operator?");
pub const LEAVE_BODY: Msg = Msg::new(
    "Ada isian yang belum disimpan; isian itu akan hilang. Esc kembali untuk menyimpannya.",
    "Something typed is not saved yet and will be lost. Esc goes back to save it.",
);
pub const LEAVE_YES: Msg = Msg::new("Ya, buang isian", "Yes, discard it");
pub const LEAVE_NO: Msg = Msg::new("Tidak, kembali", "No, go back");
pub const LEAVE_SMALL: Msg = Msg::new(
    "Isian yang belum disimpan akan hilang. Enter: ya, Esc: batal.",
    "What is not saved will be lost. Enter: yes, Esc: cancel.",
);

/// Said over the reopened form(s) after a login: when the window closed, and what to do now.
pub fn drafts_reopened(lang: Lang, saved_at: NaiveDateTime) -> String {
    let when = saved_at.format("%d-%m-%Y %H:%M");
    match lang {
        Lang::Id => format!(
            "Jendela loket tertutup pada {when} saat ada isian yang belum disimpan. Isian itu \
             dibuka lagi: periksa, lalu simpan dengan F10 (atau Esc untuk membuangnya)."
        ),
        Lang::En => format!(
            "The loket window closed at {when} while something typed was not saved. It is \
             open again: check it, then save with F10 (or Esc to discard it)."
        ),
    }
}

/// Standard error's line when a closing window's typed text was kept.
pub fn drafts_kept(lang: Lang, path: &std::path::Path) -> String {
    match lang {
        Lang::Id => format!(
            "loket ditutup; isian yang belum disimpan disimpan di {} dan dibuka lagi saat operator yang sama masuk.",
            path.display()
        ),
        Lang::En => format!(
            "loket closed; what was typed and not saved is kept in {} and opens again when the same operator logs in.",
            path.display()
        ),
    }
}
