/** Interviewer speech: parts reassembled into clips, played one at a time in clip order, reply after reply. */
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
 * One interviewer reply's speech. The server numbers `seq` and `clip` from 0 for every reply (each reply is its own
 * invocation), so clip numbers only mean something within a reply.
 */
interface Reply {
  clips: Map<number, PartialClip>;
  /** The next clip number to play. */
  next: number;
  /** Every `seq` received for this reply. */
  seqs: Set<number>;
  /** Parts of clip 0 received, and the `seq` of its last part once known. */
  firstClipParts: number;
  firstClipLastSeq: number | null;
  /** The lowest `seq` seen in a clip after clip 0 (clip 0's parts all come before it). */
  laterClipsFirstSeq: number;
  /** No more parts belong to it: a newer reply started, or the candidate interrupted it. */
  closed: boolean;
  /** Interrupted: nothing of it is played, late parts are ignored. */
  dropped: boolean;
  /** The server said it is complete (`audio_end`, or the voice failed): the next part starts a new reply. */
  ended: boolean;
}

const newReply = (): Reply => ({
  clips: new Map(),
  next: 0,
  seqs: new Set(),
  firstClipParts: 0,
  firstClipLastSeq: null,
  laterClipsFirstSeq: Infinity,
  closed: false,
  dropped: false,
  ended: false,
});

/**
 * Collects `audio` parts and plays complete clips strictly in clip order within a reply, and replies in the order
 * they arrived. A part of clip 0 that cannot belong to the current reply starts a new reply; the previous one plays
 * what it has and is then done, so the queue never waits for a clip number that already played.
 */
export class ClipQueue {
  /** Replies not yet finished playing, oldest first; the last one receives parts. */
  private readonly replies: Reply[] = [];
  /** The reply parts are currently added to (kept after it finishes, to recognise its late parts). */
  private current: Reply | null = null;
  private playing = false;

  constructor(
    private readonly play: (clip: Clip) => Promise<void>,
    private readonly onActive: (active: boolean) => void = () => {},
  ) {}

  add(part: AudioPart): void {
    let reply = this.current;
    if (!reply || this.startsNewReply(reply, part)) {
      if (reply) reply.closed = true;
      reply = newReply();
      this.current = reply;
      this.replies.push(reply);
    }
    reply.seqs.add(part.seq);
    if (part.clip === 0) {
      reply.firstClipParts++;
      if (part.last) reply.firstClipLastSeq = part.seq;
    } else {
      reply.laterClipsFirstSeq = Math.min(reply.laterClipsFirstSeq, part.seq);
    }
    if (reply.dropped || part.clip < reply.next) return;
    let clip = reply.clips.get(part.clip);
    if (!clip) {
      clip = { format: part.format, parts: new Map(), complete: false };
      reply.clips.set(part.clip, clip);
    }
    clip.parts.set(part.seq, base64ToBytes(part.data));
    if (part.last) clip.complete = true;
    this.pump();
  }

  /** The candidate started talking: drops everything not yet played; late parts of those replies are ignored. */
  clear(): void {
    for (const reply of [...this.replies, ...(this.current ? [this.current] : [])]) {
      reply.clips.clear();
      reply.closed = true;
      reply.dropped = true;
    }
    this.replies.length = 0;
  }

  /**
   * The server sends no more speech for the current reply (`audio_end`, or `voice_output_failed`): play what is
   * complete; the next part starts a new reply.
   */
  endReply(): void {
    if (this.current) {
      this.current.closed = true;
      this.current.ended = true;
    }
    this.pump();
  }

  /**
   * After `audio_end`, any part; otherwise clip 0 again after the current reply's clip 0 was whole (every part from seq 0 to its last), or with a `seq`
   * already seen or after a later clip's: that is the next reply's first clip.
   */
  private startsNewReply(reply: Reply, part: AudioPart): boolean {
    if (reply.ended) return true;
    if (part.clip !== 0) return false;
    const firstClipWhole = reply.firstClipLastSeq !== null && reply.firstClipParts >= reply.firstClipLastSeq + 1;
    return firstClipWhole || reply.seqs.has(part.seq) || part.seq > reply.laterClipsFirstSeq;
  }

  private pump(): void {
    if (this.playing) return;
    for (;;) {
      const reply = this.replies[0];
      if (!reply) return;
      const clip = reply.dropped ? undefined : reply.clips.get(reply.next);
      if (clip?.complete) {
        reply.clips.delete(reply.next);
        this.start(assemble(reply.next++, clip));
        return;
      }
      // Waiting for this reply's next clip, unless it is over (then skip what can never complete).
      if (!reply.closed && !reply.dropped) return;
      this.replies.shift();
    }
  }

  private start(clip: Clip): void {
    this.playing = true;
    this.onActive(true);
    this.play(clip)
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
