/** Shapes of the REST API's JSON, as the server sends them (see the repository README's API table). */
import type { CodeResult } from "../interview/messages";

export type Recommendation = "STRONG_HIRE" | "HIRE" | "LEAN_HIRE" | "LEAN_NO_HIRE" | "NO_HIRE";

/** The five scored metrics, in the report's camelCase names. */
export type MetricKey = "technicalKnowledge" | "problemSolving" | "communication" | "codeQuality" | "culturalFit";

/** The same metrics as analytics name them. */
export type SnakeMetricKey = "technical_knowledge" | "problem_solving" | "communication" | "code_quality" | "cultural_fit";

export interface SessionSummary {
  session_id: string;
  interview_type: string;
  candidate_name: string;
  status: "active" | "ended" | string;
  created_at: string;
  ended_at: string | null;
  duration: number | null;
  /** Listings count the messages; `GET /api/sessions/{id}` sends the whole transcript instead. */
  message_count?: number;
  transcript?: TranscriptEntry[];
  code_submission_count?: number;
  has_cv: boolean;
  report: {
    overall_score: number;
    recommendation: Recommendation;
    report_url: string;
    generated_at: string;
  } | null;
}

export interface SessionList {
  sessions: SessionSummary[];
  count: number;
}

export interface ExperienceEntry {
  title: string;
  company: string;
  startDate: string | null;
  endDate: string | null;
  durationMonths: number | null;
}

export interface EducationEntry {
  degree: string;
  institution: string;
  year: string | null;
}

/** What `PUT …/cv-analysis` takes: the fields a candidate may correct (absent ones are kept). */
export interface CvCorrections {
  candidateName?: string | null;
  email?: string | null;
  phone?: string | null;
  skills?: string[];
  experience?: { title: string; company: string; startDate: string | null; endDate: string | null; durationMonths: number | null }[];
  education?: { degree: string; institution: string; year: string | null }[];
}

export interface CvAnalysis {
  candidateName: string | null;
  email: string | null;
  phone: string | null;
  skills: string[];
  skillsByCategory: Record<string, string[]>;
  experience: ExperienceEntry[];
  education: EducationEntry[];
  totalYearsExperience: number | null;
  interviewMatch?: { level: string; score: number; summary: string; matchedSkills: string[]; missingSkills: string[] };
  /** Set when the candidate corrected the analysis. */
  correctedAt?: string;
}

export interface CvUploadResult {
  success: boolean;
  analysis: CvAnalysis;
  message: string;
}

export interface TranscriptEntry {
  role: "user" | "assistant" | string;
  text: string;
  timestamp: string;
  source: string;
}

export interface ScoreEvidence {
  score: number | null;
  reasons: string[];
  source: string;
  question?: string;
  excerpt?: string;
  functionName?: string;
}

export interface MetricEvidence {
  assessed: boolean;
  score: number | null;
  weight: number;
  effectiveWeight: number;
  summary: string;
  evidence: ScoreEvidence[];
}

/** The report's counts; the two delivery numbers are null when no answer was spoken (filler words also count typed answers). */
export interface ReportMetrics {
  durationSeconds?: number | null;
  questionsAsked?: number;
  answersGiven?: number;
  unansweredQuestions?: number;
  candidateMessages?: number;
  codeSubmissions?: number;
  averageResponseTimeSeconds?: number | null;
  candidateWords?: number;
  /** Filler words per 100 answer words (spoken answers when there are any, else typed ones). */
  fillerWordsPer100Words?: number | null;
  /** Mean speaking rate over spoken answers; null without voice. */
  averageWordsPerMinute?: number | null;
  bankQuestionsMatched?: number;
}

/** Why an answer (or the interview) cannot be taken at face value; `kind` names the rule. */
export type IntegrityNote =
  | { kind: "promptInjection"; quote: string }
  | { kind: "reusedAnswer"; same_as_question: string }
  | { kind: "parroting" }
  | { kind: "offTopic" }
  | { kind: "scratchRunsOnly"; problem: string }
  | { kind: "unsolvedProblem"; problem: string }
  | { kind: "hardCodedExamples"; problem: string }
  | { kind: string; [field: string]: unknown };

