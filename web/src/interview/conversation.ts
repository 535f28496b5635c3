/** The conversation on screen, built from streamed server messages: chunks grow a bubble until it is complete. */
import type { TranscriptEntry } from "../api/types";

export interface Bubble {
  id: number;
  role: "assistant" | "user";
  text: string;
  /** Still streaming (interviewer) or a partial speech transcript (candidate). */
  pending: boolean;
}

export interface Conversation {
  bubbles: Bubble[];
  nextId: number;
}

export type ConversationEvent =
  | { type: "llm_chunk"; text: string }
  | { type: "assistant_complete"; text: string }
  | { type: "transcript"; text: string; role: string; is_final: boolean }
  | { type: "loaded"; transcript: TranscriptEntry[] };

export const emptyConversation: Conversation = { bubbles: [], nextId: 1 };

function replaceLast(conversation: Conversation, bubble: Bubble): Conversation {
  return { ...conversation, bubbles: [...conversation.bubbles.slice(0, -1), bubble] };
}

function append(conversation: Conversation, bubble: Omit<Bubble, "id">): Conversation {
  return { bubbles: [...conversation.bubbles, { ...bubble, id: conversation.nextId }], nextId: conversation.nextId + 1 };
}

export function applyEvent(conversation: Conversation, event: ConversationEvent): Conversation {
  const last = conversation.bubbles.at(-1);
  switch (event.type) {
    case "llm_chunk":
      if (last?.role === "assistant" && last.pending) {
        return replaceLast(conversation, { ...last, text: last.text + event.text });
      }
      return append(conversation, { role: "assistant", text: event.text, pending: true });
    case "assistant_complete":
      if (last?.role === "assistant" && last.pending) {
        return replaceLast(conversation, { ...last, text: event.text, pending: false });
      }
      return append(conversation, { role: "assistant", text: event.text, pending: false });
    case "transcript": {
      if (event.role !== "user") return conversation;
      if (last?.role === "user" && last.pending) {
        return replaceLast(conversation, { ...last, text: event.text, pending: !event.is_final });
      }
      return append(conversation, { role: "user", text: event.text, pending: !event.is_final });
    }
    case "loaded":
      return event.transcript.reduce<Conversation>(
        (c, entry) => append(c, { role: entry.role === "user" ? "user" : "assistant", text: entry.text, pending: false }),
        emptyConversation,
      );
  }
}
