// A hand-rolled SVG bar chart (no chart library, no CDN): one bar per day, a baseline, the peak labelled.
// Values are for scale only (a bigint amount becomes a ratio of the peak); labels carry exact text.
// Screen readers get a summary label and the data as a table.
export type BarPoint = { label: string; value: bigint | number; display: string };

const WIDTH = 600;
const HEIGHT = 140;
const PAD_TOP = 14;

function ratio(value: bigint | number, peak: bigint | number): number {
  if (typeof value === "number" || typeof peak === "number") return Number(peak) === 0 ? 0 : Number(value) / Number(peak);
  if (peak === 0n) return 0;
  return Number((value * 10_000n) / peak) / 10_000;
}

export function BarChart({ title, points, tone = "brand", summary }: { title: string; points: BarPoint[]; tone?: "brand" | "red" | "emerald" | "violet"; summary: string }) {
  const peak = points.reduce<bigint | number>((max, p) => (p.value > max ? p.value : max), typeof points[0]?.value === "bigint" ? 0n : 0);
  const slot = WIDTH / Math.max(points.length, 1);
  const barWidth = Math.max(1, slot * 0.7);
  const fill = { brand: "fill-brand-500", red: "fill-red-500", emerald: "fill-emerald-600", violet: "fill-violet-500" }[tone];
  const peakPoint = points.find((p) => p.value === peak && ratio(p.value, peak) > 0);
  return (
    <figure className="min-w-0">
      <figcaption className="text-xs font-medium uppercase tracking-wide text-slate-600">{title}</figcaption>
      <div className="relative">
      {!peakPoint && <p aria-hidden="true" className="absolute inset-0 flex items-center justify-center text-xs text-slate-600">Nothing in this period</p>}
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title}: ${summary}`} className="mt-1 h-28 w-full" preserveAspectRatio="none">
        <line x1="0" y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} className="stroke-slate-300" strokeWidth="1" />
        {points.map((point, index) => {
          const height = Math.max(ratio(point.value, peak) * (HEIGHT - PAD_TOP), ratio(point.value, peak) > 0 ? 1.5 : 0);
          return (
            <rect key={point.label} x={index * slot + (slot - barWidth) / 2} y={HEIGHT - height} width={barWidth} height={height} rx="1.5" className={fill}>
              <title>{`${point.label}: ${point.display}`}</title>
            </rect>
          );
        })}
      </svg>
      </div>
      <div className="flex justify-between text-[11px] text-slate-600" aria-hidden="true">
        <span>{points[0]?.label}</span>
        {peakPoint && <span>peak {peakPoint.display}</span>}
        <span>{points[points.length - 1]?.label}</span>
      </div>
      <details className="mt-1 text-xs">
        <summary className="cursor-pointer text-slate-600">Data</summary>
        <table className="mt-1 w-full">
          <caption className="sr-only">{title} per day</caption>
          <thead><tr><th scope="col" className="text-left">Day (UTC)</th><th scope="col" className="text-right">Value</th></tr></thead>
          <tbody>{points.map((p) => <tr key={p.label}><td>{p.label}</td><td className="text-right tabular-nums">{p.display}</td></tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}
