//! Documents and positions: ropey text, versions, and conversions between byte offsets and
//! editor positions in the negotiated encoding. Pure, no IO.

mod document;
mod encoding;
mod lines;

pub use document::{ChangeError, Document, TextChange};
pub use encoding::{Position, PositionEncoding, Range};
pub use lines::LineIndex;

/// An edit in byte offsets and (row, byte column) points: what tree-sitter needs to reuse a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteEdit {
    pub start_byte: usize,
    pub old_end_byte: usize,
    pub new_end_byte: usize,
    pub start_point: (usize, usize),
    pub old_end_point: (usize, usize),
    pub new_end_point: (usize, usize),
}
