//! Playwright JSON report → events, on the real report of tests/examples.

// Inside `mod failures` so that `cargo test -p argus-lsp failures` selects these tests.
mod failures {
    use std::io::{BufReader, Cursor};
    use std::path::PathBuf;

    use argus_lsp::failures::{self as failures_api, FailureEvent, ReportFormat, Status};

    fn repo() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    fn real_report() -> failures_api::Report {
        let path = repo().join("tests/examples/reports/playwright/results.json");
        let f = std::fs::File::open(&path).unwrap();
        failures_api::parse_report("results.json", BufReader::new(f))
    }

    /// A readable one-block-per-event rendering for snapshots (paths made machine-neutral).
    pub fn render(events: &[FailureEvent]) -> String {
        let mut out = String::new();
        for e in events {
            out.push_str(&format!(
                "{} [{}] retry={} status={:?} outcome={:?} project={:?}\n",
                e.title_path.join(" › "),
                e.file.as_deref().unwrap_or("-"),
                e.retry,
                e.status,
                e.outcome,
                e.project
            ));
            if let Some(t) = &e.error_type {
                out.push_str(&format!("  error_type: {t}\n"));
                out.push_str(&format!(
                    "  message[0]: {}\n",
                    e.message.lines().next().unwrap_or("")
                ));
            }
            if let Some(l) = &e.location {
                out.push_str(&format!(
                    "  location: {}:{}:{}\n",
                    neutral(&l.file),
                    l.line,
                    l.column.map(|c| c.to_string()).unwrap_or_default()
                ));
            }
            if !e.selectors.is_empty() {
                out.push_str(&format!("  selectors: {:?}\n", e.selectors));
            }
            if e.expected.is_some() || e.received.is_some() {
                out.push_str(&format!("  expected: {:?} received: {:?}\n", e.expected, e.received));
            }
            if e.facts.timeout_ms.is_some() || e.facts.strict_violation_count.is_some() {
                out.push_str(&format!(
                    "  timeout_ms: {:?} strict_count: {:?}\n",
                    e.facts.timeout_ms, e.facts.strict_violation_count
                ));
            }
            if !e.facts.hints.is_empty() {
                out.push_str(&format!("  hints: {:?}\n", e.facts.hints));
            }
            for f in &e.stack {
                out.push_str(&format!(
                    "  at {}:{}:{} in_app={}\n",
                    neutral(&f.file),
                    f.line.unwrap_or(0),
                    f.column.unwrap_or(0),
                    f.in_app
                ));
            }
            for a in &e.attachments {
                out.push_str(&format!("  attachment {}: {}\n", a.name, neutral(a.path.as_deref().unwrap_or(""))));
            }
            if let Some(fp) = &e.fingerprint {
                out.push_str(&format!("  fingerprint: {fp}\n"));
            }
        }
        out
    }

    fn neutral(p: &str) -> String {
        p.replace("/work/main/", "<root>/")
    }

    #[test]
    fn real_report_events_snapshot() {
        let r = real_report();
        assert_eq!(r.format, ReportFormat::PlaywrightJson);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        insta::assert_snapshot!(render(&r.events));
    }

    #[test]
    fn real_report_stats_and_run() {
        let r = real_report();
        let s = r.stats.clone().unwrap();
        assert_eq!((s.expected, s.unexpected, s.flaky, s.skipped), (4, 3, 1, 0));
        assert_eq!(s.start_time.as_deref(), Some("2026-11-26T01:43:22.347Z"));
        assert!(r.events.iter().all(|e| e.run.started_at.as_deref() == Some("2026-11-26T01:43:22.347Z")));
        // 8 tests; the 3 failing ones and the flaky one ran twice.
        assert_eq!(r.events.len(), 12);
    }

