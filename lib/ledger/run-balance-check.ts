// Recomputes balances from entries and compares them with what the ledger cached, incrementally by
// entry sequence. Three checks over the entries with seq in (sinceSeq, maxSeq], all in ONE snapshot:
//   1. chain: each entry's balance_after = the previous entry's balance_after ± its amount;
//   2. cache: each touched account's balance = balance_after of its latest entry;
//   3. journal: each touched transaction's entries balance per currency.
// A full check (sinceSeq 0) also finds accounts with a balance but no entries. Each problem becomes a
// ledger_alerts row (deduplicated by fingerprint); getLedgerHealth() reports open alerts.
//
// The background runner keeps a checkpoint. Sequence numbers are taken at insert but become visible
// at commit, so a slow transaction can commit an entry below the highest visible seq. The checkpoint
// therefore trails by one run: a run records (its max seq, its snapshot's xmax); the next run may move
// the checkpoint up to that seq only once every transaction older than that xmax has finished (its
// snapshot xmin has passed it). Postings take their row locks, and with them a transaction id, before
// they draw entry sequence numbers, which is what makes this horizon safe.
import { sqlPool } from "@/lib/db/client";
import { startPollingLoop } from "@/lib/jobs/polling-loop";
import { logger } from "@/lib/log/logger";
import { querySql } from "./sql";

export const BALANCE_CHECK_BATCH_SIZE = 50_000;
/** Per run, so one run over a large backlog stays bounded; the next run continues. */
export const BALANCE_CHECK_ENTRIES_PER_RUN_MAX = 2_000_000;
const CHECKPOINT_NAME = "balance";

export type BalanceMismatch = {
  kind: "entry_chain_broken" | "balance_mismatch" | "transaction_unbalanced";
  accountId: string | null;
  transactionId: string | null;
  entrySeq: bigint | null;
  expectedMinor: bigint | null;
  actualMinor: bigint | null;
  message: string;
};

export type BalanceCheckResult = {
  fromSeq: bigint;
  toSeq: bigint;
  entriesChecked: number;
  accountsChecked: number;
  transactionsChecked: number;
  mismatches: BalanceMismatch[];
  alertsCreated: number;
  snapshotXmin: bigint;
  snapshotXmax: bigint;
};

const CHAIN_SQL = `
WITH batch AS (
  SELECT e.seq, e.account_id, e.balance_after,
         CASE WHEN e.direction = a.normal_side THEN e.amount_minor ELSE -e.amount_minor END AS signed
  FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
  WHERE e.seq > $1 AND e.seq <= $2
),
chained AS (
  SELECT b.*, lag(b.balance_after) OVER (PARTITION BY b.account_id ORDER BY b.seq) AS previous_in_batch,
         row_number() OVER (PARTITION BY b.account_id ORDER BY b.seq) AS position
  FROM batch b
),
expected AS (
  SELECT c.seq, c.account_id, c.balance_after,
         CASE WHEN c.position = 1
              THEN coalesce((SELECT p.balance_after FROM ledger_entries p
                             WHERE p.account_id = c.account_id AND p.seq < c.seq ORDER BY p.seq DESC LIMIT 1), 0)
              ELSE c.previous_in_batch END + c.signed AS expected
  FROM chained c
)
SELECT (SELECT count(*) FROM batch)::int AS entries,
       (SELECT count(DISTINCT account_id) FROM batch)::int AS accounts,
       (SELECT json_agg(json_build_object('seq', seq::text, 'account_id', account_id,
                'expected', expected::text, 'actual', balance_after::text))
        FROM expected WHERE expected <> balance_after) AS broken`;

const CACHE_SQL = `
SELECT a.id, a.balance_minor::text AS cached, latest.balance_after::text AS from_entries
FROM ledger_accounts a
JOIN LATERAL (SELECT e.balance_after FROM ledger_entries e WHERE e.account_id = a.id ORDER BY e.seq DESC LIMIT 1) latest ON true
WHERE a.id IN (SELECT DISTINCT account_id FROM ledger_entries WHERE seq > $1 AND seq <= $2)
  AND a.balance_minor <> latest.balance_after`;

const JOURNAL_SQL = `
WITH touched AS (SELECT DISTINCT transaction_id FROM ledger_entries WHERE seq > $1 AND seq <= $2)
SELECT (SELECT count(*) FROM touched)::int AS transactions,
       (SELECT json_agg(json_build_object('transaction_id', transaction_id, 'currency', currency, 'net', net::text))
        FROM (SELECT e.transaction_id, e.currency::text AS currency,
                     sum(CASE WHEN e.direction = 'debit' THEN e.amount_minor ELSE -e.amount_minor END) AS net
              FROM ledger_entries e WHERE e.transaction_id IN (SELECT transaction_id FROM touched)
              GROUP BY e.transaction_id, e.currency) sums
        WHERE net <> 0) AS unbalanced`;

