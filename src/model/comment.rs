//! The rules of a new comment, shared by the widget's form and the reference server so that both
//! check exactly the same thing (`docs/api.md`, "POST /api/articles/{id}/comments"), and the pure
//! parts of the two captcha kinds: the stub token and ALTCHA's proof-of-work hashing.

use std::fmt;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::json_write::JsonObject;
use super::links::safe_href;
use super::Milli;

/// Limits in Unicode characters (what a reader counts), not bytes.
pub const MAX_TEXT_CHARS: usize = 5000;
pub const MAX_NAME_CHARS: usize = 100;
/// RFC 5321's limit on a forward path, the longest address that can receive mail.
pub const MAX_EMAIL_CHARS: usize = 254;
pub const MAX_URL_CHARS: usize = 2000;
/// RFC 5321's limit on the part before the `@`.
const MAX_EMAIL_LOCAL_CHARS: usize = 64;
/// RFC 1035's limit on one label of a domain name.
const MAX_DOMAIN_LABEL_CHARS: usize = 63;

/// The fields a reader fills in, named as in the API's request body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    AuthorName,
    AuthorEmail,
    AuthorUrl,
    Text,
}

impl Field {
    /// The request body's key, also the key of the `fields` map of a 422 answer.
    pub fn name(self) -> &'static str {
        match self {
            Field::AuthorName => "author_name",
            Field::AuthorEmail => "author_email",
            Field::AuthorUrl => "author_url",
            Field::Text => "text",
        }
    }

    pub fn max_chars(self) -> usize {
        match self {
            Field::AuthorName => MAX_NAME_CHARS,
            Field::AuthorEmail => MAX_EMAIL_CHARS,
            Field::AuthorUrl => MAX_URL_CHARS,
            Field::Text => MAX_TEXT_CHARS,
        }
    }
}

/// Why a field was refused; the string forms are part of the API and never change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// Missing, empty, or only whitespace.
    Required,
    TooLong,
    InvalidEmail,
    InvalidUrl,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Required => "required",
            Code::TooLong => "too_long",
            Code::InvalidEmail => "invalid_email",
            Code::InvalidUrl => "invalid_url",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a comment needs an email address; a site chooses (`--email required|optional`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EmailPolicy {
    #[default]
    Required,
    Optional,
}

/// What the reader typed, as sent: nothing trimmed or checked yet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewComment {
    pub author_name: String,
    pub author_email: Option<String>,
    pub author_url: Option<String>,
    pub text: String,
}

/// A comment that passed [`validate`]: trimmed, with empty optional fields as `None` and the URL in
/// the form a browser reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidComment {
    pub author_name: String,
    pub author_email: Option<String>,
    pub author_url: Option<String>,
    pub text: String,
}

/// Every refused field and why, in the order of [`Field`]. A list rather than a map: there are
/// four fields, and each map type costs kilobytes of wasm.
pub type FieldErrors = Vec<(Field, Code)>;

/// Checks every field and reports every broken one at once, so a form can mark them all.
pub fn validate(input: &NewComment, email_policy: EmailPolicy) -> Result<ValidComment, FieldErrors> {
    let mut errors = FieldErrors::new();
    let author_name = required(Field::AuthorName, &input.author_name, &mut errors);

    let author_email = match present(input.author_email.as_deref()) {
        None => {
            if email_policy == EmailPolicy::Required {
                errors.push((Field::AuthorEmail, Code::Required));
            }
            None
        }
        Some(email) if too_long(Field::AuthorEmail, email) => {
            errors.push((Field::AuthorEmail, Code::TooLong));
            None
        }
        Some(email) if !is_email(email) => {
            errors.push((Field::AuthorEmail, Code::InvalidEmail));
            None
        }
        Some(email) => Some(email.to_string()),
    };

    let author_url = match present(input.author_url.as_deref()) {
        None => None,
        Some(url) if too_long(Field::AuthorUrl, url) => {
            errors.push((Field::AuthorUrl, Code::TooLong));
            None
        }
        Some(url) => match web_address(url) {
            Some(url) => Some(url),
            None => {
                errors.push((Field::AuthorUrl, Code::InvalidUrl));
                None
            }
        },
    };

    let text = required(Field::Text, &input.text, &mut errors);
    match (author_name, text) {
        (Some(author_name), Some(text)) if errors.is_empty() => {
            Ok(ValidComment { author_name, author_email, author_url, text })
        }
        _ => Err(errors),
    }
}

/// The value trimmed, or `None` when nothing but whitespace is left.
fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|value| !value.is_empty())
}

fn too_long(field: Field, value: &str) -> bool {
    value.chars().count() > field.max_chars()
}

fn required(field: Field, value: &str, errors: &mut FieldErrors) -> Option<String> {
    match present(Some(value)) {
        None => {
            errors.push((field, Code::Required));
            None
        }
        Some(value) if too_long(field, value) => {
            errors.push((field, Code::TooLong));
            None
        }
        Some(value) => Some(value.to_string()),
    }
}

