//! Ingest benchmark (issue 3 §7): parse 100 000 JUnit testcases and a 50 000-result
//! Playwright JSON report through `sources::read_report` (the streaming parsers), each case
//! in its own child process so peak RSS (VmHWM) is the case's own; and Python `junitparser`
//! on the same XML in the same run.
//!
//! Run: `cargo bench -p argus-lsp --bench ingest`. Prints figures; exits non-zero only if a
//! case fails to run, not when a goal is missed.
//!
//! Goals: ≥ 100 000 events/s, ≥ 20× junitparser. Correlation is not measured yet: see
//! [`correlate_hook`].

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use argus_lsp::failures::{Report, Run};
use argus_lsp::sources::read_report;
use argus_lsp::store::Store;

const JUNIT_CASES: usize = 100_000;
const PLAYWRIGHT_RESULTS: usize = 50_000;
const CHILD_ENV: &str = "ARGUS_INGEST_BENCH_CHILD";
const GOAL_EVENTS_PER_SEC: f64 = 100_000.0;
const GOAL_RATIO: f64 = 20.0;

/// Where correlation (events → exact spans in a generated workspace) will be timed once the
/// `analysis` correlator exists. Returns None while it does not.
fn correlate_hook(_report: &Report) -> Option<Duration> {
    None
}

fn main() {
    if let Ok(path) = std::env::var(CHILD_ENV) {
        child(Path::new(&path));
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let junit = dir.path().join("junit-100k.xml");
    let pw = dir.path().join("playwright-50k.json");
    let t = Instant::now();
    write_junit(&junit, JUNIT_CASES).expect("write junit");
    write_playwright(&pw, PLAYWRIGHT_RESULTS).expect("write playwright");
    println!("generated inputs in {:.1}s: {} ({} MiB), {} ({} MiB)", t.elapsed().as_secs_f64(),
        junit.display(), size_mib(&junit), pw.display(), size_mib(&pw));

    let j = run_child(&junit);
    let p = run_child(&pw);
    println!();
    println!("{:<28} {:>9} {:>9} {:>12} {:>14} {:>12}", "case", "events", "secs", "events/s", "peak RSS MiB", "correlate");
    for (name, r) in [("JUnit XML, 100k testcases", &j), ("Playwright JSON, 50k results", &p)] {
        println!(
            "{:<28} {:>9} {:>9.3} {:>12.0} {:>14.1} {:>12}",
            name,
            r.events,
            r.secs,
            r.events as f64 / r.secs,
            r.hwm_kib as f64 / 1024.0,
            r.correlate.map(|d| format!("{:.3}s", d.as_secs_f64())).unwrap_or_else(|| "not yet".into())
        );
    }

    println!();
    for (name, r) in [("junit", &j), ("playwright", &p)] {
        println!(
            "{name}: recording the run in sled took {:.3}s, peak RSS then {:.1} MiB",
            r.record_secs,
            r.record_hwm_kib as f64 / 1024.0
        );
    }
    println!();
    match python_junitparser(&junit) {
        Ok((n, secs)) => {
            let ratio = secs / j.secs;
            println!("python junitparser: {n} testcases in {secs:.3}s ({:.0} testcases/s)", n as f64 / secs);
            println!("ratio argus-lsp / junitparser on the same XML: {ratio:.1}x (goal >= {GOAL_RATIO}x) {}", verdict(ratio >= GOAL_RATIO));
        }
        Err(e) => println!("python junitparser: not measured: {e}"),
    }
    for (name, r) in [("junit", &j), ("playwright", &p)] {
        let eps = r.events as f64 / r.secs;
        println!("{name}: {eps:.0} events/s (goal >= {GOAL_EVENTS_PER_SEC:.0}) {}", verdict(eps >= GOAL_EVENTS_PER_SEC));
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok { "OK" } else { "MISSED" }
}

fn size_mib(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len() / (1024 * 1024)).unwrap_or(0)
}

struct Figures {
    record_secs: f64,
    record_hwm_kib: u64,
    events: usize,
    secs: f64,
    hwm_kib: u64,
    correlate: Option<Duration>,
}

fn child(path: &Path) {
    let t = Instant::now();
    let report = read_report(path, u64::MAX).expect("read report");
    let secs = t.elapsed().as_secs_f64();
    let hwm = vm_hwm_kib();
    let correlate = correlate_hook(&report);
    assert!(report.problems.is_empty(), "{:?}", &report.problems[..report.problems.len().min(3)]);
    let events = report.events.len();
    // Recording the run in sled (history), measured after the parse figures were taken.
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("store");
    let run = Run::from_report(report);
    let t = Instant::now();
    store.record_run(&run).expect("record");
    let record_secs = t.elapsed().as_secs_f64();
    println!(
        "events={events} secs={secs} hwm_kib={hwm} correlate_secs={} record_secs={record_secs} record_hwm_kib={}",
        correlate.map(|d| d.as_secs_f64().to_string()).unwrap_or_else(|| "-".into()),
        vm_hwm_kib()
    );
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
        hwm_kib: field("hwm_kib=").parse().unwrap(),
        correlate: field("correlate_secs=").parse::<f64>().ok().map(Duration::from_secs_f64),
    }
}

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

