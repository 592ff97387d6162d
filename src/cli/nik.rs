//! `loket nik [--json] NIK...`: explain NIKs. One NIK prints an object, several an array; the
//! exit status is 0 when all are valid, 1 otherwise.

use std::process::ExitCode;

use serde_json::{Value, json};

use crate::db::{self, reference};
use crate::domain::nik::{NikInfo, format_nik, parse_nik};
use crate::ui::text::{self, Lang, Localized};

use super::{Global, open_database, out, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
    /// One or more NIKs
    #[arg(required = true, num_args = 1..)]
    pub niks: Vec<String>,
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (conn, _) = open_database(global)?;
    let districts = reference::district_names(&conn)?;
    let lookup = |code: &str| districts.get(code).cloned();
    let today = db::today();
    let results: Vec<(String, Result<NikInfo, String>)> = args
        .niks
        .iter()
        .map(|input| {
            let parsed = parse_nik(input, today, &lookup).map_err(|e| e.text(lang));
            (input.clone(), parsed)
        })
        .collect();
    let all_valid = results.iter().all(|(_, r)| r.is_ok());
    if args.json {
        let mut values: Vec<Value> = results.iter().map(|(input, r)| to_json(input, r)).collect();
        if values.len() == 1 {
            print_json(&values.remove(0))?;
        } else {
            print_json(&Value::Array(values))?;
        }
    } else {
        out::lines(results.iter().map(|(input, r)| to_text(input, r, lang)))?;
    }
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn to_json(input: &str, result: &Result<NikInfo, String>) -> Value {
    match result {
        Ok(info) => json!({
            "nik": info.nik,
            "valid": true,
            "district_code": info.district_code,
            "district_name": info.district_name,
            "birth_date": info.birth_date.to_string(),
            "sex": info.sex.code(),
            "serial": info.serial,
        }),
        Err(error) => json!({ "nik": input, "valid": false, "error": error }),
    }
}

fn to_text(input: &str, result: &Result<NikInfo, String>, lang: Lang) -> String {
    match result {
        Ok(i) => text::cli::nik_valid(lang, &format_nik(&i.nik), i),
        Err(e) => text::cli::nik_invalid(lang, input, e),
    }
}
