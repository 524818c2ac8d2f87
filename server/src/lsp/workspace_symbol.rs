//! `workspace/symbol`: tests by title, across the workspace.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::{Backend, convert, guard};

/// Enough for a picker; clients filter further as the user types.
const LIMIT: usize = 500;

pub fn handle(backend: &Backend, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
    guard::request("workspace/symbol", || {
        let query = params.query.to_lowercase();
        let words: Vec<&str> = query.split_whitespace().collect();
        let ws = backend.ws();
        let mut tests = ws.all_tests();
        tests.sort_by(|a, b| (&a.0, a.1.range.start).cmp(&(&b.0, b.1.range.start)));
        let symbols = tests
            .into_iter()
            .filter(|(_, t)| {
                let title = t.title_path.join(" ").to_lowercase();
                words.iter().all(|w| title.contains(w))
            })
            .filter_map(|(path, t)| {
                let uri = convert::path_to_uri(&path)?;
                let (groups, name) = t.title_path.split_at(t.title_path.len().saturating_sub(1));
                #[allow(deprecated)]
                Some(SymbolInformation {
                    name: name.first().cloned().unwrap_or_default(),
                    kind: SymbolKind::METHOD,
                    tags: None,
                    deprecated: None,
                    location: Location { uri, range: convert::range(t.name_range) },
                    container_name: if groups.is_empty() { None } else { Some(groups.join(" › ")) },
                })
            })
            .take(LIMIT)
            .collect();
        Ok(Some(WorkspaceSymbolResponse::Flat(symbols)))
    })
}
