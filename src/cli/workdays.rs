//! `loket workdays START N [--days-per-week 5|6]`: the date of the N-th working day of a course
//! starting on START, using the database's holiday calendar.

use std::process::ExitCode;

use crate::db::reference;
use crate::domain::calendar::{WorkingCalendar, WorkingWeek};
use crate::domain::person::parse_date_flexible;
use crate::ui::text::{self, Lang, Localized};

use super::{Global, open_database, out};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// First day of the course (YYYY-MM-DD)
    pub start: String,
    /// Number of working days
    pub days: u32,
    /// Working days per week of the venue
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u8).range(5..=6))]
    pub days_per_week: u8,
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let Some(start) = parse_date_flexible(&args.start) else {
        out::error(&format!(
            "loket: {}",
            text::cli::bad_start_date_example(lang, &args.start)
        ));
        return Ok(ExitCode::from(1));
    };
    // clap allows 5 and 6 only
    let week = match args.days_per_week {
        6 => WorkingWeek::SixDay,
        _ => WorkingWeek::FiveDay,
    };
    let (conn, _) = open_database(global)?;
    let calendar = WorkingCalendar::new(reference::holiday_dates(&conn)?, week);
    match calendar.nth_working_day(start, args.days) {
        Ok(end) => {
            out::line(&end.to_string())?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            out::error(&format!("loket: {}", e.text(lang)));
            Ok(ExitCode::from(1))
        }
    }
}
