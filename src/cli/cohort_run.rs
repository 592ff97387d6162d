//! Running a cohort headless, beside `cohort.rs`: `loket cohort edit CODE [--capacity N] [--min N]
//! [--instructor NAME] [--venue CODE]`, `loket cohort outcome CODE --nik NIK --result
//! passed|failed|dropped_out [--certificate NO] [--toolkit YYYY-MM-DD]` and `loket cohort
//! followup CODE --nik NIK --status STATUS`, plus what `cohort dates` and `cohort complete` print
//! (participants promoted, overlaps, the outcomes and marks a completion leaves missing). The
//! participant lookup (`--cohort`/`--nik`) is shared with `loket coverage`. Every change goes
//! through the same `db` function as the TUI. Flags and JSON keys: add, never rename.

use std::process::ExitCode;

use crate::db::Connection;
use chrono::NaiveDate;
use serde_json::{Value, json};
use strum::VariantArray;

use crate::db::cohorts::{self, CohortError, CohortRow, CompletionGaps, EditOutcome};
use crate::db::enrollment::{self, ChangeError};
use crate::db::{self, DbError, Missing};
use crate::domain::enrollment::{Followup, Outcome, WithdrawRefusal};
use crate::domain::nik::mask_nik;
use crate::domain::person::parse_date_flexible;
use crate::ui::text::{self, Label, Lang, Localized, cohort_run as words};

use super::cohort::{cohort_json, finish};
use super::failure::{self, BadArgument};
use super::{Global, actor, out, print_json};

