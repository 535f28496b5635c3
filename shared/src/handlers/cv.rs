//! `POST /api/interviews/{session_id}/upload-cv` and `GET /api/interviews/{session_id}/cv-analysis`.
//!
//! Upload: one file in `multipart/form-data` → recognised by its bytes (PDF, DOCX or text; images too when the
//! extractor has OCR) → the original stored under `cvs/{session_id}/` with a sanitised name → text extracted
//! (locally, or by Textract for scans when configured) → analysed by the CV analyzer → the analysis saved on the
//! session by a conditional write, so the interviewer can use it. Every failure says what the candidate can do.

use bytes::Bytes;
use http::header;
use serde_json::{Value, json};
use unicode_normalization::UnicodeNormalization;

use crate::api::{ApiError, ApiRequest, ApiResponse};
use crate::context::AppContext;
use crate::domain::{SessionId, timestamp};
use crate::extract::{Document, DocumentKind, ExtractError, sniff};
use crate::ports::{Precondition, StoreError};
use crate::store::{KeyPrefix, ObjectKey};
use crate::tools::cv_analyzer::{self, Options};

/// The largest resume accepted: 5 MB (413 beyond).
///
/// Why 5 MB: API Gateway accepts request bodies up to 10 MB, but a synchronous Lambda invocation carries at most
/// 6 MB (6,291,456 bytes) of event, and an HTTP API hands `multipart/form-data` to Lambda base64-encoded, a third
/// larger. A resume is rarely over 1 MB; 5 MB leaves room for scans and photos while staying far below API
/// Gateway's limit. Through API Gateway + Lambda, though, the base64 event caps the raw body at about
/// 6 MB × 3/4 ≈ 4.5 MiB, and larger requests are refused with 413 by Lambda before this code runs; the local
/// server enforces exactly this limit. Accepting the full 5 MB on AWS would take a presigned S3 upload.
pub const MAX_CV_BYTES: usize = 5 * 1024 * 1024;

/// The largest multipart body read: the file plus room for boundaries, part headers and small form fields.
pub const MAX_UPLOAD_BODY_BYTES: usize = MAX_CV_BYTES + 64 * 1024;

/// A stored file name's longest stem.
const MAX_STEM_CHARS: usize = 80;

/// The one file a multipart upload carried.
struct UploadedFile {
    file_name: Option<String>,
    bytes: Bytes,
}

