//! Quick fixes that need no browser: replace a hard sleep with a web-first wait on the element
//! the test uses next, raise a timeout to a learned value, update an assertion's expected
//! literal from what CI received. Pure: model and text in, edits out; each edit touches only
//! the span it must (a call, a number literal, a string's contents) plus, in Python, a missing
//! import at the top.

use crate::syntax::{FileModel, Framework, Language, Span, WaitKind};

use super::failures::{FailureFinding, FixKind, Target};

/// Replace `span` with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub new_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
}

/// Timeouts learned from observed durations: p95 × 1.2, clamped to 1–60 s; 5 s when nothing
/// was observed.
pub fn learned_timeout(durations_ms: &[u64]) -> u64 {
    if durations_ms.is_empty() {
        return 5_000;
    }
    let mut d = durations_ms.to_vec();
    d.sort_unstable();
    let rank = ((d.len() as f64) * 0.95).ceil() as usize;
    let p95 = d[rank.clamp(1, d.len()) - 1];
    ((p95 as f64 * 1.2).round() as u64).clamp(1_000, 60_000)
}

/// Update the expected literal to what CI received, when the failure is a text change on a
/// non-negated assertion (a negated one is never "healed": its meaning would flip).
pub fn update_expected(model: &FileModel, text: &str, f: &FailureFinding) -> Option<Fix> {
    if !f.fix_kinds.contains(&FixKind::UpdateAssertion) {
        return None;
    }
    let Target::Assertion(i) = f.target else { return None };
    let a = model.assertions.get(i)?;
    if a.negated {
        return None;
    }
    let span = a.expected_span?;
    let received = f.received.as_ref()?;
    let quote = text[..span.start].chars().next_back().filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let new_text = escape(received, quote);
    Some(Fix { title: format!("Update expected value → {quote}{new_text}{quote} (received in CI)"), edits: vec![Edit { span, new_text }] })
}

fn escape(s: &str, quote: char) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '$' if quote == '`' => out.push_str("\\$"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Raise the explicit timeout of the wait `wait` (a `{ timeout: N }` option, `WebDriverWait(d, N)`,
/// `implicitly_wait(N)`) that CI saw run out: to the learned `learned_ms`, and at least double
/// what ran out (a passing attempt after a warm-up says little about the cold path), clamped
/// to 60 s.
pub fn raise_timeout(model: &FileModel, text: &str, wait: usize, learned_ms: u64) -> Option<Fix> {
    let w = model.waits.get(wait)?;
    if w.kind != WaitKind::Explicit {
        return None;
    }
    let (span, current) = (w.duration_span?, w.duration_ms?);
    let timeout_ms = learned_ms.max(current.saturating_mul(2)).min(60_000);
    if timeout_ms <= current {
        return None;
    }
    // Python's waits count seconds; the literal keeps the unit it was written in.
    let in_seconds = model.language == Language::Python && w.api != "timeout";
    let literal = &text[span.start..span.end];
    let new_text = if in_seconds { format_seconds(timeout_ms) } else { timeout_ms.to_string() };
    if literal == new_text {
        return None;
    }
    let shown = if in_seconds { format!("{new_text} s") } else { format!("{timeout_ms} ms") };
    Some(Fix { title: format!("Raise timeout to {shown} (was {literal}; ran out in CI)"), edits: vec![Edit { span, new_text }] })
}

fn format_seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) { (ms / 1000).to_string() } else { format!("{:.1}", ms as f64 / 1000.0) }
}

/// The explicit waits of a test, and the failing span's own wait first: candidates for
/// [`raise_timeout`].
pub fn timeouts_near(model: &FileModel, span: Span, test: Option<usize>) -> Vec<usize> {
    let mut waits: Vec<usize> = (0..model.waits.len())
        .filter(|i| {
            let w = &model.waits[*i];
            w.kind == WaitKind::Explicit && w.duration_span.is_some() && (w.test == test || w.span.contains_offset(span.start))
        })
        .collect();
    // the option on the failing call itself, then the nearest
    waits.sort_by_key(|i| {
        let w = &model.waits[*i];
        let inside = w.span.start >= span.start.saturating_sub(200) && w.span.start <= span.end + 200;
        (!inside, w.span.start.abs_diff(span.start))
    });
    waits
}

