//! The Argus backend over HTTP (reqwest + rustls), per ARGUS-API.md.
//!
//! - Auth: `Authorization: Bearer <token>`, or `X-API-Key: <token>` for `argus_sk_…` keys. The
//!   token comes from the environment variable named by `backend.token_env`; it is never
//!   logged, never in `Debug` output or error messages, never written to disk.
//! - GETs send `If-None-Match` when an ETag was cached; a 304 answers from the cache.
//! - Timeouts (connect 5 s, total 30 s); bodies are read as a stream and abandoned past a cap
//!   (16 MiB).
//! - Every good response body is cached in the store, so an offline restart still returns
//!   the last known data ([`Synced::origin`] says where the data came from).
//! - [`Poller`] / [`poll_loop`]: periodic sync with exponential backoff and jitter between
//!   failed polls; each fault is flagged once ([`BackendUpdate::first_report`]).

use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, ETAG, HeaderValue, IF_NONE_MATCH};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use crate::config;
use crate::failures::{
    self, EventSource, FailureEvent, ReportFormat, ReportStats, Run, RunInfo, Status,
};
use crate::store::Store;

/// Default cap on a response body.
pub const MAX_BODY: usize = 16 * 1024 * 1024;
/// Builds fetched per poll (the API allows ≤ 200).
pub const BUILDS_LIMIT: u32 = 50;
/// Production events fetched per poll (≤ 100).
pub const EVENTS_LIMIT: u32 = 100;
/// Healing patterns fetched per poll (1–500).
pub const PATTERNS_LIMIT: u32 = 500;

// ---------------------------------------------------------------------------------------------
// Wire types (ARGUS-API.md field names, exact)
// ---------------------------------------------------------------------------------------------

fn null_default<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Counts of a CI run (`CIEvent.test_results`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TestResults {
    #[serde(deserialize_with = "null_default")]
    pub total: u64,
    #[serde(deserialize_with = "null_default")]
    pub passed: u64,
    #[serde(deserialize_with = "null_default")]
    pub failed: u64,
    #[serde(deserialize_with = "null_default")]
    pub skipped: u64,
    #[serde(deserialize_with = "null_default")]
    pub errored: u64,
}

/// One of `CIEvent.metadata.failures[]` (at most 10 per build; no file, no line).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CIFailure {
    #[serde(deserialize_with = "null_default")]
    pub test_name: String,
    pub class_name: Option<String>,
    #[serde(rename = "type")]
    pub r#type: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub message: String,
    pub details: Option<String>,
}

/// A CI run row (`GET /api/v1/cicd/builds`). Fields beyond ARGUS-API.md's CIEvent (`id`,
/// `created_at`, and the backend's `ci_builds` columns `provider`, `name`, `build_number`,
/// `tests_*`, `started_at`, `duration_ms`, `logs_url`) are read when present.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CIEvent {
    pub id: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub project_id: String,
    /// `github_actions`, `gitlab_ci`, `circleci`, `jenkins`.
    #[serde(deserialize_with = "null_default")]
    pub source: String,
    #[serde(deserialize_with = "null_default")]
    pub external_id: String,
    pub external_url: Option<String>,
    /// `workflow_run`, `workflow_job`, `test_run`, `coverage_report`.
    #[serde(deserialize_with = "null_default")]
    pub event_type: String,
    /// `pending`, `running`, `success`, `failure`, `cancelled`, `skipped`.
    #[serde(deserialize_with = "null_default")]
    pub status: String,
    #[serde(deserialize_with = "null_default")]
    pub workflow_name: String,
    #[serde(deserialize_with = "null_default")]
    pub branch: String,
    #[serde(deserialize_with = "null_default")]
    pub commit_sha: String,
    pub run_number: Option<i64>,
    pub duration_seconds: Option<f64>,
    pub test_results: Option<TestResults>,
    #[serde(deserialize_with = "null_default")]
    pub metadata: serde_json::Value,
    pub created_at: Option<String>,
    // The backend's `ci_builds` columns.
    pub provider: Option<String>,
    pub name: Option<String>,
    pub build_number: Option<i64>,
    pub tests_total: Option<u64>,
    pub tests_passed: Option<u64>,
    pub tests_failed: Option<u64>,
    pub tests_skipped: Option<u64>,
    pub started_at: Option<String>,
    pub duration_ms: Option<f64>,
    pub logs_url: Option<String>,
}

