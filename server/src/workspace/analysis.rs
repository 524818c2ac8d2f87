//! The analysis of one file at one version: what both faces (LSP, CLI) render.

use std::sync::Arc;

use crate::analysis::{self, Finding};
use crate::config::Config;
use crate::syntax::incremental::Region;
use crate::syntax::{self, FileModel, Language};
use crate::text::Document;

#[derive(Debug, Clone)]
pub struct FileAnalysis {
    /// A cheap snapshot (ropes share their chunks).
    pub doc: Document,
    pub model: Arc<FileModel>,
    pub findings: Arc<Vec<Finding>>,
}

impl FileAnalysis {
    pub fn new(doc: Document, model: FileModel, config: &Config) -> Self {
        let text = doc.text();
        let findings = analysis::lint(&model, &text, config);
        FileAnalysis { doc, model: Arc::new(model), findings: Arc::new(findings) }
    }

    /// A placeholder while an analysis is being replaced.
    pub(crate) fn empty(doc: Document, language: Language) -> Self {
        FileAnalysis { doc, model: Arc::new(FileModel::empty(language)), findings: Arc::new(Vec::new()) }
    }

    /// The analysis after an edit whose block `syntax::incremental` extracted again: findings
    /// outside the block move with the text, the block's are found from its items alone (every
    /// lint looks at one item). Lints the whole model when that would not give the same: when
    /// the file or the block is not plainly test code (lints skip files that are not), or when
    /// a finding outside the block starts in it.
    pub(crate) fn after_edit(
        doc: Document,
        text: &str,
        model: FileModel,
        was_test_code: bool,
        mut findings: Vec<Finding>,
        region: &Region,
        config: &Config,
    ) -> Self {
        let spliced = (|| {
            if !was_test_code || !Self::obviously_test_code(&region.model) {
                return None;
            }
            findings.retain(|f| !region.holds(f.span));
            if findings.iter().any(|f| f.span.start >= region.old.start && f.span.start < region.old.end) {
                return None;
            }
            for f in &mut findings {
                f.span = region.shift_span(f.span);
            }
            let fresh = analysis::lint(&region.model, text, config);
            if fresh.iter().any(|f| !region.new.contains(f.span) || f.span.start == region.new.end) {
                return None;
            }
            let at = findings.partition_point(|f| f.span.start < region.new.start);
            findings.splice(at..at, fresh);
            Some(findings)
        })();
        let findings = spliced.unwrap_or_else(|| analysis::lint(&model, text, config));
        FileAnalysis { doc, model: Arc::new(model), findings: Arc::new(findings) }
    }

    /// Tests, locators, assertions or navigations make a file test code whatever else it has
    /// (what `analysis::lint` checks first).
    pub(crate) fn obviously_test_code(model: &FileModel) -> bool {
        !model.tests.is_empty() || !model.locators.is_empty() || !model.assertions.is_empty() || !model.navigations.is_empty()
    }

    /// Parse and lint `text` from scratch.
    pub fn of_text(language: Language, text: &str, version: i32, config: &Config) -> Self {
        let model = syntax::parse_model(language, text);
        FileAnalysis::new(Document::new(text, version), model, config)
    }

    pub fn version(&self) -> i32 {
        self.doc.version()
    }
}
