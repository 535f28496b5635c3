//! The CV routes' handlers called directly with multipart requests over a filesystem store: the stored original,
//! the saved analysis, and every refusal a candidate can meet (413, 415, 422 with a message they can act on).

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use chrono::Utc;
use http::{HeaderValue, Method, StatusCode, header};
use prepai::AppContext;
use prepai::adapters::local::FsObjectStore;
use prepai::api::{ApiError, ApiRequest, ApiResponse};
use prepai::domain::{CandidateName, Identity, InterviewType, Session, SessionId};
use prepai::extract::{Limits, LocalExtractor};
use prepai::handlers::cv;
use prepai::store::{KeyPrefix, ObjectKey};
use serde_json::Value;

const BOUNDARY: &str = "----PrepAIBoundary7MA4YWxkTrZu0gW";

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/cv")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A `multipart/form-data` body with a text field and one file field, as a browser's FormData sends it.
fn form(file_name: &str, content_type: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    write!(
        body,
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nmy resume\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: {content_type}\r\n\r\n"
    )
    .unwrap();
    body.extend_from_slice(bytes);
    write!(body, "\r\n--{BOUNDARY}--\r\n").unwrap();
    body
}

struct Fixture {
    ctx: AppContext,
    owner: Identity,
    id: SessionId,
    _dir: tempfile::TempDir,
}

async fn session(interview_type: InterviewType) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let ctx = AppContext::new(Arc::new(FsObjectStore::new(dir.path())));
    let owner = Identity::new("user-1", vec![]).unwrap();
    let session = Session::new(
        SessionId::new_random(),
        &owner,
        interview_type,
        CandidateName::parse("Ada Lovelace").unwrap(),
        Utc::now(),
    );
    ctx.sessions.create(&session).await.unwrap();
    Fixture {
        ctx,
        owner,
        id: session.session_id,
        _dir: dir,
    }
}

fn request(f: &Fixture, content_type: &str, body: Vec<u8>) -> ApiRequest {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type).unwrap(),
    );
    ApiRequest {
        method: Method::POST,
        path_params: HashMap::from([("session_id".to_owned(), f.id.to_string())]),
        headers,
        body: Bytes::from(body),
        identity: Some(f.owner.clone()),
        ..ApiRequest::default()
    }
}

fn multipart_request(f: &Fixture, file_name: &str, bytes: &[u8]) -> ApiRequest {
    request(
        f,
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        form(file_name, "application/octet-stream", bytes),
    )
}

async fn upload(f: &Fixture, file_name: &str, bytes: &[u8]) -> Result<ApiResponse, ApiError> {
    cv::upload(&f.ctx, multipart_request(f, file_name, bytes)).await
}

fn get_request(f: &Fixture) -> ApiRequest {
    ApiRequest {
        method: Method::GET,
        path_params: HashMap::from([("session_id".to_owned(), f.id.to_string())]),
        identity: Some(f.owner.clone()),
        ..ApiRequest::default()
    }
}

/// The error's status and JSON body as a caller would see them.
fn refused(result: Result<ApiResponse, ApiError>) -> (StatusCode, String, String) {
    let response = match result {
        Ok(r) => panic!("expected a refusal, got {} {:?}", r.status, r.body_json()),
        Err(e) => e.into_response(),
    };
    let body = response.body_json();
    (
        response.status,
        body["error"]["code"].as_str().unwrap_or("").to_owned(),
        body["error"]["message"].as_str().unwrap_or("").to_owned(),
    )
}

#[tokio::test]
async fn a_pdf_is_stored_analysed_and_saved_on_the_session() {
    let f = session(InterviewType::GoogleSde).await;
    let response = upload(
        &f,
        "Ada Lovelace – CV (2026).pdf",
        &fixture("01-ada-lovelace.pdf"),
    )
    .await
    .unwrap();
    assert_eq!(response.status, StatusCode::OK);
    let body = response.body_json();
    assert_eq!(body["success"], true);
    assert!(
        body["message"].as_str().unwrap().contains("positions"),
        "{body}"
    );
    let analysis = &body["analysis"];
    assert_eq!(analysis["candidateName"], "Ada Lovelace");
    assert_eq!(analysis["email"], "ada.lovelace@example.com");
    assert_eq!(analysis["phone"], "(415) 555-0132");
    assert_eq!(analysis["experience"][0]["company"], "Stripe");
    assert_eq!(analysis["interviewMatch"]["interviewType"], "Google SDE");
    assert_eq!(analysis["document"]["format"], "pdf");
    assert_eq!(analysis["document"]["extraction"], "pdf-text-layer");
    let stored_name = "Ada_Lovelace_CV_2026.pdf";
    assert_eq!(analysis["document"]["filename"], stored_name);

    // The original, byte for byte, under cvs/{session_id}/ with the sanitised name.
    let key = ObjectKey::child(&KeyPrefix::cvs(&f.id), stored_name).unwrap();
    let stored = f.ctx.sessions.objects().get(&key).await.unwrap().unwrap();
    assert_eq!(
        stored.body.as_ref(),
        fixture("01-ada-lovelace.pdf").as_slice()
    );

    // Saved on the session, and served back.
    let saved = f.ctx.sessions.get(&f.id, &f.owner).await.unwrap();
    assert_eq!(saved.cv_analysis.as_ref(), Some(analysis));
    let got = cv::get_analysis(&f.ctx, get_request(&f)).await.unwrap();
    let got = got.body_json();
    assert_eq!(got["success"], true);
    assert_eq!(got["filename"], stored_name);
    assert_eq!(&got["analysis"], analysis);
}

