//! Typed work a closed window left behind (issue 15): when the terminal goes away while a form
//! holds typed data (the window is closed: SIGHUP; the PC shuts down: SIGTERM), the screen's
//! text is written here, beside the database and readable by its owner only, as the database
//! itself is (it holds the same personal data). The same operator's next login on the same
//! database takes it back and the form opens again, filled. A draft is taken once: reading it
//! removes the file, and the form then holds the text (quitting it asks, as for any typing).
//!
//! Place: `<folder of the database>/drafts/<database file name>.<operator id>.json`.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::DbError;
use super::backup::{create_private_dir, create_private_file};
use crate::domain::resident::Field;

/// One screen's typed text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "screen", rename_all = "snake_case")]
pub enum Draft {
    /// The register or edit form of a resident.
    ResidentForm {
        /// The resident being edited; none for a new registration.
        editing: Option<i64>,
        /// Each field's text as typed (the desa: the name shown in its field).
        fields: Vec<(Field, String)>,
        /// The desa picked from the list (its code), when one was.
        village: Option<String>,
    },
}

/// What one operator left when the window closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Left {
    pub saved_at: NaiveDateTime,
    pub drafts: Vec<Draft>,
}

/// Where the drafts of `operator_id` on the database at `db_path` are kept.
pub fn path(db_path: &Path, operator_id: i64) -> PathBuf {
    let name = db_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "loket".into());
    db_path
        .parent()
        .unwrap_or(Path::new("."))
        .join("drafts")
        .join(format!("{name}.{operator_id}.json"))
}

/// Writes `left` for `operator_id`, replacing what an earlier close left (owner-only, through a
/// temporary file renamed into place: a second signal never leaves half a file). Returns where.
pub fn save(db_path: &Path, operator_id: i64, left: &Left) -> Result<PathBuf, DbError> {
    let dest = path(db_path, operator_id);
    let io = |p: &Path, e: std::io::Error| DbError::Io(p.to_path_buf(), e.to_string());
    if let Some(dir) = dest.parent() {
        create_private_dir(dir).map_err(into_db)?;
    }
    let partial = dest.with_extension(format!("json.partial-{}", std::process::id()));
    let _ = std::fs::remove_file(&partial);
    create_private_file(&partial).map_err(into_db)?;
    let text =
        serde_json::to_vec_pretty(left).map_err(|e| DbError::Io(dest.clone(), e.to_string()))?;
    std::fs::write(&partial, text).map_err(|e| io(&partial, e))?;
    std::fs::rename(&partial, &dest).map_err(|e| io(&dest, e))?;
    Ok(dest)
}

/// Takes what `operator_id` left on this database, if anything: the file is removed once read.
/// A file that does not read is an error naming it, and stays for a person to look at.
pub fn take(db_path: &Path, operator_id: i64) -> Result<Option<Left>, DbError> {
    let file = path(db_path, operator_id);
    let bytes = match std::fs::read(&file) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(DbError::Io(file, e.to_string())),
    };
    let left: Left =
        serde_json::from_slice(&bytes).map_err(|e| DbError::Io(file.clone(), e.to_string()))?;
    std::fs::remove_file(&file).map_err(|e| DbError::Io(file, e.to_string()))?;
    Ok(Some(left))
}

fn into_db(e: super::backup::BackupError) -> DbError {
    match e {
        super::backup::BackupError::Db(e) => e,
        other => DbError::Io(PathBuf::new(), other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn left() -> Left {
        Left {
            saved_at: chrono::NaiveDate::from_ymd_opt(2026, 12, 3)
                .unwrap()
                .and_hms_opt(15, 40, 0)
                .unwrap(),
            drafts: vec![Draft::ResidentForm {
                editing: None,
                fields: vec![
                    (Field::Nik, "3603011708900001".into()),
                    (Field::Name, "Siti \"Aminah\"".into()),
                ],
                village: Some("3603012001".into()),
            }],
        }
    }

    #[test]
    fn a_draft_is_taken_once_and_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("loket.sqlite");
        assert_eq!(take(&db, 7).unwrap(), None);
        let file = save(&db, 7, &left()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let dir_mode = std::fs::metadata(file.parent().unwrap())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(dir_mode & 0o777, 0o700);
        }
        // Another operator, or another database in the same folder, finds nothing.
        assert_eq!(take(&db, 8).unwrap(), None);
        assert_eq!(take(&dir.path().join("other.sqlite"), 7).unwrap(), None);
        assert_eq!(take(&db, 7).unwrap(), Some(left()));
        assert_eq!(take(&db, 7).unwrap(), None);
    }

    #[test]
    fn a_second_close_replaces_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("loket.sqlite");
        save(
            &db,
            1,
            &Left {
                drafts: Vec::new(),
                ..left()
            },
        )
        .unwrap();
        save(&db, 1, &left()).unwrap();
        assert_eq!(take(&db, 1).unwrap(), Some(left()));
    }

    #[test]
    fn a_file_that_does_not_read_is_named_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("loket.sqlite");
        let file = save(&db, 1, &left()).unwrap();
        std::fs::write(&file, b"{\"saved_at\": 3").unwrap();
        match take(&db, 1) {
            Err(DbError::Io(named, _)) => assert_eq!(named, file),
            other => panic!("{other:?}"),
        }
        assert!(file.exists());
    }
}
