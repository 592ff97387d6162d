//! `loket cohort ...`: list and show cohorts (angkatan), and the supervisor's actions on them
//! (create, move dates, edit, open, start, complete, cancel, and each participant's outcome
//! and follow-up, in `cohort_run`). JSON keys are a public interface: add, never rename. A
//! refused action exits 1 with `{"error": ..., "code": ...}`; usage errors exit 2. Every
//! subcommand logs in first: a roster holds names and masked NIKs.

use std::process::ExitCode;

use clap::Subcommand;
use serde_json::{Value, json};
use strum::VariantArray;

use crate::db::cohorts::{self, CohortError, CohortFilter, CohortRow, NewCohort};
use crate::db::{self, DbError, Missing, enrollment};
use crate::domain::access::{Actor, Permission};
use crate::domain::cohort::{CohortStatus, Funding, LocationKind};
use crate::domain::nik::mask_nik;
use crate::domain::person::parse_date_flexible;
use crate::ui::text::{self, Label, Lang, Localized};

use super::cohort_run::{self, EditArgs, FollowupArgs, OutcomeArgs};
use super::failure::{self, BadArgument};
use super::{Global, actor, open_database, out, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: CohortCommand,
}

#[derive(Debug, Subcommand)]
pub enum CohortCommand {
    /// List cohorts (by start date)
    List {
        /// Print JSON
        #[arg(long)]
        json: bool,
        /// Only this status: draft, open, running, completed, cancelled
        #[arg(long)]
        status: Option<String>,
    },
    /// One cohort with its roster and waitlist
    Show {
        code: String,
        #[arg(long)]
        json: bool,
    },
    /// Create a draft cohort (supervisor); the end date follows the venue's calendar
    Create(Box<CreateArgs>),
    /// Move a draft or open cohort's start date (and length); coverage is re-flagged
    Dates {
        code: String,
        /// New start date (YYYY-MM-DD)
        #[arg(long)]
        start: String,
        /// New length in working days
        #[arg(long)]
        days: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Change a draft or open cohort's capacity, minimum or venue, or any live cohort's
    /// instructor; a larger capacity promotes from the waitlist
    Edit(EditArgs),
    /// Record a participant's outcome: passed, failed or dropped_out, with the certificate
    /// number and the toolkit hand-over date
    Outcome(OutcomeArgs),
    /// Record a graduate's follow-up: employed, self_employed, business_group, unemployed
    Followup(FollowupArgs),
    /// Open a draft cohort for enrollment
    Open(CodeArgs),
    /// Start an open cohort (needs its minimum of participants)
    Start(CodeArgs),
    /// Complete a running cohort
    Complete(CodeArgs),
    /// Cancel a cohort with a reason (live enrollments are withdrawn)
    Cancel {
        code: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
}

impl Args {
    /// Whether `--json` was given.
    pub fn wants_json(&self) -> bool {
        match &self.command {
            CohortCommand::List { json, .. }
            | CohortCommand::Show { json, .. }
            | CohortCommand::Dates { json, .. }
            | CohortCommand::Cancel { json, .. } => *json,
            CohortCommand::Create(a) => a.json,
            CohortCommand::Edit(a) => a.json,
            CohortCommand::Outcome(a) => a.json,
            CohortCommand::Followup(a) => a.json,
            CohortCommand::Open(a) | CohortCommand::Start(a) | CohortCommand::Complete(a) => a.json,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct CodeArgs {
    pub code: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    /// Cohort code, e.g. 2026-TBS-BLK-JYT-01
    #[arg(long)]
    pub code: String,
    /// Course code (kejuruan), e.g. TBS
    #[arg(long)]
    pub course: String,
    /// Venue code, e.g. BLK-JYT or MTU-1
    #[arg(long)]
    pub venue: String,
    /// First day (YYYY-MM-DD)
    #[arg(long)]
    pub start: String,
    /// Working days (default: the course's)
    #[arg(long)]
    pub days: Option<u32>,
    #[arg(long)]
    pub capacity: Option<u32>,
    /// Minimum participants to start
    #[arg(long)]
    pub min: Option<u32>,
    /// Daily hours
    #[arg(long)]
    pub hours: Option<f64>,
    /// Instructor name (or id)
    #[arg(long)]
    pub instructor: Option<String>,
    /// apbd, apbn, dif, csr
    #[arg(long, default_value = "apbd")]
    pub funding: String,
    /// venue, district_office, village_office, community_hall, company
    #[arg(long, default_value = "venue")]
    pub location_kind: String,
    #[arg(long, default_value = "")]
    pub location_name: String,
    /// Desa code of the MTU stop, e.g. 36.03.04.2001
    #[arg(long)]
    pub location_village: Option<String>,
    /// Comma-separated target groups
    #[arg(long, default_value = "")]
    pub targets: String,
    #[arg(long)]
    pub json: bool,
}

/// A cohort as JSON (also used by `cohort show`).
pub fn cohort_json(c: &CohortRow, today: chrono::NaiveDate) -> Value {
    json!({
        "code": c.code,
        "course": c.course,
        "course_code": c.course_code,
        "status": c.status.code(),
        "venue": c.venue,
        "venue_code": c.venue_code,
        "place": c.place(),
        "village": c.village,
        "district": c.district,
        "start_date": c.start_date.to_string(),
        "end_date": c.end_date.to_string(),
        "working_days": c.working_days,
        "daily_hours": c.daily_hours,
        "capacity": c.capacity,
        "min_participants": c.min_participants,
        "enrolled": c.enrolled,
        "waitlisted": c.waitlisted,
        "seats_left": c.seats_left(),
        "funding": c.funding.code(),
        "target_groups": c.target_groups,
        "instructor": c.instructor,
        "bnsp_warning": c.bnsp_warning(today).map(|w| w.text(Lang::Id)),
        "cancel_reason": c.cancel_reason,
    })
}

/// The codes of a code enum, for a refusal that lists them.
fn codes<T: Copy + Into<&'static str>>(all: &[T]) -> Vec<&'static str> {
    all.iter().map(|c| (*c).into()).collect()
}

/// Refuses a cohort code nobody holds (exit 1).
fn not_found(as_json: bool, code: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    let missing = CohortError::NotFound(Missing::CohortCode(code.to_string()));
    failure::refuse(as_json, &missing, lang)
}

pub fn run(global: &Global, args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (conn, _) = open_database(global)?;
    let today = db::today();
    // Logged in before anything is read: an unknown, disabled or wrong-password operator sees
    // nothing. Each action checks its own permission in `db::cohorts`.
    let actor = actor(&conn, global)?;
    match &args.command {
        CohortCommand::List {
            json: as_json,
            status,
        } => {
            let status = match status.as_deref() {
                None => None,
                Some(s) => match CohortStatus::parse(s) {
                    Some(s) => Some(s),
                    None => {
                        return Err(BadArgument(text::cli::unknown_code(
                            lang,
                            text::cli::STATUS,
                            s,
                            &codes(CohortStatus::VARIANTS),
                        ))
                        .into());
                    }
                },
            };
            let rows = cohorts::list(&conn, &CohortFilter { status, limit: 0 })?;
            if *as_json {
                print_json(&Value::Array(
                    rows.iter().map(|c| cohort_json(c, today)).collect(),
                ))?;
            } else {
                out::lines(rows.iter().map(|c| {
                    format!(
                        "{:<24} {:<10} {}  {:>2}/{:<2} +{:<2} {} @ {}",
                        c.code,
                        c.status.label(lang),
                        text::cli::date_span(lang, c.start_date, c.end_date),
                        c.enrolled,
                        c.capacity,
                        c.waitlisted,
                        c.course,
                        c.place()
                    )
                }))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        CohortCommand::Show {
            code,
            json: as_json,
        } => {
            actor.require(Permission::SearchResidents)?;
            let Some(c) = cohorts::get_by_code(&conn, code)? else {
                return not_found(*as_json, code, lang);
            };
            let roster = enrollment::roster(&conn, c.id)?;
            let waitlist = enrollment::waitlist(&conn, c.id)?;
            if *as_json {
                let mut value = cohort_json(&c, today);
                value["roster"] = Value::Array(
                    roster
                        .iter()
                        .map(|r| {
                            json!({
                                "nik": mask_nik(&r.nik),
                                "name": r.name,
                                "status": r.status.code(),
                                "registered_at": r.registered_at,
                                "outcome": r.outcome.map(|o| o.code()),
                                "certificate_no": r.certificate_no,
                                "coverage": r.coverage_status.map(|s| s.code()),
                                "jkk": r.jkk,
                                "jkm": r.jkm,
                                "kpj": r.kpj,
                                "needs_resubmission": r.needs_resubmission,
                            })
                        })
                        .collect(),
                );
                value["waitlist"] = Value::Array(
                    waitlist
                        .iter()
                        .map(|w| {
                            json!({
                                "position": w.reason.position,
                                "nik": mask_nik(&w.nik),
                                "name": w.name,
                                "stunting_household": w.reason.stunting_household,
                                "desil": w.reason.desil,
                                "registered_at": w.reason.registered_at,
                            })
                        })
                        .collect(),
                );
                print_json(&value)?;
            } else {
                let mut lines = vec![
                    format!("{} | {} | {}", c.code, c.course, c.place()),
                    format!(
                        "{} ({}) | {} | {}/{} +{}",
                        text::cli::date_span(lang, c.start_date, c.end_date),
                        text::supervisor::working_days(lang, c.working_days),
                        c.status.label(lang),
                        c.enrolled,
                        c.capacity,
                        c.waitlisted
                    ),
                ];
                if let Some(w) = c.bnsp_warning(today) {
                    lines.push(format!("! {}", w.text(lang)));
                }
                for r in roster.iter().filter(|r| r.status.is_live()) {
                    lines.push(format!(
                        "  {:<20} {:<30} {:<14} BPJS {}",
                        mask_nik(&r.nik),
                        r.name,
                        r.status.label(lang),
                        r.coverage_status.map_or("-", |s| s.label(lang))
                    ));
                }
                for w in &waitlist {
                    lines.push(format!(
                        "  #{:<3} {:<30} {}",
                        w.reason.position,
                        w.name,
                        w.reason.text(lang)
                    ));
                }
                out::lines(lines)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        CohortCommand::Create(a) => {
            let Some(start) = parse_date_flexible(&a.start) else {
                return Err(BadArgument(text::cli::bad_start_date(lang, &a.start)).into());
            };
            let Some(funding) = Funding::parse(&a.funding) else {
                return Err(BadArgument(text::cli::unknown_code(
                    lang,
                    text::cli::FUNDING,
                    &a.funding,
                    &codes(Funding::VARIANTS),
                ))
                .into());
            };
            let Ok(location_kind) = a.location_kind.trim().parse::<LocationKind>() else {
                return Err(BadArgument(text::cli::unknown_code(
                    lang,
                    text::cli::LOCATION_KIND,
                    &a.location_kind,
                    &codes(LocationKind::VARIANTS),
                ))
                .into());
            };
            let instructor_id = match &a.instructor {
                Some(name) => match cohorts::find_instructor(&conn, name) {
                    Ok(id) => Some(id),
                    Err(e) => return cohort_run::refuse_cohort(a.json, e, lang),
                },
                None => None,
            };
            let new = NewCohort {
                code: a.code.clone(),
                course_code: a.course.clone(),
                venue_code: a.venue.clone(),
                location_kind,
                location_name: a.location_name.clone(),
                location_village_code: a.location_village.clone(),
                start,
                working_days: a.days,
                capacity: a.capacity,
                min_participants: a.min,
                daily_hours: a.hours,
                instructor_id,
                funding,
                target_groups: a.targets.clone(),
            };
            finish(
                cohorts::create(&conn, &actor, &new, today),
                a.json,
                lang,
                today,
            )
        }
        CohortCommand::Dates {
            code,
            start,
            days,
            json: as_json,
        } => {
            let Some(start) = parse_date_flexible(start) else {
                return Err(BadArgument(text::cli::bad_start_date(lang, start)).into());
            };
            let Some(c) = cohorts::get_by_code(&conn, code)? else {
                return not_found(*as_json, code, lang);
            };
            cohort_run::edited(
                cohorts::update_dates(&conn, &actor, c.id, start, *days, today),
                *as_json,
                lang,
                today,
            )
        }
        CohortCommand::Edit(a) => cohort_run::edit(&conn, global, a, lang),
        CohortCommand::Outcome(a) => cohort_run::outcome(&conn, global, a, lang),
        CohortCommand::Followup(a) => cohort_run::followup(&conn, global, a, lang),
        CohortCommand::Open(a) => move_to(
            &conn,
            &actor,
            &a.code,
            CohortStatus::Open,
            None,
            a.json,
            lang,
        ),
        CohortCommand::Start(a) => move_to(
            &conn,
            &actor,
            &a.code,
            CohortStatus::Running,
            None,
            a.json,
            lang,
        ),
        CohortCommand::Complete(a) => move_to(
            &conn,
            &actor,
            &a.code,
            CohortStatus::Completed,
            None,
            a.json,
            lang,
        ),
        CohortCommand::Cancel {
            code,
            reason,
            json: as_json,
        } => move_to(
            &conn,
            &actor,
            code,
            CohortStatus::Cancelled,
            Some(reason),
            *as_json,
            lang,
        ),
    }
}

fn move_to(
    conn: &crate::db::Connection,
    actor: &Actor,
    code: &str,
    to: CohortStatus,
    reason: Option<&str>,
    as_json: bool,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let today = db::today();
    let Some(c) = cohorts::get_by_code(conn, code)? else {
        return not_found(as_json, code, lang);
    };
    if to == CohortStatus::Completed {
        let gaps = cohorts::completion_gaps(conn, c.id, today)?;
        return cohort_run::completed(
            cohorts::transition(conn, actor, c.id, to, reason, today),
            gaps,
            as_json,
            lang,
            today,
        );
    }
    finish(
        cohorts::transition(conn, actor, c.id, to, reason, today),
        as_json,
        lang,
        today,
    )
}

pub(super) fn finish(
    result: Result<CohortRow, CohortError>,
    as_json: bool,
    lang: Lang,
    today: chrono::NaiveDate,
) -> anyhow::Result<ExitCode> {
    match result {
        Ok(c) => {
            if as_json {
                print_json(&cohort_json(&c, today))?;
            } else {
                let mut lines = vec![format!(
                    "{} {} ({})",
                    c.code,
                    c.status.label(lang),
                    text::cli::date_span(lang, c.start_date, c.end_date)
                )];
                if let Some(w) = c.bnsp_warning(today) {
                    lines.push(format!("! {}", w.text(lang)));
                }
                out::lines(lines)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        // A rule of the schema (a code already taken) is a refusal; anything else of the
        // database is an error.
        Err(CohortError::Db(e)) if !matches!(e, DbError::Constraint(_)) => Err(e.into()),
        Err(e) => failure::refuse(as_json, &e, lang),
    }
}
