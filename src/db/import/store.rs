//! Writing checked rows to `resident`: one row at a time, inside the import's transactions, and
//! the bulk load that sets the table's indexes aside while millions of rows go in.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::db::sql::{
    Connection, Dialect, OptionalExtension, Statement, ToSql, Transaction, params,
};

use crate::db::DbError;
use crate::db::residents::{
    self, COLUMNS, INSERT_RETURNING_SQL, INSERT_SQL, ResidentParams, UPDATE_SQL, assignments,
};
use crate::domain::import_row::RowProblem;
use crate::domain::resident::ValidResident;

use super::pg_copy::CopyIn;

/// What happens to one checked row in the database.
pub(super) enum Outcome {
    /// A new resident, with its id.
    Imported(i64),
    Updated(i64),
    /// Stored with exactly this data, with its id.
    Unchanged(i64),
    Rejected(RowProblem),
}

/// A NIK that may be stored: the unique index decides, and never overwrites. Answers the new
/// row's id, or no row when the NIK was stored. SQLite only: PostgreSQL's identity would spend
/// an id on every NIK already stored, so the server looks the NIK up first (`SAME_SQL`) under
/// the batch's table lock ([`lock_residents`]) and inserts when it is new.
static INSERT_OR_SKIP_SQL: LazyLock<String> =
    LazyLock::new(|| format!("{} ON CONFLICT(nik) DO NOTHING RETURNING id", *INSERT_SQL));

/// The stored resident ?21 (NULL: the one with NIK ?1): its id, its name, and whether every
/// stored field equals the row's (NULL equal to NULL: `IS NOT DISTINCT FROM`, which both
/// stores know).
static SAME_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT id, name, {} FROM resident
         WHERE id = coalesce(?21, (SELECT id FROM resident WHERE nik = ?1))",
        assignments(" IS NOT DISTINCT FROM ", " AND ")
    )
});

/// [`INSERT_SQL`] with the id given: `?22` (PostgreSQL's batches, [`BatchIds`]).
static INSERT_WITH_ID_SQL: LazyLock<String> = LazyLock::new(|| {
    let numbers: Vec<String> = (1..=COLUMNS.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO resident (id, {}, created_at, updated_at) VALUES (?22, {}, ?21, ?21)",
        COLUMNS.join(", "),
        numbers.join(", ")
    )
});

/// PostgreSQL, batch mode: the ids of a batch's new residents, counted on from the highest
/// stored one as SQLite's rowid is, instead of taken from the identity: a sequence is never
/// rolled back, so every id a killed or failed batch had drawn would stay unused and the re-run
/// would number the same residents otherwise than one clean run. The batch's lock
/// ([`lock_residents`]) keeps other writers off meanwhile; [`BatchIds::finish`] moves the
/// identity past the ids given, so the desk's next registration follows them.
pub(super) struct BatchIds {
    next: i64,
    first: i64,
}

impl BatchIds {
    /// Inside the batch's transaction, once `resident` is locked; `None` on SQLite.
    pub(super) fn begin(tx: &Connection) -> Result<Option<BatchIds>, DbError> {
        if tx.dialect() != Dialect::Postgres {
            return Ok(None);
        }
        let next = residents::max_id(tx)? + 1;
        Ok(Some(BatchIds { next, first: next }))
    }

    fn take(&mut self) -> i64 {
        self.next += 1;
        self.next - 1
    }

    /// Moves the identity past the ids given ([`draw_identity_past`]).
    pub(super) fn finish(self, tx: &Connection) -> Result<(), DbError> {
        if self.next > self.first {
            draw_identity_past(tx, self.next - 1)?;
        }
        Ok(())
    }
}

/// Draws from `resident`'s identity until it has passed `last`, the last id an import gave
/// itself: `nextval` needs only the USAGE the counters' role has on it (`setval` would need
/// UPDATE, reading the sequence SELECT). Values that a rolled-back transaction drew already
/// count.
pub(super) fn draw_identity_past(tx: &Connection, last: i64) -> Result<(), DbError> {
    tx.query_row(
        "SELECT count(nextval(s.seq))
         FROM (SELECT pg_get_serial_sequence('resident', 'id')::regclass AS seq) s
         CROSS JOIN generate_series(1, ?1 - coalesce(pg_sequence_last_value(s.seq), 0))",
        [last],
        |r| r.get::<_, i64>(0),
    )?;
    Ok(())
}

