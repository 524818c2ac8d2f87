//! Root-cause rules on real message texts (tests/fixtures/failures/messages: from the real
//! reports and the tools' documented wordings; tests/fixtures/analysis/messages: rules those
//! do not cover), and the context-driven rules.

mod analysis {
    use std::path::PathBuf;

    use argus_lsp::analysis::failures::root_cause::{Context, classify, fix_kinds};
    use argus_lsp::analysis::{Category, FixKind};
    use argus_lsp::failures::{EventSource, FailureEvent, Status, message};

    fn event(msg: &str) -> FailureEvent {
        let mut e = FailureEvent::new(EventSource::PlaywrightJson, "t", Status::Failed);
        e.message = msg.trim_end().to_string();
        e.error_type = message::error_type(&e.message);
        e.analyze_message();
        e
    }

    fn fixture(name: &str) -> FailureEvent {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let p = ["failures/messages", "analysis/messages"].iter().map(|d| root.join(d).join(format!("{name}.txt"))).find(|p| p.exists()).unwrap();
        event(&std::fs::read_to_string(p).unwrap())
    }

    fn check(name: &str, ctx: &Context) -> (Category, Vec<FixKind>, Vec<String>) {
        let e = fixture(name);
        let rc = classify(&e, ctx);
        assert!((0.0..=1.0).contains(&rc.confidence));
        assert!(!rc.evidence.is_empty());
        let fixes = fix_kinds(&e, &rc, false);
        (rc.category, fixes, rc.evidence)
    }

    #[test]
    fn every_message_fixture_gets_a_cause_with_evidence() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let mut names: Vec<String> = ["failures/messages", "analysis/messages"]
            .iter()
            .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap().flatten())
            .map(|e| e.file_name().into_string().unwrap())
            .filter_map(|n| n.strip_suffix(".txt").map(str::to_string))
            .collect();
        names.sort();
        let mut out = String::new();
        for n in names {
            let e = fixture(&n);
            let rc = classify(&e, &Context::default());
            let fixes: Vec<&str> = fix_kinds(&e, &rc, false).iter().map(|k| k.as_str()).collect();
            out.push_str(&format!("{n}: {} {:.2} [{}] — {}\n", rc.category.as_str(), rc.confidence, fixes.join(", "), rc.evidence.join("; ")));
        }
        insta::assert_snapshot!(out);
    }

    #[test]
    fn rules_on_real_and_documented_wordings() {
        use Category::*;
        use FixKind::*;
        let none = Context::default();
        let cases: [(&str, Category, &[FixKind]); 17] = [
            ("pw-locator-timeout", UiChange, &[UpdateSelector]),
            ("pw-strict-mode", TestDefect, &[UpdateSelector]),
            ("pw-to-have-text", UiChange, &[UpdateAssertion]),
            ("pytest-assert", UiChange, &[UpdateAssertion]),
            ("pw-count-mismatch", DataMismatch, &[UpdateAssertion, UpdateTestData]),
            ("selenium-no-such-element", UiChange, &[UpdateSelector]),
            ("cypress-not-found", UiChange, &[UpdateSelector]),
            ("pw-net-error", NetworkError, &[FixKind::None]),
            ("node-dns", NetworkError, &[FixKind::None]),
            ("http-503", RealBug, &[FixKind::None]),
            ("http-500-reason", RealBug, &[FixKind::None]),
            ("pw-net-and-502", Environment, &[FixKind::None]),
            ("selenium-stale", TimingIssue, &[AddWait]),
            ("selenium-click-intercepted", TimingIssue, &[AddWait]),
            ("wdio-not-displayed", TimingIssue, &[AddWait, IncreaseTimeout]),
            ("pw-missing-while-navigating", TimingIssue, &[AddWait, IncreaseTimeout]),
            ("pw-type-error", TestDefect, &[FixKind::None]),
        ];
        for (name, cat, fixes) in cases {
            let (c, f, ev) = check(name, &none);
            assert_eq!((c, f.as_slice()), (cat, fixes), "{name}: {ev:?}");
        }
    }

    #[test]
    fn history_and_run_context_come_first() {
        let e = fixture("pw-locator-timeout");
        let retry = Context { passed_on_retry: true, ..Default::default() };
        assert_eq!(classify(&e, &retry).category, Category::TimingIssue);
        let flips = Context { flips: 2, ..Default::default() };
        assert_eq!(classify(&e, &flips).category, Category::TimingIssue);
        let outage = Context { infrastructure: Some((9, 10)), ..Default::default() };
        assert_eq!(classify(&e, &outage).category, Category::Environment);
        let branch = Context { only_branch: Some("release".into()), ..Default::default() };
        assert_eq!(classify(&e, &branch).category, Category::Environment);
        let net = fixture("pw-net-error");
        let all = Context { run_all_network: true, ..Default::default() };
        assert_eq!(classify(&net, &all).category, Category::Environment);
        // strict mode stays a test defect whatever the history
        assert_eq!(classify(&fixture("pw-strict-mode"), &retry).category, Category::TestDefect);
    }

    #[test]
    fn element_missing_right_after_a_navigation() {
        let nav = Context { after_navigation: Some(39), ..Default::default() };
        // an explicit wait that ran out right after driver.get: timing
        assert_eq!(classify(&fixture("selenium-timeout"), &nav).category, Category::TimingIssue);
        // an immediate lookup after a completed load: still a changed page, less sure
        let rc = classify(&fixture("selenium-no-such-element"), &nav);
        assert_eq!(rc.category, Category::UiChange);
        assert!(rc.confidence < classify(&fixture("selenium-no-such-element"), &Context::default()).confidence);
        assert!(rc.evidence.iter().any(|e| e.contains("line 39")));
    }

    #[test]
    fn negated_assertions_never_get_update_assertion() {
        let e = event("Error: expect(locator).not.toHaveText(expected) failed\n\nLocator: getByTestId('banner')\nExpected: not \"Sale\"\nReceived: \"Sale\"\n");
        let rc = classify(&e, &Context::default());
        assert!(!fix_kinds(&e, &rc, true).contains(&FixKind::UpdateAssertion));
        let e = fixture("pw-to-have-text");
        let rc = classify(&e, &Context::default());
        assert!(!fix_kinds(&e, &rc, true).contains(&FixKind::UpdateAssertion));
        assert!(fix_kinds(&e, &rc, false).contains(&FixKind::UpdateAssertion));
    }
}
