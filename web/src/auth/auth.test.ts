import { codeChallenge } from "./cognito";
import { loadAuthConfig } from "./config";
import { decodeClaims, isAdmin, isExpired } from "./token";

const jwt = (claims: object) => `e30.${btoa(JSON.stringify(claims)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")}.sig`;
const respond = (status: number, body: unknown) => (async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;

describe("auth", () => {
  it("reads local mode, Cognito mode, and falls back to local when /config.json fails", async () => {
    expect(await loadAuthConfig(respond(200, { auth: { mode: "local" } }))).toEqual({ mode: "local" });
    expect(
      await loadAuthConfig(respond(200, { auth: { mode: "cognito", domain: "https://p.auth.eu-west-1.amazoncognito.com/", clientId: "abc", scopes: ["openid"] } })),
    ).toEqual({ mode: "cognito", domain: "https://p.auth.eu-west-1.amazoncognito.com", clientId: "abc", scopes: ["openid"] });
    expect(await loadAuthConfig(respond(404, {}))).toEqual({ mode: "local" });
    expect(await loadAuthConfig((async () => Promise.reject(new Error("offline"))) as unknown as typeof fetch)).toEqual({ mode: "local" });
  });

  it("decodes claims and sees the admin group", () => {
    const claims = decodeClaims(jwt({ sub: "bob", "cognito:groups": ["admin"], exp: 10 }));
    expect(claims?.sub).toBe("bob");
    expect(isAdmin(claims)).toBe(true);
    expect(isAdmin(decodeClaims(jwt({ sub: "alice" })))).toBe(false);
    expect(isExpired(claims, 11)).toBe(true);
    expect(decodeClaims("not a token")).toBeNull();
  });

  it("derives the S256 code challenge (RFC 7636 appendix B)", async () => {
    expect(await codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });
});
