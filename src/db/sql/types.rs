//! Values crossing the seam, shaped as rusqlite's `types` module: `Value` (owned), `ValueRef`
//! (borrowed), `ToSqlOutput`, `Null`, and the `ToSql`/`FromSql` traits with rusqlite's method
//! names (`to_sql`, `column_result`), so a domain type's impl converts by changing its `use`.
//! Both stores see only these five storage classes; dates travel as ISO text, booleans as 0/1,
//! as loket already stores them in SQLite. Never knows which store it talks to.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};

/// The storage class of a value (for error messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Null,
    Integer,
    Real,
    Text,
    Blob,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::Null => "Null",
            Type::Integer => "Integer",
            Type::Real => "Real",
            Type::Text => "Text",
            Type::Blob => "Blob",
        })
    }
}

/// An owned value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// A borrowed value: what a row hands to `FromSql` and what a parameter binds. Text is bytes
/// (UTF-8 checked by `as_str`), as in rusqlite, so `ValueRef::Text(code.as_bytes())` converts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a [u8]),
    Blob(&'a [u8]),
}

impl ValueRef<'_> {
    pub fn data_type(&self) -> Type {
        match self {
            ValueRef::Null => Type::Null,
            ValueRef::Integer(_) => Type::Integer,
            ValueRef::Real(_) => Type::Real,
            ValueRef::Text(_) => Type::Text,
            ValueRef::Blob(_) => Type::Blob,
        }
    }

    pub fn as_str(&self) -> FromSqlResult<&str> {
        match self {
            ValueRef::Text(t) => {
                std::str::from_utf8(t).map_err(|e| FromSqlError::Other(Box::new(e)))
            }
            _ => Err(FromSqlError::InvalidType),
        }
    }

    pub fn as_i64(&self) -> FromSqlResult<i64> {
        match self {
            ValueRef::Integer(i) => Ok(*i),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

impl Value {
    pub fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(r) => ValueRef::Real(*r),
            Value::Text(t) => ValueRef::Text(t.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }
    }
}

impl From<ValueRef<'_>> for Value {
    fn from(v: ValueRef<'_>) -> Value {
        match v {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(r) => Value::Real(r),
            ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        }
    }
}

/// SQL NULL, as a parameter (`ToSqlOutput::from(Null)`).
#[derive(Debug, Clone, Copy)]
pub struct Null;

macro_rules! value_from {
    ($($t:ty => $variant:ident),*) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Value { Value::$variant(v.into()) }
        }
    )*};
}
value_from!(i64 => Integer, i32 => Integer, u32 => Integer, u16 => Integer, u8 => Integer,
    f64 => Real, String => Text, &str => Text, Vec<u8> => Blob);

impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Integer(v.into())
    }
}

impl From<Null> for Value {
    fn from(_: Null) -> Value {
        Value::Null
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

/// What `ToSql::to_sql` returns: a borrowed value (no copy for text and blobs) or an owned one.
#[derive(Debug, Clone, PartialEq)]
pub enum ToSqlOutput<'a> {
    Borrowed(ValueRef<'a>),
    Owned(Value),
}

impl ToSqlOutput<'_> {
    pub fn value_ref(&self) -> ValueRef<'_> {
        match self {
            ToSqlOutput::Borrowed(v) => *v,
            ToSqlOutput::Owned(v) => v.as_ref(),
        }
    }
}

impl<'a> From<ValueRef<'a>> for ToSqlOutput<'a> {
    fn from(v: ValueRef<'a>) -> Self {
        ToSqlOutput::Borrowed(v)
    }
}

impl<'a> From<&'a str> for ToSqlOutput<'a> {
    fn from(v: &'a str) -> Self {
        ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes()))
    }
}

impl<'a> From<&'a [u8]> for ToSqlOutput<'a> {
    fn from(v: &'a [u8]) -> Self {
        ToSqlOutput::Borrowed(ValueRef::Blob(v))
    }
}

