//! The command line, parsed by clap: `kiosque-server [serve options]`, or a subcommand for
//! moderation and backups. What the server runs with is [`ServeOptions`], checked here once.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use ipnet::IpNet;
use kiosque::model::comment::EmailPolicy;
use tracing::level_filters::LevelFilter;

use crate::notifications::{mail_from, MailOptions, SmtpUrl};
use crate::store::Database;
use reqwest::Url;

/// Which captcha kinds a comment may carry (`--captcha`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CaptchaPolicy {
    /// Proof of work or stub.
    Any,
    Pow,
    Stub,
    /// No captcha at all: the field is not looked at.
    None,
}

impl CaptchaPolicy {
    pub fn name(self) -> &'static str {
        match self {
            CaptchaPolicy::Any => "any",
            CaptchaPolicy::Pow => "pow",
            CaptchaPolicy::Stub => "stub",
            CaptchaPolicy::None => "none",
        }
    }
}

/// Where the comments of WordPress posts live (`--comments`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CommentsSource {
    /// In Kiosque's database, under the post's slug (`import-wxr` brings a site's old ones).
    Local,
    /// In WordPress, through its REST API (moderated in wp-admin); needs --wordpress.
    Wordpress,
}

/// How log events are written on stderr (`--log-format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// For a person reading a terminal or `journalctl`.
    Text,
    /// One JSON object a line, for log collectors.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub burst: u32,
    pub per_minute: u32,
}

/// What the server runs with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServeOptions {
    pub addr: SocketAddr,
    pub data: PathBuf,
    /// `None`: SQLite in the data directory.
    pub database: Option<Database>,
    pub content: PathBuf,
    pub static_dir: Option<PathBuf>,
    pub moderation: bool,
    /// Exact origins (`https://news.example`), as browsers send them in `Origin`.
    pub allow_origins: Vec<String>,
    pub email: EmailPolicy,
    pub captcha: CaptchaPolicy,
    pub pow_max: u64,
    pub min_elapsed_ms: u64,
    /// `None` when rate limiting is off.
    pub rate_limit: Option<RateLimit>,
    pub test_mode: bool,
    pub test_pages: Option<PathBuf>,
    /// `max-age` of article and related answers, in seconds.
    pub article_max_age: u64,
    /// `stale-while-revalidate` of article and related answers, in seconds (0: none).
    pub article_stale_while_revalidate: u64,
    pub log_format: LogFormat,
    /// The least severe events written; the request lines are `INFO`.
    pub log_level: LevelFilter,
    /// Peers that may read `/metrics`, by the connection's address (never a forwarded header).
    pub metrics_allow: Vec<IpNet>,
    /// A WordPress site whose posts are served as articles.
    pub wordpress: Option<Url>,
    /// How long a WordPress answer is served before it is asked again.
    pub wordpress_ttl: u64,
    /// How long a request to WordPress may take before the last good copy is served instead.
    pub wordpress_timeout: u64,
    /// The language of articles that do not say theirs (WordPress posts).
    pub lang: String,
    /// Where readers and the newsroom reach the server (`https://…`): the admin API's cookie is
    /// then `Secure`, and its Origin checks compare with this.
    pub public_url: Option<String>,
    /// Where the comments of WordPress posts are read and written.
    pub comments: CommentsSource,
    /// The newsroom console's build (console/dist), served at /admin/.
    pub console_dir: Option<PathBuf>,
    /// Believe `X-Forwarded-Proto` (a reverse proxy in front that ends TLS).
    pub trust_proxy: bool,
    /// How long, in seconds, authors may edit or delete their comment (0: not at all).
    pub edit_window: u64,
    /// `--smtp` and `--mail-from`: reply notifications by email.
    pub mail: Option<MailOptions>,
}

