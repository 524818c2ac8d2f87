//! Assertions (`assertions.scm`) and the locator each one targets.

use std::collections::HashMap;

use super::extract::{Ctx, Resolver};
use super::queries::Fact;
use super::strings::{self, span};
use super::{Assertion, Span};

pub(crate) fn extract(ctx: &Ctx, facts: &[Fact], r: &mut Resolver) -> Vec<Assertion> {
    // innermost first: a Cypress `.and()` resolves through the `.should()` it is chained on
    let mut facts: Vec<&Fact> = facts.iter().filter(|f| f.node("assertion").is_some()).collect();
    facts.sort_by_key(|f| f.node("assertion").map(|n| n.end_byte() - n.start_byte()).unwrap_or(0));
    let mut out: Vec<Assertion> = Vec::new();
    let mut seen: HashMap<Span, usize> = HashMap::new();
    for f in facts {
        let Some(node) = f.node("assertion") else { continue };
        let Some(framework) = ctx.framework(f) else { continue };
        let s = span(node);
        let mut negated = f.prop("negated") == Some("true");
        let mut matcher = match (f.prop("matcher"), f.node("matcher")) {
            (Some(m), _) => m.to_string(),
            (None, Some(n)) if f.prop("matcher_from") == Some("string") => ctx.lit(n).value,
            (None, Some(n)) => ctx.text_of(n).split_whitespace().collect::<Vec<_>>().join(" "),
            (None, None) => String::new(),
        };
        if f.prop("matcher_from") == Some("string")
            && let Some(rest) = matcher.strip_prefix("not.")
        {
            matcher = rest.to_string();
            negated = true;
        }
        let (expected, expected_span) = match f.node("expected") {
            Some(e) if strings::is_string(e) || strings::is_number(e) || matches!(e.kind(), "concatenated_string" | "binary_expression" | "binary_operator") => {
                let l = ctx.lit(e);
                (Some(l.value), Some(l.span))
            }
            Some(e) if e.kind() == "unary_expression" && e.named_child(0).map(strings::is_number).unwrap_or(false) => {
                (Some(ctx.text_of(e).to_string()), Some(span(e)))
            }
            Some(e) if !matches!(e.kind(), "keyword_argument" | "comment" | "object" | "dictionary") => (Some(ctx.text_of(e).to_string()), None),
            _ => (None, None),
        };
        let locator = f.node("subject").and_then(|n| r.resolve(n, ctx.text));
        let a = Assertion { framework, matcher, negated, expected, expected_span, span: s, locator, test: None };
        if let Some(&i) = seen.get(&s) {
            // several patterns for one call: prefer the one that found an expected value
            if out[i].expected.is_none() && a.expected.is_some() {
                out[i] = a;
            }
            continue;
        }
        if let Some(l) = locator {
            r.by_assertion.insert(s, l);
        }
        seen.insert(s, out.len());
        out.push(a);
    }
    out.sort_by_key(|a| (a.span.start, a.span.end));
    out
}
