/**
 * A radar (spider) chart of scores out of 10, as plain SVG drawn at its real pixel width, with its colours and fonts
 * as attributes so the same markup renders on its own (the PDF export rasterises it). Unassessed metrics sit at the
 * centre, dashed. Labels are 12 px at any width; on a narrow screen they break onto two lines.
 */
import { useRef } from "react";
import { useWidth } from "./useWidth";

export interface RadarAxis {
  label: string;
  value: number | null;
}

export const CHART_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
const LABEL_PX = 12;
const MAX_WIDTH = 460;

export interface RadarGeometry {
  width: number;
  height: number;
  cx: number;
  cy: number;
  radius: number;
  /** Labels on two lines (narrow charts). */
  wrap: boolean;
}

/** Where everything goes at `width` pixels: room for labels on each side, the rest for the chart. */
export function radarGeometry(width: number): RadarGeometry {
  const w = Math.max(240, Math.min(MAX_WIDTH, width));
  const wrap = w < 400;
  const labelRoom = wrap ? 62 : 115;
  const radius = Math.max(50, Math.min(130, w / 2 - labelRoom));
  const top = 44;
  return { width: w, height: radius * 2 + top * 2 + 8, cx: w / 2, cy: top + radius, radius, wrap };
}

/** The point at `fraction` of the radius on axis `index` of `count` (the first axis points up). */
export function radarPoint(index: number, count: number, fraction: number, g: Pick<RadarGeometry, "cx" | "cy" | "radius"> = { cx: 160, cy: 160, radius: 110 }): [number, number] {
  const angle = -Math.PI / 2 + (2 * Math.PI * index) / count;
  return [g.cx + Math.cos(angle) * g.radius * fraction, g.cy + Math.sin(angle) * g.radius * fraction];
}

export function RadarChart({ axes, title, width }: { axes: RadarAxis[]; title: string; width?: number }) {
  const host = useRef<HTMLDivElement>(null);
  const measured = useWidth(host, MAX_WIDTH);
  const g = radarGeometry(width ?? measured);
  const count = axes.length;
  const polygon = (fraction: (i: number) => number) =>
    axes.map((_, i) => radarPoint(i, count, fraction(i), g).map((n) => n.toFixed(1)).join(",")).join(" ");
  const description = axes.map((a) => `${a.label} ${a.value == null ? "not assessed" : `${a.value.toFixed(1)} of 10`}`).join(", ");

  return (
    <div ref={host} className="chart-host">
      <svg
        xmlns="http://www.w3.org/2000/svg"
        className="radar"
        width={g.width}
        height={g.height}
        viewBox={`0 0 ${g.width} ${g.height}`}
        role="img"
        aria-label={`${title}: ${description}`}
        data-testid="radar-chart"
        fontFamily={CHART_FONT}
      >
        <rect width={g.width} height={g.height} fill="#ffffff" />
        {[0.25, 0.5, 0.75, 1].map((ring) => (
          <polygon key={ring} points={polygon(() => ring)} fill="none" stroke="#e5e7eb" />
        ))}
        {axes.map((_, i) => {
          const [x, y] = radarPoint(i, count, 1, g);
          return <line key={i} x1={g.cx} y1={g.cy} x2={x} y2={y} stroke="#e5e7eb" />;
        })}
        <polygon points={polygon((i) => (axes[i]!.value ?? 0) / 10)} fill="rgba(79,70,229,0.22)" stroke="#4f46e5" strokeWidth={2} />
        {axes.map((axis, i) => {
          const [x, y] = radarPoint(i, count, (axis.value ?? 0) / 10, g);
          return axis.value == null ? (
            <circle key={i} cx={x} cy={y} r={4} fill="#ffffff" stroke="#6b7280" strokeDasharray="2 2" />
          ) : (
            <circle key={i} cx={x} cy={y} r={4} fill="#4f46e5" />
          );
        })}
        {axes.map((axis, i) => {
          const [x, y] = radarPoint(i, count, 1, g);
          const dx = x - g.cx;
          const anchor = Math.abs(dx) < 10 ? "middle" : dx > 0 ? "start" : "end";
          const lx = x + (anchor === "start" ? 8 : anchor === "end" ? -8 : 0);
          const lines = g.wrap && axis.label.includes(" ") ? axis.label.split(" ") : [axis.label];
          const above = y < g.cy - 1;
          const blockHeight = (lines.length + 1) * (LABEL_PX + 2);
          const ly = above ? y - blockHeight + LABEL_PX : y + (Math.abs(dx) < 10 ? LABEL_PX + 6 : 4);
          return (
            <text key={i} x={lx} y={ly} textAnchor={anchor} fontSize={LABEL_PX} fontWeight={600} fill="#111827" className="radar-label">
              {lines.map((line, n) => (
                <tspan key={n} x={lx} dy={n === 0 ? 0 : LABEL_PX + 2}>
                  {line}
                </tspan>
              ))}
              <tspan x={lx} dy={LABEL_PX + 2} fontWeight={400} fill="#4b5563">
                {axis.value == null ? "n/a" : axis.value.toFixed(1)}
              </tspan>
            </text>
          );
        })}
      </svg>
    </div>
  );
}
