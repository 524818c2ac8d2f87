//! History over many runs, generated in the test: failure rate, flips, the Argus flaky
//! threshold, recency, infrastructure-failure runs, risk levels at their boundaries.

mod analysis {
    use argus_lsp::analysis::failures::risk::{flips, risk};
    use argus_lsp::analysis::{
        Category, FailureAnalysis, FailureSettings, Outcome, RiskLevel, SourceFile, analyze_failures,
    };
    use argus_lsp::failures::{EventSource, FailureEvent, Location, ReportFormat, Run, RunInfo, Status};
    use argus_lsp::syntax::{Language, parse_model};

    const SPEC: &str = include_str!("../../tests/fixtures/analysis/shop.spec.ts");
    const PATH: &str = "e2e/shop.spec.ts";
    const TESTS: [(&str, u32, &str); 6] = [
        ("buys", 4, "button.buy"),
        ("browses", 10, "a.browse"),
        ("searches", 14, "input.search"),
        ("filters", 18, "select.filter"),
        ("sorts", 22, "select.sort"),
        ("pages", 26, "a.next"),
    ];

    /// One attempt of `test` as Playwright would report it from a CI machine.
    fn event(test: usize, status: Status, retry: u32, message: Option<&str>) -> FailureEvent {
        let (title, line, sel) = TESTS[test];
        let mut e = FailureEvent::new(EventSource::PlaywrightJson, title, status);
        e.title_path = vec!["Shop".into(), title.into()];
        e.file = Some("shop.spec.ts".into());
        e.resolved_file = Some(format!("/home/runner/work/shop/shop/{PATH}"));
        e.test_location = Some(Location { file: "shop.spec.ts".into(), line, column: Some(3) });
        e.retry = retry;
        if status.is_failure() {
            let default = format!("TimeoutError: locator.click: Timeout 2000ms exceeded.\nCall log:\n  - waiting for locator('{sel}')\n");
            e.message = message.map(str::to_string).unwrap_or(default);
            e.error_type = argus_lsp::failures::message::error_type(&e.message);
            e.analyze_message();
        }
        e
    }

    /// `F` failed (twice, with a retry), `R` failed then passed on retry, `P` passed, `S` skipped.
    fn run(n: usize, pattern: &[char], branch: Option<&str>, message: Option<&str>) -> Run {
        let mut events = Vec::new();
        for (t, c) in pattern.iter().enumerate() {
            match c {
                'F' => {
                    events.push(event(t, Status::Failed, 0, message));
                    events.push(event(t, Status::Failed, 1, message));
                }
                'R' => {
                    events.push(event(t, Status::Failed, 0, message));
                    events.push(event(t, Status::Passed, 1, None));
                }
                'S' => events.push(event(t, Status::Skipped, 0, None)),
                _ => events.push(event(t, Status::Passed, 0, None)),
            }
        }
        Run {
            key: format!("run:{n}"),
            source: format!("ci/{n}/results.json"),
            format: ReportFormat::PlaywrightJson,
            info: RunInfo {
                run_id: Some(n.to_string()),
                branch: branch.map(str::to_string),
                started_at: Some(format!("2026-11-{:02}T10:00:00Z", n + 1)),
                ci_url: Some(format!("https://ci.example/run/{n}")),
                ..Default::default()
            },
            stats: None,
            events,
        }
    }

    /// Runs where only test 0 (`buys`) varies: `history[k]` is its state in run k.
    fn buys_runs(history: &str) -> Vec<Run> {
        history.chars().enumerate().map(|(k, c)| run(k, &[c, 'P', 'P', 'P', 'P', 'P'], None, None)).collect()
    }

    fn analyze(runs: &[Run], n: usize) -> FailureAnalysis {
        let model = parse_model(Language::TypeScript, SPEC);
        let files = [SourceFile { path: PATH, model: &model, text: SPEC, modified_ms: None }];
        // shuffled input: order comes from the start times
        let mut shuffled = runs.to_vec();
        shuffled.reverse();
        analyze_failures(&files, &shuffled, &FailureSettings { history: n }, 0)
    }

