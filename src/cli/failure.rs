//! How a headless command fails: one sentence for the person (`ui::text`, in their language) and
//! one stable machine word for a script (here: like JSON keys, the words are a public interface;
//! add, never rename). With `--json` a failure is one object on standard output,
//! `{"error": "<sentence>", "code": "<word>"}`; without, `loket: <sentence>` on standard error.
//! Exit status: 1 for a refusal a command explains itself (a rule, not found), 2 for anything
//! that reaches `cli::main` (bad arguments, permission, database, files).

use std::process::ExitCode;

use serde_json::json;
use thiserror::Error;

use super::out;
use crate::db::auth::AuthError;
use crate::db::backup::BackupError;
use crate::db::cohorts::CohortError;
use crate::db::enrollment::{ChangeError, EnrollError};
use crate::db::export::ExportError;
use crate::db::import::ImportError;
use crate::db::office_move::MoveError;
use crate::db::{Constraint, DbError, Missing};
use crate::domain::access::AccessDenied;
use crate::domain::calendar::CalendarError;
use crate::domain::cohort::{PlanError, TransitionError};
use crate::domain::enrollment::{CompletionRefusal, Refusal, WithdrawRefusal};
use crate::domain::password::PasswordError;
use crate::ui::text::{Lang, Localized};

/// A value of the command line that clap accepted but the command cannot use (a date that is
/// not one, an unknown status): the sentence is already in the operator's language.
#[derive(Debug, Error)]
#[error("{0}")]
pub struct BadArgument(pub String);

/// An error's stable machine word.
pub trait Coded {
    fn code(&self) -> &'static str;
}

/// The machine word of an error that reached `cli::main`: the first type in the chain this
/// module knows, else `error`.
pub fn code_of(e: &anyhow::Error) -> &'static str {
    macro_rules! first_of {
        ($($ty:ty),+ $(,)?) => {$(
            if let Some(known) = e.downcast_ref::<$ty>() {
                return known.code();
            }
        )+};
    }
    first_of!(
        BadArgument,
        DbError,
        AuthError,
        AccessDenied,
        BackupError,
        CohortError,
        EnrollError,
        ChangeError,
        ExportError,
        ImportError,
        MoveError,
        PasswordError,
        CalendarError,
    );
    if e.downcast_ref::<std::io::Error>().is_some() {
        return "io_error";
    }
    "error"
}

/// Tells a failure: JSON on standard output, or a sentence on standard error.
pub fn report(as_json: bool, message: &str, code: &str) -> anyhow::Result<()> {
    if as_json {
        out::json(&json!({ "error": message, "code": code }))
    } else {
        out::error(&format!("loket: {message}"));
        Ok(())
    }
}

/// Tells a refusal a command explains itself and returns exit status 1.
pub fn refuse(as_json: bool, e: &(impl Localized + Coded), lang: Lang) -> anyhow::Result<ExitCode> {
    report(as_json, &e.text(lang), e.code())?;
    Ok(ExitCode::from(1))
}

impl Coded for BadArgument {
    fn code(&self) -> &'static str {
        "bad_argument"
    }
}

impl Coded for AccessDenied {
    fn code(&self) -> &'static str {
        "access_denied"
    }
}

impl Coded for DbError {
    fn code(&self) -> &'static str {
        match self {
            DbError::NotFound(_) => "database_not_found",
            DbError::NotLoket { .. } => "not_a_loket_database",
            DbError::AlreadyExists(_) => "file_exists",
            DbError::SchemaTooNew { .. } => "schema_too_new",
            DbError::SchemaMismatch { .. } => "schema_mismatch",
            DbError::MigrationBroke { .. } => "migration_refused",
            DbError::NoFts5 => "no_fts5",
            DbError::Locked => "database_locked",
            DbError::ServerUnreachable { .. } => "server_unreachable",
            DbError::ConnectionLost => "connection_lost",
            DbError::ServerSettings(_) => "bad_server_settings",
            DbError::ServerEmpty(_) => "not_a_loket_database",
            DbError::ServerNotEmpty(_) => "server_not_empty",
            DbError::Constraint(c) => c.code(),
            DbError::Missing(m) => m.code(),
            DbError::Io(..) => "io_error",
            DbError::Sqlite(_) => "database_error",
            DbError::UnknownCode { .. } => "unknown_stored_code",
            DbError::Unreadable { .. } => "unreadable_value",
            DbError::BadSetting { .. } => "bad_setting",
            DbError::Calendar(e) => e.code(),
            DbError::Hash(_) => "password_hash_failed",
            DbError::Demo(_) => "demo_refused",
            DbError::ReferenceData(_) => "reference_data_unreadable",
        }
    }
}

