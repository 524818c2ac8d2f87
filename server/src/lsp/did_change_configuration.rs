//! `workspace/didChangeConfiguration`: client settings over `argus.toml`; the last good config
//! stays in force when the new one is invalid.

use tower_lsp_server::ls_types::*;

use super::{Backend, diagnostics, failures, guard, initialized};

pub async fn handle(backend: &Backend, params: DidChangeConfigurationParams) {
    // Clients send either the settings object or `{ "argus": { … } }`.
    let settings = match params.settings {
        serde_json::Value::Object(mut map) if map.contains_key("argus") => map.remove("argus").unwrap_or_default(),
        other => other,
    };
    let report = guard::notification("didChangeConfiguration", || {
        let mut ws = backend.ws();
        let report = ws.set_client_settings(Some(settings));
        backend.log.set_level(&ws.config().log_level);
        report
    });
    if let Some(report) = report {
        initialized::show_config_report(&backend.client, &report).await;
    }
    diagnostics::republish_all(backend).await;
    failures::restart_if_changed(backend).await;
}
