// Reconciliation benchmark (not a timed test). In a scratch database on DATABASE_URL's server it
// generates, set-based with generate_series: N payments (captured, one day), their ledger captures
// (3 entries each) and N staged PSP balance transactions with a sprinkling of injected faults (missing,
// extra, amount off, fee off, duplicates); then runs one reconciliation and reports rows/s, duration,
// peak process RSS (sampled) and PostgreSQL temp-file bytes. Triggers are off while generating
// (session_replication_role = replica): this is data setup, not the code under test.
// Run alone: DATABASE_URL=postgresql://… npx tsx bench/reconciliation.ts [rows] [--keep]
// Re-time the match phase of a kept database: … bench/reconciliation.ts --rematch settle_bench_recon_… [--explain]
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import pg from "pg";
import { applyMigrations } from "@/lib/db/schema-engine";

export type BenchReconciliationResult = {
  rows: number;
  durationMs: number;
  rowsPerSecond: number;
  peakRssMiB: number;
  pgTempBytes: number;
  pgCpuSeconds: number;
  /** Largest private memory (RssAnon) of a PostgreSQL backend serving the run. */
  pgBackendPeakAnonMiB: number;
  pgBackendPeakHwmMiB: number;
  nodeCpuSeconds: number;
  loadAverage: number[];
  generateMs: number;
  discrepancies: number;
  expectedDiscrepancies: number;
  state: string;
};

