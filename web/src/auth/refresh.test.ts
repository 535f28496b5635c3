import { cognitoRefresher, localRefresher, refreshDelayMs, refreshMarginSeconds, storeRefreshToken, TokenKeeper } from "./refresh";
import { readToken, storeToken, takeTokenFromLink } from "./token";

const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const jwt = (claims: object) => `e30.${b64(claims)}.sig`;

describe("sign-in link", () => {
  it("takes the token out of the fragment and leaves the address bar clean", () => {
    const replaced: string[] = [];
    const hist = { state: null, replaceState: (_: unknown, __: string, url: string) => replaced.push(url) };
    expect(takeTokenFromLink({ hash: "#token=eyJabc", pathname: "/", search: "" }, hist)).toBe("eyJabc");
    expect(replaced).toEqual(["/"]);
    expect(takeTokenFromLink({ hash: "#token=eyJx&tab=2", pathname: "/progress", search: "?q=1" }, hist)).toBe("eyJx");
    expect(replaced.at(-1)).toBe("/progress?q=1#tab=2");
    expect(takeTokenFromLink({ hash: "", pathname: "/", search: "" }, hist)).toBeNull();
    expect(takeTokenFromLink({ hash: "#section", pathname: "/", search: "" }, hist)).toBeNull();
    expect(replaced).toHaveLength(2);
  });
});

describe("token refresh", () => {
  afterEach(() => {
    vi.useRealTimers();
    sessionStorage.clear();
  });

  it("renews a quarter of the lifetime early, between 5 s and 10 min", () => {
    expect(refreshMarginSeconds({ exp: 3600, iat: 0 } as never)).toBe(600);
    expect(refreshMarginSeconds({ exp: 20, iat: 0 } as never)).toBe(5);
    expect(refreshMarginSeconds({ exp: 120, iat: 0 } as never)).toBe(30);
    expect(refreshDelayMs({ exp: 3600, iat: 0 } as never, 0)).toBe(3000_000);
    expect(refreshDelayMs({ exp: 3600, iat: 0 } as never, 3500_000)).toBe(0);
    expect(refreshDelayMs({}, 0)).toBeNull();
  });

  it("keeps the stored token fresh before it expires, and retries a failed renewal", async () => {
    vi.useFakeTimers();
    const start = Date.parse("2026-01-01T00:00:00Z");
    vi.setSystemTime(start);
    const now = () => Date.now();
    storeToken(jwt({ sub: "ann", iat: start / 1000, exp: start / 1000 + 40 }));
    let calls = 0;
    const refresher = vi.fn(async () => {
      calls += 1;
      if (calls === 1) throw new Error("server restarting");
      return jwt({ sub: "ann", iat: now() / 1000, exp: now() / 1000 + 300 });
    });
    const seen: string[] = [];
    const keeper = new TokenKeeper(refresher, (t) => seen.push(t), now);
    keeper.start();
    await vi.advanceTimersByTimeAsync(29_000);
    expect(refresher).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2_000); // due at 30 s (40 s − 10 s margin)
    expect(refresher).toHaveBeenCalledTimes(1);
    expect(seen).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(15_000); // retried 15 s later, before the 40 s expiry … (here at 46 s: expired)
    keeper.stop();
    // A fresh start with a token that has time left renews on schedule.
    vi.setSystemTime(start);
    storeToken(jwt({ sub: "ann", iat: start / 1000, exp: start / 1000 + 100 }));
    const again = new TokenKeeper(refresher, (t) => seen.push(t), now);
    again.start();
    await vi.advanceTimersByTimeAsync(76_000);
    expect(seen).toHaveLength(1);
    expect(readToken()).toBe(seen[0]);
    again.stop();
  });

  it("never asks to renew an expired token", async () => {
    storeToken(jwt({ sub: "ann", iat: 0, exp: 10 }));
    const refresher = vi.fn(async () => "new");
    const keeper = new TokenKeeper(refresher, () => {});
    expect(await keeper.refreshNow()).toBeNull();
    expect(refresher).not.toHaveBeenCalled();
  });

  it("asks the local server with the current token", async () => {
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ token: "eyJnew", expiresAt: "x" }), { status: 200 }));
    expect(await localRefresher(fetchImpl as unknown as typeof fetch)("eyJold")).toBe("eyJnew");
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/auth/local-refresh");
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer eyJold");
    const refused = vi.fn(async () => new Response("{}", { status: 401 }));
    await expect(localRefresher(refused as unknown as typeof fetch)("eyJold")).rejects.toThrow("401");
  });

  it("asks Cognito with the refresh token and keeps a rotated one", async () => {
    const config = { mode: "cognito" as const, domain: "https://p.auth.example.com", clientId: "abc", scopes: ["openid"] };
    await expect(cognitoRefresher(config, vi.fn() as never)("x")).rejects.toThrow("no refresh token");
    storeRefreshToken("r1");
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ id_token: "eyJid", refresh_token: "r2" }), { status: 200 }));
    expect(await cognitoRefresher(config, fetchImpl as unknown as typeof fetch)("old")).toBe("eyJid");
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("https://p.auth.example.com/oauth2/token");
    const body = new URLSearchParams(String(init.body));
    expect(Object.fromEntries(body)).toEqual({ grant_type: "refresh_token", client_id: "abc", refresh_token: "r1" });
    expect(sessionStorage.getItem("prepai.refreshToken")).toBe("r2");
  });
});
