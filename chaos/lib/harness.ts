// The bank test with faults: many concurrent clients do payments, refunds and wallet transfers over
// HTTP while the harness kills the app, crashes PostgreSQL, injects PSP and webhook faults and cuts or
// slows the database connections; then a quiet period, recovery, a reconciliation run and the checker.
// Bounded in time, loopback only, stops by itself.
import pg from "pg";
import { SandboxControl } from "@/lib/psp/sandbox/control";
import { startStack, type Stack } from "../../bench/lib/stack";
import { runChecker, type Check } from "./checker";
import { ChaosClient, type Operation } from "./client";

export type FaultKind =
  | "app_sigkill"
  | "postgres_immediate_crash"
  | "worker_sigkill"
  | "psp_500"
  | "psp_502_503"
  | "psp_429"
  | "psp_reset"
  | "psp_commit_drop"
  | "psp_500_after"
  | "webhooks_duplicate_reorder_drop"
  | "db_proxy_latency"
  | "db_proxy_cut";

/** The rotation; the heavy hitters come first so even a short run has each of them. */
export const FAULT_ROTATION: FaultKind[] = [
  "app_sigkill",
  "psp_commit_drop",
  // Before the crash: right after it the app has not reconnected yet and there is nothing to cut.
  "db_proxy_cut",
  "postgres_immediate_crash",
  "psp_500",
  "webhooks_duplicate_reorder_drop",
  "app_sigkill",
  "db_proxy_latency",
  "psp_reset",
  "worker_sigkill",
  "psp_429",
  "postgres_immediate_crash",
  "psp_502_503",
  "psp_500_after",
  "db_proxy_cut",
];

export type ChaosOptions = {
  durationS: number;
  clients: number;
  /** Seconds between the start of one fault and the next. */
  faultEveryS: number;
  faults: boolean;
  /** Control run: the client retries without its idempotency key (and times out early). */
  broken: boolean;
  wallets: number;
  log: (line: string) => void;
  label?: string;
};

export type FaultEvent = { atS: number; kind: FaultKind; detail: string; tookMs: number };