/// Stores, reads and analyses a resume, and saves the analysis on the session.
pub async fn upload(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let caller = req.caller()?.clone();
    let id = req.session_id()?;
    if req.body.len() > MAX_UPLOAD_BODY_BYTES {
        return Err(ApiError::PayloadTooLarge {
            limit_bytes: MAX_CV_BYTES,
        });
    }
    let boundary = multipart_boundary(&req)?;
    let file = single_file(req.body.clone(), boundary).await?;
    let session = ctx.sessions.get(&id, &caller).await?;

    let kind = sniff(&file.bytes).map_err(extract_error)?;
    if !ctx.text_extractor.accepts(kind) {
        return Err(ApiError::UnsupportedMediaType {
            message: format!(
                "{} files need OCR, which is not enabled: upload your resume as PDF, DOCX or plain text",
                kind.label()
            ),
        });
    }
    let stored_name = stored_file_name(file.file_name.as_deref(), kind);
    let key = ObjectKey::child(&KeyPrefix::cvs(&id), &stored_name).ok_or_else(|| {
        ApiError::Internal(format!("sanitised name {stored_name:?} is not a valid key"))
    })?;
    ctx.sessions
        .objects()
        .put(&key, file.bytes.clone(), Precondition::None)
        .await
        .map_err(store_error)?;

    let document = Document {
        bytes: file.bytes,
        kind,
        stored_at: Some(key.clone()),
    };
    let extracted = match ctx.text_extractor.extract(&document).await {
        Ok(extracted) => extracted,
        Err(e) => {
            // Nothing useful was stored: do not keep a file the session does not refer to.
            if let Err(delete) = ctx.sessions.objects().delete(&key).await {
                tracing::warn!(error = %delete, %key, "could not remove an unreadable upload");
            }
            tracing::info!(session_id = %id, code = e.code(), "resume refused");
            return Err(extract_error(e));
        }
    };

    let now = ctx.clock.now();
    let analysis = cv_analyzer::analyze(
        &extracted.text,
        &Options {
            today: now.date_naive(),
            extract_skills: true,
            interview_type: Some(session.interview_type),
        },
    )
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut value =
        serde_json::to_value(&analysis).map_err(|e| ApiError::Internal(e.to_string()))?;
    value["document"] = json!({
        "filename": stored_name,
        "originalFilename": file.file_name,
        "storedAt": key.as_str(),
        "format": kind,
        "pages": extracted.pages,
        "extraction": extracted.method,
        "encoding": extracted.encoding,
        "characters": extracted.text.chars().count(),
        "uploadedAt": timestamp::format(&now),
    });
    let saved = value.clone();
    ctx.sessions
        .update(&id, &caller, move |s| {
            s.cv_analysis = Some(saved.clone());
            Ok::<_, ApiError>(())
        })
        .await?;
    tracing::info!(
        session_id = %id,
        format = %kind,
        pages = extracted.pages,
        skills = analysis.skills.len(),
        positions = analysis.experience.len(),
        "resume analysed"
    );
    Ok(ApiResponse::ok(&json!({
        "success": true,
        "analysis": value,
        "message": summary_message(&analysis),
    })))
}

