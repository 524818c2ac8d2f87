//! Locators, their options and modifiers, parent chains and page-object bindings.

use std::collections::HashMap;

use super::extract::{Ctx, Resolver, scope_of};
use super::queries::Fact;
use super::strings::{self, span};
use super::{Locator, Modifier, Span, Strategy};

pub(crate) fn strategy_by_name(name: &str) -> Option<Strategy> {
    Some(match name {
        "css" => Strategy::Css,
        "xpath" => Strategy::XPath,
        "test_id" => Strategy::TestId,
        "role" => Strategy::Role,
        "text" => Strategy::Text,
        "label" => Strategy::Label,
        "placeholder" => Strategy::Placeholder,
        "alt_text" => Strategy::AltText,
        "title" => Strategy::Title,
        "id" => Strategy::Id,
        "name" => Strategy::Name,
        "class_name" => Strategy::ClassName,
        "tag_name" => Strategy::TagName,
        "link_text" => Strategy::LinkText,
        "partial_link_text" => Strategy::PartialLinkText,
        "other" => Strategy::Other,
        _ => return None,
    })
}

/// Strategy of a Playwright selector string from its engine prefix.
pub fn playwright_strategy(selector: &str) -> Strategy {
    let s = selector.trim_start();
    if s.starts_with("//") || s.starts_with("..") || s.starts_with("(//") {
        return Strategy::XPath;
    }
    if s.starts_with('"') || s.starts_with('\'') {
        return Strategy::Text;
    }
    // engine=body
    let engine_len = s
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':'))
        .count();
    if engine_len > 0 && s.as_bytes().get(engine_len) == Some(&b'=') {
        let engine = &s[..engine_len];
        return match engine {
            "xpath" => Strategy::XPath,
            "text" | "internal:text" => Strategy::Text,
            "css" => Strategy::Css,
            "id" => Strategy::Id,
            "data-testid" | "data-test-id" | "data-test" | "internal:testid" => Strategy::TestId,
            "role" | "internal:role" => Strategy::Role,
            "internal:label" => Strategy::Label,
            "internal:attr" => Strategy::Other,
            _ => Strategy::Other,
        };
    }
    Strategy::Css
}

/// Strategy of a Selenium `By` name in any spelling: `By.CSS_SELECTOR`, `By.css`, `"css selector"`,
/// `find_element_by_link_text`.
pub fn selenium_strategy(by: &str) -> Strategy {
    let by = by.trim_matches(|c| c == '"' || c == '\'');
    let by = by
        .strip_prefix("find_elements_by_")
        .or_else(|| by.strip_prefix("find_element_by_"))
        .unwrap_or(by);
    let norm: String = by.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    match norm.as_str() {
        "id" => Strategy::Id,
        "name" => Strategy::Name,
        "css" | "cssselector" => Strategy::Css,
        "xpath" => Strategy::XPath,
        "classname" => Strategy::ClassName,
        "tagname" => Strategy::TagName,
        "linktext" => Strategy::LinkText,
        "partiallinktext" => Strategy::PartialLinkText,
        _ => Strategy::Other,
    }
}

/// Strategy of a WebdriverIO selector from its prefix.
pub fn wdio_strategy(selector: &str) -> Strategy {
    let s = selector.trim_start();
    let tag_len = s.bytes().take_while(|b| b.is_ascii_alphanumeric()).count();
    let rest = &s[tag_len..];
    if s.starts_with("*=") {
        Strategy::PartialLinkText
    } else if s.starts_with('=') {
        Strategy::LinkText
    } else if tag_len > 0 && (rest.starts_with("*=") || rest.starts_with('=')) {
        // `h1=Welcome`, `button*=Save`: element by its text
        Strategy::Text
    } else if s.starts_with("//") || s.starts_with("(//") || s.starts_with("..") || s.starts_with("./") {
        Strategy::XPath
    } else if s.starts_with("aria/") {
        Strategy::Label
    } else if s.starts_with('<') {
        Strategy::TagName
    } else {
        Strategy::Css
    }
}

