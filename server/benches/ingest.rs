//! Ingest benchmark (issue 3 §7): parse 100 000 JUnit testcases and a 50 000-result
//! Playwright JSON report through `sources::read_report` (the streaming parsers), then
//! correlate the events with `analysis::analyze_failures` against a generated workspace of
//! the test files the reports name (1 000 pytest modules, the Playwright spec files). Each
//! case runs in its own child process so peak RSS (VmHWM) is the case's own; Python
//! `junitparser` parses the same XML in the same run.
//!
//! Fairness: both sides are timed on the parse only, best of [`REPEAT`] runs — Python from
//! after interpreter start and `import junitparser` (`JUnitXml.fromfile` plus reading every
//! case's identity, time and result), argus-lsp from opening the file to the last event
//! (which includes message analysis, stack frames and fingerprints: more work than
//! junitparser does). Correlation is best of [`REPEAT`] too, and the process's first one
//! (cold: all its memory is fresh from the kernel) is printed beside it and counted in a
//! second ingest + correlate figure. Wall-clock time on both sides; argus-lsp's CPU time is
//! printed too, because a large report is read on one thread while a second one builds the events
//! (junitparser uses one thread; the machine has two cores, shared with whatever else runs).
//!
//! For scale, the JUnit child also times two parts of the job alone (best of [`REPEAT`]):
//! quick-xml reading the same file with nothing built, and storing 100 000 empty
//! `FailureEvent`s in a fresh vector. Their ratios to junitparser bound what any ingest
//! that tokenizes this XML, or returns these events, can reach.
//!
//! Run: `cargo bench -p argus-lsp --bench ingest`. Prints figures; exits non-zero only if a
//! case fails to run, not when a goal is missed.
//!
//! Goals: ≥ 100 000 events/s, ≥ 20× junitparser.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use argus_lsp::analysis::{FailureSettings, SourceFile, analyze_failures};
use argus_lsp::failures::Run;
use argus_lsp::sources::read_report;
use argus_lsp::store::Store;
use argus_lsp::syntax::{Language, parse_model};

// The allocator of the argus-lsp binary (see main.rs), so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const JUNIT_CASES: usize = 100_000;
const PLAYWRIGHT_RESULTS: usize = 50_000;
const CHILD_ENV: &str = "ARGUS_INGEST_BENCH_CHILD";
/// With [`CHILD_ENV`]: time the parts that bound JUnit ingest instead ([`floor`]).
const FLOOR_ENV: &str = "ARGUS_INGEST_BENCH_FLOOR";
const GOAL_EVENTS_PER_SEC: f64 = 100_000.0;
const GOAL_RATIO: f64 = 20.0;
/// Parses per case (and per junitparser run); the best one counts.
const REPEAT: usize = 3;
/// pytest modules in the generated workspace (100 tests each).
const JUNIT_MODULES: usize = 1_000;

