/** One live interview: the socket, the conversation, the coding problem, voice in and out, and what is going on. */
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { readToken } from "../auth/token";
import { ClipQueue } from "../audio/clips";
import { SpeechPlayer } from "../audio/playback";
import { navigate, paths } from "../router";
import { applyEvent, emptyConversation } from "./conversation";
import type { CodeResult, CodingProblem, Language, ServerMessage, VoiceCapabilities } from "./messages";
import { AnswerIds } from "./answerIds";
import { InterviewSocket, interviewSocketUrl, type SocketStatus } from "./socket";
import { describeSocketError } from "./socketErrors";
import { VoiceInput } from "./voiceInput";

export type Activity = "idle" | "thinking" | "speaking" | "listening";

export interface Notice {
  title: string;
  detail: string;
  action: string;
}

export function useInterview(sessionId: string) {
  const [conversation, dispatch] = useReducer(applyEvent, emptyConversation);
  const [status, setStatus] = useState<SocketStatus | "not_started">("not_started");
  const [thinking, setThinking] = useState(false);
  const [streaming, setStreaming] = useState(false);
  const [audioActive, setAudioActive] = useState(false);
  const [listening, setListening] = useState(false);
  const [problem, setProblem] = useState<CodingProblem | null>(null);
  const [codeResult, setCodeResult] = useState<CodeResult | null>(null);
  const [running, setRunning] = useState(false);
  const [voice, setVoice] = useState<VoiceCapabilities | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [ending, setEnding] = useState(false);
  /** When the conversation began (its first message, or the start), for the timer. */
  const [startedAt, setStartedAt] = useState<number | null>(null);

  const socketRef = useRef<InterviewSocket | null>(null);
  const playerRef = useRef<SpeechPlayer | null>(null);
  const clipsRef = useRef<ClipQueue | null>(null);
  const voiceInputRef = useRef<VoiceInput | null>(null);
  const problemRef = useRef<CodingProblem | null>(null);
  problemRef.current = problem;
  const answerIdsRef = useRef(new AnswerIds());

  const onMessage = useCallback(
    (message: ServerMessage) => {
      switch (message.type) {
        case "llm_chunk":
          setThinking(false);
          setStreaming(true);
          dispatch(message);
          break;
        case "assistant_complete":
          answerIdsRef.current.answered();
          setThinking(false);
          setStreaming(false);
          dispatch(message);
          break;
        case "transcript":
          dispatch(message);
          break;
        case "coding_problem": {
          const next = message.problem;
          const same = problemRef.current?.id === next.id;
          setProblem(next);
          if (!same) setCodeResult(null);
          // After a reload or reconnect: the last run of this problem, as it was shown.
          api
            .submissions(sessionId)
            .then(({ submissions }) => {
              const last = submissions.filter((s) => s.problemId === next.id).at(-1);
              if (last) setCodeResult((shown) => shown ?? last);
            })
            .catch(() => {
              // no earlier runs to show
            });
          break;
        }
        case "code_result": {
          const { type: _type, ...result } = message;
          setRunning(false);
          setThinking(false);
          setCodeResult(result);
          break;
        }
        case "report":
          setEnding(false);
          navigate(paths.report(sessionId));
          break;
        case "voice":
          setVoice(message);
          break;
        case "audio":
          clipsRef.current?.add(message);
          break;
        case "audio_end":
          clipsRef.current?.endReply();
          break;
        case "error":
          answerIdsRef.current.failed();
          // No more speech comes for this reply: play what arrived whole instead of waiting for the rest.
          if (message.code === "voice_output_failed") clipsRef.current?.endReply();
          setThinking(false);
          setRunning(false);
          setEnding(false);
          setNotice(describeSocketError(message.code, message.message));
          break;
      }
    },
    [sessionId],
  );

  /** Joins the interview: `start` the first time, or (`resume`) pick up a conversation that has begun — the
   * transcript over REST, then the open problem, its draft and last results, and no new greeting. */
  const start = useCallback(
    (withVoice: boolean, resume = false) => {
      if (socketRef.current) return;
      playerRef.current = new SpeechPlayer();
      const player = playerRef.current;
      clipsRef.current = new ClipQueue((clip) => player.play(clip), setAudioActive);
      const socket = new InterviewSocket(() => interviewSocketUrl(sessionId, readToken() ?? ""), {
        onMessage,
        onStatus: (next) => {
          setStatus(next);
          if (next === "failed") {
            setThinking(false);
            // Say why the socket keeps failing: an expired sign-in (the client sends the user to sign in) or an
            // interview that has ended or is gone.
            api
              .getSession(sessionId)
              .then((session) => {
                if (session.status === "ended") navigate(paths.report(sessionId));
              })
              .catch((error: unknown) => setNotice({ ...describeError(error) }));
          }
        },
        onOpen: async (reconnected) => {
          if (!reconnected && !resume) {
            setThinking(true);
            setStartedAt((t) => t ?? Date.now());
            socket.send({ type: "start", voice: withVoice });
            return;
          }
          try {
            const { transcript } = await api.transcript(sessionId);
            dispatch({ type: "loaded", transcript });
            const first = transcript[0] ? Date.parse(transcript[0].timestamp) : NaN;
            setStartedAt((t) => t ?? (Number.isFinite(first) ? first : Date.now()));
          } catch {
            // keep what is on screen
          }
          setStreaming(false);
          setThinking(false);
          socket.send({ type: "resume" });
        },
      });
      socketRef.current = socket;
      setThinking(!resume);
      socket.connect();
    },
    [sessionId, onMessage],
  );

  useEffect(
    () => () => {
      socketRef.current?.close();
      voiceInputRef.current?.close();
      playerRef.current?.close();
    },
    [],
  );

  const sendOrWarn = useCallback((ok: boolean) => {
    if (!ok) {
      setNotice({ title: "You're offline for a moment", detail: "", action: "We're reconnecting; send it again once the status shows connected." });
    }
    return ok;
  }, []);

  const sendText = useCallback(
    (text: string) => {
      const trimmed = text.trim();
      if (!trimmed || !socketRef.current) return false;
      const { id, retry } = answerIdsRef.current.idFor(trimmed);
      const ok = sendOrWarn(socketRef.current.send({ type: "text", text: trimmed, id, ...(retry ? { retry } : {}) }));
      if (ok) {
        setNotice(null);
        setThinking(true);
        clipsRef.current?.clear();
        playerRef.current?.stop();
      }
      return ok;
    },
    [sendOrWarn],
  );

  const runCode = useCallback(
    (code: string, language: Language) => {
      const current = problemRef.current;
      if (!current || !socketRef.current) return;
      if (sendOrWarn(socketRef.current.send({ type: "code", code, language, functionName: current.functionName[language] }))) {
        setNotice(null);
        setRunning(true);
        setThinking(true);
      }
    },
    [sendOrWarn],
  );

  const end = useCallback(() => {
    if (socketRef.current && sendOrWarn(socketRef.current.send({ type: "end" }))) {
      setEnding(true);
      setThinking(true);
    }
  }, [sendOrWarn]);

  /** The microphone controller, created once voice capabilities arrive and the candidate asks for the mic. */
  const voiceInput = useCallback(async (): Promise<VoiceInput | null> => {
    if (!voice?.available || !voice.input || !socketRef.current) return null;
    if (!voiceInputRef.current) {
      const socket = socketRef.current;
      voiceInputRef.current = new VoiceInput((m) => socket.send(m), voice, {
        onListening: (on) => {
          setListening(on);
          if (!on) setThinking(true);
        },
        onSpeechStart: () => {
          clipsRef.current?.clear();
          playerRef.current?.stop();
        },
      });
    }
    try {
      await voiceInputRef.current.enable();
      return voiceInputRef.current;
    } catch {
      setNotice({
        title: "We can't use your microphone",
        detail: "",
        action: "Allow microphone access for this site in your browser's address bar, or type your answers.",
      });
      return null;
    }
  }, [voice]);

  useEffect(() => {
    if (voice) voiceInputRef.current?.update(voice, problem !== null);
  }, [voice, problem]);

  const activity: Activity = listening ? "listening" : thinking ? "thinking" : streaming || audioActive ? "speaking" : "idle";

  return {
    conversation,
    status,
    activity,
    problem,
    codeResult,
    running,
    voice,
    notice,
    ending,
    startedAt,
    start,
    sendText,
    runCode,
    end,
    voiceInput,
    dismissNotice: () => setNotice(null),
    retry: () => socketRef.current?.retry(),
  };
}

