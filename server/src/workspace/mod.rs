//! The one stateful engine that both faces (LSP and CLI) drive: configuration, open documents,
//! the file index. Like rust-analyzer's `AnalysisHost`: callers ask questions, it answers with
//! plain data.

mod analysis;
mod failures;
pub mod candidates;
pub mod index;
pub mod source;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub use analysis::FileAnalysis;
pub use failures::{IngestSummary, ReportNote, now_ms};
pub use index::{IndexedFile, IndexedTest};
pub use source::Skipped;

use crate::config::{Config, ConfigError};
use crate::syntax::{self, Language};
use crate::text::{ChangeError, Document, PositionEncoding, TextChange};

pub const CONFIG_FILE: &str = "argus.toml";

/// An open document and its incremental parse state.
struct OpenDoc {
    language: Language,
    tree: Option<tree_sitter::Tree>,
    /// The text `tree` was parsed from, and what extracting its model left for the next edit.
    text: String,
    state: Option<syntax::incremental::State>,
    analysis: FileAnalysis,
    /// When the buffer was last changed (None: as opened), for "report older than the file".
    edited_ms: Option<i64>,
}

pub struct Workspace {
    root: Option<PathBuf>,
    /// The config from `argus.toml` alone; client settings are applied over it.
    file_config: Config,
    client_settings: Option<serde_json::Value>,
    config: Config,
    encoding: PositionEncoding,
    open: HashMap<PathBuf, OpenDoc>,
    index: BTreeMap<PathBuf, IndexedFile>,
    skipped: BTreeMap<PathBuf, Skipped>,
    failures: failures::FailureState,
}

/// What loading configuration had to say: warnings, or the error that kept the last good config.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ConfigReport {
    pub warnings: Vec<String>,
    pub error: Option<ConfigError>,
}

impl Workspace {
    pub fn new(root: Option<PathBuf>, encoding: PositionEncoding) -> Self {
        Workspace {
            root,
            file_config: Config::default(),
            client_settings: None,
            config: Config::default(),
            encoding,
            open: HashMap::new(),
            index: BTreeMap::new(),
            skipped: BTreeMap::new(),
            failures: Default::default(),
        }
    }

    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn encoding(&self) -> PositionEncoding {
        self.encoding
    }

