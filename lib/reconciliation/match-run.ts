// The matcher: set-based SQL over a run's staged PSP rows, Settle's payments/refunds/disputes and the
// ledger. Nothing is loaded into JS. The bulk (every PSP row whose reference is unique) is paired and
// classified in ONE hash full join of the staging table (read in place, never copied) with Settle's
// records; only the leftovers (unmatched rows, repeated balance transactions, references seen twice)
// go through the slower passes (PSP reference, payment intent, our id in metadata, amount + currency +
// time) in small temporary tables. The ledger check reads the merchant's postings of the window once
// (ids are time-ordered) and re-checks only the few candidates exactly through the unique index. Every
// discrepancy is written with INSERT … SELECT. Runs inside the caller's transaction, so a crash leaves
// the run in `staged` and the phase is redone from scratch.
import type pg from "pg";
import { CURRENCY_CODES, currencyExponent } from "@/lib/money";
import { newId } from "@/lib/ids";
import { logger } from "@/lib/log/logger";

/** PSP rows and Settle records this far either side of the period are fetched to find timing differences. */
export const GRACE_MS = 24 * 3600 * 1000;
/** Leftovers pair on amount + currency only when their times are this close. */
export const AMOUNT_TIME_WINDOW_SECONDS = 24 * 3600;
/** How far around the period the PSP's records of payouts and adjustments are considered. */
const CAPTURED_STATUSES = `('captured','settled','refunded','refund_settled','chargeback')`;
/**
 * PSP-only movements: Settle has no record to pair them with, by design. The ledger books a charge's
 * money as bank cash when its balance transaction becomes available (postSettlement in
 * lib/payments/postings.ts: Dr bank_cash, Cr psp_receivable) and posts nothing when the PSP pays out
 * (payout.paid only runs the settlement sweep), so a payout moves money inside what the ledger already
 * calls cash. Payout rows are reported in the totals (payouts, money out) and are not discrepancies,
 * except a payout reported twice (duplicate).
 */
const PAYOUT_CATEGORIES = `('payout','payout_reversal','payout_failure')`;

/**
 * The ledger postings each Settle record should have (external references), as lib/payments/postings.ts
 * writes them. The ledger amount compared is the posting's total debits, or that less its psp_fees
 * line: a capture debits net + fee (= gross); a chargeback withdrawal debits amount + dispute fee.
 */
export const LEDGER_REFS = {
  payment: (id: string) => `payment:${id}:capture`,
  refund: (id: string) => `refund:${id}:hold`,
  dispute: (id: string) => `dispute:${id}:withdrawal`,
} as const;

/** SQL expression: the minor-unit exponent of a currency column (ISO 4217; 2 unless listed). */
function exponentSql(column: string): string {
  const byExponent = new Map<number, string[]>();
  for (const code of CURRENCY_CODES) {
    const exponent = currencyExponent(code);
    if (exponent === 2) continue;
    byExponent.set(exponent, [...(byExponent.get(exponent) ?? []), `'${code}'`]);
  }
  const arms = [...byExponent].map(([exponent, codes]) => `WHEN ${column} IN (${codes.join(",")}) THEN ${exponent}`).join(" ");
  return `(CASE ${arms} ELSE 2 END)`;
}

/** An id bound for time-ordered ids (prefix + 10 base32 time chars): id >= bound ⇔ created at or after `at`. */
function idTimeBound(kind: "refund" | "dispute" | "transaction", at: Date): string {
  const id = newId(kind, at.getTime());
  return id.slice(0, id.indexOf("_") + 11);
}

export type MatchInput = {
  runId: string;
  merchantId: string;
  periodStart: Date;
  periodEnd: Date;
  /** "ALL" or a currency code. */
  currencyScope: string;
};

export type MatchResult = { pspRecords: number; settleRecords: number; matched: number; discrepancies: number; totals: Record<string, unknown>[] };

/**
 * Diagnostics for the benchmark: with `explain` on, every statement that builds or writes a working set
 * runs under EXPLAIN (ANALYZE, BUFFERS) (it still executes) and its plan goes to `onStatement`.
 */
export const matchDiagnostics: { explain: boolean; onStatement?: (info: { sql: string; ms: number; plan?: string }) => void } = { explain: false };

async function run(client: pg.ClientBase, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const started = performance.now();
  const explain = matchDiagnostics.explain && /^\s*(CREATE TEMP TABLE \w+ ON COMMIT DROP AS|INSERT|WITH|UPDATE|DELETE)/.test(sql);
  const result = await client.query(explain ? `EXPLAIN (ANALYZE, BUFFERS) ${sql}` : sql, params);
  const ms = Math.round(performance.now() - started);
  const plan = explain ? result.rows.map((row: Record<string, string>) => row["QUERY PLAN"]).join("\n") : undefined;
  matchDiagnostics.onStatement?.({ sql, ms, plan });
  logger.debug({ ms, sql: sql.trim().slice(0, 60) }, "reconciliation statement");
  return result;
}

const PSP_JSON = `jsonb_build_object('balance_transaction', p.bt, 'reporting_category', p.cat, 'type', p.type, 'source', p.source_id,
  'charge', p.charge_id, 'payment_intent', p.pi, 'settle_ref', p.settle_ref, 'created', p.created_at, 'available_on', p.available_on,
  'currency', p.currency, 'gross', p.gross, 'fee', p.fee, 'net', p.net, 'exchange_rate', p.exchange_rate,
  'customer_facing_amount', p.cf_amount, 'customer_facing_currency', p.cf_currency, 'status', p.status, 'payout', p.payout_id)`;
const SETTLE_JSON = `jsonb_build_object('object', s.s_kind, 'id', s.s_id, 'payment', s.s_payment_id, 'status', s.s_status,
  'amount', s.s_amount, 'currency', s.s_currency, 'fee', s.s_fee, 'at', s.s_at, 'psp_reference', s.s_ref, 'payment_intent', s.s_ref2)`;


/**
 * The run's staged PSP rows, read in place through the (run_id, …) indexes. Parameters: $1 run id,
 * $2/$3 period, $4 currency scope (shifted by `offset`).
 */