impl CIEvent {
    /// `metadata.failures[]`; entries that do not have the documented shape are skipped.
    pub fn failures(&self) -> Vec<CIFailure> {
        match self.metadata.get("failures") {
            Some(serde_json::Value::Array(items)) => {
                items.iter().filter_map(|v| serde_json::from_value(v.clone()).ok()).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Converts the row into a history [`Run`]; each `metadata.failures[]` entry becomes a
    /// failed [`FailureEvent`] with source `ArgusBackend`. `source` names where it came from.
    pub fn to_run(&self, source: &str) -> Run {
        let id = [self.external_id.as_str(), self.id.as_deref().unwrap_or("")]
            .into_iter()
            .find(|s| !s.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| format!("{}#{}", self.workflow_name, self.run_number.or(self.build_number).unwrap_or(0)));
        let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let info = RunInfo {
            run_id: Some(id.clone()),
            commit_sha: non_empty(&self.commit_sha),
            branch: non_empty(&self.branch),
            started_at: self.started_at.clone().or_else(|| self.created_at.clone()),
            ci_url: self.external_url.clone().or_else(|| self.logs_url.clone()),
        };
        let counts = self.test_results.clone().or_else(|| {
            self.tests_total.map(|total| TestResults {
                total,
                passed: self.tests_passed.unwrap_or(0),
                failed: self.tests_failed.unwrap_or(0),
                skipped: self.tests_skipped.unwrap_or(0),
                errored: 0,
            })
        });
        let stats = counts.map(|t| ReportStats {
            expected: t.passed,
            unexpected: t.failed + t.errored,
            flaky: 0,
            skipped: t.skipped,
            start_time: info.started_at.clone(),
            duration_ms: self.duration_seconds.map(|s| s * 1000.0).or(self.duration_ms),
        });
        let events = self
            .failures()
            .into_iter()
            .map(|f| {
                let mut e = FailureEvent::new(EventSource::ArgusBackend, f.test_name.clone(), Status::Failed);
                e.title_path = vec![f.test_name.clone()];
                e.classname = f.class_name.filter(|c| !c.is_empty());
                e.error_type = f.r#type.filter(|t| !t.is_empty());
                let (message, cut) = failures::cap_text(failures::strip_ansi(&f.message), failures::MAX_TEXT);
                e.message = message;
                e.truncated = cut;
                e.output = f.details.map(|d| failures::cap_text(failures::strip_ansi(&d), failures::MAX_TEXT).0);
                e.run = info.clone();
                e.analyze_message();
                e
            })
            .collect();
        Run { key: format!("argus:{id}"), source: source.to_string(), format: ReportFormat::Unknown, info, stats, events }
    }
}

/// A production error/event (`GET /api/v1/quality/events`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductionEvent {
    pub id: Option<String>,
    pub project_id: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub source: String,
    #[serde(deserialize_with = "null_default")]
    pub external_id: String,
    pub external_url: Option<String>,
    /// `error`, `exception`, `performance`, `session`, `rage_click`, `dead_click`.
    #[serde(deserialize_with = "null_default")]
    pub event_type: String,
    /// `fatal`, `error`, `warning`, `info`.
    #[serde(deserialize_with = "null_default")]
    pub severity: String,
    #[serde(deserialize_with = "null_default")]
    pub title: String,
    pub message: Option<String>,
    pub stack_trace: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub fingerprint: String,
    pub url: Option<String>,
    pub component: Option<String>,
    pub browser: Option<String>,
    pub os: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub occurrence_count: u64,
    #[serde(deserialize_with = "null_default")]
    pub affected_users: u64,
    pub first_seen_at: Option<String>,
    pub last_seen_at: Option<String>,
    /// `new`, `processing`, `resolved`, `ignored`.
    #[serde(deserialize_with = "null_default")]
    pub status: String,
    /// Strings in ARGUS-API.md; kept as JSON so `{key, value}` tags parse too.
    #[serde(deserialize_with = "null_default")]
    pub tags: Vec<serde_json::Value>,
    #[serde(deserialize_with = "null_default")]
    pub metadata: serde_json::Value,
}

/// Healing patterns (`GET …/patterns`): the knowledge base's own type, one schema for both.
pub use crate::store::HealingPattern;

/// `GET /api/v1/quality/risk-scores` rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskScore {
    #[serde(deserialize_with = "null_default")]
    pub entity_type: String,
    #[serde(deserialize_with = "null_default")]
    pub entity_identifier: String,
    #[serde(deserialize_with = "null_default")]
    pub overall_risk_score: f64,
    #[serde(deserialize_with = "null_default")]
    pub factors: serde_json::Value,
    #[serde(deserialize_with = "null_default")]
    pub error_count: u64,
    #[serde(deserialize_with = "null_default")]
    pub affected_users: u64,
    pub trend: Option<String>,
    pub calculated_at: Option<String>,
}

/// `POST …/suggest` body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SuggestRequest {
    pub error_message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<serde_json::Value>,
    pub skip_cache: bool,
    pub force_llm: bool,
}

