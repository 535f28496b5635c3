import { applyEvent, emptyConversation, type Conversation, type ConversationEvent } from "./conversation";

const run = (events: ConversationEvent[], start: Conversation = emptyConversation) => events.reduce(applyEvent, start);

describe("conversation", () => {
  it("appends llm chunks to one interviewer bubble until complete", () => {
    const c = run([
      { type: "llm_chunk", text: "Hi " },
      { type: "llm_chunk", text: "Ada, " },
      { type: "llm_chunk", text: "welcome." },
    ]);
    expect(c.bubbles).toEqual([{ id: 1, role: "assistant", text: "Hi Ada, welcome.", pending: true }]);
    const done = applyEvent(c, { type: "assistant_complete", text: "Hi Ada, welcome." });
    expect(done.bubbles).toEqual([{ id: 1, role: "assistant", text: "Hi Ada, welcome.", pending: false }]);
  });

  it("starts a new bubble for the next reply after completion", () => {
    const c = run([
      { type: "llm_chunk", text: "One" },
      { type: "assistant_complete", text: "One." },
      { type: "transcript", text: "answer", role: "user", is_final: true },
      { type: "llm_chunk", text: "Two" },
    ]);
    expect(c.bubbles.map((b) => [b.role, b.text, b.pending])).toEqual([
      ["assistant", "One.", false],
      ["user", "answer", false],
      ["assistant", "Two", true],
    ]);
  });

  it("uses the complete text even when no chunk arrived", () => {
    const c = run([{ type: "assistant_complete", text: "Whole reply" }]);
    expect(c.bubbles).toEqual([{ id: 1, role: "assistant", text: "Whole reply", pending: false }]);
  });

  it("replaces a partial speech transcript until it is final", () => {
    const c = run([
      { type: "transcript", text: "I would", role: "user", is_final: false },
      { type: "transcript", text: "I would use a", role: "user", is_final: false },
      { type: "transcript", text: "I would use a hash map.", role: "user", is_final: true },
      { type: "transcript", text: "Then", role: "user", is_final: false },
    ]);
    expect(c.bubbles.map((b) => [b.text, b.pending])).toEqual([
      ["I would use a hash map.", false],
      ["Then", true],
    ]);
  });

  it("ignores transcripts of other roles", () => {
    expect(run([{ type: "transcript", text: "x", role: "assistant", is_final: true }]).bubbles).toEqual([]);
  });

  it("rebuilds from a loaded transcript after a reconnect", () => {
    const before = run([{ type: "llm_chunk", text: "half a repl" }]);
    const c = applyEvent(before, {
      type: "loaded",
      transcript: [
        { role: "assistant", text: "Q1", timestamp: "t", source: "agent" },
        { role: "user", text: "A1", timestamp: "t", source: "text" },
      ],
    });
    expect(c.bubbles.map((b) => [b.role, b.text, b.pending])).toEqual([
      ["assistant", "Q1", false],
      ["user", "A1", false],
    ]);
  });
});
