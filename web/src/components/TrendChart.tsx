/**
 * Scores over time as an SVG line chart (0–10) drawn at its real pixel width, one line per series (interview type)
 * with a legend, dates along the bottom. Colours and 12 px fonts are attributes, so the markup also renders on its
 * own (the PDF export rasterises it).
 */
import { useRef } from "react";
import { CHART_FONT } from "./RadarChart";
import { useWidth } from "./useWidth";

export interface TrendPoint {
  label: string;
  value: number;
  /** Milliseconds since the epoch; without it points are spaced evenly. */
  time?: number;
}

export interface TrendSeries {
  name: string;
  points: TrendPoint[];
}

/** Line colours, distinguishable and at least 3:1 against white. */
export const SERIES_COLOURS = ["#4f46e5", "#b45309", "#047857", "#be185d", "#0369a1", "#6d28d9", "#b91c1c", "#4d7c0f"];
const FONT_PX = 12;
const HEIGHT = 220;

export function TrendChart({ points, series, title, width }: { points?: TrendPoint[]; series?: TrendSeries[]; title: string; width?: number }) {
  const host = useRef<HTMLDivElement>(null);
  const measured = useWidth(host, 600);
  const all: TrendSeries[] = series ?? [{ name: title, points: points ?? [] }];
  const flat = all.flatMap((s) => s.points);
  if (flat.length === 0) return <p className="muted">No scored interviews yet.</p>;
  const w = Math.max(260, Math.min(720, width ?? measured));
  const legendRows = all.length > 1 ? Math.ceil(all.length / Math.max(1, Math.floor(w / 150))) : 0;
  const pad = { left: 30, right: 14, top: 12 + legendRows * 18, bottom: 30 };
  const h = HEIGHT + legendRows * 18;
  const timed = flat.every((p) => typeof p.time === "number");
  const times = timed ? flat.map((p) => p.time!) : [];
  const t0 = timed ? Math.min(...times) : 0;
  const t1 = timed ? Math.max(...times) : 0;
  const longest = Math.max(...all.map((s) => s.points.length));
  const xOf = (p: TrendPoint, i: number, n: number) => {
    const inner = w - pad.left - pad.right;
    if (timed) return pad.left + (t1 === t0 ? inner / 2 : ((p.time! - t0) / (t1 - t0)) * inner);
    return pad.left + (n <= 1 ? inner / 2 : (i * inner) / (Math.max(n, longest) - 1));
  };
  const y = (v: number) => pad.top + (1 - v / 10) * (h - pad.top - pad.bottom);
  const description = all.map((s) => `${s.name}: ${s.points.map((p) => `${p.label} ${p.value.toFixed(1)}`).join(", ")}`).join("; ");
  // At most as many date labels as fit, always the first and last.
  const labelled = all[0]!.points;
  const maxLabels = Math.max(2, Math.floor((w - pad.left - pad.right) / 56));
  const step = Math.max(1, Math.ceil(labelled.length / maxLabels));

  return (
    <div ref={host} className="chart-host">
      <svg
        xmlns="http://www.w3.org/2000/svg"
        className="trend"
        width={w}
        height={h}
        viewBox={`0 0 ${w} ${h}`}
        role="img"
        aria-label={`${title}. ${description}`}
        data-testid="trend-chart"
        fontFamily={CHART_FONT}
      >
        <rect width={w} height={h} fill="#ffffff" />
        {all.length > 1 &&
          all.map((s, i) => {
            const perRow = Math.max(1, Math.floor(w / 150));
            const lx = pad.left + (i % perRow) * 150;
            const ly = 14 + Math.floor(i / perRow) * 18;
            return (
              <g key={s.name}>
                <rect x={lx} y={ly - 9} width={14} height={4} fill={SERIES_COLOURS[i % SERIES_COLOURS.length]} />
                <text x={lx + 20} y={ly} fontSize={FONT_PX} fill="#111827">
                  {s.name}
                </text>
              </g>
            );
          })}
        {[0, 2.5, 5, 7.5, 10].map((v) => (
          <g key={v}>
            <line x1={pad.left} x2={w - pad.right} y1={y(v)} y2={y(v)} stroke="#e5e7eb" />
            <text x={pad.left - 6} y={y(v) + 4} textAnchor="end" fontSize={FONT_PX} fill="#4b5563" className="axis-label">
              {v}
            </text>
          </g>
        ))}
        {all.map((s, si) => {
          const colour = SERIES_COLOURS[si % SERIES_COLOURS.length];
          const path = s.points.map((p, i) => `${i === 0 ? "M" : "L"}${xOf(p, i, s.points.length).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
          return (
            <g key={s.name}>
              <path d={path} fill="none" stroke={colour} strokeWidth={2.5} />
              {s.points.map((p, i) => (
                <circle key={i} cx={xOf(p, i, s.points.length)} cy={y(p.value)} r={4} fill="#ffffff" stroke={colour} strokeWidth={2} className="trend-dot">
                  <title>
                    {s.name} {p.label}: {p.value.toFixed(1)}
                  </title>
                </circle>
              ))}
            </g>
          );
        })}
        {labelled.map((p, i) =>
          i % step === 0 || i === labelled.length - 1 ? (
            <text key={i} x={xOf(p, i, labelled.length)} y={h - 10} textAnchor="middle" fontSize={FONT_PX} fill="#4b5563" className="axis-label">
              {p.label}
            </text>
          ) : null,
        )}
      </svg>
    </div>
  );
}
