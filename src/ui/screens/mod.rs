//! The screens of loket, one file each.

pub mod enroll;
pub mod home;
pub mod menu;
pub mod waitlist;
