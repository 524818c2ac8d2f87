//! Targeted checks on the syntax model (beyond snapshots): spans, strategies, placeholders,
//! unit conversion, negation, parent chains and page-object uses.

use argus_lsp::syntax::{FileModel, Language, Modifier, Span, Strategy, Tag, WaitKind, parse_model};

fn at(text: &str, s: Span) -> &str {
    &text[s.start..s.end]
}

fn model(lang: Language, text: &str) -> FileModel {
    parse_model(lang, text)
}

/// (source, language, expected (strategy, value) for every locator, in order)
fn check_locators(lang: Language, text: &str, expect: &[(Strategy, &str)]) {
    let m = model(lang, text);
    let got: Vec<(Strategy, &str)> = m.locators.iter().map(|l| (l.strategy, at(text, l.value_span))).collect();
    assert_eq!(got, expect, "in {text}");
    for l in &m.locators {
        assert_eq!(l.value, at(text, l.value_span), "value equals the text at value_span");
        assert!(l.call_span.contains(l.value_span));
    }
}

#[test]
fn value_spans_per_framework() {
    use Strategy::*;
    check_locators(
        Language::TypeScript,
        "test('t', async ({ page }) => { await page.locator('#a').click(); await page.getByRole('button', { name: 'Go' }).click(); await page.click('//b'); await page.fill('data-testid=x', 'v'); await page.locator(\"id=main\").click(); });",
        &[(Css, "#a"), (Role, "button"), (XPath, "//b"), (TestId, "data-testid=x"), (Id, "id=main")],
    );
    check_locators(
        Language::Python,
        "def test_x(page):\n    page.get_by_text('Hi').click()\n    page.locator(\"text=Go\").click()\n",
        &[(Text, "Hi"), (Text, "text=Go")],
    );
    check_locators(
        Language::Python,
        "BUY = (By.ID, 'buy')\ndef test_x(driver):\n    driver.find_element(By.XPATH, '//a').click()\n    driver.find_elements(By.CSS_SELECTOR, 'li')\n",
        &[(Id, "buy"), (XPath, "//a"), (Css, "li")],
    );
    check_locators(
        Language::Tsx,
        "it('x', () => { cy.get('.a').find('b'); cy.contains('Save'); cy.get('@alias'); cy.xpath('//c'); });",
        &[(Css, ".a"), (Css, "b"), (Text, "Save"), (XPath, "//c")],
    );
    check_locators(
        Language::TypeScript,
        "it('x', async () => { await $('=Home').click(); await $$('*=Part'); await browser.$('//x'); await $('button.go'); });",
        &[(LinkText, "=Home"), (PartialLinkText, "*=Part"), (XPath, "//x"), (Css, "button.go")],
    );
    check_locators(
        Language::Tsx,
        "it('x', async () => { await driver.findElement(By.css('.c')); await driver.wait(until.elementLocated(By.id('i')), 1000); });",
        &[(Css, ".c"), (Id, "i")],
    );
}

#[test]
fn role_name_span_and_exact() {
    let text = "await page.getByRole('link', { name: 'Sign in', exact: true }).click();";
    let m = model(Language::TypeScript, text);
    let l = &m.locators[0];
    assert_eq!(l.name.as_deref(), Some("Sign in"));
    assert_eq!(at(text, l.name_span.unwrap()), "Sign in");
    assert!(l.exact);
    assert_eq!(at(text, l.call_span), "page.getByRole('link', { name: 'Sign in', exact: true })");
}

#[test]
fn dynamic_placeholders() {
    let ts = "await page.locator(`#row-${id} .cell-${col}`).click(); await page.locator('#a-' + n + '-b').click();";
    let m = model(Language::TypeScript, ts);
    assert_eq!(m.locators[0].value, "#row-${id} .cell-${col}");
    assert_eq!(m.locators[0].dynamic, vec!["${id}", "${col}"]);
    assert_eq!(at(ts, m.locators[0].value_span), "#row-${id} .cell-${col}");
    assert_eq!(m.locators[1].value, "#a-${n}-b");
    assert_eq!(m.locators[1].dynamic, vec!["${n}"]);
    // contents from the first string's opening quote to the last string's closing quote
    assert_eq!(at(ts, m.locators[1].value_span), "#a-' + n + '-b");

    let py = "page.locator(f\"#user-{user_id}\").click()\npage.locator(\"#x-\" + str(i)).click()\n";
    let m = model(Language::Python, py);
    assert_eq!(m.locators[0].value, "#user-{user_id}");
    assert_eq!(m.locators[0].dynamic, vec!["{user_id}"]);
    assert_eq!(at(py, m.locators[0].value_span), "#user-{user_id}");
    assert_eq!(m.locators[1].value, "#x-{str(i)}");
    assert!(m.locators[1].is_dynamic());

    let nav = "await page.goto(`${base}/x`);";
    let m = model(Language::TypeScript, nav);
    assert_eq!(m.navigations[0].dynamic, vec!["${base}"]);
    assert_eq!(at(nav, m.navigations[0].url_span), "${base}/x");
}

