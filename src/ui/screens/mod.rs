//! The screens of loket, one file each.

pub mod audit;
pub mod board;
pub mod cohort;
pub mod cohort_form;
pub mod cohort_outcomes;
pub mod confirm;
pub mod dashboard;
pub mod enroll;
pub mod import;
pub mod login;
pub mod menu;
pub mod operators;
pub mod prompt;
pub mod recent;
pub mod reference;
pub mod reference_form;
pub mod resident;
pub mod resident_form;
pub mod search;
pub mod waitlist;

/// The screen loket opens on after login: the desk search.
pub fn root(ctx: &crate::ui::Ctx) -> Box<dyn crate::ui::Screen> {
    Box::new(search::SearchScreen::new(ctx))
}

/// The screen a closed window's draft reopens (`db::drafts`), filled with what was typed.
pub fn reopen(
    ctx: &crate::ui::Ctx,
    draft: &crate::db::drafts::Draft,
) -> Box<dyn crate::ui::Screen> {
    match draft {
        crate::db::drafts::Draft::ResidentForm {
            editing,
            fields,
            village,
        } => Box::new(resident_form::ResidentForm::from_draft(
            ctx,
            *editing,
            fields,
            village.as_deref(),
        )),
    }
}