struct Draft<'t> {
    locator: Locator,
    receiver: Option<tree_sitter::Node<'t>>,
}

pub(crate) fn extract(ctx: &Ctx, facts: &[Fact], binding_facts: &[Fact], r: &mut Resolver) -> Vec<Locator> {
    // ---- locator calls
    let mut drafts: Vec<Draft> = Vec::new();
    let mut seen: HashMap<Span, ()> = HashMap::new();
    for f in facts {
        let (Some(call), Some(value)) = (f.node("locator"), f.node("value")) else { continue };
        let call_span = span(call);
        if seen.insert(call_span, ()).is_some() {
            continue;
        }
        let Some(framework) = ctx.framework(f) else { continue };
        let lit = ctx.lit(value);
        let strategy = match f.prop("strategy").unwrap_or("css") {
            "selector" => playwright_strategy(&lit.value),
            "wdio" => wdio_strategy(&lit.value),
            "by" => selenium_strategy(f.node("by").map(|n| ctx.text_of(n)).unwrap_or("")),
            other => strategy_by_name(other).unwrap_or(Strategy::Other),
        };
        drafts.push(Draft {
            locator: Locator {
                framework,
                strategy,
                value: lit.value,
                value_span: lit.span,
                call_span,
                name: None,
                name_span: None,
                exact: false,
                parent: None,
                modifiers: Vec::new(),
                dynamic: lit.dynamic,
                test: None,
                binding: None,
                uses: Vec::new(),
            },
            receiver: f.node("receiver"),
        });
    }
    drafts.sort_by_key(|d| (d.locator.call_span.start, d.locator.call_span.end));
    for (i, d) in drafts.iter().enumerate() {
        r.by_call.insert(d.locator.call_span, i);
    }

    // ---- options ({ name, exact })
    for f in facts {
        let Some(target) = f.node("option.target") else { continue };
        let Some(&i) = r.by_call.get(&span(target)) else { continue };
        let (Some(k), Some(v)) = (f.node("option.key"), f.node("option.value")) else { continue };
        let loc = &mut drafts[i].locator;
        match strings::key_text(k, ctx.text).as_str() {
            "name" => {
                let l = ctx.lit(v);
                loc.name = Some(l.value);
                loc.name_span = Some(l.span);
                loc.dynamic.extend(l.dynamic);
            }
            "exact" => loc.exact = matches!(ctx.text_of(v), "true" | "True"),
            _ => {}
        }
    }

    // ---- modifiers (again after bindings: `rows.first` needs the local `rows`)
    let mut mods: Vec<&Fact> = facts.iter().filter(|f| f.node("modifier").is_some()).collect();
    mods.sort_by_key(|f| f.node("modifier").map(|n| n.end_byte() - n.start_byte()).unwrap_or(0));
    let mut filters: HashMap<Span, (Option<String>, Option<String>)> = HashMap::new();
    let mut filter_order: Vec<(Span, (usize, usize))> = Vec::new();
    apply_modifiers(ctx, &mods, &mut drafts, r, &mut filters, &mut filter_order);

    // ---- page-object bindings and locals
    let mut bindings: Vec<(String, usize, Option<Span>)> = Vec::new();
    let mut bound_values: HashMap<Span, ()> = HashMap::new();
    for f in binding_facts {
        let (Some(name), Some(value)) = (f.node("binding.name"), f.node("binding.value")) else { continue };
        let Some(i) = r.resolve(value, ctx.text) else { continue };
        bound_values.insert(span(value), ());
        let name = ctx.text_of(name).to_string();
        if drafts[i].locator.binding.is_none() {
            drafts[i].locator.binding = Some(name.clone());
        }
        bindings.push((name, i, f.node("binding.site").map(span)));
    }
    if !bindings.is_empty() {
        let by_name: HashMap<&str, Vec<(usize, Option<Span>)>> =
            bindings.iter().fold(HashMap::new(), |mut m, (n, i, site)| {
                m.entry(n.as_str()).or_default().push((*i, *site));
                m
            });
        for f in binding_facts {
            let (Some(u), Some(name)) = (f.node("use"), f.node("use.name")) else { continue };
            let Some(targets) = by_name.get(ctx.text_of(name)) else { continue };
            let us = span(u);
            if targets.iter().any(|(_, site)| *site == Some(us)) {
                continue;
            }
            for (i, _) in targets {
                if !drafts[*i].locator.uses.contains(&us) {
                    drafts[*i].locator.uses.push(us);
                }
            }
            if let Some((i, _)) = targets.first() {
                r.by_use.entry(us).or_insert(*i);
            }
        }
        for d in &mut drafts {
            d.locator.uses.sort();
        }
    }

    for f in binding_facts {
        let (Some(name), Some(value)) = (f.node("local.name"), f.node("local.value")) else { continue };
        if bound_values.contains_key(&span(value)) {
            continue;
        }
        let Some(i) = r.resolve(value, ctx.text) else { continue };
        r.locals
            .entry(ctx.text_of(name).to_string())
            .or_default()
            .push((scope_of(name), name.start_byte(), i));
    }
    apply_modifiers(ctx, &mods, &mut drafts, r, &mut filters, &mut filter_order);
    for (ms, (i, at)) in filter_order {
        if let Some((has_text, has_not_text)) = filters.remove(&ms)
            && let Some(m) = drafts[i].locator.modifiers.get_mut(at)
        {
            *m = Modifier::Filter { has_text, has_not_text };
        }
    }

    // ---- parents
    let parents: Vec<Option<usize>> = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| d.receiver.and_then(|rcv| r.resolve(rcv, ctx.text)).filter(|p| *p != i))
        .collect();
    drafts
        .into_iter()
        .zip(parents)
        .map(|(mut d, p)| {
            d.locator.parent = p;
            d.locator
        })
        .collect()
}

