/** A radar (spider) chart of scores out of 10, as plain SVG; unassessed metrics sit at the centre, dashed. */

export interface RadarAxis {
  label: string;
  value: number | null;
}

const SIZE = 320;
const CENTER = SIZE / 2;
const RADIUS = 110;
/** Space on each side for the axis labels, so they are never clipped on narrow screens. */
const LABEL_ROOM = 70;

/** The point at `fraction` of the radius on axis `index` of `count` (the first axis points up). */
export function radarPoint(index: number, count: number, fraction: number): [number, number] {
  const angle = -Math.PI / 2 + (2 * Math.PI * index) / count;
  return [CENTER + Math.cos(angle) * RADIUS * fraction, CENTER + Math.sin(angle) * RADIUS * fraction];
}

export function RadarChart({ axes, title }: { axes: RadarAxis[]; title: string }) {
  const count = axes.length;
  const polygon = (fraction: (i: number) => number) =>
    axes.map((_, i) => radarPoint(i, count, fraction(i)).map((n) => n.toFixed(1)).join(",")).join(" ");
  const description = axes.map((a) => `${a.label} ${a.value == null ? "not assessed" : `${a.value.toFixed(1)} of 10`}`).join(", ");

  return (
    <svg className="radar" viewBox={`${-LABEL_ROOM} -10 ${SIZE + 2 * LABEL_ROOM} ${SIZE + 20}`} role="img" aria-label={`${title}: ${description}`} data-testid="radar-chart">
      {[0.25, 0.5, 0.75, 1].map((ring) => (
        <polygon key={ring} points={polygon(() => ring)} className="radar-ring" />
      ))}
      {axes.map((_, i) => {
        const [x, y] = radarPoint(i, count, 1);
        return <line key={i} x1={CENTER} y1={CENTER} x2={x} y2={y} className="radar-axis" />;
      })}
      <polygon points={polygon((i) => (axes[i]!.value ?? 0) / 10)} className="radar-shape" />
      {axes.map((axis, i) => {
        const [x, y] = radarPoint(i, count, (axis.value ?? 0) / 10);
        return <circle key={i} cx={x} cy={y} r={4} className={axis.value == null ? "radar-dot unassessed" : "radar-dot"} />;
      })}
      {axes.map((axis, i) => {
        const [x, y] = radarPoint(i, count, 1.2);
        const anchor = Math.abs(x - CENTER) < 10 ? "middle" : x > CENTER ? "start" : "end";
        return (
          <text key={i} x={x} y={y - 7} textAnchor={anchor} dominantBaseline="middle" className="radar-label">
            {axis.label}
            <tspan className="radar-value" x={x} dy={15}>
              {axis.value == null ? "n/a" : axis.value.toFixed(1)}
            </tspan>
          </text>
        );
      })}
    </svg>
  );
}
