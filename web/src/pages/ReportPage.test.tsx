import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import fixture from "../__fixtures__/performance-report.json";
import voiceFixture from "../__fixtures__/performance-report-voice.json";
import { ApiError } from "../api/errors";
import type { Report, ReportResponse } from "../api/types";
import { ReportPage, ReportView, typeTrend } from "./ReportPage";

const api = vi.hoisted(() => ({
  ownHistory: vi.fn(),
  submissions: vi.fn(),
  transcript: vi.fn(),
  report: vi.fn(),
  endInterview: vi.fn(),
}));
vi.mock("../api/client", () => ({ api }));

beforeEach(() => {
  api.ownHistory.mockResolvedValue({ scope: "own", total_interviews: 0, by_type: [], outcomes: [], scores_over_time: [] });
  api.submissions.mockResolvedValue({ submissions: [] });
  api.transcript.mockResolvedValue({ transcript: [] });
});

const report = (fixture as unknown as ReportResponse).report;
/** The same report for an interview answered by voice: `averageWordsPerMinute` and `fillerWordsPer100Words` set. */
const spokenReport = (voiceFixture as unknown as ReportResponse).report;

describe("report rendering (real report from the local server)", () => {
  it("shows the overall score, recommendation and a radar of the five metrics", () => {
    render(<ReportView report={report} />);
    expect(screen.getByTestId("overall-score").textContent).toBe(report.overallScore.toFixed(1));
    expect(screen.getByTestId("recommendation").textContent).toBe("Leaning no hire");
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

  it("puts each answer under its question with what it earned, and never shows a raw recommendation code", () => {
    const reviewed: Report = {
      ...report,
      recommendationReason: "LEAN_NO_HIRE band; capped at LEAN_HIRE because only 2 substantive answers",
      detailedFeedback: "A solid start.\n\nWork on trade-offs.",
      answers: [
        {
          question: "How does a hash map handle collisions?",
          followUps: ["And when the table fills up?"],
          answer: "Chaining: each bucket keeps a list.",
          kind: "technical",
          score: 6.5,
          confidence: "rubric",
          keyPointsCredited: [
            { point: "Separate chaining", sentence: "Chaining: each bucket keeps a list." },
            { point: "Resizing", sentence: "It doubles and rehashes past a load factor.", hinted: true },
          ],
          keyPointsMissed: ["Open addressing", "Resizing at a load factor"],
          redFlags: [{ claim: "Lookups are always O(1)", sentence: "It is always O(1)." }],
          integrity: [{ kind: "reusedAnswer", same_as_question: "What is a set?" }],
        },
      ],
      integrity: [{ kind: "unsolvedProblem", problem: "two-sum" }],
    };
    render(<ReportView report={reviewed} />);
    const answer = screen.getByTestId("answer");
    expect(within(answer).getByRole("heading", { name: "How does a hash map handle collisions?" })).toBeTruthy();
    expect(answer.textContent).toContain("Separate chaining");
    expect(answer.textContent).toContain("Chaining: each bucket keeps a list.");
    const points = within(answer).getAllByRole("listitem").map((li) => li.textContent ?? "");
    expect(points.find((p) => p.startsWith("Separate chaining"))).not.toContain("half credit");
    expect(points.find((p) => p.startsWith("Resizing —"))).toContain("once the interviewer had pointed at it: half credit");
    expect(answer.textContent).toContain("Resizing at a load factor");
    expect(answer.textContent).toContain("Lookups are always O(1)");
    expect(answer.textContent).toContain("already given to “What is a set?”");
    expect(screen.getByTestId("integrity").textContent).toContain("two-sum had no run that passed its tests");
    expect(screen.getByTestId("detailed-feedback").querySelectorAll("p")).toHaveLength(2);
    expect(document.body.textContent).not.toMatch(/LEAN_HIRE|LEAN_NO_HIRE|STRONG_HIRE|NO_HIRE/);
    expect(document.body.textContent).toContain("capped at “leaning hire”");
  });

  it("shows the transcript and the code runs over time", async () => {
    api.transcript.mockResolvedValue({
      transcript: [
        { role: "assistant", text: "Tell me about heaps?", timestamp: "2026-01-01T10:00:00Z", source: "agent" },
        { role: "user", text: "A heap is a complete binary tree.", timestamp: "2026-01-01T10:00:20Z", source: "text" },
      ],
    });
    api.submissions.mockResolvedValue({
      submissions: [
        { submissionId: "a", timestamp: "2026-01-01T10:05:00Z", code: "", problemId: "two-sum", mode: "graded", language: "python", verdict: "WrongAnswer", passedCount: 1, totalCount: 4, allTestsPassed: false, testResults: [], qualityMetrics: null },
        { submissionId: "b", timestamp: "2026-01-01T10:07:00Z", code: "", problemId: "two-sum", mode: "graded", language: "python", verdict: "Accepted", passedCount: 4, totalCount: 4, allTestsPassed: true, testResults: [], qualityMetrics: { qualityScore: 9.5 } },
      ],
    });
    render(<ReportView report={report} sessionId="3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70" />);
    const runs = await screen.findByTestId("submissions");
    const rows = runs.querySelectorAll("tbody tr");
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain("Wrong answer");
    expect(rows[1]!.textContent).toContain("All tests pass");
    expect(rows[1]!.textContent).toContain("9.5/10");
    const transcript = await screen.findByTestId("transcript");
    expect(transcript.textContent).toContain("A heap is a complete binary tree.");
    expect(transcript.textContent).toContain("Interviewer");
  });

  it("offers to continue or end an interview that has not ended", async () => {
    api.report.mockRejectedValueOnce(new ApiError(404, "report_not_ready", "the interview has not ended yet"));
    api.endInterview.mockResolvedValue({ status: "ended" });
    api.report.mockResolvedValueOnce(fixture);
    render(<ReportPage sessionId="3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70" />);
    const unfinished = await screen.findByTestId("unfinished");
    expect(unfinished.textContent).not.toContain("has not ended yet");
    expect(within(unfinished).getByRole("button", { name: "Continue the interview" })).toBeTruthy();
    fireEvent.click(within(unfinished).getByRole("button", { name: "End it and see the report" }));
    await waitFor(() => expect(api.endInterview).toHaveBeenCalledWith("3f2c1a9e-8d4b-4c6a-9e1f-2b3c4d5e6f70"));
    await screen.findByTestId("overall-score");
  });

  it("turns the candidate's history in this interview type into a dated trend", () => {
    const points = typeTrend(
      {
        scope: "own",
        total_interviews: 2,
        average_score: 5,
        best_score: 6,
        latest_score: 6,
        improvement: 2,
        outcomes: [],
        scores_over_time: [],
        by_type: [
          {
            interview_type: report.interviewType,
            total_interviews: 2,
            average_score: 5,
            best_score: 6,
            latest_score: 6,
            improvement: 2,
            scores_over_time: [
              { session_id: "a", interview_type: report.interviewType, created_at: "2026-01-01T10:00:00Z", ended_at: "2026-01-01T11:00:00Z", overall_score: 4, recommendation: "NO_HIRE" },
              { session_id: "b", interview_type: report.interviewType, created_at: "2026-01-05T10:00:00Z", ended_at: null, overall_score: 6, recommendation: "LEAN_HIRE" },
            ],
          },
        ],
      },
      report.interviewType,
    );
    expect(points.map((p) => p.value)).toEqual([4, 6]);
    expect(points[1]!.time).toBe(Date.parse("2026-01-05T10:00:00Z"));
    expect(typeTrend(null, report.interviewType)).toEqual([]);
  });
});
