//! The screens of loket, one file each.

pub mod home;
pub mod import;
pub mod menu;
