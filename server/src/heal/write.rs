//! A selector from another source (the backend, git history, a pattern's text) written as
//! a locator in the test's style, so it can be validated and applied like a generated one.

use super::generate::{Proposal, Strategy, css_code};
use super::selector::{self, Selector, TextMatch};
use super::style::Style;
use crate::syntax::{Framework, Language, Locator, Strategy as ModelStrategy, parse_model};

/// `selector` in `style`; None when the style's API cannot express it (a role locator in
/// Selenium, an XPath in Cypress).
pub fn write(selector: &Selector, style: Style, test_id_attribute: &str) -> Option<Proposal> {
    let q = |s: &str| style.quote(s);
    let pw = style.is_playwright();
    let ts = style == Style::PlaywrightTs;
    let proposal = |strategy, value: &str, code: String| Some(Proposal { strategy, value: value.into(), selector: selector.clone(), code });
    match selector {
        Selector::Css { css } => proposal(Strategy::Css, css, css_code(style, css)),
        Selector::Xpath { xpath } => {
            let code = match style {
                Style::PlaywrightTs | Style::PlaywrightPy => format!("page.locator({})", q(&format!("xpath={xpath}"))),
                Style::SeleniumPy => format!("(By.XPATH, {})", q(xpath)),
                Style::SeleniumJs => format!("By.xpath({})", q(xpath)),
                Style::Webdriverio => format!("$({})", q(xpath)),
                Style::Cypress => return None,
            };
            proposal(Strategy::Xpath, xpath, code)
        }
        Selector::TestId { attribute, value } if pw && attribute == test_id_attribute => {
            let method = if ts { "getByTestId" } else { "get_by_test_id" };
            proposal(Strategy::TestId, value, format!("page.{method}({})", q(value)))
        }
        Selector::TestId { attribute, value } => {
            let css = format!("[{attribute}=\"{}\"]", selector::css_string(value));
            let strategy = if attribute == test_id_attribute { Strategy::TestId } else { Strategy::TestAttribute };
            // The page evaluates what the code means: the attribute as CSS.
            Some(Proposal { strategy, value: value.clone(), selector: Selector::css(&css), code: css_code(style, &css) })
        }
        Selector::Role { role, name } if pw => {
            let code = match (name, ts) {
                (None, true) => format!("page.getByRole({})", q(role)),
                (None, false) => format!("page.get_by_role({})", q(role)),
                (Some(n), true) => {
                    format!("page.getByRole({}, {{ name: {}{} }})", q(role), q(&n.text), if n.exact { ", exact: true" } else { "" })
                }
                (Some(n), false) => format!("page.get_by_role({}, name={}{})", q(role), q(&n.text), if n.exact { ", exact=True" } else { "" }),
            };
            proposal(Strategy::Role, name.as_ref().map_or(role.as_str(), |n| n.text.as_str()), code)
        }
        Selector::Text { text } | Selector::Label { text } | Selector::Placeholder { text } | Selector::Alt { text } | Selector::Title { text }
            if pw =>
        {
            let (strategy, method_ts, method_py) = match selector {
                Selector::Text { .. } => (Strategy::Text, "getByText", "get_by_text"),
                Selector::Label { .. } => (Strategy::Label, "getByLabel", "get_by_label"),
                Selector::Placeholder { .. } => (Strategy::Placeholder, "getByPlaceholder", "get_by_placeholder"),
                Selector::Alt { .. } => (Strategy::Alt, "getByAltText", "get_by_alt_text"),
                _ => (Strategy::Title, "getByTitle", "get_by_title"),
            };
            let code = match (text.exact, ts) {
                (false, true) => format!("page.{method_ts}({})", q(&text.text)),
                (false, false) => format!("page.{method_py}({})", q(&text.text)),
                (true, true) => format!("page.{method_ts}({}, {{ exact: true }})", q(&text.text)),
                (true, false) => format!("page.{method_py}({}, exact=True)", q(&text.text)),
            };
            proposal(strategy, &text.text, code)
        }
        Selector::Placeholder { text } | Selector::Alt { text } | Selector::Title { text } => {
            // Outside Playwright these are attributes: exact CSS equality says the same.
            let attr = match selector {
                Selector::Placeholder { .. } => "placeholder",
                Selector::Alt { .. } => "alt",
                _ => "title",
            };
            let css = format!("[{attr}=\"{}\"]", selector::css_string(&text.text));
            let strategy = match selector {
                Selector::Placeholder { .. } => Strategy::Placeholder,
                Selector::Alt { .. } => Strategy::Alt,
                _ => Strategy::Title,
            };
            Some(Proposal { strategy, value: text.text.clone(), selector: Selector::css(&css), code: css_code(style, &css) })
        }
        Selector::TagText { tag, text } if style == Style::Cypress => {
            proposal(Strategy::Text, text, format!("cy.contains({}, {})", q(tag), q(text)))
        }
        _ => None,
    }
}

