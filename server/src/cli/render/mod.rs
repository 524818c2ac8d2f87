//! Output formats of `check`. These are a public contract: keep them stable.

mod human;
mod json;
mod sarif;

pub use human::human;
pub use json::json;
pub use sarif::sarif;

use serde::Serialize;

use crate::analysis::LintCode;
use crate::config::Severity;

use super::location::Location;

pub use crate::analysis::failures::{BAD_REPORT, CI_FAILURE, UNMAPPED_FAILURE};

/// Every code `check` can print, with a one-line description and its default severity.
pub fn rules() -> Vec<(&'static str, String, Severity)> {
    let mut rules: Vec<_> = LintCode::ALL.iter().map(|c| (c.as_str(), c.as_str().replace('-', " "), c.default_severity())).collect();
    rules.push((CI_FAILURE, "a CI failure on this span (severity from its risk)".into(), Severity::Error));
    rules.push((UNMAPPED_FAILURE, "a CI failure that maps to no test definition".into(), Severity::Info));
    rules.push((BAD_REPORT, "a report that could not be read whole".into(), Severity::Warning));
    rules
}

/// What a CI-failure finding adds in `--format json`.
#[derive(Debug, Clone, Serialize)]
pub struct FailureFacts {
    pub root_cause: &'static str,
    pub confidence: f64,
    pub risk: u8,
    pub failures: usize,
    pub runs: usize,
    pub test: Vec<String>,
}

/// One finding, ready to print.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Relative to the current directory when under it.
    pub file: String,
    pub location: Location,
    pub severity: Severity,
    pub code: &'static str,
    /// The short first line.
    pub message: String,
    pub detail: String,
    /// The source line the finding starts on (empty when there is none to show).
    pub excerpt: String,
    pub failure: Option<FailureFacts>,
}
