//! `textDocument/didClose`: forget the buffer, clear its diagnostics.

use tower_lsp_server::ls_types::*;

use super::{Backend, convert, guard};

pub async fn handle(backend: &Backend, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    let path = convert::uri_to_path(&uri);
    guard::notification("didClose", || backend.ws().close(&path));
    backend.open_uris.lock().unwrap_or_else(|e| e.into_inner()).remove(&path);
    backend.client.publish_diagnostics(uri, Vec::new(), None).await;
}
