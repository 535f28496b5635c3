/**
 * Keeping the sign-in fresh: the token is renewed a little before it expires (Cognito's refresh token on AWS, the
 * local server's `POST /api/auth/local-refresh` locally), so a long interview never meets an expired token. Browsers
 * throttle timers in background tabs, so the keeper also checks whenever the tab becomes visible again.
 */
import type { CognitoConfig } from "./config";
import type { Claims } from "./token";
import { decodeClaims, readToken, storeToken } from "./token";

/** Renews `current`; resolves to the new token, or rejects when it cannot be renewed (then the user signs in). */
export type Refresher = (current: string) => Promise<string>;

/** The longest a timer may wait (setTimeout overflows past 2^31 − 1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * How long before expiry to renew: a quarter of the token's lifetime, between 5 seconds and 10 minutes (a Cognito
 * hour-long token renews 10 minutes early, a 20-second test token 5 seconds early).
 */
export function refreshMarginSeconds(claims: Claims | null): number {
  const iat = (claims as { iat?: number } | null)?.iat;
  const lifetime = typeof claims?.exp === "number" && typeof iat === "number" ? claims.exp - iat : 3600;
  return Math.min(600, Math.max(5, lifetime / 4));
}

/** Milliseconds from `nowMs` until the token should be renewed (0 when due now); null without an expiry. */
export function refreshDelayMs(claims: Claims | null, nowMs = Date.now()): number | null {
  if (typeof claims?.exp !== "number") return null;
  const due = (claims.exp - refreshMarginSeconds(claims)) * 1000;
  return Math.max(0, due - nowMs);
}

/** The local server's refresh: the current, still valid token buys a new one. */
export const localRefresher =
  (fetchImpl: typeof fetch = fetch): Refresher =>
  async (current) => {
    const response = await fetchImpl("/api/auth/local-refresh", {
      method: "POST",
      headers: { Authorization: `Bearer ${current}`, Accept: "application/json" },
    });
    if (!response.ok) throw new Error(`the server refused to refresh the sign-in (${response.status})`);
    const body = (await response.json()) as { token?: unknown };
    if (typeof body.token !== "string" || !body.token) throw new Error("the server sent no token");
    return body.token;
  };

const COGNITO_REFRESH_KEY = "prepai.refreshToken";

export function storeRefreshToken(token: string | undefined): void {
  if (token) sessionStorage.setItem(COGNITO_REFRESH_KEY, token);
}

export function clearRefreshToken(): void {
  sessionStorage.removeItem(COGNITO_REFRESH_KEY);
}

/** Cognito's refresh: the refresh token from the code exchange (kept in this tab only) buys a new ID token. */
export const cognitoRefresher =
  (config: CognitoConfig, fetchImpl: typeof fetch = fetch): Refresher =>
  async () => {
    const refreshToken = sessionStorage.getItem(COGNITO_REFRESH_KEY);
    if (!refreshToken) throw new Error("no refresh token: sign in again");
    const response = await fetchImpl(`${config.domain}/oauth2/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", client_id: config.clientId, refresh_token: refreshToken }),
    });
    if (!response.ok) throw new Error(`the sign-in service refused the refresh (${response.status})`);
    const tokens = (await response.json()) as { id_token?: string; refresh_token?: string };
    if (!tokens.id_token) throw new Error("the sign-in service returned no id token");
    // With refresh-token rotation on, Cognito sends a new refresh token too; the old one stops working.
    storeRefreshToken(tokens.refresh_token);
    return tokens.id_token;
  };

/** Renews the stored token on time, tells `onToken` about each new one, and can be asked to renew at once. */
export class TokenKeeper {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<string | null> | null = null;
  private stopped = false;
  private failedAt: number | null = null;
  private readonly onVisible = () => {
    if (document.visibilityState === "visible") this.schedule();
  };

  constructor(
    private readonly refresher: Refresher,
    private readonly onToken: (token: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.stopped = false;
    if (typeof document !== "undefined") document.addEventListener("visibilitychange", this.onVisible);
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (typeof document !== "undefined") document.removeEventListener("visibilitychange", this.onVisible);
  }

  /** Renews now (one request at a time); resolves to the new token, or null when it could not be renewed. */
  refreshNow(): Promise<string | null> {
    if (this.inFlight) return this.inFlight;
    const current = readToken();
    if (!current) return Promise.resolve(null);
    const claims = decodeClaims(current);
    if (typeof claims?.exp === "number" && claims.exp * 1000 <= this.now()) return Promise.resolve(null);
    this.inFlight = this.refresher(current)
      .then((fresh) => {
        storeToken(fresh);
        this.failedAt = null;
        this.onToken(fresh);
        return fresh as string | null;
      })
      .catch(() => {
        this.failedAt = this.now();
        return null;
      })
      .finally(() => {
        this.inFlight = null;
        this.schedule();
      });
    return this.inFlight;
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const current = readToken();
    const claims = current ? decodeClaims(current) : null;
    const delay = refreshDelayMs(claims, this.now());
    if (delay === null || typeof claims?.exp !== "number" || claims.exp * 1000 <= this.now()) return;
    // A failed renewal is retried every 15 s until the token expires.
    const sinceFailure = this.failedAt === null ? Infinity : this.now() - this.failedAt;
    const wait = delay === 0 ? Math.max(0, 15_000 - sinceFailure) : Math.min(delay, MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.timer = null;
      const due = refreshDelayMs(decodeClaims(readToken() ?? ""), this.now());
      if (due === 0) void this.refreshNow();
      else this.schedule();
    }, wait);
  }
}
