//! `textDocument/didOpen`: parse, lint, publish.

use tower_lsp_server::ls_types::*;

use super::diagnostics::{self, Outcome};
use super::{Backend, convert, guard};

pub async fn handle(backend: &Backend, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    let path = convert::uri_to_path(&doc.uri);
    tracing::debug!("didOpen {} v{}", doc.uri.as_str(), doc.version);
    super::lock(&backend.open_uris).insert(path.clone(), doc.uri.clone());
    // The mutation happens here, synchronously, before the first `.await`: arrival order.
    let outcome = guard::notification("didOpen", || {
        let mut ws = backend.ws();
        let language = convert::language_of(&doc.language_id);
        match ws.open(path.clone(), language, &doc.text, doc.version).map(|a| a.cloned()) {
            Ok(Some(analysis)) => Outcome::of(&ws, &path, &analysis),
            Ok(None) => Outcome::Nothing,
            Err(reason) => Outcome::Skipped { reason, version: Some(doc.version) },
        }
    })
    .unwrap_or(Outcome::Nothing);
    diagnostics::publish(backend, doc.uri, &path, outcome).await;
}
