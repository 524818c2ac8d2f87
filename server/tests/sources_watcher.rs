//! The report watcher sees created and modified reports, including in directories created
//! after it started (a test run recreating `test-results/`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use argus_lsp::config::ReportSources;
use argus_lsp::sources::ReportWatcher;

const WAIT: Duration = Duration::from_secs(15);

async fn next_containing(rx: &mut tokio::sync::mpsc::UnboundedReceiver<Vec<PathBuf>>, want: &Path) -> Vec<PathBuf> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let batch = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .unwrap_or_else(|_| panic!("no batch with {} within {WAIT:?}", want.display()))
            .expect("watcher channel closed");
        if batch.iter().any(|p| p == want) {
            return batch;
        }
    }
}

#[tokio::test]
async fn created_and_modified_reports_arrive_in_batches() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::create_dir_all(root.join("node_modules/pkg")).unwrap();
    std::fs::create_dir_all(root.join("src")).unwrap();
    let (watcher, mut rx) = ReportWatcher::with_debounce(&root, &ReportSources::default().globs, Duration::from_millis(150)).unwrap();
    assert_eq!(watcher.root(), root);

    // A directory created after the watcher started, with a report inside.
    let report = root.join("test-results/results.json");
    std::fs::create_dir_all(report.parent().unwrap()).unwrap();
    std::fs::write(&report, "{}").unwrap();
    let batch = next_containing(&mut rx, &report).await;
    assert!(batch.iter().all(|p| p.is_file()));

    // Not reports: ignored.
    std::fs::write(root.join("src/app.json"), "{}").unwrap();
    std::fs::write(root.join("node_modules/pkg/junit.xml"), "<x/>").unwrap();

    // Modified in place.
    tokio::time::sleep(Duration::from_millis(200)).await;
    std::fs::write(&report, "{\"suites\": []}").unwrap();
    let batch = next_containing(&mut rx, &report).await;
    assert!(!batch.iter().any(|p| p.ends_with("app.json") || p.starts_with(root.join("node_modules"))), "{batch:?}");

    // Deleted and recreated directory (Playwright clears test-results/ at the start of a run).
    std::fs::remove_dir_all(root.join("test-results")).unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let again = root.join("test-results/nested/junit.xml");
    std::fs::create_dir_all(again.parent().unwrap()).unwrap();
    std::fs::write(&again, "<testsuites/>").unwrap();
    next_containing(&mut rx, &again).await;

    // Dropping the watcher closes the channel.
    drop(watcher);
    let closed = tokio::time::timeout(WAIT, async {
        while rx.recv().await.is_some() {}
    })
    .await;
    assert!(closed.is_ok(), "channel not closed after the watcher was dropped");
}

#[test]
fn a_missing_root_is_an_error_naming_it() {
    let err = ReportWatcher::new(Path::new("/nonexistent/argus-root"), &[]).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/argus-root"), "{err}");
}
