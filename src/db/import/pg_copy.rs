//! A bulk load's new residents on PostgreSQL: sent with `COPY resident FROM STDIN` a few
//! thousand at a time instead of one INSERT (one round trip) each. Every row gets its id here,
//! from the identity's sequence as the server would have given it (the load holds the table
//! against other writers), so the import knows it at once (duplicates later in the file,
//! `--update-existing`, the audit rows) and the ids are those a row-by-row import gives. The
//! sequence is moved past them when the load ends.

use crate::db::DbError;
use crate::db::residents::COLUMNS;
use crate::db::sql::{self, Connection, ToSql, copy_csv_row};
use std::sync::LazyLock;

/// Rows per COPY: a few MB, far inside the statement timeout.
const COPY_ROWS: usize = 5_000;

static COPY_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "COPY resident (id, {}, created_at, updated_at) FROM STDIN (FORMAT csv)",
        COLUMNS.join(", ")
    )
});

pub(super) struct CopyIn {
    /// The id the next row gets.
    next_id: i64,
    /// The first id of the rows not yet sent.
    first_pending: i64,
    /// The first id this load gave.
    first_id: i64,
    rows: u64,
    data: Vec<u8>,
}

impl CopyIn {
    /// Inside the load's transaction, once `resident` is locked against other writers: ids
    /// counted on from the highest stored one, as a batch's are ([`super::store::BatchIds`]).
    pub(super) fn begin(tx: &Connection) -> Result<CopyIn, DbError> {
        let next_id = crate::db::residents::max_id(tx)? + 1;
        Ok(CopyIn {
            next_id,
            first_pending: next_id,
            first_id: next_id,
            rows: 0,
            data: Vec::with_capacity(4 << 20),
        })
    }

    /// Queues a new resident (`values` as `ResidentParams::values` gives them, the time last);
    /// its id.
    pub(super) fn push(
        &mut self,
        tx: &Connection,
        values: &[&dyn ToSql; 21],
    ) -> Result<i64, DbError> {
        let id = self.next_id;
        let now = values[20];
        let row: Vec<&dyn ToSql> = std::iter::once(&id as &dyn ToSql)
            .chain(values[..20].iter().copied())
            .chain([now, now])
            .collect();
        copy_csv_row(&mut self.data, &row)?;
        self.next_id += 1;
        self.rows += 1;
        if self.rows as usize >= COPY_ROWS {
            self.flush(tx)?;
        }
        Ok(id)
    }

    /// Whether resident `id` is queued and not yet in the table.
    pub(super) fn holds(&self, id: i64) -> bool {
        self.rows > 0 && id >= self.first_pending
    }

    /// Sends the queued rows.
    pub(super) fn flush(&mut self, tx: &Connection) -> Result<(), DbError> {
        if self.rows == 0 {
            return Ok(());
        }
        let taken = tx.copy_in(&COPY_SQL, &self.data)?;
        if taken != self.rows {
            return Err(sql::Error::ToSqlConversionFailure(
                format!("COPY took {taken} of {} residents", self.rows).into(),
            )
            .into());
        }
        self.data.clear();
        self.rows = 0;
        self.first_pending = self.next_id;
        Ok(())
    }

    /// Sends what is queued and moves the identity past the ids given.
    pub(super) fn finish(mut self, tx: &Connection) -> Result<(), DbError> {
        self.flush(tx)?;
        if self.next_id > self.first_id {
            super::store::draw_identity_past(tx, self.next_id - 1)?;
        }
        Ok(())
    }
}
