// Voice end to end in real Chromium: the fake microphone plays a WAV file of a spoken answer; the candidate starts a
// voice interview, holds the talk button while it plays, and we check that the server transcribed it into the
// candidate's bubble, that the interviewer replied, and that its spoken reply arrived (audio frames in seq order,
// restarting at 0 for each reply) and was played.
//
//   npm run e2e:voice
//   PREPAI_VOICE_WAV=answer.wav PREPAI_VOICE_KEYWORDS=hash,map npm run e2e:voice   # your own recording
//
// Without PREPAI_VOICE_WAV the answer is synthesised with espeak-ng. Exit codes: 0 passed, 1 failed, 3 the server
// says voice is unavailable (for example the Whisper model is not installed): CI decides what that means.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { assert, buildApp, checkAccessibility, localServer, logger } from "./lib.mjs";

const log = logger("e2e:voice");
const STEP_TIMEOUT = 15_000;
/** Transcription runs on the server's CPU: allow for a slow machine. */
const TRANSCRIPT_TIMEOUT = 90_000;
const VOICE_UNAVAILABLE = 3;

const ANSWER = "I would use a hash map for constant time lookups.";
const ANSWER_KEYWORDS = ["hash", "map", "constant"];

class VoiceUnavailable extends Error {}

/** The PCM16 payload and format of a WAV file (its `fmt ` and `data` chunks). */
function readWav(bytes) {
  assert(bytes.toString("latin1", 0, 4) === "RIFF" && bytes.toString("latin1", 8, 12) === "WAVE", "the voice file is a WAV");
  let offset = 12;
  let format = null;
  let data = null;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString("latin1", offset, offset + 4);
    let size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === "data") size = Math.min(size, bytes.length - body); // streamed WAVs may not know their size
    if (id === "fmt ") {
      format = { channels: bytes.readUInt16LE(body + 2), rate: bytes.readUInt32LE(body + 4), bits: bytes.readUInt16LE(body + 14) };
    } else if (id === "data") {
      data = bytes.subarray(body, body + size);
    }
    offset = body + size + (size % 2);
  }
  assert(format && data, "the WAV has fmt and data chunks");
  return { ...format, data };
}

