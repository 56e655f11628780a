//! The newsroom's accounts: roles, argon2id password hashes, and the random tokens of sessions.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};

use crate::captcha::random_bytes;
use kiosque::model::comment::hex;

/// Shorter passwords are refused: a newsroom account publishes and erases readers' words.
pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 1000;
const MAX_NAME_CHARS: usize = 64;
/// Session tokens and CSRF tokens: 256 random bits.
const TOKEN_BYTES: usize = 32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Role {
    /// Moderates comments and manages accounts, reads the audit trail, answers readers' data requests.
    Admin,
    /// Moderates comments.
    Moderator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Moderator => "moderator",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "admin" => Some(Role::Admin),
            "moderator" => Some(Role::Moderator),
            _ => None,
        }
    }
}

/// Letters, digits, `.`, `_`, `-` and `@`: a name that shows plainly in the audit trail.
pub fn check_name(name: &str) -> Result<(), String> {
    let fine = !name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if fine {
        Ok(())
    } else {
        Err(format!("an account name has 1 to {MAX_NAME_CHARS} letters, digits, '.', '_', '-' or '@'"))
    }
}

pub fn check_password(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err(format!("the password is too short: {MIN_PASSWORD_CHARS} characters at least"));
    }
    if length > MAX_PASSWORD_CHARS {
        return Err(format!("the password is too long: {MAX_PASSWORD_CHARS} characters at most"));
    }
    Ok(())
}

/// An argon2id PHC string (the crate's recommended parameters), with a random salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt_bytes = random_bytes(16).map_err(|error| format!("no randomness for the salt: {error}"))?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|error| error.to_string())?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string()).map_err(|error| error.to_string())
}

/// Whether `password` matches `hash`; a malformed hash matches nothing.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash no password was ever given for, checked when the account does not exist, so that an
/// unknown name costs the same time as a wrong password and timing does not tell them apart.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy: no account has this password").unwrap_or_default())
}

/// A new random token, hex.
pub fn new_token() -> Result<String, String> {
    random_bytes(TOKEN_BYTES).map(|bytes| hex(&bytes)).map_err(|error| format!("no randomness for a token: {error}"))
}

/// What the database keeps of a session token: its SHA-256, so a copy of the database signs no one in.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Compares secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_salted() {
        let first = hash_password("correct horse battery").expect("hash");
        let second = hash_password("correct horse battery").expect("hash");
        assert!(first.starts_with("$argon2id$"), "{first}");
        assert_ne!(first, second);
        assert!(verify_password(&first, "correct horse battery"));
        assert!(!verify_password(&first, "correct horse batterY"));
        assert!(!verify_password("not a hash", "anything"));
        assert!(!verify_password(decoy_hash(), ""));
    }

    #[test]
    fn names_passwords_and_tokens() {
        assert!(check_name("awa.ndiaye").is_ok() && check_name("Aïssatou").is_ok());
        assert!(check_name("").is_err() && check_name("a b").is_err() && check_name("a;b").is_err());
        assert!(check_password("short").is_err() && check_password("long enough, really").is_ok());
        let token = new_token().expect("token");
        assert_eq!(token.len(), 64);
        assert_ne!(token, new_token().expect("token"));
        assert_eq!(token_hash("abc").len(), 64);
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd") && !same_secret("abc", "ab"));
    }
}