fn main() {
    if let Ok(path) = std::env::var(CHILD_ENV) {
        child(Path::new(&path));
        return;
    }
    // ARGUS_INGEST_BENCH_KEEP=<dir> keeps the generated inputs there (for profiling a child:
    // `ARGUS_INGEST_BENCH_CHILD=<dir>/junit-100k.xml perf record <bench binary>`).
    let tmp = tempfile::tempdir().expect("temp dir");
    let keep = std::env::var_os("ARGUS_INGEST_BENCH_KEEP").map(PathBuf::from);
    let dir_path = keep.unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir_path).expect("bench dir");
    let junit = dir_path.join("junit-100k.xml");
    let pw = dir_path.join("playwright-50k.json");
    let ws = dir_path.join("ws");
    let t = Instant::now();
    let _ = std::fs::remove_dir_all(&ws);
    let py_files = write_junit(&junit, &ws, JUNIT_CASES).expect("write junit");
    let ts_files = write_playwright(&pw, &ws, PLAYWRIGHT_RESULTS).expect("write playwright");
    println!("generated inputs in {:.1}s: {} ({} MiB), {} ({} MiB); workspace {} with {py_files} pytest modules and {ts_files} Playwright spec files",
        t.elapsed().as_secs_f64(), junit.display(), size_mib(&junit), pw.display(), size_mib(&pw), ws.display());

    let j = run_child(&junit);
    let p = run_child(&pw);
    println!();
    println!("ingest = read_report (parse, best of {REPEAT}; wall clock, and CPU time over all threads); correlate = analyze_failures over the run against the parsed workspace (best of {REPEAT}; 1st = the process's first, cold)");
    println!(
        "{:<29} {:>7} {:>8} {:>8} {:>10} {:>8} {:>9} {:>10} {:>10} {:>9} {:>9} {:>9}",
        "case", "events", "ingest s", "cpu s", "ingest e/s", "corr. s", "corr. 1st", "both e/s", "RSS ingest", "RSS both", "findings", "unmapped"
    );
    for (name, r) in [("JUnit XML, 100k testcases", &j), ("Playwright JSON, 50k results", &p)] {
        let both = r.secs + r.correlate_secs;
        println!(
            "{:<29} {:>7} {:>8.3} {:>8.3} {:>10.0} {:>8.3} {:>9.3} {:>10.0} {:>9.1}M {:>8.1}M {:>9} {:>9}",
            name,
            r.events,
            r.secs,
            r.cpu_secs,
            r.events as f64 / r.secs,
            r.correlate_secs,
            r.correlate_first_secs,
            r.events as f64 / both,
            r.hwm_kib as f64 / 1024.0,
            r.correlate_hwm_kib as f64 / 1024.0,
            r.findings,
            r.unmapped
        );
    }
    println!("(workspace parse, not timed above: junit {:.3}s for {} files, playwright {:.3}s for {} files)", j.ws_secs, j.ws_files, p.ws_secs, p.ws_files);
    println!();
    for (name, r) in [("junit", &j), ("playwright", &p)] {
        println!(
            "{name}: recording the run in sled took {:.3}s, peak RSS then {:.1} MiB",
            r.record_secs,
            r.record_hwm_kib as f64 / 1024.0
        );
    }
    println!();
    let floor = run_floor(&junit);
    match python_junitparser(&junit) {
        Ok((n, secs)) => {
            let ratio = secs / j.secs;
            println!("python junitparser: {n} testcases in {secs:.3}s ({:.0} testcases/s), parse only (after interpreter start and import), best of {REPEAT}", n as f64 / secs);
            println!("ratio junitparser time / argus-lsp ingest time on the same XML: {ratio:.1}x (goal >= {GOAL_RATIO}x) {}", verdict(ratio >= GOAL_RATIO));
            if let Some((scan, store, bytes)) = floor {
                println!(
                    "  for scale: quick-xml alone reads that XML in {scan:.3}s ({:.1}x junitparser); storing {JUNIT_CASES} empty FailureEvents ({bytes} B each) in a fresh vector takes {store:.3}s ({:.1}x)",
                    secs / scan,
                    secs / store
                );
            }
        }
        Err(e) => println!("python junitparser: not measured: {e}"),
    }
    for (name, r) in [("junit", &j), ("playwright", &p)] {
        let eps = r.events as f64 / r.secs;
        let both = r.events as f64 / (r.secs + r.correlate_secs);
        let cold = r.events as f64 / (r.secs + r.correlate_first_secs);
        println!(
            "{name}: ingest {eps:.0} events/s (goal >= {GOAL_EVENTS_PER_SEC:.0}) {}; ingest+correlate {both:.0} events/s {} (with the first, cold correlation: {cold:.0} events/s {})",
            verdict(eps >= GOAL_EVENTS_PER_SEC),
            verdict(both >= GOAL_EVENTS_PER_SEC),
            verdict(cold >= GOAL_EVENTS_PER_SEC)
        );
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok { "OK" } else { "MISSED" }
}

