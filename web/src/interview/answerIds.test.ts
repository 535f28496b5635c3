import { describe, expect, it } from "vitest";
import { AnswerIds, messageId } from "./answerIds";

describe("AnswerIds", () => {
  it("sends the same answer again under the same id until the interviewer replies", () => {
    let n = 0;
    const ids = new AnswerIds(() => `id-${++n}`);
    const first = ids.idFor("I would use a heap.").id;
    expect(ids.idFor("I would use a heap.").id).toBe(first);
    ids.answered();
    expect(ids.idFor("I would use a heap.").id).not.toBe(first);
  });

  it("gives a different message a new id", () => {
    let n = 0;
    const ids = new AnswerIds(() => `id-${++n}`);
    const first = ids.idFor("yes").id;
    expect(ids.idFor("no").id).not.toBe(first);
  });

  it("marks only a copy sent after an error as a retry", () => {
    let n = 0;
    const ids = new AnswerIds(() => `id-${++n}`);
    expect(ids.idFor("I would use a heap.").retry).toBe(false);
    // Sent twice before any reply or error: a double send, not a retry.
    expect(ids.idFor("I would use a heap.")).toEqual({ id: "id-1", retry: false });
    ids.failed();
    expect(ids.idFor("I would use a heap.")).toEqual({ id: "id-1", retry: true });
    // That retry has not failed (yet): a further copy is a double send again.
    expect(ids.idFor("I would use a heap.").retry).toBe(false);
    // An error, then a different message: new, not a retry.
    ids.failed();
    expect(ids.idFor("Something else.")).toEqual({ id: "id-2", retry: false });
  });

  it("makes ids the server accepts", () => {
    for (let i = 0; i < 20; i++) expect(messageId()).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });
});
