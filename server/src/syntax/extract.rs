//! The orchestrator: run each query of the language, interpret the facts, link them by span.

use std::collections::HashMap;

use tree_sitter::{Node, Tree};

use super::queries::{self, Fact};
use super::strings::{self, span, text_of};
use super::tests_extract::{StepRec, Suite};
use super::{FileModel, Framework, Language, Problem, Span};

/// Shared per-file state for the extractors.
pub(crate) struct Ctx<'t> {
    pub text: &'t str,
    pub py: bool,
    set: &'static queries::QuerySet,
    /// Where detect.scm's patterns may match, run on first need.
    detect_sites: Vec<(Node<'t>, usize)>,
    /// Frameworks detected in the file (capture names of detect.scm).
    detected: std::cell::OnceCell<Vec<&'static str>>,
}

impl<'t> Ctx<'t> {
    pub fn detected(&self) -> &[&'static str] {
        self.detected.get_or_init(|| queries::detected(self.set, &self.detect_sites, self.text))
    }
    pub fn lit(&self, node: Node) -> strings::Lit {
        strings::literal(node, self.text, self.py)
    }
    pub fn text_of(&self, node: Node) -> &'t str {
        text_of(node, self.text)
    }
    /// Framework from a pattern's `framework` property; `detect:a,b,c` picks the first
    /// framework detected in the file, else the last one listed.
    pub fn framework(&self, fact: &Fact) -> Option<Framework> {
        let prop = fact.prop("framework")?;
        let name = match prop.strip_prefix("detect:") {
            Some(list) => {
                let names: Vec<&str> = list.split(',').map(str::trim).collect();
                names
                    .iter()
                    .find(|n| self.detected().contains(n))
                    .or(names.last())
                    .copied()
                    .unwrap_or("")
            }
            None => prop,
        };
        framework_by_name(name)
    }
}

pub(crate) fn framework_by_name(name: &str) -> Option<Framework> {
    Some(match name {
        "playwright" => Framework::Playwright,
        "selenium" => Framework::Selenium,
        "cypress" => Framework::Cypress,
        "webdriverio" => Framework::WebdriverIO,
        "pytest" => Framework::Pytest,
        "unittest" => Framework::Unittest,
        "mocha" => Framework::Mocha,
        _ => return None,
    })
}

/// Maps from spans to locators, used to resolve receivers, expect() subjects and bindings.
#[derive(Default)]
pub(crate) struct Resolver {
    pub by_call: HashMap<Span, usize>,
    pub by_modifier: HashMap<Span, usize>,
    pub by_use: HashMap<Span, usize>,
    pub by_assertion: HashMap<Span, usize>,
    /// Local variables bound to a locator: name → (scope, declared at, locator).
    pub locals: HashMap<String, Vec<(Span, usize, usize)>>,
}

impl Resolver {
    /// The locator an expression denotes: a locator call, a modified locator, a page-object
    /// use, a local variable, an assertion chain (Cypress `.should().and()`), looking through
    /// `await`, parentheses, casts, and member accesses / calls on it.
    pub fn resolve(&self, node: Node, text: &str) -> Option<usize> {
        // a small work list instead of recursion: a call is tried through its receiver first,
        // then through its first argument (`find_element(*self.BUY)`, `findElement(By.css(…))`)
        let mut work = vec![node];
        let mut steps = 0;
        while let Some(n) = work.pop() {
            steps += 1;
            if steps > 64 {
                return None;
            }
            let s = span(n);
            if let Some(i) = self
                .by_call
                .get(&s)
                .or_else(|| self.by_modifier.get(&s))
                .or_else(|| self.by_use.get(&s))
                .or_else(|| self.by_assertion.get(&s))
            {
                return Some(*i);
            }
            match n.kind() {
                "await_expression" | "parenthesized_expression" | "non_null_expression" | "as_expression"
                | "satisfies_expression" | "type_assertion" | "list_splat" => work.extend(n.named_child(0)),
                "identifier" => {
                    if let Some(i) = self.local(text_of(n, text), s) {
                        return Some(i);
                    }
                }
                "member_expression" | "attribute" => work.extend(n.child_by_field_name("object")),
                "call_expression" | "call" => {
                    if let Some(first) = n.child_by_field_name("arguments").and_then(|a| a.named_child(0))
                        && (first.kind() == "list_splat" || self.by_call.contains_key(&span(first)))
                    {
                        work.push(first);
                    }
                    if let Some(f) = n.child_by_field_name("function")
                        && matches!(f.kind(), "member_expression" | "attribute")
                    {
                        work.extend(f.child_by_field_name("object"));
                    }
                }
                _ => {}
            }
        }
        None
    }