macro_rules! output_from {
    ($($t:ty),*) => {$(
        impl From<$t> for ToSqlOutput<'_> {
            fn from(v: $t) -> Self { ToSqlOutput::Owned(v.into()) }
        }
    )*};
}
output_from!(
    Value,
    Null,
    i64,
    i32,
    u32,
    u16,
    u8,
    bool,
    f64,
    String,
    Vec<u8>
);

/// A value that can be bound as a parameter (rusqlite's `ToSql`, over our `Value`).
pub trait ToSql {
    fn to_sql(&self) -> super::Result<ToSqlOutput<'_>>;
}

/// Why a column could not become the asked type.
#[derive(Debug)]
pub enum FromSqlError {
    /// The stored class does not fit the type (text asked as an integer, ...).
    InvalidType,
    /// An integer outside the asked type's range.
    OutOfRange(i64),
    Other(Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl fmt::Display for FromSqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FromSqlError::InvalidType => f.write_str("invalid type"),
            FromSqlError::OutOfRange(i) => write!(f, "value {i} out of range"),
            FromSqlError::Other(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for FromSqlError {}

pub type FromSqlResult<T> = Result<T, FromSqlError>;

/// A type a column can be read as (rusqlite's `FromSql`, over our `ValueRef`).
pub trait FromSql: Sized {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self>;
}

// ---- ToSql impls ----

impl<T: ToSql + ?Sized> ToSql for &T {
    fn to_sql(&self) -> super::Result<ToSqlOutput<'_>> {
        (**self).to_sql()
    }
}

impl<T: ToSql + ?Sized> ToSql for Box<T> {
    fn to_sql(&self) -> super::Result<ToSqlOutput<'_>> {
        (**self).to_sql()
    }
}

impl<T: ToSql> ToSql for Option<T> {
    fn to_sql(&self) -> super::Result<ToSqlOutput<'_>> {
        match self {
            Some(v) => v.to_sql(),
            None => Ok(ToSqlOutput::Borrowed(ValueRef::Null)),
        }
    }
}

impl ToSql for Null {
    fn to_sql(&self) -> super::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Null))
    }
}

impl ToSql for Value {
    fn to_sql(&self) -> super::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(self.as_ref()))
    }
}

impl ToSql for ValueRef<'_> {
    fn to_sql(&self) -> super::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(*self))
    }
}

impl ToSql for ToSqlOutput<'_> {
    fn to_sql(&self) -> super::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(self.value_ref()))
    }
}

impl ToSql for str {
    fn to_sql(&self) -> super::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(self.as_bytes())))
    }
}

impl ToSql for String {
    fn to_sql(&self) -> super::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(self.as_bytes())))
    }
}

impl ToSql for [u8] {
    fn to_sql(&self) -> super::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Blob(self)))
    }
}

impl ToSql for Vec<u8> {
    fn to_sql(&self) -> super::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Blob(self)))
    }
}

macro_rules! to_sql_integer {
    ($($t:ty),*) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> super::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(*self))))
            }
        }
    )*};
}
to_sql_integer!(i64, i32, i16, i8, u32, u16, u8, bool);

macro_rules! to_sql_wide_integer {
    ($($t:ty),*) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> super::Result<ToSqlOutput<'_>> {
                i64::try_from(*self)
                    .map(|i| ToSqlOutput::Borrowed(ValueRef::Integer(i)))
                    .map_err(|e| super::Error::ToSqlConversionFailure(Box::new(e)))
            }
        }
    )*};
}
to_sql_wide_integer!(u64, usize);

impl ToSql for f64 {
    fn to_sql(&self) -> super::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Real(*self)))
    }
}

impl ToSql for f32 {
    fn to_sql(&self) -> super::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Real((*self).into())))
    }
}

