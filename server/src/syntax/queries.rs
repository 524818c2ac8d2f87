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

/// All queries of one grammar.
pub struct QuerySet {
    queries: Vec<Query>,
}

impl QuerySet {
    pub fn get(&self, kind: Kind) -> &Query {
        let i = KINDS.iter().position(|k| *k == kind).unwrap_or(0);
        &self.queries[i]
    }
}

/// Compile every query of `language`; `Err` lists each failing file with tree-sitter's message.
pub fn compile(language: Language) -> Result<QuerySet, Vec<String>> {
    let ts = super::ts_language(language);
    let mut queries = Vec::new();
    let mut errors = Vec::new();
    for kind in KINDS {
        match Query::new(&ts, source(language, kind)) {
            Ok(q) => queries.push(q),
            Err(e) => errors.push(format!("{language:?} {kind:?}: {e}")),
        }
    }
    if errors.is_empty() { Ok(QuerySet { queries }) } else { Err(errors) }
}

/// Compiled queries for `language`, compiled on first use. `None` only if a query in the
/// binary fails to compile (a test guards against that); extraction then returns an empty model.
pub fn queries(language: Language) -> Option<&'static QuerySet> {
    static TS: OnceLock<Option<QuerySet>> = OnceLock::new();
    static TSX: OnceLock<Option<QuerySet>> = OnceLock::new();
    static PY: OnceLock<Option<QuerySet>> = OnceLock::new();
    let cell = match language {
        Language::TypeScript => &TS,
        Language::Tsx => &TSX,
        Language::Python => &PY,
    };
    cell.get_or_init(|| compile(language).ok()).as_ref()
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

/// In-progress matches kept per query; beyond it tree-sitter drops the oldest ones (only in
/// pathological nesting), which `facts` reports.
pub(crate) const MATCH_LIMIT: u32 = 256;

/// Run `query` over the whole tree and collect its matches (text predicates applied).
pub(crate) fn facts<'t>(query: &'static Query, root: Node<'t>, text: &str, exceeded: &Cell<bool>) -> Vec<Fact<'t>> {
    let names = query.capture_names();
    let mut cursor = QueryCursor::new();
    cursor.set_match_limit(MATCH_LIMIT);
    let mut out = Vec::new();
    let mut it = cursor.matches(query, root, text.as_bytes());
    while let Some(m) = it.next() {
        let caps = m
            .captures()
            .iter()
            .filter_map(|c| names.get(c.index as usize).map(|n| (*n, c.node)))
            .collect();
        out.push(Fact { caps, props: query.property_settings(m.pattern_index) });
    }
    drop(it);
    if cursor.did_exceed_match_limit() {
        exceeded.set(true);
    }
    out
}
