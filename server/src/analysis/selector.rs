//! Lexical facts about selector strings: enough for fragility lints and scores, without a
//! full CSS parser (selectors in tests are short, and may be Playwright or XPath syntax).

/// Number of combinators (descendant space, `>`, `+`, `~`) at the top level of a CSS
/// selector, outside brackets, parentheses and quotes. Selector lists (`a, b`) count the
/// deepest alternative.
pub fn css_combinators(css: &str) -> usize {
    let mut worst = 0;
    let mut count = 0;
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut pending_space = false;
    let mut seen_compound = false;
    for ch in css.chars() {
        if let Some(q) = quote {
            if ch == q {
                quote = None;
            }
            continue;
        }
        match ch {
            '"' | '\'' => quote = Some(ch),
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            _ => {}
        }
        if depth > 0 || quote.is_some() || matches!(ch, '[' | '(' | '"' | '\'') {
            if pending_space && seen_compound {
                count += 1;
            }
            pending_space = false;
            seen_compound = true;
            continue;
        }
        match ch {
            ',' => {
                worst = worst.max(count);
                count = 0;
                pending_space = false;
                seen_compound = false;
            }
            '>' | '+' | '~' => {
                count += 1;
                pending_space = false;
                seen_compound = false;
            }
            c if c.is_whitespace() => pending_space = seen_compound,
            _ => {
                if pending_space {
                    count += 1;
                }
                pending_space = false;
                seen_compound = true;
            }
        }
    }
    worst.max(count)
}

/// Class names used in a CSS selector (`.a.b > .c` → a, b, c), outside brackets and parentheses.
pub fn css_classes(css: &str) -> Vec<&str> {
    names_after(css, b'.')
}

/// Ids used in a CSS selector (`#a`, `[id="a"]`).
pub fn css_ids(css: &str) -> Vec<&str> {
    let mut out = names_after(css, b'#');
    for prefix in ["[id=\"", "[id='", "[id="] {
        let mut rest = css;
        while let Some(pos) = rest.find(prefix) {
            let after = &rest[pos + prefix.len()..];
            let end = after.find(['"', '\'', ']']).unwrap_or(after.len());
            if end > 0 {
                out.push(&after[..end]);
            }
            rest = &after[end..];
        }
    }
    out
}

/// Identifiers that follow `marker` (`.` for classes, `#` for ids) outside `[…]` and `(…)`:
/// `[data-x='.e']` holds no class and `[href='#top']` no id.
fn names_after(css: &str, marker: u8) -> Vec<&str> {
    let bytes = css.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'(' => depth += 1,
            b']' | b')' => depth -= 1,
            b if b == marker && depth == 0 => {
                let start = i + 1;
                let end = start + bytes[start..].iter().take_while(|b| is_ident_byte(**b)).count();
                if end > start {
                    out.push(&css[start..end]);
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b >= 0x80
}

/// Playwright's `isGuidLike`: an id whose character class (lower, upper, digit, other)
/// changes at least length/4 times was probably generated.
pub fn is_guid_like(id: &str) -> bool {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Lower,
        Upper,
        Digit,
        Other,
    }
    let class = |c: char| {
        if c.is_ascii_lowercase() {
            Class::Lower
        } else if c.is_ascii_uppercase() {
            Class::Upper
        } else if c.is_ascii_digit() {
            Class::Digit
        } else {
            Class::Other
        }
    };
    let mut last: Option<Class> = None;
    let mut transitions = 0usize;
    let mut len = 0usize;
    for c in id.chars() {
        len += 1;
        let k = class(c);
        if last.is_some_and(|l| l != k) {
            transitions += 1;
        }
        last = Some(k);
    }
    len > 0 && transitions * 4 >= len
}

/// A class name that a CSS-in-JS library or CSS modules generated: `css-1x2y3z`, `sc-bdVaJa`,
/// `jss123`, `Button_primary__3xY7z`, or a hash-like token.
pub fn is_generated_class(class: &str) -> bool {
    static PATTERNS: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = PATTERNS.get_or_init(|| {
        regex::Regex::new(
            r"(?x)^(?:
                (?:css|sc|jss|emotion|styled|makeStyles|Mui[A-Za-z]+)-[A-Za-z0-9_-]*[0-9][A-Za-z0-9_-]*
              | sc-[A-Za-z]{5,}
              | jss[0-9]+
              | [A-Za-z][A-Za-z0-9]*_[A-Za-z0-9]+__[A-Za-z0-9_-]{5,}
              | _?[a-z0-9]{5,8}
            )$",
        )
        .expect("valid regex")
    });
    if !re.is_match(class) {
        return false;
    }
    // The bare hash form needs both letters and digits to avoid flagging words like `button`.
    if class.trim_start_matches('_').chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && !(class.contains(|c: char| c.is_ascii_digit()) && class.contains(|c: char| c.is_ascii_lowercase()))
    {
        return false;
    }
    true
}

