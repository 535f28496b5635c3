// End to end in headless Chromium: the built app served by prepai-local (--web-dir), one candidate's whole loop —
// the sign-in link, create, CV upload and corrections, answers, a killed and restarted server, the coding problem
// with a right and a wrong solution, a reload mid-coding (code, results and conversation come back, no second
// greeting), a dropped connection that keeps the draft, end, the report (feedback, questions, transcript, evidence,
// code runs), the PDF (chart images, non-Latin text), progress without typing a name, a whole interview by keyboard,
// error pages, a short-lived token renewed before it expires — with axe-core on every page state and screenshots at
// desktop and phone sizes. Exits non-zero on any failed step.
import { execFileSync } from "node:child_process";
import { readFileSync, mkdirSync, statSync, existsSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { printBundleSizes } from "../scripts/bundle-size.mjs";
import { assert, buildApp, checkAccessibility, localServer, logger, repo, signInLink, web } from "./lib.mjs";

const artifacts = join(web, "test-artifacts");
const cvFixture = join(repo, "tests/fixtures/cv/01-ada-lovelace.pdf");
const started = Date.now();
const STEP_TIMEOUT = 15_000;
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 800 };
/** The candidate's name: Latin, Greek and Cyrillic, so the PDF must carry all three. */
const NAME = "Ada Ζωή Жукова";
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
  if (process.env.PREPAI_E2E_SKIP_BUILD !== "1") {
    log("building the app (vite build)");
    buildApp();
  }
  printBundleSizes();

  const server = await localServer(log);
  const { base } = server;
  let browser;
  let axeStates = 0;
  const a11y = async (page, state) => {
    await checkAccessibility(page, state, log);
    axeStates += 1;
  };
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
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

    const shoot = async (name, state) => {
      await page.screenshot({ path: join(artifacts, `${name}-1280x800.png`), fullPage: true });
      if (state) await a11y(page, `${state} (desktop)`);
      await page.setViewportSize(PHONE);
      await page.waitForTimeout(200);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(overflow <= 1, `${name}: no horizontal scrolling at 375 px (overflow ${overflow}px)`);
      await page.screenshot({ path: join(artifacts, `${name}-375x812.png`), fullPage: true });
      if (state) await a11y(page, `${state} (phone)`);
      await page.setViewportSize(DESKTOP);
    };
    /** Whether a locator's box lies within the first screen (page scrolled to the top). */
    const onFirstScreen = async (locator) => {
      await page.evaluate(() => window.scrollTo(0, 0));
      const box = await locator.boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= page.viewportSize().height;
    };
    const apiCall = (method, path, body) =>
      page.evaluate(
        async ({ method, path, body }) => {
          const response = await fetch(path, {
            method,
            headers: { Authorization: `Bearer ${sessionStorage.getItem("prepai.token")}`, "Content-Type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          return { status: response.status, body: await response.json() };
        },
        { method, path, body },
      );

    log("the sign-in page without a token");
    await page.goto(base + "/");
    await page.getByLabel("Access token").waitFor();
    await shoot("01-sign-in", "sign-in");

    log("sign in with the link the server printed");
    const link = signInLink(server.output());
    assert(link?.startsWith(`${base}/#token=eyJ`), `the server printed a sign-in link for ${base} (got ${link})`);
    const token = link.split("#token=")[1];
    await page.goto(link);
    await page.getByRole("heading", { name: "Start a mock interview" }).waitFor();
    assert(!page.url().includes("token"), `the address bar is clean (${page.url()})`);
    assert((await page.evaluate(() => location.hash)) === "", "no fragment left");
    assert((await page.evaluate(() => sessionStorage.getItem("prepai.token"))) === token, "the token is kept in the tab");
    const requestLines = server.output().split("\n").filter((l) => /\b(GET|POST|PUT|DELETE) \//.test(l));
    assert(requestLines.length > 0 && requestLines.every((l) => !l.includes(token)), "the token never appears in a logged request");

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
    await shoot("02-home", "home");
    await page.setViewportSize(PHONE);
    assert(await onFirstScreen(page.getByRole("button", { name: "Start interview" })), "phone: Start interview is on the first screen");
    await page.setViewportSize(DESKTOP);

    log("create a Coding session");
    await page.getByText("Coding", { exact: true }).click();
    await page.getByLabel("Your name").fill(NAME);
    await page.getByRole("button", { name: "Start interview" }).click();
    await page.waitForURL(/\/sessions\/[0-9a-f-]{36}\/cv$/);
    const sessionId = /sessions\/([0-9a-f-]{36})\//.exec(page.url())[1];
    await page.getByRole("heading", { name: "Add your resume" }).waitFor();

    log("upload the CV, correct it, save");
    await page.getByTestId("cv-input").setInputFiles(cvFixture);
    await page.getByRole("heading", { name: "What we found" }).waitFor();
    for (const skill of ["Python", "Kubernetes", "PostgreSQL"]) {
      await page.locator(".tag", { hasText: skill }).first().waitFor();
    }
    assert((await page.getByLabel("Name", { exact: true }).inputValue()) === "Ada Lovelace", "CV name read");
    await page.getByRole("button", { name: "Remove PostgreSQL" }).click();
    await page.getByLabel("Add a skill").fill("Analytical Engines");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByRole("button", { name: "Save corrections" }).click();
    await page.getByText("Corrections saved").waitFor();
    const stored = await apiCall("GET", `/api/interviews/${sessionId}/cv-analysis`);
    assert(stored.body.analysis.skills.includes("Analytical Engines"), "the added skill is saved on the server");
    assert(!stored.body.analysis.skills.includes("PostgreSQL"), "the removed skill is gone on the server");
    await shoot("03-cv", "cv");

    log("start the interview");
    await page.getByRole("link", { name: "Continue to the interview" }).click();
    await page.getByRole("button", { name: "Start the interview" }).waitFor();
    await a11y(page, "interview start panel");
    await page.setViewportSize(PHONE);
    assert(await onFirstScreen(page.getByRole("button", { name: "Start the interview" })), "phone: Start the interview is on the first screen");
    await page.setViewportSize(DESKTOP);
    await page.getByRole("button", { name: "Start the interview" }).click();
    const interviewer = page.locator('.bubble[data-role="assistant"]:not(.bubble-pending)');
    await interviewer.first().waitFor();
    const greetings = () => page.locator('.bubble[data-role="assistant"]', { hasText: "I'm your interviewer" }).count();
    assert((await greetings()) === 1, "one greeting");
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
    assert((await page.getByTestId("question-counter").textContent()).startsWith("Question "), "the question counter counts");
    await page.getByLabel("Timer").check();
    assert(/^\d\d:\d\d$/.test(await page.getByTestId("timer").textContent()), "the timer shows mm:ss");
    await shoot("04-interview", "interview (text)");

    log("move on to the coding problem");
    for (let i = 0; i < 10 && !(await page.locator(".code-panel").isVisible()); i++) await say("skip");
    await page.locator(".code-panel").waitFor();
    assert(problemId, "a coding_problem message arrived");
    log(`problem ${problemId}`);

    const editor = page.locator(".cm-content");
    const editorText = () => editor.evaluate((el) => el.cmView?.view?.state.doc.toString() ?? el.innerText);
    const typeCode = async (code) => {
      await editor.click();
      await page.keyboard.press("Control+A");
      await page.keyboard.press("Delete");
      await page.keyboard.insertText(code);
    };
    const reference = referenceSolution(problemId, "python");
    await typeCode(reference);
    await page.getByRole("button", { name: "Run tests" }).click();
    await page.locator('[data-verdict="Accepted"]').waitFor();
    const passed = await page.locator(".test-pass").count();
    assert(passed > 0 && (await page.locator(".test-fail").count()) === 0, `all tests pass (${passed})`);
    await shoot("05-code-accepted", "interview (coding)");

    log("phone: the editor and the results without scrolling past the chat");
    await page.setViewportSize(PHONE);
    await page.getByRole("tab", { name: /Code/ }).click();
    assert(!(await page.locator(".conversation-card").isVisible()), "phone: the code tab hides the conversation");
    assert(await onFirstScreen(page.locator(".problem-header")), "phone: the problem starts on the first screen");
    await page.getByRole("tab", { name: "Conversation" }).click();
    assert(!(await page.locator(".code-panel").isVisible()), "phone: the conversation tab hides the code");
    await page.getByRole("tab", { name: /Code/ }).click();
    await page.getByRole("button", { name: "Run tests" }).click();
    await page.waitForFunction(() => !document.querySelector(".code-panel button.button[disabled]"));
    await page.waitForTimeout(800);
    const resultsBox = await page.locator(".test-results").boundingBox();
    assert(resultsBox && resultsBox.y < PHONE.height && resultsBox.y + 40 > 0, `phone: the results are in view after a run (${JSON.stringify(resultsBox)})`);
    await page.screenshot({ path: join(artifacts, "05-code-phone-results-375x812.png") });
    await page.setViewportSize(DESKTOP);

    log("reload mid-coding: conversation, code and results come back, no second greeting");
    const draft = `${reference}\n# kept across a reload`;
    await typeCode(draft);
    await page.getByTestId("draft-state").filter({ hasText: "Draft saved" }).waitFor();
    const bubblesBeforeReload = await page.locator(".bubble").count();
    await page.reload();
    await page.locator(".code-panel").waitFor();
    await page.waitForFunction(() => document.querySelector(".cm-content")?.textContent?.includes("# kept across a reload"));
    await page.locator('[data-verdict="Accepted"]').waitFor();
    await page.waitForFunction((n) => document.querySelectorAll(".bubble").length >= n, bubblesBeforeReload);
    assert((await greetings()) === 1, `no second greeting after the reload (${await greetings()})`);
    assert(!(await page.getByRole("button", { name: "Start the interview" }).isVisible()), "no start button after a reload");

    log("a dropped connection keeps the draft and saves it once the server is back");
    await server.stop("SIGKILL");
    await page.locator(".connection-reconnecting").waitFor();
    await editor.click();
    await page.keyboard.press("Control+End");
    await page.keyboard.insertText("\n# typed while offline");
    await page.getByTestId("draft-state").filter({ hasText: "Offline" }).waitFor();
    await server.restart();
    await page.getByTestId("draft-state").filter({ hasText: "Draft saved" }).waitFor({ timeout: 20_000 });
    const drafts = await apiCall("GET", `/api/interviews/${sessionId}/drafts`);
    assert(drafts.status === 200 && drafts.body.drafts.some((d) => d.code.includes("# typed while offline")), "the offline edit reached the server");
    assert((await editorText()).includes("# typed while offline"), "the editor still shows the offline edit");
    await page.locator(".connection-open").waitFor({ timeout: 20_000 });

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
    await a11y(page, "end dialog");
    await page.getByRole("button", { name: "End and see report" }).click();
    await page.waitForURL(new RegExp(`/sessions/${sessionId}/report$`), { timeout: 30_000 });
    await page.getByTestId("radar-chart").waitFor();
    assert((await page.getByTestId("radar-chart").locator("circle").count()) === 5, "radar has five metrics");
    const overall = Number(await page.getByTestId("overall-score").textContent());
    assert(overall >= 0 && overall <= 10, `overall score ${overall}`);

    log("the report: feedback, questions, transcript, evidence, code runs, trend");
    await page.getByTestId("detailed-feedback").waitFor();
    const answerItems = await page.getByTestId("answer").count();
    assert(answerItems >= 3, `each answer under its question (${answerItems})`);
    assert((await page.getByTestId("answer").first().locator("h3").textContent()).length > 10, "the question is shown");
    await page.getByTestId("transcript").locator("summary").click();
    assert((await page.getByTestId("transcript").textContent()).includes("Breadth-first search"), "the transcript has the answers");
    assert((await page.getByTestId("evidence").count()) >= 3, "evidence per metric");
    const runs = await page.getByTestId("submissions").locator("tbody tr").count();
    assert(runs >= 3, `the code runs over time (${runs})`);
    assert((await page.getByTestId("submissions").textContent()).includes("All tests pass"), "the accepted run is listed");
    await page.getByTestId("trend-chart").waitFor();
    const bodyText = await page.locator("main").textContent();
    assert(!/\b(STRONG_HIRE|LEAN_HIRE|LEAN_NO_HIRE|NO_HIRE)\b/.test(bodyText), "no raw recommendation code on the report");
    await shoot("07-report", "report");

    log("phone: chart labels are at least 11 px");
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(300);
    const smallest = await page.evaluate(() =>
      Math.min(
        ...[...document.querySelectorAll("svg[data-testid] text")].map((t) => {
          const svg = t.closest("svg");
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return parseFloat(getComputedStyle(t).fontSize) * scale;
        }),
      ),
    );
    assert(smallest >= 11, `chart labels at 375 px are at least 11 px (smallest ${smallest.toFixed(1)} px)`);
    log(`smallest chart label at 375 px: ${smallest.toFixed(1)} px`);
    await page.setViewportSize(DESKTOP);

    log("export the PDF");
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 30_000 }), page.getByRole("button", { name: "Export PDF" }).click()]);
    const pdfPath = join(artifacts, "report.pdf");
    await download.saveAs(pdfPath);
    const pdf = readFileSync(pdfPath);
    const pdfText = pdf.toString("latin1");
    assert(pdfText.startsWith("%PDF"), "the download is a PDF");
    const images = (pdfText.match(/\/Subtype \/Image/g) ?? []).length;
    assert(images >= 2, `the PDF holds the radar and trend charts as images (${images})`);
    assert(pdfText.includes("/FontFile2") && pdfText.includes("DejaVuSans"), "the PDF embeds DejaVu Sans");
    for (const code of ["0416", "0396"]) assert(pdfText.toLowerCase().includes(`<${code}>`), `the PDF maps U+${code} (Cyrillic Ж, Greek Ζ)`);
    if (existsSync("/usr/bin/pdftotext")) {
      const extracted = execFileSync("/usr/bin/pdftotext", ["-enc", "UTF-8", pdfPath, "-"], { encoding: "utf8" });
      assert(extracted.includes("Жукова") && extracted.includes("Ζωή"), "pdftotext reads the Greek and Cyrillic name back");
      assert(extracted.includes("Question by question"), "the PDF has the questions");
      assert(!/\b(LEAN_HIRE|LEAN_NO_HIRE|STRONG_HIRE|NO_HIRE)\b/.test(extracted), "no raw recommendation code in the PDF");
    }
    assert(statSync(pdfPath).size < 1_000_000, `the PDF stays small (${pdf.length} bytes)`);
    log(`PDF ${download.suggestedFilename()} ${pdf.length} bytes, ${images} images`);

    log("find the session on Home");
    await page.getByRole("link", { name: "Home", exact: true }).click();
    const row = page.locator(`[data-session-id="${sessionId}"]`);
    await row.waitFor();
    assert((await row.locator(".status").textContent()) === "Ended", "session shows as ended");
    assert((await row.locator(".session-score strong").textContent()).trim() === overall.toFixed(1), "history shows the score");
    assert(!(await row.textContent()).includes("_"), "the outcome is in words");
    await shoot("08-home-history", "home with history");

    log("progress page: the caller's own history, no name to type");
    await page.getByRole("link", { name: "Progress", exact: true }).click();
    await page.getByTestId("trend-chart").first().waitFor();
    assert((await page.getByLabel("Candidate name").count()) === 0, "no name to type");
    await page.getByTestId("outcomes").waitFor();
    const outcomes = await page.getByTestId("outcomes").locator("li span").allTextContents();
    assert(outcomes.join("|") === "Strong hire|Hire|Leaning hire|Leaning no hire|No hire", `outcomes strongest first (${outcomes})`);
    await page.getByTestId("benchmark-withheld").waitFor();
    await shoot("09-progress", "progress");

    log("a whole interview by keyboard");
    const created = await apiCall("POST", "/api/sessions/create", { interview_type: "Behavioral", candidate_name: "Keyboard User" });
    const keyboardSession = created.body.session_id;
    await page.goto(`${base}/sessions/${keyboardSession}/interview`);
    await page.getByRole("button", { name: "Start the interview" }).waitFor();
    const tabTo = async (predicate, what) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press("Tab");
        if (await page.evaluate(predicate)) return;
      }
      throw new Error(`keyboard: could not reach ${what} with Tab`);
    };
    await tabTo(() => document.activeElement?.textContent === "Start the interview", "Start the interview");
    await page.keyboard.press("Enter");
    await interviewer.first().waitFor();
    await tabTo(() => document.activeElement?.getAttribute("aria-label") === "Conversation", "the conversation log (scrollable region)");
    await tabTo(() => document.activeElement?.tagName === "TEXTAREA", "the answer box");
    const beforeKeyboard = await interviewer.count();
    await page.keyboard.type("In my last role I led a migration and we cut costs by 30 percent.");
    await page.keyboard.press("Enter");
    await page.waitForFunction((n) => document.querySelectorAll('.bubble[data-role="assistant"]:not(.bubble-pending)').length > n, beforeKeyboard);
    await tabTo(() => document.activeElement?.textContent === "End interview", "End interview");
    await page.keyboard.press("Enter");
    await page.getByRole("alertdialog").waitFor();
    await page.keyboard.press("Tab");
    assert((await page.evaluate(() => document.activeElement?.textContent)) === "End and see report", "Tab moves within the dialog");
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`/sessions/${keyboardSession}/report$`), { timeout: 30_000 });
    await page.getByTestId("overall-score").waitFor();

    log("error states: an unfinished interview's report, a missing session");
    const unfinished = await apiCall("POST", "/api/sessions/create", { interview_type: "AWS SA", candidate_name: "Not Done" });
    await page.goto(`${base}/sessions/${unfinished.body.session_id}/report`);
    await page.getByTestId("unfinished").waitFor();
    assert(!(await page.locator("main").textContent()).includes("POST /api"), "no raw API message");
    await shoot("10-report-unfinished", "report of an unfinished interview");
    await page.goto(`${base}/sessions/00000000-0000-4000-8000-000000000000/report`);
    await page.getByRole("alert").waitFor();
    await shoot("11-not-found", "error (not found)");

    log("delete asks for confirmation");
    await page.goto(base + "/");
    await row.getByRole("button", { name: /Delete/ }).click();
    await page.getByRole("alertdialog").waitFor();
    await shoot("12-delete-confirm", "delete dialog");
    await page.getByRole("button", { name: "Cancel" }).click();
    assert(await row.isVisible(), "cancel keeps the session");

    log("a token about to expire is renewed before it does");
    const shortLived = server.token("local-user", ["--seconds", "20"]);
    const minted = Date.now();
    const fresh = await browser.newContext({ viewport: DESKTOP });
    const tab = await fresh.newPage();
    tab.setDefaultTimeout(STEP_TIMEOUT);
    const refreshes = [];
    tab.on("request", (request) => {
      if (request.url().endsWith("/api/auth/local-refresh")) refreshes.push(request.url());
    });
    await tab.goto(`${base}/#token=${shortLived}`);
    await tab.getByRole("heading", { name: "Start a mock interview" }).waitFor();
    await tab.waitForTimeout(Math.max(0, minted + 24_000 - Date.now()));
    await tab.getByRole("link", { name: "Progress", exact: true }).click();
    await tab.getByTestId("outcomes").waitFor();
    assert(refreshes.length >= 1, "the app asked for a fresh token");
    const renewed = await tab.evaluate(() => sessionStorage.getItem("prepai.token"));
    assert(renewed && renewed !== shortLived, "the tab holds the renewed token");
    assert(!(await tab.getByLabel("Access token").isVisible()), "still signed in after the first token expired");
    await fresh.close();

    assert(outside.length === 0, `no requests to other hosts (got ${outside.join(", ")})`);
    assert(pageErrors.length === 0, `no uncaught page errors (got ${pageErrors.join("; ")})`);
    log(`passed in ${((Date.now() - started) / 1000).toFixed(1)} s; axe ran on ${axeStates} page states; screenshots in ${artifacts}`);
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
