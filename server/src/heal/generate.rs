//! Selector generation for one element, in Playwright's priority: the configured test-id
//! attribute, other test attributes, role + name, placeholder, label, alt text, text,
//! title, `#id` (when not generated-looking), then CSS. Each proposal carries the selector
//! the page evaluates and the code written in the test's style.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::selector::{Selector, TextMatch, css_string};
use super::style::{Style, xpath_literal};

/// What the page says about an element (`argus.js` `describe`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ElementFacts {
    pub xpath: String,
    pub tag: String,
    pub role: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub text: String,
    pub visible: bool,
    pub id: Option<String>,
    #[serde(default)]
    pub test_ids: BTreeMap<String, String>,
    pub placeholder: Option<String>,
    pub alt: Option<String>,
    pub title: Option<String>,
    pub label: Option<String>,
    #[serde(default)]
    pub hidden_for_aria: bool,
    /// Unique CSS selectors the page found, shortest first.
    #[serde(default)]
    pub css: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// The configured test-id attribute (`getByTestId`).
    #[serde(rename = "testid")]
    TestId,
    /// `data-testid` / `data-test` / `data-test-id` when not the configured one.
    TestAttribute,
    Role,
    Placeholder,
    Label,
    Alt,
    Text,
    Title,
    Id,
    Css,
    /// The selector as it was (knowledge base, backend) or an XPath.
    Xpath,
}

impl Strategy {
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::TestId => "testid",
            Strategy::TestAttribute => "test_attribute",
            Strategy::Role => "role",
            Strategy::Placeholder => "placeholder",
            Strategy::Label => "label",
            Strategy::Alt => "alt",
            Strategy::Text => "text",
            Strategy::Title => "title",
            Strategy::Id => "id",
            Strategy::Css => "css",
            Strategy::Xpath => "xpath",
        }
    }
}

/// One way to write the locator of an element.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub strategy: Strategy,
    /// The strategy's value: the test id, the text, the CSS, `button[name="Buy"]`, …
    pub value: String,
    /// What the page evaluates to validate it (the code's own semantics).
    pub selector: Selector,
    /// The locator written in the test's style.
    pub code: String,
}

/// Test attributes Playwright's generator knows besides the configured one.
pub const TEST_ATTRIBUTES: &[&str] = &["data-testid", "data-test-id", "data-test"];

/// Texts longer than this make brittle selectors (same limit as the `long-text-selector` lint).
const MAX_TEXT: usize = 80;

