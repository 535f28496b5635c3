/**
 * The editor's drafts: kept in this browser at once (so a dropped connection or a closed tab loses nothing) and saved
 * on the server debounced (so a reload or another device picks up where the candidate left off). When both have a
 * draft, the newer wins.
 */
import type { Draft } from "../api/types";
import type { Language } from "./messages";

/** Quiet time after the last keystroke before a draft is sent to the server. */
export const SAVE_DEBOUNCE_MS = 800;
/** While a save keeps failing (offline, server restarting), how often it is retried. */
export const RETRY_MS = 3000;

export interface LocalDraft {
  code: string;
  /** ISO time of the edit. */
  updatedAt: string;
}

const localKey = (sessionId: string, problemId: string, language: Language) => `prepai.draft.${sessionId}.${problemId}.${language}`;

export function readLocalDraft(storage: Storage, sessionId: string, problemId: string, language: Language): LocalDraft | null {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(localKey(sessionId, problemId, language)) ?? "null");
    if (parsed && typeof parsed === "object" && typeof (parsed as LocalDraft).code === "string" && typeof (parsed as LocalDraft).updatedAt === "string") {
      return parsed as LocalDraft;
    }
  } catch {
    // unreadable: ignore
  }
  return null;
}

export function writeLocalDraft(storage: Storage, sessionId: string, problemId: string, language: Language, draft: LocalDraft): void {
  try {
    storage.setItem(localKey(sessionId, problemId, language), JSON.stringify(draft));
  } catch {
    // storage full or disabled: the server copy still works
  }
}

/**
 * The code to open the editor with for each language: the newer of the server's draft and this browser's, else the
 * problem's starter.
 */
export function pickDrafts(
  starter: Record<Language, string>,
  server: Draft[],
  local: Partial<Record<Language, LocalDraft | null>>,
  problemId: string,
): Record<Language, string> {
  const pick = (language: Language): string => {
    const remote = server.find((d) => d.problemId === problemId && d.language === language);
    const mine = local[language];
    if (remote && mine) return Date.parse(mine.updatedAt) > Date.parse(remote.updatedAt) ? mine.code : remote.code;
    return mine?.code ?? remote?.code ?? starter[language];
  };
  return { python: pick("python"), javascript: pick("javascript") };
}

export type SaveState = "saved" | "saving" | "pending" | "offline";

/**
 * Debounced saving of one problem's drafts: `edit` records a change; after SAVE_DEBOUNCE_MS of quiet the latest code
 * of each changed language is sent; a failed save is retried every RETRY_MS until it goes through.
 */
export class DraftSaver {
  private pending = new Map<Language, string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private sending = false;
  private closed = false;

  constructor(
    private readonly save: (language: Language, code: string) => Promise<unknown>,
    private readonly onState: (state: SaveState) => void,
  ) {}

  edit(language: Language, code: string): void {
    this.pending.set(language, code);
    this.onState("pending");
    this.arm(SAVE_DEBOUNCE_MS);
  }

  /** Sends what is pending now (leaving the page, running the code). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return this.send();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private arm(delay: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.send();
    }, delay);
  }

  private async send(): Promise<void> {
    if (this.sending || this.pending.size === 0) return;
    this.sending = true;
    this.onState("saving");
    const batch = [...this.pending.entries()];
    this.pending.clear();
    let failed = false;
    for (const [language, code] of batch) {
      try {
        await this.save(language, code);
      } catch {
        failed = true;
        // Keep it unless a newer edit replaced it meanwhile.
        if (!this.pending.has(language)) this.pending.set(language, code);
      }
    }
    this.sending = false;
    if (failed) {
      this.onState("offline");
      this.arm(RETRY_MS);
    } else if (this.pending.size > 0) {
      this.onState("pending");
      this.arm(SAVE_DEBOUNCE_MS);
    } else {
      this.onState("saved");
    }
  }
}

/** What the candidate reads about the draft. */
export const SAVE_WORDS: Record<SaveState, string> = {
  saved: "Draft saved",
  saving: "Saving draft…",
  pending: "Draft not saved yet",
  offline: "Offline: draft kept in this browser, saving when the connection is back",
};

/** Question N: the interviewer's messages that ask something (a "?" in them). */
export function questionCount(bubbles: { role: string; text: string; pending: boolean }[]): number {
  return bubbles.filter((b) => b.role === "assistant" && !b.pending && b.text.includes("?")).length;
}

/** mm:ss, or h:mm:ss past an hour. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}
