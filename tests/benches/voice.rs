//! Voice figures on the local server: speech recognition (Whisper tiny.en) real-time factor, time to first audio
//! of speech synthesis (espeak-ng), a whole local voice turn over the socket (end of speech → final transcript →
//! first reply chunk → first reply audio), and our own share of a turn: the same turn with instant speech
//! services, so only storage, the handler, the interviewer and the socket remain.
//!
//! `cargo bench -p prepai-tests --bench voice` (needs `scripts/fetch-whisper-model` and espeak-ng)

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use bytes::Bytes;
use futures::StreamExt;
use prepai::adapters::local::EspeakSpeech;
use prepai::context::SpeechServices;
use prepai::ports::{
    AudioFormat, SpeechClip, SpeechError, SpeechHypothesis, SpeechToText, TextToSpeech,
    TranscriptStream,
};
use prepai::voice::{Pcm16, VoiceSettings, Wav};
use prepai_tests::local_server::LocalServer;
use prepai_tests::socket::{Socket, connect, next_json_within, send, send_speech};
use prepai_tests::stats::{Summary, ms, summarise};
use serde_json::json;

const ANSWER: &str = "I would put a cache in front of the database, keyed by user id, and expire entries after \
                      five minutes so that reads stay fast.";

/// Milestones of one voice turn, from the moment `speech_end` was sent.
struct VoiceTurn {
    final_transcript: Duration,
    first_chunk: Duration,
    first_audio: Duration,
}

async fn voice_turn(server: &LocalServer, pcm: &Pcm16, user: usize) -> VoiceTurn {
    let token = server.token(&format!("voice-bench-{user}"), &[]);
    let session = server
        .create_session(&token, "Google SDE", "Bench Candidate")
        .await;
    let mut socket: Socket = connect(server, &session, &token).await;
    let sent = send_speech(&mut socket, pcm.bytes()).await;
    let ended = Instant::now();
    send(&mut socket, json!({"type": "speech_end", "chunks": sent})).await;
    let (mut final_transcript, mut first_chunk, mut first_audio) = (None, None, None);
    while first_audio.is_none() || first_chunk.is_none() {
        let message = next_json_within(&mut socket, Duration::from_secs(60)).await;
        let at = ended.elapsed();
        match message["type"].as_str().unwrap_or_default() {
            "transcript" if message["is_final"] == true => final_transcript = Some(at),
            "llm_chunk" => {
                first_chunk.get_or_insert(at);
            }
            "audio" => {
                first_audio.get_or_insert(at);
            }
            "error" => panic!("{message}"),
            _ => {}
        }
    }
    VoiceTurn {
        final_transcript: final_transcript.expect("a final transcript"),
        first_chunk: first_chunk.unwrap_or_default(),
        first_audio: first_audio.unwrap_or_default(),
    }
}

/// Answers at once with a fixed text: what is left of a turn is ours.
struct InstantRecogniser;

#[async_trait]
impl SpeechToText for InstantRecogniser {
    async fn transcribe(&self, _pcm: Bytes) -> Result<TranscriptStream, SpeechError> {
        let done = SpeechHypothesis {
            text: ANSWER.into(),
            is_final: true,
        };
        Ok(futures::stream::once(async move { Ok(done) }).boxed())
    }
}

/// Returns a tenth of a second of silence at once.
struct InstantVoice;

#[async_trait]
impl TextToSpeech for InstantVoice {
    async fn synthesize(&self, _text: &str) -> Result<SpeechClip, SpeechError> {
        let wav = Wav {
            sample_rate: 16_000,
            channels: 1,
            samples: vec![0; 1_600],
        };
        Ok(SpeechClip {
            format: AudioFormat::Wav,
            audio: Bytes::from(wav.encode()),
        })
    }
}

fn row(what: &str, s: &Summary) {
    println!(
        "| {what:<52} | {:>9.1} | {:>9.1} | {:>9.1} |",
        ms(s.p50),
        ms(s.p95),
        ms(s.mean)
    );
}

fn header() {
    println!(
        "| {:<52} | {:>9} | {:>9} | {:>9} |",
        "", "p50 ms", "p95 ms", "mean ms"
    );
    println!("|{:-<54}|{:-<11}|{:-<11}|{:-<11}|", "", "", "", "");
}

fn turn_rows(label: &str, turns: &[VoiceTurn]) {
    let pick = |f: fn(&VoiceTurn) -> Duration| summarise(turns.iter().map(f).collect());
    row(
        &format!("{label}: end of speech → final transcript"),
        &pick(|t| t.final_transcript),
    );
    row(
        &format!("{label}: end of speech → first reply chunk"),
        &pick(|t| t.first_chunk),
    );
    row(
        &format!("{label}: end of speech → first reply audio"),
        &pick(|t| t.first_audio),
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (speech, notes) = prepai_local::speech::local_speech(VoiceSettings::default()).await;
    let (Some(stt), Some(tts)) = (speech.stt.clone(), speech.tts.clone()) else {
        panic!("the voice benchmark needs the Whisper model and espeak-ng: {notes:?}");
    };
    let espeak = EspeakSpeech::detect().await.expect("espeak-ng");
    let spoken = espeak.synthesize(ANSWER).await.expect("espeak-ng speaks");
    let pcm = Wav::parse(&spoken.audio).expect("wav").to_pcm16_mono_16k();
    println!(
        "answer: {:.2} s of speech, {} bytes of PCM16",
        pcm.seconds(),
        pcm.bytes().len()
    );

    let mut recognition = Vec::new();
    let mut heard = String::new();
    for _ in 0..5 {
        let started = Instant::now();
        let mut stream = stt
            .transcribe(pcm.bytes().clone())
            .await
            .expect("transcribe");
        while let Some(h) = stream.next().await {
            heard = h.expect("hypothesis").text;
        }
        recognition.push(started.elapsed());
    }
    let recognition = summarise(recognition);
    println!("heard: {heard:?}");
    println!(
        "speech recognition real-time factor: {:.2} (p50 {:.0} ms for {:.2} s of audio)\n",
        recognition.p50.as_secs_f64() / pcm.seconds(),
        ms(recognition.p50),
        pcm.seconds()
    );

    let mut synthesis = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        tts.synthesize("Thanks, that is a good start.")
            .await
            .expect("speak");
        synthesis.push(started.elapsed());
    }

    header();
    row("speech recognition (Whisper tiny.en)", &recognition);
    row(
        "speech synthesis, first sentence (espeak-ng)",
        &summarise(synthesis),
    );

    let server = LocalServer::start_with(|ctx| ctx.with_speech(speech)).await;
    let mut turns = Vec::new();
    for user in 0..5 {
        turns.push(voice_turn(&server, &pcm, user).await);
    }
    turn_rows("local voice turn", &turns);

    let instant = SpeechServices {
        stt: Some(Arc::new(InstantRecogniser)),
        tts: Some(Arc::new(InstantVoice)),
        ..SpeechServices::default()
    };
    let ours = LocalServer::start_with(|ctx| ctx.with_speech(instant)).await;
    let mut turns = Vec::new();
    for user in 0..30 {
        turns.push(voice_turn(&ours, &pcm, user).await);
    }
    turn_rows("our share", &turns);
    let p95 = summarise(turns.iter().map(|t| t.first_audio).collect()).p95;
    println!(
        "\nour share of a turn (everything but the speech services), end of speech → first audio: p95 {:.1} ms \
         (target ≤ 100 ms: {})",
        ms(p95),
        if p95 <= Duration::from_millis(100) {
            "met"
        } else {
            "NOT met"
        }
    );
}
