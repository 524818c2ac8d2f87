//! Failure events: the model, and streaming parsers for the report formats CI produces.
//!
//! Pure: bytes in (`impl BufRead`), events and problems out. Never panics on user input.
//!
//! - [`model`]: [`FailureEvent`] and friends, the ARGUS-API.md [`fingerprint`].
//! - [`playwright_json`]: Playwright's JSON reporter, streamed with serde visitors.
//! - [`junit`]: JUnit XML (pytest xunit1/xunit2, Playwright, jest-junit, Maven surefire),
//!   streamed with quick-xml; DTDs and custom entities refused.
//! - [`message`]: selectors and facts read from error messages.

pub mod junit;
pub mod message;
pub mod model;
pub mod playwright_json;
mod run;
pub mod stack;
mod time;

use std::io::BufRead;

pub use message::{Hint, MessageFacts};
pub use run::Run;
pub use time::parse_rfc3339_millis;
pub use model::{
    Attachment, EventSource, ExtraError, FailureEvent, Location, Problem, ReportStats, RunInfo,
    StackFrame, Status, fingerprint, is_in_app, normalize_url,
};

/// Cap for one message or captured output (64 KiB); longer texts are cut and marked.
pub const MAX_TEXT: usize = 64 * 1024;

/// Which parser a report went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    PlaywrightJson,
    Junit,
    /// Neither JSON nor XML (empty, binary, …): nothing parsed.
    Unknown,
}

/// A parsed report: every event, the report-level stats, and what was not understood.
#[derive(Debug, Clone)]
pub struct Report {
    /// The report's name (usually its path), as given.
    pub name: String,
    pub format: ReportFormat,
    /// One event per test attempt, in document order.
    pub events: Vec<FailureEvent>,
    /// Playwright `stats`, or the counts of the JUnit root element.
    pub stats: Option<ReportStats>,
    /// Problems, each naming its position.
    pub problems: Vec<Problem>,
}

/// Parses a report of any supported format, sniffed from its first non-blank byte (`{` →
/// Playwright JSON, `<` → JUnit XML). `name` is only used in problem messages.
pub fn parse_report(name: &str, mut reader: impl BufRead) -> Report {
    let mut report = Report {
        name: name.to_string(),
        format: ReportFormat::Unknown,
        events: Vec::new(),
        stats: None,
        problems: Vec::new(),
    };
    let first = loop {
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) => {
                report.problems.push(problem_at(format!("{name}: read error: {e}"), 0));
                return report;
            }
        };
        if buf.is_empty() {
            break None;
        }
        // Skip a UTF-8 BOM and whitespace.
        let skip = buf
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0xEF | 0xBB | 0xBF))
            .count();
        if skip < buf.len() {
            break Some(buf[skip]);
        }
        reader.consume(skip);
    };
    match first {
        None => report.problems.push(problem_at(format!("{name}: empty report"), 0)),
        Some(b'{') => {
            report.format = ReportFormat::PlaywrightJson;
            let mut events = Vec::new();
            let summary = playwright_json::parse(reader, &mut |e| events.push(e));
            for e in &mut events {
                summary.complete(e);
            }
            report.events = events;
            report.stats = summary.stats;
            report.problems = summary.problems;
        }
        Some(b'<') => {
            report.format = ReportFormat::Junit;
            let mut events = Vec::new();
            let summary = junit::parse(reader, &mut |e| events.push(e));
            report.events = events;
            report.stats = summary.stats;
            report.problems = summary.problems;
        }
        Some(b) => report.problems.push(problem_at(
            format!(
                "{name}: not a Playwright JSON or JUnit XML report (first byte 0x{b:02x}, expected '{{' or '<')"
            ),
            0,
        )),
    }
    for p in &mut report.problems {
        if !p.message.starts_with(name) {
            p.message = format!("{name}: {}", p.message);
        }
    }
    report
}

fn problem_at(message: String, offset: u64) -> Problem {
    Problem { message, line: None, column: None, offset: Some(offset) }
}

/// Removes ANSI escape sequences (colours, styles) from a report text.
pub fn strip_ansi(s: &str) -> String {
    if !s.contains('\u{1b}') {
        return s.to_string();
    }
    strip_ansi_escapes::strip_str(s)
}

/// Cuts `s` to at most `max` bytes on a char boundary; true when something was cut.
pub fn cap_text(mut s: String, max: usize) -> (String, bool) {
    if s.len() <= max {
        return (s, false);
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    (s, true)
}
