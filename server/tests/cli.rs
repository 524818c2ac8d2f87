//! `argus-lsp check` and `argus-lsp tests` as a user runs them: the real binary, real files,
//! golden output in every format, exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/check")
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_argus-lsp")).args(args).current_dir(dir).output().expect("run argus-lsp")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn check_human_is_compiler_style_with_an_excerpt_and_caret() {
    let out = run(&fixtures(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "focused-test is an error: exit 1");
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn check_json_is_the_documented_array() {
    let out = run(&fixtures(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    for row in rows.as_array().unwrap() {
        let mut keys: Vec<&str> = row.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort(); // serde_json keeps document order when a dependency enables preserve_order
        assert_eq!(keys, ["code", "column", "end_column", "end_line", "file", "line", "message", "severity", "source"]);
    }
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn check_sarif_validates_against_the_sarif_2_1_0_schema() {
    let out = run(&fixtures(), &["check", "--format", "sarif"]);
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("../sarif/sarif-2.1.0-rtm.5.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(!log["runs"][0]["results"].as_array().unwrap().is_empty());
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn exit_codes_follow_fail_level_and_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.spec.ts"), "await page.waitForTimeout(10);\n").unwrap();
    assert_eq!(run(dir.path(), &["check"]).status.code(), Some(0), "warnings under fail_level error pass");
    std::fs::write(dir.path().join("argus.toml"), "fail_level = \"warning\"\n").unwrap();
    assert_eq!(run(dir.path(), &["check"]).status.code(), Some(1));
    std::fs::write(dir.path().join("argus.toml"), "fail_level = 7\n").unwrap();
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("argus.toml:1:"), "names the file and line: {err}");
    let out = run(dir.path(), &["check", "missing-dir"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(run(dir.path(), &["check", "--format", "xml"]).status.code(), Some(2));
}

#[test]
fn check_skips_unreadable_files_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bin.spec.ts"), b"\x7fELF\x00\x01\x02").unwrap();
    std::fs::write(dir.path().join("latin1.spec.ts"), b"// caf\xe9\n").unwrap();
    std::fs::write(dir.path().join("ok.spec.ts"), "await page.waitForTimeout(10);\n").unwrap();
    let out = run(dir.path(), &["check"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bin.spec.ts: skipped: binary content"), "{err}");
    assert!(err.contains("latin1.spec.ts: skipped: not valid UTF-8 at line 1, column 7"), "{err}");
    assert!(stdout(&out).contains("in 1 file, 2 skipped"), "{}", stdout(&out));
}

#[test]
fn version_flag() {
    let out = run(&fixtures(), &["--version"]);
    assert_eq!(stdout(&out).trim(), format!("argus-lsp {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn tests_json_lists_every_test_with_its_location() {
    let out = run(&fixtures(), &["tests", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&out));
    let human = run(&fixtures(), &["tests"]);
    insta::assert_snapshot!("tests_human", stdout(&human));
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/examples")
}

/// (file, line, column, end_column, root cause, test) of each `ci-failure` row.
fn failure_rows(rows: &Value) -> Vec<(String, u64, u64, u64, String, Vec<String>)> {
    rows.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["code"] == "ci-failure")
        .map(|r| {
            (
                r["file"].as_str().unwrap().to_string(),
                r["line"].as_u64().unwrap(),
                r["column"].as_u64().unwrap(),
                r["end_column"].as_u64().unwrap(),
                r["root_cause"].as_str().unwrap().to_string(),
                r["test"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect(),
            )
        })
        .collect()
}

#[test]
fn check_reports_puts_real_ci_failures_on_the_exact_selector_spans() {
    let out = run(
        &examples(),
        &["check", ".", "--reports", "reports/playwright/results.json", "reports/**/*.xml", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1), "failing tests are errors");
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let failures = failure_rows(&rows);
    let find = |file: &str, line: u64| {
        failures.iter().find(|f| f.0 == file && f.1 == line).unwrap_or_else(|| panic!("no failure at {file}:{line}: {failures:#?}"))
    };
    // `'button.add-to-cart'`: the selector string's contents, columns 25..43.
    let f = find("playwright/catalog.spec.ts", 18);
    assert_eq!((f.2, f.3, f.4.as_str()), (25, 43, "ui_change"));
    assert_eq!(f.5, ["Catalog", "adds a product to the cart"]);
    // The expected literal of the failed toHaveText.
    let f = find("playwright/cart.spec.ts", 18);
    assert_eq!((f.2, f.3), (48, 61));
    // A strict-mode violation lands on the page-object field, in another file than the test.
    let f = find("playwright/pages/cart-page.ts", 18);
    assert_eq!(f.4, "test_defect");
    assert_eq!(f.5, ["Cart", "proceeds to checkout"]);
    // Passed on retry.
    assert_eq!(find("playwright/catalog.spec.ts", 32).4, "timing_issue");
    // pytest + Selenium (JUnit): NoSuchElement on the CSS selector string.
    let f = find("python/test_shop.py", 23);
    assert_eq!((f.2, f.3, f.4.as_str()), (43, 61, "ui_change"));
    for row in rows.as_array().unwrap().iter().filter(|r| r["code"] == "ci-failure") {
        for key in ["confidence", "risk", "failures", "runs"] {
            assert!(row[key].is_number(), "{key} in {row}");
        }
    }
    let human = run(&examples(), &["check", ".", "--reports", "reports/playwright/results.json"]);
    insta::assert_snapshot!("check_reports_human", stdout(&human));
}

#[test]
fn a_bad_report_is_a_diagnostic_on_that_report_and_nothing_else_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(examples().join("reports/playwright/results.json")).unwrap();
    std::fs::write(dir.path().join("good.json"), &good).unwrap();
    std::fs::write(dir.path().join("truncated.json"), &good[..good.len() / 2]).unwrap();
    std::fs::write(
        dir.path().join("bomb.xml"),
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>\n<testsuite>&lol2;</testsuite>\n",
    )
    .unwrap();
    let examples = examples().canonicalize().unwrap();
    let reports: Vec<String> = ["good.json", "truncated.json", "bomb.xml"].iter().map(|f| dir.path().join(f).display().to_string()).collect();
    let mut args = vec!["check", "playwright", "--format", "json", "--reports"];
    args.extend(reports.iter().map(String::as_str));
    let out = run(&examples, &args);
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let bad: Vec<&Value> = rows.as_array().unwrap().iter().filter(|r| r["code"] == "bad-report").collect();
    assert!(bad.iter().any(|r| r["file"].as_str().unwrap().ends_with("truncated.json") && r["line"].as_u64() > Some(1)), "{bad:#?}");
    assert!(bad.iter().any(|r| r["file"].as_str().unwrap().ends_with("bomb.xml")), "{bad:#?}");
    assert!(
        failure_rows(&rows).iter().any(|f| f.0 == "playwright/catalog.spec.ts" && f.1 == 18),
        "the good report still maps: {rows:#}"
    );
}
