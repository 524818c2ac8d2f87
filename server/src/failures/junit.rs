//! Streaming parser for JUnit XML: pytest (xunit1 with `file`/`line`, xunit2 without),
//! Playwright's junit reporter, jest-junit, Maven surefire.
//!
//! Read with quick-xml event by event; only the current `<testcase>` is held (its failure
//! text and output capped at [`MAX_TEXT`]). A `<!DOCTYPE>` stops the parse with a problem
//! (no DTD, so no entity bomb); only the five predefined entities and character references
//! are expanded, any other `&name;` is kept literally and reported.

use std::io::BufRead;
use std::sync::Arc;

use once_cell::sync::Lazy;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use regex::Regex;
use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use super::message;
use super::model::{
    Attachment, EventSource, FailureEvent, Location, Problem, ReportStats, RunInfo, Status,
};
use super::offload::{Offload, Out, offload};
use super::{MAX_TEXT, stack, strip_ansi, strip_ansi_cow};

/// Everything but the events.
#[derive(Debug, Clone, Default)]
pub struct JunitSummary {
    /// Counts of the events emitted (passed → expected, failed → unexpected, skipped), the
    /// first `timestamp` and the root `time`.
    pub stats: Option<ReportStats>,
    /// What could not be understood, with byte offsets and line:col.
    pub problems: Vec<Problem>,
}

/// At most this many problems of one kind (unknown entity, bad attribute) are reported.
const MAX_SAME_PROBLEMS: usize = 10;

#[derive(Default)]
struct Case {
    /// The run info as it was when the case was read.
    run: Arc<RunInfo>,
    classname: Option<String>,
    name: String,
    file: Option<String>,
    line: Option<u32>,
    time: Option<f64>,
    /// `failure` / `error` / `skipped` seen, with its attributes.
    kind: Option<&'static str>,
    type_attr: Option<String>,
    message_attr: Option<String>,
    body: String,
    output: String,
    truncated: bool,
}

#[derive(PartialEq, Clone, Copy)]
enum Capture {
    None,
    Body,
    Output,
}

/// Parses JUnit XML from `reader`, calling `sink` once per `<testcase>`, in document order.
/// Never panics.
///
/// The XML is read on the caller's thread; turning a case into its event (message facts,
/// stack frames, fingerprint) runs on a second thread once the report has more than a few
/// hundred cases (see [`super::offload`]).
pub fn parse<R: BufRead>(reader: R, sink: &mut dyn FnMut(FailureEvent)) -> JunitSummary {
    offload(case_to_event(), Out::Sink(sink), |off| read(reader, off))
}

/// [`parse`] into `out`, the events pushed there by the second thread (filling a large
/// vector is much of the cost of a large report: it is shared out that way).
pub(crate) fn parse_into<R: BufRead>(reader: R, out: &mut Vec<FailureEvent>) -> JunitSummary {
    offload(case_to_event(), Out::Vec(out), |off| read(reader, off))
}

fn case_to_event() -> impl FnMut(Case) -> FailureEvent + Send + 'static {
    let mut modules = ModuleCache::default();
    move |c| emit(c, &mut modules)
}