export async function benchReconciliation(opts: { rows: number; adminUrl?: string; keepDatabase?: boolean; log?: (line: string) => void }): Promise<BenchReconciliationResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const n = opts.rows;
  const source = opts.adminUrl ?? process.env.DATABASE_URL;
  if (!source) throw new Error("benchReconciliation needs adminUrl or DATABASE_URL");
  const adminUrl = new URL(source);
  adminUrl.pathname = "/postgres";
  const name = `settle_bench_recon_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    await applyMigrations(url.toString());
    process.env.DATABASE_URL = url.toString();
    process.env.AUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-0123";
    process.env.DATABASE_STATEMENT_TIMEOUT_MS ??= "600000";
    const { ensureMerchantAccounts } = await import("@/lib/ledger/ensure-merchant-accounts");
    const { createReconciliationRun, executeReconciliationRun } = await import("@/lib/reconciliation/execute-run");
    const { closeDb, sqlPool } = await import("@/lib/db/client");

    const generateStarted = performance.now();
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const merchantId = "mer_bench";
    await client.query(`INSERT INTO merchants (id, name) VALUES ($1, 'Bench')`, [merchantId]);
    const chart = await ensureMerchantAccounts(sqlPool(), merchantId, "USD");
    const periodStart = new Date("2026-11-20T00:00:00Z");
    const periodEnd = new Date("2026-11-21T00:00:00Z");
    // Secondary indexes are dropped for the bulk load and rebuilt after it (a sort per index instead of
    // N random inserts into each: 10M rows load in minutes instead of tens of minutes). Indexes that back
    // a constraint (primary keys, the targets of foreign keys) stay.
    const generated = ["payments", "ledger_transactions", "ledger_entries", "reconciliation_psp_records"];
    const { rows: deferred } = await client.query<{ name: string; def: string }>(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i WHERE i.indrelid = ANY($1::regclass[])
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
      [generated],
    );
    for (const index of deferred) await client.query(`DROP INDEX ${index.name}`);
    let stepAt = performance.now();
    const step = (what: string) => {
      log(`  ${what}: ${Math.round(performance.now() - stepAt)} ms`);
      stepAt = performance.now();
    };
    const run = await createReconciliationRun({
      merchantId,
      periodStart,
      periodEnd,
      source: "report",
      reportFilename: "bench.csv",
      actor: { type: "system", id: "bench" },
    });
    // The four tables load at the same time, each on a connection of its own (both cores busy).
    const load = async (what: string, sql: string, params: unknown[]) => {
      const loader = new pg.Client({ connectionString: url.toString() });
      await loader.connect();
      try {
        await loader.query(`SET session_replication_role = replica`);
        const at = performance.now();
        await loader.query(sql, params);
        log(`  ${what}: ${Math.round(performance.now() - at)} ms`);
      } finally {
        await loader.end();
      }
    };
    const gap = 86_000 / n; // seconds between payments; all inside the day
    const loads: Promise<void>[] = [];
    loads.push(load(
      "payments",
      `INSERT INTO payments (id, merchant_id, amount, amount_captured, currency, status, capture_method, payment_method_type, payment_method,
                             idempotency_key, psp_payment_intent_id, psp_charge_id, receipt_number, receipt_token, fee_amount, created_at, updated_at, captured_at)
       SELECT 'pay_b' || lpad(g::text, 9, '0'), $1, 1000 + g % 5000, 1000 + g % 5000, 'USD', 'captured', 'automatic', 'card', 'pm_card_visa',
              'idem_' || g, 'pi_b' || g, 'ch_b' || g, 'R' || g, 'rt_' || g, round((1000 + g % 5000) * 0.029) + 30,
              $2::timestamptz + make_interval(secs => g * $3::float8), $2::timestamptz + make_interval(secs => g * $3::float8),
              $2::timestamptz + make_interval(secs => g * $3::float8)
       FROM generate_series(1, $4::int) g`,
      [merchantId, periodStart, gap, n],
    ));
    // Ledger captures: every 50 000th payment has none (missing_in_ledger).
    loads.push(load(
      "ledger transactions",
      `INSERT INTO ledger_transactions (id, merchant_id, description, external_ref, created_at)
       SELECT 'txn_b' || lpad(g::text, 9, '0'), $1, 'capture', 'payment:pay_b' || lpad(g::text, 9, '0') || ':capture',
              $2::timestamptz + make_interval(secs => g * $3::float8)
       FROM generate_series(1, $4::int) g WHERE g % 50000 <> 0`,
      [merchantId, periodStart, gap, n],
    ));
    loads.push(load(
      "ledger entries",
      `INSERT INTO ledger_entries (id, transaction_id, account_id, direction, amount_minor, currency, balance_after, created_at)
       SELECT 'ent_b' || lpad(g::text, 9, '0') || '_' || k, 'txn_b' || lpad(g::text, 9, '0'),
              CASE k WHEN 1 THEN $1 WHEN 2 THEN $2 ELSE $3 END,
              (CASE WHEN k < 3 THEN 'debit' ELSE 'credit' END)::"LedgerSide",
              CASE k WHEN 1 THEN (1000 + g % 5000) - (round((1000 + g % 5000) * 0.029) + 30) WHEN 2 THEN round((1000 + g % 5000) * 0.029) + 30 ELSE 1000 + g % 5000 END,
              'USD', 0, $4::timestamptz + make_interval(secs => g * $5::float8)
       FROM generate_series(1, $6::int) g CROSS JOIN generate_series(1, 3) k WHERE g % 50000 <> 0`,
      [chart.psp_receivable, chart.psp_fees, chart.merchant_pending, periodStart, gap, n],
    ));
    // PSP rows: every 20 000th payment missing at the PSP, every 10 000th 1 cent off, every 15 000th fee off,
    // one extra adjustment per 100 000 rows and one duplicated balance transaction per 100 000.
    loads.push(load(
      "PSP rows",
      `INSERT INTO reconciliation_psp_records (run_id, balance_transaction_id, reporting_category, type, source_id, charge_id, payment_intent_id,
                                               created_at, available_on, currency, gross, fee, net, status)
       SELECT $1, 'txn_p' || g, 'charge', 'charge', 'ch_b' || g, 'ch_b' || g, 'pi_b' || g,
              $2::timestamptz + make_interval(secs => g * $3::float8 + 2), $2::timestamptz + interval '2 days', 'USD',
              gross, fee, gross - fee, 'pending'
       FROM (SELECT g, 1000 + g % 5000 + CASE WHEN g % 10000 = 0 THEN 1 ELSE 0 END AS gross,
                    round((1000 + g % 5000) * 0.029) + 30 + CASE WHEN g % 15000 = 0 AND g % 10000 <> 0 THEN 7 ELSE 0 END AS fee
             FROM generate_series(1, $4::int) g WHERE g % 20000 <> 0) x
       UNION ALL
       SELECT $1, 'txn_x' || g, 'other_adjustment', 'adjustment', NULL, NULL, NULL, $2::timestamptz + make_interval(secs => g * 863),
              $2::timestamptz, 'USD', 1234, 0, 1234, 'available'
       FROM generate_series(1, greatest(1, $4::int / 100000)) g
       UNION ALL
       SELECT $1, 'txn_p' || (g * 100000 + 1), 'charge', 'charge', 'ch_b' || (g * 100000 + 1), NULL, NULL,
              $2::timestamptz + make_interval(secs => (g * 100000 + 1) * $3::float8 + 2), NULL, 'USD',
              1000 + (g * 100000 + 1) % 5000, round((1000 + (g * 100000 + 1) % 5000) * 0.029) + 30,
              1000 + (g * 100000 + 1) % 5000 - (round((1000 + (g * 100000 + 1) % 5000) * 0.029) + 30), 'pending'
       FROM generate_series(0, greatest(0, $4::int / 100000 - 1)) g`,
      [run.id, periodStart, gap, n],
    ));
    await Promise.all(loads);
    step("loaded");
    await client.query(`SET session_replication_role = origin`);
    // Rebuilt two at a time (one per core), each with its own connection.
    const queue = [...deferred];
    const rebuild = async () => {
      const builder = new pg.Client({ connectionString: url.toString() });
      await builder.connect();
      await builder.query(`SET maintenance_work_mem = '256MB'`);
      try {
        for (let index = queue.shift(); index; index = queue.shift()) await builder.query(index.def);
      } finally {
        await builder.end();
      }
    };
    await Promise.all([rebuild(), rebuild()]);
    step(`${deferred.length} secondary indexes rebuilt`);
    // Hint bits and the visibility map as a day-old table would have them (the nightly run reads
    // yesterday's rows), plus planner statistics.
    for (const table of generated) await client.query(`VACUUM (ANALYZE) ${table}`);
    step("vacuum analyze");
    const generateMs = Math.round(performance.now() - generateStarted);
    log(`generated ${n} payments, ledger captures and PSP rows in ${generateMs} ms`);

    const tempBefore = await client.query<{ temp_bytes: string }>(`SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()`);
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const backends = watchBackends(client);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const outcome = await executeReconciliationRun(run.id);
    const durationMs = Math.round(performance.now() - started);
    const nodeCpu = process.cpuUsage(cpuBefore);
    const pgStats = await backends.stop();
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    await new Promise((resolve) => setTimeout(resolve, 600)); // pg_stat counters are flushed asynchronously
    const tempAfter = await client.query<{ temp_bytes: string }>(`SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()`);
    const summary = await client.query<{ discrepancy_count: string; classes: Record<string, number> }>(
      `SELECT r.discrepancy_count, (SELECT jsonb_object_agg(class, c) FROM (SELECT class, count(*) c FROM reconciliation_discrepancies WHERE run_id = r.id GROUP BY class) x) AS classes
       FROM reconciliation_runs r WHERE r.id = $1`,
      [run.id],
    );
    // Expected: missing at PSP (g % 20000 = 0), amount off (g % 10000 = 0 and not missing), fee off (g % 15000 = 0, not 10000, not 20000),
    // missing in ledger (g % 50000 = 0), extras, duplicates.
    let expected = 0;
    for (let g = 1; g <= n; g++) {
      if (g % 20000 === 0) expected++;
      else if (g % 10000 === 0) expected++;
      else if (g % 15000 === 0) expected++;
      if (g % 50000 === 0) expected++;
    }
    // Extras and duplicated balance transactions: at least one of each (generate_series(0, max(0, n/100k - 1))).
    expected += 2 * Math.max(1, Math.floor(n / 100000));
    await client.end();
    await closeDb();
    const result: BenchReconciliationResult = {
      rows: n,
      durationMs,
      rowsPerSecond: Math.round((n * 1000) / Math.max(1, durationMs)),
      peakRssMiB: Math.round(peakRss / 1048576),
      pgTempBytes: Number(tempAfter.rows[0]!.temp_bytes) - Number(tempBefore.rows[0]!.temp_bytes),
      ...pgStats,
      nodeCpuSeconds: Math.round((nodeCpu.user + nodeCpu.system) / 10_000) / 100,
      loadAverage: loadavg().map((value) => Math.round(value * 10) / 10),
      generateMs,
      discrepancies: Number(summary.rows[0]!.discrepancy_count),
      expectedDiscrepancies: expected,
      state: outcome.state,
    };
    log(`classes: ${JSON.stringify(summary.rows[0]!.classes)}`);
    log(JSON.stringify(result));
    return result;
  } finally {
    if (!opts.keepDatabase) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

/**
 * Watches the PostgreSQL backends of the client's database (local server, /proc) while a run executes:
 * their CPU seconds (wall time on a shared 2-core machine swings with other people's load; the work
 * done does not), the largest private memory (RssAnon) one of them held, and the largest VmHWM (which
 * also counts the shared buffers a backend touched).
 */
export function watchBackends(client: pg.Client): { stop: () => Promise<{ pgCpuSeconds: number; pgBackendPeakAnonMiB: number; pgBackendPeakHwmMiB: number }> } {
  const backendTicks = new Map<number, { first: number; last: number }>();
  let anonKiB = 0;
  let hwmKiB = 0;
  const sample = async () => {
    const { rows: pids } = await client.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    for (const { pid } of pids) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        anonKiB = Math.max(anonKiB, Number(/RssAnon:\s+(\d+)/.exec(status)?.[1] ?? 0));
        hwmKiB = Math.max(hwmKiB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        const ticks = Number(fields[11]) + Number(fields[12]);
        const seen = backendTicks.get(pid);
        backendTicks.set(pid, { first: seen?.first ?? ticks, last: ticks });
      } catch {
        // The backend exited between the query and the read.
      }
    }
  };
  let sampling = true;
  const loop = (async () => {
    while (sampling) {
      await sample().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return {
    stop: async () => {
      await sample().catch(() => {});
      sampling = false;
      await loop;
      return {
        pgCpuSeconds: [...backendTicks.values()].reduce((total, { first, last }) => total + (last - first), 0) / 100,
        pgBackendPeakAnonMiB: Math.round(anonKiB / 1024),
        pgBackendPeakHwmMiB: Math.round(hwmKiB / 1024),
      };
    },
  };
}

/**
 * Re-matches the run of a database kept by an earlier bench (`--keep`): its discrepancies are deleted
 * and it goes back to `staged`, so only the match phase is timed (data generation takes minutes at 10M).
 * With `explain`, every statement's EXPLAIN (ANALYZE, BUFFERS) plan is printed.
 */
export async function rematchReconciliation(opts: { database: string; explain?: boolean; adminUrl?: string; log?: (line: string) => void }) {
  const log = opts.log ?? ((line: string) => console.log(line));
  const source = opts.adminUrl ?? process.env.DATABASE_URL;
  if (!source) throw new Error("rematchReconciliation needs adminUrl or DATABASE_URL");
  const url = new URL(source);
  url.pathname = `/${opts.database}`;
  process.env.DATABASE_URL = url.toString();
  process.env.AUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-0123";
  process.env.DATABASE_STATEMENT_TIMEOUT_MS ??= "600000";
  const { executeReconciliationRun } = await import("@/lib/reconciliation/execute-run");
  const { matchDiagnostics } = await import("@/lib/reconciliation/match-run");
  const { closeDb } = await import("@/lib/db/client");
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const { rows } = await client.query<{ id: string; n: string }>(
    `SELECT r.id, (SELECT count(*) FROM reconciliation_psp_records p WHERE p.run_id = r.id) AS n FROM reconciliation_runs r ORDER BY r.created_at DESC LIMIT 1`,
  );
  const run = rows[0];
  if (!run) throw new Error(`no run in ${opts.database}`);
  await client.query(`DELETE FROM reconciliation_discrepancies WHERE run_id = $1`, [run.id]);
  await client.query(`UPDATE reconciliation_runs SET state = 'staged', is_current = false, totals = NULL WHERE id = $1`, [run.id]);
  await client.query(`CHECKPOINT`).catch(() => {});
  matchDiagnostics.explain = opts.explain ?? false;
  matchDiagnostics.onStatement = ({ sql, ms, plan }) => {
    log(`${String(ms).padStart(7)} ms  ${sql.trim().replace(/\s+/g, " ").slice(0, 90)}`);
    if (plan) log(plan.replace(/^/gm, "           "));
  };
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const backends = watchBackends(client);
  const tempBefore = await client.query<{ temp_bytes: string }>(`SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()`);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const outcome = await executeReconciliationRun(run.id);
  const durationMs = Math.round(performance.now() - started);
  const nodeCpu = process.cpuUsage(cpuBefore);
  const pgStats = await backends.stop();
  clearInterval(sampler);
  await new Promise((resolve) => setTimeout(resolve, 600));
  const tempAfter = await client.query<{ temp_bytes: string }>(`SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()`);
  const summary = await client.query<{ discrepancy_count: string; classes: Record<string, number> }>(
    `SELECT r.discrepancy_count, (SELECT jsonb_object_agg(class, c) FROM (SELECT class, count(*) c FROM reconciliation_discrepancies WHERE run_id = r.id GROUP BY class) x) AS classes
     FROM reconciliation_runs r WHERE r.id = $1`,
    [run.id],
  );
  await client.end();
  await closeDb();
  const n = Number(run.n);
  const result = {
    rows: n,
    durationMs,
    rowsPerSecond: Math.round((n * 1000) / Math.max(1, durationMs)),
    peakRssMiB: Math.round(peakRss / 1048576),
    pgTempBytes: Number(tempAfter.rows[0]!.temp_bytes) - Number(tempBefore.rows[0]!.temp_bytes),
    ...pgStats,
    nodeCpuSeconds: Math.round((nodeCpu.user + nodeCpu.system) / 10_000) / 100,
    loadAverage: loadavg().map((value) => Math.round(value * 10) / 10),
    discrepancies: Number(summary.rows[0]!.discrepancy_count),
    state: outcome.state,
  };
  log(`classes: ${JSON.stringify(summary.rows[0]!.classes)}`);
  log(JSON.stringify(result));
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const rematch = args.indexOf("--rematch");
  if (rematch >= 0) {
    await rematchReconciliation({ database: args[rematch + 1]!, explain: args.includes("--explain") });
  } else {
    const rows = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 1_000_000);
    await benchReconciliation({ rows, keepDatabase: args.includes("--keep") });
  }
}
