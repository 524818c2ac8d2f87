//! When a candidate counts as validated: it matched exactly one element, that element is
//! displayed, it is the element the heal was aimed at, and its role and text (or, when the
//! text changed, a stable identifier) agree with what was recorded. Anything else is kept
//! unvalidated with the reason.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::fingerprint::Fingerprint;
use super::generate::TEST_ATTRIBUTES;

/// How a selector fared on the page (`argus.js` `query`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct QueryResult {
    pub count: usize,
    /// The first few matches, in document order.
    #[serde(default)]
    pub matches: Vec<MatchInfo>,
    /// The page could not evaluate the selector (invalid CSS or XPath).
    #[serde(default)]
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MatchInfo {
    pub xpath: String,
    pub tag: String,
    pub role: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub text: String,
    pub visible: bool,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub classes: Vec<String>,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

/// `Ok` when validated; otherwise why not, as one short sentence.
pub fn verdict(result: &QueryResult, target_xpath: Option<&str>, recorded: Option<&Fingerprint>) -> Result<(), String> {
    if let Some(e) = &result.error {
        return Err(format!("the page could not evaluate it: {e}"));
    }
    let m = match (result.count, result.matches.first()) {
        (0, _) | (_, None) => return Err("matches no element".into()),
        (1, Some(m)) => m,
        (n, _) => return Err(format!("matches {n} elements, not exactly one")),
    };
    if let Some(target) = target_xpath.filter(|t| *t != m.xpath) {
        return Err(format!("matches {} instead of the healed element {target}", m.xpath));
    }
    if !m.visible {
        return Err("the element it matches is not visible".into());
    }
    match recorded {
        Some(fp) => agrees(fp, m),
        None => Ok(()),
    }
}

/// Role (or tag, for elements without one) must agree; then the text, or when the text
/// changed, an id, test id, class list or `name` attribute that stayed the same.
pub fn agrees(fp: &Fingerprint, m: &MatchInfo) -> Result<(), String> {
    match (fp.role.as_deref(), m.role.as_deref()) {
        (Some(a), Some(b)) if a == b => {}
        (None, None) if fp.tag == m.tag => {}
        (None, None) => return Err(format!("tag differs: recorded `{}`, found `{}`", fp.tag, m.tag)),
        (a, b) => {
            return Err(format!("role differs: recorded `{}`, found `{}`", a.unwrap_or("none"), b.unwrap_or("none")));
        }
    }
    let recorded_text = if fp.name.is_empty() { &fp.text } else { &fp.name };
    let found_text = if m.name.is_empty() { &m.text } else { &m.name };
    if same_text(recorded_text, found_text) {
        return Ok(());
    }
    let same = |a: Option<&String>, b: Option<&String>| a.is_some_and(|a| !a.is_empty() && Some(a) == b);
    let stable_id = same(fp.id.as_ref(), m.id.as_ref())
        || TEST_ATTRIBUTES.iter().chain(["name"].iter()).any(|a| same(fp.attributes.get(*a), m.attributes.get(*a)))
        || fp.attributes.iter().any(|(k, v)| k.starts_with("data-") && same(Some(v), m.attributes.get(k)));
    // A class list is no identity: look-alikes share it (every card's `btn btn-buy`).
    if stable_id {
        Ok(())
    } else {
        Err(format!(
            "text differs (recorded `{recorded_text}`, found `{found_text}`) and no id, test id or class list stayed the same"
        ))
    }
}

/// Could this scanned element pass [`agrees`]? Its own text, id or a test attribute is the
/// recorded one. Cheap, from the scan alone: it picks which look-alikes are worth a round
/// trip to the page.
pub fn plausible(fp: &Fingerprint, node: &super::fingerprint::DomNode) -> bool {
    let same = |a: Option<&String>, b: Option<&String>| a.is_some_and(|a| !a.is_empty() && Some(a) == b);
    (!fp.text.is_empty() && same_text(&fp.text, &node.text))
        || same(fp.id.as_ref(), node.id.as_ref())
        || fp.attributes.iter().any(|(k, v)| (k.starts_with("data-") || k == "name") && same(Some(v), node.attributes.get(k)))
}

/// Case-insensitive, whitespace-normalized; one holding the other's words in a row counts
/// (a label that gained a word is still the same control), a longer word does not
/// ("Item 70" is not "Item 700").
fn same_text(a: &str, b: &str) -> bool {
    let words = |s: &str| s.to_lowercase().split_whitespace().map(String::from).collect::<Vec<_>>();
    let (a, b) = (words(a), words(b));
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    match (short.is_empty(), long.is_empty()) {
        (true, true) => true,
        (true, false) => false,
        _ => long.windows(short.len()).any(|w| w == short.as_slice()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp() -> Fingerprint {
        Fingerprint {
            url: "http://127.0.0.1/".into(),
            tag: "button".into(),
            id: None,
            classes: vec!["btn".into(), "buy".into()],
            text: "Buy".into(),
            attributes: [("data-testid".to_string(), "buy".to_string())].into(),
            role: Some("button".into()),
            name: "Buy".into(),
            path: vec![],
            xpath: "/html[1]/body[1]/button[1]".into(),
        }
    }

    fn one(m: MatchInfo) -> QueryResult {
        QueryResult { count: 1, matches: vec![m], error: None }
    }

    fn buy_button() -> MatchInfo {
        MatchInfo {
            xpath: "/html[1]/body[1]/button[1]".into(),
            tag: "button".into(),
            role: Some("button".into()),
            name: "Buy".into(),
            text: "Buy".into(),
            visible: true,
            ..Default::default()
        }
    }

    #[test]
    fn one_visible_agreeing_element_is_validated() {
        assert_eq!(verdict(&one(buy_button()), Some("/html[1]/body[1]/button[1]"), Some(&fp())), Ok(()));
    }

    #[test]
    fn zero_several_invisible_or_another_element_are_never_validated() {
        let none = QueryResult::default();
        assert_eq!(verdict(&none, None, None).unwrap_err(), "matches no element");
        let two = QueryResult { count: 2, matches: vec![buy_button(), buy_button()], error: None };
        assert!(verdict(&two, None, None).unwrap_err().contains("matches 2 elements"));
        let hidden = one(MatchInfo { visible: false, ..buy_button() });
        assert!(verdict(&hidden, None, None).unwrap_err().contains("not visible"));
        let other = verdict(&one(buy_button()), Some("/html[1]/body[1]/button[2]"), None).unwrap_err();
        assert!(other.contains("instead of the healed element"), "{other}");
        let bad = QueryResult { error: Some("bad css".into()), ..QueryResult::default() };
        assert!(verdict(&bad, None, None).unwrap_err().contains("bad css"));
    }

    #[test]
    fn a_changed_role_or_an_unrelated_text_is_refused() {
        let link = one(MatchInfo { role: Some("link".into()), tag: "a".into(), ..buy_button() });
        assert!(verdict(&link, None, Some(&fp())).unwrap_err().contains("role differs"));
        let cancel = one(MatchInfo { name: "Cancel".into(), text: "Cancel".into(), classes: vec!["btn".into()], ..buy_button() });
        let why = verdict(&cancel, None, Some(&fp())).unwrap_err();
        assert!(why.contains("text differs"), "{why}");
    }

    #[test]
    fn a_text_change_is_accepted_when_an_identifier_stayed() {
        let renamed = MatchInfo { name: "Purchase".into(), text: "Purchase".into(), ..buy_button() };
        let with_classes = MatchInfo { classes: vec!["buy".into(), "btn".into()], ..renamed.clone() };
        assert!(verdict(&one(with_classes), None, Some(&fp())).is_err(), "look-alikes share classes: no identity");
        let with_id = MatchInfo { id: Some("buy".into()), ..renamed.clone() };
        let fp_id = Fingerprint { id: Some("buy".into()), ..fp() };
        assert_eq!(verdict(&one(with_id), None, Some(&fp_id)), Ok(()));
        let with_test_id = MatchInfo { attributes: [("data-testid".to_string(), "buy".to_string())].into(), ..renamed };
        assert_eq!(verdict(&one(with_test_id), None, Some(&fp())), Ok(()));
        let grown = MatchInfo { name: "Buy now".into(), ..buy_button() };
        assert_eq!(verdict(&one(grown), None, Some(&fp())), Ok(()), "containment counts");
        let numbered = Fingerprint { name: "Buy item 700".into(), ..fp() };
        let neighbour = MatchInfo { name: "Buy item 70".into(), ..buy_button() };
        assert!(verdict(&one(neighbour), None, Some(&numbered)).is_err(), "whole words only");
    }
}
