//! Real backends on 127.0.0.1 for integration tests: json-server 0.17.4 (npm, installed by
//! `scripts/setup.sh test` into tests/e2e/node_modules) and BottleCRM (django-crm 1.35.0, set up
//! and started by `scripts/backends/bottlecrm.sh`). Missing tools fail the test with the command
//! that installs them.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn wait_for(port: u16, what: &str) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{what} did not start on port {port} within 30 s");
}

/// A json-server process with its own database file; killed when dropped.
pub struct JsonServer {
    child: Child,
    pub url: String,
    pub db: PathBuf,
    _dir: TempDir,
}

impl Drop for JsonServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts json-server on a free port over a database holding `db` (a JSON object of arrays).
pub fn json_server(db: &serde_json::Value) -> JsonServer {
    json_server_with(db, &[], &[])
}

/// json-server behind the token login of `tests/fixtures/json-server-login.js` (user `rep`,
/// password `s3cret`; an access token lasts `uses` requests).
pub fn json_server_with_login(db: &serde_json::Value, uses: u32) -> JsonServer {
    json_server_with_login_expiring(db, uses, 401)
}

/// [`json_server_with_login`] answering an expired token with `status` (401, or 403 as many
/// backends do).
pub fn json_server_with_login_expiring(db: &serde_json::Value, uses: u32, status: u16) -> JsonServer {
    let mw = repo().join("tests/fixtures/json-server-login.js");
    let (uses, status) = (uses.to_string(), status.to_string());
    json_server_with(
        db,
        &["--middlewares", mw.to_str().unwrap_or_default()],
        &[("KEHU_TOKEN_USES", &uses), ("KEHU_EXPIRED_STATUS", &status)],
    )
}

fn json_server_with(db: &serde_json::Value, args: &[&str], env: &[(&str, &str)]) -> JsonServer {
    let bin = repo().join("tests/e2e/node_modules/.bin/json-server");
    assert!(bin.exists(), "json-server is not installed: run `scripts/setup.sh test` (or `make test`)");
    let dir = TempDir::new("json-server");
    let path = dir.0.join("db.json");
    std::fs::File::create(&path).and_then(|mut f| f.write_all(db.to_string().as_bytes())).expect("write db.json");
    let port = free_port();
    let mut cmd = Command::new(bin);
    cmd.args([path.to_str().unwrap_or_default(), "--host", "127.0.0.1", "--port", &port.to_string(), "--quiet"]);
    cmd.args(args).envs(env.iter().copied());
    let child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("start json-server");
    wait_for(port, "json-server");
    JsonServer { child, url: format!("http://127.0.0.1:{port}"), db: path, _dir: dir }
}

impl JsonServer {
    /// The database as json-server last wrote it.
    pub fn stored(&self) -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(&self.db).unwrap_or_default()).unwrap_or_default()
    }
}

/// A running BottleCRM: base URL and a personal access token.
#[derive(Clone)]
pub struct BottleCrm {
    pub url: String,
    pub token: String,
}

/// The BottleCRM the test command started (`KEHU_BOTTLECRM_URL`, `KEHU_BOTTLECRM_TOKEN`), or
/// one started now on a fresh database (left running for the next test binary; `scripts/backends/bottlecrm.sh stop`).
/// Started once per test binary: the tests of one binary run at the same time, and a second
/// start would stop the server the first one is using.
pub fn bottlecrm() -> BottleCrm {
    if let (Ok(url), Ok(token)) = (std::env::var("KEHU_BOTTLECRM_URL"), std::env::var("KEHU_BOTTLECRM_TOKEN")) {
        return BottleCrm { url, token };
    }
    static STARTED: std::sync::OnceLock<BottleCrm> = std::sync::OnceLock::new();
    STARTED.get_or_init(start_bottlecrm).clone()
}

fn start_bottlecrm() -> BottleCrm {
    let script = repo().join("scripts/backends/bottlecrm.sh");
    let port = free_port();
    let out = Command::new("bash")
        .arg(&script)
        .args(["start", &port.to_string()])
        .stderr(Stdio::inherit())
        .output()
        .expect("run bottlecrm.sh");
    assert!(
        out.status.success(),
        "BottleCRM did not start: run `scripts/backends/bottlecrm.sh setup` (part of `make test`)"
    );
    let url = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let creds: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join(".cache/bottlecrm/credentials.json")).expect("credentials.json"),
    )
    .expect("credentials JSON");
    let token = creds["token"].as_str().expect("a token").to_string();
    BottleCrm { url, token }
}

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let p = std::env::temp_dir().join(format!("kehu-{prefix}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
