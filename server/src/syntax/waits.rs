//! Waits (`waits.scm`) and navigations (`navigation.scm`).

use std::collections::HashMap;

use super::extract::Ctx;
use super::queries::Fact;
use super::strings::{self, span};
use super::{Navigation, Span, Wait, WaitKind};

pub(crate) fn extract(ctx: &Ctx, facts: &[Fact]) -> Vec<Wait> {
    let mut out: Vec<Wait> = Vec::new();
    // one wait per duration literal (the largest construct wins: `WebDriverWait(d, 10).until(…)`)
    let mut by_duration: HashMap<Span, usize> = HashMap::new();
    let mut by_span: HashMap<Span, usize> = HashMap::new();
    for f in facts {
        let Some(node) = f.node("wait") else { continue };
        let Some(framework) = ctx.framework(f) else { continue };
        let kind = match f.prop("kind") {
            Some("hard") => WaitKind::Hard,
            _ => WaitKind::Explicit,
        };
        let api = f
            .prop("api")
            .map(str::to_string)
            .or_else(|| f.node("api").map(|n| ctx.text_of(n).to_string()))
            .unwrap_or_default();
        let factor = if f.prop("unit") == Some("s") { 1000.0 } else { 1.0 };
        let dur = f.node("duration").filter(|n| strings::is_number(*n));
        let duration_ms = dur
            .and_then(|n| strings::number(n, ctx.text))
            .filter(|v| *v >= 0.0)
            .map(|v| (v * factor).round() as u64);
        let duration_span = dur.map(span);
        let wait = Wait { kind, framework, api, duration_ms, duration_span, span: span(node), test: None };
        if let Some(&i) = by_span.get(&wait.span) {
            // same construct matched twice: keep the one that knows its duration
            if out[i].duration_span.is_none() && wait.duration_span.is_some() {
                out[i] = wait;
            }
            continue;
        }
        if let Some(ds) = wait.duration_span {
            if let Some(&i) = by_duration.get(&ds) {
                if wait.span.len() > out[i].span.len() {
                    by_span.insert(wait.span, i);
                    out[i] = wait;
                }
                continue;
            }
            by_duration.insert(ds, out.len());
        }
        by_span.insert(wait.span, out.len());
        out.push(wait);
    }
    out.sort_by_key(|w| (w.span.start, w.span.end));
    out
}

pub(crate) fn navigations(ctx: &Ctx, facts: &[Fact]) -> Vec<Navigation> {
    let mut out: Vec<Navigation> = Vec::new();
    for f in facts {
        let (Some(node), Some(url)) = (f.node("navigation"), f.node("url")) else { continue };
        let Some(framework) = ctx.framework(f) else { continue };
        let s = span(node);
        if out.iter().any(|n| n.span == s) {
            continue;
        }
        let lit = ctx.lit(url);
        out.push(Navigation { framework, url: lit.value, url_span: lit.span, span: s, dynamic: lit.dynamic, test: None });
    }
    out.sort_by_key(|n| (n.span.start, n.span.end));
    out
}
