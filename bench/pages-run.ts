// Only the dashboard pages part of the bench (npx tsx bench/pages-run.ts [--rows N] [--samples N] [--out FILE]):
// a stack of its own, N payments generated for the demo merchant as bench/run.ts does, then the first view
// and the p50/p95 of each page, with the trivial route and the load average measured in the same run.
import { copyFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { round, runLoad } from "./lib/load";
import { root, startStack, writeJson } from "./lib/stack";
import { benchPages, generatePayments } from "./pages";

const argv = process.argv.slice(2);
const value = (name: string) => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : undefined;
};
const rows = Number(value("rows") ?? 1_000_000);
const samples = Number(value("samples") ?? 20);
const out = path.resolve(root, value("out") ?? "bench/results/pages.json");
/** A page fetched (and timed) before the bench, e.g. /sign-in: separates the process's first page render from the page's own first view. */
const warmFirst = value("warm-first");
const log = (line: string) => console.log(`[pages] ${line}`);
const loadAverage = () => os.loadavg().map((load) => round(load, 2));

// Default view, the other sorts, the searches (last4, amount, id prefix) and the overview periods.
const PATHS = [
  "/payments",
  "/payments?sort=amount_desc",
  "/payments?q=4242",
  "/payments?q=105.00",
  "/payments?status=failed",
  "/dashboard",
  "/dashboard?period=90",
];

// Statements slower than 100 ms go to PostgreSQL's log (copied next to the --out file):
// tells a slow first view that waits on the database from one that waits on the app.
const stack = await startStack({ label: "bench-pages", log, postgresFlags: ["-c log_min_duration_statement=100"] });
try {
  const setup = await stack.setup<{ demoMerchantId: string }>({ seed: true });
  log(`generating ${rows} payments (load average ${loadAverage().join(" ")})`);
  const generated = await generatePayments(stack, setup.demoMerchantId, rows);
  log(`  generated in ${generated.generateMs} ms`);
  let warm: { path: string; ms: number; status: number } | null = null;
  if (warmFirst) {
    const begin = performance.now();
    const response = await fetch(`${stack.appUrl}${warmFirst}`, { redirect: "manual" });
    await response.text();
    warm = { path: warmFirst, ms: round(performance.now() - begin), status: response.status };
    log(`first page of the process: ${warmFirst} HTTP ${warm.status} in ${warm.ms} ms`);
  }
  const loadBefore = loadAverage();
  const trivial = await runLoad({ name: "trivial", url: `${stack.appUrl}/api/health`, connections: 4, durationS: 5 });
  const pages = await benchPages(stack, { paths: PATHS, samples, durationS: 3, connections: 4 });
  const loadAfter = loadAverage();
  for (const page of pages) log(`${page.path}: HTTP ${page.status} first ${page.firstMs} ms, p50 ${page.p50Ms} ms, p95 ${page.p95Ms} ms, ${page.perSecond}/s`);
  log(`trivial route ${trivial.perSecond}/s p50 ${trivial.p50Ms} ms; load average before ${loadBefore.join(" ")}, after ${loadAfter.join(" ")}`);
  writeJson(out, { generatedAt: new Date().toISOString(), rows, generated, samples, warm, loadBefore, loadAfter, trivial, pages });
  log(`wrote ${path.relative(root, out)}`);
} finally {
  if (existsSync(path.join(stack.pgDataDir, "server.log"))) copyFileSync(path.join(stack.pgDataDir, "server.log"), out.replace(/\.json$/, "") + "-postgres.log");
  await stack.stop();
}
