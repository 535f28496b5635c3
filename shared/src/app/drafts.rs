//! Drafts: the editor's code per problem and language, saved as the candidate types (debounced by the app) and
//! read back when the interview page opens again — after a reload, on another device, or once a dropped connection
//! is back.

use crate::domain::{EditorLanguage, Identity, MAX_DRAFT_BYTES, ProblemId, SessionId};
use crate::knowledge::QuestionBank;
use crate::ports::Clock;
use crate::store::{Draft, DraftStore, SessionStore, SessionStoreError};

use super::AppError;

/// What the draft use cases need.
pub struct Drafts<'a> {
    pub sessions: &'a SessionStore,
    pub drafts: &'a DraftStore,
    pub clock: &'a dyn Clock,
    pub bank: &'a QuestionBank,
}

/// A draft to save, parsed.
pub struct DraftInput {
    pub problem_id: ProblemId,
    pub language: EditorLanguage,
    pub code: String,
}

impl Drafts<'_> {
    /// Saves the caller's draft on their running interview: 404 for a session that is not theirs, 409 once it has
    /// ended, 400 for a problem the bank does not have, 413 past [`MAX_DRAFT_BYTES`]. A draft written while the
    /// session was being deleted is removed again, so none outlives its session.
    pub async fn save(
        &self,
        caller: &Identity,
        id: &SessionId,
        input: DraftInput,
    ) -> Result<Draft, AppError> {
        if input.code.len() > MAX_DRAFT_BYTES {
            return Err(AppError::TooLarge {
                limit_bytes: MAX_DRAFT_BYTES,
                message: format!(
                    "a draft holds at most {MAX_DRAFT_BYTES} bytes of code (got {})",
                    input.code.len()
                ),
            });
        }
        let session = self.sessions.get(id, caller).await?;
        session.ensure_accepting()?;
        if self
            .bank
            .coding_problem(input.problem_id.as_str())
            .is_none()
        {
            return Err(AppError::invalid(
                "unknown_problem",
                format!(
                    "problemId {:?} is not a coding problem of the question bank",
                    input.problem_id.as_str()
                ),
            ));
        }
        let draft = Draft {
            problem_id: input.problem_id,
            language: input.language,
            code: input.code,
            updated_at: self.clock.now(),
        };
        self.drafts.put(id, &draft).await?;
        let still_there = match self.sessions.read(id).await {
            Ok(Some((current, _))) => current.ensure_present().is_ok(),
            Ok(None) => false,
            Err(SessionStoreError::Corrupt { .. }) => true,
            Err(e) => return Err(e.into()),
        };
        if !still_there {
            self.drafts
                .remove(id, &draft.problem_id, draft.language)
                .await?;
            return Err(AppError::not_found(format!("session {id}")));
        }
        Ok(draft)
    }

    /// The caller's drafts on one of their sessions, most recently changed first.
    pub async fn list(&self, caller: &Identity, id: &SessionId) -> Result<Vec<Draft>, AppError> {
        self.sessions.get(id, caller).await?;
        Ok(self.drafts.list(id).await?)
    }
}
