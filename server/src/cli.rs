//! The command line: `kiosque-server [serve options]` or a moderation subcommand. Hand-rolled: a
//! dozen flags do not justify an argument-parsing crate's compile time.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;

use ipnet::IpNet;
use kiosque::model::comment::EmailPolicy;
use tracing::level_filters::LevelFilter;

pub const USAGE: &str = "\
kiosque-server: Kiosque's reference server (articles, related news, comments, captcha).

USAGE
  kiosque-server [OPTIONS]                 serve the API (and optionally the built widget)
  kiosque-server pending [--data DIR]      list comments waiting for moderation
  kiosque-server approve ID [--data DIR]   publish a pending comment
  kiosque-server delete ID [--data DIR]    delete a comment and its replies

OPTIONS
  --addr HOST:PORT            address to listen on                  [127.0.0.1:8787]
  --data DIR                  SQLite database and secret            [./data]
  --content DIR               article JSON files (top-level *.json) [fixtures]
  --static DIR                also serve this directory (the built widget, dist/)
  --moderation on|off         hold new comments until approved      [on]
  --allow-origin ORIGIN       let pages of ORIGIN call the API (CORS); repeatable
  --email required|optional   whether commenters must give an email [required]
  --captcha any|pow|stub|none which captcha kinds are accepted       [any]
  --pow-max N                 proof-of-work difficulty (maxnumber)  [100000]
  --min-elapsed-ms N          faster form submissions are spam      [3000]
  --rate-limit on|off         per-client limit on posting comments  [on]
  --rate-burst N              comments in a burst                   [5]
  --rate-per-minute N         sustained comments per minute         [6]
  --log-format text|json      one line per event on stderr          [text]
  --log-level error|warn|info the least severe events written; info
                              has a line per request                [info]
  --metrics-allow IP|CIDR     who may read /metrics; repeatable     [127.0.0.0/8, ::1]
  --test-mode                 add the fault-injection endpoints of the end-to-end tests
  --test-pages DIR            serve DIR under /test/pages/ (with --test-mode)
  -h, --help                  this text
";

/// Which captcha kinds a comment may carry (`--captcha`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// How log events are written on stderr (`--log-format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServeOptions {
    pub addr: SocketAddr,
    pub data: PathBuf,
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
    pub log_format: LogFormat,
    /// The least severe events written; the request lines are `INFO`.
    pub log_level: LevelFilter,
    /// Peers that may read `/metrics`, by the connection's address (never a forwarded header).
    pub metrics_allow: Vec<IpNet>,
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
            log_format: LogFormat::Text,
            log_level: LevelFilter::INFO,
            metrics_allow: LOOPBACK.to_vec(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Serve(ServeOptions),
    Pending { data: PathBuf },
    Approve { id: i64, data: PathBuf },
    Delete { id: i64, data: PathBuf },
    Help,
}

/// A usage mistake, said in one line; `main` adds "see --help".
#[derive(Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

fn error<T>(message: impl Into<String>) -> Result<T, UsageError> {
    Err(UsageError(message.into()))
}

/// Splits `--flag=value` and `--flag value` alike into (flag, value) pairs, one at a time.
struct Arguments {
    items: std::vec::IntoIter<String>,
    pending_value: Option<String>,
}

impl Arguments {
    fn next_flag(&mut self) -> Option<String> {
        let item = self.items.next()?;
        match item.split_once('=') {
            Some((flag, value)) if item.starts_with("--") => {
                self.pending_value = Some(value.to_string());
                Some(flag.to_string())
            }
            _ => Some(item),
        }
    }

    fn value(&mut self, flag: &str) -> Result<String, UsageError> {
        match self.pending_value.take().or_else(|| self.items.next()) {
            Some(value) => Ok(value),
            None => error(format!("{flag} needs a value")),
        }
    }

    /// A flag given as `--flag=value` to a flag that takes none.
    fn refuse_value(&mut self, flag: &str) -> Result<(), UsageError> {
        match self.pending_value.take() {
            Some(_) => error(format!("{flag} takes no value")),
            None => Ok(()),
        }
    }
}

fn number<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T, UsageError> {
    text.parse().or_else(|_| error(format!("{flag}: “{text}” is not a whole number")))
}

fn on_off(flag: &str, text: &str) -> Result<bool, UsageError> {
    match text {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => error(format!("{flag}: “{text}” should be on or off")),
    }
}

