//! The fragility score of a locator, on Playwright's selector-generator scale: the lower,
//! the more a selector says what the user sees and the less it breaks when markup moves.
//!
//! | what | score |
//! |---|---|
//! | test id (configured attribute) | 1 |
//! | another test-id attribute (`data-test`, `data-cy`, …) | 2 |
//! | role + accessible name | 100 |
//! | placeholder | 120 |
//! | label | 140 |
//! | alt text | 160 |
//! | text | 180 |
//! | title | 200 |
//! | `#id` | 500 |
//! | role without name | 510 |
//! | `[name=…]`, `input[type=…]` | 520 |
//! | tag name | 530 |
//! | positional (`nth`, `:nth-child`, XPath index) | + 10 000 |
//! | any other CSS or XPath | 10 000 000 |
//!
//! A chained locator adds its parent's score, as Playwright scores chained selectors. A GUID-like
//! id counts as plain CSS, and a dynamic value adds nothing: it is scored on what is written.

use crate::syntax::{FileModel, Locator, Modifier, Strategy};

use super::selector;

pub const TEST_ID: u64 = 1;
pub const OTHER_TEST_ID: u64 = 2;
pub const ROLE_WITH_NAME: u64 = 100;
pub const PLACEHOLDER: u64 = 120;
pub const LABEL: u64 = 140;
pub const ALT_TEXT: u64 = 160;
pub const TEXT: u64 = 180;
pub const TITLE: u64 = 200;
pub const CSS_ID: u64 = 500;
pub const ROLE_WITHOUT_NAME: u64 = 510;
pub const CSS_NAME_OR_TYPE: u64 = 520;
pub const CSS_TAG: u64 = 530;
pub const NTH: u64 = 10_000;
pub const CSS_FALLBACK: u64 = 10_000_000;

const OTHER_TEST_ID_ATTRIBUTES: [&str; 5] = ["data-testid", "data-test-id", "data-test", "data-cy", "data-qa"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    pub value: u64,
    /// Why, one clause per contribution (shown on hover).
    pub reasons: Vec<String>,
}

/// Score locator `index` of `model`, including its parent chain.
pub fn score(model: &FileModel, index: usize, test_id_attribute: &str) -> Score {
    let mut value = 0u64;
    let mut reasons = Vec::new();
    let mut current = Some(index);
    let mut guard = 0;
    while let Some(i) = current {
        let Some(locator) = model.locators.get(i) else { break };
        let (own, why) = own_score(locator, test_id_attribute);
        value = value.saturating_add(own);
        if i == index {
            reasons.push(why);
        } else {
            reasons.push(format!("parent `{}`: {why}", locator.value));
        }
        current = locator.parent;
        guard += 1;
        if guard > 64 {
            break;
        }
    }
    Score { value, reasons }
}

fn own_score(locator: &Locator, test_id_attribute: &str) -> (u64, String) {
    let (mut value, mut why) = base(locator, test_id_attribute);
    let positional = locator.modifiers.iter().any(|m| matches!(m, Modifier::Nth { .. }))
        || match locator.strategy {
            Strategy::Css | Strategy::Other => selector::positional_marker(&locator.value).is_some(),
            Strategy::XPath => selector::xpath_has_index(&locator.value),
            _ => false,
        };
    if positional && value < CSS_FALLBACK {
        value += NTH;
        why.push_str("; positional (+10 000): breaks when siblings are added or reordered");
    }
    (value, why)
}

fn base(locator: &Locator, test_id_attribute: &str) -> (u64, String) {
    let v = locator.value.trim();
    match locator.strategy {
        Strategy::TestId => (TEST_ID, "test id (1): the most stable contract with the app".into()),
        Strategy::Role if locator.name.is_some() => {
            (ROLE_WITH_NAME, "role + accessible name (100): what users and assistive tech see".into())
        }
        Strategy::Role => (ROLE_WITHOUT_NAME, "role without a name (510): usually matches many elements".into()),
        Strategy::Placeholder => (PLACEHOLDER, "placeholder (120)".into()),
        Strategy::Label => (LABEL, "label (140)".into()),
        Strategy::AltText => (ALT_TEXT, "alt text (160)".into()),
        Strategy::Text | Strategy::LinkText | Strategy::PartialLinkText => {
            (TEXT, "text (180): breaks when the copy changes".into())
        }
        Strategy::Title => (TITLE, "title (200)".into()),
        Strategy::Id if selector::is_guid_like(v) => {
            (CSS_FALLBACK, "generated-looking id (10 000 000): likely to change between builds".into())
        }
        Strategy::Id => (CSS_ID, "#id (500): stable while the id is hand-written".into()),
        Strategy::Name => (CSS_NAME_OR_TYPE, "name attribute (520)".into()),
        Strategy::TagName => (CSS_TAG, "tag name (530): matches any element of that kind".into()),
        Strategy::ClassName => (CSS_FALLBACK, "class name (10 000 000): styling, not a contract".into()),
        Strategy::XPath => (CSS_FALLBACK, "XPath (10 000 000): tied to the document structure".into()),
        Strategy::Css | Strategy::Other => css(v, test_id_attribute),
    }
}

