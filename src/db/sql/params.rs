//! Parameter lists, shaped as rusqlite's: `[]`, `params![a, b]`, an array or slice of values or
//! of `&dyn ToSql`, and `params_from_iter(iter)`. Each list becomes the `ToSqlOutput`s that the
//! store binds positionally (`?1` is the first).

use super::Result;
use super::types::{ToSql, ToSqlOutput};

/// A list of positional parameters.
pub trait Params {
    /// Calls `f` with the list's values, in order.
    fn with_values<R>(self, f: impl FnOnce(&[ToSqlOutput<'_>]) -> Result<R>) -> Result<R>;
}

fn outputs<'a, T: ToSql + 'a>(items: impl Iterator<Item = &'a T>) -> Result<Vec<ToSqlOutput<'a>>> {
    items.map(ToSql::to_sql).collect()
}

/// `[]`: no parameters (the element type is fixed so the empty literal infers).
impl Params for [&dyn ToSql; 0] {
    fn with_values<R>(self, f: impl FnOnce(&[ToSqlOutput<'_>]) -> Result<R>) -> Result<R> {
        f(&[])
    }
}

impl Params for () {
    fn with_values<R>(self, f: impl FnOnce(&[ToSqlOutput<'_>]) -> Result<R>) -> Result<R> {
        f(&[])
    }
}

impl<T: ToSql> Params for &[T] {
    fn with_values<R>(self, f: impl FnOnce(&[ToSqlOutput<'_>]) -> Result<R>) -> Result<R> {
        f(&outputs(self.iter())?)
    }
}

macro_rules! array_params {
    ($($n:literal)*) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn with_values<R>(self, f: impl FnOnce(&[ToSqlOutput<'_>]) -> Result<R>) -> Result<R> {
                f(&outputs(self.iter())?)
            }
        }
        impl<T: ToSql> Params for &[T; $n] {
            fn with_values<R>(self, f: impl FnOnce(&[ToSqlOutput<'_>]) -> Result<R>) -> Result<R> {
                f(&outputs(self.iter())?)
            }
        }
    )*};
}
array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32);

/// Parameters from an iterator of values (rusqlite's `params_from_iter`).
pub struct ParamsFromIter<I>(I);

pub fn params_from_iter<I>(iter: I) -> ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    ParamsFromIter(iter)
}

impl<I> Params for ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    fn with_values<R>(self, f: impl FnOnce(&[ToSqlOutput<'_>]) -> Result<R>) -> Result<R> {
        let items: Vec<I::Item> = self.0.into_iter().collect();
        f(&outputs(items.iter())?)
    }
}

/// `params![a, b, c]`: a slice of `&dyn ToSql` (rusqlite's macro). Import it as
/// `use crate::db::sql::params;`.
#[macro_export]
macro_rules! sql_params {
    () => {
        &[] as &[&dyn $crate::db::sql::ToSql]
    };
    ($($param:expr),+ $(,)?) => {
        &[$(&$param as &dyn $crate::db::sql::ToSql),+] as &[&dyn $crate::db::sql::ToSql]
    };
}
