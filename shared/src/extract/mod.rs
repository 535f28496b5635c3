//! Resume text extraction: PDF, DOCX and plain text read locally, and Amazon Textract for scans when configured.
//!
//! Resume parsers elsewhere fail quietly: an empty extraction becomes a sample resume, DOCX is claimed and refused,
//! two-column layouts come out interleaved. Here every failure is an [`ExtractError`] whose message a candidate can
//! act on, the format is recognised by content ([`sniff`]), and PDF reading order comes from glyph positions
//! (a two-column page reads column by column).
//!
//! Untrusted files are parsed under [`Limits`]: a size cap, a page cap, a cap on decompressed bytes (a zip or
//! PDF-stream bomb is refused, not expanded), a time limit, and `catch_unwind` around the PDF parser, which
//! panics on some corrupt files. Parsing is CPU-bound and runs on tokio's blocking pool.

mod docx;
mod layout;
mod pdf;
mod sniff;
mod txt;

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use unicode_normalization::UnicodeNormalization;

pub use crate::ports::{
    Document, DocumentKind, ExtractError, ExtractedText, ExtractionMethod, ImageFormat,
    TextExtractor,
};
pub use sniff::sniff;

/// The resource limits every local extraction runs under.
#[derive(Clone, Debug)]
pub struct Limits {
    /// The largest file accepted (the upload route's limit; see `handlers::cv`).
    pub max_file_bytes: usize,
    /// Resumes are short; a 200-page PDF is a book or an attack, and costs time either way.
    pub max_pages: usize,
    /// The most bytes any one compressed part (a DOCX member, a PDF stream) may expand to.
    pub max_part_bytes: u64,
    /// The most bytes all compressed parts of one file may expand to together.
    pub max_total_bytes: u64,
    /// Wall-clock budget for one file; checked between pages and glyphs, and enforced again around the blocking
    /// task.
    pub time_limit: Duration,
    /// The longest text kept; anything past it is not a resume's content.
    pub max_text_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 5 * 1024 * 1024,
            max_pages: 30,
            max_part_bytes: 32 * 1024 * 1024,
            max_total_bytes: 64 * 1024 * 1024,
            time_limit: Duration::from_secs(10),
            max_text_chars: 200_000,
        }
    }
}

/// Reads PDF (text layer), DOCX and plain text in-process, under [`Limits`].
#[derive(Clone, Debug, Default)]
pub struct LocalExtractor {
    limits: Limits,
}

impl LocalExtractor {
    pub fn new(limits: Limits) -> Self {
        Self { limits }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The synchronous extraction, for callers already off the async runtime (benches, the blocking pool).
    pub fn extract_blocking(
        &self,
        bytes: &[u8],
        kind: DocumentKind,
    ) -> Result<ExtractedText, ExtractError> {
        if bytes.len() > self.limits.max_file_bytes {
            return Err(ExtractError::TooLarge {
                format: kind.label(),
                limit_mb: (self.limits.max_file_bytes / (1024 * 1024)) as u64,
            });
        }
        let deadline = Instant::now() + self.limits.time_limit;
        let (raw, pages, method, encoding) = match kind {
            DocumentKind::Pdf => {
                let (text, pages) = pdf::extract(bytes, &self.limits, deadline)?;
                (text, pages, ExtractionMethod::PdfTextLayer, None)
            }
            DocumentKind::Docx => (
                docx::extract(bytes, &self.limits, deadline)?,
                1,
                ExtractionMethod::Docx,
                None,
            ),
            DocumentKind::Text => {
                let (text, encoding) = txt::decode(bytes)?;
                (text, 1, ExtractionMethod::PlainText, Some(encoding))
            }
            DocumentKind::Image(_) => {
                return Err(ExtractError::Scanned { pages: 1 });
            }
        };
        let text = normalise(&raw, self.limits.max_text_chars);
        // A PDF text layer from fonts without a mapping to Unicode comes out as symbols: no better than none.
        let garbled = kind == DocumentKind::Pdf && !mostly_letters(&text);
        if garbled || text.chars().filter(|c| c.is_alphanumeric()).count() == 0 {
            return Err(match kind {
                DocumentKind::Pdf => ExtractError::Scanned { pages },
                other => ExtractError::NoText {
                    format: other.label(),
                },
            });
        }
        Ok(ExtractedText {
            text,
            kind,
            pages,
            method,
            encoding,
        })
    }
}

#[async_trait]
impl TextExtractor for LocalExtractor {
    fn accepts(&self, kind: DocumentKind) -> bool {
        !matches!(kind, DocumentKind::Image(_))
    }

