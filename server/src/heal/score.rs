//! Healenium's heuristic node distance: how much an element of the changed page looks like
//! the recorded one. Weights: tag 100, path LCS 100 × LCS/height, id 50, class 40, text 30,
//! other attributes 30; the sum over 350. A path higher than 5 whose LCS covers less than
//! 70 % of it scores 0 (the element moved too far to be the same one).

use std::collections::BTreeSet;

use super::fingerprint::{DomTree, Fingerprint};

const TAG: f64 = 100.0;
const LCS: f64 = 100.0;
const ID: f64 = 50.0;
const CLASS: f64 = 40.0;
const TEXT: f64 = 30.0;
const OTHER: f64 = 30.0;
const MAX: f64 = TAG + LCS + ID + CLASS + TEXT + OTHER;

/// The element's features, borrowed from a fingerprint or a scanned node.
#[derive(Debug, Clone, Copy)]
pub struct Features<'a> {
    pub tag: &'a str,
    pub id: Option<&'a str>,
    pub classes: &'a [String],
    pub text: &'a str,
    pub attributes: &'a std::collections::BTreeMap<String, String>,
}

impl<'a> Features<'a> {
    pub fn of_fingerprint(f: &'a Fingerprint) -> Self {
        Features { tag: &f.tag, id: f.id.as_deref(), classes: &f.classes, text: &f.text, attributes: &f.attributes }
    }
}

/// Similarity in 0..=1 of `candidate` to `recorded`, given the LCS of their root paths and
/// the recorded path's height.
pub fn node_similarity(recorded: Features, candidate: Features, lcs: usize, height: usize) -> f64 {
    if height == 0 || (height > 5 && (lcs as f64 / height as f64) < 0.7) {
        return 0.0;
    }
    let mut score = lcs as f64 / height as f64 * LCS;
    if recorded.tag.eq_ignore_ascii_case(candidate.tag) {
        score += TAG;
    }
    if let (Some(a), Some(b)) = (recorded.id, candidate.id) {
        score += ID * levenshtein_score(a, b, 0.3);
    }
    score += TEXT * levenshtein_score(recorded.text, candidate.text, 0.3);
    score += class_score(recorded.classes, candidate.classes);
    let names: BTreeSet<&String> = recorded.attributes.keys().chain(candidate.attributes.keys()).collect();
    if names.is_empty() {
        score += OTHER;
    } else {
        let sum: f64 = names
            .iter()
            .map(|n| match (recorded.attributes.get(*n), candidate.attributes.get(*n)) {
                (Some(a), Some(b)) => levenshtein_score(a, b, 0.75),
                _ => 0.0,
            })
            .sum();
        score += OTHER * sum / names.len() as f64;
    }
    score / MAX
}

/// Shared classes over all classes, plus partial credit for renamed ones (close by
/// Levenshtein), as Healenium counts them. No classes on either side is full credit.
fn class_score(a: &[String], b: &[String]) -> f64 {
    let a: BTreeSet<&str> = a.iter().map(String::as_str).collect();
    let b: BTreeSet<&str> = b.iter().map(String::as_str).collect();
    let union = a.union(&b).count();
    if union == 0 {
        return CLASS;
    }
    let mut score = a.intersection(&b).count() as f64 * CLASS / union as f64;
    let only_a: BTreeSet<&str> = a.difference(&b).copied().collect();
    let only_b: BTreeSet<&str> = b.difference(&a).copied().collect();
    let differing = only_a.union(&only_b).count();
    if differing > 0 {
        let (left, right) = if only_a.is_empty() { (&a, &only_b) } else { (&only_a, &b) };
        let mut sum = 0.0;
        let mut pairs = 0usize;
        for x in left.iter() {
            for y in right.iter() {
                sum += levenshtein_score(x, y, 0.75);
                pairs += 1;
            }
        }
        let renamed = if pairs == 0 { 0.0 } else { sum / pairs as f64 } / union as f64;
        score += differing as f64 * CLASS * renamed;
    }
    score
}

