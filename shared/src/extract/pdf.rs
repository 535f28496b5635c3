//! PDF text layer: `lopdf` parses, `pdf-extract` decodes fonts and positions every glyph, [`super::layout`]
//! restores reading order.
//!
//! Chosen by measurement (see the README): on our resume fixtures pdf-extract's glyph stream was as complete as
//! poppler's, and it builds with a fraction of `pdf_oxide`'s dependencies. But it panics on many corrupt files
//! (its maintainer prefers panics to errors), recurses without bound through self-referencing form XObjects, and
//! inflates streams without a cap. So, around it:
//! - a load-time filter inflates every Flate stream through a capped reader first and drops the file if any
//!   stream, or all together, would expand past [`Limits`] — the bomb is refused, never expanded;
//! - form XObjects are checked for cycles and fan-out before any page is drawn (a stack overflow would abort the
//!   process, which no `catch_unwind` can stop);
//! - every page is drawn under `catch_unwind`, with a deadline checked at each glyph, and a page cap.

use std::cell::Cell;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use super::layout::{Glyph, page_text};
use super::{ExtractError, Limits};

const FORMAT: &str = "PDF";

/// Form XObjects nest at most this deep in real documents.
const MAX_FORM_DEPTH: usize = 12;
/// Root-to-leaf paths through form XObjects allowed per page; a small DAG can otherwise fan out exponentially.
const MAX_FORM_PATHS: usize = 2_000;

/// The text of every page in reading order, and the page count.
pub(super) fn extract(
    bytes: &[u8],
    limits: &Limits,
    deadline: Instant,
) -> Result<(String, usize), ExtractError> {
    let doc = load(bytes, limits)?;
    let pages: Vec<(u32, ObjectId)> = doc.get_pages().into_iter().collect();
    if pages.is_empty() {
        return Err(corrupt("it has no pages"));
    }
    if pages.len() > limits.max_pages {
        return Err(ExtractError::TooManyPages {
            pages: pages.len(),
            max: limits.max_pages,
        });
    }
    for (_, page_id) in &pages {
        check_forms(&doc, *page_id)?;
    }
    let mut collector = Collector {
        glyphs: Vec::new(),
        page_height: 0.0,
        space_pending: false,
        deadline,
        glyph_budget: limits.max_text_chars * 2,
        timed_out: false,
    };
    let mut text = String::new();
    let mut drawn = 0;
    for (number, _) in &pages {
        if Instant::now() > deadline {
            return Err(timed_out(limits));
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            pdf_extract::output_doc_page(&doc, &mut collector, *number)
        }));
        if collector.timed_out {
            return Err(timed_out(limits));
        }
        if collector.glyph_budget == 0 {
            return Err(corrupt("it holds far more text than a resume"));
        }
        match outcome {
            Ok(Ok(())) => drawn += 1,
            // One unreadable page costs that page; the rest may still be a resume.
            Ok(Err(e)) => tracing::info!(page = number, error = ?e, "PDF page not readable"),
            Err(_) => tracing::info!(page = number, "PDF reader panicked on a page"),
        }
        let glyphs = std::mem::take(&mut collector.glyphs);
        let page = page_text(glyphs);
        if !page.trim().is_empty() {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&page);
        }
    }
    if drawn == 0 {
        return Err(corrupt("none of its pages could be read"));
    }
    Ok((text, pages.len()))
}

fn corrupt(detail: impl Into<String>) -> ExtractError {
    ExtractError::Corrupt {
        format: FORMAT,
        detail: detail.into(),
    }
}

fn timed_out(limits: &Limits) -> ExtractError {
    ExtractError::TimedOut {
        secs: limits.time_limit.as_secs(),
    }
}

/// The inflation budget the load-time filter draws on. lopdf is built without its `rayon` feature, so the filter
/// runs on the loading thread and a thread-local reaches it (the filter is a plain `fn`, it cannot capture).
#[derive(Clone, Copy, Default)]
struct InflateBudget {
    per_stream: u64,
    remaining: u64,
    exceeded: bool,
}

thread_local! {
    static BUDGET: Cell<InflateBudget> = Cell::new(InflateBudget::default());
}

