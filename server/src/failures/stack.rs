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
            let c = JS_FRAME.captures(l)?;
            let file = c[2].trim_start_matches("file://").to_string();
            Some(StackFrame {
                in_app: is_in_app(&file),
                file,
                line: c[3].parse().ok(),
                column: c[4].parse().ok(),
                function: c.get(1).map(|m| m.as_str().to_string()),
            })
        })
        .collect()
}

/// Frames of a Python traceback as pytest prints it (long or native style), reversed so
/// the innermost frame comes first. The frame that only names the exception class
/// (`errorhandler.py:232: NoSuchElementException`) has no function.
pub fn parse_python_traceback(text: &str) -> Vec<StackFrame> {
    let mut frames: Vec<StackFrame> = text
        .lines()
        .filter_map(|l| {
            if let Some(c) = PYTEST_FRAME.captures(l) {
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
