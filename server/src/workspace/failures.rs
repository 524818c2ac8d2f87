//! CI failures in the workspace: the run history (store, report files, backend), the source
//! files those runs name, and the analysis that maps them onto spans.
//!
//! Reading reports is the caller's job, off the workspace lock (they can be huge); this module
//! records what was read, keeps the history, and re-correlates whenever a run arrives or a file
//! the runs name changes, so findings always refer to the text the editor has now.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::analysis::failures::{BAD_REPORT, UNMAPPED_FAILURE, paths};
use crate::analysis::{self, FailureAnalysis, FailureFinding, FailureSettings, Outcome, SourceFile, TestRecord};
use crate::config::Severity;
use crate::failures::{FailureEvent, Report, Run};
use crate::sources::ReportError;
use crate::store::{Store, StoreError};
use crate::syntax::{self, FileModel, Language, Span};
use crate::text::{ByteEdit, Document};

use super::{Workspace, source};

/// Runs kept in memory when there is no store (no history across restarts then).
const MEMORY_RUNS: usize = 500;

/// Something to show on a report file (1-based position).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportNote {
    pub line: usize,
    pub column: usize,
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
}

/// What one ingest did, for the log and the user.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct IngestSummary {
    pub reports: usize,
    pub new_runs: usize,
    /// Reports with problems (each shown on its file).
    pub bad_reports: usize,
    /// A store write that failed (the run is kept in memory instead).
    pub store_error: Option<String>,
}

/// A file analysis sees: (absolute path, relative path, text, model, last modified).
type Candidate = (PathBuf, String, Arc<str>, Arc<FileModel>, Option<i64>);

/// A closed source file the runs name, read from disk once per modification.
struct DiskSource {
    modified: Option<SystemTime>,
    model: Arc<FileModel>,
    text: Arc<str>,
    doc: Document,
}

#[derive(Default)]
pub(super) struct FailureState {
    store: Option<Store>,
    runs: Vec<Run>,
    run_keys: HashSet<String>,
    /// Problems of each report file as last read (replaced on every read).
    report_problems: BTreeMap<PathBuf, Vec<ReportNote>>,
    /// File names the runs mention (test files, error locations, stack frames, modules):
    /// files with these names can carry findings.
    names: HashSet<String>,
    /// Selectors the runs' messages name: page objects defining them can carry findings too.
    selectors: HashSet<String>,
    disk: HashMap<PathBuf, DiskSource>,
    analysis: FailureAnalysis,
    /// Workspace-relative path (as analysis names files) → absolute path.
    abs: HashMap<String, PathBuf>,
    /// Absolute path → indices into `analysis.findings`.
    by_path: HashMap<PathBuf, Vec<usize>>,
    /// Unmapped events, on the report file they came from.
    unmapped: BTreeMap<PathBuf, Vec<ReportNote>>,
    /// An open file the runs name changed since the last correlation (spans were shifted).
    stale: bool,
    /// Backend patterns whose applied heal failed again, to be rejected on the backend.
    backend_rejects: Vec<String>,
}

pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

fn millis(t: SystemTime) -> Option<i64> {
    t.duration_since(UNIX_EPOCH).ok().map(|d| d.as_millis() as i64)
}

impl Workspace {
    /// Use `store` for the history: load what it kept (pruned to the configured window).
    pub fn attach_store(&mut self, store: Store) -> Result<usize, StoreError> {
        let history = self.config.reports.history.max(1);
        store.prune(history)?;
        let mut runs = store.runs(usize::MAX)?;
        // Runs recorded in memory before the store was there (none normally) are kept.
        for run in std::mem::take(&mut self.failures.runs) {
            if store.record_run(&run)? {
                runs.push(run);
            }
        }
        self.failures.run_keys = runs.iter().map(|r| r.key.clone()).collect();
        self.failures.runs = runs;
        self.failures.store = Some(store);
        self.note_mentions();
        if !self.failures.runs.is_empty() {
            self.recompute_failures();
        }
        Ok(self.failures.runs.len())
    }

    pub fn store(&self) -> Option<&Store> {
        self.failures.store.as_ref()
    }

