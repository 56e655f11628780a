//! A real PostgreSQL for the tests: Debian's, started by scripts/postgres.sh (which installs it when
//! missing) in a directory under /tmp, as the `postgres` user. One cluster per test binary, shared by
//! its tests, each test in a database of its own; a test that stops the database starts its own.
//! A watchdog stops the cluster and removes its directory when the test process exits.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use super::service::{path, ServiceScript};

pub const SCRIPT: ServiceScript = ServiceScript(concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/postgres.sh"));

pub struct PgCluster {
    pub dir: PathBuf,
    /// The cluster's own `kiosque` database.
    pub url: String,
    databases: AtomicUsize,
}

impl PgCluster {
    /// A new cluster, stopped and removed when this process exits.
    pub fn start() -> PgCluster {
        let (dir, url) = SCRIPT.start_until_exit("kiosque-pg-");
        PgCluster { dir, url, databases: AtomicUsize::new(0) }
    }

    /// This test binary's cluster.
    pub fn shared() -> &'static PgCluster {
        static SHARED: OnceLock<PgCluster> = OnceLock::new();
        SHARED.get_or_init(PgCluster::start)
    }

    /// A new empty database on this cluster, for one test.
    pub fn new_database(&self) -> String {
        let name = format!("test_{}_{}", std::process::id(), self.databases.fetch_add(1, Ordering::Relaxed));
        let output = Command::new("psql")
            .args([self.url.as_str(), "-v", "ON_ERROR_STOP=1", "-qc", &format!("CREATE DATABASE {name}")])
            .output()
            .expect("run psql");
        assert!(output.status.success(), "CREATE DATABASE: {}", String::from_utf8_lossy(&output.stderr));
        match self.url.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("no database in {}", self.url),
        }
    }

    /// Stops the server (fast shutdown: open connections are cut), as an operator or a crash would.
    pub fn stop(&self) {
        SCRIPT.run(&["stop", path(&self.dir)]);
    }

    /// Starts it again on the same port.
    pub fn restart(&self) {
        SCRIPT.run(&["start", path(&self.dir)]);
    }

    /// Runs one SQL statement and returns psql's unaligned output.
    pub fn sql(url: &str, statement: &str) -> String {
        let output = Command::new("psql").args([url, "-v", "ON_ERROR_STOP=1", "-tAqc", statement]).output().expect("run psql");
        assert!(output.status.success(), "{statement}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }
}

