//! Heals from the app's own history: when a commit renamed the attribute a broken selector
//! names (`data-testid="buy"` → `data-testid="add-to-cart"`), the renamed value is a
//! candidate. Pure: reads the text of `git log -S<value> -p` (`sources::git` runs it) and
//! pairs each removed line carrying the old value with the added lines within ±5 lines that
//! carry the same kind of attribute.

use std::sync::LazyLock;

use regex::Regex;

use super::selector::{Selector, TextMatch};

/// How far from a removed line an added line may be and still be its replacement.
pub const NEARBY_LINES: usize = 5;

/// What part of the markup a selector keys on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// An attribute with exact value: `data-testid`, `id`, `name`, `placeholder`, …
    Attribute(String),
    /// One class of a `class`/`className` list.
    Class,
    /// An element's text (`>Buy<`) or accessible name (`aria-label`).
    Text,
}

/// One thing the broken selector keys on, and how to write the selector with a new value.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub kind: Kind,
    pub value: String,
}

/// A commit as `git log --format=…` printed it, with its patch.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Commit {
    pub sha: String,
    pub summary: String,
    pub files: Vec<FileDiff>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FileDiff {
    pub path: String,
    /// Removed lines (old line number, text) and added lines (old-file position, text).
    pub removed: Vec<(usize, String)>,
    pub added: Vec<(usize, String)>,
}

/// A renamed value and where the history says so.
#[derive(Debug, Clone, PartialEq)]
pub struct Rename {
    pub key: Key,
    pub new_value: String,
    pub sha: String,
    pub summary: String,
    pub path: String,
    /// 1-based line of the removed line in the old file.
    pub line: usize,
}

/// Marks the start of a commit in the log text; `sources::git` passes it in `--format`.
pub const COMMIT_MARKER: &str = "\u{1e}argus-commit ";

/// The keys of a selector that a source change can rename. Empty for what history cannot
/// tell (structural CSS, role without a name).
pub fn keys(selector: &Selector) -> Vec<Key> {
    let key = |kind, value: &str| Key { kind, value: value.to_string() };
    match selector {
        Selector::TestId { attribute, value } => vec![key(Kind::Attribute(attribute.clone()), value)],
        Selector::Css { css } => css_keys(css),
        Selector::Xpath { xpath } => {
            static AT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"@([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).unwrap());
            AT.captures_iter(xpath)
                .map(|c| {
                    let v = c.get(2).or(c.get(3)).map_or("", |m| m.as_str());
                    if &c[1] == "class" { key(Kind::Class, v) } else { key(Kind::Attribute(c[1].to_string()), v) }
                })
                .collect()
        }
        Selector::Role { name: Some(n), .. } | Selector::Text { text: n } | Selector::Label { text: n } => vec![key(Kind::Text, &n.text)],
        Selector::Placeholder { text } => vec![key(Kind::Attribute("placeholder".into()), &text.text)],
        Selector::Alt { text } => vec![key(Kind::Attribute("alt".into()), &text.text)],
        Selector::Title { text } => vec![key(Kind::Attribute("title".into()), &text.text)],
        Selector::TagText { text, .. } => vec![key(Kind::Text, text)],
        Selector::Role { name: None, .. } => Vec::new(),
    }
    .into_iter()
    .filter(|k| !k.value.trim().is_empty())
    .collect()
}

/// `#id`, `.class` and `[attr="v"]` parts of a CSS selector.
fn css_keys(css: &str) -> Vec<Key> {
    static PART: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"#([\w-]+)|\.([\w-]+)|\[\s*([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([\w-]+))\s*\]"#).unwrap()
    });
    PART.captures_iter(css)
        .map(|c| {
            if let Some(id) = c.get(1) {
                Key { kind: Kind::Attribute("id".into()), value: id.as_str().into() }
            } else if let Some(class) = c.get(2) {
                Key { kind: Kind::Class, value: class.as_str().into() }
            } else {
                let v = c.get(4).or(c.get(5)).or(c.get(6)).map_or("", |m| m.as_str());
                let kind = if &c[3] == "class" { Kind::Class } else { Kind::Attribute(c[3].to_string()) };
                Key { kind, value: v.into() }
            }
        })
        .collect()
}

