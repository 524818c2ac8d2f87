//! Streaming parser for Playwright's JSON report (`--reporter=json`).
//!
//! The outer structure (the document, `suites`, nested suites, `specs` arrays) is walked by
//! a small tokenizer over a window of the input; each leaf value there (a whole spec, the
//! `config`, `stats`, a suite title, anything ignored) is first delimited in the window
//! (strings skipped eight bytes at a time), then parsed from that slice with serde_json —
//! far faster than serde_json's `io::Read` path, which pulls bytes one at a time. What is
//! held at once: the window (a few hundred KiB, grown only to fit one value), the `config`
//! object, one spec with its tests and results (a spec's `file`/`line` and a test's
//! `status` come after its `tests`/`results` in real reports), and one error at a time.
//! Messages are capped.
//!
//! Positions: the window counts lines as it slides, so every problem names its JSON path
//! and line:column. A spec whose values have the wrong type is parsed a second time through
//! a position-counting reader (rare), so those problems point at the exact value too.

use std::cell::Cell;
use std::fmt;
use std::borrow::Cow;
use std::io::{BufRead, Read};
use std::rc::Rc;

use serde::de::{self, Deserialize, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::message;
use super::model::{
    Attachment, EventSource, ExtraError, FailureEvent, Location, Problem, ReportStats, RunInfo,
    Status,
};
use super::offload::{Out, offload};
use super::{MAX_TEXT, cap_text, stack, strip_ansi, strip_ansi_cow};

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
///
/// The JSON is read on the caller's thread; the work on each result's error (ANSI codes,
/// stack frames, message facts, fingerprint) runs on a second thread once the report has
/// more than a few hundred results (see [`super::offload`]). Events reach `sink` in order.
pub fn parse<R: BufRead>(reader: R, sink: &mut dyn FnMut(FailureEvent)) -> PlaywrightSummary {
    offload(finish, Out::Sink(sink), |off| read(reader, &mut |p| off.push(p)))
}

/// [`parse`] into `out`, the events pushed there by the second thread.
pub(crate) fn parse_into<R: BufRead>(reader: R, out: &mut Vec<FailureEvent>) -> PlaywrightSummary {
    offload(finish, Out::Vec(out), |off| read(reader, &mut |p| off.push(p)))
}

fn read<R: BufRead>(reader: R, sink: &mut dyn FnMut(Pending)) -> PlaywrightSummary {
    let mut p = Parser {
        src: Window::new(reader),
        ctx: Ctx {
            sink,
            pos: PosMode::At(Pos::default()),
            slow_needed: false,
            path: Vec::new(),
            stack: Vec::new(),
            deferred: Vec::new(),
            summary: PlaywrightSummary::default(),
            config_seen: false,
        },
    };
    if let Err(f) = p.document() {
        let ctx = &mut p.ctx;
        let at = if ctx.path.is_empty() { "the document".to_string() } else { render_path(&ctx.path) };
        ctx.summary.problems.push(Problem {
            message: format!("{} in {at} (line {}, column {}, near byte {}): {}", f.what, f.line, f.column, f.offset, f.msg),
            line: Some(f.line),
            column: Some(f.column),
            offset: Some(f.offset),
        });
        // Events whose suite titles never arrived: emit them with what is known.
        for (mut p, slots) in std::mem::take(&mut ctx.deferred) {
            let mut tp: Vec<String> = slots.into_iter().map(|s| s.unwrap_or_default()).collect();
            tp.append(&mut p.ev.title_path);
            p.ev.title_path = tp;
            (ctx.sink)(p);
        }
    }
    p.ctx.summary
}

/// A result as read: its event, and the errors still to be worked into it by [`finish`].
struct Pending {
    ev: FailureEvent,
    errors: RawErrors,
}

/// A result's `error`, `errors` (as their JSON text: they are read by [`finish`]) and
/// `errorLocation`.
#[derive(Default)]
struct RawErrors {
    error: Option<Box<RawValue>>,
    /// The entries of `errors` (none when it is not an array). The first is skipped (None)
    /// when an `error` object came before it: that object stands for it.
    errors: Vec<Option<Box<RawValue>>>,
    error_location: Option<Location>,
}

/// The event of a result read whole: message (ANSI codes stripped, capped), error type,
/// stack frames, location, further errors, message facts and fingerprint.
fn finish(p: Pending) -> FailureEvent {
    let mut ev = p.ev;
    let RawErrors { error, errors, error_location } = p.errors;
    if error.is_some() || !errors.is_empty() || error_location.is_some() {
        // Lenient readers of valid JSON (checked when it was read): they cannot fail.
        let read = |raw: &RawValue| serde_json::from_str::<ErrIn>(raw.get()).unwrap_or_default();
        let error: Option<ErrIn> = error.map(|e| read(&e));
        let mut errors: Vec<ErrIn> = errors.iter().map(|e| e.as_deref().map(read).unwrap_or_default()).collect();
        let mut primary: Option<ErrIn> = match error {
            Some(e) if e.object => Some(e),
            _ if !errors.is_empty() => Some(std::mem::take(&mut errors[0])),
            _ => None,
        };
        if let Some(err) = &mut primary {
            // message and stack: already without ANSI codes
            let (msg, cut) = cap_text(err.message.take().unwrap_or_default(), MAX_TEXT);
            ev.truncated |= cut;
            ev.message = msg;
            ev.error_type = message::error_type(&ev.message);
            if let Some(st) = &err.stack {
                ev.stack = stack::parse_js_stack(st);
            }
            ev.location = err.location.clone().or(error_location).or_else(|| {
                ev.first_in_app_frame()
                    .and_then(|f| Some(Location { file: f.file.clone(), line: f.line?, column: f.column }))
            });
        }
        for e in errors.into_iter().skip(1) {
            ev.extra_errors.push(ExtraError { message: cap_text(e.message.unwrap_or_default(), MAX_TEXT).0, location: e.location });
        }
        if primary.is_some() {
            ev.analyze_message();
        }
    }
    // A failure without an error location happened in its test.
    if ev.location.is_none() && ev.status.is_failure() {
        ev.location.clone_from(&ev.test_location);
    }
    ev
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// A point in the document: 0-based line, 0-based byte column, byte offset.
#[derive(Debug, Clone, Copy, Default)]
struct Pos {
    line: u64,
    col: u64,
    offset: u64,
}

/// Byte offset and line/column of what serde_json has consumed so far (slow path only).
#[derive(Default)]
struct Position {
    offset: Cell<u64>,
    line: Cell<u64>,
    col: Cell<u64>,
}

/// Counts what serde_json's `io::Read` path consumes (it reads one byte per call), so a
/// problem found by a visitor knows where it is. Used only to re-read a spec that had one.
struct CountingReader<'a> {
    inner: &'a [u8],
    pos: Rc<Position>,
}

impl Read for CountingReader<'_> {
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

/// Where `Ctx::problem` takes its position from.
enum PosMode {
    /// A fixed point (the start of the value being read by the tokenizer).
    At(Pos),
    /// A spec parsed from a slice: no position; the spec is re-read in `Counting` mode.
    Deferred,
    /// Re-reading a spec through a [`CountingReader`] that started at `base`.
    Counting { base: Pos, pos: Rc<Position> },
}

/// One element of a JSON path: a key written with its punctuation (`suites`, `.specs`) or
/// an array index.
#[derive(Clone, Copy)]
enum Seg {
    Key(&'static str),
    Index(usize),
}

fn render_path(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => s.push_str(k),
            Seg::Index(i) => {
                s.push('[');
                s.push_str(&i.to_string());
                s.push(']');
            }
        }
    }
    s
}

