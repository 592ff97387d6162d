//! The terminal UI: one event loop, a stack of screens, a key table per screen.
//! Screens call `db` functions in their handlers, never SQL, and never query inside `render`.

pub mod app;
pub mod keymap;
pub mod paper;
pub mod reply;
pub mod screens;
pub mod search_worker;
pub mod text;
pub mod theme;
pub mod widgets;

pub use app::{App, Ctx, Event, Nav, Screen, run};
pub use reply::{Reply, ReplyTo, ScreenId};
