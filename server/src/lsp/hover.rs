//! `textDocument/hover`: on a locator, its strategy, fragility score and why.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::{Backend, convert, guard};
use crate::analysis::fragility;
use crate::syntax::{FileModel, Span};

pub fn handle(backend: &Backend, params: HoverParams) -> Result<Option<Hover>> {
    guard::request("hover", || {
        let pos = params.text_document_position_params;
        let path = convert::uri_to_path(&pos.text_document.uri);
        let ws = backend.ws();
        let Some(analysis) = ws.analysis(&path) else { return Ok(None) };
        let offset = analysis.doc.offset(convert::from_position(pos.position), ws.encoding());
        let model = &analysis.model;
        let Some(index) = locator_at(model, offset) else { return Ok(None) };
        let locator = &model.locators[index];
        let markdown = locator_markdown(model, index, &ws.config().selectors.test_id_attribute);
        let span = locator.call_span;
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: markdown }),
            range: Some(convert::range(analysis.doc.range(span.start, span.end, ws.encoding()))),
        }))
    })
}

/// The innermost locator call (or page-object use) under `offset`.
fn locator_at(model: &FileModel, offset: usize) -> Option<usize> {
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
