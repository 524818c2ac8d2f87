//! The workspace index: every test source on disk, parsed in parallel, kept as a compact summary.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::syntax::{self, FileModel, Framework, Language, Span};
use crate::text::{Document, LineIndex, PositionEncoding, Range};

use super::source::{Skipped, read_source};

/// What the index keeps of a file it does not have open: enough for workspace symbols and
/// counts, with positions already in the session's encoding (no text kept).
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedFile {
    pub language: Language,
    pub tests: Vec<IndexedTest>,
    /// Selector value and accessible name of each page-object field: a failure naming one of
    /// these lands here even when no stack frame names this file.
    pub page_objects: Vec<(String, Option<String>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndexedTest {
    pub title_path: Vec<String>,
    pub framework: Framework,
    pub range: Range,
    pub name_range: Range,
}

impl IndexedFile {
    pub fn summarize(model: &FileModel, doc: &Document, encoding: PositionEncoding) -> Self {
        Self::summarize_with(model, |s| doc.range(s.start, s.end, encoding))
    }

    /// The same from the text (no rope built: the index drops the text right after).
    pub fn summarize_text(model: &FileModel, text: &str, encoding: PositionEncoding) -> Self {
        let lines = LineIndex::new(text);
        Self::summarize_with(model, |s| lines.range(s.start, s.end, encoding))
    }

    fn summarize_with(model: &FileModel, range: impl Fn(Span) -> Range) -> Self {
        IndexedFile {
            language: model.language,
            tests: model
                .tests
                .iter()
                .map(|t| IndexedTest {
                    title_path: t.title_path.clone(),
                    framework: t.framework,
                    range: range(t.span),
                    name_range: range(t.name_span),
                })
                .collect(),
            page_objects: model.locators.iter().filter(|l| l.binding.is_some()).map(|l| (l.value.clone(), l.name.clone())).collect(),
        }
    }
}

/// Test sources under `root`: .gitignore-aware, hidden files, `node_modules` and build output
/// left out, plus the config's `exclude` globs.
pub fn discover(root: &Path, config: &Config) -> Vec<PathBuf> {
    let mut overrides = ignore::overrides::OverrideBuilder::new(root);
    for dir in ["node_modules", "dist", "build", "out", "coverage", ".venv", "venv", "__pycache__", "target", "playwright-report", "test-results"] {
        let _ = overrides.add(&format!("!**/{dir}/"));
    }
    for glob in &config.exclude {
        if let Err(e) = overrides.add(&format!("!{glob}")) {
            tracing::warn!("exclude glob `{glob}` ignored: {e}");
        }
    }
    let mut walk = ignore::WalkBuilder::new(root);
    // Honour .gitignore even outside a git repository (a fresh checkout, an unpacked archive).
    walk.require_git(false);
    if let Ok(o) = overrides.build() {
        walk.overrides(o);
    }
    let mut files: Vec<PathBuf> = walk
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .filter(|p| Language::from_path(&p.to_string_lossy()).is_some())
        .collect();
    files.sort();
    files
}

/// The result of reading and parsing one discovered file.
pub enum Parsed {
    File(IndexedFile),
    Skipped(Skipped),
}

/// Read and parse `paths` on all cores. `progress(done)` is called as files complete.
pub fn parse_all(
    paths: &[PathBuf],
    config: &Config,
    encoding: PositionEncoding,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<(PathBuf, Parsed)> {
    let done = std::sync::atomic::AtomicUsize::new(0);
    paths
        .par_iter()
        .map(|path| {
            let parsed = parse_one(path, config, encoding);
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(n);
            (path.clone(), parsed)
        })
        .collect()
}

fn parse_one(path: &Path, config: &Config, encoding: PositionEncoding) -> Parsed {
    let Some(language) = Language::from_path(&path.to_string_lossy()) else {
        return Parsed::Skipped(Skipped::Io("not a test source".into()));
    };
    match read_source(path, config.max_file_size) {
        Ok(text) => {
            // the summary needs tests and page objects only
            let model = syntax::parse_for_index(language, &text);
            Parsed::File(IndexedFile::summarize_text(&model, &text, encoding))
        }
        Err(skipped) => Parsed::Skipped(skipped),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the index keeps of a file equals the summary of its full model.
    #[test]
    fn index_summary_equals_the_full_models() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut paths = discover(&root.join("tests/fixtures/syntax"), &Config::default());
        paths.extend(discover(&root.join("tests/examples"), &Config::default()));
        assert!(paths.len() > 10);
        for path in paths {
            let language = Language::from_path(&path.to_string_lossy()).unwrap();
            let Ok(text) = read_source(&path, u64::MAX) else { continue };
            let full = syntax::parse_model(language, &text);
            for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
                let expected = IndexedFile::summarize(&full, &Document::new(&text, 0), encoding);
                let Parsed::File(indexed) = parse_one(&path, &Config::default(), encoding) else { panic!("{path:?} skipped") };
                assert_eq!(indexed, expected, "{path:?}");
            }
        }
    }
}