fn size_mib(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len() / (1024 * 1024)).unwrap_or(0)
}

struct Figures {
    /// CPU time (all threads) of the best ingest run.
    cpu_secs: f64,
    record_secs: f64,
    record_hwm_kib: u64,
    events: usize,
    secs: f64,
    hwm_kib: u64,
    /// Best of [`REPEAT`] correlations.
    correlate_secs: f64,
    /// The first correlation of the process (cold).
    correlate_first_secs: f64,
    correlate_hwm_kib: u64,
    findings: usize,
    unmapped: usize,
    ws_secs: f64,
    ws_files: usize,
}

/// Workspace-relative paths of the test files under `root`, sorted.
fn workspace_files(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if let Ok(rel) = p.strip_prefix(root) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

fn child(path: &Path) {
    // ARGUS_INGEST_BENCH_PROFILE=<n>: only parse the report n times (for `perf record`).
    if let Some(n) = std::env::var("ARGUS_INGEST_BENCH_PROFILE").ok().and_then(|n| n.parse::<usize>().ok()) {
        for _ in 0..n {
            let t = Instant::now();
            let report = read_report(path, u64::MAX).expect("read report");
            println!("{} events in {:.3}s", report.events.len(), t.elapsed().as_secs_f64());
        }
        return;
    }
    if std::env::var_os(FLOOR_ENV).is_some() {
        floor(path);
        return;
    }
    let mut secs = f64::MAX;
    let mut cpu_secs = 0.0;
    let mut report = None;
    for _ in 0..REPEAT {
        drop(report.take());
        let (t, c) = (Instant::now(), cpu_time());
        let r = read_report(path, u64::MAX).expect("read report");
        let (wall, cpu) = (t.elapsed().as_secs_f64(), cpu_time() - c);
        if wall < secs {
            (secs, cpu_secs) = (wall, cpu);
        }
        report = Some(r);
    }
    let report = report.expect("a report");
    let hwm = vm_hwm_kib();
    assert!(report.problems.is_empty(), "{:?}", &report.problems[..report.problems.len().min(3)]);
    let events = report.events.len();
    let run = Run::from_report(report);

    // The workspace the report points into (generated next to it), parsed with the syntax
    // layer as `check` does; then correlation over the run.
    let root = path.parent().unwrap().join("ws");
    let t = Instant::now();
    let parsed: Vec<(String, String, argus_lsp::syntax::FileModel)> = workspace_files(&root)
        .into_iter()
        .filter_map(|rel| {
            let lang = Language::from_path(&rel)?;
            let text = std::fs::read_to_string(root.join(&rel)).ok()?;
            let model = parse_model(lang, &text);
            Some((rel, text, model))
        })
        .collect();
    let ws_secs = t.elapsed().as_secs_f64();
    let sources: Vec<SourceFile> =
        parsed.iter().map(|(p, text, model)| SourceFile { path: p, model, text, modified_ms: None }).collect();
    let runs = [run];
    // ARGUS_INGEST_BENCH_PROFILE_CORRELATE=<n>: correlate n more times first, printing each
    // time (for `perf record`; the first call pays for fresh memory, later ones reuse it).
    if let Some(n) = std::env::var("ARGUS_INGEST_BENCH_PROFILE_CORRELATE").ok().and_then(|n| n.parse::<usize>().ok()) {
        for _ in 0..n {
            let t = Instant::now();
            let a = analyze_failures(&sources, &runs, &FailureSettings::default(), 0);
            println!("{} findings in {:.3}s", a.findings.len(), t.elapsed().as_secs_f64());
        }
    }
    // Best of REPEAT, as ingest; the first (cold: its memory is fresh from the kernel) is
    // reported beside it.
    let mut correlate_secs = f64::MAX;
    let mut correlate_first_secs = 0.0;
    let mut analysis = None;
    for i in 0..REPEAT {
        drop(analysis.take());
        let t = Instant::now();
        let a = analyze_failures(&sources, &runs, &FailureSettings::default(), 0);
        let secs = t.elapsed().as_secs_f64();
        if i == 0 {
            correlate_first_secs = secs;
        }
        correlate_secs = correlate_secs.min(secs);
        analysis = Some(a);
    }
    let analysis = analysis.expect("an analysis");
    let correlate_hwm = vm_hwm_kib();
    let findings = analysis.findings.len();
    let unmapped: usize = analysis.unmapped.iter().map(|u| u.event_ids.len()).sum();
    drop(analysis);
    drop(sources);
    let [run] = runs;

    // Recording the run in sled (history), measured after the figures above were taken.
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("store");
    let t = Instant::now();
    store.record_run(&run).expect("record");
    let record_secs = t.elapsed().as_secs_f64();
    println!(
        "events={events} secs={secs} cpu_secs={cpu_secs} hwm_kib={hwm} correlate_secs={correlate_secs} correlate_first_secs={correlate_first_secs} correlate_hwm_kib={correlate_hwm} findings={findings} unmapped={unmapped} ws_secs={ws_secs} ws_files={} record_secs={record_secs} record_hwm_kib={}",
        parsed.len(),
        vm_hwm_kib()
    );
}

/// Times the two parts of JUnit ingest that bound it (see the module docs) and prints
/// `scan_secs=… store_secs=… event_bytes=…`.
fn floor(path: &Path) {
    use argus_lsp::failures::{EventSource, FailureEvent, Status};
    use quick_xml::events::Event;
    let mut scan = f64::MAX;
    let mut elements = 0usize;
    for _ in 0..REPEAT {
        let t = Instant::now();
        let file = std::fs::File::open(path).expect("open");
        let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::with_capacity(256 * 1024, file));
        let mut buf = Vec::new();
        elements = 0;
        loop {
            match xml.read_event_into(&mut buf).expect("valid XML") {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => {
                    elements += 1;
                    for a in e.attributes() {
                        std::hint::black_box(a.expect("attribute").unescape_value().expect("value"));
                    }
                }
                Event::Text(t) => {
                    std::hint::black_box(t.xml_content().ok());
                }
                _ => {}
            }
            buf.clear();
        }
        scan = scan.min(t.elapsed().as_secs_f64());
    }
    let mut store = f64::MAX;
    for _ in 0..REPEAT {
        let t = Instant::now();
        let mut events: Vec<FailureEvent> = Vec::new();
        for _ in 0..JUNIT_CASES {
            events.push(FailureEvent::new(EventSource::Junit, String::new(), Status::Passed));
        }
        std::hint::black_box(&events);
        store = store.min(t.elapsed().as_secs_f64());
        drop(events);
    }
    println!("scan_secs={scan} elements={elements} store_secs={store} event_bytes={}", std::mem::size_of::<FailureEvent>());
}

