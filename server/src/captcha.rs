//! ALTCHA-compatible proof of work (protocol v1): signed challenges and their verification. The
//! replay check (a challenge is good once) is done by the store, in the comment's transaction.

use std::io::Write;
use std::path::Path;

use base64::Engine;
use hmac::{Hmac, Mac};
use kiosque::model::comment::{altcha_hash, altcha_salt_expiry, hex, AltchaPayload, ALTCHA_ALGORITHM};
use serde_json::{json, Value};
use sha2::Sha256;

pub const SECRET_FILE: &str = "secret.key";
/// Long enough to solve on a slow phone, short enough that a stock of solved challenges goes stale.
pub const CHALLENGE_TTL_SECONDS: u64 = 600;
pub const SECRET_BYTES: usize = 32;
const SALT_BYTES: usize = 12;

type HmacSha256 = Hmac<Sha256>;

/// The server's HMAC key: random, generated on the first start, kept in `DATA/secret.key`.
pub struct Secret(Vec<u8>);

#[derive(Debug, PartialEq, Eq)]
pub enum CaptchaError {
    Malformed,
    Algorithm,
    Expired,
    WrongNumber,
    BadSignature,
}

impl CaptchaError {
    /// For the 403's `message`: says what failed, which helps developers and not bots (a bot
    /// that cannot produce a valid proof of work learns nothing useful from it).
    pub fn message(&self) -> &'static str {
        match self {
            CaptchaError::Malformed => "The proof-of-work token is not base64 of the expected JSON.",
            CaptchaError::Algorithm => "Only the SHA-256 algorithm is accepted.",
            CaptchaError::Expired => "The challenge has expired; fetch a new one.",
            CaptchaError::WrongNumber => "The number does not solve the challenge.",
            CaptchaError::BadSignature => "The challenge was not issued by this server.",
        }
    }
}

/// A verified challenge, still to be spent (see `store::NewRow::challenge`).
#[derive(Debug, PartialEq, Eq)]
pub struct Solved {
    pub challenge: String,
    pub expires: u64,
}

pub fn random_bytes(count: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = vec![0; count];
    getrandom::fill(&mut bytes).map_err(|error| std::io::Error::other(error.to_string()))?;
    Ok(bytes)
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| text.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok())).collect()
}

impl Secret {
    /// Reads the data directory's secret, creating it (mode 0600) on the first start.
    pub fn load_or_create(data_dir: &Path) -> std::io::Result<Secret> {
        let path = data_dir.join(SECRET_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => match decode_hex(text.trim()) {
                Some(bytes) if bytes.len() >= SECRET_BYTES => Ok(Secret(bytes)),
                _ => Err(std::io::Error::other(format!("{} is not {SECRET_BYTES} or more hex bytes", path.display()))),
            },
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let bytes = random_bytes(SECRET_BYTES)?;
                // Written aside then renamed, so a crash never leaves a half-written key behind.
                let partial = data_dir.join(format!("{SECRET_FILE}.partial"));
                let mut file = open_private(&partial)?;
                file.write_all(hex(&bytes).as_bytes())?;
                file.sync_all()?;
                std::fs::rename(&partial, &path)?;
                Ok(Secret(bytes))
            }
            Err(error) => Err(error),
        }
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Secret {
        Secret(bytes)
    }

    /// A key stored as hex (PostgreSQL's `settings`); `None` when it is not hex or too short.
    pub fn from_hex(text: &str) -> Option<Secret> {
        decode_hex(text.trim()).filter(|bytes| bytes.len() >= SECRET_BYTES).map(Secret)
    }

    fn mac(&self) -> HmacSha256 {
        // HMAC takes keys of any length, so this never fails; the fallback keeps the code total.
        HmacSha256::new_from_slice(&self.0).unwrap_or_else(|_| HmacSha256::new(&Default::default()))
    }

    pub fn sign(&self, challenge: &str) -> String {
        hex(&self.mac().chain_update(challenge.as_bytes()).finalize().into_bytes())
    }

    /// HMAC-SHA256 of `message` under this key, for values the server must derive again later
    /// (edit tokens); `message` starts with its purpose, so no two uses ever sign the same bytes.
    pub fn derive(&self, message: &[u8]) -> [u8; 32] {
        self.mac().chain_update(message).finalize().into_bytes().into()
    }

    fn signature_matches(&self, challenge: &str, signature: &str) -> bool {
        // verify_slice compares in constant time: no timing hints for forging a signature.
        decode_hex(signature).is_some_and(|bytes| self.mac().chain_update(challenge.as_bytes()).verify_slice(&bytes).is_ok())
    }

    /// A new challenge, `GET /api/captcha/challenge`'s body.
    pub fn challenge(&self, max_number: u64, now_seconds: u64) -> std::io::Result<Value> {
        let random = random_bytes(SALT_BYTES + 8)?;
        let (salt_bytes, number_bytes) = random.split_at(SALT_BYTES);
        let mut number_seed = [0u8; 8];
        number_seed.copy_from_slice(number_bytes);
        // The modulo's bias (under 1e-13 for any sensible maxnumber) does not matter for work.
        let number = u64::from_le_bytes(number_seed) % (max_number.saturating_add(1)).max(1);
        let salt = format!("{}?expires={}&", hex(salt_bytes), now_seconds + CHALLENGE_TTL_SECONDS);
        let challenge = altcha_hash(&salt, number);
        Ok(json!({
            "algorithm": ALTCHA_ALGORITHM,
            "challenge": challenge,
            "maxnumber": max_number,
            "salt": salt,
            "signature": self.sign(&challenge),
        }))
    }

    /// Checks a `pow` token: base64 of the ALTCHA payload JSON.
    pub fn verify(&self, token: &str, now_seconds: u64) -> Result<Solved, CaptchaError> {
        let json = base64::engine::general_purpose::STANDARD
            .decode(token.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or(CaptchaError::Malformed)?;
        let payload = AltchaPayload::from_json(&json).ok_or(CaptchaError::Malformed)?;
        if payload.algorithm != ALTCHA_ALGORITHM {
            return Err(CaptchaError::Algorithm);
        }
        let expires = altcha_salt_expiry(&payload.salt).ok_or(CaptchaError::Malformed)?;
        if expires <= now_seconds {
            return Err(CaptchaError::Expired);
        }
        if altcha_hash(&payload.salt, payload.number) != payload.challenge {
            return Err(CaptchaError::WrongNumber);
        }
        if !self.signature_matches(&payload.challenge, &payload.signature) {
            return Err(CaptchaError::BadSignature);
        }
        Ok(Solved { challenge: payload.challenge, expires })
    }
}

#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().write(true).create(true).truncate(true).open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/api.md's vector, computed with Python's hmac module.
    #[test]
    fn signature_matches_the_documented_vector() {
        let secret = Secret::from_bytes(b"kiosque-test-secret".to_vec());
        let challenge = "de90e4e4edfb76c9b2405ebbbd9e4ab5c893e83dd17ae2f723cbd03ea7d702f4";
        assert_eq!(secret.sign(challenge), "84eb93858a01c847176b80d18c9daa23f79403210b6dcccd3c63fedfe1f5d200");
        assert!(secret.signature_matches(challenge, &secret.sign(challenge)));
        assert!(!secret.signature_matches(challenge, "84eb"));
        assert!(!secret.signature_matches(challenge, "zz"));
    }

    #[test]
    fn hex_decoding() {
        assert_eq!(decode_hex("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(decode_hex("0"), None);
        assert_eq!(decode_hex("é0"), None);
        assert_eq!(decode_hex("gg"), None);
    }
}
