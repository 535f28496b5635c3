import { AudioChunker, MAX_CHUNK_BYTES, Resampler, base64ToBytes, floatToPcm16, pcm16ToBytes } from "./pcm";

describe("PCM16 conversion", () => {
  it("clips and scales floats to signed 16-bit", () => {
    expect(Array.from(floatToPcm16(Float32Array.from([0, 1, -1, 0.5, 2, -2])))).toEqual([0, 32767, -32768, 16384, 32767, -32768]);
  });

  it("writes little-endian bytes", () => {
    expect(Array.from(pcm16ToBytes(Int16Array.from([1, -2, 0x1234])))).toEqual([0x01, 0x00, 0xfe, 0xff, 0x34, 0x12]);
  });
});

describe("Resampler", () => {
  it("turns 48 kHz into 16 kHz (one sample in three)", () => {
    const input = Float32Array.from({ length: 48 }, (_, i) => i / 48);
    const out = new Resampler(48000).process(input);
    expect(out.length).toBe(16);
    out.forEach((v, i) => expect(v).toBeCloseTo((i * 3) / 48, 6));
  });

  it("gives the same samples block by block as in one go (44.1 kHz)", () => {
    const input = Float32Array.from({ length: 4410 }, (_, i) => Math.sin(i / 20));
    const whole = new Resampler(44100).process(input);
    const streamed = new Resampler(44100);
    const parts: number[] = [];
    for (let i = 0; i < input.length; i += 128) parts.push(...streamed.process(input.subarray(i, i + 128)));
    expect(parts.length).toBeGreaterThanOrEqual(whole.length - 1);
    expect(parts.length).toBeLessThanOrEqual(whole.length + 1);
    whole.forEach((v, i) => {
      if (i < parts.length) expect(parts[i]).toBeCloseTo(v, 5);
    });
    expect(whole.length).toBeCloseTo(1600, -1);
  });

  it("passes 16 kHz through", () => {
    const input = Float32Array.from([0.1, 0.2]);
    expect(Array.from(new Resampler(16000).process(input))).toEqual(Array.from(input));
  });
});

describe("AudioChunker", () => {
  it("splits a stream into messages of at most 16000 bytes with consecutive seq", () => {
    const chunker = new AudioChunker();
    const messages = [
      ...chunker.push(new Uint8Array(10000).fill(1)),
      ...chunker.push(new Uint8Array(10000).fill(2)),
      ...chunker.push(new Uint8Array(20000).fill(3)),
      ...chunker.flush(),
    ];
    expect(messages.map((m) => m.seq)).toEqual([0, 1, 2]);
    const sizes = messages.map((m) => base64ToBytes(m.data).length);
    expect(sizes).toEqual([16000, 16000, 8000]);
    expect(sizes.every((s) => s <= MAX_CHUNK_BYTES)).toBe(true);
    const joined = messages.flatMap((m) => Array.from(base64ToBytes(m.data)));
    expect(joined.slice(9998, 10002)).toEqual([1, 1, 2, 2]);
    expect(joined.length).toBe(40000);
    expect(messages.every((m) => m.type === "audio")).toBe(true);
  });

  it("honours a smaller chunk size from the server, kept even", () => {
    const chunker = new AudioChunker(1001);
    const messages = [...chunker.push(new Uint8Array(3000)), ...chunker.flush()];
    expect(messages.map((m) => base64ToBytes(m.data).length)).toEqual([1000, 1000, 1000]);
  });

  it("never exceeds 16000 bytes even if the server asks for more", () => {
    const messages = new AudioChunker(64000).push(new Uint8Array(40000));
    expect(messages.map((m) => base64ToBytes(m.data).length)).toEqual([16000, 16000]);
  });

  it("flushes nothing when empty", () => {
    expect(new AudioChunker().flush()).toEqual([]);
  });
});
