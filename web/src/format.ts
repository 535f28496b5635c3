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
  LEAN_HIRE: "Lean hire",
  LEAN_NO_HIRE: "Lean no hire",
  NO_HIRE: "No hire",
};

export function recommendationLabel(value: string): string {
  return RECOMMENDATION_LABEL[value as Recommendation] ?? value;
}
