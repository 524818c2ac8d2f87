//! `textDocument/didChange`: apply changes in arrival order, reject stale versions, reparse
//! incrementally, publish.

use tower_lsp_server::ls_types::*;

use super::diagnostics::{self, Outcome};
use super::{Backend, convert, failures, guard};

pub async fn handle(backend: &Backend, params: DidChangeTextDocumentParams) {
    let uri = params.text_document.uri;
    let version = params.text_document.version;
    let path = convert::uri_to_path(&uri);
    let changes: Vec<_> = params.content_changes.into_iter().map(convert::change).collect();
    // Synchronous, before any `.await`: changes apply strictly in the order they arrived.
    let outcome = guard::notification("didChange", || {
        let mut ws = backend.ws();
        match ws.change(&path, version, &changes) {
            Ok(Some(Ok(analysis))) => {
                let analysis = analysis.clone();
                Outcome::of(&ws, &path, &analysis)
            }
            Ok(Some(Err(skipped))) => Outcome::Skipped { reason: skipped, version: Some(version) },
            Ok(None) => {
                tracing::warn!("didChange for {} which is not open: ignored", uri.as_str());
                Outcome::Nothing
            }
            Err(stale) => {
                tracing::warn!("{}: {stale}; change not applied", uri.as_str());
                Outcome::Nothing
            }
        }
    })
    .unwrap_or(Outcome::Nothing);
    diagnostics::publish(backend, uri, &path, outcome).await;
    failures::schedule_recompute(backend);
}
