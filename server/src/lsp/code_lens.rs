//! `textDocument/codeLens`: above each test, how many locators and hard waits it has, and
//! its CI history (`failed 3/20 · flaky 0.35 · last 2h ago`) when it has one.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::execute_command::REFRESH;
use super::{Backend, convert, guard};
use crate::analysis::TestRecord;
use crate::analysis::failures::ago;
use crate::syntax::WaitKind;
use crate::workspace::now_ms;

pub fn handle(backend: &Backend, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    guard::request("codeLens", || {
        let path = convert::uri_to_path(&params.text_document.uri);
        let ws = backend.ws();
        let Some(analysis) = ws.analysis(&path) else { return Ok(None) };
        let model = &analysis.model;
        let now = now_ms();
        let lenses = model
            .tests
            .iter()
            .enumerate()
            .flat_map(|(i, test)| {
                let locators = model.locators.iter().filter(|l| l.test == Some(i)).count();
                let hard = model.waits.iter().filter(|w| w.test == Some(i) && w.kind == WaitKind::Hard).count();
                let mut title = plural(locators, "locator");
                if hard > 0 {
                    title.push_str(&format!(" · {}", plural(hard, "hard wait")));
                }
                let range = convert::range(analysis.doc.range(test.span.start, test.span.start, ws.encoding()));
                let mut lenses = vec![CodeLens { range, command: Some(Command { title, command: String::new(), arguments: None }), data: None }];
                if let Some(record) = ws.test_record(&path, i) {
                    let command = Command { title: history_title(record, now), command: REFRESH.into(), arguments: None };
                    lenses.push(CodeLens { range, command: Some(command), data: None });
                }
                lenses
            })
            .collect();
        Ok(Some(lenses))
    })
}

/// `failed 3/20 · flaky 0.35 · last 2h ago`; clicking it refreshes the failures.
fn history_title(t: &TestRecord, now: i64) -> String {
    let mut title = format!("failed {}/{}", t.failures, t.runs);
    if t.flakiness > 0.0 {
        title.push_str(&format!(" · flaky {:.2}", t.flakiness));
    }
    if let Some(last) = t.last_seen_ms {
        title.push_str(&format!(" · last {}", ago(now - last)));
    }
    title
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}
