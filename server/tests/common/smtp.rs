//! A real SMTP server on loopback for the notification tests: Python's aiosmtpd, run by
//! scripts/smtp-sink.sh (which installs it from PyPI in target/smtp-venv on first use). Every
//! message it accepts lands in a directory, read back here with a real mail parser.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/smtp-sink.sh");

/// A port nothing listens on right now (for a sink started later, or never).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr()).expect("a free port").port()
}

/// One received mail, parsed.
#[derive(Clone, Debug)]
pub struct Mail {
    pub to: String,
    pub from: String,
    pub subject: String,
    pub body: String,
    pub content_type: String,
    pub list_unsubscribe: Option<String>,
    pub list_unsubscribe_post: Option<String>,
}

impl Mail {
    fn parse(raw: &[u8]) -> Mail {
        let message = mail_parser::MessageParser::default().parse(raw).expect("a mail");
        let address = |found: Option<&mail_parser::Address<'_>>| {
            found.and_then(|address| address.first()).and_then(|addr| addr.address()).unwrap_or_default().to_string()
        };
        let raw_header = |name: &str| message.header_raw(name).map(|value| value.trim().to_string());
        Mail {
            to: address(message.to()),
            from: address(message.from()),
            subject: message.subject().unwrap_or_default().to_string(),
            // Mail lines end in CRLF on the wire; the tests compare texts as the server wrote them.
            body: message.body_text(0).map(|text| text.replace("\r\n", "\n")).unwrap_or_default(),
            content_type: raw_header("Content-Type").unwrap_or_default(),
            list_unsubscribe: raw_header("List-Unsubscribe"),
            list_unsubscribe_post: raw_header("List-Unsubscribe-Post"),
        }
    }

    /// The first link of the body that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        self.body.split_whitespace().find(|word| word.starts_with(prefix)).map(str::to_string)
    }
}

pub struct SmtpSink {
    pub port: u16,
    dir: PathBuf,
    child: Child,
    /// Closing it stops the sink (also when this process dies).
    _stdin: ChildStdin,
}

impl SmtpSink {
    /// Starts receiving on `port` into `dir` (mails already there are kept).
    pub fn start(port: u16, dir: &Path) -> SmtpSink {
        let mut child = Command::new("bash")
            .arg(SCRIPT)
            .args(["run", &port.to_string(), dir.to_str().expect("a UTF-8 path")])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start scripts/smtp-sink.sh");
        let stdin = child.stdin.take().expect("stdin");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read the sink's first line");
        assert!(line.contains("listening"), "the SMTP sink did not start: {line:?}");
        SmtpSink { port, dir: dir.to_path_buf(), child, _stdin: stdin }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every mail received so far, oldest first.
    pub fn mails(&self) -> Vec<Mail> {
        received(&self.dir)
    }

    /// Waits until `count` mails have arrived (at most `timeout`), and returns them all.
    pub fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Mail> {
        wait_for(&self.dir, count, timeout)
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn received(dir: &Path) -> Vec<Mail> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(Result::ok).map(|entry| entry.path()).filter(|path| path.extension().is_some_and(|e| e == "eml")).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files.iter().map(|path| Mail::parse(&std::fs::read(path).expect("read a mail"))).collect()
}

pub fn wait_for(dir: &Path, count: usize, timeout: Duration) -> Vec<Mail> {
    let started = Instant::now();
    loop {
        let mails = received(dir);
        if mails.len() >= count {
            return mails;
        }
        assert!(started.elapsed() < timeout, "{} mails after {timeout:?}, expected {count}: {mails:#?}", mails.len());
        std::thread::sleep(Duration::from_millis(50));
    }
}
