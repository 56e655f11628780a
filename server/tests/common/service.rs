//! A throwaway service that a script of `scripts/` starts (PostgreSQL, WordPress): its directory
//! under /tmp, the script's calls, and a watchdog that stops it once the tests have exited.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct ServiceScript(pub &'static str);

impl ServiceScript {
    /// Runs the script with `arguments`; its trimmed stdout (a URL, for `start`).
    pub fn run(&self, arguments: &[&str]) -> String {
        let output = Command::new("bash").arg(self.0).args(arguments).stderr(Stdio::inherit()).output().expect("run the script");
        assert!(output.status.success(), "{} {arguments:?} failed", self.0);
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// `start` in a new directory, stopped and removed when this process exits: the directory
    /// and what `start` printed.
    pub fn start_until_exit(&self, prefix: &str) -> (PathBuf, String) {
        // Directly under /tmp: a service running as another user (postgres) must reach it.
        let dir = tempfile::Builder::new().prefix(prefix).tempdir_in("/tmp").expect("temporary directory").keep();
        let url = self.run(&["start", path(&dir)]);
        let watchdog = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; bash {script} stop {dir}; rm -rf {dir}",
            pid = std::process::id(),
            script = self.0,
            dir = path(&dir),
        );
        // Never waited for: it must outlive this process, to stop the service once the tests exit.
        #[allow(clippy::zombie_processes)]
        Command::new("bash")
            .args(["-c", &watchdog])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the watchdog");
        (dir, url)
    }
}

pub fn path(dir: &Path) -> &str {
    dir.to_str().expect("a UTF-8 path")
}
