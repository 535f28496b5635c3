import { InterviewSocket, backoffMs, interviewSocketUrl } from "./socket";
import type { ServerMessage } from "./messages";

class FakeSocket {
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
}

describe("interview socket", () => {
  beforeEach(() => {
    FakeSocket.instances = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it("builds a relative ws/wss URL with the token as query", () => {
    expect(interviewSocketUrl("abc", "t.o/k", { protocol: "https:", host: "prep.example" })).toBe("wss://prep.example/ws/interview/abc?token=t.o%2Fk");
    expect(interviewSocketUrl("abc", "tok", { protocol: "http:", host: "127.0.0.1:3000" })).toBe("ws://127.0.0.1:3000/ws/interview/abc?token=tok");
  });

  it("backs off exponentially up to 8 s", () => {
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffMs(a, () => 0.5))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });

  it("starts first, resumes after a drop, and parses messages", async () => {
    const opens: boolean[] = [];
    const statuses: string[] = [];
    const messages: ServerMessage[] = [];
    const socket = new InterviewSocket(
      () => "ws://x/ws/interview/s?token=t",
      {
        onMessage: (m) => messages.push(m),
        onStatus: (s) => statuses.push(s),
        onOpen: (resumed) => {
          opens.push(resumed);
          socket.send(resumed ? { type: "resume" } : { type: "start", voice: false });
        },
      },
      (url) => new FakeSocket(url) as unknown as WebSocket,
    );
    vi.stubGlobal("WebSocket", { OPEN: 1 });
    socket.connect();
    FakeSocket.instances[0]!.open();
    FakeSocket.instances[0]!.onmessage?.({ data: '{"type":"llm_chunk","text":"Hi"}' });
    FakeSocket.instances[0]!.onmessage?.({ data: "not json" });
    FakeSocket.instances[0]!.drop();
    expect(statuses.at(-1)).toBe("reconnecting");
    await vi.advanceTimersByTimeAsync(1000);
    FakeSocket.instances[1]!.open();
    expect(opens).toEqual([false, true]);
    expect(FakeSocket.instances[0]!.sent).toEqual(['{"type":"start","voice":false}']);
    expect(FakeSocket.instances[1]!.sent).toEqual(['{"type":"resume"}']);
    expect(messages).toEqual([{ type: "llm_chunk", text: "Hi" }]);
    socket.close();
    expect(statuses.at(-1)).toBe("closed");
    await vi.advanceTimersByTimeAsync(20000);
    expect(FakeSocket.instances).toHaveLength(2);
    vi.unstubAllGlobals();
  });
});
