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
use prepai::voice::utterances::MAX_CHUNK_BYTES;
use prepai::voice::{Pcm16, VoiceSettings, Wav};
use prepai_tests::local_server::LocalServer;
use prepai_tests::socket::{Socket, connect, next_json_within, send, send_speech};
use prepai_tests::stats::{Summary, ms, summarise};
use prepai_tests::wer::word_error_rate;
use serde_json::json;

const ANSWER: &str = "I would put a cache in front of the database, keyed by user id, and expire entries after \
                      five minutes so that reads stay fast.";

/// About ten seconds as espeak-ng speaks it: the answer length the end-of-speech target is set for.
const LONG_ANSWER: &str = "I would start with a hash map from each user to their recent orders, then put a read \
                           through cache in front of the database, so that most requests never reach it and the \
                           slow queries disappear.";

/// What the word error rate is measured on: the two answers above and shorter ones.
const ANSWERS: [&str; 5] = [
    ANSWER,
    LONG_ANSWER,
    "I led the migration of our payment service to a queue based design.",
    "The time complexity is linear, because every element is visited once.",
    "First I would ask how many requests per second we expect, and how stale the data may be.",
];

/// A recorded human answer (see `tests/fixtures/speech/README.md`) and what was said in it.
const RECORDED: &[u8] = include_bytes!("../fixtures/speech/jfk.wav");
const RECORDED_TEXT: &str = "And so my fellow Americans, ask not what your country can do for you, ask what you \
                             can do for your country.";

/// Milestones of one voice turn, from the moment `speech_end` was sent.
struct VoiceTurn {
    heard: String,
    final_transcript: Duration,
    first_chunk: Duration,
    first_audio: Duration,
}

/// Sends the utterance as a browser would while the candidate speaks: a chunk every half second of audio.
async fn speak_in_real_time(socket: &mut Socket, pcm: &[u8]) -> usize {
    use base64::Engine;
    send(socket, json!({"type": "speech_start"})).await;
    let started = Instant::now();
    let mut spoken = Duration::ZERO;
    let mut sent = 0;
    for (seq, chunk) in pcm.chunks(MAX_CHUNK_BYTES).enumerate() {
        spoken += Duration::from_secs_f64(chunk.len() as f64 / 32_000.0);
        tokio::time::sleep_until((started + spoken).into()).await;
        let data = base64::engine::general_purpose::STANDARD.encode(chunk);
        send(socket, json!({"type": "audio", "seq": seq, "data": data})).await;
        sent += 1;
    }
    sent
}

async fn voice_turn(server: &LocalServer, pcm: &Pcm16, user: usize, real_time: bool) -> VoiceTurn {
    let token = server.token(&format!("voice-bench-{user}"), &[]);
    let session = server
        .create_session(&token, "Google SDE", "Bench Candidate")
        .await;
    let mut socket: Socket = connect(server, &session, &token).await;
    let sent = if real_time {
        speak_in_real_time(&mut socket, pcm.bytes()).await
    } else {
        send_speech(&mut socket, pcm.bytes()).await
    };
    let ended = Instant::now();
    send(&mut socket, json!({"type": "speech_end", "chunks": sent})).await;
    let (mut final_transcript, mut first_chunk, mut first_audio) = (None, None, None);
    let mut heard = String::new();
    while first_audio.is_none() || first_chunk.is_none() {
        let message = next_json_within(&mut socket, Duration::from_secs(60)).await;
        let at = ended.elapsed();
        match message["type"].as_str().unwrap_or_default() {
            "transcript" if message["is_final"] == true => {
                final_transcript = Some(at);
                heard = message["text"].as_str().unwrap_or_default().to_owned();
            }
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
        heard,
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
    let mut answers = Vec::new();
    for text in ANSWERS {
        let spoken = espeak.synthesize(text).await.expect("espeak-ng speaks");
        answers.push(Wav::parse(&spoken.audio).expect("wav").to_pcm16_mono_16k());
    }
    let pcm = answers[0].clone();
    let long = answers[1].clone();
    println!(
        "answers: {:.2} s and {:.2} s of speech",
        pcm.seconds(),
        long.seconds()
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

    let mut one_shot = Vec::new();
    for (text, audio) in ANSWERS.iter().zip(&answers) {
        let mut stream = stt
            .transcribe(audio.bytes().clone())
            .await
            .expect("transcribe");
        let mut heard = String::new();
        while let Some(h) = stream.next().await {
            heard = h.expect("hypothesis").text;
        }
        one_shot.push((*text, heard));
    }
    let one_shot_wer = word_error_rate(one_shot.iter().map(|(r, h)| (*r, h.as_str())));

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
        turns.push(voice_turn(&server, &pcm, user, false).await);
    }
    turn_rows(
        &format!("{:.1} s answer sent at once", pcm.seconds()),
        &turns,
    );
    let mut turns = Vec::new();
    for user in 0..5 {
        turns.push(voice_turn(&server, &long, 100 + user, true).await);
    }
    turn_rows(
        &format!("{:.1} s answer spoken in real time", long.seconds()),
        &turns,
    );
    let long_p50 = summarise(turns.iter().map(|t| t.first_audio).collect()).p50;
    let recorded = Wav::parse(RECORDED)
        .expect("the recorded answer is a WAV file")
        .to_pcm16_mono_16k();
    let mut turns = Vec::new();
    for user in 0..5 {
        turns.push(voice_turn(&server, &recorded, 300 + user, true).await);
    }
    turn_rows(
        &format!(
            "{:.1} s recorded answer spoken in real time",
            recorded.seconds()
        ),
        &turns,
    );
    let recorded_heard = turns.last().map(|t| t.heard.clone()).unwrap_or_default();
    let recorded_wer = word_error_rate([(RECORDED_TEXT, recorded_heard.as_str())]);
    let mut live = Vec::new();
    for (user, (text, audio)) in ANSWERS.iter().zip(&answers).enumerate() {
        let turn = voice_turn(&server, audio, 200 + user, true).await;
        live.push((*text, turn.heard));
    }
    let live_wer = word_error_rate(live.iter().map(|(r, h)| (*r, h.as_str())));

    let instant = SpeechServices {
        stt: Some(Arc::new(InstantRecogniser)),
        tts: Some(Arc::new(InstantVoice)),
        ..SpeechServices::default()
    };
    let ours = LocalServer::start_with(|ctx| ctx.with_speech(instant)).await;
    let mut turns = Vec::new();
    for user in 0..30 {
        turns.push(voice_turn(&ours, &pcm, user, false).await);
    }
    turn_rows("our share", &turns);
    println!("\nword error rate on {} espeak-ng answers:", ANSWERS.len());
    println!(
        "  whole utterance at once:        {:.1} %",
        one_shot_wer * 100.0
    );
    println!(
        "  heard while spoken (real time): {:.1} %",
        live_wer * 100.0
    );
    for ((text, once), (_, spoken)) in one_shot.iter().zip(&live) {
        println!("  said:   {text}\n  once:   {once}\n  live:   {spoken}");
    }
    println!(
        "word error rate on the recorded answer (a human voice), heard while spoken: {:.1} %\n  said:   \
         {RECORDED_TEXT}\n  heard:  {recorded_heard}",
        recorded_wer * 100.0
    );
    println!(
        "\n{:.1} s answer, end of speech → first reply audio: p50 {:.0} ms (target ≤ 600 ms: {})",
        long.seconds(),
        ms(long_p50),
        if long_p50 <= Duration::from_millis(600) {
            "met"
        } else {
            "NOT met"
        }
    );
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
