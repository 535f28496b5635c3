//! Property tests over malformed input (proptest; cargo-fuzz needs nightly): mutated PDFs and DOCX files, random
//! WordprocessingML, and random multipart bodies. Whatever comes in, the extractor and the upload route return an
//! answer — text or a refusal — without panicking, and in bounded time. A few dozen cases each keep `cargo test`
//! quick; `PROPTEST_CASES=5000` runs a longer campaign.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderValue, Method, header};
use prepai::AppContext;
use prepai::adapters::local::FsObjectStore;
use prepai::api::ApiRequest;
use prepai::domain::{CandidateName, Identity, InterviewType, Session, SessionId};
use prepai::extract::{DocumentKind, LocalExtractor, sniff};
use prepai::handlers::cv;
use proptest::prelude::*;
use proptest::sample::Index;

/// Above the extractor's own 10 s deadline (plus its 2 s grace), so only a hang — a deadline that does not hold —
/// trips it, never a slow run on a loaded machine.
const BOUND: Duration = Duration::from_secs(30);

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/cv")
            .join(name),
    )
    .unwrap()
}

/// `cases` by default; `PROPTEST_CASES` overrides it for a longer campaign.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Overwrites bytes at the given places and optionally cuts the file short.
fn mutate(mut bytes: Vec<u8>, edits: &[(Index, u8)], cut: Option<Index>) -> Vec<u8> {
    for (at, value) in edits {
        let i = at.index(bytes.len());
        bytes[i] = *value;
    }
    if let Some(cut) = cut {
        bytes.truncate(cut.index(bytes.len()));
    }
    bytes
}

fn extract_in_bounded_time(bytes: &[u8], kind: DocumentKind) {
    let started = Instant::now();
    let _ = LocalExtractor::default().extract_blocking(bytes, kind);
    let _ = sniff(bytes);
    assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
}

const PDFS: [&str; 4] = [
    "01-ada-lovelace.pdf",
    "02-jose-mueller-garcia-two-column.pdf",
    "05-oyvind-odegard-interleaved.pdf",
    "14-juergen-weiss-ligatures.pdf",
];

const DOCXS: [&str; 3] = [
    "06-siobhan-oconnor-walsh-tables.docx",
    "07-zoe-van-der-merwe-header-textbox.docx",
    "08-nguyen-thi-minh-anh-tabs.docx",
];

proptest! {
    #![proptest_config(config(40))]

    #[test]
    fn mutated_pdfs_never_panic(
        which in 0..PDFS.len(),
        edits in prop::collection::vec((any::<Index>(), any::<u8>()), 0..24),
        cut in prop::option::of(any::<Index>()),
    ) {
        let bytes = mutate(fixture(PDFS[which]), &edits, cut);
        extract_in_bounded_time(&bytes, DocumentKind::Pdf);
    }

    #[test]
    fn mutated_docx_files_never_panic(
        which in 0..DOCXS.len(),
        edits in prop::collection::vec((any::<Index>(), any::<u8>()), 0..24),
        cut in prop::option::of(any::<Index>()),
    ) {
        let bytes = mutate(fixture(DOCXS[which]), &edits, cut);
        extract_in_bounded_time(&bytes, DocumentKind::Docx);
    }
}

/// Pieces of WordprocessingML, valid and not, to assemble random documents from.
const XML_PIECES: [&str; 24] = [
    "<w:p>",
    "</w:p>",
    "<w:r>",
    "</w:r>",
    "<w:t>",
    "</w:t>",
    "Ada Lovelace",
    " 2019 – 2021 ",
    "<w:tab/>",
    "<w:br/>",
    "<w:pPr><w:tabs><w:tab w:pos=\"9000\"/></w:tabs></w:pPr>",
    "<mc:AlternateContent><mc:Choice>",
    "</mc:Choice><mc:Fallback>",
    "</mc:Fallback></mc:AlternateContent>",
    "<w:tbl>",
    "<w:tr>",
    "<w:tc>",
    "</w:tc>",
    "</w:tr>",
    "</w:tbl>",
    "<w:txbxContent>",
    "</w:txbxContent>",
    "&amp;&#233;&#xFFFFFF;&bogus;",
    "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\">]>&a;",
];

fn docx_with(document: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(document.as_bytes()).unwrap();
    zip.start_file("word/header1.xml", options).unwrap();
    zip.write_all(document.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn random_wordprocessingml_never_panics(
        pieces in prop::collection::vec(0..XML_PIECES.len(), 0..200),
    ) {
        let body: String = pieces.iter().map(|&i| XML_PIECES[i]).collect();
        let document = format!("<w:document><w:body>{body}</w:body></w:document>");
        let started = Instant::now();
        let result = LocalExtractor::default().extract_blocking(&docx_with(&document), DocumentKind::Docx);
        prop_assert!(started.elapsed() < BOUND);
        // Well-formed or not, the text never holds the mc:Fallback duplicate or an entity's expansion.
        if let Ok(text) = result {
            prop_assert!(!text.text.contains("aaaaaaaaaa"));
        }
    }
}

const BOUNDARY: &str = "fuzzboundary";

fn runtime_and_session() -> (
    tokio::runtime::Runtime,
    AppContext,
    Identity,
    SessionId,
    tempfile::TempDir,
) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = AppContext::new(Arc::new(FsObjectStore::new(dir.path())));
    let owner = Identity::new("fuzzer", vec![]).unwrap();
    let session = Session::new(
        SessionId::new_random(),
        &owner,
        InterviewType::Coding,
        CandidateName::parse("Fuzz").unwrap(),
        chrono::Utc::now(),
    );
    runtime.block_on(ctx.sessions.create(&session)).unwrap();
    (runtime, ctx, owner, session.session_id, dir)
}

