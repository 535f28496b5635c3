/** The live interview: conversation, typed or spoken answers, the coding panel, and ending with a report. A reload
 * picks up where the candidate was: the conversation, the open problem, its draft and its last results. */
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { api } from "../api/client";
import type { SessionSummary } from "../api/types";
import { ErrorNotice } from "../components/ErrorNotice";
import { Loading } from "../components/Loading";
import { Link, paths } from "../router";
import { CodePanel } from "../components/CodePanel";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { ConversationView } from "../components/ConversationView";
import { VoiceControls } from "../components/VoiceControls";
import { formatElapsed, questionCount } from "../interview/drafts";
import { useInterview, type Activity } from "../interview/useInterview";
import type { SocketStatus } from "../interview/socket";

const ACTIVITY_WORDS: Record<Activity, string> = {
  idle: "Your turn",
  thinking: "Interviewer is thinking…",
  speaking: "Interviewer is speaking…",
  listening: "Listening…",
};

const STATUS_WORDS: Record<SocketStatus | "not_started", string> = {
  not_started: "Not started",
  connecting: "Connecting…",
  open: "Connected",
  reconnecting: "Connection lost — reconnecting…",
  failed: "Couldn't reconnect",
  closed: "Disconnected",
};

const voiceKey = (sessionId: string) => `prepai.voice.${sessionId}`;
const TIMER_KEY = "prepai.showTimer";

export default function InterviewPage({ sessionId }: { sessionId: string }) {
  const interview = useInterview(sessionId);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [voiceRequested, setVoiceRequested] = useState(() => sessionStorage.getItem(voiceKey(sessionId)) === "1");
  const [session, setSession] = useState<SessionSummary | null>(null);
  const [sessionError, setSessionError] = useState<unknown>(null);
  const [view, setView] = useState<"chat" | "code">("chat");
  const [showTimer, setShowTimer] = useState(() => localStorage.getItem(TIMER_KEY) === "1");
  const tabsId = useId();
  const { start } = interview;

  useEffect(() => {
    api.getSession(sessionId).then(setSession).catch(setSessionError);
  }, [sessionId]);

  // A conversation that has begun is picked up at once: no start button, no second greeting.
  // GET /api/sessions/{id} answers the whole document (its transcript); listings answer a message_count.
  const messages = session ? (session.transcript?.length ?? session.message_count ?? 0) : 0;
  const begun = session !== null && session.status !== "ended" && messages > 0;
  useEffect(() => {
    if (begun) start(sessionStorage.getItem(voiceKey(sessionId)) === "1", true);
  }, [begun, start, sessionId]);

  // A problem just posed, and a result just in, are shown on a phone without the candidate looking for them.
  const problemId = interview.problem?.id;
  useEffect(() => {
    if (problemId) setView("code");
  }, [problemId]);
  const resultId = interview.codeResult?.submissionId;
  useEffect(() => {
    if (resultId) setView("code");
  }, [resultId]);

  if (interview.status === "not_started") {
    if (sessionError != null) {
      return (
        <main className="page" id="main">
          <ErrorNotice error={sessionError} />
        </main>
      );
    }
    if (!session || begun) return <Loading label="Opening the interview…" />;
    if (session.status === "ended") {
      return (
        <main className="page" id="main">
          <div className="card stack">
            <h1>This interview has ended</h1>
            <Link className="button" href={paths.report(sessionId)}>
              See the report
            </Link>
          </div>
        </main>
      );
    }
    return (
      <StartPanel
        onStart={(voice) => {
          setVoiceRequested(voice);
          sessionStorage.setItem(voiceKey(sessionId), voice ? "1" : "0");
          interview.start(voice);
        }}
      />
    );
  }
  const voiceMissing = voiceRequested && !interview.voice && interview.conversation.bubbles.some((b) => b.role === "assistant" && !b.pending);
  const questions = questionCount(interview.conversation.bubbles);
  const hasCode = interview.problem !== null;

  return (
    <main className={`page interview${hasCode ? " with-code" : ""}`} id="main">
      <h1 className="visually-hidden">Interview</h1>
      <div className="interview-bar">
        <span className={`connection connection-${interview.status}`} role="status">
          {STATUS_WORDS[interview.status]}
        </span>
        {interview.status === "failed" && (
          <button type="button" className="button button-small" onClick={interview.retry}>
            Reconnect
          </button>
        )}
        <span className="question-counter" data-testid="question-counter">
          {questions > 0 ? `Question ${questions}` : "Getting started"}
        </span>
        {showTimer && <Timer since={interview.startedAt} />}
        <label className="toggle toggle-small">
          <input
            type="checkbox"
            checked={showTimer}
            onChange={(e) => {
              setShowTimer(e.target.checked);
              localStorage.setItem(TIMER_KEY, e.target.checked ? "1" : "0");
            }}
          />
          Timer
        </label>
        <span className={`activity activity-${interview.activity}`} aria-live="polite" data-activity={interview.activity}>
          <span className="activity-dot" aria-hidden="true" />
          {interview.ending ? "Scoring your interview…" : ACTIVITY_WORDS[interview.activity]}
        </span>
        <button type="button" className="button button-danger button-small end-button" onClick={() => setConfirmEnd(true)} disabled={interview.ending}>
          End interview
        </button>
      </div>

      {interview.notice && (
        <div className="notice notice-error" role="alert">
          <strong>{interview.notice.title}.</strong> {interview.notice.action}
          {interview.notice.detail && <div className="notice-detail">{interview.notice.detail}</div>}
          <button type="button" className="button button-small button-secondary" onClick={interview.dismissNotice}>
            Dismiss
          </button>
        </div>
      )}

      {hasCode && (
        <div className="view-tabs" role="tablist" aria-label="Interview panels">
          <button
            type="button"
            role="tab"
            id={`${tabsId}-chat-tab`}
            aria-selected={view === "chat"}
            aria-controls={`${tabsId}-chat`}
            className={view === "chat" ? "active" : ""}
            onClick={() => setView("chat")}
          >
            Conversation
          </button>
          <button
            type="button"
            role="tab"
            id={`${tabsId}-code-tab`}
            aria-selected={view === "code"}
            aria-controls={`${tabsId}-code`}
            className={view === "code" ? "active" : ""}
            onClick={() => setView("code")}
          >
            Code{interview.codeResult ? ` · ${interview.codeResult.passedCount}/${interview.codeResult.totalCount}` : ""}
          </button>
        </div>
      )}

      <div className={`interview-columns view-${view}`}>
        <section className="card conversation-card" aria-label="Interview conversation" id={`${tabsId}-chat`}>
          <ConversationView bubbles={interview.conversation.bubbles} />
          {voiceMissing && (
            <p className="notice notice-info" role="status">
              Voice isn't available on this server yet. Type your answers instead.
            </p>
          )}
          <VoiceControls capabilities={interview.voice} listening={interview.activity === "listening"} getInput={interview.voiceInput} />
          <AnswerBox onSend={interview.sendText} disabled={interview.status !== "open" || interview.ending} />
        </section>
        {interview.problem && (
          <div className="code-column" id={`${tabsId}-code`}>
            <CodePanel
              sessionId={sessionId}
              problem={interview.problem}
              result={interview.codeResult}
              running={interview.running}
              onRun={interview.runCode}
            />
          </div>
        )}
      </div>

      {confirmEnd && (
        <ConfirmDialog
          title="End the interview?"
          message="Your answers and code are scored and you'll see your report. You can't continue this interview afterwards."
          confirmLabel="End and see report"
          onConfirm={() => {
            setConfirmEnd(false);
            interview.end();
          }}
          onCancel={() => setConfirmEnd(false)}
        />
      )}
    </main>
  );
}

