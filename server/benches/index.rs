//! `cargo bench -p argus-lsp --bench index`: figures for the README, each as a ratio against a
//! baseline measured in the same run (machines are noisy; ratios travel better than seconds).
//!
//! 1. index (walk + parse + model + summary) vs parse-only of the same 5 000 files (goal ≤ 1.5×)
//! 2. incremental edit → diagnostics on a 5 000-line spec vs one full parse of it (goal ≤ 1×)
//! 3. peak RSS of the real server indexing the 5 000 files (goal ≤ 150 MB)
//! 4. `argus-lsp tests` vs `npx playwright test --list` on tests/examples (goal ≥ 50× faster)
//!
//! For profiling: `-- --profile index|parse|edit [--quick]` repeats one phase (`ROUNDS=n`,
//! default 5); `-- --compile-one QUERY` compiles one TypeScript query (count its instructions
//! with `valgrind --tool=callgrind --collect-atstart=no --toggle-collect=ts_query_new`: time is
//! too noisy on a shared machine); `-- --samples` prints parse vs extraction per framework.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use argus_lsp::config::Config;
use argus_lsp::syntax::{self, Language};
use argus_lsp::text::{Position, PositionEncoding, Range, TextChange};
use argus_lsp::workspace::{Workspace, index};
use rayon::prelude::*;

// The allocator of the argus-lsp binary (see main.rs), so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const FILES: usize = 5_000;

fn main() {
    if std::env::args().any(|a| a == "--samples") {
        return sample_costs();
    }
    if let Some(q) = std::env::args().skip_while(|a| a != "--compile-one").nth(1) {
        let ok = tree_sitter::Query::new(&syntax::ts_language(Language::TypeScript), &q);
        println!("{:?}", ok.map(|q| q.pattern_count()));
        return;
    }
    let quick = std::env::args().any(|a| a == "--quick");
    let files = if quick { 500 } else { FILES };
    let dir = tempfile::tempdir().expect("temp dir");
    let lines = generate_workspace(dir.path(), files);
    println!("workspace: {files} files, {lines} lines ({})", dir.path().display());
    if let Some(phase) = std::env::args().skip_while(|a| a != "--profile").nth(1) {
        return profile(&phase, dir.path());
    }

    let (index_time, parse_time) = index_vs_parse(dir.path());
    println!(
        "index vs parse-only: {:.2}× (index {:.0} ms, parse-only {:.0} ms; goal ≤ 1.5×)",
        index_time.as_secs_f64() / parse_time.as_secs_f64(),
        ms(index_time),
        ms(parse_time)
    );

    let (edit, full, outside) = incremental_vs_full();
    println!(
        "incremental edit → diagnostics vs full parse (5 000-line spec): {:.2}× (edit {:.2} ms, parse {:.2} ms; goal ≤ 1×)",
        edit.as_secs_f64() / full.as_secs_f64(),
        ms(edit),
        ms(full)
    );
    println!(
        "  (an edit outside every function body re-extracts the whole file: {:.2}×, {:.1} ms)",
        outside.as_secs_f64() / full.as_secs_f64(),
        ms(outside)
    );

    match peak_rss_of_server(dir.path()) {
        Ok((kb, took)) => println!(
            "peak RSS of the server indexing {files} files: {:.1} MB (indexed in {:.0} ms; goal ≤ 150 MB)",
            kb as f64 / 1024.0,
            ms(took)
        ),
        Err(e) => println!("peak RSS: not measured: {e}"),
    }

    match listing_vs_playwright() {
        Ok((ours, theirs)) => println!(
            "`argus-lsp tests` vs `npx playwright test --list`: {:.0}× faster ({:.1} ms vs {:.0} ms; goal ≥ 50×)",
            theirs.as_secs_f64() / ours.as_secs_f64(),
            ms(ours),
            ms(theirs)
        ),
        Err(e) => println!("tests vs playwright --list: not measured: {e}"),
    }
}

