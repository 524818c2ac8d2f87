//! Event → test definition → the exact span (the locator, the action call, the assertion's
//! expected literal, or the test's name), with a correlation level and notes.

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::failures::{FailureEvent, Location, message::locator_strings};
use crate::syntax::{FileModel, Locator, Span, Strategy};

use super::history::strip_params;
use super::paths;
use super::types::{CorrelationLevel, FrameRef, SourceFile, Target};

/// The workspace as correlation looks things up in it. Read-only once built and shared by
/// the threads of [`super::analyze_failures`]; what is per file is built the first time a
/// file is asked about (a report touches a few of the workspace's files).
pub struct Workspace<'a> {
    pub files: &'a [SourceFile<'a>],
    /// Per file: its path components, the file name first (path matching compares these).
    rev_components: Vec<Vec<&'a str>>,
    /// File name → files with that name (path matching looks only there).
    by_name: FxHashMap<&'a str, Vec<usize>>,
    /// Normalized locator value → (file, locator) (selector matching looks only there).
    /// Only locators outside any test (page objects, shared definitions): those in a test are
    /// looked up per file ([`FileIndex::by_value`]), as only the failing test's own count.
    by_value: FxHashMap<String, Vec<(usize, usize)>>,
    per_file: Vec<OnceLock<FileIndex<'a>>>,
    /// A test's own title (trimmed) → (file, test), in file then test order; built when an
    /// event's file is not found.
    all_titles: OnceLock<FxHashMap<&'a str, Vec<(usize, usize)>>>,
}

/// The components of a path (as [`paths::components`]), last first.
#[derive(Clone)]
struct RevComponents<'p> {
    rest: &'p str,
}

impl<'p> Iterator for RevComponents<'p> {
    type Item = &'p str;
    fn next(&mut self) -> Option<&'p str> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let b = self.rest.as_bytes();
            let cut = b.iter().rposition(|&c| c == b'/' || c == b'\\');
            let (head, comp) = match cut {
                Some(i) => (&self.rest[..i], &self.rest[i + 1..]),
                None => ("", self.rest),
            };
            self.rest = head;
            if !comp.is_empty() && comp != "." {
                return Some(comp);
            }
        }
    }
}

/// One file's indexes.
struct FileIndex<'a> {
    /// Byte offset of each line's start.
    lines: Vec<usize>,
    /// Normalized value → its in-test locators.
    by_value: FxHashMap<Cow<'a, str>, SmallVec<[usize; 2]>>,
    /// Per test: its locators, assertions and navigations (a spec with hundreds of tests
    /// must not be scanned whole for every event).
    by_test: Vec<TestItems>,
    /// A test's own title (trimmed) → its tests.
    by_title: FxHashMap<&'a str, SmallVec<[usize; 2]>>,
    /// (start, end, test) by start, and the largest end up to each entry: the tests that
    /// contain an offset without scanning them all.
    test_spans: Vec<(usize, usize, usize)>,
    max_end: Vec<usize>,
}

impl<'a> FileIndex<'a> {
    fn new(f: &SourceFile<'a>) -> Self {
        let text = f.text.as_bytes();
        let mut lines: Vec<usize> = Vec::with_capacity(1 + memchr::memchr_iter(b'\n', text).count());
        lines.push(0);
        lines.extend(memchr::memchr_iter(b'\n', text).map(|i| i + 1));
        let m: &'a FileModel = f.model;
        let mut by_value: FxHashMap<Cow<'a, str>, SmallVec<[usize; 2]>> = FxHashMap::default();
        by_value.reserve(m.locators.len());
        for (li, l) in m.locators.iter().enumerate() {
            if l.test.is_some() {
                by_value.entry(norm_cow(&l.value)).or_default().push(li);
            }
        }
        let mut items = vec![TestItems::default(); m.tests.len()];
        let mut put = |t: Option<usize>, pick: fn(&mut TestItems) -> &mut SmallVec<[usize; 2]>, i: usize| {
            if let Some(items) = t.and_then(|t| items.get_mut(t)) {
                pick(items).push(i);
            }
        };
        for (i, l) in m.locators.iter().enumerate() {
            put(l.test, |x| &mut x.locators, i);
        }
        for (i, a) in m.assertions.iter().enumerate() {
            put(a.test, |x| &mut x.assertions, i);
        }
        for (i, n) in m.navigations.iter().enumerate() {
            put(n.test, |x| &mut x.navigations, i);
        }
        let mut by_title: FxHashMap<&'a str, SmallVec<[usize; 2]>> = FxHashMap::default();
        by_title.reserve(m.tests.len());
        for (i, t) in m.tests.iter().enumerate() {
            if let Some(leaf) = t.title_path.last() {
                by_title.entry(leaf.trim()).or_default().push(i);
            }
        }
        let mut test_spans: Vec<(usize, usize, usize)> = m.tests.iter().enumerate().map(|(i, t)| (t.span.start, t.span.end, i)).collect();
        test_spans.sort_unstable();
        let max_end = test_spans
            .iter()
            .scan(0usize, |m, (_, e, _)| {
                *m = (*m).max(*e);
                Some(*m)
            })
            .collect();
        FileIndex { lines, by_value, by_test: items, by_title, test_spans, max_end }
    }