/// Every proposal for `facts`, in priority order; within a strategy the shorter first.
pub fn proposals(facts: &ElementFacts, style: Style, test_id_attribute: &str) -> Vec<Proposal> {
    let mut out = Vec::new();
    let pw = style.is_playwright();
    let q = |s: &str| style.quote(s);
    let attr_css = |attr: &str, v: &str| format!("[{attr}=\"{}\"]", css_string(v));

    if let Some(v) = facts.test_ids.get(test_id_attribute).filter(|v| !v.is_empty()) {
        let code = match style {
            Style::PlaywrightTs => format!("page.getByTestId({})", q(v)),
            Style::PlaywrightPy => format!("page.get_by_test_id({})", q(v)),
            _ => css_code(style, &attr_css(test_id_attribute, v)),
        };
        let selector = Selector::TestId { attribute: test_id_attribute.into(), value: v.clone() };
        out.push(Proposal { strategy: Strategy::TestId, value: v.clone(), selector, code });
    }
    for attr in TEST_ATTRIBUTES.iter().filter(|a| **a != test_id_attribute) {
        if let Some(v) = facts.test_ids.get(*attr).filter(|v| !v.is_empty()) {
            let css = attr_css(attr, v);
            let selector = Selector::TestId { attribute: (*attr).into(), value: v.clone() };
            out.push(Proposal { strategy: Strategy::TestAttribute, value: v.clone(), selector, code: css_code(style, &css) });
        }
    }
    if pw
        && let Some(role) = facts.role.as_deref().filter(|r| !["generic", "presentation", "none"].contains(r)) {
            if facts.hidden_for_aria {
                // getByRole never matches it; a proposal would only ever fail.
            } else if facts.name.is_empty() {
                out.push(role_proposal(style, role, None));
            } else if facts.name.chars().count() <= MAX_TEXT {
                out.push(role_proposal(style, role, Some(TextMatch::loose(&facts.name))));
                out.push(role_proposal(style, role, Some(TextMatch::exact(&facts.name))));
            }
        }
    for (strategy, value, ts, py, attr) in [
        (Strategy::Placeholder, &facts.placeholder, "getByPlaceholder", "get_by_placeholder", "placeholder"),
        (Strategy::Label, &facts.label, "getByLabel", "get_by_label", ""),
        (Strategy::Alt, &facts.alt, "getByAltText", "get_by_alt_text", "alt"),
        (Strategy::Text, &Some(facts.text.clone()), "getByText", "get_by_text", ""),
        (Strategy::Title, &facts.title, "getByTitle", "get_by_title", "title"),
    ] {
        let Some(v) = value.as_deref().filter(|v| !v.is_empty() && v.chars().count() <= MAX_TEXT) else { continue };
        if pw {
            let m = TextMatch::loose(v);
            let selector = match strategy {
                Strategy::Placeholder => Selector::Placeholder { text: m },
                Strategy::Label => Selector::Label { text: m },
                Strategy::Alt => Selector::Alt { text: m },
                Strategy::Text => Selector::Text { text: m },
                _ => Selector::Title { text: m },
            };
            let method = if style == Style::PlaywrightTs { ts } else { py };
            let code = format!("page.{method}({})", q(v));
            out.push(Proposal { strategy, value: v.into(), selector: selector.clone(), code });
            if strategy == Strategy::Text {
                let exact = Selector::Text { text: TextMatch::exact(v) };
                let code = match style {
                    Style::PlaywrightTs => format!("page.getByText({}, {{ exact: true }})", q(v)),
                    _ => format!("page.get_by_text({}, exact=True)", q(v)),
                };
                out.push(Proposal { strategy, value: v.into(), selector: exact, code });
            }
        } else if !attr.is_empty() {
            out.push(Proposal { strategy, value: v.into(), selector: Selector::css(attr_css(attr, v)), code: css_code(style, &attr_css(attr, v)) });
        } else if strategy == Strategy::Text {
            out.extend(text_proposal(style, &facts.tag, v));
        }
    }
    if let Some(id) = facts.id.as_deref().filter(|id| !looks_generated(id)) {
        let css = format!("#{}", css_ident(id));
        let code = match style {
            Style::SeleniumPy => format!("(By.ID, {})", q(id)),
            Style::SeleniumJs => format!("By.id({})", q(id)),
            _ => css_code(style, &css),
        };
        out.push(Proposal { strategy: Strategy::Id, value: id.into(), selector: Selector::css(css), code });
    }
    for css in &facts.css {
        if out.iter().any(|p| matches!(&p.selector, Selector::Css { css: c } if c == css)) {
            continue;
        }
        out.push(Proposal { strategy: Strategy::Css, value: css.clone(), selector: Selector::css(css), code: css_code(style, css) });
    }
    out
}

fn role_proposal(style: Style, role: &str, name: Option<TextMatch>) -> Proposal {
    let q = |s: &str| style.quote(s);
    let (code, value) = match (&name, style) {
        (None, Style::PlaywrightTs) => (format!("page.getByRole({})", q(role)), role.to_string()),
        (None, _) => (format!("page.get_by_role({})", q(role)), role.to_string()),
        (Some(n), Style::PlaywrightTs) => {
            let exact = if n.exact { ", exact: true" } else { "" };
            (format!("page.getByRole({}, {{ name: {}{exact} }})", q(role), q(&n.text)), n.text.clone())
        }
        (Some(n), _) => {
            let exact = if n.exact { ", exact=True" } else { "" };
            (format!("page.get_by_role({}, name={}{exact})", q(role), q(&n.text)), n.text.clone())
        }
    };
    let value = match &name {
        Some(n) => format!("{role}[name=\"{}\"{}]", css_string(&value), if n.exact { " s" } else { "" }),
        None => value,
    };
    Proposal { strategy: Strategy::Role, value, selector: Selector::Role { role: role.into(), name }, code }
}

/// Text for frameworks without text locators: an XPath on the normalized text (Selenium,
/// WebdriverIO's `tag=text` has the same meaning), `cy.contains` for Cypress.
fn text_proposal(style: Style, tag: &str, text: &str) -> Option<Proposal> {
    let xpath = format!("//{tag}[normalize-space()={}]", xpath_literal(text));
    let q = |s: &str| style.quote(s);
    let (code, selector) = match style {
        Style::SeleniumPy => (format!("(By.XPATH, {})", q(&xpath)), Selector::Xpath { xpath }),
        Style::SeleniumJs => (format!("By.xpath({})", q(&xpath)), Selector::Xpath { xpath }),
        Style::Webdriverio => (format!("$({})", q(&format!("{tag}={text}"))), Selector::Xpath { xpath }),
        Style::Cypress => (
            format!("cy.contains({}, {})", q(tag), q(text)),
            Selector::TagText { tag: tag.into(), text: text.into() },
        ),
        Style::PlaywrightTs | Style::PlaywrightPy => return None,
    };
    Some(Proposal { strategy: Strategy::Text, value: text.into(), selector, code })
}

