import { DraftSaver, formatElapsed, pickDrafts, questionCount, readLocalDraft, RETRY_MS, SAVE_DEBOUNCE_MS, writeLocalDraft } from "./drafts";

const starter = { python: "def f():\n    pass\n", javascript: "function f() {}\n" };

describe("drafts", () => {
  afterEach(() => vi.useRealTimers());

  it("opens the newer of the server's and this browser's draft, else the starter", () => {
    const server = [
      { problemId: "two-sum", language: "python" as const, code: "server py", updatedAt: "2026-01-01T10:00:00Z" },
      { problemId: "two-sum", language: "javascript" as const, code: "server js", updatedAt: "2026-01-01T10:00:00Z" },
      { problemId: "other", language: "python" as const, code: "other", updatedAt: "2026-01-01T11:00:00Z" },
    ];
    expect(pickDrafts(starter, [], {}, "two-sum")).toEqual(starter);
    expect(pickDrafts(starter, server, {}, "two-sum")).toEqual({ python: "server py", javascript: "server js" });
    expect(
      pickDrafts(starter, server, { python: { code: "local newer", updatedAt: "2026-01-01T10:00:05Z" }, javascript: { code: "local older", updatedAt: "2026-01-01T09:00:00Z" } }, "two-sum"),
    ).toEqual({ python: "local newer", javascript: "server js" });
    expect(pickDrafts(starter, [], { javascript: { code: "offline", updatedAt: "x" } }, "two-sum").javascript).toBe("offline");
  });

  it("keeps a copy in this browser per session, problem and language", () => {
    writeLocalDraft(localStorage, "s1", "two-sum", "python", { code: "x = 1", updatedAt: "2026-01-01T00:00:00Z" });
    expect(readLocalDraft(localStorage, "s1", "two-sum", "python")?.code).toBe("x = 1");
    expect(readLocalDraft(localStorage, "s1", "two-sum", "javascript")).toBeNull();
    expect(readLocalDraft(localStorage, "s2", "two-sum", "python")).toBeNull();
    localStorage.setItem("prepai.draft.s1.two-sum.javascript", "not json");
    expect(readLocalDraft(localStorage, "s1", "two-sum", "javascript")).toBeNull();
  });

  it("saves after a quiet pause, only the latest code, and retries until the server takes it", async () => {
    vi.useFakeTimers();
    const sent: [string, string][] = [];
    let online = false;
    const states: string[] = [];
    const saver = new DraftSaver(async (language, code) => {
      if (!online) throw new Error("offline");
      sent.push([language, code]);
    }, (s) => states.push(s));
    saver.edit("python", "a");
    saver.edit("python", "ab");
    await vi.advanceTimersByTimeAsync(SAVE_DEBOUNCE_MS - 100);
    saver.edit("python", "abc");
    await vi.advanceTimersByTimeAsync(SAVE_DEBOUNCE_MS);
    expect(states.at(-1)).toBe("offline");
    expect(sent).toEqual([]);
    saver.edit("javascript", "js");
    online = true;
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(sent).toEqual([
      ["python", "abc"],
      ["javascript", "js"],
    ]);
    expect(states.at(-1)).toBe("saved");
    saver.close();
  });

  it("counts the interviewer's questions and shows the time taken", () => {
    const bubbles = [
      { role: "assistant", text: "Hi! Ready? Let's start. What is a heap?", pending: false },
      { role: "user", text: "A tree?", pending: false },
      { role: "assistant", text: "Good.", pending: false },
      { role: "assistant", text: "Why use one?", pending: true },
    ];
    expect(questionCount(bubbles)).toBe(1);
    expect(formatElapsed(0)).toBe("00:00");
    expect(formatElapsed(65_000)).toBe("01:05");
    expect(formatElapsed(3_725_000)).toBe("1:02:05");
  });
});
