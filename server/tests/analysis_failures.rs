//! Failure analysis on the REAL example reports and the real example sources
//! (tests/examples): exact spans, root causes, fix kinds, run dedupe, foreign paths.

// Inside `mod analysis` so that `cargo test -p argus-lsp analysis` selects these tests.
mod analysis {
    use std::io::BufReader;
    use std::path::PathBuf;

    use argus_lsp::analysis::{
        Category, CorrelationLevel, FailureAnalysis, FailureFinding, FailureSettings, FixKind, Outcome, SourceFile, Target,
        analyze_failures,
    };
    use argus_lsp::failures::{self, Run};
    use argus_lsp::syntax::{FileModel, Language, parse_model};

    pub fn examples() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/examples")
    }

    /// Every test source of tests/examples, paths relative to it.
    pub struct Sources {
        pub files: Vec<(String, String, FileModel)>,
    }

    impl Sources {
        pub fn load() -> Sources {
            let mut files = Vec::new();
            for dir in ["playwright", "playwright/pages", "python", "cypress/e2e"] {
                let mut names: Vec<_> = std::fs::read_dir(examples().join(dir)).unwrap().flatten().map(|e| e.file_name().into_string().unwrap()).collect();
                names.sort();
                for n in names {
                    let rel = format!("{dir}/{n}");
                    let Some(lang) = Language::from_path(&rel) else { continue };
                    let text = std::fs::read_to_string(examples().join(&rel)).unwrap();
                    let model = parse_model(lang, &text);
                    files.push((rel, text, model));
                }
            }
            Sources { files }
        }

        pub fn source_files(&self) -> Vec<SourceFile<'_>> {
            self.files.iter().map(|(p, t, m)| SourceFile { path: p, model: m, text: t, modified_ms: None }).collect()
        }

        pub fn text(&self, path: &str) -> &str {
            &self.files.iter().find(|f| f.0 == path).unwrap().1
        }
    }

    pub fn run(report: &str) -> Run {
        let f = std::fs::File::open(examples().join("reports").join(report)).unwrap();
        Run::from_report(failures::parse_report(report, BufReader::new(f)))
    }

    /// Retries of a test are given the span found for an earlier attempt when
    /// `same_span_inputs` says they match: changing what it ignores must not change the span,
    /// and changing what it compares must make it say they differ.
    #[test]
    fn span_inputs_cover_everything_find_span_reads() {
        use argus_lsp::analysis::failures::correlate::{Workspace, find_span, find_test, same_span_inputs};
        let src = Sources::load();
        let files = src.source_files();
        let ws = Workspace::new(&files);
        let mut checked = 0;
        for report in ["playwright/results.json", "playwright/junit.xml", "pytest/junit.xml", "pytest/junit-xunit1.xml"] {
            for e in run(report).events.iter().filter(|e| e.status.is_failure()) {
                let Ok(hit) = find_test(&ws, e) else { continue };
                let span = find_span(&ws, e, &hit);
                let mut other = e.clone();
                other.message = "another message".into();
                other.error_type = Some("OtherError".into());
                other.fingerprint = None;
                other.retry += 1;
                other.duration_ms = Some(1);
                other.facts = Default::default();
                other.attachments.clear();
                other.extra_errors.clear();
                other.output = None;
                assert!(same_span_inputs(e, &other), "{report}: {}", e.name);
                assert_eq!(find_span(&ws, &other, &hit), span, "{report}: {}", e.name);
                let mut moved = e.clone();
                moved.selectors.push("#not-in-the-source".into());
                assert!(!same_span_inputs(e, &moved));
                let mut moved = e.clone();
                moved.expected = Some("another value".into());
                assert!(!same_span_inputs(e, &moved));
                checked += 1;
            }
        }
        assert!(checked >= 10, "only {checked} failing events mapped to a test");
    }

    pub fn analyze(src: &Sources, runs: &[Run]) -> FailureAnalysis {
        analyze_failures(&src.source_files(), runs, &FailureSettings::default(), 0)
    }

    /// `path:line:col "text"` (1-based, columns in characters).
    pub fn at(src: &Sources, path: &str, span: argus_lsp::syntax::Span) -> String {
        let text = src.text(path);
        let before = &text[..span.start];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
        format!("{path}:{line}:{col} \"{}\"", &text[span.start..span.end])
    }

    pub fn render(src: &Sources, a: &FailureAnalysis) -> String {
        let mut out = String::new();
        for f in &a.findings {
            out.push_str(&format!(
                "{}\n  test: {} [{}] target={:?} level={:?} conf={:.2}\n  {}\n  {}\n",
                at(src, &f.path, f.span),
                f.title_path.join(" › "),
                f.test_path,
                f.target,
                f.correlation.level,
                f.correlation.confidence,
                f.headline,
                f.detail.replace('\n', "\n  ")
            ));
        }
        for u in &a.unmapped {
            out.push_str(&format!("unmapped: {} [{}]: {}\n", u.identity, u.source, u.reason));
        }
        for t in &a.tests {
            out.push_str(&format!("test {} › {}: {:?} risk {} {:?}\n", t.path, t.title_path.join(" › "), t.outcomes, t.risk.score, t.risk.level));
        }
        out
    }

    fn by_test<'a>(a: &'a FailureAnalysis, title: &str) -> Vec<&'a FailureFinding> {
        a.findings.iter().filter(|f| f.title_path.last().map(String::as_str) == Some(title)).collect()
    }

    fn one<'a>(a: &'a FailureAnalysis, title: &str) -> &'a FailureFinding {
        let v = by_test(a, title);
        assert_eq!(v.len(), 1, "{title}: {v:#?}");
        v[0]
    }

    #[test]
    fn playwright_json_failures_land_on_the_exact_spans() {
        let src = Sources::load();
        let a = analyze(&src, &[run("playwright/results.json")]);

        let f = one(&a, "adds a product to the cart");
        assert_eq!(at(&src, &f.path, f.span), "playwright/catalog.spec.ts:18:25 \"button.add-to-cart\"");
        assert!(matches!(f.target, Target::Locator(_)));
        assert_eq!(f.correlation.level, CorrelationLevel::Direct);
        assert_eq!(f.root_cause.category, Category::UiChange, "{:?}", f.root_cause);
        assert_eq!(f.fix_kinds, vec![FixKind::UpdateSelector]);
        assert_eq!(f.headline, "fails 1/1 runs · ui_change: locator('button.add-to-cart') not found");
        assert_eq!(f.event_ids.len(), 2, "both attempts");
        assert_eq!(f.retries, 1);

        let f = one(&a, "shows the order total");
        assert_eq!(at(&src, &f.path, f.span), "playwright/cart.spec.ts:18:48 \"Total: $42.00\"");
        assert!(matches!(f.target, Target::Assertion(_)));
        assert_eq!(f.root_cause.category, Category::UiChange, "{:?}", f.root_cause);
        assert!(f.root_cause.evidence[0].contains("same numbers"), "{:?}", f.root_cause.evidence);
        assert_eq!(f.fix_kinds, vec![FixKind::UpdateAssertion]);
        assert_eq!(f.headline, "fails 1/1 runs · ui_change: expected \"Total: $42.00\", received \"Order total: $42.00\"");

        let f = one(&a, "proceeds to checkout");
        assert_eq!(at(&src, &f.path, f.span), "playwright/pages/cart-page.ts:18:26 \"getByRole('button', { name: 'Proceed to checkout' })\"");
        assert_eq!(f.test_path, "playwright/cart.spec.ts");
        assert_eq!(f.root_cause.category, Category::TestDefect);
        assert_eq!(f.fix_kinds, vec![FixKind::UpdateSelector]);
        assert!(f.correlation.notes.iter().any(|n| n.contains("pages/cart-page.ts") && n.contains("checkout")), "{:?}", f.correlation.notes);
        assert_eq!(f.correlation.level, CorrelationLevel::Direct);

        let f = one(&a, "shows stock availability");
        assert_eq!(at(&src, &f.path, f.span), "playwright/catalog.spec.ts:32:36 \"stock-status\"");
        assert_eq!(f.root_cause.category, Category::TimingIssue);
        assert_eq!(f.outcomes, vec![Outcome::Flaky]);
        assert_eq!(f.headline, "flaky 1/1 runs · timing_issue: passed on retry");
        assert_eq!(f.fix_kinds, vec![FixKind::AddWait, FixKind::IncreaseTimeout]);

        assert_eq!(a.findings.len(), 4);
        assert!(a.unmapped.is_empty(), "{:?}", a.unmapped);
        assert_eq!(a.tests.len(), 8, "every test of the report has history");
        insta::assert_snapshot!(render(&src, &a));
    }
}