/// The selector with `key`'s value replaced by `new`; the rest stays as written.
pub fn rewrite(selector: &Selector, key: &Key, new: &str) -> Selector {
    let swap = |t: &TextMatch| TextMatch { text: new.to_string(), exact: t.exact };
    match selector {
        Selector::TestId { attribute, .. } => Selector::TestId { attribute: attribute.clone(), value: new.into() },
        Selector::Css { css } => Selector::css(rewrite_css(css, key, new)),
        Selector::Xpath { xpath } => {
            let out = ["\"", "'"].iter().fold(xpath.clone(), |x, q| x.replace(&format!("{q}{}{q}", key.value), &format!("{q}{new}{q}")));
            Selector::Xpath { xpath: out }
        }
        Selector::Role { role, name } => Selector::Role { role: role.clone(), name: name.as_ref().map(swap) },
        Selector::Text { text } => Selector::Text { text: swap(text) },
        Selector::Label { text } => Selector::Label { text: swap(text) },
        Selector::Placeholder { text } => Selector::Placeholder { text: swap(text) },
        Selector::Alt { text } => Selector::Alt { text: swap(text) },
        Selector::Title { text } => Selector::Title { text: swap(text) },
        Selector::TagText { tag, .. } => Selector::TagText { tag: tag.clone(), text: new.into() },
    }
}

