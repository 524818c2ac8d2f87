//! The failure-event model: one [`FailureEvent`] per test result (one per retry), whatever
//! the report format. Plain data; serde names are snake_case.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::message::MessageFacts;

/// Where an event came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventSource {
    /// A Playwright JSON report (`--reporter=json`).
    PlaywrightJson,
    /// A JUnit XML report (pytest, Playwright junit, jest-junit, Maven surefire, …).
    Junit,
    /// The Argus backend (CI build `metadata.failures[]`, production events).
    ArgusBackend,
}

/// Outcome of one test run (one attempt).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Passed,
    /// An assertion failed or an error was thrown (JUnit `<failure>` and `<error>`).
    Failed,
    /// The test (not a single action) hit its timeout (Playwright `timedOut`).
    TimedOut,
    Skipped,
    /// The run was stopped (Playwright `interrupted`, e.g. Ctrl-C or max failures).
    Interrupted,
}

impl Status {
    /// Parses Playwright's result status (`passed`, `failed`, `timedOut`, `skipped`,
    /// `interrupted`).
    pub fn from_playwright(s: &str) -> Option<Status> {
        Some(match s {
            "passed" => Status::Passed,
            "failed" => Status::Failed,
            "timedOut" => Status::TimedOut,
            "skipped" => Status::Skipped,
            "interrupted" => Status::Interrupted,
            _ => return None,
        })
    }

    /// Whether the attempt did not pass (failed, timed out or interrupted).
    pub fn is_failure(self) -> bool {
        matches!(self, Status::Failed | Status::TimedOut | Status::Interrupted)
    }
}

/// A position in a source file. Lines and columns are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// The path as the report wrote it (absolute for Playwright `error.location`, relative to
    /// the runner's working directory in pytest failure texts).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, when the report gives one.
    pub column: Option<u32>,
}

/// One frame of a stack trace, innermost first (JavaScript order; Python tracebacks are
/// reversed into this order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StackFrame {
    /// The file as written in the trace.
    pub file: String,
    /// 1-based line.
    pub line: Option<u32>,
    /// 1-based column.
    pub column: Option<u32>,
    /// The function name, when the trace names one.
    pub function: Option<String>,
    /// False for frames under node_modules, vendor, site-packages, .venv, venv,
    /// __pycache__, .next, dist or build (ARGUS-API.md), and for `node:` internals.
    pub in_app: bool,
}

/// Information about the CI run the report belongs to. Filled from report metadata when
/// present (Playwright `config.metadata`, `stats.startTime`; JUnit `timestamp`); None
/// otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunInfo {
    /// CI run id (`metadata.ci.buildId`/`runId`/`run_id` …).
    pub run_id: Option<String>,
    /// Commit sha (`metadata.gitCommit`/`commit_sha`/`revision`/`ci.commitHash` …).
    pub commit_sha: Option<String>,
    /// Branch (`metadata.gitBranch`/`branch`/`ci.branch` …).
    pub branch: Option<String>,
    /// Start of the run, as written (RFC 3339 in both Playwright and JUnit reports).
    pub started_at: Option<String>,
    /// Link to the CI run (`metadata.ci.commitHref`/`buildHref`/`ci_url` …).
    pub ci_url: Option<String>,
}

/// A file attached to a result (Playwright `attachments[]`, `[[ATTACHMENT|…]]` in JUnit
/// `system-out`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// `error-context`, `screenshot`, `trace`, `video`, … (`attachment` for JUnit).
    pub name: String,
    /// MIME type when given.
    pub content_type: Option<String>,
    /// Path as written (absolute in Playwright JSON, relative in Playwright junit).
    pub path: Option<String>,
}

/// A further error of the same result (Playwright `errors[1..]`, e.g. soft assertions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraError {
    /// ANSI-stripped message.
    pub message: String,
    pub location: Option<Location>,
}

