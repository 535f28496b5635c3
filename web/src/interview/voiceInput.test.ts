import { base64ToBytes } from "../audio/pcm";
import type { ClientMessage, VoiceCapabilities } from "./messages";
import { VoiceInput } from "./voiceInput";

const capabilities: VoiceCapabilities = {
  available: true,
  input: true,
  output: true,
  silence_ms: { conversation: 800, coding: 2000 },
  max_utterance_seconds: 60,
  chunk_bytes: 16000,
};

function setup() {
  const sent: ClientMessage[] = [];
  let now = 0;
  const listening: boolean[] = [];
  const input = new VoiceInput((m) => (sent.push(m), true), capabilities, { onListening: (l) => listening.push(l), onSpeechStart: () => {} }, () => now);
  const frame = (level: number, bytes = 3200) => input.onFrame({ pcm: new Uint8Array(bytes), level });
  return { input, sent, listening, frame, advance: (ms: number) => (now += ms) };
}

describe("voice input", () => {
  it("hold to talk: speech_start, audio with consecutive seq, speech_end", () => {
    const { input, sent, frame } = setup();
    frame(0.5); // before the button: not sent
    input.begin();
    for (let i = 0; i < 12; i++) frame(0.5);
    input.finish();
    expect(sent[0]).toEqual({ type: "speech_start", utterance: 0 });
    expect(sent.at(-1)).toEqual({ type: "speech_end", chunks: 3, utterance: 0 });
    const audio = sent.filter((m): m is Extract<ClientMessage, { type: "audio" }> => m.type === "audio");
    expect(audio.map((m) => m.seq)).toEqual([0, 1, 2]);
    expect(audio.every((m) => m.utterance === 0)).toBe(true);
    expect(audio.reduce((n, m) => n + base64ToBytes(m.data).length, 0)).toBe(12 * 3200);
  });

  it("hands-free: starts on voice, ends after the server's silence time (longer while coding)", () => {
    const { input, sent, frame, advance } = setup();
    input.setHandsFree(true);
    frame(0.001);
    expect(sent).toEqual([]);
    frame(0.3);
    expect(sent).toEqual([{ type: "speech_start", utterance: 0 }]);
    advance(500);
    frame(0.001);
    expect(sent.at(-1)?.type).not.toBe("speech_end");
    advance(400);
    frame(0.001);
    expect(sent.at(-1)).toEqual({ type: "speech_end", chunks: 1, utterance: 0, silence: true });

    input.update(capabilities, true);
    frame(0.3);
    advance(1000);
    frame(0.001);
    expect(sent.at(-1)?.type).not.toBe("speech_end");
    advance(1000);
    frame(0.001);
    expect(sent.at(-1)).toEqual({ type: "speech_end", chunks: 1, utterance: 1, silence: true });
  });

  it("ends an utterance at the server's maximum length", () => {
    const { input, sent, frame, advance } = setup();
    input.begin();
    advance(60_000);
    frame(0.5);
    expect(sent.at(-1)).toEqual({ type: "speech_end", chunks: 1, utterance: 0 });
    expect(input.recording).toBe(false);
  });

  it("speech_end counts the audio messages of its own utterance", () => {
    const { input, sent, frame } = setup();
    for (const [utterance, frames] of [12, 5, 0].entries()) {
      sent.length = 0;
      input.begin();
      for (let i = 0; i < frames; i++) frame(0.5);
      input.finish();
      const audio = sent.filter((m) => m.type === "audio").length;
      expect(sent[0]).toEqual({ type: "speech_start", utterance });
      expect(sent.at(-1)).toEqual({ type: "speech_end", chunks: audio, utterance });
    }
    expect(sent.filter((m) => m.type === "audio")).toHaveLength(0);
  });
});
