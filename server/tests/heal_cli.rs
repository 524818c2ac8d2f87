//! `argus-lsp snapshot` and `argus-lsp heal` as a user runs them: the real binary, its own
//! chromedriver and Chromium, pages on 127.0.0.1, the public JSON contract and exit codes.

mod heal_support;

use std::process::{Command, Output};

use heal_support::{PageServer, pages_dir};
use serde_json::Value;

fn argus(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_argus-lsp")).args(args).current_dir(dir).output().expect("run argus-lsp")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn snapshot_then_heal_prints_the_documented_json_best_first() {
    let server = PageServer::start(pages_dir());
    let dir = tempfile::tempdir().unwrap();

    let out = argus(dir.path(), &["snapshot", "--selector", "role=button[name=\"Place order\"]", "--url", &server.url("shop.html")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let fp: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(fp["tag"], "button");
    assert_eq!(fp["id"], "place-order");
    assert_eq!(fp["classes"], serde_json::json!(["btn", "btn-primary", "submit-order"]));
    assert_eq!(fp["text"], "Place order");
    assert_eq!(fp["role"], "button");
    assert_eq!(fp["name"], "Place order");
    assert_eq!(fp["attributes"]["data-testid"], "place-order");
    assert_eq!(fp["xpath"], "/html[1]/body[1]/main[1]/div[1]/button[2]");
    let path: Vec<&str> = fp["path"].as_array().unwrap().iter().map(|n| n["tag"].as_str().unwrap()).collect();
    assert_eq!(path, ["html", "body", "main", "div", "button"]);
    assert_eq!(fp["path"][2]["id"], "content");
    assert_eq!(fp["path"][4]["index"], 1, "0-based among element siblings");
    let snap = dir.path().join("place-order.json");
    std::fs::write(&snap, &out.stdout).unwrap();

    let after = server.url("shop-class-renamed.html");
    let out = argus(
        dir.path(),
        &["heal", "--selector", ".submit-order", "--url", &after, "--snapshot", snap.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["selector"], ".submit-order");
    assert_eq!(report["url"], after.as_str());
    let cands = report["candidates"].as_array().unwrap();
    let top = &cands[0];
    assert_eq!(top["code"], "page.getByTestId('place-order')");
    assert_eq!(top["strategy"], "testid");
    assert_eq!(top["value"], "place-order");
    assert_eq!(top["source"], "dom_similarity");
    assert_eq!(top["validated"], true);
    assert_eq!(top["matches"], 1);
    assert_eq!(top["element"], serde_json::json!({"xpath": "/html[1]/body[1]/main[1]/div[1]/button[2]", "tag": "button", "text": "Place order"}));
    let score = top["score"].as_f64().unwrap();
    assert!((0.6..=1.0).contains(&score), "{score}");
    for c in cands {
        for key in ["code", "strategy", "value", "score", "source", "validated", "matches", "element"] {
            assert!(c.get(key).is_some(), "{key} missing in {c}");
        }
        if c["validated"] == false {
            assert!(c["why_not"].as_str().is_some_and(|w| !w.is_empty()), "{c}");
        }
    }
    // Best first: no unvalidated candidate before a validated one.
    let flags: Vec<bool> = cands.iter().map(|c| c["validated"].as_bool().unwrap()).collect();
    assert!(flags.windows(2).all(|w| w[0] >= w[1]), "{flags:?}");

    // Other styles through the flag; Selenium Python gets By.CSS_SELECTOR.
    let out = argus(
        dir.path(),
        &["heal", "--selector", ".submit-order", "--url", &after, "--snapshot", snap.to_str().unwrap(), "--style", "selenium-py"],
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["candidates"][0]["code"], "(By.CSS_SELECTOR, '[data-testid=\"place-order\"]')");
}

#[test]
fn snapshot_exits_1_on_zero_or_several_and_heal_1_when_nothing_validates() {
    let server = PageServer::start(pages_dir());
    let dir = tempfile::tempdir().unwrap();
    let shop = server.url("shop.html");
    let none = argus(dir.path(), &["snapshot", "--selector", "#nope", "--url", &shop]);
    assert_eq!(none.status.code(), Some(1));
    assert!(text(&none.stderr).contains("matches 0 elements"), "{}", text(&none.stderr));
    let several = argus(dir.path(), &["snapshot", "--selector", "xpath=//button", "--url", &shop]);
    assert_eq!(several.status.code(), Some(1));
    assert!(text(&several.stderr).contains("matches 3 elements"), "{}", text(&several.stderr));

    let out = argus(dir.path(), &["snapshot", "--selector", "#place-order", "--url", &shop]);
    let snap = dir.path().join("fp.json");
    std::fs::write(&snap, &out.stdout).unwrap();
    let removed = argus(
        dir.path(),
        &["heal", "--selector", "#place-order", "--url", &server.url("shop-removed.html"), "--snapshot", snap.to_str().unwrap()],
    );
    assert_eq!(removed.status.code(), Some(1), "{}", text(&removed.stderr));
    let report: Value = serde_json::from_slice(&removed.stdout).unwrap();
    assert!(report["candidates"].as_array().unwrap().iter().all(|c| c["validated"] == false), "{report}");
}

#[test]
fn refused_origins_and_bad_selectors_are_usage_errors_naming_the_cause() {
    let dir = tempfile::tempdir().unwrap();
    let out = argus(dir.path(), &["snapshot", "--selector", "#a", "--url", "https://example.org/"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("refusing to open https://example.org/") && err.contains("browser.allowed_origins"), "{err}");

    let out = argus(dir.path(), &["heal", "--selector", "role=button[pressed]", "--url", "http://127.0.0.1:1/"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--selector"), "{}", text(&out.stderr));

    // A workspace's playwright baseURL makes relative URLs work and allows its origin.
    std::fs::write(dir.path().join("playwright.config.ts"), "export default { use: { baseURL: 'https://staging.example.com' } }").unwrap();
    std::fs::write(dir.path().join("argus.toml"), "[browser]\nchromedriver = \"/nonexistent/chromedriver\"\n").unwrap();
    let out = argus(dir.path(), &["snapshot", "--selector", "#a", "--url", "/cart", "--workspace", "."]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot start chromedriver `/nonexistent/chromedriver`"), "origin allowed, then the driver named: {err}");
}
