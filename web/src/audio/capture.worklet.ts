/**
 * AudioWorklet processor: microphone input → 16 kHz mono PCM16 LE, posted every ~100 ms with the block's level
 * (RMS) for voice activity detection. Runs on the audio thread.
 */
import { Resampler, floatToPcm16, pcm16ToBytes, TARGET_RATE } from "./pcm";
import { rms } from "./vad";

declare const sampleRate: number;
declare function registerProcessor(name: string, processor: new () => object): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

/** Samples at the target rate per posted frame (100 ms). */
const FRAME_SAMPLES = TARGET_RATE / 10;

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly resampler = new Resampler(sampleRate, TARGET_RATE);
  private buffered: Float32Array[] = [];
  private bufferedLength = 0;

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0];
    const first = channels?.[0];
    if (!channels || !first) return true;
    const mono = new Float32Array(first.length);
    for (const channel of channels) {
      for (let i = 0; i < mono.length; i++) mono[i]! += channel[i]! / channels.length;
    }
    const resampled = this.resampler.process(mono);
    this.buffered.push(resampled);
    this.bufferedLength += resampled.length;
    if (this.bufferedLength >= FRAME_SAMPLES) {
      const frame = new Float32Array(this.bufferedLength);
      let offset = 0;
      for (const block of this.buffered) {
        frame.set(block, offset);
        offset += block.length;
      }
      this.buffered = [];
      this.bufferedLength = 0;
      const bytes = pcm16ToBytes(floatToPcm16(frame));
      this.port.postMessage({ pcm: bytes, level: rms(frame) }, [bytes.buffer]);
    }
    return true;
  }
}

registerProcessor("prepai-capture", CaptureProcessor);
