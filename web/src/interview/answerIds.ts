/** Ids for the candidate's typed messages. The server records a message once per id, so an answer it recorded
 * though it reported failure (a write that landed, then an error) is not recorded twice when the candidate sends
 * it again: the same text sent before the interviewer replied goes under the same id; anything else is new. */
export class AnswerIds {
  private unanswered: { text: string; id: string } | null = null;

  constructor(private readonly fresh: () => string = messageId) {}

  /** The id to send `text` under. */
  idFor(text: string): string {
    const id = this.unanswered?.text === text ? this.unanswered.id : this.fresh();
    this.unanswered = { text, id };
    return id;
  }

  /** The interviewer replied: the next message is new even if its text repeats. */
  answered(): void {
    this.unanswered = null;
  }
}

/** A fresh id (a UUID where the browser has one: every secure context, localhost included). */
export function messageId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
