//! `PUT /api/interviews/{session_id}/drafts` and `GET /api/interviews/{session_id}/drafts`: the editor's code per
//! problem and language. Parsing and rendering only; see [`crate::app::drafts`].

use serde::{Deserialize, Serialize};

use crate::api::{ApiError, ApiRequest, ApiResponse};
use crate::app::drafts::DraftInput;
use crate::context::AppContext;
use crate::domain::{EditorLanguage, ProblemId, SessionId};
use crate::store::Draft;

/// The body: exactly these three fields.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DraftBody {
    problem_id: String,
    language: String,
    code: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Saved<'a> {
    session_id: SessionId,
    #[serde(flatten)]
    draft: &'a Draft,
}

#[derive(Serialize)]
struct DraftList<'a> {
    drafts: &'a [Draft],
}

/// Saves one draft: `{problemId, language, code}` → `{sessionId, problemId, language, code, updatedAt}`.
pub async fn save(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let caller = req.caller()?;
    let id = req.session_id()?;
    let body: DraftBody = req.json_object()?;
    let input = DraftInput {
        problem_id: ProblemId::parse(&body.problem_id)
            .map_err(|e| ApiError::bad_request("invalid_problem_id", e.to_string()))?,
        language: EditorLanguage::parse(&body.language)
            .map_err(|e| ApiError::bad_request("unsupported_language", e.to_string()))?,
        code: body.code,
    };
    let draft = ctx.drafts().save(caller, &id, input).await?;
    Ok(ApiResponse::ok(&Saved {
        session_id: id,
        draft: &draft,
    }))
}

/// The session's drafts: `{drafts: [{problemId, language, code, updatedAt}]}`, most recent first.
pub async fn list(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let drafts = ctx.drafts().list(req.caller()?, &req.session_id()?).await?;
    Ok(ApiResponse::ok(&DraftList { drafts: &drafts }))
}
