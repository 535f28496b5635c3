/** Hands-free turn taking: speech starts when the level rises above a threshold and ends after enough silence. */

/** Root mean square of a block of samples. */
export function rms(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

export type VadEvent = "speech_start" | "speech_end" | null;

export class VoiceActivityDetector {
  private speaking = false;
  private lastVoiceMs = 0;

  constructor(
    public silenceMs: number,
    private readonly threshold = 0.02,
  ) {}

  get isSpeaking(): boolean {
    return this.speaking;
  }

  /** Feeds one block's level at time `nowMs`; returns the turn boundary it crosses, if any. */
  feed(level: number, nowMs: number): VadEvent {
    if (level >= this.threshold) {
      this.lastVoiceMs = nowMs;
      if (!this.speaking) {
        this.speaking = true;
        return "speech_start";
      }
      return null;
    }
    if (this.speaking && nowMs - this.lastVoiceMs >= this.silenceMs) {
      this.speaking = false;
      return "speech_end";
    }
    return null;
  }

  reset(): void {
    this.speaking = false;
  }
}
