//! Healing on a generated page of 5 000 elements, real Chromium + chromedriver:
//! heal end to end (open, fingerprint lookup, scan, score, generate, validate), and the
//! validation cost per candidate against one raw WebDriver findElements round trip in the
//! same session (goal: at most 2×).
//!
//!     cargo bench -p argus-lsp --bench heal

#[path = "../tests/heal_support/mod.rs"]
mod heal_support;

use std::time::{Duration, Instant};

use argus_lsp::heal::{self, HealSettings, Page, Selector, Style, selector};
use heal_support::{PageServer, browser, runtime};

// The allocator of the argus-lsp binary (see main.rs), so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CARDS: usize = 1000; // × 5 elements
const TARGET: usize = 700;
const RUNS: usize = 7;

fn page(mutated: bool) -> String {
    let mut html = String::from("<!doctype html><html><head><title>Catalog</title></head><body><main id=\"catalog\">\n");
    for i in 0..CARDS {
        let (class, id) = if mutated && i == TARGET { ("btn buy-button", format!("purchase-{i}")) } else { ("btn btn-buy", format!("buy-{i}")) };
        html.push_str(&format!(
            "<section class=\"card\"><h3>Item {i}</h3><p>Description of item {i}</p><span class=\"price\">{}.99</span>\
             <button class=\"{class}\" id=\"{id}\" data-testid=\"buy-{i}\" type=\"button\">Buy item {i}</button></section>\n",
            i % 97
        ));
    }
    html.push_str("</main></body></html>\n");
    html
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("before.html"), page(false)).unwrap();
    std::fs::write(dir.path().join("after.html"), page(true)).unwrap();
    let server = PageServer::start(dir.path().to_path_buf());
    runtime().block_on(async {
        let mut b = browser();
        let t = Instant::now();
        b.open(&server.url("before.html")).await.unwrap();
        let cold = t.elapsed();
        let broken = selector::parse(&format!("#buy-{TARGET}")).unwrap();
        let (_, fp) = b.snapshot(&broken).await.unwrap();
        let fp = fp.expect("the target exists on the original page");
        let elements = b.scan().await.unwrap().nodes.len();

        let settings = HealSettings::default();
        let after = server.url("after.html");
        let mut heal_times = Vec::new();
        let mut last = None;
        for _ in 0..RUNS {
            let t = Instant::now();
            let h = heal::heal(&mut b, &after, &broken, Some(&fp), Style::PlaywrightTs, &settings).await.unwrap();
            heal_times.push(t.elapsed());
            last = Some(h);
        }
        let healed = last.unwrap();
        let top = &healed.candidates[0];
        assert!(top.validated, "{top:?}");

        // Phases of one heal, on the loaded page.
        let mut scan = Vec::new();
        let mut rank = Vec::new();
        for _ in 0..RUNS {
            let t = Instant::now();
            let tree = b.scan().await.unwrap();
            scan.push(t.elapsed());
            let t = Instant::now();
            std::hint::black_box(heal::score::rank(&fp, &tree, settings.cutoff));
            rank.push(t.elapsed());
        }

        // Validation: every candidate selector of the heal, one at a time and as one batch,
        // against raw findElements by CSS.
        let selectors: Vec<Selector> = healed
            .candidates
            .iter()
            .map(|c| match c.strategy {
                heal::Strategy::TestId => Selector::TestId { attribute: "data-testid".into(), value: c.value.clone() },
                heal::Strategy::Css | heal::Strategy::Id => Selector::css(if c.strategy == heal::Strategy::Id { format!("#{}", c.value) } else { c.value.clone() }),
                heal::Strategy::Text => Selector::Text { text: heal::TextMatch::loose(&c.value) },
                _ => selector::parse(&format!("role={}", c.value)).unwrap(),
            })
            .collect();
        let raw_css = format!("[data-testid=\"buy-{TARGET}\"]");
        let mut raw = Vec::new();
        let mut single = Vec::new();
        let mut batch = Vec::new();
        let mut single_testid = Vec::new();
        for _ in 0..RUNS {
            let t = Instant::now();
            assert_eq!(b.find_elements_css(&raw_css).await.unwrap(), 1);
            raw.push(t.elapsed());
            let t = Instant::now();
            b.query(&Selector::TestId { attribute: "data-testid".into(), value: format!("buy-{TARGET}") }).await.unwrap();
            single_testid.push(t.elapsed());
            let t = Instant::now();
            for s in &selectors {
                b.query(s).await.unwrap();
            }
            single.push(t.elapsed() / selectors.len() as u32);
            let t = Instant::now();
            b.query_many(&selectors).await.unwrap();
            batch.push(t.elapsed() / selectors.len() as u32);
        }
        b.shutdown().await;

        let (raw, single, batch, single_testid) = (median(raw), median(single), median(batch), median(single_testid));
        let ratio = |d: Duration| d.as_secs_f64() / raw.as_secs_f64();
        println!("heal bench: {elements} elements on the page, {} candidates per heal ({} validated)", selectors.len(), healed.candidates.iter().filter(|c| c.validated).count());
        println!("  cold start + first page ........ {}", ms(cold));
        println!("  heal end to end (median of {RUNS}) . {}", ms(median(heal_times)));
        println!("    page scan .................... {}", ms(median(scan)));
        println!("    Healenium scoring (Rust) ..... {}", ms(median(rank)));
        println!("  raw findElements (CSS) ......... {}", ms(raw));
        println!("  validate 1 test-id candidate ... {}  ({:.2}× findElements)", ms(single_testid), ratio(single_testid));
        println!("  validate, per candidate, alone . {}  ({:.2}× findElements; role/text queries walk the page)", ms(single), ratio(single));
        println!("  validate, per candidate, batched {}  ({:.2}× findElements; as heal does it)", ms(batch), ratio(batch));
        println!("  top: {} (score {})", top.code, top.score);
    });
    knowledge_base_lookups();
}