fn load(bytes: &[u8], limits: &Limits) -> Result<Document, ExtractError> {
    BUDGET.with(|b| {
        b.set(InflateBudget {
            per_stream: limits.max_part_bytes,
            remaining: limits.max_total_bytes,
            exceeded: false,
        })
    });
    let options = LoadOptions {
        filter: Some(guard_stream),
        ..LoadOptions::default()
    };
    let loaded = catch_unwind(AssertUnwindSafe(|| {
        Document::load_mem_with_options(bytes, options)
    }));
    let exceeded = BUDGET.with(|b| b.get().exceeded);
    if exceeded {
        return Err(too_large(limits));
    }
    let doc = match loaded {
        Ok(Ok(doc)) => doc,
        Ok(Err(lopdf::Error::Decryption(_))) => return Err(ExtractError::PasswordProtected),
        Ok(Err(e)) => return Err(corrupt(e.to_string())),
        Err(_) => return Err(corrupt("its structure could not be parsed")),
    };
    if doc.is_encrypted() {
        // lopdf decrypts with the empty user password when it can; what remains needs the real one.
        return Err(ExtractError::PasswordProtected);
    }
    if doc.encryption_state.is_some() {
        // Encrypted files skip the load-time filter; check their (now decrypted) streams before any is inflated.
        for object in doc.objects.values() {
            if let Object::Stream(stream) = object
                && !within_budget(&stream.dict, &stream.content)
            {
                return Err(too_large(limits));
            }
        }
        if BUDGET.with(|b| b.get().exceeded) {
            return Err(too_large(limits));
        }
    }
    Ok(doc)
}

fn too_large(limits: &Limits) -> ExtractError {
    ExtractError::TooLarge {
        format: FORMAT,
        limit_mb: limits.max_part_bytes / (1024 * 1024),
    }
}

/// lopdf's load filter: keeps every object, except a stream that would inflate past the budget, which is dropped
/// and flagged.
///
/// lopdf keeps its own (mutable) copy of a top-level object and only looks at whether the filter returned `Some`,
/// but uses the returned value for objects unpacked from object streams — which are never streams. So a stream
/// answers with a placeholder (no copy of its content), anything else with a copy of itself.
fn guard_stream(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    match object {
        Object::Stream(stream) if !within_budget(&stream.dict, &stream.content) => None,
        Object::Stream(_) => Some((id, Object::Null)),
        other => Some((id, other.clone())),
    }
}

/// Inflates a Flate-first stream into a counting sink, capped at the budget; other filters (DCT images, ASCII
/// armour) do not multiply their input enough to matter.
fn within_budget(dict: &Dictionary, content: &[u8]) -> bool {
    if !flate_first(dict) {
        return true;
    }
    let budget = BUDGET.with(Cell::get);
    if budget.exceeded {
        return false;
    }
    let cap = budget.per_stream.min(budget.remaining);
    let mut decoder = flate2::read::ZlibDecoder::new(content).take(cap + 1);
    // A damaged stream inflates as far as it goes; lopdf copes with the rest.
    let inflated = std::io::copy(&mut decoder, &mut std::io::sink()).unwrap_or(0);
    let inflated = if inflated == 0 && content.len() > 2 {
        let mut raw = flate2::read::DeflateDecoder::new(&content[2..]).take(cap + 1);
        std::io::copy(&mut raw, &mut std::io::sink()).unwrap_or(0)
    } else {
        inflated
    };
    let ok = inflated <= cap;
    BUDGET.with(|b| {
        b.set(InflateBudget {
            remaining: budget.remaining.saturating_sub(inflated),
            exceeded: !ok,
            ..budget
        })
    });
    ok
}

fn flate_first(dict: &Dictionary) -> bool {
    let is_flate = |o: &Object| matches!(o.as_name(), Ok(b"FlateDecode" | b"Fl"));
    match dict.get(b"Filter") {
        Ok(Object::Array(filters)) => filters.first().is_some_and(is_flate),
        Ok(filter) => is_flate(filter),
        Err(_) => false,
    }
}

