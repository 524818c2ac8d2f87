//! `textDocument/documentSymbol`: describe blocks → tests → steps.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::{Backend, convert, guard};
use crate::syntax::{Span, Step};
use crate::text::{Document, PositionEncoding};

pub fn handle(backend: &Backend, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
    guard::request("documentSymbol", || {
        let path = convert::uri_to_path(&params.text_document.uri);
        let ws = backend.ws();
        let Some(analysis) = ws.analysis(&path) else { return Ok(None) };
        let enc = ws.encoding();
        let doc = &analysis.doc;
        let mut roots: Vec<DocumentSymbol> = Vec::new();
        for test in &analysis.model.tests {
            let (groups, title) = test.title_path.split_at(test.title_path.len().saturating_sub(1));
            let symbol = symbol(
                title.first().cloned().unwrap_or_default(),
                SymbolKind::METHOD,
                doc,
                enc,
                test.span,
                test.name_span,
                Some(test.framework.as_str().to_string()),
                test.steps.iter().map(|s| step_symbol(s, doc, enc)).collect(),
            );
            insert(&mut roots, groups, symbol);
        }
        Ok(Some(DocumentSymbolResponse::Nested(roots)))
    })
}

/// Put `symbol` under the chain of group symbols named `groups`, creating them as needed; a
/// group's range grows to cover its children (the model records tests, not describe calls).
fn insert(level: &mut Vec<DocumentSymbol>, groups: &[String], symbol: DocumentSymbol) {
    let Some((first, rest)) = groups.split_first() else {
        level.push(symbol);
        return;
    };
    let index = match level.iter().position(|s| s.kind == SymbolKind::NAMESPACE && &s.name == first) {
        Some(i) => i,
        None => {
            #[allow(deprecated)]
            level.push(DocumentSymbol {
                name: first.clone(),
                detail: None,
                kind: SymbolKind::NAMESPACE,
                tags: None,
                deprecated: None,
                range: symbol.range,
                selection_range: symbol.selection_range,
                children: Some(Vec::new()),
            });
            level.len() - 1
        }
    };
    let group = &mut level[index];
    group.range.start = group.range.start.min(symbol.range.start);
    group.range.end = group.range.end.max(symbol.range.end);
    insert(group.children.get_or_insert_with(Vec::new), rest, symbol);
}

fn step_symbol(step: &Step, doc: &Document, enc: PositionEncoding) -> DocumentSymbol {
    symbol(
        step.title.clone(),
        SymbolKind::EVENT,
        doc,
        enc,
        step.span,
        step.name_span,
        Some("step".into()),
        step.steps.iter().map(|s| step_symbol(s, doc, enc)).collect(),
    )
}

#[allow(clippy::too_many_arguments)]
fn symbol(
    name: String,
    kind: SymbolKind,
    doc: &Document,
    enc: PositionEncoding,
    span: Span,
    name_span: Span,
    detail: Option<String>,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    // selectionRange must lie inside range; a malformed model must not break the client.
    let span = Span::new(span.start.min(name_span.start), span.end.max(name_span.end));
    #[allow(deprecated)]
    DocumentSymbol {
        name: if name.is_empty() { "(untitled)".into() } else { name },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: convert::range(doc.range(span.start, span.end, enc)),
        selection_range: convert::range(doc.range(name_span.start, name_span.end, enc)),
        children: if children.is_empty() { None } else { Some(children) },
    }
}
