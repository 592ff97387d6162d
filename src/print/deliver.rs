//! Where a finished PDF goes: a file the operator named (`--out`), or the office's documents
//! folder and, when a CUPS queue is configured for its paper, the printer through
//! `lp -d QUEUE FILE`. A printing failure never loses the PDF: it is written first, and the
//! failure says why.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The office's documents folder: `LOKET_DOCUMENTS_DIR` when set, else `<Documents>/loket`
/// (the platform's documents folder, from `directories`), else `<data dir>/dokumen`.
pub fn documents_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("LOKET_DOCUMENTS_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    if let Some(docs) =
        directories::UserDirs::new().and_then(|u| u.document_dir().map(Path::to_path_buf))
    {
        return Some(docs.join("loket"));
    }
    directories::ProjectDirs::from("id", "loket", "loket").map(|d| d.data_dir().join("dokumen"))
}

/// Where to put a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Exactly this file; nothing is printed.
    File(PathBuf),
    /// A new file in this folder, then the queue when there is one.
    Office { dir: PathBuf, queue: Option<String> },
}

/// Why `lp` did not take the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LpFailure {
    /// `lp` could not be started (CUPS not installed?).
    NotStarted(String),
    /// `lp` ran and exited with an error.
    Refused { status: String, stderr: String },
}

/// What happened to the paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Printing {
    /// Written to the file asked for; printing was not asked.
    NotAsked,
    /// Handed to the queue.
    Sent { queue: String },
    /// No queue is configured for this paper.
    NoQueue,
    /// The queue did not take it.
    Failed { queue: String, why: LpFailure },
}

/// A written PDF and what happened to its paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    pub file: PathBuf,
    pub printing: Printing,
}

impl Delivered {
    /// The queue the file was sent to (for the audit row).
    pub fn queue(&self) -> Option<&str> {
        match &self.printing {
            Printing::Sent { queue } => Some(queue),
            _ => None,
        }
    }
}

/// The PDF could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteFailed {
    pub file: PathBuf,
    pub message: String,
}

/// Writes `pdf` as the target says and prints it when a queue is configured.
pub fn deliver(pdf: &[u8], stem: &str, target: &Target) -> Result<Delivered, WriteFailed> {
    let file = match target {
        Target::File(path) => path.clone(),
        Target::Office { dir, .. } => dir.join(format!("{stem}.pdf")),
    };
    let failed = |e: std::io::Error| WriteFailed {
        file: file.clone(),
        message: e.to_string(),
    };
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    std::fs::write(&file, pdf).map_err(failed)?;
    // Personal data: readable by the operator's account only, like the database.
    crate::db::restrict_permissions(&file);
    let printing = match target {
        Target::File(_) => Printing::NotAsked,
        Target::Office { queue: None, .. } => Printing::NoQueue,
        Target::Office {
            queue: Some(queue), ..
        } => match lp(queue, &file) {
            Ok(()) => Printing::Sent {
                queue: queue.clone(),
            },
            Err(why) => Printing::Failed {
                queue: queue.clone(),
                why,
            },
        },
    };
    Ok(Delivered { file, printing })
}

/// `lp -d QUEUE FILE`.
fn lp(queue: &str, file: &Path) -> Result<(), LpFailure> {
    let output = Command::new("lp")
        .arg("-d")
        .arg(queue)
        .arg(file)
        .output()
        .map_err(|e| LpFailure::NotStarted(e.to_string()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(LpFailure::Refused {
            status: output
                .status
                .code()
                .map_or_else(|| "?".to_string(), |c| c.to_string()),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
    }
}
