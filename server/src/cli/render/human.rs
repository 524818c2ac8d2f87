//! `file:line:col code severity: message`, then the line with a caret under the span.

use std::io::{self, Write};

use super::Entry;

pub fn human(out: &mut impl Write, entries: &[Entry], files: usize, skipped: usize) -> io::Result<()> {
    for e in entries {
        let l = &e.location;
        writeln!(out, "{}:{}:{} {} {}: {}", e.file, l.line, l.column, e.code, e.severity.as_str(), e.message)?;
        if e.excerpt.is_empty() {
            writeln!(out)?;
            continue;
        }
        // Tabs become one space so the caret lines up with the character count.
        let line = e.excerpt.replace('\t', " ");
        let gutter = l.line.to_string().len();
        let width = if l.end_line == l.line { l.end_column.saturating_sub(l.column) } else { line.chars().count().saturating_sub(l.column - 1) };
        writeln!(out, "{:gutter$} |", "")?;
        writeln!(out, "{} | {}", l.line, line)?;
        writeln!(out, "{:gutter$} | {}{}", "", " ".repeat(l.column - 1), "^".repeat(width.max(1)))?;
        writeln!(out)?;
    }
    let count = |s: crate::config::Severity| entries.iter().filter(|e| e.severity == s).count();
    use crate::config::Severity::*;
    let checked = files - skipped;
    let skipped_note = if skipped > 0 { format!(", {skipped} skipped") } else { String::new() };
    if entries.is_empty() {
        writeln!(out, "no findings in {}{skipped_note}", plural(checked, "file"))?;
    } else {
        writeln!(
            out,
            "{} ({}, {}, {} info, {}) in {}{skipped_note}",
            plural(entries.len(), "finding"),
            plural(count(Error), "error"),
            plural(count(Warning), "warning"),
            count(Info),
            plural(count(Hint), "hint"),
            plural(checked, "file"),
        )?;
    }
    Ok(())
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}
