//! `argus-lsp tests --format json` lists the same tests, at the same lines, as the runners
//! themselves: `npx playwright test --list` and pytest's collection, on tests/examples.
//! Needs tests/install-deps.sh (node_modules, pytest) — the README's test command runs it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/examples").canonicalize().unwrap()
}

/// (file relative to tests/examples, line, column, title path) from our listing.
fn ours(subdir: &str) -> Vec<(String, u64, u64, Vec<String>, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_argus-lsp"))
        .args(["tests", subdir, "--format", "json"])
        .current_dir(examples())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap().to_string(),
                r["line"].as_u64().unwrap(),
                r["column"].as_u64().unwrap(),
                r["title"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect(),
                r["framework"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn playwright_list_agrees_on_titles_lines_and_columns() {
    let out = Command::new("npx")
        .args(["playwright", "test", "--list", "--reporter=json"])
        .current_dir(examples())
        .output()
        .expect("npx (run tests/install-deps.sh)");
    assert!(out.status.success(), "playwright --list failed: {}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let test_dir = report["config"]["projects"][0]["testDir"].as_str().unwrap().to_string();
    let test_dir = Path::new(&test_dir).strip_prefix(examples()).unwrap().to_string_lossy().to_string();

    fn walk(suite: &Value, path: &mut Vec<String>, test_dir: &str, out: &mut BTreeSet<(String, u64, u64, Vec<String>)>) {
        for spec in suite["specs"].as_array().into_iter().flatten() {
            let mut title = path.clone();
            title.push(spec["title"].as_str().unwrap().to_string());
            let file = format!("{test_dir}/{}", spec["file"].as_str().unwrap());
            out.insert((file, spec["line"].as_u64().unwrap(), spec["column"].as_u64().unwrap(), title));
        }
        for child in suite["suites"].as_array().into_iter().flatten() {
            path.push(child["title"].as_str().unwrap().to_string());
            walk(child, path, test_dir, out);
            path.pop();
        }
    }
    let mut theirs = BTreeSet::new();
    for file_suite in report["suites"].as_array().unwrap() {
        walk(file_suite, &mut Vec::new(), &test_dir, &mut theirs);
    }
    assert!(theirs.len() >= 6, "the example suite has tests: {theirs:#?}");

    let listed = ours("playwright");
    assert!(listed.iter().all(|t| t.4 == "playwright"));
    let ours: BTreeSet<_> = listed.into_iter().map(|(f, l, c, t, _)| (f, l, c, t)).collect();
    assert_eq!(ours, theirs);
}

const COLLECT: &str = r#"
import json, sys, pytest

class Listing:
    def __init__(self):
        self.items = []
    def pytest_collection_finish(self, session):
        for item in session.items:
            cls = item.cls.__name__ if getattr(item, "cls", None) else None
            name = getattr(item, "originalname", None) or item.name
            self.items.append([str(item.path), item.location[1] + 1, ([cls] if cls else []) + [name]])

listing = Listing()
code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", sys.argv[1]], plugins=[listing])
print("@@LISTING@@" + json.dumps(listing.items))
sys.exit(code)
"#;

#[test]
fn pytest_collection_agrees_on_titles_and_lines() {
    let out = Command::new("python3")
        .args(["-c", COLLECT, "python"])
        .current_dir(examples())
        .output()
        .expect("python3 with pytest (run tests/install-deps.sh)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "pytest collection failed: {stdout}{}", String::from_utf8_lossy(&out.stderr));
    let json = stdout.split("@@LISTING@@").nth(1).expect("listing printed");
    let items: Value = serde_json::from_str(json.trim()).unwrap();
    // Parametrized tests are one definition: compare definitions, not parameter sets.
    let theirs: BTreeSet<(String, u64, Vec<String>)> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let path = Path::new(i[0].as_str().unwrap()).strip_prefix(examples()).unwrap().to_string_lossy().to_string();
            let title = i[2].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect();
            (path, i[1].as_u64().unwrap(), title)
        })
        .collect();
    assert!(theirs.len() >= 4, "{theirs:#?}");
    let listed = ours("python");
    assert!(listed.iter().any(|t| t.4 == "unittest") && listed.iter().any(|t| t.4 == "pytest"), "{listed:#?}");
    let ours: BTreeSet<_> = listed.into_iter().map(|(f, l, _, t, _)| (f, l, t)).collect();
    assert_eq!(ours, theirs);
}
