/** The candidate's voice turns: hold-to-talk or hands-free (VAD), streamed as speech_start, audio…, speech_end. */
import { AudioChunker } from "../audio/pcm";
import { openMicrophone, type Microphone, type MicrophoneFrame } from "../audio/microphone";
import { VoiceActivityDetector } from "../audio/vad";
import type { ClientMessage, VoiceCapabilities } from "./messages";

export interface VoiceInputEvents {
  onListening: (listening: boolean) => void;
  /** The candidate started talking: interrupt the interviewer's speech. */
  onSpeechStart: () => void;
}

export class VoiceInput {
  private microphone: Microphone | null = null;
  private chunker: AudioChunker | null = null;
  private startedAt = 0;
  /** `audio` messages sent in the current utterance. */
  private chunks = 0;
  /**
   * This answer's number, sent on its speech_start, audio and speech_end: the server may handle the next answer's
   * speech_start before this one's speech_end (API Gateway runs messages concurrently), and the number keeps them apart.
   */
  private utterance = -1;
  private readonly vad: VoiceActivityDetector;
  private handsFree = false;

  constructor(
    private readonly send: (message: ClientMessage) => boolean,
    private capabilities: VoiceCapabilities,
    private readonly events: VoiceInputEvents,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.vad = new VoiceActivityDetector(capabilities.silence_ms.conversation);
  }

  get recording(): boolean {
    return this.chunker !== null;
  }

  /** Opens the microphone (asks permission the first time). */
  async enable(): Promise<void> {
    this.microphone ??= await openMicrophone((frame) => this.onFrame(frame));
  }

  update(capabilities: VoiceCapabilities, coding: boolean): void {
    this.capabilities = capabilities;
    this.vad.silenceMs = coding ? capabilities.silence_ms.coding : capabilities.silence_ms.conversation;
  }

  setHandsFree(on: boolean): void {
    this.handsFree = on;
    this.vad.reset();
    if (!on && this.recording) this.finish();
  }

  begin(): void {
    if (this.recording) return;
    const utterance = this.utterance + 1;
    if (!this.send({ type: "speech_start", utterance })) return;
    this.utterance = utterance;
    this.chunker = new AudioChunker(this.capabilities.chunk_bytes);
    this.chunks = 0;
    this.startedAt = this.now();
    this.events.onSpeechStart();
    this.events.onListening(true);
  }

  /** Ends the utterance; `bySilence` when the voice-activity detection ended it, not the candidate. */
  finish(bySilence = false): void {
    const chunker = this.chunker;
    if (!chunker) return;
    this.chunker = null;
    for (const message of chunker.flush()) {
      this.send({ ...message, utterance: this.utterance });
      this.chunks++;
    }
    this.send({
      type: "speech_end",
      chunks: this.chunks,
      utterance: this.utterance,
      ...(bySilence ? { silence: true } : {}),
    });
    this.events.onListening(false);
  }

  /** One microphone frame (also the seam for tests). */
  onFrame(frame: MicrophoneFrame): void {
    if (this.handsFree) {
      const event = this.vad.feed(frame.level, this.now());
      if (event === "speech_start") this.begin();
      if (event === "speech_end") {
        this.push(frame.pcm);
        this.finish(true);
        return;
      }
    }
    this.push(frame.pcm);
    if (this.recording && this.now() - this.startedAt >= this.capabilities.max_utterance_seconds * 1000) this.finish();
  }

  private push(pcm: Uint8Array): void {
    if (!this.chunker) return;
    for (const message of this.chunker.push(pcm)) {
      this.send({ ...message, utterance: this.utterance });
      this.chunks++;
    }
  }

  close(): void {
    this.finish();
    this.microphone?.close();
    this.microphone = null;
  }
}
