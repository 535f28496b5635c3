//! The bag of ports one entrance hands to its handlers: the adapters it chose at start-up (AWS or local — chosen in
//! `entry/` for the Lambdas and in `prepai-local` for the local server, never here), built once per cold start and
//! shared by every request. Each use case borrows only the ports it needs from it (see [`crate::app`]).

use std::sync::{Arc, OnceLock};

use crate::analytics::SummaryStore;
use crate::app;
use crate::domain::QuotaLimits;
use crate::knowledge::QuestionBank;
use crate::ports::{
    Clock, CodeRunner, Interviewer, Judge, NoCodeRunner, NoInterviewer, ObjectStore,
    RejectAllTokens, SpeechToText, SystemClock, TextExtractor, TextToSpeech, TokenVerifier,
};
use crate::store::{
    ConnectionStore, DraftStore, QuotaStore, ReportStore, SessionStore, SubmissionStore,
};
use crate::voice::VoiceSettings;

/// Everything a handler needs from the outside world.
#[derive(Clone)]
pub struct AppContext {
    pub sessions: SessionStore,
    pub clock: Arc<dyn Clock>,
    /// Runs candidate code (the code-executor Lambda on AWS, a sandboxed child process locally).
    pub code_runner: Arc<dyn CodeRunner>,
    /// Conducts the interview (the Bedrock Agent on AWS, the local interviewer over our bank otherwise).
    pub interviewer: Arc<dyn Interviewer>,
    /// Verifies the WebSocket's `?token=` (Cognito on AWS, the local secret locally).
    pub verifier: Arc<dyn TokenVerifier>,
    /// Reads uploaded resumes (in-process; Textract in front of it when `PREPAI_TEXTRACT=on`). Made on first use,
    /// so a function that never reads a resume never links the PDF and DOCX readers.
    text_extractor: OnceLock<Arc<dyn TextExtractor>>,
    /// Speech in and out (Transcribe and Polly on AWS, Whisper and espeak-ng locally), when configured.
    pub speech: SpeechServices,
    /// A language model that grades answers (Bedrock Converse on AWS, an OpenAI-compatible endpoint locally), when
    /// one is configured; without it the deterministic rubric scores alone.
    pub judge: Option<Arc<dyn Judge>>,
    /// Per-user daily limits (none unless an entrance sets them).
    pub quota_limits: QuotaLimits,
    submissions: SubmissionStore,
    drafts: DraftStore,
    reports: ReportStore,
    summaries: SummaryStore,
    connections: ConnectionStore,
    quotas: QuotaStore,
}

/// The voice side of an interview. Either direction may be missing: a candidate can speak and read the replies,
/// or type and listen.
#[derive(Clone, Default)]
pub struct SpeechServices {
    pub stt: Option<Arc<dyn SpeechToText>>,
    pub tts: Option<Arc<dyn TextToSpeech>>,
    pub settings: VoiceSettings,
    /// Why voice input is off, in words for the candidate (e.g. the local model is not installed).
    pub unavailable_reason: Option<String>,
}

impl SpeechServices {
    /// What to tell a candidate who tries to speak here; `None` when voice input works.
    pub fn unavailable_message(&self) -> Option<String> {
        self.stt.is_none().then(|| {
            self.unavailable_reason.clone().unwrap_or_else(|| {
                "voice input is not available on this server; type your answers".to_owned()
            })
        })
    }
}

impl AppContext {
    /// A context over an object store, with the system clock, the embedded bank, and inert ports for everything
    /// else (no code runner, no interviewer, every token refused, local text extraction): an entrance adds what
    /// its functions use.
    pub fn new(objects: Arc<dyn ObjectStore>) -> Self {
        Self {
            sessions: SessionStore::new(objects.clone()),
            submissions: SubmissionStore::new(objects.clone()),
            drafts: DraftStore::new(objects.clone()),
            reports: ReportStore::new(objects.clone()),
            summaries: SummaryStore::new(objects.clone()),
            quotas: QuotaStore::new(objects.clone()),
            connections: ConnectionStore::new(objects),
            clock: Arc::new(SystemClock),
            code_runner: Arc::new(NoCodeRunner),
            interviewer: Arc::new(NoInterviewer),
            verifier: Arc::new(RejectAllTokens),
            text_extractor: OnceLock::new(),
            speech: SpeechServices::default(),
            judge: None,
            quota_limits: QuotaLimits::UNLIMITED,
        }
    }

    /// The object store underneath.
    pub fn objects(&self) -> &Arc<dyn ObjectStore> {
        self.sessions.objects()
    }

    /// Replaces the speech services.
    pub fn with_speech(mut self, speech: SpeechServices) -> Self {
        self.speech = speech;
        self
    }

    /// Replaces the code runner (the local server and the code route's Lambda set theirs).
    pub fn with_code_runner(mut self, runner: Arc<dyn CodeRunner>) -> Self {
        self.code_runner = runner;
        self
    }

    /// Replaces the interviewer.
    pub fn with_interviewer(mut self, interviewer: Arc<dyn Interviewer>) -> Self {
        self.interviewer = interviewer;
        self
    }

    /// Replaces the token verifier.
    pub fn with_verifier(mut self, verifier: Arc<dyn TokenVerifier>) -> Self {
        self.verifier = verifier;
        self
    }