/// Who may read `/metrics` unless told otherwise: the machine's own scraper (127.0.0.0/8, ::1).
pub const LOOPBACK: [IpNet; 2] = [
    IpNet::new_assert(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 0)), 8),
    IpNet::new_assert(IpAddr::V6(Ipv6Addr::LOCALHOST), 128),
];

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 8787)),
            data: PathBuf::from("./data"),
            database: None,
            content: PathBuf::from("fixtures"),
            static_dir: None,
            moderation: true,
            allow_origins: Vec::new(),
            email: EmailPolicy::Required,
            captcha: CaptchaPolicy::Any,
            pow_max: 100_000,
            min_elapsed_ms: 3000,
            rate_limit: Some(RateLimit { burst: 5, per_minute: 6 }),
            test_mode: false,
            test_pages: None,
            article_max_age: 60,
            article_stale_while_revalidate: 600,
            log_format: LogFormat::Text,
            log_level: LevelFilter::INFO,
            metrics_allow: LOOPBACK.to_vec(),
            wordpress: None,
            wordpress_ttl: 60,
            wordpress_timeout: 10,
            lang: "fr".into(),
            public_url: None,
            comments: CommentsSource::Local,
            console_dir: None,
            trust_proxy: false,
            edit_window: 900,
            mail: None,
        }
    }
}

impl ServeOptions {
    /// `--database`, else SQLite in `--data`.
    pub fn database(&self) -> Database {
        self.database.clone().unwrap_or_else(|| Database::in_data_dir(&self.data))
    }
}

/// Where the data is, for the server and every subcommand.
#[derive(Args, Clone, Debug, PartialEq, Eq)]
pub struct StorageArgs {
    /// The data directory: the SQLite database (kiosque.sqlite3) and the captcha secret (secret.key)
    #[arg(long, value_name = "DIR", default_value = "./data")]
    pub data: PathBuf,
    /// The database: sqlite:PATH, or postgres://user:password@host:port/database [default: sqlite in --data]
    #[arg(long, value_name = "URL", value_parser = Database::parse)]
    pub database: Option<Database>,
}

impl StorageArgs {
    pub fn database(&self) -> Database {
        self.database.clone().unwrap_or_else(|| Database::in_data_dir(&self.data))
    }
}

fn on_off(text: &str) -> Result<bool, String> {
    match text {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(format!("“{text}” should be on or off")),
    }
}

fn email_policy(text: &str) -> Result<EmailPolicy, String> {
    match text {
        "required" => Ok(EmailPolicy::Required),
        "optional" => Ok(EmailPolicy::Optional),
        _ => Err(format!("“{text}” should be required or optional")),
    }
}

/// `scheme://host[:port]`, what a browser sends in `Origin`: no path, no trailing slash.
fn origin(text: &str) -> Result<String, String> {
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
    let well_formed = rest.is_some_and(|host| !host.is_empty() && !host.contains(['/', '?', '#', ' ', '@']) && host.is_ascii());
    if well_formed {
        Ok(text.to_string())
    } else {
        Err(format!("“{text}” should be an origin like https://news.example (no path)"))
    }
}

/// `http(s)://host[:port][/path]`, without a query or fragment.
fn public_url(text: &str) -> Result<String, String> {
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
    let host = rest.map(|rest| rest.split('/').next().unwrap_or_default());
    if host.is_some_and(|host| !host.is_empty() && !host.contains(['@', ' ', '?', '#'])) && !text.contains(['?', '#']) {
        Ok(text.trim_end_matches('/').to_string())
    } else {
        Err(format!("“{text}” should be a URL like https://news.example"))
    }
}

fn log_level(text: &str) -> Result<LevelFilter, String> {
    match text {
        "error" => Ok(LevelFilter::ERROR),
        "warn" => Ok(LevelFilter::WARN),
        "info" => Ok(LevelFilter::INFO),
        _ => Err(format!("“{text}” should be error, warn or info")),
    }
}

/// `10.0.0.0/8`, `2001:db8::/32`, or one address (`192.0.2.7`, `::1`).
fn network(text: &str) -> Result<IpNet, String> {
    match (text.parse::<IpNet>(), text.parse::<IpAddr>()) {
        (Ok(network), _) => Ok(network.trunc()),
        (_, Ok(address)) => Ok(IpNet::from(address)),
        _ => Err(format!("“{text}” should be an address or a network like 10.0.0.0/8")),
    }
}

