//! The analytics routes: `GET /api/analytics/aggregate`, `/benchmarks/{interview_type}`, `/trends?days=N` and
//! `/candidate/{name}/history`. Each reads summary files only (see [`crate::analytics`]); admins see everyone's
//! interviews, other callers their own.

use crate::api::{ApiError, ApiRequest, ApiResponse};
use crate::app::analytics::TrendDays;
use crate::context::AppContext;
use crate::domain::{CandidateName, InterviewType};

/// `{scope, total_interviews, completed_interviews, completion_rate, average_score, average_scores,
/// interview_type_distribution, recommendation_distribution, …}`.
pub async fn aggregate(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    Ok(ApiResponse::ok(
        &ctx.analytics().aggregate(req.caller()?).await?,
    ))
}

/// `{scope: "all", interview_type, published, min_candidates, sample_size, candidates, method, note, benchmarks:
/// {overall, technical, problem_solving, communication, code_quality, cultural_fit}}`, each `{count, min, max,
/// average, p25, p50, p75, p90}`, over everyone's interviews of the type; counts and `benchmarks` are `null` to
/// non-admins until 20 distinct candidates contribute. 400 listing the valid types for an unknown
/// `interview_type`.
pub async fn benchmarks(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let raw = req.path_params.get("interview_type").ok_or_else(|| {
        ApiError::bad_request("missing_parameter", "the path needs an interview_type")
    })?;
    let interview_type = parse_decoded(raw, InterviewType::parse)
        .map_err(|e| ApiError::bad_request("invalid_interview_type", e.to_string()))?;
    Ok(ApiResponse::ok(
        &ctx.analytics()
            .benchmarks(req.caller()?, interview_type)
            .await?,
    ))
}

/// `GET /api/analytics/history`: the caller's own history — `{scope: "own", total_interviews, average_score,
/// best_score, latest_score, improvement, by_type: [{interview_type, …, scores_over_time}], outcomes:
/// [{recommendation, count}] strongest first, scores_over_time}` — without naming anyone.
pub async fn own_history(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    Ok(ApiResponse::ok(
        &ctx.analytics().own_history(req.caller()?).await?,
    ))
}

/// `{trend, change, slope_per_day, threshold, data: [{date, average_score, interviews}], …}` over the last `days`
/// days (default 30, 1–365; anything else is a 400).
pub async fn trends(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let days = match req.query.get("days").map(|d| d.trim()) {
        None | Some("") => TrendDays::default(),
        Some(raw) => TrendDays::parse(raw)?,
    };
    Ok(ApiResponse::ok(
        &ctx.analytics().trends(req.caller()?, days).await?,
    ))
}

/// `{candidate_name, total_interviews, average_score, best_score, latest_score, improvement, interview_types,
/// scores_over_time}` for the candidate named in the path (matched case-insensitively).
pub async fn candidate_history(ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
    let raw = req.path_params.get("name").ok_or_else(|| {
        ApiError::bad_request("missing_parameter", "the path needs a candidate name")
    })?;
    let name = parse_decoded(raw, CandidateName::parse)
        .map_err(|e| ApiError::bad_request("invalid_candidate_name", e.to_string()))?;
    Ok(ApiResponse::ok(
        &ctx.analytics().history(req.caller()?, &name).await?,
    ))
}

/// Parses a path parameter, percent-decoding it first when it still holds valid `%XX` escapes (an entrance that did
/// not decode it, or a client that encoded twice); a value that does not decode is parsed as given.
fn parse_decoded<T, E>(raw: &str, parse: impl Fn(&str) -> Result<T, E>) -> Result<T, E> {
    match percent_decode(raw) {
        Some(decoded) if decoded != raw => parse(&decoded),
        _ => parse(raw),
    }
}

/// `%XX` escapes decoded as UTF-8; `None` for a malformed escape or invalid UTF-8.
fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_escapes_are_decoded_once_when_needed() {
        assert_eq!(
            parse_decoded("Google%20SDE", InterviewType::parse),
            Ok(InterviewType::GoogleSde)
        );
        assert_eq!(
            parse_decoded("AWS SA", InterviewType::parse),
            Ok(InterviewType::AwsSa)
        );
        assert!(parse_decoded("Netflix%20SDE", InterviewType::parse).is_err());
        assert_eq!(
            parse_decoded("Ada%20Lovelace", CandidateName::parse)
                .unwrap()
                .as_str(),
            "Ada Lovelace"
        );
        assert_eq!(
            parse_decoded("100% Ada", CandidateName::parse)
                .unwrap()
                .as_str(),
            "100% Ada"
        );
        assert_eq!(percent_decode("Jos%C3%A9"), Some("José".to_owned()));
        assert_eq!(percent_decode("100%"), None);
        assert_eq!(percent_decode("%zz"), None);
    }
}
