/** Microphone samples to the server's format: 16 kHz mono PCM16 little-endian, in base64 `audio` messages. */

export const TARGET_RATE = 16000;

/** Largest PCM payload of one `audio` message, before base64 (keeps frames well under API Gateway's 32 KB). */
export const MAX_CHUNK_BYTES = 16000;

/**
 * Linear-interpolation resampler that keeps its position across blocks, so a stream resampled block by block
 * equals the whole stream resampled at once (no clicks at block edges).
 */
export class Resampler {
  private readonly step: number;
  /** Position of the next output sample, in input samples, relative to the start of the next block. */
  private position = 0;
  /** The previous block's last sample (position -1). */
  private previous = 0;

  constructor(
    readonly fromRate: number,
    readonly toRate: number = TARGET_RATE,
  ) {
    this.step = fromRate / toRate;
  }

  process(input: Float32Array): Float32Array {
    if (this.fromRate === this.toRate) return input.slice();
    const out: number[] = [];
    let position = this.position;
    while (position < input.length - 1 || (position <= input.length - 1 && Number.isInteger(position))) {
      const index = Math.floor(position);
      const fraction = position - index;
      const left = index < 0 ? this.previous : input[index]!;
      const right = index + 1 < input.length ? input[index + 1]! : left;
      out.push(left + (right - left) * fraction);
      position += this.step;
    }
    this.position = position - input.length;
    if (input.length > 0) this.previous = input[input.length - 1]!;
    return Float32Array.from(out);
  }
}

/** Float samples in [-1, 1] to signed 16-bit (clipped). */
export function floatToPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    out[i] = s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff);
  }
  return out;
}

/** The little-endian bytes of PCM16 samples, whatever the machine's byte order. */
export function pcm16ToBytes(samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  samples.forEach((s, i) => view.setInt16(i * 2, s, true));
  return bytes;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

export function base64ToBytes(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

export interface AudioMessage {
  type: "audio";
  seq: number;
  data: string;
}

/**
 * Splits a stream of PCM16 bytes into `audio` messages of at most `chunkBytes` bytes (an even number, so a sample
 * is never split) with consecutive `seq` from 0 for one utterance.
 */
export class AudioChunker {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private seq = 0;
  private readonly chunkBytes: number;

  constructor(chunkBytes: number = MAX_CHUNK_BYTES) {
    const limited = Math.min(chunkBytes, MAX_CHUNK_BYTES);
    this.chunkBytes = Math.max(2, limited - (limited % 2));
  }

  /** Adds bytes; returns the messages that are now full. */
  push(bytes: Uint8Array): AudioMessage[] {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    const out: AudioMessage[] = [];
    while (this.pendingBytes >= this.chunkBytes) out.push(this.take(this.chunkBytes));
    return out;
  }

  /** The remainder at the end of the utterance (nothing when empty). */
  flush(): AudioMessage[] {
    return this.pendingBytes > 0 ? [this.take(this.pendingBytes)] : [];
  }

  private take(size: number): AudioMessage {
    const joined = new Uint8Array(this.pendingBytes);
    let offset = 0;
    for (const part of this.pending) {
      joined.set(part, offset);
      offset += part.length;
    }
    const chunk = joined.slice(0, size);
    const rest = joined.slice(size);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return { type: "audio", seq: this.seq++, data: bytesToBase64(chunk) };
  }
}
