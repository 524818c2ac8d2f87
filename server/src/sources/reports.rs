//! Report files on disk: discovery by the configured globs, and bounded, streamed reading.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::failures::{Report, parse_report};

/// Directories never walked for reports (unless a glob names them explicitly).
const SKIPPED_DIRS: [&str; 7] = ["node_modules", ".git", ".hg", ".svn", ".venv", "venv", "__pycache__"];

/// Why a report file was not read. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{path}: report is {size} bytes, over the {max}-byte limit (`reports.max_size`); not read")]
    TooLarge { path: PathBuf, size: u64, max: u64 },
    #[error("{path}: is a directory, not a report file")]
    NotAFile { path: PathBuf },
    #[error("{path}: cannot read report: {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
}

impl ReportError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            ReportError::TooLarge { path, .. } | ReportError::NotAFile { path } | ReportError::Unreadable { path, .. } => path,
        }
    }
}

/// The configured report globs, matched against paths relative to a workspace root.
#[derive(Debug, Clone)]
pub struct ReportMatcher {
    root: PathBuf,
    set: GlobSet,
    /// Skipped directory names that a glob names explicitly (so they are walked after all).
    allowed_skips: Vec<&'static str>,
}

impl ReportMatcher {
    /// Builds the matcher. Invalid globs are left out and returned as messages.
    pub fn new(root: &Path, globs: &[String]) -> (ReportMatcher, Vec<String>) {
        let mut b = GlobSetBuilder::new();
        let mut errors = Vec::new();
        for g in globs {
            let g = g.trim().trim_start_matches("./");
            // `dir/**` matches everything below `dir`.
            match GlobBuilder::new(g).literal_separator(true).build() {
                Ok(glob) => {
                    b.add(glob);
                }
                Err(e) => errors.push(format!("reports.globs: invalid glob `{g}`: {e}")),
            }
        }
        let set = b.build().unwrap_or_else(|_| GlobSet::empty());
        let allowed_skips =
            SKIPPED_DIRS.iter().copied().filter(|d| globs.iter().any(|g| g.split('/').any(|c| c == *d))).collect();
        (ReportMatcher { root: root.to_path_buf(), set, allowed_skips }, errors)
    }

    /// The workspace root paths are taken relative to.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether `path` (absolute, or relative to the root) is a report path by the globs and
    /// not inside a skipped directory.
    pub fn matches(&self, path: &Path) -> bool {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        if rel.is_absolute() {
            return false;
        }
        // Playwright's own state file lives where reports do (`test-results/`): not a report.
        if rel.file_name().is_some_and(|n| n == ".last-run.json") {
            return false;
        }
        let parent_skipped = rel
            .parent()
            .map(|p| p.components().any(|c| self.is_skipped_dir(&c.as_os_str().to_string_lossy())))
            .unwrap_or(false);
        !parent_skipped && self.set.is_match(rel)
    }

    /// Whether a directory with this name is left out of walks and watches.
    pub fn is_skipped_dir(&self, name: &str) -> bool {
        SKIPPED_DIRS.contains(&name) && !self.allowed_skips.contains(&name)
    }
}

/// All report files under `root` matching `globs`, sorted. Ignore files (`.gitignore`, …)
/// are not honoured on purpose — reports usually are gitignored; `node_modules`, VCS
/// directories and virtualenvs are skipped.
pub fn discover_reports(root: &Path, globs: &[String]) -> Vec<PathBuf> {
    let (matcher, _) = ReportMatcher::new(root, globs);
    discover_with(&matcher, root)
}

/// Like [`discover_reports`], below `dir` (inside the matcher's root) only.
pub fn discover_with(matcher: &ReportMatcher, dir: &Path) -> Vec<PathBuf> {
    let m = matcher.clone();
    let walker = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .hidden(false)
        .follow_links(false)
        .filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            !(is_dir && e.depth() > 0 && m.is_skipped_dir(&e.file_name().to_string_lossy()))
        })
        .build();
    let mut out: Vec<PathBuf> = walker
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .filter(|p| matcher.matches(p))
        .collect();
    out.sort();
    out
}

/// Reads and parses one report, streamed (never held whole). Refuses directories, files over
/// `max_size` bytes and unreadable files; content problems (truncated, wrong schema, not a
/// report) come back as `Report::problems`, each naming the file.
pub fn read_report(path: &Path, max_size: u64) -> Result<Report, ReportError> {
    let unreadable = |source| ReportError::Unreadable { path: path.to_path_buf(), source };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.is_dir() {
        return Err(ReportError::NotAFile { path: path.to_path_buf() });
    }
    if meta.len() > max_size {
        return Err(ReportError::TooLarge { path: path.to_path_buf(), size: meta.len(), max: max_size });
    }
    let file = File::open(path).map_err(unreadable)?;
    // A file that grows while it is read is cut at the limit (and shows up as truncated).
    let reader = BufReader::with_capacity(256 * 1024, file.take(max_size));
    Ok(parse_report(&path.display().to_string(), reader))
}
