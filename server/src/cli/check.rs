//! `argus-lsp check`: findings like a compiler's, in human, JSON or SARIF form; with
//! `--reports`, CI failures mapped onto the exact span that broke.

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::location::{self, Location};
use super::render::{self, BAD_REPORT, CI_FAILURE, Entry, FailureFacts, UNMAPPED_FAILURE};
use super::{CheckFormat, EXIT_FINDINGS, files, progress, reports};
use crate::analysis::{FailureFinding, SourceFile};
use crate::config::Severity;
use crate::workspace::{self, FileAnalysis, Skipped};

pub fn run(config_path: Option<&Path>, paths: &[PathBuf], report_globs: &[String], format: CheckFormat) -> anyhow::Result<u8> {
    let config = files::load_config(config_path)?;
    let sources = files::expand(paths, &config)?;
    let report_paths = reports::expand(report_globs)?;
    let bar = progress::bar(sources.len() + report_paths.len(), "checking");
    let results: Vec<(PathBuf, Result<FileAnalysis, Skipped>)> = sources
        .par_iter()
        .map(|path| {
            let result = workspace::analyze_path(path, &config);
            bar.inc(1);
            (path.clone(), result)
        })
        .collect();
    let (runs, report_problems) = reports::read(&report_paths, config.reports.max_size);
    bar.finish_and_clear();

    let mut entries = Vec::new();
    let mut skipped = 0;
    let mut analysed: Vec<(String, &FileAnalysis, String)> = Vec::new();
    for (path, result) in &results {
        let shown = files::display_path(path);
        match result {
            Ok(analysis) => {
                entries.extend(lint_entries(&shown, analysis));
                analysed.push((shown, analysis, analysis.doc.text()));
            }
            Err(why) => {
                skipped += 1;
                eprintln!("{shown}: {why}");
            }
        }
    }

    for p in report_problems {
        entries.push(report_entry(p.file, p.line, p.column, BAD_REPORT, Severity::Warning, p.message));
    }
    if !runs.is_empty() {
        let sources: Vec<SourceFile> = analysed
            .iter()
            .map(|(path, a, text)| SourceFile { path, model: &a.model, text, modified_ms: None })
            .collect();
        let failures = reports::analyze(&sources, &runs, config.reports.history);
        for finding in &failures.findings {
            if let Some((_, a, _)) = analysed.iter().find(|(p, _, _)| *p == finding.path) {
                entries.push(failure_entry(finding, a));
            }
        }
        for u in &failures.unmapped {
            let message = format!("failure in `{}` maps to no test in the checked files: {}", u.identity, u.reason);
            entries.push(report_entry(files::display_path(Path::new(&u.source)), 1, 1, UNMAPPED_FAILURE, Severity::Info, message));
        }
    }
    entries.sort_by(|a, b| (&a.file, a.location.line, a.location.column, a.code).cmp(&(&b.file, b.location.line, b.location.column, b.code)));

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        CheckFormat::Human => render::human(&mut out, &entries, results.len(), skipped)?,
        CheckFormat::Json => render::json(&mut out, &entries)?,
        CheckFormat::Sarif => render::sarif(&mut out, &entries, &config.docs_url)?,
    }
    out.flush()?;

    let failed = config.fail_level != Severity::Off && entries.iter().any(|e| e.severity >= config.fail_level);
    Ok(if failed { EXIT_FINDINGS } else { 0 })
}

fn lint_entries(file: &str, analysis: &FileAnalysis) -> Vec<Entry> {
    analysis
        .findings
        .iter()
        .map(|f| {
            let location = location::of_span(&analysis.doc, f.span);
            Entry {
                file: file.to_string(),
                location,
                severity: f.severity,
                code: f.code.as_str(),
                message: f.message.clone(),
                detail: f.detail.clone(),
                excerpt: analysis.doc.line_text(location.line - 1),
                failure: None,
            }
        })
        .collect()
}

fn failure_entry(f: &FailureFinding, analysis: &FileAnalysis) -> Entry {
    let location = location::of_span(&analysis.doc, f.span);
    Entry {
        file: f.path.clone(),
        location,
        severity: f.risk.level.severity(),
        code: CI_FAILURE,
        message: f.headline.clone(),
        detail: f.detail.clone(),
        excerpt: analysis.doc.line_text(location.line - 1),
        failure: Some(FailureFacts {
            root_cause: f.root_cause.category.as_str(),
            confidence: f.root_cause.confidence,
            risk: f.risk.score,
            failures: f.risk.failures,
            runs: f.risk.runs,
            test: f.title_path.clone(),
        }),
    }
}

fn report_entry(file: String, line: usize, column: usize, code: &'static str, severity: Severity, message: String) -> Entry {
    Entry {
        file,
        location: Location { line, column, end_line: line, end_column: column },
        severity,
        code,
        message,
        detail: String::new(),
        excerpt: String::new(),
        failure: None,
    }
}