fn cpu_time() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut r: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut r) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(r.ru_utime) + secs(r.ru_stime)
}

fn run_child(path: &Path) -> Figures {
    let out = Command::new(std::env::current_exe().unwrap()).env(CHILD_ENV, path).output().expect("spawn child");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "child failed on {}: {}{}", path.display(), text, String::from_utf8_lossy(&out.stderr));
    let line = text.lines().find(|l| l.starts_with("events=")).expect("child figures");
    let field = |k: &str| line.split_whitespace().find_map(|f| f.strip_prefix(k)).unwrap().to_string();
    Figures {
        record_secs: field("record_secs=").parse().unwrap(),
        record_hwm_kib: field("record_hwm_kib=").parse().unwrap(),
        events: field("events=").parse().unwrap(),
        secs: field("secs=").parse().unwrap(),
        cpu_secs: field("cpu_secs=").parse().unwrap(),
        hwm_kib: field("hwm_kib=").parse().unwrap(),
        correlate_secs: field("correlate_secs=").parse().unwrap(),
        correlate_first_secs: field("correlate_first_secs=").parse().unwrap(),
        correlate_hwm_kib: field("correlate_hwm_kib=").parse().unwrap(),
        findings: field("findings=").parse().unwrap(),
        unmapped: field("unmapped=").parse().unwrap(),
        ws_secs: field("ws_secs=").parse().unwrap(),
        ws_files: field("ws_files=").parse().unwrap(),
    }
}

