//! Code runs: run a submission in the sandbox (through the code-runner port), store the run as its own object, list
//! it on the session — refused once the interview has ended — and read runs back.

use crate::domain::{
    CodeRunSummary, Identity, QuotaKind, RunMode, Session, SessionId, SubmissionEntry,
    SubmissionId, Transition,
};
use crate::knowledge::{CodingProblem, QuestionBank};
use crate::ports::{Clock, CodeRunner};
use crate::store::{SessionStore, SubmissionStore};
use crate::tools::code_executor::{
    CodeSubmission, ExecutionRequest, Language, QualitySummary, TestCase,
};

use super::AppError;
use super::quotas::Quotas;

/// The most runs one session keeps. Each is its own object (code up to 64 KiB, outputs cut to 4 KiB a test), and
/// the session document lists each in one short line, so this bounds both.
pub const MAX_SUBMISSIONS_PER_SESSION: usize = 100;

/// What the code-run use cases need.
pub struct CodeRuns<'a> {
    pub sessions: &'a SessionStore,
    pub submissions: &'a SubmissionStore,
    pub runner: &'a dyn CodeRunner,
    pub quotas: Quotas<'a>,
    pub clock: &'a dyn Clock,
    pub bank: &'static QuestionBank,
}

/// Which tests a run is judged by.
#[derive(Clone, Debug, PartialEq)]
pub enum Tests {
    /// The tests of this bank problem: a graded run.
    Problem(String),
    /// The tests of the problem the interviewer has posed in this session: a graded run.
    OpenProblem,
    /// The candidate's own tests: a scratch run, recorded but never scored.
    Scratch(Vec<TestCase>),
}

/// A run as the candidate asked for it, parsed.
#[derive(Clone, Debug)]
pub struct RunRequest {
    pub code: String,
    pub language: Language,
    /// Required for scratch runs; a graded run uses the problem's function name for the language.
    pub function_name: Option<String>,
    pub tests: Tests,
}

/// A recorded run.
#[derive(Clone, Debug)]
pub struct RecordedRun {
    pub session_id: SessionId,
    pub submission: CodeSubmission,
}

impl RecordedRun {
    /// What the interviewer is told about it.
    pub fn summary(&self) -> CodeRunSummary {
        summarise(&self.submission)
    }
}

/// A session's runs with their figures.
pub struct RunList {
    pub session_id: SessionId,
    pub submissions: Vec<CodeSubmission>,
    pub summary: QualitySummary,
}

