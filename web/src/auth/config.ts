/** How this deployment signs users in, from `GET /config.json` (local token paste, or Cognito's hosted UI). */

export interface CognitoConfig {
  mode: "cognito";
  domain: string;
  clientId: string;
  scopes: string[];
}

export type AuthConfig = { mode: "local" } | CognitoConfig;

/** Reads `/config.json`; anything missing or malformed means local mode. */
export async function loadAuthConfig(fetchImpl: typeof fetch = fetch): Promise<AuthConfig> {
  try {
    const response = await fetchImpl("/config.json", { headers: { Accept: "application/json" } });
    if (!response.ok) return { mode: "local" };
    const body: unknown = await response.json();
    const auth = (body as { auth?: Partial<CognitoConfig> } | null)?.auth;
    if (auth?.mode === "cognito" && typeof auth.domain === "string" && typeof auth.clientId === "string") {
      return {
        mode: "cognito",
        domain: auth.domain.replace(/\/+$/, ""),
        clientId: auth.clientId,
        scopes: Array.isArray(auth.scopes) && auth.scopes.length > 0 ? auth.scopes : ["openid", "email", "profile"],
      };
    }
  } catch {
    // network error or not JSON: local mode
  }
  return { mode: "local" };
}