fn read<R: BufRead, W: FnMut(Case) -> FailureEvent + Send + 'static>(
    reader: R,
    off: &mut Offload<'_, Case, FailureEvent, W>,
) -> JunitSummary {
    let mut xml = Reader::from_reader(reader);
    xml.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut summary = JunitSummary::default();
    let mut stats = ReportStats::default();
    let mut run = RunInfo::default();
    let mut suites: Vec<Option<String>> = Vec::new();
    let mut case: Option<Case> = None;
    let mut capture = Capture::None;
    let mut entity_problems = 0usize;
    let mut attr_problems = 0usize;
    let mut saw_root = false;
    let mut line_index = LineIndex;
    let mut run_snap: Arc<RunInfo> = Arc::default();
    let mut done = |c: Case, stats: &mut ReportStats| {
        match c.kind {
            Some("failure") | Some("error") => stats.unexpected += 1,
            Some(_) => stats.skipped += 1,
            None => stats.expected += 1,
        }
        off.push(c);
    };

    loop {
        let before = xml.buffer_position();
        let ev = match xml.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(e) => {
                let at = xml.error_position();
                summary.problems.push(line_index.problem(at, format!("invalid XML: {e}")));
                break;
            }
        };
        match ev {
            Event::DocType(_) => {
                summary.problems.push(line_index.problem(
                    before,
                    "<!DOCTYPE> refused: DTDs and entity declarations are not processed \
                     (entity expansion attack guard); the report was not read further"
                        .to_string(),
                ));
                break;
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                saw_root = true;
                let attrs = read_attrs(e, &mut summary, &mut attr_problems, &line_index, before);
                let get = |k: &str| attrs.get(k).map(|v| v.clone().into_owned());
                let get_ref = |k: &str| attrs.get(k);
                match e.local_name().as_ref() {
                    b"testsuites" => {
                        stats.duration_ms = get("time").and_then(|t| t.parse::<f64>().ok()).map(|s| s * 1000.0);
                        if run.started_at.is_none() {
                            run.started_at = get("timestamp");
                        }
                    }
                    b"testsuite" => {
                        if run.started_at.is_none() {
                            run.started_at = get("timestamp");
                        }
                        if !empty {
                            suites.push(get("name"));
                        }
                    }
                    b"property" if case.is_none() => {
                        if let (Some(n), Some(v)) = (get("name"), get("value")) {
                            read_property(&mut run, &n, v);
                        }
                    }
                    b"testcase" => {
                        if *run_snap != run {
                            run_snap = Arc::new(run.clone());
                        }
                        let c = Case {
                            run: run_snap.clone(),
                            classname: get("classname"),
                            name: get("name").unwrap_or_default(),
                            file: get("file"),
                            line: get_ref("line").and_then(|l| l.parse().ok()),
                            time: get_ref("time").and_then(|t| t.parse().ok()),
                            ..Case::default()
                        };
                        if empty {
                            done(c, &mut stats);
                        } else {
                            case = Some(c);
                        }
                    }
                    name @ (b"failure" | b"error" | b"skipped") => {
                        if let Some(c) = case.as_mut() {
                            let kind = match name {
                                b"failure" => "failure",
                                b"error" => "error",
                                _ => "skipped",
                            };
                            // A failure/error outranks a skip; the first failure wins.
                            if c.kind.is_none() || (c.kind == Some("skipped") && kind != "skipped") {
                                c.kind = Some(kind);
                                c.type_attr = get("type").filter(|t| !t.is_empty());
                                c.message_attr = get("message");
                            }
                            if !empty {
                                capture = Capture::Body;
                            }
                        }
                    }
                    b"system-out" | b"system-err" if case.is_some() && !empty => {
                        capture = Capture::Output;
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => match e.local_name().as_ref() {
                b"testcase" => {
                    if let Some(c) = case.take() {
                        done(c, &mut stats);
                    }
                    capture = Capture::None;
                }
                b"testsuite" => {
                    suites.pop();
                }
                b"failure" | b"error" | b"skipped" | b"system-out" | b"system-err" => {
                    capture = Capture::None;
                }
                _ => {}
            },
            Event::Text(t) => {
                if capture != Capture::None {
                    match t.xml_content() {
                        Ok(s) => append(&mut case, capture, &s),
                        Err(_) => append(&mut case, capture, &String::from_utf8_lossy(t.as_ref())),
                    }
                }
                line_index.note(before, t.as_ref());
            }
            Event::CData(t) => {
                if capture != Capture::None {
                    append(&mut case, capture, &String::from_utf8_lossy(t.as_ref()));
                }
                line_index.note(before, t.as_ref());
            }
            Event::GeneralRef(r) => {
                let resolved: Option<String> = match r.resolve_char_ref() {
                    Ok(Some(ch)) => Some(ch.to_string()),
                    Ok(None) => match &*r {
                        b"lt" => Some("<".into()),
                        b"gt" => Some(">".into()),
                        b"amp" => Some("&".into()),
                        b"apos" => Some("'".into()),
                        b"quot" => Some("\"".into()),
                        _ => None,
                    },
                    Err(_) => None,
                };
                let text = match resolved {
                    Some(s) => s,
                    None => {
                        let name = String::from_utf8_lossy(&r).into_owned();
                        if entity_problems < MAX_SAME_PROBLEMS {
                            summary.problems.push(line_index.problem(
                                before,
                                format!("entity &{name}; not expanded (only the predefined XML entities and character references are)"),
                            ));
                        }
                        entity_problems += 1;
                        format!("&{name};")
                    }
                };
                if capture != Capture::None {
                    append(&mut case, capture, &text);
                }
            }
            Event::Eof => {
                if case.is_some() || !suites.is_empty() {
                    summary.problems.push(line_index.problem(
                        xml.buffer_position(),
                        "truncated XML: the document ends inside an open element".to_string(),
                    ));
                }
                if let Some(c) = case.take() {
                    done(c, &mut stats);
                }
                break;
            }
            Event::Comment(t) => line_index.note(before, t.as_ref()),
            _ => {}
        }
        buf.clear();
    }
    if !saw_root && summary.problems.is_empty() {
        summary.problems.push(line_index.problem(0, "no XML elements: not a JUnit report".into()));
    }
    if entity_problems > MAX_SAME_PROBLEMS {
        summary.problems.push(Problem {
            message: format!("{} more unexpanded entities not listed", entity_problems - MAX_SAME_PROBLEMS),
            line: None,
            column: None,
            offset: None,
        });
    }
    stats.start_time = run.started_at.clone();
    summary.stats = Some(stats);
    summary
}

/// Builds problems that name their byte offset.
#[derive(Default)]
struct LineIndex;

impl LineIndex {
    fn note(&mut self, _at: u64, _content: &[u8]) {}
    fn problem(&self, offset: u64, msg: String) -> Problem {
        Problem { message: format!("{msg} (at byte {offset})"), line: None, column: None, offset: Some(offset) }
    }
}

/// The attributes of one element, values unescaped. Values without `&` that are valid
/// UTF-8 are borrowed from the reader's buffer (no allocation per attribute).
struct Attrs<'a> {
    items: SmallVec<[(&'a [u8], std::borrow::Cow<'a, str>); 8]>,
}

impl<'a> Attrs<'a> {
    fn get(&self, key: &str) -> Option<&std::borrow::Cow<'a, str>> {
        self.items.iter().find(|(k, _)| *k == key.as_bytes()).map(|(_, v)| v)
    }
}

