// Sustained run: the payments API at a fixed rate for N minutes, errors and latency per 10 s window,
// and an SVG line chart of it (no dependencies: plain SVG text).
import { benchPaymentsApi, type ApiBenchContext } from "./api";
import type { LoadResult, WindowStat } from "./lib/load";

export async function runSustained(context: ApiBenchContext, options: { minutes: number; rate: number }): Promise<LoadResult> {
  return benchPaymentsApi(context, { name: "sustained payments API", overallRate: options.rate, durationS: Math.round(options.minutes * 60), windowS: 10 });
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Latency p50/p99 (left axis, ms) and throughput (right axis, req/s) per window; errors as red marks. */
export function renderSustainedSvg(windows: WindowStat[], title: string): string {
  const width = 900;
  const height = 360;
  const pad = { left: 60, right: 70, top: 40, bottom: 45 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const n = Math.max(1, windows.length);
  const maxLatency = Math.max(10, ...windows.map((w) => w.p99Ms)) * 1.1;
  const maxRate = Math.max(1, ...windows.map((w) => w.perSecond)) * 1.1;
  const x = (i: number) => pad.left + (n === 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  const yL = (v: number) => pad.top + plotH - (v / maxLatency) * plotH;
  const yR = (v: number) => pad.top + plotH - (v / maxRate) * plotH;
  const line = (values: number[], y: (v: number) => number, color: string, dash = "") =>
    `<polyline fill="none" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""} points="${values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ")}"/>`;
  const ticks = (max: number, y: (v: number) => number, side: "left" | "right", unit: string) =>
    Array.from({ length: 5 }, (_, k) => {
      const value = (max * k) / 4;
      const ty = y(value).toFixed(1);
      const tx = side === "left" ? pad.left - 6 : width - pad.right + 6;
      return `<text x="${tx}" y="${ty}" font-size="11" text-anchor="${side === "left" ? "end" : "start"}" dominant-baseline="middle">${value.toFixed(0)}${unit}</text>` +
        (side === "left" ? `<line x1="${pad.left}" x2="${width - pad.right}" y1="${ty}" y2="${ty}" stroke="#eee"/>` : "");
    }).join("");
  const xTicks = windows
    .map((w, i) => ({ w, i }))
    .filter(({ i }) => n <= 12 || i % Math.ceil(n / 12) === 0)
    .map(({ w, i }) => `<text x="${x(i).toFixed(1)}" y="${height - pad.bottom + 16}" font-size="11" text-anchor="middle">${Math.round(w.startS / 60 * 10) / 10}m</text>`)
    .join("");
  const errors = windows
    .map((w, i) => (w.errors > 0 ? `<circle cx="${x(i).toFixed(1)}" cy="${(pad.top + plotH - 4).toFixed(1)}" r="4" fill="#d00"><title>${w.errors} errors</title></circle>` : ""))
    .join("");
  const totalErrors = windows.reduce((sum, w) => sum + w.errors, 0);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${pad.left}" y="22" font-size="14" font-weight="bold">${escapeXml(title)}</text>
<text x="${width - pad.right}" y="22" font-size="12" text-anchor="end">errors: ${totalErrors}</text>
${ticks(maxLatency, yL, "left", "")}${ticks(maxRate, yR, "right", "")}
<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${pad.top + plotH}" stroke="#333"/>
<line x1="${pad.left}" x2="${width - pad.right}" y1="${pad.top + plotH}" y2="${pad.top + plotH}" stroke="#333"/>
<text x="14" y="${pad.top + plotH / 2}" font-size="11" transform="rotate(-90 14 ${pad.top + plotH / 2})" text-anchor="middle">latency per 10 s window (ms)</text>
<text x="${width - 12}" y="${pad.top + plotH / 2}" font-size="11" transform="rotate(90 ${width - 12} ${pad.top + plotH / 2})" text-anchor="middle">throughput (req/s)</text>
${xTicks}
${line(windows.map((w) => w.p50Ms), yL, "#1f77b4")}
${line(windows.map((w) => w.p99Ms), yL, "#ff7f0e")}
${line(windows.map((w) => w.perSecond), yR, "#2ca02c", "5,3")}
${errors}
<g font-size="11"><rect x="${pad.left + 10}" y="${pad.top + 4}" width="12" height="3" fill="#1f77b4"/><text x="${pad.left + 26}" y="${pad.top + 8}">p50 ms</text>
<rect x="${pad.left + 80}" y="${pad.top + 4}" width="12" height="3" fill="#ff7f0e"/><text x="${pad.left + 96}" y="${pad.top + 8}">p99 ms</text>
<rect x="${pad.left + 150}" y="${pad.top + 4}" width="12" height="3" fill="#2ca02c"/><text x="${pad.left + 166}" y="${pad.top + 8}">req/s (right axis)</text></g>
</svg>
`;
}
