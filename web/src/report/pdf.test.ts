// @vitest-environment node
import fixture from "../__fixtures__/performance-report.json";
import type { ReportResponse } from "../api/types";
import { buildReportPdf, pdfSafe } from "./pdf";

describe("PDF export", () => {
  it("produces a real PDF from a real report", async () => {
    const blob = await buildReportPdf((fixture as unknown as ReportResponse).report);
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe("%PDF-");
    expect(bytes.length).toBeGreaterThan(3000);
  });

  it("keeps text within the built-in fonts' characters", () => {
    expect(pdfSafe("“Hi” — it’s… ✓")).toBe('"Hi" - it\'s... ?');
  });
});
