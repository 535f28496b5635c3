//! Recording adapters: each port our AWS adapters implement, served by a working local stand-in, with every call
//! written down as the AWS call the real adapter would make — `(action, resource)` as IAM authorises it — and the
//! function (binary) that made it. Resources are addressed from the function's own environment, as the real
//! adapters address them (`PREPAI_BUCKET`, `PREPAI_AGENT_ID`, `PREPAI_CODE_EXECUTOR_FUNCTION`, …), so a function
//! deployed without a setting addresses nothing it may touch.
//!
//! | port | real adapter | recorded as |
//! | --- | --- | --- |
//! | ObjectStore get / put / delete / list | S3 GetObject / PutObject (conditional or not) / DeleteObject / ListObjectsV2 | `s3:GetObject` (plus `s3:ListBucket` on the bucket when the object is missing: S3 answers 403, not 404, without it), `s3:PutObject`, `s3:DeleteObject` on `arn:aws:s3:::<bucket>/<key>`; `s3:ListBucket` on the bucket |
//! | Interviewer turn | InvokeAgent (and again for each `returnControl` answered) | `bedrock:InvokeAgent` on the alias ARN; the agent's own model calls and retrievals under `(agent)` |
//! | CodeRunner | Lambda Invoke | `lambda:InvokeFunction` on the function ARN |
//! | SpeechToText / TextToSpeech | StartStreamTranscription / SynthesizeSpeech | `transcribe:StartStreamTranscription`, `polly:SynthesizeSpeech` on `*` |
//! | TextExtractor (Textract in front of the local one) | DetectDocumentText, or StartDocumentTextDetection from S3 + GetDocumentTextDetection | the Textract actions on `*`, and `s3:GetObject` on the stored upload (Textract reads it as the caller) |
//! | Judge | Bedrock Runtime Converse | `bedrock:InvokeModel` on the inference profile, and on each foundation model it routes to with `bedrock:InferenceProfileArn` set |
//! | PushChannel | PostToConnection | `execute-api:ManageConnections` on `…:<api>/<stage>/POST/@connections/<id>` |

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use bytes::Bytes;
use futures::StreamExt;
use futures::future::BoxFuture;
use prepai::domain::ConnectionId;
use prepai::ports::{
    CodeRunner, CodeRunnerError, Document, DocumentKind, ETag, ExtractError, ExtractedText,
    ExtractionMethod, InterviewTurn, Interviewer, InterviewerError, InterviewerEvent,
    InterviewerStream, Judge, JudgeError, JudgeRequest, JudgeVerdict, KeyPrefix, ObjectKey,
    ObjectStore, Precondition, PushChannel, PushError, SpeechClip, SpeechError, SpeechToText,
    StoreError, StoredObject, TextExtractor, TextToSpeech, TranscriptStream,
};
use prepai::tools::code_executor::{ExecutionRequest, ExecutionResult};

use crate::iam::{ACCOUNT, Call, PARTITION, REGION};

/// The principal the agent's own calls (its model, its knowledge base) are made as.
pub const AGENT: &str = "(agent)";

/// One recorded call and who made it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Recorded {
    pub function: String,
    pub call: Call,
}

/// Something to do once, right after a matching call (to stage a race deterministically).
pub type Hook = Box<dyn FnOnce() -> BoxFuture<'static, ()> + Send>;

/// Every call, in order, and the hooks waiting for one.
#[derive(Clone, Default)]
pub struct CallLog {
    calls: Arc<Mutex<Vec<Recorded>>>,
    hooks: Arc<Mutex<Vec<(String, String, Hook)>>>,
}

impl CallLog {
    pub fn calls(&self) -> Vec<Recorded> {
        self.calls.lock().unwrap().clone()
    }

    fn record(&self, function: &str, call: Call) {
        self.calls.lock().unwrap().push(Recorded {
            function: function.to_owned(),
            call,
        });
    }

    /// Runs `hook` once, right after `function`'s next call of `action` on a resource containing `resource_part`.
    pub fn after(&self, function: &str, action_and_resource: (&str, &str), hook: Hook) {
        let (action, part) = action_and_resource;
        self.hooks
            .lock()
            .unwrap()
            .push((format!("{function} {action}"), part.to_owned(), hook));
    }

    async fn fire(&self, function: &str, call: &Call) {
        let wanted = format!("{function} {}", call.action);
        let hook = {
            let mut hooks = self.hooks.lock().unwrap();
            let found = hooks
                .iter()
                .position(|(who, part, _)| *who == wanted && call.resource.contains(part.as_str()));
            found.map(|i| hooks.remove(i).2)
        };
        if let Some(hook) = hook {
            hook().await;
        }
    }
}