    /// Record what reading report files gave. Each run is recorded once (by its key); a
    /// report's problems replace those of its previous read.
    pub fn record_reports(&mut self, read: Vec<(PathBuf, Result<Report, ReportError>)>) -> IngestSummary {
        let mut summary = IngestSummary { reports: read.len(), ..Default::default() };
        let mut runs = Vec::new();
        for (path, result) in read {
            let notes = match result {
                Err(e) => vec![note(1, 1, BAD_REPORT, Severity::Warning, format!("report skipped: {e}"))],
                Ok(report) => {
                    let notes = report
                        .problems
                        .iter()
                        .map(|p| {
                            let at = p.offset.filter(|_| p.line.is_none()).map(|o| format!(" (byte {o})")).unwrap_or_default();
                            let (line, column) = (p.line.unwrap_or(1) as usize, p.column.unwrap_or(1) as usize);
                            note(line, column, BAD_REPORT, Severity::Warning, format!("{}{at}", p.message))
                        })
                        .collect();
                    if !report.events.is_empty() {
                        runs.push(Run::from_report(report));
                    }
                    notes
                }
            };
            if notes.is_empty() {
                self.failures.report_problems.remove(&path);
            } else {
                summary.bad_reports += 1;
                self.failures.report_problems.insert(path, notes);
            }
        }
        let (new_runs, store_error) = self.record_runs(runs);
        summary.new_runs = new_runs;
        summary.store_error = store_error;
        summary
    }

    /// Record runs (from reports or the backend); returns how many were new, and a store
    /// error if writing failed (the runs are then kept in memory for this session).
    pub fn record_runs(&mut self, runs: Vec<Run>) -> (usize, Option<String>) {
        let mut new = 0;
        let mut store_error = None;
        let mut fresh: Vec<usize> = Vec::new();
        for run in runs {
            if self.failures.run_keys.contains(&run.key) {
                continue;
            }
            if let Some(store) = &self.failures.store {
                match store.record_run(&run) {
                    Ok(false) => continue,
                    Ok(true) => {}
                    Err(e) => store_error = Some(e.to_string()),
                }
            }
            self.failures.run_keys.insert(run.key.clone());
            fresh.push(self.failures.runs.len());
            self.failures.runs.push(run);
            new += 1;
        }
        // Before trimming: that reorders the runs `fresh` points into.
        if let Err(e) = self.count_heals_failing_again(&fresh) {
            tracing::warn!("{e}");
        }
        if new > 0 {
            self.trim_history();
            self.note_mentions();
        }
        (new, store_error)
    }

    /// A heal seen failing again in a run after it was applied counts as a failure of its
    /// pattern (its confidence drops; a better heal can take its place).
    fn count_heals_failing_again(&mut self, fresh: &[usize]) -> Result<(), StoreError> {
        let Some(store) = &self.failures.store else { return Ok(()) };
        let patterns = store.patterns()?;
        if patterns.is_empty() || fresh.is_empty() {
            return Ok(());
        }
        let mut rejects = Vec::new();
        for run in fresh.iter().filter_map(|i| self.failures.runs.get(*i)) {
            let started = run.started_at().and_then(crate::failures::parse_rfc3339_millis);
            for e in run.events.iter().filter(|e| matches!(e.status, crate::failures::Status::Failed | crate::failures::Status::TimedOut)) {
                for p in &patterns {
                    let applied = p.updated_at.as_deref().and_then(crate::failures::parse_rfc3339_millis);
                    let after = matches!((started, applied), (Some(s), Some(a)) if s > a);
                    if after && e.selectors.iter().any(|s| s.len() >= 3 && p.healed_selector.contains(s.as_str())) {
                        let heal = crate::store::HealRecord {
                            original_selector: &p.original_selector,
                            healed_selector: &p.healed_selector,
                            error_type: p.error_type.as_deref(),
                            page_url: None,
                            element_context: None,
                        };
                        store.record_heal(&heal, crate::store::HealOutcome::Failure)?;
                        let backend_id = p.element_context.as_ref().and_then(|c| c.get("backend_pattern_id")).and_then(|v| v.as_str());
                        rejects.extend(backend_id.filter(|id| !id.is_empty()).map(String::from));
                        tracing::info!("heal `{}` → `{}` failed again in {}", p.original_selector, p.healed_selector, run.source);
                    }
                }
            }
        }
        self.failures.backend_rejects.extend(rejects);
        Ok(())
    }

    /// Backend patterns to reject: heals that came from them were seen failing again.
    pub fn take_backend_rejects(&mut self) -> Vec<String> {
        std::mem::take(&mut self.failures.backend_rejects)
    }

