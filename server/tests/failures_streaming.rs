//! Streaming: a ~64 MB Playwright JSON report and a ~32 MB JUnit report, generated on the
//! fly by `Read` impls (never written to disk), are parsed while a counting global
//! allocator watches the peak of live heap bytes. No timing asserts.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufReader, Read};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static A: Counting = Counting;

/// Yields `head`, then `body(i)` for i in 0..n (comma-separated when `sep`), then `tail`.
struct Gen<F: FnMut(usize) -> String> {
    head: Option<String>,
    body: F,
    n: usize,
    i: usize,
    sep: &'static str,
    tail: Option<String>,
    cur: Vec<u8>,
    pos: usize,
    produced: u64,
}

impl<F: FnMut(usize) -> String> Read for Gen<F> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.cur.len() {
            self.cur = if let Some(h) = self.head.take() {
                h.into_bytes()
            } else if self.i < self.n {
                let mut s = if self.i > 0 { self.sep.to_string() } else { String::new() };
                s.push_str(&(self.body)(self.i));
                self.i += 1;
                s.into_bytes()
            } else if let Some(t) = self.tail.take() {
                t.into_bytes()
            } else {
                return Ok(0);
            };
            self.pos = 0;
        }
        let k = buf.len().min(self.cur.len() - self.pos);
        buf[..k].copy_from_slice(&self.cur[self.pos..self.pos + k]);
        self.pos += k;
        self.produced += k as u64;
        Ok(k)
    }
}

mod failures {
    use super::*;
    use argus_lsp::failures as api;

    fn pw_suite(i: usize) -> String {
        let msg = format!(
            "TimeoutError: locator.click: Timeout 2000ms exceeded.\\nCall log:\\n\\u001b[2m  - waiting for locator('button.item-{i}')\\u001b[22m\\n{}",
            "x".repeat(1500)
        );
        format!(
            r#"{{"title":"f{i}.spec.ts","file":"f{i}.spec.ts","line":0,"column":0,"specs":[],"suites":[{{"title":"Suite {i}","file":"f{i}.spec.ts","line":3,"column":6,"specs":[{{"title":"does {i}","ok":false,"tags":[],"tests":[{{"timeout":15000,"annotations":[],"expectedStatus":"passed","projectId":"","projectName":"","results":[{{"workerIndex":0,"status":"failed","duration":2100,"error":{{"message":"{msg}","stack":"{msg}\n    at /r/f{i}.spec.ts:18:54","location":{{"file":"/r/f{i}.spec.ts","line":18,"column":54}}}},"errors":[],"stdout":[{{"text":"{}"}}],"stderr":[],"retry":0,"attachments":[]}}],"status":"unexpected"}}],"id":"{i}","file":"f{i}.spec.ts","line":17,"column":3}}]}}]}}"#,
            "o".repeat(1000)
        )
    }

    fn junit_case(i: usize) -> String {
        format!(
            "<testcase classname=\"tests.test_{i}\" name=\"test_{i}\" time=\"1.5\"><failure message=\"selenium.common.exceptions.NoSuchElementException: Message: no such element: Unable to locate element: {{&quot;method&quot;:&quot;css selector&quot;,&quot;selector&quot;:&quot;button.b{i}&quot;}}\">tests/test_{i}.py:23: \n{}\n/v/site-packages/selenium/x.py:9: NoSuchElementException</failure><system-out>{}</system-out></testcase>\n",
            "E   line of traceback text\n".repeat(40),
            "out ".repeat(200)
        )
    }

    #[test]
    fn large_reports_stream_in_small_memory() {
        // Playwright JSON: ~64 MB (8× the heap bound: buffering it whole would fail).
        let n = 64 * 1024 * 1024 / pw_suite(0).len();
        let mut g = Gen {
            head: Some(r#"{"config":{"rootDir":"/r","projects":[{"name":"","testDir":"/r"}],"metadata":{}},"suites":["#.into()),
            body: pw_suite,
            n,
            i: 0,
            sep: ",",
            tail: Some(r#"],"errors":[],"stats":{"startTime":"2026-01-01T00:00:00Z","duration":1,"expected":0,"unexpected":1,"flaky":0,"skipped":0}}"#.into()),
            cur: Vec::new(),
            pos: 0,
            produced: 0,
        };
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let mut count = 0usize;
        let mut last_selector = String::new();
        let summary = api::playwright_json::parse(BufReader::new(&mut g), &mut |e| {
            count += 1;
            if count == n {
                last_selector = e.selectors.first().cloned().unwrap_or_default();
            }
        });
        let peak = PEAK.load(Ordering::Relaxed) - base;
        assert!(g.produced > 60 * 1024 * 1024, "generated {} bytes", g.produced);
        assert!(summary.problems.is_empty(), "{:?}", summary.problems);
        assert_eq!(count, n);
        assert_eq!(last_selector, format!("locator('button.item-{}')", n - 1));
        assert_eq!(summary.stats.unwrap().unexpected, 1);
        assert!(peak < 8 * 1024 * 1024, "peak heap {peak} bytes for a {} byte report", g.produced);

        // JUnit XML: ~32 MB.
        let n = 32 * 1024 * 1024 / junit_case(0).len();
        let mut g = Gen {
            head: Some("<?xml version=\"1.0\"?><testsuites><testsuite name=\"pytest\" timestamp=\"2026-01-01T00:00:00\">\n".into()),
            body: junit_case,
            n,
            i: 0,
            sep: "",
            tail: Some("</testsuite></testsuites>\n".into()),
            cur: Vec::new(),
            pos: 0,
            produced: 0,
        };
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let mut count = 0usize;
        let mut ok = true;
        let summary = api::junit::parse(BufReader::new(&mut g), &mut |e| {
            count += 1;
            ok &= e.selectors.len() == 1 && e.location.as_ref().is_some_and(|l| l.line == 23);
        });
        let peak = PEAK.load(Ordering::Relaxed) - base;
        assert!(g.produced > 30 * 1024 * 1024);
        assert!(summary.problems.is_empty(), "{:?}", summary.problems);
        assert_eq!(count, n);
        assert!(ok);
        assert!(peak < 8 * 1024 * 1024, "peak heap {peak} bytes for a {} byte report", g.produced);
    }
}
