//! The real `argus-lsp` binary over stdio: initialize → didOpen → publishDiagnostics → hover →
//! documentSymbol → codeLens → workspace/symbol → shutdown/exit, plus the ways clients and
//! users break things.

mod support;

use serde_json::{Value, json};
use support::{LspClient, file_uri, utf16_position};

const SPEC: &str = r#"import { test, expect } from '@playwright/test';

test.describe('cart', () => {
  test('adds an item 😀', async ({ page }) => {
    await page.goto('/shop');
    await test.step('pick', async () => {
      await page.locator('ul.products > li:nth-child(2) button').click();
    });
    await page.waitForTimeout(3000);
    await expect(page.getByTestId('cart-count')).toHaveText('1');
  });
});
"#;

fn codes(diags: &[Value]) -> Vec<String> {
    diags.iter().map(|d| d["code"].as_str().unwrap_or_default().to_string()).collect()
}

fn workspace_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn negotiates_utf8_when_offered_and_utf16_otherwise() {
    let (client, result) = LspClient::start(None, Value::Null, &["utf-16", "utf-8"]);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(result["serverInfo"]["name"], "argus-lsp");
    client.shutdown();
    let (client, result) = LspClient::start(None, Value::Null, &["utf-32"]);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    client.shutdown();
}

#[test]
fn full_session_diagnostics_hover_symbols_lens() {
    let dir = workspace_with(&[("e2e/cart.spec.ts", SPEC)]);
    let (mut client, _) = LspClient::start(Some(dir.path()), Value::Null, &["utf-16"]);
    let uri = file_uri(&dir.path().join("e2e/cart.spec.ts"));
    client.open(&uri, "typescript", SPEC, 1);
    let diags = client.diagnostics(&uri, Some(1));
    assert_eq!(codes(&diags), ["positional-selector", "hard-wait"], "{diags:#?}");

    // The positional lint sits on the selector's contents, in UTF-16 columns past the emoji line.
    let (line, col) = utf16_position(SPEC, "ul.products > li:nth-child(2) button");
    assert_eq!(diags[0]["range"]["start"], json!({ "line": line, "character": col }));
    assert_eq!(diags[0]["range"]["end"], json!({ "line": line, "character": col + 36 }));
    assert_eq!(diags[0]["source"], "argus");
    assert!(diags[0]["codeDescription"]["href"].as_str().unwrap().ends_with("#positional-selector"));
    let first_line = diags[1]["message"].as_str().unwrap().lines().next().unwrap().to_string();
    assert_eq!(first_line, "hard wait of 3000 ms: `waitForTimeout` sleeps whether or not the page is ready");
    assert_eq!(diags[1]["severity"], 2);

    let (line, col) = utf16_position(SPEC, "getByTestId");
    let hover = client
        .request("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": col + 3 } }))
        .unwrap();
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("test_id") || text.contains("testid"), "{text}");
    assert!(text.contains("**Fragility 1**"), "{text}");

    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } })).unwrap();
    assert_eq!(symbols[0]["name"], "cart");
    assert_eq!(symbols[0]["children"][0]["name"], "adds an item 😀");
    assert_eq!(symbols[0]["children"][0]["children"][0]["name"], "pick");

    let lenses = client.request("textDocument/codeLens", json!({ "textDocument": { "uri": uri } })).unwrap();
    assert_eq!(lenses[0]["command"]["title"], "2 locators · 1 hard wait");
    assert_eq!(lenses[0]["range"]["start"]["line"], 3);
    client.shutdown();
}

#[test]
fn workspace_symbols_come_from_the_index_of_files_never_opened() {
    let dir = workspace_with(&[
        ("tests/login.spec.ts", "import { test } from '@playwright/test';\ntest('logs in with SSO', async () => {});\n"),
        ("py/test_checkout.py", "def test_checkout_total(driver):\n    pass\n"),
        ("node_modules/pkg/x.spec.ts", "test('vendored test', async () => {});\n"),
    ]);
    let (mut client, _) = LspClient::start(Some(dir.path()), Value::Null, &["utf-16"]);
    client.wait_notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.contains("argus: indexed")));
    let found = client.request("workspace/symbol", json!({ "query": "sso" })).unwrap();
    assert_eq!(found.as_array().unwrap().len(), 1, "{found:#?}");
    assert_eq!(found[0]["name"], "logs in with SSO");
    assert!(found[0]["location"]["uri"].as_str().unwrap().ends_with("tests/login.spec.ts"));
    let found = client.request("workspace/symbol", json!({ "query": "checkout" })).unwrap();
    assert_eq!(found[0]["name"], "test_checkout_total");
    let vendored = client.request("workspace/symbol", json!({ "query": "vendored" })).unwrap();
    assert_eq!(vendored, json!([]), "node_modules is not indexed");
    client.shutdown();
}

