//! Static fragility lints over one file's model.

use crate::config::{Config, Severity};
use crate::syntax::{FileModel, Locator, Modifier, Span, Strategy, Tag, WaitKind};

use super::{Finding, LintCode, selector};

/// All lint findings for one file, in source order. Lints set to `off` are left out. Files
/// that are not test code (an app server whose only "wait" is a `time.sleep`) get none.
pub fn lint(model: &FileModel, text: &str, config: &Config) -> Vec<Finding> {
    let mut out = Vec::new();
    if !is_test_code(model) {
        return out;
    }
    let mut push = |code: LintCode, span: Span, message: String, detail: &str| {
        let severity = config.lints.get(code.as_str()).copied().unwrap_or(code.default_severity());
        if severity != Severity::Off {
            out.push(Finding { code, severity, span, message, detail: detail.to_string() });
        }
    };

    for wait in model.waits.iter().filter(|w| w.kind == WaitKind::Hard) {
        let how_long = wait.duration_ms.map(|ms| format!(" of {ms} ms")).unwrap_or_default();
        push(
            LintCode::HardWait,
            wait.span,
            format!("hard wait{how_long}: `{}` sleeps whether or not the page is ready", wait.api),
            "A fixed sleep is too short on a slow CI machine and wasted time on a fast one. \
             Wait for the condition instead: a web-first assertion (`await expect(locator).toBeVisible()`), \
             `WebDriverWait(...).until(...)`, or `cy.get(...).should(...)`.",
        );
    }

    for test in &model.tests {
        if test.tags.contains(&Tag::Only) {
            let span = only_span(text, test.span, test.name_span).unwrap_or(test.name_span);
            push(
                LintCode::FocusedTest,
                span,
                format!("focused test `{}` left in: every other test is skipped", test.title_path.join(" › ")),
                "`.only` makes the runner skip every other test in the suite; CI then passes without running them. \
                 Remove it before committing (Playwright's `forbidOnly` fails CI on it too).",
            );
        }
    }

    for locator in &model.locators {
        lint_locator(locator, config, &mut push);
    }

    out.sort_by_key(|f| (f.span.start, f.code));
    out
}

/// Tests, locators, assertions, navigations or a browser-framework wait make a file test code;
/// a plain language sleep alone does not.
fn is_test_code(model: &FileModel) -> bool {
    const PLAIN_SLEEPS: [&str; 4] = ["time.sleep", "sleep", "setTimeout", "asyncio.sleep"];
    !model.tests.is_empty()
        || !model.locators.is_empty()
        || !model.assertions.is_empty()
        || !model.navigations.is_empty()
        || model.waits.iter().any(|w| !PLAIN_SLEEPS.contains(&w.api.as_str()))
}

