//! What an operator sees of a function: JSON log lines carrying the invocation's request id, and a metric for every
//! request we failed on our side.
//!
//! **Logs.** With the template's `LoggingConfig: {LogFormat: JSON}` Lambda sets `AWS_LAMBDA_LOG_FORMAT=JSON`, and
//! every line is a JSON object with a `level` field — which is what lets Lambda's application log-level filter
//! apply to a custom runtime's output at all. `lambda_runtime` opens a span per invocation carrying `requestId`
//! (and `xrayTraceId`), so each line names its request under `span`. Elsewhere (the local server, a terminal) the
//! lines are plain text.
//!
//! **Failures.** A REST route that fails on our side still answers its 500 (API Gateway would replace the body of a
//! failed invocation with its own, losing the `{"error": …}` shape), so Lambda's `Errors` metric never sees it.
//! Instead, each such request — a 5xx answer, a socket message that ended in an `internal` error or a broken
//! interviewer reply, a tool that failed inside — prints one line in CloudWatch's embedded metric format: CloudWatch
//! Logs turns it into the `PrepAI/HandlerErrors` metric (per function, and per stack for the alarm), at no API
//! call and with no extra permission.

use std::io::Write;

use serde_json::json;

/// The CloudWatch namespace of our own metrics.
pub const METRICS_NAMESPACE: &str = "PrepAI";
/// The metric counting requests a function failed on our side.
pub const HANDLER_ERRORS: &str = "HandlerErrors";
/// The variable naming the stack, the `Service` dimension (the template sets it to the stack name).
pub const SERVICE_ENV: &str = "PREPAI_METRICS_SERVICE";

/// Logs to stdout: JSON objects with a `level` field when Lambda asks for JSON (`AWS_LAMBDA_LOG_FORMAT=JSON`),
/// text otherwise; the level from `AWS_LAMBDA_LOG_LEVEL`, then `RUST_LOG`, else `info`.
pub fn init_logging() {
    let json = std::env::var("AWS_LAMBDA_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let level = std::env::var("AWS_LAMBDA_LOG_LEVEL")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "info".into());
    let _ = tracing::dispatcher::set_global_default(subscriber(json, &level, std::io::stdout));
}

/// The subscriber [`init_logging`] installs, writing to `writer`.
pub fn subscriber<W>(json: bool, level: &str, writer: W) -> tracing::Dispatch
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    let filter = tracing_subscriber::EnvFilter::new(level.to_lowercase());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_target(false)
        .with_writer(writer);
    if json {
        // Lambda stamps each line itself; the invocation's span (requestId, xrayTraceId) rides along.
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .without_time()
            .into()
    } else {
        builder.without_time().into()
    }
}

/// One embedded-metric-format line counting a request `function` failed (`what` says how, for the log reader).
pub fn handler_error_line(service: &str, function: &str, request_id: &str, what: &str) -> String {
    let line = json!({
        "_aws": {
            "Timestamp": chrono::Utc::now().timestamp_millis(),
            "CloudWatchMetrics": [{
                "Namespace": METRICS_NAMESPACE,
                "Dimensions": [["Service", "Function"], ["Service"]],
                "Metrics": [{"Name": HANDLER_ERRORS, "Unit": "Count"}]
            }]
        },
        // Kept whatever the log-level filter: a failure is an error.
        "level": "ERROR",
        "message": "request failed on our side",
        "Service": service,
        "Function": function,
        HANDLER_ERRORS: 1,
        "requestId": request_id,
        "failure": what,
    });
    line.to_string()
}

/// Counts one failed request of `function` (see the module's documentation).
pub fn report_handler_error(function: &str, request_id: &str, what: &str) {
    let service = std::env::var(SERVICE_ENV).unwrap_or_else(|_| "prepai".into());
    let line = handler_error_line(&service, function, request_id, what);
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
        type Writer = Captured;
        fn make_writer(&'a self) -> Self::Writer {
            self.clone()
        }
    }

    #[test]
    fn json_lines_carry_the_level_and_the_request_id() {
        let captured = Captured::default();
        let dispatch = subscriber(true, "info", captured.clone());
        tracing::dispatcher::with_default(&dispatch, || {
            // As lambda_runtime opens it around each invocation.
            let span = tracing::info_span!("Lambda runtime invoke", requestId = "req-123");
            let _entered = span.enter();
            tracing::info!(session_id = "s-1", "session created");
            tracing::debug!("filtered out at info");
        });
        let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1, "{text}");
        let line: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(line["level"], "INFO");
        assert_eq!(line["message"], "session created");
        assert_eq!(line["session_id"], "s-1");
        assert_eq!(line["span"]["requestId"], "req-123");
    }

    #[test]
    fn a_failure_is_one_embedded_metric_line() {
        let line: serde_json::Value = serde_json::from_str(&handler_error_line(
            "prepai-prod",
            "get-session",
            "req-9",
            "500 internal",
        ))
        .unwrap();
        let directive = &line["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(directive["Namespace"], METRICS_NAMESPACE);
        assert_eq!(directive["Metrics"][0]["Name"], HANDLER_ERRORS);
        // Every dimension named in a dimension set is a member of the line, as the format requires.
        for set in directive["Dimensions"].as_array().unwrap() {
            for dimension in set.as_array().unwrap() {
                assert!(line[dimension.as_str().unwrap()].is_string(), "{dimension}");
            }
        }
        assert_eq!(line[HANDLER_ERRORS], 1);
        assert_eq!(line["level"], "ERROR");
        assert_eq!(line["requestId"], "req-9");
        assert!(line["_aws"]["Timestamp"].is_i64());
    }
}
