//! `workspace/executeCommand`: the server's commands.
//!
//! - `argus.refresh`: read every report again and poll the backend now; answers with counts.
//! - `argus.recordHeal`: a heal was applied (or rejected): count it in the knowledge base, and
//!   approve/reject the backend's pattern when it came from there. Code actions that heal
//!   run it after their edit.

use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;

use super::{Backend, convert, failures, heal};
use crate::sources::BackendClient;
use crate::store::{HealOutcome, HealRecord};

pub const REFRESH: &str = "argus.refresh";
pub const RECORD_HEAL: &str = "argus.recordHeal";
pub const VALIDATE_SELECTOR: &str = "argus.validateSelector";
pub const SNAPSHOT_LOCATORS: &str = "argus.snapshotLocators";

/// Every command this server runs (advertised in `executeCommandProvider`).
pub const COMMANDS: [&str; 4] = [REFRESH, RECORD_HEAL, VALIDATE_SELECTOR, SNAPSHOT_LOCATORS];

/// `argus.recordHeal`'s argument.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
pub struct RecordHeal {
    pub original_selector: String,
    pub healed_selector: String,
    #[serde(default)]
    pub error_type: Option<String>,
    #[serde(default)]
    pub page_url: Option<String>,
    /// `success` (default) or `failure`.
    #[serde(default)]
    pub outcome: Option<String>,
    /// The backend pattern the heal came from, when it did.
    #[serde(default)]
    pub pattern_id: Option<String>,
    /// What the healed element was (strategy, value, facts), to write the heal in another
    /// test's style later.
    #[serde(default)]
    pub element_context: Option<serde_json::Value>,
}

pub async fn handle(backend: &Backend, params: ExecuteCommandParams) -> Result<Option<serde_json::Value>> {
    match params.command.as_str() {
        REFRESH => {
            // On its own task: a panic there becomes an error response, not a dead server.
            let handle = backend.handle.clone();
            match tokio::spawn(async move { failures::refresh_now(&handle).await }).await {
                Ok(summary) => Ok(Some(summary)),
                Err(e) => {
                    tracing::error!("{REFRESH} failed: {e}");
                    Err(Error { code: ErrorCode::InternalError, message: format!("argus: {REFRESH} failed: {e}").into(), data: None })
                }
            }
        }
        RECORD_HEAL => {
            // One argument per heal ("heal all" records several); answers the last pattern.
            if params.arguments.is_empty() {
                return Err(Error::invalid_params("argus.recordHeal needs one argument per heal"));
            }
            let heals: Vec<RecordHeal> = params
                .arguments
                .into_iter()
                .map(|a| serde_json::from_value(a).map_err(|e| Error::invalid_params(format!("argus.recordHeal: {e}"))))
                .collect::<Result<_>>()?;
            let mut last = serde_json::Value::Null;
            for heal in heals {
                last = record_heal(backend, heal).await?;
            }
            Ok(Some(last))
        }
        VALIDATE_SELECTOR | SNAPSHOT_LOCATORS => {
            let arg = params.arguments.into_iter().next().unwrap_or_default();
            let uri: Option<Uri> = arg["textDocument"]["uri"].as_str().and_then(|u| u.parse().ok());
            let uri = uri.ok_or_else(|| Error::invalid_params(format!("{}: needs {{ textDocument: {{ uri }} }}", params.command)))?;
            let path = convert::uri_to_path(&uri);
            let handle = backend.handle.clone();
            let command = params.command.clone();
            let task = tokio::spawn(async move {
                if command == VALIDATE_SELECTOR {
                    let position: Position = serde_json::from_value(arg["position"].clone()).map_err(|e| format!("position: {e}"))?;
                    heal::validate_at(&handle, &path, position).await
                } else {
                    heal::snapshot_file(&handle, &path).await
                }
            });
            let result = task.await.map_err(|e| Error { code: ErrorCode::InternalError, message: format!("argus: {e}").into(), data: None })?;
            // The client shows the answer (or the reason) to whoever ran the command.
            result.map(Some).map_err(|e| Error { code: ErrorCode::InvalidRequest, message: format!("argus: {e}").into(), data: None })
        }
        other => Err(Error::invalid_params(format!("argus: unknown command `{other}`"))),
    }
}

async fn record_heal(backend: &Backend, heal: RecordHeal) -> Result<serde_json::Value> {
    let outcome = match heal.outcome.as_deref() {
        None | Some("success") => HealOutcome::Success,
        Some("failure") => HealOutcome::Failure,
        Some(other) => return Err(Error::invalid_params(format!("argus.recordHeal: outcome `{other}` is not success or failure"))),
    };
    let backend_config = backend.ws().config().backend.clone();
    let Some(store) = failures::ensure_store(backend).await else {
        return Err(Error { code: ErrorCode::InternalError, message: "argus: no knowledge base (the store could not be opened)".into(), data: None });
    };
    let h = heal.clone();
    let pattern = tokio::task::spawn_blocking(move || {
        let record = HealRecord {
            original_selector: &h.original_selector,
            healed_selector: &h.healed_selector,
            error_type: h.error_type.as_deref(),
            page_url: h.page_url.as_deref(),
            element_context: h.element_context.clone(),
        };
        store.record_heal(&record, outcome)
    })
    .await
    .map_err(|e| Error { code: ErrorCode::InternalError, message: format!("argus: {e}").into(), data: None })?
    .map_err(|e| Error { code: ErrorCode::InternalError, message: format!("argus: {e}").into(), data: None })?;
    // The backend learns too; its answer is not waited for by the user.
    if let Some(id) = heal.pattern_id.filter(|id| !id.starts_with("local-"))
        && let Ok(Some(client)) = BackendClient::from_config(&backend_config)
    {
        tokio::spawn(async move {
            if let Err(e) = client.feedback(&id, outcome == HealOutcome::Success).await {
                tracing::warn!("{e}");
            }
        });
    }
    serde_json::to_value(pattern).map_err(|e| Error { code: ErrorCode::InternalError, message: e.to_string().into(), data: None })
}