/// CSS positional pseudo-classes and Playwright's `nth=`.
pub fn positional_marker(selector: &str) -> Option<&'static str> {
    [":nth-child(", ":nth-of-type(", ":nth-last-child(", ":nth-last-of-type(", ":first-child", ":last-child", ":first-of-type", ":last-of-type", ":nth-match(", "nth="]
        .into_iter()
        .find(|m| selector.contains(m))
}

/// An XPath index step such as `div[2]` or `(//a)[1]`.
pub fn xpath_has_index(xpath: &str) -> bool {
    let bytes = xpath.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'[' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            if j > i + 1 && j < bytes.len() && bytes[j] == b']' {
                return true;
            }
            // `[last()]` and `[position()=…]` are positional too.
            if xpath[i + 1..].starts_with("last()") || xpath[i + 1..].starts_with("position()") {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// An XPath anchored at the document root (`/html/body/…`), not at a searched node (`//…`).
pub fn is_absolute_xpath(xpath: &str) -> bool {
    let x = xpath.strip_prefix("xpath=").unwrap_or(xpath).trim_start_matches('(');
    x.starts_with('/') && !x.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinators() {
        for (css, n) in [
            ("button", 0),
            ("form button", 1),
            ("#a > .b + .c ~ d", 3),
            ("div  div\tdiv div div", 4),
            ("a[title='x y z'] b", 1),
            ("a:not(.b .c) d", 1),
            ("a b, c d e f g", 4),
            ("  a  ", 0),
        ] {
            assert_eq!(css_combinators(css), n, "{css}");
        }
    }

    #[test]
    fn classes_and_ids() {
        assert_eq!(css_classes("div.a.b-c > span.d[data-x='.e']"), vec!["a", "b-c", "d"]);
        assert_eq!(css_ids("#main .x [id=\"k9\"]"), vec!["main", "k9"]);
        assert_eq!(css_ids("a[href='#top']"), Vec::<&str>::new());
    }

    #[test]
    fn guid_like_follows_playwright() {
        assert!(is_guid_like("a1b2c3d4"));
        assert!(is_guid_like("3f2504e0-4f89-11d3-9a0c-0305e82c3301"));
        assert!(!is_guid_like("ember1234x"), "two transitions in ten characters");
        assert!(!is_guid_like("checkout-button"));
        assert!(!is_guid_like("submitOrder"));
        assert!(!is_guid_like(""));
    }

    #[test]
    fn generated_classes() {
        for c in ["css-1x2y3z", "sc-bdVaJa", "jss42", "Button_primary__3xY7z", "x7f3k2a", "css-k008qs"] {
            assert!(is_generated_class(c), "{c}");
        }
        for c in ["button", "add-to-cart", "primary", "btn-lg", "cart"] {
            assert!(!is_generated_class(c), "{c}");
        }
    }

    #[test]
    fn positional_and_xpath() {
        assert_eq!(positional_marker("ul > li:nth-child(2)"), Some(":nth-child("));
        assert_eq!(positional_marker("button >> nth=1"), Some("nth="));
        assert_eq!(positional_marker("button.buy"), None);
        assert!(xpath_has_index("//ul/li[2]/a"));
        assert!(xpath_has_index("(//a)[last()]"));
        assert!(!xpath_has_index("//a[@id='x']"));
        assert!(is_absolute_xpath("/html/body/div"));
        assert!(is_absolute_xpath("xpath=/html/body"));
        assert!(!is_absolute_xpath("//div"));
    }
}
