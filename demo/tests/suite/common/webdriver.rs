//! A small W3C WebDriver client over plain TCP: starts `chromedriver` driving headless Chromium,
//! and offers what the playground's browser tests need (load, find, click, type, read, run a
//! script, screenshot).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// The key WebDriver names element references by.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long a wait for the page may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// A headless Chromium under chromedriver, with a fresh profile; closed when dropped.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

/// Why no browser: the one line to print, or a failure when `PLAYGROUND_REQUIRE_BROWSER=1`.
fn missing(what: &str) -> Option<Browser> {
    let line = format!(
        "browser tests skipped: {what} is not installed (apt-get install chromium chromium-driver)"
    );
    if std::env::var("PLAYGROUND_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!("{line}, and PLAYGROUND_REQUIRE_BROWSER=1 requires it");
    }
    eprintln!("{line}");
    None
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    listener.local_addr().expect("its address").port()
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session with a `width × height` window, or
    /// says what to install and returns `None` when either is missing.
    pub fn launch(width: u32, height: u32) -> Option<Browser> {
        for program in [CHROMEDRIVER, CHROMIUM] {
            if !Path::new(program).exists() {
                return missing(program);
            }
        }
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().expect("a temporary profile directory");
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            _profile: profile,
        };
        let started = Instant::now();
        while request(port, "GET", "/status", None).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not answer on port {port} within 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let args = [
            "--headless".to_string(),
            "--no-sandbox".to_string(),
            "--disable-gpu".to_string(),
            "--disable-quic".to_string(),
            "--no-first-run".to_string(),
            "--disable-background-networking".to_string(),
            "--disable-component-update".to_string(),
            "--disable-sync".to_string(),
            "--disable-dev-shm-usage".to_string(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", browser._profile.path().display()),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
        }}});
        let created = browser.command("POST", "/session", Some(&capabilities));
        browser.session = created["sessionId"]
            .as_str()
            .expect("a new session's id")
            .to_string();
        Some(browser)
    }

    /// Sends one WebDriver command and returns its `value`, panicking with the driver's message
    /// on an error.
    fn command(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let (status, answer) = request(self.port, method, path, body)
            .unwrap_or_else(|error| panic!("webdriver {method} {path}: {error}"));
        let value = answer.get("value").cloned().unwrap_or(Value::Null);
        assert!(
            status < 400,
            "webdriver {method} {path} answered {status}: {}",
            value.get("message").unwrap_or(&value)
        );
        value
    }

    fn session_command(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        self.command(method, &format!("/session/{}{path}", self.session), body)
    }

    /// Loads `url`.
    pub fn goto(&self, url: &str) {
        self.session_command("POST", "/url", Some(&json!({"url": url})));
    }

    /// The element `css` selects (the first), panicking when there is none.
    pub fn find(&self, css: &str) -> String {
        let found = self.session_command(
            "POST",
            "/element",
            Some(&json!({"using": "css selector", "value": css})),
        );
        found[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_string()
    }

    pub fn click(&self, css: &str) {
        let element = self.find(css);
        self.session_command(
            "POST",
            &format!("/element/{element}/click"),
            Some(&json!({})),
        );
    }

    /// Types `text` into the element (for a file input: the path of the file to choose).
    pub fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.session_command(
            "POST",
            &format!("/element/{element}/value"),
            Some(&json!({"text": text})),
        );
    }

    /// The element's rendered text.
    pub fn text(&self, css: &str) -> String {
        let element = self.find(css);
        let text = self.session_command("GET", &format!("/element/{element}/text"), None);
        text.as_str().unwrap_or_default().to_string()
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page, returning its result.
    pub fn execute(&self, script: &str, args: Value) -> Value {
        self.session_command(
            "POST",
            "/execute/sync",
            Some(&json!({"script": script, "args": args})),
        )
    }

    /// A PNG of the element `css` as drawn.
    pub fn element_screenshot(&self, css: &str) -> Vec<u8> {
        let element = self.find(css);
        let encoded = self.session_command("GET", &format!("/element/{element}/screenshot"), None);
        base64_decode(encoded.as_str().expect("base64 text"))
    }

    /// A PNG of the whole window.
    pub fn screenshot(&self) -> Vec<u8> {
        let encoded = self.session_command("GET", "/screenshot", None);
        base64_decode(encoded.as_str().expect("base64 text"))
    }

    /// Polls `ready` until it holds, failing after [`PATIENCE`] with `what` and the page's error.
    pub fn wait_until(&self, what: &str, mut ready: impl FnMut(&Browser) -> bool) {
        let started = Instant::now();
        while !ready(self) {
            if started.elapsed() > PATIENCE {
                let error = self.execute(
                    "return document.getElementById('error')?.textContent || '';",
                    json!([]),
                );
                panic!("waited {PATIENCE:?} for {what}; the page's error box says: {error}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = request(
                self.port,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// One HTTP/1.1 request to `127.0.0.1:port` with an optional JSON body; the status and the
/// JSON answer (`null` when the body is not JSON).
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    let (status, bytes) = request_bytes(port, method, path, body)?;
    Ok((
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}

/// As [`request`], with the answer's body as bytes.
pub fn request_bytes(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> std::io::Result<(u16, Vec<u8>)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(120)))?;
    let payload = body.map(Value::to_string).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        payload.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(payload.as_bytes())?;
    // chromedriver says `Connection: close` but keeps the connection open: read the head, then
    // exactly the body its length announces.
    let mut answer = Vec::new();
    let mut buffer = [0u8; 64 * 1024];
    let split = loop {
        if let Some(split) = answer.windows(4).position(|window| window == b"\r\n\r\n") {
            break split;
        }
        let read = stream.read(&mut buffer)?;
        if read == 0 {
            return Err(std::io::Error::other(
                "the connection closed before the head ended",
            ));
        }
        answer.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&answer[..split]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {head:?}")))?;
    let length = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        (name.trim() == "content-length").then(|| value.trim().parse::<usize>().ok())?
    });
    let mut body = answer[split + 4..].to_vec();
    match length {
        Some(length) => {
            while body.len() < length {
                let read = stream.read(&mut buffer)?;
                if read == 0 {
                    break;
                }
                body.extend_from_slice(&buffer[..read]);
            }
            body.truncate(length);
        }
        None => {
            stream.read_to_end(&mut body)?;
        }
    }
    let body = if head.contains("transfer-encoding: chunked")
        || head.contains("transfer-encoding:chunked")
    {
        dechunk(&body)
    } else {
        body
    };
    Ok((status, body))
}

/// The body of a chunked transfer: each chunk's hex length line, then its bytes.
fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut joined = Vec::new();
    while let Some(end) = body.windows(2).position(|window| window == b"\r\n") {
        let length_text = String::from_utf8_lossy(&body[..end]);
        let length_text = length_text.split(';').next().unwrap_or("0").trim();
        let length = usize::from_str_radix(length_text, 16).unwrap_or(0);
        if length == 0 {
            break;
        }
        let start = end + 2;
        joined.extend_from_slice(&body[start..(start + length).min(body.len())]);
        body = &body[(start + length + 2).min(body.len())..];
    }
    joined
}

/// Standard base64 (with padding) to bytes.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("base64: unexpected character {:?}", c as char),
    };
    let digits: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .map(value)
        .collect();
    let mut bytes = Vec::with_capacity(digits.len() * 3 / 4);
    for group in digits.chunks(4) {
        let bits = group
            .iter()
            .enumerate()
            .fold(0u32, |bits, (index, &digit)| {
                bits | u32::from(digit) << (18 - 6 * index)
            });
        bytes.extend_from_slice(&bits.to_be_bytes()[1..group.len()]);
    }
    bytes
}

#[test]
fn base64_decodes_with_and_without_padding() {
    assert_eq!(base64_decode("TWFu"), b"Man");
    assert_eq!(base64_decode("TWE="), b"Ma");
    assert_eq!(base64_decode("TQ=="), b"M");
    assert_eq!(base64_decode("aGVsbG8gd29ybGQ="), b"hello world");
}
