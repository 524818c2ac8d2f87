//! CI failures on the exact span: runs → history per test, events → test definitions →
//! spans (correlation), root-cause rules, risk and flakiness, and the finding's text.
//!
//! Pure: source models and parsed runs in, [`FailureAnalysis`] out. No IO.

pub mod correlate;
pub mod history;
pub mod paths;
mod render;
pub mod risk;
pub mod root_cause;
mod types;

pub use render::{ago, strip as outcome_strip};
pub use types::*;

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::failures::{FailureEvent, Hint, Run, Status};
use crate::syntax::Span;

use correlate::{SpanHit, TestHit, Workspace};

/// Which test an event group belongs to: (file, test) when it maps, else its identity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum TestKey {
    Test(usize, usize),
    FileOnly(usize, String),
}

impl TestKey {
    /// The file that defines the test, and the test when it maps to one.
    fn file_and_test(&self) -> (usize, Option<usize>) {
        match self {
            TestKey::Test(f, t) => (*f, Some(*t)),
            TestKey::FileOnly(f, _) => (*f, None),
        }
    }
}

/// Where a finding goes in the output: its file's and its test file's place in path order,
/// its span's start, its test.
type FindingOrder = (u32, usize, u32, Option<usize>);

/// One test's record and its findings, each with its place in the output (taken out when
/// the output is assembled).
type TestResults = (Option<TestRecord>, Vec<(FindingOrder, Option<FailureFinding>)>);

/// An event of a run: its index there (its id is `<run key>#<index>`), and the event.
type IndexedEvent<'r> = (usize, &'r FailureEvent);

/// A failing span and the events that failed on it.
type SpanEvents<'r> = (SpanHit, Vec<IndexedEvent<'r>>);

/// One test in one run.
struct RunTest<'r> {
    hit: TestHit,
    /// Its attempts (one or two for most tests: no allocation then).
    events: SmallVec<[IndexedEvent<'r>; 2]>,
    outcome: Outcome,
}

struct RunView<'r> {
    run: &'r Run,
    tests: BTreeMap<TestKey, RunTest<'r>>,
    infrastructure: Option<(usize, usize)>,
    all_network: bool,
}

/// The id of event `i` of `run`.
fn event_id(run: &Run, i: usize) -> String {
    format!("{}#{i}", run.key)
}

