//! Selectors as the healer evaluates them: CSS, XPath, and Playwright's locators. `parse`
//! reads the CLI's `SEL` (CSS, `xpath=…`, Playwright selector syntax); the page evaluates a
//! `Selector` through its JSON form (`argus.js` `evaluate`).

use serde::{Deserialize, Serialize};

/// A string matcher as Playwright has it: case-insensitive substring, or exact (the whole
/// whitespace-normalized string, case-sensitive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextMatch {
    pub text: String,
    pub exact: bool,
}

impl TextMatch {
    pub fn loose(text: impl Into<String>) -> Self {
        TextMatch { text: text.into(), exact: false }
    }
    pub fn exact(text: impl Into<String>) -> Self {
        TextMatch { text: text.into(), exact: true }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Selector {
    Css { css: String },
    Xpath { xpath: String },
    Role { role: String, name: Option<TextMatch> },
    Text { text: TextMatch },
    Label { text: TextMatch },
    Placeholder { text: TextMatch },
    Alt { text: TextMatch },
    Title { text: TextMatch },
    /// Exact attribute equality, like `getByTestId`.
    TestId { attribute: String, value: String },
    /// Cypress `cy.contains(tag, text)`: elements of `tag` whose text contains `text`.
    TagText { tag: String, text: String },
}

impl Selector {
    pub fn css(css: impl Into<String>) -> Self {
        Selector::Css { css: css.into() }
    }
}

/// Attributes Playwright's selector syntax accepts as `attr=value` (exact equality).
const ATTRIBUTE_ENGINES: &[&str] = &["data-testid", "data-test-id", "data-test", "id"];

/// Parse a selector as given on the command line. An error says what was not understood.
pub fn parse(sel: &str) -> Result<Selector, String> {
    let s = sel.trim();
    if s.is_empty() {
        return Err("empty selector".into());
    }
    if s.contains(">>") {
        return Err(format!("`{s}`: chained selectors (`>>`) are not supported; pass the last part"));
    }
    if let Some(x) = s.strip_prefix("xpath=") {
        return Ok(Selector::Xpath { xpath: x.trim().into() });
    }
    if s.starts_with("//") || s.starts_with("(//") || s.starts_with("..") {
        return Ok(Selector::Xpath { xpath: s.into() });
    }
    if let Some(c) = s.strip_prefix("css=") {
        return Ok(Selector::css(c.trim()));
    }
    if let Some(t) = s.strip_prefix("text=") {
        return Ok(Selector::Text { text: text_body(t) });
    }
    if let Some(r) = s.strip_prefix("role=") {
        return parse_role(r).map_err(|why| format!("`{s}`: {why}"));
    }
    for engine in ATTRIBUTE_ENGINES {
        if let Some(v) = s.strip_prefix(engine).and_then(|r| r.strip_prefix('=')) {
            let value = unquote(v.trim()).unwrap_or(v.trim()).to_string();
            return Ok(match *engine {
                "id" => Selector::css(format!("[id=\"{}\"]", css_string(&value))),
                attr => Selector::TestId { attribute: attr.into(), value },
            });
        }
    }
    Ok(Selector::css(s))
}

/// `text=Buy` is loose; `text="Buy"` (or single quotes) is exact.
fn text_body(t: &str) -> TextMatch {
    match unquote(t.trim()) {
        Some(inner) => TextMatch::exact(inner),
        None => TextMatch::loose(t.trim()),
    }
}

fn unquote(s: &str) -> Option<&str> {
    let q = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    s.strip_prefix(q)?.strip_suffix(q).filter(|_| s.len() >= 2)
}

/// `button[name="Buy"]`, `button[name="Buy" s]` (exact), `button[name=/re/]` refused.
fn parse_role(r: &str) -> Result<Selector, String> {
    let (role, rest) = match r.find('[') {
        Some(i) => (&r[..i], &r[i..]),
        None => (r, ""),
    };
    let role = role.trim();
    if role.is_empty() || !role.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(format!("`{role}` is not a role name"));
    }
    let mut name = None;
    let mut rest = rest.trim();
    while let Some(body) = rest.strip_prefix('[') {
        let end = closing_bracket(body).ok_or("unclosed `[`")?;
        let attr = body[..end].trim();
        rest = body[end + 1..].trim();
        let Some(value) = attr.strip_prefix("name").map(str::trim).and_then(|v| v.strip_prefix('=')) else {
            return Err(format!("only the `name` attribute is supported, not `[{attr}]`"));
        };
        let value = value.trim();
        let (quoted, flag) = match value.rfind(['"', '\'']) {
            Some(i) => (&value[..=i], value[i + 1..].trim()),
            None => (value, ""),
        };
        let text = unquote(quoted).ok_or_else(|| format!("the name `{quoted}` must be quoted"))?;
        name = Some(match flag {
            "s" => TextMatch::exact(text),
            "" | "i" => TextMatch::loose(text),
            other => return Err(format!("unknown flag `{other}` (use `s` or `i`)")),
        });
    }
    if !rest.is_empty() {
        return Err(format!("unexpected `{rest}`"));
    }
    Ok(Selector::Role { role: role.to_ascii_lowercase(), name })
}

fn closing_bracket(body: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in body.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ']') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Escape a value for a double-quoted CSS string.
pub fn css_string(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Selector) {
        assert_eq!(parse(input).unwrap(), expect, "{input}");
    }

    #[test]
    fn every_documented_form_parses() {
        check("button.buy", Selector::css("button.buy"));
        check("css=#a > b", Selector::css("#a > b"));
        check("xpath=//button[1]", Selector::Xpath { xpath: "//button[1]".into() });
        check("//div/a", Selector::Xpath { xpath: "//div/a".into() });
        check("text=Buy now", Selector::Text { text: TextMatch::loose("Buy now") });
        check("text=\"Buy\"", Selector::Text { text: TextMatch::exact("Buy") });
        check("data-testid=buy", Selector::TestId { attribute: "data-testid".into(), value: "buy".into() });
        check("data-test='x y'", Selector::TestId { attribute: "data-test".into(), value: "x y".into() });
        check("id=main", Selector::css("[id=\"main\"]"));
        check("role=button", Selector::Role { role: "button".into(), name: None });
        check(
            "role=button[name=\"Buy\"]",
            Selector::Role { role: "button".into(), name: Some(TextMatch::loose("Buy")) },
        );
        check(
            "role=link[name='Sign ] in' s]",
            Selector::Role { role: "link".into(), name: Some(TextMatch::exact("Sign ] in")) },
        );
    }

    #[test]
    fn what_is_not_understood_is_said() {
        assert!(parse("  ").unwrap_err().contains("empty"));
        assert!(parse("#a >> text=b").unwrap_err().contains(">>"));
        assert!(parse("role=button[pressed]").unwrap_err().contains("only the `name`"));
        assert!(parse("role=button[name=Buy]").unwrap_err().contains("quoted"));
        assert!(parse("role=button[name=\"x\"").unwrap_err().contains("unclosed"));
    }

    #[test]
    fn json_form_is_what_the_page_script_reads() {
        let v = serde_json::to_value(Selector::Role { role: "button".into(), name: Some(TextMatch::exact("Buy")) }).unwrap();
        assert_eq!(v, serde_json::json!({"kind": "role", "role": "button", "name": {"text": "Buy", "exact": true}}));
        let v = serde_json::to_value(Selector::TestId { attribute: "data-test".into(), value: "b".into() }).unwrap();
        assert_eq!(v, serde_json::json!({"kind": "test_id", "attribute": "data-test", "value": "b"}));
    }
}
