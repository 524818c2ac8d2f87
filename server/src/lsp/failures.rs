//! CI failures in the running server: open the store, ingest the report files, keep watching
//! them, poll the Argus backend; after each change publish where diagnostics changed and send
//! `argus/status`. Everything here runs as background tasks: handlers never wait for it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::json;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tower_lsp_server::ls_types::{MessageType, NumberOrString};

use super::{Handle, diagnostics, lock};
use crate::config::Config;
use crate::sources::{self, BackendClient, BackendStatus, BackendUpdate, ReportWatcher};
use crate::store::Store;
use crate::workspace::IngestSummary;

/// Background sync state, owned by the server.
#[derive(Default)]
pub struct SyncState {
    /// The config the tasks below were started with (restarted when it changes).
    started_with: Option<SyncConfig>,
    watcher: Option<ReportWatcher>,
    tasks: Vec<JoinHandle<()>>,
    backend: Option<BackendStatus>,
    /// Wakes the backend poller ("refresh now").
    wake: Arc<Notify>,
    last_status: Option<serde_json::Value>,
    /// The store could not be opened: said once.
    store_warned: bool,
    /// One opening at a time: sled's lock is per process too.
    opening: Arc<tokio::sync::Mutex<()>>,
    /// The browser worked (Some(true)) or failed to start or load (Some(false)).
    browser: Option<bool>,
    /// Counts edits, so only the last of a burst re-correlates.
    edits: u64,
    /// The client shows `$/progress` / refreshes code lenses on request.
    pub progress: bool,
    pub lens_refresh: bool,
}

/// The parts of the config the sync tasks depend on.
#[derive(Debug, Clone, PartialEq)]
struct SyncConfig {
    globs: Vec<String>,
    store_dir: String,
    backend: crate::config::Backend,
}

impl SyncConfig {
    fn of(c: &Config) -> Self {
        SyncConfig { globs: c.reports.globs.clone(), store_dir: c.store.dir.clone(), backend: c.backend.clone() }
    }
}

