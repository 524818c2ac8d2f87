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
mod offload;
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
            let summary = playwright_json::parse_into(reader, &mut events);
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
            let summary = junit::parse_into(reader, &mut events);
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
    strip_ansi_cow(s).into_owned()
}

/// [`strip_ansi`] without a copy when there is nothing to strip (no ESC byte).
///
/// The colour and style sequences test runners print (CSI: `ESC [` parameters, final byte)
/// are removed by a single pass here; anything rarer (OSC, DCS, C1 controls, a sequence cut
/// short) goes through `strip_ansi_escapes`, so the output is the same either way (like
/// it, a text with escapes keeps `\n` but drops the other C0 controls).
pub fn strip_ansi_cow(s: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let b = s.as_bytes();
    if memchr::memchr(0x1b, b).is_none() {
        return Cow::Borrowed(s);
    }
    let vte = || Cow::Owned(strip_ansi_escapes::strip_str(s));
    // One pass: copy runs of plain bytes, drop C0 controls but `\n`, skip whole CSI
    // sequences; anything else (C1 controls, DEL, other escapes, a cut sequence) → vte.
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut i = 0;
    let mut run = 0; // start of the pending run of plain bytes
    while i < b.len() {
        let c = b[i];
        if c >= 0x20 && c != 0x7f && c != 0xc2 || c == b'\n' {
            i += 1;
            continue;
        }
        if c == 0xc2 {
            // C1 controls (U+0080..U+009F, UTF-8 C2 80..C2 9F): leave to vte
            if b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)) {
                return vte();
            }
            i += 1;
            continue;
        }
        out.extend_from_slice(&b[run..i]);
        if c == 0x7f {
            return vte();
        }
        if c == 0x1b {
            if b.get(i + 1) != Some(&b'[') {
                return vte();
            }
            let mut j = i + 2;
            while j < b.len() && (0x20..=0x3f).contains(&b[j]) {
                j += 1;
            }
            if j >= b.len() || !(0x40..=0x7e).contains(&b[j]) {
                return vte();
            }
            i = j + 1;
        } else {
            i += 1; // another C0 control: dropped
        }
        run = i;
    }
    out.extend_from_slice(&b[run..]);
    // Only whole ASCII sequences and ASCII controls were removed: still valid UTF-8.
    Cow::Owned(String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_ansi_agrees_with_strip_ansi_escapes() {
        let cases = [
            "plain",
            "\u{1b}[2mexpect(\u{1b}[22m\u{1b}[31mlocator\u{1b}[39m\u{1b}[2m).\u{1b}[22mtoHaveText",
            "a\u{1b}[1;31mred\u{1b}[0m\tb\r\nc",
            "tab\tand\u{1b}[32mgreen\u{1b}[39m\n  - waiting for locator('x')",
            "\u{1b}]8;;http://x\u{7}link\u{1b}]8;;\u{7}",
            "cut \u{1b}[3",
            "esc \u{1b}(B done",
            "c1 \u{9b}31m x \u{1b}[0m",
            "del \u{7f} \u{1b}[0m",
            "\u{1b}[?25l hidden \u{1b}[38;5;196m ünïcödé \u{1b}[0m ✓",
            "nbsp\u{a0}and\u{1b}[31m\u{a0}red\u{1b}[0m\u{85}",
            "nul a\u{0}b\u{1b}[0m\u{1f}c\r",
            "\u{1b}",
            "\u{1b}[",
            "x\u{1b}[31m",
            "\u{1b}[31m\u{1b}[0m",
            "\u{7f}\u{1b}[0m",
            "\u{1b}[0m\u{7f}",
            "é\u{1b}[1mé\u{1b}[0mé",
        ];
        for c in cases {
            assert_eq!(strip_ansi(c), if c.contains('\u{1b}') { strip_ansi_escapes::strip_str(c) } else { c.to_string() }, "{c:?}");
        }
        // and on random mixtures of the pieces that matter
        let pieces = ["\u{1b}", "[", "31", "m", ";", "?", "a", "é", "\n", "\t", "\r", "\u{7f}", "\u{85}", "\u{a0}", "(", "B", "]", "\u{7}", " ", "\u{0}"];
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..20_000 {
            let c: String = (0..rng.usize(0..16)).map(|_| pieces[rng.usize(0..pieces.len())]).collect();
            let want = if c.contains('\u{1b}') { strip_ansi_escapes::strip_str(&c) } else { c.clone() };
            assert_eq!(strip_ansi(&c), want, "{c:?}");
        }
    }
}
