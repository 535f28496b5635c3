//! Resumes: recognise the file by its bytes, keep the original under `cvs/{session_id}/`, read its text (locally,
//! or Textract for scans), analyse it, and attach the analysis to the session — refused once the interview has
//! ended, and never leaving a stored file the session does not refer to.

use bytes::Bytes;
use serde_json::{Value, json};
use unicode_normalization::UnicodeNormalization;

use crate::domain::{Identity, SessionId, Transition, timestamp};
use crate::extract::sniff;
use crate::ports::{
    Clock, Document, DocumentKind, KeyPrefix, ObjectKey, ObjectStore, Precondition, TextExtractor,
};
use crate::store::SessionStore;
use crate::tools::cv_analyzer::{self, CvAnalysis, Options};

use super::AppError;

/// The largest resume accepted: 5 MB (413 beyond). See the upload route for why.
pub const MAX_CV_BYTES: usize = 5 * 1024 * 1024;

/// The most an analysis attached to a session may weigh as JSON; longer lists are cut (a resume with more than
/// this is not a resume), so the session document stays within its documented size.
pub const MAX_ANALYSIS_BYTES: usize = 64 * 1024;

/// A stored file name's longest stem.
const MAX_STEM_CHARS: usize = 80;

/// What the resume use cases need.
pub struct Resumes<'a> {
    pub sessions: &'a SessionStore,
    /// Where originals are kept.
    pub files: &'a dyn ObjectStore,
    pub extractor: &'a dyn TextExtractor,
    pub clock: &'a dyn Clock,
}

/// One uploaded file.
pub struct UploadedCv {
    pub file_name: Option<String>,
    pub bytes: Bytes,
}

/// The analysis as attached to the session, with a sentence for the candidate.
pub struct AnalysedCv {
    pub analysis: Value,
    pub message: String,
}

/// The attached analysis and the stored file's name.
pub struct StoredAnalysis {
    pub analysis: Value,
    pub filename: Option<String>,
}

impl Resumes<'_> {
    /// Stores, reads and analyses a resume and attaches the analysis to the caller's session.
    pub async fn upload(
        &self,
        caller: &Identity,
        id: &SessionId,
        file: UploadedCv,
    ) -> Result<AnalysedCv, AppError> {
        if file.bytes.len() > MAX_CV_BYTES {
            return Err(AppError::TooLarge {
                limit_bytes: MAX_CV_BYTES,
                message: format!("the resume is larger than {MAX_CV_BYTES} bytes"),
            });
        }
        let session = self.sessions.get(id, caller).await?;
        session.ensure_accepting()?;
        let kind = sniff(&file.bytes)?;
        if !self.extractor.accepts(kind) {
            return Err(AppError::Unsupported {
                message: format!(
                    "{} files need OCR, which is not enabled: upload your resume as PDF, DOCX or plain text",
                    kind.label()
                ),
            });
        }
        let stored_name = stored_file_name(file.file_name.as_deref(), kind);
        let key = ObjectKey::child(&KeyPrefix::cvs(id), &stored_name).ok_or_else(|| {
            AppError::Internal(format!("sanitised name {stored_name:?} is not a valid key"))
        })?;
        self.files
            .put(&key, file.bytes.clone(), Precondition::None)
            .await?;
        let document = Document {
            bytes: file.bytes,
            kind,
            stored_at: Some(key.clone()),
        };
        let extracted = match self.extractor.extract(&document).await {
            Ok(extracted) => extracted,
            Err(e) => {
                self.discard(&key).await;
                tracing::info!(session_id = %id, code = e.code(), "resume refused");
                return Err(e.into());
            }
        };
        let now = self.clock.now();
        let options = Options {
            today: now.date_naive(),
            extract_skills: true,
            interview_type: Some(session.interview_type),
        };
        let text = extracted.text.clone();
        let analysis = super::cpu::run_heavy(move || cv_analyzer::analyze(&text, &options))
            .await
            .map_err(AppError::Internal)?
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let mut value = bounded(
            serde_json::to_value(&analysis).map_err(|e| AppError::Internal(e.to_string()))?,
        );
        value["document"] = json!({
            "filename": stored_name,
            "originalFilename": file.file_name.map(|n| n.chars().take(200).collect::<String>()),
            "storedAt": key.as_str(),
            "format": kind,
            "pages": extracted.pages,
            "extraction": extracted.method,
            "encoding": extracted.encoding,
            "characters": extracted.text.chars().count(),
            "uploadedAt": timestamp::format(&now),
        });
        let attached = self
            .sessions
            .update(id, caller, Transition::AttachCv, |s| {
                s.ensure_accepting()?;
                s.cv_analysis = Some(value.clone());
                Ok::<_, AppError>(())
            })
            .await;
        if let Err(refused) = attached {
            // Ended or deleted while the file was read: keep nothing the session does not refer to.
            self.discard(&key).await;
            return Err(refused);
        }
        tracing::info!(
            session_id = %id,
            format = %kind,
            pages = extracted.pages,
            skills = analysis.skills.len(),
            positions = analysis.experience.len(),
            "resume analysed"
        );
        Ok(AnalysedCv {
            analysis: value,
            message: summary_message(&analysis),
        })
    }

    async fn discard(&self, key: &ObjectKey) {
        if let Err(e) = self.files.delete(key).await {
            tracing::warn!(error = %e, %key, "could not remove an upload its session did not keep");
        }
    }

    /// The attached analysis; 404 with what to do when no resume was uploaded.
    pub async fn analysis(
        &self,
        caller: &Identity,
        id: &SessionId,
    ) -> Result<StoredAnalysis, AppError> {
        let session = self.sessions.get(id, caller).await?;
        let Some(analysis) = session.cv_analysis else {
            return Err(AppError::NotYet {
                code: "no_cv",
                message: format!(
                    "no resume has been uploaded for this session yet: upload one first with \
                     POST /api/interviews/{id}/upload-cv (the file in a multipart/form-data field)"
                ),
            });
        };
        let filename = analysis
            .get("document")
            .and_then(|d| d.get("filename"))
            .or_else(|| analysis.get("filename"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        Ok(StoredAnalysis { analysis, filename })
    }
}

/// Cuts the analysis's lists until it weighs at most [`MAX_ANALYSIS_BYTES`] as JSON.
fn bounded(mut analysis: Value) -> Value {
    let size = |v: &Value| serde_json::to_vec(v).map_or(usize::MAX, |b| b.len());
    for field in ["skillsByCategory", "experience", "education", "skills"] {
        while size(&analysis) > MAX_ANALYSIS_BYTES {
            match analysis.get_mut(field) {
                Some(Value::Array(items)) if !items.is_empty() => {
                    let keep = items.len() / 2;
                    items.truncate(keep);
                }
                Some(Value::Object(map)) if !map.is_empty() => {
                    map.clear();
                }
                _ => break,
            }
        }
    }
    analysis
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
fn summary_message(analysis: &CvAnalysis) -> String {
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

    #[test]
    fn an_oversized_analysis_is_cut_to_its_cap() {
        let jobs: Vec<Value> = (0..5_000)
            .map(|i| json!({"title": format!("Engineer {i}"), "company": "X".repeat(40)}))
            .collect();
        let cut = bounded(json!({"candidateName": "A", "experience": jobs, "skills": ["Go"]}));
        assert!(serde_json::to_vec(&cut).unwrap().len() <= MAX_ANALYSIS_BYTES);
        assert_eq!(cut["skills"], json!(["Go"]));
        assert!(!cut["experience"].as_array().unwrap().is_empty());
    }
}