    fn local(&self, name: &str, at: Span) -> Option<usize> {
        self.locals
            .get(name)?
            .iter()
            .filter(|(scope, decl, _)| scope.contains(at) && *decl <= at.start)
            .max_by_key(|(scope, decl, _)| (scope.start, *decl))
            .map(|(_, _, i)| *i)
    }
}

/// The innermost enclosing scope (function body / block / module) of a node.
pub(crate) fn scope_of(node: Node) -> Span {
    let mut n = node;
    while let Some(p) = n.parent() {
        if matches!(
            p.kind(),
            "statement_block" | "program" | "module" | "block" | "function_definition" | "class_body"
        ) {
            return span(p);
        }
        n = p;
    }
    span(n)
}

/// Syntax errors and missing tokens, without recursion: descend only where errors are.
pub(crate) fn problems(tree: &Tree) -> Vec<Problem> {
    const LIMIT: usize = 200;
    let mut out = Vec::new();
    let root = tree.root_node();
    if !root.has_error() {
        return out;
    }
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        let mut descend = node.has_error();
        if node.is_error() {
            out.push(Problem { span: span(node), message: "syntax error".into() });
            descend = false;
        } else if node.is_missing() {
            out.push(Problem { span: span(node), message: format!("syntax error: missing `{}`", node.kind()) });
        }
        if out.len() >= LIMIT {
            out.push(Problem { span: span(root), message: format!("more than {LIMIT} syntax errors; the rest are not listed") });
            break;
        }
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
    out
}

pub(crate) fn run(language: Language, tree: &Tree, text: &str, scope: queries::Scope) -> FileModel {
    run_with_side(language, tree, text, scope, false).0
}

/// `run`, and with `side`, what the model does not keep (see `Side`).
pub(crate) fn run_with_side(language: Language, tree: &Tree, text: &str, scope: queries::Scope, side: bool) -> (FileModel, Option<Side>) {
    let (mut model, side) = run_under(language, tree.root_node(), text, scope, None, side);
    let mut problems = problems(tree);
    problems.append(&mut model.problems);
    model.problems = problems;
    (model, side)
}

/// What an extraction found that the model does not keep, for extracting again after an edit
/// (see `incremental`). Every list is in span order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Side {
    /// Suites, merged (titles and tags as tests inherit them).
    pub suites: Vec<Suite>,
    /// Every step found, nested under a test or not.
    pub steps: Vec<StepRec>,
    /// Local variables bound to a locator: name, scope, declared at.
    pub locals: Vec<(String, Span, usize)>,
    /// Every `@binding.name`: where, and the name.
    pub bindings: Vec<(Span, String)>,
    /// Every `@use`.
    pub uses: Vec<Span>,
    /// The libraries detected, each with the span of a match that shows it.
    pub detected: Vec<(&'static str, Span)>,
    /// A pattern went over the match limit somewhere.
    pub exceeded: bool,
}

/// What the rest of the file says, when extracting under one node only (see `incremental`).
pub(crate) struct Outer<'a> {
    /// The suites around the node.
    pub suites: &'a [Suite],
    /// The libraries the whole file uses.
    pub detected: Vec<&'static str>,
    /// The page-object names bound in the whole file.
    pub names: Vec<String>,
}

