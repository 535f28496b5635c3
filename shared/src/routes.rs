//! The REST routes by name: the contract between `template.yaml`, the Lambda mains and the local server.

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
}

impl Route {
    /// All routes; a test checks this against `template.yaml` in both directions.
    pub const ALL: &'static [Route] = &[
        Route::CreateSession,
        Route::ListSessions,
        Route::GetSession,
        Route::DeleteSession,
        Route::GetTranscript,
    ];

    /// The binary (and `BuildProperties: Binary`) name of this route's Lambda.
    pub fn binary(self) -> &'static str {
        match self {
            Route::CreateSession => "create-session",
            Route::ListSessions => "list-sessions",
            Route::GetSession => "get-session",
            Route::DeleteSession => "delete-session",
            Route::GetTranscript => "get-transcript",
        }
    }

    /// The route a binary name belongs to.
    pub fn from_binary(name: &str) -> Option<Route> {
        Self::ALL.iter().copied().find(|r| r.binary() == name)
    }

    /// Runs this route's handler. Never fails and never unwinds: errors and panics become JSON error responses.
    pub async fn handle(self, ctx: &AppContext, req: ApiRequest) -> ApiResponse {
        let outcome = AssertUnwindSafe(self.dispatch(ctx, req))
            .catch_unwind()
            .await;
        match outcome {
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
        }
    }
}