/// What a locator as written means to the page; None for what a page cannot evaluate the
/// same way (dynamic values).
pub fn selector_of(l: &Locator, test_id_attribute: &str) -> Option<Selector> {
    if l.is_dynamic() {
        return None;
    }
    let text = |v: &str| if l.exact { TextMatch::exact(v) } else { TextMatch::loose(v) };
    let v = l.value.as_str();
    let attr = |a: &str| Selector::css(format!("[{a}=\"{}\"]", selector::css_string(v)));
    Some(match l.strategy {
        ModelStrategy::Css | ModelStrategy::TagName => Selector::css(v),
        ModelStrategy::XPath => Selector::Xpath { xpath: v.to_string() },
        ModelStrategy::TestId => Selector::TestId { attribute: test_id_attribute.to_string(), value: v.to_string() },
        ModelStrategy::Role => Selector::Role { role: v.to_string(), name: l.name.as_deref().map(text) },
        ModelStrategy::Text => Selector::Text { text: text(v) },
        ModelStrategy::Label => Selector::Label { text: text(v) },
        ModelStrategy::Placeholder => Selector::Placeholder { text: text(v) },
        ModelStrategy::AltText => Selector::Alt { text: text(v) },
        ModelStrategy::Title => Selector::Title { text: text(v) },
        ModelStrategy::Id => attr("id"),
        ModelStrategy::Name => attr("name"),
        ModelStrategy::ClassName => Selector::css(format!(".{v}")),
        ModelStrategy::LinkText => Selector::Xpath { xpath: format!("//a[normalize-space(.)={}]", xpath_literal(v)) },
        ModelStrategy::PartialLinkText => {
            Selector::Xpath { xpath: format!("//a[contains(normalize-space(.), {})]", xpath_literal(v)) }
        }
        ModelStrategy::Other => selector::parse(v).ok()?,
    })
}

fn xpath_literal(v: &str) -> String {
    if !v.contains('"') { format!("\"{v}\"") } else { format!("'{v}'") }
}

/// The style a fix is written in: the framework and language of the locator.
pub fn style_of(l: &Locator, language: Language) -> Option<Style> {
    Some(match (l.framework, language == Language::Python) {
        (Framework::Playwright, false) => Style::PlaywrightTs,
        (Framework::Playwright, true) => Style::PlaywrightPy,
        (Framework::Selenium, true) => Style::SeleniumPy,
        (Framework::Selenium, false) => Style::SeleniumJs,
        (Framework::Cypress, _) => Style::Cypress,
        (Framework::WebdriverIO, _) => Style::Webdriverio,
        _ => return None,
    })
}

/// A selector as another tool wrote it down: selector syntax (`[data-testid="buy"]`,
/// `role=button[name="Buy"]`, `xpath=…`) or a locator call (`page.getByTestId('buy')`,
/// `find_element(By.ID, "buy")`), read with the same queries as the tests.
pub fn read(text: &str, test_id_attribute: &str) -> Option<Selector> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if t.contains('(') {
        for (language, snippet) in [(Language::TypeScript, t.to_string()), (Language::Python, t.to_string())] {
            let model = parse_model(language, &snippet);
            if let Some(s) = model.locators.iter().rev().find_map(|l| selector_of(l, test_id_attribute)) {
                return Some(s);
            }
        }
        // `(By.ID, "buy")` alone is no call the queries know: read it inside one.
        let model = parse_model(Language::Python, &format!("driver.find_element{t}"));
        if let Some(s) = model.locators.first().and_then(|l| selector_of(l, test_id_attribute)) {
            return Some(s);
        }
    }
    selector::parse(t).ok()
}

