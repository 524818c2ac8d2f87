//! Extracting again after an edit, from the innermost block around it only.
//!
//! A full extraction runs every pattern at its sites over the whole file; after an edit that
//! stays inside one function body (a keystroke in a test), only the patterns rooted under that
//! body (`statement_block` / `block`) can find anything new. Those are run there; the rest of
//! the model keeps its items, shifted by the edit. The result is exactly what a full extraction
//! gives (a test checks it over random edits of the fixtures), because the fast path is only
//! taken when nothing outside the block can depend on what is inside it:
//!
//! - the edit and every range tree-sitter reports as changed lie in the block, and the block
//!   and its ancestors are the same nodes before and after (same kinds, shifted ranges);
//! - every pattern rooted at an ancestor matches the same before and after, and captures
//!   nothing in the block (or the block itself) except whole constructs used for their span
//!   (`@test`, `@suite`, `@locator`, …);
//! - no page-object binding or use is in the block, before or after, and no local bound to a
//!   locator outside it is named in it; its own locals stay in it;
//! - the libraries the file uses (detect.scm) stay the same;
//! - steps are nested again within the outermost test around the block.
//!
//! Anything else (an edit between tests, in a hook, across blocks, a new page object) gets a
//! full extraction.

use std::ops::Range;

use tree_sitter::{Node, Tree};

use super::extract::{self, Outer, Side};
use super::queries::{self, PlainMatch, Scope};
use super::strings::span;
use super::tests_extract::attach_steps;
use super::{FileModel, Language, Span, Step};
use crate::text::ByteEdit;

/// What a full extraction leaves for extracting again after the next edit.
#[derive(Debug, Clone)]
pub struct State {
    side: Side,
    /// The block of the last edit, and the matches at each of its ancestors (outermost
    /// first): the next keystroke in the same block compares against these.
    around: Option<Around>,
}

/// A block, and each of its ancestors (outermost first) with the matches there.
type Around = (Span, Vec<(Span, Vec<PlainMatch>)>);

/// The same state, whichever match shows that a library is used.
impl PartialEq for State {
    fn eq(&self, other: &State) -> bool {
        let names = |s: &State| {
            let mut n: Vec<&str> = s.side.detected.iter().map(|(n, _)| *n).collect();
            n.sort_unstable();
            n
        };
        // (`around` is a cache)
        let rest = |s: &State| Side { detected: Vec::new(), ..s.side.clone() };
        names(self) == names(other) && rest(self) == rest(other)
    }
}

/// The full model of a parsed file, and the state to extract it again after an edit.
pub fn extract_with_state(language: Language, tree: &Tree, text: &str) -> (FileModel, State) {
    let (model, side) = extract::run_with_side(language, tree, text, Scope::All, true);
    let mut side = side.unwrap_or_default();
    side.steps.sort_by_key(|s| (s.span.start, std::cmp::Reverse(s.span.end)));
    (model, State { side, around: None })
}

/// Where `reextract` extracted again, and what it found there.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// The block before the edit (old offsets) and after it.
    pub old: Span,
    pub new: Span,
    /// The block's tests, locators, waits, assertions and navigations (its findings are found
    /// from these alone).
    pub model: FileModel,
}

impl Region {
    /// An offset outside the block, before the edit, after it.
    pub fn shift(&self, offset: usize) -> usize {
        if offset >= self.old.end { offset + self.new.end - self.old.end } else { offset }
    }
    pub fn shift_span(&self, s: Span) -> Span {
        Span::new(self.shift(s.start), self.shift(s.end))
    }
    /// Is `s` (old offsets) inside the block?
    pub fn holds(&self, s: Span) -> bool {
        self.old.start <= s.start && s.end <= self.old.end
    }
}

/// The block kinds a region can be: function bodies and other braces / indented blocks.
const BLOCKS: [&str; 2] = ["statement_block", "block"];

/// Captures of whole constructs that the extractors use only for their span.
const SPAN_ONLY: [&str; 12] = [
    "test", "suite", "step", "tag.target", "locator", "option.target", "modifier", "binding.site", "use", "wait",
    "assertion", "navigation",
];

