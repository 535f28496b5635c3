import { render, screen, within } from "@testing-library/react";
import fixture from "../__fixtures__/performance-report.json";
import type { Report, ReportResponse } from "../api/types";
import { ReportView } from "./ReportPage";

const report = (fixture as unknown as ReportResponse).report;

describe("report rendering (real report from the local server)", () => {
  it("shows the overall score, recommendation and a radar of the five metrics", () => {
    render(<ReportView report={report} />);
    expect(screen.getByTestId("overall-score").textContent).toBe(report.overallScore.toFixed(1));
    expect(screen.getByTestId("recommendation").textContent).toBe("Lean no hire");
    const radar = screen.getByTestId("radar-chart");
    expect(radar.getAttribute("aria-label")).toContain("Code quality 10.0 of 10");
    expect(radar.getAttribute("aria-label")).toContain("Cultural fit not assessed");
    expect(radar.querySelectorAll("circle")).toHaveLength(5);
  });

  it("lists each score with its evidence", () => {
    render(<ReportView report={report} />);
    const scores = screen.getByRole("heading", { name: "Scores and evidence" }).closest("section")!;
    expect(within(scores).getByText("Technical knowledge")).toBeTruthy();
    expect(within(scores).getByText("not assessed")).toBeTruthy();
    expect(within(scores).getByText(report.evidence.codeQuality!.summary, { exact: false })).toBeTruthy();
    expect(within(scores).getAllByText(/final attempt passed 8\/8 tests/).length).toBeGreaterThan(0);
  });

  it("shows strengths and improvements", () => {
    render(<ReportView report={report} />);
    for (const text of [...report.strengths, ...report.improvements]) {
      expect(screen.getAllByText(text).length).toBeGreaterThan(0);
    }
  });

  it("shows delivery only when the report has it", () => {
    const { unmount } = render(<ReportView report={report} />);
    expect(screen.queryByTestId("delivery")).toBeNull();
    unmount();
    const spoken: Report = { ...report, delivery: { wordsPerMinute: 142.4, fillerWords: { um: 3, like: 5 }, fillerWordsPer100Words: 2.5 } };
    render(<ReportView report={spoken} />);
    const delivery = screen.getByTestId("delivery");
    expect(within(delivery).getByText("142")).toBeTruthy();
    expect(within(delivery).getByText("2.5")).toBeTruthy();
    expect(within(delivery).getByText("“like” × 5, “um” × 3")).toBeTruthy();
  });
});
