//! The API a test already uses, and how a locator is written in it.

use serde::{Deserialize, Serialize};

/// Framework and language of the test being healed: candidates are written in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Style {
    /// `page.getByTestId('buy')`
    PlaywrightTs,
    /// `page.get_by_role("button", name="Buy")`
    PlaywrightPy,
    /// `(By.CSS_SELECTOR, "…")`
    SeleniumPy,
    /// `By.css('…')`
    SeleniumJs,
    /// `cy.get('…')`
    Cypress,
    /// `$('…')`
    Webdriverio,
}

impl Style {
    pub const ALL: [Style; 6] =
        [Style::PlaywrightTs, Style::PlaywrightPy, Style::SeleniumPy, Style::SeleniumJs, Style::Cypress, Style::Webdriverio];

    pub fn as_str(self) -> &'static str {
        match self {
            Style::PlaywrightTs => "playwright-ts",
            Style::PlaywrightPy => "playwright-py",
            Style::SeleniumPy => "selenium-py",
            Style::SeleniumJs => "selenium-js",
            Style::Cypress => "cypress",
            Style::Webdriverio => "webdriverio",
        }
    }

    pub fn parse(s: &str) -> Option<Style> {
        Style::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Playwright locators (role, text, label, …) are only written for Playwright; other
    /// styles get their equivalents in CSS or XPath.
    pub fn is_playwright(self) -> bool {
        matches!(self, Style::PlaywrightTs | Style::PlaywrightPy)
    }

    /// A string literal in this style's language.
    pub fn quote(self, s: &str) -> String {
        match self {
            Style::PlaywrightPy | Style::SeleniumPy => py_string(s),
            _ => js_string(s),
        }
    }
}

/// JavaScript: single quotes unless the text has some and no double quotes.
pub fn js_string(s: &str) -> String {
    let q = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    quoted(s, q)
}

/// Python: double quotes unless the text has some and no single quotes.
pub fn py_string(s: &str) -> String {
    let q = if s.contains('"') && !s.contains('\'') { '\'' } else { '"' };
    quoted(s, q)
}

fn quoted(s: &str, q: char) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

/// An XPath string literal (`concat()` when the text has both quote kinds).
pub fn xpath_literal(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else if !s.contains('"') {
        format!("\"{s}\"")
    } else {
        let parts: Vec<String> = s.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_pick_the_quote_that_needs_no_escape() {
        assert_eq!(js_string("buy"), "'buy'");
        assert_eq!(js_string("it's"), "\"it's\"");
        assert_eq!(js_string("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(py_string("Buy"), "\"Buy\"");
        assert_eq!(py_string("[data-test=\"x\"]"), "'[data-test=\"x\"]'");
        assert_eq!(xpath_literal("a'b\"c"), "concat('a', \"'\", 'b\"c')");
    }

    #[test]
    fn names_round_trip() {
        for s in Style::ALL {
            assert_eq!(Style::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::json!(s.as_str()));
        }
    }
}
