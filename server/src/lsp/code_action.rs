//! `textDocument/codeAction`: quick fixes on CI failures and on hard-wait lints — update an
//! expected value from what CI received, raise a timeout to a learned one, replace a hard
//! sleep with a web-first wait. Each edit is versioned (a client refuses it on a newer
//! buffer) and touches only its span; files outside the workspace are never edited.
//! `isPreferred` is left for heals a real browser validated: "Heal selector" is listed
//! cheaply and proved in Chromium in `codeAction/resolve`.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::{Backend, convert, guard, heal};
use crate::analysis::fixes::{self, Fix};
use crate::analysis::{FixKind, LintCode, Target};
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
        let mut heals: Vec<CodeAction> = Vec::new();
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
            // Any failure on a locator: the browser decides whether a heal exists (a timing
            // failure on an element that is gone for good heals; one still there does not).
            if let Target::Locator(i) = f.target
                && super::hover::negated_assertion(&analysis.model, f).is_none()
            {
                let value = &analysis.model.locators[i].value;
                heals.push(heal::lazy_action(&uri, analysis.version(), i, value, f.error_type.as_deref(), diags.clone()));
            }
            if f.fix_kinds.iter().any(|k| matches!(k, FixKind::IncreaseTimeout | FixKind::AddWait)) {
                let selector = match f.target {
                    Target::Locator(i) => analysis.model.locators.get(i).map(|l| l.value.as_str()),
                    _ => None,
                };
                let timeout = fixes::learned_timeout(&ws.learned_durations(selector, &f.title_path));
                if let Some(fix) = fixes::timeouts_near(&analysis.model, f.span, f.test).into_iter().find_map(|w| fixes::raise_timeout(&analysis.model, &text, w, timeout)) {
                    actions.push((fix, diags.clone()));
                }
            }
        }
        // Hard sleeps under the cursor, whether or not their lint is on.
        for (i, w) in analysis.model.waits.iter().enumerate().filter(|(_, w)| w.kind == WaitKind::Hard && overlaps(w.span)) {
            let title = w.test.and_then(|t| analysis.model.tests.get(t)).map(|t| t.title_path.clone()).unwrap_or_default();
            let selector = fixes::waited_for(&analysis.model, i).and_then(|l| analysis.model.locators.get(l)).map(|l| l.value.as_str());
            let timeout = fixes::learned_timeout(&ws.learned_durations(selector, &title));
            if let Some(fix) = fixes::replace_hard_wait(&analysis.model, &text, i, timeout) {
                actions.push((fix, attached(w.span, LintCode::HardWait.as_str())));
            }
        }
        // Brittle selectors under the cursor: a sturdier locator for the same element, proved
        // in Chromium on resolve.
        let failing_here: Vec<usize> = heals.iter().filter_map(|a| a.data.as_ref()?["locator"].as_u64().map(|i| i as usize)).collect();
        for f in analysis.findings.iter().filter(|f| heal::is_brittle_lint(f.code) && overlaps(f.span)) {
            let Some(i) = analysis.model.locators.iter().position(|l| l.value_span == f.span) else { continue };
            if failing_here.contains(&i) || heals.iter().any(|a| a.data.as_ref().is_some_and(|d| d["brittle"] == true && d["locator"] == i)) {
                continue; // a heal of the failing locator covers it
            }
            let value = &analysis.model.locators[i].value;
            heals.push(heal::lazy_replace(&uri, analysis.version(), i, value, attached(f.span, f.code.as_str())));
        }
        // Every failing locator of the file, healed in one go.
        let failing: Vec<(usize, Option<String>)> = ws
            .failure_findings(&path)
            .into_iter()
            .filter(|f| super::hover::negated_assertion(&analysis.model, f).is_none())
            .filter_map(|f| match f.target {
                Target::Locator(i) => Some((i, f.error_type.clone())),
                _ => None,
            })
            .collect();
        if failing.len() > 1 && !failing_here.is_empty() {
            heals.push(heal::lazy_heal_all(&uri, analysis.version(), failing));
        }
        if actions.is_empty() && heals.is_empty() {
            return Ok(None);
        }
        let fixes = actions.into_iter().map(|(fix, diags)| action(&ws, &uri, analysis, fix, diags));
        Ok(Some(heals.into_iter().chain(fixes).map(CodeActionOrCommand::CodeAction).collect()))
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

/// `codeAction/resolve`: the heal, proved in the browser (on its own task: a panic there is an
/// error response, not a dead server).
pub async fn resolve(backend: &Backend, action: CodeAction) -> Result<CodeAction> {
    if !matches!(action.data.as_ref().and_then(|d| d.get("argus")).and_then(|v| v.as_str()), Some("heal" | "heal_all")) {
        return Ok(action);
    }
    let handle = backend.handle.clone();
    tokio::spawn(async move { heal::resolve(&handle, action).await }).await.map_err(|e| {
        tracing::error!("codeAction/resolve failed: {e}");
        tower_lsp_server::jsonrpc::Error { code: tower_lsp_server::jsonrpc::ErrorCode::InternalError, message: format!("argus: heal failed: {e}").into(), data: None }
    })
}
