//! The REST routes by name: the contract between `template.yaml`, the Lambda mains and the local server.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;

use crate::api::{ApiError, ApiRequest, ApiResponse};
use crate::context::AppContext;
use crate::handlers;

/// Every REST route; each is its own Lambda whose binary is named by [`Route::binary`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    CreateSession,
    ListSessions,
    GetSession,
    DeleteSession,
    GetTranscript,
    UploadCv,
    GetCvAnalysis,
    EndInterview,
    GetPerformanceReport,
    ExecuteCode,
    ListSubmissions,
    GetSubmission,
    QualitySummary,
    AnalyticsAggregate,
    AnalyticsBenchmarks,
    AnalyticsTrends,
    CandidateHistory,
    SaveDraft,
    ListDrafts,
    CorrectCvAnalysis,
    AnalyticsHistory,
}

impl Route {
    /// All routes; a test checks this against `template.yaml` in both directions.
    pub const ALL: &'static [Route] = &[
        Route::CreateSession,
        Route::ListSessions,
        Route::GetSession,
        Route::DeleteSession,
        Route::GetTranscript,
        Route::UploadCv,
        Route::GetCvAnalysis,
        Route::EndInterview,
        Route::GetPerformanceReport,
        Route::ExecuteCode,
        Route::ListSubmissions,
        Route::GetSubmission,
        Route::QualitySummary,
        Route::AnalyticsAggregate,
        Route::AnalyticsBenchmarks,
        Route::AnalyticsTrends,
        Route::CandidateHistory,
        Route::SaveDraft,
        Route::ListDrafts,
        Route::CorrectCvAnalysis,
        Route::AnalyticsHistory,
    ];

    /// The binary (and `BuildProperties: Binary`) name of this route's Lambda.
    pub fn binary(self) -> &'static str {
        match self {
            Route::CreateSession => "create-session",
            Route::ListSessions => "list-sessions",
            Route::GetSession => "get-session",
            Route::DeleteSession => "delete-session",
            Route::GetTranscript => "get-transcript",
            Route::UploadCv => "upload-cv",
            Route::GetCvAnalysis => "get-cv-analysis",
            Route::EndInterview => "end-interview",
            Route::GetPerformanceReport => "get-performance-report",
            Route::ExecuteCode => "execute-code",
            Route::ListSubmissions => "list-submissions",
            Route::GetSubmission => "get-submission",
            Route::QualitySummary => "quality-summary",
            Route::AnalyticsAggregate => "analytics-aggregate",
            Route::AnalyticsBenchmarks => "analytics-benchmarks",
            Route::AnalyticsTrends => "analytics-trends",
            Route::CandidateHistory => "candidate-history",
            Route::SaveDraft => "save-draft",
            Route::ListDrafts => "list-drafts",
            Route::CorrectCvAnalysis => "correct-cv-analysis",
            Route::AnalyticsHistory => "analytics-history",
        }
    }

    /// The route a binary name belongs to.
    pub fn from_binary(name: &str) -> Option<Route> {
        Self::ALL.iter().copied().find(|r| r.binary() == name)
    }

    /// Runs this route's handler. Never fails and never unwinds: errors and panics become JSON error responses.
    pub async fn handle(self, ctx: &AppContext, req: ApiRequest) -> ApiResponse {
        self.respond(self.dispatch(ctx, req)).await
    }

    /// The response to one run of this route's handler (`handler`, already called): its answer, its error as JSON,
    /// or a 500 if it panicked. A Lambda main calls its own handler through this, so it links no other route's.
    pub async fn respond(
        self,
        handler: impl Future<Output = Result<ApiResponse, ApiError>>,
    ) -> ApiResponse {
        match AssertUnwindSafe(handler).catch_unwind().await {
            Ok(Ok(response)) => response,
            Ok(Err(error)) => error.into_response(),
            Err(_) => {
                ApiError::Internal(format!("handler {} panicked", self.binary())).into_response()
            }
        }
    }

    async fn dispatch(self, ctx: &AppContext, req: ApiRequest) -> Result<ApiResponse, ApiError> {
        match self {
            Route::CreateSession => handlers::sessions::create(ctx, req).await,
            Route::ListSessions => handlers::sessions::list(ctx, req).await,
            Route::GetSession => handlers::sessions::get(ctx, req).await,
            Route::DeleteSession => handlers::sessions::delete(ctx, req).await,
            Route::GetTranscript => handlers::transcript::get(ctx, req).await,
            Route::UploadCv => handlers::cv::upload(ctx, req).await,
            Route::GetCvAnalysis => handlers::cv::get_analysis(ctx, req).await,
            Route::EndInterview => handlers::interview_end::end(ctx, req).await,
            Route::GetPerformanceReport => handlers::performance_report::get(ctx, req).await,
            Route::ExecuteCode => handlers::code::execute(ctx, req).await,
            Route::ListSubmissions => handlers::code::list_submissions(ctx, req).await,
            Route::GetSubmission => handlers::code::get_submission(ctx, req).await,
            Route::QualitySummary => handlers::code::quality_summary(ctx, req).await,
            Route::AnalyticsAggregate => handlers::analytics::aggregate(ctx, req).await,
            Route::AnalyticsBenchmarks => handlers::analytics::benchmarks(ctx, req).await,
            Route::AnalyticsTrends => handlers::analytics::trends(ctx, req).await,
            Route::CandidateHistory => handlers::analytics::candidate_history(ctx, req).await,
            Route::SaveDraft => handlers::drafts::save(ctx, req).await,
            Route::ListDrafts => handlers::drafts::list(ctx, req).await,
            Route::CorrectCvAnalysis => handlers::cv::correct_analysis(ctx, req).await,
            Route::AnalyticsHistory => handlers::analytics::own_history(ctx, req).await,
        }
    }
}
