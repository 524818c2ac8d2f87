//! What each query pattern needs before it can match, read from its source: the node kind it
//! starts at, how deep it reaches, and the words its text predicates require.
//!
//! Tree-sitter checks text predicates (`#eq?`, `#any-of?`, `#match?`) only after a pattern has
//! matched structurally, and most of our patterns have the same shape (a member call with a
//! string argument), so running every pattern everywhere costs several parses. Knowing the
//! required words lets `run` start a pattern only at nodes whose subtree holds them.

/// A word a text predicate requires of one token (an identifier, a property name, a string
/// fragment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Word {
    Exact(String),
    Prefix(String),
    Suffix(String),
    Contains(String),
}

impl Word {
    pub fn text(&self) -> &str {
        match self {
            Word::Exact(w) | Word::Prefix(w) | Word::Suffix(w) | Word::Contains(w) => w,
        }
    }
    pub fn matches(&self, token: &str) -> bool {
        match self {
            Word::Exact(w) => token == w,
            Word::Prefix(w) => token.starts_with(w.as_str()),
            Word::Suffix(w) => token.ends_with(w.as_str()),
            Word::Contains(w) => token.contains(w.as_str()),
        }
    }
}

/// A positive text predicate on one capture: one of `words` must appear; the capture sits at
/// most `reach` levels below the pattern's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Key {
    pub capture: String,
    pub words: Vec<Word>,
    pub reach: usize,
}

/// What is known of one pattern before running it (read from its source, without compiling).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shape {
    /// The kind of the pattern's root node.
    pub root: String,
    /// How many levels below the root the pattern's nodes reach.
    pub depth: usize,
    /// Positive text predicates on captures every match has (a predicate on a capture a match
    /// may lack holds without it, so it says nothing about where the pattern matches).
    pub keys: Vec<Key>,
    /// `(#set! @c names-from "other")` on a capture every match has: (c, other).
    pub names_from: Option<(String, String)>,
    /// Every capture name of the pattern, in order of first appearance.
    pub captures: Vec<String>,
}

/// Split a query file into its top-level patterns: `(start, end)` byte ranges, a trailing
/// capture (`(member_expression …) @use`) included.
pub(crate) fn split(source: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (at, tok) in tokens(source) {
        match tok {
            Tok::Word(w) if depth == 0 && (w.starts_with('@') || w.starts_with(['?', '*', '+'])) => {
                if let Some(last) = out.last_mut() {
                    last.1 = at + w.len();
                }
            }
            Tok::Open | Tok::Bracket => {
                if depth == 0 {
                    start = at;
                }
                depth += 1;
            }
            Tok::Close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    out.push((start, at + 1));
                }
            }
            _ => {}
        }
    }
    out
}

/// One open bracket while reading a pattern.
struct Frame {
    /// `(kind …)` rather than a group `((…) …)` or alternatives `[…]`.
    node: bool,
    /// For `[…]`: the captures of each alternative (a capture is sure only if all have it).
    branches: Option<Vec<Vec<String>>>,
    /// Captures inside, to mark optional if the bracket turns out quantified.
    captures: Vec<String>,
    /// The deepest node inside (levels from the root, the root being 1).
    deepest: usize,
}

impl Frame {
    fn new(node: bool, alternatives: bool, depth: usize) -> Frame {
        Frame { node, branches: alternatives.then(Vec::new), captures: Vec::new(), deepest: depth }
    }
}