/// `https://news.example` or `https://news.example/blog/`: a site's address, http or https. No
/// user or password: the address is logged.
fn site_url(text: &str) -> Result<Url, String> {
    match Url::parse(text) {
        Ok(url) if !url.username().is_empty() || url.password().is_some() => {
            Err("the WordPress address should hold no user or password (it is logged); the REST API is read anonymously".into())
        }
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() && url.query().is_none() => Ok(url),
        _ => Err(format!("“{text}” should be a site's address like https://news.example")),
    }
}

/// A BCP 47 tag as the contract takes it: letters, digits and hyphens (`fr`, `fr-SN`, `en-GB`).
fn language(text: &str) -> Result<String, String> {
    let well_formed = !text.is_empty()
        && text.len() <= 35
        && text.split('-').all(|part| !part.is_empty() && part.len() <= 8 && part.bytes().all(|b| b.is_ascii_alphanumeric()));
    if well_formed {
        Ok(text.to_string())
    } else {
        Err(format!("“{text}” should be a language tag like fr or fr-SN"))
    }
}

/// `--smtp`: clap's own message for a bad value repeats the value, and this one may hold a
/// password; this one says what is wrong with the password hidden.
#[derive(Clone, Copy)]
struct SmtpUrlParser;

impl clap::builder::TypedValueParser for SmtpUrlParser {
    type Value = SmtpUrl;

    fn parse_ref(&self, _command: &clap::Command, _arg: Option<&clap::Arg>, value: &std::ffi::OsStr) -> Result<SmtpUrl, clap::Error> {
        let text = value.to_str().ok_or_else(|| clap::Error::raw(clap::error::ErrorKind::InvalidUtf8, "--smtp: the address is not UTF-8\n"))?;
        SmtpUrl::parse(text).map_err(|message| clap::Error::raw(clap::error::ErrorKind::InvalidValue, format!("--smtp: {message}\n")))
    }
}

