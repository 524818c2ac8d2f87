//! Output formats of `check`. These are a public contract: keep them stable.

mod human;
mod json;
mod sarif;

pub use human::human;
pub use json::json;
pub use sarif::sarif;

use crate::analysis::LintCode;
use crate::config::Severity;

use super::location::Location;

/// One finding, ready to print.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Relative to the current directory when under it.
    pub file: String,
    pub location: Location,
    pub severity: Severity,
    pub code: LintCode,
    /// The short first line.
    pub message: String,
    pub detail: String,
    /// The source line the finding starts on.
    pub excerpt: String,
}
