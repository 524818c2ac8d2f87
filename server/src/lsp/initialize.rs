//! `initialize`: negotiate the position encoding, find the root, load the config.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::{Backend, ClientCaps, convert, guard};
use crate::text::PositionEncoding;
use crate::workspace::Workspace;

pub fn handle(backend: &Backend, params: InitializeParams) -> Result<InitializeResult> {
    guard::request("initialize", || {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .map(|v| v.iter().map(|k| k.as_str().to_string()).collect::<Vec<_>>())
            .unwrap_or_default();
        let encoding = PositionEncoding::negotiate(offered.iter().map(String::as_str));

        #[allow(deprecated)] // root_uri: for clients that send no workspace folders
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| convert::uri_to_path(&f.uri))
            .or_else(|| params.root_uri.as_ref().map(convert::uri_to_path));

        let workspace = params.capabilities.workspace.as_ref();
        *super::lock(&backend.caps) = ClientCaps {
            dynamic_watched_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            work_done_progress: params.capabilities.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false),
            code_lens_refresh: workspace.and_then(|w| w.code_lens.as_ref()).and_then(|c| c.refresh_support).unwrap_or(false),
        };

        let mut ws = Workspace::new(root, encoding);
        let mut report = ws.load_config_file();
        let from_client = ws.set_client_settings(params.initialization_options.clone());
        report.warnings.extend(from_client.warnings);
        report.error = report.error.or(from_client.error);
        backend.log.set_level(&ws.config().log_level);
        for w in &report.warnings {
            tracing::warn!("{w}");
        }
        if let Some(e) = &report.error {
            tracing::error!("{e}");
        }
        *backend.ws() = ws;
        *super::lock(&backend.startup_report) = Some(report);

        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(convert::encoding_kind(encoding)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    ..Default::default()
                })),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                    code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                    resolve_provider: Some(true),
                    ..Default::default()
                })),
                code_lens_provider: Some(CodeLensOptions { resolve_provider: Some(false) }),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: super::execute_command::COMMANDS.iter().map(|c| c.to_string()).collect(),
                    ..Default::default()
                }),
                ..Default::default()
            },
            server_info: Some(ServerInfo { name: "argus-lsp".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            offset_encoding: None,
        })
    })
}
