//! Voice over the interview socket against the local server, with a real WebSocket client.
//!
//! End to end: espeak-ng speaks a known answer, it is converted to 16 kHz PCM16 and sent as `audio` chunks, the
//! local Whisper model transcribes it, the interviewer replies and the reply comes back as spoken WAV clips.
//! The handler's refusals (no `speech_start`, gaps, bad base64, over-long utterances and frames, silence, a
//! recogniser that fails midway) run with a scripted recogniser, because they are about the handler, not the
//! model.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine;
use bytes::Bytes;
use futures::StreamExt;
use prepai::adapters::local::EspeakSpeech;
use prepai::context::SpeechServices;
use prepai::domain::InterviewInput;
use prepai::ports::{
    InterviewTurn, Interviewer, InterviewerError, InterviewerStream, SpeechError, SpeechHypothesis,
    SpeechToText, TextToSpeech, TranscriptStream,
};
use prepai::voice::{Pcm16, VoiceSettings, Wav};
use prepai_tests::local_server::LocalServer;
use prepai_tests::socket::{
    Socket, connect, next_json, next_json_within, read_turn, send, send_speech,
};
use serde_json::{Value, json};

const CHUNK: usize = 16_000;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `text` as espeak-ng says it, as the browser would send it: 16 kHz mono PCM16.
async fn spoken(text: &str) -> Pcm16 {
    let espeak = EspeakSpeech::detect()
        .await
        .expect("espeak-ng must be installed (apt install espeak-ng)");
    let clip = espeak.synthesize(text).await.expect("espeak-ng speaks");
    Wav::parse(&clip.audio)
        .expect("a WAV file")
        .to_pcm16_mono_16k()
}

/// A loud, speech-like buzz (the scripted recogniser does not listen; the handler checks there is sound).
fn buzz(seconds: f64) -> Pcm16 {
    let n = (seconds * 16_000.0) as usize;
    let samples: Vec<i16> = (0..n)
        .map(|i| if i % 20 < 10 { 7000 } else { -7000 })
        .collect();
    Pcm16::from_samples(&samples)
}

/// Sends one utterance; returns how many chunks went.
async fn say(socket: &mut Socket, pcm: &Pcm16) -> usize {
    let sent = send_speech(socket, pcm.bytes()).await;
    send(socket, json!({"type": "speech_end", "chunks": sent})).await;
    sent
}

/// Sends one utterance as hands-free turn taking does: ended by the client after a silence.
async fn say_until_silence(socket: &mut Socket, pcm: &Pcm16) {
    let sent = send_speech(socket, pcm.bytes()).await;
    send(
        socket,
        json!({"type": "speech_end", "chunks": sent, "silence": true}),
    )
    .await;
}

/// Everything of one spoken interviewer reply: (text, audio messages, other messages). Reads until both the
/// text (`assistant_complete`) and the audio (`audio_end`) are complete.
async fn read_spoken_turn(socket: &mut Socket) -> (String, Vec<Value>, Vec<Value>) {
    let (mut text, mut audio, mut others) = (None, Vec::new(), Vec::new());
    let mut audio_done = false;
    while text.is_none() || !audio_done {
        let message = next_json_within(socket, Duration::from_secs(60)).await;
        match message["type"].as_str().unwrap_or_default() {
            "assistant_complete" => text = message["text"].as_str().map(str::to_owned),
            "audio" => audio.push(message),
            "audio_end" => {
                assert_eq!(
                    message["clips"].as_u64(),
                    audio.last().map(|m| m["clip"].as_u64().unwrap() + 1)
                );
                audio_done = true;
            }
            "error" => panic!("unexpected error: {message}"),
            _ => others.push(message),
        }
    }
    (text.unwrap_or_default(), audio, others)
}

