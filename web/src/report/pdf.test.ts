// @vitest-environment node
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fixture from "../__fixtures__/performance-report.json";
import voiceFixture from "../__fixtures__/performance-report-voice.json";
import type { Report, ReportResponse } from "../api/types";
import { buildReportPdf, pdfSafe } from "./pdf";

const report = (fixture as unknown as ReportResponse).report;
const font = (() => {
  const bytes = readFileSync(join(__dirname, "../../node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf"));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
})();
/** A 1×1 PNG, standing in for a rasterised chart (the browser makes the real ones). */
const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const text = async (blob: Blob) => new TextDecoder("latin1").decode(new Uint8Array(await blob.arrayBuffer()));

describe("PDF export", () => {
  it("produces a real PDF from a real report", async () => {
    const blob = await buildReportPdf(report, { font: null });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe("%PDF-");
    expect(bytes.length).toBeGreaterThan(3000);
  });

  it("embeds DejaVu Sans, subset, so Greek and Cyrillic print as written", async () => {
    const unicode: Report = { ...report, candidateName: "Ζωή Жукова", detailedFeedback: "Хорошо — καλή δουλειά, Zoë." };
    const pdf = await text(await buildReportPdf(unicode, { font }));
    expect(pdf).toContain("/FontFile2");
    expect(pdf).toContain("DejaVuSans");
    expect(pdf).toContain("/Identity-H");
    // The ToUnicode map names the code points drawn: Ж (U+0416), Ζ (U+0396), ë (U+00EB).
    for (const code of ["0416", "0396", "00eb"]) expect(pdf.toLowerCase()).toContain(`<${code}>`);
    // Subset: far smaller than the 757 KB font.
    expect(pdf.length).toBeLessThan(300_000);
  });

  it("draws the charts as images and the questions with what they earned", async () => {
    const withAnswers: Report = {
      ...report,
      answers: [
        {
          question: "How does a hash map handle collisions?",
          answer: "Chaining: each bucket keeps a list.",
          kind: "technical",
          score: 7.5,
          confidence: "rubric",
          keyPointsCredited: [{ point: "Chaining", sentence: "Chaining: each bucket keeps a list." }],
          keyPointsMissed: ["Open addressing"],
          redFlags: [{ claim: "Lookups are always constant", sentence: "It is always constant." }],
          integrity: [{ kind: "parroting" }],
        },
      ],
    };
    const chart = { dataUrl: PNG, width: 460, height: 320 };
    const pdf = await text(await buildReportPdf(withAnswers, { font: null, charts: { radar: chart, trend: chart } }));
    expect(pdf.match(/\/Subtype \/Image/g)?.length).toBeGreaterThanOrEqual(1);
    expect(pdf).toContain("How does a hash map handle collisions?");
    expect(pdf).toContain("missed: Open addressing");
    expect(pdf).toContain("Lookups are always constant");
    expect(pdf).toContain("mostly repeats the question");
  });

  it("includes a Delivery section for a spoken interview, and never a raw recommendation code", async () => {
    const { deliverySummary } = await import("./delivery");
    const spoken = (voiceFixture as unknown as ReportResponse).report;
    expect(deliverySummary(report)).toBeNull();
    expect(deliverySummary(spoken)).toMatchObject({ wordsPerMinute: 142.35, pace: "comfortable", fillerWordsPer100Words: 3.1 });
    const pdf = await text(await buildReportPdf({ ...spoken, recommendationReason: "capped at LEAN_HIRE because only 2 substantive answers" }, { font: null }));
    expect(pdf).toContain("Delivery");
    expect(pdf).toContain("142 words per minute");
    expect(pdf).not.toMatch(/LEAN_HIRE|NO_HIRE|STRONG_HIRE/);
  });

  it("keeps text within the built-in fonts' characters when no font is embedded", () => {
    expect(pdfSafe("“Hi” — it’s… ✓")).toBe('"Hi" - it\'s... ?');
  });
});