/// pytest-style JUnit XML: 100 suites; ~10 % failures with real Selenium/Playwright texts,
/// ~3 % errors, ~5 % skipped, the rest passing.
fn write_junit(path: &Path, cases: usize) -> std::io::Result<()> {
    let mut w = BufWriter::new(std::fs::File::create(path)?);
    let suites = 100;
    let per = cases / suites;
    writeln!(w, "<?xml version=\"1.0\" encoding=\"utf-8\"?>")?;
    writeln!(w, "<testsuites name=\"bench\">")?;
    for s in 0..suites {
        writeln!(
            w,
            "<testsuite name=\"pytest\" errors=\"0\" failures=\"0\" skipped=\"0\" tests=\"{per}\" time=\"1.0\" timestamp=\"2026-11-26T01:43:56.552191+00:00\" hostname=\"ci\">"
        )?;
        for c in 0..per {
            let i = s * per + c;
            let class = format!("tests.test_module_{s}.TestPage{}", c % 10);
            let name = format!("test_case_{i}");
            match i % 100 {
                0..=9 => {
                    writeln!(w, "<testcase classname=\"{class}\" name=\"{name}\" time=\"1.882\"><failure message=\"selenium.common.exceptions.NoSuchElementException: Message: no such element: Unable to locate element: {{&quot;method&quot;:&quot;css selector&quot;,&quot;selector&quot;:&quot;button.buy-{i}&quot;}}\">driver = &lt;selenium.webdriver.chrome.webdriver.WebDriver&gt;\n\n    def {name}(driver):\n&gt;       driver.find_element(By.CSS_SELECTOR, \"button.buy-{i}\").click()\n\ntests/test_module_{s}.py:{}: \nE   selenium.common.exceptions.NoSuchElementException: Message: no such element</failure></testcase>", 10 + c % 50)?;
                }
                10..=12 => {
                    writeln!(w, "<testcase classname=\"{class}\" name=\"{name}\" time=\"2.001\"><error type=\"TimeoutError\" message=\"locator.click: Timeout 2000ms exceeded.\">TimeoutError: locator.click: Timeout 2000ms exceeded.\nCall log:\n  - waiting for locator('#save-{i}')\n\n    at tests/page_{s}.spec.ts:{}:20</error></testcase>", 5 + c % 40)?;
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
    w.flush()
}

/// A Playwright JSON report with `results` results in total, built from the specs of the
/// real report in tests/examples (so every field Playwright writes is there).
fn write_playwright(path: &Path, results: usize) -> std::io::Result<()> {
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
    let results_of = |spec: &serde_json::Value| -> usize {
        spec["tests"].as_array().into_iter().flatten().map(|t| t["results"].as_array().map_or(0, Vec::len)).sum()
    };
    let mut w = BufWriter::new(std::fs::File::create(path)?);
    write!(w, "{{\"config\":{},\"suites\":[", serde_json::to_string(&real["config"])?)?;
    let mut total = 0;
    let mut file_no = 0;
    while total < results {
        if file_no > 0 {
            write!(w, ",")?;
        }
        let file = format!("generated/page-{file_no}.spec.ts");
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
            spec["title"] = format!("{} #{file_no}.{k}", spec["title"].as_str().unwrap_or("test")).into();
            spec["file"] = file.clone().into();
            // Keep exactly `n` results (the last spec may be cut short).
            let mut left = n;
            for t in spec["tests"].as_array_mut().unwrap() {
                let rs = t["results"].as_array_mut().unwrap();
                rs.truncate(left);
                left -= rs.len();
            }
            if !first {
                write!(w, ",")?;
            }
            first = false;
            serde_json::to_writer(&mut w, &spec)?;
            total += n;
        }
        write!(w, "]}}")?;
        file_no += 1;
    }
    write!(w, "],\"errors\":[],\"stats\":{}}}", serde_json::to_string(&real["stats"])?)?;
    w.flush()
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
    // Same work as the Rust side: every case's identity, time and result message.
    let script = r#"
import sys, time
from junitparser import JUnitXml
t = time.perf_counter()
xml = JUnitXml.fromfile(sys.argv[1])
n = 0
for suite in xml:
    for case in suite:
        _ = (case.classname, case.name, case.time)
        for r in case.result:
            _ = (r.type, r.message, r.text)
        n += 1
print(n, time.perf_counter() - t)
"#;
    let out = Command::new(py).args(["-c", script]).arg(path).output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace();
    let n = it.next().and_then(|s| s.parse().ok()).ok_or("no output")?;
    let secs = it.next().and_then(|s| s.parse().ok()).ok_or("no output")?;
    Ok((n, secs))
}
