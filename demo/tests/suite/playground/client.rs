//! A minimal HTTP/1.1 client: one request per connection, `Content-Length` or chunked bodies,
//! and a reader of server-sent events.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use demo::serve::Server;
use serde_json::Value;

/// How long a test waits for the server before calling it stuck.
const PATIENCE: Duration = Duration::from_secs(60);

/// One response.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "status {}: the body is not JSON ({error}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The `error` line of a JSON error body.
    #[track_caller]
    pub fn error(&self) -> String {
        self.json()["error"]
            .as_str()
            .unwrap_or_else(|| panic!("no error line in {}", self.text()))
            .to_string()
    }
}

fn connect(address: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(address).expect("the server accepts connections");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.set_nodelay(true).unwrap();
    stream
}

/// Writes a request; a server that answers before reading the whole body may close the
/// connection under the write, so write errors are left to the reading side.
fn send(stream: &mut TcpStream, method: &str, path: &str, body: Option<&[u8]>) {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    if let Some(body) = body {
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    if let Some(body) = body {
        let _ = stream.write_all(body);
    }
}

/// The status line and headers.
fn read_head(reader: &mut impl BufRead) -> (u16, Vec<(String, String)>) {
    let mut line = String::new();
    reader.read_line(&mut line).expect("a status line");
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not a status line: {line:?}"));
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).expect("a header line");
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            return (status, headers);
        }
        let (key, value) = trimmed.split_once(':').expect("a header");
        headers.push((key.trim().to_string(), value.trim().to_string()));
    }
}

/// One chunk of a chunked body; `None` at the last (empty) chunk.
fn read_chunk(reader: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut size_line = String::new();
    reader.read_line(&mut size_line).ok()?;
    let size = usize::from_str_radix(size_line.trim().split(';').next()?, 16).ok()?;
    let mut chunk = vec![0; size + 2];
    reader.read_exact(&mut chunk).ok()?;
    chunk.truncate(size);
    (size > 0).then_some(chunk)
}

/// Sends one request and reads the whole response.
pub fn request(address: SocketAddr, method: &str, path: &str, body: Option<&[u8]>) -> Response {
    let mut stream = connect(address);
    send(&mut stream, method, path, body);
    let mut reader = BufReader::new(stream);
    let (status, headers) = read_head(&mut reader);
    let response = Response {
        status,
        headers,
        body: Vec::new(),
    };
    let chunked = response
        .header("transfer-encoding")
        .is_some_and(|value| value.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        let mut body = Vec::new();
        while let Some(chunk) = read_chunk(&mut reader) {
            body.extend(chunk);
        }
        body
    } else {
        let length: usize = response
            .header("content-length")
            .and_then(|value| value.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body).expect("the whole body");
        body
    };
    Response { body, ..response }
}

/// Sends only the head of a request that declares a body of `length` bytes, and reads the
/// response (for a refusal that must come before the body is read).
pub fn declare_body(address: SocketAddr, path: &str, length: usize) -> Response {
    let mut stream = connect(address);
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    let mut reader = BufReader::new(stream);
    let (status, headers) = read_head(&mut reader);
    let length: usize = headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("the whole body");
    Response {
        status,
        headers,
        body,
    }
}

/// `GET path`.
pub fn get(address: SocketAddr, path: &str) -> Response {
    request(address, "GET", path, None)
}

/// `POST path` with a JSON body.
pub fn post(address: SocketAddr, path: &str, body: &Value) -> Response {
    request(address, "POST", path, Some(body.to_string().as_bytes()))
}

/// A server on a free port.
pub fn server() -> Server {
    Server::start("127.0.0.1", 0).expect("a free port")
}

/// Creates a session of `config` and returns its JSON, asserting a 201.
#[track_caller]
pub fn create(address: SocketAddr, config: &Value) -> Value {
    let response = post(address, "/api/sessions", config);
    assert_eq!(response.status, 201, "{}", response.text());
    response.json()
}

/// `passes` more passes of session `id`, asserting a 200; the frame.
#[track_caller]
pub fn step(address: SocketAddr, id: &str, passes: usize) -> Value {
    let response = post(
        address,
        &format!("/api/sessions/{id}/step"),
        &serde_json::json!({ "passes": passes }),
    );
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()
}

/// The stream URL of session `id`, `passes_per_frame` passes a frame.
pub fn stream_path(id: &str, passes_per_frame: usize) -> String {
    format!("/api/sessions/{id}/stream?passes_per_frame={passes_per_frame}")
}

/// Creates a session of `config` (asserting a 201) and opens its stream, `passes_per_frame`
/// passes a frame; the session's id and the open stream.
#[track_caller]
pub fn new_stream(
    address: SocketAddr,
    config: &Value,
    passes_per_frame: usize,
) -> (String, EventReader) {
    let session = create(address, config);
    let id = session["id"].as_str().unwrap().to_string();
    let events = EventReader::open(address, &stream_path(&id, passes_per_frame));
    (id, events)
}

/// An open `/stream` response, read event by event.
pub struct EventReader {
    reader: BufReader<TcpStream>,
    pending: String,
    pub status: u16,
}

impl EventReader {
    /// Opens `path` (a stream URL).
    pub fn open(address: SocketAddr, path: &str) -> EventReader {
        let mut stream = connect(address);
        send(&mut stream, "GET", path, None);
        let mut reader = BufReader::new(stream);
        let (status, _) = read_head(&mut reader);
        EventReader {
            reader,
            pending: String::new(),
            status,
        }
    }

    /// The next event's `data:` text, or `None` when the stream has ended.
    pub fn next_data(&mut self) -> Option<String> {
        loop {
            if let Some(end) = self.pending.find("\n\n") {
                let event: String = self.pending.drain(..end + 2).collect();
                return event
                    .lines()
                    .find_map(|line| line.strip_prefix("data: "))
                    .map(str::to_string);
            }
            let chunk = read_chunk(&mut self.reader)?;
            self.pending.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The next event as JSON.
    pub fn next_json(&mut self) -> Option<Value> {
        self.next_data()
            .map(|data| serde_json::from_str(&data).unwrap())
    }
}
