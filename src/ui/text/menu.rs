//! Text of the menu (F9).

use super::Msg;

pub const TITLE: Msg = Msg::new("Menu", "Menu");
pub const OPEN: Msg = Msg::new("Buka", "Open");
pub const CLOSE: Msg = Msg::new("Tutup", "Close");
