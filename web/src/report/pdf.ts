/**
 * The report as a real PDF file, drawn in the browser with jsPDF (loaded only when the candidate exports): the
 * radar and trend charts as images, each question with the candidate's answer and what it earned, the code runs and
 * the transcript, in DejaVu Sans embedded (subset to the glyphs used), so any Latin, Greek or Cyrillic text prints
 * as written.
 */
import type { jsPDF as JsPdf } from "jspdf";
import type { Report, Submission, TranscriptEntry } from "../api/types";
import { formatDate, formatDuration, formatScore, humanizeCodes, recommendationLabel } from "../format";
import type { TrendPoint } from "../components/TrendChart";
import { confidenceWords, describeIntegrity } from "./answers";
import { COMFORTABLE_PACE, deliverySummary } from "./delivery";
import { METRICS } from "./metrics";

/** Without an embedded font the built-in ones cover Latin-1 only: typographic characters become their ASCII forms. */
export function pdfSafe(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, "-")
    .replace(/\u2026/g, "...")
    .replace(/[^\x20-\x7e\xa0-\xff\n]/g, "?");
}

/** A chart rasterised for the PDF. */
export interface ChartImage {
  dataUrl: string;
  width: number;
  height: number;
}

export interface PdfExtras {
  /** DejaVu Sans (TTF bytes); loaded from the app's own assets when not given. */
  font?: ArrayBuffer | null;
  charts?: { radar?: ChartImage | null; trend?: ChartImage | null };
  transcript?: TranscriptEntry[];
  submissions?: Submission[];
}

/** The embedded font's name inside the PDF. */
export const PDF_FONT = "DejaVuSans";

function base64(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes);
  let text = "";
  for (let i = 0; i < view.length; i += 0x8000) text += String.fromCharCode(...view.subarray(i, i + 0x8000));
  return btoa(text);
}

