// What the end-to-end scripts share: a free port, the local server started on a temporary data directory, a token.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const web = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const repo = resolve(web, "..");
/** The server binary: PREPAI_LOCAL_BIN (relative to web/), default ../target/debug/prepai-local. */
export const bin = resolve(web, process.env.PREPAI_LOCAL_BIN ?? "../target/debug/prepai-local");

export function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

export function logger(name) {
  const started = Date.now();
  return (message) => console.log(`[${name} ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

export async function waitForServer(base, serverProcess) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (serverProcess.exitCode !== null) throw new Error(`prepai-local exited with ${serverProcess.exitCode}`);
    try {
      const response = await fetch(`${base}/config.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("prepai-local did not start listening within 30 s");
}

/** Builds the app into web/dist (as the server serves it). */
export function buildApp() {
  execFileSync(process.execPath, [join(web, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"], { cwd: web, stdio: "inherit" });
}

/**
 * A local server on a free port with a fresh data directory, serving web/dist. `restart()` starts it again on the
 * same port and data (after `stop`), `output()` is everything it printed, `dispose()` stops it and removes the data.
 */
export async function localServer(log, env = {}) {
  const data = mkdtempSync(join(tmpdir(), "prepai-e2e-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = "";
  let child = null;
  const start = () => {
    log(`starting ${bin} on ${base}`);
    child = spawn(bin, ["--addr", `127.0.0.1:${port}`, "--data", data, "--web-dir", join(web, "dist")], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env },
    });
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    return child;
  };
  const stop = async (signal = "SIGTERM") => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill(signal);
      await exited;
    }
  };
  start();
  try {
    await waitForServer(base, child);
  } catch (error) {
    await stop();
    rmSync(data, { recursive: true, force: true });
    console.error(output.slice(-2000));
    throw error;
  }
  return {
    base,
    data,
    get process() {
      return child;
    },
    output: () => output,
    token: (sub, extra = []) => execFileSync(bin, ["--data", data, "token", "--sub", sub, ...extra], { encoding: "utf8" }).trim().split(/\s+/).pop(),
    stop,
    restart: async () => {
      start();
      await waitForServer(base, child);
    },
    dispose: async () => {
      await stop();
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** The sign-in link the server printed at start (`http://…/#token=…`), or null. */
export function signInLink(output) {
  const match = /(http:\/\/\S+\/#token=\S+)/.exec(output);
  return match ? match[1] : null;
}

const axeSource = readFileSync(join(web, "node_modules/axe-core/axe.min.js"), "utf8");

/**
 * Runs axe-core (WCAG 2.x A and AA plus best practices) on the page as it is and fails on any serious or critical
 * violation, naming each with its nodes. Returns the count of violations of any impact, for the summary.
 */
export async function checkAccessibility(page, state, log) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  const blocking = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const minor = violations.filter((v) => !blocking.includes(v));
  log?.(`axe ${state}: ${blocking.length} serious/critical, ${minor.length} minor${minor.length ? ` (${minor.map((v) => v.id).join(", ")})` : ""}`);
  if (blocking.length > 0) {
    throw new Error(`accessibility (${state}): ${blocking.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.join(" | ")}`).join("; ")}`);
  }
  return violations.length;
}
