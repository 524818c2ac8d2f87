//! `textDocument/codeLens`: above each test, how many locators and hard waits it has.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::{Backend, convert, guard};
use crate::syntax::WaitKind;

pub fn handle(backend: &Backend, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    guard::request("codeLens", || {
        let path = convert::uri_to_path(&params.text_document.uri);
        let ws = backend.ws();
        let Some(analysis) = ws.analysis(&path) else { return Ok(None) };
        let model = &analysis.model;
        let lenses = model
            .tests
            .iter()
            .enumerate()
            .map(|(i, test)| {
                let locators = model.locators.iter().filter(|l| l.test == Some(i)).count();
                let hard = model.waits.iter().filter(|w| w.test == Some(i) && w.kind == WaitKind::Hard).count();
                let mut title = plural(locators, "locator");
                if hard > 0 {
                    title.push_str(&format!(" · {}", plural(hard, "hard wait")));
                }
                let range = convert::range(analysis.doc.range(test.span.start, test.span.start, ws.encoding()));
                CodeLens { range, command: Some(Command { title, command: String::new(), arguments: None }), data: None }
            })
            .collect();
        Ok(Some(lenses))
    })
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}
