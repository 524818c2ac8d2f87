//! Publishing diagnostics for one open document.

use std::path::Path;

use tower_lsp_server::ls_types::*;

use super::{Backend, convert};
use crate::workspace::{FileAnalysis, Skipped, Workspace};

/// Diagnostics of an analysed document, in the session's encoding.
pub fn of_analysis(ws: &Workspace, analysis: &FileAnalysis) -> Vec<Diagnostic> {
    let config = ws.config();
    analysis
        .findings
        .iter()
        .map(|f| convert::diagnostic(f, &analysis.doc, ws.encoding(), &config.docs_url))
        .collect()
}

/// What to publish after an open or change: findings, or one note saying why the file was skipped.
pub enum Outcome {
    Publish { diagnostics: Vec<Diagnostic>, version: i32 },
    Skipped { reason: Skipped, version: Option<i32> },
    Nothing,
}

impl Outcome {
    pub fn of(ws: &Workspace, analysis: &FileAnalysis) -> Outcome {
        Outcome::Publish { diagnostics: of_analysis(ws, analysis), version: analysis.version() }
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
            backend.client.publish_diagnostics(uri, diagnostics, Some(version)).await;
        }
        Outcome::Skipped { reason, version } => {
            tracing::warn!("{}: {reason}", path.display());
            backend.client.publish_diagnostics(uri, vec![convert::skipped_diagnostic(&reason.to_string())], version).await;
        }
        Outcome::Nothing => {}
    }
}

/// Recompute and publish every open document (after a configuration change).
pub async fn republish_all(backend: &Backend) {
    let batch: Vec<(std::path::PathBuf, Outcome)> = {
        let ws = backend.ws();
        ws.open_paths()
            .into_iter()
            .filter_map(|p| {
                let a = ws.analysis(&p)?;
                Some((p.clone(), Outcome::of(&ws, a)))
            })
            .collect()
    };
    for (path, out) in batch {
        if let Some(uri) = backend.uri_of(&path) {
            publish(backend, uri, &path, out).await;
        }
    }
}
