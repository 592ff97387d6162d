//! Stored codes as enums: every code column (a status, a role, an audit action) is written from
//! its enum and read back into it through rusqlite's `ToSql`/`FromSql`. The code is the enum's
//! strum name; a stored value that no variant names is an error that names it
//! ([`DbError::UnknownCode`](super::DbError::UnknownCode)), never a silent default.

use std::fmt;

/// Which kind of code a column holds: named by [`UnknownCode`] so the clerk is told which
/// column of the database holds a value this build does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeKind {
    CohortStatus,
    EnrollmentStatus,
    CoverageStatus,
    Outcome,
    Followup,
    AttendanceStatus,
    Funding,
    Role,
    AuditAction,
    AuditEntity,
    WorkingWeek,
    HolidayCategory,
    LocationKind,
    Sex,
    Employment,
}

/// A stored value that is not one of its column's codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    pub kind: CodeKind,
    pub value: String,
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {:?} code '{}'", self.kind, self.value)
    }
}

impl std::error::Error for UnknownCode {}

/// `ToSql` and `FromSql` for code enums that derive strum's `IntoStaticStr` and `EnumString`:
/// `sql_code!(CohortStatus => CodeKind::CohortStatus, ...)`. Reading is strict (the exact
/// code, no aliases); an unknown value fails the row with an [`UnknownCode`].
macro_rules! sql_code {
    ($($ty:ty => $kind:expr),+ $(,)?) => {$(
        impl $crate::db::sql::types::ToSql for $ty {
            fn to_sql(&self) -> $crate::db::sql::Result<$crate::db::sql::types::ToSqlOutput<'_>> {
                let code: &'static str = (*self).into();
                Ok($crate::db::sql::types::ToSqlOutput::from(code))
            }
        }

        impl $crate::db::sql::types::FromSql for $ty {
            fn column_result(
                value: $crate::db::sql::types::ValueRef<'_>,
            ) -> $crate::db::sql::types::FromSqlResult<Self> {
                let text = value.as_str()?;
                text.parse().map_err(|_| {
                    $crate::db::sql::types::FromSqlError::Other(Box::new($crate::db::codes::UnknownCode {
                        kind: $kind,
                        value: text.to_string(),
                    }))
                })
            }
        }
    )+};
}

// Modules may also implement their own codes beside their table.
#[allow(unused_imports)]
pub(crate) use sql_code;

use crate::domain::access::Role;
use crate::domain::attendance::AttendanceStatus;
use crate::domain::calendar::HolidayCategory;
use crate::domain::cohort::{CohortStatus, Funding, LocationKind};
use crate::domain::coverage::CoverageStatus;
use crate::domain::enrollment::{EnrollmentStatus, Followup, Outcome};

sql_code!(
    Role => CodeKind::Role,
    CohortStatus => CodeKind::CohortStatus,
    EnrollmentStatus => CodeKind::EnrollmentStatus,
    CoverageStatus => CodeKind::CoverageStatus,
    Outcome => CodeKind::Outcome,
    Followup => CodeKind::Followup,
    AttendanceStatus => CodeKind::AttendanceStatus,
    Funding => CodeKind::Funding,
    LocationKind => CodeKind::LocationKind,
    HolidayCategory => CodeKind::HolidayCategory,
);

#[cfg(test)]
mod tests {
    use crate::db::sql::Connection;

    use super::*;
    use crate::db::DbError;

    #[test]
    fn codes_round_trip_and_unknown_values_are_named() {
        let conn = Connection::open_in_memory().unwrap();
        let back: Role = conn
            .query_row("SELECT ?1", [Role::Supervisor], |r| r.get(0))
            .unwrap();
        assert_eq!(back, Role::Supervisor);
        let err: DbError = conn
            .query_row("SELECT 'kepala'", [], |r| r.get::<_, Role>(0))
            .unwrap_err()
            .into();
        assert!(
            matches!(&err, DbError::UnknownCode { kind: CodeKind::Role, value } if value == "kepala"),
            "{err:?}"
        );
    }
}
