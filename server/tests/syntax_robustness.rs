//! The syntax layer never panics on user input and always returns: deep nesting, syntax
//! errors, big files, binary garbage.

use argus_lsp::syntax::{Language, parse_model};

const ALL: [Language; 3] = [Language::TypeScript, Language::Tsx, Language::Python];

#[test]
fn deep_nesting_ten_thousand_levels() {
    let depth = 10_000;
    let arrays = format!("const x = {}1{};\npage.locator('#ok');\n", "[".repeat(depth), "]".repeat(depth));
    let parens = format!("x = {}1{}\npage.locator('#ok')\n", "(".repeat(depth), ")".repeat(depth));
    let calls = format!("{}page.locator('#deep'){}", "f(".repeat(depth), ")".repeat(depth));
    let concat = format!("page.locator('a'{});", " + 'b'".repeat(depth));
    for lang in ALL {
        for src in [&arrays, &parens, &calls, &concat] {
            let m = parse_model(lang, src);
            let _ = m.locators.len();
        }
    }
    let m = parse_model(Language::TypeScript, &concat);
    assert_eq!(m.locators.len(), 1);
    assert_eq!(m.locators[0].value.len(), 1 + depth);
    // deeply nested describes / steps
    let describes = format!("{}test('t', async () => {{}});{}", "describe('d', () => {".repeat(2000), "});".repeat(2000));
    let m = parse_model(Language::TypeScript, &describes);
    assert_eq!(m.tests.len(), 1);
    assert_eq!(m.tests[0].title_path.len(), 2001);
    let steps = format!("test('t', async () => {{{}{}}});", "await test.step('s', async () => {".repeat(2000), "});".repeat(2000));
    let m = parse_model(Language::TypeScript, &steps);
    assert_eq!(m.tests[0].steps.len(), 1);
}

#[test]
fn syntax_errors_are_problems_and_the_rest_is_extracted() {
    let ts = "test('ok', async ({ page }) => {\n  await page.locator('#fine').click();\n  await page.locator('#broken'.click(;\n  const = ;\n});\n";
    let m = parse_model(Language::TypeScript, ts);
    assert!(!m.problems.is_empty());
    assert!(m.problems.iter().all(|p| p.message.starts_with("syntax error")));
    assert!(m.locators.iter().any(|l| l.value == "#fine"), "{:#?}", m.locators);

    let py = "def test_ok(page):\n    page.locator('#fine').click()\n    page.locator('#x'.click(\n    def = \n";
    let m = parse_model(Language::Python, py);
    assert!(!m.problems.is_empty());
    assert!(m.locators.iter().any(|l| l.value == "#fine"), "{:#?}", m.locators);

    // unterminated strings
    for lang in ALL {
        let _ = parse_model(lang, "page.locator('#open");
        let _ = parse_model(lang, "page.locator(`#open ${x");
        let _ = parse_model(lang, "page.locator(f\"#open {x");
        let _ = parse_model(lang, "\"\"\"");
    }
}

#[test]
fn five_megabyte_file_completes() {
    let unit_ts = "test('t', async ({ page }) => {\n  await page.locator('#a').first().click();\n  await expect(page.getByRole('button', { name: 'Go' })).toBeVisible({ timeout: 1000 });\n  await page.waitForTimeout(10);\n});\n";
    let ts = unit_ts.repeat(5_000_000 / unit_ts.len());
    let m = parse_model(Language::TypeScript, &ts);
    assert_eq!(m.tests.len(), 5_000_000 / unit_ts.len());
    assert_eq!(m.locators.len(), 2 * m.tests.len());

    let unit_py = "def test_x(page):\n    page.locator('#a').click()\n    time.sleep(1)\n";
    let py = unit_py.repeat(5_000_000 / unit_py.len());
    let m = parse_model(Language::Python, &py);
    assert_eq!(m.tests.len(), 5_000_000 / unit_py.len());
}

#[test]
fn binary_garbage_decoded_lossily() {
    // deterministic pseudo-random bytes
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..200_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let text = String::from_utf8_lossy(&bytes);
    for lang in ALL {
        let m = parse_model(lang, &text);
        for p in &m.problems {
            assert!(p.span.end <= text.len());
        }
    }
    // garbage mixed with real code
    let mixed = format!("{text}\npage.locator('#x')\n{text}");
    for lang in ALL {
        let _ = parse_model(lang, &mixed);
    }
    for lang in ALL {
        let _ = parse_model(lang, "");
        let _ = parse_model(lang, "\u{0}\u{feff}\u{2028}é🎉");
    }
}

#[test]
fn multibyte_text_keeps_byte_spans() {
    let ts = "// é🎉\nawait page.getByText('Grüße 🎉').click();";
    let m = parse_model(Language::TypeScript, ts);
    let l = &m.locators[0];
    assert_eq!(&ts[l.value_span.start..l.value_span.end], "Grüße 🎉");
}