impl Coded for Constraint {
    fn code(&self) -> &'static str {
        match self {
            Constraint::Unique { .. } => "duplicate",
            Constraint::Check { .. } => "refused_by_rule",
            Constraint::ForeignKey => "bad_reference",
            Constraint::NotNull { .. } => "missing_value",
            Constraint::Trigger { .. } => "refused_by_database",
        }
    }
}

impl Coded for Missing {
    fn code(&self) -> &'static str {
        match self {
            Missing::Operator(_) | Missing::ActiveOperator(_) => "operator_not_found",
            Missing::Resident(_) | Missing::ResidentNik(_) => "resident_not_found",
            Missing::Cohort(_) | Missing::CohortCode(_) => "cohort_not_found",
            Missing::Enrollment(_) => "enrollment_not_found",
            Missing::Course(_) => "course_not_found",
            Missing::Venue(_) | Missing::VenueId(_) => "venue_not_found",
            Missing::Instructor(_) | Missing::InstructorName(_) => "instructor_not_found",
            Missing::Holiday(_) => "holiday_not_found",
            Missing::Setting(_) => "setting_not_found",
        }
    }
}

impl Coded for AuthError {
    fn code(&self) -> &'static str {
        match self {
            AuthError::WrongCredentials { .. } => "wrong_credentials",
            AuthError::Locked { .. } => "account_locked",
            AuthError::PasswordRequired(_) => "password_required",
            AuthError::InvalidName => "invalid_operator_name",
            AuthError::SelfDisable => "self_disable",
            AuthError::LastAdmin => "last_admin",
            AuthError::Policy(e) => e.code(),
            AuthError::Denied(e) => e.code(),
            AuthError::Db(e) => e.code(),
        }
    }
}

impl Coded for PasswordError {
    fn code(&self) -> &'static str {
        "password_policy"
    }
}

impl Coded for CalendarError {
    fn code(&self) -> &'static str {
        match self {
            CalendarError::ZeroDays => "zero_days",
            CalendarError::TooManyDays { .. } => "too_many_days",
            CalendarError::OutOfRange => "date_out_of_range",
        }
    }
}

impl Coded for CohortError {
    fn code(&self) -> &'static str {
        match self {
            CohortError::Denied(e) => e.code(),
            CohortError::Transition(e) => e.code(),
            CohortError::Plan(e) => e.code(),
            CohortError::NotFound(m) => m.code(),
            CohortError::AmbiguousInstructor { .. } => "ambiguous_instructor",
            CohortError::Db(e) => e.code(),
        }
    }
}

impl Coded for TransitionError {
    fn code(&self) -> &'static str {
        match self {
            TransitionError::NotAllowed { .. } => "transition_not_allowed",
            TransitionError::NoParticipants => "no_participants",
            TransitionError::BelowMinimum { .. } => "below_minimum",
            TransitionError::TooEarlyToStart { .. } => "too_early_to_start",
            TransitionError::TooEarlyToComplete { .. } => "too_early_to_complete",
            TransitionError::StartInPast { .. } => "start_in_past",
            TransitionError::HasParticipants { .. } => "has_participants",
            TransitionError::ReasonRequired => "reason_required",
        }
    }
}

impl Coded for PlanError {
    fn code(&self) -> &'static str {
        match self {
            PlanError::Locked { .. } => "plan_locked",
            PlanError::StartInPast { .. } => "start_in_past",
            PlanError::CapacityBelowEnrolled { .. } => "capacity_below_enrolled",
            PlanError::ZeroCapacity => "zero_capacity",
            PlanError::BadMinimum { .. } => "bad_minimum",
            PlanError::EmptyCode => "empty_code",
            PlanError::BadHours => "bad_hours",
            PlanError::Calendar(e) => e.code(),
        }
    }
}

