//! Everything a host page can set on a widget's element, read and validated in one place.
//!
//! ```html
//! <div data-kiosque data-src="/articles/42.json" data-lang="fr" data-theme="auto"></div>
//! ```

use crate::i18n::{Key, Lang};
use crate::model::comment::EmailPolicy;
use crate::model::links::{safe_image_src, same_origin_src};
use crate::model::Milli;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
    /// Follows the reader's `prefers-color-scheme`.
    #[default]
    Auto,
}

impl Theme {
    pub fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Auto => "auto",
        }
    }
}

/// How a click on a related item behaves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RelatedMode {
    /// Plain links to each item's page, for host sites whose pages are articles.
    #[default]
    Link,
    /// The item's article loads into the same widget, with a history entry.
    Inline,
}

/// Which anti-robot check the comment form shows (`data-captcha`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CaptchaKind {
    /// An "I am not a robot" box with a simulated score, for development and for sites that verify
    /// elsewhere.
    #[default]
    Stub,
    /// ALTCHA-compatible proof of work against the server's challenge.
    Pow,
    None,
}

impl CaptchaKind {
    /// The `captcha.kind` of the API.
    pub fn api_name(self) -> &'static str {
        match self {
            CaptchaKind::Stub => "stub",
            CaptchaKind::Pow => "pow",
            CaptchaKind::None => "none",
        }
    }
}

/// Everything the comment form is configured with.
#[derive(Clone, Debug, PartialEq)]
pub struct CommentSettings {
    pub captcha: CaptchaKind,
    /// The stub captcha's simulated score, 0 to 1 (`data-captcha-score`, default 0.9).
    pub captcha_score: Milli,
    /// Where the proof-of-work challenge comes from (`data-captcha-challenge`).
    pub challenge_url: String,
    pub email: crate::model::comment::EmailPolicy,
}

pub const DEFAULT_CAPTCHA_SCORE: Milli = Milli(900);
pub const DEFAULT_CHALLENGE_URL: &str = "/api/captcha/challenge";
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;
const RELATED_LIMITS: std::ops::RangeInclusive<usize> = 1..=50;
/// From 1 to 120 seconds, in milliseconds.
const TIMEOUT_MS: std::ops::RangeInclusive<u32> = 1_000..=120_000;

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Where the article JSON is fetched from.
    pub src: String,
    /// `data-lang`; when absent the article's and then the page's language decide.
    pub lang: Option<Lang>,
    /// `data-lang` as written (`fr-SN`), which also picks the date conventions.
    pub lang_tag: Option<String>,
    pub theme: Theme,
    /// The headline's heading level (1 to 6), for host pages that already have an `h1`.
    pub heading_level: u8,
    /// How long a request may take before it counts as failed.
    pub timeout_ms: u32,
    /// How many related items show at first, and how many more each "more" adds.
    pub related_limit: usize,
    pub related_mode: RelatedMode,
    /// `data-src-param`, when the article address also lives in the page's query string.
    pub src_param: Option<String>,
    pub comments: CommentSettings,
    /// `data-structured-data`: write the article's schema.org JSON-LD (on, the default) or not.
    pub structured_data: bool,
}

/// What the widget knows of the page around it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageContext {
    /// `<html lang>`.
    pub lang: Option<String>,
    /// `location.origin`, e.g. `https://journal.example`.
    pub origin: String,
    /// The page's query parameters, decoded.
    pub query: Vec<(String, String)>,
}

/// A bad attribute, described well enough to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    Missing { attribute: &'static str },
    Invalid { attribute: &'static str, value: String, expected: Key },
}

impl ConfigError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ConfigError::Missing { attribute } => lang.fill(Key::ErrorConfigMissing, &[("attribute", attribute)]),
            ConfigError::Invalid { attribute, value, expected } => lang.fill(
                Key::ErrorConfigInvalid,
                &[("attribute", attribute), ("value", value), ("expected", lang.text(*expected))],
            ),
        }
    }
}

fn invalid(attribute: &'static str, value: &str, expected: Key) -> ConfigError {
    ConfigError::Invalid { attribute, value: value.to_string(), expected }
}

/// One optional attribute: absent or empty gives `default`; otherwise `parse` decides, and a value
/// it refuses is reported (with `default` kept, so that the other attributes are still checked).
fn setting<T>(
    value: Option<String>,
    attribute: &'static str,
    expected: Key,
    default: T,
    errors: &mut Vec<ConfigError>,
    parse: impl FnOnce(&str) -> Option<T>,
) -> T {
    match value.as_deref() {
        None | Some("") => default,
        Some(text) => parse(text).unwrap_or_else(|| {
            errors.push(invalid(attribute, text, expected));
            default
        }),
    }
}