/// (scan seconds, store seconds, bytes per event) from a [`floor`] child.
fn run_floor(path: &Path) -> Option<(f64, f64, usize)> {
    let out = Command::new(std::env::current_exe().ok()?).env(CHILD_ENV, path).env(FLOOR_ENV, "1").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.starts_with("scan_secs="))?;
    let field = |k: &str| line.split_whitespace().find_map(|f| f.strip_prefix(k)).map(str::to_string);
    Some((field("scan_secs=")?.parse().ok()?, field("store_secs=")?.parse().ok()?, field("event_bytes=")?.parse().ok()?))
}

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

/// pytest-style JUnit XML: one suite per module, [`JUNIT_MODULES`] modules of 10 classes;
/// ~10 % failures with real Selenium/Playwright texts, ~3 % errors, ~5 % skipped, the rest
/// passing. Writes the modules under `ws/tests/`, each test at the line its failure text
/// names. Returns the number of modules.
fn write_junit(path: &Path, ws: &Path, cases: usize) -> std::io::Result<usize> {
    let mut w = BufWriter::new(std::fs::File::create(path)?);
    let suites = JUNIT_MODULES;
    let per = cases / suites;
    std::fs::create_dir_all(ws.join("tests"))?;
    writeln!(w, "<?xml version=\"1.0\" encoding=\"utf-8\"?>")?;
    writeln!(w, "<testsuites name=\"bench\">")?;
    for s in 0..suites {
        // The module: class TestPage{k} holds the cases with c % 10 == k.
        let mut py = String::from("from selenium.webdriver.common.by import By\n");
        let mut line_of = vec![0usize; per];
        let mut line = 1;
        for k in 0..10 {
            py.push_str(&format!("\n\nclass TestPage{k}:\n"));
            line += 3;
            for c in (k..per).step_by(10) {
                let i = s * per + c;
                py.push_str(&format!("    def test_case_{i}(self, driver):\n        driver.find_element(By.CSS_SELECTOR, \"button.buy-{i}\").click()\n\n"));
                line_of[c] = line + 1;
                line += 3;
            }
        }
        std::fs::write(ws.join(format!("tests/test_module_{s}.py")), py)?;
        writeln!(
            w,
            "<testsuite name=\"pytest\" errors=\"0\" failures=\"0\" skipped=\"0\" tests=\"{per}\" time=\"1.0\" timestamp=\"2026-11-26T01:43:56.552191+00:00\" hostname=\"ci\">"
        )?;
        for (c, line) in line_of.iter().enumerate().take(per) {
            let i = s * per + c;
            let class = format!("tests.test_module_{s}.TestPage{}", c % 10);
            let name = format!("test_case_{i}");
            match i % 100 {
                0..=9 => {
                    writeln!(w, "<testcase classname=\"{class}\" name=\"{name}\" time=\"1.882\"><failure message=\"selenium.common.exceptions.NoSuchElementException: Message: no such element: Unable to locate element: {{&quot;method&quot;:&quot;css selector&quot;,&quot;selector&quot;:&quot;button.buy-{i}&quot;}}\">driver = &lt;selenium.webdriver.chrome.webdriver.WebDriver&gt;\n\n    def {name}(driver):\n&gt;       driver.find_element(By.CSS_SELECTOR, \"button.buy-{i}\").click()\n\ntests/test_module_{s}.py:{}: \nE   selenium.common.exceptions.NoSuchElementException: Message: no such element</failure></testcase>", line)?;
                }
                10..=12 => {
                    writeln!(w, "<testcase classname=\"{class}\" name=\"{name}\" time=\"2.001\"><error type=\"TimeoutError\" message=\"locator.click: Timeout 2000ms exceeded.\">TimeoutError: locator.click: Timeout 2000ms exceeded.\nCall log:\n  - waiting for locator('#save-{i}')\n\n    at tests/test_module_{s}.py:{}:20</error></testcase>", line)?;
                }
                13..=17 => {
                    writeln!(w, "<testcase classname=\"{class}\" name=\"{name}\" time=\"0.000\"><skipped type=\"pytest.skip\" message=\"flaky on CI\">tests/test_module_{s}.py:3: flaky on CI</skipped></testcase>")?;
                }
                _ => writeln!(w, "<testcase classname=\"{class}\" name=\"{name}\" time=\"0.{:03}\" />", i % 1000)?,
            }
        }
        writeln!(w, "</testsuite>")?;
    }
    writeln!(w, "</testsuites>")?;
    w.flush()?;
    Ok(suites)
}

