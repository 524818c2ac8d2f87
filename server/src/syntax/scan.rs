//! Where to run each pattern: one walk over the tree finds the tokens the patterns' text
//! predicates require and, through the walk's ancestor stack, the nodes each pattern could
//! start at. Only there is the pattern run (rooted there), so a file costs a walk plus a few
//! small runs instead of every pattern at every node.
//!
//! This only skips runs that cannot match: a pattern whose predicate needs `getByRole` on a
//! capture it always has cannot match at a node without a `getByRole` token within its reach.
//! That holds as long as predicates test tokens (identifiers, property names, string
//! fragments), and prefixes/suffixes of larger nodes; the tests (scan_tests.rs) check that the
//! facts equal a plain run of every pattern on the fixtures, the examples and mangled copies.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use tree_sitter::Node;

use super::plan::{Key, Word};
use super::queries::Pattern;

/// How far below a capture a token holding one of its `Contains` words may lie.
const CONTAINS_DEPTH: usize = 3;

/// Lookup tables for one set of patterns (with their keys).
pub(crate) struct Plan {
    /// Per node kind id: patterns with no key, run at every node of that kind.
    always: Vec<Vec<usize>>,
    /// Token → (pattern, key bit, levels from the root to the capture at most).
    exact: HashMap<String, Vec<(usize, u16, usize)>, BuildHasherDefault<TokenHasher>>,
    /// Prefix / suffix / substring words, checked on every token.
    other: Vec<(Word, usize, u16, usize)>,
    /// Whether a token can match one of `other`, by its first or last byte (true when some
    /// word is a substring word).
    other_first: [bool; 256],
    other_last: [bool; 256],
    /// Per pattern: the key bits a site needs, and its root kinds.
    need: Vec<u16>,
    roots: Vec<Vec<u16>>,
}

impl Plan {
    /// The patterns `include` accepts, with their own keys.
    pub fn new(patterns: &[Pattern], include: impl Fn(&Pattern) -> bool) -> Plan {
        let keys: Vec<(usize, &[Key])> =
            patterns.iter().enumerate().filter(|(_, p)| include(p)).map(|(i, p)| (i, p.keys.as_slice())).collect();
        Plan::build(patterns, &keys)
    }

    /// Only the given patterns, each with one given key.
    pub fn keyed(patterns: &[Pattern], keys: &[(usize, Key)]) -> Plan {
        let keys: Vec<(usize, &[Key])> = keys.iter().map(|(p, k)| (*p, std::slice::from_ref(k))).collect();
        Plan::build(patterns, &keys)
    }

    fn build(patterns: &[Pattern], keys: &[(usize, &[Key])]) -> Plan {
        let kinds = patterns.iter().flat_map(|p| p.root_ids.iter()).max().map_or(0, |m| *m as usize + 1);
        let mut plan = Plan {
            always: vec![Vec::new(); kinds],
            exact: HashMap::default(),
            other: Vec::new(),
            other_first: [false; 256],
            other_last: [false; 256],
            need: vec![0; patterns.len()],
            roots: patterns.iter().map(|p| p.root_ids.clone()).collect(),
        };
        for (p, keys) in keys {
            if keys.is_empty() {
                for id in &patterns[*p].root_ids {
                    plan.always[*id as usize].push(*p);
                }
                continue;
            }
            for (k, key) in keys.iter().enumerate() {
                let bit = 1u16 << k;
                plan.need[*p] |= bit;
                // the capture sits at most `reach` levels below the root (unknown for names-from
                // keys: the pattern's depth)
                let reach = if key.reach == usize::MAX { patterns[*p].reach } else { key.reach };
                for word in &key.words {
                    match word {
                        Word::Exact(w) => plan.exact.entry(w.clone()).or_default().push((*p, bit, reach)),
                        other => {
                            let (first, last) = match other {
                                Word::Prefix(w) => (w.bytes().next(), None),
                                Word::Suffix(w) => (None, w.bytes().last()),
                                _ => (None, None),
                            };
                            match (first, last) {
                                (Some(b), _) => plan.other_first[b as usize] = true,
                                (_, Some(b)) => plan.other_last[b as usize] = true,
                                // a substring (or an empty word): every token is a candidate
                                _ => (plan.other_first, plan.other_last) = ([true; 256], [true; 256]),
                            }
                            plan.other.push((other.clone(), *p, bit, reach))
                        }
                    }
                }
            }
        }
        plan
    }
}