/// One function's view: its name, its environment as deployed, and the log.
#[derive(Clone)]
pub struct Recorder {
    pub function: String,
    pub env: BTreeMap<String, String>,
    pub log: CallLog,
}

impl Recorder {
    pub fn new(function: &str, env: BTreeMap<String, String>, log: CallLog) -> Self {
        Self {
            function: function.to_owned(),
            env,
            log,
        }
    }

    fn var(&self, name: &str) -> String {
        self.env.get(name).cloned().unwrap_or_default()
    }

    async fn call(&self, call: Call) {
        self.log.record(&self.function, call.clone());
        self.log.fire(&self.function, &call).await;
    }

    fn bucket_arn(&self) -> String {
        format!("arn:{PARTITION}:s3:::{}", self.var("PREPAI_BUCKET"))
    }

    fn object_arn(&self, key: &str) -> String {
        format!("{}/{key}", self.bucket_arn())
    }
}

/// The object store, recorded as S3.
pub struct RecordingStore {
    inner: Arc<dyn ObjectStore>,
    recorder: Recorder,
}

impl RecordingStore {
    pub fn new(inner: Arc<dyn ObjectStore>, recorder: Recorder) -> Self {
        Self { inner, recorder }
    }
}

#[async_trait]
impl ObjectStore for RecordingStore {
    async fn get(&self, key: &ObjectKey) -> Result<Option<StoredObject>, StoreError> {
        let found = self.inner.get(key).await?;
        self.recorder
            .call(Call::new(
                "s3:GetObject",
                &self.recorder.object_arn(key.as_str()),
            ))
            .await;
        if found.is_none() {
            self.recorder
                .call(
                    Call::new("s3:ListBucket", &self.recorder.bucket_arn())
                        .with("s3:prefix", key.as_str()),
                )
                .await;
        }
        Ok(found)
    }

    async fn put(
        &self,
        key: &ObjectKey,
        body: Bytes,
        precondition: Precondition,
    ) -> Result<ETag, StoreError> {
        let written = self.inner.put(key, body, precondition).await;
        self.recorder
            .call(Call::new(
                "s3:PutObject",
                &self.recorder.object_arn(key.as_str()),
            ))
            .await;
        written
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), StoreError> {
        self.inner.delete(key).await?;
        self.recorder
            .call(Call::new(
                "s3:DeleteObject",
                &self.recorder.object_arn(key.as_str()),
            ))
            .await;
        Ok(())
    }

    async fn list(&self, prefix: &KeyPrefix) -> Result<Vec<ObjectKey>, StoreError> {
        self.recorder
            .call(
                Call::new("s3:ListBucket", &self.recorder.bucket_arn())
                    .with("s3:prefix", prefix.as_str()),
            )
            .await;
        self.inner.list(prefix).await
    }
}

/// The interviewer, recorded as InvokeAgent on the alias the function's environment names. Each coding problem
/// the reply opens is a `returnControl` the real adapter answers with a second InvokeAgent. The agent's own model
/// calls (through its inference profile, streamed as `ws-default` asks) and knowledge-base retrievals are recorded
/// under [`AGENT`].
pub struct RecordingInterviewer {
    inner: Arc<dyn Interviewer>,
    recorder: Recorder,
    /// The model calls the agent makes per InvokeAgent: profile ARN, the foundation-model ARNs it routes to.
    pub model: AgentModel,
}

/// The agent's model as deployed: its inference profile and where the profile may route.
#[derive(Clone)]
pub struct AgentModel {
    pub profile_arn: String,
    pub foundation_model_arns: Vec<String>,
    pub knowledge_base_arn: String,
}

impl RecordingInterviewer {
    pub fn new(inner: Arc<dyn Interviewer>, recorder: Recorder, model: AgentModel) -> Self {
        Self {
            inner,
            recorder,
            model,
        }
    }

    fn alias_arn(&self) -> String {
        format!(
            "arn:{PARTITION}:bedrock:{REGION}:{ACCOUNT}:agent-alias/{}/{}",
            self.recorder.var("PREPAI_AGENT_ID"),
            self.recorder.var("PREPAI_AGENT_ALIAS_ID")
        )
    }

    async fn invoke_agent(recorder: &Recorder, alias: &str, model: &AgentModel) {
        recorder.call(Call::new("bedrock:InvokeAgent", alias)).await;
        let agent = Recorder::new(AGENT, BTreeMap::new(), recorder.log.clone());
        agent
            .call(Call::new("bedrock:Retrieve", &model.knowledge_base_arn))
            .await;
        for action in [
            "bedrock:InvokeModel",
            "bedrock:InvokeModelWithResponseStream",
        ] {
            agent.call(Call::new(action, &model.profile_arn)).await;
            for arn in &model.foundation_model_arns {
                agent
                    .call(
                        Call::new(action, arn)
                            .with("bedrock:InferenceProfileArn", &model.profile_arn),
                    )
                    .await;
            }
        }
    }
}