    /// The innermost test containing `offset`: [`FileModel::test_at`] of an empty span there
    /// (the shortest, the first of equals), without scanning every test.
    fn test_at(&self, offset: usize) -> Option<usize> {
        let upto = self.test_spans.partition_point(|(s, _, _)| *s <= offset);
        let mut best: Option<(usize, usize)> = None; // (length, test)
        for k in (0..upto).rev() {
            if self.max_end[k] < offset {
                break;
            }
            let (s, e, i) = self.test_spans[k];
            if e >= offset && best.is_none_or(|b| (e - s, i) < b) {
                best = Some((e - s, i));
            }
        }
        best.map(|(_, i)| i)
    }
}

/// A report path mapped to a workspace file (see [`paths::match_path`]): the file with the
/// longest component suffix in common, the first of equals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub file: usize,
    /// Path components in common (from the end).
    pub components: usize,
    /// Other files matched with as many components, in workspace order.
    pub ties: Vec<usize>,
}

/// Indices into a model's lists, of the items inside one test.
#[derive(Debug, Default, Clone)]
pub struct TestItems {
    pub locators: SmallVec<[usize; 2]>,
    pub assertions: SmallVec<[usize; 2]>,
    pub navigations: SmallVec<[usize; 2]>,
}

impl<'a> Workspace<'a> {
    pub fn new(files: &'a [SourceFile<'a>]) -> Self {
        let mut rev_components = Vec::with_capacity(files.len());
        let mut by_name: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        let mut by_value: FxHashMap<String, Vec<(usize, usize)>> = FxHashMap::default();
        for (i, f) in files.iter().enumerate() {
            let mut comps = paths::components(f.path);
            comps.reverse();
            if let Some(name) = comps.first() {
                by_name.entry(name).or_default().push(i);
            }
            rev_components.push(comps);
            for (li, l) in f.model.locators.iter().enumerate() {
                if l.test.is_none() {
                    by_value.entry(norm(&l.value)).or_default().push((i, li));
                }
            }
        }
        let per_file = files.iter().map(|_| OnceLock::new()).collect();
        Workspace { files, rev_components, by_name, by_value, per_file, all_titles: OnceLock::new() }
    }

    fn index(&self, file: usize) -> &FileIndex<'a> {
        self.per_file[file].get_or_init(|| FileIndex::new(&self.files[file]))
    }

    fn all_titles(&self) -> &FxHashMap<&'a str, Vec<(usize, usize)>> {
        self.all_titles.get_or_init(|| {
            let mut all: FxHashMap<&'a str, Vec<(usize, usize)>> = FxHashMap::default();
            for (i, f) in self.files.iter().enumerate() {
                let m: &'a FileModel = f.model;
                for (t, test) in m.tests.iter().enumerate() {
                    if let Some(leaf) = test.title_path.last() {
                        all.entry(leaf.trim()).or_default().push((i, t));
                    }
                }
            }
            all
        })
    }

    /// The workspace file a report path names: the longest common suffix of path components
    /// (the file name at least), the first file of equals (the others in `ties`). The same
    /// answer as [`paths::match_path`] over the files with that name, without allocating.
    pub fn find(&self, report_path: &str) -> Option<Found> {
        let mut want = RevComponents { rest: report_path };
        let name = want.next()?;
        let cands = self.by_name.get(name)?;
        let mut best: Option<Found> = None;
        for &i in cands {
            let have = &self.rev_components[i];
            let n = 1 + want.clone().zip(&have[1..]).take_while(|(a, b)| a == *b).count();
            match &mut best {
                Some(b) if b.components > n => {}
                Some(b) if b.components == n => b.ties.push(i),
                _ => best = Some(Found { file: i, components: n, ties: Vec::new() }),
            }
        }
        best
    }

    /// Locators whose value a message selector could name: in `file` (the failing test's) or
    /// outside any test.
    fn locator_candidates(&self, chain: &[Segment], file: usize) -> Vec<(usize, usize)> {
        let Some(last) = chain.last() else { return Vec::new() };
        let mut keys: Vec<String> = last.1.first().cloned().into_iter().collect();
        if last.0.is_empty()
            && let Some(raw) = keys.first().cloned()
        {
            // Selenium's CSS for By.ID / By.NAME / By.CLASS_NAME
            for (pre, post) in [("#", ""), (".", ""), ("[id='", "']"), ("[name='", "']")] {
                if let Some(v) = raw.strip_prefix(pre).and_then(|r| r.strip_suffix(post)) {
                    keys.push(v.to_string());
                }
            }
        }
        let mut out: Vec<(usize, usize)> = keys.iter().filter_map(|k| self.by_value.get(k)).flatten().copied().collect();
        out.extend(keys.iter().filter_map(|k| self.index(file).by_value.get(k.as_str())).flatten().map(|li| (file, *li)));
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Byte offset of a 1-based line and (character) column; the line's first non-blank
    /// character without a column.
    pub fn offset(&self, file: usize, line: u32, column: Option<u32>) -> Option<usize> {
        let starts = &self.index(file).lines;
        let text = self.files[file].text;
        let start = *starts.get((line as usize).checked_sub(1)?)?;
        let end = starts.get(line as usize).map(|e| e - 1).unwrap_or(text.len());
        let l = &text[start..end];
        let off = match column {
            Some(c) if c >= 1 => l.char_indices().nth(c as usize - 1).map(|(i, _)| i).unwrap_or(l.len()),
            _ => l.len() - l.trim_start().len(),
        };
        Some(start + off)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: usize, offset: usize) -> (u32, u32) {
        let starts = &self.index(file).lines;
        let line = starts.partition_point(|s| *s <= offset).max(1);
        let start = starts[line - 1];
        let col = self.files[file].text.get(start..offset).map(|s| s.chars().count()).unwrap_or(0);
        (line as u32, col as u32 + 1)
    }

    fn line_span(&self, file: usize, offset: usize) -> Span {
        let text = self.files[file].text;
        let (line, _) = self.line_col(file, offset);
        let starts = &self.index(file).lines;
        let start = starts[line as usize - 1];
        let end = starts.get(line as usize).map(|e| e - 1).unwrap_or(text.len());
        let l = &text[start..end];
        let lead = l.len() - l.trim_start().len();
        Span::new(start + lead, start + l.trim_end().len())
    }
}

