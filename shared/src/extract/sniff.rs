//! Recognising a file by its content: browsers send whatever extension and content type the user's file had, so
//! neither decides what parser runs.

use crate::ports::{DocumentKind, ExtractError, ImageFormat};

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Recognises PDF (`%PDF-` within the first KiB, as readers allow), DOCX (a ZIP holding `word/document.xml`),
/// images, and plain text; refuses OLE compound files (Word 97-2003 `.doc`, or any Office file with an open
/// password, which Office wraps in OLE) and everything else with a message naming what the file appears to be.
pub fn sniff(bytes: &[u8]) -> Result<DocumentKind, ExtractError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::Empty);
    }
    let head = &bytes[..bytes.len().min(1024)];
    if find(head, b"%PDF-").is_some() {
        return Ok(DocumentKind::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return zip_kind(bytes);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Err(ole_kind(bytes));
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(DocumentKind::Image(ImageFormat::Png));
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(DocumentKind::Image(ImageFormat::Jpeg));
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return Ok(DocumentKind::Image(ImageFormat::Tiff));
    }
    if bytes.starts_with(b"{\\rtf") {
        return Err(unsupported("an RTF document"));
    }
    for (magic, what) in [
        (&b"GIF8"[..], "a GIF image"),
        (b"RIFF", "a RIFF media file"),
        (b"\x1f\x8b", "a gzip archive"),
        (b"7z\xbc\xaf", "a 7-Zip archive"),
        (b"Rar!", "a RAR archive"),
        (b"\x7fELF", "a program"),
        (b"MZ", "a Windows program"),
    ] {
        if bytes.starts_with(magic) {
            return Err(unsupported(what));
        }
    }
    if super::txt::looks_like_text(bytes) {
        return Ok(DocumentKind::Text);
    }
    Err(unsupported("this file's format"))
}

fn unsupported(found: &str) -> ExtractError {
    ExtractError::Unsupported {
        found: found.to_owned(),
    }
}

/// Member names are stored uncompressed in a ZIP's headers, so a byte search tells the package type without
/// inflating anything; the DOCX reader checks the archive properly afterwards.
fn zip_kind(bytes: &[u8]) -> Result<DocumentKind, ExtractError> {
    if find(bytes, b"word/document.xml").is_some() {
        return Ok(DocumentKind::Docx);
    }
    // Without its end-of-central-directory record the archive was cut off (an interrupted download or upload):
    // its type cannot be told, and "damaged" is the useful answer.
    let tail = &bytes[bytes.len().saturating_sub(65_557)..];
    if find(tail, b"PK\x05\x06").is_none() {
        return Err(ExtractError::Corrupt {
            format: "DOCX",
            detail: "it is cut off: the end of its ZIP directory is missing".into(),
        });
    }
    let what = if find(bytes, b"application/vnd.oasis.opendocument.text").is_some() {
        "an OpenDocument text (.odt)"
    } else if find(bytes, b"xl/workbook.xml").is_some() {
        "an Excel workbook"
    } else if find(bytes, b"ppt/presentation.xml").is_some() {
        "a PowerPoint presentation"
    } else if find(bytes, b"application/vnd.apple.pages").is_some()
        || find(bytes, b"Index/Document.iwa").is_some()
    {
        "a Pages document"
    } else {
        "a ZIP archive that is not a Word document"
    };
    Err(unsupported(what))
}

/// Directory entries in an OLE file are UTF-16LE names: `EncryptedPackage` marks an encrypted OOXML file,
/// `WordDocument` a Word 97-2003 document.
fn ole_kind(bytes: &[u8]) -> ExtractError {
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    if find(bytes, &utf16("EncryptedPackage")).is_some() {
        ExtractError::PasswordProtected
    } else if find(bytes, &utf16("WordDocument")).is_some() {
        ExtractError::LegacyWord
    } else {
        unsupported("an old Office (OLE) file")
    }
}

pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Ok(DocumentKind::Pdf));
        assert_eq!(
            sniff(b"\xef\xbb\xbfJane Doe\njane@example.com\n"),
            Ok(DocumentKind::Text)
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0"),
            Ok(DocumentKind::Image(ImageFormat::Png))
        );
        assert_eq!(sniff(b"  \n\t"), Err(ExtractError::Empty));
        assert_eq!(sniff(b""), Err(ExtractError::Empty));
    }

    #[test]
    fn refuses_what_it_cannot_read_with_a_reason() {
        let rtf = sniff(b"{\\rtf1\\ansi hello}").unwrap_err();
        assert!(rtf.is_unsupported_type());
        assert!(rtf.to_string().contains("RTF"), "{rtf}");
        let xlsx = sniff(b"PK\x03\x04....xl/workbook.xml....PK\x05\x06....").unwrap_err();
        assert!(xlsx.to_string().contains("Excel"), "{xlsx}");
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(sniff(&ole), Err(ExtractError::LegacyWord));
        let mut encrypted = OLE_MAGIC.to_vec();
        encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(sniff(&encrypted), Err(ExtractError::PasswordProtected));
        assert!(sniff(&[0u8, 1, 2, 3, 0, 0, 0xff, 0xfe, 7]).is_err());
    }
}
