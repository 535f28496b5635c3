/** The bearer token of the signed-in user: kept in sessionStorage only (never in a URL but the WebSocket's). */

const KEY = "prepai.token";

export function readToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(KEY, token.trim());
}

export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}

/** The claims of a JWT, read without verifying (the server verifies; we only show names and groups). */
export interface Claims {
  sub?: string;
  email?: string;
  name?: string;
  exp?: number;
  "cognito:username"?: string;
  "cognito:groups"?: string[];
}

export function decodeClaims(token: string): Claims | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "=");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === "object" ? (claims as Claims) : null;
  } catch {
    return null;
  }
}

/** Whether the token says its holder is in the `admin` group (Cognito's, or a local `--group admin` token). */
export function isAdmin(claims: Claims | null): boolean {
  return Array.isArray(claims?.["cognito:groups"]) && claims["cognito:groups"].includes("admin");
}

export function isExpired(claims: Claims | null, nowSeconds = Date.now() / 1000): boolean {
  return typeof claims?.exp === "number" && claims.exp <= nowSeconds;
}

/**
 * The token a sign-in link carries in its fragment (`/#token=…`, as prepai-local prints it), taken out of the address
 * bar at once with `history.replaceState`, so it is neither kept in the history entry nor sent anywhere (browsers never
 * send a fragment to the server). Other fragment parameters stay.
 */
export function takeTokenFromLink(
  loc: Pick<Location, "hash" | "pathname" | "search"> = location,
  hist: Pick<History, "replaceState" | "state"> = history,
): string | null {
  if (!loc.hash.startsWith("#")) return null;
  const params = new URLSearchParams(loc.hash.slice(1));
  const token = params.get("token");
  if (token === null) return null;
  params.delete("token");
  const rest = params.toString();
  hist.replaceState(hist.state, "", `${loc.pathname}${loc.search}${rest ? `#${rest}` : ""}`);
  return token.trim() || null;
}

/** Seconds the token still has, or null when it says nothing about expiry. */
export function secondsLeft(claims: Claims | null, nowSeconds = Date.now() / 1000): number | null {
  return typeof claims?.exp === "number" ? claims.exp - nowSeconds : null;
}
