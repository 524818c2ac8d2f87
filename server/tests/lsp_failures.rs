//! CI failures in the editor, end to end: the real binary over stdio, on a copy of the example
//! project with its real Playwright and pytest reports (written on another machine, with that
//! machine's absolute paths). Diagnostics on files never opened, the same spans as
//! `argus-lsp check`, hover, code lens, `argus.refresh`, `argus/status`, the report watcher,
//! bad reports, and history that survives a restart through the store.

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};
use support::{LspClient, copy_dir, examples, file_uri};



/// The example's suites and reports in a fresh directory (so the store and watcher are ours).
fn example_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["playwright", "python", "reports"] {
        copy_dir(&examples().join(sub), &dir.path().join(sub));
    }
    dir
}

fn codes(diags: &[Value]) -> Vec<&str> {
    diags.iter().map(|d| d["code"].as_str().unwrap_or_default()).collect()
}

fn ci_failures(diags: &[Value]) -> Vec<&Value> {
    diags.iter().filter(|d| d["code"] == "ci-failure").collect()
}

/// `check --reports --format json` on the same workspace: (file, line, column) of each
/// ci-failure, 1-based, workspace-relative.
fn check_spans(root: &Path) -> Vec<(String, u64, u64)> {
    let out = Command::new(support::binary())
        .current_dir(root)
        .args(["check", "playwright", "python", "--reports", "reports/**/*.json", "reports/**/*.xml", "--format", "json"])
        .output()
        .unwrap();
    let entries: Vec<Value> = serde_json::from_slice(&out.stdout).expect("check prints JSON");
    let mut spans: Vec<(String, u64, u64)> = entries
        .iter()
        .filter(|e| e["code"] == "ci-failure")
        .map(|e| (e["file"].as_str().unwrap().to_string(), e["line"].as_u64().unwrap(), e["column"].as_u64().unwrap()))
        .collect();
    spans.sort();
    spans
}

/// The latest diagnostics published for each URI, until `done` holds for the map.
fn collect_until(client: &mut LspClient, done: impl Fn(&std::collections::BTreeMap<String, Vec<Value>>) -> bool) -> std::collections::BTreeMap<String, Vec<Value>> {
    let mut latest = std::collections::BTreeMap::new();
    loop {
        let p = client.wait_notification("textDocument/publishDiagnostics", |_| true);
        latest.insert(p["uri"].as_str().unwrap().to_string(), p["diagnostics"].as_array().cloned().unwrap_or_default());
        if done(&latest) {
            return latest;
        }
    }
}

