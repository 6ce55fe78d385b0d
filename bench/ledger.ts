// Ledger benchmark (not a timed test). In a scratch database on the configured PostgreSQL server:
//   (a) transfers/s posted through lib/ledger by N concurrent callers, with p50/p99 latency: the way
//       createTransferNow posts them (group commit: concurrent callers' transfers share one statement of
//       ledger_post_transfers and one COMMIT; each caller is answered after that COMMIT), and, for
//       comparison, one transfer per database transaction (createTransfer, one autocommit statement);
//   (c) the baseline: pgbench TPC-B when a pgbench binary is available, else a Node loop of plain
//       two-row-update transactions (BEGIN; UPDATE; UPDATE; COMMIT) over N connections;
//   the floor of (a): ledger_post_transfers driven by pgbench itself, no application in the way;
//   and balance-read latency (cached balance and as_of) on an account with `readEntries` entries.
// Durability is never weakened: synchronous_commit stays as the server has it.
// Run alone: DATABASE_URL=postgresql://… npx tsx bench/ledger.ts [durationSeconds]
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { newId } from "@/lib/ids";
import { createAccount } from "@/lib/ledger/create-account";
import { createTransfer } from "@/lib/ledger/create-transfer";
import { ensureMerchantAccounts } from "@/lib/ledger/ensure-merchant-accounts";
import { getAccountOrThrow } from "@/lib/ledger/get-account";
import { getBalanceAsOf } from "@/lib/ledger/list-entries";
import { postTransaction } from "@/lib/ledger/post-transaction";
import { withLedgerRetry } from "@/lib/ledger/sql";
import { findPgbench } from "./lib/references";
import { createTransferBatcher } from "@/lib/ledger/transfer-batcher";

export type BenchLedgerOptions = {
  /** Server to create the scratch database on; by default DATABASE_URL's server. */
  adminUrl?: string;
  durationMs?: number;
  concurrency?: number;
  /** Wallets the transfers pick from at random (contention falls as this grows). */
  accounts?: number;
  /** Entries loaded onto one account for the read test. */
  readEntries?: number;
  readSamples?: number;
  /** Group commit: transfers per database transaction at most, and batches in flight at once. */
  batchSizeMax?: number;
  batchFlushersMax?: number;
  /** Slices each of (a), batched (a) and (c) is split into, run alternately. */
  rounds?: number;
  keepDatabase?: boolean;
  log?: (line: string) => void;
};

type Throughput = { perSecond: number; count: number; p50Ms: number; p99Ms: number; errors: number; latencies?: number[]; elapsedMs?: number };

/** Merges the slices of one measurement (modes run interleaved, so load from elsewhere hits all alike). */
function combine(slices: Throughput[]): Throughput {
  const latencies = slices.flatMap((slice) => slice.latencies ?? []).sort((left, right) => left - right);
  const elapsedMs = slices.reduce((sum, slice) => sum + (slice.elapsedMs ?? 0), 0);
  const count = slices.reduce((sum, slice) => sum + slice.count, 0);
  if (latencies.length === 0) {
    return { perSecond: Math.round(slices.reduce((sum, slice) => sum + slice.perSecond, 0) / slices.length), count, p50Ms: slices[0]?.p50Ms ?? 0, p99Ms: 0, errors: 0 };
  }
  return {
    perSecond: Math.round(count / (elapsedMs / 1000)),
    count,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    errors: slices.reduce((sum, slice) => sum + slice.errors, 0),
  };
}

pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => BigInt(value));

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!.toFixed(3));
}

async function runWorkers(concurrency: number, durationMs: number, once: (worker: number) => Promise<void>): Promise<Throughput> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        try {
          await once(worker);
          latencies.push(performance.now() - begin);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  latencies.sort((left, right) => left - right);
  return {
    perSecond: Math.round(latencies.length / (elapsedMs / 1000)),
    count: latencies.length,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    errors,
    latencies,
    elapsedMs,
  };
}