/// Update `model` (and `state`) of `old_tree` / `old_text` after `edits` turned them into
/// `new_tree` / `new_text` (`edited`: the old tree after `edit_tree`, which the new one was
/// parsed from). `None`, with nothing changed, when the edit needs a full extraction.
#[allow(clippy::too_many_arguments)]
pub fn reextract(
    language: Language,
    old_tree: &Tree,
    old_text: &str,
    edited: &Tree,
    new_tree: &Tree,
    new_text: &str,
    edits: &[ByteEdit],
    model: &mut FileModel,
    state: &mut State,
) -> Option<Region> {
    let side = &state.side;
    if side.exceeded || model.problems.iter().any(|p| p.message.starts_with("code nested too deeply")) {
        return None;
    }
    // ---- the block around every change, and the same block before
    let (start, mut old_end, mut new_end) = hull(edits)?;
    let mut start = start;
    for r in edited.changed_ranges(new_tree) {
        if r.start_byte < start {
            start = r.start_byte;
        }
        if r.end_byte > new_end {
            old_end += r.end_byte - new_end;
            new_end = r.end_byte;
        }
    }
    let delta = new_end as isize - old_end as isize;
    let new_path = path_to(new_tree.root_node(), start, new_end);
    let at = new_path.iter().rposition(|n| BLOCKS.contains(&n.kind()))?;
    let block = new_path[at];
    let old_block_end = (block.end_byte() as isize - delta) as usize;
    let old_path = path_to(old_tree.root_node(), block.start_byte(), old_block_end);
    let old_block = *old_path.get(at)?;
    if old_block.byte_range() != (block.start_byte()..old_block_end) || old_block.kind_id() != block.kind_id() {
        return None;
    }
    let region = Region { old: span(old_block), new: span(block), model: FileModel::empty(language) };
    let r_new = span(block);

    // ---- ancestors: the same nodes, the same matches, nothing captured in the block
    let set = queries::queries(language)?;
    let cached = state.around.as_ref().map(|(b, m)| (*b, m)).filter(|(b, m)| {
        *b == region.old && m.len() == at && m.iter().zip(&old_path[..at]).all(|((s, _), n)| *s == span(*n))
    });
    let mut around = Vec::with_capacity(at);
    let mut cursor = tree_sitter::QueryCursor::new();
    let body = new_text.get(r_new.start..r_new.end)?;
    let names = !state.side.bindings.is_empty();
    for (i, (old, new)) in old_path[..at].iter().zip(&new_path[..at]).enumerate() {
        // A pattern never compiled never had a site, here or anywhere; the edit can give it
        // one at this ancestor only with its words in the block, within its reach.
        let levels = at - i;
        let wanted = |p: &queries::Pattern| {
            levels <= p.reach
                && (p.names_from.is_some() && names || p.keys.iter().flat_map(|k| &k.words).any(|w| body.contains(w.text())))
        };
        let mapped = region.shift(old.start_byte())..region.shift(old.end_byte());
        if old.kind_id() != new.kind_id() || mapped != new.byte_range() {
            return None;
        }
        let computed;
        let before = match cached {
            Some((_, m)) => &m[i].1,
            None => {
                computed = queries::matches_at(set, *old, old_text, &mut cursor, |_| false)?;
                &computed
            }
        };
        let after = queries::matches_at(set, *new, new_text, &mut cursor, wanted)?;
        if before.len() != after.len() {
            return None;
        }
        for ((p0, caps0), (p1, caps1)) in before.iter().zip(&after) {
            if p0 != p1 || caps0.len() != caps1.len() {
                return None;
            }
            for ((n0, r0), (n1, r1)) in caps0.iter().zip(caps1) {
                if n0 != n1 || (region.shift(r0.start)..region.shift(r0.end)) != *r1 || !outside(r1, r_new, n1) {
                    return None;
                }
            }
        }
        around.push((span(*new), after));
    }

    // ---- nothing in the block refers outside it, nor the other way
    let inside_old = |s: Span| region.holds(s);
    if side.bindings.iter().any(|(s, _)| inside_old(*s)) || side.uses.iter().any(|s| inside_old(*s)) {
        return None;
    }
    if side.locals.iter().any(|(_, scope, decl)| inside_old(Span::new(*decl, *decl)) && !inside_old(*scope)) {
        return None;
    }
    let visible = side.locals.iter().filter(|(_, scope, decl)| !inside_old(Span::new(*decl, *decl)) && scope.contains(region.old));
    if visible.into_iter().any(|(name, _, _)| body.contains(name.as_str())) {
        return None;
    }

    // ---- extract under the block, with what the rest of the file says
    let outer_suites: Vec<_> = side
        .suites
        .iter()
        .filter(|s| s.span.contains(region.old) && !inside_old(s.span))
        .map(|s| super::tests_extract::Suite { span: region.shift_span(s.span), ..s.clone() })
        .collect();
    let outer = Outer {
        suites: &outer_suites,
        detected: side.detected.iter().map(|(n, _)| *n).collect(),
        names: side.bindings.iter().map(|(_, n)| n.clone()).collect(),
    };
    let (mut sub, found) = extract::run_under(language, block, new_text, Scope::All, Some(&outer), true);
    let found = found?;
    if found.exceeded || !sub.problems.is_empty() || !found.bindings.is_empty() || !found.uses.is_empty() {
        return None;
    }
    if found.locals.iter().any(|(_, scope, _)| !r_new.contains(*scope)) {
        return None;
    }
    // the same libraries: those shown outside the block stay; those shown inside must be
    // shown inside again; none may appear
    let mut detected = Vec::with_capacity(side.detected.len());
    for (name, w) in &side.detected {
        if !inside_old(*w) {
            detected.push((*name, region.shift_span(*w)));
        } else if let Some(again) = found.detected.iter().find(|(n, _)| n == name) {
            detected.push(*again);
        } else {
            return None;
        }
    }
    if found.detected.iter().any(|(n, _)| !side.detected.iter().any(|(m, _)| m == n)) {
        return None;
    }

    // ---- the new lists, checked before anything changes
    let tests = splice(&model.tests, |t| t.span, &region, sub.tests.len())?;
    let locators = splice(&model.locators, |l| l.call_span, &region, sub.locators.len())?;
    let waits = splice(&model.waits, |w| w.span, &region, sub.waits.len())?;
    let assertions = splice(&model.assertions, |a| a.span, &region, sub.assertions.len())?;
    let navigations = splice(&model.navigations, |n| n.span, &region, sub.navigations.len())?;
    // indices kept outside the block must not point into it
    let outside_ok = |i: &Option<usize>, r: &Spliced| i.is_none_or(|i| !r.removed.contains(&i));
    if !model.locators.iter().enumerate().filter(|(i, _)| !locators.removed.contains(i)).all(|(_, l)| outside_ok(&l.parent, &locators) && outside_ok(&l.test, &tests))
        || !model.assertions.iter().enumerate().filter(|(i, _)| !assertions.removed.contains(i)).all(|(_, a)| outside_ok(&a.locator, &locators) && outside_ok(&a.test, &tests))
        || !model.waits.iter().enumerate().filter(|(i, _)| !waits.removed.contains(i)).all(|(_, w)| outside_ok(&w.test, &tests))
        || !model.navigations.iter().enumerate().filter(|(i, _)| !navigations.removed.contains(i)).all(|(_, n)| outside_ok(&n.test, &tests))
    {
        return None;
    }
    // steps: nested again within the outermost test around the block; a step around that test
    // would take them elsewhere
    let host = model.tests.iter().find(|t| t.span.contains(region.old) && !inside_old(t.span)).map(|t| region.shift_span(t.span));
    let steps = splice_sorted(&side.steps, |s| s.span, &region, found.steps.clone(), |s, r| super::tests_extract::StepRec {
        span: r.shift_span(s.span),
        name_span: r.shift_span(s.name_span),
        ..s.clone()
    })?;
    match host {
        Some(h) if steps.iter().any(|s| s.span.contains(h) && s.span != h) => return None,
        None if side.steps.iter().any(|s| s.span.contains(region.old) && !inside_old(s.span)) => return None,
        _ => {}
    }

    let suites = splice_sorted(&side.suites, |s| s.span, &region, found.suites.clone(), |s, r| super::tests_extract::Suite {
        span: r.shift_span(s.span),
        ..s.clone()
    })?;
    // the tests in the host (nested spans: one run of the list)
    let within = |s: Span| host.is_some_and(|h| h.contains(s)) || r_new.contains(s);
    let mut spans: Vec<Span> = model.tests.iter().map(|t| region.shift_span(t.span)).collect();
    spans.splice(tests.removed.clone(), sub.tests.iter().map(|t| t.span));
    let first = spans.partition_point(|s| !within(*s) && s.start <= r_new.start);
    let last = first + spans[first..].iter().take_while(|s| within(**s)).count();
    if spans[..first].iter().chain(&spans[last..]).any(|s| within(*s)) {
        return None;
    }

    // ---- apply (nothing returns early from here on)
    let new_test_index = |i: usize| tests.map(i);
    let new_locator_index = |i: usize| locators.map(i);
    let base_locator = locators.at;
    for l in &mut sub.locators {
        l.parent = l.parent.map(|p| p + base_locator);
    }
    for a in &mut sub.assertions {
        a.locator = a.locator.map(|p| p + base_locator);
    }
    let region_model = FileModel {
        language,
        tests: sub.tests.clone(),
        locators: sub.locators.clone(),
        waits: sub.waits.clone(),
        assertions: sub.assertions.clone(),
        navigations: sub.navigations.clone(),
        problems: Vec::new(),
    };

    let mut old_tests = std::mem::take(&mut model.tests);
    for t in &mut old_tests {
        t.span = region.shift_span(t.span);
        t.name_span = region.shift_span(t.name_span);
        shift_steps(&mut t.steps, &region);
    }
    model.tests = tests.apply(old_tests, std::mem::take(&mut sub.tests));
    let mut old_locators = std::mem::take(&mut model.locators);
    for l in &mut old_locators {
        l.value_span = region.shift_span(l.value_span);
        l.call_span = region.shift_span(l.call_span);
        l.name_span = l.name_span.map(|s| region.shift_span(s));
        l.uses.iter_mut().for_each(|u| *u = region.shift_span(*u));
        l.parent = l.parent.map(new_locator_index);
        l.test = l.test.map(new_test_index);
    }
    model.locators = locators.apply(old_locators, std::mem::take(&mut sub.locators));
    let mut old_waits = std::mem::take(&mut model.waits);
    for w in &mut old_waits {
        w.span = region.shift_span(w.span);
        w.duration_span = w.duration_span.map(|s| region.shift_span(s));
        w.test = w.test.map(new_test_index);
    }
    model.waits = waits.apply(old_waits, std::mem::take(&mut sub.waits));
    let mut old_assertions = std::mem::take(&mut model.assertions);
    for a in &mut old_assertions {
        a.span = region.shift_span(a.span);
        a.expected_span = a.expected_span.map(|s| region.shift_span(s));
        a.locator = a.locator.map(new_locator_index);
        a.test = a.test.map(new_test_index);
    }
    model.assertions = assertions.apply(old_assertions, std::mem::take(&mut sub.assertions));
    let mut old_navigations = std::mem::take(&mut model.navigations);
    for n in &mut old_navigations {
        n.span = region.shift_span(n.span);
        n.url_span = region.shift_span(n.url_span);
        n.test = n.test.map(new_test_index);
    }
    model.navigations = navigations.apply(old_navigations, std::mem::take(&mut sub.navigations));

    // the block's items: their tests
    assign_region_tests(model, &tests, &locators, &waits, &assertions, &navigations);
    // steps within the host test, nested again
    let local_steps: Vec<_> = steps.iter().filter(|s| within(s.span)).cloned().collect();
    for t in &mut model.tests[first..last] {
        t.steps.clear();
    }
    attach_steps(&mut model.tests[first..last], &local_steps);

    model.problems = extract::problems(new_tree);

    // ---- the state
    let side = &mut state.side;
    side.suites = suites;
    side.steps = steps;
    let mut locals: Vec<(String, Span, usize)> = side
        .locals
        .iter()
        .filter(|(_, _, decl)| !inside_old(Span::new(*decl, *decl)))
        .map(|(n, scope, decl)| (n.clone(), region.shift_span(*scope), region.shift(*decl)))
        .chain(found.locals)
        .collect();
    locals.sort_by(|a, b| (a.2, a.1, &a.0).cmp(&(b.2, b.1, &b.0)));
    side.locals = locals;
    side.bindings.iter_mut().for_each(|(s, _)| *s = region.shift_span(*s));
    side.uses.iter_mut().for_each(|s| *s = region.shift_span(*s));
    side.detected = detected;
    state.around = Some((r_new, around));
    Some(Region { model: region_model, ..region })
}

