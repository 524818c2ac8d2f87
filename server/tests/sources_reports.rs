//! Report files: discovery by the default globs, streamed reading, refusals that name the file.

use std::path::{Path, PathBuf};

use argus_lsp::config::ReportSources;
use argus_lsp::failures::{ReportFormat, Run};
use argus_lsp::sources::{ReportError, discover_reports, read_report};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/examples/reports")
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn discovery_with_the_default_globs_sees_gitignored_reports_and_skips_node_modules() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    write(root, ".gitignore", "test-results/\nplaywright-report/\nreports/\n*.xml\n");
    for rel in [
        "test-results/results.json",
        "test-results/nested/deep/more.json",
        "playwright-report/report.json",
        "junit.xml",
        "python/build/junit-xunit1.xml",
        "reports/surefire/TEST-com.example.AppTest.xml",
        "reports/results.json",
        ".argus/reports/anything.txt",
        // Not reports:
        "node_modules/pkg/junit.xml",
        "node_modules/pkg/test-results/x.json",
        "src/app.json",
        "test-results.json",
        "reports/notes.txt",
        ".git/junit.xml",
        ".venv/lib/junit.xml",
    ] {
        write(root, rel, "{}");
    }
    let found: Vec<String> = discover_reports(root, &ReportSources::default().globs)
        .into_iter()
        .map(|p| p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    assert_eq!(
        found,
        [
            ".argus/reports/anything.txt",
            "junit.xml",
            "playwright-report/report.json",
            "python/build/junit-xunit1.xml",
            "reports/results.json",
            "reports/surefire/TEST-com.example.AppTest.xml",
            "test-results/nested/deep/more.json",
            "test-results/results.json",
        ]
    );
}

#[test]
fn a_glob_naming_node_modules_explicitly_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "node_modules/.cache/junit.xml", "<x/>");
    let found = discover_reports(dir.path(), &["node_modules/.cache/*.xml".to_string()]);
    assert_eq!(found.len(), 1);
}

#[test]
fn discovery_in_the_examples_finds_the_committed_reports() {
    let found = discover_reports(&examples(), &["**/*.json".into(), "**/junit*.xml".into()]);
    let names: Vec<String> =
        found.iter().map(|p| p.strip_prefix(examples()).unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["playwright/junit.xml", "playwright/results.json", "pytest/junit-xunit1.xml", "pytest/junit.xml"]);
}

#[test]
fn real_reports_are_read_streamed() {
    let max = ReportSources::default().max_size;
    let pw = read_report(&examples().join("playwright/results.json"), max).unwrap();
    assert_eq!(pw.format, ReportFormat::PlaywrightJson);
    assert!(pw.problems.is_empty(), "{:?}", pw.problems);
    assert!(pw.events.iter().any(|e| e.status.is_failure()));
    assert!(pw.name.ends_with("results.json"));
    for rel in ["playwright/junit.xml", "pytest/junit.xml", "pytest/junit-xunit1.xml"] {
        let r = read_report(&examples().join(rel), max).unwrap();
        assert_eq!(r.format, ReportFormat::Junit, "{rel}");
        assert!(r.problems.is_empty(), "{rel}: {:?}", r.problems);
        assert!(r.events.iter().any(|e| e.status.is_failure()), "{rel}");
        let run = Run::from_report(r);
        assert!(!run.key.is_empty());
    }
}

#[test]
fn oversize_files_are_refused_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("junit-huge.xml");
    // Sparse: 3 GB on paper, nothing on disk; must be refused from its size alone.
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(3 * 1024 * 1024 * 1024).unwrap();
    let err = read_report(&p, ReportSources::default().max_size).unwrap_err();
    assert!(matches!(err, ReportError::TooLarge { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("junit-huge.xml") && msg.contains("reports.max_size"), "{msg}");
    assert_eq!(err.path(), p);
}

#[test]
fn directories_and_missing_files_are_refused_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("results.json");
    std::fs::create_dir(&d).unwrap();
    let err = read_report(&d, 1 << 20).unwrap_err();
    assert!(matches!(err, ReportError::NotAFile { .. }));
    assert!(err.to_string().contains("results.json"));
    let missing = dir.path().join("gone.xml");
    let err = read_report(&missing, 1 << 20).unwrap_err();
    assert!(matches!(err, ReportError::Unreadable { .. }));
    assert!(err.to_string().contains("gone.xml"), "{err}");
}

#[test]
fn invalid_content_comes_back_as_problems_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("junit-truncated.xml", &b"<testsuites><testsuite name=\"a\"><testcase name=\"x\"><failure mess"[..]),
        ("results-truncated.json", &b"{\"suites\": [{\"title\": \"a\", \"specs\": [{\"ti"[..]),
        ("junit-binary.xml", &b"\x00\x01\x02\xff\xfe"[..]),
        ("empty.json", &b""[..]),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let r = read_report(&p, 1 << 20).unwrap();
        assert!(!r.problems.is_empty(), "{name}: no problem reported");
        for pr in &r.problems {
            assert!(pr.message.contains(name), "{name}: {}", pr.message);
        }
    }
}
