//! JUnit XML → events, on real reports (pytest xunit1/xunit2, Playwright junit, jest-junit)
//! and a hand-written Maven surefire report.

// Inside `mod failures` so that `cargo test -p argus-lsp failures` selects these tests.
mod failures {
    use std::io::{BufReader, Cursor};
    use std::path::PathBuf;

    use argus_lsp::failures::{self as failures_api, FailureEvent, ReportFormat, Status};

    fn repo() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    fn parse(rel: &str) -> failures_api::Report {
        let f = std::fs::File::open(repo().join(rel)).unwrap();
        failures_api::parse_report(rel, BufReader::new(f))
    }

    fn find<'a>(r: &'a failures_api::Report, name: &str) -> &'a FailureEvent {
        r.events.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("no {name}"))
    }

    fn render(events: &[FailureEvent]) -> String {
        let mut out = String::new();
        for e in events {
            out.push_str(&format!(
                "{:?} / {:?} file={:?} resolved={:?} status={:?} retry={} ms={:?}\n",
                e.classname, e.title_path, e.file, e.resolved_file, e.status, e.retry, e.duration_ms
            ));
            if let Some(t) = &e.error_type {
                out.push_str(&format!("  error_type: {t}\n  message[0]: {}\n", e.message.lines().next().unwrap_or("")));
            }
            for (k, l) in [("location", &e.location), ("test_location", &e.test_location)] {
                if let Some(l) = l {
                    out.push_str(&format!("  {k}: {}:{}:{:?}\n", l.file.replace("/work/main/", "<root>/"), l.line, l.column));
                }
            }
            if !e.selectors.is_empty() {
                out.push_str(&format!("  selectors: {:?}\n", e.selectors));
            }
            if e.expected.is_some() || e.received.is_some() {
                out.push_str(&format!("  expected: {:?} received: {:?}\n", e.expected, e.received));
            }
            if !e.facts.hints.is_empty() {
                out.push_str(&format!("  hints: {:?}\n", e.facts.hints));
            }
            let frames: Vec<String> = e
                .stack
                .iter()
                .map(|f| format!("{}:{}{}", f.file.rsplit('/').next().unwrap_or(""), f.line.unwrap_or(0), if f.in_app { "" } else { "(lib)" }))
                .collect();
            if !frames.is_empty() {
                out.push_str(&format!("  stack: {}\n", frames.join(" < ")));
            }
            for a in &e.attachments {
                out.push_str(&format!("  attachment: {}\n", a.path.as_deref().unwrap_or("")));
            }
            if let Some(fp) = &e.fingerprint {
                out.push_str(&format!("  fingerprint: {fp}\n"));
            }
        }
        out
    }

    #[test]
    fn pytest_xunit2() {
        let r = parse("tests/examples/reports/pytest/junit.xml");
        assert_eq!(r.format, ReportFormat::Junit);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert_eq!(r.events.len(), 7);
        let e = find(&r, "test_add_to_cart");
        assert_eq!(e.status, Status::Failed);
        assert_eq!(e.classname.as_deref(), Some("test_shop"));
        assert_eq!(e.file, None);
        assert_eq!(e.resolved_file.as_deref(), Some("test_shop.py"));
        assert_eq!(e.error_type.as_deref(), Some("NoSuchElementException"));
        assert_eq!(e.selectors, ["button.add-to-cart"]);
        let l = e.location.as_ref().unwrap();
        assert_eq!((l.file.as_str(), l.line), ("python/test_shop.py", 23));
        // Selenium's frames are library code.
        assert!(e.stack.iter().filter(|f| f.file.contains("site-packages")).all(|f| !f.in_app));
        assert_eq!(e.run.started_at.as_deref(), Some("2026-11-26T01:43:56.552191+00:00"));

        let e = find(&r, "test_stock_badge");
        assert_eq!(e.error_type.as_deref(), Some("TimeoutException"));
        assert_eq!(e.location.as_ref().unwrap().line, 40);
        assert!(e.facts.hints.contains(&failures_api::Hint::Timeout));

        let e = find(&r, "test_cart_total");
        assert_eq!(e.error_type.as_deref(), Some("AssertionError"));
        assert_eq!(e.expected.as_deref(), Some("Total: $42.00"));
        assert_eq!(e.received.as_deref(), Some("Order total: $42.00"));
        assert_eq!(e.location.as_ref().unwrap().line, 49);

        let e = find(&r, "test_sign_in");
        assert_eq!(e.status, Status::Passed);
        assert_eq!(e.resolved_file.as_deref(), Some("test_account.py"));
        let s = r.stats.as_ref().unwrap();
        assert_eq!((s.expected, s.unexpected, s.skipped), (4, 3, 0));
        insta::assert_snapshot!(render(&r.events));
    }

    #[test]
    fn pytest_xunit1_file_and_line() {
        let r = parse("tests/examples/reports/pytest/junit-xunit1.xml");
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        let e = find(&r, "test_add_to_cart");
        assert_eq!(e.file.as_deref(), Some("test_shop.py"));
        // 0-based `line` of the def → 1-based.
        let t = e.test_location.as_ref().unwrap();
        assert_eq!((t.file.as_str(), t.line), ("test_shop.py", 21));
        assert_eq!(e.location.as_ref().unwrap().line, 23);
        assert_eq!(e.selectors, ["button.add-to-cart"]);
        insta::assert_snapshot!(render(&r.events));
    }

    #[test]
    fn playwright_junit() {
        let r = parse("tests/examples/reports/playwright/junit.xml");
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert_eq!(r.events.len(), 8);
        let e = find(&r, "Catalog › adds a product to the cart");
        assert_eq!(e.title_path, ["Catalog", "adds a product to the cart"]);
        assert_eq!(e.file.as_deref(), Some("catalog.spec.ts"));
        assert_eq!(e.error_type.as_deref(), Some("TimeoutError"));
        assert_eq!(e.selectors, ["locator('button.add-to-cart').first()"]);
        assert_eq!(e.retry, 1);
        let l = e.location.as_ref().unwrap();
        assert_eq!((l.line, l.column), (18, Some(54)));
        let t = e.test_location.as_ref().unwrap();
        assert_eq!((t.file.as_str(), t.line), ("catalog.spec.ts", 17));

        let e = find(&r, "Cart › shows the order total");
        assert_eq!(e.error_type.as_deref(), Some("expect.toHaveText"));
        assert_eq!(e.expected.as_deref(), Some("Total: $42.00"));
        assert_eq!(e.received.as_deref(), Some("Order total: $42.00"));
        assert_eq!(e.selectors, ["getByTestId('order-total')"]);
        assert_eq!(e.attachments.len(), 2);

        let e = find(&r, "Cart › proceeds to checkout");
        assert_eq!(e.selectors, ["getByRole('button', { name: 'Proceed to checkout' })"]);
        assert_eq!(e.facts.strict_violation_count, Some(2));
        // The JSON and JUnit reports of one run agree on the fingerprint.
        assert_eq!(e.fingerprint.as_deref(), Some("2b1e0d0b53f2"));

        // The flaky test passed in the end; JUnit shows it as passed.
        assert_eq!(find(&r, "Catalog › shows stock availability").status, Status::Passed);
        insta::assert_snapshot!(render(&r.events));
    }

    #[test]
    fn jest_junit_real_report() {
        let r = parse("tests/fixtures/failures/jest-junit.xml");
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        insta::assert_snapshot!(render(&r.events));
        let e = r.events.iter().find(|e| e.status == Status::Failed).unwrap();
        assert_eq!(e.expected.as_deref(), Some("Total: $42.00"));
        assert_eq!(e.received.as_deref(), Some("Order total: $42.00"));
        assert!(e.location.as_ref().unwrap().file.ends_with("cart.test.js"));
        assert!(r.events.iter().any(|e| e.status == Status::Skipped));
    }

    #[test]
    fn maven_surefire() {
        let r = parse("tests/fixtures/failures/surefire-TEST-com.example.shop.CartIT.xml");
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        insta::assert_snapshot!(render(&r.events));
        let e = find(&r, "addsProductToCart");
        assert_eq!(e.error_type.as_deref(), Some("NoSuchElementException"));
        assert_eq!(e.selectors, ["button.add-to-cart"]);
        assert_eq!(e.resolved_file, None, "a Java classname is not a Python module");
        let e = find(&r, "showsOrderTotal");
        assert_eq!(e.error_type.as_deref(), Some("AssertionFailedError"));
        assert_eq!(e.status, Status::Failed);
        assert_eq!(find(&r, "appliesCoupon").status, Status::Skipped);
    }

    #[test]
    fn failure_error_skipped_and_nesting() {
        let xml = r#"<?xml version="1.0"?>
    <testsuites><testsuite name="outer" timestamp="2026-01-02T03:04:05"><testsuite name="inner">
      <testcase classname="tests.unit.test_x.TestY" name="a" time="0.5"><failure message="AssertionError: assert 1 == 2" type="AssertionError">tests/unit/test_x.py:12: AssertionError</failure></testcase>
      <testcase classname="tests.unit.test_x.TestY" name="b"><error message="fixture broke">E   RuntimeError: x&#10;tests/conftest.py:3: RuntimeError</error></testcase>
      <testcase classname="tests.unit.test_x.TestY" name="c"><skipped message="not today" type="pytest.skip"/></testcase>
      <testcase classname="tests.unit.test_x.TestY" name="d"><system-out>hello &amp; bye</system-out></testcase>
    </testsuite></testsuite></testsuites>"#;
        let r = failures_api::parse_report("x.xml", Cursor::new(xml));
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        let st: Vec<Status> = r.events.iter().map(|e| e.status).collect();
        assert_eq!(st, [Status::Failed, Status::Failed, Status::Skipped, Status::Passed]);
        assert_eq!(r.events[0].resolved_file.as_deref(), Some("tests/unit/test_x.py"));
        assert_eq!(r.events[0].location.as_ref().unwrap().line, 12);
        assert_eq!(r.events[0].expected.as_deref(), Some("2"));
        assert_eq!(r.events[0].duration_ms, Some(500));
        assert_eq!(r.events[1].location.as_ref().unwrap().file, "tests/conftest.py");
        assert_eq!(r.events[3].output.as_deref(), Some("hello & bye"));
        assert_eq!(r.events[0].run.started_at.as_deref(), Some("2026-01-02T03:04:05"));
    }
}
