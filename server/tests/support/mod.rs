//! A real LSP client for end-to-end tests: spawns the `argus-lsp` binary, speaks JSON-RPC over
//! its stdio, and fails on timeouts instead of hanging.
#![allow(dead_code)]

pub mod backend;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const TIMEOUT: Duration = Duration::from_secs(30);

pub struct LspClient {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    /// The server's cache directory (its sled store): per client, never the user's.
    _cache: tempfile::TempDir,
    /// Server → client messages not consumed yet.
    pub backlog: Vec<Value>,
}

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_argus-lsp")
}

impl LspClient {
    pub fn spawn(envs: &[(&str, &str)]) -> Self {
        let cache = tempfile::tempdir().expect("cache dir");
        let mut cmd = Command::new(binary());
        cmd.arg("lsp").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::inherit());
        cmd.env("XDG_CACHE_HOME", cache.path());
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn argus-lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(v) = header.strip_prefix("Content-Length: ") {
                        length = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length header")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let msg: Value = serde_json::from_slice(&body).expect("server sent valid JSON");
                if tx.send(msg).is_err() {
                    return;
                }
            }
        });
        LspClient { child, stdin, rx, next_id: 1, backlog: Vec::new(), _cache: cache }
    }

    /// Spawn and run `initialize` + `initialized` with a root and options.
    pub fn start(root: Option<&Path>, options: Value, encodings: &[&str]) -> (Self, Value) {
        let mut client = Self::spawn(&[]);
        let result = client.initialize(root, options, encodings);
        (client, result)
    }

    pub fn initialize(&mut self, root: Option<&Path>, options: Value, encodings: &[&str]) -> Value {
        let root_uri = root.map(|r| format!("file://{}", r.display()));
        let folders = root_uri.as_ref().map(|u| json!([{ "uri": u, "name": "root" }]));
        let result = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": root_uri,
                    "workspaceFolders": folders,
                    "initializationOptions": options,
                    "capabilities": {
                        "general": { "positionEncodings": encodings },
                        "window": { "workDoneProgress": true },
                        "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true }, "codeLens": { "refreshSupport": true } },
                        "textDocument": { "publishDiagnostics": { "versionSupport": true } }
                    }
                }),
            )
            .expect("initialize succeeds");
        self.notify("initialized", json!({}));
        result
    }

    fn send(&mut self, msg: &Value) {
        let body = serde_json::to_string(msg).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).expect("write to server");
        self.stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Send a request and wait for its response: `Ok(result)` or `Err(error)`.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let msg = self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none(), &format!("response to {method}"));
        match msg.get("error") {
            Some(error) => Err(error.clone()),
            None => Ok(msg.get("result").cloned().unwrap_or(Value::Null)),
        }
    }

    fn recv(&mut self, deadline: Instant, what: &str) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(msg) => {
                // Answer server → client requests so the server never waits on us.
                if let (Some(id), Some(_)) = (msg.get("id"), msg.get("method")) {
                    let id = id.clone();
                    self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": null }));
                }
                msg
            }
            Err(RecvTimeoutError::Timeout) => panic!("timed out after {TIMEOUT:?} waiting for {what}; backlog: {:#?}", self.backlog),
            Err(RecvTimeoutError::Disconnected) => panic!("server closed its output while waiting for {what}"),
        }
    }

    /// The first message (from the backlog, then the stream) that matches.
    pub fn wait_for(&mut self, pred: impl Fn(&Value) -> bool, what: &str) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = self.recv(deadline, what);
            if pred(&msg) {
                return msg;
            }
            self.backlog.push(msg);
        }
    }

    pub fn wait_notification(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let m = method.to_string();
        self.wait_for(move |msg| msg.get("method").and_then(Value::as_str) == Some(&m) && pred(&msg["params"]), method)["params"].clone()
    }

    /// The diagnostics published for `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let params = self.wait_notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && (version.is_none() || p["version"] == json!(version))
        });
        params["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    pub fn open(&mut self, uri: &str, language: &str, text: &str, version: i64) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": version, "text": text } }),
        );
    }

    /// `shutdown` + `exit`; the process must end by itself with status 0.
    pub fn shutdown(mut self) {
        self.request("shutdown", Value::Null).expect("shutdown succeeds");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "server exited with {status}");
                return;
            }
            assert!(Instant::now() < deadline, "server did not exit after `exit`");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Byte-free helpers: the position (line, UTF-16 column) of the first occurrence of `needle`.
pub fn utf16_position(text: &str, needle: &str) -> (u32, u32) {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in text"));
    let before = &text[..at];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].encode_utf16().count() as u32)
}

pub fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The bundled example project, `tests/examples`.
pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/examples").canonicalize().expect("tests/examples")
}

/// Copy a directory tree (fixtures into a fresh workspace).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Wait for diagnostics of `uri` that include a `ci-failure`; returns them all.
pub fn diagnostics_with_failure(client: &mut LspClient, uri: &str) -> Vec<Value> {
    client.wait_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && p["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["code"] == "ci-failure"))
    })["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// `git` with fixed arguments in `root`, as a committer who needs no global config.
pub fn git(root: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=Shop Dev", "-c", "user.email=dev@shop.test", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(root)
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
