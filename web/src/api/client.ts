/** The REST client: relative `/api/...` URLs with the bearer token; errors become `ApiError`. */
import { readToken } from "../auth/token";
import { ApiError, parseErrorBody } from "./errors";
import type {
  Aggregate,
  Benchmarks,
  CandidateHistory,
  CvAnalysis,
  CvCorrections,
  CvUploadResult,
  Draft,
  OwnHistory,
  ReportResponse,
  SubmissionList,
  SessionList,
  SessionSummary,
  TranscriptEntry,
  Trends,
} from "./types";

/** Called when any request answers 401 and renewing the sign-in did not help, so the app can send the user to sign in. */
let onUnauthorized: () => void = () => {};

export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

/** Renews the sign-in once after a 401 (a token that expired while the tab slept); null when it cannot. */
let renewSignIn: () => Promise<string | null> = async () => null;

export function setSignInRenewer(renew: () => Promise<string | null>): void {
  renewSignIn = renew;
}

function authHeaders(): Record<string, string> {
  const token = readToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function request<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: { Accept: "application/json", ...authHeaders(), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, "network", e instanceof Error ? e.message : "network error");
  }
  const text = await response.text();
  if (!response.ok) {
    if (response.status === 401) {
      if (!retried && (await renewSignIn())) return request<T>(method, path, body, true);
      onUnauthorized();
    }
    throw parseErrorBody(response.status, text);
  }
  return JSON.parse(text) as T;
}

const id = encodeURIComponent;

export const api = {
  createSession: (interviewType: string, candidateName: string) =>
    request<SessionSummary>("POST", "/api/sessions/create", { interview_type: interviewType, candidate_name: candidateName }),
  listSessions: () => request<SessionList>("GET", "/api/sessions/list"),
  getSession: (sessionId: string) => request<SessionSummary>("GET", `/api/sessions/${id(sessionId)}`),
  deleteSession: (sessionId: string) => request<{ deleted: boolean }>("DELETE", `/api/sessions/${id(sessionId)}`),
  transcript: (sessionId: string) =>
    request<{ transcript: TranscriptEntry[] }>("GET", `/api/interviews/${id(sessionId)}/transcript`),
  cvAnalysis: (sessionId: string) => request<CvUploadResult>("GET", `/api/interviews/${id(sessionId)}/cv-analysis`),
  report: (sessionId: string) => request<ReportResponse>("GET", `/api/interviews/${id(sessionId)}/performance-report`),
  endInterview: (sessionId: string) =>
    request<{ session_id: string; status: string; report_url: string }>("POST", `/api/interviews/${id(sessionId)}/end`),
  correctCv: (sessionId: string, corrections: CvCorrections) =>
    request<{ success: boolean; analysis: CvAnalysis; message: string }>("PUT", `/api/interviews/${id(sessionId)}/cv-analysis`, corrections),
  drafts: (sessionId: string) => request<{ drafts: Draft[] }>("GET", `/api/interviews/${id(sessionId)}/drafts`),
  saveDraft: (sessionId: string, draft: Pick<Draft, "problemId" | "language" | "code">) =>
    request<Draft>("PUT", `/api/interviews/${id(sessionId)}/drafts`, draft),
  submissions: (sessionId: string) => request<SubmissionList>("GET", `/api/code/${id(sessionId)}/submissions`),
  ownHistory: () => request<OwnHistory>("GET", "/api/analytics/history"),
  history: (candidateName: string) => request<CandidateHistory>("GET", `/api/analytics/candidate/${id(candidateName)}/history`),
  benchmarks: (interviewType: string) => request<Benchmarks>("GET", `/api/analytics/benchmarks/${id(interviewType)}`),
  trends: (days: number) => request<Trends>("GET", `/api/analytics/trends?days=${days}`),
  aggregate: () => request<Aggregate>("GET", "/api/analytics/aggregate"),
};

/** Uploads a resume with progress events (fetch has none for uploads). Field name `file`. */
export function uploadCv(
  sessionId: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<CvUploadResult> {
  const xhr = new XMLHttpRequest();
  return new Promise<CvUploadResult>((resolve, reject) => {
    xhr.open("POST", `/api/interviews/${id(sessionId)}/upload-cv`);
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(JSON.parse(xhr.responseText) as CvUploadResult);
      } else {
        if (xhr.status === 401) onUnauthorized();
        reject(parseErrorBody(xhr.status, xhr.responseText));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, "network", "the upload failed"));
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}
