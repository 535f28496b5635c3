/** Sign-in: paste the local server's token, or go to the Cognito hosted UI. */
import { useState, type FormEvent } from "react";
import type { AuthConfig } from "../auth/config";
import { beginSignIn } from "../auth/cognito";
import { decodeClaims, isExpired } from "../auth/token";

export function SignInPage({ config, reason, onToken }: { config: AuthConfig; reason?: string; onToken: (token: string) => void }) {
  const [token, setToken] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = token.trim();
    const claims = decodeClaims(trimmed);
    if (!claims) {
      setProblem("That doesn't look like a token. Copy the long line the server printed (it starts with eyJ).");
      return;
    }
    if (isExpired(claims)) {
      setProblem("That token has expired. Restart prepai-local for a new sign-in link, or mint a token with `prepai-local token --sub <name>`.");
      return;
    }
    onToken(trimmed);
  };

  return (
    <main className="signin" id="main">
      <div className="card signin-card">
        <div className="brand brand-large" aria-hidden="true">
          <span className="brand-mark">P</span> PrepAI
        </div>
        <h1>Practise the interview before the interview</h1>
        <p className="muted">Mock interviews with an AI interviewer, live coding with real tests, and a scored report.</p>
        {reason && (
          <div className="notice notice-info" role="status">
            {reason}
          </div>
        )}
        {config.mode === "cognito" ? (
          <button type="button" className="button button-large" onClick={() => void beginSignIn(config, location.pathname)}>
            Sign in
          </button>
        ) : (
          <form onSubmit={submit} className="stack">
            <label htmlFor="token">Access token</label>
            <textarea
              id="token"
              className="input mono"
              rows={3}
              value={token}
              onChange={(e) => setToken(e.target.value)}
              placeholder="Paste the token from the sign-in link prepai-local printed"
              aria-describedby="token-help"
              spellCheck={false}
              autoComplete="off"
            />
            <p id="token-help" className="hint">
              Running locally: open the sign-in link <code>prepai-local</code> printed when it started (or start it with{" "}
              <code>--open</code>), or paste the token from that link here. It stays in this tab only.
            </p>
            {problem && (
              <div className="notice notice-error" role="alert">
                {problem}
              </div>
            )}
            <button type="submit" className="button button-large" disabled={token.trim() === ""}>
              Sign in
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
