//! Test-only stand-in for ureq 2: `post(url).set(k, v).send_string(body)`,
//! `Error::Status(code, response)` for 4xx/5xx, `Response::into_string()`.
//! HTTP/1.1 over std::net::TcpStream with `Connection: close`; http:// only.
use std::fmt;
use std::io::{self, Read, Write};
use std::net::TcpStream;

pub struct Request {
    url: String,
    headers: Vec<(String, String)>,
}

pub struct Response {
    status: u16,
    body: String,
}

pub enum Error {
    Status(u16, Response),
    Transport(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Status(code, _) => write!(f, "status code {code}"),
            Error::Transport(msg) => write!(f, "transport error: {msg}"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

pub fn post(url: &str) -> Request {
    Request { url: url.to_string(), headers: Vec::new() }
}

impl Request {
    pub fn set(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn send_string(self, body: &str) -> Result<Response, Error> {
        let transport = |e: io::Error| Error::Transport(e.to_string());
        let rest = self
            .url
            .strip_prefix("http://")
            .ok_or_else(|| Error::Transport("stub supports http:// only".into()))?;
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let mut stream = TcpStream::connect(host).map_err(transport)?;
        let mut head = format!("POST {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        stream.write_all(head.as_bytes()).map_err(transport)?;
        stream.write_all(body.as_bytes()).map_err(transport)?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).map_err(transport)?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let split = text.find("\r\n\r\n").ok_or_else(|| Error::Transport("bad response".into()))?;
        let status: u16 = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| Error::Transport("bad status line".into()))?;
        let response = Response { status, body: text[split + 4..].to_string() };
        if status >= 400 {
            return Err(Error::Status(status, response));
        }
        Ok(response)
    }
}

impl Response {
    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn into_string(self) -> io::Result<String> {
        Ok(self.body)
    }
}
