//! Streaming parser for Playwright's JSON report (`--reporter=json`).
//!
//! The document is walked with serde visitors straight from the reader: `suites` are never
//! materialized. What is held at once: the `config` object (small), one spec with its tests
//! and results (needed because a spec's `file`/`line` and a test's `status` come after its
//! `tests`/`results` in real reports), and one error value at a time. Messages are capped.

use std::cell::Cell;
use std::fmt;
use std::io::{BufRead, Read};
use std::rc::Rc;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::message;
use super::model::{
    Attachment, EventSource, ExtraError, FailureEvent, Location, Problem, ReportStats, RunInfo,
    Status,
};
use super::{MAX_TEXT, cap_text, stack, strip_ansi};

/// A Playwright project's directories, from `config.projects[]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectDirs {
    /// Project name (`""` for the unnamed default project).
    pub name: String,
    /// Absolute test directory.
    pub test_dir: Option<String>,
}

/// Everything but the events: stats, run info, config roots, problems.
#[derive(Debug, Clone, Default)]
pub struct PlaywrightSummary {
    /// The `stats` block (it comes last in the document).
    pub stats: Option<ReportStats>,
    /// Run info from `config.metadata` and `stats.startTime`.
    pub run: RunInfo,
    /// `config.rootDir`.
    pub root_dir: Option<String>,
    /// `config.projects[]` name and testDir.
    pub projects: Vec<ProjectDirs>,
    /// What could not be understood.
    pub problems: Vec<Problem>,
}

impl PlaywrightSummary {
    /// Completes an event emitted before the whole document was read: resolves the file
    /// against the project's testDir (when `config` came after `suites`) and fills run info
    /// known only at the end (`stats.startTime`).
    pub fn complete(&self, ev: &mut FailureEvent) {
        if ev.resolved_file.is_none() {
            ev.resolved_file = resolve_file(&self.root_dir, &self.projects, ev);
        }
        fill_run(&mut ev.run, &self.run);
    }
}

/// Parses a Playwright JSON report from `reader`, calling `sink` once per test result (one
/// event per attempt, passed ones included). Never panics; syntax and type errors become
/// problems naming the JSON path and line:column.
pub fn parse<R: BufRead>(reader: R, sink: &mut dyn FnMut(FailureEvent)) -> PlaywrightSummary {
    let pos = Rc::new(Position::default());
    let counting = CountingReader { inner: reader, pos: pos.clone() };
    let mut ctx = Ctx {
        sink,
        pos: pos.clone(),
        path: Vec::new(),
        stack: Vec::new(),
        deferred: Vec::new(),
        summary: PlaywrightSummary::default(),
        config_seen: false,
    };
    let mut de = serde_json::Deserializer::from_reader(counting);
    let result = DocSeed { ctx: &mut ctx }.deserialize(&mut de).and_then(|()| de.end());
    if let Err(e) = result {
        let at = if ctx.path.is_empty() { "the document".to_string() } else { ctx.path.join("") };
        let what = match e.classify() {
            serde_json::error::Category::Eof => "truncated JSON",
            serde_json::error::Category::Syntax => "invalid JSON",
            serde_json::error::Category::Data => "unexpected JSON shape",
            serde_json::error::Category::Io => "read error",
        };
        ctx.summary.problems.push(Problem {
            message: format!(
                "{what} in {at} (line {}, column {}, near byte {}): {}",
                e.line(),
                e.column(),
                pos.offset.get(),
                strip_position(&e.to_string())
            ),
            line: Some(e.line() as u64),
            column: Some(e.column() as u64),
            offset: Some(pos.offset.get()),
        });
        // Events whose suite titles never arrived: emit them with what is known.
        for (mut ev, slots) in std::mem::take(&mut ctx.deferred) {
            let mut tp: Vec<String> = slots.into_iter().map(|s| s.unwrap_or_default()).collect();
            tp.append(&mut ev.title_path);
            ev.title_path = tp;
            (ctx.sink)(ev);
        }
    }
    ctx.summary
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Byte offset and line/column of what serde_json has consumed so far.
#[derive(Default)]
struct Position {
    offset: Cell<u64>,
    line: Cell<u64>,
    col: Cell<u64>,
}

struct CountingReader<R> {
    inner: R,
    pos: Rc<Position>,
}

impl<R: BufRead> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let p = &self.pos;
        p.offset.set(p.offset.get() + n as u64);
        for &b in &buf[..n] {
            if b == b'\n' {
                p.line.set(p.line.get() + 1);
                p.col.set(0);
            } else {
                p.col.set(p.col.get() + 1);
            }
        }
        Ok(n)
    }
}