/// Keeps other writers off `resident` until the transaction ends, so a NIK looked up is still
/// free when it is inserted: SQLite's BEGIN IMMEDIATE has done it already; on PostgreSQL other
/// desks keep reading (SHARE ROW EXCLUSIVE blocks writers only) and their writes wait for the
/// batch, as on SQLite.
pub(super) fn lock_residents(tx: &Connection) -> Result<(), DbError> {
    if tx.dialect() == Dialect::Postgres {
        tx.execute_batch("LOCK TABLE resident IN SHARE ROW EXCLUSIVE MODE")?;
    }
    Ok(())
}

/// How the import finds a stored NIK.
pub(super) enum NikLookup<'a> {
    /// Through the unique index `resident_nik` (batch mode); on PostgreSQL new residents take
    /// their ids from `ids`.
    Index { ids: Option<&'a mut BatchIds> },
    /// The residents stored before a bulk load, NIK -> id; on SQLite the index is rebuilt at
    /// its end; on PostgreSQL new residents go in through `copy` (COPY).
    Known {
        stored: &'a HashMap<u64, i64>,
        copy: Option<&'a mut CopyIn>,
    },
}

/// The import's four statements, each prepared on first use and held for the whole import:
/// looking them up in the statement cache per row (hashing the SQL text) cost 0.4 s of 3
/// million rows. Prepared lazily because a bulk load has no unique NIK index for
/// `ON CONFLICT(nik)` to name.
pub(super) struct Statements<'c> {
    conn: &'c Connection,
    insert: Option<Statement<'c>>,
    insert_or_skip: Option<Statement<'c>>,
    insert_with_id: Option<Statement<'c>>,
    same: Option<Statement<'c>>,
    update: Option<Statement<'c>>,
}

fn prepared<'s, 'c>(
    conn: &'c Connection,
    slot: &'s mut Option<Statement<'c>>,
    sql: &str,
) -> Result<&'s mut Statement<'c>, DbError> {
    if slot.is_none() {
        *slot = Some(conn.prepare(sql)?);
    }
    Ok(slot.as_mut().expect("prepared just above"))
}