#[test]
fn stale_and_out_of_order_changes_are_rejected() {
    let (mut client, _) = LspClient::start(None, Value::Null, &["utf-16"]);
    let uri = "untitled:Untitled-1";
    client.open(uri, "typescript", "await page.waitForTimeout(1);\n", 5);
    assert_eq!(codes(&client.diagnostics(uri, Some(5))), ["hard-wait"]);
    let change = |version: i64, text: &str| {
        json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] })
    };
    // An older version arrives late: ignored.
    client.notify("textDocument/didChange", change(4, "await page.locator('/html/body/div').click();\n"));
    // The same version again: ignored.
    client.notify("textDocument/didChange", change(5, "await page.locator('/html/body/div').click();\n"));
    // A newer one, incremental: replaces `1` with `2000`.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 6 }, "contentChanges": [
            { "range": { "start": { "line": 0, "character": 26 }, "end": { "line": 0, "character": 27 } }, "text": "2000" }
        ]}),
    );
    let diags = client.diagnostics(uri, Some(6));
    assert_eq!(codes(&diags), ["hard-wait"]);
    assert!(diags[0]["message"].as_str().unwrap().starts_with("hard wait of 2000 ms"), "{diags:#?}");
    assert!(
        !client.backlog.iter().any(|m| m["params"]["version"] == json!(4)),
        "nothing is published for the stale version"
    );
    client.shutdown();
}

#[test]
fn a_panicking_handler_answers_with_an_error_and_the_server_lives_on() {
    let mut client = LspClient::spawn(&[("ARGUS_DEBUG_PANIC", "1")]);
    client.initialize(None, Value::Null, &["utf-16"]);
    let err = client.request("argus/debugPanic", Value::Null).unwrap_err();
    assert_eq!(err["code"], -32603);
    assert!(err["message"].as_str().unwrap().contains("deliberate panic"), "{err}");
    let uri = "untitled:after-panic";
    client.open(uri, "typescript", "await page.waitForTimeout(5);\n", 1);
    assert_eq!(codes(&client.diagnostics(uri, Some(1))), ["hard-wait"]);
    client.shutdown();
}

#[test]
fn bad_input_is_skipped_with_a_reason_and_the_server_answers_the_next_request() {
    let (mut client, _) = LspClient::start(None, json!({ "max_file_size": 20_000_000 }), &["utf-16"]);

    let binary = "\u{0}\u{1}ELF garbage\u{0}";
    client.open("untitled:binary.ts", "typescript", binary, 1);
    let diags = client.diagnostics("untitled:binary.ts", Some(1));
    assert_eq!(codes(&diags), ["skipped"]);
    assert!(diags[0]["message"].as_str().unwrap().contains("binary content"));

    let huge = "// padding\n".repeat(50 * 1024 * 1024 / 11);
    client.open("untitled:huge.ts", "typescript", &huge, 1);
    let diags = client.diagnostics("untitled:huge.ts", Some(1));
    assert!(diags[0]["message"].as_str().unwrap().contains("over max_file_size"), "{diags:#?}");

    let nested = format!("const x = {}1{};\nawait page.waitForTimeout(9);\n", "[".repeat(10_000), "]".repeat(10_000));
    client.open("untitled:nested.ts", "typescript", &nested, 1);
    client.diagnostics("untitled:nested.ts", Some(1));

    let nested_py = format!("x = {}1{}\ntime.sleep(1)\n", "(".repeat(10_000), ")".repeat(10_000));
    client.open("untitled:nested.py", "python", &nested_py, 1);
    client.diagnostics("untitled:nested.py", Some(1));

    let broken = "test('x', async ({ page }) => { await page.waitForTimeout(100); ))) }}} (((\n".repeat(200);
    client.open("untitled:broken.ts", "typescript", &broken, 1);
    let diags = client.diagnostics("untitled:broken.ts", Some(1));
    assert!(!diags.is_empty(), "what is understood in a broken file is still linted");

    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": "untitled:nested.ts" } }));
    assert!(symbols.is_ok(), "the server answers after all of that");
    client.shutdown();
}

#[test]
fn client_settings_override_argus_toml_and_bad_config_keeps_the_last_good_one() {
    let dir = workspace_with(&[("argus.toml", "colour = \"red\"\n[lints]\nhard-wait = \"info\"\n")]);
    let (mut client, _) =
        LspClient::start(Some(dir.path()), json!({ "lints": { "positional-selector": "off" } }), &["utf-16"]);
    let warning = client.wait_notification("window/showMessage", |p| p["type"] == 2);
    assert!(warning["message"].as_str().unwrap().contains("unknown key `colour`"), "{warning}");
    let uri = "untitled:config.ts";
    client.open(uri, "typescript", "await page.waitForTimeout(1);\npage.locator('li:nth-child(2)');\n", 1);
    let diags = client.diagnostics(uri, Some(1));
    assert_eq!(codes(&diags), ["hard-wait"], "positional-selector is off");
    assert_eq!(diags[0]["severity"], 3, "hard-wait is info from argus.toml");

    client.notify("workspace/didChangeConfiguration", json!({ "settings": { "argus": { "fail_level": "loud" } } }));
    let error = client.wait_notification("window/showMessage", |p| p["type"] == 1);
    assert!(error["message"].as_str().unwrap().contains("keeping the last good configuration"), "{error}");
    client.notify("workspace/didChangeConfiguration", json!({ "settings": { "argus": { "lints": { "hard-wait": "error" } } } }));
    // Republished with the new severity (an unchanged republish after the bad config may come first).
    client.wait_notification("textDocument/publishDiagnostics", |p| p["uri"] == uri && p["diagnostics"][0]["severity"] == 1);

    std::fs::write(dir.path().join("argus.toml"), "[lints]\nhard-wait = \n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&dir.path().join("argus.toml")), "type": 2 }] }),
    );
    let error = client.wait_notification("window/showMessage", |p| p["type"] == 1);
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("argus.toml:2:"), "names file and line: {message}");
    client.shutdown();
}