#[tokio::test]
async fn docx_and_text_uploads_are_read_by_content_not_by_name() {
    let f = session(InterviewType::AzureSa).await;
    // A DOCX called .pdf and a UTF-16 text file called .docx: the bytes decide.
    let body = upload(
        &f,
        "resume.pdf",
        &fixture("06-siobhan-oconnor-walsh-tables.docx"),
    )
    .await
    .unwrap()
    .body_json();
    assert_eq!(body["analysis"]["document"]["format"], "docx");
    assert_eq!(body["analysis"]["document"]["filename"], "resume.docx");
    assert_eq!(body["analysis"]["candidateName"], "Siobhán O'Connor-Walsh");
    let body = upload(&f, "cv.docx", &fixture("10-lukasz-wisniewski-utf16le.txt"))
        .await
        .unwrap()
        .body_json();
    assert_eq!(body["analysis"]["document"]["format"], "text");
    assert_eq!(body["analysis"]["document"]["encoding"], "UTF-16LE");
    assert_eq!(body["analysis"]["candidateName"], "Łukasz Wiśniewski");
    // The latest upload is the session's analysis.
    let got = cv::get_analysis(&f.ctx, get_request(&f)).await.unwrap();
    assert_eq!(got.body_json()["filename"], "cv.txt");
}

#[tokio::test]
async fn no_upload_yet_is_a_helpful_404() {
    let f = session(InterviewType::Coding).await;
    let (status, code, message) = refused(cv::get_analysis(&f.ctx, get_request(&f)).await);
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(code, "no_cv");
    assert!(message.contains("upload-cv"), "{message}");
}

#[tokio::test]
async fn someone_elses_session_is_not_found_and_nothing_is_stored() {
    let f = session(InterviewType::Coding).await;
    let mut req = multipart_request(&f, "cv.pdf", &fixture("01-ada-lovelace.pdf"));
    req.identity = Some(Identity::new("intruder", vec![]).unwrap());
    let (status, _, _) = refused(cv::upload(&f.ctx, req).await);
    assert_eq!(status, StatusCode::NOT_FOUND);
    let stored = f
        .ctx
        .sessions
        .objects()
        .list(&KeyPrefix::cvs(&f.id))
        .await
        .unwrap();
    assert!(stored.is_empty(), "{stored:?}");
}

#[tokio::test]
async fn unreadable_files_are_422_with_a_reason_and_are_not_kept() {
    let f = session(InterviewType::Coding).await;
    let truncated = {
        let pdf = fixture("01-ada-lovelace.pdf");
        pdf[..pdf.len() / 3].to_vec()
    };
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "scan.pdf",
            fixture("bad/scanned-no-text-layer.pdf"),
            "scanned_document",
            "scanned document: OCR needs Textract",
        ),
        (
            "locked.pdf",
            fixture("bad/password-protected.pdf"),
            "password_protected",
            "password",
        ),
        (
            "locked.docx",
            fixture("bad/password-protected.docx"),
            "password_protected",
            "password",
        ),
        ("empty.pdf", Vec::new(), "empty_file", "empty"),
        ("blank.txt", b"   \n\n ".to_vec(), "empty_file", "empty"),
        ("cut.pdf", truncated, "corrupt_document", "damaged"),
        (
            "cut.docx",
            fixture("07-zoe-van-der-merwe-header-textbox.docx")[..2000].to_vec(),
            "corrupt_document",
            "damaged",
        ),
    ];
    assert_all_refused_and_none_kept(&f, cases).await;
    let session = f.ctx.sessions.get(&f.id, &f.owner).await.unwrap();
    assert!(session.cv_analysis.is_none());
}