    /// Replaces the resume text extractor (Textract when configured).
    pub fn with_text_extractor(mut self, extractor: Arc<dyn TextExtractor>) -> Self {
        self.text_extractor = OnceLock::from(extractor);
        self
    }

    /// The resume text extractor: the one set, or the local one.
    pub fn text_extractor(&self) -> &Arc<dyn TextExtractor> {
        self.text_extractor.get_or_init(crate::extract::local)
    }

    /// The question bank compiled into this binary (parsed on first use: only the use cases that grade code or
    /// score interviews read it).
    pub fn bank(&self) -> &'static QuestionBank {
        QuestionBank::embedded()
    }

    /// Sets the daily quotas.
    pub fn with_quota_limits(mut self, limits: QuotaLimits) -> Self {
        self.quota_limits = limits;
        self
    }

    /// Sets the judge.
    pub fn with_judge(mut self, judge: Arc<dyn Judge>) -> Self {
        self.judge = Some(judge);
        self
    }

    /// Replaces the clock (tests pin time).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Replaces the session repository (tests use a tight retry policy).
    pub fn with_sessions(mut self, sessions: SessionStore) -> Self {
        self.sessions = sessions;
        self
    }

    /// The analytics summaries.
    pub fn summaries(&self) -> &SummaryStore {
        &self.summaries
    }

    /// Code runs stored one object each.
    pub fn submissions(&self) -> &SubmissionStore {
        &self.submissions
    }

    /// End-of-interview reports.
    pub fn reports(&self) -> &ReportStore {
        &self.reports
    }

    /// WebSocket connection records.
    pub fn connections(&self) -> &ConnectionStore {
        &self.connections
    }

    /// Daily quota checks.
    pub fn quota_cases(&self) -> app::quotas::Quotas<'_> {
        app::quotas::Quotas {
            store: &self.quotas,
            limits: self.quota_limits,
            clock: self.clock.as_ref(),
        }
    }

    /// Session use cases.
    pub fn session_cases(&self) -> app::sessions::Sessions<'_> {
        app::sessions::Sessions {
            sessions: &self.sessions,
            summaries: &self.summaries,
            quotas: self.quota_cases(),
            clock: self.clock.as_ref(),
        }
    }

    /// Code-run use cases.
    pub fn code_runs(&self) -> app::code::CodeRuns<'_> {
        app::code::CodeRuns {
            sessions: &self.sessions,
            submissions: &self.submissions,
            runner: self.code_runner.as_ref(),
            quotas: self.quota_cases(),
            clock: self.clock.as_ref(),
            bank: self.bank(),
        }
    }

    /// Editor draft use cases.
    pub fn drafts(&self) -> app::drafts::Drafts<'_> {
        app::drafts::Drafts {
            sessions: &self.sessions,
            drafts: &self.drafts,
            clock: self.clock.as_ref(),
            bank: self.bank(),
        }
    }

    /// Ending and report use cases.
    pub fn report_cases(&self) -> app::end::Reports<'_> {
        app::end::Reports {
            sessions: &self.sessions,
            submissions: &self.submissions,
            reports: &self.reports,
            summaries: &self.summaries,
            clock: self.clock.as_ref(),
            bank: self.bank(),
            judge: self.judge.as_deref(),
        }
    }

    /// The interviewer agent's resume tool on its interview.
    pub fn agent_resume(&self) -> app::agent_tools::AgentResume<'_> {
        app::agent_tools::AgentResume {
            sessions: &self.sessions,
        }
    }

    /// The interviewer agent's evaluator tool on its interview.
    pub fn agent_evaluation(&self) -> app::agent_tools::AgentEvaluation<'_> {
        app::agent_tools::AgentEvaluation {
            sessions: &self.sessions,
            reports: self.report_cases(),
        }
    }

    /// Resume use cases.
    pub fn resumes(&self) -> app::cv::Resumes<'_> {
        app::cv::Resumes {
            sessions: &self.sessions,
            files: self.sessions.objects().as_ref(),
            extractor: self.text_extractor().as_ref(),
            clock: self.clock.as_ref(),
        }
    }

    /// The interview turn.
    pub fn interview(&self) -> app::interview::Interview<'_> {
        app::interview::Interview {
            sessions: &self.sessions,
            interviewer: self.interviewer.as_ref(),
            clock: self.clock.as_ref(),
        }
    }

    /// Spoken answers.
    pub fn voice(&self) -> app::voice::Voice<'_> {
        app::voice::Voice {
            connections: &self.connections,
            recordings: self.sessions.objects().as_ref(),
            stt: self.speech.stt.as_deref(),
            settings: self.speech.settings,
            unavailable: self.speech.unavailable_message(),
            quotas: self.quota_cases(),
            clock: self.clock.as_ref(),
        }
    }

    /// Opening and closing sockets.
    pub fn socket_connections(&self) -> app::connection::Connections<'_> {
        app::connection::Connections {
            sessions: &self.sessions,
            connections: &self.connections,
            verifier: self.verifier.as_ref(),
            clock: self.clock.as_ref(),
        }
    }

    /// Analytics.
    pub fn analytics(&self) -> app::analytics::Analytics<'_> {
        app::analytics::Analytics {
            summaries: &self.summaries,
            clock: self.clock.as_ref(),
        }
    }
}