function stagedRows(offset = 0): string {
  const [run, start, end, scope] = [1, 2, 3, 4].map((n) => `$${n + offset}`);
  return `(SELECT st.id AS row_id, st.balance_transaction_id COLLATE "C" AS bt, st.reporting_category AS cat, st.type, st.source_id, st.charge_id,
            st.payment_intent_id AS pi, st.settle_ref, st.settle_merchant_ref, st.created_at, st.available_on, st.currency::text AS currency,
            st.gross, st.fee, st.net, st.exchange_rate, st.customer_facing_amount AS cf_amount, st.customer_facing_currency::text AS cf_currency,
            st.status, st.payout_id, (st.created_at >= ${start} AND st.created_at < ${end}) AS in_period
     FROM reconciliation_psp_records st
     WHERE st.run_id = ${run} AND (${scope}::text = 'ALL' OR st.currency = ${scope}::text OR st.customer_facing_currency = ${scope}::text))`;
}

/** Expected PSP gross of a pair (Settle's amount, converted at the PSP's rate when the currencies differ). */
const EXP_GROSS = `CASE WHEN p.currency = s.s_currency THEN s.s_amount
       WHEN p.exchange_rate IS NOT NULL
         THEN round(s.s_amount * p.exchange_rate * power(10::numeric, ${exponentSql("p.currency")} - ${exponentSql("s.s_currency")}))::bigint
  END`;

/** A pair's class (priority: timing, status, currency, amount, fee); NULL when clean. Over columns of `q`. */
const CLASSIFY = `CASE
     WHEN NOT q.in_period AND NOT q.s_in_period THEN 'out_of_scope'
     WHEN q.in_period <> q.s_in_period THEN 'timing'
     WHEN (q.s_cat = 'charge' AND q.s_status NOT IN ${CAPTURED_STATUSES}) OR (q.s_kind = 'refund' AND q.s_status NOT IN ('succeeded', 'pending')) THEN 'status_mismatch'
     WHEN coalesce(q.cf_currency, CASE WHEN q.exchange_rate IS NULL THEN q.currency END, q.s_currency) <> q.s_currency THEN 'currency_mismatch'
     WHEN (q.cf_amount IS NOT NULL AND abs(q.cf_amount) <> abs(q.s_amount)) OR q.exp_gross IS NULL
          OR abs(q.gross - q.exp_gross) > (CASE WHEN q.currency = q.s_currency THEN 0 ELSE 1 END) THEN 'amount_mismatch'
     WHEN q.s_fee IS NOT NULL AND q.fee <> q.s_fee THEN 'fee_mismatch'
   END`;

/** Columns a pair keeps (for totals and for finding its discrepancy's details again). */
const PAIR_COLUMNS = `q.row_id, q.skey, q.in_period, q.s_in_period, q.currency, q.net, q.s_currency, q.s_expects, q.exp_gross`;

/** The pairs kept as rows: the bulk's pairs with a discrepancy (fj) and every pair the later passes found (ps). */
const PAIRS = `(SELECT ${PAIR_COLUMNS}, 'psp_reference'::text AS method, q.klass FROM fj q WHERE q.row_id IS NOT NULL AND q.skey IS NOT NULL
  UNION ALL SELECT ${PAIR_COLUMNS}, q.method, q.klass FROM ps q)`;

/**
 * Matches and classifies one run. Expects to run inside a transaction on `client`; writes the run's
 * discrepancies and returns the counts and the per-currency totals (see computeRunTotals).
 */
