//! The loop the product promises, end to end with real tools: real Playwright (Debian
//! Chromium) fails on the example → the LSP ingests its fresh report → the LSP's quick fixes
//! are applied to the files → the same Playwright tests pass. Fixes without a browser here:
//! the expected value from what CI received (a text change), and a learned timeout for the
//! flaky stock badge. Needs tests/install-deps.sh (node_modules, chromium).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use support::{LspClient, file_uri};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/examples").canonicalize().unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A runnable copy of the example's Playwright project (node_modules linked, not copied).
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for sub in ["playwright", "app"] {
        copy_dir(&examples().join(sub), &root.join(sub));
    }
    for file in ["playwright.config.ts", "shop_server.py", "package.json"] {
        std::fs::copy(examples().join(file), root.join(file)).unwrap();
    }
    std::os::unix::fs::symlink(examples().join("node_modules"), root.join("node_modules")).unwrap();
    dir
}

/// Run the tests matching `grep` with a fresh shop server on a free port, the config's
/// retries (1) while a report is written to `report`, none when only checking the fix.
/// Returns whether every test passed (a flaky one counts as passed).
fn playwright(root: &Path, grep: &str, report: Option<&Path>) -> bool {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut cmd = Command::new("npx");
    cmd.args(["playwright", "test", "--grep", grep])
        .current_dir(root)
        .env("SHOP_PORT", port.to_string())
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .env("NO_COLOR", "1");
    match report {
        Some(r) => cmd.env("PW_REPORTERS", "list,json").env("PLAYWRIGHT_JSON_OUTPUT_NAME", r),
        None => cmd.env("PW_REPORTERS", "list").args(["--retries", "0"]),
    };
    let out = cmd.output().expect("npx (run tests/install-deps.sh)");
    eprintln!("{}", String::from_utf8_lossy(&out.stdout));
    out.status.success()
}

/// Apply a code action's versioned edits to `text`.
fn apply(text: &str, action: &Value) -> String {
    let changes = action["edit"]["documentChanges"].as_array().expect("versioned edits");
    assert_eq!(changes.len(), 1, "one file: {action:#}");
    let mut edits: Vec<&Value> = changes[0]["edits"].as_array().unwrap().iter().collect();
    let offset = |p: &Value| -> usize {
        // UTF-16 positions on ASCII sources: characters are bytes
        let line = p["line"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + p["character"].as_u64().unwrap() as usize
    };
    edits.sort_by_key(|e| std::cmp::Reverse(offset(&e["range"]["start"])));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(offset(&e["range"]["start"])..offset(&e["range"]["end"]), e["newText"].as_str().unwrap());
    }
    out
}

fn actions_at(client: &mut LspClient, uri: &str, diag: &Value) -> Vec<Value> {
    let result = client
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": diag["range"], "context": { "diagnostics": [diag] } }),
        )
        .unwrap();
    result.as_array().cloned().unwrap_or_default()
}

#[test]
fn a_failing_playwright_run_is_fixed_by_the_code_actions_and_passes_again() {
    let dir = project();
    let root = dir.path();
    let grep = "shows the order total|shows stock availability";
    std::fs::create_dir_all(root.join("reports")).unwrap();
    let report = root.join("reports/results.json");
    assert!(!playwright(root, grep, Some(&report)), "the example fails as committed (README)");

    let (mut client, _) = LspClient::start(Some(root), Value::Null, &["utf-16"]);
    for (file, needle, want) in [
        ("playwright/cart.spec.ts", "Update expected value", "toHaveText('Order total: $42.00')"),
        ("playwright/catalog.spec.ts", "Raise timeout to", "toBeVisible({ timeout: "),
    ] {
        let path = root.join(file);
        let uri = file_uri(&path);
        let text = std::fs::read_to_string(&path).unwrap();
        client.open(&uri, "typescript", &text, 1);
        // the report is read after indexing: wait for the publish that has its failures
        let diags = client.wait_notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri.as_str() && p["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["code"] == "ci-failure"))
        })["diagnostics"]
            .as_array()
            .cloned()
            .unwrap();
        let failures: Vec<&Value> = diags.iter().filter(|d| d["code"] == "ci-failure").collect();
        assert!(!failures.is_empty(), "{file}: the fresh report's failure is on the code: {diags:#?}");
        let action = failures
            .iter()
            .flat_map(|d| actions_at(&mut client, &uri, d))
            .find(|a| a["title"].as_str().is_some_and(|t| t.starts_with(needle)))
            .unwrap_or_else(|| panic!("{file}: no `{needle}` action"));
        assert_eq!(action["kind"], "quickfix");
        assert_eq!(action["isPreferred"], false, "only browser-validated heals are preferred");
        assert_eq!(action["edit"]["documentChanges"][0]["textDocument"]["version"], 1);
        let fixed = apply(&text, &action);
        assert!(fixed.contains(want), "{file}: {fixed}");
        if needle == "Raise timeout to" {
            let ms: u64 = fixed.split("toBeVisible({ timeout: ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
            assert!(ms > 1_500 && ms <= 60_000, "a longer, learned timeout: {ms}");
        }
        std::fs::write(&path, fixed).unwrap();
    }
    client.shutdown();
    assert!(playwright(root, grep, None), "the fixed tests pass against the same app");
}
