//! Headless Chromium over WebDriver: starts Debian's `chromedriver` on a free port and opens
//! sessions with a fresh profile each; helpers to wait for what a page shows.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const INSTALL_HINT: &str = "run scripts/install-packages (it installs Debian's chromium and chromium-driver; CI does this)";

fn find_program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Ok(path) = std::env::var(env) {
        return Some(PathBuf::from(path));
    }
    let dirs = std::env::var("PATH").unwrap_or_default();
    names
        .iter()
        .flat_map(|n| std::env::split_paths(&dirs).map(move |d| d.join(n)))
        .chain(names.iter().map(|n| PathBuf::from("/usr/bin").join(n)))
        .find(|p| p.is_file())
}

/// A running chromedriver; killed when dropped.
pub struct Driver {
    child: Child,
    port: u16,
    chromium: PathBuf,
    _profiles: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    pub async fn start() -> Self {
        let driver = find_program("BT_CHROMEDRIVER", &["chromedriver"])
            .unwrap_or_else(|| panic!("chromedriver is not installed: {INSTALL_HINT}"));
        let chromium = find_program("BT_CHROMIUM", &["chromium", "chromium-browser"])
            .unwrap_or_else(|| panic!("chromium is not installed: {INSTALL_HINT}"));
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}; {INSTALL_HINT}", driver.display()));
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "chromedriver did not listen on port {port} within 20 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Self {
            child,
            port,
            chromium,
            _profiles: tempfile::tempdir().unwrap(),
        }
    }

    /// A new browser (own profile, own cookies) in a 1366×860 window.
    pub async fn browser(&self) -> Client {
        let profile = tempfile::Builder::new()
            .prefix("profile")
            .tempdir_in(self._profiles.path())
            .unwrap()
            .keep();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--ignore-certificate-errors",
            "--autoplay-policy=no-user-gesture-required",
            "--window-size=1366,860",
            "--lang=de-DE",
        ]
        .iter()
        .map(|a| Value::from(*a))
        .chain([Value::from(format!(
            "--user-data-dir={}",
            profile.display()
        ))])
        .collect::<Vec<_>>();
        let caps = json!({
            "browserName": "chrome",
            "acceptInsecureCerts": true,
            "goog:chromeOptions": { "binary": self.chromium, "args": args, "prefs": { "intl.accept_languages": "de-DE,de" } },
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!()
        };
        let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
        http.enforce_http(true);
        ClientBuilder::new(http)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("open a Chromium session through chromedriver")
    }
}

/// Runs `script` (a function body returning a value) in the page.
pub async fn eval(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap_or(Value::Null)
}

/// Waits until `script` returns something truthy (within `secs`), and returns it.
pub async fn until(c: &Client, secs: u64, what: &str, script: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let v = eval(c, script).await;
        let truthy = match &v {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            _ => true,
        };
        if truthy {
            return v;
        }
        if tokio::time::Instant::now() > deadline {
            let body = eval(c, "return document.body ? document.body.innerText : ''").await;
            panic!(
                "waited {secs} s for {what}; the page shows:\n{}",
                body.as_str().unwrap_or("")
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Text of the first element matching `css`, or "".
pub async fn text(c: &Client, css: &str) -> String {
    let script = format!(
        "const e = document.querySelector({}); return e ? e.textContent.trim() : '';",
        json!(css)
    );
    eval(c, &script).await.as_str().unwrap_or("").to_owned()
}

/// Logs in on the console page and takes `counter`.
pub async fn log_in(c: &Client, base: &str, user: &str, password: &str, counter: &str) {
    c.goto(&format!("{base}/console")).await.unwrap();
    until(c, 10, "the login form", "return !!document.querySelector('#login-form') && !document.querySelector('#login').classList.contains('hidden')").await;
    c.find(Locator::Css("#login-user"))
        .await
        .unwrap()
        .send_keys(user)
        .await
        .unwrap();
    c.find(Locator::Css("#login-password"))
        .await
        .unwrap()
        .send_keys(password)
        .await
        .unwrap();
    c.find(Locator::Css("#login-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until(
        c,
        10,
        "the console after login",
        "return !document.querySelector('#app').classList.contains('hidden')",
    )
    .await;
    c.find(Locator::Css(&format!(
        "#counter-select option[value='{counter}']"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    until(
        c,
        15,
        "the live connection",
        "return document.querySelector('#live-state').classList.contains('live')",
    )
    .await;
    // The counter is taken once the back office has confirmed it.
    let taken = format!(
        "return window.BT.state.me.counter_id === '{counter}' && document.activeElement === document.body"
    );
    until(c, 15, "the counter taken", &taken).await;
}

/// Saves a PNG screenshot when `BT_SCREENSHOT_DIR` is set (`docs/screenshots` for the README).
pub async fn screenshot(c: &Client, name: &str) {
    let Ok(dir) = std::env::var("BT_SCREENSHOT_DIR") else {
        return;
    };
    let png = c.screenshot().await.unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(PathBuf::from(dir).join(name), png).unwrap();
}