/// 1 − distance/length (case-insensitive), or 0 when the distance exceeds
/// `length × threshold + 1` (not worth comparing further) or either side is absent.
pub fn levenshtein_score(a: &str, b: &str, threshold: f64) -> f64 {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let length = a.len().max(b.len());
    if length == 0 {
        return 1.0;
    }
    let limit = (length as f64 * threshold + 1.0) as usize;
    if a.len().abs_diff(b.len()) > limit {
        return 0.0;
    }
    let distance = levenshtein(&a, &b);
    if distance > limit { 0.0 } else { (length - distance) as f64 / length as f64 }
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Longest common subsequence of two root paths; nodes are equal when tag and id are
/// (Healenium's node equality).
pub fn path_lcs(a: &[(&str, Option<&str>)], b: &[(&str, Option<&str>)]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y { prev[j] + 1 } else { prev[j + 1].max(cur[j]) };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// An element of the page and how much it looks like the recorded one.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub node: usize,
    pub score: f64,
}

/// Every element of `tree` scored against `recorded`, best first, those under `cutoff` left
/// out. Ties keep document order.
pub fn rank(recorded: &Fingerprint, tree: &DomTree, cutoff: f64) -> Vec<Scored> {
    let path: Vec<(&str, Option<&str>)> = recorded.path.iter().map(|n| (n.tag.as_str(), n.id.as_deref())).collect();
    let height = path.len();
    let features = Features::of_fingerprint(recorded);
    // Each node's root path is its parent's plus itself: build them once, in document order.
    let mut paths: Vec<Vec<(&str, Option<&str>)>> = Vec::with_capacity(tree.nodes.len());
    let mut out = Vec::new();
    for (i, node) in tree.nodes.iter().enumerate() {
        let mut p = node.parent.map(|p| paths[p].clone()).unwrap_or_default();
        p.push((node.tag.as_str(), node.id.as_deref()));
        let lcs = path_lcs(&p, &path);
        paths.push(p);
        let candidate = Features {
            tag: &node.tag,
            id: node.id.as_deref(),
            classes: &node.classes,
            text: &node.text,
            attributes: &node.attributes,
        };
        let score = node_similarity(features, candidate, lcs, height);
        if score >= cutoff {
            out.push(Scored { node: i, score });
        }
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.node.cmp(&b.node)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heal::fingerprint::{DomNode, PathNode};
    use std::collections::BTreeMap;

    fn node(parent: Option<usize>, tag: &str, id: Option<&str>, classes: &[&str], text: &str) -> DomNode {
        DomNode {
            parent,
            tag: tag.into(),
            id: id.map(String::from),
            classes: classes.iter().map(|c| c.to_string()).collect(),
            text: text.into(),
            attributes: BTreeMap::new(),
            visible: true,
        }
    }

    fn fingerprint_of(tree: &DomTree, i: usize) -> Fingerprint {
        let n = &tree.nodes[i];
        Fingerprint {
            url: "http://127.0.0.1/".into(),
            tag: n.tag.clone(),
            id: n.id.clone(),
            classes: n.classes.clone(),
            text: n.text.clone(),
            attributes: n.attributes.clone(),
            role: None,
            name: String::new(),
            path: tree
                .ancestry(i)
                .into_iter()
                .map(|a| PathNode {
                    tag: tree.nodes[a].tag.clone(),
                    id: tree.nodes[a].id.clone(),
                    classes: tree.nodes[a].classes.clone(),
                    index: 0,
                })
                .collect(),
            xpath: tree.xpath(i),
        }
    }

    #[test]
    fn levenshtein_score_follows_the_threshold() {
        assert_eq!(levenshtein_score("Buy", "buy", 0.3), 1.0);
        assert_eq!(levenshtein_score("", "", 0.3), 1.0);
        assert!((levenshtein_score("submit", "submit2", 0.3) - 6.0 / 7.0).abs() < 1e-9);
        assert_eq!(levenshtein_score("buy", "cancel", 0.3), 0.0, "too far: 0, not a partial score");
    }

    #[test]
    fn an_identical_element_scores_one() {
        let tree = DomTree {
            nodes: vec![
                node(None, "html", None, &[], ""),
                node(Some(0), "body", None, &[], ""),
                node(Some(1), "button", Some("buy"), &["btn", "primary"], "Buy"),
            ],
        };
        let fp = fingerprint_of(&tree, 2);
        let ranked = rank(&fp, &tree, 0.0);
        assert_eq!(ranked[0], Scored { node: 2, score: 1.0 });
    }

    #[test]
    fn weights_add_up_as_healenium_counts_them() {
        // Same tag, full path, no ids on either side (0 of 50), text different (0 of 30),
        // classes half shared, no other attributes (30): (100 + 100 + 20 + 30) / 350.
        let rec = Features { tag: "a", id: None, classes: &["x".into(), "y".into()], text: "one", attributes: &BTreeMap::new() };
        let cand = Features { tag: "a", id: None, classes: &["x".into()], text: "zzzzz", attributes: &BTreeMap::new() };
        let s = node_similarity(rec, cand, 3, 3);
        assert!((s - 250.0 / 350.0).abs() < 1e-9, "{s}");
    }

    #[test]
    fn a_deep_path_that_mostly_differs_scores_zero() {
        let f = Features { tag: "a", id: None, classes: &[], text: "", attributes: &BTreeMap::new() };
        assert_eq!(node_similarity(f, f, 4, 6), 0.0, "4/6 < 0.7 on a path higher than 5");
        assert!(node_similarity(f, f, 3, 5) > 0.0, "height 5 is never cut");
    }

    #[test]
    fn lcs_compares_tag_and_id() {
        let a = [("html", None), ("body", None), ("div", Some("x")), ("button", None)];
        let b = [("html", None), ("body", None), ("div", Some("y")), ("div", None), ("button", None)];
        assert_eq!(path_lcs(&a, &b), 3);
    }

    #[test]
    fn a_renamed_class_still_beats_a_different_element() {
        let tree = DomTree {
            nodes: vec![
                node(None, "html", None, &[], ""),
                node(Some(0), "body", None, &[], ""),
                node(Some(1), "button", None, &["buy-button"], "Buy"),
                node(Some(1), "button", None, &["cancel"], "Cancel"),
            ],
        };
        let mut fp = fingerprint_of(&tree, 2);
        fp.classes = vec!["btn-buy".into()];
        let ranked = rank(&fp, &tree, 0.6);
        assert_eq!(ranked[0].node, 2, "{ranked:?}");
        // Same tag and path still make Cancel 0.66 similar: Healenium's score alone cannot
        // tell them apart well, which is why validation also asks for agreeing text or ids.
        let cancel = ranked.iter().find(|s| s.node == 3).map_or(0.0, |s| s.score);
        assert!(ranked[0].score - cancel > 0.1, "{ranked:?}");
    }
}
