//! `workspace/didChangeWatchedFiles`: keep the index current; reload `argus.toml`.

use tower_lsp_server::ls_types::*;

use super::{Backend, convert, diagnostics, failures, guard, initialized};
use crate::workspace::CONFIG_FILE;

pub async fn handle(backend: &Backend, params: DidChangeWatchedFilesParams) {
    let mut config_report = None;
    guard::notification("didChangeWatchedFiles", || {
        let mut ws = backend.ws();
        for change in &params.changes {
            let path = convert::uri_to_path(&change.uri);
            if path.file_name().is_some_and(|n| n == CONFIG_FILE) && ws.root().is_some_and(|r| path.parent() == Some(r)) {
                config_report = Some(ws.load_config_file());
                backend.log.set_level(&ws.config().log_level);
            } else if change.typ == FileChangeType::DELETED {
                ws.forget(&path);
            } else {
                ws.refresh_from_disk(&path);
            }
        }
    });
    if let Some(report) = config_report {
        initialized::show_config_report(&backend.client, &report).await;
        diagnostics::republish_all(backend).await;
        failures::restart_if_changed(backend).await;
    } else {
        // A source the failures map onto may have changed on disk.
        diagnostics::refresh(backend).await;
    }
}