/// Start (or restart) ingestion: the store, every report on disk, the watcher, the backend.
pub async fn start(handle: &Handle) {
    let (root, config) = {
        let ws = handle.ws();
        (ws.root().map(Path::to_path_buf), ws.config().clone())
    };
    let Some(root) = root else { return };
    stop(handle);
    lock(&handle.sync).started_with = Some(SyncConfig::of(&config));

    // Watch first: a report written while the others are read is not missed (its batch
    // waits in the channel; a run read twice is recorded once).
    let watched = match ReportWatcher::new(&root, &config.reports.globs) {
        Ok(w) => Some(w),
        Err(e) => {
            tracing::warn!("{e}; reports are read at startup and on refresh only");
            None
        }
    };
    let globs = config.reports.globs.clone();
    let discover_root = root.clone();
    let reports = tokio::task::spawn_blocking(move || sources::discover_reports(&discover_root, &globs)).await.unwrap_or_default();

    // Open the store only when there is something to keep, or history from before: a project
    // without reports leaves nothing behind in the cache directory.
    let store_dir = Store::dir_for_workspace(&root, &config.store.dir);
    let wanted = !reports.is_empty() || !config.backend.url.trim().is_empty() || store_dir.exists();
    let have_store = handle.ws().store().is_some_and(|s| s.dir() == store_dir);
    if wanted && !have_store {
        open_store(handle, store_dir).await;
    }
    let progress = lock(&handle.sync).progress && !reports.is_empty();
    let token = NumberOrString::String("argus/reports".into());
    let ongoing = if progress && handle.client.create_work_done_progress(token.clone()).await.is_ok() {
        Some(handle.client.progress(token, "argus: reading CI reports").with_message(format!("{} reports", reports.len())).begin().await)
    } else {
        None
    };
    ingest(handle, reports).await;
    if let Some(p) = ongoing {
        let (runs, failing) = {
            let ws = handle.ws();
            (ws.runs().len(), ws.failing_tests())
        };
        p.finish_with_message(format!("{runs} runs, {failing} failing tests")).await;
    }

    if let Some((watcher, mut rx)) = watched {
        let h = handle.clone();
        let task = tokio::spawn(async move {
            while let Some(batch) = rx.recv().await {
                tracing::info!("reports changed: {}", batch.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "));
                if h.ws().store().is_none() {
                    let dir = Store::dir_for_workspace(&root, &h.ws().config().store.dir);
                    open_store(&h, dir).await;
                }
                ingest(&h, batch).await;
            }
        });
        let mut sync = lock(&handle.sync);
        sync.watcher = Some(watcher);
        sync.tasks.push(task);
    }
    start_backend(handle, &config);
    diagnostics::refresh(handle).await;
}

/// Stop the watcher and the background tasks.
pub fn stop(handle: &Handle) {
    let mut sync = lock(&handle.sync);
    sync.watcher = None;
    for t in sync.tasks.drain(..) {
        t.abort();
    }
    sync.backend = None;
}

/// Restart when the settings the sync depends on changed (report globs, store, backend).
pub async fn restart_if_changed(handle: &Handle) {
    let now = SyncConfig::of(handle.ws().config());
    let before = lock(&handle.sync).started_with.clone();
    if before.is_some_and(|b| b != now) {
        tracing::info!("report or backend settings changed: restarting ingestion");
        start(handle).await;
    }
}

/// The store, opened now if it was not yet (a heal must be kept even in a project without
/// reports).
pub async fn ensure_store(handle: &Handle) -> Option<Store> {
    if let Some(store) = handle.ws().store().cloned() {
        return Some(store);
    }
    let (root, configured) = {
        let ws = handle.ws();
        (ws.root().map(Path::to_path_buf)?, ws.config().store.dir.clone())
    };
    open_store(handle, Store::dir_for_workspace(&root, &configured)).await;
    handle.ws().store().cloned()
}

async fn open_store(handle: &Handle, dir: PathBuf) {
    let opening = lock(&handle.sync).opening.clone();
    let _one = opening.lock().await;
    if handle.ws().store().is_some_and(|s| s.dir() == dir) {
        return;
    }
    let history = handle.ws().config().reports.history;
    let opened = tokio::task::spawn_blocking(move || Store::open(&dir)).await;
    let result = match opened {
        Ok(Ok(store)) => handle.ws().attach_store(store).map(|n| tracing::info!("failure history: {n} runs from the store")),
        Ok(Err(e)) => Err(e),
        Err(e) => {
            tracing::error!("opening the store failed: {e}");
            return;
        }
    };
    if let Err(e) = result {
        tracing::warn!("{e}");
        let first = !std::mem::replace(&mut lock(&handle.sync).store_warned, true);
        if first {
            let message = format!("argus: {e}. CI failures are kept in memory for this session (last {history} runs per test).");
            handle.client.show_message(MessageType::WARNING, message).await;
        }
    }
}

/// Read `paths` (off the lock: reports can be huge), record their runs, re-correlate, publish.
pub async fn ingest(handle: &Handle, paths: Vec<PathBuf>) -> IngestSummary {
    let max = handle.ws().config().reports.max_size;
    let read = tokio::task::spawn_blocking(move || {
        paths.into_iter().map(|p| {
            let r = sources::read_report(&p, max);
            (p, r)
        }).collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    let summary = {
        let mut ws = handle.ws();
        let summary = ws.record_reports(read);
        if summary.new_runs > 0 {
            ws.recompute_failures();
        }
        let rejects = ws.take_backend_rejects();
        reject_on_backend(&ws.config().backend, rejects);
        summary
    };
    if summary.new_runs > 0 {
        refresh_lenses(handle);
    }
    tracing::info!(
        "reports: read {}, {} new runs, {} with problems{}",
        summary.reports,
        summary.new_runs,
        summary.bad_reports,
        summary.store_error.as_deref().map(|e| format!("; store: {e}")).unwrap_or_default()
    );
    diagnostics::refresh(handle).await;
    summary
}

/// How long typing must pause before failures are re-correlated (they move with the text
/// meanwhile).
const RECOMPUTE_DELAY: std::time::Duration = std::time::Duration::from_millis(250);

/// After an edit: re-correlate once typing pauses, then publish what changed.
pub fn schedule_recompute(handle: &Handle) {
    let generation = {
        let mut sync = lock(&handle.sync);
        sync.edits += 1;
        sync.edits
    };
    let h = handle.clone();
    tokio::spawn(async move {
        tokio::time::sleep(RECOMPUTE_DELAY).await;
        if lock(&h.sync).edits != generation {
            return;
        }
        let recomputed = h.ws().recompute_failures_if_stale();
        if recomputed {
            diagnostics::refresh(&h).await;
        }
    });
}

/// `argus.refresh`: read every report again, poll the backend now.
pub async fn refresh_now(handle: &Handle) -> serde_json::Value {
    let (root, globs) = {
        let ws = handle.ws();
        (ws.root().map(Path::to_path_buf), ws.config().reports.globs.clone())
    };
    let reports = match root {
        Some(root) => tokio::task::spawn_blocking(move || sources::discover_reports(&root, &globs)).await.unwrap_or_default(),
        None => Vec::new(),
    };
    let summary = ingest(handle, reports).await;
    lock(&handle.sync).wake.notify_one();
    let ws = handle.ws();
    json!({
        "reports": summary.reports,
        "new_runs": summary.new_runs,
        "runs": ws.runs().len(),
        "findings": ws.failure_analysis().findings.len(),
        "failing_tests": ws.failing_tests(),
    })
}

fn start_backend(handle: &Handle, config: &Config) {
    let client = match BackendClient::from_config(&config.backend) {
        Ok(Some(client)) => client,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!("{e}");
            lock(&handle.sync).backend = Some(BackendStatus::Unauthorized { reason: e.to_string() });
            let h = handle.clone();
            tokio::spawn(async move { h.client.show_message(MessageType::WARNING, format!("argus: {e}")).await });
            return;
        }
    };
    let Some(store) = handle.ws().store().cloned() else {
        tracing::warn!("Argus backend configured but no store to cache it in: not polled");
        return;
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel::<BackendUpdate>(4);
    let wake = {
        let mut sync = lock(&handle.sync);
        sync.backend = Some(BackendStatus::Offline { reason: "not polled yet".into() });
        sync.wake.clone()
    };
    let poll = tokio::spawn(sources::poll_loop(client, store, tx, wake));
    let h = handle.clone();
    let receive = tokio::spawn(async move {
        while let Some(update) = rx.recv().await {
            on_backend_update(&h, update).await;
        }
    });
    lock(&handle.sync).tasks.extend([poll, receive]);
}

async fn on_backend_update(handle: &Handle, update: BackendUpdate) {
    if update.first_report
        && let BackendStatus::Offline { reason } | BackendStatus::Unauthorized { reason } = &update.status
    {
        let message = format!("argus: {reason}. Showing the last known CI failures; retrying in the background.");
        handle.client.show_message(MessageType::WARNING, message).await;
    }
    lock(&handle.sync).backend = Some(update.status.clone());
    {
        let mut ws = handle.ws();
        let (new, store_error) = ws.record_runs(update.runs);
        if let Some(e) = store_error {
            tracing::warn!("{e}");
        }
        let rejects = ws.take_backend_rejects();
        reject_on_backend(&ws.config().backend, rejects);
        if new > 0 {
            tracing::info!("backend: {new} new runs");
            ws.recompute_failures();
            drop(ws);
            refresh_lenses(handle);
        }
    }
    diagnostics::refresh(handle).await;
}

/// Tell the backend its patterns behind heals that failed again did not hold (not awaited).
fn reject_on_backend(config: &crate::config::Backend, pattern_ids: Vec<String>) {
    if pattern_ids.is_empty() {
        return;
    }
    let Ok(Some(client)) = BackendClient::from_config(config) else { return };
    tokio::spawn(async move {
        for id in pattern_ids {
            match client.feedback(&id, false).await {
                Ok(()) => tracing::info!("backend pattern {id} rejected: its heal failed again"),
                Err(e) => tracing::warn!("{e}"),
            }
        }
    });
}

/// Ask the client to re-request code lenses (their history changed). A request to the client:
/// on its own task, never awaited by a handler.
fn refresh_lenses(handle: &Handle) {
    if lock(&handle.sync).lens_refresh {
        let client = handle.client.clone();
        tokio::spawn(async move {
            if let Err(e) = client.code_lens_refresh().await {
                tracing::debug!("codeLens/refresh: {e}");
            }
        });
    }
}

/// What the last use of the browser showed (for `argus/status`).
pub fn set_browser_state(handle: &Handle, worked: bool) {
    lock(&handle.sync).browser = Some(worked);
    let h = handle.clone();
    tokio::spawn(async move { send_status(&h).await });
}

/// `argus/status`: backend state, browser state, failing tests. Sent when it changes.
pub async fn send_status(handle: &Handle) {
    let failing = handle.ws().failing_tests();
    let status = {
        let mut sync = lock(&handle.sync);
        let backend = match &sync.backend {
            None => "not_configured",
            Some(BackendStatus::Connected) => "connected",
            Some(_) => "offline",
        };
        let browser = match sync.browser {
            None => "not_started",
            Some(true) => "ready",
            Some(false) => "unavailable",
        };
        let status = json!({ "backend": backend, "browser": browser, "failing_tests": failing });
        if sync.last_status.as_ref() == Some(&status) {
            return;
        }
        sync.last_status = Some(status.clone());
        status
    };
    handle.client.send_notification::<Status>(status).await;
}

/// The `argus/status` notification.
enum Status {}

impl tower_lsp_server::ls_types::notification::Notification for Status {
    type Params = serde_json::Value;
    const METHOD: &'static str = "argus/status";
}