fn read_attrs<'a>(
    e: &'a BytesStart,
    summary: &mut JunitSummary,
    attr_problems: &mut usize,
    li: &LineIndex,
    at: u64,
) -> Attrs<'a> {
    use std::borrow::Cow;
    let mut items = SmallVec::new();
    for a in e.attributes() {
        match a {
            Ok(a) => {
                let key: &'a [u8] = a.key.local_name().into_inner();
                let fast = match &a.value {
                    Cow::Borrowed(v) if !v.contains(&b'&') => std::str::from_utf8(v).ok().map(Cow::Borrowed),
                    _ => None,
                };
                let val = match fast {
                    Some(v) => v,
                    None => match a.unescape_value() {
                        Ok(v) => Cow::Owned(v.into_owned()),
                        Err(err) => {
                            if *attr_problems < MAX_SAME_PROBLEMS {
                                summary.problems.push(li.problem(
                                    at,
                                    format!("attribute `{}`: {err}; kept unexpanded", String::from_utf8_lossy(key)),
                                ));
                            }
                            *attr_problems += 1;
                            Cow::Owned(String::from_utf8_lossy(&a.value).into_owned())
                        }
                    },
                };
                items.push((key, val));
            }
            Err(err) => {
                if *attr_problems < MAX_SAME_PROBLEMS {
                    summary.problems.push(li.problem(at, format!("malformed attribute: {err}")));
                }
                *attr_problems += 1;
            }
        }
    }
    Attrs { items }
}

/// Module paths by classname (pytest classnames repeat: every test of a class has one).
/// Bounded: cleared when it holds [`ModuleCache::MAX`] classnames.
#[derive(Default)]
struct ModuleCache {
    paths: FxHashMap<Box<str>, Option<String>>,
}

