/** The report as a real PDF file, drawn in the browser with jsPDF (loaded only when the candidate exports). */
import type { Report } from "../api/types";
import { formatDate, formatDuration, formatScore, recommendationLabel } from "../format";
import { COMFORTABLE_PACE, deliverySummary } from "./delivery";
import { METRICS } from "./metrics";

/** The built-in PDF fonts cover Latin-1 only: typographic characters become their ASCII forms. */
export function pdfSafe(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, "-")
    .replace(/\u2026/g, "...")
    .replace(/[^\x20-\x7e\xa0-\xff\n]/g, "?");
}

export async function buildReportPdf(report: Report): Promise<Blob> {
  const { jsPDF } = await import("jspdf");
  const doc = new jsPDF({ unit: "pt", format: "a4" });
  const width = doc.internal.pageSize.getWidth();
  const height = doc.internal.pageSize.getHeight();
  const margin = 48;
  let y = margin;

  const ensure = (space: number) => {
    if (y + space > height - margin) {
      doc.addPage();
      y = margin;
    }
  };
  const paragraph = (text: string, size = 10, color: [number, number, number] = [40, 40, 50]) => {
    doc.setFontSize(size);
    doc.setTextColor(...color);
    const lines = doc.splitTextToSize(pdfSafe(text), width - margin * 2) as string[];
    for (const line of lines) {
      ensure(size * 1.4);
      doc.text(line, margin, y);
      y += size * 1.4;
    }
  };
  const heading = (text: string) => {
    y += 8;
    ensure(30);
    doc.setFont("helvetica", "bold");
    paragraph(text, 13, [30, 27, 75]);
    doc.setFont("helvetica", "normal");
    y += 2;
  };

  doc.setFont("helvetica", "bold");
  paragraph("PrepAI interview report", 20, [79, 70, 229]);
  doc.setFont("helvetica", "normal");
  paragraph(`${report.candidateName} - ${report.interviewType} - ${formatDate(report.endedAt ?? report.generatedAt)}`, 11);
  if (report.metrics?.durationSeconds != null) paragraph(`Duration: ${formatDuration(report.metrics.durationSeconds)}`, 10);
  y += 6;
  doc.setFont("helvetica", "bold");
  paragraph(`Overall ${formatScore(report.overallScore)}/10 - ${recommendationLabel(report.recommendation)}`, 16, [17, 24, 39]);
  doc.setFont("helvetica", "normal");
  if (report.recommendationReason) paragraph(report.recommendationReason, 10, [90, 90, 100]);

  heading("Scores");
  for (const metric of METRICS) {
    ensure(22);
    const score = report.scores[metric.key];
    doc.setFontSize(10);
    doc.setTextColor(40, 40, 50);
    doc.text(metric.label, margin, y);
    const barX = margin + 140;
    const barWidth = width - margin - barX - 60;
    doc.setFillColor(229, 231, 235);
    doc.rect(barX, y - 8, barWidth, 9, "F");
    if (score != null) {
      doc.setFillColor(79, 70, 229);
      doc.rect(barX, y - 8, (barWidth * score) / 10, 9, "F");
    }
    doc.text(score == null ? "not assessed" : `${score.toFixed(1)}/10`, barX + barWidth + 8, y);
    y += 20;
  }

  for (const metric of METRICS) {
    const evidence = report.evidence[metric.key];
    if (!evidence) continue;
    heading(`${metric.label}: ${formatScore(evidence.score)}`);
    paragraph(evidence.summary, 10, [90, 90, 100]);
    for (const item of evidence.evidence.slice(0, 6)) {
      paragraph(`- ${item.reasons.join("; ")}${item.score != null ? ` (${item.score.toFixed(1)})` : ""}`, 9);
    }
  }

  heading("Strengths");
  if (report.strengths.length === 0) paragraph("None recorded.", 10);
  report.strengths.forEach((s) => paragraph(`+ ${s}`));
  heading("To improve");
  report.improvements.forEach((s) => paragraph(`- ${s}`));
  const delivery = deliverySummary(report);
  if (delivery) {
    heading("Delivery");
    paragraph(
      `Pace: ${Math.round(delivery.wordsPerMinute)} words per minute (comfortable: ${COMFORTABLE_PACE.min}-${COMFORTABLE_PACE.max}). ${delivery.paceAdvice}`,
    );
    if (delivery.fillerWordsPer100Words != null) paragraph(`Filler words: ${delivery.fillerWordsPer100Words.toFixed(1)} per 100 words`);
  }
  return doc.output("blob");
}

/** Builds the PDF and hands it to the browser as a download. */
export async function downloadReportPdf(report: Report): Promise<void> {
  const blob = await buildReportPdf(report);
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `prepai-report-${report.interviewType.replace(/\s+/g, "-").toLowerCase()}-${report.sessionId.slice(0, 8)}.pdf`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