struct Ctx<'s> {
    sink: &'s mut dyn FnMut(FailureEvent),
    pos: Rc<Position>,
    /// JSON path of the value being read (`suites[0]`, `.specs[2]`, …).
    path: Vec<String>,
    /// Titles of the open suites; index 0 is the file-level suite.
    stack: Vec<Option<String>>,
    /// Events waiting for a suite title that comes after its specs.
    deferred: Vec<(FailureEvent, Vec<Option<String>>)>,
    summary: PlaywrightSummary,
    config_seen: bool,
}

impl Ctx<'_> {
    fn problem(&mut self, field: &str, msg: &str) {
        let line = self.pos.line.get() + 1;
        let col = self.pos.col.get() + 1;
        self.summary.problems.push(Problem {
            message: format!("{}{field} (line {line}, column {col}): {msg}", self.path.join("")),
            line: Some(line),
            column: Some(col),
            offset: Some(self.pos.offset.get()),
        });
    }

    fn emit(&mut self, mut ev: FailureEvent) {
        if self.config_seen && ev.resolved_file.is_none() {
            ev.resolved_file = resolve_file(&self.summary.root_dir, &self.summary.projects, &ev);
        }
        fill_run(&mut ev.run, &self.summary.run);
        let slots: Vec<Option<String>> = self.stack.iter().skip(1).cloned().collect();
        if slots.iter().all(Option::is_some) {
            let mut tp: Vec<String> = slots.into_iter().flatten().collect();
            tp.append(&mut ev.title_path);
            ev.title_path = tp;
            (self.sink)(ev);
        } else {
            self.deferred.push((ev, slots));
        }
    }

    /// A suite at `depth` ended with `title`: fill the slot of deferred events, flush the
    /// ones that are complete.
    fn suite_ended(&mut self, depth: usize, title: Option<String>) {
        if self.deferred.is_empty() || depth == 0 {
            return;
        }
        let mut keep = Vec::new();
        for (mut ev, mut slots) in std::mem::take(&mut self.deferred) {
            if let Some(s) = slots.get_mut(depth - 1)
                && s.is_none() {
                    *s = Some(title.clone().unwrap_or_default());
                }
            if slots.iter().all(Option::is_some) {
                let mut tp: Vec<String> = slots.into_iter().flatten().collect();
                tp.append(&mut ev.title_path);
                ev.title_path = tp;
                (self.sink)(ev);
            } else {
                keep.push((ev, slots));
            }
        }
        self.deferred = keep;
    }
}

fn resolve_file(
    root_dir: &Option<String>,
    projects: &[ProjectDirs],
    ev: &FailureEvent,
) -> Option<String> {
    let file = ev.file.as_deref()?;
    if file.starts_with('/') {
        return Some(file.to_string());
    }
    let project = ev.project.as_deref().unwrap_or("");
    let dir = projects
        .iter()
        .find(|p| p.name == project)
        .and_then(|p| p.test_dir.clone())
        .or_else(|| root_dir.clone())?;
    Some(format!("{}/{}", dir.trim_end_matches('/'), file))
}

fn fill_run(run: &mut RunInfo, from: &RunInfo) {
    macro_rules! fill {
        ($f:ident) => {
            if run.$f.is_none() {
                run.$f = from.$f.clone();
            }
        };
    }
    fill!(run_id);
    fill!(commit_sha);
    fill!(branch);
    fill!(started_at);
    fill!(ci_url);
}

// ---------------------------------------------------------------- document

struct DocSeed<'a, 's> {
    ctx: &'a mut Ctx<'s>,
}

impl<'de> DeserializeSeed<'de> for DocSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DocSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Playwright JSON report object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let mut saw_suites = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "config" => {
                    ctx.path.push("config".into());
                    let v: Value = map.next_value()?;
                    read_config(ctx, &v);
                    ctx.path.pop();
                }
                "suites" => {
                    saw_suites = true;
                    ctx.path.push("suites".into());
                    map.next_value_seed(SuitesSeed { ctx: &mut *ctx, depth: 0 })?;
                    ctx.path.pop();
                }
                "stats" => {
                    ctx.path.push("stats".into());
                    let v: Value = map.next_value()?;
                    read_stats(ctx, &v);
                    ctx.path.pop();
                }
                "errors" => {
                    ctx.path.push("errors".into());
                    let v: Value = map.next_value()?;
                    if let Some(errs) = v.as_array() {
                        for e in errs {
                            let msg = e.get("message").and_then(Value::as_str).unwrap_or("");
                            let first = strip_ansi(msg).lines().next().unwrap_or("").to_string();
                            ctx.problem("", &format!("the report records a global error: {first}"));
                        }
                    }
                    ctx.path.pop();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !saw_suites {
            ctx.problem("", "no `suites` array: not a Playwright JSON report?");
        }
        Ok(())
    }
}

