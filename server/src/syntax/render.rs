//! A compact, reviewable text form of a `FileModel`: every span is shown as
//! `line:col-line:col "text at that span"` (1-based lines, 1-based byte columns), so a wrong span
//! is obvious in a snapshot.

use std::fmt::Write;

use super::{FileModel, Span, Step};

fn pos(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let col = offset - before.iter().rposition(|b| *b == b'\n').map(|p| p + 1).unwrap_or(0) + 1;
    (line, col)
}

/// `3:14-3:20 "button"`; long texts are shortened in the middle, newlines shown as `⏎`.
pub fn span_text(text: &str, s: Span) -> String {
    let (l1, c1) = pos(text, s.start);
    let (l2, c2) = pos(text, s.end);
    let raw = text.get(s.start..s.end).unwrap_or("<invalid span>");
    let mut shown: String = raw.replace('\n', "⏎");
    if shown.chars().count() > 60 {
        let head: String = shown.chars().take(28).collect();
        let tail: String = shown.chars().rev().take(28).collect::<Vec<_>>().into_iter().rev().collect();
        shown = format!("{head}…{tail}");
    }
    format!("{l1}:{c1}-{l2}:{c2} {shown:?}")
}

fn opt_span(text: &str, s: Option<Span>) -> String {
    s.map(|s| span_text(text, s)).unwrap_or_else(|| "-".into())
}

fn steps(out: &mut String, text: &str, steps: &[Step], depth: usize) {
    // iterative over an explicit stack
    let mut stack: Vec<(&Step, usize)> = steps.iter().rev().map(|s| (s, depth)).collect();
    while let Some((s, d)) = stack.pop() {
        let _ = writeln!(out, "{}step {:?} name={} span={}", "  ".repeat(d), s.title, span_text(text, s.name_span), span_text(text, s.span));
        stack.extend(s.steps.iter().rev().map(|c| (c, d + 1)));
    }
}

pub fn render(model: &FileModel, text: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "language: {:?}", model.language);
    let _ = writeln!(o, "tests:");
    for (i, t) in model.tests.iter().enumerate() {
        let _ = writeln!(o, "  [{i}] {} {:?} {:?}", t.framework.as_str(), t.kind, t.title_path);
        let _ = writeln!(o, "      name={}", span_text(text, t.name_span));
        let _ = writeln!(o, "      span={}", span_text(text, t.span));
        if !t.tags.is_empty() {
            let _ = writeln!(o, "      tags={:?}", t.tags);
        }
        steps(&mut o, text, &t.steps, 3);
    }
    let _ = writeln!(o, "locators:");
    for (i, l) in model.locators.iter().enumerate() {
        let _ = writeln!(o, "  [{i}] {} {:?} {:?}", l.framework.as_str(), l.strategy, l.value);
        let _ = writeln!(o, "      value={}", span_text(text, l.value_span));
        let _ = writeln!(o, "      call={}", span_text(text, l.call_span));
        if l.name.is_some() {
            let _ = writeln!(o, "      name={:?} at {}", l.name, opt_span(text, l.name_span));
        }
        let mut extra = Vec::new();
        if l.exact {
            extra.push("exact".to_string());
        }
        if let Some(p) = l.parent {
            extra.push(format!("parent=[{p}]"));
        }
        if !l.modifiers.is_empty() {
            extra.push(format!("modifiers={:?}", l.modifiers));
        }
        if !l.dynamic.is_empty() {
            extra.push(format!("dynamic={:?}", l.dynamic));
        }
        if let Some(t) = l.test {
            extra.push(format!("test=[{t}]"));
        }
        if !extra.is_empty() {
            let _ = writeln!(o, "      {}", extra.join(" "));
        }
        if let Some(b) = &l.binding {
            let _ = writeln!(o, "      binding={b:?}");
            for u in &l.uses {
                let _ = writeln!(o, "        use {}", span_text(text, *u));
            }
        }
    }
    let _ = writeln!(o, "waits:");
    for w in &model.waits {
        let _ = writeln!(
            o,
            "  {:?} {} {:?} ms={:?} test={:?}\n      span={}\n      duration={}",
            w.kind,
            w.framework.as_str(),
            w.api,
            w.duration_ms,
            w.test,
            span_text(text, w.span),
            opt_span(text, w.duration_span)
        );
    }
    let _ = writeln!(o, "assertions:");
    for a in &model.assertions {
        let _ = writeln!(
            o,
            "  {} {}{:?} expected={:?} locator={:?} test={:?}\n      span={}\n      expected_at={}",
            a.framework.as_str(),
            if a.negated { "NOT " } else { "" },
            a.matcher,
            a.expected,
            a.locator,
            a.test,
            span_text(text, a.span),
            opt_span(text, a.expected_span)
        );
    }
    let _ = writeln!(o, "navigations:");
    for n in &model.navigations {
        let _ = writeln!(
            o,
            "  {} {:?} dynamic={:?} test={:?}\n      url={}\n      span={}",
            n.framework.as_str(),
            n.url,
            n.dynamic,
            n.test,
            span_text(text, n.url_span),
            span_text(text, n.span)
        );
    }
    if !model.problems.is_empty() {
        let _ = writeln!(o, "problems:");
        for p in &model.problems {
            let _ = writeln!(o, "  {} {}", p.message, span_text(text, p.span));
        }
    }
    o
}
