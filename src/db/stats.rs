//! Counts for the home screen and `loket` summaries.

use rusqlite::Connection;

use super::DbError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub residents: i64,
    pub cohorts: i64,
    pub active_enrollments: i64,
}

pub fn counts(conn: &Connection) -> Result<Counts, DbError> {
    // max(rowid) is instant at millions of rows; residents are never deleted, so it is the count.
    let residents = conn.query_row("SELECT coalesce(max(id), 0) FROM resident", [], |r| {
        r.get(0)
    })?;
    let cohorts = conn.query_row("SELECT count(*) FROM cohort", [], |r| r.get(0))?;
    let active_enrollments = conn.query_row(
        "SELECT count(*) FROM enrollment WHERE status = 'enrolled'",
        [],
        |r| r.get(0),
    )?;
    Ok(Counts {
        residents,
        cohorts,
        active_enrollments,
    })
}
