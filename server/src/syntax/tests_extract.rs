//! Tests, suites, steps and tags from `tests.scm` facts.

use std::collections::HashMap;

use super::extract::{Ctx, containing};
use super::queries::Fact;
use super::strings::span;
use super::{Framework, Span, Step, Tag, TestCase, TestKind};

struct Group {
    title: String,
    span: Span,
    name_span: Span,
    tags: Vec<Tag>,
    kind: Option<TestKind>,
    framework: Option<Framework>,
    priority: i32,
}

fn tag_of(name: &str, scheme: &str) -> Option<Tag> {
    match scheme {
        "pytest" => Some(match name {
            "skip" | "skipif" => Tag::Skip,
            "xfail" => Tag::Fail,
            "only" => Tag::Only,
            other => Tag::Mark(other.to_string()),
        }),
        "unittest" => match name {
            "skip" | "skipIf" | "skipUnless" => Some(Tag::Skip),
            "expectedFailure" => Some(Tag::Fail),
            _ => None,
        },
        _ => match name {
            "only" => Some(Tag::Only),
            "skip" => Some(Tag::Skip),
            "fixme" => Some(Tag::Fixme),
            "fail" => Some(Tag::Fail),
            "slow" => Some(Tag::Slow),
            _ => None,
        },
    }
}

fn push_tag(tags: &mut Vec<Tag>, t: Tag) {
    if !tags.contains(&t) {
        tags.push(t);
    }
}

/// `@word` tokens in a Playwright title.
fn title_tags(title: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let bytes = title.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'@' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            let start = i;
            i += 1;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'-' | b':' | b'.')) {
                i += 1;
            }
            if i > start + 1 {
                out.push(Tag::Tag(title[start..i].to_string()));
            }
        } else {
            i += 1;
        }
    }
    out
}

fn kind_by_name(name: &str) -> Option<TestKind> {
    Some(match name {
        "playwright_test" => TestKind::PlaywrightTest,
        "it" => TestKind::It,
        "pytest_function" => TestKind::PytestFunction,
        "unittest_method" => TestKind::UnittestMethod,
        _ => return None,
    })
}

fn group(ctx: &Ctx, f: &Fact, main: &str) -> Option<Group> {
    let node = f.node(main)?;
    let name = f.node("name")?;
    let (title, name_span) = if ctx.py && name.kind() == "identifier" {
        (ctx.text_of(name).to_string(), span(name))
    } else {
        let l = ctx.lit(name);
        (l.value, l.span)
    };
    let scheme = f.prop("tags").unwrap_or("playwright");
    let mut tags = Vec::new();
    for t in f.nodes("tag.name") {
        if let Some(t) = tag_of(ctx.text_of(t), scheme) {
            push_tag(&mut tags, t);
        }
    }
    Some(Group {
        title,
        span: span(node),
        name_span,
        tags,
        kind: f.prop("kind").and_then(kind_by_name),
        framework: ctx.framework(f),
        priority: f.prop("priority").and_then(|p| p.parse().ok()).unwrap_or(0),
    })
}

/// Several patterns may match the same definition (a decorated class, a `Test…` class that is
/// also a `TestCase`): keep one per name span, highest priority, largest span, tags merged.
fn dedupe(groups: Vec<Group>) -> Vec<Group> {
    let mut by_name: HashMap<Span, usize> = HashMap::new();
    let mut out: Vec<Group> = Vec::new();
    for g in groups {
        match by_name.get(&g.name_span) {
            Some(&i) => {
                let tags = std::mem::take(&mut out[i].tags);
                let keep_new = (g.priority, g.span.len()) > (out[i].priority, out[i].span.len());
                let old_tags = tags;
                if keep_new {
                    let mut g = g;
                    for t in old_tags {
                        push_tag(&mut g.tags, t);
                    }
                    out[i] = g;
                } else {
                    out[i].tags = old_tags;
                    for t in g.tags {
                        push_tag(&mut out[i].tags, t);
                    }
                    if out[i].span.len() < g.span.len() {
                        out[i].span = g.span;
                    }
                }
            }
            None => {
                by_name.insert(g.name_span, out.len());
                out.push(g);
            }
        }
    }
    out.sort_by_key(|g| (g.span.start, std::cmp::Reverse(g.span.end)));
    out
}

/// A suite as tests inherit it: its title and tags.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Suite {
    pub span: Span,
    pub title: String,
    pub tags: Vec<Tag>,
}

/// A step as found, before nesting.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StepRec {
    pub title: String,
    pub span: Span,
    pub name_span: Span,
}

/// What `extract` found besides the tests.
pub(crate) struct Found {
    pub tests: Vec<TestCase>,
    pub suites: Vec<Suite>,
    pub steps: Vec<StepRec>,
}