fn lint_locator(locator: &Locator, config: &Config, push: &mut impl FnMut(LintCode, Span, String, &str)) {
    let value = locator.value.as_str();
    let span = locator.value_span;
    let is_css = matches!(locator.strategy, Strategy::Css | Strategy::Other);
    let xpath = match locator.strategy {
        Strategy::XPath => Some(value.strip_prefix("xpath=").unwrap_or(value)),
        _ if is_css && (value.starts_with("//") || value.starts_with("xpath=") || value.starts_with("/html")) => {
            Some(value.strip_prefix("xpath=").unwrap_or(value))
        }
        _ => None,
    };

    if let Some(xpath) = xpath {
        if selector::is_absolute_xpath(xpath) {
            push(
                LintCode::AbsoluteXpath,
                span,
                format!("absolute XPath `{}` breaks on any layout change", shorten(value)),
                "An XPath from the document root encodes every ancestor: a wrapper div added anywhere above \
                 the element breaks it. Prefer a role, label or test id.",
            );
        } else if selector::xpath_has_index(xpath) {
            push(
                LintCode::PositionalSelector,
                span,
                format!("positional XPath `{}` depends on element order", shorten(value)),
                "An index step (`[2]`, `[last()]`) selects by position: adding or reordering siblings changes \
                 what it finds. Select by what the element is (role + name, label, test id).",
            );
        }
    } else if is_css {
        if let Some(marker) = selector::positional_marker(value) {
            push(
                LintCode::PositionalSelector,
                span,
                format!("positional selector `{marker}` depends on element order"),
                "Position-based selectors pick whatever element is in that slot: adding or reordering \
                 siblings silently changes the target. Select by role + name, label or test id.",
            );
        }
        let combinators = selector::css_combinators(value);
        if combinators > config.selectors.max_combinators {
            push(
                LintCode::DeepSelector,
                span,
                format!(
                    "selector chains {combinators} combinators (more than {}): tied to page structure",
                    config.selectors.max_combinators
                ),
                "Every ancestor step is a structural assumption. Anchor on the element itself \
                 (role, label, test id) or on one stable container.",
            );
        }
        if let Some(class) = selector::css_classes(value).into_iter().find(|c| selector::is_generated_class(c)) {
            push(generated_class_code(), span, generated_class_message(class), GENERATED_CLASS_DETAIL);
        }
        if let Some(id) = selector::css_ids(value).into_iter().find(|id| selector::is_guid_like(id)) {
            push(LintCode::GuidId, span, guid_message(id), GUID_DETAIL);
        }
    }

    match locator.strategy {
        Strategy::ClassName => {
            if let Some(class) = value.split_whitespace().find(|c| selector::is_generated_class(c)) {
                push(generated_class_code(), span, generated_class_message(class), GENERATED_CLASS_DETAIL);
            }
        }
        Strategy::Id if selector::is_guid_like(value) => push(LintCode::GuidId, span, guid_message(value), GUID_DETAIL),
        Strategy::Text | Strategy::LinkText | Strategy::PartialLinkText => {
            long_text(value, span, config, push);
        }
        Strategy::Role => {
            if let (Some(name), Some(name_span)) = (&locator.name, locator.name_span) {
                long_text(name, name_span, config, push);
            }
        }
        _ => {}
    }

    if let Some(index) = locator.modifiers.iter().find_map(|m| match m {
        Modifier::Nth { index } => Some(*index),
        _ => None,
    }) {
        let which = index.map(|i| format!("nth({i})")).unwrap_or_else(|| "nth(…)".into());
        push(
            LintCode::PositionalSelector,
            span,
            format!("`.{which}` picks an element by position"),
            "Choosing the n-th match breaks when items are added, removed or reordered. \
             Narrow the locator until it matches one element (filter by text, role + name, test id).",
        );
    }
}

fn long_text(text: &str, span: Span, config: &Config, push: &mut impl FnMut(LintCode, Span, String, &str)) {
    let n = text.chars().count();
    if n > config.selectors.max_text_length {
        push(
            LintCode::LongTextSelector,
            span,
            format!("text selector of {n} characters (more than {}) breaks on any copy edit", config.selectors.max_text_length),
            "Long texts change often (copy edits, i18n, dynamic values). Match a short, stable part \
             of the text, or use a role + name or test id.",
        );
    }
}

fn generated_class_code() -> LintCode {
    LintCode::GeneratedClass
}

fn generated_class_message(class: &str) -> String {
    format!("generated class name `{class}` changes between builds")
}

const GENERATED_CLASS_DETAIL: &str = "CSS-in-JS and CSS-modules class names are hashes of the styles: \
     any style change or rebuild renames them. Use a role, label or test id.";

fn guid_message(id: &str) -> String {
    format!("generated-looking id `{}` is unlikely to survive a rebuild", shorten(id))
}

const GUID_DETAIL: &str = "The id mixes letters, digits and separators like a generated key \
     (Playwright's generator skips such ids for the same reason). Use a role, label or test id.";

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        let head: String = s.chars().take(57).collect();
        format!("{head}…")
    } else {
        s.to_string()
    }
}