/// Knowledge-base lookups per second: 10 000 patterns in sled, the same broken selector looked
/// up across tests (`patterns_for_selector`) and exactly (`pattern`), against a full scan of
/// every pattern measured in the same run.
fn knowledge_base_lookups() {
    use argus_lsp::store::{HealOutcome, HealRecord, Store};
    const PATTERNS: usize = 10_000;
    const LOOKUPS: usize = 20_000;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let t = Instant::now();
    for i in 0..PATTERNS {
        let original = format!("button.buy-{i}");
        let healed = format!("page.getByTestId('buy-{i}')");
        let heal = HealRecord { original_selector: &original, healed_selector: &healed, error_type: Some("TimeoutError"), ..Default::default() };
        store.record_heal(&heal, HealOutcome::Success).unwrap();
    }
    let write = t.elapsed();
    let t = Instant::now();
    let mut found = 0;
    for i in 0..LOOKUPS {
        found += store.patterns_for_selector(&format!("button.buy-{}", (i * 7919) % PATTERNS)).unwrap().len();
    }
    let by_selector = t.elapsed();
    let t = Instant::now();
    for i in 0..LOOKUPS {
        found += store.pattern(&format!("button.buy-{}", (i * 7919) % PATTERNS), Some("TimeoutError")).unwrap().map_or(0, |_| 1);
    }
    let exact = t.elapsed();
    let t = Instant::now();
    let scanned = store.patterns().unwrap().len();
    let scan = t.elapsed();
    assert_eq!(found, 2 * LOOKUPS);
    let per_sec = |d: std::time::Duration| LOOKUPS as f64 / d.as_secs_f64();
    println!("knowledge base: {PATTERNS} patterns written (each flushed) in {}", ms(write));
    println!("  by broken selector (any test) .. {:.0} lookups/s", per_sec(by_selector));
    println!("  exact (selector + error type) .. {:.0} lookups/s", per_sec(exact));
    println!("  vs a full scan of {scanned} patterns: {} — a lookup is {:.0}× cheaper", ms(scan), scan.as_secs_f64() / (by_selector.as_secs_f64() / LOOKUPS as f64));
}
