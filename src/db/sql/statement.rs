//! Statements and rows, shaped as rusqlite's: `prepare_cached(sql)?.query_map(params, |r|
//! r.get(0))?`, `query_row`, `execute`, `exists`, and `Row::get::<I, T>(idx)` by index or name.
//! On SQLite each call goes straight to rusqlite (rows stream); on PostgreSQL a query's rows are
//! fetched whole and decoded first, so every query keeps its `LIMIT`.

use std::sync::Arc;

use super::params::Params;
use super::pg::{Columns, Pg, PgRows, Prepared};
use super::types::{FromSql, FromSqlError, ToSqlOutput, Type, Value, ValueRef};
use super::{Error, Result};

/// A statement borrowed for one call, whichever the store.
enum Engine<'a, 'c> {
    Sqlite(&'a mut rusqlite::Statement<'c>),
    Postgres(&'c Pg, &'a Prepared),
}

/// A prepared statement of either store.
pub struct Statement<'c> {
    inner: Inner<'c>,
}

enum Inner<'c> {
    Sqlite(rusqlite::Statement<'c>),
    SqliteCached(rusqlite::CachedStatement<'c>),
    Postgres { pg: &'c Pg, prepared: Prepared },
}

/// Our values as rusqlite parameters (borrowed: no copy of text or blobs).
impl rusqlite::ToSql for ToSqlOutput<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::ValueRef as R;
        Ok(rusqlite::types::ToSqlOutput::Borrowed(
            match self.value_ref() {
                ValueRef::Null => R::Null,
                ValueRef::Integer(i) => R::Integer(i),
                ValueRef::Real(r) => R::Real(r),
                ValueRef::Text(t) => R::Text(t),
                ValueRef::Blob(b) => R::Blob(b),
            },
        ))
    }
}

pub(super) fn sqlite_params<'a>(
    values: &'a [ToSqlOutput<'a>],
) -> rusqlite::ParamsFromIter<std::slice::Iter<'a, ToSqlOutput<'a>>> {
    rusqlite::params_from_iter(values.iter())
}

impl<'c> Statement<'c> {
    pub(super) fn sqlite(stmt: rusqlite::Statement<'c>) -> Statement<'c> {
        Statement {
            inner: Inner::Sqlite(stmt),
        }
    }

    pub(super) fn sqlite_cached(stmt: rusqlite::CachedStatement<'c>) -> Statement<'c> {
        Statement {
            inner: Inner::SqliteCached(stmt),
        }
    }

    pub(super) fn postgres(pg: &'c Pg, prepared: Prepared) -> Statement<'c> {
        Statement {
            inner: Inner::Postgres { pg, prepared },
        }
    }

    fn engine(&mut self) -> Engine<'_, 'c> {
        match &mut self.inner {
            Inner::Sqlite(s) => Engine::Sqlite(s),
            Inner::SqliteCached(s) => Engine::Sqlite(s),
            Inner::Postgres { pg, prepared } => Engine::Postgres(pg, prepared),
        }
    }

    /// Runs an INSERT, UPDATE or DELETE; the number of rows changed.
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        match self.engine() {
            Engine::Sqlite(stmt) => params.with_values(|v| Ok(stmt.execute(sqlite_params(v))?)),
            Engine::Postgres(pg, prepared) => params.with_values(|v| pg.execute(prepared, v)),
        }
    }

    /// The rows, one `Row` at a time (`while let Some(row) = rows.next()? { ... }`).
    pub fn query<P: Params>(&mut self, params: P) -> Result<Rows<'_>> {
        let inner = match self.engine() {
            Engine::Sqlite(stmt) => {
                RowsInner::Sqlite(params.with_values(|v| Ok(stmt.query(sqlite_params(v))?))?)
            }
            Engine::Postgres(pg, prepared) => {
                let PgRows { columns, rows } = params.with_values(|v| pg.query(prepared, v))?;
                RowsInner::Postgres {
                    columns,
                    rows: rows.into_iter(),
                    current: None,
                }
            }
        };
        Ok(Rows { inner })
    }

    /// Each row through `f`, as an iterator of `Result<T>`.
    pub fn query_map<T, P, F>(&mut self, params: P, f: F) -> Result<MappedRows<'_, F>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> Result<T>,
    {
        Ok(MappedRows {
            rows: self.query(params)?,
            f,
        })
    }

    /// The first row through `f`; `Error::QueryReturnedNoRows` when there is none (see
    /// `OptionalExtension::optional`).
    pub fn query_row<T, P, F>(&mut self, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        let mut rows = self.query(params)?;
        match rows.next()? {
            Some(row) => f(&row),
            None => Err(Error::QueryReturnedNoRows),
        }
    }

    /// Whether the query returns at least one row.
    pub fn exists<P: Params>(&mut self, params: P) -> Result<bool> {
        Ok(self.query(params)?.next()?.is_some())
    }

    /// The result columns' names.
    pub fn column_names(&self) -> Vec<String> {
        match &self.inner {
            Inner::Sqlite(s) => s.column_names().iter().map(|n| n.to_string()).collect(),
            Inner::SqliteCached(s) => s.column_names().iter().map(|n| n.to_string()).collect(),
            Inner::Postgres { prepared, .. } => prepared.columns.to_vec(),
        }
    }
}

/// A query's rows (rusqlite's `Rows`): `next()` gives the next row or `None`.
pub struct Rows<'s> {
    inner: RowsInner<'s>,
}

