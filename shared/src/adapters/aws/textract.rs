//! Amazon Textract in front of the local extractor, for scans.
//!
//! Enabled by `PREPAI_TEXTRACT=on`. Textract reads PDF, PNG, JPEG and TIFF — not DOCX or text, which stay local.
//! A PDF is read locally first; Textract is asked only when the local text layer is missing (a scan) or garbled (a
//! font without a Unicode map). One page goes to the synchronous `DetectDocumentText` with the bytes; more pages go
//! to the asynchronous `StartDocumentTextDetection`, which only reads from S3, so the upload is stored first and
//! the job is polled. If Textract fails, the local result stands — the text layer, or the "scanned document"
//! error — so Textract being down never makes an upload worse than having no Textract.

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_textract::Client;
use aws_sdk_textract::primitives::Blob;
use aws_sdk_textract::types::{Block, BlockType, DocumentLocation, JobStatus, S3Object};

#[cfg(test)]
use super::textract_enabled;
use crate::extract::{LocalExtractor, looks_readable, normalise};
use crate::ports::{
    Document, DocumentKind, ExtractError, ExtractedText, ExtractionMethod, TextExtractor,
};

/// Textract for scans and images, the local extractor for everything else.
#[derive(Clone, Debug)]
pub struct TextractExtractor {
    client: Client,
    /// The bucket uploads are stored in; without it, multi-page scans cannot use the asynchronous API.
    bucket: Option<String>,
    local: LocalExtractor,
    poll_interval: Duration,
    max_wait: Duration,
}

/// Why Textract gave no text; logged, never shown (the local result is shown instead).
#[derive(Debug, thiserror::Error)]
enum TextractError {
    #[error("textract call failed: {0}")]
    Call(String),
    #[error("textract job {job} ended as {status}: {message}")]
    Job {
        job: String,
        status: String,
        message: String,
    },
    #[error("textract job {0} did not finish in time")]
    Timeout(String),
    #[error("a {pages}-page document needs the stored copy in S3, which is not available")]
    NotStored { pages: usize },
}

impl TextractExtractor {
    /// Textract through `client`, falling back to `local`; `bucket` is where uploads are stored.
    pub fn new(client: Client, bucket: Option<String>, local: LocalExtractor) -> Self {
        Self {
            client,
            bucket,
            local,
            poll_interval: Duration::from_secs(1),
            max_wait: Duration::from_secs(25),
        }
    }

    /// Textract with the SDK's usual credentials and region.
    pub fn from_sdk_config(
        sdk: &aws_config::SdkConfig,
        bucket: Option<String>,
        local: LocalExtractor,
    ) -> Self {
        Self::new(Client::new(sdk), bucket, local)
    }

    /// How often and how long an asynchronous job is polled (tests shorten both; API Gateway gives up at 29 s).
    pub fn with_polling(mut self, interval: Duration, max_wait: Duration) -> Self {
        self.poll_interval = interval;
        self.max_wait = max_wait;
        self
    }

    async fn ocr(&self, document: &Document, pages: usize) -> Result<String, TextractError> {
        let blocks = if pages <= 1 {
            self.detect(document).await?
        } else {
            let key = document
                .stored_at
                .as_ref()
                .zip(self.bucket.as_ref())
                .ok_or(TextractError::NotStored { pages })?;
            self.detect_async(key.1, key.0.as_str()).await?
        };
        Ok(lines_text(&blocks))
    }

    async fn detect(&self, document: &Document) -> Result<Vec<Block>, TextractError> {
        let input = aws_sdk_textract::types::Document::builder()
            .bytes(Blob::new(document.bytes.to_vec()))
            .build();
        let output = self
            .client
            .detect_document_text()
            .document(input)
            .send()
            .await
            .map_err(|e| TextractError::Call(format!("{e:?}")))?;
        Ok(output.blocks().to_vec())
    }

    async fn detect_async(&self, bucket: &str, key: &str) -> Result<Vec<Block>, TextractError> {
        let location = DocumentLocation::builder()
            .s3_object(S3Object::builder().bucket(bucket).name(key).build())
            .build();
        let started = self
            .client
            .start_document_text_detection()
            .document_location(location)
            .send()
            .await
            .map_err(|e| TextractError::Call(format!("{e:?}")))?;
        let job = started
            .job_id()
            .ok_or_else(|| TextractError::Call("no job id in the answer".into()))?
            .to_owned();
        let give_up = tokio::time::Instant::now() + self.max_wait;
        let mut blocks = Vec::new();
        let mut next_token: Option<String> = None;
        loop {
            let page = self
                .client
                .get_document_text_detection()
                .job_id(&job)
                .set_next_token(next_token.clone())
                .send()
                .await
                .map_err(|e| TextractError::Call(format!("{e:?}")))?;
            match page.job_status() {
                Some(JobStatus::InProgress) | None => {
                    if tokio::time::Instant::now() >= give_up {
                        return Err(TextractError::Timeout(job));
                    }
                    tokio::time::sleep(self.poll_interval).await;
                    continue;
                }
                Some(JobStatus::Succeeded) | Some(JobStatus::PartialSuccess) => {
                    blocks.extend_from_slice(page.blocks());
                    match page.next_token() {
                        Some(token) => next_token = Some(token.to_owned()),
                        None => return Ok(blocks),
                    }
                }
                Some(other) => {
                    return Err(TextractError::Job {
                        job,
                        status: other.as_str().to_owned(),
                        message: page.status_message().unwrap_or_default().to_owned(),
                    });
                }
            }
        }
    }
}

/// LINE blocks in the order Textract returns them (its reading order), a blank line between pages.
fn lines_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut page = None;
    for block in blocks {
        if block.block_type() != Some(&BlockType::Line) {
            continue;
        }
        let Some(text) = block.text() else {
            continue;
        };
        if page.is_some() && block.page() != page {
            out.push('\n');
        }
        page = block.page();
        out.push_str(text);
        out.push('\n');
    }
    out
}

#[async_trait]
impl TextExtractor for TextractExtractor {
    fn accepts(&self, _kind: DocumentKind) -> bool {
        true
    }

    async fn extract(&self, document: &Document) -> Result<ExtractedText, ExtractError> {
        let local = match document.kind {
            DocumentKind::Docx | DocumentKind::Text => return self.local.extract(document).await,
            DocumentKind::Image(_) => Err(ExtractError::Scanned { pages: 1 }),
            DocumentKind::Pdf => self.local.extract(document).await,
        };
        let pages = match &local {
            Ok(text) if looks_readable(&text.text) => return local,
            Ok(text) => text.pages,
            Err(ExtractError::Scanned { pages }) => *pages,
            Err(_) => return local,
        };
        match self.ocr(document, pages).await {
            Ok(raw) => {
                let text = normalise(&raw, self.local.limits().max_text_chars);
                if text.chars().any(char::is_alphanumeric) {
                    tracing::info!(pages, chars = text.len(), "text read by Textract");
                    Ok(ExtractedText {
                        text,
                        kind: document.kind,
                        pages,
                        method: ExtractionMethod::Textract,
                        encoding: None,
                    })
                } else {
                    local
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "Textract failed; keeping the local result");
                local
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_reads_common_spellings() {
        for on in ["on", "ON", "true", "1", "yes"] {
            assert!(textract_enabled(Some(on)), "{on}");
        }
        for off in ["off", "", "0", "no"] {
            assert!(!textract_enabled(Some(off)), "{off}");
        }
        assert!(!textract_enabled(None));
    }
}
