//! Publishing diagnostics: static lints of open documents, CI failures on any file (open or
//! not), and notes on report files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tower_lsp_server::ls_types::*;

use super::{Backend, Handle, convert, lock};
use crate::workspace::{FileAnalysis, Skipped, Workspace};

/// Everything argus has to say about `path` now: lints (when open), CI failures, report notes.
pub fn for_path(ws: &Workspace, path: &Path) -> Vec<Diagnostic> {
    let config = ws.config();
    let encoding = ws.encoding();
    let mut out: Vec<Diagnostic> = Vec::new();
    if let Some(analysis) = ws.analysis(path) {
        out.extend(analysis.findings.iter().map(|f| convert::diagnostic(f, &analysis.doc, encoding, &config.docs_url)));
    }
    if let Some(doc) = ws.failure_doc(path) {
        for f in ws.failure_findings(path) {
            let frame = f.frame.as_ref().and_then(|fr| {
                let file = ws.absolute(fr.path.as_deref()?)?;
                let target_doc = ws.failure_doc(file);
                Some((convert::path_to_uri(file)?, fr, target_doc))
            });
            out.push(convert::failure_diagnostic(f, doc, encoding, &config.docs_url, frame));
        }
    }
    out.extend(ws.report_notes(path).into_iter().map(|n| convert::report_diagnostic(n, &config.docs_url)));
    out
}

/// What to publish after an open or change: diagnostics, or one note saying why the file was
/// skipped.
pub enum Outcome {
    Publish { diagnostics: Vec<Diagnostic>, version: i32 },
    Skipped { reason: Skipped, version: Option<i32> },
    Nothing,
}

impl Outcome {
    pub fn of(ws: &Workspace, path: &Path, analysis: &FileAnalysis) -> Outcome {
        Outcome::Publish { diagnostics: for_path(ws, path), version: analysis.version() }
    }
}

pub async fn publish(backend: &Backend, uri: Uri, path: &Path, outcome: Outcome) {
    match outcome {
        Outcome::Publish { diagnostics, version } => {
            // Drop results that a newer change already replaced.
            let current = backend.ws().analysis(path).map(|a| a.version());
            if current.is_some_and(|v| v != version) {
                tracing::debug!("dropping diagnostics for {} v{version}: v{current:?} is newer", uri.as_str());
                return;
            }
            lock(&backend.published).insert(path.to_path_buf(), diagnostics.clone());
            backend.client.publish_diagnostics(uri, diagnostics, Some(version)).await;
        }
        Outcome::Skipped { reason, version } => {
            tracing::warn!("{}: {reason}", path.display());
            let diagnostics = vec![convert::skipped_diagnostic(&reason.to_string())];
            lock(&backend.published).insert(path.to_path_buf(), diagnostics.clone());
            backend.client.publish_diagnostics(uri, diagnostics, version).await;
        }
        Outcome::Nothing => {}
    }
    // Another file's failures may have moved with this change (a page object's test edited).
    refresh(backend).await;
}

/// Recompute and publish every open document (after a configuration change).
pub async fn republish_all(handle: &Handle) {
    let open: Vec<PathBuf> = handle.ws().open_paths();
    lock(&handle.published).retain(|p, _| !open.contains(p));
    refresh(handle).await;
}

/// Keep what was published for `path` (nothing kept for an empty list), for `refresh`'s diff.
pub fn remember(handle: &Handle, path: &Path, diagnostics: &[Diagnostic]) {
    let mut published = lock(&handle.published);
    if diagnostics.is_empty() {
        published.remove(path);
    } else {
        published.insert(path.to_path_buf(), diagnostics.to_vec());
    }
}

/// Publish wherever diagnostics differ from what was last published: open documents, files
/// with CI failures, report files, and files whose failures are gone (cleared). Then tell the
/// client the status.
pub async fn refresh(handle: &Handle) {
    let batch: Vec<(PathBuf, Vec<Diagnostic>, Option<i32>)> = {
        let ws = handle.ws();
        let published = lock(&handle.published);
        let mut paths: BTreeSet<PathBuf> = ws.failure_paths();
        paths.extend(ws.open_paths());
        paths.extend(published.keys().cloned());
        paths
            .into_iter()
            .filter_map(|p| {
                let diagnostics = for_path(&ws, &p);
                if published.get(&p) == Some(&diagnostics) || (diagnostics.is_empty() && !published.contains_key(&p)) {
                    return None;
                }
                let version = ws.analysis(&p).map(|a| a.version());
                Some((p, diagnostics, version))
            })
            .collect()
    };
    tracing::debug!("diagnostics: publishing {:?}", batch.iter().map(|(p, d, _)| (p, d.len())).collect::<Vec<_>>());
    for (path, diagnostics, version) in batch {
        let Some(uri) = handle.uri_of(&path) else { continue };
        {
            // A change that arrived meanwhile publishes its own, newer diagnostics.
            let current = handle.ws().analysis(&path).map(|a| a.version());
            if current != version {
                continue;
            }
            remember(handle, &path, &diagnostics);
        }
        handle.client.publish_diagnostics(uri, diagnostics, version).await;
    }
    super::failures::send_status(handle).await;
}
