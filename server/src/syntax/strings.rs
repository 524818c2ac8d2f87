//! String literal contents and dynamic placeholders, for both grammars.
//!
//! A "literal" is the value as written (without quotes), the span of its contents (between the
//! quotes), and the placeholders that make it dynamic (`${id}`, `{user_id}`, or a concatenated
//! expression). Everything is iterative: concatenations can be arbitrarily long.

use tree_sitter::Node;

use super::Span;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lit {
    pub value: String,
    pub span: Span,
    pub dynamic: Vec<String>,
}

pub(crate) fn span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

pub(crate) fn text_of<'a>(node: Node, text: &'a str) -> &'a str {
    text.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

pub(crate) fn slice(text: &str, s: Span) -> &str {
    text.get(s.start..s.end).unwrap_or("")
}

/// Is `node` a string-like literal (quoted string, template string, f-string)?
pub(crate) fn is_string(node: Node) -> bool {
    matches!(node.kind(), "string" | "template_string")
}

pub(crate) fn is_number(node: Node) -> bool {
    matches!(node.kind(), "number" | "integer" | "float")
}

/// Contents span of one quoted string node, plus its interpolations.
fn string_contents(node: Node, text: &str) -> (Span, Vec<String>) {
    let whole = span(node);
    let mut start = whole.start;
    let mut end = whole.end;
    let mut dynamic = Vec::new();
    let count = node.child_count() as usize;
    let mut cursor = node.walk();
    for (i, child) in node.children(&mut cursor).enumerate() {
        match child.kind() {
            // Python delimiters (with prefixes like f/r/b in string_start)
            "string_start" => start = child.end_byte(),
            "string_end" if !child.is_missing() => end = child.start_byte(),
            // TS quotes and backticks
            "\"" | "'" | "`" => {
                if i == 0 {
                    start = child.end_byte();
                } else if i + 1 == count && !child.is_missing() {
                    end = child.start_byte();
                }
            }
            "template_substitution" | "interpolation" => dynamic.push(text_of(child, text).to_string()),
            _ => {}
        }
    }
    if end < start {
        end = start;
    }
    (Span::new(start, end), dynamic)
}

/// Placeholder form of a non-literal expression inside a concatenation.
fn placeholder(node: Node, text: &str, py: bool) -> String {
    let t = text_of(node, text);
    if py { format!("{{{t}}}") } else { format!("${{{t}}}") }
}

/// The literal of a string-like expression: a string, template string, f-string, implicit or `+`
/// concatenation, or a number. Anything else becomes a single placeholder (dynamic).
pub(crate) fn literal(node: Node, text: &str, py: bool) -> Lit {
    match node.kind() {
        "string" | "template_string" => {
            let (s, dynamic) = string_contents(node, text);
            Lit { value: slice(text, s).to_string(), span: s, dynamic }
        }
        "number" | "integer" | "float" => Lit { value: text_of(node, text).to_string(), span: span(node), dynamic: vec![] },
        "binary_expression" | "binary_operator" | "concatenated_string" | "parenthesized_expression" => concat(node, text, py),
        _ => {
            let p = placeholder(node, text, py);
            Lit { value: p.clone(), span: span(node), dynamic: vec![p] }
        }
    }
}

/// Flatten `'a' + b + 'c'` (and Python's implicit `"a" "b"`) without recursion.
fn concat(node: Node, text: &str, py: bool) -> Lit {
    let mut leaves: Vec<Node> = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        let is_plus = matches!(n.kind(), "binary_expression" | "binary_operator")
            && n.child_by_field_name("operator").map(|o| o.kind() == "+").unwrap_or(false);
        if is_plus {
            if let Some(r) = n.child_by_field_name("right") {
                stack.push(r);
            }
            if let Some(l) = n.child_by_field_name("left") {
                stack.push(l);
            }
        } else if n.kind() == "concatenated_string" || n.kind() == "parenthesized_expression" {
            let mut c = n.walk();
            let kids: Vec<Node> = n.named_children(&mut c).collect();
            for k in kids.into_iter().rev() {
                stack.push(k);
            }
        } else {
            leaves.push(n);
        }
    }
    let mut value = String::new();
    let mut dynamic = Vec::new();
    let mut start = None;
    let mut end = node.end_byte();
    for leaf in &leaves {
        if is_string(*leaf) {
            let (s, d) = string_contents(*leaf, text);
            value.push_str(slice(text, s));
            dynamic.extend(d);
            start.get_or_insert(s.start);
            end = s.end;
        } else if leaf.kind() == "comment" {
            continue;
        } else {
            let p = placeholder(*leaf, text, py);
            value.push_str(&p);
            dynamic.push(p);
            start.get_or_insert(leaf.start_byte());
            end = leaf.end_byte();
        }
    }
    let start = start.unwrap_or(node.start_byte());
    Lit { value, span: Span::new(start, end.max(start)), dynamic }
}

/// A numeric literal's value (`5_000`, `2.5`, `1e3`).
pub(crate) fn number(node: Node, text: &str) -> Option<f64> {
    if !is_number(node) {
        return None;
    }
    let t: String = text_of(node, text).chars().filter(|c| *c != '_').collect();
    let v: f64 = t.parse().ok()?;
    v.is_finite().then_some(v)
}

/// Property key text without quotes (`name`, `'name'`).
pub(crate) fn key_text(node: Node, text: &str) -> String {
    if is_string(node) {
        string_contents_text(node, text)
    } else {
        text_of(node, text).to_string()
    }
}

fn string_contents_text(node: Node, text: &str) -> String {
    slice(text, string_contents(node, text).0).to_string()
}
