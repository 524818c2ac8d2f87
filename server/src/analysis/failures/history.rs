//! Runs as history: parse start times, drop the same run read twice or in two formats
//! (Playwright JSON + its JUnit), order by start time, fold the attempts of one test in one
//! run into an [`Outcome`], and spot infrastructure failures.

use std::collections::BTreeSet;

use smallvec::SmallVec;

use crate::failures::{FailureEvent, ReportFormat, Run, Status};

use super::types::Outcome;

/// One project's attempts of a test.
type Attempts<'e> = SmallVec<[&'e FailureEvent; 4]>;

/// Two reports whose runs started within this window and hold the same tests are one run.
pub const SAME_RUN_WINDOW_MS: i64 = 60_000;
/// A run where more than this share of its tests failed is an infrastructure failure.
pub const INFRA_FAILED_SHARE: f64 = 0.8;
/// … when it has at least this many tests (one failing test of one is not an outage).
pub const INFRA_MIN_TESTS: usize = 5;

pub use crate::failures::parse_rfc3339_millis as parse_time_ms;

/// A test's identity inside one run, independent of the format: the leaf title (pytest
/// parameters dropped) and the file name when the report names one.
pub fn leaf_identity(e: &FailureEvent) -> String {
    let leaf = e.title_path.last().map(String::as_str).unwrap_or(&e.name);
    strip_params(leaf).to_string()
}

/// `test_x[a-b]` → `test_x`.
pub fn strip_params(name: &str) -> &str {
    match name.find('[') {
        Some(i) if name.ends_with(']') && i > 0 => &name[..i],
        _ => name,
    }
}

fn test_set(run: &Run) -> BTreeSet<String> {
    run.events.iter().map(leaf_identity).collect()
}

/// Prefer JSON (retries, locations), then the report with more locations, then more events.
fn richness(run: &Run) -> (bool, usize, usize) {
    let located = run.events.iter().filter(|e| e.test_location.is_some() || e.location.is_some()).count();
    (run.format == ReportFormat::PlaywrightJson, located, run.events.len())
}

/// The runs to count, oldest first: each run once (same key, or same start ±60 s and the
/// same tests in another report), the richest report kept. Runs without a start time go
/// last, in input order. Returns (run, start ms, the sources of the reports folded in).
pub fn order_runs(runs: &[Run]) -> Vec<(&Run, Option<i64>, Vec<String>)> {
    let mut kept: Vec<(&Run, Option<i64>, Vec<String>)> = Vec::new();
    for run in runs {
        let start = run.started_at().and_then(parse_time_ms);
        let dup = kept.iter().position(|(k, ks, _)| {
            k.key == run.key
                || (matches!((start, ks), (Some(a), Some(b)) if (a - b).abs() <= SAME_RUN_WINDOW_MS)
                    && test_set(k) == test_set(run))
        });
        match dup {
            Some(i) => {
                kept[i].2.push(run.source.clone());
                if richness(run) > richness(kept[i].0) {
                    kept[i].0 = run;
                    kept[i].1 = start;
                }
            }
            None => kept.push((run, start, Vec::new())),
        }
    }
    kept.sort_by_key(|(_, s, _)| (s.is_none(), *s));
    kept
}

/// Folds the attempts of one test in one run, per Playwright project, then the worst over the
/// projects (Failed, Flaky, Passed, Skipped).
pub fn fold_outcome<'e>(attempts: impl IntoIterator<Item = &'e FailureEvent>) -> Outcome {
    let mut it = attempts.into_iter().peekable();
    // One attempt (most tests): what fold_attempts makes of it, without the grouping.
    if let Some(first) = it.next() {
        if it.peek().is_none() {
            return match first.status {
                Status::Failed | Status::TimedOut => Outcome::Failed,
                Status::Passed => Outcome::Passed,
                _ => Outcome::Skipped,
            };
        }
        return fold_many(std::iter::once(first).chain(it));
    }
    Outcome::Skipped
}

fn fold_many<'e>(attempts: impl IntoIterator<Item = &'e FailureEvent>) -> Outcome {
    // on the stack: a test has a few attempts in one or two projects
    let mut by_project: SmallVec<[(Option<&str>, Attempts); 2]> = SmallVec::new();
    for e in attempts {
        match by_project.iter_mut().find(|(p, _)| *p == e.project.as_deref()) {
            Some((_, v)) => v.push(e),
            None => by_project.push((e.project.as_deref(), smallvec::smallvec![e])),
        }
    }
    let rank = |o: Outcome| match o {
        Outcome::Failed => 3,
        Outcome::Flaky => 2,
        Outcome::Passed => 1,
        Outcome::Skipped => 0,
    };
    by_project.into_iter().map(|(_, v)| fold_attempts(v)).max_by_key(|o| rank(*o)).unwrap_or(Outcome::Skipped)
}