/// The test an event belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct TestHit {
    pub file: usize,
    pub test: Option<usize>,
    pub notes: Vec<String>,
    /// Subtracted from the correlation confidence.
    pub penalty: f64,
}

/// The span an event maps to.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanHit {
    pub file: usize,
    pub span: Span,
    pub target: Target,
    pub level: CorrelationLevel,
    pub notes: Vec<String>,
    /// The message's selector that matched (or the first one it names).
    pub selector: Option<String>,
    pub frame: Option<FrameRef>,
    /// A navigation of the test comes right before the failing statement.
    pub after_navigation: Option<u32>,
}

fn looks_like_file(s: &str) -> bool {
    [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".py"].iter().any(|e| s.ends_with(e))
}

/// Calls `f` with each path [`report_paths`] lists, in its order, without building the list
/// (duplicates and empty paths included: they change nothing where a path is looked up).
fn each_report_path(e: &FailureEvent, mut f: impl FnMut(&str)) {
    for p in [e.test_location.as_ref().map(|l| &l.file), e.resolved_file.as_ref(), e.file.as_ref(), e.location.as_ref().map(|l| &l.file)]
        .into_iter()
        .flatten()
    {
        f(p);
    }
    if let Some(fr) = e.first_in_app_frame() {
        f(&fr.file);
    }
    if let Some(c) = &e.classname {
        if looks_like_file(c) {
            f(c);
        } else {
            // paths::module_paths, longest first, in one buffer
            let count = c.split('.').filter(|p| !p.is_empty()).count();
            let mut buf = String::with_capacity(c.len() + 3);
            for n in (1..=count).rev() {
                buf.clear();
                for (k, part) in c.split('.').filter(|p| !p.is_empty()).take(n).enumerate() {
                    if k > 0 {
                        buf.push('/');
                    }
                    buf.push_str(part);
                }
                buf.push_str(".py");
                f(&buf);
            }
        }
    }
}

/// Paths the report gives for the test's file, most telling first.
fn report_paths(e: &FailureEvent) -> Vec<Cow<'_, str>> {
    let mut v: Vec<Cow<str>> = Vec::new();
    fn push<'e>(v: &mut Vec<Cow<'e, str>>, s: Cow<'e, str>) {
        if !s.is_empty() && !v.contains(&s) {
            v.push(s);
        }
    }
    if let Some(l) = &e.test_location {
        push(&mut v, Cow::Borrowed(&l.file));
    }
    if let Some(f) = &e.resolved_file {
        push(&mut v, Cow::Borrowed(f));
    }
    if let Some(f) = &e.file {
        push(&mut v, Cow::Borrowed(f));
    }
    if let Some(l) = &e.location {
        push(&mut v, Cow::Borrowed(&l.file));
    }
    if let Some(f) = e.first_in_app_frame() {
        push(&mut v, Cow::Borrowed(&f.file));
    }
    if let Some(c) = &e.classname {
        if looks_like_file(c) {
            push(&mut v, Cow::Borrowed(c));
        } else {
            for p in paths::module_paths(c) {
                push(&mut v, Cow::Owned(p));
            }
        }
    }
    v
}