/// The saved analysis and the stored file's name; 404 with what to do when no resume was uploaded.
pub async fn get_analysis(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let caller = req.caller()?;
    let id = req.session_id()?;
    let session = ctx.sessions.get(&id, caller).await?;
    let Some(analysis) = session.cv_analysis else {
        return Err(no_cv_yet(&id));
    };
    let filename = analysis
        .get("document")
        .and_then(|d| d.get("filename"))
        .or_else(|| analysis.get("filename"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(ApiResponse::ok(&json!({
        "success": true,
        "analysis": analysis,
        "filename": filename,
    })))
}

fn no_cv_yet(id: &SessionId) -> ApiError {
    ApiError::NotYet {
        code: "no_cv",
        message: format!(
            "no resume has been uploaded for this session yet: upload one first with \
             POST /api/interviews/{id}/upload-cv (the file in a multipart/form-data field)"
        ),
    }
}

/// The multipart boundary, or 415 for any other body type.
fn multipart_boundary(req: &ApiRequest) -> Result<String, ApiError> {
    let content_type = req
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    multer::parse_boundary(content_type).map_err(|_| ApiError::UnsupportedMediaType {
        message: "send the resume as multipart/form-data with one file field (PDF, DOCX or TXT)"
            .into(),
    })
}

/// The one file in the form (other plain fields are ignored): 400 for none, two, or a malformed body; 413 when the
/// file is over [`MAX_CV_BYTES`].
async fn single_file(body: Bytes, boundary: String) -> Result<UploadedFile, ApiError> {
    let stream = futures::stream::once(async move { Ok::<Bytes, std::convert::Infallible>(body) });
    let limits = multer::SizeLimit::new()
        .whole_stream(MAX_UPLOAD_BODY_BYTES as u64)
        .per_field(MAX_CV_BYTES as u64);
    let mut form = multer::Multipart::with_constraints(
        stream,
        boundary,
        multer::Constraints::new().size_limit(limits),
    );
    let mut file: Option<UploadedFile> = None;
    while let Some(field) = form.next_field().await.map_err(multipart_error)? {
        let file_name = field.file_name().map(str::to_owned);
        let is_file = file_name.is_some()
            || field
                .content_type()
                .is_some_and(|m| m.essence_str() != "text/plain");
        let bytes = field.bytes().await.map_err(multipart_error)?;
        if !is_file {
            continue;
        }
        if file.is_some() {
            return Err(ApiError::bad_request(
                "too_many_files",
                "send one resume file per upload",
            ));
        }
        file = Some(UploadedFile { file_name, bytes });
    }
    file.ok_or_else(|| {
        ApiError::bad_request(
            "missing_file",
            "the form has no file: attach the resume as a file field (for example `file`)",
        )
    })
}

fn multipart_error(e: multer::Error) -> ApiError {
    match e {
        multer::Error::FieldSizeExceeded { .. } | multer::Error::StreamSizeExceeded { .. } => {
            ApiError::PayloadTooLarge {
                limit_bytes: MAX_CV_BYTES,
            }
        }
        other => ApiError::bad_request(
            "malformed_multipart",
            format!("the multipart/form-data body could not be read: {other}"),
        ),
    }
}

/// 415 for file types we do not read, 422 for readable types that yield no text.
fn extract_error(e: ExtractError) -> ApiError {
    if e.is_unsupported_type() {
        ApiError::UnsupportedMediaType {
            message: e.to_string(),
        }
    } else {
        ApiError::Unprocessable {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

fn store_error(e: StoreError) -> ApiError {
    ApiError::Internal(e.to_string())
}

/// The name the original is stored under: the upload's base name with accents folded to ASCII, anything outside
/// `[A-Za-z0-9._-]` turned into `_`, and the extension of the detected format — never a path, never empty.
pub fn stored_file_name(original: Option<&str>, kind: DocumentKind) -> String {
    let base = original
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("");
    let stem = match base.rfind('.') {
        Some(dot) if dot > 0 => &base[..dot],
        _ => base,
    };
    let mut safe = String::new();
    for c in stem
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
    {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
            c
        } else {
            '_'
        };
        if c == '_' && safe.ends_with('_') {
            continue;
        }
        safe.push(c);
    }
    let safe: String = safe
        .trim_matches(|c| matches!(c, '_' | '.' | '-'))
        .chars()
        .take(MAX_STEM_CHARS)
        .collect();
    let stem = if safe.is_empty() { "resume" } else { &safe };
    format!("{stem}.{}", kind.extension())
}

/// What the response's `message` tells the candidate about the result.
fn summary_message(analysis: &cv_analyzer::CvAnalysis) -> String {
    let found_nothing = analysis.skills.is_empty()
        && analysis.experience.is_empty()
        && analysis.education.is_empty()
        && analysis.email.is_none();
    if found_nothing {
        return "Resume uploaded, but we found no contact details, skills, positions or education in it; \
                check that it is your resume and that its text can be selected"
            .into();
    }
    format!(
        "Resume analysed: {} skills, {} positions ({} years of experience), {} degrees",
        analysis.skills.len(),
        analysis.experience.len(),
        analysis.total_years_experience,
        analysis.education.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_are_safe_and_carry_the_detected_extension() {
        assert_eq!(
            stored_file_name(Some("Résumé (final).PDF"), DocumentKind::Pdf),
            "Resume_final.pdf"
        );
        assert_eq!(
            stored_file_name(Some("../../etc/passwd"), DocumentKind::Text),
            "passwd.txt"
        );
        assert_eq!(
            stored_file_name(Some("C:\\Users\\me\\cv.docx"), DocumentKind::Docx),
            "cv.docx"
        );
        assert_eq!(stored_file_name(None, DocumentKind::Pdf), "resume.pdf");
        assert_eq!(
            stored_file_name(Some("履歴書.pdf"), DocumentKind::Pdf),
            "resume.pdf"
        );
        assert_eq!(
            stored_file_name(Some("cv.exe"), DocumentKind::Pdf),
            "cv.pdf"
        );
        let long = "a".repeat(300);
        assert!(stored_file_name(Some(&long), DocumentKind::Pdf).len() <= MAX_STEM_CHARS + 4);
    }
}
