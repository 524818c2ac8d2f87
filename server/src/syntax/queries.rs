//! Query loading: every `grammars/<language>/*.scm` file is compiled into the binary and
//! compiled once per grammar (`OnceLock`), pattern by pattern. Matches are turned into plain
//! `Fact`s that the extractors interpret generically by capture name and `#set!` property.

use std::cell::Cell;
use std::sync::{Arc, OnceLock};

use tree_sitter::{CaptureQuantifier, Node, Query, QueryCursor, QueryProperty, StreamingIterator};

use super::lower;
use super::plan::{self, Key};

use super::{Language, Span};

/// Which query file of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Detect,
    Tests,
    Locators,
    Bindings,
    Waits,
    Assertions,
    Navigation,
}

pub const KINDS: [Kind; 7] = [
    Kind::Detect,
    Kind::Tests,
    Kind::Locators,
    Kind::Bindings,
    Kind::Waits,
    Kind::Assertions,
    Kind::Navigation,
];

macro_rules! grammar {
    ($lang:literal, $file:literal) => {
        include_str!(concat!("../../../grammars/", $lang, "/", $file, ".scm"))
    };
}

/// The query source for a language and kind (TypeScript and TSX share the same files).
pub fn source(language: Language, kind: Kind) -> &'static str {
    match language {
        Language::TypeScript | Language::Tsx => match kind {
            Kind::Detect => grammar!("typescript", "detect"),
            Kind::Tests => grammar!("typescript", "tests"),
            Kind::Locators => grammar!("typescript", "locators"),
            Kind::Bindings => grammar!("typescript", "bindings"),
            Kind::Waits => grammar!("typescript", "waits"),
            Kind::Assertions => grammar!("typescript", "assertions"),
            Kind::Navigation => grammar!("typescript", "navigation"),
        },
        Language::Python => match kind {
            Kind::Detect => grammar!("python", "detect"),
            Kind::Tests => grammar!("python", "tests"),
            Kind::Locators => grammar!("python", "locators"),
            Kind::Bindings => grammar!("python", "bindings"),
            Kind::Waits => grammar!("python", "waits"),
            Kind::Assertions => grammar!("python", "assertions"),
            Kind::Navigation => grammar!("python", "navigation"),
        },
    }
}

/// One pattern of a query file, compiled on its own (on first use: compiling costs far more
/// than running, and a listing needs only a few patterns) so that it can be run only where it
/// may match (see `scan`), with what `plan` read from its source.
pub struct Pattern {
    pub(crate) kind: Kind,
    language: Language,
    pub(crate) source: &'static str,
    /// `source` as compiled: its nodes of fixed kind as wildcards (see `lower`), when any.
    pub(crate) lowered: Option<String>,
    /// The compiled query holding this pattern, and the pattern's index in it: its own, or one
    /// shared with the patterns `warm` compiled together with it.
    query: OnceLock<Option<(Arc<Query>, usize)>>,
    /// Node kind ids of the pattern's root (a name can have several ids).
    pub(crate) root_ids: Vec<u16>,
    /// How deep below its root a token its predicates name can be.
    pub(crate) reach: usize,
    /// Positive text predicates on captures every match has: each needs a token nearby.
    pub(crate) keys: Vec<Key>,
    /// `(#set! @c names-from "other")`: the pattern matters only where @c names the text of an
    /// `@other` capture, so it runs after the rest, keyed by those names.
    pub(crate) names_from: Option<(String, String)>,
    /// Its framework is picked from detect.scm's results (`framework "detect:…"`).
    pub(crate) asks_detect: bool,
}

impl Pattern {
    /// The compiled query and this pattern's index in it; `None` if it does not compile (a test
    /// guards against that).
    pub(crate) fn query(&self) -> Option<(&Query, usize)> {
        self.query
            .get_or_init(|| {
                let ts = super::ts_language(self.language);
                // as written if the lowered form does not compile (`compile` reports that)
                let lowered = self.lowered.as_deref().and_then(|l| Query::new(&ts, l).ok());
                lowered.or_else(|| Query::new(&ts, self.source).ok()).map(|q| (Arc::new(q), 0))
            })
            .as_ref()
            .map(|(q, i)| (&**q, *i))
    }