/// A CSS selector in the style's API.
pub fn css_code(style: Style, css: &str) -> String {
    let q = |s: &str| style.quote(s);
    match style {
        Style::PlaywrightTs | Style::PlaywrightPy => format!("page.locator({})", q(css)),
        Style::SeleniumPy => format!("(By.CSS_SELECTOR, {})", q(css)),
        Style::SeleniumJs => format!("By.css({})", q(css)),
        Style::Cypress => format!("cy.get({})", q(css)),
        Style::Webdriverio => format!("$({})", q(css)),
    }
}

/// Ids and classes that a framework generates change on every build: GUIDs, long hex or
/// digit runs, CSS-in-JS prefixes. (`argus.js` applies the same rule to CSS it builds.)
pub fn looks_generated(token: &str) -> bool {
    let hexish = token.split(['-', '_']).any(|seg| {
        seg.len() >= 6 && seg.chars().all(|c| c.is_ascii_hexdigit()) && seg.chars().any(|c| c.is_ascii_digit())
    });
    let digits = token.as_bytes().windows(3).any(|w| w.iter().all(u8::is_ascii_digit));
    let prefixed = ["css-", "sc-", "jsx-", "emotion-", "svelte-"].iter().any(|p| token.to_ascii_lowercase().starts_with(p))
        || token.starts_with('_');
    hexish || digits || prefixed
}

/// `#id` needs escaping when the id is not a plain CSS identifier.
fn css_ident(id: &str) -> String {
    let plain = id.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if plain {
        id.to_string()
    } else {
        id.chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c.to_string() } else { format!("\\{c}") })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buy() -> ElementFacts {
        ElementFacts {
            xpath: "/html[1]/body[1]/button[1]".into(),
            tag: "button".into(),
            role: Some("button".into()),
            name: "Buy".into(),
            text: "Buy".into(),
            visible: true,
            id: Some("buy-1f3a9c2e-77aa".into()),
            test_ids: [("data-testid".to_string(), "buy".to_string())].into(),
            css: vec!["button.buy".into()],
            ..Default::default()
        }
    }

    fn codes(style: Style) -> Vec<String> {
        proposals(&buy(), style, "data-testid").into_iter().map(|p| p.code).collect()
    }

    #[test]
    fn playwright_ts_in_priority_order() {
        assert_eq!(
            codes(Style::PlaywrightTs),
            [
                "page.getByTestId('buy')",
                "page.getByRole('button', { name: 'Buy' })",
                "page.getByRole('button', { name: 'Buy', exact: true })",
                "page.getByText('Buy')",
                "page.getByText('Buy', { exact: true })",
                "page.locator('button.buy')",
            ],
            "the GUID-like id is never proposed"
        );
    }

    #[test]
    fn each_style_writes_its_own_api() {
        assert_eq!(codes(Style::PlaywrightPy)[1], "page.get_by_role(\"button\", name=\"Buy\")");
        assert_eq!(
            codes(Style::SeleniumPy),
            ["(By.CSS_SELECTOR, '[data-testid=\"buy\"]')", "(By.XPATH, \"//button[normalize-space()='Buy']\")", "(By.CSS_SELECTOR, \"button.buy\")"]
        );
        assert_eq!(codes(Style::SeleniumJs)[0], "By.css('[data-testid=\"buy\"]')");
        assert_eq!(codes(Style::Cypress), ["cy.get('[data-testid=\"buy\"]')", "cy.contains('button', 'Buy')", "cy.get('button.buy')"]);
        assert_eq!(codes(Style::Webdriverio)[1], "$('button=Buy')");
    }

    #[test]
    fn a_configured_test_id_attribute_comes_first_and_others_follow() {
        let mut f = buy();
        f.test_ids.insert("data-qa".into(), "buy-qa".into());
        let p = proposals(&f, Style::PlaywrightTs, "data-qa");
        assert_eq!(p[0].code, "page.getByTestId('buy-qa')");
        assert_eq!((p[1].strategy, p[1].code.as_str()), (Strategy::TestAttribute, "page.locator('[data-testid=\"buy\"]')"));
    }

    #[test]
    fn stable_ids_are_proposed_and_generated_ones_not() {
        assert!(!looks_generated("buy"));
        assert!(!looks_generated("main-nav"));
        assert!(!looks_generated("facade"), "a hex-letter word without digits is a word");
        for generated in ["3f2c9a1e-0000-4c7e-9e4b-2a6e1b9c0d11", "buy-1f3a9c2e", "dead12beef", "item-12345", "css-1x2y3z", "_a1b2c"] {
            assert!(looks_generated(generated), "{generated}");
        }
        let mut f = buy();
        f.id = Some("checkout".into());
        let p = proposals(&f, Style::SeleniumPy, "data-testid");
        assert!(p.iter().any(|p| p.code == "(By.ID, \"checkout\")"), "{p:?}");
    }
}