/// Whether a source test's title path is the event's test.
pub fn title_matches(model_title: &[String], e: &FailureEvent) -> bool {
    // the event's titles: its title path, or its name alone
    let (ev_leaf, ev_prefix): (&str, &[String]) = match e.title_path.split_last() {
        Some((leaf, prefix)) => (leaf, prefix),
        None => (&e.name, &[]),
    };
    let Some((m_leaf, m_prefix)) = model_title.split_last() else { return false };
    if strip_params(ev_leaf).trim() != m_leaf.trim() {
        return false;
    }
    match e.classname.as_deref() {
        // pytest / unittest: the class nesting is the end of the classname (`test_x.TestY`)
        Some(c) if !looks_like_file(c) && ev_prefix.is_empty() => {
            c.split('.').count() >= m_prefix.len() && m_prefix.iter().rev().zip(c.rsplit('.')).all(|(m, p)| m == p)
        }
        _ => m_prefix.ends_with(ev_prefix) || ev_prefix.ends_with(m_prefix),
    }
}

fn tests_titled(ws: &Workspace, file: usize, e: &FailureEvent) -> Vec<usize> {
    let leaf = e.title_path.last().unwrap_or(&e.name);
    let Some(cands) = ws.index(file).by_title.get(strip_params(leaf).trim()) else { return Vec::new() };
    let tests = &ws.files[file].model.tests;
    cands.iter().copied().filter(|i| title_matches(&tests[*i].title_path, e)).collect()
}

fn identity(e: &FailureEvent) -> String {
    match (&e.classname, e.title_path.len()) {
        (Some(c), n) if n <= 1 && !looks_like_file(c) => format!("{c}::{}", e.name),
        _ if !e.title_path.is_empty() => e.title_path.join(" › "),
        _ => e.name.clone(),
    }
}

/// The event's identity for unmapped listings: title path, or `classname::name`.
pub fn event_identity(e: &FailureEvent) -> String {
    identity(e)
}

