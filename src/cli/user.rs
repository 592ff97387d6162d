//! `loket user add|list|disable|enable|passwd|unlock`: operators from the command line, and the
//! password prompts every command shares. A password is read from standard input or typed
//! without echo on a terminal; never taken from a command-line argument (other users see those).

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use crate::db::auth;
use crate::db::operators::{self, NewOperator};
use crate::domain::access::Role;
use crate::domain::password;
use crate::ui::text::{self, Lang};

use super::{Global, actor, open_database, out, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Add an operator; the password comes from standard input (twice on a terminal)
    Add {
        name: String,
        /// clerk (petugas), supervisor or admin
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Full name shown on screens
        #[arg(long, default_value = "")]
        full_name: String,
    },
    /// List operators
    List {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Disable an operator (they can no longer log in; their audit rows stay)
    Disable { name: String },
    /// Enable a disabled operator again
    Enable { name: String },
    /// Set an operator's password (admins: anyone's; everyone: their own)
    Passwd { name: String },
    /// Lift the lock after too many wrong passwords
    Unlock { name: String },
}

impl Args {
    /// Whether `--json` was given.
    pub fn wants_json(&self) -> bool {
        matches!(self.command, UserCommand::List { json: true })
    }
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| "clerk, supervisor atau admin".to_string())
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (conn, _) = open_database(global)?;
    let me = actor(&conn, global)?;
    match &args.command {
        UserCommand::Add {
            name,
            role,
            full_name,
        } => {
            // Refuse before asking for a password the operator may not set anyway.
            me.require(crate::domain::access::Permission::ManageOperators)?;
            let pw = read_new_password(name, lang)?;
            let new = NewOperator {
                name: name.clone(),
                full_name: full_name.clone(),
                role: *role,
            };
            operators::add(&conn, &me, &new, &pw)?;
            out::line(&text::cli::operator_added(lang, name, *role))?;
        }
        UserCommand::List { json } => {
            let list = operators::list(&conn, &me)?;
            if *json {
                print_json(&serde_json::to_value(&list)?)?;
            } else {
                out::lines(list.iter().map(|op| {
                    let state = text::cli::operator_state(op.active, op.locked_until.as_deref());
                    format!(
                        "{:<16} {:<10} {:<22} {:<6} {}",
                        op.name,
                        op.role.code(),
                        state,
                        if op.has_password {
                            text::cli::HAS_PASSWORD
                        } else {
                            "-"
                        },
                        op.full_name
                    )
                }))?;
            }
        }
        UserCommand::Disable { name } => {
            operators::set_active(&conn, &me, name, false)?;
            out::line(&text::cli::operator_disabled(lang, name))?;
        }
        UserCommand::Enable { name } => {
            operators::set_active(&conn, &me, name, true)?;
            out::line(&text::cli::operator_enabled(lang, name))?;
        }
        UserCommand::Passwd { name } => {
            if !me.name.eq_ignore_ascii_case(name) {
                me.require(crate::domain::access::Permission::ManageOperators)?;
            }
            let pw = read_new_password(name, lang)?;
            auth::set_password(&conn, &me, name, &pw)?;
            out::line(&text::cli::password_changed(lang, name))?;
        }
        UserCommand::Unlock { name } => {
            operators::unlock(&conn, &me, name)?;
            out::line(&text::cli::account_unlocked(lang, name))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A new password for operator `name`: typed twice without echo on a terminal; otherwise one
/// line from standard input, or two lines that must agree. Checked against the policy.
pub fn read_new_password(name: &str, lang: Lang) -> anyhow::Result<String> {
    match read_new_password_or_none(name, lang)? {
        Some(pw) => Ok(pw),
        None => Err(password::PasswordError::TooShort {
            min: password::MIN_LENGTH,
        }
        .into()),
    }
}

/// As `read_new_password`, but `None` when standard input is not a terminal and ends before
/// its first line (a script that gave nothing, e.g. `loket init < /dev/null`).
pub fn read_new_password_or_none(name: &str, lang: Lang) -> anyhow::Result<Option<String>> {
    let (first, second) = if std::io::stdin().is_terminal() {
        let first = prompt_hidden(&text::cli::new_password_prompt(lang, name))?;
        password::check_policy(name, &first)?;
        let second = prompt_hidden(text::cli::REPEAT_PASSWORD.get(lang))?;
        (first, Some(second))
    } else {
        let stdin = std::io::stdin();
        let mut lines = stdin.lock().lines();
        let Some(first) = lines.next().transpose()? else {
            return Ok(None);
        };
        let second = lines.next().transpose()?.filter(|l| !l.is_empty());
        (first, second)
    };
    let first = first.trim_end_matches('\r').to_string();
    match second {
        Some(second) => password::check_confirmed(name, &first, second.trim_end_matches('\r'))?,
        None => password::check_policy(name, &first)?,
    }
    Ok(Some(first))
}

/// The password of the operator a command acts as: `LOKET_PASSWORD`, else a prompt on a terminal.
pub fn operator_password(name: &str, lang: Lang) -> anyhow::Result<String> {
    if let Ok(pw) = std::env::var("LOKET_PASSWORD") {
        return Ok(pw);
    }
    if std::io::stdin().is_terminal() {
        return prompt_hidden(&text::cli::password_prompt(lang, name));
    }
    Err(auth::AuthError::PasswordRequired(name.to_string()).into())
}

/// Reads one line from the terminal without echoing it (crossterm's raw mode, which loket already
/// uses for the TUI: no extra crate). Ctrl-C and Esc cancel.
pub fn prompt_hidden(prompt: &str) -> anyhow::Result<String> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
    let mut err = std::io::stderr();
    write!(err, "{prompt}")?;
    err.flush()?;
    crossterm::terminal::enable_raw_mode()?;
    let result = (|| -> anyhow::Result<String> {
        let mut typed = String::new();
        loop {
            if let Event::Key(key) = read()? {
                if key.kind == KeyEventKind::Release {
                    continue;
                }
                match key.code {
                    KeyCode::Enter => return Ok(typed),
                    KeyCode::Esc => anyhow::bail!(text::cli::CANCELLED),
                    KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                        anyhow::bail!(text::cli::CANCELLED)
                    }
                    KeyCode::Backspace => {
                        typed.pop();
                    }
                    KeyCode::Char(c) => typed.push(c),
                    _ => {}
                }
            }
        }
    })();
    let _ = crossterm::terminal::disable_raw_mode();
    writeln!(err)?;
    result
}