    fn trim_history(&mut self) {
        let history = self.config.reports.history.max(1);
        match &self.failures.store {
            Some(store) => {
                let reloaded = store.prune(history).and_then(|_| store.runs(usize::MAX));
                match reloaded {
                    Ok(mut runs) => {
                        // A run whose write failed is unknown to the store: keep it in memory.
                        let unstored: Vec<Run> = self.failures.runs.iter().filter(|r| !store.has_run(&r.key).unwrap_or(true)).cloned().collect();
                        runs.extend(unstored);
                        self.failures.runs = runs;
                    }
                    Err(e) => tracing::warn!("{e}; keeping the history in memory"),
                }
            }
            None => {
                let n = self.failures.runs.len();
                if n > MEMORY_RUNS {
                    self.failures.runs.drain(..n - MEMORY_RUNS);
                }
            }
        }
    }

    /// No runs: nothing to correlate.
    pub(super) fn failures_empty(&self) -> bool {
        self.failures.runs.is_empty()
    }

    pub fn runs(&self) -> &[Run] {
        &self.failures.runs
    }

    /// Whether findings could land in `path`: its file name is one the runs mention, or it
    /// defines a page-object locator a failure message names.
    pub fn is_failure_candidate(&self, path: &Path) -> bool {
        if path.file_name().is_some_and(|n| self.failures.names.contains(&*n.to_string_lossy())) {
            return true;
        }
        let page_objects = match self.open.get(path) {
            Some(open) => open.analysis.model.locators.iter().filter(|l| l.binding.is_some()).map(|l| (l.value.clone(), l.name.clone())).collect(),
            None => self.index.get(path).map(|f| f.page_objects.clone()).unwrap_or_default(),
        };
        page_objects.iter().any(|(value, name)| {
            self.failures.selectors.iter().any(|s| s.contains(value.as_str()) && name.as_ref().is_none_or(|n| s.contains(n.as_str())))
        })
    }

    /// Move the findings of `path` with its edits, so they stay on their text until the next
    /// correlation. A finding whose span an edit touches grows or shrinks with it.
    pub(super) fn shift_failures(&mut self, path: &Path, edits: &[ByteEdit]) {
        let Some(indices) = self.failures.by_path.get(path) else { return };
        for i in indices {
            let span = &mut self.failures.analysis.findings[*i].span;
            for e in edits {
                *span = shift(*span, e);
            }
        }
        self.failures.stale = true;
    }

    /// Re-correlate when an edit left the findings shifted rather than recomputed.
    pub fn recompute_failures_if_stale(&mut self) -> bool {
        if self.failures.stale {
            self.recompute_failures();
            true
        } else {
            false
        }
    }

    /// Correlate every run with the files it names, as they are now (open buffers first-hand).
    pub fn recompute_failures(&mut self) {
        self.failures.stale = false;
        let started = std::time::Instant::now();
        let candidates: BTreeSet<PathBuf> =
            self.open.keys().chain(self.index.keys()).filter(|p| self.is_failure_candidate(p)).cloned().collect();
        // Closed candidates come from disk, re-read only when modified.
        let mut disk = std::mem::take(&mut self.failures.disk);
        disk.retain(|p, _| candidates.contains(p) && !self.open.contains_key(p));
        for path in candidates.iter().filter(|p| !self.open.contains_key(*p)) {
            let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
            if disk.get(path).is_some_and(|d| d.modified == modified && modified.is_some()) {
                continue;
            }
            match read_disk_source(path, self.config.max_file_size, modified) {
                Some(d) => {
                    disk.insert(path.clone(), d);
                }
                None => {
                    disk.remove(path);
                }
            }
        }
        self.failures.disk = disk;

        let texts: Vec<Candidate> = candidates
            .iter()
            .filter_map(|p| {
                let rel = self.relative(p);
                if let Some(open) = self.open.get(p) {
                    let on_disk = std::fs::metadata(p).and_then(|m| m.modified()).ok().and_then(millis);
                    let modified = open.edited_ms.or(on_disk);
                    Some((p.clone(), rel, Arc::from(open.analysis.doc.text()), open.analysis.model.clone(), modified))
                } else {
                    let d = self.failures.disk.get(p)?;
                    Some((p.clone(), rel, d.text.clone(), d.model.clone(), d.modified.and_then(millis)))
                }
            })
            .collect();
        let files: Vec<SourceFile> = texts
            .iter()
            .map(|(_, rel, text, model, modified)| SourceFile { path: rel, model, text, modified_ms: *modified })
            .collect();
        let settings = FailureSettings { history: self.config.reports.history.max(1) };
        let result = analysis::analyze_failures(&files, &self.failures.runs, &settings, now_ms());

        let abs: HashMap<String, PathBuf> = texts.iter().map(|(p, rel, ..)| (rel.clone(), p.clone())).collect();
        let mut by_path: HashMap<PathBuf, Vec<usize>> = HashMap::new();
        for (i, f) in result.findings.iter().enumerate() {
            if let Some(p) = abs.get(&f.path) {
                by_path.entry(p.clone()).or_default().push(i);
            }
        }
        // One note per (report, failure), from the newest run that has it.
        let mut unmapped: BTreeMap<PathBuf, Vec<ReportNote>> = BTreeMap::new();
        let mut seen = HashSet::new();
        for u in result.unmapped.iter().rev() {
            let path = PathBuf::from(&u.source);
            if !path.is_absolute() || !seen.insert((path.clone(), u.identity.clone())) {
                continue;
            }
            let message = format!("failure in `{}` maps to no test in the workspace: {}", u.identity, u.reason);
            unmapped.entry(path).or_default().push(note(1, 1, UNMAPPED_FAILURE, Severity::Info, message));
        }
        tracing::debug!(
            "failures: {} runs × {} files → {} findings, {} unmapped in {} ms",
            self.failures.runs.len(),
            files.len(),
            result.findings.len(),
            result.unmapped.len(),
            started.elapsed().as_millis()
        );
        self.failures.analysis = result;
        self.failures.abs = abs;
        self.failures.by_path = by_path;
        self.failures.unmapped = unmapped;
    }

