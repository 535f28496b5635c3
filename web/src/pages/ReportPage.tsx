/**
 * The performance report: overall score and what it means, the detailed feedback, the radar of the five metrics and
 * the candidate's trend in this interview type, each answer under its question (key points credited with the sentence
 * that earned them, missed, red flags, integrity notes), scores with their evidence, code runs over time, the
 * transcript, and a PDF export. An interview that has not ended yet offers to continue or end it.
 */
import { useCallback, useEffect, useState } from "react";
import { api } from "../api/client";
import { ApiError } from "../api/errors";
import type { AnswerReview, OwnHistory, Report, Submission, TranscriptEntry } from "../api/types";
import { ErrorNotice } from "../components/ErrorNotice";
import { Loading } from "../components/Loading";
import { RadarChart } from "../components/RadarChart";
import { TrendChart, type TrendPoint } from "../components/TrendChart";
import { formatDate, formatDuration, formatScore, humanizeCodes, recommendationLabel } from "../format";
import { confidenceWords, describeIntegrity } from "../report/answers";
import { COMFORTABLE_PACE, deliverySummary, type DeliverySummary } from "../report/delivery";
import { METRICS } from "../report/metrics";
import { Link, navigate, paths } from "../router";

export function ReportPage({ sessionId }: { sessionId: string }) {
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    setError(null);
    api
      .report(sessionId)
      .then((r) => setReport(r.report))
      .catch(setError);
  }, [sessionId]);
  useEffect(load, [load]);
  const unfinished = error instanceof ApiError && error.code === "report_not_ready";

  return (
    <main className="page" id="main">
      {unfinished && <Unfinished sessionId={sessionId} onEnded={load} />}
      {error != null && !unfinished && (
        <>
          <h1>Interview report</h1>
          <ErrorNotice error={error} onRetry={load} />
        </>
      )}
      {!report && error == null && <Loading label="Loading your report…" />}
      {report && <ReportView report={report} sessionId={sessionId} />}
    </main>
  );
}

/** The report of an interview still running: carry on, or end it now and see the report. */
function Unfinished({ sessionId, onEnded }: { sessionId: string; onEnded: () => void }) {
  const [ending, setEnding] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const end = async () => {
    setEnding(true);
    setError(null);
    try {
      await api.endInterview(sessionId);
      onEnded();
    } catch (e) {
      setError(e);
      setEnding(false);
    }
  };
  return (
    <section className="card stack" aria-labelledby="unfinished-heading" data-testid="unfinished">
      <h1 id="unfinished-heading">This interview isn't finished yet</h1>
      <p>The report is written when the interview ends. You can carry on where you left off, or end it now and get your report.</p>
      <div className="row row-wrap">
        <button type="button" className="button" onClick={() => navigate(paths.interview(sessionId))}>
          Continue the interview
        </button>
        <button type="button" className="button button-secondary" onClick={() => void end()} disabled={ending}>
          {ending ? "Scoring your interview…" : "End it and see the report"}
        </button>
      </div>
      {error != null && <ErrorNotice error={error} />}
    </section>
  );
}

/** The candidate's scores in one interview type, for the trend chart. */
export function typeTrend(history: OwnHistory | null, interviewType: string): TrendPoint[] {
  const of = history?.by_type.find((t) => t.interview_type === interviewType);
  return (of?.scores_over_time ?? []).map((p) => {
    const when = Date.parse(p.ended_at ?? p.created_at);
    return { label: new Date(when).toLocaleDateString(undefined, { month: "short", day: "numeric" }), value: p.overall_score, time: when };
  });
}

