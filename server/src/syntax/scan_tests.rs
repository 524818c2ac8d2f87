//! `scan` only skips runs that cannot match: its facts equal those of running every pattern at
//! every node of its root kind, on the fixtures, the examples, and randomly mangled copies.

use std::cell::Cell;
use std::path::Path;

use tree_sitter::{Node, Query, QueryCapture, QueryCursor, StreamingIterator};

use super::super::lower;
use super::super::queries::{self, KINDS, QuerySet};
use super::super::{Language, parse};

/// A fact as comparable data: pattern kind, captures by name and byte range.
type Plain = (usize, Vec<(&'static str, std::ops::Range<usize>)>);

fn plain(facts: [Vec<queries::Fact>; 7]) -> Vec<Vec<Plain>> {
    facts
        .into_iter()
        .enumerate()
        .map(|(k, fs)| fs.into_iter().map(|f| (k, f.caps.iter().map(|(n, node)| (*n, node.byte_range())).collect())).collect())
        .collect()
}

/// Every pattern at every node of its root kind, in tree order; patterns keyed by names
/// (`names-from`) after the rest, keeping the matches that name one; of detect.scm patterns
/// (which libraries a file uses), the first match only.
fn reference(set: &'static QuerySet, root: Node, text: &str) -> Vec<Vec<Plain>> {
    let nodes = all_nodes(root);
    let mut out: Vec<Vec<Plain>> = vec![Vec::new(); 7];
    let mut qc = QueryCursor::new();
    qc.set_max_start_depth(Some(0));
    let mut detected = vec![false; set.patterns.len()];
    let mut run = |deferred: bool, names: &[String], out: &mut Vec<Vec<Plain>>| {
        for node in &nodes {
            for (i, p) in set.patterns.iter().enumerate().filter(|(_, p)| p.names_from.is_some() == deferred) {
                if !p.root_ids.contains(&node.kind_id()) || detected[i] {
                    continue;
                }
                let (query, index) = p.query().expect("compiles");
                let k = KINDS.iter().position(|k| *k == p.kind).unwrap();
                let mut it = qc.matches(query, *node, text.as_bytes());
                while let Some(m) = it.next() {
                    if m.pattern_index != index || !lower::kinds_hold(query.capture_names(), m.captures()) {
                        continue;
                    }
                    let caps = plain_captures(query, m.captures());
                    if let Some((c, _)) = &p.names_from
                        && !caps.iter().any(|(n, r)| n == c && names.iter().any(|x| x == &text[r.clone()]))
                    {
                        continue;
                    }
                    out[k].push((k, caps));
                    if p.kind == queries::Kind::Detect {
                        detected[i] = true;
                        break;
                    }
                }
            }
        }
    };
    run(false, &[], &mut out);
    let names: Vec<String> = out
        .iter()
        .flatten()
        .flat_map(|(_, caps)| caps.iter().filter(|(n, _)| *n == "binding.name").map(|(_, r)| text[r.clone()].to_string()))
        .collect();
    if !names.is_empty() {
        run(true, &names, &mut out);
    }
    out
}

fn check(language: Language, text: &str, what: &str) {
    let set = queries::queries(language).unwrap();
    let Some(tree) = parse(language, text, None) else { return };
    let exceeded = Cell::new(false);
    let facts = queries::facts(set, tree.root_node(), text, &exceeded, &[]);
    let detected = queries::detected(set, &facts.detect_sites, text);
    let scanned = plain(facts.kinds);
    let expected = reference(set, tree.root_node(), text);
    for k in 1..7 {
        assert_eq!(scanned[k], expected[k], "{what}: {:?} facts differ", KINDS[k]);
    }
    let mut names: Vec<&str> = Vec::new();
    for (_, caps) in &expected[0] {
        for (n, _) in caps {
            if !n.starts_with('_') && !names.contains(n) {
                names.push(n);
            }
        }
    }
    assert_eq!(detected, names, "{what}: detected libraries differ");
}

fn sources() -> Vec<(Language, String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out = Vec::new();
    let mut dirs = vec![root.join("tests/fixtures/syntax"), root.join("tests/examples")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "node_modules") {
                    dirs.push(path);
                }
            } else if let Some(language) = Language::from_path(&path.to_string_lossy())
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                out.push((language, path.display().to_string(), text));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    assert!(out.len() >= 10, "fixtures found: {}", out.len());
    out
}

#[test]
fn scan_finds_every_match_on_fixtures_and_examples() {
    for (language, path, text) in sources() {
        check(language, &text, &path);
    }
}

/// Captures by name and byte range, without those `lower` adds.
fn plain_captures(query: &Query, captures: &[QueryCapture]) -> Vec<(&'static str, std::ops::Range<usize>)> {
    let names = query.capture_names();
    captures
        .iter()
        .map(|c| (names[c.index as usize], c.node.byte_range()))
        .filter(|(n, _)| !lower::is_kind_capture(n))
        .map(|(n, r)| (leak(n), r))
        .collect()
}

/// Capture names outlive the queries of a test (queries of a `QuerySet` are static anyway).
fn leak(name: &str) -> &'static str {
    Box::leak(name.to_string().into_boxed_str())
}