#[async_trait]
impl Interviewer for RecordingInterviewer {
    async fn turn(&self, turn: InterviewTurn) -> Result<InterviewerStream, InterviewerError> {
        let alias = self.alias_arn();
        Self::invoke_agent(&self.recorder, &alias, &self.model).await;
        let stream = self.inner.turn(turn).await?;
        let (recorder, model) = (self.recorder.clone(), self.model.clone());
        Ok(stream
            .then(move |event| {
                let (recorder, alias, model) = (recorder.clone(), alias.clone(), model.clone());
                async move {
                    if let Ok(InterviewerEvent::CodingProblem(_)) = &event {
                        // The continuation that carries the return-control result.
                        Self::invoke_agent(&recorder, &alias, &model).await;
                    }
                    event
                }
            })
            .boxed())
    }
}

/// Runs code through `inner`, recorded as a Lambda Invoke of the function the environment names. A run of code
/// containing a marker given to [`RecordingRunner::after_run`] first runs that hook (to stage a race).
pub struct RecordingRunner {
    inner: Arc<dyn CodeRunner>,
    recorder: Recorder,
    hooks: Arc<Mutex<Vec<(String, Hook)>>>,
}

impl RecordingRunner {
    pub fn new(inner: Arc<dyn CodeRunner>, recorder: Recorder) -> Self {
        Self {
            inner,
            recorder,
            hooks: Arc::default(),
        }
    }

    /// Runs `hook` once while running code that contains `marker`, before the result is returned.
    pub fn after_run(&self, marker: &str, hook: Hook) {
        self.hooks.lock().unwrap().push((marker.to_owned(), hook));
    }
}

#[async_trait]
impl CodeRunner for RecordingRunner {
    async fn run(&self, request: &ExecutionRequest) -> Result<ExecutionResult, CodeRunnerError> {
        let function = self.recorder.var("PREPAI_CODE_EXECUTOR_FUNCTION");
        let arn = if function.starts_with("arn:") {
            function
        } else {
            format!("arn:{PARTITION}:lambda:{REGION}:{ACCOUNT}:function:{function}")
        };
        self.recorder
            .call(Call::new("lambda:InvokeFunction", &arn))
            .await;
        let result = self.inner.run(request).await;
        let hook = {
            let mut hooks = self.hooks.lock().unwrap();
            let found = hooks
                .iter()
                .position(|(m, _)| request.code.contains(m.as_str()));
            found.map(|i| hooks.remove(i).1)
        };
        if let Some(hook) = hook {
            hook().await;
        }
        result
    }
}

/// Speech in and out, recorded as Transcribe streaming and Polly.
pub struct RecordingSpeech {
    pub stt: Arc<dyn SpeechToText>,
    pub tts: Arc<dyn TextToSpeech>,
    recorder: Recorder,
}

impl RecordingSpeech {
    pub fn new(stt: Arc<dyn SpeechToText>, tts: Arc<dyn TextToSpeech>, recorder: Recorder) -> Self {
        Self { stt, tts, recorder }
    }
}

#[async_trait]
impl SpeechToText for RecordingSpeech {
    async fn transcribe(&self, pcm: Bytes) -> Result<TranscriptStream, SpeechError> {
        self.recorder
            .call(Call::new("transcribe:StartStreamTranscription", "*"))
            .await;
        self.stt.transcribe(pcm).await
    }
}

#[async_trait]
impl TextToSpeech for RecordingSpeech {
    async fn synthesize(&self, text: &str) -> Result<SpeechClip, SpeechError> {
        self.recorder
            .call(Call::new("polly:SynthesizeSpeech", "*"))
            .await;
        self.tts.synthesize(text).await
    }
}

/// Textract in front of the local extractor, as `TextractExtractor` decides: the local result when its text is
/// readable; a scan of one page, or an image, goes to DetectDocumentText with its bytes; a longer scan to an
/// asynchronous job that reads the stored upload from S3 as the caller, then is polled.
pub struct RecordingTextract {
    local: Arc<dyn TextExtractor>,
    recorder: Recorder,
}

impl RecordingTextract {
    pub fn new(local: Arc<dyn TextExtractor>, recorder: Recorder) -> Self {
        Self { local, recorder }
    }

    fn read(&self, document: &Document, pages: usize) -> ExtractedText {
        ExtractedText {
            text: "Ada Lovelace\nada@example.com\nSkills: Python, AWS, Kubernetes".into(),
            kind: document.kind,
            pages,
            method: ExtractionMethod::Textract,
            encoding: None,
        }
    }
}