impl ModuleCache {
    const MAX: usize = 16 * 1024;

    fn path(&mut self, classname: &str) -> Option<String> {
        if let Some(v) = self.paths.get(classname) {
            return v.clone();
        }
        if self.paths.len() >= Self::MAX {
            self.paths.clear();
        }
        let v = python_module_path(classname);
        self.paths.insert(classname.into(), v.clone());
        v
    }
}

fn read_property(run: &mut RunInfo, name: &str, value: String) {
    let slot = match name {
        "run_id" | "ci_run_id" | "build_id" | "buildId" => &mut run.run_id,
        "commit_sha" | "commit" | "git_commit" | "revision" | "gitCommit" => &mut run.commit_sha,
        "branch" | "git_branch" | "gitBranch" => &mut run.branch,
        "ci_url" | "build_url" | "buildUrl" => &mut run.ci_url,
        _ => return,
    };
    if slot.is_none() {
        *slot = Some(value);
    }
}

fn append(case: &mut Option<Case>, capture: Capture, s: &str) {
    let Some(c) = case.as_mut() else { return };
    let target = match capture {
        Capture::Body => &mut c.body,
        Capture::Output => &mut c.output,
        Capture::None => return,
    };
    let room = MAX_TEXT.saturating_sub(target.len());
    if s.len() <= room {
        target.push_str(s);
    } else {
        let mut end = room;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        target.push_str(&s[..end]);
        c.truncated = true;
    }
}

static PW_HEADER: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^\s*(\S+?):(\d+):(\d+) › .*─+\s*$").expect("valid regex")
});
static ATTACHMENT: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"\[\[ATTACHMENT\|([^\]]+)\]\]").expect("valid regex"));
static RETRY: Lazy<Regex> = Lazy::new(|| Regex::new(r"(?m)^\s*Retry #(\d+) ─").expect("valid regex"));

/// A case read whole → its event.
fn emit(c: Case, modules: &mut ModuleCache) -> FailureEvent {
    let status = match c.kind {
        Some("failure") | Some("error") => Status::Failed,
        Some(_) => Status::Skipped,
        None => Status::Passed,
    };
    let title_path = if c.name.contains(" › ") {
        c.name.split(" › ").map(str::to_string).collect()
    } else {
        vec![c.name.clone()]
    };
    let mut ev = FailureEvent::new(EventSource::Junit, c.name, status);
    ev.title_path = title_path;
    ev.duration_ms = c.time.filter(|t| *t >= 0.0).map(|t| (t * 1000.0).round() as u64);
    ev.run = RunInfo::clone(&c.run);
    ev.truncated = c.truncated;

    // Test file: the `file` attribute, or a classname that is a file (Playwright).
    ev.file = c.file.clone().or_else(|| {
        c.classname
            .as_deref()
            .filter(|cn| looks_like_file(cn))
            .map(str::to_string)
    });
    if ev.file.is_none() {
        ev.resolved_file = c.classname.as_deref().and_then(|cn| modules.path(cn));
    }
    ev.classname = c.classname;
    if let (Some(f), Some(l)) = (c.file, c.line) {
        // pytest xunit1: 0-based line of the def.
        ev.test_location = Some(Location { file: f, line: l + 1, column: None });
    }

    if c.kind.is_none() && c.body.is_empty() && c.output.is_empty() {
        return ev;
    }
    let body = strip_ansi_cow(&c.body);
    let body: &str = &body;
    let pw_header = body
        .lines()
        .find(|l| !l.trim().is_empty())
        .filter(|l| l.contains(" › "))
        .and_then(|l| PW_HEADER.captures(l));
    if let Some(h) = &pw_header {
        ev.test_location = Some(Location {
            file: h[1].to_string(),
            line: h[2].parse().unwrap_or(0),
            column: h[3].parse().ok(),
        });
        ev.retry = RETRY
            .captures_iter(body)
            .filter_map(|c| c[1].parse::<u32>().ok())
            .max()
            .unwrap_or(0);
    }

    if c.kind.is_some() {
        let msg = if pw_header.is_some() {
            playwright_block(body)
        } else {
            match c.message_attr.as_deref().map(strip_ansi) {
                Some(m) if !m.trim().is_empty() => m,
                // No message attribute (jest-junit): the body up to its stack trace.
                _ => body
                    .trim_start()
                    .lines()
                    .take_while(|l| !l.trim_start().starts_with("at "))
                    .collect::<Vec<_>>()
                    .join("\n")
                    .trim_end()
                    .to_string(),
            }
        };
        ev.message = msg;
        if status.is_failure() {
            ev.error_type = c
                .type_attr
                .as_deref()
                .map(short_type)
                .or_else(|| message::error_type(&ev.message));
            // Playwright repeats the error per retry: the first block's frames are enough.
            let first_block = match pw_header.is_some().then(|| RETRY.find(body)).flatten() {
                Some(m) => &body[..m.start()],
                None => body,
            };
            let js = stack::parse_js_stack(first_block);
            ev.stack = if !js.is_empty() {
                js
            } else {
                let java = stack::parse_java_stack(body);
                if java.is_empty() { stack::parse_python_traceback(body) } else { java }
            };
            ev.location = ev
                .first_in_app_frame()
                .and_then(|f| Some(Location { file: f.file.clone(), line: f.line?, column: f.column }))
                .or_else(|| ev.test_location.clone());
            ev.analyze_message();
        }
    }
    if !c.output.is_empty() {
        let out = strip_ansi_cow(&c.output);
        if out.contains("[[ATTACHMENT|") {
            for m in ATTACHMENT.captures_iter(&out) {
                ev.attachments.push(Attachment {
                    name: "attachment".into(),
                    content_type: None,
                    path: Some(m[1].trim().to_string()),
                });
            }
        }
        if !out.trim().is_empty() {
            ev.output = Some(out.into_owned());
        }
    }
    ev
}

