//! A real WordPress for the tests: Debian's, started by scripts/wordpress.sh (which installs it when
//! missing) in a directory under /tmp, with the test site's posts. One site per test binary, shared
//! by its tests; a test that stops WordPress starts its own. A watchdog stops it and removes its
//! directory when the test process exits.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use super::service::{path, ServiceScript};

pub const SCRIPT: ServiceScript = ServiceScript(concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/wordpress.sh"));

pub struct WordPressSite {
    pub dir: PathBuf,
    /// `http://127.0.0.1:PORT`
    pub url: String,
}

impl WordPressSite {
    /// A new site, stopped and removed when this process exits.
    pub fn start() -> WordPressSite {
        let started = Instant::now();
        let (dir, url) = SCRIPT.start_until_exit("kiosque-wp-");
        eprintln!("WordPress installed and answering at {url} in {:.1} s", started.elapsed().as_secs_f64());
        WordPressSite { dir, url }
    }

    /// This test binary's site.
    pub fn shared() -> &'static WordPressSite {
        static SHARED: OnceLock<WordPressSite> = OnceLock::new();
        SHARED.get_or_init(WordPressSite::start)
    }

    /// Stops PHP and MariaDB, as an outage would.
    pub fn stop(&self) {
        SCRIPT.run(&["stop", path(&self.dir)]);
    }

    /// Freezes (`SIGSTOP`) or thaws (`SIGCONT`) PHP's server: frozen, it still accepts connections
    /// (the kernel queues them) but answers nothing, as an overloaded WordPress would.
    pub fn signal_php(&self, signal: &str) {
        let pid = std::fs::read_to_string(self.dir.join("php.pid")).expect("php.pid");
        let status = Command::new("kill").args([signal, pid.trim()]).status().expect("run kill");
        assert!(status.success(), "kill {signal} {pid}");
    }

    pub fn addr(&self) -> SocketAddr {
        self.url.trim_start_matches("http://").parse().expect("a loopback address")
    }

    /// The site's export (WXR), made by WordPress's `export_wp()` when the site was installed.
    pub fn export_path(&self) -> PathBuf {
        self.dir.join("export.xml")
    }

    /// A must-use plugin of the site (`kiosque-comments.php`: anonymous REST comments;
    /// `kiosque-test-no-flood.php`: no flood throttle), to remove or put back.
    pub fn mu_plugin(&self, name: &str) -> PathBuf {
        self.dir.join("site/wp-content/mu-plugins").join(name)
    }

    /// Runs PHP `code` inside WordPress (its own functions, as wp-admin would), and gives what it
    /// printed: how a test checks what WordPress holds, without going through Kiosque.
    pub fn php(&self, code: &str) -> String {
        let host = self.url.trim_start_matches("http://");
        let script = format!(
            "$_SERVER['HTTP_HOST'] = '{host}'; $_SERVER['REQUEST_URI'] = '/'; require '{}/site/wp-load.php'; {code}",
            path(&self.dir)
        );
        let output = Command::new("php").args(["-d", "display_errors=stderr", "-r", &script]).output().expect("run php");
        assert!(output.status.success(), "php failed: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// A post's number, asked of WordPress itself.
    pub fn post_id(&self, slug: &str) -> i64 {
        let reply = super::request(self.addr(), "GET", &format!("/?rest_route=/wp/v2/posts&slug={slug}"), &[], None);
        reply.json()[0]["id"].as_i64().unwrap_or_else(|| panic!("no post {slug}: {}", reply.body))
    }
}
