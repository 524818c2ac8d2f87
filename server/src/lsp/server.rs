//! The `LanguageServer` trait, dispatching each method to its module.

use tower_lsp_server::LanguageServer;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::Backend;

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        super::initialize::handle(self, params)
    }

    async fn initialized(&self, _: InitializedParams) {
        super::initialized::handle(self).await
    }

    async fn shutdown(&self) -> Result<()> {
        super::failures::stop(self);
        if let Some(mut browser) = self.browser.lock().await.take() {
            browser.shutdown().await;
        }
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        super::did_open::handle(self, params).await
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        super::did_change::handle(self, params).await
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        super::did_close::handle(self, params).await
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        super::did_change_configuration::handle(self, params).await
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        super::did_change_watched_files::handle(self, params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        super::hover::handle(self, params)
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        super::document_symbol::handle(self, params)
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        super::workspace_symbol::handle(self, params)
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        super::code_lens::handle(self, params)
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        super::code_action::handle(self, params)
    }

    async fn code_action_resolve(&self, params: CodeAction) -> Result<CodeAction> {
        super::code_action::resolve(self, params).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        super::execute_command::handle(self, params).await
    }
}