/// The first error block of a Playwright junit failure text, de-indented: from the
/// `Error:` line to the code frame / stack / `Error Context:`.
fn playwright_block(body: &str) -> String {
    let mut lines = Vec::new();
    let mut started = false;
    for l in body.lines().skip_while(|l| l.trim().is_empty()).skip(1) {
        let t = l.strip_prefix("    ").unwrap_or(l.trim_start());
        if !started {
            if t.trim().is_empty() {
                continue;
            }
            started = true;
        }
        let tt = t.trim_start();
        if tt.starts_with("at ")
            || tt.starts_with("Error Context:")
            || tt.starts_with("Retry #")
            || tt.starts_with("attachment #")
            || (tt.starts_with('>') || tt.split(' ').next().is_some_and(|w| w.parse::<u32>().is_ok()))
                && tt.contains(" |")
        {
            break;
        }
        lines.push(t.to_string());
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// `java.lang.AssertionError` → `AssertionError`; `expect.toHaveText` kept as it is.
fn short_type(t: &str) -> String {
    if t.starts_with("expect.") {
        return t.to_string();
    }
    t.rsplit('.').next().unwrap_or(t).to_string()
}

fn looks_like_file(s: &str) -> bool {
    [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".py"]
        .iter()
        .any(|ext| s.ends_with(ext))
}

/// pytest classname → module file: `tests.test_x.TestY` → `tests/test_x.py`. Trailing
/// segments starting with an uppercase letter are classes. Only for names that look like
/// Python test modules (a segment `test_*`, `*_test` or `tests`), so Java classnames are
/// not mistaken for modules.
pub fn python_module_path(classname: &str) -> Option<String> {
    let segs: Vec<&str> = classname.split('.').collect();
    if segs.iter().any(|s| s.is_empty() || !s.chars().all(|c| c.is_alphanumeric() || c == '_')) {
        return None;
    }
    let module: Vec<&str> = segs
        .iter()
        .copied()
        .take_while(|s| !s.chars().next().is_some_and(|c| c.is_uppercase()))
        .collect();
    let pythonish = module
        .iter()
        .any(|s| s.starts_with("test_") || s.ends_with("_test") || *s == "tests" || *s == "test");
    if module.is_empty() || !pythonish {
        return None;
    }
    Some(format!("{}.py", module.join("/")))
}