/// The span of `only` in `test.only(` / `it.only(` / `describe.only(`, between the start of the
/// call and its title.
fn only_span(text: &str, call: Span, name: Span) -> Option<Span> {
    let head = text.get(call.start..name.start.max(call.start))?;
    let at = head.find(".only")? + 1;
    Some(Span::new(call.start + at, call.start + at + 4))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{Framework, Language, TestCase, TestKind, Wait};

    fn locator(strategy: Strategy, value: &str) -> Locator {
        Locator {
            framework: Framework::Playwright,
            strategy,
            value: value.into(),
            value_span: Span::new(10, 10 + value.len()),
            call_span: Span::new(0, 20 + value.len()),
            name: None,
            name_span: None,
            exact: false,
            parent: None,
            modifiers: vec![],
            dynamic: vec![],
            test: None,
            binding: None,
            uses: vec![],
        }
    }

    fn codes(locators: Vec<Locator>, config: &Config) -> Vec<&'static str> {
        let mut model = FileModel::empty(Language::TypeScript);
        model.locators = locators;
        lint(&model, "", config).into_iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn brittle_selectors_each_get_their_code() {
        let c = Config::default();
        assert_eq!(codes(vec![locator(Strategy::Css, "ul > li:nth-child(2)")], &c), ["positional-selector"]);
        assert_eq!(codes(vec![locator(Strategy::Css, "button >> nth=1")], &c), ["positional-selector"]);
        assert_eq!(codes(vec![locator(Strategy::XPath, "//ul/li[1]")], &c), ["positional-selector"]);
        assert_eq!(codes(vec![locator(Strategy::XPath, "/html/body/div/button")], &c), ["absolute-xpath"]);
        assert_eq!(codes(vec![locator(Strategy::Css, "/html/body/div")], &c), ["absolute-xpath"]);
        assert_eq!(codes(vec![locator(Strategy::Css, "main div section form button")], &c), ["deep-selector"]);
        assert_eq!(codes(vec![locator(Strategy::Css, "main section form button")], &c), Vec::<&str>::new());
        assert_eq!(codes(vec![locator(Strategy::Css, "button.css-1x2y3z")], &c), ["generated-class"]);
        assert_eq!(codes(vec![locator(Strategy::ClassName, "sc-bdVaJa")], &c), ["generated-class"]);
        assert_eq!(codes(vec![locator(Strategy::Css, "#a1b2c3d4e5")], &c), ["guid-id"]);
        assert_eq!(codes(vec![locator(Strategy::Id, "f3a9-77b1-4c2e")], &c), ["guid-id"]);
        assert_eq!(codes(vec![locator(Strategy::Text, &"x".repeat(81))], &c), ["long-text-selector"]);
        assert_eq!(codes(vec![locator(Strategy::Text, &"x".repeat(80))], &c), Vec::<&str>::new());
        assert_eq!(codes(vec![locator(Strategy::TestId, "buy")], &c), Vec::<&str>::new());
        let mut nth = locator(Strategy::Role, "row");
        nth.modifiers.push(Modifier::Nth { index: Some(3) });
        assert_eq!(codes(vec![nth], &c), ["positional-selector"]);
    }

    #[test]
    fn severities_follow_config_and_off_removes() {
        let mut c = Config::default();
        c.lints.insert("deep-selector".into(), Severity::Error);
        c.lints.insert("generated-class".into(), Severity::Off);
        let mut model = FileModel::empty(Language::TypeScript);
        model.locators = vec![locator(Strategy::Css, "a b c d e.css-1x2y3z")];
        let found = lint(&model, "", &c);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, LintCode::DeepSelector);
        assert_eq!(found[0].severity, Severity::Error);
        assert_eq!(found[0].span, Span::new(10, 10 + "a b c d e.css-1x2y3z".len()), "on the selector's contents");
    }

    #[test]
    fn a_plain_sleep_outside_test_code_is_not_linted() {
        let mut model = FileModel::empty(Language::Python);
        let wait = |api: &str| Wait {
            kind: WaitKind::Hard,
            framework: Framework::Pytest,
            api: api.into(),
            duration_ms: Some(1000),
            duration_span: None,
            span: Span::new(0, 13),
            test: None,
        };
        model.waits.push(wait("time.sleep"));
        assert!(lint(&model, "time.sleep(1)", &Config::default()).is_empty(), "an app server's sleep");
        model.waits.push(wait("wait_for_timeout"));
        assert_eq!(lint(&model, "time.sleep(1)", &Config::default()).len(), 2, "Playwright's sleep marks test code");
    }

    #[test]
    fn hard_waits_and_focused_tests() {
        let text = "test.only('buys', async () => { await page.waitForTimeout(3000); });";
        let mut model = FileModel::empty(Language::TypeScript);
        model.tests.push(TestCase {
            title_path: vec!["buys".into()],
            kind: TestKind::PlaywrightTest,
            framework: Framework::Playwright,
            span: Span::new(0, text.len()),
            name_span: Span::new(11, 15),
            steps: vec![],
            tags: vec![Tag::Only],
        });
        let call = text.find("page.waitForTimeout").unwrap();
        model.waits.push(Wait {
            kind: WaitKind::Hard,
            framework: Framework::Playwright,
            api: "waitForTimeout".into(),
            duration_ms: Some(3000),
            duration_span: None,
            span: Span::new(call, call + "page.waitForTimeout(3000)".len()),
            test: Some(0),
        });
        let found = lint(&model, text, &Config::default());
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].code, LintCode::FocusedTest);
        assert_eq!(&text[found[0].span.start..found[0].span.end], "only");
        assert_eq!(found[0].severity, Severity::Error);
        assert_eq!(found[1].code, LintCode::HardWait);
        assert_eq!(found[1].message, "hard wait of 3000 ms: `waitForTimeout` sleeps whether or not the page is ready");
    }
}