/// Event → test definition: file from the report's paths (longest suffix), then the test by
/// title path; a test renamed or moved since the report is found by its line, with a note.
pub fn find_test(ws: &Workspace, e: &FailureEvent) -> Result<TestHit, String> {
    // the best file over all the paths the report gives
    let mut best: Option<Found> = None;
    each_report_path(e, |p| {
        if let Some(m) = ws.find(p)
            && best.as_ref().is_none_or(|b| m.components > b.components)
        {
            best = Some(m);
        }
    });
    let mut notes = Vec::new();
    let mut penalty = 0.0;
    if let Some(m) = &best {
        let mut file = m.file;
        if !m.ties.is_empty() {
            // the tied file that has the test settles it
            let tied: Vec<usize> =
                std::iter::once(file).chain(m.ties.iter().copied()).filter(|i| !tests_titled(ws, *i, e).is_empty()).collect();
            if tied.len() == 1 {
                file = tied[0];
            } else {
                penalty += 0.15;
                notes.push(format!(
                    "report path matches {} workspace files equally ({}, {}); took the first",
                    m.ties.len() + 1,
                    ws.files[m.file].path,
                    m.ties.iter().map(|t| ws.files[*t].path).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        let titled = tests_titled(ws, file, e);
        let line_test = |l: &Location| -> Option<usize> {
            let f = ws.find(&l.file)?.file;
            if f != file {
                return None;
            }
            let off = ws.offset(file, l.line, l.column)?;
            ws.index(file).test_at(off)
        };
        let at_def = e.test_location.as_ref().and_then(line_test);
        let at_error = e.location.as_ref().and_then(line_test);
        if let Some(&t) = titled.iter().find(|t| Some(**t) == at_def || Some(**t) == at_error).or(titled.first()) {
            if let Some(l) = &e.test_location
                && ws.find(&l.file).map(|m| m.file) == Some(file)
            {
                let now = ws.line_col(file, ws.files[file].model.tests[t].span.start).0;
                if now != l.line && at_def != Some(t) {
                    notes.push(format!("test moved since the report (line {} then, line {now} now)", l.line));
                    penalty += 0.1;
                }
            }
            return Ok(TestHit { file, test: Some(t), notes, penalty });
        }
        if let Some(t) = at_def.or(at_error) {
            let now = ws.files[file].model.tests[t].title_path.join(" › ");
            notes.push(format!("test renamed since the report (\"{}\" then, \"{now}\" now)", identity(e)));
            penalty += 0.2;
            return Ok(TestHit { file, test: Some(t), notes, penalty });
        }
    }
    // by title anywhere in the workspace
    let found: Vec<(usize, usize)> = {
        let leaf = e.title_path.last().unwrap_or(&e.name);
        let cands = ws.all_titles().get(strip_params(leaf).trim()).map(Vec::as_slice).unwrap_or_default();
        cands.iter().copied().filter(|(f, t)| title_matches(&ws.files[*f].model.tests[*t].title_path, e)).collect()
    };
    match (found.as_slice(), best.as_ref().map(|b| b.file)) {
        ([(f, t)], Some(bf)) if *f != bf => {
            notes.push(format!("test found in {} by its title; the report names {}", ws.files[*f].path, ws.files[bf].path));
            Ok(TestHit { file: *f, test: Some(*t), notes, penalty: penalty + 0.15 })
        }
        ([(f, t)], _) => Ok(TestHit { file: *f, test: Some(*t), notes, penalty }),
        ([], Some(file)) => {
            notes.push(format!("no test named \"{}\" in {}", identity(e), ws.files[file].path));
            Ok(TestHit { file, test: None, notes, penalty: penalty + 0.2 })
        }
        ([], None) => {
            let paths = report_paths(e);
            if paths.is_empty() {
                Err("the report names no file and no workspace test has this title".into())
            } else {
                Err(format!("no workspace file matches {} and no test has this title", paths.join(", ")))
            }
        }
        (many, _) => Err(format!(
            "{} tests have this title ({}) and the report's paths settle none",
            many.len(),
            many.iter().map(|(f, _)| ws.files[*f].path).collect::<Vec<_>>().join(", ")
        )),
    }
}

// ---- selectors ----------------------------------------------------------------------------

/// One call of a locator chain: the method (`locator`, `getByRole`, … or `` for a raw
/// selector) and its string arguments.
type Segment = (String, Vec<String>);

const MODIFIERS: [&str; 8] = ["first", "last", "nth", "filter", "and", "or", "describe", "contentFrame"];

/// `locator('form').getByRole('button', { name: 'Save' }).first()` →
/// `[("locator", ["form"]), ("getByRole", ["button", "Save"])]`; a raw selector → `[("", [sel])]`.
pub fn message_chain(expr: &str) -> Vec<Segment> {
    if !expr.contains('(') || !expr.trim_end().ends_with(')') {
        return vec![(String::new(), vec![norm(expr)])];
    }
    let b = expr.as_bytes();
    let (mut depth, mut quote, mut start) = (0i32, None::<u8>, 0usize);
    let mut parts = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(_) if c == b'\\' => i += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'\'' | b'"' | b'`' => quote = Some(c),
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth -= 1,
                b'.' if depth == 0 => {
                    parts.push(&expr[start..i]);
                    start = i + 1;
                }
                _ => {}
            },
        }
        i += 1;
    }
    parts.push(&expr[start..]);
    parts
        .into_iter()
        .filter_map(|p| {
            let (name, args) = p.split_once('(')?;
            let name = name.trim();
            if MODIFIERS.contains(&name) {
                return None;
            }
            Some((name.to_string(), locator_strings(args).iter().map(|s| norm(s)).collect()))
        })
        .collect()
}

/// [`norm`], borrowed when `s` is already normalized (one space between words, no
/// double quote).
fn norm_cow(s: &str) -> Cow<'_, str> {
    let mut prev_space = true; // at the start, a space would be leading
    for c in s.chars() {
        if c == '"' || (c.is_whitespace() && (c != ' ' || prev_space)) {
            return Cow::Owned(norm(s));
        }
        prev_space = c == ' ';
    }
    if prev_space && !s.is_empty() {
        return Cow::Owned(norm(s));
    }
    Cow::Borrowed(s)
}

/// Whitespace collapsed, double quotes as single quotes (one pass; the same as
/// `s.split_whitespace().collect::<Vec<_>>().join(" ").replace('"', "'")`).
fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(if c == '"' { '\'' } else { c });
    }
    out
}

fn model_chain(locators: &[Locator], i: usize) -> Vec<(Strategy, Vec<String>)> {
    let mut out = Vec::new();
    let mut cur = Some(i);
    let mut guard = 0;
    while let Some(j) = cur {
        let l = &locators[j];
        let mut s = vec![norm(&l.value)];
        if let Some(n) = &l.name {
            s.push(norm(n));
        }
        out.push((l.strategy, s));
        cur = l.parent;
        guard += 1;
        if guard > 32 {
            break;
        }
    }
    out.reverse();
    out
}

fn compatible(method: &str, s: Strategy) -> bool {
    use Strategy::*;
    match method {
        "getByRole" => s == Role,
        "getByTestId" => matches!(s, TestId | Other),
        "getByText" => s == Text,
        "getByLabel" => s == Label,
        "getByPlaceholder" => s == Placeholder,
        "getByAltText" => s == AltText,
        "getByTitle" => s == Title,
        _ => !matches!(s, Role | TestId | Label | Placeholder | AltText | Title),
    }
}