/// One project's attempts: any failed attempt then a passed one → Flaky; any failed →
/// Failed; any passed → Passed; else Skipped.
fn fold_attempts(mut v: Attempts) -> Outcome {
    v.sort_by_key(|e| e.retry);
    // an interrupted attempt (Ctrl-C, max failures) says nothing about the test
    let failed = v.iter().any(|e| matches!(e.status, Status::Failed | Status::TimedOut));
    let last_passed = v.iter().rev().find(|e| matches!(e.status, Status::Passed | Status::Failed | Status::TimedOut)).is_some_and(|e| e.status == Status::Passed);
    let any_passed = v.iter().any(|e| e.status == Status::Passed);
    match (failed, last_passed, any_passed) {
        (true, true, _) => Outcome::Flaky,
        (true, false, _) => Outcome::Failed,
        (false, _, true) => Outcome::Passed,
        _ => Outcome::Skipped,
    }
}

/// More than 80 % of the run's tests (at least [`INFRA_MIN_TESTS`]) failed. `outcomes` are
/// the run's per-test outcomes.
pub fn is_infrastructure_failure(outcomes: &[Outcome]) -> bool {
    let ran: Vec<&Outcome> = outcomes.iter().filter(|o| **o != Outcome::Skipped).collect();
    let failed = ran.iter().filter(|o| ***o == Outcome::Failed).count();
    ran.len() >= INFRA_MIN_TESTS && failed as f64 > INFRA_FAILED_SHARE * ran.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failures::EventSource;

    #[test]
    fn rfc3339_times() {
        assert_eq!(parse_time_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_time_ms("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_time_ms("2000-03-01T00:00:00.5Z"), Some(951_868_800_500));
        assert_eq!(parse_time_ms("2026-11-26T01:43:56.552191+00:00"), parse_time_ms("2026-11-26T01:43:56.552Z"));
        assert_eq!(parse_time_ms("yesterday"), None);
    }

    #[test]
    fn attempts_fold_into_one_outcome() {
        let ev = |s, r| {
            let mut e = FailureEvent::new(EventSource::PlaywrightJson, "t", s);
            e.retry = r;
            e
        };
        assert_eq!(fold_outcome(&[ev(Status::Failed, 0), ev(Status::Passed, 1)]), Outcome::Flaky);
        assert_eq!(fold_outcome(&[ev(Status::Failed, 0), ev(Status::TimedOut, 1)]), Outcome::Failed);
        assert_eq!(fold_outcome(&[ev(Status::Passed, 0)]), Outcome::Passed);
        assert_eq!(fold_outcome(&[ev(Status::Skipped, 0)]), Outcome::Skipped);
        assert_eq!(fold_outcome(&[ev(Status::Interrupted, 0)]), Outcome::Skipped, "interrupted runs do not count");
        assert_eq!(fold_outcome(&[ev(Status::TimedOut, 0)]), Outcome::Failed);
        assert_eq!(fold_outcome(&[] as &[FailureEvent]), Outcome::Skipped);
        for s in [Status::Passed, Status::Failed, Status::TimedOut, Status::Skipped, Status::Interrupted] {
            assert_eq!(fold_outcome(&[ev(s, 0)]), fold_many(&[ev(s, 0)]), "{s:?}");
        }
        // two projects: chromium passed, firefox failed both attempts → Failed, not Flaky
        let mut ff = [ev(Status::Failed, 0), ev(Status::Failed, 1)];
        for e in &mut ff {
            e.project = Some("firefox".into());
        }
        let mut cr = ev(Status::Passed, 0);
        cr.project = Some("chromium".into());
        assert_eq!(fold_outcome([&cr, &ff[0], &ff[1]]), Outcome::Failed);
    }

    #[test]
    fn infrastructure_failure_needs_over_80_percent_of_at_least_5_tests() {
        use Outcome::*;
        assert!(is_infrastructure_failure(&[Failed, Failed, Failed, Failed, Failed]));
        assert!(!is_infrastructure_failure(&[Failed, Failed, Failed, Failed, Passed]), "80 % is not over 80 %");
        assert!(is_infrastructure_failure(&[Failed, Failed, Failed, Failed, Failed, Passed]));
        assert!(!is_infrastructure_failure(&[Failed]));
    }

    #[test]
    fn params_are_dropped() {
        assert_eq!(strip_params("test_x[p1-Trail Runner]"), "test_x");
        assert_eq!(strip_params("test_x"), "test_x");
    }
}