/// Extract from the facts of patterns rooted under `root` (the whole tree, or with `outer`, one
/// node: its items get no test index, its steps are not hung on tests, problems are not listed).
pub(crate) fn run_under(
    language: Language,
    root: Node,
    text: &str,
    scope: queries::Scope,
    outer: Option<&Outer>,
    want_side: bool,
) -> (FileModel, Option<Side>) {
    let mut model = FileModel::empty(language);
    let Some(qs) = queries::queries_in(language, scope) else {
        model.problems.push(Problem { span: Span::new(0, 0), message: "internal: queries failed to compile".into() });
        return (model, None);
    };
    let exceeded = std::cell::Cell::new(false);
    let names = outer.map(|o| o.names.as_slice()).unwrap_or(&[]);
    let facts = queries::facts(qs, root, text, &exceeded, names);
    let [_, tests, locators, bindings, waits, assertions, navigation] = facts.kinds;
    let ctx = Ctx {
        text,
        py: language == Language::Python,
        set: qs,
        detect_sites: facts.detect_sites,
        detected: std::cell::OnceCell::new(),
    };
    if let Some(o) = outer {
        let _ = ctx.detected.set(o.detected.clone());
    }

    let found = super::tests_extract::extract(&ctx, &tests, outer.map(|o| o.suites).unwrap_or(&[]), outer.is_none());
    model.tests = found.tests;
    let mut resolver = Resolver::default();
    model.locators = super::locators::extract(&ctx, &locators, &bindings, &mut resolver);
    model.waits = super::waits::extract(&ctx, &waits);
    model.assertions = super::assertions::extract(&ctx, &assertions, &mut resolver);
    model.navigations = super::waits::navigations(&ctx, &navigation);

    if exceeded.get() {
        model.problems.push(Problem {
            span: span(root),
            message: "code nested too deeply to analyse completely: some tests, locators or waits may be missing".into(),
        });
    }

    let side = want_side.then(|| {
        let mut locals: Vec<(String, Span, usize)> = resolver
            .locals
            .iter()
            .flat_map(|(name, v)| v.iter().map(move |(scope, decl, _)| (name.clone(), *scope, *decl)))
            .collect();
        locals.sort_by(|a, b| (a.2, a.1, &a.0).cmp(&(b.2, b.1, &b.0)));
        let mut names: Vec<(Span, String)> = bindings
            .iter()
            .filter_map(|f| f.node("binding.name"))
            .map(|n| (span(n), text_of(n, text).to_string()))
            .collect();
        names.sort();
        names.dedup();
        let mut uses: Vec<Span> = bindings.iter().filter_map(|f| f.node("use")).map(span).collect();
        uses.sort();
        uses.dedup();
        // (under a node: the libraries its own code shows)
        let detected = queries::detected_where(qs, &ctx.detect_sites, text);
        Side { suites: found.suites, steps: found.steps, locals, bindings: names, uses, detected, exceeded: exceeded.get() }
    });
    if outer.is_some() {
        return (model, side);
    }

    // enclosing tests, in one sweep for all items
    assign_tests(&mut model);
    (model, side)
}

/// Set each item's enclosing test (the innermost test whose span contains it).
pub(crate) fn assign_tests(model: &mut FileModel) {
    let tests: Vec<Span> = model.tests.iter().map(|t| t.span).collect();
    let mut items: Vec<Span> = Vec::new();
    items.extend(model.locators.iter().map(|l| l.call_span));
    items.extend(model.waits.iter().map(|w| w.span));
    items.extend(model.assertions.iter().map(|a| a.span));
    items.extend(model.navigations.iter().map(|n| n.span));
    let mut owner = containing(&tests, &items).into_iter().map(|chain| chain.last().copied());
    for l in &mut model.locators {
        l.test = owner.next().flatten();
    }
    for w in &mut model.waits {
        w.test = owner.next().flatten();
    }
    for a in &mut model.assertions {
        a.test = owner.next().flatten();
    }
    for n in &mut model.navigations {
        n.test = owner.next().flatten();
    }
}

/// For each query span, the containers that contain it (a container never contains itself:
/// equal spans are skipped), outermost first. A sort and a sweep with a stack: O((n + m) log n).
pub(crate) fn containing(containers: &[Span], queries: &[Span]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..containers.len()).collect();
    order.sort_by_key(|&i| (containers[i].start, std::cmp::Reverse(containers[i].end)));
    let mut qorder: Vec<usize> = (0..queries.len()).collect();
    qorder.sort_by_key(|&i| queries[i].start);
    let mut out = vec![Vec::new(); queries.len()];
    let mut stack: Vec<usize> = Vec::new();
    let mut next = 0;
    for qi in qorder {
        let q = queries[qi];
        while next < order.len() && containers[order[next]].start <= q.start {
            let c = containers[order[next]];
            while let Some(&top) = stack.last() {
                if containers[top].end <= c.start && containers[top].end <= q.start {
                    stack.pop();
                } else {
                    break;
                }
            }
            stack.push(order[next]);
            next += 1;
        }
        while let Some(&top) = stack.last() {
            if containers[top].end < q.end && containers[top].end <= q.start {
                stack.pop();
            } else {
                break;
            }
        }
        out[qi] = stack
            .iter()
            .copied()
            .filter(|&c| containers[c].contains(q) && containers[c] != q)
            .collect();
    }
    out
}