/// Each file is refused with 422, its code and a message containing the given words; none is kept.
async fn assert_all_refused_and_none_kept(f: &Fixture, cases: Vec<(&str, Vec<u8>, &str, &str)>) {
    for (name, bytes, want_code, want_message) in cases {
        let (status, code, message) = refused(upload(f, name, &bytes).await);
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {message}"
        );
        assert_eq!(code, want_code, "{name}: {message}");
        assert!(message.contains(want_message), "{name}: {message}");
    }
    let kept = f
        .ctx
        .sessions
        .objects()
        .list(&KeyPrefix::cvs(&f.id))
        .await
        .unwrap();
    assert!(kept.is_empty(), "{kept:?}");
}

/// A DOCX whose body holds `body` (WordprocessingML inside `<w:body>`).
fn docx_with_body(body: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    write!(
        zip,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}</w:body></w:document>"
    )
    .unwrap();
    zip.finish().unwrap().into_inner()
}

#[tokio::test]
async fn files_without_readable_text_or_resume_content_are_422_saying_what_to_do() {
    let f = session(InterviewType::Coding).await;
    // Symbols from a font read without its map: a few letters among them, not language.
    let garbled: Vec<u8> = b"\xA7\xB6\xF0\xD7\xF7#I \xA7\xB6\xD7\xF7 \xA4\xA7\xB6".repeat(6);
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "blank-layer.pdf",
            pdf_showing(b"      "),
            "scanned_document",
            "upload a PDF with selectable text",
        ),
        (
            "garbled-layer.pdf",
            pdf_showing(&garbled),
            "scanned_document",
            "upload a PDF with selectable text",
        ),
        (
            "empty-body.docx",
            docx_with_body("<w:p><w:r><w:t>   </w:t></w:r></w:p><w:p/>"),
            "no_text",
            "upload the document it was made from",
        ),
        // Read by its content (text), and that text is no resume.
        (
            "renamed-note.pdf",
            b"see you at lunch tomorrow\n".to_vec(),
            "not_a_resume",
            "upload your resume",
        ),
        (
            "a-few-words.pdf",
            pdf_showing(b"Hello there, thanks for reading"),
            "not_a_resume",
            "upload your resume",
        ),
    ];
    assert_all_refused_and_none_kept(&f, cases).await;
    // A short text that has what a resume has is read, however little it says.
    let body = upload(&f, "short.pdf", b"Ada Lovelace\nada@example.com\n")
        .await
        .unwrap()
        .body_json();
    assert_eq!(body["analysis"]["email"], "ada@example.com");
}

#[tokio::test]
async fn other_types_are_415() {
    let f = session(InterviewType::Coding).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0".to_vec();
    let mut xlsx = b"PK\x03\x04".to_vec();
    xlsx.extend_from_slice(b"\0\0\0\0xl/workbook.xml\0\0PK\x05\x06\0\0");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("old.doc", fixture("bad/legacy-word97.doc"), ".doc"),
        ("photo.png", png, "OCR"),
        ("sheet.xlsx", xlsx, "Excel"),
        ("cv.rtf", b"{\\rtf1\\ansi Jane Doe}".to_vec(), "RTF"),
        (
            "a.out",
            vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0],
            "program",
        ),
    ];
    for (name, bytes, want) in cases {
        let (status, code, message) = refused(upload(&f, name, &bytes).await);
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{name}: {message}"
        );
        assert_eq!(code, "unsupported_media_type");
        assert!(message.contains(want), "{name}: {message}");
    }
    // Not multipart at all.
    let req = request(&f, "application/pdf", fixture("01-ada-lovelace.pdf"));
    let (status, _, message) = refused(cv::upload(&f.ctx, req).await);
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(message.contains("multipart/form-data"), "{message}");
}

#[tokio::test]
async fn more_than_5_mb_is_413() {
    let f = session(InterviewType::Coding).await;
    let mut big = fixture("09-bjorn-astrom-utf8.txt");
    big.resize(cv::MAX_CV_BYTES + 1, b' ');
    let (status, code, _) = refused(upload(&f, "big.txt", &big).await);
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(code, "payload_too_large");
    // Exactly at the limit is fine.
    big.truncate(cv::MAX_CV_BYTES);
    assert!(upload(&f, "ok.txt", &big).await.is_ok());
}