/// Checks the audio messages are in order and joins each clip's parts into one WAV file.
fn clips(audio: &[Value]) -> Vec<Wav> {
    let mut by_clip: BTreeMap<u64, Vec<u8>> = BTreeMap::new();
    for (i, message) in audio.iter().enumerate() {
        assert_eq!(
            message["seq"].as_u64(),
            Some(i as u64),
            "audio arrives in seq order"
        );
        assert_eq!(message["format"], "wav");
        let clip = message["clip"].as_u64().unwrap();
        assert!(by_clip.keys().all(|&k| k <= clip), "clips arrive in order");
        let data = base64::engine::general_purpose::STANDARD
            .decode(message["data"].as_str().unwrap())
            .unwrap();
        by_clip.entry(clip).or_default().extend(data);
    }
    by_clip
        .values()
        .map(|bytes| Wav::parse(bytes).expect("each clip is a valid WAV file"))
        .collect()
}

async fn local_speech() -> SpeechServices {
    let (speech, notes) = prepai_local::speech::local_speech(VoiceSettings::default()).await;
    assert!(
        speech.stt.is_some() && speech.tts.is_some(),
        "the voice tests need the Whisper model (scripts/fetch-whisper-model) and espeak-ng: {notes:?}"
    );
    speech
}

fn recordings_of(server: &LocalServer, session: &str) -> Vec<std::path::PathBuf> {
    let dir = server.data.path().join("recordings").join(session);
    let mut files = Vec::new();
    for utterance in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        for chunk in std::fs::read_dir(utterance.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            files.push(chunk.path());
        }
    }
    files
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spoken_answer_is_transcribed_answered_and_spoken_back() {
    let speech = local_speech().await;
    let server = LocalServer::start_with(|ctx| ctx.with_speech(speech)).await;
    let token = server.token("ada", &[]);
    let session = server
        .create_session(&token, "Behavioral", "Ada Lovelace")
        .await;
    let mut socket = connect(&server, &session, &token).await;

    send(&mut socket, json!({"type": "start", "voice": true})).await;
    let voice = next_json(&mut socket).await;
    assert_eq!(voice["type"], "voice", "{voice}");
    assert_eq!(
        (voice["available"].as_bool(), voice["output"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(voice["silence_ms"]["coding"], 6000);
    let (greeting, audio, _) = read_spoken_turn(&mut socket).await;
    assert!(greeting.starts_with("Hi Ada"), "{greeting}");
    let greeting_clips = clips(&audio);
    assert!(!greeting_clips.is_empty());
    assert!(greeting_clips.iter().all(|w| w.seconds() > 0.3));

    let answer = "I led the migration of our billing service to the cloud, and we cut hosting costs by thirty percent.";
    let pcm = spoken(answer).await;
    let sent = say(&mut socket, &pcm).await;
    assert!(sent > 4, "several chunks: {sent}");
    let transcript = loop {
        let message = next_json_within(&mut socket, Duration::from_secs(60)).await;
        assert_ne!(message["type"], "error", "{message}");
        if message["type"] == "transcript" && message["is_final"] == true {
            assert_eq!(message["role"], "user");
            break message["text"].as_str().unwrap().to_lowercase();
        }
    };
    // espeak-ng's voice is robotic ("led" comes back as "lent"); these words survive it.
    for word in ["migration", "service", "cloud", "hosting", "costs"] {
        assert!(
            transcript.contains(word),
            "{word:?} missing from {transcript:?}"
        );
    }
    let (reply, audio, _) = read_spoken_turn(&mut socket).await;
    assert!(!reply.is_empty());
    let reply_clips = clips(&audio);
    let spoken_seconds: f64 = reply_clips.iter().map(Wav::seconds).sum();
    assert!(
        spoken_seconds > 1.0,
        "the reply is spoken: {spoken_seconds} s"
    );

    // The answer is stored like a typed one, with how it was said.
    let stored = server
        .get_json(&token, &format!("/api/interviews/{session}/transcript"))
        .await;
    let entry = stored["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["role"] == "user")
        .cloned()
        .unwrap();
    assert_eq!(entry["source"], "voice");
    assert_eq!(entry["text"].as_str().unwrap().to_lowercase(), transcript);
    let wpm = entry["wpm"].as_f64().expect("words per minute");
    assert!((100.0..260.0).contains(&wpm), "{wpm}");
    assert_eq!(entry["filler_count"], 0);

    // The report measures how the candidate spoke.
    send(&mut socket, json!({"type": "end"})).await;
    let report = loop {
        let message = next_json_within(&mut socket, Duration::from_secs(30)).await;
        assert_ne!(message["type"], "error", "{message}");
        if message["type"] == "report" {
            break message["report"].clone();
        }
    };
    let pace = report["metrics"]["averageWordsPerMinute"].as_f64();
    assert!(
        pace.is_some_and(|p| (p - wpm).abs() < 1.0),
        "{pace:?} vs {wpm}"
    );
    assert_eq!(report["metrics"]["fillerWordsPer100Words"], 0.0);

    // The recording is kept (the bucket's lifecycle rule expires it) until the session is deleted.
    let kept = recordings_of(&server, &session);
    assert_eq!(kept.len(), sent);
    let deleted = server
        .http
        .delete(server.url(&format!("/api/sessions/{session}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 200);
    assert!(recordings_of(&server, &session).is_empty());
}

/// Partial hypotheses, then a final one; or a failure midway. The final is the next of `finals` while any are
/// left.
struct ScriptedRecogniser {
    fail_midway: bool,
    finals: std::sync::Mutex<std::collections::VecDeque<String>>,
}

#[async_trait]
impl SpeechToText for ScriptedRecogniser {
    async fn transcribe(&self, pcm: Bytes) -> Result<TranscriptStream, SpeechError> {
        assert!(!pcm.is_empty());
        let mut events = vec![
            Ok(SpeechHypothesis {
                text: "I would".into(),
                is_final: false,
            }),
            Ok(SpeechHypothesis {
                text: "I would use um".into(),
                is_final: false,
            }),
        ];
        if self.fail_midway {
            events.push(Err(SpeechError::Service("connection reset".into())));
        } else {
            let scripted = self.finals.lock().ok().and_then(|mut f| f.pop_front());
            events.push(Ok(SpeechHypothesis {
                text: scripted
                    .unwrap_or_else(|| "I would use um a hash map keyed by user id".into()),
                is_final: true,
            }));
        }
        Ok(futures::stream::iter(events).boxed())
    }
}

async fn scripted_server(fail_midway: bool) -> LocalServer {
    scripted_server_heard(fail_midway, &[], Arc::default(), None).await
}

/// A server whose recogniser hears `finals`, one per utterance, then the default answer; every answer the
/// interviewer is asked to reply to is written to `heard`, and the first containing `fail_once_on` fails.
async fn scripted_server_heard(
    fail_midway: bool,
    finals: &[&str],
    heard: Arc<std::sync::Mutex<Vec<String>>>,
    fail_once_on: Option<&str>,
) -> LocalServer {
    let speech = SpeechServices {
        stt: Some(Arc::new(ScriptedRecogniser {
            fail_midway,
            finals: std::sync::Mutex::new(finals.iter().map(|f| (*f).to_owned()).collect()),
        })),
        tts: None,
        ..SpeechServices::default()
    };
    LocalServer::start_with(|ctx| {
        let inner = ctx.interviewer.clone();
        ctx.with_speech(speech)
            .with_interviewer(Arc::new(Listening {
                inner,
                heard,
                fail_once_on: std::sync::Mutex::new(fail_once_on.map(str::to_owned)),
            }))
    })
    .await
}

/// The server's interviewer, noting each answer it is asked to reply to; it fails the first answer that contains
/// `fail_once_on`.
struct Listening {
    inner: Arc<dyn Interviewer>,
    heard: Arc<std::sync::Mutex<Vec<String>>>,
    fail_once_on: std::sync::Mutex<Option<String>>,
}

#[async_trait]
impl Interviewer for Listening {
    async fn turn(&self, turn: InterviewTurn) -> Result<InterviewerStream, InterviewerError> {
        if let InterviewInput::Answer(text) = &turn.input {
            if let Ok(mut heard) = self.heard.lock() {
                heard.push(text.clone());
            }
            if let Ok(mut fail) = self.fail_once_on.lock()
                && fail.as_ref().is_some_and(|f| text.contains(f.as_str()))
            {
                *fail = None;
                return Err(InterviewerError::Unavailable("scripted failure".into()));
            }
        }
        self.inner.turn(turn).await
    }
}

async fn expect_error(socket: &mut Socket, code: &str) -> String {
    loop {
        let message = next_json(socket).await;
        match message["type"].as_str().unwrap_or_default() {
            "error" => {
                assert_eq!(message["code"], code, "{message}");
                return message["message"].as_str().unwrap().to_owned();
            }
            "transcript" if message["is_final"] == false => {}
            other => panic!("expected a {code} error, got {other}: {message}"),
        }
    }
}

/// A round trip: the socket handles messages in order, so everything before it (clean-up included) is done.
async fn settle(socket: &mut Socket) {
    send(socket, json!({"type": "resume"})).await;
    assert_eq!(next_json(socket).await["type"], "voice");
}

async fn user_entries(server: &LocalServer, token: &str, session: &str) -> usize {
    let stored = server
        .get_json(token, &format!("/api/interviews/{session}/transcript"))
        .await;
    stored["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["role"] == "user")
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_audio_gets_an_error_and_leaves_nothing_behind() {
    let server = scripted_server(false).await;
    let token = server.token("grace", &[]);
    let session = server
        .create_session(&token, "Behavioral", "Grace Hopper")
        .await;
    let mut socket = connect(&server, &session, &token).await;

    send(
        &mut socket,
        json!({"type": "audio", "seq": 0, "data": b64(&[0, 0])}),
    )
    .await;
    assert!(
        expect_error(&mut socket, "no_utterance")
            .await
            .contains("speech_start")
    );
    send(&mut socket, json!({"type": "speech_end"})).await;
    expect_error(&mut socket, "no_utterance").await;

    send(&mut socket, json!({"type": "speech_start"})).await;
    send(
        &mut socket,
        json!({"type": "audio", "seq": 0, "data": "not base64!"}),
    )
    .await;
    expect_error(&mut socket, "invalid_audio").await;
    send(
        &mut socket,
        json!({"type": "audio", "seq": 0, "data": b64(&[1, 2, 3])}),
    )
    .await;
    assert!(
        expect_error(&mut socket, "invalid_audio")
            .await
            .contains("even")
    );
    let oversized = json!({"type": "audio", "seq": 0, "data": b64(&vec![0u8; 30_000])});
    send(&mut socket, oversized).await;
    expect_error(&mut socket, "frame_too_large").await;

    // A gap: chunk 1 never comes.
    let loud = buzz(1.0);
    for seq in [0u32, 2] {
        let data = b64(&loud.bytes()[..CHUNK]);
        send(
            &mut socket,
            json!({"type": "audio", "seq": seq, "data": data}),
        )
        .await;
    }
    send(&mut socket, json!({"type": "speech_end"})).await;
    assert!(
        expect_error(&mut socket, "audio_gap")
            .await
            .contains("chunk 1")
    );

    // Silence is not an answer.
    say(&mut socket, &Pcm16::from_samples(&vec![0i16; 32_000])).await;
    expect_error(&mut socket, "no_speech").await;

    // Over two minutes.
    say(&mut socket, &buzz(121.0)).await;
    assert!(
        expect_error(&mut socket, "utterance_too_long")
            .await
            .contains("120 seconds")
    );

    settle(&mut socket).await;
    assert_eq!(user_entries(&server, &token, &session).await, 0);
    let left = recordings_of(&server, &session);
    assert!(left.is_empty(), "failed utterances are discarded: {left:?}");

    // The connection is alive and a good utterance still works: partials, then the final transcript and a reply.
    say(&mut socket, &buzz(2.0)).await;
    let mut partials = Vec::new();
    loop {
        let message = next_json(&mut socket).await;
        assert_eq!(message["type"], "transcript", "{message}");
        if message["is_final"] == true {
            assert_eq!(
                message["text"],
                "I would use um a hash map keyed by user id"
            );
            break;
        }
        partials.push(message["text"].as_str().unwrap().to_owned());
    }
    assert_eq!(partials, ["I would", "I would use um"]);
    let (_, reply, _) = read_turn(&mut socket).await;
    assert!(!reply.is_empty());
    let stored = server
        .get_json(&token, &format!("/api/interviews/{session}/transcript"))
        .await;
    let entries = stored["transcript"].as_array().unwrap();
    let users: Vec<&Value> = entries.iter().filter(|e| e["role"] == "user").collect();
    assert_eq!(
        users.len(),
        1,
        "only the good utterance is stored: {entries:?}"
    );
    let entry = users[0];
    assert_eq!(entry["source"], "voice");
    assert_eq!(entry["filler_count"], 1);
    assert!(entry["wpm"].as_f64().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recogniser_failing_midway_is_reported_and_nothing_is_stored() {
    let server = scripted_server(true).await;
    let token = server.token("linus", &[]);
    let session = server.create_session(&token, "Behavioral", "Linus").await;
    let mut socket = connect(&server, &session, &token).await;
    say(&mut socket, &buzz(2.0)).await;
    let message = expect_error(&mut socket, "transcription_failed").await;
    assert!(message.contains("type"), "{message}");
    assert!(
        !message.contains("connection reset"),
        "internal detail stays in the logs"
    );
    settle(&mut socket).await;
    assert_eq!(user_entries(&server, &token, &session).await, 0);
    let left = recordings_of(&server, &session);
    assert!(left.is_empty(), "{left:?}");
    // Typing still works.
    send(
        &mut socket,
        json!({"type": "text", "text": "I would use a hash map."}),
    )
    .await;
    let final_transcript = next_json(&mut socket).await;
    assert_eq!(final_transcript["is_final"], true);
    read_turn(&mut socket).await;
    assert_eq!(user_entries(&server, &token, &session).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_speech_services_the_server_says_so_and_typing_works() {
    let server = LocalServer::start().await;
    let token = server.token("alan", &[]);
    let session = server.create_session(&token, "Behavioral", "Alan").await;
    let mut socket = connect(&server, &session, &token).await;
    send(&mut socket, json!({"type": "start", "voice": true})).await;
    let voice = next_json(&mut socket).await;
    assert_eq!(voice["type"], "voice");
    assert_eq!(voice["available"], false);
    assert!(
        voice["message"]
            .as_str()
            .unwrap()
            .contains("type your answers")
    );
    let (_, greeting, others) = read_turn(&mut socket).await;
    assert!(!greeting.is_empty());
    assert!(others.iter().all(|m| m["type"] != "audio"));
    send(&mut socket, json!({"type": "speech_start"})).await;
    expect_error(&mut socket, "voice_unavailable").await;

    // A reconnect resumes without a second greeting.
    drop(socket);
    let mut socket = connect(&server, &session, &token).await;
    send(&mut socket, json!({"type": "resume"})).await;
    assert_eq!(next_json(&mut socket).await["type"], "voice");
    send(&mut socket, json!({"type": "text", "text": "Ready."})).await;
    assert_eq!(next_json(&mut socket).await["type"], "transcript");
    read_turn(&mut socket).await;
}

/// Collects what the handlers push, as API Gateway's PostToConnection would deliver it.
#[derive(Default)]
struct Collected(std::sync::Mutex<Vec<Value>>);

#[async_trait]
impl prepai::ports::PushChannel for Collected {
    async fn push(
        &self,
        _connection: &prepai::ws::ConnectionId,
        text: String,
    ) -> Result<(), prepai::ports::PushError> {
        self.0
            .lock()
            .unwrap()
            .push(serde_json::from_str(&text).unwrap());
        Ok(())
    }
}

/// On API Gateway every message is its own invocation and they run concurrently: the first chunk can be handled
/// before `speech_start` is recorded, and `speech_end` before the last chunk is stored. Neither loses audio.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_invocations_lose_no_audio() {
    use prepai::ws::handlers;

    let dir = tempfile::tempdir().unwrap();
    let jwt = prepai::auth::LocalJwt::new(prepai_tests::local_server::TEST_SECRET).unwrap();
    let token = jwt.mint("kat", &[], chrono::Utc::now(), chrono::Duration::hours(1));
    let speech = SpeechServices {
        stt: Some(Arc::new(ScriptedRecogniser {
            fail_midway: false,
            finals: Default::default(),
        })),
        ..SpeechServices::default()
    };
    let ctx = prepai::AppContext::new(Arc::new(prepai::adapters::local::FsObjectStore::new(
        dir.path(),
    )))
    .with_interviewer(Arc::new(
        prepai::adapters::local::LocalInterviewer::embedded(),
    ))
    .with_verifier(Arc::new(jwt))
    .with_speech(speech);
    let identity = prepai::domain::Identity::new("kat", vec![]).unwrap();
    let session = prepai::domain::Session::new(
        prepai::domain::SessionId::new_random(),
        &identity,
        prepai::domain::InterviewType::Behavioral,
        prepai::domain::CandidateName::parse("Kat").unwrap(),
        chrono::Utc::now(),
    );
    ctx.sessions.create(&session).await.unwrap();
    let query = std::collections::HashMap::from([
        ("token".to_owned(), token),
        ("session_id".to_owned(), session.session_id.to_string()),
    ]);
    let connection = "Zm9vYmFyMTIzNDU2Nzg=";
    assert_eq!(
        handlers::connect(&ctx, connection, &query).await.status,
        200
    );
    let push = Collected::default();
    let pcm = buzz(1.5);
    let chunks: Vec<String> = pcm
        .bytes()
        .chunks(CHUNK)
        .enumerate()
        .map(|(seq, c)| json!({"type": "audio", "seq": seq, "data": b64(c)}).to_string())
        .collect();
    let start = json!({"type": "speech_start"}).to_string();
    let end = json!({"type": "speech_end", "chunks": chunks.len()}).to_string();

    // The first chunk runs before speech_start lands; the last chunk lands after speech_end began.
    let late_start = async {
        // Well inside the 0.75 s a chunk waits for its speech_start, even on a loaded machine.
        tokio::time::sleep(Duration::from_millis(50)).await;
        handlers::message(&ctx, &push, connection, &start).await;
    };
    tokio::join!(
        handlers::message(&ctx, &push, connection, &chunks[0]),
        late_start
    );
    for chunk in &chunks[1..chunks.len() - 1] {
        handlers::message(&ctx, &push, connection, chunk).await;
    }
    let late_chunk = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        handlers::message(&ctx, &push, connection, &chunks[chunks.len() - 1]).await;
    };
    tokio::join!(handlers::message(&ctx, &push, connection, &end), late_chunk);

    let pushed = push.0.lock().unwrap().clone();
    assert!(pushed.iter().all(|m| m["type"] != "error"), "{pushed:?}");
    assert!(
        pushed
            .iter()
            .any(|m| m["type"] == "transcript" && m["is_final"] == true),
        "{pushed:?}"
    );
    let stored = ctx
        .sessions
        .get(&session.session_id, &identity)
        .await
        .unwrap();
    let spoken: Vec<_> = stored
        .transcript
        .iter()
        .filter(|e| e.source == prepai::domain::Source::Voice)
        .collect();
    assert_eq!(spoken.len(), 1);
    let seconds = spoken[0].extra["audio_seconds"].as_f64().unwrap();
    assert!(
        (seconds - 1.5).abs() < 0.01,
        "all the audio was used: {seconds}"
    );
}

/// Whisper itself, for the tests of recognition while the candidate speaks.
fn whisper(decode_while_spoken: bool) -> prepai_local::whisper::WhisperSpeech {
    let dir = prepai_local::whisper::default_model_dir();
    prepai_local::whisper::WhisperSpeech::load_listening(&dir, decode_while_spoken)
        .expect("the voice tests need the Whisper model (scripts/fetch-whisper-model)")
}

async fn final_text(stream: Result<TranscriptStream, SpeechError>) -> String {
    let mut stream = stream.expect("transcribe");
    let mut text = String::new();
    while let Some(h) = stream.next().await {
        text = h.expect("hypothesis").text;
    }
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_heard_while_spoken_is_transcribed_as_at_once() {
    let whisper = whisper(false);
    let answer = "I would start with a hash map from each user to their recent orders, then put a read through \
                  cache in front of the database, so that most requests never reach it and the slow queries \
                  disappear.";
    let pcm = spoken(answer).await;
    let at_once = final_text(whisper.transcribe(pcm.bytes().clone()).await).await;
    // Chunks at twice the speed of speech.
    for (seq, chunk) in pcm.bytes().chunks(CHUNK).enumerate() {
        whisper.hear("u1", seq as u32, &Bytes::copy_from_slice(chunk));
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let live = final_text(
        whisper
            .transcribe_utterance("u1", pcm.bytes().clone())
            .await,
    )
    .await;
    // The features computed as the chunks came are those of the whole: the same words, sooner.
    assert_eq!(live, at_once);
    assert_eq!(whisper.live_work().0, 0, "a finished utterance is dropped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_utterance_leaves_no_work_behind() {
    let whisper = whisper(true);
    let pcm = spoken("I would use a queue between the two services.").await;
    for (seq, chunk) in pcm.bytes().chunks(CHUNK).enumerate() {
        whisper.hear("gone", seq as u32, &Bytes::copy_from_slice(chunk));
    }
    let (utterances, decodes) = whisper.live_work();
    assert_eq!(utterances, 1, "the utterance is being heard");
    assert!(decodes <= 1, "at most one decode in flight: {decodes}");
    whisper.forget("gone");
    assert_eq!(whisper.live_work().0, 0);
    // The decode in flight cannot be interrupted, only ignored; it ends and nothing starts after it.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while whisper.live_work() != (0, 0) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{:?}",
            whisper.live_work()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A Google SDE interview over a server hearing `finals` (see [`scripted_server_heard`]), started, with the first
/// utterance said hands-free and answered with the backchannel only: the server, token, session and socket.
async fn held_after_a_pause(
    finals: &[&str],
    heard: Arc<std::sync::Mutex<Vec<String>>>,
    fail_once_on: Option<&str>,
) -> (LocalServer, String, String, Socket) {
    let server = scripted_server_heard(false, finals, heard, fail_once_on).await;
    let token = server.token("edsger", &[]);
    let session = server
        .create_session(&token, "Google SDE", "Edsger Dijkstra")
        .await;
    let mut socket = connect(&server, &session, &token).await;
    send(&mut socket, json!({"type": "start"})).await;
    // The greeting and the first question (which question is drawn at random).
    read_turn(&mut socket).await;
    say_until_silence(&mut socket, &buzz(1.0)).await;
    let (_, backchannel, _) = read_turn(&mut socket).await;
    assert_eq!(backchannel, prepai::voice::turn_end::GO_ON);
    (server, token, session, socket)
}

/// Hands-free turn taking ends an utterance at a pause, mid-sentence included. An utterance the client ended after
/// a silence that stops where no sentence ends ("…switch to the") gets only a backchannel, marked a remark; the
/// rest of the sentence completes the answer, and the report reads the two utterances as one answer to the
/// question, not as an answer and a reply to the backchannel. Let go of on purpose (push-to-talk), the same words
/// are answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pause_mid_sentence_gets_a_backchannel_not_a_reply() {
    let first = "With weighted cells I would switch to the";
    let rest =
        "Dijkstra's algorithm with a priority queue, because the closest unvisited cell is final.";
    let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (server, token, session, mut socket) =
        held_after_a_pause(&[first, rest, first], heard.clone(), None).await;
    say_until_silence(&mut socket, &buzz(1.0)).await;
    let (_, reply, _) = read_turn(&mut socket).await;
    assert_ne!(reply, prepai::voice::turn_end::GO_ON);
    // Push-to-talk: the candidate let go there, so it is an answer.
    say(&mut socket, &buzz(1.0)).await;
    let (_, reply, _) = read_turn(&mut socket).await;
    assert_ne!(reply, prepai::voice::turn_end::GO_ON);

    // The interviewer heard the held half with the rest, once.
    assert_eq!(
        *heard.lock().unwrap(),
        [format!("{first} {rest}"), first.to_owned()]
    );

    let stored = server
        .get_json(&token, &format!("/api/interviews/{session}/transcript"))
        .await;
    let lines = stored["transcript"].as_array().unwrap();
    let go_on: Vec<&Value> = lines
        .iter()
        .filter(|e| e["text"] == prepai::voice::turn_end::GO_ON)
        .collect();
    assert_eq!(go_on.len(), 1, "{lines:#?}");
    assert_eq!(go_on[0]["reply_kind"], "remark", "{}", go_on[0]);

    let report = prepai_tests::candidate::end_and_report(&server, &token, &session).await;
    let answers = report["answers"].as_array().expect("answers");
    let answer = answers
        .iter()
        .find(|a| {
            a["answer"]
                .as_str()
                .is_some_and(|t| t.contains("switch to the"))
        })
        .unwrap_or_else(|| panic!("the answer is reviewed: {answers:#?}"));
    let text = answer["answer"].as_str().unwrap();
    assert!(
        text.contains("switch to the Dijkstra"),
        "one sentence, one answer: {text}"
    );
    assert!(
        !answer["question"]
            .as_str()
            .unwrap_or_default()
            .contains("go on"),
        "{answer}"
    );
}

/// The turn that completes a held sentence fails (the interviewer broke): nothing the candidate said is lost or
/// heard twice. The next answer reaches the interviewer with the held half and the half whose turn failed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_words_survive_a_failed_turn() {
    let first = "With weighted cells I would switch to the";
    let second = "Dijkstra's algorithm with a priority queue.";
    let third = "Because the closest unvisited cell is final.";
    let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (_server, _token, _session, mut socket) =
        held_after_a_pause(&[first, second, third], heard.clone(), Some("Dijkstra")).await;
    say_until_silence(&mut socket, &buzz(1.0)).await;
    loop {
        let message = next_json_within(&mut socket, Duration::from_secs(30)).await;
        if message["type"] == "error" {
            assert_eq!(message["code"], "interviewer_unavailable", "{message}");
            break;
        }
        assert_ne!(message["type"], "assistant_complete", "{message}");
    }
    say_until_silence(&mut socket, &buzz(1.0)).await;
    let (_, reply, _) = read_turn(&mut socket).await;
    assert_ne!(reply, prepai::voice::turn_end::GO_ON);
    assert_eq!(
        *heard.lock().unwrap(),
        [
            format!("{first} {second}"),
            format!("{first} {second} {third}")
        ]
    );
}
