//! A versioned text document on a rope.

use ropey::Rope;

use super::{ByteEdit, Position, PositionEncoding, Range};

/// One `contentChanges` entry: a range replacement, or the whole text when `range` is `None`.
#[derive(Debug, Clone)]
pub struct TextChange {
    pub range: Option<Range>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error("stale change: version {got} is not newer than {have}")]
    Stale { have: i32, got: i32 },
}

#[derive(Debug, Clone)]
pub struct Document {
    rope: Rope,
    version: i32,
}

impl Document {
    pub fn new(text: &str, version: i32) -> Self {
        Document { rope: Rope::from_str(text), version }
    }

    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    pub fn len_bytes(&self) -> usize {
        self.rope.len_bytes()
    }

    /// Apply `changes` in order as version `version`. A version that is not newer than the
    /// stored one is rejected whole and nothing is applied. Returns one `ByteEdit` per change,
    /// for incremental reparsing.
    pub fn apply(
        &mut self,
        version: i32,
        changes: &[TextChange],
        encoding: PositionEncoding,
    ) -> Result<Vec<ByteEdit>, ChangeError> {
        if version <= self.version {
            return Err(ChangeError::Stale { have: self.version, got: version });
        }
        let mut edits = Vec::with_capacity(changes.len());
        for change in changes {
            edits.push(self.apply_one(change, encoding));
        }
        self.version = version;
        Ok(edits)
    }

    fn apply_one(&mut self, change: &TextChange, encoding: PositionEncoding) -> ByteEdit {
        let (start, end) = match change.range {
            Some(range) => {
                let a = self.offset(range.start, encoding);
                let b = self.offset(range.end, encoding);
                (a.min(b), a.max(b))
            }
            None => (0, self.rope.len_bytes()),
        };
        let start_point = self.point(start);
        let old_end_point = self.point(end);
        let start_char = self.rope.byte_to_char(start);
        let end_char = self.rope.byte_to_char(end);
        self.rope.remove(start_char..end_char);
        self.rope.insert(start_char, &change.text);
        let new_end = start + change.text.len();
        ByteEdit {
            start_byte: start,
            old_end_byte: end,
            new_end_byte: new_end,
            start_point,
            old_end_point,
            new_end_point: self.point(new_end),
        }
    }

    /// (row, byte column): tree-sitter's point.
    pub fn point(&self, byte: usize) -> (usize, usize) {
        let byte = byte.min(self.rope.len_bytes());
        let line = self.rope.byte_to_line(byte);
        (line, byte - self.rope.line_to_byte(line))
    }

    /// Byte length of `line` without its line terminator.
    fn line_content_end(&self, line: usize) -> usize {
        let start = self.rope.line_to_byte(line);
        let slice = self.rope.line(line);
        let mut len = slice.len_bytes();
        // Strip "\n", "\r\n" or a lone "\r".
        if len > 0 && slice.byte(len - 1) == b'\n' {
            len -= 1;
        }
        if len > 0 && slice.byte(len - 1) == b'\r' {
            len -= 1;
        }
        start + len
    }

    /// Byte offset of `pos`. Positions past the end of a line clamp to its end, past the last
    /// line to the end of the document, and inside a multi-unit character to its start.
    pub fn offset(&self, pos: Position, encoding: PositionEncoding) -> usize {
        let line = pos.line as usize;
        if line >= self.rope.len_lines() {
            return self.rope.len_bytes();
        }
        let line_start = self.rope.line_to_byte(line);
        let line_end = self.line_content_end(line);
        let col = pos.character as usize;
        match encoding {
            PositionEncoding::Utf8 => {
                let b = (line_start + col).min(line_end);
                // Snap down to a char boundary.
                self.rope.char_to_byte(self.rope.byte_to_char(b))
            }
            PositionEncoding::Utf16 => {
                let line_char = self.rope.line_to_char(line);
                let base = self.rope.char_to_utf16_cu(line_char);
                let end_char = self.rope.byte_to_char(line_end);
                let max = self.rope.char_to_utf16_cu(end_char);
                let target = (base + col).min(max);
                let ch = self.rope.utf16_cu_to_char(target);
                self.rope.char_to_byte(ch)
            }
            PositionEncoding::Utf32 => {
                let line_char = self.rope.line_to_char(line);
                let end_char = self.rope.byte_to_char(line_end);
                self.rope.char_to_byte((line_char + col).min(end_char))
            }
        }
    }

    /// Position of byte offset `byte` (snapped to a char boundary).
    pub fn position(&self, byte: usize, encoding: PositionEncoding) -> Position {
        let byte = byte.min(self.rope.len_bytes());
        let ch = self.rope.byte_to_char(byte);
        let line = self.rope.char_to_line(ch);
        let line_char = self.rope.line_to_char(line);
        let character = match encoding {
            PositionEncoding::Utf8 => self.rope.char_to_byte(ch) - self.rope.line_to_byte(line),
            PositionEncoding::Utf16 => {
                self.rope.char_to_utf16_cu(ch) - self.rope.char_to_utf16_cu(line_char)
            }
            PositionEncoding::Utf32 => ch - line_char,
        };
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, start: usize, end: usize, encoding: PositionEncoding) -> Range {
        Range::new(self.position(start, encoding), self.position(end, encoding))
    }

