/** Progress: score history, where the latest score stands among others, 30-day trend, and the aggregate. */
import { useCallback, useEffect, useId, useState } from "react";
import { api } from "../api/client";
import type { Aggregate, Benchmarks, CandidateHistory, Trends } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { ErrorNotice } from "../components/ErrorNotice";
import { Loading } from "../components/Loading";
import { TrendChart } from "../components/TrendChart";
import { formatDuration, formatScore, recommendationLabel } from "../format";
import { METRICS } from "../report/metrics";

const NAME_KEY = "prepai.candidateName";

export function ProgressPage() {
  const { admin } = useAuth();
  const [name, setName] = useState(() => localStorage.getItem(NAME_KEY) ?? "");
  const [query, setQuery] = useState(name);
  const nameId = useId();

  return (
    <main className="page" id="main">
      <h1>Your progress</h1>
      <form
        className="row row-wrap"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(name.trim());
        }}
      >
        <div className="field grow">
          <label htmlFor={nameId}>Candidate name</label>
          <input id={nameId} className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="The name you interview under" />
        </div>
        <button type="submit" className="button" disabled={name.trim() === ""}>
          Show history
        </button>
      </form>
      {query ? <HistorySection name={query} /> : <p className="muted">Enter the name you used for your interviews.</p>}
      <TrendsSection />
      <AggregateSection admin={admin} />
    </main>
  );
}

function useLoad<T>(load: () => Promise<T>) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(() => {
    setError(null);
    setData(null);
    load().then(setData).catch(setError);
  }, [load]);
  useEffect(run, [run]);
  return { data, error, retry: run };
}

function HistorySection({ name }: { name: string }) {
  const { data, error, retry } = useLoad(useCallback(() => api.history(name), [name]));
  return (
    <section className="card" aria-labelledby="history-heading">
      <h2 id="history-heading">Scores over time</h2>
      {error != null && <ErrorNotice error={error} onRetry={retry} />}
      {!data && error == null && <Loading />}
      {data && <HistoryView history={data} />}
    </section>
  );
}

function HistoryView({ history }: { history: CandidateHistory }) {
  const points = history.scores_over_time.map((p) => ({
    label: new Date(p.ended_at ?? p.created_at).toLocaleDateString(undefined, { month: "short", day: "numeric" }),
    value: p.overall_score,
  }));
  const latest = history.scores_over_time.at(-1);
  return (
    <div className="stack">
      <dl className="metrics">
        <div>
          <dt>Interviews</dt>
          <dd>{history.total_interviews}</dd>
        </div>
        <div>
          <dt>Average</dt>
          <dd>{formatScore(history.average_score)}</dd>
        </div>
        <div>
          <dt>Best</dt>
          <dd>{formatScore(history.best_score)}</dd>
        </div>
        <div>
          <dt>Change</dt>
          <dd>{history.improvement == null ? "—" : `${history.improvement > 0 ? "+" : ""}${history.improvement.toFixed(1)}`}</dd>
        </div>
      </dl>
      <TrendChart title={`Overall scores of ${history.candidate_name}`} points={points} />
      {latest && <BenchmarkView interviewType={latest.interview_type} score={latest.overall_score} />}
    </div>
  );
}

function BenchmarkView({ interviewType, score }: { interviewType: string; score: number }) {
  const { data, error } = useLoad(useCallback(() => api.benchmarks(interviewType), [interviewType]));
  if (error != null) return <ErrorNotice error={error} />;
  if (!data) return <Loading />;
  return <BenchmarkBar benchmarks={data} score={score} />;
}