/// What [`correlate::find_test`] reads of an event: events equal in all of it map to the same
/// test, so it runs once per distinct key.
#[derive(PartialEq, Eq, Hash)]
struct HitKey<'r> {
    test_location: Option<(&'r str, u32, Option<u32>)>,
    resolved_file: Option<&'r str>,
    file: Option<&'r str>,
    classname: Option<&'r str>,
    title_path: &'r [String],
    name: &'r str,
    location: Option<(&'r str, u32)>,
}

impl<'r> HitKey<'r> {
    fn of(e: &'r FailureEvent) -> Self {
        HitKey {
            test_location: e.test_location.as_ref().map(|l| (l.file.as_str(), l.line, l.column)),
            resolved_file: e.resolved_file.as_deref(),
            file: e.file.as_deref(),
            classname: e.classname.as_deref(),
            title_path: &e.title_path,
            name: &e.name,
            location: e.location.as_ref().map(|l| (l.file.as_str(), l.line)),
        }
    }
}

/// Correlates every event of `runs` with `files`, and rates each test and failing span.
/// `now_ms` is reserved for time-relative text; the result does not depend on it otherwise.
///
/// Deterministic: the per-event and per-test work runs on rayon's threads, each result put
/// back in input order, so the output is the same as a sequential pass.
pub fn analyze_failures(files: &[SourceFile], runs: &[Run], settings: &FailureSettings, now_ms: i64) -> FailureAnalysis {
    let _ = now_ms;
    let ws = Workspace::new(files);
    let ordered = history::order_runs(runs);
    let mut out = FailureAnalysis::default();

    // 0. every distinct test identity once (the first event that has it), in parallel
    let mut slot_of: FxHashMap<HitKey, usize> = FxHashMap::default();
    slot_of.reserve(ordered.iter().map(|(run, _, _)| run.events.len()).sum());
    let mut firsts: Vec<&FailureEvent> = Vec::new();
    let slots: Vec<Vec<usize>> = ordered
        .iter()
        .map(|(run, _, _)| {
            run.events
                .iter()
                .map(|e| {
                    *slot_of.entry(HitKey::of(e)).or_insert_with(|| {
                        firsts.push(e);
                        firsts.len() - 1
                    })
                })
                .collect()
        })
        .collect();
    drop(slot_of);
    let hits: Vec<Result<TestHit, String>> = firsts.par_iter().map(|e| correlate::find_test(&ws, e)).collect();

    // 1. every run: events → tests, outcome per test, infrastructure failures
    let mut views: Vec<RunView> = Vec::new();
    for ((run, _, _), slots) in ordered.iter().zip(&slots) {
        let mut tests: BTreeMap<TestKey, RunTest> = BTreeMap::new();
        let mut unmapped: BTreeMap<String, (&String, Vec<usize>)> = BTreeMap::new();
        for (i, e) in run.events.iter().enumerate() {
            match &hits[slots[i]] {
                Ok(h) => {
                    let key = match h.test {
                        Some(t) => TestKey::Test(h.file, t),
                        None => TestKey::FileOnly(h.file, correlate::event_identity(e)),
                    };
                    tests.entry(key).or_insert_with(|| RunTest { hit: h.clone(), events: SmallVec::new(), outcome: Outcome::Skipped }).events.push((i, e));
                }
                Err(reason) => unmapped.entry(correlate::event_identity(e)).or_insert_with(|| (reason, Vec::new())).1.push(i),
            }
        }
        for (identity, (reason, idx)) in unmapped {
            out.unmapped.push(Unmapped {
                source: run.source.clone(),
                identity,
                reason: reason.clone(),
                event_ids: idx.into_iter().map(|i| event_id(run, i)).collect(),
            });
        }
        for t in tests.values_mut() {
            t.outcome = history::fold_outcome(t.events.iter().map(|(_, e)| *e));
        }
        let outcomes: Vec<Outcome> = tests.values().map(|t| t.outcome).collect();
        let infrastructure = history::is_infrastructure_failure(&outcomes)
            .then(|| (outcomes.iter().filter(|o| **o == Outcome::Failed).count(), outcomes.iter().filter(|o| **o != Outcome::Skipped).count()));
        // every test that ran failed, each with a network error
        let ran: Vec<&RunTest> = tests.values().filter(|t| t.outcome != Outcome::Skipped).collect();
        let all_network = !ran.is_empty()
            && ran.iter().all(|t| t.outcome == Outcome::Failed && t.events.iter().any(|(_, e)| e.facts.hints.contains(&Hint::Network)));
        views.push(RunView { run, tests, infrastructure, all_network });
    }
    drop(hits);

    // 2. failing spans of every test in every run (tests in parallel, results in order)
    let mut spans: Vec<FxHashMap<&TestKey, Vec<SpanEvents>>> = Vec::with_capacity(views.len());
    for (r, v) in views.iter().enumerate() {
        let tests: Vec<(&TestKey, &RunTest)> = v.tests.iter().collect();
        let per_test: Vec<(Vec<SpanEvents>, Vec<Unmapped>)> = tests
            .par_iter()
            .map(|(key, t)| {
                let mut found: Vec<SpanEvents> = Vec::new();
                let mut lost = Vec::new();
                let mut done: SmallVec<[(&FailureEvent, Option<SpanHit>); 2]> = SmallVec::new();
                for &(i, e) in t.events.iter().filter(|(_, e)| matches!(e.status, Status::Failed | Status::TimedOut)) {
                    let span = match done.iter().find(|(d, _)| correlate::same_span_inputs(d, e)) {
                        Some((_, h)) => h.clone(),
                        None => {
                            let h = correlate::find_span(&ws, e, &t.hit);
                            done.push((e, h.clone()));
                            h
                        }
                    };
                    match span {
                        Some(h) => match found.iter_mut().find(|(f, _)| f.file == h.file && f.span == h.span) {
                            Some((_, evs)) => evs.push((i, e)),
                            None => found.push((h, vec![(i, e)])),
                        },
                        None if r + 1 == views.len() || !views[r + 1..].iter().any(|w| w.tests.contains_key(*key)) => lost.push(Unmapped {
                            source: v.run.source.clone(),
                            identity: correlate::event_identity(e),
                            reason: t.hit.notes.iter().cloned().chain(["the report gives no line to show it on".to_string()]).collect::<Vec<_>>().join("; "),
                            event_ids: vec![event_id(v.run, i)],
                        }),
                        None => {}
                    }
                }
                (found, lost)
            })
            .collect();
        let mut by_key: FxHashMap<&TestKey, Vec<SpanEvents>> = FxHashMap::default();
        by_key.reserve(tests.len());
        for ((key, _), (found, lost)) in tests.into_iter().zip(per_test) {
            out.unmapped.extend(lost);
            by_key.insert(key, found);
        }
        spans.push(by_key);
    }

    // which tests failed on each span, in any run
    let mut span_tests: FxHashMap<(usize, Span), Vec<&TestKey>> = FxHashMap::default();
    for by_key in &spans {
        for (key, v) in by_key {
            for (h, _) in v {
                let e = span_tests.entry((h.file, h.span)).or_default();
                if !e.contains(key) {
                    e.push(key);
                }
            }
        }
    }

    // 3. per test (in parallel, results in key order): history window, record, findings of
    //    its latest run
    let mut keys: Vec<&TestKey> = views.iter().flat_map(|v| v.tests.keys()).collect();
    keys.sort();
    keys.dedup();
    let n = settings.history.max(1);
    // each file's place in path order: findings are sorted by path with integer compares
    let mut by_path: Vec<usize> = (0..files.len()).collect();
    by_path.sort_by(|a, b| files[*a].path.cmp(files[*b].path));
    let mut path_rank = vec![0u32; files.len()];
    for (r, w) in by_path.windows(2).enumerate() {
        path_rank[w[1]] = if files[w[1]].path == files[w[0]].path { path_rank[w[0]] } else { r as u32 + 1 };
    }
    let mut per_key: Vec<TestResults> = keys
        .par_iter()
        .map(|&key| {
            let mut record = None;
            let mut findings = Vec::new();
            // run indices on the stack: a window is 20 runs by default
            let present: SmallVec<[usize; 24]> = (0..views.len()).filter(|r| views[*r].tests.contains_key(key)).collect();
            let window: &[usize] = &present[present.len().saturating_sub(n)..];
            let counted: SmallVec<[usize; 24]> = window.iter().copied().filter(|r| views[*r].infrastructure.is_none()).collect();
            let outcomes: Vec<Outcome> = counted.iter().map(|r| views[*r].tests[key].outcome).collect();
            let test_risk = risk::risk(&outcomes);
            let Some(&latest) = window.last() else { return (record, findings) };
            let lt = &views[latest].tests[key];
            if let TestKey::Test(f, t) = key {
                record = Some(TestRecord {
                    path: files[*f].path.to_string(),
                    test: *t,
                    title_path: files[*f].model.tests[*t].title_path.clone(),
                    outcomes: outcomes.clone(),
                    failures: test_risk.failures,
                    runs: test_risk.runs,
                    flakiness: test_risk.flakiness,
                    risk: test_risk.clone(),
                    last_seen: views[latest].run.started_at().map(str::to_string),
                    last_seen_ms: ordered[latest].1,
                });
            }
            if !matches!(lt.outcome, Outcome::Failed | Outcome::Flaky) {
                return (record, findings);
            }
            for (hit, events) in spans[latest].get(key).map(Vec::as_slice).unwrap_or_default() {
                // the span's own history, over every test that failed on it (a page-object
                // locator shared by several tests): failed where one of them failed on it,
                // passed where one of them passed, not counted where they failed elsewhere
                let fails_at = |r: usize, k: &TestKey| spans[r].get(k).is_some_and(|v| v.iter().any(|(h, _)| h.file == hit.file && h.span == hit.span));
                let span_at = |r: usize| fails_at(r, key);
                let sharing: &[&TestKey] = span_tests.get(&(hit.file, hit.span)).map(Vec::as_slice).unwrap_or_default();
                let mut span_runs: Vec<(usize, Outcome)> = (0..views.len())
                    .filter(|r| views[*r].infrastructure.is_none())
                    .filter_map(|r| {
                        let (mut failing, mut failed, mut passed) = (false, false, false);
                        for k in sharing {
                            if let Some(t) = views[r].tests.get(*k) {
                                if fails_at(r, k) {
                                    failing = true;
                                    failed |= t.outcome == Outcome::Failed;
                                }
                                passed |= t.outcome == Outcome::Passed;
                            }
                        }
                        if failing {
                            Some((r, if failed { Outcome::Failed } else { Outcome::Flaky }))
                        } else if passed {
                            Some((r, Outcome::Passed))
                        } else {
                            None
                        }
                    })
                    .collect();
                span_runs.drain(..span_runs.len().saturating_sub(n));
                let span_outcomes: Vec<Outcome> = span_runs.iter().map(|(_, o)| *o).collect();
                let span_risk = if views[latest].infrastructure.is_some() && span_outcomes.is_empty() { test_risk.clone() } else { risk::risk(&span_outcomes) };
                let failed_runs: SmallVec<[usize; 24]> = window.iter().copied().filter(|r| span_at(*r)).collect();
                let (test_file, test) = key.file_and_test();
                let order = (path_rank[hit.file], hit.span.start, path_rank[test_file], test);
                findings.push((order, Some(finding(&ws, &views, key, latest, hit.clone(), events, span_outcomes, span_risk, &failed_runs, &counted))));
            }
            (record, findings)
        })
        .collect();
    // reserved up front: growing these vectors of large records cost more than the moves
    out.tests.reserve(per_key.len());
    let mut order: Vec<(FindingOrder, usize, usize)> = Vec::with_capacity(per_key.iter().map(|(_, f)| f.len()).sum());
    for (k, (record, findings)) in per_key.iter_mut().enumerate() {
        out.tests.extend(record.take());
        order.extend(findings.iter().enumerate().map(|(j, (o, _))| (*o, k, j)));
    }
    // By path, span, test path, test. Findings are large: their order is sorted (stably,
    // as before), then each is moved once, straight into the result; sorting them in place
    // moved each log n times, through fresh memory the kernel had to fault in.
    order.sort_by_key(|(o, _, _)| *o);
    out.findings = order.into_iter().filter_map(|(_, k, j)| per_key[k].1[j].1.take()).collect();
    out
}

fn only_branch(views: &[RunView], key: &TestKey, counted: &[usize]) -> Option<String> {
    let mut fail = Vec::new();
    let mut pass = Vec::new();
    for r in counted {
        let b = views[*r].run.info.branch.clone()?;
        match views[*r].tests[key].outcome {
            Outcome::Failed | Outcome::Flaky => fail.push(b),
            Outcome::Passed => pass.push(b),
            Outcome::Skipped => {}
        }
    }
    let first = fail.first()?.clone();
    (fail.iter().all(|b| *b == first) && !pass.is_empty() && pass.iter().all(|b| *b != first)).then_some(first)
}

#[allow(clippy::too_many_arguments)]
fn finding(
    ws: &Workspace,
    views: &[RunView],
    key: &TestKey,
    latest: usize,
    hit: SpanHit,
    events: &[IndexedEvent],
    outcomes: Vec<Outcome>,
    risk: Risk,
    failed_runs: &[usize],
    counted: &[usize],
) -> FailureFinding {
    let view = &views[latest];
    let rt = &view.tests[key];
    let e = events[0].1;
    let (test_file, test) = key.file_and_test();
    let model = ws.files[test_file].model;
    let ctx = root_cause::Context {
        passed_on_retry: rt.outcome == Outcome::Flaky,
        flips: risk::flips(&outcomes),
        infrastructure: view.infrastructure,
        run_all_network: view.all_network,
        only_branch: only_branch(views, key, counted),
        after_navigation: hit.after_navigation,
    };
    let rc = root_cause::classify(e, &ctx);
    let negated = match hit.target {
        Target::Assertion(i) => ws.files[hit.file].model.assertions[i].negated,
        _ => false,
    };
    let fix_kinds = root_cause::fix_kinds(e, &rc, negated);

    let mut notes = rt.hit.notes.clone();
    notes.extend(hit.notes.iter().cloned());
    let mut confidence = correlate::level_confidence(hit.level) - rt.hit.penalty;
    let started = view.run.started_at().and_then(history::parse_time_ms);
    for f in [test_file, hit.file] {
        if let (Some(s), Some(m)) = (started, ws.files[f].modified_ms)
            && s < m
        {
            let note = format!("report is older than the last edit of {}", ws.files[f].path);
            if !notes.contains(&note) {
                notes.push(note);
                confidence -= 0.1;
            }
        }
    }
    let seen = |r: &usize| views[*r].run.started_at().map(str::to_string);
    let mut ci_urls: Vec<String> = Vec::new();
    for r in failed_runs {
        if let Some(u) = &views[*r].run.info.ci_url
            && !ci_urls.contains(u)
        {
            ci_urls.push(u.clone());
        }
    }
    let mut f = FailureFinding {
        path: ws.files[hit.file].path.to_string(),
        span: hit.span,
        test,
        test_path: ws.files[test_file].path.to_string(),
        title_path: test.map(|t| model.tests[t].title_path.clone()).unwrap_or_else(|| e.title_path.clone()),
        target: hit.target,
        correlation: Correlation { level: hit.level, confidence: confidence.clamp(0.05, 1.0), notes },
        root_cause: rc,
        risk,
        outcomes,
        first_seen: failed_runs.first().and_then(seen),
        last_seen: failed_runs.last().and_then(seen),
        retries: rt.events.iter().map(|(_, e)| e.retry).max().unwrap_or(0),
        ci_urls,
        error_type: e.error_type.clone(),
        message: render::excerpt(&e.message),
        selector: hit.selector.clone(),
        expected: e.expected.clone(),
        received: e.received.clone(),
        fix_kinds,
        event_ids: events.iter().map(|(i, _)| event_id(view.run, *i)).collect(),
        frame: hit.frame.clone(),
        headline: String::new(),
        detail: String::new(),
    };
    f.headline = render::headline(&f, e, rt.outcome, view.infrastructure);
    f.detail = render::detail(&f, view.run, span_text(ws, hit.file, hit.span));
    f
}

fn span_text<'a>(ws: &Workspace<'a>, file: usize, s: Span) -> &'a str {
    ws.files[file].text.get(s.start..s.end).unwrap_or("")
}