fn rewrite_css(css: &str, key: &Key, new: &str) -> String {
    let old = regex::escape(&key.value);
    let pattern = match &key.kind {
        Kind::Class => format!(r"\.{old}(?P<end>[^\w-]|$)"),
        Kind::Attribute(a) if a == "id" => format!(r#"(?:#{old}(?P<end>[^\w-]|$)|(?P<attr>\[\s*id\s*=\s*["']?){old}(?P<close>["']?\s*\]))"#),
        Kind::Attribute(a) => format!(r#"(?P<attr>\[\s*{}\s*=\s*["']?){old}(?P<close>["']?\s*\])"#, regex::escape(a)),
        Kind::Text => return css.to_string(),
    };
    let Ok(re) = Regex::new(&pattern) else { return css.to_string() };
    re.replace(css, |c: &regex::Captures| match (c.name("attr"), &key.kind) {
        (Some(a), _) => format!("{}{new}{}", a.as_str(), c.name("close").map_or("", |m| m.as_str())),
        (None, Kind::Class) => format!(".{new}{}", c.name("end").map_or("", |m| m.as_str())),
        (None, _) => format!("#{new}{}", c.name("end").map_or("", |m| m.as_str())),
    })
    .into_owned()
}

/// Read `git log -p --format=<COMMIT_MARKER>%H %s` output.
pub fn parse_log(text: &str) -> Vec<Commit> {
    let mut commits: Vec<Commit> = Vec::new();
    let (mut old_line, mut in_hunk) = (0usize, false);
    for line in text.lines() {
        if let Some(head) = line.strip_prefix(COMMIT_MARKER) {
            let (sha, summary) = head.split_once(' ').unwrap_or((head, ""));
            commits.push(Commit { sha: sha.into(), summary: summary.into(), files: Vec::new() });
            in_hunk = false;
            continue;
        }
        let Some(commit) = commits.last_mut() else { continue };
        if let Some(rest) = line.strip_prefix("diff --git ") {
            // `a/path b/path`: the new path is after the last ` b/`.
            let path = rest.rsplit_once(" b/").map_or(rest, |(_, b)| b);
            commit.files.push(FileDiff { path: path.into(), ..Default::default() });
            in_hunk = false;
            continue;
        }
        if let Some(h) = line.strip_prefix("@@ -") {
            // `@@ -12,7 +12,7 @@`: the old file's first line of the hunk.
            old_line = h.split([',', ' ']).next().and_then(|n| n.parse().ok()).unwrap_or(1);
            in_hunk = true;
            continue;
        }
        let Some(file) = commit.files.last_mut() else { continue };
        if !in_hunk {
            continue;
        }
        match line.as_bytes().first() {
            Some(b'-') => {
                file.removed.push((old_line, line[1..].to_string()));
                old_line += 1;
            }
            Some(b'+') => file.added.push((old_line, line[1..].to_string())),
            Some(b' ') | None => old_line += 1,
            _ => {} // `\ No newline at end of file`
        }
    }
    commits
}

/// Every rename of one of `keys` the commits show, newest commit first as git lists them;
/// each new value once.
pub fn renames(commits: &[Commit], keys: &[Key]) -> Vec<Rename> {
    let mut out: Vec<Rename> = Vec::new();
    for commit in commits {
        for file in &commit.files {
            for key in keys {
                for (line, removed) in &file.removed {
                    let before = values(&key.kind, removed);
                    if !before.iter().any(|v| v == &key.value) {
                        continue;
                    }
                    let nearby = file.added.iter().filter(|(at, _)| at.abs_diff(*line) <= NEARBY_LINES);
                    for (_, added) in nearby {
                        let after = values(&key.kind, added);
                        if after.contains(&key.value) {
                            continue; // the value is still there: this line did not rename it
                        }
                        for new in after {
                            // A class list keeps its other classes: only a class that was not there is new.
                            if new == key.value || before.contains(&new) || out.iter().any(|r| r.key == *key && r.new_value == new) {
                                continue;
                            }
                            out.push(Rename {
                                key: key.clone(),
                                new_value: new,
                                sha: commit.sha.clone(),
                                summary: commit.summary.clone(),
                                path: file.path.clone(),
                                line: *line,
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

/// The values of `kind` a line of markup (HTML, JSX, templates) carries.
fn values(kind: &Kind, line: &str) -> Vec<String> {
    static TEXT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r">\s*([^<>{}]*?[^\s<>{}][^<>{}]*?)\s*<").unwrap());
    static ARIA: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"\baria-label\s*=\s*\{?\s*(?:"([^"]*)"|'([^']*)'|`([^`$]*)`)"#).unwrap());
    let quoted = |c: &regex::Captures| c.get(1).or(c.get(2)).or(c.get(3)).map(|m| m.as_str().to_string());
    match kind {
        Kind::Attribute(name) => {
            // `name="v"`, `name='v'`, JSX `name={"v"}` / `name={'v'}` / `name={`v`}`.
            let re = Regex::new(&format!(r#"(?:^|[\s<{{,(])(?:{})\s*=\s*\{{?\s*(?:"([^"]*)"|'([^']*)'|`([^`$]*)`)"#, attribute_names(name)));
            re.map(|re| re.captures_iter(line).filter_map(|c| quoted(&c)).collect()).unwrap_or_default()
        }
        Kind::Class => {
            static CLASS: LazyLock<Regex> =
                LazyLock::new(|| Regex::new(r#"\bclass(?:Name)?\s*=\s*\{?\s*(?:"([^"]*)"|'([^']*)'|`([^`$]*)`)"#).unwrap());
            CLASS.captures_iter(line).filter_map(|c| quoted(&c)).flat_map(|list| list.split_whitespace().map(String::from).collect::<Vec<_>>()).collect()
        }
        Kind::Text => TEXT
            .captures_iter(line)
            .map(|c| c[1].to_string())
            .chain(ARIA.captures_iter(line).filter_map(|c| quoted(&c)))
            .collect(),
    }
}

/// An attribute as markup spells it: `id` is also `:id`/`v-bind:id` in Vue templates.
fn attribute_names(name: &str) -> String {
    let n = regex::escape(name);
    format!("{n}|:{n}|v-bind:{n}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "\u{1e}argus-commit 3f2c9a1 Rename the buy button
diff --git a/app/index.html b/app/index.html
index 1111111..2222222 100644
--- a/app/index.html
+++ b/app/index.html
@@ -10,7 +10,7 @@ <body>
   <main>
     <h1>Lamp</h1>
     <p class=\"price\">$20</p>
-    <button class=\"btn buy\" data-testid=\"buy\" id=\"buy-button\">Buy</button>
+    <button class=\"btn add-to-cart\" data-testid=\"add-to-cart\" id=\"add-button\">Add to cart</button>
     <a href=\"/cart\">Cart</a>
   </main>
 </body>
\u{1e}argus-commit 0a1b2c3 Unrelated: far away
diff --git a/app/other.html b/app/other.html
--- a/app/other.html
+++ b/app/other.html
@@ -1,20 +1,20 @@
-<div data-testid=\"buy\"></div>
 x
 x
 x
 x
 x
 x
 x
+<div data-testid=\"far-away\"></div>
";

    fn heal(selector: Selector) -> Vec<(Selector, String)> {
        let commits = parse_log(LOG);
        renames(&commits, &keys(&selector)).iter().map(|r| (rewrite(&selector, &r.key, &r.new_value), r.sha.clone())).collect()
    }

    #[test]
    fn a_renamed_attribute_gives_the_new_selector() {
        let tid = Selector::TestId { attribute: "data-testid".into(), value: "buy".into() };
        assert_eq!(
            heal(tid),
            [(Selector::TestId { attribute: "data-testid".into(), value: "add-to-cart".into() }, "3f2c9a1".to_string())],
            "the added line 7 lines below the removed one is not its replacement"
        );
        assert_eq!(heal(Selector::css("main button.buy")), [(Selector::css("main button.add-to-cart"), "3f2c9a1".into())]);
        assert_eq!(heal(Selector::css("#buy-button")), [(Selector::css("#add-button"), "3f2c9a1".into())]);
        assert_eq!(heal(Selector::css("[id='buy-button']")), [(Selector::css("[id='add-button']"), "3f2c9a1".into())]);
        assert_eq!(
            heal(Selector::Role { role: "button".into(), name: Some(TextMatch::exact("Buy")) }),
            [(Selector::Role { role: "button".into(), name: Some(TextMatch::exact("Add to cart")) }, "3f2c9a1".into())]
        );
        assert_eq!(
            heal(Selector::Xpath { xpath: "//button[@data-testid='buy']".into() }),
            [(Selector::Xpath { xpath: "//button[@data-testid='add-to-cart']".into() }, "3f2c9a1".into())]
        );
    }

    #[test]
    fn positions_and_paths_are_read_from_the_patch() {
        let commits = parse_log(LOG);
        assert_eq!(commits.len(), 2);
        assert_eq!(commits[0].summary, "Rename the buy button");
        let f = &commits[0].files[0];
        assert_eq!(f.path, "app/index.html");
        assert_eq!(f.removed[0].0, 13);
        assert_eq!(f.added[0].0, 14, "inserted after the removed line, in old-file lines");
        let r = renames(&commits, &keys(&Selector::TestId { attribute: "data-testid".into(), value: "buy".into() }));
        assert_eq!((r[0].path.as_str(), r[0].line), ("app/index.html", 13));
    }

    #[test]
    fn jsx_and_vue_spellings_count_and_unkeyed_selectors_give_nothing() {
        let log = format!(
            "{COMMIT_MARKER}abc JSX\ndiff --git a/src/Cart.tsx b/src/Cart.tsx\n@@ -3,2 +3,2 @@\n-  <Button data-testid={{'checkout'}} className=\"cta\" />\n+  <Button data-testid={{\"pay\"}} className=\"cta primary\" />\n"
        );
        let commits = parse_log(&log);
        let tid = keys(&Selector::TestId { attribute: "data-testid".into(), value: "checkout".into() });
        assert_eq!(renames(&commits, &tid)[0].new_value, "pay");
        assert!(renames(&commits, &keys(&Selector::css(".cta"))).is_empty(), "a class that stayed is not renamed");
        assert!(keys(&Selector::css("div > span:nth-child(2)")).is_empty());
        assert!(keys(&Selector::Role { role: "button".into(), name: None }).is_empty());
    }
}