export function ReportView({ report, sessionId }: { report: Report; sessionId?: string }) {
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const [history, setHistory] = useState<OwnHistory | null>(null);
  const [submissions, setSubmissions] = useState<Submission[] | null>(null);
  const [transcript, setTranscript] = useState<TranscriptEntry[] | null>(null);
  const delivery = deliverySummary(report);
  const id = sessionId ?? report.sessionId;

  useEffect(() => {
    if (!id) return;
    api.ownHistory().then(setHistory).catch(() => setHistory(null));
    api
      .submissions(id)
      .then((r) => setSubmissions(r.submissions))
      .catch(() => setSubmissions([]));
    api
      .transcript(id)
      .then((r) => setTranscript(r.transcript))
      .catch(() => setTranscript([]));
  }, [id]);
  const trend = typeTrend(history, report.interviewType);

  const exportPdf = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const { downloadReportPdf, chartImages } = await import("../report/pdf");
      await downloadReportPdf(report, { charts: await chartImages(report, trend), transcript: transcript ?? [], submissions: submissions ?? [] });
    } catch (e) {
      setExportError(e);
    } finally {
      setExporting(false);
    }
  };

  return (
    <article className="report stack" aria-labelledby="report-title">
      <header className="report-header">
        <div>
          <h1 id="report-title">Interview report</h1>
          <p className="muted">
            {report.candidateName} · {report.interviewType} · {formatDate(report.endedAt ?? report.generatedAt)}
            {report.metrics?.durationSeconds != null && ` · ${formatDuration(report.metrics.durationSeconds)}`}
          </p>
        </div>
        <div className="row">
          <button type="button" className="button" onClick={() => void exportPdf()} disabled={exporting}>
            {exporting ? "Preparing PDF…" : "Export PDF"}
          </button>
          <Link className="button button-secondary" href={paths.progress()}>
            Progress
          </Link>
        </div>
      </header>
      {exportError != null && <ErrorNotice error={exportError} />}

      <section className="report-summary card" aria-label="Summary">
        <div className="overall">
          <div className="overall-score" aria-label={`Overall score ${formatScore(report.overallScore)} out of 10`}>
            <span data-testid="overall-score">{formatScore(report.overallScore)}</span>
            <small>/10</small>
          </div>
          <span className={`recommendation rec-${report.recommendation}`} data-testid="recommendation">
            {recommendationLabel(report.recommendation)}
          </span>
          {report.recommendationReason && <p className="muted">{humanizeCodes(report.recommendationReason)}</p>}
        </div>
        <RadarChart title="Scores by metric" axes={METRICS.map((m) => ({ label: m.short, value: report.scores[m.key] }))} />
      </section>

      {report.detailedFeedback && (
        <section className="card" aria-labelledby="feedback-heading" data-testid="detailed-feedback">
          <h2 id="feedback-heading">Feedback</h2>
          {humanizeCodes(report.detailedFeedback)
            .split(/\n{2,}/)
            .map((paragraph, i) => (
              <p key={i}>{paragraph}</p>
            ))}
        </section>
      )}

      {trend.length > 0 && (
        <section className="card" aria-labelledby="trend-heading">
          <h2 id="trend-heading">Your {report.interviewType} scores over time</h2>
          <TrendChart title={`Your ${report.interviewType} overall scores`} points={trend} />
        </section>
      )}

      {(report.answers?.length ?? 0) > 0 && (
        <section className="card" aria-labelledby="answers-heading" data-testid="answers">
          <h2 id="answers-heading">Question by question</h2>
          <ol className="answer-list">
            {report.answers!.map((answer, i) => (
              <AnswerItem key={i} answer={answer} />
            ))}
          </ol>
        </section>
      )}

      {(report.integrity?.length ?? 0) > 0 && (
        <section className="card notice-warning" aria-labelledby="integrity-heading" data-testid="integrity">
          <h2 id="integrity-heading">What the scores could not take at face value</h2>
          <ul>
            {report.integrity!.map((note, i) => (
              <li key={i}>{describeIntegrity(note)}</li>
            ))}
          </ul>
        </section>
      )}

      <section className="card" aria-labelledby="scores-heading">
        <h2 id="scores-heading">Scores and evidence</h2>
        <ul className="score-list">
          {METRICS.map((metric) => {
            const score = report.scores[metric.key];
            const evidence = report.evidence[metric.key];
            return (
              <li key={metric.key} className="score-item">
                <div className="score-line">
                  <span className="score-label">{metric.label}</span>
                  <span className="score-bar" aria-hidden="true">
                    <span style={{ width: `${((score ?? 0) / 10) * 100}%` }} />
                  </span>
                  <span className="score-value">{score == null ? "not assessed" : `${score.toFixed(1)}/10`}</span>
                </div>
                {evidence && (
                  <details data-testid="evidence">
                    <summary>
                      {humanizeCodes(evidence.summary)} <span className="muted">(weight {Math.round(evidence.effectiveWeight * 100)}%)</span>
                    </summary>
                    <ul className="evidence">
                      {evidence.evidence.map((item, i) => (
                        <li key={i}>
                          {item.score != null && <span className="evidence-score">{item.score.toFixed(1)}</span>}
                          {item.question && <q>{item.question}</q>}
                          {item.excerpt && <span className="muted"> — “{item.excerpt}”</span>}
                          <span className="evidence-reasons">{humanizeCodes(item.reasons.join("; "))}</span>
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
              </li>
            );
          })}
        </ul>
      </section>

      <div className="grid-2">
        <section className="card" aria-labelledby="strengths-heading">
          <h2 id="strengths-heading">Strengths</h2>
          {report.strengths.length === 0 ? (
            <p className="muted">No clear strengths yet — the improvements show where to start.</p>
          ) : (
            <ul className="check-list">{report.strengths.map((s, i) => <li key={i}>{humanizeCodes(s)}</li>)}</ul>
          )}
        </section>
        <section className="card" aria-labelledby="improvements-heading">
          <h2 id="improvements-heading">To improve</h2>
          <ul className="arrow-list">{report.improvements.map((s, i) => <li key={i}>{humanizeCodes(s)}</li>)}</ul>
        </section>
      </div>

      {delivery && <DeliveryView delivery={delivery} />}

      {submissions && submissions.length > 0 && <SubmissionsView submissions={submissions} />}

      {transcript && transcript.length > 0 && (
        <section className="card" aria-labelledby="transcript-heading" data-testid="transcript">
          <h2 id="transcript-heading">Transcript</h2>
          <details>
            <summary>All {transcript.length} messages</summary>
            <ol className="transcript">
              {transcript.map((entry, i) => (
                <li key={i} className={`transcript-${entry.role}`}>
                  <span className="transcript-who">{entry.role === "user" ? "You" : entry.role === "assistant" ? "Interviewer" : "Note"}</span>{" "}
                  <span className="muted transcript-time">{new Date(entry.timestamp).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}</span>
                  <p>{entry.text}</p>
                </li>
              ))}
            </ol>
          </details>
        </section>
      )}
    </article>
  );
}

function AnswerItem({ answer }: { answer: AnswerReview }) {
  const credited = answer.keyPointsCredited ?? [];
  const missed = answer.keyPointsMissed ?? [];
  const flags = answer.redFlags ?? [];
  const notes = answer.integrity ?? [];
  return (
    <li className="answer-item" data-testid="answer">
      <h3 className="answer-question">{answer.question}</h3>
      {(answer.followUps?.length ?? 0) > 0 && <p className="muted">Follow-ups: {answer.followUps!.map((f) => `“${f}”`).join(" ")}</p>}
      <p className="answer-meta">
        <span className="evidence-score">{answer.score.toFixed(1)}</span>
        <span className="muted">
          {answer.kind === "behavioral" ? "behavioural" : answer.kind} · {confidenceWords(answer.confidence)}
        </span>
      </p>
      <blockquote className="answer-text">{answer.answer}</blockquote>
      {credited.length > 0 && (
        <div>
          <h4>Key points you made</h4>
          <ul className="check-list">
            {credited.map((c, i) => (
              <li key={i}>
                <strong>{c.point}</strong> — <q>{c.sentence}</q>
                {c.hinted && <span className="muted"> (once the interviewer had pointed at it: half credit)</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
      {missed.length > 0 && (
        <div>
          <h4>Key points missed</h4>
          <ul className="arrow-list">
            {missed.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        </div>
      )}
      {flags.length > 0 && (
        <div className="red-flags">
          <h4>Red flags</h4>
          <ul>
            {flags.map((f, i) => (
              <li key={i}>
                <strong>{f.claim}</strong> — <q>{f.sentence}</q>
              </li>
            ))}
          </ul>
        </div>
      )}
      {notes.length > 0 && (
        <ul className="integrity-notes">
          {notes.map((n, i) => (
            <li key={i}>{describeIntegrity(n)}</li>
          ))}
        </ul>
      )}
    </li>
  );
}

const VERDICT_WORDS: Record<string, string> = {
  Accepted: "All tests pass",
  WrongAnswer: "Wrong answer",
  RuntimeError: "Runtime error",
  CompileError: "Doesn't compile",
  TimeLimitExceeded: "Too slow",
  MemoryLimitExceeded: "Too much memory",
  OutputLimitExceeded: "Too much output",
};

export function verdictWords(verdict: string): string {
  return VERDICT_WORDS[verdict] ?? verdict;
}

function SubmissionsView({ submissions }: { submissions: Submission[] }) {
  return (
    <section className="card" aria-labelledby="runs-heading" data-testid="submissions">
      <h2 id="runs-heading">Code runs</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Code runs, oldest first">
        <table className="runs">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Problem</th>
              <th scope="col">Language</th>
              <th scope="col">Result</th>
              <th scope="col">Tests</th>
              <th scope="col">Quality</th>
            </tr>
          </thead>
          <tbody>
            {submissions.map((s) => (
              <tr key={s.submissionId} data-verdict={s.verdict}>
                <td>{new Date(s.timestamp).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" })}</td>
                <td>
                  {s.problemId ?? "your own tests"}
                  {s.mode === "scratch" && <span className="muted"> (not scored)</span>}
                </td>
                <td>{s.language}</td>
                <td className={s.allTestsPassed ? "run-pass" : "run-fail"}>{verdictWords(s.verdict)}</td>
                <td>
                  {s.passedCount}/{s.totalCount}
                </td>
                <td>{s.qualityMetrics ? `${s.qualityMetrics.qualityScore.toFixed(1)}/10` : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function DeliveryView({ delivery }: { delivery: DeliverySummary }) {
  const { min, max } = COMFORTABLE_PACE;
  const filler = delivery.fillerWordsPer100Words;
  return (
    <section className="card" aria-labelledby="delivery-heading" data-testid="delivery">
      <h2 id="delivery-heading">Delivery</h2>
      <p className="muted">How your spoken answers sounded.</p>
      <dl className="metrics">
        <div data-pace={delivery.pace}>
          <dt>Pace</dt>
          <dd data-testid="pace">{Math.round(delivery.wordsPerMinute)} words per minute</dd>
        </div>
        {filler != null && (
          <div>
            <dt>Filler words</dt>
            <dd data-testid="filler-rate">{filler.toFixed(1)} per 100 words</dd>
          </div>
        )}
      </dl>
      <p>
        {delivery.paceAdvice} A comfortable pace is {min}–{max} words per minute.
        {filler != null && (filler < 2 ? " Filler words (um, uh, like…) were rare." : " Try replacing filler words (um, uh, like…) with a short pause.")}
      </p>
    </section>
  );
}
