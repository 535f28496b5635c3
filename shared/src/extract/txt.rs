//! Plain-text resumes: UTF-8 (with or without BOM), UTF-16 with a BOM, and Latin-1 — read as windows-1252, its
//! superset that Windows editors actually write, as the WHATWG encoding standard does for "latin1".

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

use super::ExtractError;

/// The text and the name of the encoding it was in.
pub(super) fn decode(bytes: &[u8]) -> Result<(String, &'static str), ExtractError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest).map(|t| (t, "UTF-8"));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let (text, _) = UTF_16LE.decode_without_bom_handling(rest);
        return Ok((text.into_owned(), "UTF-16LE"));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let (text, _) = UTF_16BE.decode_without_bom_handling(rest);
        return Ok((text.into_owned(), "UTF-16BE"));
    }
    if let Some(encoding) = bomless_utf16(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return Ok((text.into_owned(), encoding.name()));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), "UTF-8"));
    }
    if bytes.contains(&0) {
        return Err(ExtractError::Unsupported {
            found: "binary data".into(),
        });
    }
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
    Ok((text.into_owned(), "windows-1252"))
}

fn utf8(bytes: &[u8]) -> Result<String, ExtractError> {
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

/// UTF-16 without a BOM shows as ASCII text with every other byte zero; Notepad wrote such files for years.
fn bomless_utf16(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.len() < 8 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let pairs = sample.len() / 2;
    let even_zero = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_zero = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd_zero * 10 >= pairs * 7 && even_zero * 10 <= pairs {
        Some(UTF_16LE)
    } else if even_zero * 10 >= pairs * 7 && odd_zero * 10 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Whether `bytes` decode to text a person wrote: a BOM, or mostly printable characters with no NULs (outside
/// UTF-16) and few control characters.
pub(super) fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xEF\xBB\xBF")
        || bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
    {
        return true;
    }
    if bomless_utf16(bytes).is_some() {
        return true;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return false;
    }
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    if controls * 100 > sample.len() {
        return false;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        // A multi-byte character cut by the sample's end is still UTF-8.
        Err(e) if e.error_len().is_none() => true,
        // windows-1252: accept when letters and spaces dominate.
        Err(_) => {
            let plausible = sample
                .iter()
                .filter(|&&b| b.is_ascii_alphanumeric() || b.is_ascii_whitespace() || b >= 0xC0)
                .count();
            plausible * 10 >= sample.len() * 7
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_usual_encodings() {
        let text = "Łukasz Wiśniewski – Kraków";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le).unwrap(), (text.to_owned(), "UTF-16LE"));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap(), (text.to_owned(), "UTF-16BE"));
        let bomless: Vec<u8> = "Jane Doe, engineer"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&bomless).unwrap().0, "Jane Doe, engineer");
        assert_eq!(
            decode(b"Fran\xe7ois Lef\xe8vre \x96 Paris").unwrap(),
            ("François Lefèvre – Paris".to_owned(), "windows-1252")
        );
        assert_eq!(decode("José".as_bytes()).unwrap().1, "UTF-8");
    }

    #[test]
    fn binary_is_not_text() {
        assert!(!looks_like_text(&[0x00, 0x01, 0x02, 0x03, 0x10, 0x11]));
        assert!(looks_like_text(b"Fran\xe7ois Lef\xe8vre"));
        assert!(looks_like_text("Zoë".as_bytes()));
    }
}