#[test]
fn failures_land_on_the_same_spans_as_check_in_files_never_opened() {
    let dir = example_workspace();
    let root = dir.path();
    let expected = check_spans(root);
    assert!(expected.len() >= 4, "check found the example's failures: {expected:?}");
    let (mut client, init) = LspClient::start(Some(root), Value::Null, &["utf-16"]);
    assert_eq!(init["capabilities"]["executeCommandProvider"]["commands"], json!(["argus.refresh", "argus.recordHeal", "argus.validateSelector", "argus.snapshotLocators"]));

    let files: Vec<String> = expected.iter().map(|(f, ..)| f.clone()).collect();
    let latest = collect_until(&mut client, |m| {
        files.iter().all(|f| m.get(&file_uri(&root.join(f))).is_some_and(|d| !ci_failures(d).is_empty()))
    });
    let mut published: Vec<(String, u64, u64)> = Vec::new();
    for (uri, diags) in &latest {
        let rel = uri.strip_prefix(&file_uri(root)).unwrap().trim_start_matches('/').to_string();
        for d in ci_failures(diags) {
            let start = &d["range"]["start"];
            published.push((rel.clone(), start["line"].as_u64().unwrap() + 1, start["character"].as_u64().unwrap() + 1));
        }
    }
    published.sort();
    assert_eq!(published, expected, "the editor and the CLI agree on every span");

    // The stale selector of the catalog spec: an error, with the fix a code action will need.
    let catalog = file_uri(&root.join("playwright/catalog.spec.ts"));
    let d = ci_failures(&latest[&catalog]).into_iter().find(|d| d["data"]["selector"].as_str().is_some_and(|s| s.contains("button.add-to-cart"))).expect("add-to-cart failure").clone();
    let text = std::fs::read_to_string(root.join("playwright/catalog.spec.ts")).unwrap();
    let (line, col) = support::utf16_position(&text, "button.add-to-cart");
    assert_eq!(d["range"]["start"], json!({ "line": line, "character": col }));
    assert_eq!(d["range"]["end"], json!({ "line": line, "character": col + "button.add-to-cart".len() as u32 }));
    let message = d["message"].as_str().unwrap();
    assert!(message.lines().next().unwrap().starts_with("fails 1/1 runs · ui_change: "), "{message}");
    assert_eq!(d["data"]["root_cause"], "ui_change");
    assert!(d["data"]["fix_kinds"].as_array().unwrap().contains(&json!("update_selector")), "{d:#}");
    assert!(!d["data"]["event_ids"].as_array().unwrap().is_empty());
    let related = &d["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], catalog, "the stack frame is in the spec");

    // Reading the reports was shown as progress, ending with what was found.
    let end = client.wait_notification("$/progress", |p| p["token"] == "argus/reports" && p["value"]["kind"] == "end");
    assert!(end["value"]["message"].as_str().unwrap().contains("4 runs"), "{end}");

    // The report lists a failure for each runner; the pytest one maps onto the Python file.
    assert!(latest.keys().any(|u| u.ends_with("python/test_shop.py")));
    client.shutdown();
}

#[test]
fn open_hover_lens_edit_refresh_and_status() {
    let dir = example_workspace();
    let root = dir.path();
    let (mut client, _) = LspClient::start(Some(root), Value::Null, &["utf-16"]);
    let path = root.join("playwright/catalog.spec.ts");
    let uri = file_uri(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    // the closed file's failures first, then the opened file's
    collect_until(&mut client, |m| m.get(&uri).is_some_and(|d| !ci_failures(d).is_empty()));
    client.open(&uri, "typescript", &text, 1);
    let diags = client.diagnostics(&uri, Some(1));
    let c = codes(&diags);
    assert!(c.contains(&"ci-failure") && c.contains(&"hard-wait") && c.contains(&"positional-selector"), "lints and failures together: {c:?}");

    let status = client.wait_notification("argus/status", |p| p["failing_tests"].as_u64().unwrap_or(0) > 0);
    assert_eq!(status["backend"], "not_configured");
    assert_eq!(status["browser"], "not_started");

    // Hover on the failing selector: root cause, evidence, message, outcome strip, fix.
    let (line, col) = support::utf16_position(&text, "button.add-to-cart");
    let hover = client
        .request("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": col + 3 } }))
        .unwrap();
    let md = hover["contents"]["value"].as_str().unwrap();
    for needle in ["CI failure", "`ui_change`", "**Root cause**", "`✗`", "Fix: update_selector", "Catalog › adds a product to the cart", "Fragility"] {
        assert!(md.contains(needle), "hover lacks {needle:?}:\n{md}");
    }
    assert_eq!(hover["range"]["start"], json!({ "line": line, "character": col }));

    // Code lens: the failing test's history, clicking it refreshes.
    let lenses = client.request("textDocument/codeLens", json!({ "textDocument": { "uri": uri } })).unwrap();
    let history: Vec<&Value> = lenses.as_array().unwrap().iter().filter(|l| l["command"]["command"] == "argus.refresh").collect();
    let titles: Vec<&str> = history.iter().map(|l| l["command"]["title"].as_str().unwrap()).collect();
    assert!(titles.iter().any(|t| t.starts_with("failed 1/1 · last ")), "{titles:?}");
    assert!(titles.iter().any(|t| t.contains("flaky")), "the flaky stock test says so: {titles:?}");

    // An edit above moves the failure with the text, and says the report predates the edit.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "// edited\n" }] }),
    );
    // At once, the failure moves with its text; once typing pauses it is re-correlated and says
    // that the report predates the edit.
    let add_to_cart = |diags: &[Value]| -> Option<Value> {
        ci_failures(diags).into_iter().find(|d| d["data"]["selector"].as_str().is_some_and(|s| s.contains("button.add-to-cart"))).cloned()
    };
    let diags = client.diagnostics(&uri, Some(2));
    let moved = add_to_cart(&diags).expect("still there");
    assert_eq!(moved["range"]["start"], json!({ "line": line + 1, "character": col }));
    let recorrelated = client.wait_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri.as_str() && p["version"] == 2 && p["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["message"].as_str().unwrap_or("").contains("report is older than the last edit")))
    });
    let moved = add_to_cart(recorrelated["diagnostics"].as_array().unwrap()).expect("still there");
    assert_eq!(moved["range"]["start"], json!({ "line": line + 1, "character": col }));

    let summary = client.request("workspace/executeCommand", json!({ "command": "argus.refresh", "arguments": [] })).unwrap();
    assert!(summary["runs"].as_u64().unwrap() >= 2, "{summary}");
    assert_eq!(summary["new_runs"], 0, "reports already read are not recorded twice");
    let err = client.request("workspace/executeCommand", json!({ "command": "argus.nope" })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("argus.nope"));
    client.shutdown();
}

