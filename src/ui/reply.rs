//! Replies to a screen, typed and addressed: a worker's result (search, import) and a modal's
//! answer (prompt, confirm, saved). Every screen on the stack has a `ScreenId`; a job carries
//! the id of the screen that started it, and the app hands the reply to that screen wherever it
//! is in the stack (under the menu, under the lock screen), so no answer is lost or given to a
//! screen that did not ask. A modal answers the screen it was opened from, which is right below
//! it when it closes.
//!
//! Delivered at once rather than queued until the screen is on top again: the screen's state is
//! then always current (a screen under a modal is drawn, and an import's bar keeps counting under
//! the menu), and nothing piles up while the lock screen stays for hours (an import reports ten
//! times a second). Only what a covered screen asks of the app (a `Nav`) waits for it to be on
//! top, where navigation makes sense.

use std::sync::mpsc::Sender;

use super::app::Event;
use super::screens::confirm::ConfirmReply;
use super::screens::import::ImportMsg;
use super::screens::prompt::PromptReply;
use super::search_worker::SearchAnswer;

/// The address of a screen on the stack; the app gives each screen its own when it is pushed
/// (`Screen::attach`). The default address is no screen's: a reply sent to it is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ScreenId(pub(crate) u64);

/// Every reply a screen can receive.
#[derive(Debug)]
pub enum Reply {
    /// The search worker's answer to one query.
    Search(SearchAnswer),
    /// Progress or the end of an import running on its worker.
    Import(ImportMsg),
    /// The text typed into a prompt, with what it was asked for.
    Prompt(PromptReply),
    /// The clerk's answer to a confirmation modal.
    Confirm(ConfirmReply),
    /// The resident form saved the resident being edited: show it again from the database.
    ResidentSaved,
    /// The walk-in is done (the enrollment confirmation closed with Enter): each screen it
    /// reaches closes and passes it down, and the desk search starts empty for the next resident.
    WalkInDone,
    /// The enrollment confirmation closed with Esc: the picker closes too, back to the screen it
    /// was opened from.
    EnrollmentClosed,
    /// The cohort form saved an edit: what it did (promotions, overlaps) for the cohort screen.
    CohortEdited(Box<crate::db::cohorts::EditOutcome>),
}

/// Where a worker sends its replies: the loop's channel, addressed to one screen.
#[derive(Debug, Clone)]
pub struct ReplyTo {
    to: ScreenId,
    events: Sender<Event>,
}

impl ReplyTo {
    pub fn new(to: ScreenId, events: &Sender<Event>) -> ReplyTo {
        ReplyTo {
            to,
            events: events.clone(),
        }
    }

    /// Sends `reply` to the screen; false when the loop has ended (the worker may stop).
    pub fn send(&self, reply: Reply) -> bool {
        self.events
            .send(Event::Worker { to: self.to, reply })
            .is_ok()
    }
}