#[derive(Args, Clone, Debug, PartialEq, Eq)]
pub struct ServeArgs {
    /// Where to listen
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8787")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub storage: StorageArgs,
    /// The articles: every top-level *.json of this directory
    #[arg(long, value_name = "DIR", default_value = "fixtures")]
    pub content: PathBuf,
    /// Also serve this directory (the built widget, dist/)
    #[arg(long = "static", value_name = "DIR")]
    pub static_dir: Option<PathBuf>,
    /// Hold new comments until a moderator approves them
    #[arg(long, value_name = "on|off", default_value = "on", value_parser = on_off, action = clap::ArgAction::Set)]
    pub moderation: bool,
    /// Let pages of ORIGIN call the API (CORS); repeatable
    #[arg(long = "allow-origin", value_name = "ORIGIN", value_parser = origin)]
    pub allow_origins: Vec<String>,
    /// Whether commenters must give an email (never shown)
    #[arg(long, value_name = "required|optional", default_value = "required", value_parser = email_policy)]
    pub email: EmailPolicy,
    /// Which captcha kinds are accepted
    #[arg(long, value_enum, default_value = "any")]
    pub captcha: CaptchaPolicy,
    /// Proof-of-work difficulty (ALTCHA maxnumber)
    #[arg(long, value_name = "N", default_value = "100000", value_parser = clap::value_parser!(u64).range(1..))]
    pub pow_max: u64,
    /// A form sent faster than this is spam
    #[arg(long, value_name = "N", default_value = "3000")]
    pub min_elapsed_ms: u64,
    /// Limit how many comments each client address may post
    #[arg(long, value_name = "on|off", default_value = "on", value_parser = on_off, action = clap::ArgAction::Set)]
    pub rate_limit: bool,
    /// Comments a client may post in a burst
    #[arg(long, value_name = "N", default_value = "5", value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_burst: u32,
    /// Comments a client may post per minute, sustained
    #[arg(long, value_name = "N", default_value = "6", value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_per_minute: u32,
    /// Add the fault-injection endpoints of the end-to-end tests (never in production)
    #[arg(long)]
    pub test_mode: bool,
    /// Serve DIR under /test/pages/
    #[arg(long, value_name = "DIR", requires = "test_mode")]
    pub test_pages: Option<PathBuf>,
    /// How long browsers and CDNs may keep an article or related answer (Cache-Control max-age)
    #[arg(long, value_name = "SECONDS", default_value = "60")]
    pub article_max_age: u64,
    /// How long after that they may still show it while revalidating (0: not at all)
    #[arg(long, value_name = "SECONDS", default_value = "600")]
    pub article_stale_while_revalidate: u64,
    /// Log lines on stderr: for people, or one JSON object a line for a collector
    #[arg(long, value_enum, default_value = "text")]
    pub log_format: LogFormat,
    /// The least severe events written; info has a line per request
    #[arg(long, value_name = "error|warn|info", default_value = "info", value_parser = log_level)]
    pub log_level: LevelFilter,
    /// Who may read /metrics, by the connection's address; repeatable [default: 127.0.0.0/8, ::1]
    #[arg(long, value_name = "IP|CIDR", value_parser = network)]
    pub metrics_allow: Vec<IpNet>,
    /// Also serve the posts of this WordPress site (its REST API) as articles
    #[arg(long, value_name = "URL", value_parser = site_url)]
    pub wordpress: Option<Url>,
    /// Seconds a WordPress answer is served before it is asked again
    #[arg(long, value_name = "SECONDS", default_value = "60")]
    pub wordpress_ttl: u64,
    /// Seconds a request to WordPress may take (then the last good copy is served)
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = clap::value_parser!(u64).range(1..=300))]
    pub wordpress_timeout: u64,
    /// The language of WordPress posts (BCP 47)
    #[arg(long, value_name = "TAG", default_value = "fr", value_parser = language)]
    pub lang: String,
    /// Where the server is reached, e.g. https://news.example (the admin cookie is Secure over https)
    #[arg(long, value_name = "URL", value_parser = public_url)]
    pub public_url: Option<String>,
    /// Where the comments of WordPress posts live: Kiosque's database, or WordPress itself
    #[arg(long, value_enum, default_value = "local")]
    pub comments: CommentsSource,
    /// Serve the newsroom console's build (console/dist) at /admin/
    #[arg(long = "console", value_name = "DIR")]
    pub console_dir: Option<PathBuf>,
    /// A reverse proxy ends TLS in front: believe its X-Forwarded-Proto (the admin cookie is then Secure)
    #[arg(long)]
    pub trust_proxy: bool,
    /// Seconds during which readers may edit or delete their own comment (0: never)
    #[arg(long, value_name = "SECONDS", default_value = "900")]
    pub edit_window: u64,
    /// Email readers about replies to their comments, through this SMTP server: smtp://host:port,
    /// smtp://host:port?tls=required (STARTTLS) or smtps://host:port, with user:password@ if needed.
    /// Needs --mail-from and --public-url (the mails' links)
    #[arg(long, value_name = "URL", value_parser = SmtpUrlParser, requires_all = ["mail_from", "public_url"])]
    pub smtp: Option<SmtpUrl>,
    /// Who the notification mails are from, e.g. "Kiosque <noreply@news.example>" (with --smtp)
    #[arg(long, value_name = "ADDRESS", value_parser = mail_from, requires = "smtp")]
    pub mail_from: Option<String>,
}