/// A Playwright JSON report with `results` results in total, built from the specs of the
/// real report in tests/examples (so every field Playwright writes is there). Writes the
/// spec files it names under `ws/generated/`: each test at the line the report gives, with
/// the locators its messages name, and error locations pointing at them. Returns the number
/// of spec files.
fn write_playwright(path: &Path, ws: &Path, results: usize) -> std::io::Result<usize> {
    let real = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/examples/reports/playwright/results.json");
    let real: serde_json::Value = serde_json::from_slice(&std::fs::read(real)?)?;
    let mut templates = Vec::new();
    fn collect(suite: &serde_json::Value, out: &mut Vec<serde_json::Value>) {
        for spec in suite["specs"].as_array().into_iter().flatten() {
            out.push(spec.clone());
        }
        for s in suite["suites"].as_array().into_iter().flatten() {
            collect(s, out);
        }
    }
    for s in real["suites"].as_array().unwrap() {
        collect(s, &mut templates);
    }
    // The locator expressions each template's messages name.
    let selectors: Vec<Vec<String>> = templates
        .iter()
        .map(|spec| {
            let mut out: Vec<String> = Vec::new();
            for t in spec["tests"].as_array().into_iter().flatten() {
                for r in t["results"].as_array().into_iter().flatten() {
                    let msg = argus_lsp::failures::strip_ansi(r["error"]["message"].as_str().unwrap_or(""));
                    for s in argus_lsp::failures::message::extract(&msg).selectors {
                        if (s.starts_with("locator(") || s.starts_with("getBy")) && !out.contains(&s) {
                            out.push(s);
                        }
                    }
                }
            }
            out
        })
        .collect();
    let results_of = |spec: &serde_json::Value| -> usize {
        spec["tests"].as_array().into_iter().flatten().map(|t| t["results"].as_array().map_or(0, Vec::len)).sum()
    };
    let root_dir = real["config"]["rootDir"].as_str().unwrap_or("/r").trim_end_matches('/').to_string();
    std::fs::create_dir_all(ws.join("generated"))?;
    let mut w = BufWriter::new(std::fs::File::create(path)?);
    let mut config = real["config"].clone();
    // One project whose testDir is the workspace root the files are written under.
    config["projects"] = serde_json::json!([{ "name": "", "testDir": root_dir }]);
    write!(w, "{{\"config\":{},\"suites\":[", serde_json::to_string(&config)?)?;
    let mut total = 0;
    let mut file_no = 0;
    while total < results {
        if file_no > 0 {
            write!(w, ",")?;
        }
        let file = format!("generated/page-{file_no}.spec.ts");
        let mut ts = String::from("import { test, expect } from '@playwright/test';\n");
        let mut line = 2;
        write!(w, "{{\"title\":\"{file}\",\"file\":\"{file}\",\"line\":0,\"column\":0,\"specs\":[")?;
        let mut first = true;
        for k in 0..200 {
            if total >= results {
                break;
            }
            let mut spec = templates[k % templates.len()].clone();
            let n = results_of(&spec).min(results - total);
            if n == 0 {
                continue;
            }
            let title = format!("{} #{file_no}.{k}", spec["title"].as_str().unwrap_or("test"));
            // The test in the spec file: `test(…)` on `line`, its first action on line + 1.
            ts.push_str(&format!("\ntest({}, async ({{ page }}) => {{\n", serde_json::to_string(&title)?));
            let test_line = line + 1;
            let sels = &selectors[k % templates.len()];
            if sels.is_empty() {
                ts.push_str("  await page.goto('/');\n");
            }
            for s in sels {
                ts.push_str(&format!("  await expect(page.{s}).toBeVisible();\n"));
            }
            ts.push_str("});\n");
            line += 3 + sels.len().max(1);
            let loc = serde_json::json!({ "file": format!("{root_dir}/{file}"), "line": test_line + 1, "column": 3 });
            spec["title"] = title.into();
            spec["file"] = file.clone().into();
            spec["line"] = test_line.into();
            spec["column"] = 1.into();
            // Keep exactly `n` results (the last spec may be cut short).
            let mut left = n;
            for t in spec["tests"].as_array_mut().unwrap() {
                let rs = t["results"].as_array_mut().unwrap();
                rs.truncate(left);
                left -= rs.len();
                for r in rs.iter_mut() {
                    if r["error"].is_object() {
                        r["error"]["location"] = loc.clone();
                    }
                    for e in r["errors"].as_array_mut().into_iter().flatten() {
                        e["location"] = loc.clone();
                    }
                }
            }
            if !first {
                write!(w, ",")?;
            }
            first = false;
            serde_json::to_writer(&mut w, &spec)?;
            total += n;
        }
        write!(w, "]}}")?;
        std::fs::write(ws.join(&file), ts)?;
        file_no += 1;
    }
    write!(w, "],\"errors\":[],\"stats\":{}}}", serde_json::to_string(&real["stats"])?)?;
    w.flush()?;
    Ok(file_no)
}

