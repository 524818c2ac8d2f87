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