    /// `path` relative to the root, '/'-separated (as analysis and reports name files).
    fn relative(&self, path: &Path) -> String {
        let rel = self.root.as_deref().and_then(|r| path.strip_prefix(r).ok()).unwrap_or(path);
        rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
    }

    pub fn failure_analysis(&self) -> &FailureAnalysis {
        &self.failures.analysis
    }

    /// Findings whose span is in `path`.
    pub fn failure_findings(&self, path: &Path) -> Vec<&FailureFinding> {
        let all = &self.failures.analysis.findings;
        self.failures.by_path.get(path).map(|v| v.iter().map(|i| &all[*i]).collect()).unwrap_or_default()
    }

    /// The text the findings of `path` refer to: the open buffer, or the file as last read.
    pub fn failure_doc(&self, path: &Path) -> Option<&Document> {
        match self.open.get(path) {
            Some(open) => Some(&open.analysis.doc),
            None => self.failures.disk.get(path).map(|d| &d.doc),
        }
    }

    /// The absolute path of a workspace-relative path analysis names.
    pub fn absolute(&self, rel: &str) -> Option<&Path> {
        self.failures.abs.get(rel).map(PathBuf::as_path)
    }

    /// The history of test `test` (index into the model) of `path`.
    pub fn test_record(&self, path: &Path, test: usize) -> Option<&TestRecord> {
        let rel = self.relative(path);
        self.failures.analysis.tests.iter().find(|t| t.test == test && t.path == rel)
    }

    /// Notes on a report file: its problems and the failures in it that map nowhere.
    pub fn report_notes(&self, path: &Path) -> Vec<&ReportNote> {
        let problems = self.failures.report_problems.get(path).into_iter().flatten();
        problems.chain(self.failures.unmapped.get(path).into_iter().flatten()).collect()
    }

    /// Every file with failure findings or report notes.
    pub fn failure_paths(&self) -> BTreeSet<PathBuf> {
        let mut out: BTreeSet<PathBuf> = self.failures.by_path.keys().cloned().collect();
        out.extend(self.failures.report_problems.keys().cloned());
        out.extend(self.failures.unmapped.keys().cloned());
        out
    }

    /// How long the passing attempts of a test took in CI (newest runs last): what a learned
    /// timeout is sized from. Matched by the test's title (its last element and, when the
    /// report has them, the describes).
    pub fn passing_durations(&self, title_path: &[String]) -> Vec<u64> {
        let Some(name) = title_path.last() else { return Vec::new() };
        self.failures
            .runs
            .iter()
            .flat_map(|r| &r.events)
            .filter(|e| e.status == crate::failures::Status::Passed)
            .filter(|e| e.title_path.last() == Some(name) || e.name == *name)
            .filter(|e| e.title_path.len() <= 1 || e.title_path.as_slice() == title_path)
            .filter_map(|e| e.duration_ms)
            .collect()
    }

