//! Reply notifications by email (`--smtp`, `--mail-from`, `--public-url`): a reader who asks, with
//! a comment, gets a mail to confirm (double opt-in), then one mail per approved reply to that
//! comment, each with a one-click unsubscribe (RFC 8058).
//!
//! Requests never send mail: they write to the queue in the database, in the transaction of the
//! comment or of the moderation, and nudge the [`worker`], which sends and retries. The pages the
//! mails' links open are in [`routes`].

pub mod mail;
pub mod pages;
pub mod routes;
pub mod strings;
pub mod subscription;
pub mod worker;

use std::time::Duration;

use lettre::message::Mailbox;
use serde_json::{json, Value};
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use tokio::sync::Notify;

use crate::cli::{CommentsSource, ServeOptions};
use crate::store::ExportedSubscription;
use crate::time::rfc3339_utc;
use crate::StartError;
use strings::{lang_of_code, lang_of_tag, Lang};

/// How long one SMTP exchange may take before the attempt counts as failed.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// `--smtp`: `smtp://host:port` (plain), `smtp://host:port?tls=required` (STARTTLS) or
/// `smtps://host:port` (TLS from the start), maybe with `user:password@`. Kept whole for lettre;
/// displayed (and debug-printed) without the password.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl(String);

impl SmtpUrl {
    pub fn parse(text: &str) -> Result<SmtpUrl, String> {
        let scheme_ok = text.starts_with("smtp://") || text.starts_with("smtps://");
        let tls = text.split_once('?').map(|(_, query)| query);
        let tls_ok = tls.is_none_or(|query| query == "tls=required");
        if !scheme_ok || !tls_ok || AsyncSmtpTransport::<Tokio1Executor>::from_url(text).is_err() {
            return Err(format!(
                "“{}” should be smtp://host:port, smtp://host:port?tls=required (STARTTLS) or smtps://host:port, \
                 with user:password@ before the host if the server asks",
                crate::store::redact(text)
            ));
        }
        Ok(SmtpUrl(text.to_string()))
    }

    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, StartError> {
        let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&self.0)
            .map_err(|_| StartError(format!("--smtp {self}: not an SMTP address lettre can use")))?;
        Ok(builder.timeout(Some(SMTP_TIMEOUT)).build())
    }
}

impl std::fmt::Display for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::store::redact(&self.0))
    }
}

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// `--mail-from`: a mailbox, `Kiosque <noreply@news.example>` or a bare address.
pub fn mail_from(text: &str) -> Result<String, String> {
    text.parse::<Mailbox>().map(|_| text.to_string()).map_err(|_| format!("“{text}” should be a mailbox like Kiosque <noreply@news.example>"))
}

/// `--smtp` and `--mail-from`, which clap only takes together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailOptions {
    pub smtp: SmtpUrl,
    pub from: String,
}

/// How the worker paces itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// Between looks at the queue when nothing nudged the worker (another instance, the CLI).
    pub poll: Duration,
    /// After the first failure, the second… The attempt after the last is not made.
    pub retry_delays: Vec<Duration>,
    /// How long a claimed mail is this worker's alone; past it another may take it over.
    pub lease: Duration,
}

impl Schedule {
    pub fn production() -> Schedule {
        let minutes = |count: u64| Duration::from_secs(count * 60);
        Schedule {
            poll: Duration::from_secs(5),
            // Ten attempts over about two days: an SMTP server down for a weekend still delivers.
            retry_delays: vec![Duration::from_secs(30), minutes(2), minutes(10), minutes(60), minutes(180), minutes(360), minutes(720), minutes(1440), minutes(1440)],
            lease: SMTP_TIMEOUT * 4,
        }
    }

    /// `--test-mode`: one second everywhere, so that a test sees retries happen.
    pub fn quick() -> Schedule {
        Schedule { poll: Duration::from_secs(1), retry_delays: vec![Duration::from_secs(1); 9], lease: SMTP_TIMEOUT * 4 }
    }

    /// When to try again after `attempts` failed ones, or `None`: give up.
    pub fn next_attempt_ms(&self, attempts: i64, now_ms: i64) -> Option<i64> {
        let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
        let delay = self.retry_delays.get(index)?;
        Some(now_ms.saturating_add(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX)))
    }
}

/// What the server sends mail with, when `--smtp` is given.
pub struct Notifications {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// Where the mails' links point (`--public-url`, no trailing slash).
    public_url: String,
    /// The language of a subscription that does not say its own, and of pages for unknown links.
    pub default_lang: Lang,
    nudge: Notify,
    schedule: Schedule,
}

impl Notifications {
    /// `None` when the server sends no mail: no `--smtp`, or comments kept by WordPress.
    pub fn from_options(options: &ServeOptions) -> Result<Option<Notifications>, StartError> {
        let Some(mail) = &options.mail else { return Ok(None) };
        if options.comments == CommentsSource::Wordpress {
            tracing::warn!("--comments wordpress: WordPress keeps the comments, so Kiosque sends no reply notifications (--smtp is unused)");
            return Ok(None);
        }
        let public_url = options
            .public_url
            .clone()
            .ok_or_else(|| StartError("--smtp: the mails' links need the server's address, --public-url https://…".into()))?;
        let from = mail.from.parse::<Mailbox>().map_err(|_| StartError(format!("--mail-from “{}” is not a mailbox", mail.from)))?;
        let schedule = if options.test_mode { Schedule::quick() } else { Schedule::production() };
        // Display hides the password.
        tracing::info!(smtp = %mail.smtp, "reply notifications by email");
        Ok(Some(Notifications {
            transport: mail.smtp.transport()?,
            from,
            public_url,
            default_lang: lang_of_tag(&options.lang),
            nudge: Notify::new(),
            schedule,
        }))
    }