#[test]
fn seconds_are_converted_to_milliseconds() {
    let py = "import time\ndef test_x(driver):\n    time.sleep(2.5)\n    WebDriverWait(driver, 10).until(lambda d: True)\n    driver.implicitly_wait(3)\n    page.wait_for_timeout(700)\n";
    let m = model(Language::Python, py);
    let got: Vec<(WaitKind, &str, Option<u64>)> = m.waits.iter().map(|w| (w.kind, w.api.as_str(), w.duration_ms)).collect();
    assert_eq!(
        got,
        vec![
            (WaitKind::Hard, "time.sleep", Some(2500)),
            (WaitKind::Explicit, "WebDriverWait", Some(10_000)),
            (WaitKind::Explicit, "implicitly_wait", Some(3000)),
            (WaitKind::Hard, "wait_for_timeout", Some(700)),
        ]
    );
    assert_eq!(at(py, m.waits[1].duration_span.unwrap()), "10");
    assert!(at(py, m.waits[1].span).starts_with("WebDriverWait(driver, 10).until("));
}

#[test]
fn cy_wait_alias_is_not_a_hard_wait() {
    let js = "it('x', () => { cy.wait('@api'); cy.wait(500); });";
    let m = model(Language::Tsx, js);
    assert_eq!(m.waits.len(), 1);
    assert_eq!(m.waits[0].duration_ms, Some(500));
}

#[test]
fn timeout_options_are_explicit_waits() {
    let ts = "await page.click('#a', { timeout: 5_000 });";
    let m = model(Language::TypeScript, ts);
    let w = m.waits.iter().find(|w| w.api == "timeout").expect("timeout option");
    assert_eq!(at(ts, w.span), "timeout: 5_000");
    assert_eq!(w.duration_ms, Some(5000));
}

#[test]
fn negated_assertions() {
    let ts = "await expect(page.locator('a')).not.toBeVisible(); await expect(page.locator('b')).toHaveText('x');";
    let m = model(Language::TypeScript, ts);
    assert_eq!(m.assertions.iter().map(|a| (a.matcher.as_str(), a.negated)).collect::<Vec<_>>(), vec![("toBeVisible", true), ("toHaveText", false)]);
    assert_eq!(at(ts, m.assertions[1].expected_span.unwrap()), "x");
    assert_eq!(m.assertions[0].locator, Some(0));
    assert_eq!(m.assertions[1].locator, Some(1));

    let py = "def test_x(page):\n    expect(page.locator('a')).not_to_be_visible()\n    assert 'x' not in page.content()\n    assert el.text != 'y'\n    assert not ok\n";
    let m = model(Language::Python, py);
    assert!(m.assertions.iter().all(|a| a.negated), "{:#?}", m.assertions);
    assert_eq!(m.assertions.len(), 4);

    let cy = "it('x', () => { cy.get('a').should('not.be.visible').and('have.text', 'Hi'); });";
    let m = model(Language::Tsx, cy);
    let got: Vec<(&str, bool, Option<usize>)> = m.assertions.iter().map(|a| (a.matcher.as_str(), a.negated, a.locator)).collect();
    assert_eq!(got, vec![("be.visible", true, Some(0)), ("have.text", false, Some(0))]);

    let ut = "class T(unittest.TestCase):\n    def test_a(self):\n        self.assertNotEqual(a, 'b')\n        self.assertEqual(a, 'c')\n";
    let m = model(Language::Python, ut);
    assert_eq!(m.assertions.iter().map(|a| a.negated).collect::<Vec<_>>(), vec![true, false]);
    assert_eq!(m.tests[0].title_path, vec!["T", "test_a"]);
}

#[test]
fn parent_chain_and_modifiers() {
    let ts = "await page.locator('form').first().getByRole('button').nth(1).locator('span').click();";
    let m = model(Language::TypeScript, ts);
    assert_eq!(m.locators.len(), 3);
    let form = m.locators.iter().position(|l| l.value == "form").unwrap();
    let button = m.locators.iter().position(|l| l.value == "button").unwrap();
    let span = m.locators.iter().position(|l| l.value == "span").unwrap();
    assert_eq!(m.locators[button].parent, Some(form));
    assert_eq!(m.locators[span].parent, Some(button));
    assert_eq!(m.locators[form].parent, None);
    assert_eq!(m.locators[form].modifiers, vec![Modifier::First]);
    assert_eq!(m.locators[button].modifiers, vec![Modifier::Nth { index: Some(1) }]);
}

