//! `loket audit [--json] [--entity E] [--operator O] [--since DATE] [--limit N]`: the audit
//! trail, newest first, for whoever may read it (supervisors and admins, `Permission::ViewAudit`):
//! everyone's rows, or only operator O's with `--operator`. The command acts as `--as`, never as
//! O. Reading it is not itself a change, so it is not recorded.

use std::process::ExitCode;

use strum::VariantArray;

use crate::db::audit::{self, AuditFilter, Entity};
use crate::domain::person::parse_date_flexible;
use crate::ui::text::{self, Lang};

use super::failure::BadArgument;
use super::{Global, actor, open_database, out, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON (one array)
    #[arg(long)]
    pub json: bool,
    /// Only this entity: operator, setting, resident, enrollment, database...
    #[arg(long)]
    pub entity: Option<String>,
    /// Only the rows of this operator (the command still acts as --as)
    #[arg(long = "operator", id = "audit_operator")]
    pub operator: Option<String>,
    /// From this date (YYYY-MM-DD or DD-MM-YYYY)
    #[arg(long)]
    pub since: Option<String>,
    /// How many rows (0 prints none; at most 1000)
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (conn, _) = open_database(global)?;
    let me = actor(&conn, global)?;
    let from = match &args.since {
        Some(s) => Some(
            parse_date_flexible(s).ok_or_else(|| BadArgument(text::cli::not_a_date(lang, s)))?,
        ),
        None => None,
    };
    let entity = match args.entity.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(typed) => Some(typed.parse::<Entity>().map_err(|_| {
            let known: Vec<&str> = Entity::VARIANTS.iter().map(|e| e.code()).collect();
            BadArgument(text::cli::unknown_code(
                lang,
                text::cli::ENTITY,
                typed,
                &known,
            ))
        })?),
    };
    let filter = AuditFilter {
        operator: args.operator.clone(),
        entity,
        from,
        to: None,
    };
    // The permission is checked by `audit::list` even when no row is asked for.
    let mut rows = audit::list(&conn, &me, &filter, None, i64::from(args.limit))?;
    rows.truncate(args.limit as usize);
    if args.json {
        print_json(&serde_json::to_value(&rows)?)?;
    } else {
        out::lines(rows.iter().map(|r| {
            format!(
                "{:>6} {} {:<12} {:<14} {}:{} {} -> {}",
                r.id,
                r.at,
                r.operator_name,
                r.action.code(),
                r.entity.code(),
                r.entity_id,
                r.before.as_deref().unwrap_or("-"),
                r.after.as_deref().unwrap_or("-")
            )
        }))?;
    }
    Ok(ExitCode::SUCCESS)
}
