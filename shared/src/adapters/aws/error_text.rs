//! Service errors as one line for the logs: the error and its causes, without the SDK's debug dump of the raw
//! response.

use std::error::Error;

/// `e`'s message followed by each cause's, joined with ": ".
pub(super) fn error_chain(e: &(dyn Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// `text` with AWS's request id appended when there is one, so a failure can be traced on AWS's side.
pub(super) fn with_request_id(text: String, request_id: Option<&str>) -> String {
    match request_id {
        Some(id) => format!("{text} (request id {id})"),
        None => text,
    }
}
