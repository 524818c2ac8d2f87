//! Reading test sources from disk, refusing what is not text we can parse.

use std::path::Path;

/// Why a file was left out; `Display` names what was wrong and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Skipped {
    #[error("skipped: {size} bytes is over max_file_size ({limit} bytes)")]
    TooLarge { size: u64, limit: u64 },
    #[error("skipped: binary content (NUL byte at byte {offset})")]
    Binary { offset: usize },
    #[error("skipped: not valid UTF-8 at line {line}, column {column}")]
    NotUtf8 { line: usize, column: usize },
    #[error("skipped: cannot read: {0}")]
    Io(String),
}

/// Read `path` as UTF-8 source text no larger than `limit` bytes.
pub fn read_source(path: &Path, limit: u64) -> Result<String, Skipped> {
    let size = std::fs::metadata(path).map_err(|e| Skipped::Io(e.to_string()))?.len();
    if size > limit {
        return Err(Skipped::TooLarge { size, limit });
    }
    let bytes = std::fs::read(path).map_err(|e| Skipped::Io(e.to_string()))?;
    decode(bytes)
}

/// Bytes → text, refusing binary files (a NUL in the first 8 KiB, like git) and invalid UTF-8.
pub fn decode(bytes: Vec<u8>) -> Result<String, Skipped> {
    if let Some(offset) = bytes.iter().take(8192).position(|&b| b == 0) {
        return Err(Skipped::Binary { offset });
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = &bytes[..valid];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
        Skipped::NotUtf8 { line, column }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_binary_and_names_the_position_of_bad_utf8() {
        assert_eq!(decode(b"ok\n".to_vec()).unwrap(), "ok\n");
        assert_eq!(decode(b"\x7fELF\0\x01".to_vec()), Err(Skipped::Binary { offset: 4 }));
        let err = decode(b"line one\nab\xffcd".to_vec()).unwrap_err();
        assert_eq!(err, Skipped::NotUtf8 { line: 2, column: 3 });
        assert_eq!(err.to_string(), "skipped: not valid UTF-8 at line 2, column 3");
    }
}