    async fn extract(&self, document: &Document) -> Result<ExtractedText, ExtractError> {
        let this = self.clone();
        let bytes = document.bytes.clone();
        let kind = document.kind;
        let budget = self.limits.time_limit + Duration::from_secs(2);
        let task = tokio::task::spawn_blocking(move || this.extract_blocking(&bytes, kind));
        match tokio::time::timeout(budget, task).await {
            Ok(Ok(result)) => result,
            // The blocking task itself panicked outside the parser's own guard: treat the file as unreadable.
            Ok(Err(join)) => Err(ExtractError::Corrupt {
                format: kind.label(),
                detail: format!("the reader stopped: {join}"),
            }),
            Err(_) => Err(ExtractError::TimedOut {
                secs: budget.as_secs(),
            }),
        }
    }
}

/// The default extractor: local only.
pub fn local() -> Arc<dyn TextExtractor> {
    Arc::new(LocalExtractor::default())
}

/// A character from a private-use area, where icon fonts and symbol fonts put their glyphs.
fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}')
}

/// Whether extracted text reads like language rather than a broken font mapping (no ToUnicode, symbol fonts):
/// mostly letters and ordinary punctuation, few replacement or private-use characters, some words.
pub fn looks_readable(text: &str) -> bool {
    let words = text
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
        .count();
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    visible >= 40 && words >= 8 && mostly_letters(text)
}

/// Letters make up half the visible characters at least, and replacement, private-use and control characters a
/// twentieth at most: true of any language's text however short, false of a symbol font read without its map.
fn mostly_letters(text: &str) -> bool {
    let mut letters = 0usize;
    let mut suspicious = 0usize;
    let mut visible = 0usize;
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        visible += 1;
        if c.is_alphabetic() {
            letters += 1;
        }
        if c == '\u{FFFD}' || ('\u{E000}'..='\u{F8FF}').contains(&c) || c.is_control() {
            suspicious += 1;
        }
    }
    letters * 2 >= visible && suspicious * 20 <= visible
}

/// NFKC (ligatures such as "ﬁ" become "fi", non-breaking spaces become spaces), one line ending, no control or
/// invisible characters, trailing blanks trimmed, at most one blank line in a row, capped in length.
pub fn normalise(raw: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut blank_run = 0;
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    for line in unified.nfkc().collect::<String>().split('\n') {
        let mut leading = true;
        let cleaned: String = line
            .chars()
            .filter(|&c| {
                // An icon-font glyph (private use) inside a line is an icon; at the start it may be a bullet.
                let keep = c == '\t'
                    || !(c.is_control()
                        || (is_private_use(c) && !leading)
                        || matches!(
                            c,
                            '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
                        ));
                leading &= c.is_whitespace();
                keep
            })
            .collect();
        let cleaned = cleaned.trim_end();
        // A word hyphenated at the line's end by typesetting (U+2010, which NFKC makes of U+2011 too) is joined
        // again when the next line continues it in lower case.
        if out.ends_with("\u{2010}\n")
            && cleaned.starts_with(|c: char| c.is_lowercase())
            && out[..out.len() - "\u{2010}\n".len()]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic)
            && blank_run == 0
        {
            out.truncate(out.len() - "\u{2010}\n".len());
            out.push_str(cleaned);
            out.push('\n');
            continue;
        }
        if cleaned.trim().is_empty() {
            blank_run += 1;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
            out.push('\n');
            continue;
        }
        blank_run = 0;
        out.push_str(cleaned);
        out.push('\n');
        if out.len() > max_chars * 4 {
            break;
        }
    }
    // The typographic hyphens (U+2010, and U+2011 which NFKC folds into it) read as the hyphen-minus people type.
    let trimmed = out.trim_end().replace('\u{2010}', "-");
    trimmed.chars().take(max_chars).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_applies_nfkc_and_tidies_lines() {
        let raw = "\u{FB01}nance\u{00A0}team\r\n\r\n\r\n\r\nnext\u{200B} line  \u{7}\n";
        assert_eq!(normalise(raw, 1000), "finance team\n\nnext line");
    }

    #[test]
    fn readable_text_is_told_from_garbage() {
        let good = "Ada Lovelace Senior Software Engineer with experience in distributed systems and APIs \
                    building payment services";
        assert!(looks_readable(good));
        let garbled: String = "\u{E001}\u{E002}\u{E003} ".repeat(30);
        assert!(!looks_readable(&garbled));
        assert!(!looks_readable("1 2 3"));
    }

    #[test]
    fn icons_are_dropped_and_typeset_hyphenation_is_joined() {
        let raw = "\u{F0E0} ada@example.com \u{F095} 555 0100\n\u{F0B7} Built the en\u{2011}\nterprise \
                   portal\nCo\u{2011}founder";
        // The glyph that starts a line stays: it may be a symbol font's bullet, which the analyser recognises.
        assert_eq!(
            normalise(raw, 1000),
            "\u{F0E0} ada@example.com  555 0100\n\u{F0B7} Built the enterprise portal\nCo-founder"
        );
        let garbled = "\u{A7}\u{B6}\u{F0}\u{D7}#I ".repeat(10);
        assert!(!mostly_letters(&garbled));
        assert!(mostly_letters("Ada Lovelace"));
    }
}
