//! 1-based line/column for terminal output. Columns count Unicode characters (SARIF's
//! `unicodeCodePoints`), so they match what an editor shows for any script.

use crate::syntax::Span;
use crate::text::{Document, PositionEncoding};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

pub fn of_span(doc: &Document, span: Span) -> Location {
    let start = doc.position(span.start, PositionEncoding::Utf32);
    let end = doc.position(span.end, PositionEncoding::Utf32);
    Location {
        line: start.line as usize + 1,
        column: start.character as usize + 1,
        end_line: end.line as usize + 1,
        end_column: end.character as usize + 1,
    }
}
