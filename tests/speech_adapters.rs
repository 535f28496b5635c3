//! Our speech adapters against loopback endpoints that speak the services' wire formats: Transcribe streaming's
//! signed event stream of audio in and transcript events out (including a stream that fails or breaks halfway),
//! and Polly's SynthesizeSpeech (including refused text and an outage).

use std::sync::atomic::Ordering;

use bytes::Bytes;
use futures::StreamExt;
use prepai::adapters::aws::{
    POLLY_ENGINE_ENV, POLLY_FORMAT_ENV, POLLY_VOICE_ENV, PollyConfig, PollySpeech,
    TRANSCRIBE_LANGUAGE_ENV, TranscribeConfig, TranscribeSpeech,
};
use prepai::ports::{
    AudioFormat, SpeechClip, SpeechError, SpeechHypothesis, SpeechToText, TextToSpeech,
};
use prepai_tests::speech_peers::{
    PollyEndpoint, PollyReply, TranscribeEndpoint, TranscribeScript, finished, partial,
};
use serde_json::json;

/// 1.3 s of 16 kHz PCM16 that is not silence: every byte differs from its neighbours, so a lost, repeated or
/// reordered chunk changes the contents. Not a multiple of the chunk size, so the last chunk is short.
fn utterance_pcm() -> Bytes {
    let mut rng = fastrand::Rng::with_seed(16_000);
    Bytes::from((0..41_600).map(|_| rng.u8(..)).collect::<Vec<u8>>())
}

fn hypothesis(text: &str, is_final: bool) -> SpeechHypothesis {
    SpeechHypothesis {
        text: text.into(),
        is_final,
    }
}