/// The words `loket enroll` has always printed (`EnrollError::code`), kept as they are.
impl Coded for EnrollError {
    fn code(&self) -> &'static str {
        EnrollError::code(self)
    }
}

impl Coded for Refusal {
    fn code(&self) -> &'static str {
        Refusal::code(self)
    }
}

impl Coded for ChangeError {
    fn code(&self) -> &'static str {
        match self {
            ChangeError::Withdraw(WithdrawRefusal::NotEnrolled) => "not_enrolled",
            ChangeError::Withdraw(WithdrawRefusal::CohortClosed { .. }) => "cohort_closed",
            ChangeError::Completion(CompletionRefusal::CohortNotStarted { .. }) => {
                "cohort_not_started"
            }
            ChangeError::Completion(CompletionRefusal::NotEnrolled { .. }) => "not_enrolled",
            ChangeError::Completion(CompletionRefusal::NotPassed) => "not_passed",
            ChangeError::Completion(CompletionRefusal::CertificateNotPassed) => {
                "certificate_not_passed"
            }
            ChangeError::Completion(CompletionRefusal::CertificateTaken { .. }) => {
                "certificate_taken"
            }
            ChangeError::Completion(CompletionRefusal::ToolkitDroppedOut) => "toolkit_dropped_out",
            ChangeError::Completion(CompletionRefusal::ToolkitInFuture { .. }) => {
                "toolkit_in_future"
            }
            ChangeError::Completion(CompletionRefusal::ToolkitBeforeStart { .. }) => {
                "toolkit_before_start"
            }
            ChangeError::Denied(e) => e.code(),
            ChangeError::NotFound(m) => m.code(),
            ChangeError::Db(e) => e.code(),
        }
    }
}

impl Coded for ExportError {
    fn code(&self) -> &'static str {
        match self {
            ExportError::Denied(e) => e.code(),
            ExportError::UnknownExtension(_) => "unknown_file_type",
            ExportError::Write { .. } => "write_failed",
            ExportError::Db(e) => e.code(),
        }
    }
}

/// Backups and imports grow new refusals with their own work: what is not named here is
/// `backup_refused` / `import_refused` until it is.
impl Coded for BackupError {
    fn code(&self) -> &'static str {
        match self {
            BackupError::NotADatabase { .. } => "not_a_database",
            BackupError::Damaged { .. } => "database_damaged",
            BackupError::NotLoket { .. } => "not_a_loket_database",
            BackupError::TooNew { .. } => "schema_too_new",
            BackupError::SchemaDiffers { .. } => "schema_differs",
            BackupError::AuditChainBroken { .. } => "audit_chain_broken",
            BackupError::InUse => "database_in_use",
            BackupError::OnServer => "backup_on_server",
            BackupError::NoPgDump => "pg_dump_missing",
            BackupError::DumpFailed(_) => "backup_failed",
            BackupError::Denied(e) => e.code(),
            BackupError::Db(e) => e.code(),
        }
    }
}

impl Coded for MoveError {
    fn code(&self) -> &'static str {
        match self {
            MoveError::Db(e) => e.code(),
            MoveError::CohortCodesTaken(_) => "cohort_code_taken",
            MoveError::CertificatesTaken(_) => "certificate_taken",
            MoveError::SourceChainBroken(_) => "audit_chain_broken",
            MoveError::CountsDiffer { .. } => "move_counts_differ",
        }
    }
}

impl Coded for ImportError {
    #[allow(unreachable_patterns)]
    fn code(&self) -> &'static str {
        match self {
            ImportError::Denied(e) => e.code(),
            ImportError::MissingColumns(_) => "missing_columns",
            ImportError::DuplicateColumn(_) => "duplicate_column",
            ImportError::SheetTooWide { .. } => "sheet_too_wide",
            ImportError::RejectsIsInput(_) => "rejects_is_input",
            ImportError::Db(e) => e.code(),
            ImportError::Read(..) => "unreadable_file",
            ImportError::NoHeader => "no_header",
            ImportError::UnsupportedFormat(_) => "unsupported_file_type",
            ImportError::RejectsWrite(_) => "rejects_write_failed",
            ImportError::Interrupted => "interrupted",
            _ => "import_refused",
        }
    }
}
