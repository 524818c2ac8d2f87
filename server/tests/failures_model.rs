//! Fingerprint (ARGUS-API.md), URL normalization, in-app classification. Expected hashes
//! were computed independently with Python's hashlib:
//! `hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]`.

// Inside `mod failures` so that `cargo test -p argus-lsp failures` selects these tests.
mod failures {
    use argus_lsp::failures::{fingerprint, is_in_app, normalize_url};

    type Case<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>, &'a str);

    #[test]
    fn fingerprint_matches_python_hashlib() {
        let cases: &[Case] = &[
            (
                "TimeoutError",
                "TimeoutError: locator.click: Timeout 2000ms exceeded.\nCall log:\n  - waiting for locator('button.add-to-cart').first()\n",
                None,
                None,
                "6255291a356c",
            ),
            (
                "AssertionError",
                "assert 'Order total: $42.00' == 'Total: $42.00'",
                None,
                None,
                "9754fc34b6ac",
            ),
            (
                "Error",
                "Error: locator.click: Error: strict mode violation: getByRole('button', { name: 'Proceed to checkout' }) resolved to 2 elements:\n    1) <button type=\"button\" onclick=\"location.href='checkout.html'\" class=\"btn btn-primary checkout-button css-q8w2ex\">Proceed to checkout</button> aka getByRole('button', { name: 'Proceed to checkout' }).first()",
                None,
                None,
                "2b1e0d0b53f2",
            ),
            // component and URL present; the URL normalizes to http://shop.test/orders/:id/items/:uuid
            (
                "Error",
                "boom",
                Some("CartPage"),
                Some("http://shop.test/orders/123/items/3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b?x=1&y=2"),
                "227db43ed652",
            ),
        ];
        for (t, m, c, u, want) in cases {
            assert_eq!(&fingerprint(t, m, *c, *u), want, "{t} {m:?}");
        }
    }

    #[test]
    fn fingerprint_uses_first_100_chars_not_bytes() {
        let a = "é".repeat(100);
        let b = format!("{a}tail that is ignored");
        assert_eq!(fingerprint("E", &a, None, None), fingerprint("E", &b, None, None));
    }

    #[test]
    fn url_normalization() {
        for (input, want) in [
            ("https://a.b/users/42/orders?page=2", "https://a.b/users/:id/orders"),
            ("http://127.0.0.1:4173/product.html?id=p1", "http://127.0.0.1:4173/product.html"),
            (
                "https://x.io/o/3F2B8C1E-9A4D-4E6F-8B7A-1C2D3E4F5A6B/v2",
                "https://x.io/o/:uuid/v2",
            ),
            ("https://x.io/v2/item42", "https://x.io/v2/item42"),
            ("/api/orders/7", "/api/orders/:id"),
        ] {
            assert_eq!(normalize_url(input), want, "{input}");
        }
    }

    #[test]
    fn in_app_frames() {
        for (p, want) in [
            ("/work/e2e/cart.spec.ts", true),
            ("/app/node_modules/playwright-core/lib/x.js", false),
            ("/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/selenium/a.py", false),
            ("/p/.venv/lib/a.py", false),
            ("/p/venv/lib/a.py", false),
            ("web/.next/server/a.js", false),
            ("web/dist/a.js", false),
            ("web/build/a.js", false),
            ("vendor/x.rb", false),
            ("tests/__pycache__/x.py", false),
            ("node:internal/process/task_queues", false),
            ("python/test_shop.py", true),
            ("src/builders/a.ts", true),
        ] {
            assert_eq!(is_in_app(p), want, "{p}");
        }
    }
}
