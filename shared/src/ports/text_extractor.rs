//! Reading a resume's text: the local extractor (PDF, DOCX, plain text) or Amazon Textract in front of it for
//! scans. The types a caller and an extractor exchange live here, beside the trait.

use std::fmt;

use async_trait::async_trait;
use bytes::Bytes;
use serde::Serialize;

use super::ObjectKey;

/// What a file is, judged by its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    Pdf,
    Docx,
    /// Plain text in an encoding we can decode.
    Text,
    /// A picture of a page; only OCR reads it.
    Image(ImageFormat),
}

/// The image formats Textract reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    Png,
    Jpeg,
    Tiff,
}

impl DocumentKind {
    /// A short name for messages ("PDF", "DOCX", …).
    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Docx => "DOCX",
            Self::Text => "text",
            Self::Image(_) => "image",
        }
    }

    /// The file extension a stored copy gets, whatever the upload was called.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Docx => "docx",
            Self::Text => "txt",
            Self::Image(ImageFormat::Png) => "png",
            Self::Image(ImageFormat::Jpeg) => "jpg",
            Self::Image(ImageFormat::Tiff) => "tiff",
        }
    }

    /// The MIME type the stored copy is described with.
    pub fn mime_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Text => "text/plain",
            Self::Image(ImageFormat::Png) => "image/png",
            Self::Image(ImageFormat::Jpeg) => "image/jpeg",
            Self::Image(ImageFormat::Tiff) => "image/tiff",
        }
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Why a file yielded no usable text. Messages are written for the candidate who uploaded it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("the file is empty")]
    Empty,
    /// Not a format we read; `found` says what it looks like.
    #[error("{found} is not supported: upload your resume as PDF, DOCX or plain text")]
    Unsupported { found: String },
    #[error(
        "this is an old Word 97-2003 (.doc) file, which we cannot read: save it as .docx or PDF and upload it again"
    )]
    LegacyWord,
    #[error(
        "the document is password-protected: remove the password (or export an unprotected copy) and upload it again"
    )]
    PasswordProtected,
    /// A PDF whose pages are pictures: its text needs OCR, which only Textract provides here.
    #[error(
        "scanned document: OCR needs Textract, which is not enabled (the PDF has no readable text: its pages are pictures, or its fonts do not map to letters); upload a PDF with selectable text, a DOCX or a text file"
    )]
    Scanned { pages: usize },
    #[error(
        "the {format} file looks damaged ({detail}); open it, save or export it again, and re-upload"
    )]
    Corrupt {
        format: &'static str,
        detail: String,
    },
    /// A compressed part expands past [`Limits`]: a decompression bomb, or nothing a resume needs.
    #[error(
        "the {format} file unpacks to more than {limit_mb} MB, far more than a resume holds; it was not expanded"
    )]
    TooLarge { format: &'static str, limit_mb: u64 },
    #[error("the document has {pages} pages; resumes of up to {max} pages are accepted")]
    TooManyPages { pages: usize, max: usize },
    #[error(
        "reading the document took longer than {secs} seconds; simplify it or export it again as PDF"
    )]
    TimedOut { secs: u64 },
    #[error(
        "no text was found in the {format} file; if it holds only pictures of your resume, upload the document it was made from, a PDF with selectable text, or a text file"
    )]
    NoText { format: &'static str },
}

impl ExtractError {
    /// Whether the file is of a type we do not read (415) rather than a readable type gone wrong (422).
    pub fn is_unsupported_type(&self) -> bool {
        matches!(self, Self::Unsupported { .. } | Self::LegacyWord)
    }

    /// A stable code for API errors and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty_file",
            Self::Unsupported { .. } => "unsupported_type",
            Self::LegacyWord => "legacy_word_document",
            Self::PasswordProtected => "password_protected",
            Self::Scanned { .. } => "scanned_document",
            Self::Corrupt { .. } => "corrupt_document",
            Self::TooLarge { .. } => "decompression_limit",
            Self::TooManyPages { .. } => "too_many_pages",
            Self::TimedOut { .. } => "extraction_timeout",
            Self::NoText { .. } => "no_text",
        }
    }
}

/// A file to read: its bytes, its recognised kind, and where it was stored (Textract's asynchronous API reads
/// multi-page documents from S3, not from the request).
#[derive(Clone, Debug)]
pub struct Document {
    pub bytes: Bytes,
    pub kind: DocumentKind,
    pub stored_at: Option<ObjectKey>,
}

/// How the text was obtained, recorded with the analysis so a poor result can be traced to its source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExtractionMethod {
    PdfTextLayer,
    Docx,
    PlainText,
    Textract,
}

/// Text read from a document, NFKC-normalised, with blank-line-separated pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtractedText {
    pub text: String,
    pub kind: DocumentKind,
    /// Pages for a PDF; 1 otherwise.
    pub pages: usize,
    pub method: ExtractionMethod,
    /// The text's encoding, for plain text ("UTF-8", "UTF-16LE", "windows-1252", …).
    pub encoding: Option<&'static str>,
}

/// The text-extraction port: the local extractor, or Textract in front of it.
#[async_trait]
pub trait TextExtractor: Send + Sync {
    /// Whether this extractor reads `kind` at all (images need Textract).
    fn accepts(&self, kind: DocumentKind) -> bool;

    /// The document's text, or why there is none.
    async fn extract(&self, document: &Document) -> Result<ExtractedText, ExtractError>;
}
