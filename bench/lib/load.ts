// Load generation for the bench: autocannon with our own latency capture (every response time, so p95
// and 10-second windows come out exact), status counts, and RSS sampling of the app's process tree.
// A fixed request rate (overallRate) is driven open-loop by our own generator instead (see runOpenLoop).
import http from "node:http";
import autocannon from "autocannon";
import { processTreeRssKiB } from "./stack";

export type LatencySummary = { count: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number; meanMs: number };

export type LoadResult = LatencySummary & {
  name: string;
  connections: number;
  durationS: number;
  targetRate: number | null;
  /** Successful (2xx) responses per second. */
  perSecond: number;
  ok: number;
  errors: number;
  statuses: Record<string, number>;
  peakRssMiB: number | null;
  windows?: WindowStat[];
};

export type WindowStat = { startS: number; ok: number; errors: number; perSecond: number; p50Ms: number; p99Ms: number };

export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return round(sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!);
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function summarize(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((left, right) => left - right);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    p99Ms: percentile(sorted, 0.99),
    maxMs: round(sorted.at(-1) ?? 0),
    meanMs: round(sorted.length ? sum / sorted.length : 0),
  };
}

/** Samples the RSS of a process tree every intervalMs; stop() returns the peak in MiB. */
export function sampleRss(pid: number | undefined, intervalMs = 250): { stop(): number | null } {
  if (!pid) return { stop: () => null };
  let peakKiB = processTreeRssKiB(pid);
  const timer = setInterval(() => {
    peakKiB = Math.max(peakKiB, processTreeRssKiB(pid));
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      peakKiB = Math.max(peakKiB, processTreeRssKiB(pid));
      return round(peakKiB / 1024, 1);
    },
  };
}

export type LoadOptions = {
  name: string;
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** Builds each request's body and headers (unique idempotency keys, signatures). */
  makeRequest?: () => { body?: string; headers?: Record<string, string> };
  connections: number;
  durationS: number;
  /** Requests per second, open-loop and evenly spaced (runOpenLoop); absent = as fast as `connections` allow. */
  overallRate?: number;
  rssPid?: number;
  windowS?: number;
  timeoutS?: number;
};

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.overallRate) return runOpenLoop({ ...options, overallRate: options.overallRate });
  const tally = new Tally((options.windowS ?? 0) * 1000);
  const started = Date.now();
  const rss = sampleRss(options.rssPid);
  const url = new URL(options.url);
  const instance = autocannon({
    url: `${url.protocol}//${url.host}`,
    connections: options.connections,
    duration: options.durationS,
    timeout: options.timeoutS ?? 30,
    requests: [
      {
        method: options.method ?? "GET",
        path: url.pathname + url.search,
        headers: options.headers,
        ...(options.makeRequest
          ? {
              setupRequest: (request: { headers?: Record<string, string> }) => {
                const made = options.makeRequest!();
                return { ...request, body: made.body, headers: { ...options.headers, ...made.headers } };
              },
            }
          : {}),
      },
    ],
  });
  instance.on("response", (_client, statusCode, _bytes, responseTime) => tally.add(statusCode, responseTime, Date.now() - started));
  instance.on("reqError", () => tally.add("socket_error", 0, Date.now() - started));
  const result = await instance;
  const peakRssMiB = rss.stop();
  const durationS = result.duration || options.durationS;
  if (result.timeouts) tally.statuses.timeout = (tally.statuses.timeout ?? 0) + result.timeouts;
  return {
    name: options.name,
    connections: options.connections,
    durationS: round(durationS, 1),
    targetRate: null,
    perSecond: round(tally.ok / durationS, 1),
    ok: tally.ok,
    errors: Math.max(tally.errors, result.errors + result.non2xx),
    statuses: tally.statuses,
    peakRssMiB,
    ...summarize(tally.latencies),
    windows: tally.windowStats(),
  };
}

