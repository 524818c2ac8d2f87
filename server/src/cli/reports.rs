//! `check --reports`: read CI reports (streamed), map their failures onto the checked files.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::analysis::{self, FailureAnalysis, FailureSettings, SourceFile};
use crate::failures::Run;
use crate::sources;

/// Files named by `patterns`: existing paths as given, else globs matched below their literal
/// prefix (reports are usually gitignored, so ignore files are not honoured here).
pub fn expand(patterns: &[String]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for pattern in patterns {
        let path = Path::new(pattern);
        if path.is_file() {
            out.push(path.to_path_buf());
            continue;
        }
        let glob = globset::Glob::new(pattern).with_context(|| format!("--reports {pattern}: not a valid glob"))?;
        let matcher = glob.compile_matcher();
        let base: PathBuf = path.components().take_while(|c| !c.as_os_str().to_string_lossy().contains(['*', '?', '[', '{'])).collect();
        let base = if base.as_os_str().is_empty() { PathBuf::from(".") } else { base };
        let mut found = 0;
        for entry in ignore::WalkBuilder::new(&base).standard_filters(false).hidden(false).build().flatten() {
            let p = entry.path();
            let rel = p.strip_prefix("./").unwrap_or(p);
            if entry.file_type().is_some_and(|t| t.is_file()) && matcher.is_match(rel) && !rel.components().any(|c| c.as_os_str() == "node_modules") {
                out.push(rel.to_path_buf());
                found += 1;
            }
        }
        if found == 0 {
            eprintln!("warning: --reports {pattern}: no report matched");
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// A report that could not be read whole: where and why.
pub struct ReportProblem {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parse every report (streaming), returning the runs and what went wrong, by file.
pub fn read(paths: &[PathBuf], max_size: u64) -> (Vec<Run>, Vec<ReportProblem>) {
    let mut runs = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let file = super::files::display_path(path);
        let report = match sources::read_report(path, max_size) {
            Ok(report) => report,
            Err(e) => {
                problems.push(ReportProblem { file, line: 1, column: 1, message: format!("report skipped: {e}") });
                continue;
            }
        };
        for p in &report.problems {
            let at = p.offset.filter(|_| p.line.is_none()).map(|o| format!(" (byte {o})")).unwrap_or_default();
            problems.push(ReportProblem {
                file: file.clone(),
                line: p.line.unwrap_or(1) as usize,
                column: p.column.unwrap_or(1) as usize,
                message: format!("{}{at}", p.message),
            });
        }
        if !report.events.is_empty() {
            runs.push(Run::from_report(report));
        }
    }
    (runs, problems)
}

pub fn analyze(files: &[SourceFile], runs: &[Run], history: usize) -> FailureAnalysis {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    analysis::analyze_failures(files, runs, &FailureSettings { history }, now_ms)
}
