//! The sled store: runs recorded once, ordering, pruning, cache, cursors, schema version.

use argus_lsp::failures::{EventSource, FailureEvent, ReportFormat, Run, RunInfo, Status};
use argus_lsp::store::{SCHEMA_VERSION, Store, StoreError};

fn run(key: &str, started_at: Option<&str>, tests: &[(&str, Status)]) -> Run {
    let info = RunInfo { started_at: started_at.map(String::from), ..RunInfo::default() };
    let events = tests
        .iter()
        .map(|(name, status)| {
            let mut e = FailureEvent::new(EventSource::Junit, *name, *status);
            e.title_path = vec![name.to_string()];
            e.run = info.clone();
            e
        })
        .collect();
    Run { key: key.into(), source: "test".into(), format: ReportFormat::Junit, info, stats: None, events }
}

fn keys(runs: &[Run]) -> Vec<&str> {
    runs.iter().map(|r| r.key.as_str()).collect()
}

#[test]
fn records_each_run_once_and_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let r = run("run:1", Some("2024-05-01T10:00:00Z"), &[("a", Status::Failed)]);
    {
        let store = Store::open(dir.path()).unwrap();
        assert!(store.record_run(&r).unwrap());
        assert!(!store.record_run(&r).unwrap(), "the same key is recorded once");
        assert_eq!(store.run_count(), 1);
    }
    let store = Store::open(dir.path()).unwrap();
    assert!(!store.record_run(&r).unwrap(), "still known after reopening");
    let runs = store.runs(10).unwrap();
    assert_eq!(runs, vec![r]);
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
}

#[test]
fn runs_are_newest_first_by_start_time_then_insertion_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    for r in [
        run("b", Some("2024-05-02T00:00:00Z"), &[]),
        run("a", Some("2024-05-01T00:00:00Z"), &[]),
        // Same instant, written in another zone: insertion order decides.
        run("c", Some("2024-05-02T02:00:00+02:00"), &[]),
        run("d", Some("2024-04-30T23:59:59.999Z"), &[]),
    ] {
        assert!(store.record_run(&r).unwrap());
    }
    assert_eq!(keys(&store.runs(10).unwrap()), ["c", "b", "a", "d"]);
    assert_eq!(keys(&store.runs(2).unwrap()), ["c", "b"]);
    // No start time: counts as started when recorded (now), so it is the newest.
    store.record_run(&run("e", None, &[])).unwrap();
    assert_eq!(keys(&store.runs(1).unwrap()), ["e"]);
}

#[test]
fn prune_keeps_the_last_n_outcomes_of_every_test() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    // Test `a` runs every day; test `rare` only on day 1.
    for day in 1..=5 {
        let mut tests = vec![("a", Status::Passed)];
        if day == 1 {
            tests.push(("rare", Status::Failed));
        }
        let r = run(&format!("day{day}"), Some(&format!("2024-05-0{day}T00:00:00Z")), &tests);
        store.record_run(&r).unwrap();
    }
    store.record_run(&run("empty", Some("2024-04-01T00:00:00Z"), &[])).unwrap();
    let dropped = store.prune(2).unwrap();
    // day5, day4 hold a's last two outcomes; day1 holds rare's only one; day2, day3, empty go.
    assert_eq!(dropped, 3);
    assert_eq!(keys(&store.runs(10).unwrap()), ["day5", "day4", "day1"]);
    // A pruned run is not recorded again (its report may still be on disk).
    assert!(!store.record_run(&run("day2", Some("2024-05-02T00:00:00Z"), &[("a", Status::Passed)])).unwrap());
    assert_eq!(store.prune(2).unwrap(), 0);
    assert_eq!(store.verify().unwrap(), 3);
}

#[test]
fn cache_and_cursors_round_trip_and_persist() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.cache_get("k"), None);
        store.cache_put("k", b"\x00body\xff").unwrap();
        store.cache_put("k", b"body2").unwrap();
        assert_eq!(store.cursor("builds"), None);
        store.set_cursor("builds", "2024-05-01").unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.cache_get("k").as_deref(), Some(&b"body2"[..]));
    assert_eq!(store.cursor("builds").as_deref(), Some("2024-05-01"));
}

#[test]
fn a_store_from_a_newer_version_is_refused_with_its_directory_named() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = sled::open(dir.path()).unwrap();
        db.open_tree("meta").unwrap().insert("schema_version", &(SCHEMA_VERSION + 1).to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    let err = Store::open(dir.path()).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains(&dir.path().display().to_string()), "{msg}");
    assert!(msg.contains("schema version"), "{msg}");
}

#[test]
fn a_store_without_a_version_key_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = sled::open(dir.path()).unwrap();
        db.open_tree("cursors").unwrap().insert("x", "y").unwrap();
        db.flush().unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.cursor("x").as_deref(), Some("y"));
}

#[test]
fn opening_a_locked_or_impossible_directory_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let err = Store::open(&file.join("store")).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("not-a-dir"), "{msg}");
}

#[test]
fn store_dir_per_workspace() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let da = Store::dir_for_workspace(a.path(), "");
    let db = Store::dir_for_workspace(b.path(), "");
    assert_ne!(da, db);
    assert_eq!(da, Store::dir_for_workspace(a.path(), "  "));
    assert!(da.parent().unwrap().ends_with("argus-lsp"), "{}", da.display());
    assert_eq!(Store::dir_for_workspace(a.path(), "/x/y"), std::path::PathBuf::from("/x/y"));
    assert_eq!(Store::dir_for_workspace(a.path(), ".argus/store"), a.path().join(".argus/store"));
}

#[test]
fn real_reports_round_trip_through_the_store() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/examples/reports");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut n = 0;
    for p in ["playwright/results.json", "playwright/junit.xml", "pytest/junit.xml", "pytest/junit-xunit1.xml"] {
        let report = argus_lsp::sources::read_report(&root.join(p), u64::MAX).unwrap();
        let r = Run::from_report(report);
        if store.record_run(&r).unwrap() {
            n += 1;
        }
        assert!(store.runs(100).unwrap().contains(&r));
    }
    assert!(n >= 3);
}
