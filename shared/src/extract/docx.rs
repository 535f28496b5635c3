//! DOCX: a small reader over `zip` + `quick-xml` rather than a DOCX crate, because the existing ones drop tabs and
//! breaks, duplicate text boxes (their `mc:Fallback` copy) or move tables to the end — all of which break the
//! line structure the analyzer relies on (a title and its dates on one line, a table row on one line).
//!
//! Read: page headers (where many resumes put the name and contact line), the body, footers; `w:t` text,
//! `w:tab`/`w:ptab` as tabs, `w:br`/`w:cr` and paragraph ends as newlines, table rows as tab-separated lines,
//! text boxes in place. Skipped: `mc:Fallback` (a legacy duplicate of its `mc:Choice`), deleted revisions
//! (`w:delText`), field codes (`w:instrText`) and tab-stop definitions in paragraph properties.

use std::io::{Cursor, Read};
use std::time::Instant;

use quick_xml::Reader;
use quick_xml::events::{BytesRef, Event};

use super::{ExtractError, Limits};

const FORMAT: &str = "DOCX";

/// The text of a DOCX file, headers first, footers last.
pub(super) fn extract(
    bytes: &[u8],
    limits: &Limits,
    deadline: Instant,
) -> Result<String, ExtractError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
    let mut headers = Vec::new();
    let mut footers = Vec::new();
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect();
    for name in names {
        if let Some(n) = part_number(&name, "word/header") {
            headers.push((n, name));
        } else if let Some(n) = part_number(&name, "word/footer") {
            footers.push((n, name));
        }
    }
    headers.sort();
    footers.sort();
    let mut budget = Budget {
        per_part: limits.max_part_bytes,
        remaining: limits.max_total_bytes,
    };
    let document = read_part(&mut archive, "word/document.xml", &mut budget)?.ok_or_else(|| {
        ExtractError::Corrupt {
            format: FORMAT,
            detail: "it has no word/document.xml".into(),
        }
    })?;

    let mut out = String::new();
    let mut seen = Vec::<String>::new();
    for (_, name) in &headers {
        check_deadline(deadline, limits)?;
        if let Some(xml) = read_part(&mut archive, name, &mut budget)? {
            // A damaged header costs its own text, not the resume.
            if let Ok(text) = part_text(&xml, deadline, limits) {
                push_unique(&mut out, &mut seen, text);
            }
        }
    }
    check_deadline(deadline, limits)?;
    let body = part_text(&document, deadline, limits)?;
    out.push_str(body.trim_end());
    out.push('\n');
    for (_, name) in &footers {
        check_deadline(deadline, limits)?;
        if let Some(xml) = read_part(&mut archive, name, &mut budget)?
            && let Ok(text) = part_text(&xml, deadline, limits)
        {
            push_unique(&mut out, &mut seen, text);
        }
    }
    Ok(out)
}

/// `word/header12.xml` → 12.
fn part_number(name: &str, prefix: &str) -> Option<u32> {
    name.strip_prefix(prefix)?
        .strip_suffix(".xml")?
        .parse()
        .ok()
}

/// First, default and even-page headers often repeat one another; each distinct text is kept once.
fn push_unique(out: &mut String, seen: &mut Vec<String>, text: String) {
    let key: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if key.is_empty() || seen.contains(&key) {
        return;
    }
    seen.push(key);
    out.push_str(text.trim_end());
    out.push('\n');
}

struct Budget {
    per_part: u64,
    remaining: u64,
}

/// Inflates one member through a reader capped at the budget, so a bomb stops at the cap instead of filling
/// memory; the sizes the archive declares are not trusted.
fn read_part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    budget: &mut Budget,
) -> Result<Option<Vec<u8>>, ExtractError> {
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(zip_error(e)),
    };
    let cap = budget.per_part.min(budget.remaining);
    let mut xml = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut xml)
        .map_err(|e| ExtractError::Corrupt {
            format: FORMAT,
            detail: format!("{name} does not unpack: {e}"),
        })?;
    if xml.len() as u64 > cap {
        return Err(ExtractError::TooLarge {
            format: FORMAT,
            limit_mb: cap / (1024 * 1024),
        });
    }
    budget.remaining -= xml.len() as u64;
    Ok(Some(xml))
}