async fn collect(
    speech: &dyn SpeechToText,
    pcm: Bytes,
) -> Vec<Result<SpeechHypothesis, SpeechError>> {
    let stream = speech.transcribe(pcm).await.expect("stream starts");
    tokio::time::timeout(std::time::Duration::from_secs(10), stream.collect())
        .await
        .expect("the stream ends")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transcribe_sends_the_whole_audio_and_streams_growing_hypotheses_then_one_final() {
    let endpoint = TranscribeEndpoint::start(TranscribeScript::Events(vec![
        vec![partial("r1", "I would")],
        vec![partial("r1", "I would use S3")],
        vec![finished("r1", "I would use S3.")],
        vec![partial("r2", "With")],
        // Transcribe repeats an unchanged partial; the candidate sees no change.
        vec![partial("r2", "With")],
        vec![finished("r2", "With versioning.")],
    ]))
    .await;
    let config = TranscribeConfig::from_lookup(|name| {
        (name == TRANSCRIBE_LANGUAGE_ENV).then(|| "en-GB".to_owned())
    })
    .unwrap();
    let speech = TranscribeSpeech::from_config(endpoint.client(), &config);
    let pcm = utterance_pcm();

    let events: Vec<SpeechHypothesis> = collect(&speech, pcm.clone())
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();

    assert_eq!(
        events,
        vec![
            hypothesis("I would", false),
            hypothesis("I would use S3", false),
            hypothesis("I would use S3.", false),
            hypothesis("I would use S3. With", false),
            hypothesis("I would use S3. With versioning.", false),
            hypothesis("I would use S3. With versioning.", true),
        ]
    );
    let requests = endpoint.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.path, "/stream-transcription");
    assert_eq!(
        request.audio.len(),
        pcm.len(),
        "every byte of the utterance arrived"
    );
    assert!(
        request.audio == pcm,
        "the audio arrived unchanged and in order"
    );
    assert_eq!(request.audio_events, 6, "41,600 bytes in 8 KiB events");
    assert_eq!(request.unsigned_messages, 0, "every message is signed");
    assert!(request.saw_end_of_stream, "the audio stream was closed");
    assert!(request.unexpected.is_empty(), "{:?}", request.unexpected);
    let header = |name: &str| request.headers.get(name).unwrap().to_str().unwrap();
    assert_eq!(header("x-amzn-transcribe-language-code"), "en-GB");
    assert_eq!(header("x-amzn-transcribe-sample-rate"), "16000");
    assert_eq!(header("x-amzn-transcribe-media-encoding"), "pcm");
    assert_eq!(header("content-type"), "application/vnd.amazon.eventstream");
    assert!(header("authorization").starts_with("AWS4-HMAC-SHA256 Credential=AKIDTEST/"));
    // What the SDK's default client speaks to a plain-http endpoint (the real service is reached over TLS, where
    // ALPN picks HTTP/2).
    assert_eq!(request.version, http::Version::HTTP_11);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_failure_midway_ends_the_stream_with_an_error_and_no_final() {
    let endpoint = TranscribeEndpoint::start(TranscribeScript::FailAfter {
        events: vec![vec![partial("r1", "Let me")]],
        exception: "InternalFailureException".into(),
        message: "A problem occurred while processing the audio.".into(),
    })
    .await;
    let speech = TranscribeSpeech::new(endpoint.client(), "en-US".into());

    let mut events = collect(&speech, utterance_pcm()).await.into_iter();

    assert_eq!(events.next().unwrap().unwrap(), hypothesis("Let me", false));
    match events.next() {
        Some(Err(SpeechError::Service(message))) => {
            assert!(message.contains("InternalFailureException"), "{message}")
        }
        other => panic!("expected a service error, got {other:?}"),
    }
    assert!(events.next().is_none(), "nothing after the error");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audio_the_service_refuses_midway_is_rejected() {
    let endpoint = TranscribeEndpoint::start(TranscribeScript::FailAfter {
        events: vec![],
        exception: "BadRequestException".into(),
        message: "Could not decode the audio stream.".into(),
    })
    .await;
    let speech = TranscribeSpeech::new(endpoint.client(), "en-US".into());

    let events = collect(&speech, utterance_pcm()).await;

    match events.as_slice() {
        [Err(SpeechError::Rejected(message))] => {
            assert!(
                message.contains("Could not decode the audio stream."),
                "{message}"
            )
        }
        other => panic!("expected one rejection, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_dropped_midway_ends_the_stream_with_an_error_and_no_final() {
    let endpoint = TranscribeEndpoint::start(TranscribeScript::BreakAfter(vec![
        vec![partial("r1", "So the")],
        vec![partial("r1", "So the cache")],
    ]))
    .await;
    let speech = TranscribeSpeech::new(endpoint.client(), "en-US".into());

    let events = collect(&speech, utterance_pcm()).await;

    assert_eq!(events.len(), 3, "{events:?}");
    assert_eq!(events[0].as_ref().unwrap(), &hypothesis("So the", false));
    assert_eq!(
        events[1].as_ref().unwrap(),
        &hypothesis("So the cache", false)
    );
    assert!(
        matches!(events[2], Err(SpeechError::Service(_))),
        "{:?}",
        events[2]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_the_service_refuses_is_rejected_and_an_outage_is_a_service_error() {
    let refused = TranscribeEndpoint::start(TranscribeScript::Refuse {
        status: 400,
        error_type: "BadRequestException".into(),
        message: "The sample rate does not match the audio.".into(),
    })
    .await;
    let speech = TranscribeSpeech::new(refused.client(), "en-US".into());
    let error = speech.transcribe(utterance_pcm()).await.err().unwrap();
    assert!(
        matches!(&error, SpeechError::Rejected(m) if m.contains("sample rate does not match")),
        "{error:?}"
    );

    let down = TranscribeEndpoint::start(TranscribeScript::Refuse {
        status: 503,
        error_type: "ServiceUnavailableException".into(),
        message: "Service is currently unavailable.".into(),
    })
    .await;
    let speech = TranscribeSpeech::new(down.client(), "en-US".into());
    let error = speech.transcribe(utterance_pcm()).await.err().unwrap();
    match &error {
        SpeechError::Service(message) => {
            assert!(message.contains("ServiceUnavailableException"), "{message}");
            assert!(message.contains("transcribe-request-1"), "{message}");
        }
        other => panic!("expected a service error, got {other:?}"),
    }
    assert_eq!(down.arrivals.load(Ordering::SeqCst), 1, "no retry");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_audio_is_rejected_without_a_request() {
    let endpoint = TranscribeEndpoint::start(TranscribeScript::Events(vec![])).await;
    let speech = TranscribeSpeech::new(endpoint.client(), "en-US".into());

    let error = speech.transcribe(Bytes::new()).await.err().unwrap();

    assert!(
        matches!(&error, SpeechError::Rejected(m) if m == "no audio"),
        "{error:?}"
    );
    assert_eq!(
        endpoint.arrivals.load(std::sync::atomic::Ordering::SeqCst),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transcribing_silence_ends_with_an_empty_final() {
    let endpoint = TranscribeEndpoint::start(TranscribeScript::Events(vec![])).await;
    let speech = TranscribeSpeech::new(endpoint.client(), "en-US".into());

    let events = collect(&speech, Bytes::from(vec![0u8; 3200])).await;

    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].as_ref().unwrap(), &hypothesis("", true));
}

const MP3: &[u8] = b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64 not really an mp3 frame";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polly_speaks_with_the_default_voice_as_mp3() {
    let endpoint = PollyEndpoint::start(PollyReply::Audio(Bytes::from_static(MP3))).await;
    let speech = PollySpeech::new(endpoint.client(), PollyConfig::default());

    let clip = speech
        .synthesize("Tell me about a system you designed.")
        .await
        .unwrap();

    assert_eq!(
        clip,
        SpeechClip {
            format: AudioFormat::Mp3,
            audio: Bytes::from_static(MP3),
        }
    );
    let requests = endpoint.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, "/v1/speech");
    assert_eq!(
        requests[0].body,
        json!({
            "Engine": "neural",
            "OutputFormat": "mp3",
            "Text": "Tell me about a system you designed.",
            "TextType": "text",
            "VoiceId": "Joanna",
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polly_speaks_pcm_at_16_khz_with_the_configured_voice_and_engine() {
    let pcm = Bytes::from(vec![1u8, 0, 2, 0, 3, 0, 4, 0]);
    let endpoint = PollyEndpoint::start(PollyReply::Audio(pcm.clone())).await;
    let config = PollyConfig::from_lookup(|name| {
        match name {
            POLLY_VOICE_ENV => Some("Matthew"),
            POLLY_ENGINE_ENV => Some("standard"),
            POLLY_FORMAT_ENV => Some("pcm"),
            _ => None,
        }
        .map(str::to_owned)
    })
    .unwrap();
    let speech = PollySpeech::new(endpoint.client(), config);

    let clip = speech.synthesize("Thanks.").await.unwrap();

    assert_eq!(
        clip,
        SpeechClip {
            format: AudioFormat::Pcm,
            audio: pcm,
        }
    );
    let body = &endpoint.requests.lock().unwrap()[0].body;
    assert_eq!(body["OutputFormat"], "pcm");
    assert_eq!(body["SampleRate"], "16000");
    assert_eq!(body["VoiceId"], "Matthew");
    assert_eq!(body["Engine"], "standard");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_over_3000_characters_is_rejected_without_a_request() {
    let endpoint = PollyEndpoint::start(PollyReply::Audio(Bytes::from_static(MP3))).await;
    let speech = PollySpeech::new(endpoint.client(), PollyConfig::default());

    // Characters, not bytes: 3,000 two-byte characters are within the limit.
    speech.synthesize(&"é".repeat(3000)).await.unwrap();
    let error = speech.synthesize(&"a".repeat(3001)).await.unwrap_err();

    assert!(
        matches!(&error, SpeechError::Rejected(m) if m.contains("3000")),
        "{error:?}"
    );
    assert_eq!(endpoint.requests.lock().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_polly_refuses_is_rejected_with_its_reason() {
    for (error_type, message) in [
        ("InvalidSsmlException", "Invalid SSML request"),
        (
            "TextLengthExceededException",
            "Maximum text length has been exceeded",
        ),
    ] {
        let endpoint = PollyEndpoint::start(PollyReply::Error {
            status: 400,
            error_type: error_type.into(),
            message: message.into(),
        })
        .await;
        let speech = PollySpeech::new(endpoint.client(), PollyConfig::default());

        let error = speech.synthesize("<speak>Hello").await.unwrap_err();

        assert!(
            matches!(&error, SpeechError::Rejected(m) if m.contains(message)),
            "{error_type}: {error:?}"
        );
        assert_eq!(endpoint.requests.lock().unwrap().len(), 1, "no retry");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_polly_outage_is_a_service_error() {
    let endpoint = PollyEndpoint::start(PollyReply::Error {
        status: 500,
        error_type: "ServiceFailureException".into(),
        message: "Internal failure".into(),
    })
    .await;
    let speech = PollySpeech::new(endpoint.client(), PollyConfig::default());

    let error = speech.synthesize("Hello.").await.unwrap_err();

    assert!(
        matches!(&error, SpeechError::Service(m) if m.contains("ServiceFailureException")
            && m.contains("polly-request-1")
            && !m.contains("headers")),
        "{error:?}"
    );
    assert_eq!(endpoint.requests.lock().unwrap().len(), 1, "no retry");
}
