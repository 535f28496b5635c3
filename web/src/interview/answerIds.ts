/** Ids for the candidate's typed messages. The server records a message once per id, so an answer it recorded
 * though it reported failure (a write that landed, then an error) is not recorded twice when the candidate sends
 * it again: the same text sent before the interviewer replied goes under the same id; anything else is new.
 * A copy sent after the server reported an error is marked `retry`: only such a copy may take over the turn its
 * first copy claimed; a plain double send waits for that turn, which is still being answered. */
export class AnswerIds {
  private unanswered: { text: string; id: string; failed: boolean } | null = null;

  constructor(private readonly fresh: () => string = messageId) {}

  /** The id to send `text` under, and whether it is a copy sent again after an error. */
  idFor(text: string): { id: string; retry: boolean } {
    const again = this.unanswered?.text === text ? this.unanswered : null;
    const id = again ? again.id : this.fresh();
    const retry = again?.failed ?? false;
    this.unanswered = { text, id, failed: false };
    return { id, retry };
  }

  /** The server reported an error: a copy of the unanswered message sent next is a retry. */
  failed(): void {
    if (this.unanswered) this.unanswered.failed = true;
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
