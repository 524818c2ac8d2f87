//! A local HTTP/1.1 server on 127.0.0.1 standing in for the Argus backend: answers with
//! ARGUS-API.md's field names (tests/fixtures/backend) and can be told to fail (401, 500,
//! hang, truncated bodies, huge bodies, 304).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/backend").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Clone)]
pub enum Reply {
    Json { status: u16, etag: Option<String>, body: Vec<u8> },
    NotModified,
    /// Accept the request and never answer.
    Hang,
    /// A close-delimited body of this many bytes (no Content-Length).
    Stream(u64),
    /// A Content-Length promising more than is sent, then close.
    CutConnection(Vec<u8>),
}

pub fn ok(body: Vec<u8>) -> Reply {
    Reply::Json { status: 200, etag: None, body }
}

pub type Handler = Box<dyn FnMut(&Req) -> Reply + Send>;

pub struct Server {
    pub url: String,
    requests: Arc<Mutex<Vec<Req>>>,
    handler: Arc<Mutex<Handler>>,
    accept: tokio::task::JoinHandle<()>,
}

impl Server {
    pub async fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Mutex<Handler>> = Arc::new(Mutex::new(Box::new(fixtures)));
        let (reqs, h) = (requests.clone(), handler.clone());
        let accept = tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else { return };
                let (reqs, h) = (reqs.clone(), h.clone());
                tokio::spawn(async move {
                    let _ = serve(sock, reqs, h).await;
                });
            }
        });
        Server { url, requests, handler, accept }
    }

    /// Closes the listening socket: connections are refused from now on.
    pub async fn stop(self) {
        self.accept.abort();
        let _ = self.accept.await;
    }

    pub fn set(&self, f: impl FnMut(&Req) -> Reply + Send + 'static) {
        *self.handler.lock().unwrap() = Box::new(f);
    }

    pub fn requests(&self) -> Vec<Req> {
        self.requests.lock().unwrap().clone()
    }
}

/// The happy backend: fixtures by path.
pub fn fixtures(req: &Req) -> Reply {
    let path = req.target.split('?').next().unwrap();
    match path {
        "/api/v1/cicd/builds" => ok(fixture("builds.json")),
        "/api/v1/quality/events" => ok(fixture("events.json")),
        "/api/v1/quality/risk-scores" => ok(fixture("risk-scores.json")),
        p if p.ends_with("/patterns") => ok(fixture("patterns.json")),
        p if p.ends_with("/suggest") => ok(fixture("suggest.json")),
        p if p.contains("/approve/") || p.contains("/reject/") => ok(b"{\"ok\": true}".to_vec()),
        _ => Reply::Json { status: 404, etag: None, body: b"{\"detail\":\"Not Found\"}".to_vec() },
    }
}

async fn serve(mut sock: TcpStream, reqs: Arc<Mutex<Vec<Req>>>, h: Arc<Mutex<Handler>>) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 4096];
    let head_end = loop {
        let n = sock.read(&mut tmp).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&tmp[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap().split(' ');
    let (method, target) = (first.next().unwrap().to_string(), first.next().unwrap().to_string());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < len {
        let n = sock.read(&mut tmp).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&tmp[..n]);
    }
    let req = Req { method, target, headers, body };
    reqs.lock().unwrap().push(req.clone());
    let reply = (h.lock().unwrap())(&req);
    match reply {
        Reply::Json { status, etag, body } => {
            let etag = etag.map(|e| format!("ETag: {e}\r\n")).unwrap_or_default();
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{etag}Connection: close\r\n\r\n",
                body.len()
            );
            sock.write_all(head.as_bytes()).await?;
            sock.write_all(&body).await?;
        }
        Reply::NotModified => {
            sock.write_all(b"HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n").await?;
        }
        Reply::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        Reply::Stream(total) => {
            sock.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n[").await?;
            let chunk = vec![b' '; 64 * 1024];
            let mut sent = 0u64;
            while sent < total {
                // The client hanging up ends this with an error, as it should.
                sock.write_all(&chunk).await?;
                sent += chunk.len() as u64;
            }
        }
        Reply::CutConnection(body) => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len() * 2);
            sock.write_all(head.as_bytes()).await?;
            sock.write_all(&body).await?;
        }
    }
    sock.shutdown().await.ok();
    Ok(())
}
