//! What goes on paper, gathered from the database into plain structs (issue 17): the office's
//! letterhead and signatory, a registration receipt, a cohort's attendance sheet, its
//! certificates and its BPJS list; and the audit row of each printing (who printed whose data,
//! which file, which queue). Checks who may print what. Never renders, never formats text:
//! `crate::print` turns these structs into a PDF.

use std::path::{Path, PathBuf};

use crate::db::sql::{Connection, OptionalExtension, params};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::json;
use thiserror::Error;

use super::cohorts::{self, CohortRow};
use super::enrollment::{self, RosterRow};
use super::export::{self, BpjsRow, ExportScope};
use super::settings::{self, SettingKey};
use super::{DbError, attendance, audit};
use crate::domain::access::{AccessDenied, Actor};
use crate::domain::coverage::CoverageStatus;
use crate::domain::enrollment::{EnrollmentStatus, Outcome};
use crate::domain::paper::{Document, Paper, bring_list};
use crate::domain::reference_code;

/// Why a document cannot be put together.
#[derive(Debug, Error)]
pub enum PrintError {
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error("resident not found")]
    ResidentNotFound,
    #[error("cohort not found: {0}")]
    CohortNotFound(String),
    /// The resident has no enrolled or waitlisted place in the cohort.
    #[error("not enrolled in {0}")]
    NotEnrolled(String),
    /// Nobody enrolled: no attendance sheet or BPJS list to print.
    #[error("no participants in {0}")]
    NoParticipants(String),
    /// Nobody passed (lulus): no certificate to print.
    #[error("no graduates in {0}")]
    NoGraduates(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<crate::db::sql::Error> for PrintError {
    fn from(e: crate::db::sql::Error) -> Self {
        PrintError::Db(e.into())
    }
}

/// Kop surat: from the `letterhead.*` settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Letterhead {
    pub government: String,
    pub office: String,
    pub address: String,
    /// Where letters are signed (`Tigaraksa, 3 Desember 2026`).
    pub city: String,
    /// The logo's file, when one is set.
    pub logo: Option<PathBuf>,
}

/// Who signs certificates and lists (`signatory.*`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signatory {
    pub name: String,
    pub position: String,
    pub nip: String,
}

/// Everything every document carries besides its own data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Office {
    pub letterhead: Letterhead,
    pub signatory: Signatory,
    /// The counter named on receipts (`office.counter`).
    pub counter: String,
}

/// A cohort as paper shows it: its facts, its venue's address and its training days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortPaper {
    pub cohort: CohortRow,
    pub venue_address: String,
    /// Working days only (the venue's week, holidays and cuti bersama skipped).
    pub days: Vec<NaiveDate>,
}

/// Bukti pendaftaran: one enrollment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Receipt {
    pub enrollment_id: i64,
    /// `BP-XXX-XXXX`, found by the desk search.
    pub reference: String,
    pub resident_id: i64,
    pub name: String,
    pub nik: String,
    pub cohort: CohortPaper,
    pub status: EnrollmentStatus,
    /// Place on the waitlist (1 = next), when waitlisted.
    pub waitlist_position: Option<u32>,
    pub jkk: bool,
    pub jkm: bool,
    pub coverage: Option<CoverageStatus>,
    pub registered_at: String,
    /// The operator who registered the enrollment (full name, else login name).
    pub registered_by: Option<String>,
    pub bring: Vec<String>,
}

/// One participant of an attendance sheet, in roster order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Participant {
    pub resident_id: i64,
    pub name: String,
    pub nik: String,
    pub village: Option<String>,
}

/// One certificate: a participant whose outcome is lulus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Graduate {
    pub resident_id: i64,
    pub name: String,
    pub birth_place: String,
    pub birth_date: NaiveDate,
    pub certificate_no: Option<String>,
}

/// The data of one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Paperwork {
    Receipt(Box<Receipt>),
    Attendance {
        cohort: CohortPaper,
        participants: Vec<Participant>,
    },
    Certificates {
        cohort: CohortPaper,
        graduates: Vec<Graduate>,
    },
    BpjsList {
        cohort: CohortPaper,
        rows: Vec<BpjsRow>,
        /// Whose rows these are (the export's rows carry no resident id).
        residents: Vec<i64>,
    },
}

/// A document ready to render: its data, the office's, and who prints it when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Printable {
    pub office: Office,
    pub printed_at: NaiveDateTime,
    /// The printing operator's full name (else login name).
    pub printed_by: String,
    pub paper: Paperwork,
}

impl Paperwork {
    pub fn document(&self) -> Document {
        match self {
            Paperwork::Receipt(_) => Document::Receipt,
            Paperwork::Attendance { .. } => Document::Attendance,
            Paperwork::Certificates { .. } => Document::Certificates,
            Paperwork::BpjsList { .. } => Document::BpjsList,
        }
    }

