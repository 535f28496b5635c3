//! A candidate's side of an interview over the local socket, as the scoring tests play it: join, say, run code,
//! reload, skip to the coding problem, answer everything, end and read the report over HTTP.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::local_server::LocalServer;
use crate::socket::{Socket, connect, next_json_within, read_turn, send};

/// The most messages a candidate sends in one interview. A whole interview takes 8 to 15 (up to six questions,
/// their follow-ups, a few turns on the coding problem); an interviewer that never wraps up fails the test here.
pub const MAX_TURNS: usize = 40;

/// How long any one socket message may take (a code run included).
pub const SOCKET_WAIT: Duration = Duration::from_secs(60);

/// One interviewer reply, with what the transcript says it does.
pub struct Reply {
    pub text: String,
    /// The transcript's `reply_kind` (`question`, `follow_up`, `clarification`, `remark`, `wrap_up`…).
    pub kind: Option<String>,
    pub problem: Option<Value>,
}

/// The candidate's side of one interview over the local socket.
pub struct Candidate<'s> {
    pub server: &'s LocalServer,
    pub token: String,
    pub session: String,
    pub socket: Socket,
}

impl<'s> Candidate<'s> {
    /// Creates a session of `interview_type` for `name`, opens the socket and sends `start`; returns the greeting.
    pub async fn join(
        server: &'s LocalServer,
        user: &str,
        interview_type: &str,
        name: &str,
    ) -> (Self, Reply) {
        let token = server.token(user, &[]);
        let session = server.create_session(&token, interview_type, name).await;
        let socket = connect(server, &session, &token).await;
        let mut candidate = Candidate {
            server,
            token,
            session,
            socket,
        };
        send(&mut candidate.socket, json!({"type": "start"})).await;
        let status = candidate.next().await;
        assert_eq!(status["type"], "voice", "{status}");
        let greeting = candidate.reply().await;
        (candidate, greeting)
    }

    pub async fn next(&mut self) -> Value {
        next_json_within(&mut self.socket, SOCKET_WAIT).await
    }

    /// The session's transcript as the API serves it.
    pub async fn transcript(&self) -> Vec<Value> {
        let body = self
            .server
            .get_json(
                &self.token,
                &format!("/api/interviews/{}/transcript", self.session),
            )
            .await;
        body["transcript"].as_array().cloned().unwrap_or_default()
    }

    /// Reads the interviewer's turn and what the transcript records it as.
    pub async fn reply(&mut self) -> Reply {
        let (_, text, others) = tokio::time::timeout(SOCKET_WAIT, read_turn(&mut self.socket))
            .await
            .expect("the interviewer replies in time");
        let problem = others
            .into_iter()
            .find(|m| m["type"] == "coding_problem")
            .map(|m| m["problem"].clone());
        let last = self.transcript().await.last().cloned().unwrap_or_default();
        assert_eq!(last["role"], "assistant", "{last}");
        assert_eq!(last["text"], text.as_str());
        Reply {
            text,
            kind: last["reply_kind"].as_str().map(str::to_owned),
            problem,
        }
    }

    /// Sends a typed answer and reads the interviewer's reply.
    pub async fn say(&mut self, text: &str) -> Reply {
        send(&mut self.socket, json!({"type": "text", "text": text})).await;
        let echo = self.next().await;
        assert_eq!(echo["type"], "transcript", "{echo}");
        assert_eq!(echo["text"], text);
        self.reply().await
    }

    /// Skips questions until the interviewer poses its coding problem; returns the problem as the client sees it.
    pub async fn skip_to_problem(&mut self) -> Value {
        for _ in 0..MAX_TURNS {
            if let Some(problem) = self.say("skip").await.problem {
                return problem;
            }
        }
        panic!("no coding problem within {MAX_TURNS} turns");
    }

    /// Runs `code` against the open problem's tests (a graded run) over the socket; returns `code_result` and the
    /// interviewer's comment.
    pub async fn run(&mut self, code: &str, language: &str) -> (Value, Reply) {
        send(
            &mut self.socket,
            json!({"type": "code", "code": code, "language": language}),
        )
        .await;
        let result = self.next().await;
        assert_eq!(result["type"], "code_result", "{result}");
        let comment = self.reply().await;
        (result, comment)
    }

    /// Answers every question with `answer(question)`, starting from `reply`, until the interviewer wraps up;
    /// returns how many answers that took (the interview must wrap up within [`MAX_TURNS`]).
    pub async fn answer_everything(
        &mut self,
        mut reply: Reply,
        answer: impl Fn(&str) -> String,
    ) -> usize {
        for turns in 0..MAX_TURNS {
            if reply.kind.as_deref() == Some("wrap_up") {
                return turns;
            }
            reply = self.say(&answer(&reply.text)).await;
        }
        panic!("the interviewer did not wrap up within {MAX_TURNS} answers");
    }

    /// Reloads the page: the socket closes, a new one opens and sends `message` (`resume`, as the web app does for
    /// an interview that has begun, or `start`, as a client that lost track does). The server answers with the
    /// voice status and the open problem, if any, and the transcript does not change: no "Welcome back" to count as
    /// an unanswered question (the report is checked for one all the same).
    pub async fn reload(&mut self, message: &str) {
        let before = self.transcript().await.len();
        let _ = self.socket.close(None).await;
        self.socket = connect(self.server, &self.session, &self.token).await;
        send(&mut self.socket, json!({"type": message})).await;
        let status = self.next().await;
        assert_eq!(status["type"], "voice", "{status}");
        assert_eq!(
            self.transcript().await.len(),
            before,
            "{message} said nothing"
        );
    }

    /// Closes the socket, ends the interview over HTTP and returns the stored report.
    pub async fn end(mut self) -> Value {
        let _ = self.socket.close(None).await;
        end_and_report(self.server, &self.token, &self.session).await
    }
}

/// `POST /api/interviews/{id}/end`, then `GET /api/interviews/{id}/performance-report`'s `report`.
pub async fn end_and_report(server: &LocalServer, token: &str, session: &str) -> Value {
    let ended = server
        .http
        .post(server.url(&format!("/api/interviews/{session}/end")))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    assert_eq!(ended.status(), StatusCode::OK);
    let body = server
        .get_json(
            token,
            &format!("/api/interviews/{session}/performance-report"),
        )
        .await;
    assert_eq!(body["success"], true, "{body}");
    body["report"].clone()
}