    /// The text of line `line` without its terminator (for excerpts).
    pub fn line_text(&self, line: usize) -> String {
        if line >= self.rope.len_lines() {
            return String::new();
        }
        let start = self.rope.line_to_byte(line);
        let end = self.line_content_end(line);
        self.rope.byte_slice(start..end).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    /// Round trip every char boundary through every encoding.
    fn check_roundtrip(text: &str) {
        let doc = Document::new(text, 0);
        for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
            for (b, _) in text.char_indices() {
                // The "\n" of a "\r\n" is inside the line terminator: not a position.
                if text[b..].starts_with('\n') && text[..b].ends_with('\r') {
                    continue;
                }
                let p = doc.position(b, enc);
                assert_eq!(doc.offset(p, enc), b, "{enc:?} byte {b} → {p:?} in {text:?}");
            }
        }
    }

    #[test]
    fn roundtrips_across_scripts_and_line_endings() {
        for text in [
            "ascii only\nsecond",
            "emoji 😀 here\n👩‍👩‍👧 family",
            "CJK 漢字テスト\n中文",
            "combining e\u{301}\u{302} marks\n",
            "crlf\r\nline two\r\nthree",
            "lone\rcr\rlines",
            "mixed\r\n\r\n\n\rend",
        ] {
            check_roundtrip(text);
        }
    }

    #[test]
    fn utf16_counts_surrogate_pairs_and_utf8_counts_bytes() {
        let doc = Document::new("a😀b\n漢x", 0);
        let b_offset = "a😀".len();
        assert_eq!(doc.position(b_offset, PositionEncoding::Utf16), pos(0, 3));
        assert_eq!(doc.position(b_offset, PositionEncoding::Utf8), pos(0, 5));
        assert_eq!(doc.position(b_offset, PositionEncoding::Utf32), pos(0, 2));
        let x_offset = "a😀b\n漢".len();
        assert_eq!(doc.position(x_offset, PositionEncoding::Utf16), pos(1, 1));
        assert_eq!(doc.position(x_offset, PositionEncoding::Utf8), pos(1, 3));
    }

    #[test]
    fn positions_inside_a_character_snap_to_its_start() {
        let doc = Document::new("a😀b", 0);
        // Between the two UTF-16 units of the emoji.
        assert_eq!(doc.offset(pos(0, 2), PositionEncoding::Utf16), 1);
        // Inside the emoji's UTF-8 bytes.
        assert_eq!(doc.offset(pos(0, 3), PositionEncoding::Utf8), 1);
    }

    #[test]
    fn positions_past_line_end_clamp_before_the_terminator() {
        let doc = Document::new("ab\r\ncd", 0);
        assert_eq!(doc.offset(pos(0, 99), PositionEncoding::Utf16), 2);
        assert_eq!(doc.offset(pos(9, 0), PositionEncoding::Utf16), doc.len_bytes());
        let doc = Document::new("ab\rcd", 0);
        assert_eq!(doc.position(3, PositionEncoding::Utf16), pos(1, 0), "lone CR ends a line");
    }

    #[test]
    fn separators_that_lsp_does_not_count_are_not_lines() {
        // U+2028 and U+0085 are not line breaks in LSP.
        let doc = Document::new("a\u{2028}b\u{85}c\nd", 0);
        assert_eq!(doc.position("a\u{2028}b\u{85}c\n".len(), PositionEncoding::Utf16), pos(1, 0));
    }

    fn change(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> TextChange {
        TextChange { range: Some(Range::new(pos(sl, sc), pos(el, ec))), text: text.into() }
    }

    #[test]
    fn incremental_changes_apply_in_order_with_utf16_ranges() {
        let mut doc = Document::new("const a = '😀';\nfoo()\n", 1);
        let edits = doc
            .apply(
                2,
                &[change(0, 11, 0, 13, "ok"), change(1, 0, 1, 3, "barbaz")],
                PositionEncoding::Utf16,
            )
            .unwrap();
        assert_eq!(doc.text(), "const a = 'ok';\nbarbaz()\n");
        assert_eq!(edits[0].start_byte, 11);
        assert_eq!(edits[0].old_end_byte, 15);
        assert_eq!(edits[0].new_end_byte, 13);
        assert_eq!(edits[1].start_point, (1, 0));
        assert_eq!(edits[1].new_end_point, (1, 6));
        assert_eq!(doc.version(), 2);
    }

    #[test]
    fn full_change_replaces_everything() {
        let mut doc = Document::new("old", 1);
        let edits = doc
            .apply(5, &[TextChange { range: None, text: "new\ntext".into() }], PositionEncoding::Utf8)
            .unwrap();
        assert_eq!(doc.text(), "new\ntext");
        assert_eq!(edits[0].old_end_byte, 3);
        assert_eq!(edits[0].new_end_point, (1, 4));
    }

    #[test]
    fn stale_or_equal_versions_are_rejected_and_not_applied() {
        let mut doc = Document::new("keep", 3);
        let err = doc.apply(3, &[change(0, 0, 0, 4, "lost")], PositionEncoding::Utf16).unwrap_err();
        assert_eq!(err, ChangeError::Stale { have: 3, got: 3 });
        assert!(doc.apply(2, &[change(0, 0, 0, 4, "lost")], PositionEncoding::Utf16).is_err());
        assert_eq!(doc.text(), "keep");
        assert_eq!(doc.version(), 3);
    }

    #[test]
    fn negotiation_prefers_utf8_then_falls_back_to_utf16() {
        assert_eq!(PositionEncoding::negotiate(["utf-16", "utf-8"]), PositionEncoding::Utf8);
        assert_eq!(PositionEncoding::negotiate(["utf-32", "utf-16"]), PositionEncoding::Utf16);
        assert_eq!(PositionEncoding::negotiate([]), PositionEncoding::Utf16);
    }
}
