/** The app shell: sign-in state, header, and the page for the current route. */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { setSignInRenewer, setUnauthorizedHandler } from "./api/client";
import { AuthContext, type Auth } from "./auth/AuthContext";
import { completeSignIn, signOutUrl } from "./auth/cognito";
import { loadAuthConfig, type AuthConfig } from "./auth/config";
import { clearRefreshToken, cognitoRefresher, localRefresher, storeRefreshToken, TokenKeeper } from "./auth/refresh";
import { clearToken, decodeClaims, isAdmin, isExpired, readToken, storeToken, takeTokenFromLink } from "./auth/token";
import { Loading } from "./components/Loading";
import { CvPage } from "./pages/CvPage";
import { HomePage } from "./pages/HomePage";
import { ProgressPage } from "./pages/ProgressPage";
import { ReportPage } from "./pages/ReportPage";
import { SignInPage } from "./pages/SignInPage";
import { Link, navigate, paths, useRoute, type Route } from "./router";

const InterviewPage = lazy(() => import("./pages/InterviewPage"));

function initialToken(): string | null {
  // A sign-in link (`/#token=…`, printed by prepai-local) signs in and leaves the address bar clean.
  const fromLink = takeTokenFromLink();
  if (fromLink && decodeClaims(fromLink) && !isExpired(decodeClaims(fromLink))) storeToken(fromLink);
  const token = readToken();
  if (token && isExpired(decodeClaims(token))) {
    clearToken();
    return null;
  }
  return token;
}

export function App() {
  const route = useRoute();
  const [config, setConfig] = useState<AuthConfig | null>(null);
  const [token, setToken] = useState<string | null>(initialToken);
  const [signInReason, setSignInReason] = useState<string | undefined>();
  const [callbackError, setCallbackError] = useState<string | null>(null);

  useEffect(() => {
    void loadAuthConfig().then(setConfig);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      clearToken();
      setToken(null);
      setSignInReason("Your sign-in has expired. Sign in again to continue where you were.");
    });
  }, []);

  // Renew the token before it expires (and once after a 401), for as long as someone is signed in.
  const signedIn = token !== null;
  useEffect(() => {
    if (!config || !signedIn) return;
    const keeper = new TokenKeeper(config.mode === "cognito" ? cognitoRefresher(config) : localRefresher(), setToken);
    keeper.start();
    setSignInRenewer(() => keeper.refreshNow());
    return () => {
      keeper.stop();
      setSignInRenewer(async () => null);
    };
  }, [config, signedIn]);

  useEffect(() => {
    if (route.name !== "callback" || !config || config.mode !== "cognito") return;
    completeSignIn(config, location.search)
      .then(({ idToken, refreshToken, returnTo }) => {
        storeToken(idToken);
        storeRefreshToken(refreshToken);
        setToken(idToken);
        navigate(returnTo, { replace: true });
      })
      .catch((e: unknown) => setCallbackError(e instanceof Error ? e.message : String(e)));
  }, [route.name, config]);

  const signIn = useCallback((value: string) => {
    storeToken(value);
    setToken(value);
    setSignInReason(undefined);
  }, []);

  // A sign-in link opened in a tab already showing the app changes only the fragment: no reload, so listen for it.
  useEffect(() => {
    const onHash = () => {
      const fromLink = takeTokenFromLink();
      if (fromLink && !isExpired(decodeClaims(fromLink)) && decodeClaims(fromLink)) signIn(fromLink);
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, [signIn]);

  const auth = useMemo<Auth | null>(() => {
    if (!token || !config) return null;
    const claims = decodeClaims(token);
    return {
      config,
      token,
      claims,
      admin: isAdmin(claims),
      signOut: () => {
        clearToken();
        clearRefreshToken();
        setToken(null);
        if (config.mode === "cognito") location.assign(signOutUrl(config));
        else navigate(paths.home());
      },
    };
  }, [token, config]);

  if (!config) return <Loading label="Starting PrepAI…" />;
  if (route.name === "callback") {
    return callbackError ? (
      <SignInPage config={config} reason={`Sign-in didn't complete: ${callbackError} Please try again.`} onToken={signIn} />
    ) : (
      <Loading label="Signing you in…" />
    );
  }
  if (!auth) return <SignInPage config={config} reason={signInReason} onToken={signIn} />;

  return (
    <AuthContext.Provider value={auth}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header route={route} />
      <Suspense fallback={<Loading label="Loading the interview room…" />}>
        <Page route={route} />
      </Suspense>
    </AuthContext.Provider>
  );
}

function Header({ route }: { route: Route }) {
  return (
    <AuthContext.Consumer>
      {(auth) => (
        <header className="app-header">
          <Link href={paths.home()} className="brand">
            <span className="brand-mark" aria-hidden="true">
              P
            </span>
            <span className="brand-text">PrepAI</span>
            <span className="visually-hidden"> home</span>
          </Link>
          <nav aria-label="Main">
            <Link href={paths.home()} aria-current={route.name === "home" ? "page" : undefined}>
              Home
            </Link>
            <Link href={paths.progress()} aria-current={route.name === "progress" ? "page" : undefined}>
              Progress
            </Link>
          </nav>
          <div className="header-user">
            <span className="muted user-name" title={auth?.claims?.sub}>
              {auth?.claims?.email ?? auth?.claims?.["cognito:username"] ?? auth?.claims?.sub}
              {auth?.admin && <span className="badge badge-admin">admin</span>}
            </span>
            <button type="button" className="button button-secondary button-small" onClick={auth?.signOut}>
              Sign out
            </button>
          </div>
        </header>
      )}
    </AuthContext.Consumer>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case "home":
      return <HomePage />;
    case "cv":
      return <CvPage sessionId={route.sessionId} />;
    case "interview":
      return <InterviewPage sessionId={route.sessionId} />;
    case "report":
      return <ReportPage sessionId={route.sessionId} />;
    case "progress":
      return <ProgressPage />;
    case "callback":
    case "notFound":
      return (
        <main className="page" id="main">
          <h1>Page not found</h1>
          <p>
            <Link href={paths.home()}>Go to Home</Link> to start or continue an interview.
          </p>
        </main>
      );
  }
}