#[test]
fn page_object_uses() {
    let ts = "class P {\n  constructor(page) { this.buy = page.locator('#buy'); }\n  async go() { await this.buy.click(); }\n}\ntest('t', async ({ page }) => { const p = new P(page); await expect(p.buy).toBeVisible(); });";
    let m = model(Language::TypeScript, ts);
    let l = &m.locators[0];
    assert_eq!(l.binding.as_deref(), Some("buy"));
    let uses: Vec<&str> = l.uses.iter().map(|u| at(ts, *u)).collect();
    assert_eq!(uses, vec!["this.buy", "p.buy"]);
    assert_eq!(m.assertions[0].locator, Some(0));

    let py = "class LoginPage:\n    BUY = (By.ID, 'buy')\n    def go(self):\n        self.driver.find_element(*self.BUY).click()\n\ndef test_x(driver):\n    driver.find_element(*LoginPage.BUY)\n";
    let m = model(Language::Python, py);
    let l = &m.locators[0];
    assert_eq!(l.binding.as_deref(), Some("BUY"));
    let uses: Vec<&str> = l.uses.iter().map(|u| at(py, *u)).collect();
    assert_eq!(uses, vec!["self.BUY", "LoginPage.BUY"]);
}

#[test]
fn tests_titles_and_tags() {
    let ts = "test.describe.only('Suite', () => {\n  test('a @fast', { tag: '@smoke' }, async () => {});\n  test.skip('b', async () => {});\n});\n";
    let m = model(Language::TypeScript, ts);
    assert_eq!(m.tests.len(), 2);
    assert_eq!(m.tests[0].title_path, vec!["Suite", "a @fast"]);
    assert_eq!(at(ts, m.tests[0].name_span), "a @fast");
    assert!(m.tests[0].tags.contains(&Tag::Only));
    assert!(m.tests[0].tags.contains(&Tag::Tag("@smoke".into())));
    assert!(m.tests[0].tags.contains(&Tag::Tag("@fast".into())));
    assert!(m.tests[1].tags.contains(&Tag::Skip));

    let py = "@pytest.mark.xfail\ndef test_a():\n    pass\n\nclass TestB:\n    def test_c(self):\n        pass\n    def helper(self):\n        pass\n";
    let m = model(Language::Python, py);
    assert_eq!(m.tests.iter().map(|t| t.title_path.join("/")).collect::<Vec<_>>(), vec!["test_a", "TestB/test_c"]);
    assert_eq!(m.tests[0].tags, vec![Tag::Fail]);
    assert!(at(py, m.tests[0].span).starts_with("@pytest.mark.xfail"));
    assert_eq!(at(py, m.tests[0].name_span), "test_a");
}

#[test]
fn it_framework_follows_the_file() {
    let fw = |src: &str| model(Language::Tsx, src).tests[0].framework;
    use argus_lsp::syntax::Framework::*;
    assert_eq!(fw("it('a', () => { cy.get('x'); });"), Cypress);
    assert_eq!(fw("it('a', async () => { await $('x').click(); });"), WebdriverIO);
    assert_eq!(fw("it('a', async () => { await driver.findElement(By.id('x')); });"), Mocha);
}

/// `parse_tests` (the listing's cheaper query set) finds exactly the tests the full model has.
#[test]
fn tests_only_scope_finds_the_same_tests_as_the_full_model() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests");
    let mut checked = 0;
    for dir in ["fixtures/syntax", "examples/playwright", "examples/python", "examples/cypress/e2e"] {
        for entry in walk(&root.join(dir)) {
            let Some(lang) = Language::from_path(&entry.to_string_lossy()) else { continue };
            let text = std::fs::read_to_string(&entry).unwrap();
            // The listing needs where each test is and what it is called, not its steps or
            // tags (`tests --format json` has neither), so those are left out of its scope.
            let listed = |tests: Vec<argus_lsp::syntax::TestCase>| -> Vec<_> {
                tests.into_iter().map(|t| (t.title_path, t.kind, t.framework, t.span, t.name_span)).collect()
            };
            let full = parse_model(lang, &text).tests;
            assert_eq!(listed(argus_lsp::syntax::parse_tests(lang, &text).tests), listed(full.clone()), "{}", entry.display());
            checked += usize::from(!full.is_empty());
        }
    }
    assert!(checked >= 8, "files with tests compared: {checked}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
