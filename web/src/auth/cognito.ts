/** Cognito hosted UI sign-in: authorization code with PKCE (S256); the `id_token` becomes the bearer token and the
 * `refresh_token` renews it (see `refresh.ts`). */
import type { CognitoConfig } from "./config";

const VERIFIER_KEY = "prepai.pkce.verifier";
const STATE_KEY = "prepai.pkce.state";
const RETURN_KEY = "prepai.pkce.return";

function base64Url(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(byteCount: number): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export function redirectUri(): string {
  return `${location.origin}/auth/callback`;
}

/** Sends the browser to the hosted UI; it comes back to `/auth/callback`. */
export async function beginSignIn(config: CognitoConfig, returnTo: string): Promise<void> {
  const verifier = randomString(48);
  const state = randomString(16);
  sessionStorage.setItem(VERIFIER_KEY, verifier);
  sessionStorage.setItem(STATE_KEY, state);
  sessionStorage.setItem(RETURN_KEY, returnTo);
  const params = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scopes.join(" "),
    state,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: "S256",
  });
  location.assign(`${config.domain}/oauth2/authorize?${params.toString()}`);
}

/** Exchanges the code in the callback URL for tokens; returns the id token and where to go next. */
export async function completeSignIn(
  config: CognitoConfig,
  search: string,
): Promise<{ idToken: string; refreshToken?: string; returnTo: string }> {
  const params = new URLSearchParams(search);
  const error = params.get("error_description") ?? params.get("error");
  if (error) throw new Error(`Sign-in was cancelled or refused: ${error}`);
  const code = params.get("code");
  const verifier = sessionStorage.getItem(VERIFIER_KEY);
  if (!code || !verifier) throw new Error("This sign-in link is incomplete or was already used.");
  if (params.get("state") !== sessionStorage.getItem(STATE_KEY)) throw new Error("This sign-in response does not match the request.");
  const returnTo = sessionStorage.getItem(RETURN_KEY) ?? "/";
  sessionStorage.removeItem(VERIFIER_KEY);
  sessionStorage.removeItem(STATE_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  const response = await fetch(`${config.domain}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: config.clientId,
      code,
      redirect_uri: redirectUri(),
      code_verifier: verifier,
    }),
  });
  if (!response.ok) throw new Error(`The sign-in service refused the code (${response.status}).`);
  const tokens = (await response.json()) as { id_token?: string; refresh_token?: string };
  if (!tokens.id_token) throw new Error("The sign-in service returned no id token.");
  return { idToken: tokens.id_token, refreshToken: tokens.refresh_token, returnTo };
}

/** Ends the hosted-UI session too, coming back to the home page. */
export function signOutUrl(config: CognitoConfig): string {
  const params = new URLSearchParams({ client_id: config.clientId, logout_uri: `${location.origin}/` });
  return `${config.domain}/logout?${params.toString()}`;
}