mod analysis_more {
    use super::analysis::*;
    use argus_lsp::analysis::{Category, CorrelationLevel, FailureAnalysis, FixKind, Target};
    use argus_lsp::failures::Run;

    fn find<'a>(a: &'a FailureAnalysis, title: &str) -> &'a argus_lsp::analysis::FailureFinding {
        let v: Vec<_> = a.findings.iter().filter(|f| f.title_path.last().map(String::as_str) == Some(title)).collect();
        assert_eq!(v.len(), 1, "{title}: {:#?}", a.findings);
        v[0]
    }

    fn check_pytest(a: &FailureAnalysis, src: &Sources) {
        let f = find(a, "test_add_to_cart");
        assert_eq!(at(src, &f.path, f.span), "python/test_shop.py:23:43 \"button.add-to-cart\"");
        assert!(matches!(f.target, Target::Locator(_)));
        assert_eq!(f.correlation.level, CorrelationLevel::Direct);
        assert_eq!(f.root_cause.category, Category::UiChange, "{:?}", f.root_cause);
        assert_eq!(f.fix_kinds, vec![FixKind::UpdateSelector]);
        assert_eq!(f.headline, "fails 1/1 runs · ui_change: 'button.add-to-cart' not found");

        let f = find(a, "test_cart_total");
        assert_eq!(at(src, &f.path, f.span), "python/test_shop.py:49:34 \"Total: $42.00\"");
        assert!(matches!(f.target, Target::Assertion(_)));
        assert_eq!(f.root_cause.category, Category::UiChange, "{:?}", f.root_cause);
        assert_eq!(f.fix_kinds, vec![FixKind::UpdateAssertion]);

        let f = find(a, "test_stock_badge");
        // the explicit wait on the failing line (the model's Wait span: the whole `.until(…)` call)
        assert!(at(src, &f.path, f.span).starts_with("python/test_shop.py:40:13 \"WebDriverWait(driver, 2).until("), "{}", at(src, &f.path, f.span));
        assert_eq!(f.target, Target::Action);
        assert_eq!(f.correlation.level, CorrelationLevel::Function);
        assert_eq!(f.root_cause.category, Category::TimingIssue, "{:?}", f.root_cause);
        assert_eq!(f.fix_kinds, vec![FixKind::AddWait, FixKind::IncreaseTimeout]);

        assert_eq!(a.findings.len(), 3, "{:#?}", a.findings);
        assert!(a.unmapped.is_empty(), "{:?}", a.unmapped);
        assert_eq!(a.tests.len(), 6, "7 items, the parametrized pair is one definition");
        assert!(a.tests.iter().any(|t| t.title_path == ["LoginTest", "test_sign_in"]), "unittest class + method");
    }

    #[test]
    fn pytest_xunit2_maps_by_module_and_failure_text() {
        let src = Sources::load();
        check_pytest(&analyze(&src, &[run("pytest/junit.xml")]), &src);
    }

    #[test]
    fn pytest_xunit1_maps_by_file_and_line() {
        let src = Sources::load();
        let a = analyze(&src, &[run("pytest/junit-xunit1.xml")]);
        check_pytest(&a, &src);
        insta::assert_snapshot!(render(&src, &a));
    }

    #[test]
    fn the_same_run_in_json_and_junit_counts_once_and_json_wins() {
        let src = Sources::load();
        let json_only = analyze(&src, &[run("playwright/results.json")]);
        for runs in [
            vec![run("playwright/results.json"), run("playwright/junit.xml")],
            vec![run("playwright/junit.xml"), run("playwright/results.json")],
        ] {
            let a = analyze(&src, &runs);
            assert_eq!(a.findings, json_only.findings);
            assert!(a.tests.iter().all(|t| t.outcomes.len() == 1 && t.runs == 1), "{:#?}", a.tests);
        }
        // the same report read twice, too
        let a = analyze(&src, &[run("pytest/junit.xml"), run("pytest/junit.xml")]);
        assert!(a.tests.iter().all(|t| t.runs == 1));
    }

    #[test]
    fn junit_alone_still_maps_playwright_tests() {
        let src = Sources::load();
        let a = analyze(&src, &[run("playwright/junit.xml")]);
        let f = find(&a, "adds a product to the cart");
        assert_eq!(at(&src, &f.path, f.span), "playwright/catalog.spec.ts:18:25 \"button.add-to-cart\"");
        assert!(a.findings.iter().all(|f| f.title_path.last().unwrap() != "shows stock availability"), "JUnit shows the flaky test as passed");
    }

    fn rewrite(run: &Run, f: impl Fn(&str) -> String) -> Run {
        let mut r = run.clone();
        for e in &mut r.events {
            if let Some(p) = &mut e.resolved_file {
                *p = f(p);
            }
            if let Some(l) = &mut e.location {
                l.file = f(&l.file);
            }
            for s in &mut e.stack {
                s.file = f(&s.file);
            }
        }
        r
    }

    #[test]
    fn reports_written_on_other_machines_still_map() {
        let src = Sources::load();
        let base = run("playwright/results.json");
        let want: Vec<String> = analyze(&src, std::slice::from_ref(&base)).findings.iter().map(|f| at(&src, &f.path, f.span)).collect();
        assert_eq!(want.len(), 4);
        let linux = rewrite(&base, |p| p.replace("/work/main/", "/home/runner/work/shop/shop/"));
        let windows = rewrite(&base, |p| p.replace("/work/main/", "C:\\a\\shop\\").replace('/', "\\"));
        assert!(linux.events[0].resolved_file.as_deref().unwrap().starts_with("/home/runner/work/shop/shop/tests/examples/"));
        assert!(windows.events[0].resolved_file.as_deref().unwrap().starts_with("C:\\a\\shop\\tests\\examples\\"));
        for r in [linux, windows] {
            let got: Vec<String> = analyze(&src, &[r]).findings.iter().map(|f| at(&src, &f.path, f.span)).collect();
            assert_eq!(got, want);
        }
        // pytest paths relative to another working directory
        let py = rewrite(&run("pytest/junit.xml"), |p| p.replace("python/", "C:\\ci\\repo\\tests\\examples\\python\\"));
        check_pytest(&analyze(&src, &[py]), &src);
    }

    #[test]
    fn events_that_map_nowhere_are_listed_with_a_reason() {
        let src = Sources::load();
        let mut r = run("pytest/junit.xml");
        r.events[2].classname = Some("gone.test_removed".into());
        r.events[2].resolved_file = Some("gone/test_removed.py".into());
        r.events[2].location = None;
        r.events[2].stack.clear();
        r.events[2].name = "test_that_is_gone".into();
        r.events[2].title_path = vec!["test_that_is_gone".into()];
        let a = analyze(&src, &[r]);
        assert_eq!(a.unmapped.len(), 1, "{:?}", a.unmapped);
        let u = &a.unmapped[0];
        assert_eq!(u.identity, "gone.test_removed::test_that_is_gone");
        assert_eq!(u.source, "pytest/junit.xml");
        assert!(u.reason.contains("no workspace file matches"), "{}", u.reason);
        assert_eq!(u.event_ids.len(), 1);
        assert!(u.event_ids[0].ends_with("#2"));
    }

    fn edit(src: &mut Sources, path: &str, f: impl Fn(&str) -> String) -> usize {
        let i = src.files.iter().position(|x| x.0 == path).unwrap();
        let text = f(&src.files[i].1);
        src.files[i].2 = argus_lsp::syntax::parse_model(argus_lsp::syntax::Language::TypeScript, &text);
        src.files[i].1 = text;
        i
    }

    #[test]
    fn a_test_renamed_since_the_report_is_found_by_its_line() {
        let mut src = Sources::load();
        edit(&mut src, "playwright/catalog.spec.ts", |t| t.replace("test('adds a product to the cart'", "test('puts a product in the cart'"));
        let a = analyze(&src, &[run("playwright/results.json")]);
        let f = find(&a, "puts a product in the cart");
        assert_eq!(at(&src, &f.path, f.span), "playwright/catalog.spec.ts:18:25 \"button.add-to-cart\"");
        assert_eq!(
            f.correlation.notes,
            ["test renamed since the report (\"Catalog › adds a product to the cart\" then, \"Catalog › puts a product in the cart\" now)"]
        );
        assert!(f.correlation.confidence < 0.8, "{}", f.correlation.confidence);
    }

    #[test]
    fn a_test_moved_since_the_report_and_a_stale_report_say_so() {
        let mut src = Sources::load();
        let i = edit(&mut src, "playwright/catalog.spec.ts", |t| t.replacen("test.describe", "// moved\n// down\ntest.describe", 1));
        let r = run("playwright/results.json");
        let a = analyze(&src, std::slice::from_ref(&r));
        let f = find(&a, "shows stock availability");
        assert_eq!(at(&src, &f.path, f.span), "playwright/catalog.spec.ts:34:36 \"stock-status\"");
        assert!(f.correlation.notes.iter().any(|n| n == "test moved since the report (line 29 then, line 31 now)"), "{:?}", f.correlation.notes);
        assert!(f.correlation.confidence < 0.95);

        // a report older than the file's last edit
        let mut files = src.source_files();
        files[i].modified_ms = Some(i64::MAX / 2);
        let a = argus_lsp::analysis::analyze_failures(&files, &[r], &Default::default(), 0);
        let f = find(&a, "adds a product to the cart");
        assert!(f.correlation.notes.iter().any(|n| n == "report is older than the last edit of playwright/catalog.spec.ts"), "{:?}", f.correlation.notes);
    }
}