    /// The source handed to tree-sitter.
    fn compiled_source(&self) -> &str {
        self.lowered.as_deref().unwrap_or(self.source)
    }
}

/// All queries of one grammar (of a scope), pattern by pattern, in file order.
pub struct QuerySet {
    pub(crate) patterns: Vec<Pattern>,
    pub(crate) plan: super::scan::Plan,
    /// The index's locator patterns, run only inside values bound to page-object names (see
    /// `Scope::Index`): none in other scopes.
    pub(crate) bound: Option<super::scan::Plan>,
}

impl QuerySet {
    /// The kind of the query file pattern `pattern` comes from.
    pub fn kind_of(&self, pattern: usize) -> Kind {
        self.patterns[pattern].kind
    }
    /// How many patterns `kind`'s file has.
    pub fn pattern_count(&self, kind: Kind) -> usize {
        self.patterns.iter().filter(|p| p.kind == kind).count()
    }
}

fn kind_index(kind: Kind) -> usize {
    KINDS.iter().position(|k| *k == kind).unwrap_or(0)
}

/// Which patterns to run: everything, only what a listing prints (`argus-lsp tests`: tests and
/// suites, no steps or tag options), or what the workspace index keeps of a file: its tests and
/// suites, and its page objects (the locators bound to names: bindings, and the locator
/// patterns run only inside the bound values; no locals, no uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    TestsOnly,
    Index,
}

impl Scope {
    fn kinds(self) -> &'static [Kind] {
        match self {
            Scope::All => &KINDS,
            Scope::TestsOnly => &[Kind::Detect, Kind::Tests],
            Scope::Index => &[Kind::Detect, Kind::Tests, Kind::Locators, Kind::Bindings],
        }
    }

    /// Whether a pattern of `kind` with these captures is run in this scope.
    fn includes(self, kind: Kind, captures: &[String]) -> bool {
        let has = |name: &str| captures.iter().any(|c| c == name);
        match (self, kind) {
            (Scope::TestsOnly | Scope::Index, Kind::Tests) => has("test") || has("suite"),
            (Scope::Index, Kind::Bindings) => has("binding.name"),
            _ => true,
        }
    }
}

/// Compile every query of `language`; `Err` lists each failing file with tree-sitter's message,
/// and each pattern whose plan (see `plan`) disagrees with the compiled query.
pub fn compile(language: Language) -> Result<QuerySet, Vec<String>> {
    let set = load(language, Scope::All);
    let ts = super::ts_language(language);
    let mut errors = Vec::new();
    for kind in KINDS {
        if let Err(e) = Query::new(&ts, source(language, kind)) {
            errors.push(format!("{language:?} {kind:?}: {e}"));
        }
    }
    for p in &set.patterns {
        if let Some(lowered) = &p.lowered
            && let Err(e) = Query::new(&ts, lowered)
        {
            errors.push(format!("{language:?} {:?}: the lowered pattern does not compile ({e}):\n{lowered}", p.kind));
        }
        let Some((query, index)) = p.query() else {
            if errors.is_empty() {
                errors.push(format!("{language:?} {:?}: a pattern does not compile on its own:\n{}", p.kind, p.source));
            }
            continue;
        };
        // the plan may only look for words of captures tree-sitter says every match has
        let always = |c: &str| {
            query.capture_index_for_name(c).is_some_and(|i| {
                matches!(query.capture_quantifiers(index).get(i as usize), Some(CaptureQuantifier::One | CaptureQuantifier::OneOrMore))
            })
        };
        let keyed = p.keys.iter().map(|k| k.capture.as_str()).chain(p.names_from.as_ref().map(|(c, _)| c.as_str()));
        for c in keyed {
            if query.pattern_count() != 1 || !always(c) {
                errors.push(format!("{language:?} {:?}: plan keys on @{c}, which a match may lack:\n{}", p.kind, p.source));
            }
        }
        if p.root_ids.is_empty() {
            errors.push(format!("{language:?} {:?}: no root node kind found for:\n{}", p.kind, p.source));
        }
    }
    if errors.is_empty() { Ok(set) } else { Err(errors) }
}

