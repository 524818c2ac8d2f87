//! Patterns rewritten so that tree-sitter compiles them cheaply, matching as written.
//!
//! Compiling a query analyses every named parent node of every pattern against the grammar's
//! whole parse table: 25–30 M instructions for one `call_expression` or `member_expression` in
//! TypeScript, 80 % of a one-shot `argus-lsp tests`. A wildcard parent is not analysed. So a
//! node whose kind decides nothing but itself — the pattern's root (a pattern only ever runs
//! rooted at a node of its root kind) or a node under a field (a field holds one node, so a
//! wrong kind there cannot hide a right one) — is written `(_ …)` with a capture
//! `@__kind.<kind>`, and a match where such a capture names a node of another kind is dropped
//! (`kinds_hold`). Nodes inside alternatives, groups or quantified items stay as written:
//! there a wrong kind must make tree-sitter try the next option, not drop the match.
//!
//! The root is lowered only when its first child is: tree-sitter starts a pattern whose root is
//! a wildcard at its first child unless that child is a wildcard too, which would break running
//! it rooted at a node. `scan_tests.rs` checks that lowered patterns match exactly as written.

use tree_sitter::QueryCapture;

use super::plan::{Tok, tokens};

/// The prefix of the captures that carry a lowered node's kind.
pub(crate) const KIND_CAPTURE: &str = "__kind.";

/// `pattern` (one top-level pattern, as `plan::split` cuts it) with every node it can lower
/// written as a wildcard; `None` when it lowers nothing. `plain_kind`: whether a node kind is a
/// concrete visible kind of the grammar (a supertype must stay: its nodes have other kinds).
pub(crate) fn lower(pattern: &str, plain_kind: impl Fn(&str) -> bool) -> Option<String> {
    let toks: Vec<(usize, Tok)> = tokens(pattern).collect();
    let mut i = 0;
    let top = items(&toks, &mut i, false);
    // the root: a node alone at the top, or alone in a group with its predicates
    let [root] = top.as_slice() else { return None };
    let root = match (&root.what, root.children.as_slice()) {
        (What::Group, [node]) if !root.quantified => node,
        _ => root,
    };
    if root.quantified || !matches!(root.what, What::Node { .. }) {
        return None;
    }
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    if root.children.first().is_some_and(|c| lowerable(c, &plain_kind)) && plain(&root.what, &plain_kind) {
        lower_node(root, &mut edits);
    }
    for child in &root.children {
        visit(child, &plain_kind, &mut edits);
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut out = pattern.to_string();
    for (start, end, with) in edits {
        out.replace_range(start..end, &with);
    }
    Some(out)
}

/// Whether every lowered node of a match has the kind it was written with.
pub(crate) fn kinds_hold(names: &[&str], captures: &[QueryCapture]) -> bool {
    captures.iter().all(|c| {
        names.get(c.index as usize).and_then(|n| n.strip_prefix(KIND_CAPTURE)).is_none_or(|kind| c.node.kind() == kind)
    })
}

/// Whether a capture is one `lower` added.
pub(crate) fn is_kind_capture(name: &str) -> bool {
    name.starts_with(KIND_CAPTURE)
}

enum What {
    /// `(kind …)`: where the kind word starts, and the kind.
    Node { at: usize, kind: String },
    /// `(_ …)` or `_`
    Wildcard,
    /// `((…) (…))`: a sequence of siblings (or a pattern with its predicates)
    Group,
    /// `[…]`
    Alternatives,
    /// `"text"`: an anonymous node
    Leaf,
}

struct Item {
    what: What,
    /// Written under a field (`function: (…)`).
    field: bool,
    /// Followed by `?`, `*` or `+`.
    quantified: bool,
    children: Vec<Item>,
    /// Where the item ends (after its `)` or `]`).
    end: usize,
}

/// The items up to the closing bracket (`inside`) or the end; predicates, captures, anchors
/// and negated fields are skipped (they do not change what may be lowered).
fn items(toks: &[(usize, Tok)], i: &mut usize, inside: bool) -> Vec<Item> {
    let mut out = Vec::new();
    let mut field = false;
    while let Some((_, tok)) = toks.get(*i) {
        let what = match tok {
            Tok::Close if inside => return out,
            Tok::Close => {
                *i += 1;
                continue;
            }
            Tok::Open => match toks.get(*i + 1).map(|t| &t.1) {
                Some(Tok::Word(w)) if w.starts_with('#') => {
                    while toks.get(*i).is_some_and(|t| t.1 != Tok::Close) {
                        *i += 1;
                    }
                    *i += 1;
                    field = false;
                    continue;
                }
                Some(Tok::Word(w)) if w == "_" => {
                    *i += 1;
                    What::Wildcard
                }
                Some(Tok::Word(w)) if w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                    *i += 1;
                    What::Node { at: toks[*i].0, kind: w.clone() }
                }
                _ => What::Group,
            },
            Tok::Bracket => What::Alternatives,
            Tok::Str(_) => What::Leaf,
            Tok::Word(w) if w.ends_with(':') => {
                field = true;
                *i += 1;
                continue;
            }
            Tok::Word(w) if w == "_" => What::Wildcard,
            Tok::Word(_) => {
                *i += 1;
                continue;
            }
        };
        *i += 1;
        let (children, end) = match (&what, tok) {
            (_, Tok::Open | Tok::Bracket) => {
                let children = items(toks, i, true);
                let end = toks.get(*i).map_or(usize::MAX, |t| t.0 + 1);
                *i += 1;
                (children, end)
            }
            _ => (Vec::new(), usize::MAX),
        };
        let quantified = matches!(toks.get(*i).map(|t| &t.1), Some(Tok::Word(w)) if w.starts_with(['?', '*', '+']));
        out.push(Item { what, field, quantified, children, end });
        field = false;
    }
    out
}

