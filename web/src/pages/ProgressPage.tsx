/** Progress: the signed-in candidate's own history per interview type (no name to type), outcomes strongest first,
 * where the latest score stands against everyone who took that type (anonymous, once enough candidates have), the
 * 30-day trend, and the aggregate. */
import { useCallback, useEffect, useState } from "react";
import { api } from "../api/client";
import type { Aggregate, Benchmarks, OwnHistory, Trends, TypeHistory } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { ErrorNotice } from "../components/ErrorNotice";
import { Loading } from "../components/Loading";
import { TrendChart, type TrendSeries } from "../components/TrendChart";
import { formatDuration, formatScore, RECOMMENDATION_ORDER, recommendationLabel } from "../format";
import { METRICS } from "../report/metrics";
import { Link, paths } from "../router";

export function ProgressPage() {
  const { admin } = useAuth();
  return (
    <main className="page" id="main">
      <h1>Your progress</h1>
      <HistorySection />
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

/** One line per interview type, dated by when each interview ended. */
export function historySeries(history: OwnHistory): TrendSeries[] {
  return history.by_type.map((t) => ({
    name: t.interview_type,
    points: t.scores_over_time.map((p) => {
      const when = Date.parse(p.ended_at ?? p.created_at);
      return { label: new Date(when).toLocaleDateString(undefined, { month: "short", day: "numeric" }), value: p.overall_score, time: when };
    }),
  }));
}

/** Outcomes strongest first, each with how often it was given (every outcome listed, zeros included). */
export function orderedOutcomes(outcomes: OwnHistory["outcomes"]): { label: string; count: number; code: string }[] {
  return RECOMMENDATION_ORDER.map((code) => ({ code, label: recommendationLabel(code), count: outcomes.find((o) => o.recommendation === code)?.count ?? 0 }));
}

function HistorySection() {
  const { data, error, retry } = useLoad(useCallback(() => api.ownHistory(), []));
  return (
    <section className="card" aria-labelledby="history-heading">
      <h2 id="history-heading">Scores over time</h2>
      {error != null && <ErrorNotice error={error} onRetry={retry} />}
      {!data && error == null && <Loading />}
      {data && data.total_interviews === 0 && (
        <p className="muted">
          No scored interviews yet. <Link href={paths.home()}>Start one</Link> and your scores appear here.
        </p>
      )}
      {data && data.total_interviews > 0 && <HistoryView history={data} />}
    </section>
  );
}

function HistoryView({ history }: { history: OwnHistory }) {
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
      <TrendChart title="Your overall scores by interview type" series={historySeries(history)} />
      <div>
        <h3>Outcomes</h3>
        <ol className="outcomes" data-testid="outcomes">
          {orderedOutcomes(history.outcomes).map((o) => (
            <li key={o.code} className={`outcome rec-${o.code}`}>
              <span>{o.label}</span> <strong>{o.count}</strong>
            </li>
          ))}
        </ol>
      </div>
      {history.by_type.map((t) => (
        <TypeBenchmark key={t.interview_type} type={t} />
      ))}
    </div>
  );
}

function TypeBenchmark({ type }: { type: TypeHistory }) {
  const { data, error } = useLoad(useCallback(() => api.benchmarks(type.interview_type), [type.interview_type]));
  const latest = type.latest_score;
  return (
    <section className="type-benchmark" aria-label={`${type.interview_type} against everyone`}>
      <h3>
        {type.interview_type}: {type.total_interviews} interview{type.total_interviews === 1 ? "" : "s"}, latest {formatScore(latest)}
      </h3>
      {error != null && <ErrorNotice error={error} />}
      {!data && error == null && <Loading />}
      {data && latest != null && <BenchmarkBar benchmarks={data} score={latest} />}
    </section>
  );
}

/** Where a score stands against everyone's percentiles (0–10 scale), or why there is no comparison yet. */
export function BenchmarkBar({ benchmarks, score }: { benchmarks: Benchmarks; score: number }) {
  const overall = benchmarks.benchmarks?.overall;
  if (!overall) {
    return (
      <p className="muted" data-testid="benchmark-withheld">
        Not enough data yet: the comparison with other candidates appears once {benchmarks.min_candidates} people have completed a{" "}
        {benchmarks.interview_type} interview.
      </p>
    );
  }
  const marks = [
    { label: "P25", value: overall.p25 },
    { label: "P50", value: overall.p50 },
    { label: "P75", value: overall.p75 },
    { label: "P90", value: overall.p90 },
  ];
  const band = marks.filter((m) => score >= m.value).at(-1);
  // Percentiles that coincide share one mark: "P25–P90".
  const groups = marks.reduce<{ label: string; value: number }[]>((all, m) => {
    const same = all.find((g) => Math.abs(g.value - m.value) < 0.05);
    if (same) same.label = `${same.label.split("–")[0]}–${m.label}`;
    else all.push({ ...m });
    return all;
  }, []);
  return (
    <div className="benchmark" data-testid="benchmark">
      <p className="muted">
        {band ? `At or above the ${band.label.slice(1)}th percentile` : "Below the 25th percentile"} of {benchmarks.sample_size} {benchmarks.interview_type}{" "}
        interviews by {benchmarks.candidates} candidates.
        {!benchmarks.published && " Shown to admins only: fewer candidates than needed to publish."}
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
              .map((d) => ({ label: d.date.slice(5), value: d.average_score ?? 0, time: Date.parse(d.date) }))}
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
                {RECOMMENDATION_ORDER.map((k) => (
                  <li key={k}>
                    {recommendationLabel(k)}: <strong>{data.recommendation_distribution[k] ?? 0}</strong>
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
