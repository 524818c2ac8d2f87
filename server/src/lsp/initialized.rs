//! `initialized`: tell the user about config problems, watch files, index the workspace.

use tower_lsp_server::Client;
use tower_lsp_server::ls_types::*;

use super::{Backend, Handle};
use crate::workspace::{ConfigReport, index};

pub async fn handle(backend: &Backend) {
    let report = super::lock(&backend.startup_report).take();
    if let Some(report) = report {
        show_config_report(&backend.client, &report).await;
    }
    let caps = backend.caps();
    // Requests to the client run as tasks: a handler awaiting a client that never answers would
    // hold up `exit`.
    if caps.dynamic_watched_files {
        let client = backend.client.clone();
        tokio::spawn(async move { register_watchers(&client).await });
    }
    let handle = backend.handle.clone();
    {
        let mut sync = super::lock(&handle.sync);
        sync.progress = caps.work_done_progress;
        sync.lens_refresh = caps.code_lens_refresh;
    }
    tokio::spawn(async move {
        index_workspace(&handle, caps.work_done_progress).await;
        // Failures map onto indexed files: ingest once the index is there.
        super::failures::start(&handle).await;
    });
}

/// Config errors and warnings, once, as a message the user sees; details stay in the log.
pub async fn show_config_report(client: &Client, report: &ConfigReport) {
    if let Some(error) = &report.error {
        client
            .show_message(MessageType::ERROR, format!("argus: {error} (keeping the last good configuration)"))
            .await;
    }
    if !report.warnings.is_empty() {
        client.show_message(MessageType::WARNING, format!("argus: {}", report.warnings.join("; "))).await;
    }
}

async fn register_watchers(client: &Client) {
    let watchers = ["**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,py}", "**/argus.toml"]
        .into_iter()
        .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.into()), kind: None })
        .collect();
    let registration = Registration {
        id: "argus-watched-files".into(),
        method: "workspace/didChangeWatchedFiles".into(),
        register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions { watchers }).ok(),
    };
    if let Err(e) = client.register_capability(vec![registration]).await {
        tracing::warn!("could not register file watchers: {e}");
    }
}

/// Walk and parse the workspace off the async runtime, reporting `$/progress`.
async fn index_workspace(handle: &Handle, progress: bool) {
    let client = &handle.client;
    let started = std::time::Instant::now();
    let (paths, config, encoding) = {
        let ws = handle.ws();
        (ws.discover(), ws.config().clone(), ws.encoding())
    };
    let total = paths.len();
    let token = NumberOrString::String("argus/index".into());
    let ongoing = if progress && client.create_work_done_progress(token.clone()).await.is_ok() {
        Some(client.progress(token, "argus: indexing tests").with_percentage(0).begin().await)
    } else {
        None
    };

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<usize>();
    let parse = tokio::task::spawn_blocking(move || {
        let step = (total / 100).max(1);
        let report = |done: usize| {
            if done.is_multiple_of(step) || done == total {
                let _ = tx.send(done);
            }
        };
        index::parse_all(&paths, &config, encoding, &report)
    });
    while let Some(done) = rx.recv().await {
        if let Some(p) = &ongoing {
            let pct = (done * 100 / total.max(1)) as u32;
            p.report_with_message(format!("{done}/{total} files"), pct).await;
        }
    }
    let results = match parse.await {
        Ok(results) => results,
        Err(e) => {
            tracing::error!("indexing failed: {e}");
            Vec::new()
        }
    };
    let (files, tests, skipped) = {
        let mut ws = handle.ws();
        ws.record_index(results);
        let skipped: Vec<String> = ws.skipped().iter().map(|(p, why)| format!("{}: {why}", p.display())).collect();
        (ws.indexed_files(), ws.all_tests().len(), skipped)
    };
    let summary = format!(
        "argus: indexed {files} files, {tests} tests in {} ms{}",
        started.elapsed().as_millis(),
        if skipped.is_empty() { String::new() } else { format!("; skipped {}", skipped.len()) }
    );
    tracing::info!("{summary}");
    for s in &skipped {
        tracing::warn!("{s}");
    }
    client.log_message(MessageType::INFO, &summary).await;
    if !skipped.is_empty() {
        client.log_message(MessageType::WARNING, format!("argus skipped:\n{}", skipped.join("\n"))).await;
    }
    if let Some(p) = ongoing {
        p.finish_with_message(format!("{tests} tests")).await;
    }
}
