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
        if analysis.found_nothing() {
            self.discard(&key).await;
            tracing::info!(session_id = %id, code = "not_a_resume", "resume refused");
            return Err(AppError::Unprocessable {
                code: "not_a_resume",
                message: "the file's text does not read as a resume: no name, contact details, positions, \
                          education or skills were found in it; upload your resume as PDF, DOCX or plain text"
                    .into(),
            });
        }
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

/// The most skills a corrected analysis lists.
pub const MAX_CORRECTED_SKILLS: usize = 100;
/// The most positions a corrected analysis lists.
pub const MAX_CORRECTED_POSITIONS: usize = 30;
/// The most degrees a corrected analysis lists.
pub const MAX_CORRECTED_DEGREES: usize = 20;
/// The longest skill name.
const MAX_SKILL_CHARS: usize = 60;
/// The longest title, company, degree, institution or name.
const MAX_TEXT_CHARS: usize = 200;
/// The longest date (`YYYY-MM`, `YYYY`, `Present`, or what the resume said).
const MAX_DATE_CHARS: usize = 20;

/// A candidate's corrections to the analysis, checked: each field present replaces the analysis's (absent fields
/// are kept), texts are trimmed and bounded, lists are bounded. Made only by [`CvCorrections::parse`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CvCorrections {
    candidate_name: Option<Option<String>>,
    email: Option<Option<String>>,
    phone: Option<Option<String>>,
    skills: Option<Vec<String>>,
    experience: Option<Vec<cv_analyzer::ExperienceEntry>>,
    education: Option<Vec<cv_analyzer::EducationEntry>>,
}

/// The corrections as sent, before checking (`PUT …/cv-analysis` deserialises into this; unknown fields are
/// refused there).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CvCorrectionsInput {
    #[serde(default)]
    pub candidate_name: Option<Option<String>>,
    #[serde(default)]
    pub email: Option<Option<String>>,
    #[serde(default)]
    pub phone: Option<Option<String>>,
    #[serde(default)]
    pub skills: Option<Vec<String>>,
    #[serde(default)]
    pub experience: Option<Vec<PositionInput>>,
    #[serde(default)]
    pub education: Option<Vec<DegreeInput>>,
}

/// One position as sent.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PositionInput {
    pub title: String,
    pub company: String,
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default)]
    pub duration_months: Option<u32>,
}

/// One degree as sent.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DegreeInput {
    pub degree: String,
    pub institution: String,
    #[serde(default)]
    pub year: Option<String>,
}

