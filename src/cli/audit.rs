//! `loket audit [--json] [--entity E] [--operator O] [--since DATE] [--limit N]`: the audit
//! trail, newest first (supervisors). Reading it is not itself a change, so it is not recorded.

use std::process::ExitCode;

use crate::db::audit::{self, AuditFilter};
use crate::domain::person::parse_date_flexible;
use crate::ui::text::Lang;

use super::{Global, actor, open_database, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON (one array)
    #[arg(long)]
    pub json: bool,
    /// Only this entity: operator, setting, resident, enrollment, database...
    #[arg(long)]
    pub entity: Option<String>,
    /// Only this operator
    #[arg(long)]
    pub operator: Option<String>,
    /// From this date (YYYY-MM-DD or DD-MM-YYYY)
    #[arg(long)]
    pub since: Option<String>,
    /// How many rows
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (conn, _) = open_database(global)?;
    let me = actor(&conn, global)?;
    let from = match &args.since {
        Some(s) => Some(parse_date_flexible(s).ok_or_else(|| {
            anyhow::anyhow!(match lang {
                Lang::Id => format!("tanggal tidak dikenali: {s}"),
                Lang::En => format!("not a date: {s}"),
            })
        })?),
        None => None,
    };
    let filter = AuditFilter {
        operator: args.operator.clone(),
        entity: args.entity.clone(),
        from,
        to: None,
    };
    let rows = audit::list(&conn, &me, &filter, None, args.limit)?;
    if args.json {
        print_json(&serde_json::to_value(&rows)?);
    } else {
        for r in &rows {
            println!(
                "{:>6} {} {:<12} {:<14} {}:{} {} -> {}",
                r.id,
                r.at,
                r.operator_name,
                r.action,
                r.entity,
                r.entity_id,
                r.before.as_deref().unwrap_or("-"),
                r.after.as_deref().unwrap_or("-")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