export type ChaosResult = {
  options: Omit<ChaosOptions, "log">;
  passed: boolean;
  checks: Check[];
  operations: { total: number; byKind: Record<string, Record<string, number>>; unknownDuringFaults: number; resolvedByReplay: number; attempts: number; perSecond: number };
  faults: FaultEvent[];
  faultCounts: Record<string, number>;
  restarts: Record<string, number>;
  proxy: { connections: number; cuts: number } | null;
  recovery: Record<string, unknown>;
  reconciliation: { state: string; unexplained: number; discrepancies: Record<string, number>; runId?: string } | null;
  timings: Record<string, number>;
  unexpectedExits: string[];
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function injectFault(stack: Stack, control: SandboxControl, kind: FaultKind): Promise<string> {
  const psp = "/v1/payment_intents";
  switch (kind) {
    case "app_sigkill":
      await stack.killApp();
      await sleep(300);
      await stack.restartApp();
      return "SIGKILL of the next start process group, restarted";
    case "worker_sigkill":
      await stack.killWorker();
      await sleep(500);
      stack.restartWorker();
      return "SIGKILL of the worker, restarted";
    case "postgres_immediate_crash":
      stack.crashPostgres();
      await sleep(1_000);
      await stack.startPostgres();
      return "pg_ctl stop -m immediate, 1 s down, crash recovery on start";
    case "db_proxy_cut":
      return `cut ${stack.proxy!.cut(0.6)} live app↔PostgreSQL connections`;
    case "db_proxy_latency":
      stack.proxy!.setLatency(150);
      await sleep(3_000);
      stack.proxy!.setLatency(0);
      return "150 ms per chunk on app↔PostgreSQL for 3 s";
    case "webhooks_duplicate_reorder_drop":
      await control.setWebhookFaults({ duplicateRate: 0.4, dropRate: 0.2, reorder: true, reorderWindow: 5 });
      await sleep(4_000);
      await control.setWebhookFaults({});
      return "webhooks 40% duplicated, 20% dropped, reordered for 4 s";
    default: {
      const specs: Record<string, Parameters<SandboxControl["injectFault"]>[0][]> = {
        psp_500: [{ kind: "500", path: psp, rate: 0.3 }],
        psp_502_503: [{ kind: "502", path: psp, rate: 0.2 }, { kind: "503", path: "/v1/", rate: 0.2 }],
        psp_429: [{ kind: "429", path: "/v1/", rate: 0.3 }],
        psp_reset: [{ kind: "reset", path: psp, rate: 0.3 }],
        psp_commit_drop: [{ kind: "commit_drop", path: psp, rate: 0.3 }, { kind: "commit_drop", path: "/v1/refunds", rate: 0.3 }],
        psp_500_after: [{ kind: "500_after", path: psp, rate: 0.3 }, { kind: "500_after", path: "/v1/refunds", rate: 0.3 }],
      };
      for (const spec of specs[kind]!) await control.injectFault(spec);
      await sleep(3_000);
      await control.clearFaults();
      return specs[kind]!.map((spec) => `${spec.kind} on ${spec.path} at ${spec.rate}`).join(", ") + " for 3 s";
    }
  }
}

function pick<T>(values: T[]): T {
  return values[Math.floor(Math.random() * values.length)]!;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const { log } = options;
  const timings: Record<string, number> = {};
  let mark = Date.now();
  const lap = (name: string) => {
    timings[name] = Math.round((Date.now() - mark) / 100) / 10;
    mark = Date.now();
  };
  const stack = await startStack({ label: options.label ?? (options.broken ? "chaos-control" : "chaos"), proxy: true, log, logLevel: "warn" });
  const control = new SandboxControl(stack.pspUrl);
  try {
    lap("stackStartS");
    const setup = await stack.setup<{ merchantId: string; secret: string; wallets: string[] }>({
      merchant: { name: "Chaos merchant" },
      wallets: { count: options.wallets, fundMinor: "50000", currency: "USD" },
    });
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    const walletTotalBefore = BigInt((await db.query(`SELECT sum(balance_minor)::text AS total FROM ledger_accounts WHERE id = ANY($1::text[])`, [setup.wallets])).rows[0].total);
    await db.end();

    const client = new ChaosClient({
      baseUrl: () => stack.appUrl,
      secret: setup.secret,
      broken: options.broken,
      attemptTimeoutMs: options.broken ? 1_500 : 15_000,
      opDeadlineMs: 30_000,
    });
    const captured: { id: string; amount: number }[] = [];
    const startedAt = Date.now();
    const stopAt = startedAt + options.durationS * 1000;
    log(`${options.broken ? "CONTROL (broken client: retries without the idempotency key) " : ""}${options.clients} clients for ${options.durationS}s${options.faults ? `, a fault every ${options.faultEveryS}s` : ", no faults"}`);

    const clientLoops = Array.from({ length: options.clients }, async () => {
      while (Date.now() < stopAt) {
        const roll = Math.random();
        let op: Operation;
        if (roll < 0.55 || (roll >= 0.85 && captured.length === 0)) {
          const from = pick(setup.wallets);
          let to = pick(setup.wallets);
          if (to === from) to = setup.wallets[(setup.wallets.indexOf(from) + 1) % setup.wallets.length]!;
          // Amounts large enough that some transfers hit the floor (insufficient funds is a definitive answer).
          op = client.newOperation("transfer", { from_account: from, to_account: to, amount: 100 + Math.floor(Math.random() * 9_900), currency: "USD" });
        } else if (roll < 0.85) {
          const declined = Math.random() < 0.1;
          op = client.newOperation("payment", { amount: 1_000 + Math.floor(Math.random() * 9_000), currency: "USD", payment_method: declined ? "pm_card_chargeDeclined" : "pm_card_visa" });
        } else {
          const payment = pick(captured);
          op = client.newOperation("refund", { payment: payment.id, amount: 100 + Math.floor(Math.random() * Math.min(2_000, payment.amount)) });
        }
        const done = await client.run(op, stopAt + 20_000);
        if (done.kind === "payment" && done.outcome === "ok" && done.objectId) captured.push({ id: done.objectId, amount: Number(done.body.amount) });
      }
    });

    const faults: FaultEvent[] = [];
    const faultLoop = (async () => {
      if (!options.faults) return;
      let index = 0;
      await sleep(2_000);
      while (Date.now() < stopAt - 3_000) {
        const kind = FAULT_ROTATION[index++ % FAULT_ROTATION.length]!;
        const began = Date.now();
        try {
          const detail = await injectFault(stack, control, kind);
          faults.push({ atS: Math.round((began - startedAt) / 100) / 10, kind, detail, tookMs: Date.now() - began });
          log(`  fault @${Math.round((began - startedAt) / 1000)}s ${kind}: ${detail}`);
        } catch (error) {
          faults.push({ atS: Math.round((began - startedAt) / 100) / 10, kind, detail: `injection error: ${(error as Error).message.slice(0, 200)}`, tookMs: Date.now() - began });
        }
        const next = began + options.faultEveryS * 1000;
        if (next > Date.now()) await sleep(next - Date.now());
      }
    })();
    // Watchdog: the load phase ends at the latest a minute after stopAt; anything still pending stays
    // "unknown" and is resolved by replay like any other unknown outcome.
    const watchdog = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), stopAt + 60_000 - Date.now()).unref());
    if ((await Promise.race([Promise.all([...clientLoops, faultLoop]), watchdog])) === "timeout") log("watchdog: load phase overran by a minute; pending operations count as unknown");
    lap("loadS");
    const unknownDuringFaults = client.operations.filter((op) => op.outcome === "unknown").length;

    log("quiet period: faults off, every process up, unknown outcomes replayed by key");
    await control.clearFaults().catch(() => {});
    stack.proxy?.setLatency(0);
    if (!stack.pidOf("app")) await stack.restartApp();
    if (!stack.pidOf("worker")) stack.restartWorker();
    await stack.waitFor(`${stack.appUrl}/api/ready`, 120_000);
    await client.resolveUnknowns(90_000);
    lap("resolveS");

    log("recovery: deliver webhooks, run the PSP's scheduler, the worker's recovery jobs");
    const recovery: Record<string, unknown> = {};
    for (let round = 0; round < 6; round++) {
      await control.flushScheduler().catch(() => {});
      recovery.webhooks = await control.flushWebhooks().catch((error) => String(error));
      recovery.jobs = await stack.setup({ recover: true });
      const check = new pg.Client({ connectionString: stack.databaseUrl });
      await check.connect();
      const inFlight = (await check.query(`SELECT count(*)::int AS n FROM payments WHERE status IN ('initiated','pending') UNION ALL SELECT count(*)::int FROM refunds WHERE status = 'pending' UNION ALL SELECT count(*)::int FROM psp_events WHERE status IN ('pending','processing','failed')`).catch(() => ({ rows: [{ n: -1 }] }))).rows.map((row) => row.n);
      await check.end();
      recovery.inFlight = inFlight;
      recovery.rounds = round + 1;
      if (inFlight.every((n) => n === 0)) break;
      await sleep(2_000);
    }
    lap("recoveryS");

    log("reconciliation run over the test's period");
    let reconciliation: ChaosResult["reconciliation"] = null;
    try {
      const response = await fetch(`${stack.appUrl}/api/v1/reconciliation/runs`, {
        method: "POST",
        headers: { authorization: `Bearer ${setup.secret}`, "content-type": "application/json", "idempotency-key": `chaos_recon_${Date.now()}` },
        body: JSON.stringify({ period_start: new Date(startedAt - 3_600_000).toISOString(), period_end: new Date(Date.now() + 3_600_000).toISOString(), currency: "USD" }),
        signal: AbortSignal.timeout(120_000),
      });
      const run = (await response.json()) as { id: string; state: string; unexplained_count: number | string; error?: string };
      const check = new pg.Client({ connectionString: stack.databaseUrl });
      await check.connect();
      const classes = await check.query<{ class: string; n: number }>(`SELECT class::text, count(*)::int AS n FROM reconciliation_discrepancies WHERE run_id = $1 GROUP BY 1`, [run.id]);
      await check.end();
      reconciliation = { runId: run.id, state: run.state ?? `HTTP ${response.status}`, unexplained: Number(run.unexplained_count ?? -1), discrepancies: Object.fromEntries(classes.rows.map((row) => [row.class, row.n])) };
    } catch (error) {
      reconciliation = { state: `error: ${(error as Error).message}`, unexplained: -1, discrepancies: {} };
    }
    lap("reconciliationS");

    log("checker");
    const checks = await runChecker({
      databaseUrl: stack.databaseUrl,
      pspUrl: stack.pspUrl,
      merchantId: setup.merchantId,
      wallets: setup.wallets,
      walletTotalBefore,
      operations: client.operations,
      reconciliation,
    });
    lap("checkS");
    const byKind: Record<string, Record<string, number>> = {};
    for (const op of client.operations) {
      byKind[op.kind] ??= { ok: 0, failed: 0, unknown: 0 };
      byKind[op.kind]![op.outcome]!++;
    }
    const faultCounts: Record<string, number> = {};
    for (const fault of faults) faultCounts[fault.kind] = (faultCounts[fault.kind] ?? 0) + 1;
    return {
      options: { ...options, log: undefined } as unknown as Omit<ChaosOptions, "log">,
      passed: checks.every((check) => check.ok),
      checks,
      operations: {
        total: client.operations.length,
        byKind,
        unknownDuringFaults,
        resolvedByReplay: client.operations.filter((op) => op.resolvedBy === "replay").length,
        attempts: client.operations.reduce((sum, op) => sum + op.attempts, 0),
        perSecond: Math.round((client.operations.length / options.durationS) * 10) / 10,
      },
      faults,
      faultCounts,
      restarts: { ...stack.restarts },
      proxy: stack.proxy ? { ...stack.proxy.stats } : null,
      recovery,
      reconciliation,
      timings,
      unexpectedExits: [...stack.unexpectedExits],
    };
  } finally {
    await stack.stop();
  }
}