/// One suggested fix. `fix_type`: `update_selector`, `add_wait`, `increase_timeout`,
/// `update_assertion`, `update_test_data`, `none`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Suggestion {
    #[serde(deserialize_with = "null_default")]
    pub fix_type: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub confidence: f64,
    #[serde(deserialize_with = "null_default")]
    pub explanation: String,
    pub success_rate: Option<f64>,
    pub pattern_id: Option<String>,
}

/// `POST …/suggest` answer. `source`: `cache`, `vector` or `llm`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SuggestResponse {
    #[serde(deserialize_with = "null_default")]
    pub suggestions: Vec<Suggestion>,
    #[serde(deserialize_with = "null_default")]
    pub source: String,
    #[serde(deserialize_with = "null_default")]
    pub latency_ms: f64,
    #[serde(deserialize_with = "null_default")]
    pub confidence: f64,
    #[serde(deserialize_with = "null_default")]
    pub intent: serde_json::Value,
    #[serde(deserialize_with = "null_default")]
    pub cached: bool,
    #[serde(deserialize_with = "null_default")]
    pub metadata: serde_json::Value,
}

/// `POST …/analyze-root-cause` body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RootCauseRequest {
    pub error_message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similar_failures: Option<Vec<serde_json::Value>>,
    pub skip_cache: bool,
}

/// `POST …/analyze-root-cause` answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RootCauseResponse {
    #[serde(deserialize_with = "null_default")]
    pub root_cause: String,
    #[serde(deserialize_with = "null_default")]
    pub category: String,
    #[serde(deserialize_with = "null_default")]
    pub confidence: f64,
    #[serde(deserialize_with = "null_default")]
    pub evidence: Vec<serde_json::Value>,
    #[serde(deserialize_with = "null_default")]
    pub suggested_actions: Vec<serde_json::Value>,
    #[serde(deserialize_with = "null_default")]
    pub source: String,
    #[serde(deserialize_with = "null_default")]
    pub latency_ms: f64,
}

/// A list answer: a bare array, or an object holding it under one of the given keys.
fn parse_list<T: DeserializeOwned>(body: &[u8], keys: &[&str]) -> Result<Vec<T>, String> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| format!("invalid JSON: {e}"))?;
    let list = match value {
        serde_json::Value::Array(_) => value,
        serde_json::Value::Object(mut map) => match keys.iter().find_map(|k| map.remove(*k)) {
            Some(v) => v,
            None => return Err(format!("expected an array or an object with `{}`", keys.join("`/`"))),
        },
        other => return Err(format!("expected an array or an object, got {}", json_kind(&other))),
    };
    serde_json::from_value(list).map_err(|e| format!("unexpected shape: {e}"))
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// What kind of failure a backend call hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendErrorKind {
    /// Connection refused, DNS, TLS, reset…
    Unreachable,
    /// No answer within the timeout.
    Timeout,
    /// 401 or 403 (or no token configured).
    Unauthorized,
    /// Another non-success HTTP status.
    Status(u16),
    /// The body is not the documented JSON (truncated, wrong types…).
    InvalidResponse,
    /// The body exceeds the size cap.
    TooLarge,
    /// The configuration cannot work (bad URL, …).
    Config,
}

