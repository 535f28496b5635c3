/** The five scored metrics, in report order, with their labels and weights. */
import type { MetricKey, SnakeMetricKey } from "../api/types";

export interface MetricInfo {
  key: MetricKey;
  snake: SnakeMetricKey;
  label: string;
  short: string;
  weight: number;
}

export const METRICS: readonly MetricInfo[] = [
  { key: "technicalKnowledge", snake: "technical_knowledge", label: "Technical knowledge", short: "Technical", weight: 0.3 },
  { key: "problemSolving", snake: "problem_solving", label: "Problem solving", short: "Problem solving", weight: 0.25 },
  { key: "communication", snake: "communication", label: "Communication", short: "Communication", weight: 0.2 },
  { key: "codeQuality", snake: "code_quality", label: "Code quality", short: "Code quality", weight: 0.15 },
  { key: "culturalFit", snake: "cultural_fit", label: "Cultural fit", short: "Cultural fit", weight: 0.1 },
];
