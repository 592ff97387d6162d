//! Roles and what each may do (petugas, supervisor, admin). Checked where a change is made, in
//! the db layer, not only by hiding keys in the UI. Pure: no I/O.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Peran operator. The code (`clerk`, `supervisor`, `admin`) is what `operator.role` stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "lowercase")]
pub enum Role {
    /// Petugas loket: search, register, edit residents, enroll, withdraw, submit coverage.
    Clerk,
    /// Also cohorts, completion, coverage activation, exports, dashboard, reference data, settings.
    Supervisor,
    /// Also operators.
    Admin,
}

impl Role {
    /// The stored code.
    pub fn code(self) -> &'static str {
        self.into()
    }
    /// Reads what an operator types: the code, any case, or `petugas`.
    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "clerk" | "petugas" => Some(Role::Clerk),
            "supervisor" => Some(Role::Supervisor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// Something an operator may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    SearchResidents,
    EditResidents,
    Enroll,
    Withdraw,
    SubmitCoverage,
    ManageCohorts,
    RecordAttendance,
    CompleteCohorts,
    ActivateCoverage,
    Export,
    ViewDashboard,
    ImportResidents,
    ManageReference,
    ManageSettings,
    ViewAudit,
    Backup,
    ManageOperators,
    /// Bukti pendaftaran (issue 17).
    PrintReceipt,
    /// Daftar hadir, sertifikat and the BPJS list on paper (issue 17).
    PrintCohortPapers,
    /// Replacing the database (a restore, a demo over a production database): admins only,
    /// since a restored file brings its own operators and roles (issue 14.15).
    Restore,
}

impl Permission {
    /// The least role that holds this permission; roles are ordered clerk < supervisor < admin.
    pub fn least_role(self) -> Role {
        use Permission::*;
        match self {
            SearchResidents | EditResidents | Enroll | Withdraw | SubmitCoverage
            | RecordAttendance | PrintReceipt => Role::Clerk,
            ManageCohorts | CompleteCohorts | ActivateCoverage | Export | ViewDashboard
            | ImportResidents | ManageReference | ManageSettings | ViewAudit | Backup
            | PrintCohortPapers => Role::Supervisor,
            ManageOperators | Restore => Role::Admin,
        }
    }
}

fn rank(role: Role) -> u8 {
    match role {
        Role::Clerk => 0,
        Role::Supervisor => 1,
        Role::Admin => 2,
    }
}

/// Whether `role` may do `permission`.
pub fn allows(role: Role, permission: Permission) -> bool {
    rank(role) >= rank(permission.least_role())
}

/// The operator on whose behalf a change is made (a logged-in clerk, or `--as NAME` headless).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

/// An operator asked for something their role does not hold (told by `ui::text::auth`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("operator {operator} ({role:?}) may not {permission:?}")]
pub struct AccessDenied {
    pub operator: String,
    pub role: Role,
    pub permission: Permission,
}

impl Actor {
    /// Refuses with `AccessDenied` unless this operator's role holds `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), AccessDenied> {
        if allows(self.role, permission) {
            Ok(())
        } else {
            Err(AccessDenied {
                operator: self.name.clone(),
                role: self.role,
                permission,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_cumulative() {
        for (role, perm, ok) in [
            (Role::Clerk, Permission::Enroll, true),
            (Role::Clerk, Permission::SubmitCoverage, true),
            (Role::Clerk, Permission::ActivateCoverage, false),
            (Role::Clerk, Permission::ManageCohorts, false),
            (Role::Clerk, Permission::Export, false),
            (Role::Supervisor, Permission::Export, true),
            (Role::Supervisor, Permission::Enroll, true),
            (Role::Supervisor, Permission::ManageOperators, false),
            (Role::Admin, Permission::ManageOperators, true),
        ] {
            assert_eq!(allows(role, perm), ok, "{role:?} {perm:?}");
        }
    }

    #[test]
    fn require_names_the_refusal() {
        let clerk = Actor {
            id: 2,
            name: "sari".into(),
            role: Role::Clerk,
        };
        let err = clerk.require(Permission::ManageSettings).unwrap_err();
        assert_eq!(err.operator, "sari");
        assert_eq!(err.permission, Permission::ManageSettings);
    }
}
