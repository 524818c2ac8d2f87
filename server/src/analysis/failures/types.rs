//! The public, plain-data result of failure analysis. Serde names are snake_case.

use serde::Serialize;

use crate::config::Severity;
use crate::syntax::{FileModel, Span};

/// Diagnostic code of a CI failure mapped onto the code.
pub const CI_FAILURE: &str = "ci-failure";
/// A failure in a report that maps to no test definition (shown on the report).
pub const UNMAPPED_FAILURE: &str = "unmapped-failure";
/// A report that could not be read whole (shown on the report, at the problem's position).
pub const BAD_REPORT: &str = "bad-report";

/// One source file of the workspace as analysis sees it.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    /// Workspace-relative, '/'-separated.
    pub path: &'a str,
    pub model: &'a FileModel,
    pub text: &'a str,
    /// Last modification (ms since the epoch), for "report older than the file".
    pub modified_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailureSettings {
    /// Runs kept per test (default 20).
    pub history: usize,
}

impl Default for FailureSettings {
    fn default() -> Self {
        FailureSettings { history: 20 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct FailureAnalysis {
    /// One per (test, failing span) of each test's latest run, when that run failed.
    pub findings: Vec<FailureFinding>,
    /// Every test definition that has history.
    pub tests: Vec<TestRecord>,
    /// Events that map to no test definition; never silently dropped.
    pub unmapped: Vec<Unmapped>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "index")]
pub enum Target {
    /// Index into the `FileModel::locators` of `FailureFinding::path`.
    Locator(usize),
    /// The action call at the error location.
    Action,
    /// Index into the `FileModel::assertions` of `FailureFinding::path`.
    Assertion(usize),
    /// The test's name.
    TestName,
}

/// As the Argus correlator: direct (the selector / assertion itself), function (a location
/// inside the test), file (only the file is known).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrelationLevel {
    File,
    Function,
    Direct,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    pub level: CorrelationLevel,
    /// 0–1: the level's base value, lowered for renamed/moved tests, stale reports and
    /// ambiguous paths.
    pub confidence: f64,
    /// "test renamed since the report", "report is older than the file's last edit", …
    pub notes: Vec<String>,
}

/// ARGUS-API.md root-cause categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    UiChange,
    NetworkError,
    TimingIssue,
    DataMismatch,
    RealBug,
    Environment,
    TestDefect,
    Unknown,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::UiChange => "ui_change",
            Category::NetworkError => "network_error",
            Category::TimingIssue => "timing_issue",
            Category::DataMismatch => "data_mismatch",
            Category::RealBug => "real_bug",
            Category::Environment => "environment",
            Category::TestDefect => "test_defect",
            Category::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RootCause {
    pub category: Category,
    /// 0–1.
    pub confidence: f64,
    /// Which rules fired, and on what.
    pub evidence: Vec<String>,
}

/// Argus risk levels: critical ≥ 80, high ≥ 60, medium ≥ 40, low ≥ 20, else minimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Minimal,
    Low,
    Medium,
    High,
    Critical,
}

impl RiskLevel {
    pub fn from_score(score: u8) -> RiskLevel {
        match score {
            80.. => RiskLevel::Critical,
            60..=79 => RiskLevel::High,
            40..=59 => RiskLevel::Medium,
            20..=39 => RiskLevel::Low,
            _ => RiskLevel::Minimal,
        }
    }

    /// A test that keeps failing is an error, an occasional one a warning.
    pub fn severity(self) -> Severity {
        match self {
            RiskLevel::Critical | RiskLevel::High => Severity::Error,
            RiskLevel::Medium => Severity::Warning,
            RiskLevel::Low => Severity::Info,
            RiskLevel::Minimal => Severity::Hint,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Risk {
    /// 0–100.
    pub score: u8,
    pub level: RiskLevel,
    /// Counted runs with a failed attempt (flaky runs included).
    pub failures: usize,
    /// Counted runs (skipped runs and infrastructure failures left out).
    pub runs: usize,
    pub failure_rate: f64,
    /// Share of failures that recovered (passed on retry, or the next run passed).
    pub flakiness: f64,
    /// Argus: ≥ 3 failures and flakiness > 0.3.
    pub flaky: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Passed,
    Failed,
    /// Failed, then passed on a retry.
    Flaky,
    Skipped,
}

/// ARGUS-API.md fix types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixKind {
    UpdateSelector,
    AddWait,
    IncreaseTimeout,
    UpdateAssertion,
    UpdateTestData,
    None,
}

impl FixKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::UpdateSelector => "update_selector",
            FixKind::AddWait => "add_wait",
            FixKind::IncreaseTimeout => "increase_timeout",
            FixKind::UpdateAssertion => "update_assertion",
            FixKind::UpdateTestData => "update_test_data",
            FixKind::None => "none",
        }
    }
}

/// A stack frame for `relatedInformation`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameRef {
    /// Workspace-relative when the frame's file maps to a workspace file.
    pub path: Option<String>,
    /// 1-based.
    pub line: u32,
    /// 1-based.
    pub column: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailureFinding {
    /// File of `span` (the page-object file when the selector matched a definition there).
    pub path: String,
    pub span: Span,
    /// Index of the test in the model of `test_path`.
    pub test: Option<usize>,
    /// File that defines the test (differs from `path` for page-object definitions).
    pub test_path: String,
    /// The test's title path as the source has it now.
    pub title_path: Vec<String>,
    pub target: Target,
    pub correlation: Correlation,
    pub root_cause: RootCause,
    pub risk: Risk,
    /// Last N runs, oldest → newest.
    pub outcomes: Vec<Outcome>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// Highest retry index seen in the latest run.
    pub retries: u32,
    pub ci_urls: Vec<String>,
    pub error_type: Option<String>,
    /// Short excerpt of the message.
    pub message: String,
    pub selector: Option<String>,
    pub expected: Option<String>,
    pub received: Option<String>,
    pub fix_kinds: Vec<FixKind>,
    /// `<run key>#<index>`.
    pub event_ids: Vec<String>,
    pub frame: Option<FrameRef>,
    /// e.g. `fails 7/20 runs · ui_change: locator('button.buy') not found`
    pub headline: String,
    /// Lines after the headline.
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestRecord {
    pub path: String,
    pub test: usize,
    pub title_path: Vec<String>,
    /// Oldest → newest (infrastructure-failure runs left out).
    pub outcomes: Vec<Outcome>,
    pub failures: usize,
    pub runs: usize,
    pub flakiness: f64,
    pub risk: Risk,
    /// Start time of the newest run the test appears in, as written.
    pub last_seen: Option<String>,
    /// The same in ms since the epoch (for "last 2h ago" against `now_ms`).
    pub last_seen_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unmapped {
    /// The report (run source) it came from.
    pub source: String,
    /// Title path joined with " › ", or `classname::name`.
    pub identity: String,
    pub reason: String,
    pub event_ids: Vec<String>,
}