/// Tests of the facts; `outer`: suites around the part of the file the facts come from (for
/// title paths and inherited tags). Steps are hung on the tests when `attach` (else the caller
/// does it, see `incremental`).
pub(crate) fn extract(ctx: &Ctx, facts: &[Fact], outer: &[Suite], attach: bool) -> Found {
    let mut tests = Vec::new();
    let mut suites = Vec::new();
    let mut steps = Vec::new();
    // extra tags by target span
    let mut extra: HashMap<Span, Vec<Tag>> = HashMap::new();
    for f in facts {
        if f.node("test").is_some() {
            tests.extend(group(ctx, f, "test"));
        } else if f.node("suite").is_some() {
            suites.extend(group(ctx, f, "suite"));
        } else if f.node("step").is_some() {
            steps.extend(group(ctx, f, "step"));
        } else if let Some(target) = f.node("tag.target") {
            let scheme = f.prop("tags").unwrap_or("playwright");
            let e = extra.entry(span(target)).or_default();
            for n in f.nodes("tag.name") {
                if let Some(t) = tag_of(ctx.text_of(n), scheme) {
                    push_tag(e, t);
                }
            }
            for n in f.nodes("tag.value") {
                let v = ctx.lit(n).value;
                if !v.is_empty() {
                    push_tag(e, Tag::Tag(v));
                }
            }
        }
    }
    let mut tests = dedupe(tests);
    let mut suites = dedupe(suites);
    // A test's definition is also a "suite"-shaped match in no grammar, but a Python class
    // could be both a test suite and … nothing else; drop suites identical to tests anyway.
    let test_spans: std::collections::HashSet<Span> = tests.iter().map(|t| t.span).collect();
    suites.retain(|s| !test_spans.contains(&s.span));
    for g in tests.iter_mut().chain(suites.iter_mut()) {
        if let Some(t) = extra.get(&g.span) {
            for t in t.clone() {
                push_tag(&mut g.tags, t);
            }
        }
        if !ctx.py {
            for t in title_tags(&g.title) {
                push_tag(&mut g.tags, t);
            }
        }
    }

    let suites: Vec<Suite> = suites.into_iter().map(|g| Suite { span: g.span, title: g.title, tags: g.tags }).collect();
    let all: Vec<&Suite> = outer.iter().chain(&suites).collect();
    let suite_spans: Vec<Span> = all.iter().map(|s| s.span).collect();
    let chains = containing(&suite_spans, &tests.iter().map(|t| t.span).collect::<Vec<_>>());
    let mut out: Vec<TestCase> = tests
        .iter()
        .zip(chains)
        .filter_map(|(t, chain)| {
            let mut title_path = Vec::new();
            let mut tags = Vec::new();
            for s in chain.into_iter().map(|i| all[i]) {
                title_path.push(s.title.clone());
                for tag in &s.tags {
                    push_tag(&mut tags, tag.clone());
                }
            }
            title_path.push(t.title.clone());
            for tag in &t.tags {
                push_tag(&mut tags, tag.clone());
            }
            Some(TestCase {
                title_path,
                kind: t.kind?,
                framework: t.framework?,
                span: t.span,
                name_span: t.name_span,
                steps: Vec::new(),
                tags,
            })
        })
        .collect();

    let steps: Vec<StepRec> = steps.into_iter().map(|g| StepRec { title: g.title, span: g.span, name_span: g.name_span }).collect();
    if attach {
        attach_steps(&mut out, &steps);
    }
    Found { tests: out, suites, steps }
}

/// Nest steps by span containment (sorted, with a stack; no recursion) and hang the top-level
/// ones on their innermost test.
pub(crate) fn attach_steps(tests: &mut [TestCase], steps: &[StepRec]) {
    let mut steps: Vec<&StepRec> = steps.iter().collect();
    steps.sort_by_key(|g| (g.span.start, std::cmp::Reverse(g.span.end)));
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(steps.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        while let Some(&top) = stack.last() {
            if steps[top].span.contains(s.span) && steps[top].span != s.span {
                break;
            }
            stack.pop();
        }
        parent.push(stack.last().copied());
        stack.push(i);
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); steps.len()];
    let mut root_ids = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => children[*p].push(i),
            None => root_ids.push(i),
        }
    }
    // children always come after their parent: build from the back
    let mut built: Vec<Option<Step>> = vec![None; steps.len()];
    for i in (0..steps.len()).rev() {
        let g = &steps[i];
        let nested = children[i].iter().filter_map(|c| built[*c].take()).collect();
        built[i] = Some(Step { title: g.title.clone(), span: g.span, name_span: g.name_span, steps: nested });
    }
    let roots: Vec<Step> = root_ids.iter().filter_map(|i| built[*i].take()).collect();
    let test_spans: Vec<Span> = tests.iter().map(|t| t.span).collect();
    let owners = containing(&test_spans, &roots.iter().map(|s| s.span).collect::<Vec<_>>());
    for (step, owner) in roots.into_iter().zip(owners) {
        if let Some(&i) = owner.last() {
            tests[i].steps.push(step);
        }
    }
}
