/** Home: pick an interview, start it, and see (or delete) past sessions. */
import { useCallback, useEffect, useId, useState, type FormEvent } from "react";
import { api } from "../api/client";
import { INTERVIEW_TYPES } from "../api/interviewTypes";
import type { SessionSummary } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { ErrorNotice } from "../components/ErrorNotice";
import { Loading } from "../components/Loading";
import { formatDate, formatScore, recommendationLabel } from "../format";
import { Link, navigate, paths } from "../router";

const NAME_KEY = "prepai.candidateName";

export function HomePage() {
  const { claims } = useAuth();
  const [type, setType] = useState(INTERVIEW_TYPES[0]!.id);
  const [name, setName] = useState(() => localStorage.getItem(NAME_KEY) ?? claims?.name ?? "");
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<unknown>(null);
  const nameId = useId();

  const start = async (event: FormEvent) => {
    event.preventDefault();
    setCreating(true);
    setCreateError(null);
    try {
      localStorage.setItem(NAME_KEY, name.trim());
      const session = await api.createSession(type, name.trim());
      navigate(paths.cv(session.session_id));
    } catch (e) {
      setCreateError(e);
      setCreating(false);
    }
  };

  return (
    <main className="page" id="main">
      <section className="hero">
        <h1>Start a mock interview</h1>
        <p className="muted">Pick an interview, add your resume if you like, and answer by text or voice. You get a scored report at the end.</p>
      </section>

      <form className="card stack new-interview" onSubmit={start} aria-labelledby="new-interview">
        <h2 id="new-interview">New interview</h2>
        <fieldset className="type-grid">
          <legend className="visually-hidden">Interview type</legend>
          {INTERVIEW_TYPES.map((t) => (
            <label key={t.id} className={`type-card${type === t.id ? " selected" : ""}`}>
              <input type="radio" name="interview-type" value={t.id} checked={type === t.id} onChange={() => setType(t.id)} />
              <span className="type-name">{t.id}</span>
              <span className="type-description">{t.description}</span>
              {t.hasCoding && <span className="badge">coding</span>}
            </label>
          ))}
        </fieldset>
        <div className="row row-wrap">
          <div className="field grow">
            <label htmlFor={nameId}>Your name</label>
            <input
              id={nameId}
              className="input"
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              maxLength={200}
              autoComplete="name"
              placeholder="e.g. Ada Lovelace"
            />
          </div>
          <button type="submit" className="button button-large" disabled={creating || name.trim() === ""}>
            {creating ? "Creating…" : "Start interview"}
          </button>
        </div>
        {createError != null && <ErrorNotice error={createError} />}
      </form>

      <PastSessions />
    </main>
  );
}

function PastSessions() {
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pendingDelete, setPendingDelete] = useState<SessionSummary | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    api
      .listSessions()
      .then((list) => setSessions(list.sessions))
      .catch(setError);
  }, []);
  useEffect(load, [load]);

  const remove = async (session: SessionSummary) => {
    setPendingDelete(null);
    setDeleting(session.session_id);
    try {
      await api.deleteSession(session.session_id);
      setSessions((all) => all?.filter((s) => s.session_id !== session.session_id) ?? null);
    } catch (e) {
      setError(e);
    } finally {
      setDeleting(null);
    }
  };

  return (
    <section className="card" aria-labelledby="past-sessions">
      <h2 id="past-sessions">Your interviews</h2>
      {error != null && <ErrorNotice error={error} onRetry={load} />}
      {sessions === null && error == null && <Loading label="Loading your interviews…" />}
      {sessions?.length === 0 && <p className="muted">No interviews yet. Start one above.</p>}
      {sessions && sessions.length > 0 && (
        <ul className="session-list">
          {sessions.map((s) => (
            <li key={s.session_id} className="session-row" data-session-id={s.session_id}>
              <div className="session-main">
                <span className="session-type">{s.interview_type}</span>
                <span className="muted">
                  {s.candidate_name} · {formatDate(s.created_at)}
                </span>
              </div>
              <span className={`status status-${s.status}`}>{s.status === "ended" ? "Ended" : "In progress"}</span>
              <span className="session-score" aria-label={s.report ? `Score ${formatScore(s.report.overall_score)} out of 10` : "No score yet"}>
                {s.report ? (
                  <>
                    <strong>{formatScore(s.report.overall_score)}</strong>
                    <span className="muted">/10 · {recommendationLabel(s.report.recommendation)}</span>
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </span>
              <div className="session-actions">
                {s.status === "ended" ? (
                  <Link className="button button-small" href={paths.report(s.session_id)}>
                    Report
                  </Link>
                ) : (
                  <Link className="button button-small" href={paths.interview(s.session_id)}>
                    Continue
                  </Link>
                )}
                <button
                  type="button"
                  className="button button-small button-secondary"
                  onClick={() => setPendingDelete(s)}
                  disabled={deleting === s.session_id}
                  aria-label={`Delete ${s.interview_type} interview of ${formatDate(s.created_at)}`}
                >
                  {deleting === s.session_id ? "Deleting…" : "Delete"}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {pendingDelete && (
        <ConfirmDialog
          title="Delete this interview?"
          message={`The ${pendingDelete.interview_type} interview of ${formatDate(pendingDelete.created_at)}, its resume, transcript and report will be removed for good.`}
          confirmLabel="Delete"
          danger
          onConfirm={() => void remove(pendingDelete)}
          onCancel={() => setPendingDelete(null)}
        />
      )}
    </section>
  );
}
