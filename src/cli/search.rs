//! `loket search [--json] [--limit N] [--offset N] [--born YYYY|YYYY-MM-DD] [--place NAME] QUERY`:
//! the desk search without the screen, in the same order (db::residents::page_at). QUERY is a
//! NIK/KK prefix or name words, read as they always were (no year or desa is taken from it: the
//! flags say those). Text output masks NIKs but shows the digits of a NIK prefix asked; JSON is
//! for scripts on the office machine and carries the full NIK, so each run is recorded in the
//! audit log. More than the desk's page (50 rows) is an export of personal data: it needs the
//! export permission (supervisors) and is recorded too, in text as in JSON.

use std::process::ExitCode;

use serde_json::{Value, json};

use crate::db::{self, audit, residents};
use crate::domain::access::Permission;
use crate::domain::person::age_on;
use crate::domain::search_query::{Target, mask_showing};
use crate::ui::search_worker::SHOWN as DESK_PAGE;
use crate::ui::text::{self, Lang};

use super::failure::BadArgument;
use super::{Global, actor, open_database, out, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print a JSON array
    #[arg(long)]
    pub json: bool,
    /// Most results to print; above 50 (the desk's page) needs the export permission
    #[arg(long, default_value_t = DESK_PAGE)]
    pub limit: usize,
    /// Skip this many matches first (the next page: --offset 50)
    #[arg(long, default_value_t = 0)]
    pub offset: u64,
    /// Born in this year (1990) or on this day (1990-08-17)
    #[arg(long, value_parser = parse_born)]
    pub born: Option<residents::Born>,
    /// Living in a desa or kecamatan of the office's kabupaten whose name begins so
    #[arg(long)]
    pub place: Option<String>,
    /// NIK or KK prefix (digits), or words of a name
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (conn, _) = open_database(global)?;
    let actor = actor(&conn, global)?;
    actor.require(Permission::SearchResidents)?;
    let bulk = args.limit > DESK_PAGE;
    if bulk {
        actor.require(Permission::Export)?;
    }
    let query = args.query.join(" ");
    let mut search = residents::Search::plain(&query);
    search.born = args.born;
    if let Some(place) = &args.place {
        let book = residents::place_book(&conn)?;
        let places = book.starting(place, None);
        if places.is_empty() {
            return Err(BadArgument(text::search::no_such_place(lang, place)).into());
        }
        search.villages = Some(book.village_codes(&places));
    }
    let hits = residents::page_at(&conn, &search, args.offset, args.limit)?.hits;
    let today = db::today();
    if args.json || bulk {
        audit::event(
            &conn,
            &actor,
            audit::Action::SearchExport,
            audit::Entity::Resident,
            &query,
        )?;
    }
    if args.json {
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
        print_json(&Value::Array(values))?;
    } else if hits.is_empty() {
        out::line(text::cli::NO_MATCH.get(lang))?;
    } else {
        let [nik, name, sex, age, village, district] =
            text::cli::SEARCH_HEADER.map(|m| m.get(lang));
        let header = format!("{nik:<19}  {name:<28}  {sex:<3} {age:>4}  {village:<20}  {district}");
        let typed = match &search.target {
            Target::Digits(digits) => digits.as_str(),
            _ => "",
        };
        let rows = hits.iter().map(|h| {
            format!(
                "{:<19}  {:<28}  {:<3} {:>4}  {:<20}  {}",
                mask_showing(&h.nik, typed),
                cut(&h.name, 28),
                h.sex,
                age_on(h.birth_date, today),
                cut(h.village_name.as_deref().unwrap_or("-"), 20),
                h.district_name.as_deref().unwrap_or("-"),
            )
        });
        out::lines(std::iter::once(header).chain(rows))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_born(text: &str) -> Result<residents::Born, String> {
    let msg = text::search::BORN_FLAG;
    residents::Born::parse(text).ok_or_else(|| format!("{} / {}", msg.id, msg.en))
}

fn cut(s: &str, width: usize) -> String {
    s.chars().take(width).collect()
}