/// Read one pattern's source (as `split` returns it).
pub(crate) fn shape(pattern: &str) -> Shape {
    let toks: Vec<(usize, Tok)> = tokens(pattern).collect();
    let mut root = String::new();
    let mut deepest = 0usize;
    let mut stack: Vec<Frame> = Vec::new();
    let mut optional: Vec<String> = Vec::new();
    // every capture with the depth of the node it names
    let mut all: Vec<(String, usize)> = Vec::new();
    let mut keys = Vec::new();
    let mut names_from = None;
    // the item just read, which a following capture names: is it optional, how deep is it?
    let mut item_optional = false;
    let mut item_depth = 1usize;
    let nodes = |stack: &[Frame]| stack.iter().filter(|f| f.node).count();
    let quantified_at = |j: usize| matches!(toks.get(j).map(|t| &t.1), Some(Tok::Word(w)) if w.starts_with(['?', '*']));
    let mut i = 0;
    while i < toks.len() {
        match &toks[i].1 {
            Tok::Open => match toks.get(i + 1).map(|t| &t.1) {
                Some(Tok::Word(w)) if w.starts_with('#') => {
                    // a predicate: read to its closing parenthesis
                    let mut args = Vec::new();
                    let mut j = i + 2;
                    while j < toks.len() && toks[j].1 != Tok::Close {
                        args.push(toks[j].1.clone());
                        j += 1;
                    }
                    keys.extend(key(w, &args).into_iter().flatten());
                    if let [Tok::Word(c), Tok::Word(k), Tok::Str(v)] = args.as_slice()
                        && w == "#set!"
                        && k == "names-from"
                        && let Some(c) = c.strip_prefix('@')
                    {
                        names_from = Some((c.to_string(), v.clone()));
                    }
                    i = j + 1;
                    continue;
                }
                Some(Tok::Word(w)) if !w.ends_with(':') => {
                    if root.is_empty() {
                        root = w.clone();
                    }
                    let depth = nodes(&stack) + 1;
                    stack.push(Frame::new(true, false, depth));
                    deepest = deepest.max(depth);
                }
                _ => stack.push(Frame::new(false, false, nodes(&stack))),
            },
            Tok::Bracket => stack.push(Frame::new(false, true, nodes(&stack))),
            Tok::Close => {
                let quantified = quantified_at(i + 1);
                if let Some(mut frame) = stack.pop() {
                    if let Some(branches) = frame.branches.take() {
                        // only captures every alternative has are sure
                        let (sure, unsure): (Vec<String>, Vec<String>) = branches
                            .iter()
                            .flatten()
                            .cloned()
                            .partition(|c| branches.iter().all(|b| b.contains(c)));
                        optional.extend(unsure);
                        frame.captures = sure;
                    }
                    item_depth = frame.deepest;
                    if quantified {
                        optional.append(&mut frame.captures);
                    }
                    if let Some(parent) = stack.last_mut() {
                        parent.deepest = parent.deepest.max(frame.deepest);
                        match &mut parent.branches {
                            Some(branches) => branches.push(frame.captures),
                            None => parent.captures.append(&mut frame.captures),
                        }
                    }
                }
                item_optional = quantified;
            }
            Tok::Str(_) => {
                item_optional = quantified_at(i + 1);
                item_depth = nodes(&stack) + 1;
                if let Some(Frame { branches: Some(b), .. }) = stack.last_mut() {
                    b.push(Vec::new());
                }
            }
            Tok::Word(w) => {
                // `?@c`: a quantifier glued to a capture
                if let Some(c) = w.trim_start_matches(['?', '*', '+']).strip_prefix('@') {
                    all.push((c.to_string(), item_depth));
                    if item_optional {
                        optional.push(c.to_string());
                    } else if let Some(frame) = stack.last_mut() {
                        match &mut frame.branches {
                            // names the alternative just read
                            Some(b) => b.last_mut().into_iter().for_each(|b| b.push(c.to_string())),
                            None => frame.captures.push(c.to_string()),
                        }
                    }
                } else if w == "_" {
                    item_optional = quantified_at(i + 1);
                    item_depth = nodes(&stack) + 1;
                    if let Some(Frame { branches: Some(b), .. }) = stack.last_mut() {
                        b.push(Vec::new());
                    }
                }
            }
        }
        i += 1;
    }
    let required = |c: &str| all.iter().any(|(a, _)| a == c) && !optional.iter().any(|o| o == c);
    keys.retain(|k: &Key| required(&k.capture));
    for k in &mut keys {
        k.reach = all.iter().filter(|(a, _)| *a == k.capture).map(|(_, d)| *d).max().unwrap_or(deepest).saturating_sub(1);
    }
    names_from = names_from.filter(|(c, _)| required(c));
    let mut captures: Vec<String> = Vec::new();
    for (c, _) in &all {
        if !captures.contains(c) {
            captures.push(c.clone());
        }
    }
    Shape { root, depth: deepest.saturating_sub(1), keys, names_from, captures }
}