/// A failed backend call. The message names the endpoint and what happened; it never
/// contains the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Argus backend {endpoint}: {message}")]
pub struct BackendError {
    pub kind: BackendErrorKind,
    /// Method and path, e.g. `GET /api/v1/cicd/builds`.
    pub endpoint: String,
    pub message: String,
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

/// A secret that never prints.
#[derive(Clone)]
struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Knobs for [`BackendClient::with_options`] (tests use short timeouts and small caps).
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub max_body: usize,
    /// Interval between successful polls (default: `backend.poll_seconds`).
    pub poll_interval: Option<Duration>,
    /// First delay after a failed poll; doubles up to `max_backoff`.
    pub min_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            max_body: MAX_BODY,
            poll_interval: None,
            min_backoff: Duration::from_secs(5),
            max_backoff: Duration::from_secs(600),
        }
    }
}

/// Where [`Synced`] data came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// A fresh 200 answer.
    Fresh,
    /// 304 Not Modified: the cached answer is current.
    NotModified,
    /// The backend failed (the error says how); this is the last known data from the cache.
    Cached(BackendError),
}

/// Data from the backend with its origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Synced<T> {
    pub data: T,
    pub origin: Origin,
}

/// Client for the Argus backend. Cheap to clone.
#[derive(Clone)]
pub struct BackendClient {
    http: reqwest::Client,
    base: String,
    token: Option<Secret>,
    token_env: String,
    organization_id: String,
    project_id: String,
    branch: String,
    options: ClientOptions,
    poll_interval: Duration,
}

impl std::fmt::Debug for BackendClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackendClient")
            .field("url", &self.base)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("token_env", &self.token_env)
            .field("organization_id", &self.organization_id)
            .field("project_id", &self.project_id)
            .field("branch", &self.branch)
            .finish()
    }
}

impl BackendClient {
    /// A client for `cfg`, the token read from the environment variable `cfg.token_env`.
    /// `Ok(None)` when no backend is configured (empty URL).
    pub fn from_config(cfg: &config::Backend) -> Result<Option<BackendClient>, BackendError> {
        let token = if cfg.token_env.is_empty() { None } else { std::env::var(&cfg.token_env).ok() };
        Self::with_options(cfg, token, ClientOptions::default())
    }

