//! `textDocument/didClose`: forget the buffer; what stays are its CI failures (closed files
//! keep those), now on the file as it is on disk.

use tower_lsp_server::ls_types::*;

use super::{Backend, convert, diagnostics, guard, lock};

pub async fn handle(backend: &Backend, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    let path = convert::uri_to_path(&uri);
    let remaining = guard::notification("didClose", || {
        let mut ws = backend.ws();
        ws.close(&path);
        diagnostics::for_path(&ws, &path)
    })
    .unwrap_or_default();
    lock(&backend.open_uris).remove(&path);
    diagnostics::remember(backend, &path, &remaining);
    backend.client.publish_diagnostics(uri, remaining, None).await;
    diagnostics::refresh(backend).await;
}
