//! The Textract adapter against a loopback HTTP server that speaks Textract's JSON protocol (awsJson1.1: `POST /`
//! with `X-Amz-Target: Textract.<Operation>`), answering with responses in the shape AWS documents. The real SDK
//! client signs, serialises and parses; only the network endpoint is ours.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes as BodyBytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use bytes::Bytes;
use prepai::adapters::aws::TextractExtractor;
use prepai::domain::SessionId;
use prepai::extract::{
    Document, DocumentKind, ExtractError, ExtractionMethod, LocalExtractor, TextExtractor, sniff,
};
use prepai::store::{KeyPrefix, ObjectKey};
use serde_json::{Value, json};

/// How the fake Textract behaves, and what it was asked.
#[derive(Default)]
struct Fake {
    fail: bool,
    calls: Vec<(String, Value)>,
    polls: usize,
}

type Shared = Arc<Mutex<Fake>>;

fn line(id: &str, page: u32, text: &str) -> Value {
    json!({
        "BlockType": "LINE", "Id": id, "Page": page, "Confidence": 99.1, "Text": text,
        "Geometry": {"BoundingBox": {"Width": 0.3, "Height": 0.02, "Left": 0.1, "Top": 0.1}},
        "Relationships": [{"Type": "CHILD", "Ids": [format!("{id}-w")]}]
    })
}

fn page_block(page: u32) -> Value {
    json!({"BlockType": "PAGE", "Id": format!("page-{page}"), "Page": page})
}

fn word(id: &str, page: u32, text: &str) -> Value {
    json!({"BlockType": "WORD", "Id": format!("{id}-w"), "Page": page, "Text": text, "TextType": "PRINTED"})
}

async fn textract(State(fake): State<Shared>, headers: HeaderMap, body: BodyBytes) -> Response {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut fake = fake.lock().unwrap();
    fake.calls.push((target.clone(), request.clone()));
    if fake.fail {
        return json_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"__type": "InternalServerError", "message": "Internal server error"}),
        );
    }
    let answer = match target.as_str() {
        "Textract.DetectDocumentText" => json!({
            "DocumentMetadata": {"Pages": 1},
            "Blocks": [
                page_block(1),
                line("l1", 1, "Ada Lovelace"), word("l1", 1, "Ada"),
                line("l2", 1, "ada.lovelace@example.com | (415) 555-0132"),
                line("l3", 1, "Experience"),
                line("l4", 1, "Senior Software Engineer — Stripe Jan 2021 – Present"),
                line("l5", 1, "Skills"),
                line("l6", 1, "Go, Python, Kubernetes"),
            ],
            "DetectDocumentTextModelVersion": "1.0"
        }),
        "Textract.StartDocumentTextDetection" => json!({"JobId": "job-42"}),
        "Textract.GetDocumentTextDetection" => {
            fake.polls += 1;
            match (fake.polls, request.get("NextToken").and_then(Value::as_str)) {
                (1, _) => {
                    json!({"JobStatus": "IN_PROGRESS", "DetectDocumentTextModelVersion": "1.0"})
                }
                (_, None) => json!({
                    "JobStatus": "SUCCEEDED",
                    "DocumentMetadata": {"Pages": 2},
                    "Blocks": [page_block(1), line("a1", 1, "Ada Lovelace"), line("a2", 1, "Experience")],
                    "NextToken": "page-2",
                    "DetectDocumentTextModelVersion": "1.0"
                }),
                (_, Some(_)) => json!({
                    "JobStatus": "SUCCEEDED",
                    "DocumentMetadata": {"Pages": 2},
                    "Blocks": [page_block(2), line("b1", 2, "Skills"), line("b2", 2, "Terraform, AWS")],
                    "DetectDocumentTextModelVersion": "1.0"
                }),
            }
        }
        other => {
            return json_response(
                StatusCode::BAD_REQUEST,
                json!({"__type": "UnknownOperationException", "message": other}),
            );
        }
    };
    json_response(StatusCode::OK, answer)
}

fn json_response(status: StatusCode, body: Value) -> Response {
    (
        status,
        [("content-type", "application/x-amz-json-1.1")],
        body.to_string(),
    )
        .into_response()
}

async fn serve() -> (SocketAddr, Shared) {
    let fake: Shared = Arc::default();
    let app = Router::new()
        .route("/", post(textract))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, fake)
}

