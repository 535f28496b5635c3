//! Our AWS adapters against loopback endpoints that speak each service's wire format: InvokeAgent's event
//! stream (including a stream that breaks halfway), PostToConnection (including a gone client), and Cognito's
//! published keys.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use futures::{SinkExt, StreamExt};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use prepai::adapters::aws::{ApiGatewayPush, BedrockInterviewer};
use prepai::auth::CognitoVerifier;
use prepai::domain::{CandidateName, Identity, InterviewType, Session, SessionId};
use prepai::knowledge::QuestionBank;
use prepai::ports::{
    InterviewInput, InterviewTurn, Interviewer, InterviewerEvent, PushChannel, PushError,
    TokenVerifier,
};
use prepai::ws::ConnectionId;
use prepai_tests::aws_peers::{
    AgentEndpoint, AgentScript, ManagementEndpoint, ReturnControlCall, jwks_endpoint,
};
use prepai_tests::local_server::LocalServer;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

fn session() -> Session {
    let owner = Identity::new("grace", vec![]).unwrap();
    let mut s = Session::new(
        SessionId::new_random(),
        &owner,
        InterviewType::AwsSa,
        CandidateName::parse("Grace Hopper").unwrap(),
        Utc::now(),
    );
    s.cv_analysis = Some(json!({"skills": ["AWS", "Terraform"], "totalYearsExperience": 7.0}));
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invoke_agent_streams_chunks_and_sends_our_session() {
    let endpoint = AgentEndpoint::start(AgentScript::Chunks(vec![
        "Hello ".into(),
        "Grace, ".into(),
        "welcome.".into(),
    ]))
    .await;
    let agent = BedrockInterviewer::new(
        endpoint.client(),
        "AGENT1",
        "ALIAS1",
        QuestionBank::embedded(),
    );
    let s = session();
    let mut stream = agent
        .turn(InterviewTurn {
            session: s.clone(),
            input: InterviewInput::Answer("I would use S3 with versioning.".into()),
        })
        .await
        .unwrap();
    let mut events = Vec::new();
    while let Some(e) = stream.next().await {
        events.push(e.unwrap());
    }
    assert_eq!(
        events,
        vec![
            InterviewerEvent::Chunk("Hello ".into()),
            InterviewerEvent::Chunk("Grace, ".into()),
            InterviewerEvent::Chunk("welcome.".into()),
            InterviewerEvent::Done { state: None },
        ]
    );
    let requests = endpoint.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].path,
        format!(
            "/agents/AGENT1/agentAliases/ALIAS1/sessions/{}/text",
            s.session_id
        )
    );
    let body = &requests[0].body;
    assert_eq!(body["inputText"], "I would use S3 with versioning.");
    let attributes = &body["sessionState"]["sessionAttributes"];
    assert_eq!(attributes["interviewType"], "AWS SA");
    assert_eq!(attributes["candidateName"], "Grace Hopper");
    assert!(
        attributes["cvSummary"]
            .as_str()
            .unwrap()
            .contains("AWS, Terraform")
    );
    assert_eq!(body["streamingConfigurations"]["streamFinalResponse"], true);
}

