//! Positions of byte offsets in plain text, without building a rope: for summaries of files
//! that are read, parsed and dropped (the workspace index, listings).

use super::{Position, PositionEncoding, Range};

/// Line starts found in one pass (LF, CRLF and a lone CR end a line, as in `Document`);
/// columns are counted within the line on demand.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(0);
        if bytes.contains(&b'\r') {
            for (i, b) in bytes.iter().enumerate() {
                match b {
                    b'\n' => starts.push(i + 1),
                    b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                    _ => {}
                }
            }
        } else {
            for (i, b) in bytes.iter().enumerate() {
                if *b == b'\n' {
                    starts.push(i + 1);
                }
            }
        }
        LineIndex { text, starts }
    }

    /// Position of byte offset `byte` (snapped down to a char boundary), as
    /// `Document::position` gives it.
    pub fn position(&self, byte: usize, encoding: PositionEncoding) -> Position {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.starts.partition_point(|s| *s <= byte) - 1;
        let head = &self.text[self.starts[line]..byte];
        let character = match encoding {
            PositionEncoding::Utf8 => head.len(),
            PositionEncoding::Utf16 => head.chars().map(char::len_utf16).sum(),
            PositionEncoding::Utf32 => head.chars().count(),
        };
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, start: usize, end: usize, encoding: PositionEncoding) -> Range {
        Range::new(self.position(start, encoding), self.position(end, encoding))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Document;

    #[test]
    fn positions_equal_the_documents_at_every_byte() {
        for text in [
            "",
            "ascii only\nsecond",
            "emoji 😀 here\n👩‍👩‍👧 family",
            "CJK 漢字テスト\n中文",
            "combining e\u{301}\u{302} marks\n",
            "crlf\r\nline two\r\nthree\r\n",
            "lone\rcr\rlines\r",
            "mixed\r\n\r\n\n\rend",
            "a\u{2028}b\u{85}c\nd",
        ] {
            let doc = Document::new(text, 0);
            let lines = LineIndex::new(text);
            for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
                for b in 0..=text.len() + 1 {
                    assert_eq!(lines.position(b, enc), doc.position(b, enc), "{enc:?} byte {b} in {text:?}");
                }
            }
        }
    }
}