/// `scheme://host[:port]`, what a browser sends in `Origin`: no path, no trailing slash.
fn origin(text: &str) -> Result<String, UsageError> {
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
    let well_formed = rest.is_some_and(|host| {
        !host.is_empty() && !host.contains(['/', '?', '#', ' ', '@']) && host.is_ascii()
    });
    if well_formed {
        Ok(text.to_string())
    } else {
        error(format!("--allow-origin: “{text}” should be an origin like https://news.example (no path)"))
    }
}

/// `10.0.0.0/8`, `2001:db8::/32`, or one address (`192.0.2.7`, `::1`).
fn network(text: &str) -> Result<IpNet, UsageError> {
    match (text.parse::<IpNet>(), text.parse::<IpAddr>()) {
        (Ok(network), _) => Ok(network.trunc()),
        (_, Ok(address)) => Ok(IpNet::from(address)),
        _ => error(format!("--metrics-allow: “{text}” should be an address or a network like 10.0.0.0/8")),
    }
}

/// Reads the arguments after the program name.
pub fn parse(arguments: Vec<String>) -> Result<Command, UsageError> {
    let subcommand = arguments.first().map(String::as_str);
    if let Some(name @ ("pending" | "approve" | "delete")) = subcommand {
        return parse_moderation(name, arguments[1..].to_vec());
    }
    let mut options = ServeOptions::default();
    let mut rate_limit_on = true;
    let mut burst = 5;
    let mut per_minute = 6;
    let mut metrics_allow = Vec::new();
    let mut args = Arguments { items: arguments.into_iter(), pending_value: None };
    while let Some(flag) = args.next_flag() {
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--addr" => {
                let text = args.value(&flag)?;
                options.addr = text.parse().or_else(|_| error(format!("--addr: “{text}” should be HOST:PORT, e.g. 127.0.0.1:8787")))?;
            }
            "--data" => options.data = PathBuf::from(args.value(&flag)?),
            "--content" => options.content = PathBuf::from(args.value(&flag)?),
            "--static" => options.static_dir = Some(PathBuf::from(args.value(&flag)?)),
            "--moderation" => options.moderation = on_off(&flag, &args.value(&flag)?)?,
            "--allow-origin" => options.allow_origins.push(origin(&args.value(&flag)?)?),
            "--email" => {
                options.email = match args.value(&flag)?.as_str() {
                    "required" => EmailPolicy::Required,
                    "optional" => EmailPolicy::Optional,
                    other => return error(format!("--email: “{other}” should be required or optional")),
                }
            }
            "--captcha" => {
                options.captcha = match args.value(&flag)?.as_str() {
                    "any" => CaptchaPolicy::Any,
                    "pow" => CaptchaPolicy::Pow,
                    "stub" => CaptchaPolicy::Stub,
                    "none" => CaptchaPolicy::None,
                    other => return error(format!("--captcha: “{other}” should be any, pow, stub or none")),
                }
            }
            "--pow-max" => options.pow_max = number(&flag, &args.value(&flag)?)?,
            "--min-elapsed-ms" => options.min_elapsed_ms = number(&flag, &args.value(&flag)?)?,
            "--rate-limit" => rate_limit_on = on_off(&flag, &args.value(&flag)?)?,
            "--rate-burst" => burst = number(&flag, &args.value(&flag)?)?,
            "--rate-per-minute" => per_minute = number(&flag, &args.value(&flag)?)?,
            "--test-mode" => {
                args.refuse_value(&flag)?;
                options.test_mode = true;
            }
            "--test-pages" => options.test_pages = Some(PathBuf::from(args.value(&flag)?)),
            "--log-format" => {
                options.log_format = match args.value(&flag)?.as_str() {
                    "text" => LogFormat::Text,
                    "json" => LogFormat::Json,
                    other => return error(format!("--log-format: “{other}” should be text or json")),
                }
            }
            "--log-level" => {
                options.log_level = match args.value(&flag)?.as_str() {
                    "error" => LevelFilter::ERROR,
                    "warn" => LevelFilter::WARN,
                    "info" => LevelFilter::INFO,
                    other => return error(format!("--log-level: “{other}” should be error, warn or info")),
                }
            }
            "--metrics-allow" => metrics_allow.push(network(&args.value(&flag)?)?),
            other => return error(format!("unknown argument “{other}”")),
        }
    }
    if burst == 0 || per_minute == 0 {
        return error("--rate-burst and --rate-per-minute must be at least 1 (use --rate-limit off to disable)");
    }
    if options.pow_max == 0 {
        return error("--pow-max must be at least 1");
    }
    if options.test_pages.is_some() && !options.test_mode {
        return error("--test-pages needs --test-mode");
    }
    options.rate_limit = rate_limit_on.then_some(RateLimit { burst, per_minute });
    if !metrics_allow.is_empty() {
        options.metrics_allow = metrics_allow;
    }
    Ok(Command::Serve(options))
}

