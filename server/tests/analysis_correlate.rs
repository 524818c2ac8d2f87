//! Correlation on small inline sources: chained selectors, Selenium's CSS for By.ID, page-object
//! locators shared by several tests (per-locator risk), ambiguous paths.

mod analysis {
    use argus_lsp::analysis::failures::correlate::selector_match;
    use argus_lsp::analysis::{CorrelationLevel, FailureSettings, SourceFile, Target, analyze_failures};
    use argus_lsp::failures::{EventSource, FailureEvent, Location, ReportFormat, Run, RunInfo, Status, message};
    use argus_lsp::syntax::{Language, parse_model};

    const PO: &str = "export class Shop {\n  constructor(page) {\n    this.buy = page.locator('button.buy');\n  }\n}\n";
    const SPEC: &str = "import { test } from '@playwright/test';\n\ntest('a', async ({ page }) => {\n  await shop.buy.click();\n});\n\ntest('b', async ({ page }) => {\n  await shop.buy.click();\n});\n\ntest('c', async ({ page }) => {\n  await page.locator('form').getByRole('button', { name: 'Save' }).click();\n});\n";

    fn ev(title: &str, failed: bool, msg: &str) -> FailureEvent {
        let mut e = FailureEvent::new(EventSource::PlaywrightJson, title, if failed { Status::Failed } else { Status::Passed });
        e.title_path = vec![title.into()];
        e.file = Some("shop.spec.ts".into());
        e.resolved_file = Some("D:\\\\agent\\\\_work\\\\1\\\\s\\\\e2e\\\\shop.spec.ts".replace("\\\\", "\\"));
        if failed {
            e.message = msg.into();
            e.error_type = message::error_type(msg);
            e.analyze_message();
        }
        e
    }

    fn run(n: usize, events: Vec<FailureEvent>) -> Run {
        Run {
            key: format!("run:{n}"),
            source: format!("r{n}.json"),
            format: ReportFormat::PlaywrightJson,
            info: RunInfo { started_at: Some(format!("2026-11-0{}T00:00:00Z", n + 1)), ..Default::default() },
            stats: None,
            events,
        }
    }

    const BUY: &str = "TimeoutError: locator.click: Timeout 2000ms exceeded.\nCall log:\n  - waiting for locator('button.buy')\n";

    #[test]
    fn a_page_object_locator_shared_by_tests_has_its_own_risk() {
        let (po, spec) = (parse_model(Language::TypeScript, PO), parse_model(Language::TypeScript, SPEC));
        let files = [
            SourceFile { path: "e2e/pages/shop.ts", model: &po, text: PO, modified_ms: None },
            SourceFile { path: "e2e/shop.spec.ts", model: &spec, text: SPEC, modified_ms: None },
        ];
        let runs = [
            run(0, vec![ev("a", true, BUY), ev("b", false, "")]),
            run(1, vec![ev("a", false, ""), ev("b", true, BUY)]),
            run(2, vec![ev("a", true, BUY), ev("b", true, BUY)]),
        ];
        let a = analyze_failures(&files, &runs, &FailureSettings::default(), 0);
        assert_eq!(a.findings.len(), 2, "one per (test, span)");
        for f in &a.findings {
            assert_eq!(f.path, "e2e/pages/shop.ts");
            assert_eq!(&PO[f.span.start..f.span.end], "button.buy");
            assert_eq!(f.correlation.level, CorrelationLevel::Direct);
            assert!(matches!(f.target, Target::Locator(_)));
            assert_eq!((f.risk.failures, f.risk.runs), (3, 3), "the locator failed in every run, whichever test hit it");
            assert!(f.headline.starts_with("fails 3/3 runs"), "{}", f.headline);
        }
        let rec = a.tests.iter().find(|t| t.title_path == ["a"]).unwrap();
        assert_eq!((rec.failures, rec.runs), (2, 3), "the test itself failed 2 of 3");
    }

    #[test]
    fn chained_and_selenium_selectors_match_their_source() {
        let spec = parse_model(Language::TypeScript, SPEC);
        let save = spec.locators.iter().position(|l| l.name.as_deref() == Some("Save")).unwrap();
        assert_eq!(selector_match("locator('form').getByRole('button', { name: 'Save' })", &spec.locators, save), 2);
        assert_eq!(selector_match("getByRole('button', {name: \"Save\"}).first()", &spec.locators, save), 1, "last call only");
        assert_eq!(selector_match("getByText('Save')", &spec.locators, save), 0, "another engine");
        let form = spec.locators.iter().position(|l| l.value == "form").unwrap();
        assert_eq!(selector_match("locator('form')", &spec.locators, form), 2);

        let py = "from selenium.webdriver.common.by import By\n\nclass CartPage:\n    TOTAL = (By.ID, \"order-total\")\n";
        let m = parse_model(Language::Python, py);
        let total = m.locators.iter().position(|l| l.value == "order-total").unwrap();
        assert_eq!(selector_match("[id=\"order-total\"]", &m.locators, total), 2, "Selenium sends By.ID as CSS");
        assert_eq!(selector_match("#order-total", &m.locators, total), 2);
        assert_eq!(selector_match("#order-sum", &m.locators, total), 0);
    }

    #[test]
    fn a_windows_agent_path_and_a_chained_selector_map_to_the_test() {
        let spec = parse_model(Language::TypeScript, SPEC);
        let files = [SourceFile { path: "e2e/shop.spec.ts", model: &spec, text: SPEC, modified_ms: None }];
        let mut e = ev("c", true, "TimeoutError: locator.click: Timeout 2000ms exceeded.\nCall log:\n  - waiting for locator('form').getByRole('button', { name: 'Save' })\n");
        e.location = Some(Location { file: "D:\\agent\\_work\\1\\s\\e2e\\shop.spec.ts".into(), line: 12, column: Some(70) });
        let a = analyze_failures(&files, &[run(0, vec![e])], &FailureSettings::default(), 0);
        let f = &a.findings[0];
        assert_eq!(&SPEC[f.span.start..f.span.end], "getByRole('button', { name: 'Save' })");
        assert_eq!(f.title_path, ["c"]);
        assert_eq!(f.frame.as_ref().and_then(|fr| fr.path.as_deref()), Some("e2e/shop.spec.ts"));
        assert_eq!(f.headline, "fails 1/1 runs · ui_change: locator('form').getByRole('button', { name: 'Save' }) not found");
    }

    #[test]
    fn two_workspace_files_with_the_reported_name_lower_confidence() {
        let spec = parse_model(Language::TypeScript, SPEC);
        let files = [
            SourceFile { path: "a/shop.spec.ts", model: &spec, text: SPEC, modified_ms: None },
            SourceFile { path: "b/shop.spec.ts", model: &spec, text: SPEC, modified_ms: None },
        ];
        let mut e = ev("a", true, BUY);
        e.resolved_file = None;
        let a = analyze_failures(&files, &[run(0, vec![e])], &FailureSettings::default(), 0);
        let f = &a.findings[0];
        assert!(f.correlation.notes.iter().any(|n| n.contains("matches 2 workspace files equally")), "{:?}", f.correlation.notes);
        assert!(f.correlation.confidence < 0.7);
    }
}
