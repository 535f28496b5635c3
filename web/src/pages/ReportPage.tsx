/** The performance report: overall score, radar, score bars with evidence, strengths, improvements, PDF export. */
import { useCallback, useEffect, useState } from "react";
import { api } from "../api/client";
import type { Report } from "../api/types";
import { ErrorNotice } from "../components/ErrorNotice";
import { Loading } from "../components/Loading";
import { RadarChart } from "../components/RadarChart";
import { formatDate, formatDuration, formatScore, recommendationLabel } from "../format";
import { COMFORTABLE_PACE, deliverySummary, type DeliverySummary } from "../report/delivery";
import { METRICS } from "../report/metrics";
import { Link, paths } from "../router";

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

  return (
    <main className="page" id="main">
      {error != null && <ErrorNotice error={error} onRetry={load} />}
      {!report && error == null && <Loading label="Loading your report…" />}
      {report && <ReportView report={report} />}
    </main>
  );
}

export function ReportView({ report }: { report: Report }) {
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const delivery = deliverySummary(report);

  const exportPdf = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const { downloadReportPdf } = await import("../report/pdf");
      await downloadReportPdf(report);
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

      <section className="report-summary card">
        <div className="overall">
          <div className="overall-score" aria-label={`Overall score ${formatScore(report.overallScore)} out of 10`}>
            <span data-testid="overall-score">{formatScore(report.overallScore)}</span>
            <small>/10</small>
          </div>
          <span className={`recommendation rec-${report.recommendation}`} data-testid="recommendation">
            {recommendationLabel(report.recommendation)}
          </span>
          {report.recommendationReason && <p className="muted">{report.recommendationReason}</p>}
        </div>
        <RadarChart title="Scores by metric" axes={METRICS.map((m) => ({ label: m.short, value: report.scores[m.key] }))} />
      </section>

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
                  <details>
                    <summary>
                      {evidence.summary} <span className="muted">(weight {Math.round(evidence.effectiveWeight * 100)}%)</span>
                    </summary>
                    <ul className="evidence">
                      {evidence.evidence.map((item, i) => (
                        <li key={i}>
                          {item.score != null && <span className="evidence-score">{item.score.toFixed(1)}</span>}
                          {item.question && <q>{item.question}</q>}
                          {item.excerpt && <span className="muted"> — “{item.excerpt}”</span>}
                          <span className="evidence-reasons">{item.reasons.join("; ")}</span>
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
            <ul className="check-list">{report.strengths.map((s, i) => <li key={i}>{s}</li>)}</ul>
          )}
        </section>
        <section className="card" aria-labelledby="improvements-heading">
          <h2 id="improvements-heading">To improve</h2>
          <ul className="arrow-list">{report.improvements.map((s, i) => <li key={i}>{s}</li>)}</ul>
        </section>
      </div>

      {delivery && <DeliveryView delivery={delivery} />}
    </article>
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
