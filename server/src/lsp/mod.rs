//! The LSP face: a thin adapter over `workspace::Workspace`. One module per method; only this
//! layer knows LSP types (conversions in `convert`).

mod code_action;
mod code_lens;
mod convert;
mod diagnostics;
mod did_change;
mod did_change_configuration;
mod did_change_watched_files;
mod did_close;
mod did_open;
mod document_symbol;
mod execute_command;
mod failures;
mod guard;
mod heal;
mod hover;
mod initialize;
mod initialized;
mod server;
mod workspace_symbol;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use tower_lsp_server::ls_types::{Diagnostic, Uri};
use tower_lsp_server::{Client, LspService, Server};

use crate::logging::LogHandle;
use crate::text::PositionEncoding;
use crate::workspace::{ConfigReport, Workspace};

/// What the client told us at `initialize`.
#[derive(Debug, Default, Clone)]
struct ClientCaps {
    dynamic_watched_files: bool,
    work_done_progress: bool,
    /// `workspace/codeLens/refresh`: lenses show CI history, which changes under the editor.
    code_lens_refresh: bool,
}

/// What background tasks (indexing, report ingestion, backend polling) share with the
/// handlers. Cheap to clone.
#[derive(Clone)]
pub struct Handle {
    client: Client,
    workspace: Arc<Mutex<Workspace>>,
    /// The URI each open document was opened with, so we answer in the client's own spelling.
    open_uris: Arc<Mutex<HashMap<PathBuf, Uri>>>,
    /// The diagnostics last published per file, so background updates send only what changed.
    published: Arc<Mutex<HashMap<PathBuf, Vec<Diagnostic>>>>,
    sync: Arc<Mutex<failures::SyncState>>,
    /// The one headless browser, started on first use.
    browser: heal::SharedBrowser,
}

pub struct Backend {
    handle: Handle,
    caps: Arc<Mutex<ClientCaps>>,
    /// Config warnings/errors found during `initialize`, shown once `initialized` arrives.
    startup_report: Mutex<Option<ConfigReport>>,
    log: LogHandle,
}

impl std::ops::Deref for Backend {
    type Target = Handle;
    fn deref(&self) -> &Handle {
        &self.handle
    }
}

/// A lock that survives a panic elsewhere: every state behind one is replaced whole on update.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Backend {
    fn new(client: Client, log: LogHandle) -> Self {
        Backend {
            handle: Handle {
                client,
                workspace: Arc::new(Mutex::new(Workspace::new(None, PositionEncoding::Utf16))),
                open_uris: Default::default(),
                published: Default::default(),
                sync: Default::default(),
                browser: Default::default(),
            },
            caps: Arc::new(Mutex::new(ClientCaps::default())),
            startup_report: Mutex::new(None),
            log,
        }
    }

    fn caps(&self) -> ClientCaps {
        lock(&self.caps).clone()
    }
}

impl Handle {
    /// The workspace, even after a panic poisoned the lock: its state is replaced whole on
    /// every update, so the last good state is still consistent.
    fn ws(&self) -> MutexGuard<'_, Workspace> {
        lock(&self.workspace)
    }

    fn uri_of(&self, path: &Path) -> Option<Uri> {
        let known = lock(&self.open_uris).get(path).cloned();
        known.or_else(|| convert::path_to_uri(path))
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