function serverAdminUrl(options: BenchLedgerOptions): string {
  const source = options.adminUrl ?? process.env.DATABASE_URL;
  if (!source) throw new Error("benchLedger needs adminUrl or DATABASE_URL");
  const url = new URL(source);
  if (!options.adminUrl) url.pathname = "/postgres";
  return url.toString();
}

type Wallets = { merchantId: string; wallets: string[] };

async function setupWallets(pool: pg.Pool, count: number): Promise<Wallets> {
  const merchantId = newId("merchant");
  await pool.query(`INSERT INTO merchants (id, name) VALUES ($1, 'Bench merchant')`, [merchantId]);
  const chart = await ensureMerchantAccounts(pool, merchantId, "USD");
  const wallets: string[] = [];
  for (let i = 0; i < count; i++) wallets.push((await createAccount(pool, { merchantId, currency: "USD" })).id);
  for (const wallet of wallets) {
    await postTransaction(pool, {
      merchantId,
      description: "bench funding",
      entries: [
        { accountId: chart.bank_cash, direction: "debit", amountMinor: 1_000_000_000n, currency: "USD" },
        { accountId: wallet, direction: "credit", amountMinor: 1_000_000_000n, currency: "USD" },
      ],
    });
  }
  // Warm the connections' prepared statements and the function's compiled plans.
  for (let i = 0; i < Math.min(wallets.length, 200); i++) {
    await createTransfer(pool, { merchantId, fromAccountId: wallets[i]!, toAccountId: wallets[(i + 1) % wallets.length]!, amountMinor: 1n, currency: "USD" });
  }
  return { merchantId, wallets };
}

/** (a) Group-committed as createTransferNow does (a batcher on the bench's pool), or one transfer per database transaction. */
async function benchTransfers(
  pool: pg.Pool,
  { merchantId, wallets }: Wallets,
  options: Required<Pick<BenchLedgerOptions, "durationMs" | "concurrency">> & Pick<BenchLedgerOptions, "batchSizeMax" | "batchFlushersMax">,
  mode: "each" | "batched",
): Promise<Throughput> {
  const batcher = createTransferBatcher({ pool, batchSizeMax: options.batchSizeMax, flushersMax: options.batchFlushersMax });
  return runWorkers(options.concurrency, options.durationMs, async () => {
    const from = Math.floor(Math.random() * wallets.length);
    let to = Math.floor(Math.random() * wallets.length);
    if (to === from) to = (to + 1) % wallets.length;
    const input = { merchantId, fromAccountId: wallets[from]!, toAccountId: wallets[to]!, amountMinor: 1n + BigInt(Math.floor(Math.random() * 100)), currency: "USD" };
    if (mode === "batched") await batcher.submit(input);
    else await withLedgerRetry(() => createTransfer(pool, input));
  });
}

/** The schema engine leaves a pool open on the database it migrated; a child process takes it away with it. */
function migrateInChildProcess(databaseUrl: string): void {
  const root = path.resolve(import.meta.dirname, "..");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "scripts/db-migrate.ts")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`migrating the bench database failed:\n${result.stderr || result.stdout}`);
}


