//! What candidate code prints, held in memory per test and capped for the whole submission. Printing past the cap
//! ends the run with `OutputLimitExceeded` at once (from inside the write), so no `try` can swallow it and loop.

use std::cell::RefCell;

use prepai::tools::code_executor::{TestError, Verdict};

use super::Reporter;

struct Capture {
    reporter: Option<Reporter>,
    current: String,
    total: usize,
    limit: usize,
}

thread_local! {
    static CAPTURE: RefCell<Capture> = const {
        RefCell::new(Capture { reporter: None, current: String::new(), total: 0, limit: 0 })
    };
}

/// Installs the reporter and the output limit; the worker calls this once, before any candidate code exists.
pub(super) fn install(reporter: Reporter, limit: usize) {
    CAPTURE.with_borrow_mut(|c| {
        c.reporter = Some(reporter);
        c.limit = limit;
    });
}

pub(super) fn with_reporter(f: impl FnOnce(&mut Reporter)) {
    CAPTURE.with_borrow_mut(|c| {
        if let Some(reporter) = c.reporter.as_mut() {
            f(reporter);
        }
    });
}

/// Appends printed text; past the submission's limit, keeps what fits and stops the run.
pub(crate) fn write(text: &str) {
    let over = CAPTURE.with_borrow_mut(|c| {
        let room = c.limit.saturating_sub(c.total);
        if text.len() <= room {
            c.current.push_str(text);
            c.total += text.len();
            return None;
        }
        let mut cut = room;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        c.current.push_str(&text[..cut]);
        c.total += cut;
        Some(c.limit)
    });
    if let Some(limit) = over {
        super::stop_with_limit(
            Verdict::OutputLimitExceeded,
            TestError::new(
                "OutputLimitExceeded",
                format!("the code printed more than {limit} bytes"),
                None,
            ),
        );
    }
}

/// What the current test printed so far, leaving the buffer empty for the next one.
pub(crate) fn take_current() -> String {
    CAPTURE.with_borrow_mut(|c| std::mem::take(&mut c.current))
}
