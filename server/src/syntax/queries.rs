//! Query loading: every `grammars/<language>/*.scm` file is compiled into the binary and
//! compiled once per grammar (`OnceLock`). Matches are turned into plain `Fact`s that the
//! extractors interpret generically by capture name and `#set!` property.

use std::cell::Cell;
use std::sync::OnceLock;

use tree_sitter::{Node, Query, QueryCursor, QueryProperty, StreamingIterator};

use super::Language;

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

/// All queries of one grammar, compiled into one query (one pass over the tree instead of one
/// per kind); each pattern knows its kind from where its source starts.
pub struct QuerySet {
    query: Query,
    /// The kind of each pattern of `query`.
    kinds: Vec<Kind>,
}

impl QuerySet {
    /// The combined query.
    pub fn query(&self) -> &Query {
        &self.query
    }
    /// The kind of the query file pattern `pattern` of `query()` comes from.
    pub fn kind_of(&self, pattern: usize) -> Kind {
        self.kinds[pattern]
    }
    /// How many patterns `kind`'s file has.
    pub fn pattern_count(&self, kind: Kind) -> usize {
        self.kinds.iter().filter(|k| **k == kind).count()
    }
}

fn kind_index(kind: Kind) -> usize {
    KINDS.iter().position(|k| *k == kind).unwrap_or(0)
}

/// Which query files to run: everything, or only what finding tests needs (compiling the full
/// query costs a few hundred milliseconds, which a one-shot `argus-lsp tests` should not pay).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    TestsOnly,
}

impl Scope {
    fn kinds(self) -> &'static [Kind] {
        match self {
            Scope::All => &KINDS,
            Scope::TestsOnly => &[Kind::Detect, Kind::Tests],
        }
    }
}

/// Compile every query of `language`; `Err` lists each failing file with tree-sitter's message.
pub fn compile(language: Language) -> Result<QuerySet, Vec<String>> {
    compile_scope(language, Scope::All)
}

fn compile_scope(language: Language, scope: Scope) -> Result<QuerySet, Vec<String>> {
    let ts = super::ts_language(language);
    let mut combined = String::new();
    let mut starts = Vec::new();
    for kind in scope.kinds() {
        starts.push((combined.len(), *kind));
        combined.push_str(source(language, *kind));
        combined.push('\n');
    }
    match Query::new(&ts, &combined) {
        Ok(query) => {
            let kinds = (0..query.pattern_count())
                .map(|p| {
                    let at = query.start_byte_for_pattern(p);
                    starts.iter().rev().find(|(s, _)| *s <= at).map_or(Kind::Detect, |(_, k)| *k)
                })
                .collect();
            Ok(QuerySet { query, kinds })
        }
        Err(e) => {
            // name the failing file(s): compile each on its own
            let errors: Vec<String> = scope
                .kinds()
                .iter()
                .filter_map(|kind| Query::new(&ts, source(language, *kind)).err().map(|e| format!("{language:?} {kind:?}: {e}")))
                .collect();
            Err(if errors.is_empty() { vec![format!("{language:?}: {e}")] } else { errors })
        }
    }
}

/// Compiled queries for `language`, compiled on first use. `None` only if a query in the
/// binary fails to compile (a test guards against that); extraction then returns an empty model.
pub fn queries(language: Language) -> Option<&'static QuerySet> {
    queries_in(language, Scope::All)
}

pub fn queries_in(language: Language, scope: Scope) -> Option<&'static QuerySet> {
    static CELLS: [OnceLock<Option<QuerySet>>; 6] = [const { OnceLock::new() }; 6];
    let lang = match language {
        Language::TypeScript => 0,
        Language::Tsx => 1,
        Language::Python => 2,
    };
    let cell = &CELLS[lang * 2 + usize::from(scope == Scope::TestsOnly)];
    cell.get_or_init(|| compile_scope(language, scope).ok()).as_ref()
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

/// In-progress matches kept; beyond it tree-sitter drops the oldest ones (only in pathological
/// nesting), which `facts` reports. Seven query files run as one query: seven times the limit
/// each of them had on its own.
pub(crate) const MATCH_LIMIT: u32 = 256 * 7;

/// Run all queries of `set` over the whole tree in one pass and collect their matches (text
/// predicates applied), by kind (indexed like `KINDS`), each in match order.
pub(crate) fn facts<'t>(set: &'static QuerySet, root: Node<'t>, text: &str, exceeded: &Cell<bool>) -> [Vec<Fact<'t>>; 7] {
    let query = &set.query;
    let names = query.capture_names();
    let mut cursor = QueryCursor::new();
    cursor.set_match_limit(MATCH_LIMIT);
    let mut out: [Vec<Fact<'t>>; 7] = Default::default();
    let mut it = cursor.matches(query, root, text.as_bytes());
    while let Some(m) = it.next() {
        let caps = m
            .captures()
            .iter()
            .filter_map(|c| names.get(c.index as usize).map(|n| (*n, c.node)))
            .collect();
        let kind = set.kinds[m.pattern_index];
        out[kind_index(kind)].push(Fact { caps, props: query.property_settings(m.pattern_index) });
    }
    drop(it);
    if cursor.did_exceed_match_limit() {
        exceeded.set(true);
    }
    out
}
