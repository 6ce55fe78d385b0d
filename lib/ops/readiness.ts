// Readiness: the database answers, every migration folder is applied, and registered checks pass.
import { readdirSync } from "node:fs";
import path from "node:path";
import { sqlPool } from "@/lib/db/client";
import { drainingSince } from "@/lib/ops/drain";
import { getLedgerHealth } from "@/lib/ledger/get-ledger-health";
import { getPspCircuitState } from "@/lib/psp/psp-gateway";

export type CheckResult = { ok: boolean; detail?: string };
export type ReadinessReport = { ready: boolean; checks: Record<string, CheckResult> };

const migrationsDir = path.join(process.cwd(), "prisma/migrations");

async function checkDatabase(): Promise<CheckResult> {
  await sqlPool().query("select 1");
  return { ok: true };
}

async function checkMigrations(): Promise<CheckResult> {
  const expected = readdirSync(migrationsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  const { rows } = await sqlPool().query<{ migration_name: string }>(
    "select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null",
  );
  const applied = new Set(rows.map((row) => row.migration_name));
  const pending = expected.filter((name) => !applied.has(name));
  return pending.length ? { ok: false, detail: `pending migrations: ${pending.join(", ")}` } : { ok: true };
}

/** PSP: the circuit breaker around it is open after repeated ambiguous outcomes (timeouts, 5xx). */
async function checkPsp(): Promise<CheckResult> {
  const circuit = getPspCircuitState();
  return circuit.state === "open"
    ? { ok: false, detail: `PSP circuit open after ${circuit.consecutiveFailures} failed calls` }
    : { ok: true, detail: `circuit ${circuit.state}` };
}

/** Background jobs: the durable queue is not piling up (jobs waiting longer than a few minutes). */
async function checkQueue(): Promise<CheckResult> {
  const { rows } = await sqlPool().query<{ exists: boolean }>("select to_regclass('pgboss.job') is not null as exists");
  if (!rows[0]?.exists) return { ok: true, detail: "queue not started yet" };
  const backlog = await sqlPool().query<{ overdue: number }>(
    "select count(*)::int as overdue from pgboss.job where state in ('created','retry') and start_after < now() - interval '5 minutes'",
  );
  const overdue = backlog.rows[0]?.overdue ?? 0;
  return overdue > 100 ? { ok: false, detail: `${overdue} jobs overdue by more than 5 minutes` } : { ok: true, detail: `${overdue} overdue jobs` };
}

/** Other domains add checks here (ledger balance alerts, queue depth, PSP circuit). */
const extraChecks = new Map<string, () => Promise<CheckResult>>();

/** Ledger: any open balance-check alert (a cached balance that disagrees with its entries) fails readiness. */
async function checkLedger(): Promise<CheckResult> {
  const health = await getLedgerHealth();
  return health.ok
    ? { ok: true, detail: `balances checked up to entry ${health.lastCheckedSeq ?? 0}` }
    : { ok: false, detail: `${health.openAlerts} open ledger balance alert(s)` };
}
export function registerReadinessCheck(name: string, check: () => Promise<CheckResult>): void {
  extraChecks.set(name, check);
}

async function safely(check: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await check();
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message.slice(0, 200) : "check failed" };
  }
}

export async function getReadiness(): Promise<ReadinessReport> {
  // Shutting down: not ready whatever the dependencies say (in-flight requests are still being finished).
  const draining = drainingSince();
  if (draining !== null) return { ready: false, checks: { draining: { ok: false, detail: `shutting down since ${new Date(draining).toISOString()}` } } };
  const entries: [string, () => Promise<CheckResult>][] = [["database", checkDatabase], ["migrations", checkMigrations], ["ledger", checkLedger], ["psp", checkPsp], ["queue", checkQueue], ...extraChecks];
  const results = await Promise.all(entries.map(async ([name, check]) => [name, await safely(check)] as const));
  const checks = Object.fromEntries(results);
  return { ready: results.every(([, result]) => result.ok), checks };
}
