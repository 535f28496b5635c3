// @vitest-environment node
import fixture from "../__fixtures__/performance-report.json";
import voiceFixture from "../__fixtures__/performance-report-voice.json";
import type { ReportResponse } from "../api/types";
import { buildReportPdf, pdfSafe } from "./pdf";

describe("PDF export", () => {
  it("produces a real PDF from a real report", async () => {
    const blob = await buildReportPdf((fixture as unknown as ReportResponse).report);
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe("%PDF-");
    expect(bytes.length).toBeGreaterThan(3000);
  });

  it("includes a Delivery section for a spoken interview", async () => {
    const { deliverySummary } = await import("./delivery");
    const spoken = (voiceFixture as unknown as ReportResponse).report;
    expect(deliverySummary((fixture as unknown as ReportResponse).report)).toBeNull();
    expect(deliverySummary(spoken)).toMatchObject({ wordsPerMinute: 142.35, pace: "comfortable", fillerWordsPer100Words: 3.1 });
    const blob = await buildReportPdf(spoken);
    const text = new TextDecoder("latin1").decode(new Uint8Array(await blob.arrayBuffer()));
    expect(text).toContain("Delivery");
    expect(text).toContain("142 words per minute");
  });

  it("keeps text within the built-in fonts' characters", () => {
    expect(pdfSafe("“Hi” — it’s… ✓")).toBe('"Hi" - it\'s... ?');
  });
});
