//! Stack traces in the texts test runners print: V8/Node (`    at fn (file:12:5)`), pytest's
//! long traceback (`path.py:23: in fn`), and Python's standard one
//! (`  File "path.py", line 12, in fn`). Frames come out innermost first.

use once_cell::sync::Lazy;
use regex::Regex;

use super::model::{StackFrame, is_in_app};

static JS_FRAME: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^\s*at (?:(?:async )?(.+?) \()?((?:file://)?[^\s()]+?):(\d+):(\d+)\)?\s*$")
        .expect("valid regex")
});
static PYTEST_FRAME: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^([^\s:][^:]*?\.py):(\d+):(?: in (\S+)| (\w[\w.]*))?\s*$").expect("valid regex")
});
static PY_FRAME: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r#"^\s*File "([^"]+)", line (\d+)(?:, in (\S+))?"#).expect("valid regex")
});

static JAVA_FRAME: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^\s*at ([\w.$<>]+)\(([^:()]+)(?::(\d+))?\)\s*$").expect("valid regex")
});

/// Frames of a Java stack trace (`at com.example.CartIT.total(CartIT.java:44)`),
/// innermost first. JDK, JUnit, Selenium, Maven and opentest4j frames are not in-app.
pub fn parse_java_stack(text: &str) -> Vec<StackFrame> {
    const LIBS: [&str; 9] = [
        "java.", "javax.", "jdk.", "sun.", "org.junit.", "org.openqa.", "org.apache.maven.",
        "org.opentest4j.", "org.testng.",
    ];
    text.lines()
        .filter_map(|l| {
            if !l.trim_start().starts_with("at ") {
                return None;
            }
            let c = JAVA_FRAME.captures(l)?;
            let function = c[1].to_string();
            Some(StackFrame {
                in_app: !LIBS.iter().any(|p| function.starts_with(p)),
                file: c[2].to_string(),
                line: c.get(3).and_then(|m| m.as_str().parse().ok()),
                column: None,
                function: Some(function),
            })
        })
        .collect()
}

/// Frames of a V8 stack (`error.stack` of Playwright, Jest, Cypress, WebdriverIO). V8
/// already lists the innermost frame first.
pub fn parse_js_stack(text: &str) -> Vec<StackFrame> {
    text.lines()
        .filter_map(|l| {
            let (function, file, line, column) = js_frame(l)?;
            let file = file.trim_start_matches("file://").to_string();
            Some(StackFrame {
                in_app: is_in_app(&file),
                file,
                line: line.parse().ok(),
                column: column.parse().ok(),
                function: function.map(str::to_string),
            })
        })
        .collect()
}

/// One V8 frame line, by hand (the hot path of every Playwright failure); the same
/// language as `JS_FRAME`: `at [async ]fn (file:line:col)` or `at file:line:col`, the
/// location without whitespace or parentheses. Returns (function, file, line, column).
fn js_frame(l: &str) -> Option<(Option<&str>, &str, &str, &str)> {
    let t = l.trim_start().strip_prefix("at ")?.trim_end();
    // `fn (location)`: the location follows the last " (" (it holds no parenthesis).
    if let Some(open) = t.rfind('(')
        && open > 0
        && t.as_bytes()[open - 1] == b' '
    {
        let head = &t[..open - 1];
        let function = match head.strip_prefix("async ") {
            Some(f) if !f.is_empty() => f,
            _ => head,
        };
        let loc = t[open + 1..].strip_suffix(')').unwrap_or(&t[open + 1..]);
        if !function.is_empty()
            && let Some((file, line, col)) = js_location(loc)
        {
            return Some((Some(function), file, line, col));
        }
        if JS_FRAME.is_match(l) {
            // Unusual shapes (the regex backtracks differently): let it decide.
            let c = JS_FRAME.captures(l)?;
            let (file, line, col) = (c.get(2)?.as_str(), c.get(3)?.as_str(), c.get(4)?.as_str());
            return Some((c.get(1).map(|m| m.as_str()), file, line, col));
        }
        return None;
    }
    let loc = t.strip_suffix(')').unwrap_or(t);
    let (file, line, col) = js_location(loc)?;
    Some((None, file, line, col))
}

/// `file:line:col` with a file free of whitespace and parentheses.
fn js_location(loc: &str) -> Option<(&str, &str, &str)> {
    let (rest, col) = loc.rsplit_once(':')?;
    let (file, line) = rest.rsplit_once(':')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let file_ok = !file.is_empty() && !file.chars().any(|c| c.is_whitespace() || c == '(' || c == ')');
    (digits(line) && digits(col) && file_ok).then_some((file, line, col))
}

/// Frames of a Python traceback as pytest prints it (long or native style), reversed so
/// the innermost frame comes first. The frame that only names the exception class
/// (`errorhandler.py:232: NoSuchElementException`) has no function.
pub fn parse_python_traceback(text: &str) -> Vec<StackFrame> {
    let mut frames: Vec<StackFrame> = text
        .lines()
        .filter_map(|l| {
            let pytest = l.contains(".py:");
            if !pytest && !l.contains("File \"") {
                return None;
            }
            if let Some(c) = if pytest { PYTEST_FRAME.captures(l) } else { None } {
                let file = c[1].to_string();
                return Some(StackFrame {
                    in_app: is_in_app(&file),
                    file,
                    line: c[2].parse().ok(),
                    column: None,
                    function: c.get(3).map(|m| m.as_str().to_string()),
                });
            }
            let c = PY_FRAME.captures(l)?;
            let file = c[1].to_string();
            Some(StackFrame {
                in_app: is_in_app(&file),
                file,
                line: c[2].parse().ok(),
                column: None,
                function: c.get(3).map(|m| m.as_str().to_string()),
            })
        })
        .collect();
    frames.reverse();
    frames
}