/// Split and read the query files of `scope`; nothing is compiled yet.
pub(crate) fn load(language: Language, scope: Scope) -> QuerySet {
    let ts = super::ts_language(language);
    let mut patterns = Vec::new();
    for kind in scope.kinds() {
        let source = source(language, *kind);
        for (start, end) in plan::split(source) {
            let text = &source[start..end];
            let shape = plan::shape(text);
            if !scope.includes(*kind, &shape.captures) {
                continue;
            }
            let root_ids = (0..ts.node_kind_count() as u16)
                .filter(|id| ts.node_kind_is_named(*id) && ts.node_kind_for_id(*id) == Some(shape.root.as_str()))
                .collect();
            let plain_kind = |kind: &str| {
                let id = ts.id_for_node_kind(kind, true);
                id != 0 && ts.node_kind_is_visible(id) && !ts.node_kind_is_supertype(id)
            };
            patterns.push(Pattern {
                kind: *kind,
                language,
                source: text,
                lowered: super::lower::lower(text, plain_kind),
                query: OnceLock::new(),
                root_ids,
                reach: shape.depth + 1,
                keys: shape.keys.into_iter().take(16).collect(),
                names_from: shape.names_from,
                asks_detect: text.contains("\"detect:"),
            });
        }
    }
    let deferred = |p: &Pattern| scope == Scope::Index && p.kind == Kind::Locators;
    let plan = super::scan::Plan::new(&patterns, |p| p.names_from.is_none() && !deferred(p));
    let bound = (scope == Scope::Index).then(|| super::scan::Plan::new(&patterns, deferred));
    QuerySet { patterns, plan, bound }
}

/// The queries of `language`, read on first use; each pattern compiles on its first run (a
/// pattern that fails to compile never matches; a test guards against that).
pub fn queries(language: Language) -> Option<&'static QuerySet> {
    queries_in(language, Scope::All)
}

pub fn queries_in(language: Language, scope: Scope) -> Option<&'static QuerySet> {
    static CELLS: [OnceLock<QuerySet>; 9] = [const { OnceLock::new() }; 9];
    let lang = match language {
        Language::TypeScript => 0,
        Language::Tsx => 1,
        Language::Python => 2,
    };
    let scope_index = match scope {
        Scope::All => 0,
        Scope::TestsOnly => 1,
        Scope::Index => 2,
    };
    let cell = &CELLS[lang * 3 + scope_index];
    Some(cell.get_or_init(|| load(language, scope)))
}

/// The patterns a run over `root` would compile: those with a site, and detect.scm's when one
/// of them picks its framework from it. For warming them up together (`warm`).
pub(crate) fn needed(set: &QuerySet, root: Node, text: &str) -> Vec<usize> {
    let mut out: Vec<usize> = super::scan::sites(&set.plan, root, text).into_iter().map(|(_, p)| p).collect();
    out.sort_unstable();
    out.dedup();
    let detects = out.iter().any(|p| set.patterns[*p].asks_detect);
    out.retain(|p| detects || set.patterns[*p].kind != Kind::Detect);
    out
}

/// Compile these patterns of `set` together, as one query: tree-sitter analyses a query
/// against the whole parse table (3 ms for TypeScript, whatever the query), then each named
/// parent node of each pattern (3–10 ms; `lower` leaves few), so a one-shot listing compiles
/// the few patterns its files need at once. Patterns
/// already compiled are left alone; if the whole does not compile, each compiles on first use.
pub(crate) fn warm(set: &QuerySet, patterns: &[usize]) {
    let cold: Vec<&Pattern> = patterns.iter().map(|p| &set.patterns[*p]).filter(|p| p.query.get().is_none()).collect();
    let Some(first) = cold.first() else { return };
    let source = cold.iter().map(|p| p.compiled_source()).collect::<Vec<_>>().join("\n");
    let Ok(query) = Query::new(&super::ts_language(first.language), &source) else { return };
    if query.pattern_count() != cold.len() {
        return;
    }
    let query = Arc::new(query);
    for (i, p) in cold.iter().enumerate() {
        let _ = p.query.set(Some((query.clone(), i)));
    }
}

/// One query match: captures by name and the pattern's `#set!` properties.
#[derive(Debug, Clone)]
pub(crate) struct Fact<'t> {
    pub caps: Vec<(&'static str, Node<'t>)>,
    pub props: &'static [QueryProperty],
}

