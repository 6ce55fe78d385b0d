// The payments part of `npm run bench` alone, for working on the payment path: a stack of its own, the
// trivial route (reference, before and after), POST /api/v1/payments at full speed and at 60% of it, and
// the per-step breakdown, with the load average. --profile also takes a CPU profile of the `next start`
// server (node --cpu-prof) and PostgreSQL's statement statistics (pg_stat_statements) during the full-speed run.
// Run: npx tsx bench/payments-only.ts [--seconds N] [--samples N] [--profile] [--label NAME]
// Writes bench/results/payments-<label>.json (and, with --profile, bench/results/profile-<label>/).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, renameSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { benchPaymentsApi, benchTrivialRoute, measurePaymentBreakdown, waitForQuiet, type ApiBenchContext } from "./api";
import { round } from "./lib/load";
import { root, startStack, writeJson } from "./lib/stack";

const argv = process.argv.slice(2);
const value = (name: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const seconds = Number(value("seconds") ?? 20);
const samples = Number(value("samples") ?? 50);
const profile = argv.includes("--profile");
const label = value("label") ?? new Date().toISOString().replace(/[:.]/g, "-");
const log = (line: string) => console.log(`[payments-bench] ${line}`);
const load = () => os.loadavg().map((v) => round(v, 2));

const profileDir = path.join(root, "bench/results", `profile-${label}`);
let profiled: ChildProcess | null = null;
const stack = await startStack({
  label: "bench-payments",
  log,
  postgresFlags: profile ? ["-c shared_preload_libraries=pg_stat_statements", "-c pg_stat_statements.track=all"] : [],
});
const report: Record<string, unknown> = { label, startedAt: new Date().toISOString(), loadBefore: load() };
try {
  const setup = await stack.setup<{ merchantId: string; secret: string }>({ seed: true, apiKey: { merchantId: "demo" } });
  const context: ApiBenchContext = { stack, secret: setup.secret, merchantId: setup.merchantId, wallets: [], durationS: seconds, connections: 32, log };
  const admin = new pg.Client({ connectionString: stack.databaseUrl });
  await admin.connect();
  if (profile) {
    await admin.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    mkdirSync(profileDir, { recursive: true });
    // Restart the app under the profiler (Node refuses --cpu-prof in NODE_OPTIONS, so a process of our
    // own; the profile is written when it exits).
    await stack.stopChild("app");
    profiled = spawn(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(stack.appPort), "-H", "127.0.0.1"], {
      cwd: root, env: stack.env, stdio: "ignore",
    });
    await stack.waitFor(`${stack.appUrl}/api/health`, 180_000);
  }
  log("warm-up");
  await benchTrivialRoute({ ...context, durationS: 3 });
  await benchPaymentsApi({ ...context, durationS: 3 });
  const trivialBefore = await benchTrivialRoute(context);
  log(`trivial ${trivialBefore.perSecond}/s p99 ${trivialBefore.p99Ms} ms (load ${load().join(" ")})`);
  if (profile) await admin.query("SELECT pg_stat_statements_reset()");
  const paymentsMax = await benchPaymentsApi(context);
  report.loadDuringMax = load();
  log(`payments ${paymentsMax.perSecond}/s p50 ${paymentsMax.p50Ms} p99 ${paymentsMax.p99Ms} ms errors ${paymentsMax.errors} (load ${load().join(" ")})`);
  if (profile) {
    const { rows } = await admin.query(
      `SELECT calls, round(total_exec_time::numeric, 1) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms, rows,
              left(regexp_replace(query, '\\s+', ' ', 'g'), 220) AS query
       FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 40`,
    );
    report.statements = rows;
    const { rows: totals } = await admin.query(`SELECT sum(calls)::int AS calls, round(sum(total_exec_time)::numeric, 1) AS total_ms FROM pg_stat_statements`);
    report.statementTotals = { ...totals[0], payments: paymentsMax.ok };
    log(`statements: ${JSON.stringify(report.statementTotals)}`);
  }
  const rate60 = Math.max(1, Math.round(paymentsMax.perSecond * 0.6));
  report.quietBefore60 = await waitForQuiet(context);
  const payments60 = await benchPaymentsApi(context, { overallRate: rate60, name: "payments API at 60% of max", durationS: seconds * 3 });
  log(`payments at ${rate60}/s: p50 ${payments60.p50Ms} p99 ${payments60.p99Ms} ms`);
  const breakdown = await measurePaymentBreakdown(context, samples);
  log(`breakdown: ${JSON.stringify({ total: breakdown.total.meanMs, toInsert: breakdown.toInsert.meanMs, risk: breakdown.risk.meanMs, pspAndApply: breakdown.pspAndApply.meanMs, finish: breakdown.finish.meanMs, psp: breakdown.pspAlone.meanMs })}`);
  const trivialAfter = await benchTrivialRoute(context);
  log(`trivial again ${trivialAfter.perSecond}/s`);
  await admin.end();
  const trivial = (trivialBefore.perSecond + trivialAfter.perSecond) / 2;
  Object.assign(report, {
    trivialBefore, trivialAfter, paymentsMax, payments60, breakdown, loadAfter: load(),
    ratio: round(paymentsMax.perSecond / trivial, 3),
  });
  log(`ratio payments/trivial ${report.ratio}; load ${JSON.stringify(report.loadBefore)} → ${JSON.stringify(report.loadAfter)}`);
} finally {
  if (profiled) {
    const exited = new Promise((resolve) => profiled!.once("exit", resolve));
    profiled.kill("SIGINT");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  }
  await stack.stop();
  if (profile) {
    for (const file of readdirSync(profileDir).filter((name) => name.endsWith(".cpuprofile"))) {
      if (!file.startsWith("CPU.")) continue;
      renameSync(path.join(profileDir, file), path.join(profileDir, file.replace(/^CPU\./, "app.")));
    }
  }
  writeJson(path.join(root, "bench/results", `payments-${label}.json`), report);
}
process.exit(0);