impl CodeRuns<'_> {
    /// Runs `request` for the caller's session and records it. Refused before anything runs when the interview
    /// has ended, the session has its most runs or the caller has used today's runs (429); refused after the run
    /// (and the stored run removed) if the interview ended while it ran, so the report covers exactly the runs the
    /// session accepted.
    pub async fn run(
        &self,
        caller: &Identity,
        session_id: &SessionId,
        request: RunRequest,
    ) -> Result<RecordedRun, AppError> {
        let session = self.sessions.get(session_id, caller).await?;
        session.ensure_accepting()?;
        if session.code_submissions.len() >= MAX_SUBMISSIONS_PER_SESSION {
            return Err(too_many_submissions());
        }
        let (execution, problem_id, mode) = self.execution(&session, request)?;
        self.quotas
            .spend(&caller.owner_key(), QuotaKind::CodeRuns, 1)
            .await?;
        let result = self.runner.run(&execution).await?;
        let mut submission = CodeSubmission {
            submission_id: SubmissionId::new_random(),
            timestamp: self.clock.now(),
            code: execution.code,
            problem_id,
            mode,
            result,
        };
        for test in &mut submission.result.test_results {
            test.bound_for_storage();
        }
        self.submissions.put(session_id, &submission).await?;
        let line = SubmissionEntry::Ref(submission.to_ref());
        let recorded = self
            .sessions
            .update(session_id, caller, Transition::RecordRun, |s| {
                s.ensure_accepting()?;
                if s.code_submissions.len() >= MAX_SUBMISSIONS_PER_SESSION {
                    return Err(too_many_submissions());
                }
                s.activate()?;
                s.code_submissions.push(line.clone());
                Ok::<_, AppError>(())
            })
            .await;
        if let Err(refused) = recorded {
            if let Err(e) = self
                .submissions
                .remove(session_id, &submission.submission_id)
                .await
            {
                tracing::warn!(error = %e, "could not remove a run its session refused");
            }
            return Err(refused);
        }
        tracing::info!(
            session_id = %session_id,
            submission_id = %submission.submission_id,
            language = %submission.result.language,
            mode = ?submission.mode,
            verdict = ?submission.result.verdict,
            "code run recorded"
        );
        Ok(RecordedRun {
            session_id: *session_id,
            submission,
        })
    }

    /// The submission to run: the problem's tests and function name for a graded run, the candidate's for a
    /// scratch run.
    fn execution(
        &self,
        session: &Session,
        request: RunRequest,
    ) -> Result<(ExecutionRequest, Option<String>, RunMode), AppError> {
        let refused = |e: crate::tools::ToolError| AppError::invalid(e.code, e.message);
        let problem_id = match request.tests {
            Tests::Scratch(cases) => {
                let Some(name) = request.function_name.as_deref() else {
                    return Err(AppError::invalid(
                        "missing_function",
                        "functionName is required with your own testCases: the name of the function they call",
                    ));
                };
                let execution = ExecutionRequest::new(request.code, request.language, name, cases)
                    .map_err(refused)?;
                return Ok((execution, None, RunMode::Scratch));
            }
            Tests::Problem(id) => id,
            Tests::OpenProblem => open_problem_id(session).ok_or_else(|| {
                AppError::invalid(
                    "no_open_problem",
                    "no coding problem is open in this interview: name one with problemId, or send your own \
                     testCases for a scratch run",
                )
            })?,
        };
        let problem = self.problem(&problem_id)?;
        let name = match request.language {
            Language::Python => &problem.function_names.python,
            Language::JavaScript => &problem.function_names.javascript,
        };
        let cases = graded_tests(problem).map_err(refused)?;
        let execution =
            ExecutionRequest::new(request.code, request.language, name, cases).map_err(refused)?;
        Ok((execution, Some(problem_id), RunMode::Graded))
    }

    fn problem(&self, id: &str) -> Result<&CodingProblem, AppError> {
        self.bank.coding_problem(id).ok_or_else(|| {
            AppError::invalid(
                "unknown_problem",
                format!(
                    "problemId {:?} is not one of our coding problems",
                    id.chars().take(64).collect::<String>()
                ),
            )
        })
    }

    /// The caller's runs on a session, oldest first, with their figures.
    pub async fn list(&self, caller: &Identity, id: &SessionId) -> Result<RunList, AppError> {
        let session = self.sessions.get(id, caller).await?;
        let submissions = self
            .submissions
            .resolve(id, &session.code_submissions)
            .await?;
        Ok(RunList {
            session_id: *id,
            summary: QualitySummary::of(&submissions),
            submissions,
        })
    }

    /// One run of the caller's session.
    pub async fn get(
        &self,
        caller: &Identity,
        id: &SessionId,
        submission: &SubmissionId,
    ) -> Result<CodeSubmission, AppError> {
        let session = self.sessions.get(id, caller).await?;
        let entry = session
            .code_submissions
            .iter()
            .find(|e| e.id() == Some(*submission))
            .ok_or_else(|| AppError::not_found(format!("submission {submission}")))?;
        self.submissions
            .resolve(id, std::slice::from_ref(entry))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::not_found(format!("submission {submission}")))
    }
}

/// The tests a graded run of `problem` is judged by: its examples and its hidden tests.
pub fn graded_tests(problem: &CodingProblem) -> Result<Vec<TestCase>, crate::tools::ToolError> {
    TestCase::parse_list(&serde_json::Value::Array(
        problem.graded_tests().cloned().collect(),
    ))
}

/// The id of the problem the interviewer posed in this session.
pub fn open_problem_id(session: &Session) -> Option<String> {
    session
        .coding_problem
        .as_ref()
        .and_then(|p| p.get("id"))
        .and_then(|id| id.as_str())
        .map(str::to_owned)
}

fn too_many_submissions() -> AppError {
    AppError::Conflict {
        code: "too_many_submissions",
        message: format!(
            "this session already has {MAX_SUBMISSIONS_PER_SESSION} code submissions, the most it keeps"
        ),
    }
}

/// What the interviewer hears about a run: counts and the first failure, in words.
pub fn summarise(submission: &CodeSubmission) -> CodeRunSummary {
    let result = &submission.result;
    let first_failure = result
        .test_results
        .iter()
        .find(|t| !t.passed)
        .map(|t| match &t.error {
            Some(error) => format!("input {} raised {}", compact(&t.input), error.message),
            None => format!(
                "input {} expected {} but got {}",
                compact(&t.input),
                compact(&t.expected),
                t.actual
                    .as_ref()
                    .map_or_else(|| "nothing".to_owned(), compact)
            ),
        })
        .or_else(|| result.error.as_ref().map(|e| e.message.clone()));
    CodeRunSummary {
        language: result.language.to_string(),
        passed: result.passed_count,
        total: result.total_count,
        first_failure,
    }
}

fn compact(value: &serde_json::Value) -> String {
    let text = match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(80).collect::<String>())
    } else {
        text
    }
}