#[async_trait]
impl TextExtractor for RecordingTextract {
    fn accepts(&self, _kind: DocumentKind) -> bool {
        true
    }

    async fn extract(&self, document: &Document) -> Result<ExtractedText, ExtractError> {
        let local = if matches!(document.kind, DocumentKind::Image(_)) {
            Err(ExtractError::Scanned { pages: 1 })
        } else {
            self.local.extract(document).await
        };
        match local {
            Err(ExtractError::Scanned { pages: 1 }) => {
                self.recorder
                    .call(Call::new("textract:DetectDocumentText", "*"))
                    .await;
                Ok(self.read(document, 1))
            }
            Err(ExtractError::Scanned { pages }) => {
                let stored = document
                    .stored_at
                    .as_ref()
                    .expect("the upload is stored first");
                self.recorder
                    .call(Call::new("textract:StartDocumentTextDetection", "*"))
                    .await;
                self.recorder
                    .call(Call::new(
                        "s3:GetObject",
                        &self.recorder.object_arn(stored.as_str()),
                    ))
                    .await;
                self.recorder
                    .call(Call::new("textract:GetDocumentTextDetection", "*"))
                    .await;
                Ok(self.read(document, pages))
            }
            other => other,
        }
    }
}

/// Pushes to socket clients, recorded as PostToConnection on the stage the events come from; connections named
/// `gone-*` have gone (`GoneException`). What was pushed is kept per connection.
#[derive(Default)]
pub struct RecordingPush {
    recorder: Option<Recorder>,
    api: String,
    stage: String,
    pub pushed: Mutex<BTreeMap<String, Vec<serde_json::Value>>>,
}

impl RecordingPush {
    pub fn new(recorder: Recorder, api: &str, stage: &str) -> Self {
        Self {
            recorder: Some(recorder),
            api: api.to_owned(),
            stage: stage.to_owned(),
            pushed: Mutex::default(),
        }
    }

    /// Takes what was pushed to `connection` so far.
    pub fn take(&self, connection: &str) -> Vec<serde_json::Value> {
        self.pushed
            .lock()
            .unwrap()
            .remove(connection)
            .unwrap_or_default()
    }
}

#[async_trait]
impl PushChannel for RecordingPush {
    async fn push(&self, connection: &ConnectionId, text: String) -> Result<(), PushError> {
        if let Some(recorder) = &self.recorder {
            let arn = format!(
                "arn:{PARTITION}:execute-api:{REGION}:{ACCOUNT}:{}/{}/POST/@connections/{}",
                self.api,
                self.stage,
                connection.as_str()
            );
            recorder
                .call(Call::new("execute-api:ManageConnections", &arn))
                .await;
        }
        if connection.as_str().starts_with("gone-") {
            return Err(PushError::Gone(connection.to_string()));
        }
        self.pushed
            .lock()
            .unwrap()
            .entry(connection.to_string())
            .or_default()
            .push(serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)));
        Ok(())
    }
}

/// The answer judge, recorded as Converse through its cross-Region inference profile: Bedrock authorises the
/// profile and then the foundation model in whichever Region the profile routes the request to.
pub struct RecordingJudge {
    inner: Arc<dyn Judge>,
    recorder: Recorder,
    /// The profile and the foundation models it may route to, as the template deploys the judge.
    model: ModelRoute,
}

/// Where a model call through an inference profile is authorised.
#[derive(Clone)]
pub struct ModelRoute {
    pub profile_arn: String,
    pub foundation_model_arns: Vec<String>,
}

impl RecordingJudge {
    pub fn new(inner: Arc<dyn Judge>, recorder: Recorder, model: ModelRoute) -> Self {
        Self {
            inner,
            recorder,
            model,
        }
    }
}

#[async_trait]
impl Judge for RecordingJudge {
    async fn grade(&self, request: &JudgeRequest) -> Result<JudgeVerdict, JudgeError> {
        // The function addresses the profile by the id in its environment; a function deployed without
        // PREPAI_JUDGE_MODEL would address nothing.
        let id = self.recorder.var("PREPAI_JUDGE_MODEL");
        let profile = if self.model.profile_arn.ends_with(&format!("/{id}")) {
            self.model.profile_arn.clone()
        } else {
            format!("arn:{PARTITION}:bedrock:{REGION}:{ACCOUNT}:inference-profile/{id}")
        };
        self.recorder
            .call(Call::new("bedrock:InvokeModel", &profile))
            .await;
        for arn in &self.model.foundation_model_arns {
            self.recorder
                .call(
                    Call::new("bedrock:InvokeModel", arn)
                        .with("bedrock:InferenceProfileArn", &profile),
                )
                .await;
        }
        self.inner.grade(request).await
    }
}