export async function matchRun(client: pg.ClientBase, input: MatchInput): Promise<MatchResult> {
  const { runId, merchantId, periodStart, periodEnd, currencyScope } = input;
  const windowStart = new Date(periodStart.getTime() - GRACE_MS);
  const windowEnd = new Date(periodEnd.getTime() + GRACE_MS);
  const staged = [runId, periodStart, periodEnd, currencyScope];
  // Hash joins and aggregates over a day's rows stay in memory (one run at a time per worker) up to
  // ~1M rows; each hash node may take 1.5 × work_mem (384 MB), so a statement with two of them stays
  // under 1 GiB and a 10M-row day spills to temp files instead of growing the backend past it.
  await run(client, `SET LOCAL work_mem = '256MB'`);
  await run(client, `SET LOCAL hash_mem_multiplier = 1.5`);
  await run(client, `SET LOCAL statement_timeout = 0`);

  // 1. The Settle side: what should be at the PSP, created in the period (+ grace after it).
  const settleSelect = (where: { payments: string; refunds: string; disputes: string; reversals: string }) => `
     SELECT ('payment:' || p.id) COLLATE "C" AS skey, 'payment'::text AS s_kind, p.id AS s_id, p.id AS s_payment_id, p.psp_charge_id AS s_ref,
            p.psp_payment_intent_id AS s_ref2, 'charge'::text AS s_cat,
            CASE WHEN p.amount_captured > 0 THEN p.amount_captured ELSE p.amount END AS s_amount, p.currency AS s_currency,
            p.fee_amount AS s_fee, coalesce(p.captured_at, p.created_at) AS s_at, p.status::text AS s_status,
            p.status IN ${CAPTURED_STATUSES} AS s_expects, 'payment:' || p.id || ':capture' AS s_ledger_ref
     FROM payments p WHERE ${where.payments}
     UNION ALL
     SELECT 'refund:' || r.id, 'refund', r.id, r.payment_id, r.psp_refund_id, p.psp_payment_intent_id, 'refund', -r.amount, r.currency,
            NULL::bigint, coalesce(r.succeeded_at, r.created_at), r.status::text, r.status IN ('succeeded', 'pending'), 'refund:' || r.id || ':hold'
     FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE ${where.refunds}
     UNION ALL
     SELECT 'dispute:' || d.id, 'dispute', d.id, d.payment_id, d.psp_dispute_id, p.psp_payment_intent_id, 'dispute', -d.amount, d.currency,
            NULLIF(d.fee_amount, 0), d.created_at, d.status, true, 'dispute:' || d.id || ':withdrawal'
     FROM disputes d JOIN payments p ON p.id = d.payment_id WHERE ${where.disputes}
     UNION ALL
     SELECT 'dispute_reversal:' || d.id, 'dispute', d.id, d.payment_id, d.psp_dispute_id, p.psp_payment_intent_id, 'dispute_reversal',
            d.amount, d.currency, NULL::bigint, coalesce(d.closed_at, d.updated_at), d.status, true, NULL
     FROM disputes d JOIN payments p ON p.id = d.payment_id WHERE d.status = 'won' AND ${where.reversals}`;
  await run(
    client,
    `CREATE TEMP TABLE ss ON COMMIT DROP AS
     SELECT x.*, (x.s_at >= $2 AND x.s_at < $3) AS s_in_period FROM (
     ${settleSelect({
       payments: `p.merchant_id = $1 AND p.created_at >= $2 AND p.created_at < $4 AND ($5 = 'ALL' OR p.currency = $5)`,
       refunds: `r.merchant_id = $1 AND r.id >= $6 AND r.id < $7 AND r.created_at >= $2 AND r.created_at < $4 AND ($5 = 'ALL' OR r.currency = $5)`,
       disputes: `d.merchant_id = $1 AND d.id >= $8 AND d.id < $9 AND d.created_at >= $2 AND d.created_at < $4 AND ($5 = 'ALL' OR d.currency = $5)`,
       reversals: `d.merchant_id = $1 AND coalesce(d.closed_at, d.updated_at) >= $2 AND coalesce(d.closed_at, d.updated_at) < $4 AND d.id >= $10 AND ($5 = 'ALL' OR d.currency = $5)`,
     })}
     ) x`,
    [
      merchantId,
      periodStart,
      periodEnd,
      windowEnd,
      currencyScope,
      idTimeBound("refund", periodStart),
      idTimeBound("refund", windowEnd),
      idTimeBound("dispute", periodStart),
      idTimeBound("dispute", windowEnd),
      idTimeBound("dispute", new Date(periodStart.getTime() - 400 * 86400_000)),
    ],
  );
  // Lookups of single records by key (leftovers, candidates, discrepancy details) go through an index.
  await run(client, `CREATE INDEX ON ss (skey)`);
  await run(client, `ANALYZE ss`);

  // 2. The PSP rows that cannot take the bulk path: a balance transaction reported more than once, or
  //    two PSP rows naming the same source. One aggregate over the staging table finds both (on 64-bit
  //    hashes of the keys: small and fast to group; a collision only sends a row down the exact slow
  //    path); those rows (a handful) are copied with their rank among copies of one balance transaction.
  await run(
    client,
    `CREATE TEMP TABLE multi ON COMMIT DROP AS
     SELECT GROUPING(x.bt_hash) = 0 AS by_bt, x.bt_hash, x.source_hash, x.cat
     FROM (SELECT hashtextextended(p.bt, 0) AS bt_hash, hashtextextended(p.source_id, 0) AS source_hash, p.cat FROM ${stagedRows()} p) x
     GROUP BY GROUPING SETS ((x.bt_hash), (x.source_hash, x.cat))
     HAVING count(*) > 1 AND (GROUPING(x.bt_hash) = 0 OR x.source_hash IS NOT NULL)`,
    staged,
  );
  await run(
    client,
    `CREATE TEMP TABLE sp ON COMMIT DROP AS
     SELECT p.*, row_number() OVER (PARTITION BY p.bt ORDER BY p.row_id) AS dup_rank
     FROM ${stagedRows()} p
     WHERE hashtextextended(p.bt, 0) IN (SELECT bt_hash FROM multi WHERE by_bt)
        OR (hashtextextended(p.source_id, 0), p.cat) IN (SELECT source_hash, cat FROM multi WHERE NOT by_bt)`,
    staged,
  );
  await run(client, `ANALYZE sp`);

  // 3. The bulk: every other PSP row full-joined with the Settle records on the PSP reference. A pair is
  //    classified on the spot. Clean pairs (nearly all) are only counted and summed into fa, per
  //    currency; fj keeps the rest: pairs with a discrepancy, and rows with no partner on either side
  //    (the leftovers for the later passes).
  const bulk = `
     SELECT q.*, ${CLASSIFY} AS klass
     FROM (
       SELECT p.row_id, s.skey, p.in_period, s.s_in_period, p.cat, p.currency, p.gross, p.fee, p.net, p.exchange_rate, p.cf_amount, p.cf_currency,
              s.s_kind, s.s_cat, s.s_status, s.s_amount, s.s_currency, s.s_fee, s.s_expects, ${EXP_GROSS} AS exp_gross
       FROM (SELECT * FROM ${stagedRows()} r WHERE r.row_id NOT IN (SELECT row_id FROM sp)) p
       FULL JOIN ss s ON s.s_ref = p.source_id AND s.s_cat = p.cat
     ) q`;
  await run(client, `CREATE TEMP TABLE fj ON COMMIT DROP AS SELECT ${PAIR_COLUMNS}, q.klass FROM (${bulk}) q WITH NO DATA`, staged);
  // fa: per (PSP currency, Settle currency) of the bulk: PSP rows of the period, Settle records that
  // expect a PSP record, and the clean pairs among them.
  await run(
    client,
    `CREATE TEMP TABLE fa ON COMMIT DROP AS
     WITH j AS MATERIALIZED (SELECT ${PAIR_COLUMNS}, q.klass, q.cat, q.gross, q.fee, q.s_amount, q.s_fee FROM (${bulk}) q),
     kept AS (INSERT INTO fj SELECT ${PAIR_COLUMNS}, q.klass FROM j q WHERE q.row_id IS NULL OR q.skey IS NULL OR q.klass IS NOT NULL)
     SELECT j.currency, j.s_currency,
            count(*) FILTER (WHERE j.row_id IS NOT NULL AND j.in_period) AS psp_n,
            sum(j.gross) FILTER (WHERE j.row_id IS NOT NULL AND j.in_period) AS psp_gross,
            sum(j.fee) FILTER (WHERE j.row_id IS NOT NULL AND j.in_period) AS psp_fee,
            sum(j.net) FILTER (WHERE j.row_id IS NOT NULL AND j.in_period) AS psp_net,
            sum(j.net) FILTER (WHERE j.row_id IS NOT NULL AND j.in_period AND j.cat IN ${PAYOUT_CATEGORIES}) AS payouts,
            sum(j.gross) FILTER (WHERE j.row_id IS NOT NULL AND j.in_period AND j.gross > 0 AND j.cat NOT IN ${PAYOUT_CATEGORIES}) AS money_in,
            sum(-j.gross) FILTER (WHERE j.row_id IS NOT NULL AND j.in_period AND j.gross < 0 AND j.cat NOT IN ${PAYOUT_CATEGORIES}) AS money_out,
            count(*) FILTER (WHERE j.skey IS NOT NULL AND j.s_in_period AND j.s_expects) AS settle_n,
            sum(j.s_amount - coalesce(j.s_fee, 0)) FILTER (WHERE j.skey IS NOT NULL AND j.s_in_period AND j.s_expects) AS settle_net,
            count(*) FILTER (WHERE j.row_id IS NOT NULL AND j.skey IS NOT NULL AND j.klass IS NULL) AS matched_n,
            sum(j.net) FILTER (WHERE j.row_id IS NOT NULL AND j.skey IS NOT NULL AND j.klass IS NULL) AS matched_net,
            count(*) FILTER (WHERE j.row_id IS NOT NULL AND j.skey IS NOT NULL AND j.klass IS NULL AND j.s_in_period AND j.s_expects) AS settle_matched_n
     FROM j GROUP BY j.currency, j.s_currency`,
    staged,
  );
  await run(client, `ANALYZE fj`);

  // 4. Leftovers. lpa keeps every leftover PSP row (with the repeated copies); lp and ls are the
  //    working sets the passes shrink.
  await run(
    client,
    `CREATE TEMP TABLE lpa ON COMMIT DROP AS
     SELECT p.*, 1::bigint AS dup_rank FROM ${stagedRows()} p WHERE p.row_id IN (SELECT row_id FROM fj WHERE skey IS NULL)
     UNION ALL SELECT * FROM sp`,
    staged,
  );
  await run(client, `CREATE TEMP TABLE lp ON COMMIT DROP AS SELECT * FROM lpa WHERE dup_rank = 1`);
  await run(client, `CREATE TEMP TABLE ls ON COMMIT DROP AS SELECT s.* FROM ss s WHERE s.skey IN (SELECT skey FROM fj WHERE row_id IS NULL)`);

  await run(client, `CREATE TEMP TABLE sx ON COMMIT DROP AS SELECT * FROM ss WITH NO DATA`);
  // Settle records outside the window that leftover PSP rows name (a capture days after creation,
  // a refund booked in the previous period): looked up through the unique PSP-id indexes.
  await run(
    client,
    `WITH added AS (
       INSERT INTO ss
       SELECT x.*, (x.s_at >= $2 AND x.s_at < $3) AS s_in_period FROM (
       ${settleSelect({
         payments: `p.merchant_id = $1 AND p.psp_payment_intent_id IN (SELECT pi FROM lp WHERE cat = 'charge' AND pi IS NOT NULL) AND ($4 = 'ALL' OR p.currency = $4)`,
         refunds: `r.merchant_id = $1 AND r.psp_refund_id IN (SELECT source_id FROM lp WHERE cat = 'refund') AND ($4 = 'ALL' OR r.currency = $4)`,
         disputes: `d.merchant_id = $1 AND d.psp_dispute_id IN (SELECT source_id FROM lp WHERE cat = 'dispute') AND ($4 = 'ALL' OR d.currency = $4)`,
         reversals: `d.merchant_id = $1 AND d.psp_dispute_id IN (SELECT source_id FROM lp WHERE cat = 'dispute_reversal') AND ($4 = 'ALL' OR d.currency = $4)`,
       })}) x
       WHERE NOT EXISTS (SELECT 1 FROM ss WHERE ss.skey = x.skey)
       RETURNING *),
     unmatched AS (INSERT INTO ls SELECT * FROM added)
     INSERT INTO sx SELECT * FROM added`,
    [merchantId, periodStart, periodEnd, currencyScope],
  );
  await run(client, `CREATE TEMP TABLE mt (row_id bigint, skey text COLLATE "C", method text) ON COMMIT DROP`);
  const pass = async (method: string, join: string) => {
    await run(
      client,
      `WITH found AS (
         SELECT DISTINCT ON (s.skey) p.row_id, s.skey FROM lp p JOIN ls s ON ${join}
         ORDER BY s.skey, p.created_at, p.row_id),
       one AS (SELECT DISTINCT ON (row_id) row_id, skey FROM found ORDER BY row_id, skey),
       ins AS (INSERT INTO mt SELECT row_id, skey, $1 FROM one RETURNING row_id, skey),
       dp AS (DELETE FROM lp WHERE row_id IN (SELECT row_id FROM ins))
       DELETE FROM ls WHERE skey IN (SELECT skey FROM ins)`,
      [method],
    );
  };
  // 5. PSP reference again (rows seen twice, out-of-window records), then the payment intent.
  await pass("psp_reference", `s.s_ref = p.source_id AND s.s_cat = p.cat`);
  await pass("psp_reference", `s.s_ref2 = p.pi AND s.s_cat = p.cat AND s.s_kind = 'payment'`);
  // 6. Our id in the PSP object's metadata.
  await pass("metadata", `s.s_id = p.settle_ref AND s.s_cat = p.cat`);
  // 7. Amount + currency + time for what is left: the n-th of equal amounts pairs with the n-th, if close in time.
  await run(
    client,
    `WITH a AS (
       SELECT row_id, cat, coalesce(cf_currency, currency) AS cur, coalesce(abs(cf_amount) * sign(gross), gross) AS amt, created_at,
              row_number() OVER (PARTITION BY cat, coalesce(cf_currency, currency), coalesce(abs(cf_amount) * sign(gross), gross) ORDER BY created_at, row_id) AS rn
       FROM lp WHERE (settle_merchant_ref IS NULL OR settle_merchant_ref = $1)),
     b AS (
       SELECT skey, s_cat AS cat, s_currency AS cur, s_amount AS amt, s_at,
              row_number() OVER (PARTITION BY s_cat, s_currency, s_amount ORDER BY s_at, skey) AS rn
       FROM ls WHERE s_expects),
     ins AS (INSERT INTO mt SELECT a.row_id, b.skey, 'amount_time' FROM a JOIN b USING (cat, cur, amt, rn)
             WHERE abs(extract(epoch FROM a.created_at - b.s_at)) <= $2 RETURNING row_id, skey),
     dp AS (DELETE FROM lp WHERE row_id IN (SELECT row_id FROM ins))
     DELETE FROM ls WHERE skey IN (SELECT skey FROM ins)`,
    [merchantId, AMOUNT_TIME_WINDOW_SECONDS],
  );

  // Leftover PSP rows that belong to another merchant of this Settle (shared PSP account) are not ours.
  await run(
    client,
    `CREATE TEMP TABLE fr ON COMMIT DROP AS
     SELECT row_id FROM lp p
     WHERE (p.settle_merchant_ref IS NOT NULL AND p.settle_merchant_ref <> $1)
        OR EXISTS (SELECT 1 FROM payments x WHERE x.psp_payment_intent_id = p.pi AND x.merchant_id <> $1)`,
    [merchantId],
  );
  await run(client, `DELETE FROM lp WHERE row_id IN (SELECT row_id FROM fr)`);

  // 8. The pairs the passes found, classified like the bulk.
  await run(
    client,
    `CREATE TEMP TABLE ps ON COMMIT DROP AS
     SELECT ${PAIR_COLUMNS}, q.method, ${CLASSIFY} AS klass
     FROM (
       SELECT m.row_id, m.skey, m.method, p.in_period, s.s_in_period, p.currency, p.gross, p.fee, p.net, p.exchange_rate, p.cf_amount, p.cf_currency,
              s.s_kind, s.s_cat, s.s_status, s.s_amount, s.s_currency, s.s_fee, s.s_expects, ${EXP_GROSS} AS exp_gross
       FROM mt m JOIN lpa p ON p.row_id = m.row_id JOIN ss s ON s.skey = m.skey
     ) q`,
  );

  // 9. Settle ↔ ledger: the merchant's postings since the window opened (transaction ids are
  //    time-ordered, entries are indexed by account and time) are aggregated once and hash-joined with
  //    the records that expect one. Only debit entries are read: a posting balances per currency, so its
  //    debits carry every currency it touches. Whatever does not agree, and whatever was posted earlier,
  //    is only a candidate (lm): the discrepancy statement re-reads those few exactly through the unique index.
  const ledgerSince = new Date(windowStart.getTime() - GRACE_MS);
  // The planner cannot see how many entries the merchant's accounts hold and would sort a day's entries
  // to group them; hashing them is several times faster. Partial aggregates in parallel workers would
  // each hold most of the groups (one per posting) and be merged again: one process does it once.
  await run(client, `SET LOCAL enable_sort = off`);
  await run(client, `SET LOCAL max_parallel_workers_per_gather = 0`);
  await run(
    client,
    `CREATE TEMP TABLE lm ON COMMIT DROP AS
     WITH lt AS (
       SELECT t.id, t.external_ref FROM ledger_transactions t
       WHERE t.merchant_id = $1 AND t.id >= $2 AND t.external_ref IS NOT NULL),
     le AS (
       SELECT e.transaction_id, sum(e.amount_minor) AS total, coalesce(sum(e.amount_minor) FILTER (WHERE a.code = 'psp_fees'), 0) AS fee,
              min(e.currency)::text AS currency
       FROM ledger_accounts a JOIN ledger_entries e ON e.account_id = a.id
       WHERE a.merchant_id = $1 AND e.created_at >= $3 AND e.direction = 'debit'
       GROUP BY e.transaction_id),
     l AS (SELECT lt.external_ref, le.total, le.fee, le.currency FROM lt JOIN le ON le.transaction_id = lt.id)
     SELECT s.skey FROM ss s LEFT JOIN l ON l.external_ref = s.s_ledger_ref
     WHERE s.s_in_period AND s.s_expects AND s.s_ledger_ref IS NOT NULL
       AND (l.external_ref IS NULL OR l.currency <> s.s_currency OR (abs(s.s_amount) <> l.total AND abs(s.s_amount) <> l.total - l.fee))`,
    [merchantId, idTimeBound("transaction", ledgerSince), new Date(ledgerSince.getTime() - GRACE_MS)],
  );
  await run(client, `SET LOCAL max_parallel_workers_per_gather = DEFAULT`);
  await run(client, `SET LOCAL enable_sort = DEFAULT`);
  await run(client, `ANALYZE lm`);

  // 10. Discrepancies, all in one INSERT … SELECT.
  const idBase = newId("discrepancy");
  await run(
    client,
    `WITH pair_rows AS (
       SELECT q.klass, 'psp_settle' AS leg, s.s_kind AS object_type, s.s_id AS settle_id, coalesce(p.source_id, s.s_ref) AS psp_reference, p.bt,
              p.currency AS psp_currency, CASE WHEN q.in_period THEN p.net ELSE 0 END AS psp_amount,
              CASE WHEN q.klass = 'currency_mismatch' THEN s.s_currency ELSE p.currency END AS settle_currency,
              CASE WHEN NOT q.s_in_period OR q.klass = 'status_mismatch' THEN 0
                   WHEN q.klass = 'currency_mismatch' THEN s.s_amount - coalesce(s.s_fee, 0)
                   ELSE coalesce(q.exp_gross, 0) - coalesce(s.s_fee, p.fee) END AS settle_amount,
              p.currency AS currency, least(p.created_at, s.s_at) AS occurred_at, q.method AS match_method,
              jsonb_build_object(
                'gross', jsonb_build_object('psp', p.gross, 'expected', q.exp_gross, 'ok', q.exp_gross IS NOT NULL AND abs(p.gross - q.exp_gross) <= CASE WHEN p.currency = s.s_currency THEN 0 ELSE 1 END),
                'fee', jsonb_build_object('psp', p.fee, 'expected', s.s_fee, 'ok', s.s_fee IS NULL OR p.fee = s.s_fee),
                'net', jsonb_build_object('psp', p.net, 'expected', q.exp_gross - coalesce(s.s_fee, p.fee), 'ok', p.net = q.exp_gross - coalesce(s.s_fee, p.fee)),
                'exchange_rate', jsonb_build_object('psp', p.exchange_rate, 'implied',
                   CASE WHEN p.currency <> s.s_currency AND s.s_amount <> 0
                        THEN round(p.gross::numeric / s.s_amount * power(10::numeric, ${exponentSql("s.s_currency")} - ${exponentSql("p.currency")}), 8) END),
                'currency', jsonb_build_object('psp', coalesce(p.cf_currency, p.currency), 'settle', s.s_currency),
                'status', jsonb_build_object('psp', p.cat, 'settle', s.s_status),
                'period', jsonb_build_object('psp_in_period', q.in_period, 'settle_in_period', q.s_in_period)) AS checks,
              ${PSP_JSON} AS psp_record, ${SETTLE_JSON} AS settle_record,
              CASE q.klass WHEN 'timing' THEN 'accept' WHEN 'status_mismatch' THEN 'resync' WHEN 'currency_mismatch' THEN 'resync' ELSE 'adjust' END AS suggested_action,
              CASE q.klass
                WHEN 'timing' THEN 'The two sides booked this in different periods; it clears in the neighbouring period''s run. Accept it.'
                WHEN 'status_mismatch' THEN 'The PSP has moved money for this ' || s.s_kind || ' but Settle records it as ' || s.s_status || ' (a missed webhook?). Re-sync it from the PSP.'
                WHEN 'currency_mismatch' THEN 'The PSP booked a different currency than Settle recorded. Re-sync from the PSP, then adjust what remains.'
                WHEN 'amount_mismatch' THEN 'The PSP booked a different amount than Settle expects. Post the difference through suspense and investigate.'
                ELSE 'The PSP charged a different fee than Settle recorded. Post the difference through suspense.' END AS suggestion
       FROM (SELECT * FROM ${PAIRS} x WHERE x.klass IS NOT NULL AND x.klass <> 'out_of_scope') q
       JOIN ${stagedRows(2)} p ON p.row_id = q.row_id JOIN ss s ON s.skey = q.skey),
     psp_rows AS (
       SELECT CASE WHEN p.dup_rank > 1 OR dup.skey IS NOT NULL THEN 'duplicate'
                   WHEN ours.id IS NOT NULL THEN 'status_mismatch'
                   ELSE 'missing_in_settle' END AS klass,
              'psp_settle' AS leg,
              CASE WHEN p.dup_rank > 1 OR dup.skey IS NOT NULL OR ours.id IS NULL THEN CASE WHEN p.cat IN ${PAYOUT_CATEGORIES} THEN 'payout' ELSE 'balance_transaction' END ELSE 'payment' END AS object_type,
              coalesce(dup.s_id, ours.id) AS settle_id, p.source_id AS psp_reference, p.bt, p.currency AS psp_currency, p.net AS psp_amount,
              p.currency AS settle_currency, 0::bigint AS settle_amount, p.currency, p.created_at AS occurred_at, NULL::text AS match_method,
              NULL::jsonb AS checks, ${PSP_JSON} AS psp_record,
              CASE WHEN dup.skey IS NOT NULL THEN jsonb_build_object('object', dup.s_kind, 'id', dup.s_id, 'status', dup.s_status, 'amount', dup.s_amount, 'currency', dup.s_currency)
                   WHEN ours.id IS NOT NULL THEN jsonb_build_object('object', 'payment', 'id', ours.id, 'status', ours.status, 'amount', ours.amount, 'amount_refunded', ours.amount_refunded, 'currency', ours.currency)
              END AS settle_record,
              CASE WHEN p.dup_rank > 1 THEN 'accept' WHEN dup.skey IS NOT NULL THEN 'adjust' WHEN ours.id IS NOT NULL OR p.settle_ref IS NOT NULL THEN 'resync' ELSE 'adjust' END AS suggested_action,
              CASE WHEN p.dup_rank > 1 THEN 'The PSP reported this balance transaction more than once; only the first copy counts. Accept it.'
                   WHEN dup.skey IS NOT NULL THEN 'A second PSP record for a ' || dup.s_kind || ' that already matched one: money moved twice. Post it through suspense and ask the PSP.'
                   WHEN ours.id IS NOT NULL THEN 'The PSP booked a ' || p.cat || ' on payment ' || ours.id || ', which Settle records as ' || ours.status || '. Re-sync the payment from the PSP.'
                   WHEN p.settle_ref IS NOT NULL THEN 'The PSP names Settle object ' || p.settle_ref || ', which Settle does not have in this period. Re-sync it from the PSP.'
                   ELSE 'Settle has no record of this PSP ' || p.cat || '. Post it to suspense until it is explained.' END AS suggestion
       FROM (SELECT * FROM lp UNION ALL SELECT * FROM lpa WHERE dup_rank > 1) p
       LEFT JOIN (SELECT DISTINCT ON (l.row_id) l.row_id AS dup_row, s.* FROM lp l JOIN ss s ON s.s_ref = l.source_id AND s.s_cat = l.cat
                  WHERE NOT EXISTS (SELECT 1 FROM ls WHERE ls.skey = s.skey) ORDER BY l.row_id, s.skey) dup ON dup.dup_row = p.row_id
       LEFT JOIN LATERAL (SELECT x.id, x.status::text AS status, x.amount, x.amount_refunded, x.currency FROM payments x
                          WHERE p.cat IN ('refund', 'dispute') AND x.psp_payment_intent_id = p.pi AND x.merchant_id = $1 LIMIT 1) ours ON true
       -- A payout moves money inside what the ledger already books as cash (see PAYOUT_CATEGORIES): only a
       -- payout reported twice is a discrepancy.
       WHERE p.in_period AND (p.dup_rank > 1 OR dup.skey IS NOT NULL OR p.cat NOT IN ${PAYOUT_CATEGORIES})),
     settle_rows AS (
       SELECT 'missing_at_psp' AS klass, 'psp_settle' AS leg, s.s_kind AS object_type, s.s_id AS settle_id, s.s_ref AS psp_reference, NULL AS bt,
              NULL AS psp_currency, 0::bigint AS psp_amount, s.s_currency AS settle_currency, s.s_amount - coalesce(s.s_fee, 0) AS settle_amount,
              s.s_currency AS currency, s.s_at AS occurred_at, NULL::text AS match_method, NULL::jsonb AS checks, NULL::jsonb AS psp_record,
              ${SETTLE_JSON} AS settle_record, 'resync' AS suggested_action,
              'Settle records this ' || s.s_kind || ' as ' || s.s_status || ' but the PSP has no balance transaction for it. Re-sync it from the PSP; if the PSP never moved the money, adjust through suspense.' AS suggestion
       FROM ls s WHERE s.s_in_period AND s.s_expects),
     candidates AS (SELECT s.* FROM ss s WHERE s.skey IN (SELECT skey FROM lm)),
     ledger AS (
       SELECT t.external_ref, sum(e.amount_minor) FILTER (WHERE e.direction = 'debit') AS total,
              coalesce(sum(e.amount_minor) FILTER (WHERE e.direction = 'debit' AND a.code = 'psp_fees'), 0) AS fee,
              min(e.currency)::text AS currency, min(t.id) AS txn_id
       FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id JOIN ledger_accounts a ON a.id = e.account_id
       WHERE t.merchant_id = $1 AND t.external_ref IN (SELECT s_ledger_ref FROM candidates)
       GROUP BY t.external_ref),
     ledger_rows AS (
       SELECT CASE WHEN l.external_ref IS NULL THEN 'missing_in_ledger' WHEN l.currency <> s.s_currency THEN 'currency_mismatch' ELSE 'amount_mismatch' END AS klass,
              'settle_ledger' AS leg, s.s_kind AS object_type, s.s_id AS settle_id, s.s_ledger_ref AS psp_reference, NULL AS bt,
              l.currency AS psp_currency, coalesce(l.total, 0) AS psp_amount, s.s_currency AS settle_currency, abs(s.s_amount) AS settle_amount,
              s.s_currency AS currency, s.s_at AS occurred_at, NULL::text AS match_method,
              jsonb_build_object('ledger_total', l.total, 'ledger_fee', l.fee, 'expected', abs(s.s_amount), 'ledger_ref', s.s_ledger_ref) AS checks,
              CASE WHEN l.external_ref IS NOT NULL THEN jsonb_build_object('object', 'ledger_transaction', 'id', l.txn_id, 'external_ref', l.external_ref, 'total', l.total, 'fee', l.fee, 'currency', l.currency) END AS psp_record,
              ${SETTLE_JSON} AS settle_record, 'adjust' AS suggested_action,
              CASE WHEN l.external_ref IS NULL THEN 'Settle records this ' || s.s_kind || ' but the ledger has no posting ' || s.s_ledger_ref || '. Post the missing amount through suspense.'
                   ELSE 'The ledger posting ' || s.s_ledger_ref || ' moves a different amount than Settle records. Post the difference through suspense.' END AS suggestion
       FROM candidates s LEFT JOIN ledger l ON l.external_ref = s.s_ledger_ref
       WHERE (l.external_ref IS NULL OR l.currency <> s.s_currency OR (abs(s.s_amount) <> l.total AND abs(s.s_amount) <> l.total - l.fee))),
     everything AS (
       SELECT * FROM pair_rows UNION ALL SELECT * FROM psp_rows UNION ALL SELECT * FROM settle_rows UNION ALL SELECT * FROM ledger_rows)
     INSERT INTO reconciliation_discrepancies
       (id, run_id, merchant_id, class, leg, fingerprint, object_type, settle_id, psp_reference, balance_transaction_id,
        psp_currency, psp_amount, settle_currency, settle_amount, difference, currency, occurred_at, match_method, checks,
        psp_record, settle_record, suggested_action, suggestion)
     SELECT $2 || lpad(to_hex(row_number() OVER (ORDER BY e.leg, e.occurred_at, e.bt, e.settle_id, e.klass)), 8, '0'), $3, $1, e.klass::"DiscrepancyClass", e.leg,
            e.klass || '|' || e.leg || '|' || coalesce(e.bt, '') || '|' || coalesce(e.settle_id, ''),
            e.object_type, e.settle_id, e.psp_reference, e.bt, e.psp_currency, e.psp_amount, e.settle_currency, e.settle_amount,
            CASE WHEN e.psp_currency IS NULL OR e.psp_currency = e.settle_currency THEN coalesce(e.psp_amount, 0) - coalesce(e.settle_amount, 0) ELSE e.psp_amount END,
            e.currency, e.occurred_at, e.match_method, e.checks, e.psp_record, e.settle_record, e.suggested_action, e.suggestion
     FROM everything e`,
    [merchantId, idBase, ...staged],
  );

  // Resolutions carry over from earlier versions of the same period (same class, leg and references).
  await run(
    client,
    `UPDATE reconciliation_discrepancies d
     SET status = 'resolved', resolution = o.resolution, resolution_note = o.resolution_note, adjustment_transaction_id = o.adjustment_transaction_id,
         resolved_by_type = o.resolved_by_type, resolved_by_id = o.resolved_by_id, resolved_at = o.resolved_at, carried_from_id = o.id
     FROM reconciliation_discrepancies o JOIN reconciliation_runs r ON r.id = o.run_id
     JOIN reconciliation_runs me ON me.id = $1
     WHERE d.run_id = $1 AND o.merchant_id = d.merchant_id AND o.fingerprint = d.fingerprint AND o.status = 'resolved' AND o.run_id <> $1
       AND r.period_start = me.period_start AND r.period_end = me.period_end AND r.currency_scope = me.currency_scope`,
    [runId],
  );

  const totals = await computeRunTotals(client, input);
  const sum = (key: string) => totals.reduce((total, row) => total + Number(row[key] ?? 0), 0);
  const discrepancies = await client.query<{ n: string }>(`SELECT count(*) AS n FROM reconciliation_discrepancies WHERE run_id = $1`, [runId]);
  return {
    pspRecords: sum("psp_count"),
    settleRecords: sum("settle_count"),
    matched: sum("matched_count"),
    discrepancies: Number(discrepancies.rows[0]!.n),
    totals,
  };
}