fn all_nodes(root: Node) -> Vec<Node> {
    let mut nodes = Vec::new();
    let mut cursor = root.walk();
    'walk: loop {
        nodes.push(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    nodes
}

#[test]
fn scan_finds_every_match_on_mangled_sources() {
    for (round, (language, path, text)) in mangled(300).into_iter().enumerate() {
        check(language, &text, &format!("round {round} from {path}:\n{text}"));
    }
}

/// Lowered patterns (see `lower`: nodes of fixed kind compiled as wildcards) match exactly as
/// written, at every node of their root kind, on the fixtures, the examples and mangled copies.
#[test]
fn lowered_patterns_match_as_written() {
    let mut inputs = sources();
    inputs.extend(mangled(150));
    let (mut lowered, mut compared, mut matched) = (0, 0, 0);
    let mut qc = QueryCursor::new();
    qc.set_max_start_depth(Some(0));
    for language in [Language::TypeScript, Language::Tsx, Language::Python] {
        let set = queries::queries(language).unwrap();
        let ts = super::super::ts_language(language);
        let written: Vec<Option<Query>> =
            set.patterns.iter().map(|p| p.lowered.as_ref().map(|_| Query::new(&ts, p.source).expect("compiles as written"))).collect();
        lowered += written.iter().flatten().count();
        for (_, path, text) in inputs.iter().filter(|(l, _, _)| *l == language) {
            let Some(tree) = parse(language, text, None) else { continue };
            for node in all_nodes(tree.root_node()) {
                for (p, original) in set.patterns.iter().zip(&written) {
                    let Some(original) = original.as_ref().filter(|_| p.root_ids.contains(&node.kind_id())) else { continue };
                    let (query, index) = p.query().expect("compiles");
                    let mut got = Vec::new();
                    let mut it = qc.matches(query, node, text.as_bytes());
                    while let Some(m) = it.next() {
                        if m.pattern_index == index && lower::kinds_hold(query.capture_names(), m.captures()) {
                            got.push(plain_captures(query, m.captures()));
                        }
                    }
                    drop(it);
                    let mut want = Vec::new();
                    let mut it = qc.matches(original, node, text.as_bytes());
                    while let Some(m) = it.next() {
                        want.push(plain_captures(original, m.captures()));
                    }
                    drop(it);
                    compared += 1;
                    matched += want.len();
                    assert_eq!(got, want, "{path}: at {:?}, pattern:\n{}\nlowered:\n{}", node.byte_range(), p.source, p.lowered.as_deref().unwrap_or(""));
                }
            }
        }
    }
    assert!(lowered >= 30, "patterns lowered: {lowered}");
    assert!(compared > 10_000 && matched > 500, "runs compared: {compared}, matches: {matched}");
}

/// Copies of the sources with random slices cut, duplicated and spliced (and tokens the queries
/// look for inserted), so that words land at every depth and the syntax breaks in many ways.
fn mangled(rounds: usize) -> Vec<(Language, String, String)> {
    const WORDS: [&str; 21] = [
        "page", "locator(", "getByRole('x', { name: 'y' })", "test(", "describe", ".only", "By.ID", "expect(", "self.", "(",
        ")", "{", "'", "\n", "driver", ".driver", "getByText", "(TestCase)", "test_x", "'@playwright/test'", "{ tag: '@a' }",
    ];
    let mut rng = fastrand::Rng::with_seed(7);
    let sources = sources();
    let mut out = Vec::new();
    for _ in 0..rounds {
        let (language, path, text) = &sources[rng.usize(..sources.len())];
        let mut text = text.clone();
        for _ in 0..rng.usize(1..6) {
            let x = boundary(&text, rng.usize(..=text.len()));
            let y = boundary(&text, rng.usize(..=text.len()));
            let a = x.min(y);
            let b = boundary(&text, x.max(y).min(a + 400));
            match rng.u8(..3) {
                0 => text.replace_range(a..b, ""),
                1 => {
                    let slice = text[a..b].to_string();
                    text.insert_str(a, &slice);
                }
                _ => text.insert_str(a, WORDS[rng.usize(..WORDS.len())]),
            }
        }
        out.push((*language, path.clone(), text));
    }
    out
}

fn boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[test]
fn narrower_scopes_find_the_same_tests_locators_and_bindings() {
    use super::super::{TestCase, parse_for_index, parse_model, parse_tests};
    let bound = |m: &super::super::FileModel| -> Vec<_> {
        m.locators.iter().filter(|l| l.binding.is_some()).map(|l| (l.value.clone(), l.name.clone(), l.binding.clone())).collect()
    };
    let bare = |tests: &[TestCase]| -> Vec<TestCase> { tests.iter().map(|t| TestCase { steps: vec![], tags: vec![], ..t.clone() }).collect() };
    let mut page_objects = 0;
    for (language, path, text) in sources() {
        let full = parse_model(language, &text);
        let index = parse_for_index(language, &text);
        assert_eq!(bare(&index.tests), bare(&full.tests), "{path}");
        assert_eq!(bound(&index), bound(&full), "{path}");
        page_objects += bound(&full).len();
        // a listing leaves out steps and tags
        assert_eq!(parse_tests(language, &text).tests, bare(&full.tests), "{path}");
    }
    assert!(page_objects > 5, "the fixtures have page objects: {page_objects}");
}

#[test]
fn listing_many_files_compiles_their_patterns_together_and_finds_the_same_tests() {
    use super::super::{list_tests, parse_tests};
    let sources = sources();
    let inputs: Vec<(Language, &str)> = sources.iter().map(|(l, _, t)| (*l, t.as_str())).collect();
    let listed = list_tests(&inputs);
    for ((language, path, text), model) in sources.iter().zip(&listed) {
        let full = super::super::parse_model(*language, text);
        let tests: Vec<_> = full.tests.iter().map(|t| super::super::TestCase { steps: vec![], tags: vec![], ..t.clone() }).collect();
        assert_eq!(model.tests, tests, "{path}");
        assert_eq!(model, &parse_tests(*language, text), "{path}");
    }
}

#[test]
fn patterns_compiled_together_match_as_they_do_alone() {
    for language in [Language::TypeScript, Language::Python] {
        let alone = queries::queries(language).unwrap();
        let together: &'static QuerySet = Box::leak(Box::new(queries::load(language, queries::Scope::All)));
        let all: Vec<usize> = (0..together.patterns.len()).collect();
        queries::warm(together, &all);
        assert!(together.patterns.iter().all(|p| p.query().is_some_and(|(_, i)| i > 0) || std::ptr::eq(p, &together.patterns[0])));
        for (l, path, text) in sources().into_iter().filter(|(l, _, _)| (*l == Language::Python) == (language == Language::Python)) {
            let Some(tree) = parse(l, &text, None) else { continue };
            let facts = |set: &'static QuerySet| {
                let f = queries::facts(set, tree.root_node(), &text, &Cell::new(false), &[]);
                let detected = queries::detected(set, &f.detect_sites, &text);
                let props: Vec<Vec<(String, Option<String>)>> = f
                    .kinds
                    .iter()
                    .flatten()
                    .map(|f| f.props.iter().map(|p| (p.key.to_string(), p.value.as_deref().map(str::to_string))).collect())
                    .collect();
                (plain(f.kinds), detected, props)
            };
            let (a, b) = if l == language { (facts(alone), facts(together)) } else {
                // TSX files against the TypeScript sets: skip (their sets differ by grammar)
                continue;
            };
            assert_eq!(a, b, "{path}");
        }
    }
}