    pub fn cohort(&self) -> &CohortPaper {
        match self {
            Paperwork::Receipt(r) => &r.cohort,
            Paperwork::Attendance { cohort, .. }
            | Paperwork::Certificates { cohort, .. }
            | Paperwork::BpjsList { cohort, .. } => cohort,
        }
    }

    /// Whose personal data the document holds (resident ids), for the audit row.
    pub fn residents(&self) -> Vec<i64> {
        match self {
            Paperwork::Receipt(r) => vec![r.resident_id],
            Paperwork::Attendance { participants, .. } => {
                participants.iter().map(|p| p.resident_id).collect()
            }
            Paperwork::Certificates { graduates, .. } => {
                graduates.iter().map(|g| g.resident_id).collect()
            }
            Paperwork::BpjsList { residents, .. } => residents.clone(),
        }
    }
}

fn text_setting(conn: &Connection, key: SettingKey) -> Result<String, DbError> {
    settings::get_text(conn, key)
}

/// The letterhead, signatory and counter as the settings hold them now.
pub fn office(conn: &Connection) -> Result<Office, DbError> {
    let logo = text_setting(conn, SettingKey::LetterheadLogo)?;
    Ok(Office {
        letterhead: Letterhead {
            government: text_setting(conn, SettingKey::LetterheadGovernment)?,
            office: text_setting(conn, SettingKey::LetterheadOffice)?,
            address: text_setting(conn, SettingKey::LetterheadAddress)?,
            city: text_setting(conn, SettingKey::LetterheadCity)?,
            logo: (!logo.is_empty()).then(|| PathBuf::from(logo)),
        },
        signatory: Signatory {
            name: text_setting(conn, SettingKey::SignatoryName)?,
            position: text_setting(conn, SettingKey::SignatoryPosition)?,
            nip: text_setting(conn, SettingKey::SignatoryNip)?,
        },
        counter: text_setting(conn, SettingKey::OfficeCounter)?,
    })
}

/// The CUPS queue a paper goes to (`printer.a4`, `printer.receipt`); `None` when unset.
pub fn queue(conn: &Connection, paper: Paper) -> Result<Option<String>, DbError> {
    let key = match paper {
        Paper::A4 => SettingKey::PrinterA4,
        Paper::Receipt => SettingKey::PrinterReceipt,
    };
    let queue = text_setting(conn, key)?;
    Ok((!queue.is_empty()).then_some(queue))
}

fn cohort_paper(conn: &Connection, cohort_id: i64) -> Result<CohortPaper, PrintError> {
    let cohort = cohorts::get(conn, cohort_id)?
        .ok_or_else(|| PrintError::CohortNotFound(format!("#{cohort_id}")))?;
    let venue_address: String = conn
        .prepare_cached("SELECT address FROM venue WHERE code = ?1")?
        .query_row(params![cohort.venue_code], |r| r.get(0))
        .optional()?
        .unwrap_or_default();
    let days = attendance::training_days(conn, cohort_id)?;
    Ok(CohortPaper {
        cohort,
        venue_address,
        days,
    })
}

fn operator_name(conn: &Connection, id: i64) -> Result<Option<String>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT CASE WHEN trim(full_name) <> '' THEN full_name ELSE name END FROM operator WHERE id = ?1",
        )?
        .query_row(params![id], |r| r.get(0))
        .optional()?)
}

fn printable(conn: &Connection, actor: &Actor, paper: Paperwork) -> Result<Printable, PrintError> {
    Ok(Printable {
        office: office(conn)?,
        printed_at: chrono::Local::now().naive_local(),
        printed_by: operator_name(conn, actor.id)?.unwrap_or_else(|| actor.name.clone()),
        paper,
    })
}

