//! Ports: the small traits every outside service sits behind. Adapters live in `crate::adapters`.

mod clock;
mod code_runner;
mod interviewer;
mod judge;
mod keys;
mod object_store;
mod push;
mod speech;
mod text_extractor;
mod token_verifier;

pub use clock::{Clock, SystemClock};
pub use code_runner::{CodeRunner, CodeRunnerError, NoCodeRunner};
pub use interviewer::{
    CodeRunSummary, InterviewInput, InterviewTurn, Interviewer, InterviewerError, InterviewerEvent,
    InterviewerStream, NoInterviewer,
};
pub use judge::{Judge, JudgeError, JudgeRequest, JudgeRubric, JudgeVerdict};
pub use keys::{KeyPrefix, ObjectKey};
pub use object_store::{ETag, ObjectStore, Precondition, StoreError, StoredObject};
pub use push::{PushChannel, PushError};
pub use speech::{
    AudioFormat, PCM_SAMPLE_RATE, SpeechClip, SpeechError, SpeechHypothesis, SpeechToText,
    TextToSpeech, TranscriptStream,
};
pub use text_extractor::{
    Document, DocumentKind, ExtractError, ExtractedText, ExtractionMethod, ImageFormat,
    TextExtractor,
};
pub use token_verifier::{AuthError, RejectAllTokens, TokenVerifier};
