//! Every conversion between LSP types and ours lives here, so a change of the types crate
//! touches one file.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use tower_lsp_server::ls_types as lsp;

use crate::analysis::failures::CI_FAILURE;
use crate::analysis::{FailureFinding, Finding, FrameRef};
use crate::config::Severity;
use crate::workspace::ReportNote;
use crate::syntax::Language;
use crate::text::{Document, Position, PositionEncoding, Range, TextChange};

/// The workspace keys documents by path; non-file URIs (`untitled:`) keep their URI text.
pub fn uri_to_path(uri: &lsp::Uri) -> PathBuf {
    let is_file = uri.scheme().as_str().eq_ignore_ascii_case("file");
    match uri.to_file_path() {
        Some(path) if is_file => path.into_owned(),
        _ => PathBuf::from(uri.as_str()),
    }
}

pub fn path_to_uri(path: &Path) -> Option<lsp::Uri> {
    if path.is_absolute() {
        lsp::Uri::from_file_path(path)
    } else {
        lsp::Uri::from_str(&path.to_string_lossy()).ok()
    }
}

/// `languageId` → language, for buffers without a telling extension.
pub fn language_of(language_id: &str) -> Option<Language> {
    match language_id {
        "typescript" => Some(Language::TypeScript),
        "typescriptreact" | "javascript" | "javascriptreact" => Some(Language::Tsx),
        "python" => Some(Language::Python),
        _ => None,
    }
}

pub fn position(p: Position) -> lsp::Position {
    lsp::Position::new(p.line, p.character)
}

pub fn range(r: Range) -> lsp::Range {
    lsp::Range::new(position(r.start), position(r.end))
}

pub fn from_position(p: lsp::Position) -> Position {
    Position::new(p.line, p.character)
}

pub fn from_range(r: lsp::Range) -> Range {
    Range::new(from_position(r.start), from_position(r.end))
}

pub fn change(c: lsp::TextDocumentContentChangeEvent) -> TextChange {
    TextChange { range: c.range.map(from_range), text: c.text }
}

pub fn encoding_kind(e: PositionEncoding) -> lsp::PositionEncodingKind {
    match e {
        PositionEncoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        PositionEncoding::Utf32 => lsp::PositionEncodingKind::UTF32,
    }
}

pub fn severity(s: Severity) -> Option<lsp::DiagnosticSeverity> {
    match s {
        Severity::Error => Some(lsp::DiagnosticSeverity::ERROR),
        Severity::Warning => Some(lsp::DiagnosticSeverity::WARNING),
        Severity::Info => Some(lsp::DiagnosticSeverity::INFORMATION),
        Severity::Hint => Some(lsp::DiagnosticSeverity::HINT),
        Severity::Off => None,
    }
}

pub fn diagnostic(f: &Finding, doc: &Document, encoding: PositionEncoding, docs_url: &str) -> lsp::Diagnostic {
    let code = f.code.as_str();
    lsp::Diagnostic {
        range: range(doc.range(f.span.start, f.span.end, encoding)),
        severity: severity(f.severity),
        code: Some(lsp::NumberOrString::String(code.to_string())),
        code_description: code_description(docs_url, code),
        source: Some("argus".into()),
        message: format!("{}\n{}", f.message, f.detail),
        related_information: None,
        tags: None,
        data: Some(serde_json::json!({ "code": code })),
    }
}

fn code_description(docs_url: &str, code: &str) -> Option<lsp::CodeDescription> {
    lsp::Uri::from_str(&format!("{docs_url}#{code}")).ok().map(|href| lsp::CodeDescription { href })
}

/// A CI failure on its span. `data` carries what a code action needs later (event ids, fix
/// kinds, the selector); the stack frame it failed at is the related information.
pub fn failure_diagnostic(
    f: &FailureFinding,
    doc: &Document,
    encoding: PositionEncoding,
    docs_url: &str,
    frame: Option<(lsp::Uri, &FrameRef, Option<&Document>)>,
) -> lsp::Diagnostic {
    let related = frame.map(|(uri, fr, frame_doc)| {
        let line = fr.line.saturating_sub(1);
        let character = match (frame_doc, fr.column) {
            // The report counts characters; the client may count UTF-16 units or bytes.
            (Some(d), Some(c)) => {
                let at = d.offset(Position::new(line, c.saturating_sub(1)), PositionEncoding::Utf32);
                d.position(at, encoding).character
            }
            (_, c) => c.unwrap_or(1).saturating_sub(1),
        };
        let pos = lsp::Position::new(line, character);
        vec![lsp::DiagnosticRelatedInformation {
            location: lsp::Location { uri, range: lsp::Range::new(pos, pos) },
            message: format!("failed here (stack frame, line {})", fr.line),
        }]
    });
    lsp::Diagnostic {
        range: range(doc.range(f.span.start, f.span.end, encoding)),
        severity: severity(f.risk.level.severity()),
        code: Some(lsp::NumberOrString::String(CI_FAILURE.into())),
        code_description: code_description(docs_url, CI_FAILURE),
        source: Some("argus".into()),
        message: format!("{}\n{}", f.headline, f.detail),
        related_information: related,
        tags: None,
        data: Some(serde_json::json!({
            "code": CI_FAILURE,
            "event_ids": f.event_ids,
            "fix_kinds": f.fix_kinds,
            "root_cause": f.root_cause.category,
            "confidence": f.root_cause.confidence,
            "risk": f.risk.score,
            "target": f.target,
            "selector": f.selector,
            "expected": f.expected,
            "received": f.received,
            "test": f.title_path,
        })),
    }
}

/// A note on a report file (a problem reading it, a failure that maps nowhere), at its
/// 1-based line and column.
pub fn report_diagnostic(n: &ReportNote, docs_url: &str) -> lsp::Diagnostic {
    let pos = lsp::Position::new(n.line.saturating_sub(1) as u32, n.column.saturating_sub(1) as u32);
    lsp::Diagnostic {
        range: lsp::Range::new(pos, pos),
        severity: severity(n.severity),
        code: Some(lsp::NumberOrString::String(n.code.into())),
        code_description: code_description(docs_url, n.code),
        source: Some("argus".into()),
        message: n.message.clone(),
        data: Some(serde_json::json!({ "code": n.code })),
        ..Default::default()
    }
}

/// An info diagnostic at the top of a file argus could not read.
pub fn skipped_diagnostic(reason: &str) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range: lsp::Range::default(),
        severity: Some(lsp::DiagnosticSeverity::INFORMATION),
        code: Some(lsp::NumberOrString::String("skipped".into())),
        source: Some("argus".into()),
        message: format!("argus {reason}"),
        ..Default::default()
    }
}
