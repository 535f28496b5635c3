/** Scores over time as an SVG line chart (0–10), with a dot per interview. */

export interface TrendPoint {
  label: string;
  value: number;
}

const WIDTH = 600;
const HEIGHT = 220;
const PAD = { left: 32, right: 12, top: 12, bottom: 28 };

export function TrendChart({ points, title }: { points: TrendPoint[]; title: string }) {
  if (points.length === 0) return <p className="muted">No scored interviews yet.</p>;
  const x = (i: number) => PAD.left + (points.length === 1 ? (WIDTH - PAD.left - PAD.right) / 2 : (i * (WIDTH - PAD.left - PAD.right)) / (points.length - 1));
  const y = (v: number) => PAD.top + (1 - v / 10) * (HEIGHT - PAD.top - PAD.bottom);
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
  const description = points.map((p) => `${p.label}: ${p.value.toFixed(1)}`).join("; ");
  return (
    <svg className="trend" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title}. ${description}`} data-testid="trend-chart">
      {[0, 2.5, 5, 7.5, 10].map((v) => (
        <g key={v}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(v)} y2={y(v)} className="grid-line" />
          <text x={PAD.left - 6} y={y(v)} textAnchor="end" dominantBaseline="middle" className="axis-label">
            {v}
          </text>
        </g>
      ))}
      <path d={path} className="trend-line" />
      {points.map((p, i) => (
        <g key={i}>
          <circle cx={x(i)} cy={y(p.value)} r={4} className="trend-dot">
            <title>
              {p.label}: {p.value.toFixed(1)}
            </title>
          </circle>
          {(points.length <= 8 || i === 0 || i === points.length - 1) && (
            <text x={x(i)} y={HEIGHT - 8} textAnchor="middle" className="axis-label">
              {p.label}
            </text>
          )}
        </g>
      ))}
    </svg>
  );
}