impl Config {
    /// Reads the widget's `data-*` attributes through `attribute` (which returns an attribute's
    /// value by name). Reports every bad attribute at once, so one reload fixes them all.
    pub fn read(attribute: impl Fn(&str) -> Option<String>, page: &PageContext) -> Result<Config, Vec<ConfigError>> {
        let mut errors = Vec::new();
        let value = |name: &str| attribute(name).map(|v| v.trim().to_string());

        let lang_tag = value("data-lang").filter(|tag| !tag.is_empty());
        let lang = match &lang_tag {
            None => None,
            Some(tag) => match Lang::from_tag(tag).filter(|_| crate::i18n::is_simple_language_tag(tag)) {
                Some(lang) => Some(lang),
                None => {
                    errors.push(invalid("data-lang", tag, Key::ExpectedLang));
                    None
                }
            },
        };

        let theme = setting(value("data-theme"), "data-theme", Key::ExpectedTheme, Theme::Auto, &mut errors, |text| match text {
            "auto" => Some(Theme::Auto),
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        });
        let heading_level = setting(value("data-heading-level"), "data-heading-level", Key::ExpectedHeadingLevel, 1, &mut errors, |text| {
            text.parse::<u8>().ok().filter(|level| (1..=6).contains(level))
        });
        let timeout_ms = setting(value("data-timeout"), "data-timeout", Key::ExpectedTimeout, DEFAULT_TIMEOUT_MS, &mut errors, |text| {
            Milli::parse(text).map(|seconds| seconds.0).filter(|ms| TIMEOUT_MS.contains(ms))
        });
        let related_limit = setting(
            value("data-related-limit"),
            "data-related-limit",
            Key::ExpectedRelatedLimit,
            crate::model::related::DEFAULT_RELATED_LIMIT,
            &mut errors,
            |text| text.parse::<usize>().ok().filter(|limit| RELATED_LIMITS.contains(limit)),
        );
        let related_mode = setting(value("data-related-mode"), "data-related-mode", Key::ExpectedRelatedMode, RelatedMode::Link, &mut errors, |text| match text {
            "link" => Some(RelatedMode::Link),
            "inline" => Some(RelatedMode::Inline),
            _ => None,
        });
        let captcha = setting(value("data-captcha"), "data-captcha", Key::ExpectedCaptcha, CaptchaKind::Stub, &mut errors, |text| match text {
            "stub" => Some(CaptchaKind::Stub),
            "pow" => Some(CaptchaKind::Pow),
            "none" => Some(CaptchaKind::None),
            _ => None,
        });
        let captcha_score = setting(value("data-captcha-score"), "data-captcha-score", Key::ExpectedCaptchaScore, DEFAULT_CAPTCHA_SCORE, &mut errors, |text| {
            crate::model::comment::parse_score(text)
        });
        let challenge_url = match value("data-captcha-challenge").filter(|v| !v.is_empty()) {
            None => DEFAULT_CHALLENGE_URL.to_string(),
            Some(raw) => safe_image_src(&raw).unwrap_or_else(|| {
                errors.push(invalid("data-captcha-challenge", &raw, Key::ExpectedSrc));
                DEFAULT_CHALLENGE_URL.to_string()
            }),
        };
        let email = setting(value("data-email"), "data-email", Key::ExpectedEmail, EmailPolicy::Required, &mut errors, |text| match text {
            "required" => Some(EmailPolicy::Required),
            "optional" => Some(EmailPolicy::Optional),
            _ => None,
        });
        let comments = CommentSettings { captcha, captcha_score, challenge_url, email };
        let structured_data = setting(value("data-structured-data"), "data-structured-data", Key::ExpectedOnOff, true, &mut errors, |text| match text {
            "on" => Some(true),
            "off" => Some(false),
            _ => None,
        });

        let src = Self::read_src(&value, page, &mut errors);
        let src_param = value("data-src-param").filter(|p| !p.is_empty());

        match src {
            Some(src) if errors.is_empty() => Ok(Config {
                src,
                lang,
                lang_tag,
                theme,
                heading_level,
                timeout_ms,
                related_limit,
                related_mode,
                src_param,
                comments,
                structured_data,
            }),
            _ => Err(errors),
        }
    }

    /// `data-src`, unless `data-src-param` names a query parameter that is present: then that
    /// parameter, restricted to the page's own site because anyone can write a link with it.
    fn read_src(value: &dyn Fn(&str) -> Option<String>, page: &PageContext, errors: &mut Vec<ConfigError>) -> Option<String> {
        if let Some(param) = value("data-src-param").filter(|p| !p.is_empty()) {
            if !param.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')) {
                errors.push(invalid("data-src-param", &param, Key::ExpectedParamName));
                return None;
            }
            let from_query = page.query.iter().find(|(name, _)| *name == param).map(|(_, v)| v.trim());
            if let Some(raw) = from_query.filter(|v| !v.is_empty()) {
                let src = same_origin_src(raw, &page.origin);
                if src.is_none() {
                    errors.push(invalid("data-src-param", raw, Key::ExpectedSameOriginSrc));
                }
                return src;
            }
        }
        match value("data-src").filter(|s| !s.is_empty()) {
            None => {
                errors.push(ConfigError::Missing { attribute: "data-src" });
                None
            }
            Some(raw) => {
                let src = safe_image_src(&raw);
                if src.is_none() {
                    errors.push(invalid("data-src", &raw, Key::ExpectedSrc));
                }
                src
            }
        }
    }
}

/// Splits a `?a=1&b=two%20words` query string into decoded pairs, as `URLSearchParams` does.
pub fn parse_query(search: &str) -> Vec<(String, String)> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = bytes
            .get(i + 1..i + 3)
            .filter(|pair| pair.iter().all(u8::is_ascii_hexdigit))
            .and_then(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok());
        match (bytes[i], escaped) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