function writeWav({ channels, rate, bits, data }) {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVEfmt ", 8, "latin1");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE((rate * channels * bits) / 8, 28);
  header.writeUInt16LE((channels * bits) / 8, 32);
  header.writeUInt16LE(bits, 34);
  header.write("data", 36, "latin1");
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const wavSeconds = ({ channels, rate, bits, data }) => data.length / ((rate * channels * bits) / 8);

/**
 * The answer the fake microphone plays: PREPAI_VOICE_WAV as it is, or ANSWER spoken by espeak-ng with half a second
 * of silence before it (the capture starts when the microphone opens, a moment before the button counts as held)
 * and a little after.
 */
function answerWav(dir) {
  if (process.env.PREPAI_VOICE_WAV) {
    const path = process.env.PREPAI_VOICE_WAV;
    const keywords = (process.env.PREPAI_VOICE_KEYWORDS ?? "")
      .split(",")
      .map((w) => w.trim())
      .filter(Boolean);
    return { path, seconds: wavSeconds(readWav(readFileSync(path))), keywords };
  }
  const spoken = join(dir, "espeak.wav");
  execFileSync("espeak-ng", ["-s", "160", "-w", spoken, ANSWER]);
  const wav = readWav(readFileSync(spoken));
  const silence = (seconds) => Buffer.alloc(Math.round((seconds * wav.rate * wav.channels * wav.bits) / 8 / 2) * 2);
  const padded = { ...wav, data: Buffer.concat([silence(0.5), wav.data, silence(0.4)]) };
  const path = join(dir, "answer.wav");
  writeFileSync(path, writeWav(padded));
  return { path, seconds: wavSeconds(padded), keywords: ANSWER_KEYWORDS };
}

/** Every interviewer reply's `audio` frames must number `seq` 0, 1, 2, … and never go back in `clip`. */
function checkAudioOrder(frames) {
  const replies = [];
  for (const frame of frames) {
    if (frame.seq === 0) replies.push([]);
    assert(replies.length > 0, `the first audio frame has seq 0 (got ${frame.seq})`);
    replies.at(-1).push(frame);
  }
  for (const [r, reply] of replies.entries()) {
    reply.forEach((frame, i) => {
      assert(frame.seq === i, `reply ${r + 1}: audio seq ${frame.seq} arrived in position ${i}`);
      if (i > 0) assert(frame.clip >= reply[i - 1].clip, `reply ${r + 1}: clip ${frame.clip} after clip ${reply[i - 1].clip}`);
    });
    assert(reply[0].clip === 0, `reply ${r + 1} starts with clip 0`);
  }
  return replies;
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), "prepai-voice-"));
  let server;
  let browser;
  try {
    const answer = answerWav(work);
    log(`answer audio ${answer.path} (${answer.seconds.toFixed(1)} s), expecting ${answer.keywords.length ? answer.keywords.join(", ") : "any words"}`);

    if (process.env.PREPAI_E2E_SKIP_BUILD !== "1") {
      log("building the app (vite build)");
      buildApp();
    }
    server = await localServer(log);
    const { base } = server;
    const token = server.token("e2e-voice");
    assert(token?.startsWith("eyJ"), "minted a token");

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        `--use-file-for-fake-audio-capture=${answer.path}`,
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(["microphone"], { origin: base });
    // Counts the clips the page actually starts playing, and the activity states the page shows.
    await context.addInitScript(() => {
      const w = window;
      w.__prepaiVoice = { clipsStarted: 0, activities: [] };
      const start = AudioBufferSourceNode.prototype.start;
      AudioBufferSourceNode.prototype.start = function (...args) {
        w.__prepaiVoice.clipsStarted++;
        return start.apply(this, args);
      };
      setInterval(() => {
        const activity = document.querySelector("[data-activity]")?.getAttribute("data-activity");
        const seen = w.__prepaiVoice.activities;
        if (activity && seen.at(-1) !== activity) seen.push(activity);
      }, 25);
    });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    const pageErrors = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("response", (response) => {
      if (response.status() >= 500) log(`server error ${response.status()} for ${response.url()}`);
    });

    const received = [];
    const sent = [];
    page.on("websocket", (socket) => {
      const record = (into) => ({ payload }) => {
        try {
          into.push(JSON.parse(String(payload)));
        } catch {
          // not JSON
        }
      };
      socket.on("framereceived", record(received));
      socket.on("framesent", record(sent));
    });
    const audioFrames = () => received.filter((m) => m.type === "audio");
    const voiceMessage = () => received.find((m) => m.type === "voice");
    const clipsStarted = () => page.evaluate(() => window.__prepaiVoice.clipsStarted);

    log("sign in and create a session");
    await page.goto(base + "/");
    await page.getByLabel("Access token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Start a mock interview" }).waitFor();
    await page.getByLabel("Your name").fill("Grace Hopper");
    await page.getByRole("button", { name: "Start interview" }).click();
    await page.waitForURL(/\/sessions\/[0-9a-f-]{36}\/cv$/);
    await page.getByRole("link", { name: "Continue to the interview" }).click();

    log("start with voice");
    const voiceToggle = page.getByLabel(/Talk with the interviewer by voice/);
    assert(await voiceToggle.isEnabled(), "the browser offers a microphone (getUserMedia exists)");
    await voiceToggle.check();
    await page.getByRole("button", { name: "Start the interview" }).click();
    const interviewer = page.locator('.bubble[data-role="assistant"]:not(.bubble-pending)');
    await interviewer.first().waitFor();
    const deadline = Date.now() + 5_000;
    while (!voiceMessage() && Date.now() < deadline) await page.waitForTimeout(100);
    const voice = voiceMessage();
    if (!voice) throw new VoiceUnavailable("the server sent no `voice` message after start (a server without voice support)");
    log(`voice: ${JSON.stringify({ ...voice, type: undefined })}`);
    if (!voice.available || !voice.input) throw new VoiceUnavailable(voice.message ?? "the server says voice input is not available");
    const talk = page.getByRole("button", { name: /Hold to talk/ });
    await talk.waitFor();
    await checkAccessibility(page, "interview (voice)", log);

    if (voice.output) {
      log("the greeting is spoken: wait for it to play to the end");
      await page.waitForFunction(() => window.__prepaiVoice.clipsStarted > 0, null, { timeout: 30_000 });
      // Quiet: "Your turn" shown, and no new audio frame, for a second and a half.
      const quietBy = Date.now() + 60_000;
      let quietSince = Date.now();
      let frames = audioFrames().length;
      while (Date.now() - quietSince < 1_500) {
        assert(Date.now() < quietBy, "the greeting finished playing within a minute");
        await page.waitForTimeout(100);
        const idle = (await page.locator("[data-activity]").getAttribute("data-activity")) === "idle";
        if (!idle || audioFrames().length !== frames) quietSince = Date.now();
        frames = audioFrames().length;
      }
    }
    const clipsBefore = await clipsStarted();
    const audioBefore = audioFrames().length;
    const interviewerBefore = await interviewer.count();

    const holdMs = Number(process.env.PREPAI_VOICE_HOLD_MS) || Math.round(answer.seconds * 1000 + 400);
    log(`hold to talk for ${(holdMs / 1000).toFixed(1)} s`);
    await talk.hover();
    await page.mouse.down();
    await page.locator('[data-activity="listening"]').waitFor({ timeout: 5_000 });
    await page.waitForTimeout(holdMs);
    await page.mouse.up();
    const endBy = Date.now() + 5_000;
    while (!sent.slice(sent.findLastIndex((m) => m.type === "speech_start")).some((m) => m.type === "speech_end")) {
      assert(Date.now() < endBy, "speech_end was sent after releasing the button");
      await page.waitForTimeout(50);
    }

    const utteranceSent = sent.slice(sent.findLastIndex((m) => m.type === "speech_start"));
    const chunksSent = utteranceSent.filter((m) => m.type === "audio");
    const end = utteranceSent.find((m) => m.type === "speech_end");
    assert(chunksSent.length > 0, "audio chunks were sent");
    assert(end && end.chunks === chunksSent.length, `speech_end counts the ${chunksSent.length} chunks (got ${JSON.stringify(end)})`);
    assert(
      chunksSent.every((m, i) => m.seq === i),
      "audio chunks have consecutive seq from 0",
    );
    log(`sent ${chunksSent.length} audio chunks`);

    log("wait for the transcript");
    const userBubble = page.locator('.bubble[data-role="user"]:not(.bubble-pending)').last();
    const problem = page.locator(".notice-error");
    await Promise.race([
      userBubble.waitFor({ timeout: TRANSCRIPT_TIMEOUT }),
      problem.waitFor({ timeout: TRANSCRIPT_TIMEOUT }).then(async () => {
        throw new Error(`the page shows an error instead of the transcript: ${await problem.innerText()}`);
      }),
    ]);
    const transcript = (await userBubble.locator("p").innerText()).trim();
    log(`transcript: “${transcript}”`);
    const partials = received.filter((m) => m.type === "transcript" && m.is_final === false).length;
    log(`${partials} partial transcript message(s) before the final one`);
    assert(transcript.length > 0, "the transcript has words");
    const missing = answer.keywords.filter((w) => !transcript.toLowerCase().includes(w.toLowerCase()));
    assert(missing.length === 0, `the transcript has the answer's key words (missing ${missing.join(", ")})`);

    log("wait for the interviewer's reply");
    await page.waitForFunction(
      (n) => document.querySelectorAll('.bubble[data-role="assistant"]:not(.bubble-pending)').length > n,
      interviewerBefore,
      { timeout: 60_000 },
    );
    const replyText = (await interviewer.last().locator("p").innerText()).trim();
    log(`interviewer: “${replyText.slice(0, 120)}”`);
    assert(replyText.length > 0, "the spoken reply is also shown as text");

    if (!voice.output) {
      throw new Error("the server has no voice output (`output: false`), so no spoken reply can be checked");
    }
    log("wait for the spoken reply to play");
    await page.waitForFunction((n) => window.__prepaiVoice.clipsStarted > n, clipsBefore, { timeout: 60_000 });
    const replyFrames = audioFrames().slice(audioBefore);
    assert(replyFrames.length > 0, "audio frames arrived for the reply");
    const replies = checkAudioOrder(audioFrames());
    assert(replies.length >= 2, `the greeting and the answer's reply were both spoken (${replies.length} replies)`);
    const activities = await page.evaluate(() => window.__prepaiVoice.activities);
    assert(activities.includes("speaking"), `the page showed "speaking" (saw ${activities.join(" → ")})`);
    log(
      `${audioFrames().length} audio frames in ${replies.length} replies (${replies.map((r) => r.length).join(" + ")}), ` +
        `${await clipsStarted()} clips played; activity ${activities.join(" → ")}`,
    );
    await checkAccessibility(page, "interview (voice, after a spoken turn)", log);
    assert(pageErrors.length === 0, `no uncaught page errors (got ${pageErrors.join("; ")})`);
    log("passed");
  } catch (error) {
    if (error instanceof VoiceUnavailable) {
      console.error(`[e2e:voice] VOICE UNAVAILABLE: ${error.message}`);
      console.error("[e2e:voice] nothing was tested; exiting with code 3");
      process.exitCode = VOICE_UNAVAILABLE;
    } else {
      console.error(`[e2e:voice] FAILED: ${error.stack ?? error}`);
      if (server) console.error(server.output().slice(-3000));
      process.exitCode = 1;
    }
  } finally {
    await browser?.close().catch(() => {});
    await server?.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