#[test]
fn the_watcher_reads_new_runs_and_bad_reports_and_history_survives_a_restart() {
    let dir = example_workspace();
    let root = dir.path();
    let cache = tempfile::tempdir().unwrap();
    let env = [("XDG_CACHE_HOME", cache.path().to_str().unwrap())];
    let mut client = LspClient::spawn(&env);
    client.initialize(Some(root), Value::Null, &["utf-16"]);
    let shop = file_uri(&root.join("python/test_shop.py"));
    let first = |m: &std::collections::BTreeMap<String, Vec<Value>>, needle: &str| {
        m.get(&shop).is_some_and(|d| ci_failures(d).iter().any(|d| d["message"].as_str().unwrap().starts_with(needle)))
    };
    collect_until(&mut client, |m| first(m, "fails 1/1 runs"));

    // A second CI run of the pytest suite lands in reports/: a new run, so 2/2.
    let junit = std::fs::read_to_string(root.join("reports/pytest/junit.xml")).unwrap();
    let stamp = junit.split("timestamp=\"").nth(1).and_then(|s| s.split('"').next()).expect("pytest writes a timestamp").to_string();
    let later = junit.replace(&stamp, "2099-01-01T00:00:00.000000+00:00");
    client.backlog.retain(|m| m["method"] != "workspace/codeLens/refresh");
    std::fs::write(root.join("reports/pytest/junit-next.xml"), later).unwrap();
    collect_until(&mut client, |m| first(m, "fails 2/2 runs"));
    client.wait_for(|m| m["method"] == "workspace/codeLens/refresh", "lenses refreshed after a new run");

    // A truncated report: a diagnostic on the report itself, nothing else lost.
    let broken = root.join("reports/broken.json");
    std::fs::write(&broken, r#"{"config": {"rootDir": "/x"}, "suites": [ {"title": "#).unwrap();
    let latest = collect_until(&mut client, |m| m.contains_key(&file_uri(&broken)));
    let notes = &latest[&file_uri(&broken)];
    assert_eq!(codes(notes), ["bad-report"], "{notes:#?}");
    assert!(notes[0]["message"].as_str().unwrap().contains("broken.json"), "names the file: {notes:#?}");
    client.shutdown();

    // Restart with the reports gone: the history is in the store.
    std::fs::remove_dir_all(root.join("reports")).unwrap();
    let mut client = LspClient::spawn(&env);
    client.initialize(Some(root), Value::Null, &["utf-16"]);
    collect_until(&mut client, |m| first(m, "fails 2/2 runs"));
    client.shutdown();
}

#[test]
fn backend_failures_show_and_an_outage_is_reported_once_keeping_the_last_known() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let backend = rt.block_on(support::backend::Server::start());
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for sub in ["playwright", "python"] {
        copy_dir(&examples().join(sub), &root.join(sub));
    }
    let toml = format!(
        "[backend]\nurl = \"{}\"\ntoken_env = \"ARGUS_E2E_TOKEN\"\norganization_id = \"org-1\"\nproject_id = \"proj-123\"\npoll_seconds = 3600\n",
        backend.url
    );
    std::fs::write(root.join("argus.toml"), toml).unwrap();
    let mut client = LspClient::spawn(&[("ARGUS_E2E_TOKEN", "s3cr3t-e2e")]);
    client.initialize(Some(root), Value::Null, &["utf-16"]);

    // The backend's build names `test_add_to_cart` in module `test_shop`, selector `#buy-now`.
    let shop = file_uri(&root.join("python/test_shop.py"));
    let latest = collect_until(&mut client, |m| m.get(&shop).is_some_and(|d| !ci_failures(d).is_empty()));
    let d = ci_failures(&latest[&shop])[0].clone();
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("#buy-now") && message.contains("https://github.com/acme/shop/actions/runs/9876543210"), "{message}");
    client.wait_notification("argus/status", |p| p["backend"] == "connected");
    let authorized = backend.requests().iter().all(|r| r.header("authorization") == Some("Bearer s3cr3t-e2e"));
    assert!(authorized, "every request carries the token from the environment variable");

    // The backend goes down: the user is told once, the last known failures stay.
    backend.set(|_| support::backend::Reply::Json { status: 500, etag: None, body: b"{\"detail\":\"boom\"}".to_vec() });
    let polls = backend.requests().len();
    let summary = client.request("workspace/executeCommand", json!({ "command": "argus.refresh" })).unwrap();
    assert!(summary["findings"].as_u64().unwrap() >= 1, "{summary}");
    let shown = client.wait_notification("window/showMessage", |p| p["message"].as_str().is_some_and(|m| m.contains("500")));
    assert_eq!(shown["type"], 2, "a warning: {shown}");
    assert!(!shown["message"].as_str().unwrap().contains("s3cr3t"), "the token is never shown");
    client.wait_notification("argus/status", |p| p["backend"] == "offline");

    // Still down on the next refresh: the backend is asked again, the user is not told again.
    let after_first = backend.requests().len();
    assert!(after_first > polls);
    client.request("workspace/executeCommand", json!({ "command": "argus.refresh" })).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while backend.requests().len() < after_first + 3 {
        assert!(std::time::Instant::now() < deadline, "the refresh polled the backend again");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // the poll's update is handled on its own task: give it a moment, then a round trip
    std::thread::sleep(std::time::Duration::from_millis(300));
    let summary = client.request("workspace/executeCommand", json!({ "command": "argus.refresh" })).unwrap();
    assert!(summary["findings"].as_u64().unwrap() >= 1, "the last known failures stay: {summary}");
    let again = client.backlog.iter().filter(|m| m["method"] == "window/showMessage").count();
    assert_eq!(again, 0, "one message per outage: {:#?}", client.backlog);
    client.shutdown();
    drop(rt);
}

