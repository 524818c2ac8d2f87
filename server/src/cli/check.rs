//! `argus-lsp check`: findings like a compiler's, in human, JSON or SARIF form.

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::render::{self, Entry};
use super::{CheckFormat, EXIT_FINDINGS, files, location, progress};
use crate::config::Severity;
use crate::workspace::{self, FileAnalysis, Skipped};

pub fn run(config_path: Option<&Path>, paths: &[PathBuf], format: CheckFormat) -> anyhow::Result<u8> {
    let config = files::load_config(config_path)?;
    let sources = files::expand(paths, &config)?;
    let bar = progress::bar(sources.len(), "checking");
    let results: Vec<(PathBuf, Result<FileAnalysis, Skipped>)> = sources
        .par_iter()
        .map(|path| {
            let result = workspace::analyze_path(path, &config);
            bar.inc(1);
            (path.clone(), result)
        })
        .collect();
    bar.finish_and_clear();

    let mut entries = Vec::new();
    let mut skipped = 0;
    for (path, result) in &results {
        let shown = files::display_path(path);
        match result {
            Ok(analysis) => entries.extend(entries_of(&shown, analysis)),
            Err(why) => {
                skipped += 1;
                eprintln!("{shown}: {why}");
            }
        }
    }
    entries.sort_by(|a, b| (&a.file, a.location.line, a.location.column).cmp(&(&b.file, b.location.line, b.location.column)));

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

fn entries_of(file: &str, analysis: &FileAnalysis) -> Vec<Entry> {
    analysis
        .findings
        .iter()
        .map(|f| {
            let location = location::of_span(&analysis.doc, f.span);
            Entry {
                file: file.to_string(),
                location,
                severity: f.severity,
                code: f.code,
                message: f.message.clone(),
                detail: f.detail.clone(),
                excerpt: analysis.doc.line_text(location.line - 1),
            }
        })
        .collect()
}
