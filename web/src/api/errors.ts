/** API failures, and what to tell the candidate about them. */

/** An error answer from the API (`{"error": {"code", "message"}}`), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** What went wrong, in plain words, and what to do next. */
export interface FriendlyError {
  title: string;
  detail: string;
  action: string;
  /** The user must sign in again before anything else works. */
  signInAgain: boolean;
}

/** Reads an error body; anything that is not the API's shape becomes a generic error with the status. */
export function parseErrorBody(status: number, body: string): ApiError {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === "object" && "error" in parsed) {
      const error = (parsed as { error: { code?: unknown; message?: unknown } }).error;
      if (error && typeof error.message === "string") {
        return new ApiError(status, typeof error.code === "string" ? error.code : "error", error.message);
      }
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(status, "http_" + status, body.trim().slice(0, 200) || `The server answered ${status}.`);
}

/** Maps any thrown value to words a candidate understands. */
export function describeError(error: unknown): FriendlyError {
  if (!(error instanceof ApiError)) {
    const detail = error instanceof Error ? error.message : String(error);
    return { title: "Something went wrong", detail, action: "Try again. If it keeps happening, reload the page.", signInAgain: false };
  }
  const base = { detail: error.message, signInAgain: false };
  switch (error.status) {
    case 0:
      return { ...base, title: "Can't reach PrepAI", detail: "The connection to the server failed.", action: "Check your internet connection, then try again." };
    case 401:
      return { ...base, title: "Your sign-in has expired", action: "Sign in again to continue.", signInAgain: true };
    case 403:
      return { ...base, title: "Not allowed", action: "This needs a different account. Sign in with the right one." };
    case 404:
      return { ...base, title: "Not found", action: "It may have been deleted. Go back to Home and pick another interview." };
    case 409:
      return { ...base, title: "This interview has already ended", action: "Open its report from Home, or start a new interview." };
    case 413:
      return { ...base, title: "That file is too large", action: "Choose a file of at most 5 MB (a PDF export of your resume is usually small)." };
    case 415:
      return { ...base, title: "That file type isn't supported", action: "Upload a PDF, a Word .docx or a plain-text resume." };
    case 422:
      return { ...base, title: "We couldn't read that file", action: "Try another export of your resume, for example a PDF saved from your word processor." };
    case 429:
      return { ...base, title: "Too many requests", action: "Wait a few seconds, then try again." };
    default:
      if (error.status >= 500) {
        return { ...base, title: "The server had a problem", action: "Wait a moment and try again." };
      }
      return { ...base, title: "That didn't work", action: "Check what you entered and try again." };
  }
}