/// FNV-1a: every named token of a file is looked up, and tokens are short.
#[derive(Default)]
pub(crate) struct TokenHasher(u64);

impl Hasher for TokenHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// The (node, pattern) pairs to run, in tree order of the node, then pattern order.
pub(crate) fn sites<'t>(plan: &Plan, root: Node<'t>, text: &str) -> Vec<(Node<'t>, usize)> {
    // (pre-order number of the node, pattern, key bit, node)
    let mut found: Vec<(u32, usize, u16, Node<'t>)> = Vec::new();
    let mut stack: Vec<(Node<'t>, u32)> = Vec::new();
    let mut order = 0u32;
    let mut cursor = root.walk();
    let keyed = !plan.exact.is_empty() || !plan.other.is_empty();
    let unkeyed = plan.always.iter().any(|ps| !ps.is_empty());
    'walk: loop {
        let node = cursor.node();
        stack.push((node, order));
        if unkeyed && let Some(ps) = plan.always.get(node.kind_id() as usize) {
            found.extend(ps.iter().map(|p| (order, *p, 0, node)));
        }
        order += 1;
        if cursor.goto_first_child() {
            continue;
        }
        if keyed && node.is_named() {
            let token = text.get(node.byte_range()).unwrap_or("");
            // The captured node holds the token: a node whose text equals the word, starts or
            // ends with it has the token as its whole text, first or last token, so it is the
            // token or an ancestor with the same range, start or end. How many such ancestors
            // there are is counted once per token, on demand.
            let (start, end) = (node.start_byte(), node.end_byte());
            let above = &stack[..stack.len() - 1];
            let same = |f: &dyn Fn(&Node) -> bool| above.iter().rev().take_while(|(a, _)| f(a)).count();
            let mut climbs: [Option<usize>; 3] = [None; 3];
            let mut hit = |p: usize, bit: u16, reach: usize, word: Option<&Word>| {
                let up = match word {
                    None | Some(Word::Exact(_)) => *climbs[0].get_or_insert_with(|| same(&|a| a.start_byte() == start && a.end_byte() == end)),
                    Some(Word::Prefix(_)) => *climbs[1].get_or_insert_with(|| same(&|a| a.start_byte() == start)),
                    Some(Word::Suffix(_)) => *climbs[2].get_or_insert_with(|| same(&|a| a.end_byte() == end)),
                    // a substring may lie anywhere below the capture (a string's fragment)
                    Some(Word::Contains(_)) => CONTAINS_DEPTH,
                };
                let reach = (reach + up).min(stack.len() - 1);
                for (anc, at) in stack[stack.len() - 1 - reach..].iter() {
                    if plan.roots[p].contains(&anc.kind_id()) {
                        found.push((*at, p, bit, *anc));
                    }
                }
            };
            if let Some(hits) = plan.exact.get(token) {
                for (p, bit, reach) in hits {
                    hit(*p, *bit, *reach, None);
                }
            }
            let candidate = |bytes: &[u8]| {
                bytes.first().is_some_and(|b| plan.other_first[*b as usize]) || bytes.last().is_some_and(|b| plan.other_last[*b as usize])
            };
            if !plan.other.is_empty() && (token.is_empty() || candidate(token.as_bytes())) {
                for (word, p, bit, reach) in &plan.other {
                    if word.matches(token) {
                        hit(*p, *bit, *reach, Some(word));
                    }
                }
            }
        }
        loop {
            stack.pop();
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    found.sort_unstable_by_key(|(at, p, _, _)| (*at, *p));
    let mut out = Vec::new();
    let mut i = 0;
    while i < found.len() {
        let (at, p, mut bits, node) = found[i];
        i += 1;
        while i < found.len() && found[i].0 == at && found[i].1 == p {
            bits |= found[i].2;
            i += 1;
        }
        if bits == plan.need[p] {
            out.push((node, p));
        }
    }
    out
}

#[cfg(test)]
#[path = "scan_tests.rs"]
mod tests;