/** Time since the interview began, updated every second (not announced: it would talk over the interviewer). */
function Timer({ since }: { since: number | null }) {
  const [now, setNow] = useState(() => Date.now());
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  useEffect(() => {
    timer.current = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      if (timer.current) clearInterval(timer.current);
    };
  }, []);
  return (
    <span className="interview-timer mono" role="timer" aria-label="Time in this interview" data-testid="timer">
      {formatElapsed(since === null ? 0 : now - since)}
    </span>
  );
}

function StartPanel({ onStart }: { onStart: (voice: boolean) => void }) {
  const canRecord = typeof navigator !== "undefined" && !!navigator.mediaDevices?.getUserMedia;
  const [voice, setVoice] = useState(false);
  return (
    <main className="page" id="main">
      <nav className="steps" aria-label="Interview steps">
        <span className="step">1. Resume (optional)</span>
        <span className="step step-current" aria-current="step">2. Interview</span>
        <span className="step">3. Report</span>
      </nav>
      <div className="card stack start-panel">
        <h1>Ready when you are</h1>
        <ul className="plain-list tips">
          <li>Think out loud: the interviewer scores your reasoning, not just the answer.</li>
          <li>Say “skip” to move past a question.</li>
          <li>For coding problems, the editor opens beside the conversation; run your code as often as you like.</li>
        </ul>
        <label className="toggle">
          <input type="checkbox" checked={voice} disabled={!canRecord} onChange={(e) => setVoice(e.target.checked)} />
          Talk with the interviewer by voice (you can always type too)
        </label>
        <button type="button" className="button button-large" onClick={() => onStart(voice)}>
          Start the interview
        </button>
      </div>
    </main>
  );
}

function AnswerBox({ onSend, disabled }: { onSend: (text: string) => boolean; disabled: boolean }) {
  const [text, setText] = useState("");
  const id = useId();
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (onSend(text)) setText("");
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      submit();
    }
  };
  return (
    <form className="answer-box" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        Your answer
      </label>
      <textarea
        id={id}
        className="input"
        rows={3}
        value={text}
        maxLength={10000}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        placeholder="Type your answer — Enter sends, Shift+Enter for a new line"
      />
      <button type="submit" className="button" disabled={disabled || text.trim() === ""}>
        Send
      </button>
    </form>
  );
}
