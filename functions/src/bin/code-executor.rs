//! Lambda for the code-executor tool (direct input and Bedrock action-group events). Candidate code runs in worker
//! processes that are this same binary re-run, so the worker hook comes before anything else — in particular
//! before the tokio runtime starts its threads, which a worker must never have.

fn main() -> Result<(), lambda_http::lambda_runtime::Error> {
    prepai_sandbox::worker::run_if_requested();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(prepai::entry::tool_lambda::serve(
            "code-executor",
            prepai_sandbox::execute,
        ))
}
