//! The Argus backend client against a local HTTP/1.1 server on 127.0.0.1 that answers with
//! ARGUS-API.md's field names (tests/fixtures/backend), and faults: 401, 500, a server that
//! never answers, truncated JSON, wrong types, a 100 MB body, 304 with ETag.

use std::time::{Duration, Instant};

use argus_lsp::config;
use argus_lsp::failures::EventSource;
use argus_lsp::sources::backend::{
    BackendClient, BackendErrorKind, BackendStatus, Backoff, ClientOptions, Origin, Poller, SuggestRequest, poll_loop,
};
use argus_lsp::store::Store;

mod support;

use support::backend::{Reply, Server, fixture, fixtures, ok};

const TOKEN: &str = "s3cr3t-T0KEN-do-not-leak";


fn cfg(url: &str) -> config::Backend {
    config::Backend {
        url: url.to_string(),
        organization_id: "org-1".into(),
        project_id: "proj-123".into(),
        branch: "main".into(),
        ..config::Backend::default()
    }
}

fn quick() -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_millis(800),
        min_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(100),
        poll_interval: Some(Duration::from_millis(50)),
        ..ClientOptions::default()
    }
}

fn client(url: &str, token: &str) -> BackendClient {
    BackendClient::with_options(&cfg(url), Some(token.to_string()), quick()).unwrap().unwrap()
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

fn assert_no_token(text: &str) {
    assert!(!text.contains(TOKEN), "token leaked: {text}");
    assert!(!text.contains("s3cr3t"), "token leaked: {text}");
}

#[tokio::test]
async fn reads_every_endpoint_with_the_documented_field_names() {
    let server = Server::start().await;
    let (_d, store) = store();
    let c = client(&server.url, TOKEN);

    let builds = c.builds(&store).await.unwrap();
    assert_eq!(builds.origin, Origin::Fresh);
    let runs = builds.data;
    assert_eq!(runs.len(), 2);
    let r = &runs[0];
    assert_eq!(r.key, "argus:9876543210");
    assert_eq!(r.info.commit_sha.as_deref(), Some("3f2a9c1d4b5e6f708192a3b4c5d6e7f809a1b2c3"));
    assert_eq!(r.info.branch.as_deref(), Some("main"));
    assert_eq!(r.info.ci_url.as_deref(), Some("https://github.com/acme/shop/actions/runs/9876543210"));
    let stats = r.stats.as_ref().unwrap();
    assert_eq!((stats.expected, stats.unexpected, stats.skipped), (39, 3, 0));
    assert_eq!(stats.duration_ms, Some(184_500.0));
    assert_eq!(r.events.len(), 2);
    let e = &r.events[0];
    assert_eq!(e.source, EventSource::ArgusBackend);
    assert_eq!(e.name, "checkout › adds an item to the cart");
    assert_eq!(e.classname.as_deref(), Some("tests/checkout.spec.ts"));
    assert_eq!(e.error_type.as_deref(), Some("TimeoutError"));
    assert_eq!(e.selectors, ["locator('button.add-to-cart')"]);
    assert!(e.fingerprint.is_some());
    assert!(r.events[1].selectors.iter().any(|s| s.contains("#buy-now")), "{:?}", r.events[1].selectors);
    assert!(runs[1].events.is_empty());

    let patterns = c.patterns(&store).await.unwrap().data;
    assert_eq!(patterns.len(), 1);
    assert_eq!(patterns[0].healed_selector, "[data-testid=\"add-to-cart\"]");
    assert_eq!((patterns[0].success_count, patterns[0].failure_count), (7, 1));
    let events = c.events(&store).await.unwrap().data;
    assert_eq!(events[0].occurrence_count, 17);
    assert_eq!(events[0].component.as_deref(), Some("Cart"));
    let risks = c.risk_scores(&store).await.unwrap().data;
    assert_eq!(risks[0].overall_risk_score, 72.5);

    let s = c
        .suggest(&SuggestRequest {
            error_message: "waiting for locator('button.add-to-cart')".into(),
            selector: Some("button.add-to-cart".into()),
            ..SuggestRequest::default()
        })
        .await
        .unwrap();
    assert_eq!(s.suggestions[0].fix_type, "update_selector");
    assert_eq!(s.source, "cache");
    c.feedback("5b0e7c4a-1111-4222-8333-444455556666", true).await.unwrap();

    let reqs = server.requests();
    let b = reqs.iter().find(|r| r.target.starts_with("/api/v1/cicd/builds")).unwrap();
    assert_eq!(b.method, "GET");
    assert!(b.target.contains("project_id=proj-123") && b.target.contains("branch=main") && b.target.contains("limit="), "{}", b.target);
    assert_eq!(b.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert!(reqs.iter().any(|r| r.target.starts_with("/api/v1/healing/organizations/org-1/patterns?")));
    assert!(reqs.iter().any(|r| r.target.starts_with("/api/v1/quality/events?project_id=proj-123")));
    let post = reqs.iter().find(|r| r.target.ends_with("/suggest")).unwrap();
    assert_eq!(post.method, "POST");
    let sent: serde_json::Value = serde_json::from_slice(&post.body).unwrap();
    assert_eq!(sent["selector"], "button.add-to-cart");
    assert_eq!(sent["skip_cache"], false);
    assert_eq!(sent["force_llm"], false);
    assert!(reqs.iter().any(|r| r.method == "POST" && r.target == "/api/v1/healing/organizations/org-1/approve/5b0e7c4a-1111-4222-8333-444455556666"));
}

#[tokio::test]
async fn api_keys_go_in_x_api_key() {
    let server = Server::start().await;
    let (_d, store) = store();
    client(&server.url, "argus_sk_abc123").builds(&store).await.unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.header("x-api-key"), Some("argus_sk_abc123"));
    assert_eq!(r.header("authorization"), None);
}

#[tokio::test]
async fn etag_is_sent_back_and_304_answers_from_the_cache() {
    let server = Server::start().await;
    let (_d, store) = store();
    let c = client(&server.url, TOKEN);
    server.set(|req| match req.header("if-none-match") {
        Some("\"v1\"") => Reply::NotModified,
        _ => Reply::Json { status: 200, etag: Some("\"v1\"".into()), body: fixture("builds.json") },
    });
    let first = c.builds(&store).await.unwrap();
    assert_eq!(first.origin, Origin::Fresh);
    let second = c.builds(&store).await.unwrap();
    assert_eq!(second.origin, Origin::NotModified);
    assert_eq!(second.data, first.data);
    let reqs = server.requests();
    assert_eq!(reqs[0].header("if-none-match"), None);
    assert_eq!(reqs[1].header("if-none-match"), Some("\"v1\""));
}

#[tokio::test]
async fn each_fault_keeps_the_last_good_data_and_says_what_happened_without_the_token() {
    let server = Server::start().await;
    let (_d, store) = store();
    let c = client(&server.url, TOKEN);
    let good = c.builds(&store).await.unwrap().data;
    assert_eq!(good.len(), 2);

    let truncated = fixture("builds.json")[..200].to_vec();
    type Fault = (&'static str, Reply, fn(BackendErrorKind) -> bool);
    let faults: Vec<Fault> = vec![
        ("401", Reply::Json { status: 401, etag: None, body: b"{\"detail\":\"Invalid token\"}".to_vec() }, |k| k == BackendErrorKind::Unauthorized),
        ("500", Reply::Json { status: 500, etag: None, body: b"Internal Server Error".to_vec() }, |k| k == BackendErrorKind::Status(500)),
        ("timeout", Reply::Hang, |k| k == BackendErrorKind::Timeout),
        ("truncated JSON", ok(truncated.clone()), |k| k == BackendErrorKind::InvalidResponse),
        ("cut connection", Reply::CutConnection(truncated), |k| matches!(k, BackendErrorKind::InvalidResponse | BackendErrorKind::Unreachable)),
        ("wrong types", ok(fixture("wrong-types.json")), |k| k == BackendErrorKind::InvalidResponse),
        ("not a list", ok(b"{\"builds\": 42}".to_vec()), |k| k == BackendErrorKind::InvalidResponse),
        ("html", ok(b"<html>login</html>".to_vec()), |k| k == BackendErrorKind::InvalidResponse),
    ];
    for (name, reply, kind_ok) in faults {
        server.set(move |_| reply.clone());
        let started = Instant::now();
        let got = c.builds(&store).await.unwrap_or_else(|e| panic!("{name}: no cached data: {e}"));
        assert!(started.elapsed() < Duration::from_secs(5), "{name}: stalled {:?}", started.elapsed());
        assert_eq!(got.data, good, "{name}: last good data not kept");
        let Origin::Cached(err) = got.origin else { panic!("{name}: origin {:?}", got.origin) };
        assert!(kind_ok(err.kind), "{name}: kind {:?}: {err}", err.kind);
        let text = format!("{err} {err:?}");
        assert!(text.contains("/api/v1/cicd/builds"), "{name}: {text}");
        assert_no_token(&text);
    }
}

#[tokio::test]
async fn an_error_body_echoing_the_token_is_redacted() {
    let server = Server::start().await;
    let (_d, store) = store();
    let c = client(&server.url, TOKEN);
    server.set(|req| Reply::Json {
        status: 500,
        etag: None,
        body: format!("boom; you sent {}", req.header("authorization").unwrap_or("")).into_bytes(),
    });
    let err = c.builds(&store).await.unwrap_err();
    assert_eq!(err.kind, BackendErrorKind::Status(500));
    assert!(err.message.contains("boom"), "{err}");
    assert_no_token(&format!("{err} {err:?}"));
    assert_no_token(&format!("{c:?}"));
    assert!(format!("{c:?}").contains("redacted"));
}

fn vm_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_100_mb_body_is_abandoned_at_the_cap_with_bounded_memory() {
    let server = Server::start().await;
    let (_d, store) = store();
    let c = BackendClient::with_options(
        &cfg(&server.url),
        Some(TOKEN.into()),
        ClientOptions { timeout: Duration::from_secs(20), ..quick() },
    )
    .unwrap()
    .unwrap();
    let rss_before = vm_kib("VmRSS:");
    server.set(|_| Reply::Stream(100 * 1024 * 1024));
    let started = Instant::now();
    let err = c.builds(&store).await.unwrap_err();
    assert_eq!(err.kind, BackendErrorKind::TooLarge, "{err}");
    assert!(err.to_string().contains("16777216"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(15));
    let grew_mib = vm_kib("VmHWM:").saturating_sub(rss_before) / 1024;
    assert!(grew_mib < 64, "peak memory grew by {grew_mib} MiB for a 100 MB body");
    // With a Content-Length past the cap, the body is not even read.
    server.set(|_| Reply::Json { status: 200, etag: None, body: vec![b' '; 17 * 1024 * 1024] });
    assert_eq!(c.builds(&store).await.unwrap_err().kind, BackendErrorKind::TooLarge);
}

#[tokio::test]
async fn an_offline_restart_returns_the_last_known_builds() {
    let server = Server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let good = {
        let store = Store::open(dir.path()).unwrap();
        let c = client(&server.url, TOKEN);
        c.patterns(&store).await.unwrap();
        c.builds(&store).await.unwrap().data
    };
    let store = Store::open(dir.path()).unwrap();
    // Same URL key: the cache is per URL, so point the new client at the same base.
    let offline = BackendClient::with_options(&cfg(&server.url), Some(TOKEN.into()), quick()).unwrap().unwrap();
    server.stop().await;
    let got = offline.builds(&store).await.unwrap();
    assert_eq!(got.data, good);
    assert_eq!(offline.cached_builds(&store).unwrap(), good);
    assert_eq!(offline.cached_patterns(&store).unwrap().len(), 1);
    assert!(offline.cached_events(&store).is_none(), "events were never fetched");
    // Nothing cached for another backend: an error saying it could not connect.
    let other = BackendClient::with_options(&cfg(&dead_url()), Some(TOKEN.into()), quick()).unwrap().unwrap();
    let err = other.builds(&store).await.unwrap_err();
    assert_eq!(err.kind, BackendErrorKind::Unreachable, "{err}");
    assert_no_token(&err.to_string());
}

fn dead_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", l.local_addr().unwrap())
}

#[tokio::test]
async fn the_poller_reports_each_fault_once_and_recovers() {
    let server = Server::start().await;
    let (_d, store) = store();
    let mut poller = Poller::new(client(&server.url, TOKEN), store);

    let u = poller.poll().await;
    assert_eq!(u.status, BackendStatus::Connected);
    assert!(!u.first_report && u.fresh);
    assert_eq!((u.runs.len(), u.patterns.len(), u.events.len()), (2, 1, 1));
    assert_eq!(poller.next_delay(), Duration::from_millis(50));

    let steps: Vec<(Reply, &str, bool)> = vec![
        (Reply::Json { status: 500, etag: None, body: vec![] }, "offline", true),
        (Reply::Json { status: 503, etag: None, body: vec![] }, "offline", false),
        (Reply::Hang, "offline", false),
        (ok(b"{\"builds\": [".to_vec()), "offline", false),
        (Reply::Stream(100 * 1024 * 1024), "offline", false),
        (Reply::Json { status: 401, etag: None, body: vec![] }, "unauthorized", true),
        (Reply::Json { status: 403, etag: None, body: vec![] }, "unauthorized", false),
    ];
    for (i, (reply, want, first)) in steps.into_iter().enumerate() {
        server.set(move |_| reply.clone());
        let started = Instant::now();
        let u = poller.poll().await;
        assert!(started.elapsed() < Duration::from_secs(10), "step {i} stalled");
        let got = match &u.status {
            BackendStatus::Connected => "connected",
            BackendStatus::Offline { reason } | BackendStatus::Unauthorized { reason } => {
                assert_no_token(reason);
                if matches!(u.status, BackendStatus::Offline { .. }) { "offline" } else { "unauthorized" }
            }
        };
        assert_eq!(got, want, "step {i}: {:?}", u.status);
        assert_eq!(u.first_report, first, "step {i}: {:?}", u.status);
        assert_eq!(u.runs.len(), 2, "step {i}: last good runs kept");
        assert_eq!(u.patterns.len(), 1, "step {i}: last good patterns kept");
        let d = poller.next_delay();
        assert!(d <= Duration::from_millis(100), "step {i}: backoff {d:?} over the cap");
    }
    server.set(fixtures);
    let u = poller.poll().await;
    assert_eq!(u.status, BackendStatus::Connected);
    server.set(|_| Reply::Json { status: 500, etag: None, body: vec![] });
    assert!(poller.poll().await.first_report, "a new outage after a recovery is reported again");
}

#[tokio::test]
async fn poll_loop_sends_updates_and_stops_when_the_receiver_is_gone() {
    let server = Server::start().await;
    let (_d, store) = store();
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    let task = tokio::spawn(poll_loop(client(&server.url, TOKEN), store, tx, Default::default()));
    for _ in 0..2 {
        let u = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.unwrap().unwrap();
        assert_eq!(u.status, BackendStatus::Connected);
    }
    drop(rx);
    tokio::time::timeout(Duration::from_secs(10), task).await.expect("poll_loop did not stop").unwrap();
}

#[tokio::test]
async fn poll_loop_polls_at_once_when_woken() {
    let server = Server::start().await;
    let (_d, store) = store();
    let options = ClientOptions { poll_interval: Some(Duration::from_secs(3600)), ..quick() };
    let client = BackendClient::with_options(&cfg(&server.url), Some(TOKEN.to_string()), options).unwrap().unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    let _task = tokio::spawn(poll_loop(client, store, tx, wake.clone()));
    tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.unwrap().unwrap();
    // the next poll is an hour away unless woken
    assert!(tokio::time::timeout(Duration::from_millis(300), rx.recv()).await.is_err(), "polled before the interval");
    wake.notify_one();
    let u = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.expect("woken poll").unwrap();
    assert_eq!(u.status, BackendStatus::Connected);
}

#[test]
fn backoff_doubles_with_jitter_up_to_the_cap_and_resets() {
    let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(30));
    let mut ceilings = Vec::new();
    for _ in 0..8 {
        let d = b.next_delay();
        let ceiling = Duration::from_secs(1).saturating_mul(1 << ceilings.len()).min(Duration::from_secs(30));
        assert!(d >= ceiling / 2 && d <= ceiling, "{d:?} not in [{:?}, {ceiling:?}]", ceiling / 2);
        ceilings.push(ceiling);
    }
    assert_eq!(b.attempts(), 8);
    b.reset();
    assert!(b.next_delay() <= Duration::from_secs(1));
}

#[test]
fn configuration_without_url_is_no_client_and_a_bad_url_is_an_error() {
    assert!(BackendClient::from_config(&config::Backend::default()).unwrap().is_none());
    let err = BackendClient::with_options(&cfg("ftp://x"), None, ClientOptions::default()).unwrap_err();
    assert_eq!(err.kind, BackendErrorKind::Config);
    let err = BackendClient::with_options(&cfg("not a url"), Some(TOKEN.into()), ClientOptions::default()).unwrap_err();
    assert_no_token(&format!("{err} {err:?}"));
}

#[tokio::test]
async fn a_missing_token_is_explained_on_401() {
    let server = Server::start().await;
    let (_d, store) = store();
    let c = BackendClient::with_options(&cfg(&server.url), None, quick()).unwrap().unwrap();
    server.set(|_| Reply::Json { status: 401, etag: None, body: vec![] });
    let err = c.builds(&store).await.unwrap_err();
    assert_eq!(err.kind, BackendErrorKind::Unauthorized);
    assert!(err.message.contains("ARGUS_API_TOKEN"), "{err}");
}