struct Ctx<'s> {
    sink: &'s mut dyn FnMut(Pending),
    pos: PosMode,
    /// Set by `problem` in `Deferred` mode: the spec must be re-read for positions.
    slow_needed: bool,
    /// JSON path of the value being read (`suites[0]`, `.specs[2]`, …).
    path: Vec<Seg>,
    /// Titles of the open suites; index 0 is the file-level suite.
    stack: Vec<Option<String>>,
    /// Events waiting for a suite title that comes after its specs.
    deferred: Vec<(Pending, Vec<Option<String>>)>,
    summary: PlaywrightSummary,
    config_seen: bool,
}

impl Ctx<'_> {
    fn problem(&mut self, field: &str, msg: &str) {
        let (line, col, offset) = match &self.pos {
            PosMode::At(p) => (p.line + 1, p.col + 1, p.offset),
            PosMode::Deferred => {
                self.slow_needed = true;
                return;
            }
            PosMode::Counting { base, pos } => {
                let (l, c) = (pos.line.get(), pos.col.get());
                let col = if l == 0 { base.col + c } else { c };
                (base.line + l + 1, col + 1, base.offset + pos.offset.get())
            }
        };
        self.summary.problems.push(Problem {
            message: format!("{}{field} (line {line}, column {col}): {msg}", render_path(&self.path)),
            line: Some(line),
            column: Some(col),
            offset: Some(offset),
        });
    }

    fn emit(&mut self, mut p: Pending) {
        let ev = &mut p.ev;
        if self.config_seen && ev.resolved_file.is_none() {
            ev.resolved_file = resolve_file(&self.summary.root_dir, &self.summary.projects, ev);
        }
        fill_run(&mut ev.run, &self.summary.run);
        if self.stack.iter().skip(1).all(Option::is_some) {
            let mut tp: Vec<String> = Vec::with_capacity(self.stack.len() - 1 + ev.title_path.len());
            tp.extend(self.stack.iter().skip(1).flatten().cloned());
            tp.append(&mut ev.title_path);
            ev.title_path = tp;
            (self.sink)(p);
        } else {
            let slots: Vec<Option<String>> = self.stack.iter().skip(1).cloned().collect();
            self.deferred.push((p, slots));
        }
    }

    /// A suite at `depth` ended with `title`: fill the slot of deferred events, flush the
    /// ones that are complete.
    fn suite_ended(&mut self, depth: usize, title: Option<String>) {
        if self.deferred.is_empty() || depth == 0 {
            return;
        }
        let mut keep = Vec::new();
        for (mut p, mut slots) in std::mem::take(&mut self.deferred) {
            if let Some(s) = slots.get_mut(depth - 1)
                && s.is_none() {
                    *s = Some(title.clone().unwrap_or_default());
                }
            if slots.iter().all(Option::is_some) {
                let mut tp: Vec<String> = slots.into_iter().flatten().collect();
                tp.append(&mut p.ev.title_path);
                p.ev.title_path = tp;
                (self.sink)(p);
            } else {
                keep.push((p, slots));
            }
        }
        self.deferred = keep;
    }
}

// ---------------------------------------------------------------- input window

/// Bytes read ahead at least (and the first window size).
const MIN_READ: usize = 256 * 1024;

/// A sliding window over the input: `buf[pos..end]` is read but not consumed. Lines are
/// counted lazily up to `cnt_idx` (used only when a position is asked for, and when the
/// window slides).
struct Window<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    /// Absolute offset of `buf[0]`.
    base_offset: u64,
    /// Line/column of `buf[cnt_idx]`.
    cnt_idx: usize,
    cnt_line: u64,
    cnt_col: u64,
    read_error: Option<std::io::Error>,
}

/// Why the parse stopped.
struct Fail {
    what: &'static str,
    line: u64,
    column: u64,
    offset: u64,
    msg: String,
}

