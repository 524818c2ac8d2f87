//! Shared by the browser suites: a tiny static HTTP server on 127.0.0.1 for the page
//! fixtures, and a browser for the machine's Chromium + chromedriver.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use argus_lsp::browser::{Browser, BrowserSettings};

pub fn pages_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/pages")
}

/// Serves files of a directory (GET only; 404 otherwise) until dropped.
pub struct PageServer {
    pub port: u16,
    stop: Arc<AtomicBool>,
}

impl PageServer {
    pub fn start(root: PathBuf) -> PageServer {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let root = root.clone();
                        std::thread::spawn(move || serve(stream, &root));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        PageServer { port, stop }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{}", self.port, path.trim_start_matches('/'))
    }
}

impl Drop for PageServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn serve(stream: std::net::TcpStream, root: &Path) {
    stream.set_nonblocking(false).ok();
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/").split('?').next().unwrap_or("/").to_string();
    let file = root.join(path.trim_start_matches('/'));
    let safe = !path.contains("..");
    let (status, body, kind) = match std::fs::read(&file) {
        Ok(body) if safe && file.is_file() => ("200 OK", body, "text/html; charset=utf-8"),
        _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    let mut out = &stream;
    let head = format!("HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    let _ = out.write_all(head.as_bytes()).and_then(|_| out.write_all(&body));
}

/// A browser for this machine: chromedriver and Chromium from PATH (as the defaults do),
/// allowed on 127.0.0.1 only.
pub fn browser() -> Browser {
    let config = argus_lsp::config::Browser::default();
    Browser::new(BrowserSettings::from_config(&config, None))
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}