impl ServeArgs {
    pub fn options(self) -> ServeOptions {
        ServeOptions {
            addr: self.addr,
            data: self.storage.data,
            database: self.storage.database,
            content: self.content,
            static_dir: self.static_dir,
            moderation: self.moderation,
            allow_origins: self.allow_origins,
            email: self.email,
            captcha: self.captcha,
            pow_max: self.pow_max,
            min_elapsed_ms: self.min_elapsed_ms,
            rate_limit: self.rate_limit.then_some(RateLimit { burst: self.rate_burst, per_minute: self.rate_per_minute }),
            test_mode: self.test_mode,
            test_pages: self.test_pages,
            article_max_age: self.article_max_age,
            article_stale_while_revalidate: self.article_stale_while_revalidate,
            log_format: self.log_format,
            log_level: self.log_level,
            metrics_allow: if self.metrics_allow.is_empty() { LOOPBACK.to_vec() } else { self.metrics_allow },
            wordpress: self.wordpress,
            wordpress_ttl: self.wordpress_ttl,
            wordpress_timeout: self.wordpress_timeout,
            lang: self.lang,
            public_url: self.public_url,
            comments: self.comments,
            console_dir: self.console_dir,
            trust_proxy: self.trust_proxy,
            edit_window: self.edit_window,
            mail: self.smtp.zip(self.mail_from).map(|(smtp, from)| MailOptions { smtp, from }),
        }
    }
}