/// A bounded, trimmed text without control characters; `what` names the field in the refusal.
fn checked_text(raw: &str, what: &str, max: usize) -> Result<String, AppError> {
    let text = raw.trim();
    if text.chars().count() > max {
        return Err(AppError::invalid(
            "invalid_cv_correction",
            format!("{what} is longer than {max} characters"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "invalid_cv_correction",
            format!("{what} contains control characters"),
        ));
    }
    Ok(text.to_owned())
}

fn checked_optional(
    raw: Option<String>,
    what: &str,
    max: usize,
) -> Result<Option<String>, AppError> {
    Ok(match raw {
        Some(text) => Some(checked_text(&text, what, max)?).filter(|t| !t.is_empty()),
        None => None,
    })
}

fn bounded_list<T>(items: &[T], what: &str, max: usize) -> Result<(), AppError> {
    if items.len() > max {
        return Err(AppError::invalid(
            "invalid_cv_correction",
            format!("{what} lists at most {max} entries (got {})", items.len()),
        ));
    }
    Ok(())
}

impl CvCorrections {
    /// Checks every field: 400 `invalid_cv_correction` naming the field for text too long, control characters,
    /// too many entries, an empty skill, title or degree, or a duration over 100 years.
    pub fn parse(input: CvCorrectionsInput) -> Result<Self, AppError> {
        let contact = |value: Option<Option<String>>, what: &str, max: usize| {
            value.map(|v| checked_optional(v, what, max)).transpose()
        };
        let skills = match input.skills {
            None => None,
            Some(list) => {
                bounded_list(&list, "skills", MAX_CORRECTED_SKILLS)?;
                let mut out = Vec::with_capacity(list.len());
                for (i, skill) in list.iter().enumerate() {
                    let skill = checked_text(skill, &format!("skills[{i}]"), MAX_SKILL_CHARS)?;
                    if skill.is_empty() {
                        return Err(AppError::invalid(
                            "invalid_cv_correction",
                            format!("skills[{i}] is empty"),
                        ));
                    }
                    out.push(skill);
                }
                Some(out)
            }
        };
        let experience = match input.experience {
            None => None,
            Some(list) => {
                bounded_list(&list, "experience", MAX_CORRECTED_POSITIONS)?;
                let mut out = Vec::with_capacity(list.len());
                for (i, job) in list.into_iter().enumerate() {
                    let title = checked_text(
                        &job.title,
                        &format!("experience[{i}].title"),
                        MAX_TEXT_CHARS,
                    )?;
                    let company = checked_text(
                        &job.company,
                        &format!("experience[{i}].company"),
                        MAX_TEXT_CHARS,
                    )?;
                    if title.is_empty() && company.is_empty() {
                        return Err(AppError::invalid(
                            "invalid_cv_correction",
                            format!("experience[{i}] needs a title or a company"),
                        ));
                    }
                    let duration = job.duration_months.unwrap_or(0);
                    if duration > 1200 {
                        return Err(AppError::invalid(
                            "invalid_cv_correction",
                            format!("experience[{i}].durationMonths is over 100 years"),
                        ));
                    }
                    out.push(cv_analyzer::ExperienceEntry {
                        title,
                        company,
                        start_date: checked_optional(
                            job.start_date,
                            &format!("experience[{i}].startDate"),
                            MAX_DATE_CHARS,
                        )?
                        .unwrap_or_default(),
                        end_date: checked_optional(
                            job.end_date,
                            &format!("experience[{i}].endDate"),
                            MAX_DATE_CHARS,
                        )?
                        .unwrap_or_default(),
                        duration_months: duration,
                    });
                }
                Some(out)
            }
        };
        let education = match input.education {
            None => None,
            Some(list) => {
                bounded_list(&list, "education", MAX_CORRECTED_DEGREES)?;
                let mut out = Vec::with_capacity(list.len());
                for (i, degree) in list.into_iter().enumerate() {
                    let name = checked_text(
                        &degree.degree,
                        &format!("education[{i}].degree"),
                        MAX_TEXT_CHARS,
                    )?;
                    let institution = checked_text(
                        &degree.institution,
                        &format!("education[{i}].institution"),
                        MAX_TEXT_CHARS,
                    )?;
                    if name.is_empty() && institution.is_empty() {
                        return Err(AppError::invalid(
                            "invalid_cv_correction",
                            format!("education[{i}] needs a degree or an institution"),
                        ));
                    }
                    out.push(cv_analyzer::EducationEntry {
                        degree: name,
                        institution,
                        year: checked_optional(
                            degree.year,
                            &format!("education[{i}].year"),
                            MAX_DATE_CHARS,
                        )?,
                    });
                }
                Some(out)
            }
        };
        Ok(Self {
            candidate_name: contact(input.candidate_name, "candidateName", MAX_TEXT_CHARS)?,
            email: contact(input.email, "email", 254)?,
            phone: contact(input.phone, "phone", 40)?,
            skills,
            experience,
            education,
        })
    }

    /// Applies the corrections to `analysis`.
    fn apply(self, analysis: &mut CvAnalysis) {
        if let Some(v) = self.candidate_name {
            analysis.candidate_name = v;
        }
        if let Some(v) = self.email {
            analysis.email = v;
        }
        if let Some(v) = self.phone {
            analysis.phone = v;
        }
        if let Some(v) = self.skills {
            analysis.skills = v;
        }
        if let Some(v) = self.experience {
            analysis.experience = v;
        }
        if let Some(v) = self.education {
            analysis.education = v;
        }
    }
}

impl Resumes<'_> {
    /// Saves the candidate's corrections on the session's analysis (creating one when no resume was uploaded), and
    /// recomputes what follows from them (skill categories, the fit with the interview type, years of
    /// experience). The interviewer reads the corrected analysis from then on. Refused once the interview has
    /// ended.
    pub async fn correct(
        &self,
        caller: &Identity,
        id: &SessionId,
        corrections: CvCorrections,
    ) -> Result<Value, AppError> {
        let now = self.clock.now();
        let (_, value) = self
            .sessions
            .update(id, caller, Transition::CorrectCv, |s| {
                s.ensure_accepting()?;
                let existing = s.cv_analysis.clone().unwrap_or_else(|| json!({}));
                let mut analysis = read_analysis(&existing);
                corrections.clone().apply(&mut analysis);
                cv_analyzer::revise(&mut analysis, Some(s.interview_type), now.date_naive())
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                let mut value = bounded(
                    serde_json::to_value(&analysis)
                        .map_err(|e| AppError::Internal(e.to_string()))?,
                );
                if let Some(document) = existing.get("document") {
                    value["document"] = document.clone();
                }
                value["correctedAt"] = json!(timestamp::format(&now));
                s.cv_analysis = Some(value.clone());
                Ok::<_, AppError>(value)
            })
            .await?;
        tracing::info!(session_id = %id, "resume analysis corrected");
        Ok(value)
    }
}

/// The stored analysis as the analyser's type; fields missing or unreadable (an analysis from another version)
/// start empty.
fn read_analysis(stored: &Value) -> CvAnalysis {
    let text = |field: &str| stored.get(field).and_then(Value::as_str).map(str::to_owned);
    let list = |field: &str| stored.get(field).cloned().unwrap_or_else(|| json!([]));
    CvAnalysis {
        candidate_name: text("candidateName"),
        email: text("email"),
        phone: text("phone"),
        skills: serde_json::from_value(list("skills")).unwrap_or_default(),
        skills_by_category: Default::default(),
        primary_category: None,
        experience: serde_json::from_value(list("experience")).unwrap_or_default(),
        education: serde_json::from_value(list("education")).unwrap_or_default(),
        total_years_experience: 0.0,
        interview_match: None,
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
