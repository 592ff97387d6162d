//! Text of the menu (F9).

use super::Msg;

pub const TITLE: Msg = Msg::new("Menu", "Menu");
pub const OPEN: Msg = Msg::new("Buka", "Open");
pub const CLOSE: Msg = Msg::new("Tutup", "Close");
pub const LOCK_NOW: Msg = Msg::new("Kunci layar", "Lock screen");
pub const SWITCH_OPERATOR: Msg = Msg::new("Ganti operator", "Switch operator");
