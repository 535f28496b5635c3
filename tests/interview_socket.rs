//! The live interview over a real WebSocket client against the local server: handshake checks, a scripted
//! interview with streamed replies, malformed messages, and the transcript afterwards.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use prepai_tests::local_server::LocalServer;
use prepai_tests::socket::{next_json, read_turn, send, socket_url};
use serde_json::json;
use tokio_tungstenite::connect_async;
use tokio_tungstenite::tungstenite::Message;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scripted_interview_streams_replies_and_keeps_everything_in_the_transcript() {
    let server = LocalServer::start().await;
    let token = server.token("grace", &[]);
    let session = server
        .create_session(&token, "Behavioral", "Grace Hopper")
        .await;
    let (mut socket, _) = connect_async(socket_url(&server, &session, &token))
        .await
        .unwrap();

    send(&mut socket, json!({"type": "start"})).await;
    let (chunks, greeting, _) = read_turn(&mut socket).await;
    assert!(chunks.len() > 1, "the greeting streams in chunks");
    assert_eq!(chunks.concat().trim(), greeting);
    assert!(greeting.starts_with("Hi Grace"), "{greeting}");

    let answers = [
        "In my last role I led the migration of our billing service; I owned the plan and we cut costs by 30%.",
        "I disagreed with my manager about a deadline, so I gathered data, proposed a phased release and we shipped.",
        "skip",
        "I learned to ask for feedback early; I now run weekly check-ins with my team.",
        "I mentored two junior engineers and both were promoted within a year.",
    ];
    let mut said = vec![greeting];
    for answer in answers {
        send(&mut socket, json!({"type": "text", "text": answer})).await;
        let echo = next_json(&mut socket).await;
        assert_eq!(
            echo,
            json!({"type": "transcript", "text": answer, "role": "user", "is_final": true})
        );
        let (chunks, reply, _) = read_turn(&mut socket).await;
        assert!(!chunks.is_empty());
        assert_eq!(chunks.concat().trim(), reply);
        said.push(answer.to_owned());
        said.push(reply);
    }
    socket.close(None).await.unwrap();

    let transcript = server
        .get_json(&token, &format!("/api/interviews/{session}/transcript"))
        .await;
    let entries = transcript["transcript"].as_array().unwrap();
    let texts: Vec<&str> = entries
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, said, "every message, in order");
    for (i, entry) in entries.iter().enumerate() {
        assert_eq!(entry["role"], if i % 2 == 0 { "assistant" } else { "user" });
    }
    let mut stamps: Vec<&str> = entries
        .iter()
        .map(|e| e["timestamp"].as_str().unwrap())
        .collect();
    let sorted = {
        let mut s = stamps.clone();
        s.sort();
        s
    };
    assert_eq!(stamps, sorted);
    stamps.dedup();

    // The server handles the close after the client has gone: wait for it rather than for a fixed time.
    let connections = server.data.path().join("connections");
    let records_left = || std::fs::read_dir(&connections).map_or(0, |d| d.count());
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while records_left() > 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        records_left(),
        0,
        "disconnect removes the connection record"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_handshake_checks_token_and_ownership() {
    let server = LocalServer::start().await;
    let alice = server.token("alice", &[]);
    let bob = server.token("bob", &[]);
    let session = server
        .create_session(&alice, "Coding", "Grace Hopper")
        .await;
    let status = |r: Result<_, tokio_tungstenite::tungstenite::Error>| match r {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => response.status().as_u16(),
        Ok(_) => 101,
        Err(other) => panic!("{other}"),
    };
    assert_eq!(
        status(connect_async(socket_url(&server, &session, "garbage")).await),
        401
    );
    assert_eq!(
        status(connect_async(format!("ws://{}/ws/interview/{session}", server.addr)).await),
        401
    );
    assert_eq!(
        status(connect_async(socket_url(&server, &session, &bob)).await),
        404
    );
    assert_eq!(
        status(connect_async(socket_url(&server, "not-a-uuid", &alice)).await),
        400
    );
    assert_eq!(
        status(connect_async(socket_url(&server, &session, &alice)).await),
        101
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_messages_get_an_error_and_the_connection_stays_up() {
    let server = LocalServer::start().await;
    let token = server.token("carol", &[]);
    let session = server
        .create_session(&token, "Google SDE", "Grace Hopper")
        .await;
    let (mut socket, _) = connect_async(socket_url(&server, &session, &token))
        .await
        .unwrap();
    for bad in [
        "not json".to_owned(),
        json!({"no": "type"}).to_string(),
        json!({"type": "dance"}).to_string(),
        json!({"type": "text"}).to_string(),
        json!({"type": "text", "text": "   "}).to_string(),
        json!({"type": "text", "text": "x".repeat(40 * 1024)}).to_string(),
    ] {
        socket
            .send(Message::Text(bad.clone().into()))
            .await
            .unwrap();
        let reply = next_json(&mut socket).await;
        assert_eq!(reply["type"], "error", "{bad:.40}: {reply}");
        assert!(!reply["message"].as_str().unwrap().is_empty());
    }
    send(&mut socket, json!({"type": "start"})).await;
    let (_, greeting, _) = read_turn(&mut socket).await;
    assert!(greeting.starts_with("Hi Grace"));
    let transcript = server
        .get_json(&token, &format!("/api/interviews/{session}/transcript"))
        .await;
    assert_eq!(
        transcript["transcript"].as_array().unwrap().len(),
        1,
        "bad messages wrote nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_binary_frame_closes_the_socket_as_api_gateway_does() {
    let server = LocalServer::start().await;
    let token = server.token("dave", &[]);
    let session = server
        .create_session(&token, "Coding", "Grace Hopper")
        .await;
    let (mut socket, _) = connect_async(socket_url(&server, &session, &token))
        .await
        .unwrap();
    socket
        .send(Message::Binary(vec![1, 2, 3].into()))
        .await
        .unwrap();
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(frame) = socket.next().await {
            if let Ok(Message::Close(Some(frame))) = frame {
                return Some(u16::from(frame.code));
            }
        }
        None
    })
    .await
    .unwrap();
    assert_eq!(closed, Some(1003));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coding_interview_runs_code_through_the_sandbox_and_ends_with_a_report() {
    let server = LocalServer::start().await;
    let token = server.token("linus", &[]);
    let session = server.create_session(&token, "Coding", "Linus T").await;
    let (mut socket, _) = connect_async(socket_url(&server, &session, &token))
        .await
        .unwrap();
    send(&mut socket, json!({"type": "start"})).await;
    read_turn(&mut socket).await;

    // Skip the questions until the interviewer poses its coding problem.
    let mut problem = None;
    for _ in 0..8 {
        send(&mut socket, json!({"type": "text", "text": "skip"})).await;
        next_json(&mut socket).await;
        let (_, _, others) = read_turn(&mut socket).await;
        if let Some(p) = others.into_iter().find(|m| m["type"] == "coding_problem") {
            problem = Some(p["problem"].clone());
            break;
        }
    }
    let problem = problem.expect("a coding problem arrives");
    let id = problem["id"].as_str().unwrap();
    let bank = prepai::knowledge::QuestionBank::embedded();
    let reference = &bank.coding_problem(id).unwrap().solutions;

    // A wrong answer first, then the reference solution: both run against the problem's own tests.
    let wrong = format!(
        "def {}(*args):\n    return None\n",
        problem["functionName"]["python"].as_str().unwrap()
    );
    send(
        &mut socket,
        json!({"type": "code", "code": wrong, "language": "python"}),
    )
    .await;
    let result = next_json(&mut socket).await;
    assert_eq!(result["type"], "code_result", "{result}");
    assert_eq!(result["allTestsPassed"], false);
    let (_, comment, _) = read_turn(&mut socket).await;
    assert!(comment.contains("tests pass"), "{comment}");

    send(
        &mut socket,
        json!({"type": "code", "code": reference.javascript, "language": "javascript"}),
    )
    .await;
    let result = next_json(&mut socket).await;
    assert_eq!(result["type"], "code_result", "{result}");
    assert_eq!(result["allTestsPassed"], true, "{result}");
    let (_, comment, _) = read_turn(&mut socket).await;
    assert!(comment.starts_with("Nice — all"), "{comment}");

    send(&mut socket, json!({"type": "end"})).await;
    let report = next_json(&mut socket).await;
    assert_eq!(report["type"], "report", "{report}");
    assert_eq!(
        report["report_url"],
        format!("/api/interviews/{session}/performance-report")
    );
    assert!(report["report"]["overallScore"].is_number(), "{report}");
    assert!(
        report["report"]["scores"]["codeQuality"].is_number(),
        "code was assessed: {report}"
    );

    let submissions = server
        .get_json(&token, &format!("/api/code/{session}/submissions"))
        .await;
    assert_eq!(submissions["submissions"].as_array().unwrap().len(), 2);
    let stored = server
        .get_json(
            &token,
            &format!("/api/interviews/{session}/performance-report"),
        )
        .await;
    assert_eq!(
        stored["report"]["overallScore"],
        report["report"]["overallScore"]
    );
}

/// A reloaded page (or a second tab) sends `start` again: the server answers as `resume` does — the voice status and
/// the open coding problem, no second greeting — and the transcript and the plan are untouched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_start_resumes_without_a_second_greeting() {
    let server = LocalServer::start().await;
    let token = server.token("ada", &[]);
    let session = server.create_session(&token, "Coding", "Ada L").await;
    let mut socket = prepai_tests::socket::connect(&server, &session, &token).await;
    send(&mut socket, json!({"type": "start"})).await;
    assert_eq!(next_json(&mut socket).await["type"], "voice");
    let (_, greeting, _) = read_turn(&mut socket).await;
    assert!(greeting.starts_with("Hi Ada"), "{greeting}");
    let mut problem = None;
    for _ in 0..8 {
        send(&mut socket, json!({"type": "text", "text": "skip"})).await;
        next_json(&mut socket).await;
        let (_, _, others) = read_turn(&mut socket).await;
        if let Some(p) = others.into_iter().find(|m| m["type"] == "coding_problem") {
            problem = Some(p["problem"].clone());
            break;
        }
    }
    let problem = problem.expect("a coding problem arrives");
    socket.close(None).await.unwrap();
    let before = server
        .get_json(&token, &format!("/api/interviews/{session}/transcript"))
        .await["transcript"]
        .as_array()
        .unwrap()
        .len();

    let mut again = prepai_tests::socket::connect(&server, &session, &token).await;
    send(&mut again, json!({"type": "start"})).await;
    assert_eq!(next_json(&mut again).await["type"], "voice");
    let reopened = next_json(&mut again).await;
    assert_eq!(reopened["type"], "coding_problem", "{reopened}");
    assert_eq!(reopened["problem"]["id"], problem["id"]);
    // Nothing else follows: a text message now is answered as the next turn, not after a greeting.
    send(&mut again, json!({"type": "text", "text": "I am back."})).await;
    let echo = next_json(&mut again).await;
    assert_eq!(
        echo["type"], "transcript",
        "no greeting before the echo: {echo}"
    );
    let (_, reply, _) = read_turn(&mut again).await;
    assert!(!reply.starts_with("Hi Ada"), "{reply}");
    let after = server
        .get_json(&token, &format!("/api/interviews/{session}/transcript"))
        .await["transcript"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(after, before + 2, "only the new answer and its reply");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_sent_again_under_its_id_is_recorded_once_and_gets_its_reply_again() {
    // The client resends an answer when it was told it failed; if the first copy had in fact been recorded, the
    // copy must not become a second answer.
    let server = LocalServer::start().await;
    let token = server.token("ada", &[]);
    let session = server.create_session(&token, "Behavioral", "Ada L").await;
    let mut socket = prepai_tests::socket::connect(&server, &session, &token).await;
    send(&mut socket, json!({"type": "start"})).await;
    assert_eq!(next_json(&mut socket).await["type"], "voice");
    read_turn(&mut socket).await;
    let answer = json!({"type": "text", "id": "4b1d6c1e-5a0f-4c2e-9f7a-0d3b2a1c9e8f",
        "text": "I led the billing migration and we cut hosting costs by a third."});
    send(&mut socket, answer.clone()).await;
    assert_eq!(next_json(&mut socket).await["type"], "transcript");
    let (_, reply, _) = read_turn(&mut socket).await;

    send(&mut socket, answer.clone()).await;
    let echo = next_json(&mut socket).await;
    assert_eq!(echo["type"], "transcript", "{echo}");
    assert_eq!(echo["text"], answer["text"]);
    let (chunks, again, _) = read_turn(&mut socket).await;
    assert_eq!(again, reply, "the reply it already had");
    assert!(chunks.is_empty(), "the interviewer was not asked again");

    let transcript = server
        .get_json(&token, &format!("/api/interviews/{session}/transcript"))
        .await["transcript"]
        .as_array()
        .unwrap()
        .clone();
    let copies = transcript
        .iter()
        .filter(|line| line["text"] == answer["text"])
        .count();
    assert_eq!(copies, 1, "{transcript:?}");
    assert_eq!(
        transcript.len(),
        3,
        "greeting, answer, reply: {transcript:?}"
    );

    // Another message under a used id is refused, not silently taken for the first.
    send(
        &mut socket,
        json!({"type": "text", "id": answer["id"], "text": "Something else entirely."}),
    )
    .await;
    let reused = next_json(&mut socket).await;
    assert_eq!(reused["type"], "error", "{reused}");
    assert_eq!(reused["code"], "message_id_reused", "{reused}");

    // A malformed id is refused, with the message kept apart from any other.
    send(
        &mut socket,
        json!({"type": "text", "id": "../x", "text": "hi"}),
    )
    .await;
    let refused = next_json(&mut socket).await;
    assert_eq!(refused["type"], "error");
    assert_eq!(refused["code"], "invalid_message");
}
