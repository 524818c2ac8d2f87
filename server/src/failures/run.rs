//! A run: the events of one report (or one backend build), as history keeps it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{FailureEvent, Report, ReportFormat, ReportStats, RunInfo};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// Stable identity, so a report read twice is recorded once: the CI run id when the report
    /// names one, else a hash of the report's format, start time and events.
    pub key: String,
    /// Where it came from: the report's path as read, or the backend URL.
    pub source: String,
    pub format: ReportFormat,
    /// Run metadata (run id, commit, branch, start time, CI URL) from the report.
    pub info: RunInfo,
    pub stats: Option<ReportStats>,
    /// One event per test attempt.
    pub events: Vec<FailureEvent>,
}

impl Run {
    pub fn from_report(report: Report) -> Run {
        let info = report.events.iter().map(|e| e.run.clone()).find(|r| *r != RunInfo::default()).unwrap_or_default();
        let key = match &info.run_id {
            Some(id) => format!("run:{id}"),
            None => content_key(&report, &info),
        };
        Run { key, source: report.name, format: report.format, info, stats: report.stats, events: report.events }
    }

    /// Start time as written (RFC 3339 in Playwright and pytest reports).
    pub fn started_at(&self) -> Option<&str> {
        self.info.started_at.as_deref().or(self.stats.as_ref().and_then(|s| s.start_time.as_deref()))
    }
}

fn content_key(report: &Report, info: &RunInfo) -> String {
    let mut h = Sha256::new();
    h.update(format!("{:?}", report.format));
    h.update(info.started_at.as_deref().unwrap_or(""));
    for e in &report.events {
        h.update(e.title_path.join("\u{1f}"));
        h.update(e.name.as_bytes());
        h.update(e.retry.to_le_bytes());
        h.update(format!("{:?}", e.status));
        h.update(e.duration_ms.unwrap_or(0).to_le_bytes());
    }
    let digest = h.finalize();
    format!("sha:{}", digest.iter().take(8).map(|b| format!("{b:02x}")).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAYWRIGHT: &[u8] = include_bytes!("../../../tests/examples/reports/playwright/results.json");
    const PYTEST: &[u8] = include_bytes!("../../../tests/examples/reports/pytest/junit.xml");

    #[test]
    fn the_same_report_gets_the_same_key_and_another_one_does_not() {
        let parse = |name, bytes: &[u8]| Run::from_report(super::super::parse_report(name, bytes));
        let a = parse("results.json", PLAYWRIGHT);
        let b = parse("elsewhere/results.json", PLAYWRIGHT);
        let c = parse("junit.xml", PYTEST);
        assert_eq!(a.key, b.key);
        assert_ne!(a.key, c.key);
        assert!(a.started_at().is_some());
        assert!(!a.events.is_empty());
    }
}