fn read_config(ctx: &mut Ctx, v: &Value) {
    let Some(obj) = v.as_object() else {
        ctx.problem("", "expected an object");
        return;
    };
    ctx.config_seen = true;
    ctx.summary.root_dir = obj.get("rootDir").and_then(Value::as_str).map(str::to_string);
    if let Some(ps) = obj.get("projects").and_then(Value::as_array) {
        for p in ps {
            ctx.summary.projects.push(ProjectDirs {
                name: p.get("name").and_then(Value::as_str).unwrap_or("").to_string(),
                test_dir: p.get("testDir").and_then(Value::as_str).map(str::to_string),
            });
        }
    }
    if let Some(meta) = obj.get("metadata") {
        read_metadata(&mut ctx.summary.run, meta);
    }
}

/// Run info from `config.metadata`: Playwright's own `gitCommit`/`ci` keys (from its git
/// info capture) and common flat spellings.
fn read_metadata(run: &mut RunInfo, meta: &Value) {
    let s = |keys: &[&str]| -> Option<String> {
        for k in keys {
            let mut cur = meta;
            for part in k.split('.') {
                match cur.get(part) {
                    Some(n) => cur = n,
                    None => {
                        cur = &Value::Null;
                        break;
                    }
                }
            }
            match cur {
                Value::String(s) if !s.is_empty() => return Some(s.clone()),
                Value::Number(n) => return Some(n.to_string()),
                _ => {}
            }
        }
        None
    };
    run.run_id = run.run_id.take().or_else(|| {
        s(&["ci.buildId", "ci.runId", "runId", "run_id", "buildId", "ci_run_id", "github.runId"])
    });
    run.commit_sha = run.commit_sha.take().or_else(|| {
        s(&["ci.commitHash", "gitCommit.hash", "git.commit.hash", "commit_sha", "commitSha", "revision", "gitCommit"])
    });
    run.branch = run
        .branch
        .take()
        .or_else(|| s(&["ci.branch", "gitCommit.branch", "git.commit.branch", "branch", "gitBranch"]));
    run.ci_url = run
        .ci_url
        .take()
        .or_else(|| s(&["ci.buildHref", "ci.commitHref", "ci_url", "ciUrl", "buildUrl"]));
}

fn read_stats(ctx: &mut Ctx, v: &Value) {
    let Some(o) = v.as_object() else {
        ctx.problem("", "expected an object");
        return;
    };
    let n = |k: &str| o.get(k).and_then(Value::as_u64).unwrap_or(0);
    let stats = ReportStats {
        expected: n("expected"),
        unexpected: n("unexpected"),
        flaky: n("flaky"),
        skipped: n("skipped"),
        start_time: o.get("startTime").and_then(Value::as_str).map(str::to_string),
        duration_ms: o.get("duration").and_then(Value::as_f64),
    };
    if ctx.summary.run.started_at.is_none() {
        ctx.summary.run.started_at = stats.start_time.clone();
    }
    ctx.summary.stats = Some(stats);
}

// ---------------------------------------------------------------- suites

struct SuitesSeed<'a, 's> {
    ctx: &'a mut Ctx<'s>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for SuitesSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for SuitesSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of suites")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            self.ctx.path.push(format!("[{i}]"));
            let more = seq.next_element_seed(SuiteSeed { ctx: &mut *self.ctx, depth: self.depth })?;
            self.ctx.path.pop();
            if more.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }
}

struct SuiteSeed<'a, 's> {
    ctx: &'a mut Ctx<'s>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for SuiteSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for SuiteSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a suite object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        ctx.stack.push(None);
        let mut title = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "title" => {
                    let v: Value = map.next_value()?;
                    match v {
                        Value::String(s) => {
                            title = Some(s.clone());
                            if let Some(top) = ctx.stack.last_mut() {
                                *top = Some(s);
                            }
                        }
                        _ => ctx.problem(".title", "expected a string"),
                    }
                }
                "specs" => {
                    ctx.path.push(".specs".into());
                    map.next_value_seed(SpecsSeed { ctx: &mut *ctx })?;
                    ctx.path.pop();
                }
                "suites" => {
                    ctx.path.push(".suites".into());
                    map.next_value_seed(SuitesSeed { ctx: &mut *ctx, depth: self.depth + 1 })?;
                    ctx.path.pop();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        ctx.stack.pop();
        ctx.suite_ended(self.depth, title);
        Ok(())
    }
}

