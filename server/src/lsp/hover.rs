//! `textDocument/hover`: on a failing span, the CI failure (root cause, evidence, message,
//! outcome strip, fix); on a test's name, its CI history; on a locator, its strategy,
//! fragility score and why.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::{Backend, convert, guard};
use crate::analysis::failures::outcome_strip;
use crate::analysis::{FailureFinding, TestRecord, fragility};
use crate::syntax::{FileModel, Span};

pub fn handle(backend: &Backend, params: HoverParams) -> Result<Option<Hover>> {
    guard::request("hover", || {
        let pos = params.text_document_position_params;
        let path = convert::uri_to_path(&pos.text_document.uri);
        let ws = backend.ws();
        let Some(doc) = ws.analysis(&path).map(|a| &a.doc).or_else(|| ws.failure_doc(&path)) else { return Ok(None) };
        let offset = doc.offset(convert::from_position(pos.position), ws.encoding());
        let mut sections: Vec<String> = Vec::new();
        let mut span: Option<Span> = None;

        // CI failures first: they are why the user is looking.
        let failures: Vec<_> = ws.failure_findings(&path).into_iter().filter(|f| f.span.contains_offset(offset) || f.span.end == offset).collect();
        for f in &failures {
            let negated = ws.analysis(&path).and_then(|a| negated_assertion(&a.model, f).map(|i| &a.model.assertions[i]));
            let mut md = failure_markdown(f);
            if let Some(a) = negated {
                md.push_str(&format!(
                    "_Not healed: the failing assertion is negated (`{}`). It failed because the element **was** found; a new selector or expected value would only flip what the test checks. Check whether the page should still show it._\n\n",
                    if a.matcher.starts_with("not") { a.matcher.clone() } else { format!("not {}", a.matcher) }
                ));
            }
            sections.push(md);
            span = span.or(Some(f.span));
        }
        if let Some(analysis) = ws.analysis(&path) {
            let model = &analysis.model;
            if failures.is_empty()
                && let Some((i, test)) = model.tests.iter().enumerate().find(|(_, t)| t.name_span.contains_offset(offset))
                && let Some(record) = ws.test_record(&path, i)
            {
                sections.push(history_markdown(record));
                span = Some(test.name_span);
            }
            if let Some(index) = locator_at(model, offset) {
                sections.push(locator_markdown(model, index, &ws.config().selectors.test_id_attribute));
                span = span.or(Some(model.locators[index].call_span));
            }
        }
        let Some(span) = span else { return Ok(None) };
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: sections.join("\n---\n\n") }),
            range: Some(convert::range(doc.range(span.start, span.end, ws.encoding()))),
        }))
    })
}

/// The negated assertion a failure is on (or whose locator it is on), if any.
pub(super) fn negated_assertion(model: &FileModel, f: &FailureFinding) -> Option<usize> {
    use crate::analysis::failures::Target;
    model.assertions.iter().position(|a| {
        a.negated
            && match f.target {
                Target::Assertion(i) => model.assertions.get(i).is_some_and(|x| std::ptr::eq(x, a)),
                Target::Locator(l) => a.locator == Some(l) && a.test == f.test,
                _ => false,
            }
    })
}

/// Root cause and evidence, the message, the outcome strip, when, the fix that would apply.
fn failure_markdown(f: &FailureFinding) -> String {
    let rc = &f.root_cause;
    let mut out = format!("**argus** · CI failure · `{}` ({:.0} %)\n\n{}\n\n", rc.category.as_str(), rc.confidence * 100.0, f.headline);
    out.push_str(&format!("**Root cause** `{}`: {}\n\n", rc.category.as_str(), rc.evidence.join("; ")));
    if !f.message.is_empty() {
        // A fence longer than any backtick run inside keeps the message verbatim.
        let fence = "`".repeat(longest_backtick_run(&f.message).max(2) + 1);
        out.push_str(&format!("{fence}text\n{}\n{fence}\n\n", f.message));
    }
    out.push_str(&format!(
        "**Runs** `{}` (oldest → newest) · failed {}/{} · risk {} ({:?}) · flakiness {:.2}{}\n\n",
        outcome_strip(&f.outcomes),
        f.risk.failures,
        f.risk.runs,
        f.risk.score,
        f.risk.level,
        f.risk.flakiness,
        if f.risk.flaky { " · **flaky**" } else { "" }
    ));
    if let (Some(first), Some(last)) = (&f.first_seen, &f.last_seen) {
        out.push_str(&format!("First seen {first} · last seen {last} · retries {}\n\n", f.retries));
    }
    if !f.title_path.is_empty() {
        out.push_str(&format!("Test: {} (`{}`)\n\n", f.title_path.join(" › "), f.test_path));
    }
    let fixes: Vec<&str> = f.fix_kinds.iter().map(|k| k.as_str()).collect();
    out.push_str(&format!("Fix: {}\n\n", fixes.join(", ")));
    for n in &f.correlation.notes {
        out.push_str(&format!("_Note: {n}_\n\n"));
    }
    for u in f.ci_urls.iter().rev().take(3) {
        out.push_str(&format!("CI: <{u}>\n\n"));
    }
    out
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// A test's history when it has no failing span under the cursor.
fn history_markdown(t: &TestRecord) -> String {
    let mut out = format!(
        "**argus** · CI history · {}\n\n**Runs** `{}` (oldest → newest) · failed {}/{} · risk {} ({:?}) · flakiness {:.2}\n\n",
        t.title_path.join(" › "),
        outcome_strip(&t.outcomes),
        t.failures,
        t.runs,
        t.risk.score,
        t.risk.level,
        t.flakiness
    );
    if let Some(last) = &t.last_seen {
        out.push_str(&format!("Last run {last}\n"));
    }
    out
}

/// The innermost locator call (or page-object use) under `offset`.
pub(super) fn locator_at(model: &FileModel, offset: usize) -> Option<usize> {
    let hit = |s: Span| s.contains_offset(offset);
    model
        .locators
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let span = std::iter::once(l.call_span).chain(l.uses.iter().copied()).filter(|s| hit(*s)).min_by_key(Span::len)?;
            Some((i, span.len()))
        })
        .min_by_key(|(_, len)| *len)
        .map(|(i, _)| i)
}

fn locator_markdown(model: &FileModel, index: usize, test_id_attribute: &str) -> String {
    let locator = &model.locators[index];
    let score = fragility::score(model, index, test_id_attribute);
    let strategy = format!("{:?}", locator.strategy).to_lowercase();
    let mut out = format!("**argus** · {} locator · {strategy}\n\n", locator.framework.as_str());
    out.push_str(&format!("`{}`", locator.value.replace('`', "'")));
    if let Some(name) = &locator.name {
        out.push_str(&format!(" name `{}`", name.replace('`', "'")));
    }
    out.push_str(&format!("\n\n**Fragility {}** ({})\n\n", score.value, level(score.value)));
    for reason in &score.reasons {
        out.push_str(&format!("- {reason}\n"));
    }
    if locator.is_dynamic() {
        out.push_str(&format!("\nDynamic: built from {}\n", locator.dynamic.join(", ")));
    }
    if let Some(binding) = &locator.binding {
        out.push_str(&format!("\nPage-object field `{binding}`, used {} time(s) in this file\n", locator.uses.len()));
    }
    out
}

/// A word for the score's band on Playwright's scale.
fn level(score: u64) -> &'static str {
    match score {
        0..=2 => "test id: robust",
        3..=200 => "user-facing: robust",
        201..=999 => "attribute: fair",
        1_000..=9_999_999 => "positional: fragile",
        _ => "structural CSS/XPath: fragile",
    }
}