/// A raw (Selenium / Cypress / WebdriverIO) selector against a locator: the same value, or
/// Selenium's CSS translation of By.ID / By.NAME / By.CLASS_NAME (`[id="x"]`, `[name="x"]`, `.x`).
fn raw_matches(raw: &str, l: &Locator) -> bool {
    let v = norm(&l.value);
    if raw == v {
        return true;
    }
    match l.strategy {
        Strategy::Id => raw == format!("[id='{v}']") || raw == format!("#{v}"),
        Strategy::Name => raw == format!("[name='{v}']"),
        Strategy::ClassName => raw == format!(".{v}"),
        _ => false,
    }
}

/// How well a message selector names a locator: 2 = the whole chain, 1 = its last call.
pub fn selector_match(expr: &str, locators: &[Locator], i: usize) -> u8 {
    chain_match(&message_chain(expr), locators, i)
}

/// [`selector_match`] with the message's chain parsed once.
fn chain_match(msg: &[Segment], locators: &[Locator], i: usize) -> u8 {
    let Some(last) = msg.last() else { return 0 };
    if last.0.is_empty() {
        return if last.1.first().is_some_and(|r| raw_matches(r, &locators[i])) { 2 } else { 0 };
    }
    let model = model_chain(locators, i);
    let seg_eq = |m: &Segment, l: &(Strategy, Vec<String>)| compatible(&m.0, l.0) && m.1 == l.1;
    if msg.len() == model.len() && msg.iter().zip(&model).all(|(m, l)| seg_eq(m, l)) {
        2
    } else if model.last().is_some_and(|l| seg_eq(last, l)) {
        1
    } else {
        0
    }
}

/// The selector string's contents; for a role locator with a name, the whole
/// `getByRole('button', { name: 'Save' })` (both strings are the selector).
pub fn locator_span(text: &str, l: &Locator) -> Span {
    if l.strategy == Strategy::Role && l.name.is_some() {
        let call = text.get(l.call_span.start..l.call_span.end).unwrap_or("");
        if let Some(i) = call.find("getByRole") {
            return Span::new(l.call_span.start + i, l.call_span.end);
        }
    }
    l.value_span
}

fn is_identifier_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// The call at `offset`: `click()` of `page.locator('x').click()`; the trimmed line when the
/// offset starts no call.
fn call_span_at(ws: &Workspace, file: usize, offset: usize, with_column: bool) -> Span {
    let text = ws.files[file].text;
    let b = text.as_bytes();
    if with_column {
        let mut i = offset;
        while i < b.len() && is_identifier_byte(b[i]) {
            i += 1;
        }
        if i > offset && i < b.len() && b[i] == b'(' {
            let mut depth = 0i32;
            let mut quote = None;
            let mut j = i;
            while j < b.len() {
                let c = b[j];
                match quote {
                    Some(_) if c == b'\\' => j += 1,
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None => match c {
                        b'\'' | b'"' | b'`' => quote = Some(c),
                        b'(' | b'[' | b'{' => depth += 1,
                        b')' | b']' | b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                return Span::new(offset, j + 1);
                            }
                        }
                        _ => {}
                    },
                }
                j += 1;
            }
        }
    }
    ws.line_span(file, offset)
}

/// Whether [`find_span`] answers the same for `a` and `b` in one test: it reads nothing of
/// an event but these (retries of a test mostly fail the same way, so their span is found
/// once).
pub fn same_span_inputs(a: &FailureEvent, b: &FailureEvent) -> bool {
    a.location == b.location
        && a.expected == b.expected
        && a.received == b.received
        && a.selectors == b.selectors
        && (a.location.is_some() || a.first_in_app_frame() == b.first_in_app_frame())
}