#[derive(Debug, clap::Args)]
pub struct EditArgs {
    pub code: String,
    /// Seats; growing them promotes the head of the waitlist into each new seat
    #[arg(long)]
    pub capacity: Option<u32>,
    /// Minimum participants to start
    #[arg(long)]
    pub min: Option<u32>,
    /// Instructor name (or id); `-` removes the instructor
    #[arg(long)]
    pub instructor: Option<String>,
    /// Venue code, e.g. BLK-JYT or MTU-1 (the end date follows its working week)
    #[arg(long)]
    pub venue: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct OutcomeArgs {
    pub code: String,
    /// The participant's NIK
    #[arg(long)]
    pub nik: String,
    /// passed, failed or dropped_out
    #[arg(long)]
    pub result: String,
    /// Certificate number (participants who passed)
    #[arg(long)]
    pub certificate: Option<String>,
    /// Toolkit hand-over date (YYYY-MM-DD)
    #[arg(long)]
    pub toolkit: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct FollowupArgs {
    pub code: String,
    /// The graduate's NIK
    #[arg(long)]
    pub nik: String,
    /// employed, self_employed, business_group or unemployed
    #[arg(long)]
    pub status: String,
    #[arg(long)]
    pub json: bool,
}

/// A refusal: the sentence, and a machine word for scripts (exit 1).
pub fn refuse(as_json: bool, message: String, code: &str) -> ExitCode {
    // A closed standard output is already quiet in `out`; the exit status still tells.
    let _ = failure::report(as_json, &message, code);
    ExitCode::from(1)
}

/// A cohort change refused (exit 1, with `failure`'s machine word), or a database failure that
/// reaches `cli::main` (exit 2); a rule of the schema (a code already taken) is a refusal.
pub fn refuse_cohort(as_json: bool, e: CohortError, lang: Lang) -> anyhow::Result<ExitCode> {
    match e {
        CohortError::Db(db) if !matches!(db, DbError::Constraint(_)) => Err(db.into()),
        e => failure::refuse(as_json, &e, lang),
    }
}

/// One participant named on the command line by cohort code and NIK.
pub struct Participant {
    pub cohort: CohortRow,
    pub enrollment_id: i64,
    pub nik: String,
    pub name: String,
}

/// Why the participant named on the command line was not found.
pub enum NotFound {
    Cohort(String),
    Resident,
    NotInCohort,
}

impl NotFound {
    pub fn code(&self) -> &'static str {
        match self {
            NotFound::Cohort(_) => "cohort_not_found",
            NotFound::Resident => "resident_not_found",
            NotFound::NotInCohort => "not_in_cohort",
        }
    }
    pub fn text(&self, lang: Lang) -> String {
        match self {
            NotFound::Cohort(code) => text::cli::cohort_not_found(lang, code),
            NotFound::Resident => DbError::Missing(Missing::ResidentNik(String::new())).text(lang),
            NotFound::NotInCohort => WithdrawRefusal::NotEnrolled.text(lang),
        }
    }
}

/// The live enrollment of the resident with `nik` in the cohort `code`.
pub fn participant(
    conn: &Connection,
    code: &str,
    nik: &str,
) -> Result<Result<Participant, NotFound>, DbError> {
    let Some(cohort) = cohorts::get_by_code(conn, code)? else {
        return Ok(Err(NotFound::Cohort(code.to_string())));
    };
    let Some(resident) = enrollment::resident_id_by_nik(conn, nik)? else {
        return Ok(Err(NotFound::Resident));
    };
    let Some((enrollment_id, _)) = enrollment::live_enrollment(conn, resident, cohort.id)? else {
        return Ok(Err(NotFound::NotInCohort));
    };
    let Some(brief) = enrollment::resident_brief(conn, resident)? else {
        return Ok(Err(NotFound::Resident));
    };
    Ok(Ok(Participant {
        cohort,
        enrollment_id,
        nik: brief.nik,
        name: brief.name,
    }))
}

/// What `cohort dates` and `cohort edit` print: the cohort, who was promoted into new seats,
/// and whose other cohorts now overlap.
pub fn edited(
    result: Result<EditOutcome, CohortError>,
    as_json: bool,
    lang: Lang,
    today: NaiveDate,
) -> anyhow::Result<ExitCode> {
    let out = match result {
        Ok(out) => out,
        Err(e) => return refuse_cohort(as_json, e, lang),
    };
    if as_json {
        let mut value = cohort_json(&out.cohort, today);
        value["promoted"] = Value::Array(
            out.promoted
                .iter()
                .map(|p| json!({"enrollment_id": p.enrollment_id, "name": p.name}))
                .collect(),
        );
        value["overlaps"] = Value::Array(
            out.overlaps
                .iter()
                .map(|o| {
                    json!({"name": o.name, "other_cohort": o.other_code,
                           "other_start": o.other_start.to_string(), "other_end": o.other_end.to_string()})
                })
                .collect(),
        );
        print_json(&value)?;
        return Ok(ExitCode::SUCCESS);
    }
    let code = finish(Ok(out.cohort.clone()), false, lang, today)?;
    for p in &out.promoted {
        out::line(&words::promoted(lang, &p.name))?;
    }
    for o in &out.overlaps {
        out::error(&format!("! {}", words::overlap(lang, o)));
    }
    Ok(code)
}

/// What `cohort complete` prints: the cohort, and the outcomes and marks still missing.
pub fn completed(
    result: Result<CohortRow, CohortError>,
    gaps: CompletionGaps,
    as_json: bool,
    lang: Lang,
    today: NaiveDate,
) -> anyhow::Result<ExitCode> {
    match result {
        Ok(c) if as_json => {
            let mut value = cohort_json(&c, today);
            value["missing_outcomes"] = json!(gaps.missing_outcomes);
            value["unmarked_attendance_days"] = json!(gaps.unmarked_days);
            print_json(&value)?;
            Ok(ExitCode::SUCCESS)
        }
        Ok(c) => {
            let code = finish(Ok(c), false, lang, today)?;
            for line in words::completion_gaps(lang, &gaps) {
                out::error(&format!("! {line}"));
            }
            Ok(code)
        }
        Err(e) => refuse_cohort(as_json, e, lang),
    }
}

/// `loket cohort edit`.
pub fn edit(
    conn: &Connection,
    global: &Global,
    a: &EditArgs,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let actor = actor(conn, global)?;
    let today = db::today();
    let Some(c) = cohorts::get_by_code(conn, &a.code)? else {
        return Ok(refuse(
            a.json,
            text::cli::cohort_not_found(lang, &a.code),
            "cohort_not_found",
        ));
    };
    let instructor_id = match a.instructor.as_deref().map(str::trim) {
        None => None,
        Some("-") => Some(None),
        Some(name) => match cohorts::find_instructor(conn, name) {
            Ok(id) => Some(Some(id)),
            Err(e) => return refuse_cohort(a.json, e, lang),
        },
    };
    let change = cohorts::CohortEdit {
        capacity: a.capacity,
        min_participants: a.min,
        venue_code: a.venue.clone(),
        instructor_id,
        ..cohorts::CohortEdit::default()
    };
    edited(
        cohorts::edit(conn, &actor, c.id, &change, today),
        a.json,
        lang,
        today,
    )
}

/// A change to one participant refused (exit 1), or a database failure (exit 2).
fn refuse_change(as_json: bool, e: ChangeError, lang: Lang) -> anyhow::Result<ExitCode> {
    match e {
        ChangeError::Db(db) => Err(db.into()),
        e => failure::refuse(as_json, &e, lang),
    }
}

fn participant_json(p: &Participant) -> Value {
    json!({"cohort": p.cohort.code, "nik": mask_nik(&p.nik), "name": p.name})
}

/// `loket cohort outcome`: the result replaces what was recorded; a certificate number or
/// toolkit date not given is kept while it still fits the result (`enrollment::set_result`).
pub fn outcome(
    conn: &Connection,
    global: &Global,
    a: &OutcomeArgs,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let actor = actor(conn, global)?;
    let today = db::today();
    let Some(result) = Outcome::parse(&a.result) else {
        return Err(BadArgument(text::cli::unknown_code(
            lang,
            words::RESULT,
            &a.result,
            &Outcome::VARIANTS
                .iter()
                .map(|o| o.code())
                .collect::<Vec<_>>(),
        ))
        .into());
    };
    let toolkit = match a.toolkit.as_deref() {
        None => None,
        Some(typed) => match parse_date_flexible(typed) {
            Some(d) => Some(d),
            None => return Err(BadArgument(text::cli::not_a_date(lang, typed)).into()),
        },
    };
    let p = match participant(conn, &a.code, &a.nik)? {
        Ok(p) => p,
        Err(missing) => return Ok(refuse(a.json, missing.text(lang), missing.code())),
    };
    let certificate = a.certificate.clone().map(Some);
    let completion = match enrollment::set_result(
        conn,
        &actor,
        p.enrollment_id,
        result,
        certificate,
        toolkit.map(Some),
        today,
    ) {
        Ok(completion) => completion,
        Err(e) => return refuse_change(a.json, e, lang),
    };
    if a.json {
        let mut value = participant_json(&p);
        value["outcome"] = json!(completion.outcome.code());
        value["certificate_no"] = json!(completion.certificate_no);
        value["toolkit_handed_on"] = json!(completion.toolkit_handed_on.map(|d| d.to_string()));
        print_json(&value)?;
    } else {
        out::line(&words::outcome_line(
            lang,
            &p.name,
            completion.outcome,
            completion.certificate_no.as_deref(),
            completion.toolkit_handed_on,
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `loket cohort followup`: dated today.
pub fn followup(
    conn: &Connection,
    global: &Global,
    a: &FollowupArgs,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let actor = actor(conn, global)?;
    let today = db::today();
    let Some(status) = Followup::parse(&a.status) else {
        return Err(BadArgument(text::cli::unknown_code(
            lang,
            text::cli::STATUS,
            &a.status,
            &Followup::VARIANTS
                .iter()
                .map(|f| f.code())
                .collect::<Vec<_>>(),
        ))
        .into());
    };
    let p = match participant(conn, &a.code, &a.nik)? {
        Ok(p) => p,
        Err(missing) => return Ok(refuse(a.json, missing.text(lang), missing.code())),
    };
    if let Err(e) = enrollment::record_followup(conn, &actor, p.enrollment_id, status, today) {
        return refuse_change(a.json, e, lang);
    }
    if a.json {
        let mut value = participant_json(&p);
        value["followup"] = json!(status.code());
        value["followup_on"] = json!(today.to_string());
        print_json(&value)?;
    } else {
        out::line(&format!("{}: {}", p.name, status.label(lang)))?;
    }
    Ok(ExitCode::SUCCESS)
}
