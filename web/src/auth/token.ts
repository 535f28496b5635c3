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