    #[test]
    fn failure_rate_over_twenty_runs() {
        let a = analyze(&buys_runs("PPFPPFPPFPPFPPFPFPPF"), 20);
        assert_eq!(a.findings.len(), 1);
        let f = &a.findings[0];
        assert_eq!(f.headline, "fails 7/20 runs · timing_issue: locator('button.buy') not found");
        assert_eq!((f.risk.failures, f.risk.runs), (7, 20));
        assert!((f.risk.failure_rate - 0.35).abs() < 1e-9);
        assert_eq!(f.outcomes.len(), 20);
        assert_eq!(f.outcomes[2], Outcome::Failed);
        assert_eq!(f.first_seen.as_deref(), Some("2026-11-03T10:00:00Z"));
        assert_eq!(f.last_seen.as_deref(), Some("2026-11-20T10:00:00Z"));
        assert_eq!(f.ci_urls.len(), 7);
        assert_eq!(f.event_ids, ["run:19#0", "run:19#1"]);
        let rec = a.tests.iter().find(|t| t.title_path == ["Shop", "buys"]).unwrap();
        assert_eq!((rec.failures, rec.runs), (7, 20));
        assert_eq!(rec.last_seen_ms, Some(1_795_168_800_000), "2026-11-20T10:00:00Z");
        insta::assert_snapshot!(format!("{}\n{}", f.headline, f.detail));
        assert_eq!(a.tests.len(), 6);
        // alternating failures recover every time: flaky by the Argus rule, and called timing
        assert!(f.risk.flaky);
        assert_eq!(f.root_cause.category, Category::TimingIssue, "{:?}", f.root_cause);
    }

    #[test]
    fn the_window_keeps_the_last_n_runs() {
        let a = analyze(&buys_runs("FFFFFFFFFFPPPPF"), 5);
        let f = &a.findings[0];
        assert_eq!(f.outcomes, [Outcome::Passed, Outcome::Passed, Outcome::Passed, Outcome::Passed, Outcome::Failed]);
        assert_eq!(f.headline.split(" · ").next().unwrap(), "fails 1/5 runs");
    }

    #[test]
    fn a_passing_latest_run_leaves_history_but_no_finding() {
        let a = analyze(&buys_runs("FFP"), 20);
        assert!(a.findings.is_empty());
        let rec = a.tests.iter().find(|t| t.title_path == ["Shop", "buys"]).unwrap();
        assert_eq!(rec.outcomes, [Outcome::Failed, Outcome::Failed, Outcome::Passed]);
        assert_eq!(rec.risk.failures, 2);
    }

    #[test]
    fn flaky_needs_three_failures_and_a_recovered_rate_over_0_3() {
        use Outcome::*;
        assert!(risk(&[Failed, Passed, Failed, Passed, Failed, Passed]).flaky);
        assert!(!risk(&[Failed, Passed, Failed, Passed]).flaky, "two failures only");
        assert!(risk(&[Failed, Failed, Failed, Passed]).flaky, "1 of 3 recovered: 0.33 > 0.3");
        assert!(!risk(&[Failed, Failed, Failed, Failed, Passed]).flaky, "1 of 4 recovered: 0.25");
        assert!(risk(&[Flaky, Flaky, Flaky]).flaky, "passed on retry three times");
        assert_eq!(flips(&[Passed, Failed, Passed, Skipped, Failed]), 3);
        let r = risk(&[Failed, Skipped, Passed]);
        assert_eq!((r.failures, r.runs), (1, 2), "skipped runs do not count");
    }

    #[test]
    fn recent_failures_weigh_more() {
        use Outcome::*;
        let old = risk(&[Flaky, Passed, Passed, Passed, Passed, Passed, Passed, Passed, Passed, Passed]);
        let new = risk(&[Passed, Passed, Passed, Passed, Passed, Passed, Passed, Passed, Passed, Flaky]);
        assert_eq!(old.flakiness, new.flakiness);
        assert_eq!(old.failure_rate, new.failure_rate);
        assert!(new.score > old.score, "{} vs {}", new.score, old.score);
        assert_eq!(risk(&[Failed, Failed, Failed]).score, 85, "always failing: critical");
        assert_eq!(risk(&[Passed, Passed]).score, 0);
        assert_eq!(risk(&[]).score, 0);
    }

