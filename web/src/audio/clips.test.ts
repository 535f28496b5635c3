import { ClipQueue, type Clip } from "./clips";
import { bytesToBase64 } from "./pcm";
import type { AudioPart } from "../interview/messages";

const part = (clip: number, seq: number, bytes: number[], last = false): AudioPart => ({
  type: "audio",
  clip,
  seq,
  last,
  format: "pcm",
  data: bytesToBase64(Uint8Array.from(bytes)),
});

/** A player whose clips end when the test says so. */
function fakePlayer() {
  const played: Clip[] = [];
  const finishers: (() => void)[] = [];
  const play = (clip: Clip) =>
    new Promise<void>((resolve) => {
      played.push(clip);
      finishers.push(resolve);
    });
  const finishCurrent = async () => {
    finishers.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { played, play, finishCurrent };
}

describe("ClipQueue", () => {
  it("joins the parts of a clip in seq order once the last part arrives", () => {
    const player = fakePlayer();
    const queue = new ClipQueue(player.play);
    queue.add(part(0, 1, [3, 4]));
    queue.add(part(0, 0, [1, 2]));
    expect(player.played).toHaveLength(0);
    queue.add(part(0, 2, [5], true));
    expect(player.played).toHaveLength(1);
    expect(Array.from(player.played[0]!.bytes)).toEqual([1, 2, 3, 4, 5]);
  });

  it("plays clips strictly in clip order, one at a time", async () => {
    const player = fakePlayer();
    const active: boolean[] = [];
    const queue = new ClipQueue(player.play, (a) => active.push(a));
    queue.add(part(0, 0, [10]));
    queue.add(part(1, 2, [20], true));
    expect(player.played).toHaveLength(0);
    queue.add(part(0, 1, [11], true));
    expect(player.played.map((c) => c.clip)).toEqual([0]);
    await player.finishCurrent();
    expect(player.played.map((c) => c.clip)).toEqual([0, 1]);
    await player.finishCurrent();
    expect(active[0]).toBe(true);
    expect(active.at(-1)).toBe(false);
  });

  it("waits for an earlier clip that is still arriving", async () => {
    const player = fakePlayer();
    const queue = new ClipQueue(player.play);
    queue.add(part(0, 0, [1], true));
    await player.finishCurrent();
    queue.add(part(1, 1, [2]));
    queue.add(part(2, 3, [3], true));
    expect(player.played.map((c) => c.clip)).toEqual([0]);
    queue.add(part(1, 2, [4], true));
    expect(player.played.map((c) => c.clip)).toEqual([0, 1]);
    await player.finishCurrent();
    expect(player.played.map((c) => c.clip)).toEqual([0, 1, 2]);
  });

  it("drops queued clips on clear and ignores their late parts", async () => {
    const player = fakePlayer();
    const queue = new ClipQueue(player.play);
    queue.add(part(0, 0, [1], true));
    queue.add(part(1, 1, [2], true));
    queue.clear();
    queue.add(part(2, 2, [3], true));
    await player.finishCurrent();
    expect(player.played.map((c) => c.clip)).toEqual([0]);
    // the next reply numbers its clips from 0 again
    queue.add(part(0, 0, [4], true));
    expect(player.played.map((c) => Array.from(c.bytes))).toEqual([[1], [4]]);
  });

  it("starts a new reply when clip 0 comes again, even while the last reply's clips are still playing", async () => {
    const player = fakePlayer();
    const active: boolean[] = [];
    const queue = new ClipQueue(player.play, (a) => active.push(a));
    // reply 1: clips 0 and 1 (seq 0..2)
    queue.add(part(0, 0, [1]));
    queue.add(part(0, 1, [2], true));
    queue.add(part(1, 2, [3], true));
    // reply 2 arrives before reply 1 finished playing: seq and clip restart at 0
    queue.add(part(0, 0, [10], true));
    queue.add(part(1, 1, [11], true));
    expect(player.played).toHaveLength(1);
    for (let i = 0; i < 4; i++) await player.finishCurrent();
    expect(player.played.map((c) => Array.from(c.bytes))).toEqual([[1, 2], [3], [10], [11]]);
    expect(active.at(-1)).toBe(false);
  });

  it("plays a reply that arrives after the previous one finished playing", async () => {
    const player = fakePlayer();
    const queue = new ClipQueue(player.play);
    queue.add(part(0, 0, [1], true));
    queue.add(part(1, 1, [2], true));
    await player.finishCurrent();
    await player.finishCurrent();
    queue.add(part(0, 0, [3], true));
    expect(player.played.map((c) => Array.from(c.bytes))).toEqual([[1], [2], [3]]);
    await player.finishCurrent();
    // a one-clip reply followed by another one-clip reply
    queue.add(part(0, 0, [4], true));
    expect(player.played.map((c) => Array.from(c.bytes))).toEqual([[1], [2], [3], [4]]);
  });

  it("does not wait for a clip of an earlier reply that will never complete", async () => {
    const player = fakePlayer();
    const queue = new ClipQueue(player.play);
    queue.add(part(0, 0, [1], true));
    queue.add(part(1, 1, [2])); // its last part never comes (the voice failed mid-reply)
    await player.finishCurrent();
    queue.add(part(0, 0, [3], true));
    expect(player.played.map((c) => Array.from(c.bytes))).toEqual([[1], [3]]);
  });

  it("after the voice fails mid-reply, does not wait for the clip that never completes", async () => {
    const player = fakePlayer();
    const queue = new ClipQueue(player.play);
    queue.add(part(0, 0, [1]));
    queue.add(part(1, 1, [2], true));
    queue.endReply();
    expect(player.played).toHaveLength(0);
    queue.add(part(0, 0, [5], true));
    expect(player.played.map((c) => Array.from(c.bytes))).toEqual([[5]]);
  });

  it("audio_end closes a reply: the next part starts the next reply", async () => {
    const player = fakePlayer();
    const queue = new ClipQueue(player.play);
    queue.add(part(0, 0, [1]));
    queue.add(part(0, 1, [2], true));
    queue.add(part(1, 2, [3]));
    queue.endReply();
    expect(player.played.map((c) => Array.from(c.bytes))).toEqual([[1, 2]]);
    await player.finishCurrent();
    // clip 1 never completed; the next reply is not held up by it
    queue.add(part(0, 0, [4], true));
    expect(player.played.map((c) => Array.from(c.bytes))).toEqual([[1, 2], [4]]);
  });

  it("skips a clip that fails to play", async () => {
    const played: number[] = [];
    const queue = new ClipQueue(async (clip) => {
      played.push(clip.clip);
      if (clip.clip === 0) throw new Error("undecodable");
    });
    queue.add(part(0, 0, [1], true));
    queue.add(part(1, 0, [2], true));
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    expect(played).toEqual([0, 1]);
  });
});
