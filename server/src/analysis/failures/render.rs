//! The finding's text: a one-line headline and the detail lines after it.

use crate::failures::{FailureEvent, Hint, Run};

use super::types::{Category, FailureFinding, Outcome};

/// The first three non-blank lines, at most 300 characters.
pub fn excerpt(message: &str) -> String {
    let lines: Vec<&str> = message.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).take(3).collect();
    let s = lines.join("\n");
    if s.chars().count() > 300 {
        format!("{}…", s.chars().take(299).collect::<String>())
    } else {
        s
    }
}

/// `locator('x').first()` → `locator('x')` (modifiers say nothing about what broke).
fn short_selector(sel: &str) -> &str {
    let mut s = sel;
    loop {
        let before = s;
        for m in [".first()", ".last()"] {
            s = s.strip_suffix(m).unwrap_or(s);
        }
        if let Some(i) = s.rfind(".nth(")
            && s.ends_with(')')
            && s[i + 5..s.len() - 1].chars().all(|c| c.is_ascii_digit() || c == '-')
        {
            s = &s[..i];
        }
        if s == before {
            return s;
        }
    }
}

fn quoted(sel: &str) -> String {
    if sel.contains('(') { short_selector(sel).to_string() } else { format!("'{sel}'") }
}

/// `fails 3/3 runs · ui_change: locator('button.add-to-cart') not found`
/// In a run where over 80 % of the tests failed: `outage 6/6 tests · environment: …`.
pub fn headline(f: &FailureFinding, e: &FailureEvent, latest: Outcome, infrastructure: Option<(usize, usize)>) -> String {
    let cat = f.root_cause.category;
    let counts = match infrastructure {
        Some((failed, total)) => format!("outage {failed}/{total} tests"),
        None if latest == Outcome::Flaky => format!("flaky {}/{} runs", f.risk.failures, f.risk.runs),
        None => format!("fails {}/{} runs", f.risk.failures, f.risk.runs),
    };
    let sel = e.selectors.first().or(f.selector.as_ref());
    let what = if latest == Outcome::Flaky {
        "passed on retry".to_string()
    } else if e.facts.hints.contains(&Hint::StrictMode) {
        let n = e.facts.strict_violation_count.map(|n| format!("{n} elements")).unwrap_or_else(|| "several elements".into());
        format!("{} matched {n}", sel.map(|s| quoted(s)).unwrap_or_else(|| "locator".into()))
    } else if let (Some(x), Some(r)) = (&e.expected, &e.received) {
        format!("expected \"{x}\", received \"{r}\"")
    } else if let Some(n) = &e.facts.net_error {
        n.clone()
    } else if let Some(s) = e.facts.http_status.iter().find(|s| **s >= 500) {
        format!("HTTP {s}")
    } else if let Some(s) = sel.filter(|_| super::root_cause::element_missing(e) || cat == Category::UiChange) {
        format!("{} not found", quoted(s))
    } else if e.error_type.as_deref() == Some("TimeoutException") {
        "explicit wait timed out (TimeoutException)".to_string()
    } else if let Some(ms) = e.facts.timeout_ms {
        format!("timed out after {ms} ms")
    } else {
        let first = e.message.lines().find(|l| !l.trim().is_empty()).unwrap_or("failed").trim();
        let first = if first.chars().count() > 80 { format!("{}…", first.chars().take(79).collect::<String>()) } else { first.to_string() };
        match &e.error_type {
            Some(t) if !first.starts_with(t.as_str()) && !first.contains(t.as_str()) => format!("{t}: {first}"),
            _ => first,
        }
    };
    format!("{counts} · {}: {what}", cat.as_str())
}

/// ✓ passed, ✗ failed, ~ flaky (passed on retry), - skipped; oldest first.
pub fn strip(outcomes: &[Outcome]) -> String {
    outcomes.iter().map(|o| outcome_char(*o)).collect()
}

fn outcome_char(o: Outcome) -> char {
    match o {
        Outcome::Passed => '✓',
        Outcome::Failed => '✗',
        Outcome::Flaky => '~',
        Outcome::Skipped => '-',
    }
}

/// The lines after the headline.
pub fn detail(f: &FailureFinding, run: &Run, span_text: &str) -> String {
    use std::fmt::Write;
    let mut l = String::with_capacity(512);
    let _ = write!(l, "root cause: {} ({:.0} %) — ", f.root_cause.category.as_str(), f.root_cause.confidence * 100.0);
    for (i, ev) in f.root_cause.evidence.iter().enumerate() {
        if i > 0 {
            l.push_str("; ");
        }
        l.push_str(ev);
    }
    if !span_text.is_empty() && !f.title_path.is_empty() {
        l.push_str("\ntest: ");
        for (i, t) in f.title_path.iter().enumerate() {
            if i > 0 {
                l.push_str(" › ");
            }
            l.push_str(t);
        }
        let _ = write!(l, " ({})", f.test_path);
    }
    if !f.message.is_empty() {
        l.push_str("\nmessage: ");
        for (i, line) in f.message.split('\n').enumerate() {
            if i > 0 {
                l.push_str("\n  ");
            }
            l.push_str(line);
        }
    }
    l.push_str("\nruns: ");
    l.extend(f.outcomes.iter().map(|o| outcome_char(*o)));
    let _ = write!(
        l,
        " (oldest → newest) · risk {} {:?} · flakiness {:.2}{}",
        f.risk.score,
        f.risk.level,
        f.risk.flakiness,
        if f.risk.flaky { " · flaky" } else { "" }
    );
    if let (Some(a), Some(b)) = (&f.first_seen, &f.last_seen) {
        let _ = write!(l, "\nfirst seen {a} · last seen {b} · retries {}", f.retries);
    }
    l.push_str("\nfix: ");
    for (i, k) in f.fix_kinds.iter().enumerate() {
        if i > 0 {
            l.push_str(", ");
        }
        l.push_str(k.as_str());
    }
    for n in &f.correlation.notes {
        let _ = write!(l, "\nnote: {n}");
    }
    // the newest three; all of them are in `ci_urls`
    for u in f.ci_urls.iter().rev().take(3) {
        let _ = write!(l, "\nci: {u}");
    }
    let _ = write!(l, "\nreport: {}", run.source);
    l
}

/// A short age for code lenses: `just now`, `5m ago`, `2h ago`, `3d ago`.
pub fn ago(elapsed_ms: i64) -> String {
    let s = elapsed_ms.max(0) / 1000;
    match s {
        0..60 => "just now".into(),
        60..3_600 => format!("{}m ago", s / 60),
        3_600..86_400 => format!("{}h ago", s / 3_600),
        _ => format!("{}d ago", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_round_down_to_the_largest_unit() {
        assert_eq!(ago(-5), "just now");
        assert_eq!(ago(59_999), "just now");
        assert_eq!(ago(60_000), "1m ago");
        assert_eq!(ago(2 * 3_600_000 + 59 * 60_000), "2h ago");
        assert_eq!(ago(3 * 86_400_000), "3d ago");
    }

    #[test]
    fn the_strip_reads_oldest_to_newest() {
        assert_eq!(strip(&[Outcome::Passed, Outcome::Failed, Outcome::Flaky, Outcome::Skipped]), "✓✗~-");
    }
}
