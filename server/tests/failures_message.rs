//! Message facts, one fixture per pattern (tests/fixtures/failures/messages/).

mod failures {
    use argus_lsp::failures::message::{self, Hint};

    fn read(name: &str) -> String {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/failures/messages")
            .join(format!("{name}.txt"));
        std::fs::read_to_string(p).unwrap()
    }

    struct Want {
        file: &'static str,
        error_type: Option<&'static str>,
        selectors: &'static [&'static str],
        expected: Option<&'static str>,
        received: Option<&'static str>,
        timeout_ms: Option<u64>,
        strict: Option<u32>,
        net: Option<&'static str>,
        http: &'static [u16],
        urls: &'static [&'static str],
        hints: &'static [Hint],
    }

    const NONE: Want = Want {
        file: "",
        error_type: None,
        selectors: &[],
        expected: None,
        received: None,
        timeout_ms: None,
        strict: None,
        net: None,
        http: &[],
        urls: &[],
        hints: &[],
    };

    #[test]
    fn message_fixtures() {
        use Hint::*;
        let cases = [
            Want { file: "pw-locator-timeout", error_type: Some("TimeoutError"), selectors: &["locator('button.add-to-cart').first()"], timeout_ms: Some(2000), hints: &[Timeout], ..NONE },
            Want { file: "pw-to-have-text", error_type: Some("expect.toHaveText"), selectors: &["getByTestId('order-total')"], expected: Some("Total: $42.00"), received: Some("Order total: $42.00"), timeout_ms: Some(2000), hints: &[Timeout, AssertionMismatch], ..NONE },
            Want { file: "pw-strict-mode", error_type: Some("Error"), selectors: &["getByRole('button', { name: 'Proceed to checkout' })"], strict: Some(2), hints: &[StrictMode], ..NONE },
            Want { file: "pw-to-be-visible", error_type: Some("expect.toBeVisible"), selectors: &["getByTestId('stock-status')"], expected: Some("visible"), timeout_ms: Some(1500), hints: &[ElementNotFound, Timeout], ..NONE },
            Want { file: "pw-chained-locator", error_type: Some("TimeoutError"), selectors: &["locator('form').getByRole('button', { name: 'Save' }).first()"], timeout_ms: Some(2000), hints: &[Timeout], ..NONE },
            Want { file: "pw-get-by-role", error_type: Some("TimeoutError"), selectors: &["getByRole('button', { name: 'Save' })"], timeout_ms: Some(5000), hints: &[Timeout], ..NONE },
            Want { file: "pw-net-error", error_type: Some("Error"), net: Some("net::ERR_CONNECTION_REFUSED"), urls: &["http://127.0.0.1:4173/index.html"], hints: &[Navigation, Network], ..NONE },
            Want { file: "pw-goto-timeout", error_type: Some("TimeoutError"), timeout_ms: Some(5000), urls: &["http://127.0.0.1:4173/product.html?id=p1"], hints: &[Timeout, Navigation], ..NONE },
            Want { file: "jest-diff", error_type: Some("expect.toEqual"), expected: Some("Total: $42.00"), received: Some("Order total: $42.00"), hints: &[AssertionMismatch], ..NONE },
            Want { file: "jest-expected-string", error_type: Some("expect.toContain"), expected: Some("Total: $42.00"), received: Some("Order total: $42.00"), hints: &[AssertionMismatch], ..NONE },
            Want { file: "selenium-no-such-element", error_type: Some("NoSuchElementException"), selectors: &["button.add-to-cart"], hints: &[ElementNotFound], ..NONE },
            Want { file: "selenium-timeout", error_type: Some("TimeoutException"), hints: &[Timeout], ..NONE },
            Want { file: "pytest-assert", error_type: Some("AssertionError"), expected: Some("Total: $42.00"), received: Some("Order total: $42.00"), hints: &[AssertionMismatch], ..NONE },
            Want { file: "selenium-stale", error_type: Some("StaleElementReferenceException"), hints: &[StaleElement], ..NONE },
            Want { file: "selenium-click-intercepted", error_type: Some("ElementClickInterceptedException"), hints: &[ClickIntercepted], ..NONE },
            Want { file: "cypress-not-found", error_type: Some("AssertionError"), selectors: &["button.add-to-cart"], timeout_ms: Some(4000), hints: &[ElementNotFound, Timeout], ..NONE },
            Want { file: "cypress-have-text", error_type: Some("AssertionError"), selectors: &["<p#order-total.cart-total>"], expected: Some("Total: $42.00"), received: Some("Order total: $42.00"), timeout_ms: Some(4000), hints: &[Timeout, AssertionMismatch], ..NONE },
            Want { file: "wdio-not-displayed", error_type: Some("Error"), selectors: &["button.add-to-cart"], timeout_ms: Some(5000), hints: &[Timeout, NotVisible], ..NONE },
            Want { file: "wdio-expect-text", error_type: Some("Error"), selectors: &["#order-total"], expected: Some("Total: $42.00"), received: Some("Order total: $42.00"), hints: &[AssertionMismatch], ..NONE },
            Want { file: "http-503", error_type: Some("Error"), http: &[503], urls: &["http://127.0.0.1:4173/api/stock?id=p1"], hints: &[HttpError], ..NONE },
            Want { file: "http-500-reason", error_type: Some("Error"), http: &[500], urls: &["http://shop.test/api/orders/123"], hints: &[HttpError], ..NONE },
        ];
        let mut failures = Vec::new();
        for w in cases {
            let text = read(w.file);
            let f = message::extract(&text);
            let got = (
                message::error_type(&text),
                f.selectors.clone(),
                f.expected.clone(),
                f.received.clone(),
                f.timeout_ms,
                f.strict_violation_count,
                f.net_error.clone(),
                f.http_status.clone(),
                f.urls.clone(),
                f.hints.clone(),
            );
            let want = (
                w.error_type.map(str::to_string),
                w.selectors.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                w.expected.map(str::to_string),
                w.received.map(str::to_string),
                w.timeout_ms,
                w.strict,
                w.net.map(str::to_string),
                w.http.to_vec(),
                w.urls.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                w.hints.to_vec(),
            );
            if got != want {
                failures.push(format!("{}:\n  got  {got:?}\n  want {want:?}", w.file));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn locator_strings_of_chains() {
        assert_eq!(
            message::locator_strings("locator('form').getByRole('button', { name: 'Save' }).first()"),
            ["form", "button", "Save"]
        );
        assert_eq!(message::locator_strings("getByTestId(\"x\")"), ["x"]);
    }
}
