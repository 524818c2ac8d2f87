//! Crash safety: a writer process is killed with SIGKILL at random points; every run and every
//! healing pattern it saw acknowledged must be there after reopening, and the store must not
//! be corrupt (issue 4: 100 kills for the knowledge base).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use argus_lsp::failures::{EventSource, FailureEvent, ReportFormat, Run, RunInfo, Status};
use argus_lsp::store::{HealOutcome, HealRecord, Store};

/// Kill/reopen cycles for the run history and for the knowledge base.
const CRASH_ITERATIONS: usize = 20;
const PATTERN_CRASH_ITERATIONS: usize = 100;
const WRITER_ENV: &str = "ARGUS_STORE_CRASH_WRITER";

fn run(i: u64, prefix: &str) -> Run {
    let info = RunInfo { run_id: Some(format!("{prefix}-{i}")), started_at: Some(format!("2024-05-01T00:00:{:02}Z", i % 60)), ..RunInfo::default() };
    let events = (0..20)
        .map(|t| {
            let mut e = FailureEvent::new(EventSource::Junit, format!("test {t}"), if (i + t).is_multiple_of(3) { Status::Failed } else { Status::Passed });
            e.message = "x".repeat(((i * 7 + t) % 200) as usize);
            e.run = info.clone();
            e
        })
        .collect();
    Run { key: format!("run:{prefix}-{i}"), source: "crash".into(), format: ReportFormat::Junit, info, stats: None, events }
}

/// The writer mode: records runs forever, printing each key once `record_run` returned.
#[test]
fn crash_writer_mode() {
    let Ok(dir) = std::env::var(WRITER_ENV) else { return };
    let prefix = std::env::var("ARGUS_STORE_CRASH_PREFIX").unwrap();
    let store = Store::open(std::path::Path::new(&dir)).unwrap();
    let mut out = std::io::stdout().lock();
    if std::env::var_os("ARGUS_STORE_CRASH_PATTERNS").is_some() {
        for i in 0u64.. {
            let original = format!("button.buy-{prefix}-{}", i % 7);
            let healed = format!("page.getByTestId('buy-{prefix}-{}')", i % 7);
            let p = store
                .record_heal(&HealRecord { original_selector: &original, healed_selector: &healed, error_type: None, page_url: Some("http://127.0.0.1/"), element_context: None }, HealOutcome::Success)
                .unwrap();
            use std::io::Write;
            writeln!(out, "ACK {original}\t{}", p.success_count).unwrap();
            out.flush().unwrap();
        }
    }
    for i in 0.. {
        let r = run(i, &prefix);
        store.record_run(&r).unwrap();
        if i.is_multiple_of(5) {
            store.cache_put(&format!("c{prefix}-{i}"), r.key.as_bytes()).unwrap();
        }
        use std::io::Write;
        writeln!(out, "ACK {}", r.key).unwrap();
        out.flush().unwrap();
    }
}

/// Start the writer (`patterns`: the knowledge-base writer), kill it after a random number of
/// acknowledgements, and return every line it acknowledged.
fn write_and_kill(dir: &std::path::Path, iteration: usize, patterns: bool) -> Vec<String> {
    let exe = std::env::current_exe().unwrap();
    let mut acked = Vec::new();
    let mut cmd = Command::new(&exe);
    cmd.args(["--exact", "crash_writer_mode", "--nocapture", "--test-threads=1"])
        .env(WRITER_ENV, dir)
        .env("ARGUS_STORE_CRASH_PREFIX", iteration.to_string());
    if patterns {
        cmd.env("ARGUS_STORE_CRASH_PATTERNS", "1");
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    // Kill after a random number of acknowledgements (0 = while opening).
    let kill_after = fastrand::usize(0..40);
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(k) = line.strip_prefix("ACK ") && tx.send(k.to_string()).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = 0;
    while seen < kill_after && Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(k) => {
                acked.push(k);
                seen += 1;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(_) => break,
        }
    }
    // A little random extra time so the kill lands mid-write, not only between writes.
    std::thread::sleep(Duration::from_micros(fastrand::u64(0..3000)));
    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
    child.wait().unwrap();
    reader.join().unwrap();
    // Keys acknowledged before the kill that were still in the pipe count too.
    acked.extend(rx.try_iter());
    acked
}

#[test]
fn acknowledged_runs_survive_sigkill() {
    if std::env::var(WRITER_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut acked: Vec<String> = Vec::new();
    for iteration in 0..CRASH_ITERATIONS {
        acked.extend(write_and_kill(dir.path(), iteration, false));
        let store = Store::open(dir.path()).unwrap_or_else(|e| panic!("iteration {iteration}: reopen failed: {e}"));
        let n = store.verify().unwrap_or_else(|e| panic!("iteration {iteration}: corrupt: {e}"));
        for k in &acked {
            assert!(store.has_run(k).unwrap(), "iteration {iteration}: acknowledged {k} lost");
        }
        assert!(n >= acked.len(), "iteration {iteration}: {n} runs < {} acknowledged", acked.len());
        drop(store);
    }
    assert!(!acked.is_empty(), "the writer never acknowledged anything");
    println!("{} acknowledged runs over {CRASH_ITERATIONS} SIGKILLs, all present", acked.len());
}

#[test]
fn acknowledged_healing_patterns_survive_100_sigkills() {
    if std::env::var(WRITER_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // selector → the highest success count acknowledged for it
    let mut acked: std::collections::BTreeMap<String, u64> = Default::default();
    for iteration in 0..PATTERN_CRASH_ITERATIONS {
        for line in write_and_kill(dir.path(), iteration, true) {
            let (sel, n) = line.split_once('\t').unwrap();
            let n: u64 = n.parse().unwrap();
            let e = acked.entry(sel.to_string()).or_default();
            *e = (*e).max(n);
        }
        let store = Store::open(dir.path()).unwrap_or_else(|e| panic!("iteration {iteration}: reopen failed: {e}"));
        store.verify_patterns().unwrap_or_else(|e| panic!("iteration {iteration}: corrupt: {e}"));
        for (sel, n) in &acked {
            let p = store.pattern(sel, None).unwrap().unwrap_or_else(|| panic!("iteration {iteration}: acknowledged pattern {sel} lost"));
            assert!(p.success_count >= *n, "iteration {iteration}: {sel} has {} successes, {n} acknowledged", p.success_count);
        }
        drop(store);
    }
    assert!(acked.len() > 7, "the writer acknowledged patterns in many iterations");
    println!("{} acknowledged patterns over {PATTERN_CRASH_ITERATIONS} SIGKILLs, all present", acked.len());
}