/// Event + its test → the exact span.
pub fn find_span(ws: &Workspace, e: &FailureEvent, hit: &TestHit) -> Option<SpanHit> {
    let file = hit.file;
    let model = ws.files[file].model;
    let test_span = hit.test.map(|t| model.tests[t].span);
    // where the error happened, when it maps into the workspace
    let err = e.location.as_ref().and_then(|l| {
        let f = ws.find(&l.file)?.file;
        let off = ws.offset(f, l.line, l.column)?;
        Some((f, off, l.column.is_some()))
    });
    let frame = e
        .location
        .as_ref()
        .map(|l| (l.file.clone(), l.line, l.column))
        .or_else(|| e.first_in_app_frame().and_then(|f| Some((f.file.clone(), f.line?, f.column))))
        .map(|(f, line, column)| FrameRef { path: ws.find(&f).map(|m| ws.files[m.file].path.to_string()), line, column });
    let err_in_test = err.filter(|(f, off, _)| *f == file && test_span.is_some_and(|s| s.contains_offset(*off)));
    let on_err_line = |f: usize, s: Span| err.is_some_and(|(ef, off, _)| ef == f && ws.line_col(f, off).0 == ws.line_col(f, s.start).0);
    let in_test = |test: Option<usize>| hit.test.is_some() && test == hit.test;
    let items = hit.test.and_then(|t| ws.index(file).by_test.get(t));
    let after_navigation = |off: usize| -> Option<u32> {
        let items = items?;
        let prev_nav = items.navigations.iter().map(|n| model.navigations[*n].span.end).filter(|end| *end <= off).max()?;
        let off_line = ws.line_col(file, off).0;
        let between = items.locators.iter().map(|l| model.locators[*l].call_span).any(|s| s.start > prev_nav && s.end <= off && ws.line_col(file, s.start).0 != off_line)
            || items.assertions.iter().map(|a| model.assertions[*a].span).any(|s| s.start > prev_nav && s.end <= off);
        (!between).then(|| ws.line_col(file, prev_nav).0)
    };
    let mk = |f: usize, span: Span, target: Target, level: CorrelationLevel, notes: Vec<String>, selector: Option<String>| SpanHit {
        file: f,
        span,
        target,
        level,
        notes,
        selector,
        frame: frame.clone(),
        after_navigation: if f == file { after_navigation(span.start) } else { None },
    };

    // 1. a failed comparison: the assertion's expected literal
    let mismatch = e.expected.is_some() && e.received.is_some() && e.expected != e.received;
    if mismatch && hit.test.is_some() {
        let cands: Vec<usize> = items.map(|x| x.assertions.to_vec()).unwrap_or_default();
        let want = e.expected.as_deref().map(norm);
        let pick = cands
            .iter()
            .find(|i| err_in_test.is_some() && on_err_line(file, model.assertions[**i].span))
            .or_else(|| cands.iter().find(|i| model.assertions[**i].expected.as_deref().map(norm) == want && want.is_some()));
        if let Some(&i) = pick {
            let a = &model.assertions[i];
            let span = a.expected_span.unwrap_or(a.span);
            return Some(mk(file, span, Target::Assertion(i), CorrelationLevel::Direct, Vec::new(), e.selectors.first().cloned()));
        }
    }

    // 2. the locator the message names: in the test (the error line first), then a
    //    definition elsewhere (page objects), preferring one the test refers to
    let test_text = test_span.and_then(|s| ws.files[file].text.get(s.start..s.end));
    for sel in &e.selectors {
        let chain = message_chain(sel);
        let mut best: Option<(u32, u8, usize, usize)> = None; // (rank, match quality, file, locator)
        for (fi, li) in ws.locator_candidates(&chain, file) {
            let f = &ws.files[fi];
            let l = &f.model.locators[li];
            let inside = fi == file && in_test(l.test);
            // a locator of another test is not this failure's (cheap checks first: a common
            // selector has candidates in every file)
            if !inside && l.test.is_some() {
                continue;
            }
            let refers = l.binding.as_ref().is_some_and(|b| test_text.is_some_and(|t| t.match_indices(b.as_str()).any(|(at, _)| at > 0 && t.as_bytes()[at - 1] == b'.')));
            let q = chain_match(&chain, &f.model.locators, li);
            if q == 0 {
                continue;
            }
            let rank = q as u32
                + if inside { 40 } else { 0 }
                + if inside && on_err_line(fi, l.call_span) { 40 } else { 0 }
                + if refers { 20 } else { 0 };
            if best.is_none_or(|(r, _, _, _)| rank > r) {
                best = Some((rank, q, fi, li));
            }
        }
        if let Some((_, q, fi, li)) = best {
            let l = &ws.files[fi].model.locators[li];
            let mut notes = Vec::new();
            if fi != file || !in_test(l.test) {
                let used = l.binding.as_deref().map(|b| format!(" (`{b}`)")).unwrap_or_default();
                notes.push(format!("selector defined in {}{used}, not in the test", ws.files[fi].path));
            }
            if q == 1 {
                notes.push("matched the last call of the locator chain only".into());
            }
            let level = CorrelationLevel::Direct;
            return Some(mk(fi, locator_span(ws.files[fi].text, l), Target::Locator(li), level, notes, Some(sel.clone())));
        }
    }

    // 3. the action call at the error location
    if let Some((f, off, with_col)) = err {
        let inside = f == file && test_span.is_some_and(|s| s.contains_offset(off));
        if inside || (f != file && hit.test.is_some()) {
            // an explicit wait on that line (`WebDriverWait(driver, 2)`) is what ran out
            let wait = ws.files[f].model.waits.iter().find(|w| ws.line_col(f, w.span.start).0 == ws.line_col(f, off).0);
            let span = match wait {
                Some(w) if !with_col || w.span.contains_offset(off) => w.span,
                _ => call_span_at(ws, f, off, with_col),
            };
            let mut notes = Vec::new();
            if f != file {
                notes.push(format!("error raised in {}, called from the test", ws.files[f].path));
            }
            return Some(mk(f, span, Target::Action, CorrelationLevel::Function, notes, e.selectors.first().cloned()));
        }
    }

    // 4. an assertion of the test naming the expected value
    if let (Some(want), Some(_)) = (e.expected.as_deref().map(norm), hit.test)
        && let Some((i, a)) = items
            .into_iter()
            .flat_map(|x| &x.assertions)
            .map(|i| (*i, &model.assertions[*i]))
            .find(|(_, a)| a.expected.as_deref().map(norm).as_deref() == Some(&want))
    {
        return Some(mk(file, a.expected_span.unwrap_or(a.span), Target::Assertion(i), CorrelationLevel::Direct, Vec::new(), e.selectors.first().cloned()));
    }

    // 5. the test's name; 6. the error line when only the file is known
    if let Some(t) = hit.test {
        return Some(mk(file, model.tests[t].name_span, Target::TestName, CorrelationLevel::Function, Vec::new(), e.selectors.first().cloned()));
    }
    if let Some((f, off, with_col)) = err.filter(|(f, _, _)| *f == file) {
        return Some(mk(f, call_span_at(ws, f, off, with_col), Target::Action, CorrelationLevel::File, Vec::new(), e.selectors.first().cloned()));
    }
    None
}