/// Repeat one phase (its own function, so that a profiler can single it out).
#[inline(never)]
fn profile(phase: &str, root: &Path) {
    let config = Config::default();
    let rounds = std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(5);
    for round in 0..rounds {
        let t = Instant::now();
        match phase {
            "parse" => parse_only(root, &config),
            "index" => {
                let paths = index::discover(root, &config);
                let results = index::parse_all(&paths, &config, PositionEncoding::Utf16, &|_| {});
                let mut ws = Workspace::new(Some(root.to_path_buf()), PositionEncoding::Utf16);
                ws.record_index(results);
            }
            "edit" => {
                let (edit, full, outside) = incremental_vs_full();
                println!("edit {:.2} ms (outside a body {:.1} ms), parse {:.2} ms", ms(edit), ms(outside), ms(full));
            }
            other => panic!("unknown phase {other}"),
        }
        println!("{phase} round {round}: {:.0} ms", ms(t.elapsed()));
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

// ---- workspace generation ---------------------------------------------------------------

const PLAYWRIGHT_TEST: &str = r#"  test('scenario {n}', async ({ page }) => {
    await page.goto('/products/{n}');
    await test.step('open product {n}', async () => {
      await page.getByRole('button', { name: 'Open {n}' }).click();
      await page.locator('ul.items > li:nth-child({n}) a').click();
    });
    await page.getByTestId('qty-{n}').fill('2');
    await page.waitForTimeout(500);
    await expect(page.getByText('Added {n}')).toBeVisible({ timeout: 5000 });
    await expect(page.locator('#total')).toHaveText('Total: {n}');
  });
"#;

const CYPRESS_TEST: &str = r#"  it('scenario {n}', () => {
    cy.visit('/products/{n}');
    cy.get('[data-cy=open-{n}]').click();
    cy.contains('Add to cart').click();
    cy.wait(500);
    cy.get('.cart .count').should('have.text', '{n}');
    cy.get('div.css-1x2y3z > span').should('be.visible');
  });
"#;

const SELENIUM_TEST: &str = r#"    def test_scenario_{n}(self, driver):
        driver.get("http://localhost:8000/products/{n}")
        driver.find_element(By.ID, "open-{n}").click()
        WebDriverWait(driver, 5).until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".cart .count")))
        time.sleep(1)
        el = driver.find_element(By.XPATH, "//ul/li[{n}]/a")
        assert el.text == "Item {n}"
        driver.find_element(By.CSS_SELECTOR, "form > button.primary").click()

"#;

const PLAYWRIGHT_PY_TEST: &str = r##"def test_scenario_{n}(page):
    page.goto("/products/{n}")
    page.get_by_role("button", name="Open {n}").click()
    page.get_by_test_id("qty-{n}").fill("2")
    page.wait_for_timeout(500)
    expect(page.get_by_text("Added {n}")).to_be_visible()
    expect(page.locator("#total")).to_have_text("Total: {n}")

"##;

fn repeat(template: &str, count: usize) -> String {
    (0..count).map(|n| template.replace("{n}", &n.to_string())).collect()
}

/// `files` specs of about 200 lines each, mixing the frameworks.
fn generate_workspace(root: &Path, files: usize) -> usize {
    let mut total = 0;
    for i in 0..files {
        let dir = root.join(format!("suite{:02}", i % 50));
        std::fs::create_dir_all(&dir).unwrap();
        let (name, text) = match i % 4 {
            0 => (
                format!("spec{i}.spec.ts"),
                format!("import {{ test, expect }} from '@playwright/test';\n\ntest.describe('suite {i}', () => {{\n{}}});\n", repeat(PLAYWRIGHT_TEST, 16)),
            ),
            1 => (format!("spec{i}.cy.js"), format!("describe('suite {i}', () => {{\n{}}});\n", repeat(CYPRESS_TEST, 24))),
            2 => (
                format!("test_spec{i}.py"),
                format!(
                    "import time\nfrom selenium.webdriver.common.by import By\nfrom selenium.webdriver.support.ui import WebDriverWait\nfrom selenium.webdriver.support import expected_conditions as EC\n\n\nclass TestSuite{i}:\n{}",
                    repeat(SELENIUM_TEST, 20)
                ),
            ),
            _ => (format!("test_pw{i}.py"), format!("from playwright.sync_api import expect\n\n\n{}", repeat(PLAYWRIGHT_PY_TEST, 24))),
        };
        total += text.lines().count();
        std::fs::write(dir.join(name), text).unwrap();
    }
    total
}