enum RowsInner<'s> {
    Sqlite(rusqlite::Rows<'s>),
    Postgres {
        columns: Columns,
        rows: std::vec::IntoIter<Vec<Value>>,
        current: Option<Vec<Value>>,
    },
}

impl Rows<'_> {
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        match &mut self.inner {
            RowsInner::Sqlite(rows) => Ok(rows.next()?.map(|r| Row {
                inner: RowInner::Sqlite(r),
            })),
            RowsInner::Postgres {
                columns,
                rows,
                current,
            } => {
                *current = rows.next();
                Ok(current.as_deref().map(|values| Row {
                    inner: RowInner::Postgres {
                        values,
                        columns: Arc::clone(columns),
                    },
                }))
            }
        }
    }
}

/// `query_map`'s iterator.
pub struct MappedRows<'s, F> {
    rows: Rows<'s>,
    f: F,
}

impl<T, F> Iterator for MappedRows<'_, F>
where
    F: FnMut(&Row<'_>) -> Result<T>,
{
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        match self.rows.next() {
            Ok(Some(row)) => Some((self.f)(&row)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// One result row.
pub struct Row<'r> {
    inner: RowInner<'r>,
}

enum RowInner<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres {
        values: &'r [Value],
        columns: Columns,
    },
}

/// A column by position (`0`) or by name (`"nik"`, case-insensitive).
pub trait RowIndex {
    #[doc(hidden)]
    fn sqlite_index(&self, stmt: &rusqlite::Statement<'_>) -> Result<usize>;
    #[doc(hidden)]
    fn postgres_index(&self, columns: &[String]) -> Result<usize>;
}

impl RowIndex for usize {
    fn sqlite_index(&self, _stmt: &rusqlite::Statement<'_>) -> Result<usize> {
        // rusqlite checks the bound itself.
        Ok(*self)
    }

    fn postgres_index(&self, columns: &[String]) -> Result<usize> {
        if *self < columns.len() {
            Ok(*self)
        } else {
            Err(Error::InvalidColumnIndex(*self))
        }
    }
}

impl RowIndex for &str {
    fn sqlite_index(&self, stmt: &rusqlite::Statement<'_>) -> Result<usize> {
        stmt.column_index(self)
            .map_err(|_| Error::InvalidColumnName(self.to_string()))
    }

    fn postgres_index(&self, columns: &[String]) -> Result<usize> {
        columns
            .iter()
            .position(|n| n.eq_ignore_ascii_case(self))
            .ok_or_else(|| Error::InvalidColumnName(self.to_string()))
    }
}

impl Row<'_> {
    /// Column `idx` as `T` (`r.get::<_, String>(0)`, `r.get("nik")`).
    pub fn get<I: RowIndex, T: FromSql>(&self, idx: I) -> Result<T> {
        let (i, value) = self.value(idx)?;
        T::column_result(value).map_err(|e| match e {
            FromSqlError::InvalidType => {
                Error::InvalidColumnType(i, self.column_name(i), value.data_type())
            }
            FromSqlError::OutOfRange(n) => Error::FromSqlConversionFailure(
                i,
                Type::Integer,
                format!("{n} out of range for the asked type").into(),
            ),
            FromSqlError::Other(e) => Error::FromSqlConversionFailure(i, value.data_type(), e),
        })
    }

    /// Column `idx` as a borrowed value.
    pub fn get_ref<I: RowIndex>(&self, idx: I) -> Result<ValueRef<'_>> {
        self.value(idx).map(|(_, v)| v)
    }

    pub fn column_count(&self) -> usize {
        match &self.inner {
            RowInner::Sqlite(r) => r.as_ref().column_count(),
            RowInner::Postgres { values, .. } => values.len(),
        }
    }

    fn column_name(&self, i: usize) -> String {
        match &self.inner {
            RowInner::Sqlite(r) => r.as_ref().column_name(i).unwrap_or("?").to_string(),
            RowInner::Postgres { columns, .. } => columns.get(i).cloned().unwrap_or_default(),
        }
    }

    fn value<I: RowIndex>(&self, idx: I) -> Result<(usize, ValueRef<'_>)> {
        match &self.inner {
            RowInner::Sqlite(r) => {
                let stmt = r.as_ref();
                let i = idx.sqlite_index(stmt)?;
                let value = match r.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => ValueRef::Null,
                    rusqlite::types::ValueRef::Integer(n) => ValueRef::Integer(n),
                    rusqlite::types::ValueRef::Real(f) => ValueRef::Real(f),
                    rusqlite::types::ValueRef::Text(t) => ValueRef::Text(t),
                    rusqlite::types::ValueRef::Blob(b) => ValueRef::Blob(b),
                };
                Ok((i, value))
            }
            RowInner::Postgres { values, columns } => {
                let i = idx.postgres_index(columns)?;
                let value = values.get(i).ok_or(Error::InvalidColumnIndex(i))?;
                Ok((i, value.as_ref()))
            }
        }
    }
}