fn key(predicate: &str, args: &[Tok]) -> Option<Vec<Key>> {
    let Some(Tok::Word(capture)) = args.first() else { return None };
    let capture = capture.strip_prefix('@')?.to_string();
    let strings: Vec<&str> = args[1..]
        .iter()
        .map(|a| match a {
            Tok::Str(s) => Some(s.as_str()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let key = |words| Key { capture: capture.clone(), words, reach: usize::MAX };
    match predicate {
        "#eq?" | "#any-of?" if !strings.is_empty() => Some(vec![key(strings.iter().map(|s| Word::Exact(s.to_string())).collect())]),
        // without alternatives every run of plain characters is needed: one key each
        "#match?" if strings.len() == 1 && !strings[0].contains('|') => {
            let runs = regex_runs(strings[0])?;
            Some(runs.into_iter().filter(|w| w.text().len() > 1).map(|w| key(vec![w])).collect())
        }
        "#match?" if strings.len() == 1 => Some(vec![key(regex_words(strings[0])?)]),
        _ => None,
    }
}

/// Words one of which every match of `regex` contains: one per alternative of a single
/// `(a|b)` group (`([Pp]age|[Ff]rame)$` → `age` or `rame` at the end), else `regex_word`'s.
pub(crate) fn regex_words(regex: &str) -> Option<Vec<Word>> {
    let Some(open) = regex.find('(') else { return Some(vec![regex_word(regex)?]) };
    let close = open + regex[open..].find(')')?;
    let (head, group, tail) = (&regex[..open], &regex[open + 1..close], &regex[close + 1..]);
    if group.starts_with('?') || group.contains('(') || tail.contains(['(', '|']) || head.contains('|') || tail.starts_with(['?', '*', '{']) {
        return None;
    }
    group.split('|').map(|alt| regex_word(&format!("{head}{alt}{tail}"))).collect()
}

/// The longest run of plain characters every match of `regex` contains, anchored when it is.
/// `None` when the regex has alternatives, groups or flags that make that unsure.
pub(crate) fn regex_word(regex: &str) -> Option<Word> {
    // the longest run; the first of equally long ones
    regex_runs(regex)?.into_iter().rev().max_by_key(|w| w.text().len())
}

/// Every run of plain characters every match of `regex` contains, in order, anchored when it
/// is; `None` as for `regex_word`.
pub(crate) fn regex_runs(regex: &str) -> Option<Vec<Word>> {
    if regex.contains('|') || regex.contains("(?") {
        return None;
    }
    let chars: Vec<char> = regex.chars().collect();
    // runs of required literal characters: (text, starts at `^`, ends at `$`)
    let mut runs: Vec<(String, bool, bool)> = Vec::new();
    let mut run = String::new();
    let mut run_anchored = false;
    let mut at_start = true;
    let mut i = 0;
    let end_run = |runs: &mut Vec<(String, bool, bool)>, run: &mut String, anchored: bool, at_end: bool| {
        if !run.is_empty() {
            runs.push((std::mem::take(run), anchored, at_end));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '^' && i == 0 {
            run_anchored = true;
            i += 1;
            continue;
        }
        if c == '$' && i + 1 == chars.len() {
            end_run(&mut runs, &mut run, run_anchored, true);
            break;
        }
        // one atom: a literal character, or something that is not one
        let (literal, next) = match c {
            '\\' if i + 1 < chars.len() && !chars[i + 1].is_ascii_alphanumeric() => (Some(chars[i + 1]), i + 2),
            '\\' => (None, i + 2),
            '[' => {
                let close = chars[i + 1..].iter().position(|c| *c == ']').map_or(chars.len(), |p| i + 1 + p + 1);
                (None, close)
            }
            '(' | ')' | '.' | '^' | '$' | '?' | '*' | '+' | '{' | '}' => (None, i + 1),
            c => (Some(c), i + 1),
        };
        let quantifier = chars.get(next).copied();
        let optional = matches!(quantifier, Some('?' | '*' | '{'));
        match literal {
            Some(l) if !optional => {
                if run.is_empty() {
                    run_anchored = run_anchored && at_start;
                }
                run.push(l);
                if quantifier == Some('+') {
                    end_run(&mut runs, &mut run, run_anchored, false);
                    run_anchored = false;
                }
            }
            _ => {
                end_run(&mut runs, &mut run, run_anchored, false);
                run_anchored = false;
            }
        }
        at_start = false;
        i = next;
    }
    end_run(&mut runs, &mut run, run_anchored, false);
    if runs.is_empty() {
        return None;
    }
    Some(
        runs.into_iter()
            .map(|(text, start, end)| match (start, end) {
                (true, true) => Word::Exact(text),
                (true, false) => Word::Prefix(text),
                (false, true) => Word::Suffix(text),
                (false, false) => Word::Contains(text),
            })
            .collect(),
    )
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    Open,
    Close,
    /// `[` (alternatives; its `]` is a `Close`)
    Bracket,
    Str(String),
    Word(String),
}

/// Tokens of query source with their byte offsets; comments skipped, strings unescaped.
pub(crate) fn tokens(source: &str) -> impl Iterator<Item = (usize, Tok)> + '_ {
    let bytes = source.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            let c = *bytes.get(i)?;
            match c {
                b';' => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                c if c.is_ascii_whitespace() => i += 1,
                b'(' | b')' | b'[' | b']' => {
                    i += 1;
                    let tok = match c {
                        b'(' => Tok::Open,
                        b'[' => Tok::Bracket,
                        _ => Tok::Close,
                    };
                    return Some((i - 1, tok));
                }
                b'"' => {
                    let start = i;
                    let mut s = String::new();
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        if bytes[i] == b'\\' && i + 1 < bytes.len() {
                            i += 1;
                            s.push(match bytes[i] {
                                b'n' => '\n',
                                b't' => '\t',
                                b'r' => '\r',
                                b'0' => '\0',
                                _ => bytes[i] as char,
                            });
                            i += 1;
                            continue;
                        }
                        // multi-byte characters: copy the whole UTF-8 sequence
                        let len = source[i..].chars().next().map_or(1, char::len_utf8);
                        s.push_str(&source[i..i + len]);
                        i += len;
                    }
                    i += 1;
                    return Some((start, Tok::Str(s)));
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'(' | b')' | b'[' | b']' | b'"' | b';') {
                        i += 1;
                    }
                    return Some((start, Tok::Word(source[start..i].to_string())));
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_words() {
        let w = |r: &str| regex_word(r);
        assert_eq!(w("^test"), Some(Word::Prefix("test".into())));
        assert_eq!(w("TestCase$"), Some(Word::Suffix("TestCase".into())));
        assert_eq!(w("^find_elements?_by_"), Some(Word::Prefix("find_element".into())));
        assert_eq!(w("^['\"]?tag['\"]?$"), Some(Word::Contains("tag".into())));
        assert_eq!(w("([Pp]age|[Ff]rame)$"), None);
        assert_eq!(w("^@wdio/"), Some(Word::Prefix("@wdio/".into())));
        assert_eq!(w("^a+b"), Some(Word::Prefix("a".into())));
        assert_eq!(w("x\\.y$"), Some(Word::Suffix("x.y".into())));
        assert_eq!(w("(?i)abc"), None);
        assert_eq!(super::regex_words("([Pp]age|[Ff]rame)$"), Some(vec![Word::Suffix("age".into()), Word::Suffix("rame".into())]));
        assert_eq!(super::regex_words("^(ab|c)+x"), Some(vec![Word::Prefix("ab".into()), Word::Prefix("c".into())]));
        assert_eq!(super::regex_words("(a|b)?x"), None);
        assert_eq!(super::regex_words("^test"), Some(vec![Word::Prefix("test".into())]));
        assert_eq!(w("^\\d+$"), None);
        assert_eq!(regex_runs("^find_elements?_by_"), Some(vec![Word::Prefix("find_element".into()), Word::Contains("_by_".into())]));
    }

    #[test]
    fn shapes() {
        let src = r#"
; a comment (with parens)
((call_expression
   function: (member_expression object: (_) @r property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string)] @value)) @locator
  (#any-of? @_m "locator" "frameLocator")
  (#set! framework "playwright"))

(member_expression property: (property_identifier) @use.name) @use
"#;
        let parts = split(src);
        assert_eq!(parts.len(), 2);
        assert!(src[parts[1].0..parts[1].1].ends_with("@use"));
        let a = shape(&src[parts[0].0..parts[0].1]);
        assert_eq!(a.root, "call_expression");
        assert_eq!(a.depth, 2);
        let words = vec![Word::Exact("locator".into()), Word::Exact("frameLocator".into())];
        assert_eq!(a.keys, vec![Key { capture: "_m".into(), words, reach: 2 }]);
        let b = shape(&src[parts[1].0..parts[1].1]);
        assert_eq!((b.root.as_str(), b.depth, b.keys.len()), ("member_expression", 1, 0));
    }

    #[test]
    fn captures_in_every_alternative_are_sure() {
        let src = r#"((call_expression
   function: [(identifier) @_e (member_expression object: (identifier) @_e property: (property_identifier) @_s)]
   arguments: (arguments . (_)? @x)) @a
  (#eq? @_e "expect") (#any-of? @_s "soft") (#eq? @x "y"))"#;
        let s = shape(src);
        assert_eq!(s.keys.len(), 1, "{:?}", s.keys);
        assert_eq!((s.keys[0].capture.as_str(), s.keys[0].reach), ("_e", 2));
    }
}