#[tokio::test]
async fn a_form_needs_exactly_one_well_formed_file() {
    let f = session(InterviewType::Coding).await;
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let no_file = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--{BOUNDARY}--\r\n"
    );
    let (status, code, _) =
        refused(cv::upload(&f.ctx, request(&f, &content_type, no_file.into_bytes())).await);
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "missing_file")
    );

    let mut two = form("a.txt", "text/plain", b"Jane Doe");
    two.truncate(two.len() - format!("--{BOUNDARY}--\r\n").len());
    write!(
        two,
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file2\"; filename=\"b.txt\"\r\n\r\nJohn\r\n--{BOUNDARY}--\r\n"
    )
    .unwrap();
    let (status, code, _) = refused(cv::upload(&f.ctx, request(&f, &content_type, two)).await);
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "too_many_files")
    );

    let (status, code, _) = refused(
        cv::upload(
            &f.ctx,
            request(&f, &content_type, b"--nope\r\ngarbage".to_vec()),
        )
        .await,
    );
    assert_eq!(status, StatusCode::BAD_REQUEST, "{code}");
}

/// A zip whose document.xml inflates to `inflated` bytes from a few kilobytes.
fn docx_bomb(inflated: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    let chunk = vec![b' '; 1 << 20];
    let mut left = inflated;
    while left > 0 {
        let n = left.min(chunk.len());
        zip.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    zip.finish().unwrap().into_inner()
}

/// A one-page PDF whose content stream is `inflated` zero bytes, Flate-compressed.
fn pdf_bomb(inflated: usize) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![b' '; 1 << 20];
    let mut left = inflated;
    while left > 0 {
        let n = left.min(chunk.len());
        encoder.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    one_page_pdf(&encoder.finish().unwrap(), "/Filter /FlateDecode")
}

/// A one-page PDF that shows `text` (Latin-1 bytes) in Helvetica: a text layer with exactly that in it.
fn pdf_showing(text: &[u8]) -> Vec<u8> {
    let mut content = b"BT /F1 12 Tf 72 720 Td (".to_vec();
    content.extend_from_slice(text);
    content.extend_from_slice(b") Tj ET");
    one_page_pdf(&content, "")
}

/// A one-page PDF with `stream` as its content (`filter` names its encoding, if any) and Helvetica as font F1.
fn one_page_pdf(stream: &[u8], filter: &str) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
           /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        [
            format!("<< /Length {} {filter} >>\nstream\n", stream.len()).into_bytes(),
            stream.to_vec(),
            b"\nendstream".to_vec(),
        ]
        .concat(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ];
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

#[tokio::test]
async fn decompression_bombs_are_refused_not_expanded() {
    let mut f = session(InterviewType::Coding).await;
    // Limits scaled down so the test builds small bombs; the caps work the same at 32 MB.
    let limits = Limits {
        max_part_bytes: 1 << 20,
        max_total_bytes: 2 << 20,
        ..Limits::default()
    };
    f.ctx = f
        .ctx
        .clone()
        .with_text_extractor(Arc::new(LocalExtractor::new(limits)));
    for (name, bomb) in [
        ("bomb.docx", docx_bomb(8 << 20)),
        ("bomb.pdf", pdf_bomb(8 << 20)),
    ] {
        assert!(bomb.len() < 64 * 1024, "{name} is {} bytes", bomb.len());
        let started = std::time::Instant::now();
        let (status, code, message) = refused(upload(&f, name, &bomb).await);
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!(code, "decompression_limit", "{name}: {message}");
        assert!(message.contains("not expanded"), "{message}");
        // Refused by the inflation cap, not by the clock: the bound only catches an expansion that runs away.
        assert!(started.elapsed() < std::time::Duration::from_secs(30));
    }
}

#[tokio::test]
async fn the_saved_analysis_survives_concurrent_session_writes() {
    let f = session(InterviewType::Coding).await;
    let entry = |i: usize| prepai::domain::TranscriptEntry {
        role: prepai::domain::Role::User,
        text: format!("answer {i}"),
        timestamp: Utc::now(),
        source: prepai::domain::Source::Text,
        reply_kind: None,
        message_id: None,
        extra: serde_json::Map::new(),
    };
    let transcript = async {
        for i in 0..10 {
            f.ctx
                .sessions
                .append_transcript(&f.id, &f.owner, entry(i))
                .await
                .unwrap();
        }
    };
    let resume = fixture("09-bjorn-astrom-utf8.txt");
    let (_, uploaded) = tokio::join!(transcript, upload(&f, "cv.txt", &resume));
    uploaded.unwrap();
    let session = f.ctx.sessions.get(&f.id, &f.owner).await.unwrap();
    assert_eq!(session.transcript.len(), 10);
    let analysis: &Value = session.cv_analysis.as_ref().unwrap();
    assert_eq!(analysis["candidateName"], "Björn Åström");
}