impl<R: BufRead> Window<R> {
    fn new(inner: R) -> Self {
        Window {
            inner,
            buf: vec![0; MIN_READ * 2],
            pos: 0,
            end: 0,
            eof: false,
            base_offset: 0,
            cnt_idx: 0,
            cnt_line: 0,
            cnt_col: 0,
            read_error: None,
        }
    }

    /// Position of `buf[idx]` (idx at or after the counted point).
    fn pos_at(&mut self, idx: usize) -> Pos {
        if idx > self.cnt_idx {
            let s = &self.buf[self.cnt_idx..idx];
            let nl = count_newlines(s);
            if nl == 0 {
                self.cnt_col += s.len() as u64;
            } else {
                let last = s.iter().rposition(|&b| b == b'\n').unwrap_or(0);
                self.cnt_line += nl as u64;
                self.cnt_col = (s.len() - last - 1) as u64;
            }
            self.cnt_idx = idx;
        }
        Pos { line: self.cnt_line, col: self.cnt_col, offset: self.base_offset + idx as u64 }
    }

    /// Reads more input, first dropping what was consumed. Returns how far the window
    /// moved (indices into `buf` go down by that), or None at the end of the input.
    fn fill(&mut self) -> Option<usize> {
        if self.eof {
            return None;
        }
        let shift = self.pos;
        if shift > 0 {
            self.pos_at(shift);
            self.buf.copy_within(shift..self.end, 0);
            self.end -= shift;
            self.pos = 0;
            self.cnt_idx -= shift;
            self.base_offset += shift as u64;
        }
        if self.buf.len() - self.end < MIN_READ {
            let grow = self.buf.len().max(MIN_READ);
            self.buf.resize(self.buf.len() + grow, 0);
        }
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => {
                    self.end += n;
                    break;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.read_error = Some(e);
                    self.eof = true;
                    break;
                }
            }
        }
        Some(shift)
    }

    fn fail_here(&mut self, what: &'static str, msg: String) -> Fail {
        if let Some(e) = self.read_error.take() {
            let p = self.pos_at(self.pos);
            return Fail { what: "read error", line: p.line + 1, column: p.col + 1, offset: p.offset, msg: e.to_string() };
        }
        let p = self.pos_at(self.pos);
        Fail { what, line: p.line + 1, column: p.col + 1, offset: p.offset, msg }
    }

    /// The next byte that is not whitespace (left unconsumed), or None at the end.
    fn peek(&mut self) -> Option<u8> {
        loop {
            while self.pos < self.end {
                let c = self.buf[self.pos];
                if !matches!(c, b' ' | b'\n' | b'\t' | b'\r') {
                    return Some(c);
                }
                self.pos += 1;
            }
            self.fill()?;
        }
    }

    /// Consumes `c` (after whitespace) or fails.
    fn expect(&mut self, c: u8, what: &str) -> Result<(), Fail> {
        match self.peek() {
            Some(b) if b == c => {
                self.pos += 1;
                Ok(())
            }
            Some(b) => Err(self.fail_here("invalid JSON", format!("expected {what}, found `{}`", show_byte(b)))),
            None => Err(self.fail_here("truncated JSON", format!("EOF while parsing; expected {what}"))),
        }
    }

    /// Delimits the value starting at `pos` (after `peek`): returns its end index. Strings
    /// and brackets are matched, nothing else is checked (serde_json parses the slice).
    /// At the end of the input, returns `end` (serde_json then reports what is missing).
    fn value_end(&mut self) -> usize {
        let mut i = self.pos;
        let first = self.buf[i];
        if !matches!(first, b'{' | b'[' | b'"') {
            loop {
                while i < self.end {
                    if matches!(self.buf[i], b',' | b'}' | b']' | b' ' | b'\n' | b'\t' | b'\r') {
                        return i;
                    }
                    i += 1;
                }
                match self.fill() {
                    Some(shift) => i -= shift,
                    None => return self.end,
                }
            }
        }
        let mut depth = 0usize;
        let mut in_str = false;
        loop {
            if i >= self.end {
                match self.fill() {
                    Some(shift) => {
                        i -= shift;
                        continue;
                    }
                    None => return self.end,
                }
            }
            if in_str {
                // The next quote ends the string unless an odd run of backslashes escapes it
                // (the run stops at the opening quote at the latest, still in the window).
                match memchr::memchr(b'"', &self.buf[i..self.end]) {
                    None => i = self.end,
                    Some(k) => {
                        let q = i + k;
                        let escapes = self.buf[..q].iter().rev().take_while(|&&b| b == b'\\').count();
                        i = q + 1;
                        if escapes % 2 == 0 {
                            in_str = false;
                            if depth == 0 {
                                return i;
                            }
                        }
                    }
                }
                continue;
            }
            let c = self.buf[i];
            i += 1;
            match c {
                b'"' => in_str = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return i;
                    }
                }
                _ => {}
            }
        }
    }

    /// A serde_json error on the slice that starts at `buf[start]`, placed in the document.
    fn serde_fail(&mut self, start: usize, slice_len: usize, e: &serde_json::Error) -> Fail {
        if let Some(err) = self.read_error.take() {
            let p = self.pos_at(start);
            return Fail { what: "read error", line: p.line + 1, column: p.col + 1, offset: p.offset, msg: err.to_string() };
        }
        let what = match e.classify() {
            serde_json::error::Category::Eof => "truncated JSON",
            serde_json::error::Category::Syntax => "invalid JSON",
            serde_json::error::Category::Data => "unexpected JSON shape",
            serde_json::error::Category::Io => "read error",
        };
        let p = self.pos_at(start);
        let (el, ec) = (e.line().max(1) as u64, e.column() as u64);
        let line = p.line + el;
        let column = if el == 1 { p.col + ec } else { ec };
        // Byte index of that line:column inside the slice.
        let slice = &self.buf[start..start + slice_len];
        let mut idx = 0usize;
        if el > 1 {
            let mut seen = 1u64;
            for (k, &b) in slice.iter().enumerate() {
                if b == b'\n' {
                    seen += 1;
                    if seen == el {
                        idx = k + 1;
                        break;
                    }
                }
            }
        }
        let offset = p.offset + (idx as u64 + ec.saturating_sub(1)).min(slice_len as u64);
        Fail { what, line, column: column.max(1), offset, msg: strip_position(&e.to_string()) }
    }
}

