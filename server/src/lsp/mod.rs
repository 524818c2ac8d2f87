//! The LSP face: a thin adapter over `workspace::Workspace`. One module per method; only this
//! layer knows LSP types (conversions in `convert`).

mod code_lens;
mod convert;
mod diagnostics;
mod did_change;
mod did_change_configuration;
mod did_change_watched_files;
mod did_close;
mod did_open;
mod document_symbol;
mod guard;
mod hover;
mod initialize;
mod initialized;
mod server;
mod workspace_symbol;

use std::sync::{Arc, Mutex, MutexGuard};

use tower_lsp_server::{Client, LspService, Server};

use crate::logging::LogHandle;
use crate::text::PositionEncoding;
use crate::workspace::{ConfigReport, Workspace};

/// What the client told us at `initialize`.
#[derive(Debug, Default, Clone)]
struct ClientCaps {
    dynamic_watched_files: bool,
    work_done_progress: bool,
}

pub struct Backend {
    client: Client,
    workspace: Arc<Mutex<Workspace>>,
    caps: Arc<Mutex<ClientCaps>>,
    /// The URI each open document was opened with, so we answer in the client's own spelling.
    open_uris: Mutex<std::collections::HashMap<std::path::PathBuf, tower_lsp_server::ls_types::Uri>>,
    /// Config warnings/errors found during `initialize`, shown once `initialized` arrives.
    startup_report: Mutex<Option<ConfigReport>>,
    log: LogHandle,
}

impl Backend {
    fn new(client: Client, log: LogHandle) -> Self {
        Backend {
            client,
            workspace: Arc::new(Mutex::new(Workspace::new(None, PositionEncoding::Utf16))),
            caps: Arc::new(Mutex::new(ClientCaps::default())),
            open_uris: Mutex::new(Default::default()),
            startup_report: Mutex::new(None),
            log,
        }
    }

    /// The workspace, even after a panic poisoned the lock: its state is replaced whole on
    /// every update, so the last good state is still consistent.
    fn ws(&self) -> MutexGuard<'_, Workspace> {
        self.workspace.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn uri_of(&self, path: &std::path::Path) -> Option<tower_lsp_server::ls_types::Uri> {
        let known = self.open_uris.lock().unwrap_or_else(|e| e.into_inner()).get(path).cloned();
        known.or_else(|| convert::path_to_uri(path))
    }

    fn caps(&self) -> ClientCaps {
        self.caps.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Serve LSP on stdin/stdout until `exit`.
pub async fn run_stdio(log: LogHandle) {
    let (service, socket) = LspService::build(|client| Backend::new(client, log))
        .custom_method("argus/debugPanic", Backend::debug_panic)
        .finish();
    Server::new(tokio::io::stdin(), tokio::io::stdout(), socket).serve(service).await;
}

impl Backend {
    /// Only for the end-to-end test that proves a panicking handler leaves the server alive;
    /// refused unless `ARGUS_DEBUG_PANIC=1`.
    async fn debug_panic(&self) -> tower_lsp_server::jsonrpc::Result<()> {
        guard::request("argus/debugPanic", || {
            if std::env::var_os("ARGUS_DEBUG_PANIC").is_some() {
                panic!("deliberate panic for testing");
            }
            Err(tower_lsp_server::jsonrpc::Error::method_not_found())
        })
    }
}
