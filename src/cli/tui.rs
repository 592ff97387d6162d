//! `loket` with no command: the terminal UI on the chosen database.

use std::process::ExitCode;
use std::sync::mpsc;

use crate::db::{self, auth, settings};
use crate::domain::access::{Actor, Role};
use crate::ui::app::{self, App, Ctx, Event, Screen};
use crate::ui::screens::login::Login;
use crate::ui::screens::root;
use crate::ui::text::Lang;

use super::{Global, open_database_noting};

pub fn run(global: &Global) -> anyhow::Result<ExitCode> {
    let (conn, db_path, tightened) = open_database_noting(global)?;
    let store = match super::database_location(global)? {
        db::Store::File(_) => db::Store::File(db_path),
        server => server,
    };
    let lang = match global.lang_choice() {
        Some(lang) => lang,
        // The stored value is checked (id or en): one that is not is an error naming it.
        None => Lang::parse(&settings::get_lang(&conn)?).unwrap_or_default(),
    };
    // The idle lock reads its setting while the screen runs: one that is not a number is told
    // here, before the terminal is taken over.
    settings::get_i64(&conn, settings::SettingKey::IdleLockMinutes)?;
    // `--as NAME` pre-fills the login screen; an operator without a password (demo databases)
    // skips it, so the demo stays one command away.
    let logged_in = if auth::needs_password(&conn, &global.operator)? {
        None
    } else {
        let now = chrono::Local::now().naive_local();
        Some(auth::login(
            &conn,
            &global.operator,
            None,
            auth::Via::Tui,
            now,
        )?)
    };
    // Until someone logs in, the context holds nobody: the login screen blocks the menu.
    let actor = logged_in.clone().unwrap_or(Actor {
        id: 0,
        name: "-".into(),
        role: Role::Clerk,
    });
    let (tx, rx) = mpsc::channel::<Event>();
    let ctx = Ctx {
        conn,
        store,
        lang,
        actor,
        today: db::today(),
        events: tx.clone(),
    };
    let first: Box<dyn Screen> = match logged_in {
        Some(_) => root(&ctx),
        None => Box::new(Login::new(&global.operator, root)),
    };
    let mut app = App::new(ctx, first);
    // Said on standard error too, but the TUI's screen hides that line until it ends.
    if let Some(tightened) = tightened {
        app.notify(tightened.text(lang));
    }
    // ratatui::init enters raw mode and the alternate screen and installs a panic hook that
    // restores the terminal before the panic message is printed.
    let mut terminal = ratatui::init();
    app::spawn_input_thread(tx);
    let result = app::run(app, &mut terminal, rx);
    ratatui::restore();
    result?;
    Ok(ExitCode::SUCCESS)
}