fn apply_modifiers(
    ctx: &Ctx,
    mods: &[&Fact],
    drafts: &mut [Draft],
    r: &mut Resolver,
    filters: &mut HashMap<Span, (Option<String>, Option<String>)>,
    filter_order: &mut Vec<(Span, (usize, usize))>,
) {
    let mut done: HashMap<(Span, usize), ()> = HashMap::new();
    for f in mods {
        let (Some(m), Some(target)) = (f.node("modifier"), f.node("target")) else { continue };
        let ms = span(m);
        // already applied in an earlier pass (filters repeat per pair: let those through)
        let name = f.node("modifier.name").map(|n| ctx.text_of(n)).unwrap_or("");
        if name != "filter" && r.by_modifier.contains_key(&ms) {
            continue;
        }
        let Some(i) = r.resolve(target, ctx.text) else { continue };
        let pair = f.node("filter.key").map(span).unwrap_or_default();
        if done.insert((pair, i), ()).is_some() {
            continue;
        }
        r.by_modifier.insert(ms, i);
        let modifier = match name {
            "nth" | "eq" => {
                let index = f
                    .node("modifier.args")
                    .and_then(|a| a.named_child(0))
                    .and_then(|n| ctx.text_of(n).trim().parse::<i64>().ok());
                Some(Modifier::Nth { index })
            }
            "first" => Some(Modifier::First),
            "last" => Some(Modifier::Last),
            "filter" => {
                let e = filters.entry(ms).or_insert_with(|| {
                    // a placeholder in source order, filled in once all its pairs are seen
                    filter_order.push((ms, (i, drafts[i].locator.modifiers.len())));
                    drafts[i].locator.modifiers.push(Modifier::Filter { has_text: None, has_not_text: None });
                    (None, None)
                });
                if let (Some(k), Some(v)) = (f.node("filter.key"), f.node("filter.value")) {
                    let val = if strings::is_string(v) { ctx.lit(v).value } else { ctx.text_of(v).to_string() };
                    match strings::key_text(k, ctx.text).as_str() {
                        "hasText" | "has_text" => e.0 = Some(val),
                        "hasNotText" | "has_not_text" => e.1 = Some(val),
                        _ => {}
                    }
                }
                None
            }
            _ => None,
        };
        if let Some(m) = modifier {
            drafts[i].locator.modifiers.push(m);
        }
    }
}