fn count_newlines(s: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', s).count()
}

fn show_byte(b: u8) -> String {
    if b.is_ascii_graphic() { (b as char).to_string() } else { format!("\\x{b:02x}") }
}

/// What kind of JSON value starts with `b`, in serde's words.
fn kind_of(b: u8) -> &'static str {
    match b {
        b'{' => "map",
        b'[' => "sequence",
        b'"' => "string",
        b't' | b'f' => "boolean",
        b'n' => "null",
        _ => "number",
    }
}

// ---------------------------------------------------------------- outer structure

struct Parser<'s, R> {
    src: Window<R>,
    ctx: Ctx<'s>,
}

impl<R: BufRead> Parser<'_, R> {
    /// Parses the value at the window's position from its slice with `f`, in `PosMode::At`
    /// its start.
    fn leaf<T>(&mut self, f: impl FnOnce(&[u8], &mut Ctx) -> Result<T, serde_json::Error>) -> Result<T, Fail> {
        let end = self.src.value_end();
        let start = self.src.pos;
        let at = self.src.pos_at(start);
        self.ctx.pos = PosMode::At(at);
        match f(&self.src.buf[start..end], &mut self.ctx) {
            Ok(v) => {
                self.src.pos = end;
                Ok(v)
            }
            Err(e) => Err(self.src.serde_fail(start, end - start, &e)),
        }
    }

    fn value<T: for<'de> Deserialize<'de>>(&mut self) -> Result<T, Fail> {
        self.leaf(|slice, _| {
            let mut de = serde_json::Deserializer::from_slice(slice);
            let v = T::deserialize(&mut de)?;
            de.end()?;
            Ok(v)
        })
    }

    fn skip(&mut self) -> Result<(), Fail> {
        self.value::<IgnoredAny>().map(|_| ())
    }

    /// An object key (the window is at its opening quote).
    fn key(&mut self) -> Result<String, Fail> {
        match self.src.peek() {
            Some(b'"') => self.value::<String>(),
            Some(b) => Err(self.src.fail_here("invalid JSON", format!("key must be a string, found `{}`", show_byte(b)))),
            None => Err(self.src.fail_here("truncated JSON", "EOF while parsing an object".into())),
        }
    }

    /// Walks an object: `on_key` reads each value (the window is at it).
    fn object(&mut self, expecting: &str, mut on_key: impl FnMut(&mut Self, &str) -> Result<(), Fail>) -> Result<(), Fail> {
        match self.src.peek() {
            Some(b'{') => self.src.pos += 1,
            Some(b) => return Err(self.src.fail_here("unexpected JSON shape", format!("invalid type: {}, expected {expecting}", kind_of(b)))),
            None => return Err(self.src.fail_here("truncated JSON", "EOF while parsing a value".into())),
        }
        if self.src.peek() == Some(b'}') {
            self.src.pos += 1;
            return Ok(());
        }
        loop {
            let k = self.key()?;
            self.src.expect(b':', "`:`")?;
            if self.src.peek().is_none() {
                return Err(self.src.fail_here("truncated JSON", "EOF while parsing a value".into()));
            }
            on_key(self, &k)?;
            match self.src.peek() {
                Some(b',') => self.src.pos += 1,
                Some(b'}') => {
                    self.src.pos += 1;
                    return Ok(());
                }
                Some(b) => return Err(self.src.fail_here("invalid JSON", format!("expected `,` or `}}`, found `{}`", show_byte(b)))),
                None => return Err(self.src.fail_here("truncated JSON", "EOF while parsing an object".into())),
            }
        }
    }

    /// Walks an array: `on_item` reads each element (the window is at it); the index is on
    /// the path meanwhile.
    fn array(&mut self, expecting: &str, mut on_item: impl FnMut(&mut Self) -> Result<(), Fail>) -> Result<(), Fail> {
        match self.src.peek() {
            Some(b'[') => self.src.pos += 1,
            Some(b) => return Err(self.src.fail_here("unexpected JSON shape", format!("invalid type: {}, expected {expecting}", kind_of(b)))),
            None => return Err(self.src.fail_here("truncated JSON", "EOF while parsing a value".into())),
        }
        if self.src.peek() == Some(b']') {
            self.src.pos += 1;
            return Ok(());
        }
        let mut i = 0usize;
        loop {
            self.ctx.path.push(Seg::Index(i));
            if self.src.peek().is_none() {
                return Err(self.src.fail_here("truncated JSON", "EOF while parsing a list".into()));
            }
            on_item(self)?;
            self.ctx.path.pop();
            match self.src.peek() {
                Some(b',') => self.src.pos += 1,
                Some(b']') => {
                    self.src.pos += 1;
                    return Ok(());
                }
                Some(b) => return Err(self.src.fail_here("invalid JSON", format!("expected `,` or `]`, found `{}`", show_byte(b)))),
                None => return Err(self.src.fail_here("truncated JSON", "EOF while parsing a list".into())),
            }
            i += 1;
        }
    }

    fn document(&mut self) -> Result<(), Fail> {
        let mut saw_suites = false;
        self.object("a Playwright JSON report object", |p, key| {
            match key {
                "config" => {
                    p.ctx.path.push(Seg::Key("config"));
                    let v: Value = p.value()?;
                    read_config(&mut p.ctx, &v);
                    p.ctx.path.pop();
                }
                "suites" => {
                    saw_suites = true;
                    p.ctx.path.push(Seg::Key("suites"));
                    p.suites(0)?;
                    p.ctx.path.pop();
                }
                "stats" => {
                    p.ctx.path.push(Seg::Key("stats"));
                    let v: Value = p.value()?;
                    read_stats(&mut p.ctx, &v);
                    p.ctx.path.pop();
                }
                "errors" => {
                    p.ctx.path.push(Seg::Key("errors"));
                    let v: Value = p.value()?;
                    if let Some(errs) = v.as_array() {
                        for e in errs {
                            let msg = e.get("message").and_then(Value::as_str).unwrap_or("");
                            let first = strip_ansi(msg).lines().next().unwrap_or("").to_string();
                            p.ctx.problem("", &format!("the report records a global error: {first}"));
                        }
                    }
                    p.ctx.path.pop();
                }
                _ => p.skip()?,
            }
            Ok(())
        })?;
        if let Some(b) = self.src.peek() {
            return Err(self.src.fail_here("invalid JSON", format!("trailing characters (`{}`)", show_byte(b))));
        }
        if let Some(e) = self.src.read_error.take() {
            return Err(self.src.fail_here("read error", e.to_string()));
        }
        if !saw_suites {
            let at = self.src.pos_at(self.src.pos);
            self.ctx.pos = PosMode::At(at);
            self.ctx.problem("", "no `suites` array: not a Playwright JSON report?");
        }
        Ok(())
    }

    fn suites(&mut self, depth: usize) -> Result<(), Fail> {
        self.array("an array of suites", |p| p.suite(depth))
    }

    fn suite(&mut self, depth: usize) -> Result<(), Fail> {
        self.ctx.stack.push(None);
        let mut title = None;
        self.object("a suite object", |p, key| {
            match key {
                "title" => {
                    let v: Value = p.value()?;
                    match v {
                        Value::String(s) => {
                            title = Some(s.clone());
                            if let Some(top) = p.ctx.stack.last_mut() {
                                *top = Some(s);
                            }
                        }
                        _ => p.ctx.problem(".title", "expected a string"),
                    }
                }
                "specs" => {
                    p.ctx.path.push(Seg::Key(".specs"));
                    p.array("an array of specs", |p| p.spec())?;
                    p.ctx.path.pop();
                }
                "suites" => {
                    p.ctx.path.push(Seg::Key(".suites"));
                    p.suites(depth + 1)?;
                    p.ctx.path.pop();
                }
                _ => p.skip()?,
            }
            Ok(())
        })?;
        self.ctx.stack.pop();
        self.ctx.suite_ended(depth, title);
        Ok(())
    }

    /// One spec: parsed from its slice; if a value had the wrong type, parsed again through
    /// a counting reader so the problems name their line:column.
    fn spec(&mut self) -> Result<(), Fail> {
        // Usually the spec is parsed straight from the window (serde_json stops at its end):
        // no separate pass to delimit it. A spec the window cuts, or one with a problem, is
        // delimited first and parsed from its own slice (below), as its errors must be.
        {
            let start = self.src.pos;
            let mut stream = serde_json::Deserializer::from_slice(&self.src.buf[start..self.src.end]).into_iter::<FastSpec>();
            if let Some(Ok(FastSpec { results, problem: false })) = stream.next() {
                self.src.pos = start + stream.byte_offset();
                for ev in results {
                    self.ctx.emit(ev);
                }
                return Ok(());
            }
        }
        let end = self.src.value_end();
        let start = self.src.pos;
        let slice = &self.src.buf[start..end];
        let path_len = self.ctx.path.len();
        let problems_len = self.ctx.summary.problems.len();
        self.ctx.pos = PosMode::Deferred;
        self.ctx.slow_needed = false;
        let fast = {
            let mut de = serde_json::Deserializer::from_slice(slice);
            SpecSeed { ctx: &mut self.ctx }.deserialize(&mut de).and_then(|evs| de.end().map(|()| evs))
        };
        let result = if self.ctx.slow_needed {
            self.ctx.path.truncate(path_len);
            self.ctx.summary.problems.truncate(problems_len);
            let base = self.src.pos_at(start);
            let pos = Rc::new(Position::default());
            self.ctx.pos = PosMode::Counting { base, pos: pos.clone() };
            let slice = &self.src.buf[start..end];
            let mut de = serde_json::Deserializer::from_reader(CountingReader { inner: slice, pos });
            SpecSeed { ctx: &mut self.ctx }.deserialize(&mut de).and_then(|evs| de.end().map(|()| evs))
        } else {
            fast
        };
        self.ctx.pos = PosMode::At(Pos::default());
        match result {
            Ok(events) => {
                self.src.pos = end;
                for ev in events {
                    self.ctx.emit(ev);
                }
                Ok(())
            }
            Err(e) => Err(self.src.serde_fail(start, end - start, &e)),
        }
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

// ---------------------------------------------------------------- lenient values

/// Any JSON value, kept only when it is a string or a number (objects and arrays are
/// skipped). Strings are borrowed from the input when they have no escapes.
enum Lite<'de> {
    Str(Cow<'de, str>),
    U64(u64),
    I64(i64),
    F64(f64),
    Other(&'static str),
}

impl Lite<'_> {
    fn as_u64(&self) -> Option<u64> {
        match *self {
            Lite::U64(n) => Some(n),
            _ => None,
        }
    }
    fn as_f64(&self) -> Option<f64> {
        match *self {
            Lite::U64(n) => Some(n as f64),
            Lite::I64(n) => Some(n as f64),
            Lite::F64(n) => Some(n),
            _ => None,
        }
    }
    /// The string with ANSI escape codes removed ([`strip_ansi`]), copied once.
    fn into_stripped(self) -> Option<String> {
        match self {
            Lite::Str(s) => Some(match strip_ansi_cow(&s) {
                Cow::Borrowed(_) => s.into_owned(),
                Cow::Owned(o) => o,
            }),
            _ => None,
        }
    }
    fn into_string(self) -> Option<String> {
        match self {
            Lite::Str(s) => Some(s.into_owned()),
            _ => None,
        }
    }
    fn describe(&self) -> String {
        match self {
            Lite::Str(s) => format!("{s:?}"),
            Lite::U64(n) => n.to_string(),
            Lite::I64(n) => n.to_string(),
            Lite::F64(n) => n.to_string(),
            Lite::Other(k) => (*k).to_string(),
        }
    }
}

impl<'de> Deserialize<'de> for Lite<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Lite<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Lite<'de>, E> {
                Ok(Lite::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Lite<'de>, E> {
                Ok(Lite::Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Lite<'de>, E> {
                Ok(Lite::Str(Cow::Owned(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Lite<'de>, E> {
                Ok(Lite::U64(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Lite<'de>, E> {
                Ok(Lite::I64(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Lite<'de>, E> {
                Ok(Lite::F64(v))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Lite<'de>, E> {
                Ok(Lite::Other(if v { "true" } else { "false" }))
            }
            fn visit_unit<E>(self) -> Result<Lite<'de>, E> {
                Ok(Lite::Other("null"))
            }
            fn visit_none<E>(self) -> Result<Lite<'de>, E> {
                Ok(Lite::Other("null"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lite<'de>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Lite::Other("an object"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Lite<'de>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Lite::Other("an array"))
            }
        }
        d.deserialize_any(V)
    }
}

/// `{file, line, column}`, leniently: None unless `file` is a string and `line` a u32.
struct LocIn(Option<Location>);

impl<'de> Deserialize<'de> for LocIn {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LocIn;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a location")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LocIn, A::Error> {
                let (mut file, mut line, mut column) = (None, None, None);
                while let Some(k) = map.next_key::<Lite>()? {
                    match &k {
                        Lite::Str(k) if k == "file" => file = map.next_value::<Lite>()?.into_string(),
                        Lite::Str(k) if k == "line" => line = map.next_value::<Lite>()?.as_u64(),
                        Lite::Str(k) if k == "column" => column = map.next_value::<Lite>()?.as_u64(),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(LocIn((|| {
                    Some(Location {
                        file: file?,
                        line: u32::try_from(line?).ok()?,
                        column: column.and_then(|c| u32::try_from(c).ok()),
                    })
                })()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<LocIn, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(LocIn(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<LocIn, E> {
                Ok(LocIn(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<LocIn, E> {
                Ok(LocIn(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<LocIn, E> {
                Ok(LocIn(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<LocIn, E> {
                Ok(LocIn(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<LocIn, E> {
                Ok(LocIn(None))
            }
            fn visit_unit<E>(self) -> Result<LocIn, E> {
                Ok(LocIn(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// An `error` / `errors[]` entry: message and stack (ANSI codes stripped as they are read)
/// and location, leniently. `object` is false for a value that is not an object (all fields
/// None then).
#[derive(Default)]
struct ErrIn {
    object: bool,
    message: Option<String>,
    stack: Option<String>,
    location: Option<Location>,
}

impl<'de> Deserialize<'de> for ErrIn {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ErrIn;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an error object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ErrIn, A::Error> {
                let mut e = ErrIn { object: true, ..ErrIn::default() };
                while let Some(k) = map.next_key::<Lite>()? {
                    match &k {
                        Lite::Str(k) if k == "message" => e.message = map.next_value::<Lite>()?.into_stripped(),
                        Lite::Str(k) if k == "stack" => e.stack = map.next_value::<Lite>()?.into_stripped(),
                        Lite::Str(k) if k == "location" => e.location = map.next_value::<LocIn>()?.0,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(e)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ErrIn, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(ErrIn::default())
            }
            fn visit_str<E>(self, _: &str) -> Result<ErrIn, E> {
                Ok(ErrIn::default())
            }
            fn visit_u64<E>(self, _: u64) -> Result<ErrIn, E> {
                Ok(ErrIn::default())
            }
            fn visit_i64<E>(self, _: i64) -> Result<ErrIn, E> {
                Ok(ErrIn::default())
            }
            fn visit_f64<E>(self, _: f64) -> Result<ErrIn, E> {
                Ok(ErrIn::default())
            }
            fn visit_bool<E>(self, _: bool) -> Result<ErrIn, E> {
                Ok(ErrIn::default())
            }
            fn visit_unit<E>(self) -> Result<ErrIn, E> {
                Ok(ErrIn::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// `errors`: its entries as JSON text when it is an array, else none; with `skip_first`, the
/// first entry is only checked (None).
struct RawErrList {
    skip_first: bool,
}

impl<'de> DeserializeSeed<'de> for RawErrList {
    type Value = Vec<Option<Box<RawValue>>>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        struct V {
            skip_first: bool,
        }
        impl<'de> Visitor<'de> for V {
            type Value = Vec<Option<Box<RawValue>>>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of errors")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                if self.skip_first {
                    if seq.next_element::<IgnoredAny>()?.is_none() {
                        return Ok(v);
                    }
                    v.push(None);
                }
                while let Some(e) = seq.next_element::<Box<RawValue>>()? {
                    v.push(Some(e));
                }
                Ok(v)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Vec::new())
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
        }
        d.deserialize_any(V { skip_first: self.skip_first })
    }
}

/// `attachments`: None when it is not an array.
struct AttIn(Option<Vec<Attachment>>);

impl<'de> Deserialize<'de> for AttIn {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct One(Option<Attachment>);
        impl<'de> Deserialize<'de> for One {
            fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = One;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("an attachment")
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<One, A::Error> {
                        let mut a = Attachment { name: String::new(), content_type: None, path: None };
                        while let Some(k) = map.next_key::<Lite>()? {
                            match &k {
                                Lite::Str(k) if k == "name" => a.name = map.next_value::<Lite>()?.into_string().unwrap_or_default(),
                                Lite::Str(k) if k == "contentType" => a.content_type = map.next_value::<Lite>()?.into_string(),
                                Lite::Str(k) if k == "path" => a.path = map.next_value::<Lite>()?.into_string(),
                                _ => {
                                    map.next_value::<IgnoredAny>()?;
                                }
                            }
                        }
                        Ok(One(Some(a)))
                    }
                    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<One, A::Error> {
                        while seq.next_element::<IgnoredAny>()?.is_some() {}
                        Ok(One(Some(Attachment { name: String::new(), content_type: None, path: None })))
                    }
                    fn visit_str<E>(self, _: &str) -> Result<One, E> {
                        Ok(One(Some(Attachment { name: String::new(), content_type: None, path: None })))
                    }
                    fn visit_u64<E>(self, _: u64) -> Result<One, E> {
                        Ok(One(Some(Attachment { name: String::new(), content_type: None, path: None })))
                    }
                    fn visit_i64<E>(self, _: i64) -> Result<One, E> {
                        Ok(One(Some(Attachment { name: String::new(), content_type: None, path: None })))
                    }
                    fn visit_f64<E>(self, _: f64) -> Result<One, E> {
                        Ok(One(Some(Attachment { name: String::new(), content_type: None, path: None })))
                    }
                    fn visit_bool<E>(self, _: bool) -> Result<One, E> {
                        Ok(One(Some(Attachment { name: String::new(), content_type: None, path: None })))
                    }
                    fn visit_unit<E>(self) -> Result<One, E> {
                        Ok(One(Some(Attachment { name: String::new(), content_type: None, path: None })))
                    }
                }
                d.deserialize_any(V)
            }
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AttIn;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of attachments")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AttIn, A::Error> {
                let mut v = Vec::new();
                while let Some(One(a)) = seq.next_element::<One>()? {
                    v.extend(a);
                }
                Ok(AttIn(Some(v)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AttIn, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(AttIn(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<AttIn, E> {
                Ok(AttIn(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<AttIn, E> {
                Ok(AttIn(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<AttIn, E> {
                Ok(AttIn(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<AttIn, E> {
                Ok(AttIn(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<AttIn, E> {
                Ok(AttIn(None))
            }
            fn visit_unit<E>(self) -> Result<AttIn, E> {
                Ok(AttIn(None))
            }
        }
        d.deserialize_any(V)
    }
}

// ---------------------------------------------------------------- specs

/// Where the spec readers report problems and keep their JSON path: the parser's [`Ctx`], or
/// a [`Flag`] while a spec is read fast (a problem then has it read again, with positions).
trait SpecSink {
    fn problem(&mut self, field: &str, msg: &str);
    fn push(&mut self, seg: Seg);
    fn pop(&mut self);
}

impl SpecSink for Ctx<'_> {
    fn problem(&mut self, field: &str, msg: &str) {
        Ctx::problem(self, field, msg);
    }
    fn push(&mut self, seg: Seg) {
        self.path.push(seg);
    }
    fn pop(&mut self) {
        self.path.pop();
    }
}

/// Notes only whether there was a problem.
#[derive(Default)]
struct Flag {
    problem: bool,
}

impl SpecSink for Flag {
    fn problem(&mut self, _: &str, _: &str) {
        self.problem = true;
    }
    fn push(&mut self, _: Seg) {}
    fn pop(&mut self) {}
}

/// A spec read fast: its results, and whether something in it needs a problem reported.
struct FastSpec {
    results: Vec<Pending>,
    problem: bool,
}

impl<'de> Deserialize<'de> for FastSpec {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut flag = Flag::default();
        let results = SpecSeed { ctx: &mut flag }.deserialize(d)?;
        Ok(FastSpec { results, problem: flag.problem })
    }
}

struct SpecSeed<'a, C> {
    ctx: &'a mut C,
}

impl<'de, C: SpecSink> DeserializeSeed<'de> for SpecSeed<'_, C> {
    type Value = Vec<Pending>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Vec<Pending>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, C: SpecSink> Visitor<'de> for SpecSeed<'_, C> {
    type Value = Vec<Pending>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a spec object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<Pending>, A::Error> {
        let ctx = self.ctx;
        let mut title = String::new();
        let mut file: Option<String> = None;
        let mut line: Option<u32> = None;
        let mut column: Option<u32> = None;
        let mut events: Vec<Pending> = Vec::new();
        while let Some(key) = map.next_key::<Lite>()? {
            let Lite::Str(key) = key else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            match &*key {
                "title" => match map.next_value::<Lite>()? {
                    Lite::Str(s) => title = s.into_owned(),
                    _ => ctx.problem(".title", "expected a string"),
                },
                "file" => match map.next_value::<Lite>()? {
                    Lite::Str(s) => file = Some(s.into_owned()),
                    _ => ctx.problem(".file", "expected a string"),
                },
                "line" => match map.next_value::<Lite>()?.as_u64() {
                    Some(n) => line = u32::try_from(n).ok(),
                    None => ctx.problem(".line", "expected a non-negative integer"),
                },
                "column" => match map.next_value::<Lite>()?.as_u64() {
                    Some(n) => column = u32::try_from(n).ok(),
                    None => ctx.problem(".column", "expected a non-negative integer"),
                },
                "tests" => {
                    ctx.push(Seg::Key(".tests"));
                    map.next_value_seed(TestsSeed { ctx: &mut *ctx, out: &mut events })?;
                    ctx.pop();
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
        for p in &mut events {
            let ev = &mut p.ev;
            ev.name.clone_from(&title);
            ev.title_path = vec![title.clone()];
            ev.file.clone_from(&file);
            ev.test_location.clone_from(&test_location);
        }
        Ok(events)
    }
}

// ---------------------------------------------------------------- tests

struct TestsSeed<'a, C> {
    ctx: &'a mut C,
    out: &'a mut Vec<Pending>,
}

impl<'de, C: SpecSink> DeserializeSeed<'de> for TestsSeed<'_, C> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, C: SpecSink> Visitor<'de> for TestsSeed<'_, C> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of tests")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            self.ctx.push(Seg::Index(i));
            let more = seq.next_element_seed(TestSeed { ctx: &mut *self.ctx, out: &mut *self.out })?;
            self.ctx.pop();
            if more.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }
}

struct TestSeed<'a, C> {
    ctx: &'a mut C,
    out: &'a mut Vec<Pending>,
}

impl<'de, C: SpecSink> DeserializeSeed<'de> for TestSeed<'_, C> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, C: SpecSink> Visitor<'de> for TestSeed<'_, C> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a test object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let mut project: Option<String> = None;
        let mut outcome: Option<String> = None;
        let mut annotations: Vec<String> = Vec::new();
        let mut results: Vec<Pending> = Vec::new();
        while let Some(key) = map.next_key::<Lite>()? {
            let Lite::Str(key) = key else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            match &*key {
                "projectName" => match map.next_value::<Lite>()? {
                    Lite::Str(s) => project = Some(s.into_owned()).filter(|s| !s.is_empty()),
                    _ => ctx.problem(".projectName", "expected a string"),
                },
                "status" => match map.next_value::<Lite>()? {
                    Lite::Str(s) => outcome = Some(s.into_owned()),
                    _ => ctx.problem(".status", "expected a string"),
                },
                "annotations" => annotations = read_annotations(&map.next_value::<Value>()?),
                "results" => {
                    ctx.push(Seg::Key(".results"));
                    map.next_value_seed(ResultsSeed { ctx: &mut *ctx, out: &mut results })?;
                    ctx.pop();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        for mut p in results {
            let ev = &mut p.ev;
            ev.project.clone_from(&project);
            ev.outcome.clone_from(&outcome);
            if !annotations.is_empty() {
                let mut a = annotations.clone();
                a.append(&mut ev.annotations);
                ev.annotations = a;
            }
            self.out.push(p);
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

struct ResultsSeed<'a, C> {
    ctx: &'a mut C,
    out: &'a mut Vec<Pending>,
}

impl<'de, C: SpecSink> DeserializeSeed<'de> for ResultsSeed<'_, C> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, C: SpecSink> Visitor<'de> for ResultsSeed<'_, C> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of results")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            self.ctx.push(Seg::Index(i));
            let ev = seq.next_element_seed(ResultSeed { ctx: &mut *self.ctx })?;
            self.ctx.pop();
            match ev {
                Some(ev) => self.out.push(ev),
                None => return Ok(()),
            }
            i += 1;
        }
    }
}

struct ResultSeed<'a, C> {
    ctx: &'a mut C,
}

impl<'de, C: SpecSink> DeserializeSeed<'de> for ResultSeed<'_, C> {
    type Value = Pending;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Pending, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, C: SpecSink> Visitor<'de> for ResultSeed<'_, C> {
    type Value = Pending;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a result object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pending, A::Error> {
        let ctx = self.ctx;
        let mut ev = FailureEvent::new(EventSource::PlaywrightJson, "", Status::Passed);
        let mut error: Option<Box<RawValue>> = None;
        let mut errors: Vec<Option<Box<RawValue>>> = Vec::new();
        let mut error_location: Option<Location> = None;
        let mut status_seen = false;
        while let Some(key) = map.next_key::<Lite>()? {
            let Lite::Str(key) = key else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            match &*key {
                "status" => {
                    let v: Lite = map.next_value()?;
                    let parsed = match &v {
                        Lite::Str(s) => Status::from_playwright(s),
                        _ => None,
                    };
                    match parsed {
                        Some(s) => {
                            ev.status = s;
                            status_seen = true;
                        }
                        None => ctx.problem(
                            ".status",
                            &format!("expected passed|failed|timedOut|skipped|interrupted, found {}", v.describe()),
                        ),
                    }
                }
                "retry" => match map.next_value::<Lite>()?.as_u64() {
                    Some(n) => ev.retry = u32::try_from(n).unwrap_or(u32::MAX),
                    None => ctx.problem(".retry", "expected a non-negative integer"),
                },
                "duration" => match map.next_value::<Lite>()?.as_f64() {
                    Some(d) if d >= 0.0 => ev.duration_ms = Some(d.round() as u64),
                    _ => ctx.problem(".duration", "expected a non-negative number"),
                },
                "error" => error = Some(map.next_value::<Box<RawValue>>()?),
                "errors" => {
                    // Its first entry is the `error` object again (Playwright writes both):
                    // skipped when that came first.
                    let skip_first = error.as_ref().is_some_and(|e| e.get().starts_with('{'));
                    errors = map.next_value_seed(RawErrList { skip_first })?;
                }
                "errorLocation" => error_location = map.next_value::<LocIn>()?.0,
                "attachments" => match map.next_value::<AttIn>()?.0 {
                    Some(a) => ev.attachments.extend(a),
                    None => ctx.problem(".attachments", "expected an array"),
                },
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
        Ok(Pending { ev, errors: RawErrors { error, errors, error_location } })
    }
}