async function benchBaseline(
  pool: pg.Pool,
  databaseUrl: string,
  options: Required<Pick<BenchLedgerOptions, "durationMs" | "concurrency">>,
): Promise<Throughput & { kind: "pgbench-tpcb" | "node-two-row-update" }> {
  const pgbench = findPgbench();
  if (pgbench) {
    const url = new URL(databaseUrl);
    const env = { ...process.env, PGPASSWORD: decodeURIComponent(url.password) };
    const connection = ["-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username), url.pathname.slice(1)];
    const initialised = await pool.query(`SELECT to_regclass('pgbench_accounts') IS NOT NULL AS ready`);
    // Scale 10 as in bench/lib/references.ts: at scale 1, 16 clients queue on pgbench's single branch row.
    if (!initialised.rows[0].ready) spawnSync(pgbench, ["-i", "-s", "10", "-q", ...connection], { env, encoding: "utf8" });
    const seconds = String(Math.max(1, Math.round(options.durationMs / 1000)));
    const run = spawnSync(pgbench, ["-c", String(options.concurrency), "-j", "2", "-T", seconds, "-M", "prepared", "-r", ...connection], { env, encoding: "utf8" });
    const tps = Number(run.stdout.match(/tps = ([\d.]+)/)?.[1] ?? 0);
    const latency = Number(run.stdout.match(/latency average = ([\d.]+) ms/)?.[1] ?? 0);
    return { kind: "pgbench-tpcb", perSecond: Math.round(tps), count: Math.round(tps * Number(seconds)), p50Ms: latency, p99Ms: 0, errors: 0 };
  }
  const rows = 100_000; // pgbench scale 1 has 100,000 accounts
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_two_row (id int PRIMARY KEY, balance bigint NOT NULL)`);
  await pool.query(`INSERT INTO bench_two_row SELECT g, 0 FROM generate_series(1, $1) g ON CONFLICT DO NOTHING`, [rows]);
  const clients = await Promise.all(Array.from({ length: options.concurrency }, () => pool.connect()));
  try {
    const result = await runWorkers(options.concurrency, options.durationMs, async (worker) => {
      const client = clients[worker]!;
      const first = 1 + Math.floor(Math.random() * rows);
      let second = 1 + Math.floor(Math.random() * rows);
      if (second === first) second = (second % rows) + 1;
      const delta = 1 + Math.floor(Math.random() * 100);
      const [low, high] = first < second ? [first, second] : [second, first];
      try {
        await client.query("BEGIN");
        await client.query("UPDATE bench_two_row SET balance = balance - $2 WHERE id = $1", [low, delta]);
        await client.query("UPDATE bench_two_row SET balance = balance + $2 WHERE id = $1", [high, delta]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      }
    });
    return { kind: "node-two-row-update", ...result };
  } finally {
    for (const client of clients) client.release();
  }
}

/**
 * The ceiling of (a) without any application: ledger_post_transfers driven by pgbench itself, 2 clients each
 * posting batches of 8 random transfers among the same wallets (16 transfers in flight, as with 16 callers
 * and 2 flushers). The batch is built in SQL (time-ordered random ids like lib/ids), server work that (a)
 * does in Node; its cost is measured on its own (same clients) and taken out of the batch latency for
 * `perSecondWithoutBuilder`, an estimate of what the function alone sustains on this machine.
 */
async function benchSqlFloor(
  pool: pg.Pool,
  databaseUrl: string,
  { merchantId, wallets }: Wallets,
  options: Required<Pick<BenchLedgerOptions, "durationMs">>,
): Promise<(Throughput & { batchSize: number; clients: number; builderMs: number; perSecondWithoutBuilder: number }) | null> {
  const pgbench = findPgbench();
  if (!pgbench) return null;
  const batchSize = 8;
  const clients = 2;
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_floor_wallets (n int PRIMARY KEY, id text NOT NULL)`);
  await pool.query(`TRUNCATE bench_floor_wallets`);
  await pool.query(`INSERT INTO bench_floor_wallets SELECT ordinality - 1, id FROM unnest($1::text[]) WITH ORDINALITY AS w(id, ordinality)`, [wallets]);
  await pool.query(
    `CREATE OR REPLACE FUNCTION bench_floor_batch(p_merchant text, p_size int, p_wallets int) RETURNS jsonb LANGUAGE sql VOLATILE AS $f$
       WITH picks AS (
         SELECT g, floor(random() * p_wallets)::int AS f, floor(random() * (p_wallets - 1))::int AS t FROM generate_series(1, p_size) g
       )
       SELECT jsonb_agg(jsonb_build_object(
         'i', g - 1, 'merchant_id', p_merchant,
         'transfer_id', 'trf_' || stamp || replace(gen_random_uuid()::text, '-', ''),
         'transaction_id', 'txn_' || stamp || replace(gen_random_uuid()::text, '-', ''),
         'from_entry_id', 'ent_' || stamp || replace(gen_random_uuid()::text, '-', ''),
         'to_entry_id', 'ent_' || stamp || replace(gen_random_uuid()::text, '-', ''),
         'from_id', wf.id, 'to_id', wt.id, 'amount', (1 + g % 100)::text, 'currency', 'USD',
         'description', NULL, 'transaction_description', 'bench floor', 'metadata', '{}'::jsonb, 'created_at', NULL, 'idempotency', NULL
       ) ORDER BY g)
       FROM picks
       CROSS JOIN LATERAL (SELECT lpad(((extract(epoch FROM clock_timestamp()) * 1000000)::bigint)::text, 17, '0') AS stamp) s
       JOIN bench_floor_wallets wf ON wf.n = picks.f
       JOIN bench_floor_wallets wt ON wt.n = (picks.f + 1 + picks.t) % p_wallets
     $f$`,
  );
  const script = path.join(os.tmpdir(), `settle-bench-floor-${process.pid}.sql`);
  writeFileSync(script, `SELECT count(*) FROM ledger_post_transfers(bench_floor_batch('${merchantId}', ${batchSize}, ${wallets.length}));\n`);
  try {
    const url = new URL(databaseUrl);
    const env = { ...process.env, PGPASSWORD: decodeURIComponent(url.password) };
    const connection = ["-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username), url.pathname.slice(1)];
    const pgbenchRun = (seconds: string) => {
      const run = spawnSync(pgbench, ["-n", "-c", String(clients), "-j", String(clients), "-T", seconds, "-M", "prepared", "-f", script, ...connection], { env, encoding: "utf8" });
      const tps = Number(run.stdout.match(/tps = ([\d.]+)/)?.[1] ?? 0);
      if (!tps) throw new Error(`pgbench on ${path.basename(script)} failed: ${run.stderr.slice(-500)}`);
      return { tps, latencyMs: Number(run.stdout.match(/latency average = ([\d.]+) ms/)?.[1] ?? 0), failed: Number(run.stdout.match(/number of failed transactions: (\d+)/)?.[1] ?? 0) };
    };
    const seconds = String(Math.max(1, Math.round(options.durationMs / 1000)));
    const posted = pgbenchRun(seconds);
    // What building the batch in SQL costs on its own (work (a) does in Node), to take it out of the floor.
    writeFileSync(script, `SELECT length(bench_floor_batch('${merchantId}', ${batchSize}, ${wallets.length})::text);\n`);
    const built = pgbenchRun("2");
    const postingMs = Math.max(0.001, posted.latencyMs - built.latencyMs);
    return {
      perSecond: Math.round(posted.tps * batchSize), count: Math.round(posted.tps * batchSize * Number(seconds)), p50Ms: posted.latencyMs, p99Ms: 0, errors: posted.failed,
      batchSize, clients, elapsedMs: Number(seconds) * 1000, builderMs: built.latencyMs, perSecondWithoutBuilder: Math.round((clients * batchSize * 1000) / postingMs),
    };
  } finally {
    rmSync(script, { force: true });
  }
}

async function benchReads(pool: pg.Pool, entries: number, samples: number) {
  const merchantId = newId("merchant");
  await pool.query(`INSERT INTO merchants (id, name) VALUES ($1, 'Bench reads')`, [merchantId]);
  const chart = await ensureMerchantAccounts(pool, merchantId, "USD");
  const account = (await createAccount(pool, { merchantId, currency: "USD", name: "Busy wallet" })).id;
  const loadStarted = performance.now();
  const client = await pool.connect();
  const spanMs = 30 * 24 * 3_600_000;
  const firstAt = Date.now() - spanMs;
  try {
    await client.query("BEGIN");
    // Bulk load only: skip the per-row triggers (the deferred balance check would run a million
    // times); the rows written are balanced pairs with a correct balance_after chain regardless.
    await client.query("SET LOCAL session_replication_role = replica");
    await client.query(
      `INSERT INTO ledger_transactions (id, merchant_id, description, created_at)
       SELECT 'txn_bench_' || g, $1, 'bench deposit', to_timestamp(($2::bigint + g * $3::bigint) / 1000.0)
       FROM generate_series(1, $4::int) g`,
      [merchantId, firstAt, Math.floor(spanMs / entries), entries],
    );
    await client.query(
      `INSERT INTO ledger_entries (id, transaction_id, account_id, direction, amount_minor, currency, balance_after, created_at)
       SELECT 'ent_bench_c' || g, 'txn_bench_' || g, $1, 'credit', 1 + g % 7,
              'USD', sum(1 + g % 7) OVER (ORDER BY g), to_timestamp(($2::bigint + g * $3::bigint) / 1000.0)
       FROM generate_series(1, $4::int) g ORDER BY g`,
      [account, firstAt, Math.floor(spanMs / entries), entries],
    );
    await client.query(
      `INSERT INTO ledger_entries (id, transaction_id, account_id, direction, amount_minor, currency, balance_after, created_at)
       SELECT 'ent_bench_d' || g, 'txn_bench_' || g, $1, 'debit', 1 + g % 7,
              'USD', sum(1 + g % 7) OVER (ORDER BY g), to_timestamp(($2::bigint + g * $3::bigint) / 1000.0)
       FROM generate_series(1, $4::int) g ORDER BY g`,
      [chart.bank_cash, firstAt, Math.floor(spanMs / entries), entries],
    );
    await client.query(
      `UPDATE ledger_accounts a SET balance_minor = s.total, version = $3::bigint
       FROM (SELECT sum(1 + g % 7)::bigint AS total FROM generate_series(1, $2::int) g) s WHERE a.id = ANY($1::text[])`,
      [[account, chart.bank_cash], entries, entries],
    );
    await client.query("COMMIT");
    await client.query("ANALYZE ledger_entries");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  // Read latency in steady state, not in the bulk load's wake: flush its dirty pages and clean up the
  // updated account rows first, and warm the connections, as a running system would be.
  await pool.query("CHECKPOINT");
  await pool.query("VACUUM (ANALYZE) ledger_accounts");
  for (let i = 0; i < 50; i++) await getAccountOrThrow(pool, { merchantId, accountId: account });
  // The plan is what makes the read O(1): one primary-key lookup, however many entries the account has.
  const plan = await pool.query(`EXPLAIN (FORMAT JSON) SELECT balance_minor FROM ledger_accounts WHERE id = $1 AND merchant_id = $2`, [account, merchantId]);
  const planNode = (plan.rows[0]["QUERY PLAN"][0].Plan as { "Node Type": string; "Index Name"?: string });
  const time = async (read: () => Promise<unknown>) => {
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      const begin = performance.now();
      await read();
      latencies.push(performance.now() - begin);
    }
    latencies.sort((left, right) => left - right);
    return { samples, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
  };
  const current = await time(() => getAccountOrThrow(pool, { merchantId, accountId: account }));
  const asOf = await time(() => getBalanceAsOf(pool, { merchantId, accountId: account, asOf: new Date(firstAt + Math.random() * spanMs) }));
  return { entries, loadSeconds: Number(loadSeconds.toFixed(1)), plan: `${planNode["Node Type"]}${planNode["Index Name"] ? ` using ${planNode["Index Name"]}` : ""}`, balance: current, balanceAsOf: asOf };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? Number((numerator / denominator).toFixed(2)) : null;
}

export async function benchLedger(options: BenchLedgerOptions = {}) {
  const durationMs = options.durationMs ?? 10_000;
  const concurrency = options.concurrency ?? 16;
  const accounts = options.accounts ?? 1_000;
  const readEntries = options.readEntries ?? 1_000_000;
  const rounds = options.rounds ?? 3;
  const log = options.log ?? (() => {});
  const adminUrl = serverAdminUrl(options);
  const name = `settle_bench_ledger_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency + 4 });
  pool.on("error", () => {}); // idle clients cut off by the final DROP DATABASE … WITH (FORCE)
  try {
    log(`ledger bench: migrating ${name}`);
    migrateInChildProcess(databaseUrl);
    const settings = (await pool.query(`SELECT current_setting('synchronous_commit') AS synchronous_commit, current_setting('fsync') AS fsync`)).rows[0];
    log(`ledger bench: (a) transfers and (c) baseline, ${concurrency} callers, ${accounts} wallets, ${durationMs} ms each in ${rounds} rounds`);
    const wallets = await setupWallets(pool, accounts);
    // The measurements run interleaved in `rounds` slices, so load from elsewhere hits them alike.
    const slices = { batched: [] as Throughput[], each: [] as Throughput[], baseline: [] as Throughput[], floor: [] as (Throughput & { builderMs: number; perSecondWithoutBuilder: number })[] };
    let baselineKind: "pgbench-tpcb" | "node-two-row-update" = "node-two-row-update";
    const sliceMs = Math.max(1_000, Math.round(durationMs / rounds));
    for (let round = 0; round < rounds; round++) {
      slices.batched.push(
        await benchTransfers(
          pool,
          wallets,
          { durationMs: sliceMs, concurrency, batchSizeMax: options.batchSizeMax, batchFlushersMax: options.batchFlushersMax },
          "batched",
        ),
      );
      slices.each.push(await benchTransfers(pool, wallets, { durationMs: sliceMs, concurrency }, "each"));
      const baselineSlice = await benchBaseline(pool, databaseUrl, { durationMs: sliceMs, concurrency });
      baselineKind = baselineSlice.kind;
      slices.baseline.push(baselineSlice);
      const floorSlice = await benchSqlFloor(pool, databaseUrl, wallets, { durationMs: sliceMs });
      if (floorSlice) slices.floor.push(floorSlice);
    }
    const transfers = combine(slices.batched);
    const transfersEach = combine(slices.each);
    const baseline = { kind: baselineKind, ...combine(slices.baseline) };
    const mean = (values: number[]) => Number((values.reduce((sum, value) => sum + value, 0) / values.length).toFixed(2));
    const sqlFloor = slices.floor.length
      ? {
          batchSize: 8, clients: 2, ...combine(slices.floor),
          /** pgbench latency of building one batch in SQL alone, and the rate with that taken out (≈ the function's own ceiling). */
          builderMs: mean(slices.floor.map((slice) => slice.builderMs)),
          perSecondWithoutBuilder: Math.round(mean(slices.floor.map((slice) => slice.perSecondWithoutBuilder))),
        }
      : null;
    log(`ledger bench: balance reads with ${readEntries} entries`);
    const reads = await benchReads(pool, readEntries, options.readSamples ?? 2_000);
    return {
      config: { durationMs, rounds, concurrency, accounts, batchSizeMax: options.batchSizeMax ?? 64, batchFlushersMax: options.batchFlushersMax ?? 2, server: settings },
      /** (a) As createTransferNow posts: group commit, each caller answered after its batch's durable COMMIT. */
      transfers,
      /** One transfer per database transaction (createTransfer in autocommit: one statement, one COMMIT each). */
      transfersEach,
      baseline,
      ratioTransfersToBaseline: ratio(transfers.perSecond, baseline.perSecond),
      ratioEachTransfersToBaseline: ratio(transfersEach.perSecond, baseline.perSecond),
      /** ledger_post_transfers driven by pgbench itself: what (a) would be with no application cost at all. */
      sqlFloor,
      ratioSqlFloorToBaseline: sqlFloor ? ratio(sqlFloor.perSecondWithoutBuilder, baseline.perSecond) : null,
      reads,
    };
  } finally {
    await pool.end();
    if (!options.keepDatabase) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seconds = Number(process.argv[2] ?? "10");
  const result = await benchLedger({ durationMs: seconds * 1000, log: (line) => console.error(line) });
  console.log(JSON.stringify(result, (_key, value) => (typeof value === "bigint" ? value.toString() : value), 2));
}