    /// Like [`from_config`](Self::from_config) with an explicit token and options.
    pub fn with_options(
        cfg: &config::Backend,
        token: Option<String>,
        options: ClientOptions,
    ) -> Result<Option<BackendClient>, BackendError> {
        let url = cfg.url.trim().trim_end_matches('/');
        if url.is_empty() {
            return Ok(None);
        }
        let config_err = |message: String| BackendError { kind: BackendErrorKind::Config, endpoint: url.to_string(), message };
        match reqwest::Url::parse(url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {}
            Ok(u) => return Err(config_err(format!("`backend.url` must be http or https, not {}", u.scheme()))),
            Err(e) => return Err(config_err(format!("`backend.url` is not a URL: {e}"))),
        }
        let token = token.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
        if let Some(t) = &token
            && HeaderValue::from_str(t).is_err()
        {
            return Err(config_err(format!("the token in ${} contains characters not allowed in an HTTP header", cfg.token_env)));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .user_agent(concat!("argus-lsp/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| config_err(format!("cannot build the HTTP client: {}", error_chain(&e))))?;
        let poll_interval = options.poll_interval.unwrap_or(Duration::from_secs(cfg.poll_seconds.max(10)));
        Ok(Some(BackendClient {
            http,
            base: url.to_string(),
            token: token.map(Secret),
            token_env: cfg.token_env.clone(),
            organization_id: cfg.organization_id.clone(),
            project_id: cfg.project_id.clone(),
            branch: cfg.branch.clone(),
            options,
            poll_interval,
        }))
    }

    /// The base URL.
    pub fn url(&self) -> &str {
        &self.base
    }

    /// Interval between successful polls.
    pub fn poll_interval(&self) -> Duration {
        self.poll_interval
    }

    fn builds_path(&self) -> String {
        let mut q = vec![("project_id", self.project_id.as_str())];
        if !self.branch.is_empty() {
            q.push(("branch", self.branch.as_str()));
        }
        let limit = BUILDS_LIMIT.to_string();
        q.push(("limit", &limit));
        with_query("/api/v1/cicd/builds", &q)
    }

    fn patterns_path(&self) -> String {
        let limit = PATTERNS_LIMIT.to_string();
        let mut q = Vec::new();
        if !self.project_id.is_empty() {
            q.push(("project_id", self.project_id.as_str()));
        }
        q.push(("limit", &limit));
        with_query(&format!("/api/v1/healing/organizations/{}/patterns", encode(&self.organization_id)), &q)
    }

    fn events_path(&self) -> String {
        let limit = EVENTS_LIMIT.to_string();
        with_query("/api/v1/quality/events", &[("project_id", self.project_id.as_str()), ("limit", &limit)])
    }

    /// CI builds as history runs (newest first, as the backend sends them).
    pub async fn builds(&self, store: &Store) -> Result<Synced<Vec<Run>>, BackendError> {
        let path = self.builds_path();
        let source = format!("{}{}", self.base, "/api/v1/cicd/builds");
        self.get_cached(store, &path, |body| {
            let rows: Vec<CIEvent> = parse_list(body, &["builds", "items", "data"])?;
            Ok(rows.iter().map(|r| r.to_run(&source)).collect())
        })
        .await
    }

    /// The organization's healing patterns.
    pub async fn patterns(&self, store: &Store) -> Result<Synced<Vec<HealingPattern>>, BackendError> {
        let path = self.patterns_path();
        self.get_cached(store, &path, |body| parse_list(body, &["patterns", "items", "data"])).await
    }

    /// Production events, newest first.
    pub async fn events(&self, store: &Store) -> Result<Synced<Vec<ProductionEvent>>, BackendError> {
        let path = self.events_path();
        self.get_cached(store, &path, |body| parse_list(body, &["events"])).await
    }

    /// Risk scores of the project.
    pub async fn risk_scores(&self, store: &Store) -> Result<Synced<Vec<RiskScore>>, BackendError> {
        let path = with_query("/api/v1/quality/risk-scores", &[("project_id", self.project_id.as_str()), ("limit", "100")]);
        self.get_cached(store, &path, |body| parse_list(body, &["risk_scores"])).await
    }

    /// Asks the backend for fixes of a failure (not cached).
    pub async fn suggest(&self, req: &SuggestRequest) -> Result<SuggestResponse, BackendError> {
        let path = format!("/api/v1/healing/organizations/{}/suggest", encode(&self.organization_id));
        self.post_json(&path, req).await
    }

    /// Asks the backend for a root cause (not cached).
    pub async fn analyze_root_cause(&self, req: &RootCauseRequest) -> Result<RootCauseResponse, BackendError> {
        let path = format!("/api/v1/healing/organizations/{}/analyze-root-cause", encode(&self.organization_id));
        self.post_json(&path, req).await
    }

    /// Feedback: a heal of `pattern_id` was applied and held (`approve`) or not (`reject`).
    pub async fn feedback(&self, pattern_id: &str, approved: bool) -> Result<(), BackendError> {
        let verb = if approved { "approve" } else { "reject" };
        let path = format!("/api/v1/healing/organizations/{}/{verb}/{}", encode(&self.organization_id), encode(pattern_id));
        let endpoint = format!("POST {path}");
        let resp = self.send(Method::POST, &path, None, None, &endpoint).await?;
        self.read_body(resp, &endpoint).await.map(|_| ())
    }

    /// The last good builds from the cache, without a request (None when never fetched):
    /// what to show at startup before the first poll.
    pub fn cached_builds(&self, store: &Store) -> Option<Vec<Run>> {
        let body = store.cache_get(&body_key(&self.base, &self.builds_path()))?;
        let source = format!("{}{}", self.base, "/api/v1/cicd/builds");
        let rows: Vec<CIEvent> = parse_list(&body, &["builds", "items", "data"]).ok()?;
        Some(rows.iter().map(|r| r.to_run(&source)).collect())
    }

    /// The last good healing patterns from the cache, without a request.
    pub fn cached_patterns(&self, store: &Store) -> Option<Vec<HealingPattern>> {
        let body = store.cache_get(&body_key(&self.base, &self.patterns_path()))?;
        parse_list(&body, &["patterns", "items", "data"]).ok()
    }

    /// The last good production events from the cache, without a request.
    pub fn cached_events(&self, store: &Store) -> Option<Vec<ProductionEvent>> {
        let body = store.cache_get(&body_key(&self.base, &self.events_path()))?;
        parse_list(&body, &["events"]).ok()
    }

    async fn get_cached<T>(
        &self,
        store: &Store,
        path: &str,
        parse: impl Fn(&[u8]) -> Result<T, String>,
    ) -> Result<Synced<T>, BackendError> {
        let endpoint = format!("GET {}", path.split('?').next().unwrap_or(path));
        let bkey = body_key(&self.base, path);
        let ekey = format!("etag:{}{}", self.base, path);
        let cached_body = store.cache_get(&bkey);
        let etag = cached_body.as_ref().and(store.cache_get(&ekey)).and_then(|e| String::from_utf8(e).ok()).filter(|e| !e.is_empty());
        let from_cache = |error: BackendError| -> Result<Synced<T>, BackendError> {
            match cached_body.as_deref().map(&parse) {
                Some(Ok(data)) => Ok(Synced { data, origin: Origin::Cached(error) }),
                _ => Err(error),
            }
        };
        let resp = match self.send(Method::GET, path, etag.as_deref(), None, &endpoint).await {
            Ok(r) => r,
            Err(e) => return from_cache(e),
        };
        if resp.status() == StatusCode::NOT_MODIFIED {
            if let Some(body) = cached_body.as_deref() {
                let data = parse(body).map_err(|m| self.error(BackendErrorKind::InvalidResponse, &endpoint, format!("cached answer: {m}")))?;
                return Ok(Synced { data, origin: Origin::NotModified });
            }
            return Err(self.error(BackendErrorKind::InvalidResponse, &endpoint, "304 Not Modified without a cached answer".into()));
        }
        let new_etag = resp.headers().get(ETAG).and_then(|v| v.to_str().ok()).map(str::to_string);
        let body = match self.read_body(resp, &endpoint).await {
            Ok(b) => b,
            Err(e) => return from_cache(e),
        };
        let data = match parse(&body) {
            Ok(d) => d,
            Err(m) => return from_cache(self.error(BackendErrorKind::InvalidResponse, &endpoint, m)),
        };
        // Cache failures are not backend failures: the fresh data is still returned.
        if let Err(e) = store.cache_put(&bkey, &body).and_then(|_| store.cache_put(&ekey, new_etag.as_deref().unwrap_or("").as_bytes())) {
            tracing::warn!("cannot cache the Argus backend answer of {endpoint}: {e}");
        }
        Ok(Synced { data, origin: Origin::Fresh })
    }

    async fn post_json<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> Result<T, BackendError> {
        let endpoint = format!("POST {path}");
        let json = serde_json::to_vec(body).map_err(|e| self.error(BackendErrorKind::Config, &endpoint, e.to_string()))?;
        let resp = self.send(Method::POST, path, None, Some(json), &endpoint).await?;
        let bytes = self.read_body(resp, &endpoint).await?;
        serde_json::from_slice(&bytes).map_err(|e| self.error(BackendErrorKind::InvalidResponse, &endpoint, format!("invalid JSON: {e}")))
    }

    /// Sends a request; Ok only for 2xx and 304.
    async fn send(
        &self,
        method: Method,
        path: &str,
        etag: Option<&str>,
        json: Option<Vec<u8>>,
        endpoint: &str,
    ) -> Result<reqwest::Response, BackendError> {
        let mut req = self.http.request(method, format!("{}{path}", self.base)).header(ACCEPT, "application/json");
        if let Some(t) = &self.token {
            req = if t.0.starts_with("argus_sk_") {
                req.header("X-API-Key", t.0.as_str())
            } else {
                req.header(AUTHORIZATION, format!("Bearer {}", t.0))
            };
        }
        if let Some(e) = etag {
            req = req.header(IF_NONE_MATCH, e);
        }
        if let Some(body) = json {
            req = req.header(reqwest::header::CONTENT_TYPE, "application/json").body(body);
        }
        let resp = req.send().await.map_err(|e| self.transport_error(&e, endpoint))?;
        let status = resp.status();
        if status.is_success() || status == StatusCode::NOT_MODIFIED {
            return Ok(resp);
        }
        // A short excerpt of the error body helps; it is capped and redacted.
        let excerpt = match tokio::time::timeout(Duration::from_secs(2), self.read_capped(resp, 512, endpoint, true)).await {
            Ok(Ok(b)) => String::from_utf8_lossy(&b).chars().filter(|c| !c.is_control()).take(200).collect::<String>(),
            _ => String::new(),
        };
        let detail = if excerpt.trim().is_empty() { String::new() } else { format!(": {}", excerpt.trim()) };
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            let hint = if self.token.is_none() {
                format!(" (no token: the environment variable {} is not set)", self.token_env)
            } else {
                format!(" (check the token in ${})", self.token_env)
            };
            return Err(self.error(BackendErrorKind::Unauthorized, endpoint, format!("HTTP {status}{hint}{detail}")));
        }
        Err(self.error(BackendErrorKind::Status(status.as_u16()), endpoint, format!("HTTP {status}{detail}")))
    }

    async fn read_body(&self, resp: reqwest::Response, endpoint: &str) -> Result<Vec<u8>, BackendError> {
        self.read_capped(resp, self.options.max_body, endpoint, false).await
    }

    /// Reads at most `cap` bytes; past that, an error (or, with `cut`, the first `cap` bytes).
    async fn read_capped(&self, mut resp: reqwest::Response, cap: usize, endpoint: &str, cut: bool) -> Result<Vec<u8>, BackendError> {
        let too_large = || self.error(BackendErrorKind::TooLarge, endpoint, format!("answer larger than {} bytes; abandoned", cap));
        if !cut && resp.content_length().is_some_and(|n| n > cap as u64) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.transport_error(&e, endpoint))? {
            if body.len() + chunk.len() > cap {
                if cut {
                    body.extend_from_slice(&chunk[..cap - body.len()]);
                    return Ok(body);
                }
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn transport_error(&self, e: &reqwest::Error, endpoint: &str) -> BackendError {
        let kind = if e.is_timeout() {
            BackendErrorKind::Timeout
        } else if e.is_body() || e.is_decode() {
            BackendErrorKind::InvalidResponse
        } else {
            BackendErrorKind::Unreachable
        };
        let message = match kind {
            BackendErrorKind::Timeout => format!("no answer within the timeout ({}s)", self.options.timeout.as_secs_f32()),
            _ => error_chain(e),
        };
        self.error(kind, endpoint, message)
    }

    fn error(&self, kind: BackendErrorKind, endpoint: &str, message: String) -> BackendError {
        let mut message = message;
        let mut endpoint = endpoint.to_string();
        if let Some(t) = &self.token {
            message = message.replace(&t.0, "<redacted>");
            endpoint = endpoint.replace(&t.0, "<redacted>");
        }
        BackendError { kind, endpoint, message }
    }
}

fn body_key(base: &str, path: &str) -> String {
    format!("body:{base}{path}")
}

fn with_query(path: &str, q: &[(&str, &str)]) -> String {
    let mut s = path.to_string();
    for (i, (k, v)) in q.iter().enumerate() {
        s.push(if i == 0 { '?' } else { '&' });
        s.push_str(k);
        s.push('=');
        s.push_str(&encode(v));
    }
    s
}

/// Percent-encodes everything but unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The error and its causes, `: `-joined, without reqwest's URL-bearing outer text repeated.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        cur = s.source();
    }
    parts.join(": ")
}

// ---------------------------------------------------------------------------------------------
// Polling
// ---------------------------------------------------------------------------------------------

/// Exponential backoff with jitter: `min × 2^attempt`, capped at `max`, each delay drawn
/// uniformly from its upper half ("equal jitter").
#[derive(Debug, Clone)]
pub struct Backoff {
    min: Duration,
    max: Duration,
    attempt: u32,
}

impl Backoff {
    pub fn new(min: Duration, max: Duration) -> Backoff {
        Backoff { min, max: max.max(min), attempt: 0 }
    }

    /// The delay before the next retry; each call doubles the next one.
    pub fn next_delay(&mut self) -> Duration {
        let factor = 1u32.checked_shl(self.attempt.min(30)).unwrap_or(u32::MAX);
        let full = self.min.saturating_mul(factor).min(self.max);
        self.attempt = self.attempt.saturating_add(1);
        let half = full / 2;
        half + half.mul_f64(fastrand::f64())
    }

    /// After a success: start again from `min`.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    /// Failed attempts since the last reset.
    pub fn attempts(&self) -> u32 {
        self.attempt
    }
}

/// Connection state as the user should see it.
#[derive(Debug, Clone, PartialEq)]
pub enum BackendStatus {
    Connected,
    /// Unreachable, timing out, or answering garbage; the data is the last known.
    Offline { reason: String },
    /// 401/403 or no token.
    Unauthorized { reason: String },
}

/// One poll's result, sent to the workspace.
#[derive(Debug, Clone)]
pub struct BackendUpdate {
    /// CI runs (fresh, or the last known when offline).
    pub runs: Vec<Run>,
    pub patterns: Vec<HealingPattern>,
    pub events: Vec<ProductionEvent>,
    pub status: BackendStatus,
    /// True the first time this fault is seen (tell the user once; afterwards only log).
    pub first_report: bool,
    /// True when at least one answer came fresh from the backend in this poll.
    pub fresh: bool,
}

/// Polls the three read endpoints, tracking faults and backoff. [`poll_loop`] drives it;
/// tests call [`Poller::poll`] directly.
#[derive(Debug)]
pub struct Poller {
    client: BackendClient,
    store: Store,
    backoff: Backoff,
    /// The fault category last reported (`offline` or `unauthorized`).
    last_fault: Option<&'static str>,
    last_status: BackendStatus,
}

impl Poller {
    pub fn new(client: BackendClient, store: Store) -> Poller {
        let backoff = Backoff::new(client.options.min_backoff, client.options.max_backoff.max(client.poll_interval));
        Poller { client, store, backoff, last_fault: None, last_status: BackendStatus::Connected }
    }

    /// One sync of builds, patterns and events.
    pub async fn poll(&mut self) -> BackendUpdate {
        let (b, p, e) = tokio::join!(
            self.client.builds(&self.store),
            self.client.patterns(&self.store),
            self.client.events(&self.store)
        );
        let mut fault: Option<BackendError> = None;
        let mut fresh = false;
        fn take<T: Default>(r: Result<Synced<T>, BackendError>, fault: &mut Option<BackendError>, fresh: &mut bool) -> T {
            match r {
                Ok(Synced { data, origin }) => {
                    match origin {
                        Origin::Cached(err) => {
                            fault.get_or_insert(err);
                        }
                        Origin::Fresh => *fresh = true,
                        Origin::NotModified => {}
                    }
                    data
                }
                Err(err) => {
                    fault.get_or_insert(err);
                    T::default()
                }
            }
        }
        let runs = take(b, &mut fault, &mut fresh);
        let patterns = take(p, &mut fault, &mut fresh);
        let events = take(e, &mut fault, &mut fresh);
        let (status, first_report) = match fault {
            None => {
                if self.last_fault.take().is_some() {
                    tracing::info!("Argus backend {}: connected again", self.client.base);
                }
                self.backoff.reset();
                (BackendStatus::Connected, false)
            }
            Some(err) => {
                // One report per outage: a 500 turning into a timeout is the same outage.
                let id = if err.kind == BackendErrorKind::Unauthorized { "unauthorized" } else { "offline" };
                let first = self.last_fault != Some(id);
                self.last_fault = Some(id);
                if first {
                    tracing::warn!("{err}");
                } else {
                    tracing::debug!("{err} (still)");
                }
                let reason = err.to_string();
                let status = if err.kind == BackendErrorKind::Unauthorized {
                    BackendStatus::Unauthorized { reason }
                } else {
                    BackendStatus::Offline { reason }
                };
                (status, first)
            }
        };
        self.last_status = status.clone();
        BackendUpdate { runs, patterns, events, status, first_report, fresh }
    }

    /// How long to wait before the next poll: the poll interval after a success, the backoff
    /// after a failure (never longer than the backoff cap).
    pub fn next_delay(&mut self) -> Duration {
        match self.last_status {
            BackendStatus::Connected => self.client.poll_interval,
            _ => self.backoff.next_delay(),
        }
    }
}

/// Polls forever (until `tx` is closed): every poll interval when connected, with backoff
/// and jitter after failures; at once when `wake` is notified (a user's "refresh now").
/// Spawn it on the runtime.
pub async fn poll_loop(
    client: BackendClient,
    store: Store,
    tx: tokio::sync::mpsc::Sender<BackendUpdate>,
    wake: std::sync::Arc<tokio::sync::Notify>,
) {
    let mut poller = Poller::new(client, store);
    loop {
        let update = tokio::select! {
            u = poller.poll() => u,
            _ = tx.closed() => return,
        };
        if tx.send(update).await.is_err() {
            return;
        }
        let delay = poller.next_delay();
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = wake.notified() => {}
            _ = tx.closed() => return,
        }
    }
}
