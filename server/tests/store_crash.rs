//! Crash safety: a writer process is killed with SIGKILL at random points; every run it saw
//! acknowledged must be there after reopening, and the store must not be corrupt.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use argus_lsp::failures::{EventSource, FailureEvent, ReportFormat, Run, RunInfo, Status};
use argus_lsp::store::Store;

/// Kill/reopen cycles (kept small for CI; issue 4's soak can raise it).
const CRASH_ITERATIONS: usize = 20;
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

#[test]
fn acknowledged_runs_survive_sigkill() {
    if std::env::var(WRITER_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut acked: Vec<String> = Vec::new();
    for iteration in 0..CRASH_ITERATIONS {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_writer_mode", "--nocapture", "--test-threads=1"])
            .env(WRITER_ENV, dir.path())
            .env("ARGUS_STORE_CRASH_PREFIX", iteration.to_string())
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
