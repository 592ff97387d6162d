//! Writing checked rows to `resident`: one row at a time, inside the import's transactions, and
//! the bulk load that sets the table's indexes aside while millions of rows go in.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, ToSql, Transaction};

use crate::db::{DbError, residents};
use crate::domain::import_row::{ResidentRow, RowProblem};

/// What happens to one checked row in the database.
pub(super) enum Outcome {
    /// A new resident, with its id.
    Imported(i64),
    Updated(i64),
    /// Stored with exactly this data, with its id.
    Unchanged(i64),
    Rejected(RowProblem),
}

macro_rules! insert_sql {
    () => {
        "INSERT INTO resident (nik, kk, name, name_key, sex, birth_place, birth_date,
            address, rt, rw, village_code, phone, education, employment, desil, desil_source,
            desil_as_of, stunting_household, disability, nik_mismatch_confirmed, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?21)"
    };
}

/// A new NIK (bulk load: the import itself knows every stored NIK, the index is set aside).
const INSERT_SQL: &str = insert_sql!();
/// A NIK that may be stored: the unique index decides, and never overwrites.
const INSERT_OR_SKIP_SQL: &str = concat!(insert_sql!(), " ON CONFLICT(nik) DO NOTHING");

/// The stored resident ?21 (NULL: the one with NIK ?1): its id, its name, and whether every
/// imported field equals the row's.
const SAME_SQL: &str = "SELECT id, name,
        kk IS ?2 AND name = ?3 AND sex = ?5 AND birth_place = ?6 AND birth_date = ?7
        AND address = ?8 AND rt = ?9 AND rw = ?10 AND village_code IS ?11 AND phone = ?12
        AND education IS ?13 AND employment IS ?14 AND desil IS ?15 AND desil_source IS ?16
        AND desil_as_of IS ?17 AND stunting_household = ?18 AND disability = ?19
        AND nik_mismatch_confirmed = ?20
     FROM resident WHERE id = coalesce(?21, (SELECT id FROM resident WHERE nik = ?1))";

/// Overwrites resident ?22 with the row (its NIK, ?1, is the same).
const UPDATE_SQL: &str = "UPDATE resident SET kk = ?2, name = ?3, name_key = ?4, sex = ?5,
        birth_place = ?6, birth_date = ?7, address = ?8, rt = ?9, rw = ?10, village_code = ?11,
        phone = ?12, education = ?13, employment = ?14, desil = ?15, desil_source = ?16,
        desil_as_of = ?17, stunting_household = ?18, disability = ?19, nik_mismatch_confirmed = ?20,
        updated_at = ?21
     WHERE id = ?22";

/// How the import finds a stored NIK.
pub(super) enum NikLookup<'a> {
    /// Through the unique index `resident_nik` (batch mode).
    Index,
    /// The residents stored before a bulk load, NIK -> id; the index is rebuilt at its end.
    Known(&'a HashMap<u64, i64>),
}