/// Replace the hard sleep `wait` with a web-first wait for the element the test uses next.
/// None when nothing is used after it (there is nothing to wait for).
pub fn replace_hard_wait(model: &FileModel, text: &str, wait: usize, timeout_ms: u64) -> Option<Fix> {
    let w = model.waits.get(wait)?;
    if w.kind != WaitKind::Hard {
        return None;
    }
    let test = w.test.or_else(|| model.tests.iter().position(|t| t.span.contains_offset(w.span.start)));
    let (target, _) = next_element(model, w.span, test)?;
    let expr = text.get(target.start..target.end)?.trim();
    let python = model.language == Language::Python;
    let (call, imports): (String, Vec<&str>) = match (w.framework, python) {
        (Framework::Playwright, false) => (format!("expect({expr}).toBeVisible({{ timeout: {timeout_ms} }})"), vec![]),
        (Framework::Playwright, true) => {
            (format!("expect({expr}).to_be_visible(timeout={timeout_ms})"), vec!["from playwright.sync_api import expect"])
        }
        (Framework::Selenium, true) => {
            let (driver, args) = selenium_call(expr)?;
            (
                format!("WebDriverWait({driver}, {}).until(EC.visibility_of_element_located(({args})))", format_seconds(timeout_ms)),
                vec!["from selenium.webdriver.support.ui import WebDriverWait", "from selenium.webdriver.support import expected_conditions as EC"],
            )
        }
        (Framework::Selenium, false) => {
            let (driver, args) = selenium_call(expr)?;
            (format!("{driver}.wait(until.elementIsVisible({driver}.wait(until.elementLocated({args}), {timeout_ms})), {timeout_ms})"), vec![])
        }
        (Framework::Cypress, _) => (format!("{expr}.should('be.visible')"), vec![]),
        (Framework::WebdriverIO, _) => (format!("{expr}.waitForDisplayed({{ timeout: {timeout_ms} }})"), vec![]),
        _ => return None,
    };
    let mut edits = vec![Edit { span: w.span, new_text: call.clone() }];
    let missing: Vec<&str> = imports.into_iter().filter(|i| !text.lines().any(|l| l.trim() == *i)).collect();
    if !missing.is_empty() {
        let at = python_import_offset(text);
        edits.push(Edit { span: Span::new(at, at), new_text: missing.iter().map(|i| format!("{i}\n")).collect() });
    }
    let shown = if call.chars().count() > 70 { format!("{}…", call.chars().take(69).collect::<String>()) } else { call };
    Some(Fix { title: format!("Replace hard wait with {shown}"), edits })
}

/// The first element expression used after `after` in the same test: the outermost locator
/// call (or page-object use) starting there.
fn next_element(model: &FileModel, after: Span, test: Option<usize>) -> Option<(Span, usize)> {
    let in_test = |s: Span| match test {
        Some(t) => model.tests.get(t).is_some_and(|tc| tc.span.contains_offset(s.start)),
        None => true,
    };
    model
        .locators
        .iter()
        .enumerate()
        .flat_map(|(i, l)| std::iter::once(l.call_span).filter(move |_| l.binding.is_none()).chain(l.uses.iter().copied()).map(move |s| (s, i)))
        .filter(|(s, _)| s.start >= after.end && in_test(*s))
        .min_by_key(|(s, _)| (s.start, std::cmp::Reverse(s.end)))
}

/// The locator (index into `model.locators`) a hard sleep waits for: the element the test
/// uses next, which `replace_hard_wait` waits for instead.
pub fn waited_for(model: &FileModel, wait: usize) -> Option<usize> {
    let w = model.waits.get(wait)?;
    let test = w.test.or_else(|| model.tests.iter().position(|t| t.span.contains_offset(w.span.start)));
    next_element(model, w.span, test).map(|(_, i)| i)
}

/// `driver.find_element(By.ID, "x")` → (`driver`, `By.ID, "x"`); `driver.findElement(By.css('x'))` → (`driver`, `By.css('x')`).
fn selenium_call(expr: &str) -> Option<(&str, &str)> {
    let open = expr.find('(')?;
    let close = expr.rfind(')')?;
    let head = &expr[..open];
    let dot = head.rfind('.')?;
    let method = &head[dot + 1..];
    if !matches!(method, "find_element" | "find_elements" | "findElement" | "findElements") {
        return None;
    }
    Some((head[..dot].trim(), expr[open + 1..close].trim()))
}