fn upload_request(owner: &Identity, id: SessionId, body: Vec<u8>) -> ApiRequest {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&format!("multipart/form-data; boundary={BOUNDARY}")).unwrap(),
    );
    ApiRequest {
        method: Method::POST,
        path_params: HashMap::from([("session_id".to_owned(), id.to_string())]),
        headers,
        body: Bytes::from(body),
        identity: Some(owner.clone()),
        ..ApiRequest::default()
    }
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn random_multipart_bodies_get_an_answer(
        noise in prop::collection::vec(any::<u8>(), 0..512),
        file_name in prop::collection::vec(any::<char>(), 0..40),
        content in prop::collection::vec(any::<u8>(), 0..2048),
        shape in 0..4usize,
        cut in any::<Index>(),
    ) {
        let (runtime, ctx, owner, id, _dir) = runtime_and_session();
        let file_name: String = file_name.into_iter().collect();
        let mut body = Vec::new();
        match shape {
            // Pure noise.
            0 => body.extend_from_slice(&noise),
            // A well-formed form around random content and a random file name.
            1 | 2 => {
                write!(
                    body,
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\n\r\n",
                    file_name.replace(['"', '\r', '\n'], "")
                )
                .unwrap();
                body.extend_from_slice(&content);
                write!(body, "\r\n--{BOUNDARY}--\r\n").unwrap();
                if shape == 2 {
                    // Cut anywhere.
                    let at = cut.index(body.len() + 1);
                    body.truncate(at);
                }
            }
            // Headers from noise.
            _ => {
                write!(body, "--{BOUNDARY}\r\n").unwrap();
                body.extend_from_slice(&noise);
                write!(body, "\r\n\r\n").unwrap();
                body.extend_from_slice(&content);
                write!(body, "\r\n--{BOUNDARY}--\r\n").unwrap();
            }
        }
        let started = Instant::now();
        let result = runtime.block_on(cv::upload(&ctx, upload_request(&owner, id, body)));
        prop_assert!(started.elapsed() < BOUND);
        if let Err(e) = result {
            let status = e.status().as_u16();
            prop_assert!((400..500).contains(&status), "{status}: {e}");
        }
    }
}

/// Resume-like lines to build text files from, in the scripts and symbols real resumes use.
const TEXT_PIECES: [&str; 16] = [
    "Ada Lovelace\n",
    "ada@example.com  +44 20 7946 0958\n",
    "EXPERIENCE\n",
    "Senior Engineer, Acme — Jan 2019 – Present\n",
    "• Led a team of 5 across 3 time zones\n",
    "Education\n",
    "B.Sc. Computer Science, Université de Montréal, 2014\n",
    "Skills: Python, Rust, AWS, Kubernetes\n",
    "Łukasz Wiśniewski — Kraków\n",
    "田中 健二 (ソフトウェアエンジニア)\n",
    "\r\n",
    "\t\u{a0}\u{200b}",
    "\u{feff}",
    "😀 ✓ ½ € ™\n",
    "\0",
    "12/2019 – 13/2020, 0000 - 9999\n",
];

/// Text in every encoding the plain-text reader decodes, with or without the byte-order mark, or cut mid-character.
fn encode_text(text: &str, encoding: u8, bom: bool, cut: Option<Index>) -> Vec<u8> {
    let mut bytes = match encoding {
        0 => {
            let mark: &[u8] = if bom { b"\xEF\xBB\xBF" } else { b"" };
            [mark, text.as_bytes()].concat()
        }
        1 => {
            let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            out
        }
        2 => {
            let mut out = if bom { vec![0xFE, 0xFF] } else { Vec::new() };
            out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            out
        }
        // windows-1252 where it can say it, `?` elsewhere (what a legacy editor writes).
        _ => text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
            .collect(),
    };
    if let Some(cut) = cut {
        bytes.truncate(cut.index(bytes.len() + 1));
    }
    bytes
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn text_resumes_in_any_encoding_are_read_and_analysed(
        pieces in prop::collection::vec(0..TEXT_PIECES.len(), 0..60),
        noise in prop::option::of(any::<String>()),
        encoding in 0..4_u8,
        bom in any::<bool>(),
        cut in prop::option::of(any::<Index>()),
    ) {
        let mut text: String = pieces.iter().map(|&i| TEXT_PIECES[i]).collect();
        text.push_str(noise.as_deref().unwrap_or_default());
        let bytes = encode_text(&text, encoding, bom, cut);
        let started = Instant::now();
        let extracted = LocalExtractor::default().extract_blocking(&bytes, DocumentKind::Text);
        let _ = sniff(&bytes);
        if let Ok(extracted) = &extracted {
            let options = prepai::tools::cv_analyzer::Options {
                today: chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default(),
                extract_skills: true,
                interview_type: None,
            };
            prop_assert!(prepai::tools::cv_analyzer::analyze(&extracted.text, &options).is_ok());
        }
        prop_assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
        // What decodes losslessly (UTF-8, or UTF-16 with its mark) comes back with its letters; the reader applies
        // NFKC, so compare the alphanumerics of both after it.
        let lossless = encoding == 0 || (encoding < 3 && bom);
        if lossless && cut.is_none() && noise.is_none() && !text.contains('\0') {
            use unicode_normalization::UnicodeNormalization;
            let letters =
                |s: &str| s.nfkc().filter(|c| c.is_alphanumeric()).collect::<String>();
            match &extracted {
                Ok(extracted) => prop_assert_eq!(letters(&extracted.text), letters(&text)),
                Err(_) => prop_assert!(letters(&text).is_empty()),
            }
        }
    }
}
