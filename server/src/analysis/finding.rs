//! Findings: what analysis reports, independent of LSP or terminal formatting.

use serde::Serialize;

use crate::config::Severity;
use crate::syntax::Span;

/// Stable lint codes. They are part of the public contract (configuration keys, CLI output,
/// `Diagnostic.code`): never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LintCode {
    HardWait,
    PositionalSelector,
    AbsoluteXpath,
    DeepSelector,
    GeneratedClass,
    GuidId,
    LongTextSelector,
    FocusedTest,
}

impl LintCode {
    pub const ALL: [LintCode; 8] = [
        LintCode::HardWait,
        LintCode::PositionalSelector,
        LintCode::AbsoluteXpath,
        LintCode::DeepSelector,
        LintCode::GeneratedClass,
        LintCode::GuidId,
        LintCode::LongTextSelector,
        LintCode::FocusedTest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LintCode::HardWait => "hard-wait",
            LintCode::PositionalSelector => "positional-selector",
            LintCode::AbsoluteXpath => "absolute-xpath",
            LintCode::DeepSelector => "deep-selector",
            LintCode::GeneratedClass => "generated-class",
            LintCode::GuidId => "guid-id",
            LintCode::LongTextSelector => "long-text-selector",
            LintCode::FocusedTest => "focused-test",
        }
    }

    pub fn default_severity(self) -> Severity {
        match self {
            LintCode::FocusedTest => Severity::Error,
            LintCode::DeepSelector | LintCode::LongTextSelector => Severity::Info,
            _ => Severity::Warning,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub code: LintCode,
    pub severity: Severity,
    pub span: Span,
    /// One short line.
    pub message: String,
    /// Why it matters and what to do instead.
    pub detail: String,
}