const ORPHAN_BALANCE_SQL = `
SELECT a.id, a.balance_minor::text AS cached FROM ledger_accounts a
WHERE a.balance_minor <> 0 AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.account_id = a.id)`;

function fingerprint(mismatch: BalanceMismatch): string {
  return [mismatch.kind, mismatch.accountId ?? "", mismatch.transactionId ?? "", mismatch.entrySeq ?? "", mismatch.actualMinor ?? ""].join(":");
}

async function recordAlerts(mismatches: BalanceMismatch[]): Promise<number> {
  if (mismatches.length === 0) return 0;
  const rows = mismatches.slice(0, 1_000).map((mismatch) => ({
    fingerprint: fingerprint(mismatch),
    kind: mismatch.kind,
    account_id: mismatch.accountId,
    transaction_id: mismatch.transactionId,
    entry_seq: mismatch.entrySeq?.toString() ?? null,
    expected_minor: mismatch.expectedMinor?.toString() ?? null,
    actual_minor: mismatch.actualMinor?.toString() ?? null,
    message: mismatch.message,
  }));
  const inserted = await querySql<{ id: bigint }>(
    sqlPool(),
    `INSERT INTO ledger_alerts (fingerprint, kind, account_id, transaction_id, entry_seq, expected_minor, actual_minor, message)
     SELECT r.fingerprint, r.kind, r.account_id, r.transaction_id, r.entry_seq::bigint, r.expected_minor::bigint, r.actual_minor::bigint, r.message
     FROM jsonb_to_recordset($1::jsonb) AS r(fingerprint text, kind text, account_id text, transaction_id text,
          entry_seq text, expected_minor text, actual_minor text, message text)
     ON CONFLICT (fingerprint) DO UPDATE SET status = 'open', resolved_at = NULL WHERE ledger_alerts.status <> 'open'
     RETURNING id`,
    [JSON.stringify(rows)],
  );
  for (const row of rows.slice(0, 20)) logger.error({ mismatch: row }, "ledger balance check mismatch");
  return inserted.length;
}

/**
 * Checks every entry with seq > sinceSeq (up to the highest visible now, bounded per run) and records
 * an alert per problem found. `sinceSeq: 0n` checks the whole ledger.
 */