// ---- 1. index vs parse-only -------------------------------------------------------------

/// The baseline: the index's walk and reads, then a tree-sitter parse of each file only.
fn parse_only(root: &Path, config: &Config) {
    let paths = index::discover(root, config);
    let _: usize = paths
        .par_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let language = Language::from_path(&p.to_string_lossy()).unwrap();
            syntax::parse(language, &text, None).map_or(0, |t| t.root_node().child_count() as usize)
        })
        .sum();
}

fn index_vs_parse(root: &Path) -> (Duration, Duration) {
    let config = Config::default();
    let mut index_runs = Vec::new();
    let mut parse_runs = Vec::new();
    for _ in 0..3 {
        // Baseline: the same walk and reads, tree-sitter parse only.
        let t = Instant::now();
        parse_only(root, &config);
        parse_runs.push(t.elapsed());

        let t = Instant::now();
        let paths = index::discover(root, &config);
        let results = index::parse_all(&paths, &config, PositionEncoding::Utf16, &|_| {});
        let mut ws = Workspace::new(Some(root.to_path_buf()), PositionEncoding::Utf16);
        ws.record_index(results);
        index_runs.push(t.elapsed());
        assert!(ws.all_tests().len() > paths.len(), "the generated specs hold tests");
    }
    (median(index_runs), median(parse_runs))
}

// ---- 2. incremental edit vs full parse --------------------------------------------------

fn incremental_vs_full() -> (Duration, Duration, Duration) {
    let text = format!(
        "import {{ test, expect }} from '@playwright/test';\n\ntest.describe('big', () => {{\n{}}});\n",
        repeat(PLAYWRIGHT_TEST, 5_000 / 12)
    );
    let path = PathBuf::from("/bench/big.spec.ts");
    let mut ws = Workspace::new(None, PositionEncoding::Utf16);
    ws.open(path.clone(), None, &text, 0).unwrap();

    let full: Vec<Duration> = (0..20)
        .map(|_| {
            let t = Instant::now();
            let tree = syntax::parse(Language::TypeScript, &text, None);
            assert!(tree.is_some());
            t.elapsed()
        })
        .collect();

    // Type characters into a selector in the middle of the file, one change per keystroke.
    let line = text.lines().position(|l| l.contains("nth-child(200)")).unwrap() as u32;
    let col = text.lines().nth(line as usize).unwrap().find("nth-child").unwrap() as u32;
    let mut edits = Vec::new();
    for (i, version) in (1..=60).enumerate() {
        let at = Position::new(line, col + i as u32);
        let change = TextChange { range: Some(Range::new(at, at)), text: "x".into() };
        let t = Instant::now();
        let result = ws.change(&path, version, &[change]).unwrap().unwrap().unwrap();
        assert!(!result.findings.is_empty());
        edits.push(t.elapsed());
    }
    // For comparison (not a goal): typing into the suite's title, outside every function body,
    // takes a full extraction.
    let line = text.lines().position(|l| l.contains("describe('big'")).unwrap() as u32;
    let col = text.lines().nth(line as usize).unwrap().find("big").unwrap() as u32;
    let mut outside = Vec::new();
    for i in 0..10 {
        let at = Position::new(line, col + i);
        let change = TextChange { range: Some(Range::new(at, at)), text: "y".into() };
        let t = Instant::now();
        ws.change(&path, 100 + i as i32, &[change]).unwrap().unwrap().unwrap();
        outside.push(t.elapsed());
    }
    (median(edits), median(full), median(outside))
}

// ---- 3. peak RSS of the real server -----------------------------------------------------