/// The agent's `present_coding_problem` comes back as a `returnControl` event: the problem opens in the editor with
/// its worked examples only, and the agent is answered with a second InvokeAgent carrying the result and the
/// invocation id, whose continuation streams on as the same reply.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coding_problem_handed_back_by_the_agent_opens_and_the_agent_carries_on() {
    let bank = QuestionBank::embedded();
    let problem = bank
        .coding_problem("two-sum")
        .expect("two-sum is in the bank");
    assert!(
        !problem.hidden_tests.is_empty(),
        "the bank problem has hidden tests"
    );
    let endpoint = AgentEndpoint::start(AgentScript::ReturnControl {
        before: vec!["Let's code. ".into()],
        call: ReturnControlCall {
            invocation_id: "inv-42".into(),
            action_group: "CodingProblems".into(),
            function: "present_coding_problem".into(),
            parameters: vec![("problemId".into(), "two-sum".into())],
        },
        then: vec!["It's on your screen: ".into(), "take your time.".into()],
    })
    .await;
    let agent = BedrockInterviewer::new(endpoint.client(), "AGENT1", "ALIAS1", bank);
    let s = session();
    let mut stream = agent
        .turn(InterviewTurn {
            session: s.clone(),
            input: InterviewInput::Answer("Ready for some code.".into()),
        })
        .await
        .unwrap();
    let mut events = Vec::new();
    while let Some(e) = stream.next().await {
        events.push(e.unwrap());
    }
    assert_eq!(
        events,
        vec![
            InterviewerEvent::Chunk("Let's code. ".into()),
            InterviewerEvent::CodingProblem(problem.for_client()),
            InterviewerEvent::Chunk("It's on your screen: ".into()),
            InterviewerEvent::Chunk("take your time.".into()),
            InterviewerEvent::Done { state: None },
        ]
    );
    let InterviewerEvent::CodingProblem(shown) = &events[1] else {
        unreachable!()
    };
    assert_eq!(shown["id"], "two-sum");
    assert_eq!(
        shown["functionName"]["python"],
        problem.function_names.python.as_str()
    );
    assert!(shown["starter"]["javascript"].is_string());
    assert_eq!(shown["testCases"], Value::from(problem.examples.clone()));
    let shown_text = shown.to_string();
    for hidden in &problem.hidden_tests {
        assert!(
            !shown_text.contains(&hidden.to_string()),
            "hidden test {hidden} was sent"
        );
    }
    assert!(
        !shown_text.contains(&problem.solutions.python),
        "the solution was sent"
    );

    let requests = endpoint.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 2, "the agent was answered once");
    let path = format!(
        "/agents/AGENT1/agentAliases/ALIAS1/sessions/{}/text",
        s.session_id
    );
    assert_eq!(
        requests[1].path, path,
        "the continuation is the same agent session"
    );
    let continuation = &requests[1].body;
    let state = &continuation["sessionState"];
    assert_eq!(state["invocationId"], "inv-42");
    let result = &state["returnControlInvocationResults"][0]["functionResult"];
    assert_eq!(result["actionGroup"], "CodingProblems");
    assert_eq!(result["function"], "present_coding_problem");
    assert!(result.get("responseState").is_none(), "{result}");
    let told: Value =
        serde_json::from_str(result["responseBody"]["TEXT"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(told["shown"], true);
    assert_eq!(told["problemId"], "two-sum");
    assert!(
        continuation
            .get("inputText")
            .is_none_or(|t| t.as_str() == Some("")),
        "{continuation}"
    );
    assert_eq!(state["sessionAttributes"]["interviewType"], "AWS SA");
    assert_eq!(
        continuation["streamingConfigurations"]["streamFinalResponse"],
        true
    );
}

/// A problem id the bank does not have is refused back to the agent with REPROMPT and the ids it may use; nothing
/// opens in the editor.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_problem_id_is_refused_back_to_the_agent() {
    let endpoint = AgentEndpoint::start(AgentScript::ReturnControl {
        before: vec![],
        call: ReturnControlCall {
            invocation_id: "inv-7".into(),
            action_group: "CodingProblems".into(),
            function: "present_coding_problem".into(),
            parameters: vec![("problemId".into(), "no-such-problem".into())],
        },
        then: vec!["Sorry, ".into(), "let me pick another.".into()],
    })
    .await;
    let agent = BedrockInterviewer::new(
        endpoint.client(),
        "AGENT1",
        "ALIAS1",
        QuestionBank::embedded(),
    );
    let mut stream = agent
        .turn(InterviewTurn {
            session: session(),
            input: InterviewInput::Start,
        })
        .await
        .unwrap();
    let mut events = Vec::new();
    while let Some(e) = stream.next().await {
        events.push(e.unwrap());
    }
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, InterviewerEvent::CodingProblem(_))),
        "{events:?}"
    );
    assert_eq!(events.last(), Some(&InterviewerEvent::Done { state: None }));
    let requests = endpoint.requests.lock().unwrap().clone();
    let result =
        &requests[1].body["sessionState"]["returnControlInvocationResults"][0]["functionResult"];
    assert_eq!(result["responseState"], "REPROMPT");
    let told = result["responseBody"]["TEXT"]["body"].as_str().unwrap();
    assert!(
        told.contains("no-such-problem") && told.contains("two-sum"),
        "{told}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_that_breaks_halfway_is_an_error_after_what_arrived() {
    let endpoint = AgentEndpoint::start(AgentScript::BreakAfter(vec![
        "Let me ".into(),
        "think".into(),
    ]))
    .await;
    let agent = BedrockInterviewer::new(endpoint.client(), "A", "B", QuestionBank::embedded());
    let mut stream = agent
        .turn(InterviewTurn {
            session: session(),
            input: InterviewInput::Start,
        })
        .await
        .unwrap();
    let mut chunks = String::new();
    let mut failed = false;
    while let Some(e) = stream.next().await {
        match e {
            Ok(InterviewerEvent::Chunk(c)) => chunks.push_str(&c),
            Ok(other) => panic!("unexpected {other:?}"),
            Err(_) => failed = true,
        }
    }
    assert_eq!(chunks, "Let me think");
    assert!(failed, "the break is reported");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_agent_breaks_mid_reply_the_candidate_hears_it_and_the_transcript_keeps_what_was_said()
 {
    let endpoint = AgentEndpoint::start(AgentScript::BreakAfter(vec![
        "Interesting — ".into(),
        "tell me more about".into(),
    ]))
    .await;
    let client = endpoint.client();
    let server = LocalServer::start_with(move |ctx| {
        ctx.with_interviewer(Arc::new(BedrockInterviewer::new(
            client,
            "A",
            "B",
            QuestionBank::embedded(),
        )))
    })
    .await;
    let token = server.token("grace", &[]);
    let id = &server.create_session(&token, "AWS SA", "Grace").await;
    let url = format!("ws://{}/ws/interview/{id}?token={token}", server.addr);
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let answer = "I'd put the data in S3.";
    socket
        .send(Message::Text(
            json!({"type": "text", "text": answer}).to_string().into(),
        ))
        .await
        .unwrap();
    let mut seen = Vec::new();
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        let Message::Text(text) = frame else { continue };
        let message: Value = serde_json::from_str(text.as_str()).unwrap();
        let kind = message["type"].as_str().unwrap().to_owned();
        seen.push(kind.clone());
        if kind == "error" {
            assert!(message["message"].as_str().unwrap().contains("saved"));
            break;
        }
        assert_ne!(kind, "assistant_complete");
    }
    assert_eq!(seen, ["transcript", "llm_chunk", "llm_chunk", "error"]);
    let transcript = server
        .get_json(&token, &format!("/api/interviews/{id}/transcript"))
        .await;
    let texts: Vec<&str> = transcript["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, [answer, "Interesting — tell me more about"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_to_connection_delivers_and_reports_gone_clients() {
    let endpoint = ManagementEndpoint::start().await;
    let push = ApiGatewayPush::from_client(endpoint.client());
    let live = ConnectionId::parse("L0SM9cOFvHcCIhw=").unwrap();
    push.push(&live, r#"{"type":"llm_chunk","text":"hi"}"#.into())
        .await
        .unwrap();
    assert_eq!(
        endpoint.posts.lock().unwrap().clone(),
        vec![(
            "L0SM9cOFvHcCIhw=".to_owned(),
            r#"{"type":"llm_chunk","text":"hi"}"#.to_owned()
        )]
    );
    let gone = ConnectionId::parse("gone-abc").unwrap();
    let result = push.push(&gone, "x".into()).await;
    assert!(matches!(result, Err(PushError::Gone(_))), "{result:?}");
}

const CLIENT_ID: &str = "web-client";

fn sign(claims: Value, kid: &str) -> String {
    let key =
        EncodingKey::from_rsa_pem(include_bytes!("fixtures/jwt/test-rsa-private.pem")).unwrap();
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, &claims, &key).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_tokens_are_checked_like_the_http_authorizer_does() {
    let jwks: Value = serde_json::from_str(include_str!("fixtures/jwt/test-jwks.json")).unwrap();
    let fetches = Arc::new(Mutex::new(0));
    let url = jwks_endpoint(jwks, Arc::clone(&fetches)).await;
    let issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TEST";
    let verifier = CognitoVerifier::with_urls(issuer, url, CLIENT_ID);
    let now = Utc::now().timestamp();
    let claims = |overrides: Value| {
        let mut c = json!({"sub": "user-1", "iss": issuer, "aud": CLIENT_ID, "token_use": "id",
                           "exp": now + 3600, "iat": now, "cognito:groups": ["admin"]});
        for (k, v) in overrides.as_object().unwrap() {
            c[k] = v.clone();
        }
        c
    };
    let identity = verifier
        .verify(&sign(claims(json!({})), "prepai-test-key"))
        .await
        .unwrap();
    assert_eq!(identity.sub(), "user-1");
    assert!(identity.is_admin());
    let access = claims(json!({"token_use": "access", "aud": null, "client_id": CLIENT_ID}));
    assert!(
        verifier
            .verify(&sign(access, "prepai-test-key"))
            .await
            .is_ok()
    );

    for (why, token) in [
        (
            "another client",
            sign(claims(json!({"aud": "other"})), "prepai-test-key"),
        ),
        (
            "another issuer",
            sign(
                claims(json!({"iss": "https://evil.example"})),
                "prepai-test-key",
            ),
        ),
        (
            "expired",
            sign(claims(json!({"exp": now - 3600})), "prepai-test-key"),
        ),
        (
            "refresh-ish token",
            sign(claims(json!({"token_use": "refresh"})), "prepai-test-key"),
        ),
        ("unknown key", sign(claims(json!({})), "rotated-away")),
        (
            "HS256",
            jsonwebtoken::encode(
                &Header::new(Algorithm::HS256),
                &claims(json!({})),
                &EncodingKey::from_secret(b"secret"),
            )
            .unwrap(),
        ),
        ("garbage", "a.b.c".to_owned()),
    ] {
        assert!(
            verifier.verify(&token).await.is_err(),
            "{why} must be refused"
        );
    }
    assert_eq!(
        *fetches.lock().unwrap(),
        2,
        "keys are cached; an unknown kid triggers one refetch"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_runs_go_to_the_code_executor_function() {
    use prepai::adapters::aws::LambdaCodeRunner;
    use prepai::ports::{CodeRunner, CodeRunnerError};
    use prepai_tests::aws_peers::{lambda_client, lambda_endpoint};

    use prepai::tools::code_executor::{
        ExecutionRequest, ExecutionResult, SandboxReport, TestOutcome,
    };
    let received = Arc::new(Mutex::new(Vec::<Value>::new()));
    let seen = received.clone();
    let url = lambda_endpoint(move |request: Value| {
        seen.lock().unwrap().push(request.clone());
        match ExecutionRequest::parse(&request) {
            Err(e) => json!({"success": false, "error": {"code": e.code, "message": e.message}}),
            Ok(parsed) => {
                // A function that returns what each test expects.
                let report = SandboxReport {
                    tests_started: parsed.test_cases.len(),
                    outcomes: parsed
                        .test_cases
                        .iter()
                        .map(|case| TestOutcome::Returned {
                            actual: case.expected.clone(),
                            stdout: String::new(),
                            seconds: 0.0,
                        })
                        .collect(),
                    ..Default::default()
                };
                serde_json::to_value(ExecutionResult::assemble(&parsed, report)).unwrap()
            }
        }
    })
    .await;
    let runner = LambdaCodeRunner::new(lambda_client(&url), "prepai-code-executor");
    let request =
        ExecutionRequest::parse(&json!({"code": "def f(x): return x", "language": "python",
        "functionName": "f", "testCases": [{"input": "1", "expected": "1"}]}))
        .unwrap();
    let result = runner.run(&request).await.unwrap();
    assert_eq!(
        received.lock().unwrap()[0],
        request.to_tool_input(),
        "the direct input reaches the function as the tool takes it"
    );
    assert!(result.all_tests_passed);

    let mut cobol = request.clone();
    cobol.function_name = "1nvalid".into();
    let refused = runner.run(&cobol).await;
    assert!(matches!(refused, Err(CodeRunnerError::Rejected(m)) if m.contains("functionName")),);
    let crashed = LambdaCodeRunner::new(lambda_client(&url), "crashing")
        .run(&request)
        .await;
    assert!(matches!(crashed, Err(CodeRunnerError::Unavailable(_))));
}
