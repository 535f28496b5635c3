//! Line classification from the parser's comment spans: a line is code when it has any non-blank character
//! outside comments, a comment line when it has comment text and no code, blank otherwise.

use std::ops::Range;

use prepai::tools::code_executor::{LONG_LINE_CHARS, SourceMeasurements};

/// Fills the line counts of `m` for `source`, given the byte ranges of comments (and docstrings).
pub(super) fn count_lines(source: &str, comments: &[Range<usize>], m: &mut SourceMeasurements) {
    let mut comment_at = vec![false; source.len() + 1];
    for range in comments {
        for flag in &mut comment_at[range.start.min(source.len())..range.end.min(source.len())] {
            *flag = true;
        }
    }
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        let mut has_code = false;
        let mut has_comment = false;
        for (i, c) in text.char_indices() {
            if c.is_whitespace() {
                continue;
            }
            if comment_at[offset + i] {
                has_comment = true;
            } else {
                has_code = true;
            }
        }
        m.total_lines += 1;
        if has_code {
            m.code_lines += 1;
        } else if has_comment {
            m.comment_lines += 1;
        } else {
            m.blank_lines += 1;
        }
        if text.chars().count() > LONG_LINE_CHARS {
            m.long_lines += 1;
        }
        offset += line.len();
    }
}

/// 1-based line of a byte offset.
pub(super) fn line_of(source: &str, offset: usize) -> u32 {
    let end = offset.min(source.len());
    let newlines = source.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

/// Lines spanned by a byte range.
pub(super) fn lines_spanned(source: &str, range: Range<usize>) -> u32 {
    line_of(source, range.end.saturating_sub(1).max(range.start)) - line_of(source, range.start) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_comment_and_blank_lines() {
        let source = "# head\n\nx = 1  # trailing\n   \n# tail";
        let comments = [0..6, 15..25, 30..36];
        let mut m = SourceMeasurements::default();
        count_lines(source, &comments, &mut m);
        assert_eq!(
            (m.total_lines, m.code_lines, m.comment_lines, m.blank_lines),
            (5, 1, 2, 2)
        );
        assert_eq!(line_of(source, 8), 3);
        assert_eq!(lines_spanned(source, 0..10), 3);
    }
}