// ---------------------------------------------------------------- specs

struct SpecsSeed<'a, 's> {
    ctx: &'a mut Ctx<'s>,
}

impl<'de> DeserializeSeed<'de> for SpecsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for SpecsSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of specs")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            self.ctx.path.push(format!("[{i}]"));
            let more = seq.next_element_seed(SpecSeed { ctx: &mut *self.ctx })?;
            self.ctx.path.pop();
            if more.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }
}

struct SpecSeed<'a, 's> {
    ctx: &'a mut Ctx<'s>,
}

impl<'de> DeserializeSeed<'de> for SpecSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for SpecSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a spec object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let mut title = String::new();
        let mut file: Option<String> = None;
        let mut line: Option<u32> = None;
        let mut column: Option<u32> = None;
        let mut events: Vec<FailureEvent> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "title" => match map.next_value::<Value>()? {
                    Value::String(s) => title = s,
                    _ => ctx.problem(".title", "expected a string"),
                },
                "file" => match map.next_value::<Value>()? {
                    Value::String(s) => file = Some(s),
                    _ => ctx.problem(".file", "expected a string"),
                },
                "line" => match map.next_value::<Value>()?.as_u64() {
                    Some(n) => line = u32::try_from(n).ok(),
                    None => ctx.problem(".line", "expected a non-negative integer"),
                },
                "column" => match map.next_value::<Value>()?.as_u64() {
                    Some(n) => column = u32::try_from(n).ok(),
                    None => ctx.problem(".column", "expected a non-negative integer"),
                },
                "tests" => {
                    ctx.path.push(".tests".into());
                    map.next_value_seed(TestsSeed { ctx: &mut *ctx, out: &mut events })?;
                    ctx.path.pop();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let test_location = match (&file, line) {
            (Some(f), Some(l)) => Some(Location { file: f.clone(), line: l, column }),
            _ => None,
        };
        for mut ev in events {
            ev.name = title.clone();
            ev.title_path = vec![title.clone()];
            ev.file = file.clone();
            ev.test_location = test_location.clone();
            if ev.location.is_none() && ev.status.is_failure() {
                ev.location = test_location.clone();
            }
            ctx.emit(ev);
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- tests

struct TestsSeed<'a, 's> {
    ctx: &'a mut Ctx<'s>,
    out: &'a mut Vec<FailureEvent>,
}

impl<'de> DeserializeSeed<'de> for TestsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for TestsSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of tests")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            self.ctx.path.push(format!("[{i}]"));
            let more = seq.next_element_seed(TestSeed { ctx: &mut *self.ctx, out: &mut *self.out })?;
            self.ctx.path.pop();
            if more.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }
}

struct TestSeed<'a, 's> {
    ctx: &'a mut Ctx<'s>,
    out: &'a mut Vec<FailureEvent>,
}

impl<'de> DeserializeSeed<'de> for TestSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TestSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a test object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let mut project: Option<String> = None;
        let mut outcome: Option<String> = None;
        let mut annotations: Vec<String> = Vec::new();
        let mut results: Vec<FailureEvent> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "projectName" => match map.next_value::<Value>()? {
                    Value::String(s) => project = Some(s).filter(|s| !s.is_empty()),
                    _ => ctx.problem(".projectName", "expected a string"),
                },
                "status" => match map.next_value::<Value>()? {
                    Value::String(s) => outcome = Some(s),
                    _ => ctx.problem(".status", "expected a string"),
                },
                "annotations" => annotations = read_annotations(&map.next_value::<Value>()?),
                "results" => {
                    ctx.path.push(".results".into());
                    map.next_value_seed(ResultsSeed { ctx: &mut *ctx, out: &mut results })?;
                    ctx.path.pop();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        for mut ev in results {
            ev.project = project.clone();
            ev.outcome = outcome.clone();
            let mut a = annotations.clone();
            a.append(&mut ev.annotations);
            ev.annotations = a;
            self.out.push(ev);
        }
        Ok(())
    }
}