export async function runBalanceCheck(options: { sinceSeq: bigint; batchSize?: number; entriesMax?: number }): Promise<BalanceCheckResult> {
  const batchSize = BigInt(options.batchSize ?? BALANCE_CHECK_BATCH_SIZE);
  const entriesMax = BigInt(options.entriesMax ?? BALANCE_CHECK_ENTRIES_PER_RUN_MAX);
  const client = await sqlPool().connect();
  const mismatches: BalanceMismatch[] = [];
  let entriesChecked = 0;
  let accountsChecked = 0;
  let transactionsChecked = 0;
  let bounds: { max_seq: bigint; xmin: string; xmax: string };
  let toSeq: bigint;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    [bounds] = (
      await client.query<{ max_seq: bigint; xmin: string; xmax: string }>(
        `SELECT coalesce(max(seq), 0)::bigint AS max_seq,
                pg_snapshot_xmin(pg_current_snapshot())::text AS xmin,
                pg_snapshot_xmax(pg_current_snapshot())::text AS xmax
         FROM ledger_entries`,
      )
    ).rows as [{ max_seq: bigint; xmin: string; xmax: string }];
    const maxSeq = BigInt(bounds.max_seq);
    toSeq = maxSeq < options.sinceSeq + entriesMax ? maxSeq : options.sinceSeq + entriesMax;
    for (let from = options.sinceSeq; from < toSeq; from += batchSize) {
      const to = from + batchSize < toSeq ? from + batchSize : toSeq;
      const params = [from.toString(), to.toString()];
      const [chain] = (await client.query(CHAIN_SQL, params)).rows as [
        { entries: number; accounts: number; broken: { seq: string; account_id: string; expected: string; actual: string }[] | null },
      ];
      entriesChecked += chain.entries;
      accountsChecked += chain.accounts;
      for (const broken of chain.broken ?? []) {
        mismatches.push({
          kind: "entry_chain_broken",
          accountId: broken.account_id,
          transactionId: null,
          entrySeq: BigInt(broken.seq),
          expectedMinor: BigInt(broken.expected),
          actualMinor: BigInt(broken.actual),
          message: `Entry ${broken.seq} of ${broken.account_id} records balance ${broken.actual}; its predecessor and amount give ${broken.expected}.`,
        });
      }
      for (const row of (await client.query<{ id: string; cached: string; from_entries: string }>(CACHE_SQL, params)).rows) {
        mismatches.push({
          kind: "balance_mismatch",
          accountId: row.id,
          transactionId: null,
          entrySeq: null,
          expectedMinor: BigInt(row.from_entries),
          actualMinor: BigInt(row.cached),
          message: `Account ${row.id} caches balance ${row.cached}; its entries give ${row.from_entries}.`,
        });
      }
      const [journal] = (await client.query(JOURNAL_SQL, params)).rows as [
        { transactions: number; unbalanced: { transaction_id: string; currency: string; net: string }[] | null },
      ];
      transactionsChecked += journal.transactions;
      for (const row of journal.unbalanced ?? []) {
        mismatches.push({
          kind: "transaction_unbalanced",
          accountId: null,
          transactionId: row.transaction_id,
          entrySeq: null,
          expectedMinor: 0n,
          actualMinor: BigInt(row.net),
          message: `Ledger transaction ${row.transaction_id} does not balance in ${row.currency}: debits - credits = ${row.net}.`,
        });
      }
    }
    if (options.sinceSeq === 0n) {
      for (const row of (await client.query<{ id: string; cached: string }>(ORPHAN_BALANCE_SQL)).rows) {
        mismatches.push({
          kind: "balance_mismatch",
          accountId: row.id,
          transactionId: null,
          entrySeq: null,
          expectedMinor: 0n,
          actualMinor: BigInt(row.cached),
          message: `Account ${row.id} caches balance ${row.cached} but has no entries.`,
        });
      }
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  const alertsCreated = await recordAlerts(mismatches);
  return {
    fromSeq: options.sinceSeq,
    toSeq,
    entriesChecked,
    accountsChecked,
    transactionsChecked,
    mismatches,
    alertsCreated,
    snapshotXmin: BigInt(bounds.xmin),
    snapshotXmax: BigInt(bounds.xmax),
  };
}

export type BalanceCheckpoint = { checkedSeq: bigint; pendingSeq: bigint; pendingXmax: bigint; lastRunAt: Date | null };

export async function getBalanceCheckpoint(): Promise<BalanceCheckpoint> {
  const [row] = await querySql<{ checked_seq: bigint; pending_seq: bigint; pending_xmax: bigint; last_run_at: Date | null }>(
    sqlPool(),
    `SELECT checked_seq, pending_seq, pending_xmax, last_run_at FROM ledger_checkpoints WHERE name = $1`,
    [CHECKPOINT_NAME],
  );
  if (!row) return { checkedSeq: 0n, pendingSeq: 0n, pendingXmax: 0n, lastRunAt: null };
  return { checkedSeq: BigInt(row.checked_seq), pendingSeq: BigInt(row.pending_seq), pendingXmax: BigInt(row.pending_xmax), lastRunAt: row.last_run_at };
}

/** One step of the background check: from the checkpoint to now, then move the checkpoint safely. */
export async function runBalanceCheckIncrement(options: { batchSize?: number; entriesMax?: number } = {}): Promise<BalanceCheckResult & { checkpoint: BalanceCheckpoint }> {
  const before = await getBalanceCheckpoint();
  const result = await runBalanceCheck({ sinceSeq: before.checkedSeq, ...options });
  // Everything up to the previous run's max seq is final once its in-flight transactions are gone.
  const horizonReached = before.pendingXmax > 0n && result.snapshotXmin >= before.pendingXmax;
  let checkedSeq = before.checkedSeq;
  // …and this run saw them all, unless entriesMax cut it short below that seq.
  const reached = before.pendingSeq < result.toSeq ? before.pendingSeq : result.toSeq;
  if (horizonReached && reached > checkedSeq) checkedSeq = reached;
  const checkpoint: BalanceCheckpoint = { checkedSeq, pendingSeq: result.toSeq, pendingXmax: result.snapshotXmax, lastRunAt: new Date() };
  await querySql(
    sqlPool(),
    `INSERT INTO ledger_checkpoints (name, checked_seq, pending_seq, pending_xmax, last_run_at, updated_at)
     VALUES ($1, $2::bigint, $3::bigint, $4::bigint, $5::timestamptz, now())
     ON CONFLICT (name) DO UPDATE SET checked_seq = GREATEST(ledger_checkpoints.checked_seq, EXCLUDED.checked_seq),
       pending_seq = EXCLUDED.pending_seq, pending_xmax = EXCLUDED.pending_xmax, last_run_at = EXCLUDED.last_run_at, updated_at = now()`,
    [CHECKPOINT_NAME, checkpoint.checkedSeq.toString(), checkpoint.pendingSeq.toString(), checkpoint.pendingXmax.toString(), checkpoint.lastRunAt!.toISOString()],
  );
  return { ...result, checkpoint };
}

/** Runs the incremental check every `intervalMs` until stopped (the worker process starts this). */
export function startBalanceCheckLoop(options: { intervalMs?: number } = {}): { stop(): Promise<void> } {
  // Every pass "finds nothing", so one runs every intervalMs.
  return startPollingLoop(
    { idleMs: options.intervalMs ?? 10_000, onError: (error) => logger.error({ err: error }, "ledger balance check failed") },
    async () => (await runBalanceCheckIncrement(), 0),
  );
}