    /// Tells the worker there is mail to send now (a commit queued some).
    pub fn nudge(&self) {
        self.nudge.notify_one();
    }
}

/// A reader's reply subscriptions in their export: which comment, language, state, since when.
pub fn export_json(subscriptions: &[ExportedSubscription]) -> Value {
    let items: Vec<Value> = subscriptions
        .iter()
        .map(|subscription| {
            json!({
                "comment": subscription.comment_id.to_string(),
                "lang": subscription.lang.code(),
                "state": subscription.state.as_str(),
                "created": rfc3339_utc(subscription.created_ms),
            })
        })
        .collect();
    Value::Array(items)
}

/// What a new comment's `"notify"` and `"lang"` ask, with notifications on in `default_lang` (or
/// off: `None`, and the fields are ignored): the language of the subscription to store, and the
/// fields in error (`author_email: required`, `lang: invalid`).
pub fn requested(
    default_lang: Option<Lang>,
    notify: Option<bool>,
    lang: Option<&str>,
    author_email: Option<&str>,
) -> (Option<Lang>, Vec<(&'static str, &'static str)>) {
    let Some(default_lang) = default_lang.filter(|_| notify == Some(true)) else { return (None, Vec::new()) };
    let mut errors = Vec::new();
    if author_email.is_none_or(|email| email.trim().is_empty()) {
        errors.push(("author_email", "required"));
    }
    let lang = match lang {
        None => Some(default_lang),
        Some(text) => lang_of_code(text),
    };
    if lang.is_none() {
        errors.push(("lang", "invalid"));
    }
    (lang, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_mail_when_wordpress_keeps_the_comments() {
        let mail = MailOptions { smtp: SmtpUrl::parse("smtp://127.0.0.1:2525").expect("url"), from: "noreply@news.example".into() };
        let options = ServeOptions { mail: Some(mail), public_url: Some("https://news.example".into()), ..ServeOptions::default() };
        assert!(matches!(Notifications::from_options(&options), Ok(Some(_))));
        let wordpress = ServeOptions { comments: CommentsSource::Wordpress, ..options.clone() };
        assert!(matches!(Notifications::from_options(&wordpress), Ok(None)));
        let no_address = ServeOptions { public_url: None, ..options };
        assert!(Notifications::from_options(&no_address).is_err_and(|error| error.0.contains("--public-url")));
        assert!(matches!(Notifications::from_options(&ServeOptions::default()), Ok(None)));
    }

    #[test]
    fn what_a_comment_asks() {
        let on = Some(Lang::Fr);
        assert_eq!(requested(on, Some(true), None, Some("a@b.example")), (Some(Lang::Fr), vec![]));
        assert_eq!(requested(on, Some(true), Some("en"), Some("a@b.example")), (Some(Lang::En), vec![]));
        assert_eq!(requested(on, Some(true), Some("de"), Some("a@b.example")).1, vec![("lang", "invalid")]);
        assert_eq!(requested(on, Some(true), None, Some("  ")).1, vec![("author_email", "required")]);
        assert_eq!(requested(on, Some(true), None, None).1, vec![("author_email", "required")]);
        assert_eq!(requested(on, Some(false), Some("de"), None), (None, vec![]));
        assert_eq!(requested(None, Some(true), Some("de"), None), (None, vec![]), "ignored when the server sends no mail");
    }

    #[test]
    fn smtp_addresses() {
        for good in ["smtp://127.0.0.1:2525", "smtp://mail.example:587?tls=required", "smtps://user:p%40ss@mail.example:465"] {
            assert!(SmtpUrl::parse(good).is_ok(), "{good}");
        }
        for bad in ["mail.example:25", "http://mail.example", "smtp://u:s3cret@mail.example?tls=maybe", "smtp://"] {
            let error = SmtpUrl::parse(bad).expect_err(bad);
            assert!(!error.contains("s3cret"), "{error}");
        }
        let url = SmtpUrl::parse("smtps://kiosque:s3cret@mail.example:465").expect("url");
        assert_eq!(url.to_string(), "smtps://kiosque:***@mail.example:465");
        assert!(!format!("{url:?}").contains("s3cret"));
    }

    #[test]
    fn mailboxes() {
        assert!(mail_from("Kiosque <noreply@news.example>").is_ok());
        assert!(mail_from("noreply@news.example").is_ok());
        assert!(mail_from("Kiosque").is_err());
    }

    #[test]
    fn retries_back_off_then_stop() {
        let schedule = Schedule::production();
        assert_eq!(schedule.next_attempt_ms(1, 1000), Some(31_000));
        assert_eq!(schedule.next_attempt_ms(2, 0), Some(120_000));
        assert_eq!(schedule.next_attempt_ms(9, 0), Some(86_400_000));
        assert_eq!(schedule.next_attempt_ms(10, 0), None, "ten attempts, then it is recorded as given up");
        assert_eq!(schedule.next_attempt_ms(0, 0), None);
    }
}