/** One answer under the question it answered, as the evaluator reviewed it. */
export interface AnswerReview {
  question: string;
  questionId?: string;
  followUps?: string[];
  answer: string;
  kind: "technical" | "behavioral" | string;
  score: number;
  confidence: "rubric" | "nearest" | "low" | string;
  /** `hinted`: said only once the interviewer had pointed at it, so it counts half. */
  keyPointsCredited?: { point: string; sentence: string; hinted?: boolean }[];
  keyPointsMissed?: string[];
  redFlags?: { claim: string; sentence: string }[];
  integrity?: IntegrityNote[];
}

export interface Report {
  sessionId: string;
  candidateName: string;
  interviewType: string;
  overallScore: number;
  scores: Record<MetricKey, number | null>;
  evidence: Partial<Record<MetricKey, MetricEvidence>>;
  strengths: string[];
  improvements: string[];
  recommendation: Recommendation;
  recommendationReason?: string;
  detailedFeedback?: string;
  notAssessed?: MetricKey[];
  generatedAt: string;
  endedAt?: string;
  metrics?: ReportMetrics;
  answers?: AnswerReview[];
  integrity?: IntegrityNote[];
}

export interface ReportResponse {
  success: boolean;
  report: Report;
  report_url: string;
}

export interface HistoryPoint {
  session_id: string;
  interview_type: string;
  created_at: string;
  ended_at: string | null;
  overall_score: number;
  recommendation: Recommendation;
}

export interface CandidateHistory {
  candidate_name: string;
  total_interviews: number;
  average_score: number | null;
  best_score: number | null;
  latest_score: number | null;
  improvement: number | null;
  scores_over_time: HistoryPoint[];
}

export interface Percentiles {
  count: number;
  min: number;
  max: number;
  average: number;
  p25: number;
  p50: number;
  p75: number;
  p90: number;
}

export interface Benchmarks {
  scope: string;
  interview_type: string;
  /** Published once at least `min_candidates` distinct candidates contribute; admins see figures before that. */
  published: boolean;
  min_candidates: number;
  sample_size: number | null;
  candidates: number | null;
  note: string;
  benchmarks: { overall: Percentiles | null } | null;
}

export interface TypeHistory {
  interview_type: string;
  total_interviews: number;
  average_score: number | null;
  best_score: number | null;
  latest_score: number | null;
  improvement: number | null;
  scores_over_time: HistoryPoint[];
}

/** `GET /api/analytics/history`: the signed-in candidate's own interviews. */
export interface OwnHistory {
  scope: "own";
  total_interviews: number;
  average_score: number | null;
  best_score: number | null;
  latest_score: number | null;
  improvement: number | null;
  by_type: TypeHistory[];
  outcomes: { recommendation: Recommendation; count: number }[];
  scores_over_time: HistoryPoint[];
}

/** One editor draft as the server keeps it. */
export interface Draft {
  problemId: string;
  language: "python" | "javascript";
  code: string;
  updatedAt: string;
}

/** A stored code run: the executor's result, flat (as `code_result` shows it), with when and how it was run. */
export type Submission = CodeResult & { timestamp: string; code: string; problemId?: string; mode: "graded" | "scratch" | string };

export interface SubmissionList {
  sessionId: string;
  submissions: Submission[];
  summary: { totalSubmissions: number; acceptedSubmissions: number; passRate: number; averageQualityScore: number; bestQualityScore: number | null };
}

export interface Trends {
  scope: string;
  days: number;
  trend: "improving" | "declining" | "stable" | "insufficient_data" | string;
  change: number;
  data: { date: string; average_score: number | null; interviews: number }[];
}

export interface Aggregate {
  scope: string;
  total_interviews: number;
  completed_interviews: number;
  completion_rate: number;
  average_score: number | null;
  average_duration_seconds: number | null;
  average_scores: Record<SnakeMetricKey, number | null>;
  interview_type_distribution: Record<string, number>;
  recommendation_distribution: Record<string, number>;
}