/// The keys the knowledge base may know a selector by: as written here, and as other
/// frameworks write the same test id (`getByTestId('buy')` keeps `buy`; Selenium's
/// `[data-testid="buy"]` is the same element), so a heal crosses languages.
pub fn lookup_keys(selector: &Selector, written: &str) -> Vec<String> {
    let mut keys = vec![written.to_string()];
    let test_id = match selector {
        Selector::TestId { attribute, value } => Some((attribute.clone(), value.clone())),
        Selector::Css { css } => {
            static ATTR: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
                regex::Regex::new(r#"^\[\s*(data-test(?:id|-id)?)\s*=\s*(?:"([^"]*)"|'([^']*)'|([\w-]+))\s*\]$"#).unwrap()
            });
            ATTR.captures(css.trim()).map(|c| (c[1].to_string(), c.get(2).or(c.get(3)).or(c.get(4)).map_or("", |m| m.as_str()).to_string()))
        }
        _ => None,
    };
    if let Some((attr, v)) = test_id.filter(|(_, v)| !v.is_empty()) {
        for k in [v.clone(), format!("[{attr}=\"{v}\"]"), format!("[{attr}='{v}']"), format!("{attr}={v}")] {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(sel: &Selector, style: Style) -> Option<String> {
        write(sel, style, "data-testid").map(|p| p.code)
    }

    #[test]
    fn each_style_gets_its_own_api_or_nothing() {
        let tid = Selector::TestId { attribute: "data-testid".into(), value: "buy".into() };
        assert_eq!(code(&tid, Style::PlaywrightTs).as_deref(), Some("page.getByTestId('buy')"));
        assert_eq!(code(&tid, Style::PlaywrightPy).as_deref(), Some("page.get_by_test_id(\"buy\")"));
        assert_eq!(code(&tid, Style::SeleniumPy).as_deref(), Some("(By.CSS_SELECTOR, '[data-testid=\"buy\"]')"));
        assert_eq!(code(&tid, Style::Cypress).as_deref(), Some("cy.get('[data-testid=\"buy\"]')"));
        let role = Selector::Role { role: "button".into(), name: Some(TextMatch::exact("Buy")) };
        assert_eq!(code(&role, Style::PlaywrightTs).as_deref(), Some("page.getByRole('button', { name: 'Buy', exact: true })"));
        assert_eq!(code(&role, Style::SeleniumPy), None, "Selenium has no role locator");
        let x = Selector::Xpath { xpath: "//button[1]".into() };
        assert_eq!(code(&x, Style::PlaywrightTs).as_deref(), Some("page.locator('xpath=//button[1]')"));
        assert_eq!(code(&x, Style::Cypress), None);
        let ph = Selector::Placeholder { text: TextMatch::loose("Email") };
        assert_eq!(code(&ph, Style::SeleniumJs).as_deref(), Some("By.css('[placeholder=\"Email\"]')"));
    }

    #[test]
    fn a_test_id_is_looked_up_however_a_framework_wrote_it() {
        let css = Selector::css("[data-testid='buy-lamp']");
        assert_eq!(lookup_keys(&css, "[data-testid='buy-lamp']"), ["[data-testid='buy-lamp']", "buy-lamp", "[data-testid=\"buy-lamp\"]", "data-testid=buy-lamp"]);
        let tid = Selector::TestId { attribute: "data-testid".into(), value: "buy-lamp".into() };
        assert!(lookup_keys(&tid, "buy-lamp").contains(&"[data-testid='buy-lamp']".to_string()));
        assert_eq!(lookup_keys(&Selector::css("button.buy"), "button.buy"), ["button.buy"], "other CSS only as written");
    }

    #[test]
    fn selectors_are_read_as_other_tools_write_them() {
        let tid = Selector::TestId { attribute: "data-testid".into(), value: "add-to-cart".into() };
        assert_eq!(read("page.getByTestId('add-to-cart')", "data-testid"), Some(tid.clone()));
        assert_eq!(read("page.get_by_test_id(\"add-to-cart\")", "data-testid"), Some(tid));
        assert_eq!(read("(By.ID, \"buy\")", "data-testid"), Some(Selector::css("[id=\"buy\"]")));
        assert_eq!(read("button.add", "data-testid"), Some(Selector::css("button.add")));
        assert_eq!(
            read("role=button[name=\"Add\"]", "data-testid"),
            Some(Selector::Role { role: "button".into(), name: Some(TextMatch::loose("Add")) })
        );
        assert_eq!(read("  ", "data-testid"), None);
    }
}