#[derive(Subcommand, Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// List the comments waiting for moderation, with their emails
    Pending {
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Publish a pending comment
    Approve {
        /// The comment's number (#12 in `pending`)
        id: i64,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Delete a comment: readers see "comment deleted" in its place, its replies stay
    Delete {
        /// The comment's number (#12 in `pending`)
        id: i64,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Publish again a deleted comment (or one marked as spam)
    Restore {
        /// The comment's number
        id: i64,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Manage the newsroom's accounts (the admin console and API)
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Write every comment of a reader's email address as JSON on stdout
    Export {
        /// The reader's address
        #[arg(long, value_name = "ADDRESS")]
        email: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Erase a reader: the name, email, url and text of all their comments (placeholders stay)
    Erase {
        /// The reader's address
        #[arg(long, value_name = "ADDRESS")]
        email: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Import the comments of a WordPress export (WXR file, Tools › Export) under each post's slug
    ImportWxr {
        /// The export (.xml)
        file: PathBuf,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Copy the SQLite database, consistently, while the server runs (PostgreSQL: use pg_dump)
    Backup {
        /// The new file (never overwritten)
        file: PathBuf,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

#[derive(Subcommand, Clone, Debug, PartialEq, Eq)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input (twice on a terminal)
    Add {
        name: String,
        #[arg(long, value_enum)]
        role: crate::accounts::Role,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// List the accounts and their roles
    List {
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Remove an account (its sessions end)
    Remove {
        name: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Change an account's password, read from standard input (its sessions end)
    Password {
        name: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

/// Kiosque's reference server: articles, related news, comments with moderation, captcha.
///
/// Without a subcommand it serves the API (and, with --static, the built widget).
#[derive(Parser, Clone, Debug, PartialEq, Eq)]
#[command(name = "kiosque-server", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("kiosque-server").chain(text.split_whitespace()))
    }

    fn serve(text: &str) -> ServeOptions {
        parse(text).unwrap_or_else(|error| panic!("{text}: {error}")).serve.options()
    }

    #[test]
    fn defaults() {
        assert_eq!(serve(""), ServeOptions::default());
        assert_eq!(serve("").database(), Database::Sqlite(PathBuf::from("./data/kiosque.sqlite3")));
    }

    #[test]
    fn every_flag() {
        let parsed = serve(
            "--addr 0.0.0.0:80 --data=/d --content c --static dist --moderation off --allow-origin https://a.example \
             --allow-origin=http://b.example:8080 --email optional --captcha pow --pow-max 50 --min-elapsed-ms 0 \
             --rate-burst 2 --rate-per-minute 30 --test-mode --test-pages e2e/pages --database postgres://k:pw@db:5432/k \
             --article-max-age 5 --article-stale-while-revalidate=0 \
             --log-format json --log-level warn --metrics-allow 10.0.0.0/8 --metrics-allow=192.0.2.7 --metrics-allow 2001:db8::1/32 \
             --wordpress https://news.example/blog/ --wordpress-ttl 5 --wordpress-timeout 3 --lang fr-SN \
             --public-url https://news.example/ --comments wordpress --console console/dist --trust-proxy --edit-window 60",
        );
        let expected = ServeOptions {
            addr: SocketAddr::from(([0, 0, 0, 0], 80)),
            data: PathBuf::from("/d"),
            database: Some(Database::Postgres("postgres://k:pw@db:5432/k".into())),
            content: PathBuf::from("c"),
            static_dir: Some(PathBuf::from("dist")),
            moderation: false,
            allow_origins: vec!["https://a.example".into(), "http://b.example:8080".into()],
            email: EmailPolicy::Optional,
            captcha: CaptchaPolicy::Pow,
            pow_max: 50,
            min_elapsed_ms: 0,
            rate_limit: Some(RateLimit { burst: 2, per_minute: 30 }),
            test_mode: true,
            test_pages: Some(PathBuf::from("e2e/pages")),
            article_max_age: 5,
            article_stale_while_revalidate: 0,
            log_format: LogFormat::Json,
            log_level: LevelFilter::WARN,
            metrics_allow: ["10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"].iter().map(|text| text.parse().expect("network")).collect(),
            wordpress: Some(Url::parse("https://news.example/blog/").expect("url")),
            wordpress_ttl: 5,
            wordpress_timeout: 3,
            lang: "fr-SN".into(),
            public_url: Some("https://news.example".into()),
            comments: CommentsSource::Wordpress,
            console_dir: Some(PathBuf::from("console/dist")),
            trust_proxy: true,
            edit_window: 60,
            mail: None,
        };
        assert_eq!(parsed, expected);
        assert!(serve("--rate-limit off").rate_limit.is_none());
        assert_eq!(serve("--database sqlite:/x/k.db").database(), Database::Sqlite(PathBuf::from("/x/k.db")));
    }

    #[test]
    fn mistakes_are_named() {
        for (text, fragments) in [
            ("--addr nowhere", &["--addr"][..]),
            ("--moderation maybe", &["--moderation", "on or off"]),
            ("--allow-origin https://a.example/path", &["no path"]),
            ("--allow-origin a.example", &["--allow-origin"]),
            ("--email sometimes", &["--email", "required or optional"]),
            ("--captcha hard", &["--captcha", "pow"]),
            ("--pow-max lots", &["--pow-max"]),
            ("--rate-burst 0", &["--rate-burst", "0"]),
            ("--test-pages p", &["--test-mode"]),
            ("--test-mode=yes", &["--test-mode"]),
            ("--frobnicate", &["--frobnicate"]),
            ("--data", &["--data", "value"]),
            ("--database mysql://x", &["--database", "postgres://"]),
            ("--article-max-age=-1", &["--article-max-age"]),
            ("--article-stale-while-revalidate 1m", &["--article-stale-while-revalidate"]),
            ("approve", &["<ID>"]),
            ("approve x", &["invalid value 'x'"]),
            ("delete 1 2", &["unexpected argument '2'"]),
            ("pending --moderation off", &["--moderation"]),
            ("--log-format yaml", &["--log-format", "text", "json"]),
            ("--log-level debug", &["--log-level", "error, warn or info"]),
            ("--metrics-allow everyone", &["--metrics-allow", "10.0.0.0/8"]),
            ("--metrics-allow 10.0.0.0/33", &["--metrics-allow"]),
            ("--wordpress news.example", &["--wordpress", "https://news.example"]),
            ("--wordpress ftp://news.example", &["--wordpress", "https://news.example"]),
            ("--wordpress https://admin:pw@news.example", &["--wordpress", "no user or password"]),
            ("--wordpress-ttl soon", &["--wordpress-ttl"]),
            ("--wordpress-timeout 0", &["--wordpress-timeout", "0"]),
            ("--lang fr_FR", &["--lang", "language tag"]),
            ("--public-url news.example", &["--public-url", "https://news.example"]),
            ("--public-url https://news.example/?q", &["--public-url"]),
            ("user add awa", &["--role"]),
            ("user add awa --role editor", &["admin", "moderator"]),
            ("user add awa --role admin --password x", &["--password"]),
            ("erase", &["--email"]),
            ("--comments elsewhere", &["--comments", "local", "wordpress"]),
            ("import-wxr", &["<FILE>"]),
            ("--edit-window 15m", &["--edit-window"]),
        ] {
            match parse(text) {
                Err(error) => {
                    let message = error.to_string();
                    for fragment in fragments {
                        assert!(message.contains(fragment), "{text}: {fragment:?} in {message}");
                    }
                }
                Ok(other) => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn mail_flags_come_together() {
        let options = serve("--smtp smtp://kiosque:s3cret@127.0.0.1:2525 --mail-from noreply@news.example --public-url https://news.example");
        let mail = options.mail.expect("mail options");
        assert_eq!(mail.from, "noreply@news.example");
        assert_eq!(mail.smtp.to_string(), "smtp://kiosque:***@127.0.0.1:2525");
        for (text, missing) in [
            ("--smtp smtp://127.0.0.1:2525 --public-url https://news.example", "--mail-from"),
            ("--smtp smtp://127.0.0.1:2525 --mail-from noreply@news.example", "--public-url"),
            ("--mail-from noreply@news.example", "--smtp"),
        ] {
            let error = parse(text).expect_err(text).to_string();
            assert!(error.contains(missing), "{text}: {error}");
        }
        let error = parse("--smtp smtp://u:s3cret@host?tls=maybe --mail-from a@b.example --public-url https://n.example").expect_err("tls").to_string();
        assert!(error.contains("--smtp") && !error.contains("s3cret"), "{error}");
        assert!(parse("--smtp smtp://h:25 --mail-from nobody --public-url https://n.example").is_err());
    }

    #[test]
    fn article_cache_flags() {
        let options = serve("--article-max-age 0 --article-stale-while-revalidate=86400");
        assert_eq!((options.article_max_age, options.article_stale_while_revalidate), (0, 86_400));
        let defaults = ServeOptions::default();
        assert_eq!((defaults.article_max_age, defaults.article_stale_while_revalidate), (60, 600));
    }

    #[test]
    fn metrics_are_for_loopback_unless_told() {
        let options = serve("");
        let allowed = |text: &str| options.metrics_allow.iter().any(|network| network.contains(&text.parse::<IpAddr>().expect("address")));
        assert!(allowed("127.0.0.1") && allowed("127.255.0.9") && allowed("::1"));
        assert!(!allowed("10.0.0.1") && !allowed("::2") && !allowed("192.168.1.1"));
        assert_eq!(serve("--metrics-allow 10.0.0.0/8").metrics_allow, vec!["10.0.0.0/8".parse::<IpNet>().expect("network")], "replaces");
    }

    #[test]
    fn subcommands() {
        let storage = |data: &str| StorageArgs { data: PathBuf::from(data), database: None };
        assert_eq!(parse("pending").expect("pending").command, Some(Command::Pending { storage: storage("./data") }));
        assert_eq!(parse("approve 12 --data /x").expect("approve").command, Some(Command::Approve { id: 12, storage: storage("/x") }));
        assert_eq!(parse("delete --data=/x 7").expect("delete").command, Some(Command::Delete { id: 7, storage: storage("/x") }));
        assert_eq!(parse("restore 7").expect("restore").command, Some(Command::Restore { id: 7, storage: storage("./data") }));
        assert_eq!(
            parse("user add awa --role moderator").expect("user add").command,
            Some(Command::User { command: UserCommand::Add { name: "awa".into(), role: crate::accounts::Role::Moderator, storage: storage("./data") } })
        );
        assert_eq!(
            parse("export --email a@example.org --data /x").expect("export").command,
            Some(Command::Export { email: "a@example.org".into(), storage: storage("/x") })
        );
        assert_eq!(
            parse("import-wxr export.xml --data /x").expect("import-wxr").command,
            Some(Command::ImportWxr { file: PathBuf::from("export.xml"), storage: storage("/x") })
        );
        let backup = parse("backup /tmp/b.sqlite3 --database sqlite:/d/k.sqlite3").expect("backup");
        let Some(Command::Backup { file, storage }) = backup.command else { panic!("{backup:?}") };
        assert_eq!((file, storage.database()), (PathBuf::from("/tmp/b.sqlite3"), Database::Sqlite(PathBuf::from("/d/k.sqlite3"))));
    }
}