/// Times Python junitparser on the XML (installing it with pip when missing). Returns
/// (testcases, seconds).
fn python_junitparser(path: &Path) -> Result<(usize, f64), String> {
    let has = |py: &str| Command::new(py).args(["-c", "import junitparser"]).output().map(|o| o.status.success()).unwrap_or(false);
    let py = "python3";
    if !has(py) {
        println!("installing junitparser (pip install junitparser)…");
        let ok = Command::new(py).args(["-m", "pip", "install", "--quiet", "junitparser"]).status().map(|s| s.success()).unwrap_or(false)
            || Command::new(py)
                .args(["-m", "pip", "install", "--quiet", "--break-system-packages", "junitparser"])
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
        if !ok || !has(py) {
            return Err("junitparser could not be installed".into());
        }
    }
    // Parse only, best of REPEAT (interpreter start and the import are not timed): the file
    // parsed and every case's identity, time and result read (argus-lsp does more per case).
    let script = r#"
import sys, time
from junitparser import JUnitXml
best = None
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    xml = JUnitXml.fromfile(sys.argv[1])
    n = 0
    for suite in xml:
        for case in suite:
            _ = (case.classname, case.name, case.time)
            for r in case.result:
                _ = (r.type, r.message, r.text)
            n += 1
    secs = time.perf_counter() - t
    best = secs if best is None else min(best, secs)
    del xml
print(n, best)
"#;
    let out = Command::new(py).args(["-c", script]).arg(path).arg(REPEAT.to_string()).output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace();
    let n = it.next().and_then(|s| s.parse().ok()).ok_or("no output")?;
    let secs = it.next().and_then(|s| s.parse().ok()).ok_or("no output")?;
    Ok((n, secs))
}