fn css(v: &str, test_id_attribute: &str) -> (u64, String) {
    let attr_of = |name: &str| {
        v.strip_prefix('[')
            .and_then(|rest| rest.strip_prefix(name))
            .is_some_and(|rest| rest.starts_with('=') || rest.starts_with(']'))
            && v.ends_with(']')
            && !v[1..].contains('[')
    };
    if attr_of(test_id_attribute) || v.starts_with(&format!("{test_id_attribute}=")) {
        return (TEST_ID, "test id (1): the most stable contract with the app".into());
    }
    if OTHER_TEST_ID_ATTRIBUTES.iter().any(|a| attr_of(a) || v.starts_with(&format!("{a}="))) {
        return (OTHER_TEST_ID, "test-id attribute (2)".into());
    }
    if let Some(id) = v.strip_prefix('#').filter(|id| !id.is_empty() && id.bytes().all(is_ident)) {
        return if selector::is_guid_like(id) {
            (CSS_FALLBACK, "generated-looking id (10 000 000): likely to change between builds".into())
        } else {
            (CSS_ID, "#id (500): stable while the id is hand-written".into())
        };
    }
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return (CSS_TAG, "tag name (530): matches any element of that kind".into());
    }
    if is_name_or_type(v) {
        return (CSS_NAME_OR_TYPE, "name / input type (520)".into());
    }
    (CSS_FALLBACK, "CSS structure or classes (10 000 000): styling, not a contract".into())
}

/// `[name=email]`, `input[name="email"]`, `input[type=submit]`: Playwright's 520 tier.
fn is_name_or_type(v: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r#"^[a-zA-Z]*\[(?:name|type)=(?:"[^"\]]+"|'[^'\]]+'|[^\]"']+)\]$"#).expect("valid regex")
    })
    .is_match(v)
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{Framework, Language, Span};

    fn loc(strategy: Strategy, value: &str) -> Locator {
        Locator {
            framework: Framework::Playwright,
            strategy,
            value: value.into(),
            value_span: Span::default(),
            call_span: Span::default(),
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

    fn score_of(locators: Vec<Locator>) -> u64 {
        let mut model = FileModel::empty(Language::TypeScript);
        model.locators = locators;
        score(&model, model.locators.len() - 1, "data-testid").value
    }

    #[test]
    fn follows_playwrights_scale() {
        let mut role = loc(Strategy::Role, "button");
        assert_eq!(score_of(vec![role.clone()]), ROLE_WITHOUT_NAME);
        role.name = Some("Save".into());
        for (l, expected) in [
            (loc(Strategy::TestId, "buy"), 1),
            (loc(Strategy::Css, "[data-testid=buy]"), 1),
            (loc(Strategy::Css, "[data-cy=\"buy\"]"), 2),
            (role, 100),
            (loc(Strategy::Placeholder, "Email"), 120),
            (loc(Strategy::Label, "Email"), 140),
            (loc(Strategy::AltText, "Logo"), 160),
            (loc(Strategy::Text, "Buy now"), 180),
            (loc(Strategy::Title, "Close"), 200),
            (loc(Strategy::Css, "#checkout"), 500),
            (loc(Strategy::Id, "checkout"), 500),
            (loc(Strategy::Css, "#a1b2c3d4e5"), CSS_FALLBACK),
            (loc(Strategy::Css, "input[name=email]"), 520),
            (loc(Strategy::Css, "button"), 530),
            (loc(Strategy::Css, "ul > li:nth-child(2)"), CSS_FALLBACK),
            (loc(Strategy::Css, "button.buy"), CSS_FALLBACK),
            (loc(Strategy::XPath, "//button"), CSS_FALLBACK),
        ] {
            assert_eq!(score_of(vec![l.clone()]), expected, "{:?} {}", l.strategy, l.value);
        }
    }

    #[test]
    fn nth_and_parents_add_up() {
        let mut nth = loc(Strategy::TestId, "row");
        nth.modifiers.push(Modifier::Nth { index: Some(2) });
        assert_eq!(score_of(vec![nth]), 1 + NTH);
        let parent = loc(Strategy::Css, "#cart");
        let mut child = loc(Strategy::Role, "button");
        child.name = Some("Buy".into());
        child.parent = Some(0);
        let mut model = FileModel::empty(Language::TypeScript);
        model.locators = vec![parent, child];
        let s = score(&model, 1, "data-testid");
        assert_eq!(s.value, 600);
        assert_eq!(s.reasons.len(), 2);
        assert!(s.reasons[1].starts_with("parent `#cart`"));
    }
}
