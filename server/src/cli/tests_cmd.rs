//! `argus-lsp tests`: the tests argus finds, as JSON (a public contract) or a tree.

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::{TestsFormat, files, location, progress};
use crate::syntax::{self, FileModel, Language, TestCase};
use crate::text::Document;
use crate::workspace::source::read_source;

#[derive(Debug, Serialize)]
struct ListedTest {
    file: String,
    line: usize,
    column: usize,
    title: Vec<String>,
    framework: &'static str,
}

pub fn run(config_path: Option<&Path>, paths: &[PathBuf], format: TestsFormat) -> anyhow::Result<u8> {
    let config = files::load_config(config_path)?;
    let sources = files::expand(paths, &config)?;
    let bar = progress::bar(sources.len(), "listing");
    let texts: Vec<Option<(Language, String)>> = sources
        .par_iter()
        .map(|path| {
            let read = read_file(path, config.max_file_size);
            bar.inc(1);
            read
        })
        .collect();
    let (paths, inputs): (Vec<&PathBuf>, Vec<(Language, &str)>) = sources
        .iter()
        .zip(&texts)
        .filter_map(|(path, read)| read.as_ref().map(|(language, text)| (path, (*language, text.as_str()))))
        .unzip();
    let models = syntax::list_tests(&inputs);
    bar.finish_and_clear();
    let tests: Vec<ListedTest> = paths
        .into_iter()
        .zip(inputs)
        .zip(&models)
        .flat_map(|((path, (_, text)), model)| listed(path, text, model))
        .collect();

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        TestsFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &tests)?;
            writeln!(out)?;
        }
        TestsFormat::Human => human(&mut out, &tests)?,
    }
    out.flush()?;
    Ok(0)
}

fn read_file(path: &Path, limit: u64) -> Option<(Language, String)> {
    let language = Language::from_path(&path.to_string_lossy())?;
    match read_source(path, limit) {
        Ok(text) => Some((language, text)),
        Err(why) => {
            eprintln!("{}: {why}", files::display_path(path));
            None
        }
    }
}

fn listed(path: &Path, text: &str, model: &FileModel) -> Vec<ListedTest> {
    if model.tests.is_empty() {
        return Vec::new();
    }
    let doc = Document::new(text, 0);
    let file = files::display_path(path);
    model
        .tests
        .iter()
        .map(|test| {
            let at = location::of_span(&doc, syntax_location(text, test));
            ListedTest {
                file: file.clone(),
                line: at.line,
                column: at.column,
                title: test.title_path.clone(),
                framework: test.framework.as_str(),
            }
        })
        .collect()
}

/// Where a runner says a test is: for a JS call, the callee's last name (`test` in `test(…)`,
/// `only` in `test.only(…)`, as a V8 stack frame points); for Python, the definition's first
/// line (the first decorator, as pytest reports it).
fn syntax_location(text: &str, test: &TestCase) -> syntax::Span {
    let start = test.span.start;
    if test.name_span.start > start
        && let Some(head) = text.get(start..test.name_span.start)
        && let Some(paren) = head.find('(')
    {
        let callee = &head[..paren];
        if !callee.trim_start().starts_with("def ") && !callee.contains('@') {
            let last = callee.rfind('.').map_or(0, |i| i + 1);
            let offset = start + last + (callee[last..].len() - callee[last..].trim_start().len());
            return syntax::Span::new(offset, offset);
        }
    }
    syntax::Span::new(start, start)
}

fn human(out: &mut impl Write, tests: &[ListedTest]) -> std::io::Result<()> {
    let mut last_file: Option<&str> = None;
    let mut last_groups: &[String] = &[];
    for t in tests {
        if last_file != Some(t.file.as_str()) {
            writeln!(out, "{}", t.file)?;
            last_file = Some(&t.file);
            last_groups = &[];
        }
        let (groups, name) = t.title.split_at(t.title.len().saturating_sub(1));
        let common = groups.iter().zip(last_groups).take_while(|(a, b)| a == b).count();
        for (depth, g) in groups.iter().enumerate().skip(common) {
            writeln!(out, "{}{g}", "  ".repeat(depth + 1))?;
        }
        last_groups = groups;
        let name = name.first().map(String::as_str).unwrap_or("");
        writeln!(out, "{}{name}  [{} {}:{}]", "  ".repeat(groups.len() + 1), t.framework, t.line, t.column)?;
    }
    writeln!(out, "{} tests", tests.len())
}