/// `local@domain.tld`: deliberately loose (mail servers accept far more than any pattern allows),
/// but enough to catch a name typed into the wrong field or a missing domain.
pub fn is_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else { return false };
    let local_ok = !local.is_empty()
        && local.chars().count() <= MAX_EMAIL_LOCAL_CHARS
        && local.chars().all(|c| !c.is_whitespace() && !c.is_control() && !"@<>()[]\\,;:\"".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.chars().count() <= MAX_DOMAIN_LABEL_CHARS
                && !label.starts_with('-')
                && !label.ends_with('-')
                // Letters of any script, for internationalized domain names.
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

/// An absolute http(s) URL with a host, as a browser reads it (see `links`), or `None`.
pub fn web_address(raw: &str) -> Option<String> {
    let url = safe_href(raw)?.url;
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host_ok = !host.is_empty() && !host.starts_with(':');
    (host_ok && !url.chars().any(char::is_whitespace)).then_some(url)
}

/// A score from 0 to 1, as `data-captcha-score` and a stub token write it ("0.9").
pub fn parse_score(text: &str) -> Option<Milli> {
    Milli::parse(text).filter(|score| *score <= Milli(1000))
}

/// The score from which the stub captcha lets a comment through, like a score-based captcha's.
pub const STUB_SCORE_THRESHOLD: Milli = Milli(500);
/// The longest `<random>` part of a stub token.
const STUB_RANDOM_MAX_CHARS: usize = 64;

/// The stub captcha's token, `stub:<timestamp ms>:<random>:<score>` (`docs/api.md`).
#[derive(Clone, Debug, PartialEq)]
pub struct StubToken {
    pub timestamp_ms: u64,
    pub random: String,
    /// From 0 to 1, like the score of a score-based captcha.
    pub score: Milli,
}

impl StubToken {
    pub fn parse(token: &str) -> Option<StubToken> {
        let mut parts = token.split(':');
        let (Some("stub"), Some(timestamp), Some(random), Some(score), None) =
            (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        let random_ok = !random.is_empty()
            && random.len() <= STUB_RANDOM_MAX_CHARS
            && random.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !digits(timestamp) || !random_ok {
            return None;
        }
        let score = parse_score(score)?;
        Some(StubToken { timestamp_ms: timestamp.parse().ok()?, random: random.to_string(), score })
    }

    pub fn passes(&self) -> bool {
        self.score >= STUB_SCORE_THRESHOLD
    }
}

impl fmt::Display for StubToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stub:{}:{}:{}", self.timestamp_ms, self.random, self.score)
    }
}

/// The only hashing algorithm of ALTCHA protocol v1 that Kiosque uses.
pub const ALTCHA_ALGORITHM: &str = "SHA-256";

/// One try of ALTCHA's proof of work: hex(SHA-256(salt + decimal number)).
pub fn altcha_hash(salt: &str, number: u64) -> String {
    let digest = Sha256::new().chain_update(salt.as_bytes()).chain_update(number.to_string().as_bytes()).finalize();
    hex(&digest)
}

/// The `number` whose hash is `challenge`, trying 0 ..= `max_number`: what a client does.
pub fn altcha_solve(salt: &str, challenge: &str, max_number: u64) -> Option<u64> {
    (0..=max_number).find(|&number| altcha_hash(salt, number) == challenge)
}

/// The `expires` parameter (Unix seconds) of an ALTCHA salt, `<random>?expires=<unix>&`.
pub fn altcha_salt_expiry(salt: &str) -> Option<u64> {
    let (_, query) = salt.split_once('?')?;
    query.split('&').find_map(|pair| pair.strip_prefix("expires=")).and_then(|value| {
        (!value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())).then(|| value.parse().ok()).flatten()
    })
}

/// Lower-case hexadecimal, as ALTCHA writes hashes and signatures.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

/// What a client sends back for a proof-of-work captcha (base64 of this JSON in `captcha.token`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AltchaPayload {
    pub algorithm: String,
    pub challenge: String,
    pub number: u64,
    pub salt: String,
    pub signature: String,
    /// Milliseconds the client spent solving; informative only.
    pub took: Option<u64>,
}

impl AltchaPayload {
    /// Reads the payload's JSON; `None` when a field is missing or of the wrong type.
    pub fn from_json(json: &str) -> Option<AltchaPayload> {
        let value: Value = serde_json::from_str(json).ok()?;
        let text = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_string);
        Some(AltchaPayload {
            algorithm: text("algorithm")?,
            challenge: text("challenge")?,
            number: value.get("number").and_then(Value::as_u64)?,
            salt: text("salt")?,
            signature: text("signature")?,
            took: value.get("took").and_then(Value::as_u64),
        })
    }

    pub fn to_json(&self) -> String {
        JsonObject::new()
            .text("algorithm", &self.algorithm)
            .text("challenge", &self.challenge)
            .number("number", self.number)
            .text("salt", &self.salt)
            .text("signature", &self.signature)
            .optional_number("took", self.took)
            .finish()
    }
}