    /// What a wait for the element `selector` (as written) is sized from: the times the
    /// browser saw it become visible after a navigation (the knowledge base's learned
    /// durations, per selector) when there are any, else the test's passing durations.
    pub fn learned_durations(&self, selector: Option<&str>, title_path: &[String]) -> Vec<u64> {
        let learned = match (selector, &self.failures.store) {
            (Some(sel), Some(store)) => store.durations(sel).unwrap_or_else(|e| {
                tracing::warn!("{e}");
                Vec::new()
            }),
            _ => Vec::new(),
        };
        if learned.is_empty() { self.passing_durations(title_path) } else { learned }
    }

    /// Tests whose newest run failed (flaky included).
    pub fn failing_tests(&self) -> usize {
        self.failures.analysis.tests.iter().filter(|t| matches!(t.outcomes.last(), Some(Outcome::Failed | Outcome::Flaky))).count()
    }
}

/// `span` after `e` replaced `start..old_end` with `start..new_end`.
fn shift(span: Span, e: &ByteEdit) -> Span {
    let delta = |x: usize| (x + e.new_end_byte).saturating_sub(e.old_end_byte);
    if e.start_byte >= span.end {
        span
    } else if e.old_end_byte <= span.start {
        Span::new(delta(span.start), delta(span.end))
    } else {
        // The edit touches the span: keep what is left of it, with the new text inside.
        let start = span.start.min(e.start_byte);
        let end = if e.old_end_byte >= span.end { e.new_end_byte } else { delta(span.end) };
        Span::new(start, end.max(start))
    }
}

fn note(line: usize, column: usize, code: &'static str, severity: Severity, message: String) -> ReportNote {
    ReportNote { line: line.max(1), column: column.max(1), code, severity, message }
}

fn read_disk_source(path: &Path, limit: u64, modified: Option<SystemTime>) -> Option<DiskSource> {
    let language = Language::from_path(&path.to_string_lossy())?;
    let text = match source::read_source(path, limit) {
        Ok(text) => text,
        Err(why) => {
            tracing::debug!("{}: {why}", path.display());
            return None;
        }
    };
    let model = syntax::parse_model(language, &text);
    let doc = Document::new(&text, 0);
    Some(DiskSource { modified, model: Arc::new(model), text: Arc::from(text), doc })
}

impl Workspace {
    /// What the runs point at: file names and selectors (see `is_failure_candidate`).
    fn note_mentions(&mut self) {
        let mut names = HashSet::new();
        let mut selectors = HashSet::new();
        let mut add = |p: &str| {
            if let Some(n) = paths::components(p).last() {
                names.insert(n.to_string());
            }
        };
        for e in self.failures.runs.iter().flat_map(|r| &r.events) {
            event_paths(e, &mut add);
            selectors.extend(e.selectors.iter().cloned());
        }
        self.failures.names = names;
        self.failures.selectors = selectors;
    }
}

fn event_paths(e: &FailureEvent, add: &mut impl FnMut(&str)) {
    for p in [&e.file, &e.resolved_file].into_iter().flatten() {
        add(p);
    }
    for l in [&e.location, &e.test_location].into_iter().flatten() {
        add(&l.file);
    }
    for l in e.extra_errors.iter().filter_map(|x| x.location.as_ref()) {
        add(&l.file);
    }
    for f in e.stack.iter().filter(|f| f.in_app) {
        add(&f.file);
    }
    if let Some(c) = &e.classname {
        for m in paths::module_paths(c) {
            add(&m);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, old_end: usize, new_end: usize) -> ByteEdit {
        ByteEdit { start_byte: start, old_end_byte: old_end, new_end_byte: new_end, start_point: (0, 0), old_end_point: (0, 0), new_end_point: (0, 0) }
    }

    #[test]
    fn spans_move_with_edits_before_them_and_resize_with_edits_inside() {
        let s = Span::new(10, 20);
        assert_eq!(shift(s, &edit(30, 35, 31)), s, "after: unchanged");
        assert_eq!(shift(s, &edit(0, 0, 5)), Span::new(15, 25), "insert before: moves");
        assert_eq!(shift(s, &edit(2, 8, 2)), Span::new(4, 14), "delete before: moves back");
        assert_eq!(shift(s, &edit(12, 15, 20)), Span::new(10, 25), "inside: grows");
        assert_eq!(shift(s, &edit(5, 15, 6)), Span::new(5, 11), "straddling the start");
        assert_eq!(shift(s, &edit(15, 25, 16)), Span::new(10, 16), "straddling the end");
        assert_eq!(shift(s, &edit(20, 20, 23)), s, "typing right after it");
    }
}
