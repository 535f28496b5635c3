/** How dates, durations, scores and recommendations read on screen. */
import type { Recommendation } from "./api/types";

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null) return "—";
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  return minutes > 0 ? `${minutes} min ${rest} s` : `${rest} s`;
}

export function formatScore(score: number | null | undefined): string {
  return score == null ? "—" : score.toFixed(1);
}

export const RECOMMENDATION_LABEL: Record<Recommendation, string> = {
  STRONG_HIRE: "Strong hire",
  HIRE: "Hire",
  LEAN_HIRE: "Leaning hire",
  LEAN_NO_HIRE: "Leaning no hire",
  NO_HIRE: "No hire",
};

/** Strongest first: the order outcomes are listed in. */
export const RECOMMENDATION_ORDER: Recommendation[] = ["STRONG_HIRE", "HIRE", "LEAN_HIRE", "LEAN_NO_HIRE", "NO_HIRE"];

/** A recommendation in words; an unknown code becomes words too ("MAYBE_LATER" → "Maybe later"), never the raw code. */
export function recommendationLabel(value: string): string {
  const known = RECOMMENDATION_LABEL[value as Recommendation];
  if (known) return known;
  const words = value.toLowerCase().replace(/_/g, " ").trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : "—";
}

/** Text from the evaluator with any recommendation code in it (`capped at LEAN_HIRE`) put in words. */
export function humanizeCodes(text: string): string {
  return text.replace(/\b(STRONG_HIRE|LEAN_NO_HIRE|LEAN_HIRE|NO_HIRE|HIRE)\b/g, (code) => `“${recommendationLabel(code).toLowerCase()}”`);
}