fn peak_rss_of_server(root: &Path) -> Result<(u64, Duration), String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_argus-lsp"))
        .arg("lsp")
        .env("ARGUS_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let send = |stdin: &mut std::process::ChildStdin, body: String| {
        write!(stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        stdin.flush().unwrap();
    };
    let started = Instant::now();
    send(
        &mut stdin,
        serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": null, "rootUri": format!("file://{}", root.display()), "capabilities": {}
        }})
        .to_string(),
    );
    // Read messages: `initialized` goes out once `initialize` is answered (the server ignores it
    // before), then wait for the index summary.
    let mut initialized = false;
    loop {
        let mut length = 0;
        loop {
            let mut header = String::new();
            if stdout.read_line(&mut header).map_err(|e| e.to_string())? == 0 {
                return Err("server closed its output".into());
            }
            if header.trim().is_empty() {
                break;
            }
            if let Some(v) = header.trim().strip_prefix("Content-Length: ") {
                length = v.parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        stdout.read_exact(&mut body).map_err(|e| e.to_string())?;
        let body = String::from_utf8_lossy(&body);
        if !initialized && body.contains("\"id\":1") {
            send(&mut stdin, r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#.into());
            initialized = true;
        }
        if body.contains("argus: indexed") {
            break;
        }
        if started.elapsed() > Duration::from_secs(300) {
            return Err("indexing did not finish in 300 s".into());
        }
    }
    let took = started.elapsed();
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).map_err(|e| e.to_string())?;
    let _ = child.kill();
    let _ = child.wait();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or("no VmHWM in /proc status")?;
    Ok((kb, took))
}

// ---- 4. listing vs Playwright's own ----------------------------------------------------

fn listing_vs_playwright() -> Result<(Duration, Duration), String> {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/examples");
    if !examples.join("node_modules/@playwright/test").exists() {
        return Err("tests/examples/node_modules missing (run tests/install-deps.sh)".into());
    }
    let time = |cmd: &mut Command| -> Result<Duration, String> {
        let t = Instant::now();
        let out = cmd.current_dir(&examples).stdout(Stdio::null()).stderr(Stdio::null()).status().map_err(|e| e.to_string())?;
        if !out.success() {
            return Err(format!("{cmd:?} failed with {out}"));
        }
        Ok(t.elapsed())
    };
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for _ in 0..5 {
        ours.push(time(Command::new(env!("CARGO_BIN_EXE_argus-lsp")).args(["tests", "playwright", "--format", "json"]))?);
        theirs.push(time(Command::new("npx").args(["playwright", "test", "--list", "--reporter=json"]))?);
    }
    Ok((median(ours), median(theirs)))
}

// ---- --samples: parse vs model extraction per framework (to see where extraction is slow) ---

fn sample_costs() {
    let samples = [
        ("playwright ts", Language::TypeScript, format!("import {{ test, expect }} from '@playwright/test';\n\ntest.describe('s', () => {{\n{}}});\n", repeat(PLAYWRIGHT_TEST, 40))),
        ("cypress js", Language::Tsx, format!("describe('s', () => {{\n{}}});\n", repeat(CYPRESS_TEST, 60))),
        ("selenium py", Language::Python, format!("import time\nfrom selenium.webdriver.common.by import By\n\nclass TestSuite:\n{}", repeat(SELENIUM_TEST, 50))),
        ("playwright py", Language::Python, format!("from playwright.sync_api import expect\n\n\n{}", repeat(PLAYWRIGHT_PY_TEST, 60))),
    ];
    for language in [Language::TypeScript, Language::Python] {
        let t = Instant::now();
        let _ = argus_lsp::syntax::queries::compile(language);
        println!("{language:?}: compiling every pattern {:.0} ms (once per process, pattern by pattern on first use)", ms(t.elapsed()));
    }
    for (name, language, text) in &samples {
        let tree = syntax::parse(*language, text, None).unwrap();
        let _ = syntax::extract(*language, &tree, text);
        let time = |f: &mut dyn FnMut()| median((0..std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(15)).map(|_| { let t = Instant::now(); f(); t.elapsed() }).collect());
        let parse = time(&mut || { syntax::parse(*language, text, None); });
        let extract = time(&mut || { syntax::extract(*language, &tree, text); });
        println!("{name}: {} lines, parse {:.2} ms, extract {:.2} ms ({:.2}×)", text.lines().count(), ms(parse), ms(extract), extract.as_secs_f64() / parse.as_secs_f64());
    }
}