/// One test result: a test attempt in a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailureEvent {
    /// The format it came from.
    pub source: EventSource,
    /// Test file as written in the report: Playwright `spec.file` (relative to the project's
    /// testDir), JUnit `file` attribute. None when the report does not name one.
    pub file: Option<String>,
    /// The file resolved against the report's roots: Playwright testDir (or rootDir) joined
    /// with `file`; for JUnit without `file`, the path guessed from the classname
    /// (`tests.test_x.TestY` → `tests/test_x.py`) when it looks like a Python module.
    pub resolved_file: Option<String>,
    /// Titles from the outermost `describe` to the test itself; the file-level suite is not
    /// part of it. For JUnit: Playwright's `A › B › test` names are split; otherwise
    /// `[name]`.
    pub title_path: Vec<String>,
    /// JUnit `classname` attribute.
    pub classname: Option<String>,
    /// JUnit `name` attribute, or the Playwright spec title.
    pub name: String,
    /// Playwright project name (None when the project is unnamed or for JUnit).
    pub project: Option<String>,
    /// Outcome of this attempt.
    pub status: Status,
    /// Playwright's verdict over all attempts of the test: `expected`, `unexpected`,
    /// `flaky`, `skipped`. None for JUnit.
    pub outcome: Option<String>,
    /// Attempt index, 0 for the first run.
    pub retry: u32,
    /// Duration of this attempt in milliseconds.
    pub duration_ms: Option<u64>,
    /// Error class: `TimeoutError`, `expect.toHaveText`, `NoSuchElementException`,
    /// `AssertionError`, `Error`… None when the attempt has no error.
    pub error_type: Option<String>,
    /// Error message, ANSI colour codes stripped; empty when there is no error. For
    /// Playwright the `error.message`; for JUnit the `message` attribute (or the first line
    /// of the body when it has none). Capped at 64 KiB.
    pub message: String,
    /// Stack frames, innermost first.
    pub stack: Vec<StackFrame>,
    /// Where the error happened (Playwright `error.location`, the first in-app frame of a
    /// JUnit failure text `path.py:12:`); falls back to `test_location`.
    pub location: Option<Location>,
    /// Where the test is defined (Playwright spec `file:line:column`, pytest xunit1
    /// `file` + 0-based `line` converted to 1-based).
    pub test_location: Option<Location>,
    /// Selectors named by the message, in order of appearance, deduplicated.
    pub selectors: Vec<String>,
    /// Expected value of a failed assertion.
    pub expected: Option<String>,
    /// Received (actual) value of a failed assertion.
    pub received: Option<String>,
    /// Everything else read from the message (HTTP statuses, URLs, timeouts, hints).
    pub facts: MessageFacts,
    /// Further errors of the same attempt.
    pub extra_errors: Vec<ExtraError>,
    /// Run the event belongs to.
    pub run: RunInfo,
    /// Attached files (error-context, screenshot, trace, …).
    pub attachments: Vec<Attachment>,
    /// Playwright annotations `type: description` (`skip`, `fixme`, `issue`, …).
    pub annotations: Vec<String>,
    /// Captured output (JUnit `system-out` + `system-err`), capped at 64 KiB.
    pub output: Option<String>,
    /// True when `message` or `output` was cut at the cap.
    pub truncated: bool,
    /// ARGUS-API.md fingerprint of `error_type` and `message`; None when there is no error.
    pub fingerprint: Option<String>,
}

impl FailureEvent {
    /// An event with only its identity set; everything else empty.
    pub fn new(source: EventSource, name: impl Into<String>, status: Status) -> Self {
        FailureEvent {
            source,
            file: None,
            resolved_file: None,
            title_path: Vec::new(),
            classname: None,
            name: name.into(),
            project: None,
            status,
            outcome: None,
            retry: 0,
            duration_ms: None,
            error_type: None,
            message: String::new(),
            stack: Vec::new(),
            location: None,
            test_location: None,
            selectors: Vec::new(),
            expected: None,
            received: None,
            facts: MessageFacts::default(),
            extra_errors: Vec::new(),
            run: RunInfo::default(),
            attachments: Vec::new(),
            annotations: Vec::new(),
            output: None,
            truncated: false,
            fingerprint: None,
        }
    }

