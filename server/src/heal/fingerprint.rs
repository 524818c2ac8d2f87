//! What is remembered about an element so it can be found again after the page changed:
//! Healenium's node (tag, id, classes, own text, other attributes, root-to-element path with
//! each node's tag, id, classes and sibling index) plus the ARIA role and accessible name
//! Playwright locators resolve by, and the absolute XPath.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// The page the element was recorded on.
    pub url: String,
    pub tag: String,
    pub id: Option<String>,
    pub classes: Vec<String>,
    /// The element's own text (its direct text nodes), whitespace-normalized.
    pub text: String,
    /// Attributes other than `id`, `class` and `style`.
    pub attributes: BTreeMap<String, String>,
    /// Explicit or implicit ARIA role (`button` for `<button>`), if any.
    pub role: Option<String>,
    /// Accessible name, whitespace-normalized.
    pub name: String,
    /// `html` first, the element itself last.
    pub path: Vec<PathNode>,
    /// `/html[1]/body[1]/…` with a 1-based index on every step.
    pub xpath: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathNode {
    pub tag: String,
    pub id: Option<String>,
    pub classes: Vec<String>,
    /// 0-based position among the parent's element children.
    pub index: usize,
}

/// One element of a scanned page (`argus.js` `scan()`), linked to its parent by row index.
#[derive(Debug, Clone, PartialEq)]
pub struct DomNode {
    pub parent: Option<usize>,
    pub tag: String,
    pub id: Option<String>,
    pub classes: Vec<String>,
    pub text: String,
    pub attributes: BTreeMap<String, String>,
    pub visible: bool,
}

/// A whole page in document order (parents before children).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DomTree {
    pub nodes: Vec<DomNode>,
}

impl DomTree {
    /// From the rows `scan()` returns: `[parent, tag, id, classes, text, attributes, visible]`.
    /// Rows that do not have that shape are an error naming the row.
    pub fn from_scan(rows: &serde_json::Value) -> Result<DomTree, String> {
        let rows = rows.as_array().ok_or("page scan: expected an array of rows")?;
        let mut nodes = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let bad = || format!("page scan: row {i} is malformed: {row}");
            let cells = row.as_array().filter(|c| c.len() == 7).ok_or_else(bad)?;
            let parent = match &cells[0] {
                serde_json::Value::Null => None,
                v => Some(v.as_u64().filter(|&p| (p as usize) < i).ok_or_else(bad)? as usize),
            };
            let strings = |v: &serde_json::Value| -> Option<Vec<String>> {
                v.as_array()?.iter().map(|s| s.as_str().map(String::from)).collect()
            };
            let attributes = cells[5]
                .as_object()
                .ok_or_else(bad)?
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect();
            nodes.push(DomNode {
                parent,
                tag: cells[1].as_str().ok_or_else(bad)?.to_string(),
                id: cells[2].as_str().map(String::from),
                classes: strings(&cells[3]).ok_or_else(bad)?,
                text: cells[4].as_str().unwrap_or_default().to_string(),
                attributes,
                visible: cells[6].as_bool().unwrap_or(false),
            });
        }
        Ok(DomTree { nodes })
    }

    /// Row indexes from the root to `i` (inclusive).
    pub fn ancestry(&self, i: usize) -> Vec<usize> {
        let mut chain = vec![i];
        let mut at = i;
        while let Some(p) = self.nodes[at].parent {
            chain.push(p);
            at = p;
        }
        chain.reverse();
        chain
    }

    /// Absolute XPath of row `i`, 1-based among same-tag siblings on every step.
    pub fn xpath(&self, i: usize) -> String {
        let mut out = String::new();
        for n in self.ancestry(i) {
            let node = &self.nodes[n];
            let position = self.nodes[..n]
                .iter()
                .filter(|o| o.parent == node.parent && o.tag == node.tag)
                .count()
                + 1;
            out.push_str(&format!("/{}[{position}]", node.tag));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scan_rows_rebuild_paths_and_xpaths() {
        let rows = json!([
            [null, "html", null, [], "", {}, true],
            [0, "body", null, [], "", {}, true],
            [1, "div", "a", ["x"], "", {}, true],
            [1, "div", null, [], "", {}, true],
            [3, "button", null, ["btn"], "Buy", {"type": "button"}, true],
        ]);
        let tree = DomTree::from_scan(&rows).unwrap();
        assert_eq!(tree.ancestry(4), vec![0, 1, 3, 4]);
        assert_eq!(tree.xpath(4), "/html[1]/body[1]/div[2]/button[1]");
        assert_eq!(tree.nodes[4].attributes["type"], "button");
    }

    #[test]
    fn malformed_rows_are_named() {
        let err = DomTree::from_scan(&json!([[null, "html"]])).unwrap_err();
        assert!(err.contains("row 0"), "{err}");
        let err = DomTree::from_scan(&json!([[5, "html", null, [], "", {}, true]])).unwrap_err();
        assert!(err.contains("row 0"), "a parent must come before its child: {err}");
    }
}