/// Base confidence of a level.
pub fn level_confidence(level: CorrelationLevel) -> f64 {
    match level {
        CorrelationLevel::Direct => 0.95,
        CorrelationLevel::Function => 0.7,
        CorrelationLevel::File => 0.4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_at_agrees_with_the_model() {
        let text = "test('a', () => {\n  test('b', () => { x(); });\n});\ntest('c', () => { y(); });\n";
        let model = crate::syntax::parse_model(crate::syntax::Language::TypeScript, text);
        assert!(model.tests.len() >= 2, "{:?}", model.tests);
        let files = [SourceFile { path: "a.spec.ts", model: &model, text, modified_ms: None }];
        let ws = Workspace::new(&files);
        for off in 0..=text.len() + 1 {
            assert_eq!(ws.index(0).test_at(off), model.test_at(Span::new(off, off)), "offset {off}");
        }
    }

    #[test]
    fn find_agrees_with_match_path() {
        let model = FileModel::empty(crate::syntax::Language::TypeScript);
        let paths = ["tests/examples/playwright/cart.spec.ts", "other/cart.spec.ts", "x/other/cart.spec.ts", "tests/test_shop.py", "a/b/test_shop.py"];
        let files: Vec<SourceFile> = paths.iter().map(|p| SourceFile { path: p, model: &model, text: "", modified_ms: None }).collect();
        let ws = Workspace::new(&files);
        for report in ["/home/runner/work/r/r/tests/examples/playwright/cart.spec.ts", "cart.spec.ts", "other/cart.spec.ts", "C:\\w\\other\\cart.spec.ts", "./test_shop.py", "b/test_shop.py", "nope.ts", "", "/"] {
            let want = paths::match_path(report, paths.iter().copied().filter(|p| paths::components(p).last() == paths::components(report).last()));
            let got = ws.find(report).map(|f| paths::PathMatch {
                path: paths[f.file].to_string(),
                components: f.components,
                ties: f.ties.iter().map(|t| paths[*t].to_string()).collect(),
            });
            assert_eq!(got, want, "{report:?}");
        }
    }

    #[test]
    fn reverse_components_are_the_components_reversed() {
        for p in ["", "/", "a", "/a/b/c.ts", "C:\\x\\.\\y.py", "a//b/./c/", "./x", "ä/ö\\ü"] {
            let mut want = paths::components(p);
            want.reverse();
            assert_eq!(RevComponents { rest: p }.collect::<Vec<_>>(), want, "{p:?}");
        }
    }

    #[test]
    fn norm_collapses_whitespace_and_quotes() {
        for s in ["", " ", "a", "a b", "a  b", " a", "a ", "  a  b\t\nc  ", "[data-testid=\"x\"]", "\u{a0}x\u{2003}y\u{3000}", "a \" b", "button.buy-1"] {
            assert_eq!(norm(s), s.split_whitespace().collect::<Vec<_>>().join(" ").replace('"', "'"), "{s:?}");
            assert_eq!(norm_cow(s), norm(s), "{s:?}");
        }
    }

    #[test]
    fn message_chains() {
        assert_eq!(
            message_chain("locator('form').getByRole('button', { name: \"Save  it\" }).first()"),
            vec![("locator".to_string(), vec!["form".to_string()]), ("getByRole".into(), vec!["button".into(), "Save it".into()])]
        );
        assert_eq!(message_chain("button.add-to-cart"), vec![(String::new(), vec!["button.add-to-cart".to_string()])]);
        assert_eq!(message_chain("[data-testid=\"x\"]"), vec![(String::new(), vec!["[data-testid='x']".to_string()])]);
    }
}