/// After the module docstring and `from __future__` imports, before the first other line.
fn python_import_offset(text: &str) -> usize {
    let mut offset = 0;
    let mut in_doc: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        let next = offset + line.len();
        if let Some(q) = in_doc {
            if t.contains(q) {
                in_doc = None;
            }
            offset = next;
            continue;
        }
        if offset == 0 || t.starts_with("from __future__") || t.starts_with('#') || t.is_empty() {
            for q in ["\"\"\"", "'''"] {
                if t.starts_with(q) && !(t.len() > 3 && t[3..].contains(q)) {
                    in_doc = Some(q);
                }
            }
            if t.starts_with("\"\"\"") || t.starts_with("'''") || t.starts_with("from __future__") || t.starts_with('#') || t.is_empty() {
                offset = next;
                continue;
            }
        }
        return offset;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_model;

    fn apply(text: &str, fix: &Fix) -> String {
        let mut edits = fix.edits.clone();
        edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
        let mut out = text.to_string();
        for e in edits {
            out.replace_range(e.span.start..e.span.end, &e.new_text);
        }
        out
    }

    #[test]
    fn learned_timeouts_are_p95_times_1_2_clamped() {
        assert_eq!(learned_timeout(&[]), 5_000);
        assert_eq!(learned_timeout(&[100, 200]), 1_000, "never under 1 s");
        let many: Vec<u64> = (1..=100).map(|i| i * 100).collect();
        assert_eq!(learned_timeout(&many), 11_400, "p95 = 9 500 ms");
        assert_eq!(learned_timeout(&[120_000]), 60_000, "never over 60 s");
    }

    #[test]
    fn a_playwright_sleep_becomes_a_web_first_wait_on_the_next_element() {
        let text = "import { test, expect } from '@playwright/test';\ntest('t', async ({ page }) => {\n  await page.goto('/');\n  await page.waitForTimeout(1000);\n  await page.getByTestId('promo').click();\n});\n";
        let model = parse_model(Language::TypeScript, text);
        let fix = replace_hard_wait(&model, text, 0, 5_000).unwrap();
        let out = apply(text, &fix);
        assert!(out.contains("  await expect(page.getByTestId('promo')).toBeVisible({ timeout: 5000 });\n  await page.getByTestId('promo').click();"), "{out}");
        assert_eq!(fix.edits.len(), 1, "only the sleep call is touched");
    }

    #[test]
    fn a_selenium_sleep_gets_webdriverwait_and_its_imports_once() {
        let text = "\"\"\"Shop tests.\"\"\"\nimport time\nfrom selenium.webdriver.common.by import By\n\n\ndef test_x(driver):\n    time.sleep(2)\n    driver.find_element(By.CSS_SELECTOR, \"button.buy\").click()\n";
        let model = parse_model(Language::Python, text);
        let fix = replace_hard_wait(&model, text, 0, 5_000).unwrap();
        let out = apply(text, &fix);
        assert!(out.contains("    WebDriverWait(driver, 5).until(EC.visibility_of_element_located((By.CSS_SELECTOR, \"button.buy\")))\n"), "{out}");
        assert!(out.starts_with("\"\"\"Shop tests.\"\"\"\nfrom selenium.webdriver.support.ui import WebDriverWait\nfrom selenium.webdriver.support import expected_conditions as EC\nimport time\n"), "{out}");
        let again = parse_model(Language::Python, &out);
        let n = again.waits.iter().filter(|w| w.kind == WaitKind::Hard).count();
        assert_eq!(n, 0, "no hard wait left: {out}");
    }

    #[test]
    fn cypress_waits_on_the_next_get_and_a_sleep_with_nothing_after_it_is_left_alone() {
        let text = "describe('s', () => {\n  it('t', () => {\n    cy.visit('/');\n    cy.wait(500);\n    cy.get('.promo').click();\n  });\n  it('u', () => {\n    cy.wait(500);\n  });\n});\n";
        let model = parse_model(Language::Tsx, text);
        let out = apply(text, &replace_hard_wait(&model, text, 0, 5_000).unwrap());
        assert!(out.contains("    cy.get('.promo').should('be.visible');\n    cy.get('.promo').click();"), "{out}");
        assert!(replace_hard_wait(&model, text, 1, 5_000).is_none(), "nothing follows the second sleep");
    }

    #[test]
    fn timeouts_are_raised_in_the_unit_they_are_written_in() {
        let ts = "test('t', async ({ page }) => {\n  await expect(page.getByTestId('stock')).toBeVisible({ timeout: 1500 });\n});\n";
        let model = parse_model(Language::TypeScript, ts);
        let w = model.waits.iter().position(|w| w.api == "timeout").unwrap();
        let out = apply(ts, &raise_timeout(&model, ts, w, 4_000).unwrap());
        assert!(out.contains("toBeVisible({ timeout: 4000 })"), "learned: {out}");
        let out = apply(ts, &raise_timeout(&model, ts, w, 1_000).unwrap());
        assert!(out.contains("toBeVisible({ timeout: 3000 })"), "at least double what ran out: {out}");
        let big = ts.replace("1500", "40000");
        let model = parse_model(Language::TypeScript, &big);
        let w = model.waits.iter().position(|w| w.api == "timeout").unwrap();
        assert!(apply(&big, &raise_timeout(&model, &big, w, 1_000).unwrap()).contains("timeout: 60000"), "clamped to 60 s");

        let py = "def test_x(driver):\n    WebDriverWait(driver, 2).until(EC.visibility_of_element_located((By.ID, \"stock\")))\n";
        let model = parse_model(Language::Python, py);
        let out = apply(py, &raise_timeout(&model, py, 0, 6_000).unwrap());
        assert!(out.contains("WebDriverWait(driver, 6)"), "{out}");
    }

    #[test]
    fn escaping_keeps_the_literal_valid() {
        assert_eq!(escape("it's \"x\"", '\''), "it\\'s \"x\"");
        assert_eq!(escape("a\\b\nc", '"'), "a\\\\b\\nc");
        assert_eq!(escape("${x} `y`", '`'), "\\${x} \\`y\\`");
    }
}