fn plain(what: &What, plain_kind: &impl Fn(&str) -> bool) -> bool {
    matches!(what, What::Node { kind, .. } if plain_kind(kind))
}

fn lowerable(item: &Item, plain_kind: &impl Fn(&str) -> bool) -> bool {
    item.field && !item.quantified && item.end != usize::MAX && plain(&item.what, plain_kind)
}

/// Lower the nodes under fields below `item`, descending only through nodes.
fn visit(item: &Item, plain_kind: &impl Fn(&str) -> bool, edits: &mut Vec<(usize, usize, String)>) {
    if item.quantified || !matches!(item.what, What::Node { .. } | What::Wildcard) {
        return;
    }
    if lowerable(item, plain_kind) {
        lower_node(item, edits);
    }
    for child in &item.children {
        visit(child, plain_kind, edits);
    }
}

fn lower_node(item: &Item, edits: &mut Vec<(usize, usize, String)>) {
    if let What::Node { at, kind } = &item.what {
        edits.push((*at, at + kind.len(), "_".to_string()));
        edits.push((item.end, item.end, format!(" @{KIND_CAPTURE}{kind}")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn low(p: &str) -> Option<String> {
        lower(p, |k| k != "expression")
    }

    #[test]
    fn root_and_field_nodes_become_wildcards() {
        assert_eq!(
            low(r#"((call_expression function: (identifier) @_fn arguments: (arguments . (string) @name)) @test (#eq? @_fn "test"))"#)
                .as_deref(),
            Some(
                r#"((_ function: (_) @__kind.identifier @_fn arguments: (_ . (string) @name) @__kind.arguments) @__kind.call_expression @test (#eq? @_fn "test"))"#
            )
        );
    }

    #[test]
    fn the_root_stays_unless_its_first_child_is_lowered() {
        // the first child has no field: tree-sitter would start the pattern there
        assert_eq!(
            low("(arguments (string) @s value: (identifier))").as_deref(),
            Some("(arguments (string) @s value: (_) @__kind.identifier)")
        );
        assert_eq!(low("(arguments . (string) @s)"), None);
        assert_eq!(low("(call_expression) @c"), None);
    }

    #[test]
    fn alternatives_groups_quantifiers_and_supertypes_stay() {
        assert_eq!(low("(call_expression function: [(identifier) (member_expression object: (identifier))] @f)"), None);
        assert_eq!(low("(call_expression function: (identifier)? @f)"), None);
        assert_eq!(low("(object (pair key: (property_identifier))* @p)"), None);
        assert_eq!(low("(call_expression function: (expression) @f)"), None);
        // two siblings at the top: no single root
        assert_eq!(low("((identifier) @a . (string) @b)"), None);
        // inside a quantified node, nothing is lowered
        assert_eq!(
            low("(call_expression function: (member_expression object: (identifier))?)"),
            None
        );
    }
}
