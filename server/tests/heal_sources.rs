//! `argus-lsp heal` with the candidate sources besides the page: the Argus backend's
//! `/suggest` (a local stand-in speaking ARGUS-API.md) and the app's git history (a real
//! repository, the real git binary). Every candidate is still proved in real Chromium: a
//! suggestion that matches nothing on the page is listed, never validated.

mod heal_support;
mod support;

use std::path::Path;
use std::process::{Command, Output};

use heal_support::PageServer;
use serde_json::Value;
use support::{backend, git};

fn argus(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_argus-lsp"));
    cmd.args(args).current_dir(dir).env("XDG_CACHE_HOME", dir.join(".cache"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run argus-lsp")
}

fn candidates(out: &Output) -> Vec<Value> {
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    report["candidates"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backend_suggestion_is_validated_on_the_page_and_keeps_its_pattern_id() {
    let server = backend::Server::start().await;
    let pages = PageServer::start(support::examples().join("app"));
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(
        ws.path().join("argus.toml"),
        format!("[backend]\nurl = \"{}\"\ntoken_env = \"ARGUS_HEAL_TOKEN\"\norganization_id = \"org-1\"\nproject_id = \"proj-123\"\n", server.url),
    )
    .unwrap();
    let url = pages.url("product.html");
    let dir = ws.path().to_path_buf();
    let args = ["heal", "--selector", "button.add-to-cart", "--url", url.as_str(), "--workspace", dir.to_str().unwrap(), "--format", "json"];
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let out = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        argus(&dir, &args, &[("ARGUS_HEAL_TOKEN", "secret-heal-token")])
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("secret-heal-token") && !String::from_utf8_lossy(&out.stdout).contains("secret-heal-token"), "the token is never printed");

    // The stand-in suggests `[data-testid="add-to-cart"]` (tests/fixtures/backend/suggest.json).
    let cands = candidates(&out);
    let top = &cands[0];
    assert_eq!(top["code"], "page.locator('[data-testid=\"add-to-cart\"]')", "{cands:#?}");
    assert_eq!((top["source"].as_str(), top["validated"].as_bool(), top["matches"].as_u64()), (Some("backend"), Some(true), Some(1)));
    assert_eq!(top["score"], 0.92, "the backend's confidence");
    assert_eq!(top["pattern_id"], "5b0e7c4a-1111-4222-8333-444455556666", "applied heals approve this pattern");
    assert!(top["evidence"].as_str().unwrap().contains("its test id is stable"), "{top}");
    assert_eq!(top["element"]["tag"], "button");

    let suggest = server.requests().into_iter().find(|r| r.target.ends_with("/api/v1/healing/organizations/org-1/suggest")).expect("/suggest asked");
    assert_eq!(suggest.method, "POST");
    assert_eq!(suggest.header("authorization"), Some("Bearer secret-heal-token"));
    let body: Value = serde_json::from_slice(&suggest.body).unwrap();
    assert_eq!((body["selector"].as_str(), body["skip_cache"].as_bool(), body["force_llm"].as_bool()), (Some("button.add-to-cart"), Some(false), Some(false)));

    // A suggestion the page disproves is shown with the reason, never validated.
    server.set(|req| {
        if req.target.ends_with("/suggest") {
            backend::ok(br##"{"suggestions":[{"fix_type":"update_selector","old_value":"button.add-to-cart","new_value":"#no-such-button","confidence":0.99,"explanation":"guess"}],"source":"llm","latency_ms":900,"confidence":0.99,"intent":null,"cached":false,"metadata":{}}"##.to_vec())
        } else {
            backend::fixtures(req)
        }
    });
    let dir = ws.path().to_path_buf();
    let url2 = url.clone();
    let out = tokio::task::spawn_blocking(move || {
        argus(&dir, &["heal", "--selector", "button.add-to-cart", "--url", &url2, "--workspace", dir.to_str().unwrap(), "--format", "json"], &[("ARGUS_HEAL_TOKEN", "t")])
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(1), "nothing validated: {}", String::from_utf8_lossy(&out.stderr));
    let guess = candidates(&out).into_iter().find(|c| c["source"] == "backend").expect("the suggestion is listed");
    assert_eq!((guess["code"].as_str(), guess["validated"].as_bool()), (Some("page.locator('#no-such-button')"), Some(false)));
    assert_eq!(guess["why_not"], "matches no element");

    // The backend down: the heal goes on with the other sources and says why once.
    server.stop().await;
    let dir = ws.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        argus(&dir, &["heal", "--selector", "button.add-to-cart", "--url", &url, "--workspace", dir.to_str().unwrap(), "--format", "json"], &[("ARGUS_HEAL_TOKEN", "t")])
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.matches("argus-lsp: backend:").count(), 1, "{stderr}");
}

#[test]
fn a_rename_in_the_apps_history_heals_a_selector_nothing_recorded() {
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path();
    let site = root.join("site");
    std::fs::create_dir_all(&site).unwrap();
    let pages = heal_support::pages_dir();
    std::fs::copy(pages.join("shop.html"), site.join("index.html")).unwrap();
    // Another page once had the same test id and renamed it differently: history offers
    // it, the page refutes it.
    std::fs::write(site.join("legacy.html"), "<main>\n  <button data-testid=\"buy-lamp\">Buy</button>\n</main>\n").unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "Shop"]);
    std::fs::write(site.join("legacy.html"), "<main>\n  <button data-testid=\"purchase-lamp\">Buy</button>\n</main>\n").unwrap();
    git(root, &["commit", "-q", "-am", "Legacy page: purchase"]);
    std::fs::copy(pages.join("shop-testid-changed.html"), site.join("index.html")).unwrap();
    git(root, &["commit", "-q", "-am", "Shop: add-lamp"]);
    let sha = git(root, &["rev-parse", "--short=10", "HEAD"]);

    let server = PageServer::start(site.clone());
    let url = server.url("index.html");
    let out = argus(root, &["heal", "--selector", "data-testid=buy-lamp", "--url", &url, "--workspace", root.to_str().unwrap(), "--format", "json"], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("no recorded fingerprint"), "the page alone could not heal it: {stderr}");
    let cands = candidates(&out);
    let top = &cands[0];
    assert_eq!((top["code"].as_str(), top["source"].as_str(), top["validated"].as_bool()), (Some("page.getByTestId('add-lamp')"), Some("git_history"), Some(true)), "{cands:#?}");
    assert_eq!(top["evidence"], format!("renamed `buy-lamp` → `add-lamp` in {sha} \"Shop: add-lamp\" (site/index.html:21)"));
    assert_eq!(top["element"]["xpath"], "/html[1]/body[1]/main[1]/section[1]/button[1]", "{top}");
    let other = cands.iter().find(|c| c["code"] == "page.getByTestId('purchase-lamp')").expect("the other rename is listed");
    assert_eq!((other["validated"].as_bool(), other["why_not"].as_str()), (Some(false), Some("matches no element")));

    // Selenium style from the same history.
    let out = argus(root, &["heal", "--selector", "[data-testid=\"buy-lamp\"]", "--url", &url, "--workspace", root.to_str().unwrap(), "--style", "selenium-py", "--format", "json"], &[]);
    assert_eq!(candidates(&out)[0]["code"], "(By.CSS_SELECTOR, '[data-testid=\"add-lamp\"]')");
}
