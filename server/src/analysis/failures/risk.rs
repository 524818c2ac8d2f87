//! Risk and flakiness over a test's (or a locator's) last runs.

use super::types::{Outcome, Risk, RiskLevel};

/// Runs back at which a failure weighs half as much as the newest run's.
pub const HALF_LIFE_RUNS: f64 = 5.0;
/// Argus: flaky = at least this many failures …
pub const FLAKY_MIN_OCCURRENCES: usize = 3;
/// … and a recovered rate above this.
pub const FLAKY_RECOVERED_RATE: f64 = 0.3;

/// Pass ↔ fail changes between consecutive counted runs (a flaky run counts as failed).
pub fn flips(outcomes: &[Outcome]) -> usize {
    let s: Vec<bool> = outcomes.iter().filter(|o| **o != Outcome::Skipped).map(|o| *o != Outcome::Passed).collect();
    s.windows(2).filter(|w| w[0] != w[1]).count()
}

/// Risk over `outcomes` (oldest → newest; infrastructure-failure runs already left out).
///
/// - failures: runs with a failed attempt (flaky included); runs: runs not skipped.
/// - flakiness: failures that recovered (passed on retry, or the next run passed) / failures.
/// - score: 100 × (0.6 × recency-weighted failure rate + 0.25 × failure rate + 0.15 ×
///   flakiness), where run k back weighs 0.5^(k/5) and a flaky run counts half a failure.
pub fn risk(outcomes: &[Outcome]) -> Risk {
    let counted: Vec<Outcome> = outcomes.iter().copied().filter(|o| *o != Outcome::Skipped).collect();
    let runs = counted.len();
    let failed = |o: &Outcome| matches!(o, Outcome::Failed | Outcome::Flaky);
    let failures = counted.iter().filter(|o| failed(o)).count();
    let recovered = counted
        .iter()
        .enumerate()
        .filter(|(i, o)| **o == Outcome::Flaky || (**o == Outcome::Failed && counted.get(i + 1) == Some(&Outcome::Passed)))
        .count();
    let failure_rate = if runs == 0 { 0.0 } else { failures as f64 / runs as f64 };
    let flakiness = if failures == 0 { 0.0 } else { recovered as f64 / failures as f64 };
    let (mut num, mut den) = (0.0, 0.0);
    for (age, o) in counted.iter().rev().enumerate() {
        let w = 0.5f64.powf(age as f64 / HALF_LIFE_RUNS);
        num += w * match o {
            Outcome::Failed => 1.0,
            Outcome::Flaky => 0.5,
            _ => 0.0,
        };
        den += w;
    }
    let weighted = if den == 0.0 { 0.0 } else { num / den };
    let score = (100.0 * (0.6 * weighted + 0.25 * failure_rate + 0.15 * flakiness)).round().clamp(0.0, 100.0) as u8;
    Risk {
        score,
        level: RiskLevel::from_score(score),
        failures,
        runs,
        failure_rate,
        flakiness,
        flaky: failures >= FLAKY_MIN_OCCURRENCES && flakiness > FLAKY_RECOVERED_RATE,
    }
}