impl<'t> Fact<'t> {
    pub fn node(&self, name: &str) -> Option<Node<'t>> {
        self.caps.iter().find(|(n, _)| *n == name).map(|(_, node)| *node)
    }
    pub fn nodes<'a>(&'a self, name: &'a str) -> impl Iterator<Item = Node<'t>> + 'a {
        self.caps.iter().filter(move |(n, _)| *n == name).map(|(_, node)| *node)
    }
    pub fn prop(&self, key: &str) -> Option<&'static str> {
        self.props
            .iter()
            .find(|p| &*p.key == key)
            .and_then(|p| p.value.as_deref())
    }
}

/// In-progress matches kept per run of one pattern at one node; beyond it tree-sitter drops
/// the oldest ones (only in pathological nesting), which `facts` reports.
pub(crate) const MATCH_LIMIT: u32 = 256;

/// The matches of a file, by kind (indexed like `KINDS`), in tree order of the match's root
/// node, then pattern order. detect.scm's patterns are not run here: `detected` runs their
/// sites when a pattern asks which libraries the file uses (a listing of Playwright tests never
/// does, and so never compiles them).
pub(crate) struct Facts<'t> {
    pub kinds: [Vec<Fact<'t>>; 7],
    pub detect_sites: Vec<(Node<'t>, usize)>,
}

/// Run each pattern at its sites; `names_of`: for patterns keyed by names, the capture that
/// must be one of them. `once`: stop a pattern after its first match.
fn exec<'t>(
    set: &'static QuerySet,
    sites: &[(Node<'t>, usize)],
    text: &str,
    names_of: &[(usize, Key)],
    once: bool,
    out: &mut [Vec<Fact<'t>>; 7],
    exceeded: &Cell<bool>,
) {
    let mut cursor = QueryCursor::new();
    cursor.set_match_limit(MATCH_LIMIT);
    cursor.set_max_start_depth(Some(0));
    let mut done = vec![false; if once { set.patterns.len() } else { 0 }];
    for &(node, p) in sites {
        if once && done[p] {
            continue;
        }
        let pattern = &set.patterns[p];
        let Some((query, index)) = pattern.query() else { continue };
        let names = query.capture_names();
        let props = query.property_settings(index);
        let mut it = cursor.matches(query, node, text.as_bytes());
        while let Some(m) = it.next() {
            if m.pattern_index != index || !lower::kinds_hold(names, m.captures()) {
                continue;
            }
            let caps = m
                .captures()
                .iter()
                .filter_map(|c| names.get(c.index as usize).filter(|n| !lower::is_kind_capture(n)).map(|n| (*n, c.node)))
                .collect();
            let fact = Fact { caps, props };
            // a site holds a name somewhere within reach; the match must have it in place
            if let Some((_, key)) = names_of.iter().find(|(q, _)| *q == p)
                && !fact.nodes(&key.capture).any(|n| key.words.iter().any(|w| w.matches(text.get(n.byte_range()).unwrap_or(""))))
            {
                continue;
            }
            out[kind_index(pattern.kind)].push(fact);
            if once {
                done[p] = true;
                break;
            }
        }
        drop(it);
        if cursor.did_exceed_match_limit() {
            exceeded.set(true);
        }
    }
}

/// Run the queries of `set` over the tree under `root`, each pattern only at the nodes `scan`
/// picks, and collect their matches (text predicates applied). `names`: page-object names bound
/// elsewhere (for `names-from` patterns), besides those found here.
pub(crate) fn facts<'t>(
    set: &'static QuerySet,
    root: Node<'t>,
    text: &str,
    exceeded: &Cell<bool>,
    names: &[String],
) -> Facts<'t> {
    let mut out: [Vec<Fact<'t>>; 7] = Default::default();
    let (detect_sites, sites): (Vec<_>, Vec<_>) =
        super::scan::sites(&set.plan, root, text).into_iter().partition(|(_, p)| set.patterns[*p].kind == Kind::Detect);
    exec(set, &sites, text, &[], false, &mut out, exceeded);

    // patterns keyed by names found above (page-object uses by binding names)
    let mut keys: Vec<(usize, Key)> = Vec::new();
    for (p, pattern) in set.patterns.iter().enumerate() {
        let Some((capture, from)) = &pattern.names_from else { continue };
        let mut words: Vec<plan::Word> = Vec::new();
        let found = out.iter().flatten().flat_map(|f| f.nodes(from)).map(|n| text.get(n.byte_range()).unwrap_or(""));
        for name in found.chain(names.iter().map(String::as_str)) {
            let w = plan::Word::Exact(name.to_string());
            if !words.contains(&w) {
                words.push(w);
            }
        }
        if !words.is_empty() {
            keys.push((p, Key { capture: capture.clone(), words, reach: usize::MAX }));
        }
    }
    if !keys.is_empty() {
        let plan = super::scan::Plan::keyed(&set.patterns, &keys);
        exec(set, &super::scan::sites(&plan, root, text), text, &keys, false, &mut out, exceeded);
    }

    // the index's locators: inside bound values only (the outermost, in tree order)
    if let Some(bound) = &set.bound {
        let mut values: Vec<Node<'t>> = out[kind_index(Kind::Bindings)].iter().filter_map(|f| f.node("binding.value")).collect();
        values.sort_by_key(|n| (n.start_byte(), std::cmp::Reverse(n.end_byte())));
        let mut last: Option<std::ops::Range<usize>> = None;
        let mut sites = Vec::new();
        for v in values {
            if last.as_ref().is_some_and(|l| l.start <= v.start_byte() && v.end_byte() <= l.end) {
                continue;
            }
            last = Some(v.byte_range());
            sites.extend(super::scan::sites(bound, v, text));
        }
        exec(set, &sites, text, &[], false, &mut out, exceeded);
    }
    Facts { kinds: out, detect_sites }
}

/// Which libraries the file uses: the capture names of detect.scm (one match of each pattern
/// is enough).
pub(crate) fn detected(set: &'static QuerySet, sites: &[(Node, usize)], text: &str) -> Vec<&'static str> {
    detected_where(set, sites, text).into_iter().map(|(name, _)| name).collect()
}

/// `detected`, each library with the span of a match that shows it.
pub(crate) fn detected_where(set: &'static QuerySet, sites: &[(Node, usize)], text: &str) -> Vec<(&'static str, Span)> {
    let mut out: [Vec<Fact>; 7] = Default::default();
    exec(set, sites, text, &[], true, &mut out, &Cell::new(false));
    let mut names: Vec<(&'static str, Span)> = Vec::new();
    for f in out.iter().flatten() {
        let at = f.caps.iter().map(|(_, n)| super::strings::span(*n)).reduce(|a, b| Span::new(a.start.min(b.start), a.end.max(b.end)));
        for (name, _) in &f.caps {
            if !name.starts_with('_') && !names.iter().any(|(n, _)| n == name) {
                names.push((name, at.unwrap_or_default()));
            }
        }
    }
    names
}

/// A match as plain data: pattern, then captures by name and byte range.
pub(crate) type PlainMatch = (usize, Vec<(&'static str, std::ops::Range<usize>)>);

/// Every match of the patterns rooted at `node`'s kind, run there with no regard to words
/// (what scan would skip included); `None` when a run went over the match limit. A pattern not
/// compiled yet never had a site: it is only compiled and run if `wanted` says so.
pub(crate) fn matches_at(
    set: &'static QuerySet,
    node: Node,
    text: &str,
    cursor: &mut QueryCursor,
    wanted: impl Fn(&Pattern) -> bool,
) -> Option<Vec<PlainMatch>> {
    cursor.set_match_limit(MATCH_LIMIT);
    cursor.set_max_start_depth(Some(0));
    let mut out = Vec::new();
    for (p, pattern) in set.patterns.iter().enumerate() {
        if !pattern.root_ids.contains(&node.kind_id()) || (pattern.query.get().is_none() && !wanted(pattern)) {
            continue;
        }
        let Some((query, index)) = pattern.query() else { continue };
        let names = query.capture_names();
        let mut it = cursor.matches(query, node, text.as_bytes());
        while let Some(m) = it.next() {
            if m.pattern_index == index && lower::kinds_hold(names, m.captures()) {
                let caps = m.captures().iter().filter_map(|c| names.get(c.index as usize).filter(|n| !lower::is_kind_capture(n)).map(|n| (*n, c.node.byte_range())));
                out.push((p, caps.collect()));
            }
        }
        drop(it);
        if cursor.did_exceed_match_limit() {
            return None;
        }
    }
    Some(out)
}
