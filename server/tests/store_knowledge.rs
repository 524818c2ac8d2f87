//! The healing knowledge base in sled: patterns with the Argus schema, counted and trusted by
//! outcome, found again for the same broken selector from any test; element fingerprints;
//! learned durations; the schema migration from version 1.

use argus_lsp::store::{DURATIONS_KEPT, HealOutcome, HealRecord, SCHEMA_VERSION, Store, pattern_fingerprint};
use serde_json::json;

fn heal<'a>(original: &'a str, healed: &'a str, error_type: Option<&'a str>) -> HealRecord<'a> {
    HealRecord { original_selector: original, healed_selector: healed, error_type, page_url: Some("http://127.0.0.1:4173/index.html"), element_context: None }
}

#[test]
fn a_heal_is_counted_trusted_by_outcome_and_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let h = heal("button.add-to-cart", "page.getByTestId('add-to-cart')", Some("TimeoutError"));
    let p = store.record_heal(&h, HealOutcome::Success).unwrap();
    assert_eq!((p.success_count, p.failure_count, p.confidence), (1, 0, 1.0));
    assert_eq!(p.fingerprint, pattern_fingerprint("button.add-to-cart", Some("TimeoutError")));
    store.record_heal(&h, HealOutcome::Success).unwrap();
    let p = store.record_heal(&h, HealOutcome::Failure).unwrap();
    assert_eq!((p.success_count, p.failure_count), (2, 1));
    assert!((p.confidence - 2.0 / 3.0).abs() < 1e-9, "success / max(success + failure, 1)");
    assert!(p.created_at.is_some() && p.updated_at.is_some());
    // The wire shape is ARGUS-API.md's.
    let v = serde_json::to_value(&p).unwrap();
    for field in ["id", "fingerprint", "original_selector", "healed_selector", "error_type", "success_count", "failure_count", "confidence", "page_url", "element_context", "created_at"] {
        assert!(v.get(field).is_some(), "{field} in {v}");
    }
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.pattern("button.add-to-cart", Some("TimeoutError")).unwrap(), Some(p));
    assert_eq!(store.verify_patterns().unwrap(), 1);
}

#[test]
fn the_same_broken_selector_is_found_from_any_test_and_error_type() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    // healed in a Playwright test (TimeoutError) and in a Selenium test (NoSuchElementException)
    store.record_heal(&heal("button.add-to-cart", "[data-testid=\"add-to-cart\"]", Some("NoSuchElementException")), HealOutcome::Success).unwrap();
    for _ in 0..3 {
        store.record_heal(&heal("button.add-to-cart", "page.getByTestId('add-to-cart')", Some("TimeoutError")), HealOutcome::Success).unwrap();
    }
    store.record_heal(&heal("button.add-to-cart", "[data-testid=\"add-to-cart\"]", Some("NoSuchElementException")), HealOutcome::Failure).unwrap();
    store.record_heal(&heal("button.add-to-cart-x", "#other", None), HealOutcome::Success).unwrap();
    let found = store.patterns_for_selector("button.add-to-cart").unwrap();
    let healed: Vec<&str> = found.iter().map(|p| p.healed_selector.as_str()).collect();
    assert_eq!(healed, ["page.getByTestId('add-to-cart')", "[data-testid=\"add-to-cart\"]"], "most trusted first, prefix-safe");
    assert!(store.pattern("button.add-to-cart", None).unwrap().is_none(), "exact lookups need the error type");
    assert_eq!(store.patterns().unwrap().len(), 3);
}

#[test]
fn a_new_heal_for_the_same_breakage_replaces_the_old_and_starts_counting_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.record_heal(&heal("#buy", "#buy-now", None), HealOutcome::Success).unwrap();
    store.record_heal(&heal("#buy", "#buy-now", None), HealOutcome::Failure).unwrap();
    let p = store.record_heal(&heal("#buy", "[data-testid=buy]", None), HealOutcome::Success).unwrap();
    assert_eq!((p.healed_selector.as_str(), p.success_count, p.failure_count), ("[data-testid=buy]", 1, 0));
}

#[test]
fn elements_and_learned_durations() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let fp = json!({ "tag": "button", "id": "", "classes": ["add-to-cart"], "text": "Add to cart" });
    store.put_element("button.add-to-cart", "http://127.0.0.1:4173/index.html", &fp).unwrap();
    store.put_element("button.add-to-cart", "http://127.0.0.1:4173/product.html", &json!({ "tag": "button" })).unwrap();
    let els = store.elements("button.add-to-cart").unwrap();
    assert_eq!(els.len(), 2);
    assert_eq!(els[0], ("http://127.0.0.1:4173/index.html".to_string(), fp));
    assert!(store.elements("button.add-to-car").unwrap().is_empty(), "prefix-safe");

    assert_eq!(store.learned("[data-testid=stock]").unwrap(), None);
    for ms in 1..=30u64 {
        store.record_duration("[data-testid=stock]", ms * 100).unwrap();
    }
    let d = store.durations("[data-testid=stock]").unwrap();
    assert_eq!(d.len(), DURATIONS_KEPT);
    assert_eq!((d[0], d[DURATIONS_KEPT - 1]), (1_100, 3_000), "the last 20, oldest first");
    let l = store.learned("[data-testid=stock]").unwrap().unwrap();
    assert_eq!((l.samples, l.p50, l.p95), (20, 2_000, 2_900));
}

#[test]
fn a_version_1_store_is_migrated_and_keeps_its_runs() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = sled::open(dir.path()).unwrap();
        db.open_tree("meta").unwrap().insert("schema_version", &1u32.to_be_bytes()).unwrap();
        db.open_tree("cursors").unwrap().insert("builds", "c1").unwrap();
        db.flush().unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(SCHEMA_VERSION, 2);
    assert_eq!(store.cursor("builds").as_deref(), Some("c1"));
    store.record_heal(&heal("a", "b", None), HealOutcome::Success).unwrap();
}