/** DejaVu Sans from the app's own assets (the npm package `dejavu-fonts-ttf`; Bitstream Vera / DejaVu licence). */
export async function loadPdfFont(): Promise<ArrayBuffer> {
  const { default: url } = await import("dejavu-fonts-ttf/ttf/DejaVuSans.ttf?url");
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the PDF font did not load (${response.status})`);
  return response.arrayBuffer();
}

export async function buildReportPdf(report: Report, extras: PdfExtras = {}): Promise<Blob> {
  const { jsPDF } = await import("jspdf");
  const doc: JsPdf = new jsPDF({ unit: "pt", format: "a4" });
  const font = extras.font === undefined ? await loadPdfFont() : extras.font;
  const unicode = font !== null;
  if (font) {
    doc.addFileToVFS(`${PDF_FONT}.ttf`, base64(font));
    doc.addFont(`${PDF_FONT}.ttf`, PDF_FONT, "normal");
  }
  const family = unicode ? PDF_FONT : "helvetica";
  const clean = (text: string) => (unicode ? text : pdfSafe(text));
  const strong = (on: boolean) => doc.setFont(family, unicode ? "normal" : on ? "bold" : "normal");
  strong(false);

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
  const paragraph = (text: string, size = 10, color: [number, number, number] = [40, 40, 50], indent = 0) => {
    doc.setFontSize(size);
    doc.setTextColor(...color);
    const lines = doc.splitTextToSize(clean(text), width - margin * 2 - indent) as string[];
    for (const line of lines) {
      ensure(size * 1.4);
      doc.text(line, margin + indent, y);
      y += size * 1.4;
    }
  };
  const heading = (text: string, size = 13) => {
    y += 8;
    ensure(36);
    strong(true);
    paragraph(text, size, [30, 27, 75]);
    strong(false);
    y += 2;
  };
  const image = (chart: ChartImage | null | undefined, maxWidth: number) => {
    if (!chart) return;
    const w = Math.min(maxWidth, chart.width);
    const h = (chart.height / chart.width) * w;
    ensure(h + 8);
    doc.addImage(chart.dataUrl, "PNG", (width - w) / 2, y, w, h, undefined, "FAST");
    y += h + 8;
  };

  strong(true);
  paragraph("PrepAI interview report", 20, [79, 70, 229]);
  strong(false);
  paragraph(`${report.candidateName} · ${report.interviewType} · ${formatDate(report.endedAt ?? report.generatedAt)}`, 11);
  if (report.metrics?.durationSeconds != null) paragraph(`Duration: ${formatDuration(report.metrics.durationSeconds)}`, 10);
  y += 6;
  strong(true);
  paragraph(`Overall ${formatScore(report.overallScore)}/10 · ${recommendationLabel(report.recommendation)}`, 16, [17, 24, 39]);
  strong(false);
  if (report.recommendationReason) paragraph(humanizeCodes(report.recommendationReason), 10, [90, 90, 100]);
  image(extras.charts?.radar, 300);

  if (report.detailedFeedback) {
    heading("Feedback");
    for (const part of humanizeCodes(report.detailedFeedback).split(/\n{2,}/)) {
      paragraph(part);
      y += 4;
    }
  }
  if (extras.charts?.trend) {
    heading(`${report.interviewType} scores over time`);
    image(extras.charts.trend, width - margin * 2);
  }

  heading("Scores");
  for (const metric of METRICS) {
    ensure(22);
    const score = report.scores[metric.key];
    doc.setFontSize(10);
    doc.setTextColor(40, 40, 50);
    doc.text(metric.label, margin, y);
    const barX = margin + 140;
    const barWidth = width - margin - barX - 70;
    doc.setFillColor(229, 231, 235);
    doc.rect(barX, y - 8, barWidth, 9, "F");
    if (score != null) {
      doc.setFillColor(79, 70, 229);
      doc.rect(barX, y - 8, (barWidth * score) / 10, 9, "F");
    }
    doc.text(score == null ? "not assessed" : `${score.toFixed(1)}/10`, barX + barWidth + 8, y);
    y += 20;
  }

  const answers = report.answers ?? [];
  if (answers.length > 0) {
    heading("Question by question");
    answers.forEach((answer, i) => {
      y += 4;
      strong(true);
      paragraph(`${i + 1}. ${answer.question}`, 11, [17, 24, 39]);
      strong(false);
      paragraph(`${answer.score.toFixed(1)}/10 · ${confidenceWords(answer.confidence)}`, 9, [90, 90, 100]);
      paragraph(`“${answer.answer}”`, 9, [60, 60, 70], 10);
      for (const c of answer.keyPointsCredited ?? []) paragraph(`✓ ${c.point} — “${c.sentence}”`, 9, [6, 95, 70], 10);
      for (const m of answer.keyPointsMissed ?? []) paragraph(`→ missed: ${m}`, 9, [146, 64, 14], 10);
      for (const f of answer.redFlags ?? []) paragraph(`✗ ${f.claim} — “${f.sentence}”`, 9, [153, 27, 27], 10);
      for (const n of answer.integrity ?? []) paragraph(`! ${describeIntegrity(n)}`, 9, [153, 27, 27], 10);
    });
  }
  if ((report.integrity?.length ?? 0) > 0) {
    heading("What the scores could not take at face value");
    for (const n of report.integrity!) paragraph(`! ${describeIntegrity(n)}`);
  }

  for (const metric of METRICS) {
    const evidence = report.evidence[metric.key];
    if (!evidence) continue;
    heading(`${metric.label}: ${formatScore(evidence.score)}`, 11);
    paragraph(humanizeCodes(evidence.summary), 10, [90, 90, 100]);
    for (const item of evidence.evidence.slice(0, 6)) {
      paragraph(`- ${humanizeCodes(item.reasons.join("; "))}${item.score != null ? ` (${item.score.toFixed(1)})` : ""}`, 9);
    }
  }

  heading("Strengths");
  if (report.strengths.length === 0) paragraph("None recorded.", 10);
  report.strengths.forEach((s) => paragraph(`+ ${humanizeCodes(s)}`));
  heading("To improve");
  report.improvements.forEach((s) => paragraph(`- ${humanizeCodes(s)}`));
  const delivery = deliverySummary(report);
  if (delivery) {
    heading("Delivery");
    paragraph(
      `Pace: ${Math.round(delivery.wordsPerMinute)} words per minute (comfortable: ${COMFORTABLE_PACE.min}-${COMFORTABLE_PACE.max}). ${delivery.paceAdvice}`,
    );
    if (delivery.fillerWordsPer100Words != null) paragraph(`Filler words: ${delivery.fillerWordsPer100Words.toFixed(1)} per 100 words`);
  }
  const runs = extras.submissions ?? [];
  if (runs.length > 0) {
    heading("Code runs");
    for (const s of runs) {
      paragraph(
        `${new Date(s.timestamp).toLocaleTimeString()} · ${s.problemId ?? "own tests"} · ${s.language} · ${s.verdict} · ${s.passedCount}/${s.totalCount} tests` +
          (s.qualityMetrics ? ` · quality ${s.qualityMetrics.qualityScore.toFixed(1)}/10` : ""),
        9,
      );
    }
  }
  const transcript = extras.transcript ?? [];
  if (transcript.length > 0) {
    heading("Transcript");
    for (const entry of transcript) {
      const who = entry.role === "user" ? "You" : entry.role === "assistant" ? "Interviewer" : "Note";
      paragraph(`${who}: ${entry.text}`, 9, entry.role === "user" ? [30, 27, 75] : [60, 60, 70]);
      y += 2;
    }
  }
  return doc.output("blob");
}

/** Renders a chart component into detached markup at a fixed width, then rasterises it (2× for print). */
async function rasterise(markup: string): Promise<ChartImage | null> {
  const parsed = new DOMParser().parseFromString(markup, "image/svg+xml").documentElement;
  const width = Number(parsed.getAttribute("width"));
  const height = Number(parsed.getAttribute("height"));
  if (!width || !height) return null;
  const url = URL.createObjectURL(new Blob([markup], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error("the chart did not render"));
      img.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = width * 2;
    canvas.height = height * 2;
    const context = canvas.getContext("2d");
    if (!context) return null;
    context.scale(2, 2);
    context.drawImage(img, 0, 0, width, height);
    return { dataUrl: canvas.toDataURL("image/png"), width, height };
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The radar of this report and the trend of the candidate's scores in its type, as images for the PDF. */
export async function chartImages(report: Report, trend: TrendPoint[]): Promise<NonNullable<PdfExtras["charts"]>> {
  const [{ createElement }, { createRoot }, { flushSync }, { RadarChart }, { TrendChart }] = await Promise.all([
    import("react"),
    import("react-dom/client"),
    import("react-dom"),
    import("../components/RadarChart"),
    import("../components/TrendChart"),
  ]);
  const markupOf = (element: ReturnType<typeof createElement>): string => {
    const host = document.createElement("div");
    const root = createRoot(host);
    flushSync(() => root.render(element));
    const svg = host.querySelector("svg");
    if (svg && !svg.getAttribute("xmlns")) svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    const markup = svg ? new XMLSerializer().serializeToString(svg) : "";
    root.unmount();
    return markup;
  };
  const radar = await rasterise(
    markupOf(createElement(RadarChart, { title: "Scores by metric", width: 460, axes: METRICS.map((m) => ({ label: m.short, value: report.scores[m.key] })) })),
  ).catch(() => null);
  const trendImage =
    trend.length > 0
      ? await rasterise(markupOf(createElement(TrendChart, { title: `${report.interviewType} scores`, points: trend, width: 640 }))).catch(() => null)
      : null;
  return { radar, trend: trendImage };
}

/** Builds the PDF and hands it to the browser as a download. */
export async function downloadReportPdf(report: Report, extras: PdfExtras = {}): Promise<void> {
  const blob = await buildReportPdf(report, extras);
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `prepai-report-${report.interviewType.replace(/\s+/g, "-").toLowerCase()}-${report.sessionId.slice(0, 8)}.pdf`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
