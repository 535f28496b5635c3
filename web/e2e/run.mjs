// End to end in headless Chromium: the built app served by prepai-local (--web-dir), one candidate's whole
// interview — sign in, create, CV, three answers, coding problem with a right and a wrong solution, end, report,
// PDF export, history — with screenshots at desktop and phone sizes. Exits non-zero on any failed step.
import { readFileSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { printBundleSizes } from "../scripts/bundle-size.mjs";
import { assert, buildApp, localServer, logger, repo, web } from "./lib.mjs";

const artifacts = join(web, "test-artifacts");
const cvFixture = join(repo, "tests/fixtures/cv/01-ada-lovelace.pdf");
const started = Date.now();
const STEP_TIMEOUT = 15_000;
const log = logger("e2e");

/** The reference solution of a coding problem from the question bank (knowledge/coding/<id>.md). */
function referenceSolution(problemId, language) {
  const text = readFileSync(join(repo, "knowledge/coding", `${problemId}.md`), "utf8");
  const heading = language === "python" ? "## Python solution" : "## JavaScript solution";
  const match = new RegExp(`${heading}\\n\`\`\`\\w+\\n([\\s\\S]*?)\\n\`\`\``).exec(text);
  assert(match, `reference ${language} solution for ${problemId}`);
  return match[1];
}

async function main() {
  mkdirSync(artifacts, { recursive: true });
  log("building the app (vite build)");
  buildApp();
  printBundleSizes();

  const server = await localServer(log);
  const { base } = server;
  let browser;
  try {
    const token = server.token("e2e-candidate");
    assert(token?.startsWith("eyJ"), "minted a token");

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    const outside = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (!["127.0.0.1", "localhost"].includes(url.hostname) && !["data:", "blob:"].includes(url.protocol)) outside.push(request.url());
    });
    const pageErrors = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    let problemId = null;
    page.on("websocket", (socket) => {
      socket.on("framereceived", ({ payload }) => {
        try {
          const message = JSON.parse(String(payload));
          if (message.type === "coding_problem") problemId = message.problem.id;
        } catch {
          // not JSON
        }
      });
    });

    const shoot = async (name) => {
      await page.screenshot({ path: join(artifacts, `${name}-1280x800.png`), fullPage: true });
      await page.setViewportSize({ width: 375, height: 812 });
      await page.waitForTimeout(150);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(overflow <= 1, `${name}: no horizontal scrolling at 375 px (overflow ${overflow}px)`);
      await page.screenshot({ path: join(artifacts, `${name}-375x812.png`), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 800 });
    };

    log("sign in");
    await page.goto(base + "/");
    await page.getByLabel("Access token").waitFor();
    await shoot("01-sign-in");
    await page.getByLabel("Access token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Start a mock interview" }).waitFor();

    log("home page timing");
    await page.reload();
    await page.getByRole("button", { name: "Start interview" }).waitFor();
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      return { domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, interactive: performance.now() };
    });
    console.log(
      `home page: domContentLoaded ${timing.domContentLoaded.toFixed(0)} ms, loadEventEnd ${timing.load.toFixed(0)} ms, ` +
        `start button usable by ${timing.interactive.toFixed(0)} ms (time-to-interactive proxy)`,
    );
    await page.getByText("No interviews yet").waitFor();
    await shoot("02-home");

    log("create a Coding session");
    await page.getByText("Coding", { exact: true }).click();
    await page.getByLabel("Your name").fill("Ada Lovelace");
    await page.getByRole("button", { name: "Start interview" }).click();
    await page.waitForURL(/\/sessions\/[0-9a-f-]{36}\/cv$/);
    const sessionId = /sessions\/([0-9a-f-]{36})\//.exec(page.url())[1];
    await page.getByRole("heading", { name: "Add your resume" }).waitFor();

    log("upload the CV");
    await page.getByTestId("cv-input").setInputFiles(cvFixture);
    await page.getByRole("heading", { name: "What we found" }).waitFor();
    for (const skill of ["Python", "Kubernetes", "PostgreSQL"]) {
      await page.locator(".tag", { hasText: skill }).first().waitFor();
    }
    assert((await page.getByLabel("Name", { exact: true }).inputValue()) === "Ada Lovelace", "CV name read");
    await shoot("03-cv");

    log("start the interview");
    await page.getByRole("link", { name: "Continue to the interview" }).click();
    await page.getByRole("button", { name: "Start the interview" }).click();
    const interviewer = page.locator('.bubble[data-role="assistant"]:not(.bubble-pending)');
    await interviewer.first().waitFor();
    const answers = [
      "I would use a hash map from each value to its index so every lookup is O(1) on average, trading memory for speed; with a bad hash function collisions make it degrade to O(n).",
      "A binary heap is a complete binary tree stored in an array where each parent is at most its children, so push and pop cost O(log n) and peek is O(1); it fits top-k and scheduling problems.",
      "Breadth-first search explores level by level with a queue and finds shortest paths in unweighted graphs, while depth-first search goes deep with a stack or recursion and suits cycle detection and topological sort.",
    ];
    const answerBox = page.getByLabel("Your answer");
    const say = async (text) => {
      const before = await interviewer.count();
      await answerBox.fill(text);
      await page.getByRole("button", { name: "Send", exact: true }).click();
      await page.locator(`.bubble[data-role="user"]`, { hasText: text.slice(0, 40) }).last().waitFor();
      await page.waitForFunction(
        (n) => document.querySelectorAll('.bubble[data-role="assistant"]:not(.bubble-pending)').length > n,
        before,
      );
    };
    for (const [i, answer] of answers.entries()) {
      if (i === 2) {
        log("the server dies mid-interview: the page reconnects and resumes");
        const bubblesBefore = await page.locator(".bubble").count();
        await server.stop("SIGKILL");
        await page.locator(".connection-reconnecting").waitFor();
        await shoot("04-interview-reconnecting");
        await server.restart();
        await page.locator(".connection-open").waitFor({ timeout: 20_000 });
        assert((await page.locator(".bubble").count()) >= bubblesBefore, "the transcript is back after reconnecting");
      }
      log(`answer ${i + 1}`);
      await say(answer);
    }
    await shoot("04-interview");

    log("move on to the coding problem");
    for (let i = 0; i < 10 && !(await page.locator(".code-panel").isVisible()); i++) await say("skip");
    await page.locator(".code-panel").waitFor();
    assert(problemId, "a coding_problem message arrived");
    log(`problem ${problemId}`);

    const editor = page.locator(".cm-content");
    const typeCode = async (code) => {
      await editor.click();
      await page.keyboard.press("Control+A");
      await page.keyboard.press("Delete");
      await page.keyboard.insertText(code);
    };
    await typeCode(referenceSolution(problemId, "python"));
    await page.getByRole("button", { name: "Run tests" }).click();
    await page.locator('[data-verdict="Accepted"]').waitFor();
    const passed = await page.locator(".test-pass").count();
    assert(passed > 0 && (await page.locator(".test-fail").count()) === 0, `all tests pass (${passed})`);
    await shoot("05-code-accepted");

    log("run a wrong solution");
    const fn = (await page.locator(".editor-toolbar .mono").textContent()).trim();
    await typeCode(`def ${fn}(*args):\n    return None\n`);
    await page.getByRole("button", { name: "Run tests" }).click();
    await page.locator("[data-verdict]:not([data-verdict=Accepted])").waitFor();
    assert((await page.locator(".test-fail").count()) > 0, "failing tests are listed");
    await page.locator(".test-fail .test-io", { hasText: "expected" }).first().waitFor();
    await shoot("06-code-wrong");

    log("end the interview");
    await page.getByRole("button", { name: "End interview" }).click();
    await page.getByRole("alertdialog").waitFor();
    await page.getByRole("button", { name: "End and see report" }).click();
    await page.waitForURL(new RegExp(`/sessions/${sessionId}/report$`), { timeout: 30_000 });
    await page.getByTestId("radar-chart").waitFor();
    assert((await page.getByTestId("radar-chart").locator("circle").count()) === 5, "radar has five metrics");
    const overall = Number(await page.getByTestId("overall-score").textContent());
    assert(overall >= 0 && overall <= 10, `overall score ${overall}`);
    await shoot("07-report");

    log("export the PDF");
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 20_000 }), page.getByRole("button", { name: "Export PDF" }).click()]);
    const pdfPath = join(artifacts, "report.pdf");
    await download.saveAs(pdfPath);
    const pdf = readFileSync(pdfPath);
    assert(pdf.subarray(0, 4).toString("latin1") === "%PDF", "the download is a PDF");
    assert(statSync(pdfPath).size > 3000, `PDF is not trivial (${pdf.length} bytes)`);
    log(`PDF ${download.suggestedFilename()} ${pdf.length} bytes`);

    log("find the session on Home");
    await page.getByRole("link", { name: "Home", exact: true }).click();
    const row = page.locator(`[data-session-id="${sessionId}"]`);
    await row.waitFor();
    assert((await row.locator(".status").textContent()) === "Ended", "session shows as ended");
    assert((await row.locator(".session-score strong").textContent()).trim() === overall.toFixed(1), "history shows the score");
    await shoot("08-home-history");

    log("progress page");
    await page.getByRole("link", { name: "Progress", exact: true }).click();
    await page.getByTestId("trend-chart").first().waitFor();
    await page.getByTestId("benchmark").waitFor();
    await shoot("09-progress");

    log("delete asks for confirmation");
    await page.getByRole("link", { name: "Home", exact: true }).click();
    await row.getByRole("button", { name: /Delete/ }).click();
    await page.getByRole("alertdialog").waitFor();
    await shoot("10-delete-confirm");
    await page.getByRole("button", { name: "Cancel" }).click();
    assert(await row.isVisible(), "cancel keeps the session");

    assert(outside.length === 0, `no requests to other hosts (got ${outside.join(", ")})`);
    assert(pageErrors.length === 0, `no uncaught page errors (got ${pageErrors.join("; ")})`);
    log(`passed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${artifacts}`);
  } finally {
    await browser?.close().catch(() => {});
    await server.dispose();
    if (process.exitCode) console.error(server.output().slice(-2000));
  }
}

main().catch((error) => {
  console.error(`[e2e] FAILED: ${error.stack ?? error}`);
  process.exitCode = 1;
});