/// `YYYY-MM-DD`, as rusqlite's chrono feature writes it (a PostgreSQL `date` parses it).
impl ToSql for NaiveDate {
    fn to_sql(&self) -> super::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Owned(Value::Text(
            self.format("%Y-%m-%d").to_string(),
        )))
    }
}

/// `YYYY-MM-DD HH:MM:SS[.fff]`, as rusqlite's chrono feature writes it.
impl ToSql for NaiveDateTime {
    fn to_sql(&self) -> super::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Owned(Value::Text(
            self.format("%Y-%m-%d %H:%M:%S%.f").to_string(),
        )))
    }
}

// ---- FromSql impls ----

impl FromSql for i64 {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value.as_i64()
    }
}

macro_rules! from_sql_integer {
    ($($t:ty),*) => {$(
        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let i = value.as_i64()?;
                <$t>::try_from(i).map_err(|_| FromSqlError::OutOfRange(i))
            }
        }
    )*};
}
from_sql_integer!(i32, i16, i8, u64, u32, u16, u8, usize);

/// Any integer but 0 is true (PostgreSQL booleans arrive as 0/1).
impl FromSql for bool {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Ok(value.as_i64()? != 0)
    }
}

/// Integers widen to reals, as in rusqlite.
impl FromSql for f64 {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Integer(i) => Ok(i as f64),
            ValueRef::Real(r) => Ok(r),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

impl FromSql for String {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value.as_str().map(str::to_string)
    }
}

impl FromSql for Vec<u8> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Blob(b) => Ok(b.to_vec()),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

impl FromSql for Value {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Ok(value.into())
    }
}

impl<T: FromSql> FromSql for Option<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Null => Ok(None),
            v => T::column_result(v).map(Some),
        }
    }
}

impl FromSql for NaiveDate {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        NaiveDate::parse_from_str(value.as_str()?, "%Y-%m-%d")
            .map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

/// Accepts a space or a `T` between date and time, with or without fractions of a second.
impl FromSql for NaiveDateTime {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        let format = if text.as_bytes().get(10) == Some(&b'T') {
            "%Y-%m-%dT%H:%M:%S%.f"
        } else {
            "%Y-%m-%d %H:%M:%S%.f"
        };
        NaiveDateTime::parse_from_str(text, format).map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T: FromSql>(v: ValueRef<'_>) -> FromSqlResult<T> {
        T::column_result(v)
    }

    #[test]
    fn integers_check_their_range() {
        assert_eq!(read::<u8>(ValueRef::Integer(255)).ok(), Some(255));
        assert!(matches!(
            read::<u8>(ValueRef::Integer(256)),
            Err(FromSqlError::OutOfRange(256))
        ));
        assert!(matches!(
            read::<u32>(ValueRef::Integer(-1)),
            Err(FromSqlError::OutOfRange(-1))
        ));
        assert!(matches!(
            read::<i64>(ValueRef::Text(b"1")),
            Err(FromSqlError::InvalidType)
        ));
    }

    #[test]
    fn dates_read_both_separators() {
        let at = NaiveDate::from_ymd_opt(2026, 1, 5).and_then(|d| d.and_hms_opt(8, 30, 0));
        assert_eq!(
            read::<NaiveDateTime>(ValueRef::Text(b"2026-01-05 08:30:00")).ok(),
            at
        );
        assert_eq!(
            read::<NaiveDateTime>(ValueRef::Text(b"2026-01-05T08:30:00.000")).ok(),
            at
        );
        assert!(read::<NaiveDate>(ValueRef::Text(b"05/01/2026")).is_err());
    }

    #[test]
    fn options_and_reals() {
        assert_eq!(read::<Option<String>>(ValueRef::Null).ok(), Some(None));
        assert_eq!(read::<f64>(ValueRef::Integer(3)).ok(), Some(3.0));
        assert_eq!(read::<bool>(ValueRef::Integer(1)).ok(), Some(true));
        assert!(read::<String>(ValueRef::Integer(1)).is_err());
    }
}
