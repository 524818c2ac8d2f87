//! `textDocument/codeAction`: quick fixes on CI failures and on hard-wait lints — update an
//! expected value from what CI received, raise a timeout to a learned one, replace a hard
//! sleep with a web-first wait. Each edit is versioned (a client refuses it on a newer
//! buffer) and touches only its span; files outside the workspace are never edited.
//! `isPreferred` is left for heals a real browser validated.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::{Backend, convert, guard};
use crate::analysis::fixes::{self, Fix};
use crate::analysis::{FixKind, LintCode};
use crate::syntax::{Span, WaitKind};
use crate::workspace::{FileAnalysis, Workspace};

pub fn handle(backend: &Backend, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
    guard::request("codeAction", || {
        let uri = params.text_document.uri;
        let path = convert::uri_to_path(&uri);
        let ws = backend.ws();
        let Some(analysis) = ws.analysis(&path) else { return Ok(None) };
        if ws.root().is_some_and(|root| !path.starts_with(root)) {
            return Ok(None);
        }
        let doc = &analysis.doc;
        let enc = ws.encoding();
        let range = convert::from_range(params.range);
        let wanted = Span::new(doc.offset(range.start, enc), doc.offset(range.end, enc));
        let text = doc.text();

        let mut actions: Vec<(Fix, Vec<Diagnostic>)> = Vec::new();
        let overlaps = |s: Span| s.start <= wanted.end && wanted.start <= s.end;
        let attached = |span: Span, code: &str| -> Vec<Diagnostic> {
            let r = convert::range(doc.range(span.start, span.end, enc));
            params.context.diagnostics.iter().filter(|d| d.range == r && d.code == Some(NumberOrString::String(code.into()))).cloned().collect()
        };

        // CI failures under the cursor.
        for f in ws.failure_findings(&path).into_iter().filter(|f| overlaps(f.span)) {
            let diags = attached(f.span, crate::analysis::failures::CI_FAILURE);
            if let Some(fix) = fixes::update_expected(&analysis.model, &text, f) {
                actions.push((fix, diags.clone()));
            }
            if f.fix_kinds.iter().any(|k| matches!(k, FixKind::IncreaseTimeout | FixKind::AddWait)) {
                let timeout = fixes::learned_timeout(&ws.passing_durations(&f.title_path));
                if let Some(fix) = fixes::timeouts_near(&analysis.model, f.span, f.test).into_iter().find_map(|w| fixes::raise_timeout(&analysis.model, &text, w, timeout)) {
                    actions.push((fix, diags.clone()));
                }
            }
        }
        // Hard sleeps under the cursor, whether or not their lint is on.
        for (i, w) in analysis.model.waits.iter().enumerate().filter(|(_, w)| w.kind == WaitKind::Hard && overlaps(w.span)) {
            let title = w.test.and_then(|t| analysis.model.tests.get(t)).map(|t| t.title_path.clone()).unwrap_or_default();
            let timeout = fixes::learned_timeout(&ws.passing_durations(&title));
            if let Some(fix) = fixes::replace_hard_wait(&analysis.model, &text, i, timeout) {
                actions.push((fix, attached(w.span, LintCode::HardWait.as_str())));
            }
        }
        if actions.is_empty() {
            return Ok(None);
        }
        Ok(Some(actions.into_iter().map(|(fix, diags)| CodeActionOrCommand::CodeAction(action(&ws, &uri, analysis, fix, diags))).collect()))
    })
}

fn action(ws: &Workspace, uri: &Uri, analysis: &FileAnalysis, fix: Fix, diagnostics: Vec<Diagnostic>) -> CodeAction {
    let edits = fix
        .edits
        .iter()
        .map(|e| OneOf::Left(TextEdit { range: convert::range(analysis.doc.range(e.span.start, e.span.end, ws.encoding())), new_text: e.new_text.clone() }))
        .collect();
    let change = TextDocumentEdit { text_document: OptionalVersionedTextDocumentIdentifier { uri: uri.clone(), version: Some(analysis.version()) }, edits };
    CodeAction {
        title: fix.title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        edit: Some(WorkspaceEdit { document_changes: Some(DocumentChanges::Edits(vec![change])), ..Default::default() }),
        is_preferred: Some(false),
        ..Default::default()
    }
}