    /// Reads facts out of `message` (selectors, expected/received, …) and computes the
    /// fingerprint. Called by the parsers once the message and error type are known.
    pub fn analyze_message(&mut self) {
        if self.message.is_empty() && self.error_type.is_none() {
            return;
        }
        let facts = super::message::extract(&self.message);
        self.selectors.clone_from(&facts.selectors);
        self.expected.clone_from(&facts.expected);
        self.received.clone_from(&facts.received);
        self.facts = facts;
        self.fingerprint = Some(fingerprint(
            self.error_type.as_deref().unwrap_or(""),
            &self.message,
            None,
            None,
        ));
    }

    /// The first in-app stack frame, if any.
    pub fn first_in_app_frame(&self) -> Option<&StackFrame> {
        self.stack.iter().find(|f| f.in_app)
    }
}

/// Playwright's `stats` block (JUnit: counts from the root element).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportStats {
    /// Tests whose outcome was as expected (passed, or skipped when expected).
    pub expected: u64,
    /// Tests that failed.
    pub unexpected: u64,
    /// Tests that failed, then passed on a retry.
    pub flaky: u64,
    pub skipped: u64,
    /// Start of the run as written (RFC 3339).
    pub start_time: Option<String>,
    /// Whole-run duration in milliseconds.
    pub duration_ms: Option<f64>,
}

/// Something in the input that could not be understood. Never fatal: the parser returns
/// what it understood alongside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Human-readable message naming the position (JSON path and line:col, or XML byte
    /// offset / line:col).
    pub message: String,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// 1-based column, when known.
    pub column: Option<u64>,
    /// Byte offset, when known.
    pub offset: Option<u64>,
}

/// `sha256("|".join([error_type, message[:100], component?, normalized_url?]))`, first 12
/// hex chars (ARGUS-API.md). `message[:100]` is the first 100 Unicode scalar values (Python
/// string slicing); absent optional parts are left out of the join; the URL is normalized
/// with [`normalize_url`].
pub fn fingerprint(
    error_type: &str,
    message: &str,
    component: Option<&str>,
    url: Option<&str>,
) -> String {
    let head_end = message.char_indices().nth(100).map_or(message.len(), |(i, _)| i);
    let mut joined = String::with_capacity(error_type.len() + head_end + 2);
    joined.push_str(error_type);
    joined.push('|');
    joined.push_str(&message[..head_end]);
    if let Some(c) = component {
        joined.push('|');
        joined.push_str(c);
    }
    if let Some(u) = url {
        joined.push('|');
        joined.push_str(&normalize_url(u));
    }
    let digest = Sha256::digest(joined.as_bytes());
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(12);
    for b in digest.iter().take(6) {
        hex.push(HEX[(b >> 4) as usize] as char);
        hex.push(HEX[(b & 15) as usize] as char);
    }
    hex
}

/// ARGUS-API.md URL normalization: drop the query (everything from `?`), then replace whole
/// path segments that are a UUID with `:uuid` and all-digit ones with `:id`.
pub fn normalize_url(url: &str) -> String {
    let no_query = url.split('?').next().unwrap_or("");
    let (prefix, path) = match no_query.find("://") {
        Some(i) => {
            let after = &no_query[i + 3..];
            match after.find('/') {
                Some(j) => no_query.split_at(i + 3 + j),
                None => (no_query, ""),
            }
        }
        None => ("", no_query),
    };
    let segs: Vec<String> = path
        .split('/')
        .map(|s| {
            if is_uuid(s) {
                ":uuid".to_string()
            } else if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                ":id".to_string()
            } else {
                s.to_string()
            }
        })
        .collect();
    format!("{prefix}{}", segs.join("/"))
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Whether a path is application code (ARGUS-API.md): not under node_modules, vendor,
/// site-packages, .venv, venv, __pycache__, .next, dist, build; not a `node:` internal.
pub fn is_in_app(path: &str) -> bool {
    const NOT_APP: [&str; 9] = [
        "node_modules",
        "vendor",
        "site-packages",
        ".venv",
        "venv",
        "__pycache__",
        ".next",
        "dist",
        "build",
    ];
    if path.starts_with("node:") || path.starts_with("internal/") {
        return false;
    }
    !path
        .split(['/', '\\'])
        .any(|seg| NOT_APP.contains(&seg) || seg == "dist-packages")
}