/// A capture of an ancestor's match: outside the block, or around it as a whole construct.
fn outside(r: &Range<usize>, block: Span, name: &str) -> bool {
    r.end <= block.start || r.start >= block.end || (r.start <= block.start && block.end <= r.end && *r != (block.start..block.end) && SPAN_ONLY.contains(&name))
}

/// The edits as one: (start, old end, new end), old offsets before the first edit.
fn hull(edits: &[ByteEdit]) -> Option<(usize, usize, usize)> {
    let mut hull: Option<(usize, usize, usize)> = None;
    for e in edits {
        hull = Some(match hull {
            None => (e.start_byte, e.old_end_byte, e.new_end_byte),
            Some((s, oe, ne)) => {
                // (s, ne) is where the hull lies now; `e` is in the same offsets
                let end_before = ne.max(e.old_end_byte);
                let old_end = if end_before == ne { oe } else { (e.old_end_byte + oe).checked_sub(ne)? };
                let new_end = (end_before + e.new_end_byte).checked_sub(e.old_end_byte)?;
                (s.min(e.start_byte), old_end, new_end)
            }
        });
    }
    hull
}

/// The nodes from `root` down to the innermost one holding `start..end`.
fn path_to(root: Node, start: usize, end: usize) -> Vec<Node> {
    let mut path = vec![root];
    let mut cursor = root.walk();
    'down: loop {
        if !cursor.goto_first_child() {
            break;
        }
        loop {
            let n = cursor.node();
            if n.start_byte() <= start && end <= n.end_byte() && (n.start_byte(), n.end_byte()) != (start, start) {
                path.push(n);
                continue 'down;
            }
            if n.start_byte() > start || !cursor.goto_next_sibling() {
                break 'down;
            }
        }
    }
    path
}