/// Writes one row. `earlier` is the id of the resident this import already wrote with the same
/// NIK; `update` lets a row overwrite a stored resident with other data (`--update-existing`).
pub(super) fn apply(
    tx: &Connection,
    fts: &mut FtsDeferral,
    lookup: &NikLookup,
    row: &ResidentRow,
    now: &str,
    earlier: Option<i64>,
    update: bool,
) -> Result<Outcome, DbError> {
    let sex = row.sex.code();
    let values: [&dyn ToSql; 21] = [
        &row.nik,
        &row.kk,
        &row.name,
        &row.name_key,
        &sex,
        &row.birth_place,
        &row.birth_date,
        &row.address,
        &row.rt,
        &row.rw,
        &row.village_code,
        &row.phone,
        &row.education,
        &row.employment,
        &row.desil,
        &row.desil_source,
        &row.desil_as_of,
        &row.stunting_household,
        &row.disability,
        &row.nik_mismatch_confirmed,
        &now,
    ];
    let known = match (earlier, lookup) {
        (Some(id), _) => Some(id),
        (None, NikLookup::Known(known)) => match known.get(&row.nik_number) {
            Some(id) => Some(*id),
            None => {
                tx.prepare_cached(INSERT_SQL)?.execute(&values[..])?;
                return Ok(Outcome::Imported(tx.last_insert_rowid()));
            }
        },
        (None, NikLookup::Index) => {
            if tx
                .prepare_cached(INSERT_OR_SKIP_SQL)?
                .execute(&values[..])?
                == 1
            {
                return Ok(Outcome::Imported(tx.last_insert_rowid()));
            }
            None
        }
    };
    let mut same_values = values;
    same_values[20] = &known;
    let (stored, name, same): (i64, String, bool) = tx
        .prepare_cached(SAME_SQL)?
        .query_row(&same_values[..], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
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
    tx.prepare_cached(UPDATE_SQL)?.execute(&update_values[..])?;
    Ok(Outcome::Updated(stored))
}

/// Fills the search index for a transaction's new residents in one statement instead of by
/// the insert trigger row by row. Measured: FTS5 flushes its pending terms at every statement
/// savepoint, so the trigger writes one tiny segment per row and then merges them (300,000 rows:
/// 5 s through the trigger, 0.4 s in one INSERT ... SELECT). The trigger is dropped and re-created
/// inside the same transaction, so no other connection ever sees it missing.
pub(super) struct FtsDeferral {
    trigger_sql: Option<String>,
    max_before: i64,
}

impl FtsDeferral {
    pub(super) fn begin(tx: &Connection) -> Result<FtsDeferral, DbError> {
        let trigger_sql: Option<String> = tx
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'resident_fts_insert'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if trigger_sql.is_some() {
            tx.execute_batch("DROP TRIGGER resident_fts_insert")?;
        }
        Ok(FtsDeferral {
            trigger_sql,
            max_before: residents::max_id(tx)?,
        })
    }

    /// Indexes the residents inserted so far (before one of them is updated).
    fn flush(&mut self, tx: &Connection) -> Result<(), DbError> {
        if self.trigger_sql.is_some() {
            tx.prepare_cached(
                "INSERT INTO resident_fts(rowid, name_key) SELECT id, name_key FROM resident WHERE id > ?1",
            )?
            .execute([self.max_before])?;
            self.max_before = residents::max_id(tx)?;
        }
        Ok(())
    }

    pub(super) fn finish(mut self, tx: &Connection) -> Result<(), DbError> {
        self.flush(tx)?;
        if let Some(sql) = self.trigger_sql {
            tx.execute_batch(&sql)?;
        }
        Ok(())
    }
}

/// A bulk load: ONE transaction in which every index of `resident` (the unique NIK index too)
/// is dropped and rebuilt at the end by sorting, and the search index is filled once. The
/// import checks NIK uniqueness itself against [`BulkLoad::stored`], read inside this
/// transaction; rebuilding `resident_nik` re-checks it, so a mistake rolls everything back.
pub(super) struct BulkLoad<'c> {
    pub tx: Transaction<'c>,
    /// Every stored resident before the load: NIK -> id.
    pub stored: HashMap<u64, i64>,
    pub fts: FtsDeferral,
    indexes: Vec<String>,
}

impl<'c> BulkLoad<'c> {
    pub(super) fn begin(conn: &'c Connection) -> Result<BulkLoad<'c>, DbError> {
        let tx = crate::db::immediate(conn)?;
        let indexes: Vec<(String, String)> = tx
            .prepare(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'resident'
                 AND sql IS NOT NULL",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
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
        Ok(BulkLoad {
            tx,
            stored,
            fts,
            indexes: indexes.into_iter().map(|(_, sql)| sql).collect(),
        })
    }

    /// Fills the search index, rebuilds the indexes and commits.
    pub(super) fn commit(self) -> Result<(), DbError> {
        self.fts.finish(&self.tx)?;
        // Measured at 3 million residents on 2 cores: sorting in 8 MB runs on 4 helper threads
        // builds the four indexes in 8 s instead of 13 s in one 256 MB run.
        self.tx.pragma_update(None, "threads", 4)?;
        self.tx.pragma_update(None, "cache_size", -8192)?;
        for sql in &self.indexes {
            self.tx.execute_batch(sql)?;
        }
        self.tx.commit()?;
        Ok(())
    }
}
