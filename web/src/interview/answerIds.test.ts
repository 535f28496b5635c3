import { describe, expect, it } from "vitest";
import { AnswerIds, messageId } from "./answerIds";

describe("AnswerIds", () => {
  it("sends the same answer again under the same id until the interviewer replies", () => {
    let n = 0;
    const ids = new AnswerIds(() => `id-${++n}`);
    const first = ids.idFor("I would use a heap.");
    expect(ids.idFor("I would use a heap.")).toBe(first);
    ids.answered();
    expect(ids.idFor("I would use a heap.")).not.toBe(first);
  });

  it("gives a different message a new id", () => {
    let n = 0;
    const ids = new AnswerIds(() => `id-${++n}`);
    const first = ids.idFor("yes");
    expect(ids.idFor("no")).not.toBe(first);
  });

  it("makes ids the server accepts", () => {
    for (let i = 0; i < 20; i++) expect(messageId()).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });
});