/// Where a list sorted by span takes the block's items: the old ones removed, how many come.
struct Spliced {
    /// First index of the block's items, old and new.
    at: usize,
    removed: Range<usize>,
    added: usize,
}

impl Spliced {
    /// New index of an item kept.
    fn map(&self, i: usize) -> usize {
        if i >= self.removed.end { i - self.removed.len() + self.added } else { i }
    }
    fn apply<T>(&self, mut old: Vec<T>, new: Vec<T>) -> Vec<T> {
        old.splice(self.removed.clone(), new);
        old
    }
}

/// The block's items in `list` (sorted by start; old offsets) must be contiguous, and none
/// outside may start inside the block (nor where it starts).
fn splice<T>(list: &[T], span_of: impl Fn(&T) -> Span, region: &Region, added: usize) -> Option<Spliced> {
    let first = list.iter().position(|x| region.holds(span_of(x))).unwrap_or_else(|| list.partition_point(|x| span_of(x).start <= region.old.start));
    let mut last = first;
    while last < list.len() && region.holds(span_of(&list[last])) {
        last += 1;
    }
    let stray = |x: &T| {
        let s = span_of(x);
        region.holds(s) || (s.start >= region.old.start && s.start < region.old.end)
    };
    if list[..first].iter().any(stray) || list[last..].iter().any(stray) {
        return None;
    }
    Some(Spliced { at: first, removed: first..last, added })
}