/**
 * Per-currency totals of a matched run, from the matcher's temp tables (same transaction). PSP money
 * is in the PSP's settlement currency. `psp_unexplained` is the PSP net neither matched cleanly nor
 * carried by a discrepancy: 0 when every cent is explained.
 */
export async function computeRunTotals(client: pg.ClientBase, input: MatchInput): Promise<Record<string, unknown>[]> {
  const result = await run(
    client,
    `WITH psp_parts AS (
       SELECT currency, psp_n AS n, psp_gross AS gross, psp_fee AS fee, psp_net AS net, payouts, money_in, money_out FROM fa WHERE currency IS NOT NULL
       UNION ALL
       SELECT currency, sign * count(*), sign * sum(gross), sign * sum(fee), sign * sum(net),
              sign * sum(net) FILTER (WHERE cat IN ${PAYOUT_CATEGORIES}),
              sign * sum(gross) FILTER (WHERE gross > 0 AND cat NOT IN ${PAYOUT_CATEGORIES}),
              sign * sum(-gross) FILTER (WHERE gross < 0 AND cat NOT IN ${PAYOUT_CATEGORIES})
       FROM (SELECT *, 1 AS sign FROM sp UNION ALL SELECT *, -1 FROM lpa WHERE row_id IN (SELECT row_id FROM fr)) x
       WHERE in_period GROUP BY currency, sign),
     psp AS (
       SELECT currency, sum(n) AS n, sum(gross) AS gross, sum(fee) AS fee, sum(net) AS net, coalesce(sum(payouts), 0) AS payouts,
              coalesce(sum(money_in), 0) AS money_in, coalesce(sum(money_out), 0) + sum(fee) AS money_out
       FROM psp_parts GROUP BY currency HAVING sum(n) > 0),
     settle AS (
       SELECT currency, sum(n) AS n, sum(net) AS net FROM (
         SELECT s_currency AS currency, settle_n AS n, settle_net AS net FROM fa WHERE s_currency IS NOT NULL
         UNION ALL SELECT s_currency, count(*), sum(s_amount - coalesce(s_fee, 0)) FROM sx WHERE s_in_period AND s_expects GROUP BY s_currency) x
       GROUP BY currency HAVING sum(n) > 0),
     pairs AS (SELECT * FROM ${PAIRS} x),
     matched AS (
       SELECT currency, sum(n) AS n, sum(net) AS net FROM (
         SELECT currency, matched_n AS n, matched_net AS net FROM fa WHERE currency IS NOT NULL AND matched_n > 0
         UNION ALL SELECT currency, count(*), sum(net) FROM pairs WHERE klass IS NULL GROUP BY currency) x
       GROUP BY currency),
     disc AS (
       SELECT currency, count(*) AS n, sum(difference) AS difference
       FROM reconciliation_discrepancies WHERE run_id = $1 GROUP BY currency),
     disc_psp AS (
       SELECT psp_currency AS currency, sum(psp_amount) AS net FROM reconciliation_discrepancies
       WHERE run_id = $1 AND leg = 'psp_settle' AND psp_currency IS NOT NULL GROUP BY psp_currency),
     disc_settle AS (
       SELECT settle_currency AS currency, count(*) AS n, sum(settle_amount) AS net FROM reconciliation_discrepancies
       WHERE run_id = $1 AND leg = 'psp_settle' AND settle_amount <> 0 GROUP BY settle_currency),
     settle_matched AS (
       SELECT currency, sum(n) AS n FROM (
         SELECT s_currency AS currency, settle_matched_n AS n FROM fa WHERE s_currency IS NOT NULL
         UNION ALL
         SELECT q.s_currency, count(*) FROM pairs q WHERE q.s_in_period AND q.s_expects AND (q.klass IS NULL OR q.klass <> 'out_of_scope') GROUP BY q.s_currency) x
       GROUP BY currency),
     -- Payouts left unpaired are explained by what they are (PSP balance → bank; no Settle record expected).
     po AS (SELECT currency, sum(net) AS net FROM lp WHERE in_period AND cat IN ${PAYOUT_CATEGORIES} GROUP BY currency),
     currencies AS (SELECT currency FROM psp UNION SELECT currency FROM settle UNION SELECT currency FROM disc)
     SELECT c.currency,
            coalesce(psp.n, 0)::int AS psp_count, coalesce(psp.gross, 0)::bigint AS psp_gross, coalesce(psp.fee, 0)::bigint AS psp_fee,
            coalesce(psp.net, 0)::bigint AS psp_net, coalesce(psp.payouts, 0)::bigint AS payouts,
            coalesce(psp.money_in, 0)::bigint AS money_in, coalesce(psp.money_out, 0)::bigint AS money_out,
            coalesce(settle.n, 0)::int AS settle_count, coalesce(settle.net, 0)::bigint AS settle_net,
            coalesce(matched.n, 0)::int AS matched_count, coalesce(matched.net, 0)::bigint AS matched_net,
            (coalesce(psp.n, 0) - coalesce(matched.n, 0))::int AS unmatched_psp_count,
            (coalesce(psp.net, 0) - coalesce(matched.net, 0))::bigint AS unmatched_psp_net,
            (coalesce(settle.n, 0) - coalesce(sm.n, 0))::int AS unmatched_settle_count,
            coalesce(ds.net, 0)::bigint AS unmatched_settle_net,
            coalesce(disc.n, 0)::int AS discrepancy_count, coalesce(disc.difference, 0)::bigint AS difference,
            (coalesce(psp.net, 0) - coalesce(matched.net, 0) - coalesce(dp.net, 0) - coalesce(po.net, 0))::bigint AS psp_unexplained,
            (coalesce(settle.n, 0) - coalesce(sm.n, 0) - coalesce((SELECT count(*) FROM ls WHERE s_in_period AND s_expects AND s_currency = c.currency), 0))::int AS settle_unexplained
     FROM currencies c
     LEFT JOIN psp ON psp.currency = c.currency LEFT JOIN settle ON settle.currency = c.currency
     LEFT JOIN matched ON matched.currency = c.currency LEFT JOIN disc ON disc.currency = c.currency
     LEFT JOIN disc_psp dp ON dp.currency = c.currency LEFT JOIN disc_settle ds ON ds.currency = c.currency
     LEFT JOIN settle_matched sm ON sm.currency = c.currency LEFT JOIN po ON po.currency = c.currency
     ORDER BY c.currency`,
    [input.runId],
  );
  return result.rows;
}
