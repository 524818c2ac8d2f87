//! Facts read out of error messages: the selectors they name, expected/received values,
//! HTTP statuses, URLs, network errors, timeouts. Works on the texts Playwright, Selenium
//! (Python), pytest, Cypress and WebdriverIO really print. Input should be ANSI-stripped.

use once_cell::sync::Lazy;
use regex::Regex;
use serde::{Deserialize, Serialize};

/// What kind of failure the message describes. Several may apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hint {
    /// The selector matched nothing (Selenium NoSuchElement, Cypress "never found it",
    /// Playwright `element(s) not found`).
    ElementNotFound,
    /// A wait, action or assertion ran out of time.
    Timeout,
    /// Playwright strict mode: the locator matched several elements.
    StrictMode,
    /// An assertion compared values that differ (expected/received).
    AssertionMismatch,
    /// Selenium StaleElementReferenceException.
    StaleElement,
    /// Selenium ElementClickInterceptedException / Playwright "intercepts pointer events".
    ClickIntercepted,
    /// The element exists but is not displayed/visible.
    NotVisible,
    /// Navigation (`page.goto`, `page.waitForURL`, …) failed or timed out.
    Navigation,
    /// A network-level error (`net::ERR_…`, `NS_ERROR_…`, ECONNREFUSED, ENOTFOUND).
    Network,
    /// The message names an HTTP 4xx/5xx status.
    HttpError,
}

/// Facts read from one message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageFacts {
    /// Selectors as the message writes them, deduplicated, in order: Playwright locator
    /// expressions (`locator('form').getByRole('button', { name: 'Save' })`), Selenium /
    /// Cypress / WebdriverIO raw selectors (`button.add-to-cart`).
    pub selectors: Vec<String>,
    /// Expected value of a failed comparison (quotes removed).
    pub expected: Option<String>,
    /// Received / actual value (quotes removed).
    pub received: Option<String>,
    /// HTTP status codes named by the message (400–599 unless written as `status NNN`).
    pub http_status: Vec<u16>,
    /// URLs named by the message (documentation links of the tools themselves excluded).
    pub urls: Vec<String>,
    /// `net::ERR_CONNECTION_REFUSED`, `NS_ERROR_CONNECTION_REFUSED`, `ECONNREFUSED`, …
    pub net_error: Option<String>,
    /// Playwright strict mode: how many elements the locator resolved to.
    pub strict_violation_count: Option<u32>,
    /// The timeout the message reports, in milliseconds.
    pub timeout_ms: Option<u64>,
    /// Kinds of failure the message describes, sorted.
    pub hints: Vec<Hint>,
}

macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: Lazy<Regex> = Lazy::new(|| Regex::new($pat).expect("valid regex"));
    };
}

