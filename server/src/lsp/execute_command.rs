//! `workspace/executeCommand`: the server's commands.
//!
//! - `argus.refresh`: read every report again and poll the backend now; answers with counts.

use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;

use super::{Backend, failures};

pub const REFRESH: &str = "argus.refresh";

/// Every command this server runs (advertised in `executeCommandProvider`).
pub const COMMANDS: [&str; 1] = [REFRESH];

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
        other => Err(Error::invalid_params(format!("argus: unknown command `{other}`"))),
    }
}
