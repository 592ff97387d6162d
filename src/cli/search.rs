//! `loket search [--json] [--limit N] QUERY`: the desk search without the screen. Same function
//! as the search screen (db::residents::search). Text output masks NIKs; JSON is for scripts
//! on the office machine and carries the full NIK, so each run is recorded in the audit log.

use std::process::ExitCode;

use serde_json::{Value, json};

use crate::db::{self, audit, residents};
use crate::domain::access::Permission;
use crate::domain::nik::mask_nik;
use crate::domain::person::age_on;
use crate::ui::text::Lang;

use super::{Global, actor, open_database, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print a JSON array
    #[arg(long)]
    pub json: bool,
    /// Most results to print
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// NIK or KK prefix (digits), or words of a name
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (conn, _) = open_database(global)?;
    let actor = actor(&conn, global)?;
    actor.require(Permission::SearchResidents)?;
    let query = args.query.join(" ");
    let hits = residents::search(&conn, &query, args.limit)?;
    let today = db::today();
    if args.json {
        audit::event(&conn, &actor, "search_export", "resident", &query)?;
        let values: Vec<Value> = hits
            .iter()
            .map(|h| {
                json!({
                    "id": h.id,
                    "nik": h.nik,
                    "kk": h.kk,
                    "name": h.name,
                    "sex": h.sex,
                    "birth_date": h.birth_date.to_string(),
                    "age": age_on(h.birth_date, today),
                    "village_code": h.village_code,
                    "village_name": h.village_name,
                    "district_name": h.district_name,
                    "live_enrollment": h.live_enrollment,
                    "coverage": h.coverage,
                })
            })
            .collect();
        print_json(&Value::Array(values));
    } else if hits.is_empty() {
        println!(
            "{}",
            match lang {
                Lang::Id => "Tidak ada penduduk yang cocok.",
                Lang::En => "No matching resident.",
            }
        );
    } else {
        let header = match lang {
            Lang::Id => ("NIK", "Nama", "JK", "Umur", "Desa", "Kecamatan"),
            Lang::En => ("NIK", "Name", "Sex", "Age", "Village", "District"),
        };
        // Written at once, and a closed pipe (`| head`) is not an error worth a panic.
        let mut out = format!(
            "{:<19}  {:<28}  {:<3} {:>4}  {:<20}  {}\n",
            header.0, header.1, header.2, header.3, header.4, header.5
        );
        for h in &hits {
            out.push_str(&format!(
                "{:<19}  {:<28}  {:<3} {:>4}  {:<20}  {}\n",
                mask_nik(&h.nik),
                cut(&h.name, 28),
                h.sex,
                age_on(h.birth_date, today),
                cut(h.village_name.as_deref().unwrap_or("-"), 20),
                h.district_name.as_deref().unwrap_or("-"),
            ));
        }
        let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes());
    }
    Ok(ExitCode::SUCCESS)
}

fn cut(s: &str, width: usize) -> String {
    s.chars().take(width).collect()
}
