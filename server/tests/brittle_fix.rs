//! The quick fix on brittle-selector lints: a sturdier locator for the element the brittle
//! one finds today, proved in real Chromium on `codeAction/resolve`, never a locator that is
//! brittle itself. Real binary over stdio, pages on 127.0.0.1.

mod heal_support;
mod support;

use heal_support::{PageServer, pages_dir};
use serde_json::{Value, json};
use support::{LspClient, file_uri};

const SPEC: &str = "import { test } from '@playwright/test';\n\ntest('orders', async ({ page }) => {\n  await page.goto('/shop.html');\n  await page.locator('main > div > button:nth-child(2)').click();\n  await page.locator('div.actions button').click();\n});\n";

fn replace_action(client: &mut LspClient, uri: &str, diag: &Value) -> Value {
    let actions = client
        .request("textDocument/codeAction", json!({ "textDocument": { "uri": uri }, "range": diag["range"], "context": { "diagnostics": [diag] } }))
        .unwrap();
    let action = actions.as_array().into_iter().flatten().find(|a| a["title"].as_str().is_some_and(|t| t.starts_with("Replace brittle selector"))).cloned();
    let action = action.unwrap_or_else(|| panic!("offered on {diag}: {actions:#}"));
    assert!(action.get("edit").is_none(), "the browser work waits for resolve");
    client.request("codeAction/resolve", action).unwrap()
}

#[test]
fn a_positional_selector_is_replaced_by_a_validated_test_id_for_the_same_element() {
    let server = PageServer::start(pages_dir());
    let ws = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(ws.path().join("e2e")).unwrap();
    let spec = ws.path().join("e2e/order.spec.ts");
    std::fs::write(&spec, SPEC).unwrap();
    // No combinator allowed: `div.actions button` lints as deep.
    std::fs::write(ws.path().join("argus.toml"), format!("[browser]\nbase_url = \"{}\"\n[selectors]\nmax_combinators = 0\n", server.url(""))).unwrap();
    let uri = file_uri(&spec);
    let mut client = LspClient::spawn(&[]);
    client.initialize(Some(ws.path()), Value::Null, &["utf-16"]);
    client.open(&uri, "typescript", SPEC, 1);
    let diags = client.diagnostics(&uri, Some(1));
    let positional = diags.iter().find(|d| d["code"] == "positional-selector").unwrap_or_else(|| panic!("{diags:#?}"));
    let resolved = replace_action(&mut client, &uri, positional);
    assert_eq!(resolved["title"], "Replace brittle selector → page.getByTestId('place-order') ✓ 1 match", "{resolved:#}");
    assert_eq!(resolved["isPreferred"], true);
    let edits = &resolved["edit"]["documentChanges"][0]["edits"];
    assert_eq!(edits.as_array().map(Vec::len), Some(1));
    assert_eq!(edits[0]["newText"], "getByTestId('place-order')", "only the element part of the call: {edits}");
    assert_eq!(edits[0]["range"]["start"], json!({ "line": 4, "character": 13 }));

    // `div.actions button` finds two buttons: nothing replaces it, and the reason is given.
    let deep = diags.iter().find(|d| d["code"] == "deep-selector" && d["range"]["start"]["line"] == 5).unwrap_or_else(|| panic!("{diags:#?}"));
    let disabled = replace_action(&mut client, &uri, deep);
    assert_eq!(
        disabled["disabled"]["reason"],
        "`div.actions button` matches 2 elements now; it can only be replaced while it finds its element",
        "{disabled:#}"
    );
    assert!(disabled.get("edit").is_none());
    client.shutdown();
}