fn zip_error(e: zip::result::ZipError) -> ExtractError {
    match e {
        zip::result::ZipError::UnsupportedArchive(what) if what.contains("assword") => {
            ExtractError::PasswordProtected
        }
        other => ExtractError::Corrupt {
            format: FORMAT,
            detail: other.to_string(),
        },
    }
}

fn check_deadline(deadline: Instant, limits: &Limits) -> Result<(), ExtractError> {
    if Instant::now() > deadline {
        return Err(ExtractError::TimedOut {
            secs: limits.time_limit.as_secs(),
        });
    }
    Ok(())
}

/// One table row being read: its cells' texts so far.
#[derive(Default)]
struct Row {
    cells: Vec<String>,
}

/// The text of one WordprocessingML part.
fn part_text(xml: &[u8], deadline: Instant, limits: &Limits) -> Result<String, ExtractError> {
    let mut reader = Reader::from_reader(xml);
    // Where text goes: the part, or the innermost open table cell or text box.
    let mut sinks: Vec<String> = vec![String::new()];
    let mut rows: Vec<Row> = Vec::new();
    let mut in_text = false;
    let mut fallback_depth = 0usize;
    let mut properties_depth = 0usize;
    let mut events = 0usize;
    loop {
        events += 1;
        if events.is_multiple_of(4096) {
            check_deadline(deadline, limits)?;
        }
        let event = reader.read_event().map_err(|e| ExtractError::Corrupt {
            format: FORMAT,
            detail: format!("its XML is malformed: {e}"),
        })?;
        match event {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.name();
                let name = name.as_ref();
                if name == b"mc:Fallback" {
                    fallback_depth += 1;
                }
                if fallback_depth > 0 {
                    continue;
                }
                match name {
                    b"w:t" => in_text = true,
                    b"w:pPr" | b"w:rPr" | b"w:sectPr" => properties_depth += 1,
                    b"w:tr" => rows.push(Row::default()),
                    b"w:tc" | b"w:txbxContent" => sinks.push(String::new()),
                    _ => {}
                }
            }
            Event::End(e) => {
                let name = e.name();
                let name = name.as_ref();
                if name == b"mc:Fallback" {
                    fallback_depth = fallback_depth.saturating_sub(1);
                    continue;
                }
                if fallback_depth > 0 {
                    continue;
                }
                match name {
                    b"w:t" => in_text = false,
                    b"w:pPr" | b"w:rPr" | b"w:sectPr" => {
                        properties_depth = properties_depth.saturating_sub(1)
                    }
                    b"w:p" => push(&mut sinks, "\n"),
                    b"w:tc" => {
                        let cell = pop(&mut sinks);
                        if let Some(row) = rows.last_mut() {
                            row.cells.push(cell);
                        } else {
                            push(&mut sinks, &cell);
                        }
                    }
                    b"w:tr" => {
                        if let Some(row) = rows.pop() {
                            let rendered = render_row(&row);
                            push(&mut sinks, &rendered);
                        }
                    }
                    b"w:txbxContent" => {
                        let boxed = pop(&mut sinks);
                        push(&mut sinks, "\n");
                        push(&mut sinks, boxed.trim_end());
                        push(&mut sinks, "\n");
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if fallback_depth > 0 || properties_depth > 0 {
                    continue;
                }
                match e.name().as_ref() {
                    b"w:tab" | b"w:ptab" => push(&mut sinks, "\t"),
                    b"w:br" | b"w:cr" => push(&mut sinks, "\n"),
                    b"w:noBreakHyphen" => push(&mut sinks, "-"),
                    b"w:p" => push(&mut sinks, "\n"),
                    _ => {}
                }
            }
            Event::Text(t) if in_text && fallback_depth == 0 => {
                let text = t.decode().map_err(|e| ExtractError::Corrupt {
                    format: FORMAT,
                    detail: format!("its text is not valid UTF-8: {e}"),
                })?;
                push(&mut sinks, &text);
            }
            Event::CData(t) if in_text && fallback_depth == 0 => {
                push(&mut sinks, &String::from_utf8_lossy(&t));
            }
            Event::GeneralRef(r) if in_text && fallback_depth == 0 => {
                push(&mut sinks, &resolve_reference(&r));
            }
            _ => {}
        }
    }
    // Unclosed cells or boxes in a truncated part: keep their text in order.
    let mut out = String::new();
    for sink in sinks {
        out.push_str(&sink);
    }
    Ok(out)
}

/// `&amp;` and friends, and numeric character references; anything else (no DTD entities in DOCX) is dropped.
fn resolve_reference(r: &BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    r.decode()
        .ok()
        .and_then(|name| quick_xml::escape::resolve_predefined_entity(&name))
        .unwrap_or("")
        .to_owned()
}

fn push(sinks: &mut [String], text: &str) {
    if let Some(sink) = sinks.last_mut() {
        sink.push_str(text);
    }
}

fn pop(sinks: &mut Vec<String>) -> String {
    if sinks.len() > 1 {
        sinks.pop().unwrap_or_default()
    } else {
        String::new()
    }
}

/// A row whose cells are single lines reads as one tab-separated line ("2019 – 2021⇥Engineer, Acme", ⇥ a tab); a row
/// with multi-line cells (a sidebar layout) reads cell after cell, so columns stay apart.
fn render_row(row: &Row) -> String {
    let cells: Vec<&str> = row.cells.iter().map(|c| c.trim_matches('\n')).collect();
    if cells.iter().all(|c| !c.contains('\n')) {
        let line: Vec<&str> = cells
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        if line.is_empty() {
            return String::new();
        }
        return format!("{}\n", line.join("\t"));
    }
    let mut out = String::new();
    for cell in cells.iter().filter(|c| !c.trim().is_empty()) {
        out.push_str(cell);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(xml: &str) -> String {
        let deadline = Instant::now() + std::time::Duration::from_secs(5);
        part_text(xml.as_bytes(), deadline, &Limits::default()).unwrap()
    }

    #[test]
    fn tabs_breaks_and_paragraphs_are_kept() {
        let xml = r#"<w:document><w:body>
            <w:p><w:pPr><w:tabs><w:tab w:val="right" w:pos="9000"/></w:tabs></w:pPr>
              <w:r><w:t>Engineer</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">Jan 2019 &amp; on</w:t></w:r></w:p>
            <w:p><w:r><w:t>Acme</w:t><w:br/><w:t>London</w:t></w:r></w:p>
            <w:p><w:r><w:delText>removed</w:delText><w:instrText>HYPERLINK x</w:instrText><w:t>kept&#233;</w:t></w:r></w:p>
        </w:body></w:document>"#;
        assert_eq!(text(xml), "Engineer\tJan 2019 & on\nAcme\nLondon\nkepté\n");
    }

    #[test]
    fn text_boxes_are_read_once_and_tables_by_row() {
        let xml = r#"<w:document><w:body>
            <w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>
                <w:p><w:r><w:t>Skills: Go</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>
              <mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>Skills: Go</w:t></w:r></w:p>
              </w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
            <w:tbl>
              <w:tr><w:tc><w:p><w:r><w:t>2019 – 2021</w:t></w:r></w:p></w:tc>
                    <w:tc><w:p><w:r><w:t>Engineer, Acme</w:t></w:r></w:p></w:tc></w:tr>
              <w:tr><w:tc><w:p><w:r><w:t>Left</w:t></w:r></w:p><w:p><w:r><w:t>Sidebar</w:t></w:r></w:p></w:tc>
                    <w:tc><w:p><w:r><w:t>Right</w:t></w:r></w:p></w:tc></w:tr>
            </w:tbl>
        </w:body></w:document>"#;
        let got = text(xml);
        assert_eq!(got.matches("Skills: Go").count(), 1, "{got}");
        assert!(got.contains("2019 – 2021\tEngineer, Acme\n"), "{got}");
        assert!(got.contains("Left\nSidebar\nRight\n"), "{got}");
    }

    #[test]
    fn malformed_xml_is_corrupt() {
        let deadline = Instant::now() + std::time::Duration::from_secs(5);
        let err = part_text(b"<w:p><w:t>x</w:p>", deadline, &Limits::default()).unwrap_err();
        assert!(matches!(err, ExtractError::Corrupt { .. }), "{err:?}");
    }
}
