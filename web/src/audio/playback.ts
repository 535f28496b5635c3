/** Plays the interviewer's speech clips through one AudioContext. */
import type { Clip } from "./clips";
import { TARGET_RATE } from "./pcm";

/** Raw 16 kHz mono s16le → an AudioBuffer (decodeAudioData only understands containers). */
export function pcmToAudioBuffer(context: BaseAudioContext, bytes: Uint8Array): AudioBuffer {
  const samples = Math.floor(bytes.length / 2);
  const buffer = context.createBuffer(1, Math.max(1, samples), TARGET_RATE);
  const channel = buffer.getChannelData(0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < samples; i++) channel[i] = view.getInt16(i * 2, true) / 0x8000;
  return buffer;
}

export class SpeechPlayer {
  private context: AudioContext | null = null;
  private current: AudioBufferSourceNode | null = null;

  /** Plays one clip; resolves when it ends or is stopped. */
  async play(clip: Clip): Promise<void> {
    this.context ??= new AudioContext();
    const context = this.context;
    if (context.state === "suspended") await context.resume();
    const buffer =
      clip.format === "pcm"
        ? pcmToAudioBuffer(context, clip.bytes)
        : await context.decodeAudioData(clip.bytes.slice().buffer);
    await new Promise<void>((resolve) => {
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(context.destination);
      source.onended = () => resolve();
      this.current = source;
      source.start();
    });
    this.current = null;
  }

  stop(): void {
    this.current?.stop();
  }

  close(): void {
    this.stop();
    void this.context?.close();
    this.context = null;
  }
}
