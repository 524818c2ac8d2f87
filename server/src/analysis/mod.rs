//! Analysis over the syntax model: static fragility lints and the fragility score.
//! Pure: model and text in, findings out.

mod finding;
pub mod fixes;
pub mod fragility;
mod lints;
pub mod selector;

pub use finding::{Finding, LintCode};
pub use lints::lint;
pub mod failures;

pub use failures::{
    Category, Correlation, CorrelationLevel, FailureAnalysis, FailureFinding, FailureSettings, FixKind, FrameRef,
    Outcome, Risk, RiskLevel, RootCause, SourceFile, Target, TestRecord, Unmapped, analyze_failures,
};
