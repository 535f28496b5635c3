/** The interview WebSocket: relative to the page's host, reconnecting with back-off after a drop. */
import { parseServerMessage, type ClientMessage, type ServerMessage } from "./messages";

export type SocketStatus = "connecting" | "open" | "reconnecting" | "failed" | "closed";

export interface SocketHandlers {
  onMessage: (message: ServerMessage) => void;
  onStatus: (status: SocketStatus) => void;
  /** Called on every open; `resumed` is false the first time. Whatever it sends goes out before anything queued. */
  onOpen: (resumed: boolean) => void | Promise<void>;
}

/** The socket URL for a session: same host as the page, ws or wss to match http or https. */
export function interviewSocketUrl(sessionId: string, token: string, loc: Pick<Location, "protocol" | "host"> = location): string {
  const scheme = loc.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${loc.host}/ws/interview/${encodeURIComponent(sessionId)}?token=${encodeURIComponent(token)}`;
}

/** Delay before reconnect attempt `attempt` (0-based): 0.5 s doubling to 8 s, with jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(8000, 500 * 2 ** attempt);
  return Math.round(base * (0.75 + random() * 0.5));
}

/** Gives up after this many failed reconnects in a row (about a minute). */
const MAX_ATTEMPTS = 10;

export class InterviewSocket {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private everOpened = false;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly url: () => string,
    private readonly handlers: SocketHandlers,
    private readonly createSocket: (url: string) => WebSocket = (url) => new WebSocket(url),
  ) {}

  connect(): void {
    this.stopped = false;
    this.handlers.onStatus(this.everOpened ? "reconnecting" : "connecting");
    const socket = this.createSocket(this.url());
    this.socket = socket;
    socket.onopen = () => {
      const resumed = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      this.handlers.onStatus("open");
      void this.handlers.onOpen(resumed);
    };
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== "string") return;
      const message = parseServerMessage(event.data);
      if (message) this.handlers.onMessage(message);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) {
        this.handlers.onStatus("closed");
        return;
      }
      if (this.attempt >= MAX_ATTEMPTS) {
        this.handlers.onStatus("failed");
        return;
      }
      this.handlers.onStatus("reconnecting");
      this.timer = setTimeout(() => this.connect(), backoffMs(this.attempt++));
    };
  }

  /** Sends a message; false when the socket is not open (the caller tells the user). */
  send(message: ClientMessage): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Retries now (after "failed"), resetting the back-off. */
  retry(): void {
    if (this.timer) clearTimeout(this.timer);
    this.attempt = 0;
    if (!this.socket) this.connect();
  }

  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
    this.handlers.onStatus("closed");
  }
}