#[test]
fn a_recorded_heal_is_kept_in_the_knowledge_base_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&examples().join("playwright"), &dir.path().join("playwright"));
    let cache = tempfile::tempdir().unwrap();
    let env = [("XDG_CACHE_HOME", cache.path().to_str().unwrap())];
    let heal = json!({ "original_selector": "button.add-to-cart", "healed_selector": "page.getByTestId('add-to-cart')", "error_type": "TimeoutError" });
    for expected in [1, 2] {
        let mut client = LspClient::spawn(&env);
        client.initialize(Some(dir.path()), Value::Null, &["utf-16"]);
        let p = client.request("workspace/executeCommand", json!({ "command": "argus.recordHeal", "arguments": [heal] })).unwrap();
        assert_eq!(p["success_count"], expected, "{p}");
        assert_eq!(p["original_selector"], "button.add-to-cart");
        assert_eq!(p["confidence"], 1.0);
        client.shutdown();
    }
    let mut client = LspClient::spawn(&env);
    client.initialize(Some(dir.path()), Value::Null, &["utf-16"]);
    let bad = client.request("workspace/executeCommand", json!({ "command": "argus.recordHeal", "arguments": [{ "healed_selector": "x" }] })).unwrap_err();
    assert!(bad["message"].as_str().unwrap().contains("original_selector"), "{bad}");
    let p = client.request("workspace/executeCommand", json!({ "command": "argus.recordHeal", "arguments": [{ "original_selector": "button.add-to-cart", "healed_selector": "page.getByTestId('add-to-cart')", "error_type": "TimeoutError", "outcome": "failure" }] })).unwrap();
    assert_eq!((p["success_count"].as_u64(), p["failure_count"].as_u64()), (Some(2), Some(1)));
    client.shutdown();
}
