//! Release-mode timing of parse vs each query kind vs the whole extraction, on the bench's
//! generated workloads: `cargo test --release -p argus-lsp --test syntax_profile -- --ignored --nocapture`.

use std::time::{Duration, Instant};

use argus_lsp::syntax::queries::{KINDS, queries, source};
use argus_lsp::syntax::ts_language;
use argus_lsp::syntax::{Language, extract, parse};
use tree_sitter::{Query, QueryCursor, StreamingIterator};

const PLAYWRIGHT_TEST: &str = r#"  test('scenario {n}', async ({ page }) => {
    await page.goto('/products/{n}');
    await test.step('open product {n}', async () => {
      await page.getByRole('button', { name: 'Open {n}' }).click();
      await page.locator('ul.items > li:nth-child({n}) a').click();
    });
    await page.getByTestId('qty-{n}').fill('2');
    await page.waitForTimeout(500);
    await expect(page.getByText('Added {n}')).toBeVisible({ timeout: 5000 });
    await expect(page.locator('#total')).toHaveText('Total: {n}');
  });
"#;

const CYPRESS_TEST: &str = r#"  it('scenario {n}', () => {
    cy.visit('/products/{n}');
    cy.get('[data-cy=open-{n}]').click();
    cy.contains('Add to cart').click();
    cy.wait(500);
    cy.get('.cart .count').should('have.text', '{n}');
    cy.get('div.css-1x2y3z > span').should('be.visible');
  });
"#;

const SELENIUM_TEST: &str = r#"    def test_scenario_{n}(self, driver):
        driver.get("http://localhost:8000/products/{n}")
        driver.find_element(By.ID, "open-{n}").click()
        WebDriverWait(driver, 5).until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".cart .count")))
        time.sleep(1)
        el = driver.find_element(By.XPATH, "//ul/li[{n}]/a")
        assert el.text == "Item {n}"
        driver.find_element(By.CSS_SELECTOR, "form > button.primary").click()

"#;

const PLAYWRIGHT_PY_TEST: &str = r##"def test_scenario_{n}(page):
    page.goto("/products/{n}")
    page.get_by_role("button", name="Open {n}").click()
    page.get_by_test_id("qty-{n}").fill("2")
    page.wait_for_timeout(500)
    expect(page.get_by_text("Added {n}")).to_be_visible()
    expect(page.locator("#total")).to_have_text("Total: {n}")

"##;

fn repeat(template: &str, count: usize) -> String {
    (0..count).map(|n| template.replace("{n}", &n.to_string())).collect()
}

fn time<T>(reps: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut v: Vec<Duration> = (0..reps)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    v.sort();
    v[v.len() / 2]
}

fn profile(name: &str, lang: Language, text: &str, reps: usize) {
    if std::env::var("ARGUS_PROFILE_ONLY").is_ok_and(|only| only != name) {
        return;
    }
    let parse_t = time(reps, || parse(lang, text, None).unwrap());
    let tree = parse(lang, text, None).unwrap();
    let qs = queries(lang).unwrap();
    let mut line = format!("{name:<14} parse {:>8.2} ms", parse_t.as_secs_f64() * 1e3);
    let run = |q: &Query| {
        let mut n = 0;
        let t = time(reps, || {
            let mut c = QueryCursor::new();
            c.set_match_limit(256 * 7);
            let mut it = c.matches(q, tree.root_node(), text.as_bytes());
            n = 0;
            while it.next().is_some() {
                n += 1;
            }
            n
        });
        (t, n)
    };
    let mut sum = Duration::ZERO;
    if std::env::var("ARGUS_PROFILE_KINDS").is_ok() {
        for kind in KINDS {
            let q = Query::new(&ts_language(lang), source(lang, kind)).unwrap();
            let (t, n) = run(&q);
            sum += t;
            line += &format!(" | {kind:?} {:.2} ({n})", t.as_secs_f64() * 1e3);
        }
        line += &format!(" | sum {:.2}", sum.as_secs_f64() * 1e3);
    }
    if std::env::var("ARGUS_PROFILE_PATTERNS").is_ok() {
        // each pattern on its own (compiled alone), hottest first
        let mut src = String::new();
        for kind in KINDS {
            src += source(lang, kind);
            src.push('\n');
        }
        let mut rows = Vec::new();
        for p in 0..qs.query().pattern_count() {
            let one = &src[qs.query().start_byte_for_pattern(p)..qs.query().end_byte_for_pattern(p)];
            let q = Query::new(&ts_language(lang), one).unwrap();
            let (t, n) = run(&q);
            rows.push((t, n, p, one.lines().next().unwrap_or("").to_string(), one.len()));
        }
        rows.sort_by_key(|r| std::cmp::Reverse(r.0));
        for (t, n, p, first, _) in rows.iter().take(25) {
            println!("  {:>7.3} ms  {n:>5} matches  #{p:<3} {:?} {first}", t.as_secs_f64() * 1e3, qs.kind_of(*p));
        }
    }
    let (t, n) = run(qs.query());
    line += &format!(" | combined query {:.2} ms ({n}) = {:.2}× parse", t.as_secs_f64() * 1e3, t.as_secs_f64() / parse_t.as_secs_f64());
    let ext = time(reps, || extract(lang, &tree, text));
    line += &format!(
        " | extract {:.2} ms = {:.2}× parse",
        ext.as_secs_f64() * 1e3,
        ext.as_secs_f64() / parse_t.as_secs_f64()
    );
    println!("{line}");
}

#[test]
#[ignore]
fn profile_extraction() {
    let reps: usize = std::env::var("ARGUS_PROFILE_REPS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let pw = format!(
        "import {{ test, expect }} from '@playwright/test';\n\ntest.describe('suite', () => {{\n{}}});\n",
        repeat(PLAYWRIGHT_TEST, 16)
    );
    let big = format!(
        "import {{ test, expect }} from '@playwright/test';\n\ntest.describe('big', () => {{\n{}}});\n",
        repeat(PLAYWRIGHT_TEST, 5_000 / 12)
    );
    let cy = format!("describe('suite', () => {{\n{}}});\n", repeat(CYPRESS_TEST, 24));
    let se = format!(
        "import time\nfrom selenium.webdriver.common.by import By\nfrom selenium.webdriver.support.ui import WebDriverWait\nfrom selenium.webdriver.support import expected_conditions as EC\n\n\nclass TestSuite1:\n{}",
        repeat(SELENIUM_TEST, 20)
    );
    let pp = format!("from playwright.sync_api import expect\n\n\n{}", repeat(PLAYWRIGHT_PY_TEST, 24));
    profile("playwright.ts", Language::TypeScript, &pw, reps * 10);
    profile("big.spec.ts", Language::TypeScript, &big, reps);
    profile("cypress.js", Language::Tsx, &cy, reps * 10);
    profile("selenium.py", Language::Python, &se, reps * 10);
    profile("playwright.py", Language::Python, &pp, reps * 10);
}
