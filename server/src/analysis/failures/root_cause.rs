//! Deterministic root-cause rules (the Argus hints of ARGUS-API.md), each naming its evidence,
//! and the fix kinds that follow from a cause.

use crate::failures::{FailureEvent, Hint};

use super::types::{Category, FixKind, RootCause};

/// What the event alone does not tell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    /// Failed, then passed on a retry in the same run.
    pub passed_on_retry: bool,
    /// Pass ↔ fail changes over the test's recent runs.
    pub flips: usize,
    /// The run is an infrastructure failure: (failed tests, tests).
    pub infrastructure: Option<(usize, usize)>,
    /// Every test of the run that ran failed with a network error.
    pub run_all_network: bool,
    /// Fails only on this branch and passes on others.
    pub only_branch: Option<String>,
    /// 1-based line of a navigation right before the failing statement.
    pub after_navigation: Option<u32>,
}

fn has(e: &FailureEvent, h: Hint) -> bool {
    e.facts.hints.contains(&h)
}

const DNS: [&str; 4] = ["getaddrinfo", "Name or service not known", "ERR_NAME_NOT_RESOLVED", "ENOTFOUND"];
const CONNECTION: [&str; 3] = ["Connection refused", "connection refused", "ECONNREFUSED"];

fn network_error(e: &FailureEvent) -> Option<String> {
    if let Some(n) = &e.facts.net_error {
        return Some(n.clone());
    }
    DNS.iter().chain(CONNECTION.iter()).find(|p| e.message.contains(**p)).map(|p| p.to_string())
}

/// Element lookups that found nothing: NoSuchElement, "never found it", `element(s) not found`,
/// or a locator wait that timed out.
pub fn element_missing(e: &FailureEvent) -> bool {
    has(e, Hint::ElementNotFound)
        || (has(e, Hint::Timeout) && (e.message.contains("waiting for locator(") || e.message.contains("waiting for get")))
}

fn numbers(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() || (c == '.' && !cur.is_empty()) {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur).trim_end_matches('.').to_string());
        }
    }
    if !cur.is_empty() {
        out.push(cur.trim_end_matches('.').to_string());
    }
    out
}

fn is_numeric(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !matches!(c, '$' | '€' | '£' | '%' | ',' | ' ')).collect();
    !t.is_empty() && t.parse::<f64>().is_ok()
}

/// Longest common subsequence of characters over the longer length (0–1).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().take(500).collect(), b.chars().take(500).collect());
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    // two rows, swapped per character of `a` (a row per character cost one allocation each)
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in &a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y { prev[j] + 1 } else { prev[j + 1].max(cur[j]) };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] as f64 / a.len().max(b.len()) as f64
}

/// A text change of static UI copy: neither value a number, the same numbers in both, and
/// the wording similar ("Total: $42.00" → "Order total: $42.00").
pub fn is_copy_change(expected: &str, received: &str) -> bool {
    !is_numeric(expected) && !is_numeric(received) && numbers(expected) == numbers(received) && similarity(expected, received) >= 0.5
}

const TEST_CODE_ERRORS: [&str; 6] = ["TypeError", "ReferenceError", "AttributeError", "NameError", "SyntaxError", "KeyError"];

