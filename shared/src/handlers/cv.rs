//! `POST /api/interviews/{session_id}/upload-cv`, `GET /api/interviews/{session_id}/cv-analysis` and
//! `PUT /api/interviews/{session_id}/cv-analysis` (the candidate's corrections).
//!
//! The HTTP side only: the one file of a `multipart/form-data` body in, the analysis out. What happens to the file
//! is [`crate::app::cv`].
//!
//! Why 5 MB: API Gateway accepts request bodies up to 10 MB, but a synchronous Lambda invocation carries at most
//! 6 MB (6,291,456 bytes) of event, and an HTTP API hands `multipart/form-data` to Lambda base64-encoded, a third
//! larger. A resume is rarely over 1 MB; 5 MB leaves room for scans and photos while staying far below API
//! Gateway's limit. Through API Gateway + Lambda, though, the base64 event caps the raw body at about
//! 6 MB × 3/4 ≈ 4.5 MiB, and larger requests are refused with 413 by Lambda before this code runs; the local
//! server enforces exactly this limit. Accepting the full 5 MB on AWS would take a presigned S3 upload.

use bytes::Bytes;
use http::header;
use serde_json::json;

use crate::api::{ApiError, ApiRequest, ApiResponse};
use crate::app::cv::{CvCorrections, CvCorrectionsInput, UploadedCv};
use crate::context::AppContext;

pub use crate::app::cv::{MAX_CV_BYTES, stored_file_name};

/// The largest multipart body read: the file plus room for boundaries, part headers and small form fields.
pub const MAX_UPLOAD_BODY_BYTES: usize = MAX_CV_BYTES + 64 * 1024;

/// Stores, reads and analyses a resume, and saves the analysis on the session.
pub async fn upload(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let caller = req.caller()?;
    let id = req.session_id()?;
    if req.body.len() > MAX_UPLOAD_BODY_BYTES {
        return Err(ApiError::PayloadTooLarge {
            limit_bytes: MAX_CV_BYTES,
        });
    }
    let boundary = multipart_boundary(&req)?;
    let file = single_file(req.body.clone(), boundary).await?;
    let analysed = ctx.resumes().upload(caller, &id, file).await?;
    Ok(ApiResponse::ok(&json!({
        "success": true,
        "analysis": analysed.analysis,
        "message": analysed.message,
    })))
}

/// The saved analysis and the stored file's name; 404 with what to do when no resume was uploaded.
pub async fn get_analysis(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let stored = ctx
        .resumes()
        .analysis(req.caller()?, &req.session_id()?)
        .await?;
    Ok(ApiResponse::ok(&json!({
        "success": true,
        "analysis": stored.analysis,
        "filename": stored.filename,
    })))
}

/// Saves the candidate's corrections (`{candidateName?, email?, phone?, skills?, experience?, education?}`; unknown
/// fields are refused) and answers the corrected analysis, as `GET` does.
pub async fn correct_analysis(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let caller = req.caller()?;
    let id = req.session_id()?;
    let input: CvCorrectionsInput = req.json_object()?;
    let corrections = CvCorrections::parse(input)?;
    let analysis = ctx.resumes().correct(caller, &id, corrections).await?;
    Ok(ApiResponse::ok(&json!({
        "success": true,
        "analysis": analysis,
        "message": "Your corrections are saved; the interviewer uses them.",
    })))
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
async fn single_file(body: Bytes, boundary: String) -> Result<UploadedCv, ApiError> {
    let stream = futures::stream::once(async move { Ok::<Bytes, std::convert::Infallible>(body) });
    let limits = multer::SizeLimit::new()
        .whole_stream(MAX_UPLOAD_BODY_BYTES as u64)
        .per_field(MAX_CV_BYTES as u64);
    let mut form = multer::Multipart::with_constraints(
        stream,
        boundary,
        multer::Constraints::new().size_limit(limits),
    );
    let mut file: Option<UploadedCv> = None;
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
        file = Some(UploadedCv { file_name, bytes });
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