fn parse_moderation(name: &str, arguments: Vec<String>) -> Result<Command, UsageError> {
    let mut data = PathBuf::from("./data");
    let mut id = None;
    let mut args = Arguments { items: arguments.into_iter(), pending_value: None };
    while let Some(flag) = args.next_flag() {
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--data" => data = PathBuf::from(args.value(&flag)?),
            text if name != "pending" && id.is_none() && !text.starts_with('-') => {
                id = Some(text.parse::<i64>().or_else(|_| error(format!("{name}: “{text}” is not a comment id")))?);
            }
            other => return error(format!("{name}: unknown argument “{other}”")),
        }
    }
    match (name, id) {
        ("pending", _) => Ok(Command::Pending { data }),
        ("approve", Some(id)) => Ok(Command::Approve { id, data }),
        ("delete", Some(id)) => Ok(Command::Delete { id, data }),
        _ => error(format!("{name} needs a comment id")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn defaults() {
        assert_eq!(parse(Vec::new()), Ok(Command::Serve(ServeOptions::default())));
    }

    #[test]
    fn every_flag() {
        let parsed = parse(args(
            "--addr 0.0.0.0:80 --data=/d --content c --static dist --moderation off --allow-origin https://a.example \
             --allow-origin=http://b.example:8080 --email optional --captcha pow --pow-max 50 --min-elapsed-ms 0 \
             --rate-burst 2 --rate-per-minute 30 --test-mode --test-pages e2e/pages --log-format json --log-level warn \
             --metrics-allow 10.0.0.0/8 --metrics-allow=192.0.2.7 --metrics-allow 2001:db8::1/32",
        ));
        let expected = ServeOptions {
            addr: SocketAddr::from(([0, 0, 0, 0], 80)),
            data: PathBuf::from("/d"),
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
            log_format: LogFormat::Json,
            log_level: LevelFilter::WARN,
            metrics_allow: ["10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"].iter().map(|text| text.parse().expect("network")).collect(),
        };
        assert_eq!(parsed, Ok(Command::Serve(expected)));
        assert!(matches!(parse(args("--rate-limit off")), Ok(Command::Serve(o)) if o.rate_limit.is_none()));
    }

    #[test]
    fn mistakes_are_named() {
        for (text, fragment) in [
            ("--addr nowhere", "--addr"),
            ("--moderation maybe", "on or off"),
            ("--allow-origin https://a.example/path", "no path"),
            ("--allow-origin a.example", "--allow-origin"),
            ("--email sometimes", "--email"),
            ("--captcha hard", "--captcha"),
            ("--pow-max lots", "whole number"),
            ("--rate-burst 0", "at least 1"),
            ("--test-pages p", "--test-mode"),
            ("--test-mode=yes", "no value"),
            ("--log-format yaml", "text or json"),
            ("--log-level debug", "error, warn or info"),
            ("--metrics-allow everyone", "--metrics-allow"),
            ("--metrics-allow 10.0.0.0/33", "--metrics-allow"),
            ("--frobnicate", "unknown"),
            ("--data", "needs a value"),
            ("approve", "needs a comment id"),
            ("approve x", "not a comment id"),
            ("delete 1 2", "unknown argument"),
        ] {
            match parse(args(text)) {
                Err(UsageError(message)) => assert!(message.contains(fragment), "{text}: {message}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn metrics_are_for_loopback_unless_told() {
        let Ok(Command::Serve(options)) = parse(Vec::new()) else { panic!("serves") };
        let allowed = |text: &str| options.metrics_allow.iter().any(|network| network.contains(&text.parse::<IpAddr>().expect("address")));
        assert!(allowed("127.0.0.1") && allowed("127.255.0.9") && allowed("::1"));
        assert!(!allowed("10.0.0.1") && !allowed("::2") && !allowed("192.168.1.1"));
    }

    #[test]
    fn moderation_subcommands() {
        assert_eq!(parse(args("pending")), Ok(Command::Pending { data: PathBuf::from("./data") }));
        assert_eq!(parse(args("approve 12 --data /x")), Ok(Command::Approve { id: 12, data: PathBuf::from("/x") }));
        assert_eq!(parse(args("delete --data=/x 7")), Ok(Command::Delete { id: 7, data: PathBuf::from("/x") }));
    }
}