    /// (Re)read `argus.toml` at the root. On error the last good config stays in force.
    pub fn load_config_file(&mut self) -> ConfigReport {
        let Some(path) = self.root.as_ref().map(|r| r.join(CONFIG_FILE)) else {
            return ConfigReport::default();
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return ConfigReport {
                    warnings: vec![],
                    error: Some(ConfigError { source_name: path.display().to_string(), location: None, message: e.to_string() }),
                };
            }
        };
        match Config::from_toml(&text, &path.display().to_string()) {
            Ok(loaded) => {
                self.file_config = loaded.config;
                let mut report = self.apply_client_settings();
                report.warnings.splice(0..0, loaded.warnings);
                report
            }
            Err(error) => ConfigReport { warnings: vec![], error: Some(error) },
        }
    }

    /// Client settings (`initializationOptions`, `workspace/didChangeConfiguration`) over the file.
    pub fn set_client_settings(&mut self, settings: Option<serde_json::Value>) -> ConfigReport {
        self.client_settings = settings.filter(|s| !s.is_null());
        self.apply_client_settings()
    }

    fn apply_client_settings(&mut self) -> ConfigReport {
        let Some(settings) = &self.client_settings else {
            self.set_config(self.file_config.clone());
            return ConfigReport::default();
        };
        match self.file_config.merged_with_json(settings, "client settings") {
            Ok(loaded) => {
                self.set_config(loaded.config);
                ConfigReport { warnings: loaded.warnings, error: None }
            }
            Err(error) => ConfigReport { warnings: vec![], error: Some(error) },
        }
    }

    fn set_config(&mut self, config: Config) {
        if config != self.config {
            let history_changed = config.reports.history != self.config.reports.history;
            self.config = config;
            if history_changed && !self.failures_empty() {
                self.recompute_failures();
            }
            for doc in self.open.values_mut() {
                doc.analysis = FileAnalysis::new(
                    doc.analysis.doc.clone(),
                    (*doc.analysis.model).clone(),
                    &self.config,
                );
            }
        }
    }

    // ---- open documents -------------------------------------------------------------------

    /// Open (or reopen) a document. `language` overrides the extension (for `untitled:` buffers).
    /// `Ok(None)`: not a language argus reads. `Err`: too large or binary, left unparsed.
    pub fn open(
        &mut self,
        path: PathBuf,
        language: Option<Language>,
        text: &str,
        version: i32,
    ) -> Result<Option<&FileAnalysis>, Skipped> {
        self.open.remove(&path);
        let Some(language) = language.or_else(|| Language::from_path(&path.to_string_lossy())) else {
            return Ok(None);
        };
        admit(text, self.config.max_file_size)?;
        let tree = syntax::parse(language, text, None);
        let (model, state) = extract_model(language, tree.as_ref(), text);
        let analysis = FileAnalysis::new(Document::new(text, version), model, &self.config);
        self.open.insert(path.clone(), OpenDoc { language, tree, text: text.to_string(), state, analysis, edited_ms: None });
        if self.is_failure_candidate(&path) {
            self.recompute_failures();
        }
        Ok(self.open.get(&path).map(|d| &d.analysis))
    }

    /// Apply changes in order; a stale version is rejected and nothing changes. A document that
    /// grows past the limits is dropped from analysis (`Ok(Err(skipped))`) until it shrinks.
    pub fn change(
        &mut self,
        path: &Path,
        version: i32,
        changes: &[TextChange],
    ) -> Result<Option<Result<&FileAnalysis, Skipped>>, ChangeError> {
        let encoding = self.encoding;
        let Some(open) = self.open.get_mut(path) else {
            return Ok(None);
        };
        let mut doc = open.analysis.doc.clone();
        let edits = doc.apply(version, changes, encoding)?;
        open.edited_ms = Some(now_ms());
        let text = doc.text();
        let language = open.language;
        let old_tree = open.tree.clone();
        if let Some(tree) = open.tree.as_mut() {
            for edit in &edits {
                syntax::edit_tree(tree, edit);
            }
        }
        let old_text = std::mem::replace(&mut open.text, text);
        let text = open.text.as_str();
        let admitted = admit(text, self.config.max_file_size);
        if let Err(skipped) = admitted {
            // Keep the new text (later changes apply to it) but no stale tree or findings.
            open.tree = None;
            open.state = None;
            open.analysis = FileAnalysis::new(doc, syntax::FileModel::empty(language), &self.config);
            return Ok(Some(Err(skipped)));
        }
        let tree = syntax::parse(language, text, open.tree.as_ref());
        // Only the block around the edit is extracted again when nothing else can change.
        let old = std::mem::replace(&mut open.analysis, FileAnalysis::empty(doc.clone(), language));
        let (old_model, old_findings) = (old.model, old.findings);
        let mut reextracted = None;
        if let (Some(old_tree), Some(edited), Some(new), Some(state)) = (&old_tree, &open.tree, &tree, open.state.as_mut()) {
            // (in place when no snapshot holds the old model)
            let mut model = std::sync::Arc::try_unwrap(old_model).unwrap_or_else(|m| (*m).clone());
            let before = FileAnalysis::obviously_test_code(&model);
            if let Some(region) =
                syntax::incremental::reextract(language, old_tree, &old_text, edited, new, text, &edits, &mut model, state)
            {
                reextracted = Some((model, before, region));
            }
        }
        open.tree = tree;
        open.analysis = match reextracted {
            Some((model, before, region)) => {
                let findings = std::sync::Arc::try_unwrap(old_findings).unwrap_or_else(|f| (*f).clone());
                FileAnalysis::after_edit(doc, text, model, before, findings, &region, &self.config)
            }
            None => {
                let (model, state) = extract_model(language, open.tree.as_ref(), text);
                open.state = state;
                FileAnalysis::new(doc, model, &self.config)
            }
        };
        // Failures move with the text now; re-correlating waits for a pause in typing
        // (`recompute_failures_if_stale`), as it reads every run.
        if self.is_failure_candidate(path) {
            self.shift_failures(path, &edits);
        }
        Ok(self.open.get(path).map(|o| Ok(&o.analysis)))
    }

    pub fn close(&mut self, path: &Path) {
        // The file on disk may differ from the buffer that was closed: the index re-reads it.
        if self.open.remove(path).is_some() {
            self.refresh_from_disk(path);
            if self.is_failure_candidate(path) {
                self.recompute_failures();
            }
        }
    }

    pub fn analysis(&self, path: &Path) -> Option<&FileAnalysis> {
        self.open.get(path).map(|d| &d.analysis)
    }

    pub fn open_paths(&self) -> Vec<PathBuf> {
        self.open.keys().cloned().collect()
    }

    // ---- index ----------------------------------------------------------------------------

    /// Files to index under the root.
    pub fn discover(&self) -> Vec<PathBuf> {
        match &self.root {
            Some(root) => index::discover(root, &self.config),
            None => Vec::new(),
        }
    }

    /// Record the results of `index::parse_all`.
    pub fn record_index(&mut self, results: Vec<(PathBuf, index::Parsed)>) {
        for (path, parsed) in results {
            self.record(path, parsed);
        }
        if !self.failures_empty() {
            self.recompute_failures();
        }
    }

    fn record(&mut self, path: PathBuf, parsed: index::Parsed) {
        match parsed {
            index::Parsed::File(file) => {
                self.skipped.remove(&path);
                self.index.insert(path, file);
            }
            index::Parsed::Skipped(why) => {
                self.index.remove(&path);
                self.skipped.insert(path, why);
            }
        }
    }

    /// A watched file changed on disk (created, changed or deleted). Open documents are the
    /// editor's truth and are left alone; files outside the root are not indexed.
    pub fn refresh_from_disk(&mut self, path: &Path) {
        let inside = self.root.as_deref().is_some_and(|root| path.starts_with(root));
        if !inside || self.open.contains_key(path) || Language::from_path(&path.to_string_lossy()).is_none() {
            return;
        }
        if !path.exists() {
            self.forget(path);
            return;
        }
        let results = index::parse_all(&[path.to_path_buf()], &self.config, self.encoding, &|_| {});
        for (path, parsed) in results {
            self.record(path, parsed);
        }
        if self.is_failure_candidate(path) {
            self.recompute_failures();
        }
    }

    pub fn forget(&mut self, path: &Path) {
        self.index.remove(path);
        self.skipped.remove(path);
        if self.is_failure_candidate(path) {
            self.recompute_failures();
        }
    }

    /// Every test in the workspace: open documents first-hand, the rest from the index.
    pub fn all_tests(&self) -> Vec<(PathBuf, IndexedTest)> {
        let mut out = Vec::new();
        for (path, doc) in &self.open {
            let summary = IndexedFile::summarize(&doc.analysis.model, &doc.analysis.doc, self.encoding);
            out.extend(summary.tests.into_iter().map(|t| (path.clone(), t)));
        }
        for (path, file) in &self.index {
            if !self.open.contains_key(path) {
                out.extend(file.tests.iter().map(|t| (path.clone(), t.clone())));
            }
        }
        out
    }

    pub fn indexed_files(&self) -> usize {
        self.index.len()
    }

    pub fn skipped(&self) -> &BTreeMap<PathBuf, Skipped> {
        &self.skipped
    }
}