/** Where a score stands against the percentiles (0–10 scale). */
export function BenchmarkBar({ benchmarks, score }: { benchmarks: Benchmarks; score: number }) {
  const overall = benchmarks.benchmarks.overall;
  if (!overall) return <p className="muted">No benchmark for {benchmarks.interview_type} yet.</p>;
  const marks = [
    { label: "P25", value: overall.p25 },
    { label: "P50", value: overall.p50 },
    { label: "P75", value: overall.p75 },
    { label: "P90", value: overall.p90 },
  ];
  const band = marks.filter((m) => score >= m.value).at(-1);
  // Percentiles that coincide (few interviews) share one mark: "P25–P90".
  const groups = marks.reduce<{ label: string; value: number }[]>((all, m) => {
    const same = all.find((g) => Math.abs(g.value - m.value) < 0.05);
    if (same) same.label = `${same.label.split("–")[0]}–${m.label}`;
    else all.push({ ...m });
    return all;
  }, []);
  return (
    <div className="benchmark" data-testid="benchmark">
      <h3>
        Latest {benchmarks.interview_type} score: {score.toFixed(1)}
      </h3>
      <p className="muted">
        {band ? `At or above the ${band.label.slice(1)}th percentile` : "Below the 25th percentile"} of {benchmarks.sample_size} interview
        {benchmarks.sample_size === 1 ? "" : "s"} ({benchmarks.scope === "own" ? "yours" : "everyone's"}).
        {benchmarks.sample_size < 5 && " The comparison means more after a few more interviews."}
      </p>
      <div className="benchmark-scale" role="img" aria-label={`Score ${score.toFixed(1)}; ${marks.map((m) => `${m.label} ${m.value.toFixed(1)}`).join(", ")}`}>
        {groups.map((m) => (
          <span key={m.label} className="benchmark-mark" style={{ left: `${m.value * 10}%` }}>
            <span>{m.label}</span>
          </span>
        ))}
        <span className="benchmark-you" style={{ left: `${score * 10}%` }}>
          <span>You</span>
        </span>
      </div>
    </div>
  );
}

const TREND_WORDS: Record<string, string> = {
  improving: "Improving",
  declining: "Declining",
  stable: "Stable",
  insufficient_data: "Not enough data yet",
};

function TrendsSection() {
  const { data, error, retry } = useLoad<Trends>(useCallback(() => api.trends(30), []));
  return (
    <section className="card" aria-labelledby="trends-heading">
      <h2 id="trends-heading">Last 30 days</h2>
      {error != null && <ErrorNotice error={error} onRetry={retry} />}
      {!data && error == null && <Loading />}
      {data && (
        <>
          <p>
            <span className={`badge trend-${data.trend}`}>{TREND_WORDS[data.trend] ?? data.trend}</span>{" "}
            {data.trend !== "insufficient_data" && `${data.change > 0 ? "+" : ""}${data.change.toFixed(1)} points over the period`}
          </p>
          <TrendChart
            title="Daily average score"
            points={data.data
              .filter((d) => d.average_score != null)
              .map((d) => ({ label: d.date.slice(5), value: d.average_score ?? 0 }))}
          />
        </>
      )}
    </section>
  );
}

function AggregateSection({ admin }: { admin: boolean }) {
  const { data, error, retry } = useLoad<Aggregate>(useCallback(() => api.aggregate(), []));
  return (
    <section className="card" aria-labelledby="aggregate-heading">
      <h2 id="aggregate-heading">{admin ? "All candidates (admin)" : "All your interviews"}</h2>
      {error != null && <ErrorNotice error={error} onRetry={retry} />}
      {!data && error == null && <Loading />}
      {data && (
        <div className="stack">
          <dl className="metrics">
            <div>
              <dt>Interviews</dt>
              <dd>{data.total_interviews}</dd>
            </div>
            <div>
              <dt>Completed</dt>
              <dd>{Math.round(data.completion_rate * 100)}%</dd>
            </div>
            <div>
              <dt>Average score</dt>
              <dd>{formatScore(data.average_score)}</dd>
            </div>
            <div>
              <dt>Average length</dt>
              <dd>{formatDuration(data.average_duration_seconds)}</dd>
            </div>
          </dl>
          <div className="grid-2">
            <div>
              <h3>Average by metric</h3>
              <ul className="plain-list">
                {METRICS.map((m) => (
                  <li key={m.key}>
                    {m.label}: <strong>{formatScore(data.average_scores[m.snake])}</strong>
                  </li>
                ))}
              </ul>
            </div>
            <div>
              <h3>Outcomes</h3>
              <ul className="plain-list">
                {Object.entries(data.recommendation_distribution).map(([k, n]) => (
                  <li key={k}>
                    {recommendationLabel(k)}: <strong>{n}</strong>
                  </li>
                ))}
              </ul>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