    #[test]
    fn risk_levels_at_their_boundaries() {
        for (score, level) in [
            (100, RiskLevel::Critical),
            (80, RiskLevel::Critical),
            (79, RiskLevel::High),
            (60, RiskLevel::High),
            (59, RiskLevel::Medium),
            (40, RiskLevel::Medium),
            (39, RiskLevel::Low),
            (20, RiskLevel::Low),
            (19, RiskLevel::Minimal),
            (0, RiskLevel::Minimal),
        ] {
            assert_eq!(RiskLevel::from_score(score), level, "{score}");
        }
        assert_eq!(serde_json::to_string(&RiskLevel::Critical).unwrap(), "\"critical\"");
        assert_eq!(serde_json::to_string(&Category::TimingIssue).unwrap(), "\"timing_issue\"");
    }

    #[test]
    fn an_infrastructure_failure_run_does_not_count_against_single_tests() {
        let refused = "Error: page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:4173/\nCall log:\n  - navigating to \"http://127.0.0.1:4173/\", waiting until \"load\"\n";
        let mut runs: Vec<Run> = (0..4).map(|k| run(k, &['P'; 6], None, None)).collect();
        runs.push(run(4, &['F'; 6], None, Some(refused)));
        let a = analyze(&runs, 20);
        let rec = a.tests.iter().find(|t| t.title_path == ["Shop", "buys"]).unwrap();
        assert_eq!((rec.failures, rec.runs), (0, 4), "the outage run is left out");
        assert_eq!(rec.outcomes.len(), 4);
        assert_eq!(a.findings.len(), 6, "its events are still shown");
        for f in &a.findings {
            assert_eq!(f.headline, "outage 6/6 tests · environment: net::ERR_CONNECTION_REFUSED");
            assert_eq!(f.root_cause.category, Category::Environment, "{:?}", f.root_cause);
            assert!(f.root_cause.evidence[0].contains("6 of 6 tests"), "{:?}", f.root_cause.evidence);
        }
        // one more real failure after the outage counts 1/5
        runs.push(run(5, &['F', 'P', 'P', 'P', 'P', 'P'], None, None));
        let a = analyze(&runs, 20);
        assert_eq!(a.findings.len(), 1);
        assert_eq!(a.findings[0].headline, "fails 1/5 runs · ui_change: locator('button.buy') not found");
    }

    #[test]
    fn a_network_error_in_one_test_is_network_error() {
        let refused = "Error: page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:4173/\n";
        let a = analyze(&[run(0, &['F', 'P', 'P', 'P', 'P', 'P'], None, Some(refused))], 20);
        assert_eq!(a.findings[0].root_cause.category, Category::NetworkError);
        // every test of a (small) run failed that way: too few tests for the outage rule
        let a = analyze(&[run(0, &['F', 'F', 'S', 'S', 'S', 'S'], None, Some(refused))], 20);
        assert_eq!(a.findings.len(), 2);
        assert!(a.findings.iter().all(|f| f.root_cause.category == Category::Environment));
    }

    #[test]
    fn failing_only_on_one_branch_is_environment() {
        let runs: Vec<Run> = (0..6)
            .map(|k| {
                let (branch, c) = if k % 2 == 0 { ("main", 'P') } else { ("release", 'F') };
                run(k, &[c, 'P', 'P', 'P', 'P', 'P'], Some(branch), None)
            })
            .collect();
        // alternate runs: flips would say timing; the branch says more
        let a = analyze(&runs, 20);
        let f = &a.findings[0];
        assert_eq!(f.root_cause.category, Category::TimingIssue, "flips come first: {:?}", f.root_cause);
        let runs: Vec<Run> = (0..4)
            .map(|k| if k < 2 { run(k, &['P'; 6], Some("main"), None) } else { run(k, &['F', 'P', 'P', 'P', 'P', 'P'], Some("release"), None) })
            .collect();
        let a = analyze(&runs, 20);
        assert_eq!(a.findings[0].root_cause.category, Category::Environment, "{:?}", a.findings[0].root_cause);
        assert!(a.findings[0].root_cause.evidence[0].contains("release"));
    }

    #[test]
    fn passed_on_retry_is_flaky_timing() {
        let a = analyze(&[run(0, &['R', 'P', 'P', 'P', 'P', 'P'], None, None)], 20);
        let f = &a.findings[0];
        assert_eq!(f.headline, "flaky 1/1 runs · timing_issue: passed on retry");
        assert_eq!(f.outcomes, [Outcome::Flaky]);
        assert!(!f.risk.flaky, "one occurrence is below the Argus threshold");
        assert_eq!(f.risk.level, RiskLevel::High);
    }
}