fn read_annotations(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| {
                    let t = x.get("type")?.as_str()?;
                    Some(match x.get("description").and_then(Value::as_str) {
                        Some(d) => format!("{t}: {d}"),
                        None => t.to_string(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------- results

struct ResultsSeed<'a, 's> {
    ctx: &'a mut Ctx<'s>,
    out: &'a mut Vec<FailureEvent>,
}

impl<'de> DeserializeSeed<'de> for ResultsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ResultsSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of results")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            self.ctx.path.push(format!("[{i}]"));
            let ev = seq.next_element_seed(ResultSeed { ctx: &mut *self.ctx })?;
            self.ctx.path.pop();
            match ev {
                Some(ev) => self.out.push(ev),
                None => return Ok(()),
            }
            i += 1;
        }
    }
}

struct ResultSeed<'a, 's> {
    ctx: &'a mut Ctx<'s>,
}

impl<'de> DeserializeSeed<'de> for ResultSeed<'_, '_> {
    type Value = FailureEvent;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<FailureEvent, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ResultSeed<'_, '_> {
    type Value = FailureEvent;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a result object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FailureEvent, A::Error> {
        let ctx = self.ctx;
        let mut ev = FailureEvent::new(EventSource::PlaywrightJson, "", Status::Passed);
        let mut error: Option<Value> = None;
        let mut errors: Option<Value> = None;
        let mut error_location: Option<Value> = None;
        let mut status_seen = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "status" => {
                    let v: Value = map.next_value()?;
                    match v.as_str().and_then(Status::from_playwright) {
                        Some(s) => {
                            ev.status = s;
                            status_seen = true;
                        }
                        None => ctx.problem(
                            ".status",
                            &format!("expected passed|failed|timedOut|skipped|interrupted, found {v}"),
                        ),
                    }
                }
                "retry" => match map.next_value::<Value>()?.as_u64() {
                    Some(n) => ev.retry = u32::try_from(n).unwrap_or(u32::MAX),
                    None => ctx.problem(".retry", "expected a non-negative integer"),
                },
                "duration" => match map.next_value::<Value>()?.as_f64() {
                    Some(d) if d >= 0.0 => ev.duration_ms = Some(d.round() as u64),
                    _ => ctx.problem(".duration", "expected a non-negative number"),
                },
                "error" => error = Some(map.next_value()?),
                "errors" => errors = Some(map.next_value()?),
                "errorLocation" => error_location = Some(map.next_value()?),
                "attachments" => {
                    let v: Value = map.next_value()?;
                    if let Some(a) = v.as_array() {
                        for x in a {
                            ev.attachments.push(Attachment {
                                name: x.get("name").and_then(Value::as_str).unwrap_or("").to_string(),
                                content_type: x.get("contentType").and_then(Value::as_str).map(str::to_string),
                                path: x.get("path").and_then(Value::as_str).map(str::to_string),
                            });
                        }
                    } else {
                        ctx.problem(".attachments", "expected an array");
                    }
                }
                "annotations" => ev.annotations = read_annotations(&map.next_value::<Value>()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !status_seen {
            ctx.problem("", "result without a valid `status`; taken as failed");
            ev.status = Status::Failed;
        }
        let errors_arr: Vec<Value> = match errors {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        };
        let primary = error.filter(Value::is_object).or_else(|| errors_arr.first().cloned());
        if let Some(err) = &primary {
            let raw = err.get("message").and_then(Value::as_str).unwrap_or("");
            let (msg, cut) = cap_text(strip_ansi(raw), MAX_TEXT);
            ev.truncated |= cut;
            ev.message = msg;
            ev.error_type = message::error_type(&ev.message);
            if let Some(st) = err.get("stack").and_then(Value::as_str) {
                ev.stack = stack::parse_js_stack(&strip_ansi(st));
            }
            ev.location = err
                .get("location")
                .and_then(read_location)
                .or_else(|| error_location.as_ref().and_then(read_location))
                .or_else(|| {
                    ev.first_in_app_frame().and_then(|f| {
                        Some(Location { file: f.file.clone(), line: f.line?, column: f.column })
                    })
                });
        }
        for e in errors_arr.iter().skip(1) {
            let raw = e.get("message").and_then(Value::as_str).unwrap_or("");
            ev.extra_errors.push(ExtraError {
                message: cap_text(strip_ansi(raw), MAX_TEXT).0,
                location: e.get("location").and_then(read_location),
            });
        }
        if primary.is_some() {
            ev.analyze_message();
        }
        Ok(ev)
    }
}

fn read_location(v: &Value) -> Option<Location> {
    Some(Location {
        file: v.get("file")?.as_str()?.to_string(),
        line: u32::try_from(v.get("line")?.as_u64()?).ok()?,
        column: v.get("column").and_then(Value::as_u64).and_then(|c| u32::try_from(c).ok()),
    })
}