/// The rules, first match wins (order = how telling the evidence is).
pub fn classify(e: &FailureEvent, ctx: &Context) -> RootCause {
    let rc = |category, confidence, evidence: Vec<String>| RootCause { category, confidence, evidence };
    if let Some((failed, total)) = ctx.infrastructure {
        return rc(Category::Environment, 0.8, vec![format!("infrastructure failure: {failed} of {total} tests of the run failed (over 80 %)")]);
    }
    if has(e, Hint::StrictMode) {
        let n = e.facts.strict_violation_count.map(|n| format!(" resolved to {n} elements")).unwrap_or_default();
        return rc(Category::TestDefect, 0.9, vec![format!("strict mode violation: {}{n}", e.selectors.first().map(String::as_str).unwrap_or("the locator"))]);
    }
    let net = network_error(e);
    let five = e.facts.http_status.iter().copied().find(|s| (500..600).contains(s));
    if let Some(n) = &net {
        if five.is_some() {
            return rc(Category::Environment, 0.7, vec![format!("network error {n} and HTTP {} in the same failure", five.unwrap_or(500))]);
        }
        if ctx.run_all_network {
            return rc(Category::Environment, 0.85, vec![format!("network error {n}; every test of the run failed with a network error")]);
        }
        return rc(Category::NetworkError, 0.8, vec![format!("network error {n}")]);
    }
    if let Some(s) = five {
        let url = e.facts.urls.first().map(|u| format!(" from {u}")).unwrap_or_default();
        return rc(Category::RealBug, 0.7, vec![format!("HTTP {s}{url}: the app's server failed")]);
    }
    if ctx.passed_on_retry || ctx.flips >= 2 {
        let mut ev = Vec::new();
        if ctx.passed_on_retry {
            ev.push("passed on retry in the same run (intermittent)".to_string());
        }
        if ctx.flips >= 2 {
            ev.push(format!("flipped between pass and fail {} times in recent runs", ctx.flips));
        }
        return rc(Category::TimingIssue, if ctx.passed_on_retry { 0.8 } else { 0.7 }, ev);
    }
    if let Some(b) = &ctx.only_branch {
        return rc(Category::Environment, 0.6, vec![format!("fails only on branch {b}; passes on others")]);
    }
    if let (Some(exp), Some(rec)) = (&e.expected, &e.received)
        && exp != rec
    {
        if is_copy_change(exp, rec) {
            return rc(Category::UiChange, 0.65, vec![format!(
                "expected \"{exp}\", received \"{rec}\": same numbers, reworded static text (UI copy changed)"
            )]);
        }
        return rc(Category::DataMismatch, 0.7, vec![format!("expected \"{exp}\", received \"{rec}\": the values differ")]);
    }
    if has(e, Hint::StaleElement) {
        return rc(Category::TimingIssue, 0.6, vec!["stale element reference: the DOM was re-rendered during the action".into()]);
    }
    if has(e, Hint::ClickIntercepted) || has(e, Hint::NotVisible) && !has(e, Hint::ElementNotFound) {
        return rc(Category::TimingIssue, 0.5, vec!["element covered or not visible yet when acted on".into()]);
    }
    if is_explicit_wait_timeout(e) && e.selectors.is_empty() && !has(e, Hint::ElementNotFound) {
        let mut ev = vec!["an explicit wait ran out (TimeoutException)".to_string()];
        if let Some(line) = ctx.after_navigation {
            ev.push(format!("it waited right after the navigation at line {line}"));
        }
        return rc(Category::TimingIssue, if ctx.after_navigation.is_some() { 0.6 } else { 0.5 }, ev);
    }
    if element_missing(e) || has(e, Hint::Timeout) && !e.selectors.is_empty() {
        let what = e.selectors.first().map(|s| format!("{s} ")).unwrap_or_default();
        if has(e, Hint::Navigation) || e.message.contains("navigated to \"") || e.message.contains("waiting for navigation") {
            return rc(Category::TimingIssue, 0.6, vec![format!("element {what}missing while the page was navigating")]);
        }
        if let Some(line) = ctx.after_navigation {
            if !has(e, Hint::ElementNotFound) {
                return rc(Category::TimingIssue, 0.55, vec![format!("waited for element {what}right after the navigation at line {line}, and the wait ran out")]);
            }
            return rc(Category::UiChange, 0.6, vec![
                format!("element {what}not found"),
                format!("it follows the navigation at line {line}: could also be timing"),
            ]);
        }
        return rc(Category::UiChange, 0.75, vec![format!("element {what}not found on a loaded page")]);
    }
    if let Some(t) = e.error_type.as_deref().filter(|t| TEST_CODE_ERRORS.contains(t)) {
        return rc(Category::TestDefect, 0.6, vec![format!("{t} raised by the test code itself")]);
    }
    if has(e, Hint::Timeout) {
        return rc(Category::TimingIssue, 0.5, vec![match e.facts.timeout_ms {
            Some(ms) => format!("timed out after {ms} ms"),
            None => "timed out".into(),
        }]);
    }
    if e.error_type.as_deref() == Some("AssertionError") {
        return rc(Category::TestDefect, 0.4, vec!["AssertionError without expected/received values in the test code".into()]);
    }
    rc(Category::Unknown, 0.3, vec!["no rule matched".into()])
}

/// Selenium's `TimeoutException` from `WebDriverWait(…).until(…)`: an explicit wait ran out.
fn is_explicit_wait_timeout(e: &FailureEvent) -> bool {
    e.error_type.as_deref() == Some("TimeoutException") || e.message.starts_with("selenium.common.exceptions.TimeoutException")
}

/// The fix kinds a cause calls for. `negated`: the failing assertion is negated (never
/// `update_assertion`).
pub fn fix_kinds(e: &FailureEvent, rc: &RootCause, negated: bool) -> Vec<FixKind> {
    let mut v = Vec::new();
    let mismatch = e.expected.is_some() && e.received.is_some() && e.expected != e.received;
    match rc.category {
        Category::TestDefect if has(e, Hint::StrictMode) => v.push(FixKind::UpdateSelector),
        Category::UiChange if !mismatch && (element_missing(e) || is_explicit_wait_timeout(e)) => v.push(FixKind::UpdateSelector),
        Category::TimingIssue => {
            v.push(FixKind::AddWait);
            if e.facts.timeout_ms.is_some() || is_explicit_wait_timeout(e) {
                v.push(FixKind::IncreaseTimeout);
            }
        }
        Category::DataMismatch => v.push(FixKind::UpdateTestData),
        _ => {}
    }
    if mismatch && matches!(rc.category, Category::DataMismatch | Category::UiChange) && !negated {
        v.insert(0, FixKind::UpdateAssertion);
    }
    if v.is_empty() {
        v.push(FixKind::None);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_changes_versus_data() {
        assert!(is_copy_change("Total: $42.00", "Order total: $42.00"));
        assert!(!is_copy_change("Total: $42.00", "Total: $17.00"), "numbers differ: data");
        assert!(!is_copy_change("42", "43"));
        assert!(!is_copy_change("In stock", "Sold out"));
        assert!(is_copy_change("Proceed to checkout", "Proceed to payment"));
    }

    #[test]
    fn similarity_is_the_longest_common_subsequence_over_the_longer_length() {
        assert_eq!(similarity("abcde", "ace"), 3.0 / 5.0);
        assert_eq!(similarity("kitten", "sitting"), 4.0 / 7.0, "i t t n");
        assert_eq!(similarity("AGGTAB", "GXTXAYB"), 4.0 / 7.0, "G T A B");
        assert_eq!(similarity("", ""), 1.0);
        assert_eq!(similarity("abc", ""), 0.0);
        assert_eq!(similarity("ünï", "ünï"), 1.0, "characters, not bytes");
    }
}
