/** Speaking delivery from the report's metrics: pace against a comfortable band, and filler words. */
import type { Report } from "../api/types";

/** Words per minute that sound conversational in an interview. */
export const COMFORTABLE_PACE = { min: 110, max: 170 } as const;

export type PaceBand = "slow" | "comfortable" | "fast";

export interface DeliverySummary {
  wordsPerMinute: number;
  pace: PaceBand;
  /** One sentence on the pace, for the screen and the PDF. */
  paceAdvice: string;
  fillerWordsPer100Words: number | null;
}

export function paceBand(wordsPerMinute: number): PaceBand {
  if (wordsPerMinute < COMFORTABLE_PACE.min) return "slow";
  if (wordsPerMinute > COMFORTABLE_PACE.max) return "fast";
  return "comfortable";
}

const ADVICE: Record<PaceBand, string> = {
  slow: "A little slow: aim for a steadier flow, and prepare your opening sentence for common questions.",
  comfortable: "Within the comfortable band: easy to follow.",
  fast: "A little fast: pause between points so the interviewer can follow.",
};

/** The delivery numbers when the candidate answered by voice (`averageWordsPerMinute` is a number), else null. */
export function deliverySummary(report: Report): DeliverySummary | null {
  const wpm = report.metrics?.averageWordsPerMinute;
  if (typeof wpm !== "number" || !Number.isFinite(wpm)) return null;
  const pace = paceBand(wpm);
  const filler = report.metrics?.fillerWordsPer100Words;
  return {
    wordsPerMinute: wpm,
    pace,
    paceAdvice: ADVICE[pace],
    fillerWordsPer100Words: typeof filler === "number" && Number.isFinite(filler) ? filler : null,
  };
}