impl<'c> Statements<'c> {
    /// `conn` is the connection the import's transactions run on.
    pub(super) fn new(conn: &'c Connection) -> Statements<'c> {
        Statements {
            conn,
            insert: None,
            insert_or_skip: None,
            insert_with_id: None,
            same: None,
            update: None,
        }
    }

    /// Writes one row. `earlier` is the id of the resident this import already wrote with the
    /// same NIK; `update` lets a row overwrite a stored resident with other data
    /// (`--update-existing`).
    pub(super) fn apply(
        &mut self,
        fts: &mut FtsDeferral,
        lookup: &mut NikLookup,
        row: &ValidResident,
        now: &str,
        earlier: Option<i64>,
        update: bool,
    ) -> Result<Outcome, DbError> {
        let tx = self.conn;
        let params = ResidentParams::new(row, now);
        let values = params.values();
        let known = match (earlier, &mut *lookup) {
            (Some(id), _) => Some(id),
            (None, NikLookup::Known { stored, copy }) => match stored.get(&row.nik_number) {
                Some(id) => Some(*id),
                None => {
                    let id = match copy {
                        Some(copy) => copy.push(tx, &values)?,
                        None => prepared(tx, &mut self.insert, &INSERT_RETURNING_SQL)?
                            .query_row(&values[..], |r| r.get(0))?,
                    };
                    return Ok(Outcome::Imported(id));
                }
            },
            (None, NikLookup::Index { .. }) if tx.dialect() == Dialect::Sqlite => {
                let insert = prepared(tx, &mut self.insert_or_skip, &INSERT_OR_SKIP_SQL)?;
                if let Some(id) = insert.query_row(&values[..], |r| r.get(0)).optional()? {
                    return Ok(Outcome::Imported(id));
                }
                None
            }
            (None, NikLookup::Index { .. }) => None,
        };
        // A resident of this file still queued for COPY is compared (and updated) in the table.
        if let (
            Some(id),
            NikLookup::Known {
                copy: Some(copy), ..
            },
        ) = (known, &mut *lookup)
            && copy.holds(id)
        {
            copy.flush(tx)?;
        }
        let mut same_values = values;
        same_values[20] = &known;
        let found: Option<(i64, String, bool)> = prepared(tx, &mut self.same, &SAME_SQL)?
            .query_row(&same_values[..], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let Some((stored, name, same)) = found else {
            // PostgreSQL, batch mode: a NIK the server does not hold (see INSERT_OR_SKIP_SQL)
            let id = match lookup {
                NikLookup::Index { ids: Some(ids) } => {
                    let id = ids.take();
                    let with_id: Vec<&dyn ToSql> =
                        values.iter().copied().chain([&id as _]).collect();
                    prepared(tx, &mut self.insert_with_id, &INSERT_WITH_ID_SQL)?
                        .execute(&with_id[..])?;
                    id
                }
                _ => prepared(tx, &mut self.insert, &INSERT_RETURNING_SQL)?
                    .query_row(&values[..], |r| r.get(0))?,
            };
            return Ok(Outcome::Imported(id));
        };
        if same {
            return Ok(Outcome::Unchanged(stored));
        }
        if !update {
            return Ok(Outcome::Rejected(RowProblem::NikExists { name }));
        }
        // the update trigger deletes the old name from the search index: it must be there
        if stored > fts.max_before {
            fts.flush(tx)?;
        }
        let update_values: Vec<&dyn ToSql> = values.iter().copied().chain([&stored as _]).collect();
        prepared(tx, &mut self.update, &UPDATE_SQL)?.execute(&update_values[..])?;
        Ok(Outcome::Updated(stored))
    }
}

/// FTS5's own default for pending terms before it writes a segment (`FTS5_DEFAULT_HASHSIZE`).
const FTS_DEFAULT_HASHSIZE: i64 = 1 << 20;
/// Pending terms kept in memory while a list's names are indexed in one statement (taken only
/// as needed). Filling the narrowed index of 3 million residents (1.8 million distinct terms)
/// took 12 s in a traced run at 256 MB, 9 s with room for all of it; at 512 MB the whole
/// import's peak memory stayed at 470-480 MB.
const FTS_BULK_HASHSIZE: i64 = 512 << 20;

/// A word index of the residents filled by a trigger on insert: its table, the trigger and
/// the statement that indexes the residents after an id in one go.
struct WordIndex {
    table: &'static str,
    insert_trigger: &'static str,
    fill: &'static str,
}

/// The name index and the one narrowed by birth year and desa (migration 0006).
const WORD_INDEXES: [WordIndex; 2] = [
    WordIndex {
        table: "resident_fts",
        insert_trigger: "resident_fts_insert",
        fill: "INSERT INTO resident_fts(rowid, name_key) SELECT id, name_key FROM resident WHERE id > ?1",
    },
    WordIndex {
        table: "resident_narrow_fts",
        insert_trigger: "resident_narrow_insert",
        fill: "INSERT INTO resident_narrow_fts(rowid, terms) SELECT id, terms FROM resident_narrow_terms WHERE id > ?1",
    },
];

/// Fills the search indexes for a transaction's new residents in one statement each instead
/// of by the insert triggers row by row. Measured: FTS5 flushes its pending terms at every
/// statement savepoint, so a trigger writes one tiny segment per row and then merges them
/// (300,000 rows: 5 s through the trigger, 0.4 s in one INSERT ... SELECT). The triggers are
/// dropped and re-created inside the same transaction, so no other connection ever sees them
/// missing.
pub(super) struct FtsDeferral {
    /// The dropped insert triggers' SQL, by index (`None`: not in this schema).
    trigger_sql: Vec<Option<String>>,
    max_before: i64,
}

impl FtsDeferral {
    pub(super) fn begin(tx: &Connection) -> Result<FtsDeferral, DbError> {
        let mut trigger_sql = Vec::new();
        // PostgreSQL's word indexes are GIN indexes on the table itself: nothing to defer.
        let indexes = match tx.dialect() {
            Dialect::Sqlite => &WORD_INDEXES[..],
            Dialect::Postgres => &[],
        };
        for index in indexes {
            let sql: Option<String> = tx
                .query_row(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                    [index.insert_trigger],
                    |r| r.get(0),
                )
                .optional()?;
            if sql.is_some() {
                tx.execute_batch(&format!("DROP TRIGGER {}", index.insert_trigger))?;
            }
            trigger_sql.push(sql);
        }
        Ok(FtsDeferral {
            trigger_sql,
            max_before: residents::max_id(tx)?,
        })
    }

    /// Indexes the residents inserted so far (before one of them is updated).
    ///
    /// FTS5 writes its pending terms out as a new segment whenever they pass its `hashsize`
    /// (1 MB by default) and merges the segments as they pile up; for the statement that
    /// indexes a whole list the limit is raised, so a few large segments are written instead of
    /// hundreds of small ones merged again and again (3 million names: 2.9 s instead of 5.5 s).
    /// It is a setting stored in the index, put back in the same transaction.
    fn flush(&mut self, tx: &Connection) -> Result<(), DbError> {
        for (index, sql) in WORD_INDEXES.iter().zip(&self.trigger_sql) {
            if sql.is_none() {
                continue;
            }
            let hashsize = format!(
                "INSERT INTO {0}({0}, rank) VALUES ('hashsize', ?1)",
                index.table
            );
            tx.prepare_cached(&hashsize)?.execute([FTS_BULK_HASHSIZE])?;
            tx.prepare_cached(index.fill)?.execute([self.max_before])?;
            tx.prepare_cached(&hashsize)?
                .execute([FTS_DEFAULT_HASHSIZE])?;
        }
        self.max_before = residents::max_id(tx)?;
        Ok(())
    }

    pub(super) fn finish(mut self, tx: &Connection) -> Result<(), DbError> {
        self.flush(tx)?;
        for sql in self.trigger_sql.iter().flatten() {
            tx.execute_batch(sql)?;
        }
        Ok(())
    }
}

/// A bulk load: ONE transaction in which, on SQLite, every index of `resident` (the unique NIK
/// index too) is dropped and rebuilt at the end by sorting, and the search index is filled
/// once. The import checks NIK uniqueness itself against [`BulkLoad::stored`], read inside this
/// transaction; rebuilding `resident_nik` re-checks it, so a mistake rolls everything back.
///
/// On PostgreSQL the table is locked against other writers (readers go on: the indexes stay,
/// and the desk keeps searching) and new residents go in by COPY ([`CopyIn`]); the unique
/// index checks every row as it arrives.
pub(super) struct BulkLoad<'c> {
    pub tx: Transaction<'c>,
    /// Every stored resident before the load: NIK -> id.
    pub stored: HashMap<u64, i64>,
    pub fts: FtsDeferral,
    /// PostgreSQL: the new residents on their way.
    pub copy: Option<CopyIn>,
    indexes: Vec<String>,
}

impl<'c> BulkLoad<'c> {
    pub(super) fn begin(conn: &'c Connection) -> Result<BulkLoad<'c>, DbError> {
        let tx = crate::db::immediate(conn)?;
        lock_residents(&tx)?;
        let indexes: Vec<(String, String)> = match tx.dialect() {
            Dialect::Sqlite => tx
                .prepare(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index'
                     AND tbl_name = 'resident' AND sql IS NOT NULL",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?,
            Dialect::Postgres => Vec::new(),
        };
        for (name, _) in &indexes {
            tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        }
        let stored = tx
            .prepare("SELECT nik, id FROM resident")?
            .query_map([], |r| {
                let nik: String = r.get(0)?;
                Ok((nik.parse::<u64>().unwrap_or(0), r.get(1)?))
            })?
            .collect::<Result<_, _>>()?;
        let fts = FtsDeferral::begin(&tx)?;
        let copy = match tx.dialect() {
            Dialect::Sqlite => None,
            Dialect::Postgres => Some(CopyIn::begin(&tx)?),
        };
        Ok(BulkLoad {
            tx,
            stored,
            fts,
            copy,
            indexes: indexes.into_iter().map(|(_, sql)| sql).collect(),
        })
    }

    /// Sends the last residents, fills the search index, rebuilds the indexes and commits.
    /// Ends the load; `added` (first and last new id) are marked with this PC's counter.
    pub(super) fn commit(self, added: Option<(i64, i64)>) -> Result<(), DbError> {
        if let Some(copy) = self.copy {
            copy.finish(&self.tx)?;
            // The planner learns the table it has not seen grow (autovacuum would within a
            // minute): the desk's next search is planned on the new rows.
            self.tx.execute_batch("ANALYZE resident")?;
        }
        if let Some((first, last)) = added {
            mark_counter(&self.tx, first, last)?;
        }
        self.fts.finish(&self.tx)?;
        // Measured at 3 million residents on 2 cores: sorting in 8 MB runs on 4 helper threads
        // builds the indexes in 8 s instead of 13 s in one 256 MB run (WAL, schema v2; on 2 threads
        // or with larger runs no faster under the rollback journal either).
        if let Some(lite) = self.tx.as_sqlite() {
            lite.pragma_update(None, "threads", 4)?;
            lite.pragma_update(None, "cache_size", -8192)?;
        }
        for sql in &self.indexes {
            self.tx.execute_batch(sql)?;
        }
        self.tx.commit()?;
        Ok(())
    }
}

/// A bulk load's pages go straight into the database file under a rollback journal instead of
/// through the WAL. In WAL mode every page of a million-row transaction is written twice (to
/// the WAL, then by the checkpoint into the file) and each page read during the index builds
/// searches a WAL index grown to hundreds of thousands of frames; measured at 3 million
/// residents: the index builds 12.5 s -> 8.5 s and the commit with its checkpoint 6.7 s ->
/// 0.1 s. New pages past the end of the file need no journal, so the journal stays small, and
/// a killed load is rolled back from it at the next open as SQLite always does.
///
/// Leaving WAL needs the database to itself: while another connection has it open (a desk's
/// TUI, the search worker of the import screen) SQLite refuses at once and the load stays in
/// WAL, only slower. Meanwhile other processes wait for the load (a rollback journal lets no one
/// read past a writer that has started writing pages); the WAL comes back when this is dropped,
/// and any open of the database puts it back too (`db::open`).
pub(super) struct RollbackJournal<'c> {
    conn: &'c Connection,
    switched: bool,
}

impl<'c> RollbackJournal<'c> {
    /// Leaves WAL if no other connection is open; `synchronous = FULL` then, SQLite's setting
    /// for a rollback journal that survives a power cut (put back by the caller's saved pragmas).
    pub(super) fn begin(conn: &'c Connection) -> Result<RollbackJournal<'c>, DbError> {
        let switched = conn.as_sqlite().is_some_and(|lite| {
            lite.query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            })
            .is_ok_and(|mode| mode.eq_ignore_ascii_case("delete"))
        });
        if let Some(lite) = conn.as_sqlite().filter(|_| switched) {
            lite.pragma_update(None, "synchronous", "FULL")?;
        }
        Ok(RollbackJournal { conn, switched })
    }
}

impl Drop for RollbackJournal<'_> {
    fn drop(&mut self) {
        if self.switched {
            let _ = self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
        }
    }
}

/// Residents `first..=last` that have no office yet were added by this import: they take this
/// PC's counter (issue 18), as a registration at the desk does. Nothing without a counter.
pub(super) fn mark_counter(tx: &Connection, first: i64, last: i64) -> Result<(), DbError> {
    if let Some(counter) = tx.counter() {
        tx.prepare_cached(
            "UPDATE resident SET office_code = ?1, counter = ?2
             WHERE id BETWEEN ?3 AND ?4 AND office_code IS NULL",
        )?
        .execute(params![counter.office, counter.to_string(), first, last])?;
    }
    Ok(())
}
