//! PostgreSQL's `COPY ... FROM STDIN` for bulk loads (the resident import's fast path): rows
//! encoded as CSV by the same rules that bind parameters (every value as its text, NULL as an
//! unquoted empty field), sent in one round trip. SQLite has no COPY: a bulk load there goes
//! through its own statements.

use super::types::{ToSql, ValueRef};
use super::{Connection, Error, Inner, Result};

impl Connection {
    /// Runs `sql` (`COPY table (columns) FROM STDIN (FORMAT csv)`) with `data`, rows written by
    /// [`copy_csv_row`]; the number of rows the server took. PostgreSQL only.
    pub fn copy_in(&self, sql: &str, data: &[u8]) -> Result<u64> {
        match &self.inner {
            Inner::Postgres(pg) => pg.copy_in(sql, data),
            Inner::Sqlite(_) => Err(Error::ToSqlConversionFailure(
                "COPY is PostgreSQL's; SQLite has none".into(),
            )),
        }
    }
}

/// Appends one row of `values` to `out` in COPY's CSV format: every non-NULL value quoted
/// (so an empty text stays empty and `\.` is never a line of its own), NULL as nothing.
/// Refuses what a parameter refuses too (a NUL in text) and blobs (bytea is not needed).
pub fn copy_csv_row(out: &mut Vec<u8>, values: &[&dyn ToSql]) -> Result<()> {
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let value = value.to_sql()?;
        match value.value_ref() {
            ValueRef::Null => {}
            ValueRef::Integer(n) => {
                out.push(b'"');
                out.extend_from_slice(n.to_string().as_bytes());
                out.push(b'"');
            }
            ValueRef::Real(r) => {
                out.push(b'"');
                out.extend_from_slice(r.to_string().as_bytes());
                out.push(b'"');
            }
            ValueRef::Text(t) => {
                if t.contains(&0) {
                    return Err(Error::ToSqlConversionFailure(
                        "text holds a NUL character, which PostgreSQL refuses".into(),
                    ));
                }
                out.push(b'"');
                for &b in t {
                    if b == b'"' {
                        out.push(b'"');
                    }
                    out.push(b);
                }
                out.push(b'"');
            }
            ValueRef::Blob(_) => {
                return Err(Error::ToSqlConversionFailure(
                    "a blob cannot be copied as text".into(),
                ));
            }
        }
    }
    out.push(b'\n');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::sql::types::Null;

    #[test]
    fn rows_are_quoted_csv_with_null_as_nothing() {
        let mut out = Vec::new();
        let text = "Jl. \"Raya\",\nNo. 5";
        let empty = "";
        copy_csv_row(&mut out, &[&7i64, &text, &empty, &Null, &true, &2.5f64]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"7\",\"Jl. \"\"Raya\"\",\nNo. 5\",\"\",,\"1\",\"2.5\"\n"
        );
        let nul = "a\0b";
        assert!(copy_csv_row(&mut Vec::new(), &[&nul]).is_err());
    }
}
