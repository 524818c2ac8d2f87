//! The committed report fixtures cannot drift from what the tools really write: run real
//! Playwright (Debian Chromium) and real pytest + Selenium on tests/examples now, ingest the
//! fresh reports with `argus-lsp check --reports`, and require the same failures on the same
//! spans (file, line, column, code, root cause) as the fixtures give.
//! Needs tests/install-deps.sh (node_modules, chromium, chromedriver, pytest, selenium) — the
//! README's test command runs it. The suites run one after the other (they are heavy).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/examples").canonicalize().unwrap()
}

type Span = (String, u64, u64, String, String);

/// `check` on the example's suites with `reports`: every CI failure as (file, line, column,
/// code, root cause), and the report's other notes (bad report, unmapped failures).
fn failures(reports: &[PathBuf]) -> (BTreeSet<Span>, Vec<String>) {
    let mut args: Vec<String> = ["check", "playwright", "python", "--format", "json", "--reports"].map(String::from).to_vec();
    args.extend(reports.iter().map(|p| p.display().to_string()));
    let out = Command::new(env!("CARGO_BIN_EXE_argus-lsp")).args(&args).current_dir(examples()).output().unwrap();
    let entries: Vec<Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("check printed no JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    let spans = entries
        .iter()
        .filter(|e| e["code"] == "ci-failure")
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap(),
                e["column"].as_u64().unwrap(),
                e["code"].as_str().unwrap().to_string(),
                e["root_cause"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    // The report path differs between the two runs; what maps nowhere is compared by message.
    let others = entries.iter().filter(|e| e["code"] != "ci-failure").map(|e| format!("{} {}", e["code"], e["message"])).collect();
    (spans, others)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn run(cmd: &mut Command, what: &str) {
    let out = cmd.current_dir(examples()).output().unwrap_or_else(|e| panic!("{what}: {e} (run tests/install-deps.sh)"));
    // The suites fail on purpose (README): the exit status says nothing; the report must exist.
    eprintln!("{what}: exit {:?}", out.status.code());
}

/// Fresh failures may add timing failures a loaded machine causes (a 2 s action timeout
/// missed); every other difference is drift.
fn assert_same(fixture: &BTreeSet<Span>, fresh: &BTreeSet<Span>, runner: &str) {
    let missing: Vec<&Span> = fixture.difference(fresh).collect();
    let extra: Vec<&Span> = fresh.difference(fixture).filter(|s| s.4 != "timing_issue").collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{runner}: a fresh report maps differently from the committed fixture (regenerate with tests/examples/regen-reports.sh)\nonly in the fixture: {missing:#?}\nonly in the fresh run: {extra:#?}"
    );
}

#[test]
fn fresh_playwright_and_pytest_reports_map_like_the_fixtures() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();

    // Playwright: JSON + JUnit, a free port, its output kept out of the repository.
    let pw_json = out.join("pw-results.json");
    let pw_junit = out.join("pw-junit.xml");
    run(
        Command::new("npx")
            .args(["playwright", "test", "--output", &out.join("test-results").display().to_string()])
            .env("PW_REPORTERS", "json,junit")
            .env("PLAYWRIGHT_JSON_OUTPUT_NAME", &pw_json)
            .env("PLAYWRIGHT_JUNIT_OUTPUT_NAME", &pw_junit)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .env("SHOP_PORT", free_port().to_string())
            .env("NO_COLOR", "1"),
        "npx playwright test",
    );
    // pytest + Selenium, the default (xunit2) family.
    let py_junit = out.join("pytest-junit.xml");
    run(
        Command::new("python3")
            .args(["-m", "pytest", "python", "-p", "no:cacheprovider", "-q", &format!("--junitxml={}", py_junit.display())])
            .env("PYTHONDONTWRITEBYTECODE", "1"),
        "pytest",
    );
    for r in [&pw_json, &pw_junit, &py_junit] {
        assert!(std::fs::metadata(r).is_ok_and(|m| m.len() > 0), "{} was not written", r.display());
    }

    let fixtures = examples().join("reports");
    for (runner, fixture, fresh) in [
        ("playwright json", vec![fixtures.join("playwright/results.json")], vec![pw_json.clone()]),
        ("playwright junit", vec![fixtures.join("playwright/junit.xml")], vec![pw_junit.clone()]),
        ("pytest junit", vec![fixtures.join("pytest/junit.xml")], vec![py_junit.clone()]),
    ] {
        let (want, want_notes) = failures(&fixture);
        let (got, got_notes) = failures(&fresh);
        assert!(!want.is_empty(), "{runner}: the fixture maps failures");
        assert_same(&want, &got, runner);
        let report_notes = |notes: Vec<String>| notes.into_iter().filter(|n| n.contains("bad-report") || n.contains("unmapped-failure")).collect::<Vec<_>>();
        assert_eq!(report_notes(want_notes), report_notes(got_notes), "{runner}: the same report notes");
    }
}
