//! The knowledge base learns from CI: a heal that fails again in a later run loses trust.

use argus_lsp::failures::{EventSource, FailureEvent, ReportFormat, Run, RunInfo, Status};
use argus_lsp::store::{HealOutcome, HealRecord, Store};
use argus_lsp::text::PositionEncoding;
use argus_lsp::workspace::Workspace;

fn run(key: &str, started_at: &str, selector: &str) -> Run {
    let info = RunInfo { run_id: Some(key.into()), started_at: Some(started_at.into()), ..RunInfo::default() };
    let mut e = FailureEvent::new(EventSource::PlaywrightJson, "adds a product to the cart", Status::Failed);
    e.title_path = vec!["Catalog".into(), "adds a product to the cart".into()];
    e.message = format!("TimeoutError: locator.click: Timeout 2000ms exceeded.\nwaiting for {selector}");
    e.selectors = vec![selector.into()];
    e.run = info.clone();
    Run { key: format!("run:{key}"), source: "ci".into(), format: ReportFormat::PlaywrightJson, info, stats: None, events: vec![e] }
}

#[test]
fn a_heal_seen_failing_in_a_later_run_counts_as_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    let heal = HealRecord { original_selector: "button.add-to-cart", healed_selector: "page.getByTestId('add-to-cart')", ..Default::default() };
    store.record_heal(&heal, HealOutcome::Success).unwrap();
    let mut ws = Workspace::new(Some(dir.path().to_path_buf()), PositionEncoding::Utf16);
    ws.attach_store(store.clone()).unwrap();

    // Before the heal was applied: says nothing about it.
    ws.record_runs(vec![run("old", "2001-01-01T00:00:00Z", "getByTestId('add-to-cart')")]);
    let p = store.pattern("button.add-to-cart", None).unwrap().unwrap();
    assert_eq!((p.success_count, p.failure_count), (1, 0));
    // Another selector failing later: not this heal.
    ws.record_runs(vec![run("other", "2099-01-01T00:00:00Z", "getByTestId('stock-status')")]);
    assert_eq!(store.pattern("button.add-to-cart", None).unwrap().unwrap().failure_count, 0);
    // The healed selector failing after the heal: a failure, confidence halves.
    ws.record_runs(vec![run("new", "2099-01-02T00:00:00Z", "getByTestId('add-to-cart')")]);
    let p = store.pattern("button.add-to-cart", None).unwrap().unwrap();
    assert_eq!((p.success_count, p.failure_count), (1, 1));
    assert!((p.confidence - 0.5).abs() < 1e-9);
}
