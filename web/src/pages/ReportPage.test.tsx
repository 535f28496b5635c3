import { render, screen, within } from "@testing-library/react";
import fixture from "../__fixtures__/performance-report.json";
import voiceFixture from "../__fixtures__/performance-report-voice.json";
import type { Report, ReportResponse } from "../api/types";
import { ReportView } from "./ReportPage";

const report = (fixture as unknown as ReportResponse).report;
/** The same report for an interview answered by voice: `averageWordsPerMinute` and `fillerWordsPer100Words` set. */
const spokenReport = (voiceFixture as unknown as ReportResponse).report;

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

  it("has no Delivery section when no answer was spoken (averageWordsPerMinute is null)", () => {
    expect(report.metrics?.averageWordsPerMinute).toBeNull();
    render(<ReportView report={report} />);
    expect(screen.queryByTestId("delivery")).toBeNull();
    expect(screen.queryByRole("heading", { name: "Delivery" })).toBeNull();
  });

  it("shows pace and filler words in a Delivery section for a spoken interview", () => {
    expect(spokenReport.metrics?.averageWordsPerMinute).toBe(142.35);
    render(<ReportView report={spokenReport} />);
    const delivery = screen.getByRole("heading", { name: "Delivery" }).closest("section")!;
    expect(within(delivery).getByTestId("pace").textContent).toBe("142 words per minute");
    expect(within(delivery).getByTestId("filler-rate").textContent).toBe("3.1 per 100 words");
    expect(delivery.textContent).toContain("110–170 words per minute");
    expect(delivery.textContent).toContain("Within the comfortable band");
    expect(delivery.querySelector("[data-pace]")?.getAttribute("data-pace")).toBe("comfortable");
  });

  it("says when the pace is outside the comfortable band", () => {
    const fast: Report = { ...spokenReport, metrics: { ...spokenReport.metrics, averageWordsPerMinute: 205.2, fillerWordsPer100Words: null } };
    const { unmount } = render(<ReportView report={fast} />);
    expect(screen.getByTestId("pace").textContent).toBe("205 words per minute");
    expect(screen.getByTestId("delivery").textContent).toContain("A little fast");
    expect(screen.queryByTestId("filler-rate")).toBeNull();
    unmount();
    const slow: Report = { ...spokenReport, metrics: { ...spokenReport.metrics, averageWordsPerMinute: 92 } };
    render(<ReportView report={slow} />);
    expect(screen.getByTestId("delivery").textContent).toContain("A little slow");
  });
});