/// The same limits for buffers as for files on disk: `max_file_size`, no binary content.
fn admit(text: &str, limit: u64) -> Result<(), Skipped> {
    let size = text.len() as u64;
    if size > limit {
        return Err(Skipped::TooLarge { size, limit });
    }
    if let Some(offset) = text.as_bytes().iter().take(8192).position(|&b| b == 0) {
        return Err(Skipped::Binary { offset });
    }
    Ok(())
}

/// Analyse one file from disk (CLI): read, parse, lint.
pub fn analyze_path(path: &Path, config: &Config) -> Result<FileAnalysis, Skipped> {
    let language =
        Language::from_path(&path.to_string_lossy()).ok_or_else(|| Skipped::Io("not a test source".into()))?;
    let text = source::read_source(path, config.max_file_size)?;
    Ok(FileAnalysis::of_text(language, &text, 0, config))
}

/// The full model of an open document, and what the next edit's extraction needs (none
/// when the text did not parse).
fn extract_model(language: Language, tree: Option<&tree_sitter::Tree>, text: &str) -> (syntax::FileModel, Option<syntax::incremental::State>) {
    match tree {
        Some(tree) => {
            let (model, state) = syntax::incremental::extract_with_state(language, tree, text);
            (model, Some(state))
        }
        None => (syntax::FileModel::empty(language), None),
    }
}