    fn find<'a>(r: &'a failures_api::Report, title: &str, retry: u32) -> &'a FailureEvent {
        r.events
            .iter()
            .find(|e| e.name == title && e.retry == retry)
            .unwrap_or_else(|| panic!("no event {title} retry {retry}"))
    }

    #[test]
    fn locator_timeout() {
        let r = real_report();
        let e = find(&r, "adds a product to the cart", 0);
        assert_eq!(e.title_path, ["Catalog", "adds a product to the cart"]);
        assert_eq!(e.file.as_deref(), Some("catalog.spec.ts"));
        assert_eq!(
            e.resolved_file.as_deref(),
            Some("/work/main/tests/examples/playwright/catalog.spec.ts")
        );
        assert_eq!(e.status, Status::Failed);
        assert_eq!(e.error_type.as_deref(), Some("TimeoutError"));
        assert!(!e.message.contains('\u{1b}'), "ANSI left in {:?}", e.message);
        assert_eq!(e.selectors, ["locator('button.add-to-cart').first()"]);
        assert_eq!(failures_api::message::locator_strings(&e.selectors[0]), ["button.add-to-cart"]);
        assert_eq!(e.facts.timeout_ms, Some(2000));
        let l = e.location.as_ref().unwrap();
        assert_eq!((l.line, l.column), (18, Some(54)));
        assert!(l.file.ends_with("playwright/catalog.spec.ts"));
        let t = e.test_location.as_ref().unwrap();
        assert_eq!((t.file.as_str(), t.line, t.column), ("catalog.spec.ts", 17, Some(3)));
        assert_eq!(e.attachments[0].name, "error-context");
    }

    #[test]
    fn to_have_text_expected_received() {
        let r = real_report();
        let e = find(&r, "shows the order total", 1);
        assert_eq!(e.title_path, ["Cart", "shows the order total"]);
        assert_eq!(e.error_type.as_deref(), Some("expect.toHaveText"));
        assert_eq!(e.selectors, ["getByTestId('order-total')"]);
        assert_eq!(e.expected.as_deref(), Some("Total: $42.00"));
        assert_eq!(e.received.as_deref(), Some("Order total: $42.00"));
        let l = e.location.as_ref().unwrap();
        assert_eq!((l.line, l.column), (18, Some(36)));
        assert_eq!(e.stack.len(), 2);
        assert!(e.stack.iter().all(|f| f.in_app));
    }

    #[test]
    fn strict_mode_violation() {
        let r = real_report();
        let e = find(&r, "proceeds to checkout", 0);
        assert_eq!(e.selectors, ["getByRole('button', { name: 'Proceed to checkout' })"]);
        assert_eq!(e.facts.strict_violation_count, Some(2));
        assert_eq!(e.error_type.as_deref(), Some("Error"));
        let l = e.location.as_ref().unwrap();
        assert_eq!((l.line, l.column), (24, Some(31)));
    }

    #[test]
    fn flaky_test_failed_then_passed() {
        let r = real_report();
        let first = find(&r, "shows stock availability", 0);
        let second = find(&r, "shows stock availability", 1);
        assert_eq!(first.status, Status::Failed);
        assert_eq!(second.status, Status::Passed);
        assert_eq!(first.outcome.as_deref(), Some("flaky"));
        assert_eq!(second.outcome.as_deref(), Some("flaky"));
        assert_eq!(first.selectors, ["getByTestId('stock-status')"]);
        assert_eq!(first.error_type.as_deref(), Some("expect.toBeVisible"));
        assert_eq!(first.facts.timeout_ms, Some(1500));
        assert!(second.error_type.is_none() && second.message.is_empty() && second.fingerprint.is_none());
    }

    #[test]
    fn passed_events_have_no_error() {
        let r = real_report();
        let e = find(&r, "signs in", 0);
        assert_eq!(e.title_path, ["Account", "signs in"]);
        assert_eq!(e.status, Status::Passed);
        assert_eq!(e.outcome.as_deref(), Some("expected"));
        assert!(e.location.is_none());
        assert_eq!(e.test_location.as_ref().unwrap().line, 25);
    }

    /// A report whose `config` comes after `suites`, with a suite title after its specs, two
    /// projects, and errorLocation instead of error.location.
    #[test]
    fn config_after_suites_and_title_after_specs() {
        let json = r#"{
          "suites": [{"specs": [], "suites": [{
              "specs": [{"tests": [
                  {"projectName": "chromium", "results": [{"status": "failed", "retry": 0, "duration": 12.4,
                     "error": {"message": "Error: page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:9/orders/123?x=1"},
                     "errorLocation": {"file": "/r/e2e/a.spec.ts", "line": 3, "column": 9}}], "status": "unexpected"},
                  {"projectName": "firefox", "results": [{"status": "passed", "retry": 0, "duration": 3}], "status": "expected"}
                ], "title": "loads", "file": "a.spec.ts", "line": 2, "column": 5}],
              "title": "Orders"}],
            "title": "a.spec.ts", "file": "a.spec.ts"}],
          "config": {"rootDir": "/r", "projects": [{"name": "chromium", "testDir": "/r/e2e"}, {"name": "firefox", "testDir": "/r/ff"}],
                     "metadata": {"gitCommit": {"hash": "abc123", "branch": "main"}, "ci": {"buildHref": "https://ci.example/run/7"}}},
          "stats": {"startTime": "2026-01-01T00:00:00Z", "duration": 10, "expected": 1, "unexpected": 1, "flaky": 0, "skipped": 0}
        }"#;
        let r = failures_api::parse_report("x.json", Cursor::new(json));
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert_eq!(r.events.len(), 2);
        let a = &r.events[0];
        assert_eq!(a.title_path, ["Orders", "loads"]);
        assert_eq!(a.project.as_deref(), Some("chromium"));
        assert_eq!(a.resolved_file.as_deref(), Some("/r/e2e/a.spec.ts"));
        assert_eq!(r.events[1].resolved_file.as_deref(), Some("/r/ff/a.spec.ts"));
        assert_eq!(a.location.as_ref().unwrap().line, 3);
        assert_eq!(a.duration_ms, Some(12));
        assert_eq!(a.facts.net_error.as_deref(), Some("net::ERR_CONNECTION_REFUSED"));
        assert_eq!(a.run.commit_sha.as_deref(), Some("abc123"));
        assert_eq!(a.run.branch.as_deref(), Some("main"));
        assert_eq!(a.run.ci_url.as_deref(), Some("https://ci.example/run/7"));
        assert_eq!(a.run.started_at.as_deref(), Some("2026-01-01T00:00:00Z"));
    }
}