/// `list` (sorted by start, then longest first) with the block's items replaced by `new`
/// (already in new offsets), the others shifted.
fn splice_sorted<T: Clone>(
    list: &[T],
    span_of: impl Fn(&T) -> Span,
    region: &Region,
    mut new: Vec<T>,
    shift: impl Fn(&T, &Region) -> T,
) -> Option<Vec<T>> {
    let key = |s: Span| (s.start, std::cmp::Reverse(s.end));
    new.sort_by_key(|x| key(span_of(x)));
    let kept: Vec<T> = list.iter().filter(|x| !region.holds(span_of(x))).map(|x| shift(x, region)).collect();
    let at = kept.partition_point(|x| key(span_of(x)) <= key(region.new));
    if kept[at..].iter().any(|x| span_of(x).start < region.new.end) {
        return None;
    }
    let mut out = kept;
    out.splice(at..at, new);
    Some(out)
}

fn shift_steps(steps: &mut [Step], region: &Region) {
    let mut stack: Vec<&mut Step> = steps.iter_mut().collect();
    while let Some(s) = stack.pop() {
        s.span = region.shift_span(s.span);
        s.name_span = region.shift_span(s.name_span);
        stack.extend(s.steps.iter_mut());
    }
}

/// The enclosing test of each item the block brought, among all tests.
fn assign_region_tests(model: &mut FileModel, _tests: &Spliced, locators: &Spliced, waits: &Spliced, assertions: &Spliced, navigations: &Spliced) {
    let spans: Vec<Span> = model.tests.iter().map(|t| t.span).collect();
    let range = |s: &Spliced| s.at..s.at + s.added;
    let mut items: Vec<Span> = Vec::new();
    items.extend(model.locators[range(locators)].iter().map(|l| l.call_span));
    items.extend(model.waits[range(waits)].iter().map(|w| w.span));
    items.extend(model.assertions[range(assertions)].iter().map(|a| a.span));
    items.extend(model.navigations[range(navigations)].iter().map(|n| n.span));
    let mut owner = extract::containing(&spans, &items).into_iter().map(|chain| chain.last().copied());
    for l in &mut model.locators[range(locators)] {
        l.test = owner.next().flatten();
    }
    for w in &mut model.waits[range(waits)] {
        w.test = owner.next().flatten();
    }
    for a in &mut model.assertions[range(assertions)] {
        a.test = owner.next().flatten();
    }
    for n in &mut model.navigations[range(navigations)] {
        n.test = owner.next().flatten();
    }
}
