//! Streams that die midway, end to end: the interviewer (Bedrock InvokeAgent's event stream), the recogniser
//! (Transcribe streaming) and the voice (Polly's audio), each a loopback peer breaking its connection mid-stream at
//! a seeded rate, behind our SDK adapters in the local server. What was said is saved once, the candidate gets an
//! `error` message saying what to do, and sending again works.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use prepai::adapters::aws::{
    BedrockInterviewer, PollyConfig, PollySpeech, TranscribeConfig, TranscribeSpeech,
    configure_agent_client, configure_polly_client,
};
use prepai::context::SpeechServices;
use prepai_tests::aws_peers::{AgentEndpoint, AgentScript, loopback_sdk_config};
use prepai_tests::faults::FaultDice;
use prepai_tests::local_server::LocalServer;
use prepai_tests::socket::{Socket, connect, next_json, send, send_speech};
use prepai_tests::speech_peers::{
    PollyEndpoint, PollyReply, TranscribeEndpoint, TranscribeScript, finished, partial,
};
use serde_json::{Value, json};

async fn transcript(server: &LocalServer, token: &str, session: &str) -> Vec<(String, String)> {
    let stored = server
        .get_json(token, &format!("/api/interviews/{session}/transcript"))
        .await;
    stored["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["role"].as_str().unwrap().to_owned(),
                e["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Reads one reply: `Ok(text)` at `assistant_complete`, `Err(code)` at an `error`; every message seen is kept.
async fn reply(socket: &mut Socket, seen: &mut Vec<Value>) -> Result<String, String> {
    loop {
        let message = next_json(socket).await;
        seen.push(message.clone());
        match message["type"].as_str().unwrap_or_default() {
            "assistant_complete" => return Ok(message["text"].as_str().unwrap().to_owned()),
            "error" => {
                assert!(message["message"].as_str().is_some_and(|m| !m.is_empty()));
                return Err(message["code"].as_str().unwrap().to_owned());
            }
            _ => {}
        }
    }
}

const AGENT_CHUNKS: [&str; 4] = [
    "Thanks for that. ",
    "How would you ",
    "shard the cache ",
    "across regions?",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interviewer_stream_dying_midway_saves_what_was_said_once_and_a_resend_works() {
    let dice = Arc::new(FaultDice::with_rate(3, 1.0));
    let endpoint = AgentEndpoint::start(AgentScript::Flaky {
        chunks: AGENT_CHUNKS.iter().map(|c| (*c).to_owned()).collect(),
        dice: Arc::clone(&dice),
    })
    .await;
    let client = aws_sdk_bedrockagentruntime::Client::from_conf(
        configure_agent_client(aws_sdk_bedrockagentruntime::config::Builder::from(
            &loopback_sdk_config(&endpoint.url),
        ))
        .build(),
    );
    let server = LocalServer::start_with(move |ctx| {
        ctx.with_interviewer(Arc::new(BedrockInterviewer::new(
            client,
            "A",
            "B",
            prepai::knowledge::QuestionBank::embedded(),
        )))
    })
    .await;
    let token = server.token("ada", &[]);
    let session = server.create_session(&token, "AWS SA", "Ada").await;
    let mut socket = connect(&server, &session, &token).await;

    let answer = "I would keep a write-through cache in each region.";
    send(&mut socket, json!({"type": "text", "text": answer})).await;
    let mut seen = Vec::new();
    assert_eq!(
        reply(&mut socket, &mut seen).await,
        Err("interviewer_unavailable".to_owned())
    );
    assert!(
        seen.iter().any(|m| m["type"] == "llm_chunk"),
        "part of the reply arrived before the break: {seen:?}"
    );
    let half = "Thanks for that. How would you";
    assert_eq!(
        transcript(&server, &token, &session).await,
        [
            ("user".into(), answer.into()),
            ("assistant".into(), half.into())
        ],
        "the answer and what was said are saved, once each"
    );

    // The agent is back: the candidate sends the answer again, as the error said.
    dice.set_rate(0.0);
    send(&mut socket, json!({"type": "text", "text": answer})).await;
    let whole: String = AGENT_CHUNKS.concat();
    assert_eq!(reply(&mut socket, &mut Vec::new()).await, Ok(whole.clone()));
    assert_eq!(
        transcript(&server, &token, &session).await,
        [
            ("user".into(), answer.into()),
            ("assistant".into(), half.into()),
            ("user".into(), answer.into()),
            ("assistant".into(), whole)
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_a_seeded_rate_every_turn_is_saved_once_whether_its_reply_broke_or_not() {
    let dice = Arc::new(FaultDice::with_rate(17, 0.4));
    let endpoint = AgentEndpoint::start(AgentScript::Flaky {
        chunks: AGENT_CHUNKS.iter().map(|c| (*c).to_owned()).collect(),
        dice: Arc::clone(&dice),
    })
    .await;
    let client = aws_sdk_bedrockagentruntime::Client::from_conf(
        configure_agent_client(aws_sdk_bedrockagentruntime::config::Builder::from(
            &loopback_sdk_config(&endpoint.url),
        ))
        .build(),
    );
    let server = LocalServer::start_with(move |ctx| {
        ctx.with_interviewer(Arc::new(BedrockInterviewer::new(
            client,
            "A",
            "B",
            prepai::knowledge::QuestionBank::embedded(),
        )))
    })
    .await;
    let token = server.token("grace", &[]);
    let session = server.create_session(&token, "AWS SA", "Grace").await;
    let mut socket = connect(&server, &session, &token).await;
    let mut expected = Vec::new();
    let mut broke = 0;
    for turn in 0..12 {
        let answer = format!("Answer number {turn}: replicate the cache asynchronously.");
        send(&mut socket, json!({"type": "text", "text": answer})).await;
        expected.push(("user".to_owned(), answer));
        match reply(&mut socket, &mut Vec::new()).await {
            Ok(text) => expected.push(("assistant".to_owned(), text)),
            Err(code) => {
                assert_eq!(code, "interviewer_unavailable");
                broke += 1;
                expected.push((
                    "assistant".to_owned(),
                    "Thanks for that. How would you".into(),
                ));
            }
        }
    }
    assert_eq!(broke, dice.total(), "every break reached the candidate");
    assert!(
        broke > 0 && broke < 12,
        "the seed breaks some turns: {broke}"
    );
    assert_eq!(transcript(&server, &token, &session).await, expected);
}

/// A loud, speech-like buzz (the loopback recogniser does not listen; the server checks there is sound).
fn buzz(seconds: f64) -> Vec<u8> {
    let n = (seconds * 16_000.0) as usize;
    (0..n)
        .flat_map(|i| (if i % 20 < 10 { 7000i16 } else { -7000 }).to_le_bytes())
        .collect()
}

async fn say(socket: &mut Socket, pcm: &[u8]) {
    let sent = send_speech(socket, pcm).await;
    send(socket, json!({"type": "speech_end", "chunks": sent})).await;
}

fn recordings_of(server: &LocalServer, session: &str) -> usize {
    let dir = server.data.path().join("recordings").join(session);
    std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|u| std::fs::read_dir(u.path()).into_iter().flatten().count())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recognition_stream_dying_midway_stores_nothing_and_saying_it_again_works() {
    let dice = Arc::new(FaultDice::with_rate(5, 1.0));
    let said = "I would shard by customer id.";
    let recogniser = TranscribeEndpoint::start(TranscribeScript::Flaky {
        events: vec![
            vec![partial("r1", "I would")],
            vec![partial("r1", "I would shard")],
            vec![finished("r1", said)],
        ],
        dice: Arc::clone(&dice),
    })
    .await;
    let stt = TranscribeSpeech::from_config(recogniser.client(), &TranscribeConfig::default());
    let speech = SpeechServices {
        stt: Some(Arc::new(stt)),
        ..SpeechServices::default()
    };
    let server = LocalServer::start_with(|ctx| ctx.with_speech(speech)).await;
    let token = server.token("linus", &[]);
    let session = server.create_session(&token, "Google SDE", "Linus").await;
    let mut socket = connect(&server, &session, &token).await;

    say(&mut socket, &buzz(1.5)).await;
    let mut seen = Vec::new();
    assert_eq!(
        reply(&mut socket, &mut seen).await,
        Err("transcription_failed".to_owned())
    );
    assert!(
        !seen
            .iter()
            .any(|m| m["type"] == "transcript" && m["is_final"] == true),
        "nothing was taken as the answer: {seen:?}"
    );
    // A round trip, so the clean-up after the failure is done.
    send(&mut socket, json!({"type": "resume"})).await;
    assert_eq!(next_json(&mut socket).await["type"], "voice");
    assert!(transcript(&server, &token, &session).await.is_empty());
    assert_eq!(
        recordings_of(&server, &session),
        0,
        "the failed utterance's audio is gone"
    );

    dice.set_rate(0.0);
    say(&mut socket, &buzz(1.5)).await;
    let mut seen = Vec::new();
    reply(&mut socket, &mut seen).await.expect("the reply");
    assert!(
        seen.iter()
            .any(|m| m["type"] == "transcript" && m["is_final"] == true && m["text"] == said),
        "{seen:?}"
    );
    let stored = transcript(&server, &token, &session).await;
    let answers: Vec<&(String, String)> =
        stored.iter().filter(|(role, _)| role == "user").collect();
    assert_eq!(
        answers,
        [&("user".to_owned(), said.to_owned())],
        "saved once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_voice_stream_dying_midway_is_asked_again_and_otherwise_the_reply_stays_text() {
    let dice = Arc::new(FaultDice::with_rate(9, 1.0));
    let audio = Bytes::from(vec![0x49u8; 4096]);
    let voice = PollyEndpoint::start(PollyReply::Flaky {
        audio: audio.clone(),
        dice: Arc::clone(&dice),
    })
    .await;
    let polly = aws_sdk_polly::Client::from_conf(
        configure_polly_client(aws_sdk_polly::config::Builder::from(&loopback_sdk_config(
            &voice.url,
        )))
        .build(),
    );
    let speech = SpeechServices {
        tts: Some(Arc::new(PollySpeech::new(polly, PollyConfig::default()))),
        ..SpeechServices::default()
    };
    let server = LocalServer::start_with(|ctx| ctx.with_speech(speech)).await;
    let token = server.token("ada", &[]);

    // Every attempt breaks: the reply comes as text, with one error saying so.
    let session = server.create_session(&token, "Behavioral", "Ada").await;
    let mut socket = connect(&server, &session, &token).await;
    send(&mut socket, json!({"type": "start", "voice": true})).await;
    let mut seen = Vec::new();
    let greeting = loop {
        let message = tokio::time::timeout(Duration::from_secs(20), async {
            next_json(&mut socket).await
        })
        .await
        .expect("a message");
        seen.push(message.clone());
        if message["type"] == "assistant_complete" {
            break message["text"].as_str().unwrap().to_owned();
        }
    };
    // The voice error may come before or after the text completes; wait for it.
    while !seen.iter().any(|m| m["type"] == "error") {
        seen.push(next_json(&mut socket).await);
    }
    let errors: Vec<&Value> = seen.iter().filter(|m| m["type"] == "error").collect();
    assert_eq!(errors.len(), 1, "{seen:?}");
    assert_eq!(errors[0]["code"], "voice_output_failed");
    assert!(
        !seen.iter().any(|m| m["type"] == "audio"),
        "no broken audio is sent"
    );
    assert!(dice.total() >= 2, "the broken audio was asked for again");
    assert_eq!(
        transcript(&server, &token, &session).await,
        [("assistant".to_owned(), greeting.clone())],
        "the reply is saved once"
    );

    // One break in two: a sentence's audio that broke off is asked for again and arrives whole.
    let broke_before = dice.total();
    dice.set_rate(0.5);
    let session = server.create_session(&token, "Behavioral", "Ada").await;
    let mut socket = connect(&server, &session, &token).await;
    send(&mut socket, json!({"type": "start", "voice": true})).await;
    let (mut clips, mut complete, mut ended, mut failed) = (0, false, false, false);
    while !(complete && (ended || failed)) {
        let message = next_json(&mut socket).await;
        match message["type"].as_str().unwrap_or_default() {
            "audio" => clips += 1,
            "audio_end" => ended = true,
            "assistant_complete" => complete = true,
            "error" => {
                assert_eq!(message["code"], "voice_output_failed");
                failed = true;
            }
            _ => {}
        }
    }
    let breaks = dice.total() - broke_before;
    assert!(
        clips > 0 && breaks > 0,
        "audio broke off ({breaks} times) and was asked for again, so {clips} clip parts arrived"
    );
}
