/** Interviewer speech: parts reassembled into clips, played one at a time in clip order. */
import { base64ToBytes } from "./pcm";
import type { AudioPart } from "../interview/messages";

export interface Clip {
  clip: number;
  format: AudioPart["format"];
  bytes: Uint8Array;
}

interface PartialClip {
  format: AudioPart["format"];
  parts: Map<number, Uint8Array>;
  complete: boolean;
}

/**
 * Collects `audio` parts and plays complete clips strictly in clip order: a clip waits while any earlier clip that
 * has started arriving is still incomplete or playing.
 */
export class ClipQueue {
  private readonly clips = new Map<number, PartialClip>();
  private playing = false;
  /** Clip ids rise over the session; parts of a clip already played or skipped are ignored. */
  private lastPlayed = -Infinity;

  constructor(
    private readonly play: (clip: Clip) => Promise<void>,
    private readonly onActive: (active: boolean) => void = () => {},
  ) {}

  add(part: AudioPart): void {
    if (part.clip <= this.lastPlayed) return;
    let clip = this.clips.get(part.clip);
    if (!clip) {
      clip = { format: part.format, parts: new Map(), complete: false };
      this.clips.set(part.clip, clip);
    }
    clip.parts.set(part.seq, base64ToBytes(part.data));
    if (part.last) clip.complete = true;
    this.pump();
  }

  /** Drops everything queued after the current clip (the candidate started talking). */
  clear(): void {
    for (const id of this.clips.keys()) this.lastPlayed = Math.max(this.lastPlayed, id);
    this.clips.clear();
  }

  private pump(): void {
    if (this.playing || this.clips.size === 0) return;
    const next = Math.min(...this.clips.keys());
    const clip = this.clips.get(next)!;
    if (!clip.complete) return;
    this.clips.delete(next);
    this.lastPlayed = next;
    this.playing = true;
    this.onActive(true);
    this.play(assemble(next, clip))
      .catch(() => {
        // a clip that fails to decode is skipped; the text is on screen anyway
      })
      .finally(() => {
        this.playing = false;
        this.pump();
        if (!this.playing) this.onActive(false);
      });
  }
}

function assemble(id: number, clip: PartialClip): Clip {
  const ordered = [...clip.parts.entries()].sort(([a], [b]) => a - b).map(([, bytes]) => bytes);
  const total = ordered.reduce((n, b) => n + b.length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of ordered) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return { clip: id, format: clip.format, bytes };
}