/** Collects per-response outcomes into a LoadResult: overall latencies, statuses and the time windows. */
class Tally {
  readonly latencies: number[] = [];
  readonly statuses: Record<string, number> = {};
  private readonly windows: { ok: number; errors: number; latencies: number[] }[] = [];
  ok = 0;
  errors = 0;
  constructor(private readonly windowMs: number) {}

  add(status: number | string, latencyMs: number, atMs: number): void {
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    const good = typeof status === "number" && status >= 200 && status < 300;
    if (good) {
      this.ok++;
      this.latencies.push(latencyMs);
    } else this.errors++;
    if (!this.windowMs) return;
    const index = Math.floor(atMs / this.windowMs);
    while (this.windows.length <= index) this.windows.push({ ok: 0, errors: 0, latencies: [] });
    const window = this.windows[index]!;
    if (good) {
      window.ok++;
      window.latencies.push(latencyMs);
    } else window.errors++;
  }

  windowStats(): WindowStat[] | undefined {
    if (!this.windowMs) return undefined;
    return this.windows.map((window, index) => {
      const summary = summarize(window.latencies);
      return { startS: (index * this.windowMs) / 1000, ok: window.ok, errors: window.errors, perSecond: round(window.ok / (this.windowMs / 1000), 1), p50Ms: summary.p50Ms, p99Ms: summary.p99Ms };
    });
  }
}

/**
 * A fixed request rate, open-loop: request i is due at start + i / rate whatever the earlier ones are
 * doing (each on a keep-alive connection of its own while the others are busy), and its latency runs from
 * when it was due, not from when it was sent, so a stalled server or a late generator shows up in the
 * percentiles instead of thinning the load (the coordinated-omission correction of wrk2). autocannon's own
 * overallRate starts every connection's quota at the same tick each second: a burst of `rate` requests at
 * once, then silence, which measures a queue of `rate` requests, not a server at that load.
 */
export async function runOpenLoop(options: LoadOptions & { overallRate: number }): Promise<LoadResult> {
  const tally = new Tally((options.windowS ?? 0) * 1000);
  const rss = sampleRss(options.rssPid);
  const url = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const timeoutMs = (options.timeoutS ?? 30) * 1000;
  const intervalMs = 1000 / options.overallRate;
  const total = Math.round(options.overallRate * options.durationS);
  const started = performance.now();
  let maxLateMs = 0;
  let open = 0;
  let peakOpen = 0;
  const send = (dueMs: number) =>
    new Promise<void>((resolve) => {
      const made = options.makeRequest?.() ?? {};
      peakOpen = Math.max(peakOpen, ++open);
      const finish = (status: number | string) => {
        open--;
        tally.add(status, performance.now() - dueMs, dueMs - started);
        resolve();
      };
      const request = http.request(url, { method: options.method ?? "GET", agent, headers: { ...options.headers, ...made.headers }, timeout: timeoutMs }, (response) => {
        response.on("data", () => {});
        response.on("end", () => finish(response.statusCode ?? 0));
        response.on("error", () => finish("socket_error"));
      });
      request.on("timeout", () => request.destroy(new Error("timeout")));
      request.on("error", (error) => finish(error.message === "timeout" ? "timeout" : "socket_error"));
      request.end(made.body);
    });
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < total; index++) {
    const dueMs = started + index * intervalMs;
    const waitMs = dueMs - performance.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    maxLateMs = Math.max(maxLateMs, performance.now() - dueMs);
    inFlight.push(send(dueMs));
  }
  await Promise.all(inFlight);
  agent.destroy();
  const peakRssMiB = rss.stop();
  const durationS = total / options.overallRate;
  if (maxLateMs > 50) tally.statuses.generator_late_max_ms = Math.round(maxLateMs);
  return {
    name: options.name,
    /** For an open loop: the most requests that were in flight at once (each on its own connection). */
    connections: peakOpen,
    durationS: round(durationS, 1),
    targetRate: options.overallRate,
    perSecond: round(tally.ok / durationS, 1),
    ok: tally.ok,
    errors: tally.errors,
    statuses: tally.statuses,
    peakRssMiB,
    ...summarize(tally.latencies),
    windows: tally.windowStats(),
  };
}