/// The receipt of a resident's live (enrolled or waitlisted) place in a cohort.
pub fn receipt(
    conn: &Connection,
    actor: &Actor,
    resident_id: i64,
    cohort_id: i64,
) -> Result<Printable, PrintError> {
    actor.require(Document::Receipt.permission())?;
    let (nik, name): (String, String) = conn
        .prepare_cached("SELECT nik, name FROM resident WHERE id = ?1")?
        .query_row(params![resident_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(PrintError::ResidentNotFound)?;
    let cohort = cohort_paper(conn, cohort_id)?;
    let row: Option<RosterRow> = enrollment::roster(conn, cohort_id)?
        .into_iter()
        .find(|r| r.resident_id == resident_id && r.status != EnrollmentStatus::Withdrawn);
    let row = row.ok_or_else(|| PrintError::NotEnrolled(cohort.cohort.code.clone()))?;
    let waitlist_position = match row.status {
        EnrollmentStatus::Waitlisted => enrollment::waitlist(conn, cohort_id)?
            .iter()
            .find(|w| w.enrollment_id == row.enrollment_id)
            .map(|w| w.reason.position),
        _ => None,
    };
    let created_by: Option<i64> = conn
        .prepare_cached("SELECT created_by FROM enrollment WHERE id = ?1")?
        .query_row(params![row.enrollment_id], |r| r.get(0))?;
    let registered_by = match created_by {
        Some(id) => operator_name(conn, id)?,
        None => None,
    };
    let bring = bring_list(
        &text_setting(conn, SettingKey::ReceiptBring)?,
        &cohort.cohort.course_code,
    );
    let receipt = Receipt {
        enrollment_id: row.enrollment_id,
        reference: reference_code::encode(row.enrollment_id).unwrap_or_default(),
        resident_id,
        name,
        nik,
        cohort,
        status: row.status,
        waitlist_position,
        jkk: row.jkk,
        jkm: row.jkm,
        coverage: row.coverage_status,
        registered_at: row.registered_at,
        registered_by,
        bring,
    };
    printable(conn, actor, Paperwork::Receipt(Box::new(receipt)))
}

fn require_cohort_papers(actor: &Actor) -> Result<(), PrintError> {
    Ok(actor.require(Document::Attendance.permission())?)
}

/// The attendance sheet: enrolled participants in roster order, the cohort's training days.
pub fn attendance_sheet(
    conn: &Connection,
    actor: &Actor,
    cohort_id: i64,
) -> Result<Printable, PrintError> {
    require_cohort_papers(actor)?;
    let cohort = cohort_paper(conn, cohort_id)?;
    let participants: Vec<Participant> = enrollment::roster(conn, cohort_id)?
        .into_iter()
        .filter(|r| r.status == EnrollmentStatus::Enrolled)
        .map(|r| Participant {
            resident_id: r.resident_id,
            name: r.name,
            nik: r.nik,
            village: r.village,
        })
        .collect();
    if participants.is_empty() {
        return Err(PrintError::NoParticipants(cohort.cohort.code.clone()));
    }
    printable(
        conn,
        actor,
        Paperwork::Attendance {
            cohort,
            participants,
        },
    )
}

/// The certificates: one per participant whose outcome is lulus, in roster order.
pub fn certificates(
    conn: &Connection,
    actor: &Actor,
    cohort_id: i64,
) -> Result<Printable, PrintError> {
    require_cohort_papers(actor)?;
    let cohort = cohort_paper(conn, cohort_id)?;
    let mut born =
        conn.prepare_cached("SELECT birth_place, birth_date FROM resident WHERE id = ?1")?;
    let mut graduates = Vec::new();
    for row in enrollment::roster(conn, cohort_id)? {
        if row.status != EnrollmentStatus::Enrolled || row.outcome != Some(Outcome::Passed) {
            continue;
        }
        let (birth_place, birth_date): (String, NaiveDate) =
            born.query_row(params![row.resident_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        graduates.push(Graduate {
            resident_id: row.resident_id,
            name: row.name,
            birth_place,
            birth_date,
            certificate_no: row.certificate_no,
        });
    }
    if graduates.is_empty() {
        return Err(PrintError::NoGraduates(cohort.cohort.code.clone()));
    }
    printable(conn, actor, Paperwork::Certificates { cohort, graduates })
}

/// The BPJS list of a cohort: the rows of the XLSX export (`db::export::bpjs_rows`).
pub fn bpjs_list(
    conn: &Connection,
    actor: &Actor,
    cohort_id: i64,
) -> Result<Printable, PrintError> {
    require_cohort_papers(actor)?;
    let cohort = cohort_paper(conn, cohort_id)?;
    let rows = export::bpjs_rows(conn, ExportScope::Cohort(cohort_id))?;
    if rows.is_empty() {
        return Err(PrintError::NoParticipants(cohort.cohort.code.clone()));
    }
    let residents = enrollment::roster(conn, cohort_id)?
        .into_iter()
        .filter(|r| r.status == EnrollmentStatus::Enrolled && (r.jkk || r.jkm))
        .map(|r| r.resident_id)
        .collect();
    printable(
        conn,
        actor,
        Paperwork::BpjsList {
            cohort,
            rows,
            residents,
        },
    )
}

/// Records that `printable` was written to `file` (and sent to `queue`, when it was): who
/// printed which residents' data. Written for every file made, printed or not.
pub fn record_printed(
    conn: &Connection,
    actor: &Actor,
    printable: &Printable,
    file: &Path,
    queue: Option<&str>,
) -> Result<(), DbError> {
    let document = printable.paper.document();
    let (entity, id) = match &printable.paper {
        Paperwork::Receipt(r) => (audit::Entity::Enrollment, r.enrollment_id.to_string()),
        other => (audit::Entity::Cohort, other.cohort().cohort.code.clone()),
    };
    audit::record::<(), _>(
        conn,
        actor,
        audit::Action::Print,
        entity,
        &id,
        None,
        Some(&json!({
            "document": document.code(),
            "cohort": printable.paper.cohort().cohort.code,
            "residents": printable.paper.residents(),
            "file": file.display().to_string(),
            "queue": queue,
        })),
    )
}
