//! The screens of loket, one file each.

pub mod audit;
pub mod home;
pub mod login;
pub mod menu;
pub mod operators;