/// Refuses pages whose form XObjects reference themselves (directly, or through the resources a form inherits
/// from its caller), nest too deep, or fan out into too many paths.
fn check_forms(doc: &Document, page_id: ObjectId) -> Result<(), ExtractError> {
    let Ok(page) = doc.get_dictionary(page_id) else {
        return Ok(());
    };
    let resources = inherited_resources(doc, page);
    let mut paths = 0usize;
    let mut stack = Vec::new();
    visit_forms(doc, resources, &mut stack, &mut paths)
}

fn inherited_resources<'a>(doc: &'a Document, page: &'a Dictionary) -> Option<&'a Dictionary> {
    let mut node = page;
    for _ in 0..32 {
        if let Ok(resources) = node.get(b"Resources") {
            return deref_dict(doc, resources);
        }
        let parent = node.get(b"Parent").ok()?.as_reference().ok()?;
        node = doc.get_dictionary(parent).ok()?;
    }
    None
}

fn deref_dict<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Dictionary> {
    match object {
        Object::Dictionary(d) => Some(d),
        Object::Reference(id) => doc.get_dictionary(*id).ok(),
        _ => None,
    }
}

fn visit_forms(
    doc: &Document,
    resources: Option<&Dictionary>,
    stack: &mut Vec<ObjectId>,
    paths: &mut usize,
) -> Result<(), ExtractError> {
    let Some(xobjects) = resources
        .and_then(|r| r.get(b"XObject").ok())
        .and_then(|x| deref_dict(doc, x))
    else {
        return Ok(());
    };
    for (_, entry) in xobjects.iter() {
        let Ok(id) = entry.as_reference() else {
            continue;
        };
        *paths += 1;
        if *paths > MAX_FORM_PATHS {
            return Err(corrupt("its drawings nest into too many layers"));
        }
        if stack.contains(&id) {
            return Err(corrupt("a drawing in it refers to itself"));
        }
        if stack.len() >= MAX_FORM_DEPTH {
            return Err(corrupt("its drawings nest too deeply"));
        }
        let Ok(Object::Stream(form)) = doc.get_object(id) else {
            continue;
        };
        if !matches!(
            form.dict.get(b"Subtype").and_then(Object::as_name),
            Ok(b"Form")
        ) {
            continue;
        }
        // A form without resources of its own draws with its caller's, as pdf-extract does.
        let own = form
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| deref_dict(doc, r));
        stack.push(id);
        visit_forms(doc, own.or(resources), stack, paths)?;
        stack.pop();
    }
    Ok(())
}

/// Collects positioned glyphs for [`page_text`]; stops the reader at the deadline or past the glyph budget.
struct Collector {
    glyphs: Vec<Glyph>,
    page_height: f64,
    space_pending: bool,
    deadline: Instant,
    glyph_budget: usize,
    timed_out: bool,
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page_height = media_box.ury - media_box.lly;
        self.space_pending = false;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        if Instant::now() > self.deadline {
            self.timed_out = true;
            return Err(OutputError::IoError(std::io::Error::other("deadline")));
        }
        if self.glyph_budget == 0 {
            return Err(OutputError::IoError(std::io::Error::other("too much text")));
        }
        if char.chars().all(char::is_whitespace) {
            self.space_pending = true;
            return Ok(());
        }
        if char.chars().all(char::is_control) {
            return Ok(());
        }
        self.glyph_budget -= 1;
        // The glyph's size on the page: the text-rendering matrix scales the font size.
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let size = font_size * scale;
        self.glyphs.push(Glyph {
            x: trm.m31,
            y: self.page_height - trm.m32,
            width: width * size,
            size,
            text: char.to_owned(),
            space_before: std::mem::take(&mut self.space_pending),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_corrupt_not_a_panic() {
        let deadline = Instant::now() + std::time::Duration::from_secs(5);
        let err = extract(
            b"%PDF-1.4\n1 0 obj << /Type /Catalog",
            &Limits::default(),
            deadline,
        )
        .unwrap_err();
        assert!(matches!(err, ExtractError::Corrupt { .. }), "{err:?}");
    }
}
