//! `loket` with no command: the terminal UI on the chosen database.

use std::process::ExitCode;
use std::sync::mpsc;

use crate::db::{self, settings};
use crate::ui::app::{self, App, Ctx, Event};
use crate::ui::screens::home::Home;
use crate::ui::text::Lang;

use super::{Global, actor, open_database};

pub fn run(global: &Global) -> anyhow::Result<ExitCode> {
    let (conn, db_path) = open_database(global)?;
    let lang = global
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .or_else(|| {
            settings::get(&conn, "ui.lang")
                .ok()
                .as_deref()
                .and_then(Lang::parse)
        })
        .unwrap_or_default();
    let actor = actor(&conn, global)?;
    let (tx, rx) = mpsc::channel::<Event>();
    let ctx = Ctx {
        conn,
        db_path,
        lang,
        actor,
        today: db::today(),
        events: tx.clone(),
    };
    let root = Box::new(Home::new(&ctx));
    let app = App::new(ctx, root);
    // ratatui::init enters raw mode and the alternate screen and installs a panic hook that
    // restores the terminal before the panic message is printed.
    let mut terminal = ratatui::init();
    app::spawn_input_thread(tx);
    let result = app::run(app, &mut terminal, rx);
    ratatui::restore();
    result?;
    Ok(ExitCode::SUCCESS)
}
