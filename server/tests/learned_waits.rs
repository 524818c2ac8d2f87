//! Learned waits: the browser sees how long an element takes to show after the navigation
//! (here a page whose script blocks for 1.5 s before the button exists), the knowledge base
//! keeps it per selector, and the hard-wait quick fix sizes its timeout from it
//! (p95 × 1.2) instead of the 5 s it uses when nothing is known. Real binary, real Chromium.

mod heal_support;
mod support;

use heal_support::PageServer;
use serde_json::{Value, json};
use support::{LspClient, file_uri, utf16_position};

const SPEC: &str = "import { test } from '@playwright/test';\n\ntest('pays', async ({ page }) => {\n  await page.goto('/slow.html');\n  await page.waitForTimeout(3000);\n  await page.getByTestId('pay').click();\n});\n";

/// The timeout the hard-wait fix at the `waitForTimeout` call proposes.
fn proposed_timeout(client: &mut LspClient, uri: &str) -> u64 {
    let (line, col) = utf16_position(SPEC, "waitForTimeout");
    let range = json!({ "start": { "line": line, "character": col }, "end": { "line": line, "character": col } });
    let actions = client.request("textDocument/codeAction", json!({ "textDocument": { "uri": uri }, "range": range, "context": { "diagnostics": [] } })).unwrap();
    let edit = actions
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|a| a["edit"]["documentChanges"][0]["edits"].as_array().cloned().unwrap_or_default())
        .map(|e| e["newText"].as_str().unwrap_or_default().to_string())
        .find(|t| t.contains("toBeVisible"))
        .unwrap_or_else(|| panic!("a web-first wait is offered: {actions:#}"));
    let n = edit.split("timeout: ").nth(1).and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next()).and_then(|d| d.parse().ok());
    assert_eq!(edit, format!("expect(page.getByTestId('pay')).toBeVisible({{ timeout: {} }})", n.unwrap_or(0)), "{edit}");
    n.unwrap()
}

#[test]
fn a_wait_is_sized_from_how_long_the_browser_saw_the_element_take() {
    let ws = tempfile::tempdir().unwrap();
    let site = ws.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(
        site.join("slow.html"),
        "<!doctype html><html><head><title>Pay</title></head><body>\n<script>const t0 = Date.now(); while (Date.now() - t0 < 1500) {}</script>\n<button data-testid=\"pay\">Pay</button>\n</body></html>\n",
    )
    .unwrap();
    let server = PageServer::start(site);
    std::fs::create_dir_all(ws.path().join("e2e")).unwrap();
    let spec = ws.path().join("e2e/pay.spec.ts");
    std::fs::write(&spec, SPEC).unwrap();
    std::fs::write(ws.path().join("argus.toml"), format!("[browser]\nbase_url = \"{}\"\n", server.url(""))).unwrap();
    let cache = tempfile::tempdir().unwrap();
    let env = [("XDG_CACHE_HOME", cache.path().to_str().unwrap())];
    let uri = file_uri(&spec);

    let mut client = LspClient::spawn(&env);
    client.initialize(Some(ws.path()), Value::Null, &["utf-16"]);
    client.open(&uri, "typescript", SPEC, 1);
    client.diagnostics(&uri, Some(1));
    assert_eq!(proposed_timeout(&mut client, &uri), 5_000, "nothing learned yet: the documented default");

    let snap = client.request("workspace/executeCommand", json!({ "command": "argus.snapshotLocators", "arguments": [{ "textDocument": { "uri": uri } }] })).unwrap();
    assert_eq!(snap["recorded"], json!(["pay"]), "{snap}");
    let learned = proposed_timeout(&mut client, &uri);
    assert!((1_800..5_000).contains(&learned), "1.5 s × 1.2 at least, less than the default: {learned}");
    client.shutdown();

    // Kept in the knowledge base: the next session sizes the wait the same way once its
    // store is open (it opens in the background after indexing).
    let mut client = LspClient::spawn(&env);
    client.initialize(Some(ws.path()), Value::Null, &["utf-16"]);
    client.open(&uri, "typescript", SPEC, 1);
    client.diagnostics(&uri, Some(1));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut after_restart = proposed_timeout(&mut client, &uri);
    while after_restart != learned && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
        after_restart = proposed_timeout(&mut client, &uri);
    }
    assert_eq!(after_restart, learned);
    client.shutdown();
}
