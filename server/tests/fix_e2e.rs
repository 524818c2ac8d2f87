//! The loop the product promises, end to end with real tools: real Playwright (Debian
//! Chromium) fails on the example → the LSP ingests its fresh report → the LSP's quick fixes
//! are applied to the files → the same Playwright tests pass. Fixes without a browser here:
//! the expected value from what CI received (a text change), and a learned timeout for the
//! flaky stock badge. Needs tests/install-deps.sh (node_modules, chromium).

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};
use support::{LspClient, copy_dir, diagnostics_with_failure, examples, file_uri, git};



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

/// The (unresolved) "Heal selector" action offered on `diag`.
fn heal_action(client: &mut LspClient, uri: &str, diag: &Value) -> Value {
    let actions = actions_at(client, uri, diag);
    actions.into_iter().find(|a| a["title"].as_str().is_some_and(|t| t.starts_with("Heal selector"))).expect("a heal is offered")
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
        let diags = diagnostics_with_failure(&mut client, &uri);
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

/// Serves `dir` on 127.0.0.1:`port` (Python's http.server, fixed arguments); killed on drop.
struct Site(std::process::Child);

impl Site {
    fn start(dir: &Path, port: u16) -> Site {
        let child = Command::new("python3")
            .args(["-m", "http.server", &port.to_string(), "--bind", "127.0.0.1", "--directory"])
            .arg(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(std::time::Instant::now() < deadline, "the page server did not start");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Site(child)
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A Playwright project against a static copy of the shop page served on 127.0.0.1: the
/// page in `site/index.html`, specs in `e2e/`, JSON reports where `run` is told.
struct ShopProject {
    dir: tempfile::TempDir,
    _site: Site,
}

impl ShopProject {
    fn new(specs: &[(&str, &str)]) -> ShopProject {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let site = root.join("site");
        std::fs::create_dir_all(&site).unwrap();
        std::fs::copy(pages().join("shop.html"), site.join("index.html")).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let server = Site::start(&site, port);
        let base = format!("http://127.0.0.1:{port}");
        std::fs::create_dir_all(root.join("e2e")).unwrap();
        for (name, text) in specs {
            std::fs::write(root.join("e2e").join(name), text).unwrap();
        }
        std::fs::write(
            root.join("playwright.config.ts"),
            format!(
                "import {{ defineConfig }} from '@playwright/test';\nexport default defineConfig({{\n  testDir: './e2e',\n  retries: 0,\n  workers: 1,\n  reporter: [['list'], ['json', {{ outputFile: process.env.REPORT ?? 'reports/ignored.json' }}]],\n  use: {{ baseURL: '{base}', actionTimeout: 2000, launchOptions: {{ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] }} }},\n}});\n"
            ),
        )
        .unwrap();
        std::fs::write(root.join("argus.toml"), format!("[browser]\nbase_url = \"{base}\"\n")).unwrap();
        std::fs::copy(examples().join("package.json"), root.join("package.json")).unwrap();
        std::os::unix::fs::symlink(examples().join("node_modules"), root.join("node_modules")).unwrap();
        ShopProject { dir, _site: server }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The app changes its page (`site/index.html`) to the fixture `page`.
    fn serve(&self, page: &str) {
        std::fs::copy(pages().join(page), self.root().join("site/index.html")).unwrap();
    }

    /// Run the suite; with `report`, its JSON report lands there. Whether it passed.
    fn run(&self, report: Option<&Path>) -> bool {
        let mut cmd = Command::new("npx");
        cmd.args(["playwright", "test"]).current_dir(self.root()).env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1").env("NO_COLOR", "1");
        if let Some(r) = report {
            cmd.env("REPORT", r);
        }
        let out = cmd.output().expect("npx");
        eprintln!("{}", String::from_utf8_lossy(&out.stdout));
        out.status.success()
    }

    /// A failing CI run's report, moved into `reports/` whole (as CI artifacts arrive).
    fn failing_ci_run(&self) {
        std::fs::create_dir_all(self.root().join("reports")).unwrap();
        let tmp_report = self.root().join("results.tmp.json");
        assert!(!self.run(Some(&tmp_report)), "the changed page breaks the tests");
        std::fs::rename(&tmp_report, self.root().join("reports/results.json")).unwrap();
    }
}

fn pages() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/pages")
}

const BUY_SPEC: &str = "import { test, expect } from '@playwright/test';\n\ntest('buys the lamp', async ({ page }) => {\n  await page.goto('/index.html');\n  await page.getByTestId('buy-lamp').click();\n  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();\n});\n";

#[test]
fn a_changed_test_id_is_healed_in_chromium_from_the_ci_report_and_the_rerun_passes() {
    let spec = BUY_SPEC;
    // Another test file with the same selector: the knowledge base should heal it too.
    let spec2 = "import { test } from '@playwright/test';\n\ntest('buys it again', async ({ page }) => {\n  await page.goto('/index.html');\n  await page.getByTestId('buy-lamp').click();\n});\n\ntest('buys it twice', async ({ page }) => {\n  await page.goto('/index.html');\n  await page.getByTestId('buy-lamp').dblclick();\n});\n";
    let project = ShopProject::new(&[("shop.spec.ts", spec), ("again.spec.ts", spec2)]);
    let root = project.root();
    let run = |report: Option<&Path>| project.run(report);
    assert!(run(None), "the suite passes against today's page");
    // And a Selenium test in Python on the same button, written the Selenium way.
    let base = std::fs::read_to_string(root.join("argus.toml")).unwrap().split('"').nth(1).unwrap().to_string();
    let py = format!("from selenium.webdriver.common.by import By\n\n\ndef test_buys_the_lamp(driver):\n    driver.get(\"{base}/index.html\")\n    driver.find_element(By.CSS_SELECTOR, \"[data-testid='buy-lamp']\").click()\n");
    std::fs::create_dir_all(root.join("tests")).unwrap();
    std::fs::write(root.join("tests/conftest.py"), CONFTEST).unwrap();
    std::fs::write(root.join("tests/test_lamp.py"), &py).unwrap();
    assert!(pytest(root, None), "the Selenium test passes against today's page");

    // One cache directory (the store) for both server sessions below.
    let cache = tempfile::tempdir().unwrap();
    let env = [("XDG_CACHE_HOME", cache.path().to_str().unwrap())];
    let mut client = LspClient::spawn(&env);
    client.initialize(Some(root), Value::Null, &["utf-16"]);
    let uri = file_uri(&root.join("e2e/shop.spec.ts"));
    client.open(&uri, "typescript", spec, 1);
    client.diagnostics(&uri, Some(1));
    // While the locator works: record what its element looks like.
    let snap = client.request("workspace/executeCommand", json!({ "command": "argus.snapshotLocators", "arguments": [{ "textDocument": { "uri": uri } }] })).unwrap();
    assert!(snap["recorded"].as_array().unwrap().contains(&json!("buy-lamp")), "{snap}");
    let (line, col) = support::utf16_position(spec, "buy-lamp");
    let ok = client.request("workspace/executeCommand", json!({ "command": "argus.validateSelector", "arguments": [{ "textDocument": { "uri": uri }, "position": { "line": line, "character": col } }] })).unwrap();
    assert_eq!((ok["matches"].as_u64(), ok["visible"].as_u64()), (Some(1), Some(1)), "{ok}");
    client.wait_notification("argus/status", |p| p["browser"] == "ready");

    // The app renames the test id; CI fails and its report lands in reports/.
    project.serve("shop-testid-changed.html");
    project.failing_ci_run();
    assert!(!pytest(root, Some(&root.join("reports/junit.xml"))), "the changed page breaks the Selenium test too");

    let failure = diagnostics_with_failure(&mut client, &uri).into_iter().find(|d| d["code"] == "ci-failure").unwrap();
    assert_eq!(failure["range"]["start"], json!({ "line": line, "character": col }), "on the test id: {failure:#}");
    let heal = heal_action(&mut client, &uri, &failure);
    assert!(heal.get("edit").is_none(), "the browser work waits for resolve: {heal:#}");
    let resolved = client.request("codeAction/resolve", heal).unwrap();
    assert_eq!(resolved["title"], "Heal selector → page.getByTestId('add-lamp') ✓ 1 match", "{resolved:#}");
    assert_eq!(resolved["isPreferred"], true, "validated in Chromium");
    let fixed = apply(spec, &resolved);
    assert!(fixed.contains("  await page.getByTestId('add-lamp').click();\n"), "{fixed}");
    let recorded = client.request("workspace/executeCommand", resolved["command"].clone()).unwrap();
    assert_eq!((recorded["original_selector"].as_str(), recorded["success_count"].as_u64()), (Some("buy-lamp"), Some(1)), "{recorded}");
    client.shutdown();
    std::fs::write(root.join("e2e/shop.spec.ts"), fixed).unwrap();

    // After a restart, the other test file's failure gets the heal from the knowledge base.
    let mut client = LspClient::spawn(&env);
    client.initialize(Some(root), Value::Null, &["utf-16"]);
    let uri2 = file_uri(&root.join("e2e/again.spec.ts"));
    client.open(&uri2, "typescript", spec2, 1);
    let failure2 = diagnostics_with_failure(&mut client, &uri2).into_iter().find(|d| d["code"] == "ci-failure").unwrap();
    let offered = actions_at(&mut client, &uri2, &failure2);
    let heal2 = offered.iter().find(|a| a["title"].as_str().is_some_and(|t| t.starts_with("Heal selector"))).expect("a heal is offered").clone();
    let resolved2 = client.request("codeAction/resolve", heal2).unwrap();
    assert_eq!(resolved2["title"], "Heal selector → page.getByTestId('add-lamp') ✓ 1 match (healed before)", "{resolved2:#}");
    // Both failing calls of the file at once.
    let all = offered.iter().find(|a| a["title"] == "Heal all 2 failing selectors in this file (validate in Chromium)").expect("heal all").clone();
    let resolved_all = client.request("codeAction/resolve", all).unwrap();
    assert_eq!(resolved_all["title"], "Heal 2 selectors in this file ✓ each 1 match", "{resolved_all:#}");
    let fixed2 = apply(spec2, &resolved_all);
    assert_eq!(fixed2.matches("page.getByTestId('add-lamp')").count(), 2, "{fixed2}");
    let recorded = client.request("workspace/executeCommand", resolved_all["command"].clone()).unwrap();
    assert_eq!(recorded["success_count"].as_u64(), Some(3), "each heal counted: {recorded}");

    // The heal made in TypeScript serves the Python Selenium test: written as Selenium,
    // proved on the page, offered as healed before.
    let py_uri = file_uri(&root.join("tests/test_lamp.py"));
    client.open(&py_uri, "python", &py, 1);
    let py_failure = diagnostics_with_failure(&mut client, &py_uri).into_iter().find(|d| d["code"] == "ci-failure").unwrap();
    let py_heal = heal_action(&mut client, &py_uri, &py_failure);
    let py_resolved = client.request("codeAction/resolve", py_heal).unwrap();
    assert_eq!(py_resolved["title"], "Heal selector → (By.CSS_SELECTOR, '[data-testid=\"add-lamp\"]') ✓ 1 match (healed before)", "{py_resolved:#}");
    let py_fixed = apply(&py, &py_resolved);
    assert!(py_fixed.contains("driver.find_element(By.CSS_SELECTOR, '[data-testid=\"add-lamp\"]').click()"), "{py_fixed}");
    client.shutdown();
    std::fs::write(root.join("e2e/again.spec.ts"), fixed2).unwrap();
    std::fs::write(root.join("tests/test_lamp.py"), py_fixed).unwrap();

    assert!(run(None), "the healed tests pass against the changed page");
    assert!(pytest(root, None), "the healed Selenium test passes too");
}

#[test]
fn a_test_id_renamed_by_an_app_commit_is_healed_from_git_history_without_any_snapshot() {
    let project = ShopProject::new(&[("shop.spec.ts", BUY_SPEC)]);
    let root = project.root();
    git(root, &["init", "-q"]);
    git(root, &["add", "site", "e2e"]);
    git(root, &["commit", "-q", "-m", "The shop page and its test"]);
    assert!(project.run(None), "the suite passes against today's page");

    // No snapshot was ever recorded: the page alone cannot say which element `buy-lamp` was.
    // The developer's commit that renamed it can.
    project.serve("shop-testid-changed.html");
    git(root, &["commit", "-q", "-am", "Rename the lamp's buy button test id"]);
    let sha = git(root, &["rev-parse", "--short=10", "HEAD"]);
    project.failing_ci_run();

    let cache = tempfile::tempdir().unwrap();
    let mut client = LspClient::spawn(&[("XDG_CACHE_HOME", cache.path().to_str().unwrap())]);
    client.initialize(Some(root), Value::Null, &["utf-16"]);
    let uri = file_uri(&root.join("e2e/shop.spec.ts"));
    client.open(&uri, "typescript", BUY_SPEC, 1);
    let failure = diagnostics_with_failure(&mut client, &uri).into_iter().find(|d| d["code"] == "ci-failure").unwrap();
    let heal = heal_action(&mut client, &uri, &failure);
    let resolved = client.request("codeAction/resolve", heal).unwrap();
    assert_eq!(
        resolved["title"],
        format!("Heal selector → page.getByTestId('add-lamp') ✓ 1 match (git: renamed `buy-lamp` → `add-lamp` in {sha} \"Rename the lamp's buy button test id\" (site/index.html:21))"),
        "{resolved:#}"
    );
    assert_eq!(resolved["isPreferred"], true, "validated in Chromium");
    let fixed = apply(BUY_SPEC, &resolved);
    assert!(fixed.contains("  await page.getByTestId('add-lamp').click();\n"), "{fixed}");
    let recorded = client.request("workspace/executeCommand", resolved["command"].clone()).unwrap();
    assert_eq!((recorded["healed_selector"].as_str(), recorded["success_count"].as_u64()), (Some("page.getByTestId('add-lamp')"), Some(1)), "{recorded}");
    client.shutdown();
    std::fs::write(root.join("e2e/shop.spec.ts"), fixed).unwrap();
    assert!(project.run(None), "the healed test passes against the renamed page");
}

#[test]
fn a_backend_suggestion_heals_the_test_applying_it_approves_the_pattern_and_failing_again_rejects_it() {
    let spec = "import { test } from '@playwright/test';\n\ntest('buys the lamp', async ({ page }) => {\n  await page.goto('/index.html');\n  await page.locator('button.purchase-lamp').click();\n});\n";
    let project = ShopProject::new(&[("shop.spec.ts", spec)]);
    let root = project.root();
    project.failing_ci_run();

    // The Argus backend (a local stand-in speaking ARGUS-API.md) knows the fix.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let backend = rt.block_on(support::backend::Server::start());
    backend.set(|req| {
        if req.target.ends_with("/suggest") {
            support::backend::ok(br#"{"suggestions":[{"fix_type":"update_selector","old_value":"button.purchase-lamp","new_value":"[data-testid=\"buy-lamp\"]","confidence":0.9,"explanation":"renamed in the design system","pattern_id":"pat-42"}],"source":"vector","latency_ms":20,"confidence":0.9,"intent":"buy","cached":false,"metadata":{}}"#.to_vec())
        } else {
            support::backend::fixtures(req)
        }
    });
    let config = std::fs::read_to_string(root.join("argus.toml")).unwrap();
    std::fs::write(
        root.join("argus.toml"),
        format!("{config}[backend]\nurl = \"{}\"\ntoken_env = \"ARGUS_FIX_TOKEN\"\norganization_id = \"org-1\"\nproject_id = \"proj-123\"\npoll_seconds = 3600\n", backend.url),
    )
    .unwrap();

    let cache = tempfile::tempdir().unwrap();
    let mut client = LspClient::spawn(&[("XDG_CACHE_HOME", cache.path().to_str().unwrap()), ("ARGUS_FIX_TOKEN", "fix-token")]);
    client.initialize(Some(root), Value::Null, &["utf-16"]);
    let uri = file_uri(&root.join("e2e/shop.spec.ts"));
    client.open(&uri, "typescript", spec, 1);
    let failure = diagnostics_with_failure(&mut client, &uri).into_iter().find(|d| d["code"] == "ci-failure").unwrap();
    let heal = heal_action(&mut client, &uri, &failure);
    let resolved = client.request("codeAction/resolve", heal).unwrap();
    assert_eq!(resolved["title"], "Heal selector → page.locator('[data-testid=\"buy-lamp\"]') ✓ 1 match (Argus backend)", "{resolved:#}");
    let fixed = apply(spec, &resolved);
    assert!(fixed.contains("  await page.locator('[data-testid=\"buy-lamp\"]').click();\n"), "{fixed}");
    let suggest = backend.requests().into_iter().find(|r| r.target.ends_with("/suggest")).expect("the backend was asked");
    let asked: Value = serde_json::from_slice(&suggest.body).unwrap();
    assert_eq!(asked["selector"], "button.purchase-lamp");
    assert!(asked["error_message"].as_str().is_some_and(|m| m.contains("purchase-lamp")), "the CI message goes along: {asked}");

    // Applying it approves the backend's pattern (the answer is not waited for).
    let recorded = client.request("workspace/executeCommand", resolved["command"].clone()).unwrap();
    assert_eq!(recorded["success_count"].as_u64(), Some(1), "{recorded}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let approved = loop {
        let found = backend.requests().into_iter().find(|r| r.target.ends_with("/api/v1/healing/organizations/org-1/approve/pat-42"));
        if found.is_some() || std::time::Instant::now() > deadline {
            break found;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let approved = approved.expect("POST …/approve/pat-42");
    assert_eq!((approved.method.as_str(), approved.header("authorization")), ("POST", Some("Bearer fix-token")));
    std::fs::write(root.join("e2e/shop.spec.ts"), &fixed).unwrap();
    assert!(project.run(None), "the healed test passes");

    // Later the app renames the test id as well: CI sees the healed test fail again, and the
    // backend's pattern is rejected.
    project.serve("shop-testid-changed.html");
    project.failing_ci_run();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !backend.requests().iter().any(|r| r.target.ends_with("/api/v1/healing/organizations/org-1/reject/pat-42")) {
        assert!(std::time::Instant::now() < deadline, "POST …/reject/pat-42 after the heal failed again");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    client.shutdown();
}

#[test]
fn a_failing_negated_assertion_is_never_healed_and_the_hover_says_why() {
    let spec = "import { test, expect } from '@playwright/test';\n\ntest('the lamp is sold out', async ({ page }) => {\n  await page.goto('/index.html');\n  await expect(page.getByTestId('buy-lamp')).not.toBeVisible({ timeout: 1000 });\n});\n";
    let project = ShopProject::new(&[("shop.spec.ts", spec)]);
    let root = project.root();
    project.failing_ci_run();

    let cache = tempfile::tempdir().unwrap();
    let mut client = LspClient::spawn(&[("XDG_CACHE_HOME", cache.path().to_str().unwrap())]);
    client.initialize(Some(root), Value::Null, &["utf-16"]);
    let uri = file_uri(&root.join("e2e/shop.spec.ts"));
    client.open(&uri, "typescript", spec, 1);
    let failure = diagnostics_with_failure(&mut client, &uri).into_iter().find(|d| d["code"] == "ci-failure").unwrap();
    let titles: Vec<String> = actions_at(&mut client, &uri, &failure).iter().filter_map(|a| a["title"].as_str().map(String::from)).collect();
    assert!(!titles.iter().any(|t| t.starts_with("Heal") || t.starts_with("Update expected")), "nothing flips a negated assertion: {titles:?}");
    let hover = client.request("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": failure["range"]["start"] })).unwrap();
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("_Not healed: the failing assertion is negated (`not toBeVisible`)"), "{text}");
    client.shutdown();
}

/// A Selenium `driver` fixture on the machine's Chromium.
const CONFTEST: &str = "import pytest\nfrom selenium import webdriver\nfrom selenium.webdriver.chrome.service import Service\n\n\n@pytest.fixture\ndef driver():\n    options = webdriver.ChromeOptions()\n    options.binary_location = \"/usr/bin/chromium\"\n    for arg in (\"--headless=new\", \"--no-sandbox\", \"--disable-gpu\", \"--disable-dev-shm-usage\"):\n        options.add_argument(arg)\n    drv = webdriver.Chrome(service=Service(\"/usr/bin/chromedriver\"), options=options)\n    yield drv\n    drv.quit()\n";

/// pytest over `root/tests`, its JUnit report written to `junit` when given. Whether it passed.
fn pytest(root: &Path, junit: Option<&Path>) -> bool {
    let mut cmd = Command::new("python3");
    cmd.args(["-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"]).current_dir(root).env("PYTHONDONTWRITEBYTECODE", "1");
    if let Some(j) = junit {
        cmd.arg(format!("--junitxml={}", j.display()));
    }
    let out = cmd.output().expect("python3 -m pytest (run tests/install-deps.sh)");
    eprintln!("{}", String::from_utf8_lossy(&out.stdout));
    out.status.success()
}

#[test]
fn a_changed_test_id_in_a_selenium_test_is_healed_from_the_junit_report_and_pytest_passes_again() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/pages");
    let site = root.join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::copy(pages.join("shop.html"), site.join("index.html")).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let _server = Site::start(&site, port);
    let test = format!("from selenium.webdriver.common.by import By\n\n\ndef test_buys_the_lamp(driver):\n    driver.get(\"http://127.0.0.1:{port}/index.html\")\n    driver.find_element(By.CSS_SELECTOR, \"[data-testid='buy-lamp']\").click()\n");
    std::fs::create_dir_all(root.join("tests")).unwrap();
    std::fs::write(root.join("tests/conftest.py"), CONFTEST).unwrap();
    std::fs::write(root.join("tests/test_lamp.py"), &test).unwrap();
    let pytest = |junit: Option<&Path>| pytest(root, junit);
    assert!(pytest(None), "the test passes against today's page");

    let cache = tempfile::tempdir().unwrap();
    let mut client = LspClient::spawn(&[("XDG_CACHE_HOME", cache.path().to_str().unwrap())]);
    client.initialize(Some(root), Value::Null, &["utf-16"]);
    let uri = file_uri(&root.join("tests/test_lamp.py"));
    client.open(&uri, "python", &test, 1);
    client.diagnostics(&uri, Some(1));
    let snap = client.request("workspace/executeCommand", json!({ "command": "argus.snapshotLocators", "arguments": [{ "textDocument": { "uri": uri } }] })).unwrap();
    assert_eq!(snap["recorded"], json!(["[data-testid='buy-lamp']"]), "{snap}");

    // The app renames the test id; pytest fails and its JUnit report lands in reports/.
    std::fs::copy(pages.join("shop-testid-changed.html"), site.join("index.html")).unwrap();
    std::fs::create_dir_all(root.join("reports")).unwrap();
    let tmp = root.join("junit.tmp.xml");
    assert!(!pytest(Some(&tmp)), "the changed page breaks the test");
    std::fs::rename(&tmp, root.join("reports/junit.xml")).unwrap();
    let failure = diagnostics_with_failure(&mut client, &uri).into_iter().find(|d| d["code"] == "ci-failure").unwrap();
    let (line, col) = support::utf16_position(&test, "[data-testid='buy-lamp']");
    assert_eq!(failure["range"]["start"], json!({ "line": line, "character": col }), "on the selector: {failure:#}");
    let heal = heal_action(&mut client, &uri, &failure);
    let resolved = client.request("codeAction/resolve", heal).unwrap();
    assert_eq!(resolved["isPreferred"], true, "{resolved:#}");
    let fixed = apply(&test, &resolved);
    assert!(fixed.contains("add-lamp") && !fixed.contains("buy-lamp"), "{fixed}");
    assert!(fixed.contains("driver.find_element(By."), "still Selenium: {fixed}");
    client.shutdown();

    std::fs::write(root.join("tests/test_lamp.py"), fixed).unwrap();
    assert!(pytest(None), "the healed test passes against the changed page");
}