re!(STRICT, r"strict mode violation: (.+?) resolved to (\d+) elements");
re!(SELENIUM_LOCATE, r#"Unable to locate element: \{"method":"((?:[^"\\]|\\.)*)","selector":"((?:[^"\\]|\\.)*)"\}"#);
re!(CYPRESS_FIND, r"Expected to find element: `([^`]+)`, but never found it");
re!(CYPRESS_NOT_EXIST, r"Expected not to find element: `([^`]+)`");
re!(CYPRESS_TEXT, r"expected '(<[^']*>)' to have text '((?:[^'\\]|\\.)*)', but the text was '((?:[^'\\]|\\.)*)'");
re!(WDIO_ELEMENT, r#"element \("((?:[^"\\]|\\.)*)"\) still not (?:displayed|existing|clickable|enabled)"#);
re!(WDIO_EXPECT, r"Expect \$\(`([^`]+)`\)");
re!(WDIO_DOLLAR, r#"\$\("((?:[^"\\]|\\.)*)"\)"#);
re!(EXPECTED_LINE, r"(?m)^\s*Expected(?: string| pattern| substring| value)?:\s*(.*?)\s*$");
re!(RECEIVED_LINE, r"(?m)^\s*Received(?: string| value)?:\s*(.*?)\s*$");
re!(DIFF_HEADER, r"(?m)^\s*- Expected(?:\s+- \d+)?\s*\n\s*\+ Received(?:\s+\+ \d+)?\s*$");
re!(JUNIT_EXPECTED, r"expected:? <(.*?)> but was:? <(.*?)>");
re!(PY_ASSERT, r#"(?m)assert (.+?) == (.+?)\s*$"#);
re!(TIMEOUT, r"(?:Timeout:?\s+|Timed out retrying after |after |with timeout |timed out after |Timeout of )(\d+)\s*ms");
re!(NET_ERR, r"\b(net::ERR_[A-Z_]+|NS_ERROR_[A-Z_]+|ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EAI_AGAIN)\b");
re!(URL, r#"\bhttps?://[^\s'"<>`\)\]\}]+"#);
re!(HTTP_STATUS, r"(?i)\b(?:status(?:\s*code)?[:=]?\s*|HTTP(?:/\d(?:\.\d)?)?\s+|statusCode[:=]\s*)([1-5]\d\d)\b");
re!(HTTP_REASON, r"\b([45]\d\d)\s+(Bad Request|Unauthorized|Forbidden|Not Found|Method Not Allowed|Request Timeout|Conflict|Too Many Requests|Internal Server Error|Not Implemented|Bad Gateway|Service Unavailable|Gateway Timeout)\b");
re!(EXPECT_MATCHER, r"expect\([^)]*\)\.(?:not\.)?(to[A-Z]\w*)\(");

/// Reads every fact this module knows from an (ANSI-stripped) message.
pub fn extract(message: &str) -> MessageFacts {
    // Code-frame lines (`> 18 |   await page.locator(…)`) quote source code, not what
    // failed: leave them out. Every regex below is guarded by a literal it needs, so a
    // message pays only for the patterns it can match.
    let text = without_snippets(message);
    let text: &str = &text;
    let mut f = MessageFacts::default();
    let mut hints = Vec::new();

    // (the pattern cannot cross a line: only lines naming the violation are searched)
    if text.contains("strict mode violation")
        && let Some(c) = text.lines().filter(|l| l.contains("strict mode violation")).find_map(|l| STRICT.captures(l))
    {
        f.strict_violation_count = c[2].parse().ok();
        hints.push(Hint::StrictMode);
    }
    if text.contains("ocator(") || text.contains("getBy") || text.contains("internal:") {
        for sel in playwright_locators(text) {
            push_unique(&mut f.selectors, sel);
        }
    }
    if text.contains("Unable to locate element") {
        for c in SELENIUM_LOCATE.captures_iter(text) {
            push_unique(&mut f.selectors, unescape_backslashes(&c[2]));
            hints.push(Hint::ElementNotFound);
        }
    }
    if text.contains("Expected to find element") {
        for c in CYPRESS_FIND.captures_iter(text) {
            push_unique(&mut f.selectors, c[1].to_string());
            hints.push(Hint::ElementNotFound);
        }
    }
    if text.contains("Expected not to find element") {
        for c in CYPRESS_NOT_EXIST.captures_iter(text) {
            push_unique(&mut f.selectors, c[1].to_string());
        }
    }
    if text.contains("element (\"") {
        for c in WDIO_ELEMENT.captures_iter(text) {
            push_unique(&mut f.selectors, unescape_backslashes(&c[1]));
            hints.push(if text.contains("still not displayed") {
                Hint::NotVisible
            } else {
                Hint::ElementNotFound
            });
        }
    }
    if text.contains("Expect $(`") {
        for c in WDIO_EXPECT.captures_iter(text) {
            push_unique(&mut f.selectors, c[1].to_string());
        }
    }
    if text.contains("$(\"") {
        for c in WDIO_DOLLAR.captures_iter(text) {
            push_unique(&mut f.selectors, unescape_backslashes(&c[1]));
        }
    }

    // Expected / received.
    if text.contains("to have text '")
        && let Some(c) = CYPRESS_TEXT.captures(text)
    {
        push_unique(&mut f.selectors, c[1].to_string());
        f.expected = Some(unescape_backslashes(&c[2]));
        f.received = Some(unescape_backslashes(&c[3]));
    }
    if f.expected.is_none() {
        if let Some(c) = if text.contains("Expected") { EXPECTED_LINE.captures(text) } else { None } {
            let v = unquote(&c[1]);
            if !v.is_empty() {
                f.expected = Some(v);
            }
        }
        if let Some(c) = if text.contains("Received") { RECEIVED_LINE.captures(text) } else { None } {
            let v = unquote(&c[1]);
            if !v.is_empty() {
                f.received = Some(v);
            }
        }
    }
    if f.expected.is_none()
        && text.contains("but was")
        && let Some(c) = JUNIT_EXPECTED.captures(text) {
            f.expected = Some(c[1].to_string());
            f.received = Some(c[2].to_string());
        }
    if text.contains("assert ")
        && let Some(c) = PY_ASSERT.captures(text)
    {
        // pytest: `assert actual == expected`.
        let (left, right) = (c[1].trim(), c[2].trim());
        if f.expected.is_none() && f.received.is_none() {
            f.received = Some(unquote(left));
            f.expected = Some(unquote(right));
        }
    }
    if f.expected.is_none() && f.received.is_none()
        && text.contains("- Expected")
        && let Some(m) = DIFF_HEADER.find(text) {
            let (mut exp, mut rec) = (Vec::new(), Vec::new());
            for line in text[m.end()..].lines().skip_while(|l| l.trim().is_empty()) {
                let t = line.trim_start();
                if let Some(r) = t.strip_prefix("- ") {
                    exp.push(r.to_string());
                } else if let Some(r) = t.strip_prefix("+ ") {
                    rec.push(r.to_string());
                } else if (t.is_empty() || !(t.starts_with(' ') || t.starts_with('?')))
                    && (t.is_empty() || !exp.is_empty() || !rec.is_empty()) {
                        break;
                    }
            }
            if !exp.is_empty() {
                f.expected = Some(exp.join("\n"));
            }
            if !rec.is_empty() {
                f.received = Some(rec.join("\n"));
            }
        }
    if f.expected.is_some() && f.received.is_some() && f.expected != f.received {
        hints.push(Hint::AssertionMismatch);
    }

    // Timeouts, networking, HTTP.
    if text.contains("ms")
        && let Some(c) = TIMEOUT.captures(text)
    {
        f.timeout_ms = c[1].parse().ok();
    }
    if f.timeout_ms.is_some()
        || text.contains("TimeoutException")
        || text.contains("TimeoutError")
        || text.contains("Timed out")
    {
        hints.push(Hint::Timeout);
    }
    if (text.contains("ERR") || text.contains("ECONN") || text.contains("ENOTFOUND") || text.contains("ETIMEDOUT") || text.contains("EAI_AGAIN"))
        && let Some(c) = NET_ERR.captures(text)
    {
        f.net_error = Some(c[1].to_string());
        hints.push(Hint::Network);
    }
    let has_url = text.contains("http");
    for m in URL.find_iter(if has_url { text } else { "" }) {
        let u = m.as_str().trim_end_matches(['.', ',', ';', ':', '\'']);
        if is_tool_doc_url(u) {
            continue;
        }
        push_unique(&mut f.urls, u.to_string());
    }
    let maybe_status = contains_ascii_ci(text, b"status") || contains_ascii_ci(text, b"http");
    for c in HTTP_STATUS.captures_iter(if maybe_status { text } else { "" }) {
        if let Ok(n) = c[1].parse::<u16>()
            && !f.http_status.contains(&n) {
                f.http_status.push(n);
            }
    }
    for c in HTTP_REASON.captures_iter(if may_have_status_code(text) { text } else { "" }) {
        if let Ok(n) = c[1].parse::<u16>()
            && !f.http_status.contains(&n) {
                f.http_status.push(n);
            }
    }
    if f.http_status.iter().any(|s| *s >= 400) {
        hints.push(Hint::HttpError);
    }

    // Other kinds.
    if text.contains("NoSuchElement")
        || text.contains("element(s) not found")
        || text.contains("never found it")
        || text.contains("no such element")
    {
        hints.push(Hint::ElementNotFound);
    }
    if text.contains("StaleElementReference") || text.contains("stale element") {
        hints.push(Hint::StaleElement);
    }
    if text.contains("ElementClickIntercepted")
        || text.contains("intercepts pointer events")
        || text.contains("is not clickable at point")
    {
        hints.push(Hint::ClickIntercepted);
    }
    if text.contains("not visible") || text.contains("ElementNotVisible") || text.contains("still not displayed") {
        hints.push(Hint::NotVisible);
    }
    if text.contains("page.goto:")
        || text.contains("page.waitForURL:")
        || text.contains("page.waitForNavigation:")
        || text.contains("page.reload:")
        || text.contains("navigating to \"")
        || text.contains("cy.visit()")
    {
        hints.push(Hint::Navigation);
    }
    hints.sort();
    hints.dedup();
    f.hints = hints;
    f
}

/// The error class a message starts with: `TimeoutError`, `Error`, `AssertionError`,
/// `NoSuchElementException` (package prefix dropped), or `expect.toHaveText` for a failed
/// Playwright/Jest `expect(…).toHaveText(…)`. None when the first line names none.
pub fn error_type(message: &str) -> Option<String> {
    let first = message.lines().find(|l| !l.trim().is_empty())?.trim();
    if first.contains("expect(")
        && let Some(m) = expect_matcher(first)
    {
        return Some(format!("expect.{m}"));
    }
    error_name(first)
        .filter(|n| n.ends_with("Error") || n.ends_with("Exception") || n.ends_with("Failure"))
        .map(str::to_string)
}

/// The matcher of the first `expect(…).toX(` / `expect(…).not.toX(` in `line`: what
/// `EXPECT_MATCHER` captures, by hand (this runs on the first line of every error). Falls
/// back to the regex where a non-ASCII character makes `\w` matter.
fn expect_matcher(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut from = 0;
    while let Some(k) = line[from..].find("expect(") {
        let args = from + k + "expect(".len();
        from = from + k + 1;
        // `[^)]*\)`: the first `)` closes it
        let close = b[args..].iter().position(|&c| c == b')').map(|p| args + p)?;
        let mut i = close + 1;
        if b.get(i) != Some(&b'.') {
            continue;
        }
        i += 1;
        // `(?:not\.)?to[A-Z]\w*\(`: with `not.` first, then without
        for start in [i + 4, i].into_iter().filter(|s| *s == i || line[i..].starts_with("not.")) {
            if !(line[start..].starts_with("to") && b.get(start + 2).is_some_and(u8::is_ascii_uppercase)) {
                continue;
            }
            let end = start + 3 + b[start + 3..].iter().take_while(|&&c| word(c)).count();
            match b.get(end) {
                Some(b'(') => return Some(&line[start..end]),
                Some(c) if !c.is_ascii() => return EXPECT_MATCHER.captures(line).map(|c| c.get(1).map_or("", |m| m.as_str())),
                _ => {}
            }
        }
    }
    None
}

/// `^(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)(?::|$|\s)`: the last segment of a dotted name that
/// starts the line and is followed by `:`, whitespace or the end.
fn error_name(line: &str) -> Option<&str> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut start = 0;
    loop {
        let rest = &line[start..];
        let c0 = rest.chars().next()?;
        if !(c0.is_ascii_alphabetic() || c0 == '_') {
            return None;
        }
        let len = rest.char_indices().find(|&(_, c)| !is_word(c)).map_or(rest.len(), |(i, _)| i);
        let end = start + len;
        match line[end..].chars().next() {
            None | Some(':') => return Some(&line[start..end]),
            Some(c) if c.is_whitespace() => return Some(&line[start..end]),
            Some('.') => start = end + 1,
            Some(_) => return None,
        }
    }
}

/// The message without code-frame lines (`> 18 |`, `   | ^`); borrowed when it has none.
fn without_snippets(message: &str) -> std::borrow::Cow<'_, str> {
    let is_snippet = |l: &str| {
        let t = l.trim_start();
        if t.starts_with("| ") {
            return true;
        }
        let t = t.strip_prefix('>').map_or(t, str::trim_start);
        let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        digits > 0 && t[digits..].starts_with(" |")
    };
    if !message.contains('\r') && !message.contains(" |") && !message.contains("| ") {
        return std::borrow::Cow::Borrowed(message);
    }
    if !message.contains('\r') && !message.lines().any(is_snippet) {
        return std::borrow::Cow::Borrowed(message);
    }
    std::borrow::Cow::Owned(message.lines().filter(|l| !is_snippet(l)).collect::<Vec<_>>().join("\n"))
}

/// ASCII case-insensitive substring test (`needle` lowercase ASCII letters).
fn contains_ascii_ci(hay: &str, needle: &[u8]) -> bool {
    let h = hay.as_bytes();
    let (first, rest) = (needle[0], &needle[1..]);
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), h)
        .any(|i| h.get(i + 1..i + needle.len()).is_some_and(|w| w.eq_ignore_ascii_case(rest)))
}

/// Whether `HTTP_REASON` (`\b[45]\d\d\s+Reason`) can match: a `4`/`5` after no word
/// character, then two digits and a space (anything outside ASCII counts as maybe).
fn may_have_status_code(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr2_iter(b'4', b'5', b).any(|i| {
        let before_ok = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        let maybe = |j: usize, ok: fn(&u8) -> bool| b.get(j).is_some_and(|c| ok(c) || !c.is_ascii());
        before_ok && maybe(i + 1, u8::is_ascii_digit) && maybe(i + 2, u8::is_ascii_digit) && maybe(i + 3, u8::is_ascii_whitespace)
    })
}

/// The string arguments of the `locator(…)` / `getByTestId(…)` / `getByText(…)` calls of a
/// Playwright locator expression: `locator('form').locator('button.save').first()` →
/// `["form", "button.save"]`; `getByRole('button', { name: 'Save' })` → `["button", "Save"]`.
pub fn locator_strings(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = expr.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let q = b[i];
        if q == b'\'' || q == b'"' || q == b'`' {
            let mut j = i + 1;
            let mut s = String::new();
            while j < b.len() && b[j] != q {
                if b[j] == b'\\' && j + 1 < b.len() {
                    j += 1;
                }
                s.push(b[j] as char);
                j += 1;
            }
            // Only ASCII is rebuilt byte-wise; take the exact slice for non-ASCII.
            let raw = &expr[i + 1..j.min(b.len())];
            out.push(if raw.is_ascii() { s } else { raw.to_string() });
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// Where `LOCATOR_START` matches in a text, found by hand: the candidates are the places of
/// its literals; a match needs a word boundary before it (`\b`: the character before is no
/// word character, by Unicode's `\w`) and the rest of its alternative.
struct LocatorStarts<'t> {
    text: &'t str,
    /// Positions of `locator(`, `getBy`, `frameLocator(`, `internal:`, ascending.
    cands: Vec<usize>,
}

/// A match: byte range.
struct Span2(usize, usize);

impl Span2 {
    fn start(&self) -> usize {
        self.0
    }
    fn end(&self) -> usize {
        self.1
    }
}

impl<'t> LocatorStarts<'t> {
    fn new(text: &'t str) -> Self {
        let mut cands: Vec<usize> = Vec::new();
        for lit in ["locator(", "getBy", "frameLocator(", "internal:"] {
            cands.extend(memchr::memmem::find_iter(text.as_bytes(), lit.as_bytes()));
        }
        cands.sort_unstable();
        LocatorStarts { text, cands }
    }

    /// The leftmost match starting at or after `from` (`LOCATOR_START.find_at(text, from)`).
    fn find_at(&self, from: usize) -> Option<Span2> {
        let b = self.text.as_bytes();
        let k = self.cands.partition_point(|p| *p < from);
        for &p in &self.cands[k..] {
            if let Some(prev) = self.text[..p].chars().next_back() {
                let word = if prev.is_ascii() { prev.is_ascii_alphanumeric() || prev == '_' } else { is_word_char(prev) };
                if word {
                    continue;
                }
            }
            let rest = &b[p..];
            let end = if rest.starts_with(b"locator(") {
                Some(p + 8)
            } else if rest.starts_with(b"frameLocator(") {
                Some(p + 13)
            } else if rest.starts_with(b"getBy") {
                // getBy[A-Z][A-Za-z]*\(
                let n = rest[5..].iter().take_while(|c| c.is_ascii_alphabetic()).count();
                (n > 0 && rest[5].is_ascii_uppercase() && rest.get(5 + n) == Some(&b'(')).then_some(p + 5 + n + 1)
            } else {
                // internal:[a-z\-]+\(
                let n = rest[9..].iter().take_while(|c| c.is_ascii_lowercase() || **c == b'-').count();
                (n > 0 && rest.get(9 + n) == Some(&b'(')).then_some(p + 9 + n + 1)
            };
            if let Some(end) = end {
                return Some(Span2(p, end));
            }
        }
        None
    }
}

/// Unicode `\w` (for characters outside ASCII, rare before a locator).
fn is_word_char(c: char) -> bool {
    static WORD: Lazy<Regex> = Lazy::new(|| Regex::new(r"^\w$").expect("valid regex"));
    let mut buf = [0u8; 4];
    WORD.is_match(c.encode_utf8(&mut buf))
}

/// Finds Playwright locator expressions (with their chains) in `text`, skipping the
/// `aka …` suggestions of a strict-mode violation.
fn playwright_locators(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    let starts = LocatorStarts::new(text);
    while let Some(m) = starts.find_at(from) {
        let start = m.start();
        let before = &text[..start];
        let preceded_by_member = before
            .chars()
            .next_back()
            .is_some_and(|c| c == '.' || c == '_' || c.is_alphanumeric());
        let after_aka = before.trim_end().ends_with(" aka") || before.trim_end() == "aka";
        let end = scan_chain(text, start).unwrap_or(m.end());
        if !preceded_by_member && !after_aka && end > m.end() {
            push_unique(&mut out, text[start..end].to_string());
        }
        from = end.max(m.end());
    }
    out
}

/// From an identifier at `start`, consumes `name(args)` then `.name(args)` repeatedly,
/// balancing brackets and skipping quoted strings. Returns the end offset.
fn scan_chain(text: &str, start: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = start;
    let mut end = None;
    loop {
        // identifier
        let id_start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$' || b[i] == b':' || b[i] == b'-') {
            i += 1;
        }
        if i == id_start || i >= b.len() || b[i] != b'(' {
            return end;
        }
        // balanced args
        let mut depth = 0i32;
        while i < b.len() {
            match b[i] {
                b'(' | b'{' | b'[' => depth += 1,
                b')' | b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                q @ (b'\'' | b'"' | b'`') => {
                    i += 1;
                    while i < b.len() && b[i] != q {
                        if b[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                }
                b'\n' => return end,
                _ => {}
            }
            i += 1;
        }
        if depth != 0 {
            return end;
        }
        end = Some(i);
        if i < b.len() && b[i] == b'.' && b.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
            i += 1;
        } else {
            return end;
        }
    }
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !s.is_empty() && !v.contains(&s) {
        v.push(s);
    }
}

fn is_tool_doc_url(u: &str) -> bool {
    ["://www.selenium.dev/", "://playwright.dev/", "://on.cypress.io/", "://docs.cypress.io/", "://webdriver.io/"]
        .iter()
        .any(|h| u.contains(h))
}

/// Removes one level of matching quotes (`"…"`, `'…'`, `` `…` ``) and undoes backslash
/// escapes inside; leaves other text (`visible`, `/regex/`) as it is.
fn unquote(s: &str) -> String {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() >= 2 {
        let (f, l) = (b[0], b[b.len() - 1]);
        if f == l && (f == b'"' || f == b'\'' || f == b'`') {
            return unescape_backslashes(&s[1..s.len() - 1]);
        }
    }
    s.to_string()
}

fn unescape_backslashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // What `LocatorStarts` finds by hand.
    re!(LOCATOR_START, r"\b(?:locator|getBy[A-Z][A-Za-z]*|frameLocator|internal:[a-z\-]+)\(");

    #[test]
    fn locator_starts_agree_with_the_regex() {
        let texts = [
            "waiting for locator('button.buy')",
            "page.locator('a').locator('b') getByRole('button', { name: 'x' }).first()",
            "xlocator('a') _locator('b') élocator('c') ×locator('d') 1getByText('e')",
            "getBy('a') getByx('b') getByTestId ('c') getByTestId('d') frameLocator('f').locator('g')",
            "internal:role=button internal:text(\"x\") internal:-(y) internal:(z) internal:attr-x('w')",
            "locator( aka locator('q') 日本locator('r') ",
            "",
        ];
        for t in texts {
            let starts = LocatorStarts::new(t);
            for from in 0..=t.len() {
                if !t.is_char_boundary(from) {
                    continue;
                }
                let want = LOCATOR_START.find_at(t, from).map(|m| (m.start(), m.end()));
                assert_eq!(starts.find_at(from).map(|m| (m.start(), m.end())), want, "{t:?} from {from}");
            }
        }
    }

    #[test]
    fn guards_let_every_match_through() {
        for t in ["HTTP 503 Service Unavailable", "got 404 Not Found", "x404 Not Found", "(500 Internal Server Error)", "4٠٤ Not Found", "Status: 429  Too Many Requests", "STATUS 200", "no code", "4", "45", "450"] {
            if HTTP_REASON.is_match(t) {
                assert!(may_have_status_code(t), "{t:?}");
            }
            let lower = t.to_ascii_lowercase();
            assert_eq!(contains_ascii_ci(t, b"status"), lower.contains("status"), "{t:?}");
            assert_eq!(contains_ascii_ci(t, b"http"), lower.contains("http"), "{t:?}");
        }
    }

    #[test]
    fn expect_matcher_agrees_with_the_regex() {
        let lines = [
            "Error: expect(locator).toHaveText(expected) failed",
            "Error: expect(received).not.toBe(expected) // Object.is equality",
            "expect(page).toHaveURL(",
            "expect(x).toHaveText",
            "expect(a(b)).toBe(1)",
            "expect(x).nottoBe(1) expect(y).toEqual(2)",
            "expect(x).not.not.toBe(1)",
            "expect(x).tobe(1)",
            "expect(x).to(1)",
            "expect(x).toBé(1)",
            "expect(x).toB_9(1)",
            "expect(x) .toBe(1)",
            "expect(x.toBe(1)",
            "no matcher here",
            "expect(x).toBe (1) expect(y).not.toContain(3)",
        ];
        for l in lines {
            let want = EXPECT_MATCHER.captures(l).map(|c| c[1].to_string());
            assert_eq!(expect_matcher(l).map(str::to_string), want, "{l:?}");
        }
    }
}
