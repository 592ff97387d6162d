//! Password policy (kata sandi operator): what a new password must satisfy before it is hashed.
//! Pure rules only: hashing and verifying live in `db::auth`, which needs randomness for salts.

use thiserror::Error;

/// Shortest password accepted. Eight characters is the floor NIST SP 800-63B sets for passwords
/// a person chooses; a front-desk PC has no second factor, so the floor is not lowered.
pub const MIN_LENGTH: usize = 8;
/// Longest password accepted (argon2 would take more, but a longer one is a paste accident).
pub const MAX_LENGTH: usize = 128;

/// Why a new password is refused (told by `ui::text::auth`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PasswordError {
    #[error("password shorter than {min} characters")]
    TooShort { min: usize },
    #[error("password longer than {max} characters")]
    TooLong { max: usize },
    #[error("password starts or ends with a space")]
    EdgeWhitespace,
    #[error("password equals the operator's name")]
    SameAsName,
    #[error("the two passwords differ")]
    Mismatch,
}

/// Checks a new password for operator `name` against the policy.
pub fn check_policy(name: &str, password: &str) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_LENGTH {
        return Err(PasswordError::TooShort { min: MIN_LENGTH });
    }
    if chars > MAX_LENGTH {
        return Err(PasswordError::TooLong { max: MAX_LENGTH });
    }
    if password.trim() != password {
        return Err(PasswordError::EdgeWhitespace);
    }
    if password.eq_ignore_ascii_case(name.trim()) {
        return Err(PasswordError::SameAsName);
    }
    Ok(())
}

/// Checks a password typed twice: the two must agree, then the policy applies.
pub fn check_confirmed(name: &str, first: &str, second: &str) -> Result<(), PasswordError> {
    if first != second {
        return Err(PasswordError::Mismatch);
    }
    check_policy(name, first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_table() {
        for (name, pw, expected) in [
            ("sari", "", Err(PasswordError::TooShort { min: MIN_LENGTH })),
            (
                "sari",
                "1234567",
                Err(PasswordError::TooShort { min: MIN_LENGTH }),
            ),
            ("sari", "12345678", Ok(())),
            ("sari", " 12345678", Err(PasswordError::EdgeWhitespace)),
            ("sari", "12345678 ", Err(PasswordError::EdgeWhitespace)),
            ("wulandari", "Wulandari", Err(PasswordError::SameAsName)),
            ("sari", "kata sandi panjang", Ok(())),
            (
                "sari",
                &"x".repeat(MAX_LENGTH + 1),
                Err(PasswordError::TooLong { max: MAX_LENGTH }),
            ),
            // characters, not bytes: six two-byte letters are still too short
            (
                "sari",
                "éééééé",
                Err(PasswordError::TooShort { min: MIN_LENGTH }),
            ),
        ] {
            assert_eq!(check_policy(name, pw), expected, "{name:?} {pw:?}");
        }
    }

    #[test]
    fn confirmation_must_match() {
        assert_eq!(
            check_confirmed("sari", "rahasia123", "rahasia124"),
            Err(PasswordError::Mismatch)
        );
        assert_eq!(check_confirmed("sari", "rahasia123", "rahasia123"), Ok(()));
    }
}
