//! The analysis of one file at one version: what both faces (LSP, CLI) render.

use std::sync::Arc;

use crate::analysis::{self, Finding};
use crate::config::Config;
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

    /// Parse and lint `text` from scratch.
    pub fn of_text(language: Language, text: &str, version: i32, config: &Config) -> Self {
        let model = syntax::parse_model(language, text);
        FileAnalysis::new(Document::new(text, version), model, config)
    }

    pub fn version(&self) -> i32 {
        self.doc.version()
    }
}
