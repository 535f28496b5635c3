/** The interview WebSocket's messages, both directions (shared/src/ws/protocol.rs plus the voice additions). */

export interface CodingProblem {
  id: string;
  title: string;
  difficulty: string;
  statement: string;
  functionName: Record<Language, string>;
  starter: Record<Language, string>;
  testCases: TestCase[];
}

export type Language = "python" | "javascript";

export interface TestCase {
  args?: unknown[];
  input?: unknown;
  expected: unknown;
}

export interface TestResult {
  testNumber: number;
  passed: boolean;
  input: unknown;
  expected: unknown;
  actual: unknown;
  error: { kind?: string; message: string; line?: number } | string | null;
  executionTime: number;
  stdout?: string;
}

export interface QualityMetrics {
  qualityScore: number;
  linesOfCode: number;
  cyclomaticComplexity: number;
  maxNestingDepth: number;
  functionCount: number;
  commentRatio: number;
}

export interface CodeResult {
  success: boolean;
  allTestsPassed: boolean;
  verdict: string;
  passedCount: number;
  totalCount: number;
  executionTime: number;
  language: string;
  functionName: string;
  error: { kind?: string; message: string; line?: number } | string | null;
  testResults: TestResult[];
  qualityMetrics: QualityMetrics | null;
  submissionId: string;
}

export interface VoiceCapabilities {
  available: boolean;
  message?: string;
  input: boolean;
  output: boolean;
  silence_ms: { conversation: number; coding: number };
  max_utterance_seconds: number;
  chunk_bytes: number;
}

/** Interviewer speech: one part of clip `clip`; the clip is complete at `last`. */
export interface AudioPart {
  type: "audio";
  seq: number;
  format: "mp3" | "wav" | "pcm";
  data: string;
  clip: number;
  last: boolean;
}

export type ServerMessage =
  | { type: "llm_chunk"; text: string }
  | { type: "assistant_complete"; text: string; role: string }
  | { type: "transcript"; text: string; role: string; is_final: boolean }
  | { type: "coding_problem"; problem: CodingProblem }
  | ({ type: "code_result" } & CodeResult)
  | { type: "report"; session_id: string; report_url: string; report: unknown }
  | { type: "error"; code: string; message: string }
  | ({ type: "voice" } & VoiceCapabilities)
  | AudioPart
  /** The spoken reply is complete: `clips` clips were sent (they may still be playing). */
  | { type: "audio_end"; clips: number };

export type ClientMessage =
  | { type: "start"; voice?: boolean }
  | { type: "resume" }
  /** `id`: the client's id for the message; sent again after an error under the same id, the server records it once. */
  | { type: "text"; text: string; id?: string; retry?: boolean }
  | { type: "code"; code: string; language: Language; functionName: string }
  /** `utterance`: the client's number for this answer, repeated on its audio and speech_end. */
  | { type: "speech_start"; utterance?: number }
  | { type: "audio"; seq: number; data: string; utterance?: number }
  /**
   * `chunks`: how many `audio` messages this utterance sent, so the server waits for any still in flight.
   * `silence`: hands-free turn taking ended it after a pause, which may fall mid-sentence (the server then waits
   * for the rest of a sentence left open instead of replying to half of it).
   */
  | { type: "speech_end"; chunks: number; utterance?: number; silence?: boolean }
  | { type: "end" };

const KNOWN = new Set(["llm_chunk", "assistant_complete", "transcript", "coding_problem", "code_result", "report", "error", "voice", "audio", "audio_end"]);

/** Parses one frame; unknown or malformed frames are ignored (null) so a newer server never breaks the page. */
export function parseServerMessage(text: string): ServerMessage | null {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && KNOWN.has((value as { type?: string }).type ?? "")) {
      return value as ServerMessage;
    }
  } catch {
    // ignored
  }
  return null;
}
