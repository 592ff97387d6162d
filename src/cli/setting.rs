//! `loket setting list [--json]`, `loket setting get KEY [--json]`, `loket setting set KEY VALUE
//! [--json]`: the settings of the reference screen without the screen. Reading them asks what
//! the screen asks (reference data: supervisors and admins); setting one goes through
//! `db::settings::update`, as the screen does: the same type and range, the same audit row.

use std::process::ExitCode;

use serde_json::{Value, json};
use strum::VariantArray;

use crate::db::settings::{self, SettingKey, SettingKind};
use crate::domain::access::Permission;
use crate::ui::text::{self, Label, Lang};

use super::failure::BadArgument;
use super::{Global, actor, open_database, out, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: SettingCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum SettingCommand {
    /// Every setting with its value, what it holds and what it means
    List {
        #[arg(long)]
        json: bool,
    },
    /// One setting's value
    Get {
        /// The key, e.g. bpjs.jkm_monthly
        key: String,
        #[arg(long)]
        json: bool,
    },
    /// Change a setting (supervisors); checked against its type and range, and audited
    Set {
        /// The key, e.g. bpjs.jkm_monthly
        key: String,
        /// The new value (a negative number is read as a value, and refused by the range)
        #[arg(allow_hyphen_values = true)]
        value: String,
        #[arg(long)]
        json: bool,
    },
}

impl Args {
    /// Whether `--json` was given.
    pub fn wants_json(&self) -> bool {
        match self.command {
            SettingCommand::List { json }
            | SettingCommand::Get { json, .. }
            | SettingCommand::Set { json, .. } => json,
        }
    }
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (conn, _) = open_database(global)?;
    let me = actor(&conn, global)?;
    me.require(Permission::ManageReference)?;
    match &args.command {
        SettingCommand::List { json } => {
            let all = settings::all(&conn)?;
            if *json {
                let values: Vec<Value> = all.iter().map(|(k, v)| to_json(*k, v, lang)).collect();
                print_json(&values)?;
            } else {
                let width = SettingKey::VARIANTS
                    .iter()
                    .map(|k| k.code().len())
                    .max()
                    .unwrap_or(0);
                out::lines(
                    all.iter().map(|(k, v)| {
                        format!("{:<width$}  {:<12}  {}", k.code(), v, k.label(lang))
                    }),
                )?;
            }
        }
        SettingCommand::Get { key, json } => {
            let key = parse_key(key, lang)?;
            let value = settings::get(&conn, key)?;
            if *json {
                print_json(&to_json(key, &value, lang))?;
            } else {
                out::line(&value)?;
            }
        }
        SettingCommand::Set { key, value, json } => {
            let key = parse_key(key, lang)?;
            let before = settings::get(&conn, key)?;
            settings::update(&conn, &me, key, value)?;
            let after = settings::get(&conn, key)?;
            if *json {
                let mut answer = to_json(key, &after, lang);
                answer["before"] = json!(before);
                print_json(&answer)?;
            } else {
                out::line(&text::cli::setting_changed(
                    lang,
                    key.code(),
                    &before,
                    &after,
                ))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A key as typed, or a refusal that lists the keys there are.
fn parse_key(typed: &str, lang: Lang) -> Result<SettingKey, BadArgument> {
    settings::key(typed).map_err(|_| {
        let known: Vec<&str> = SettingKey::VARIANTS.iter().map(|k| k.code()).collect();
        BadArgument(text::cli::unknown_code(
            lang,
            text::cli::SETTING,
            typed,
            &known,
        ))
    })
}

/// One setting for scripts: `key`, `value`, `default`, `kind` (`number`, `date`,
/// `funding_list`, `lang`, `regency_code`, `text`, `queue`), `min`/`max` for numbers, and
/// `label` in the language.
fn to_json(key: SettingKey, value: &str, lang: Lang) -> Value {
    let mut v = json!({
        "key": key.code(),
        "value": value,
        "default": key.default_value(),
        "kind": key.kind().code(),
        "label": key.label(lang),
    });
    if let SettingKind::Number { min, max } = key.kind() {
        v["min"] = json!(min);
        v["max"] = json!(max);
    }
    v
}