fn extractor(addr: SocketAddr) -> TextractExtractor {
    use aws_sdk_textract::config::{BehaviorVersion, Credentials, Region, retry::RetryConfig};
    let config = aws_sdk_textract::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
            "test",
        ))
        .endpoint_url(format!("http://{addr}"))
        .retry_config(RetryConfig::disabled())
        .build();
    TextractExtractor::new(
        aws_sdk_textract::Client::from_conf(config),
        Some("prepai-user-data".into()),
        LocalExtractor::default(),
    )
    .with_polling(Duration::from_millis(10), Duration::from_secs(5))
}

fn fixture(name: &str) -> Bytes {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/cv")
        .join(name);
    Bytes::from(std::fs::read(path).unwrap())
}

fn document(name: &str) -> Document {
    let bytes = fixture(name);
    let kind = sniff(&bytes).unwrap();
    let key = ObjectKey::child(&KeyPrefix::cvs(&SessionId::new_random()), "scan.pdf");
    Document {
        bytes,
        kind,
        stored_at: key,
    }
}

#[tokio::test]
async fn a_one_page_scan_goes_to_detect_document_text_with_its_bytes() {
    let (addr, fake) = serve().await;
    let doc = document("bad/scanned-no-text-layer.pdf");
    let text = extractor(addr).extract(&doc).await.unwrap();
    assert_eq!(text.method, ExtractionMethod::Textract);
    assert_eq!(text.pages, 1);
    assert!(
        text.text
            .starts_with("Ada Lovelace\nada.lovelace@example.com"),
        "{}",
        text.text
    );
    let calls = &fake.lock().unwrap().calls;
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].0, "Textract.DetectDocumentText");
    // The SDK sent the file itself, base64 in Document.Bytes.
    let sent = calls[0].1["Document"]["Bytes"].as_str().unwrap();
    assert_eq!(sent.len(), doc.bytes.len().div_ceil(3) * 4);
}

#[tokio::test]
async fn a_multi_page_scan_is_read_by_an_asynchronous_job_from_s3() {
    let (addr, fake) = serve().await;
    let doc = document("bad/scanned-two-pages.pdf");
    let text = extractor(addr).extract(&doc).await.unwrap();
    assert_eq!(text.method, ExtractionMethod::Textract);
    assert_eq!(text.pages, 2);
    assert_eq!(
        text.text,
        "Ada Lovelace\nExperience\n\nSkills\nTerraform, AWS"
    );
    let fake = fake.lock().unwrap();
    let targets: Vec<&str> = fake.calls.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        targets,
        [
            "Textract.StartDocumentTextDetection",
            "Textract.GetDocumentTextDetection",
            "Textract.GetDocumentTextDetection",
            "Textract.GetDocumentTextDetection"
        ]
    );
    let location = &fake.calls[0].1["DocumentLocation"]["S3Object"];
    assert_eq!(location["Bucket"], "prepai-user-data");
    assert_eq!(location["Name"], doc.stored_at.as_ref().unwrap().as_str());
    assert_eq!(fake.calls[1].1["JobId"], "job-42");
    assert_eq!(fake.calls[3].1["NextToken"], "page-2");
}

#[tokio::test]
async fn when_textract_fails_the_local_result_stands() {
    let (addr, fake) = serve().await;
    fake.lock().unwrap().fail = true;
    let err = extractor(addr)
        .extract(&document("bad/scanned-no-text-layer.pdf"))
        .await
        .unwrap_err();
    assert_eq!(err, ExtractError::Scanned { pages: 1 });
    assert!(err.to_string().contains("OCR needs Textract"));
    assert_eq!(fake.lock().unwrap().calls.len(), 1);
}

#[tokio::test]
async fn readable_pdfs_docx_and_text_never_reach_textract() {
    let (addr, fake) = serve().await;
    let textract = extractor(addr);
    for name in [
        "01-ada-lovelace.pdf",
        "07-zoe-van-der-merwe-header-textbox.docx",
        "09-bjorn-astrom-utf8.txt",
    ] {
        let text = textract.extract(&document(name)).await.unwrap();
        assert_ne!(text.method, ExtractionMethod::Textract, "{name}");
    }
    assert!(fake.lock().unwrap().calls.is_empty());
    assert!(textract.accepts(DocumentKind::Image(prepai::extract::ImageFormat::Png)));
}
