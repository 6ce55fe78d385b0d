// The chaos checker: after the quiet period and a reconciliation run, verifies the bank's invariants
// straight from PostgreSQL (never through the app) and the PSP sandbox's own records.
import pg from "pg";
import type { Operation } from "./client";

export type Check = { name: string; ok: boolean; detail: string; samples?: unknown[] };

type PspObject = { id: string; status: string; metadata?: Record<string, string>; amount?: number };

/** Every object of a list endpoint of the sandbox (Stripe-style cursor pages). */
export async function listAllAtPsp(pspUrl: string, resource: "payment_intents" | "refunds"): Promise<PspObject[]> {
  const all: PspObject[] = [];
  let startingAfter: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const query = new URLSearchParams({ limit: "100" });
    if (startingAfter) query.set("starting_after", startingAfter);
    const response = await fetch(`${pspUrl}/v1/${resource}?${query}`, { headers: { authorization: "Bearer sk_test_settle_sandbox" } });
    if (!response.ok) throw new Error(`listing ${resource} at the PSP: HTTP ${response.status}`);
    const body = (await response.json()) as { data: PspObject[]; has_more: boolean };
    all.push(...body.data);
    if (!body.has_more || body.data.length === 0) break;
    startingAfter = body.data.at(-1)!.id;
  }
  return all;
}

export type CheckInput = {
  databaseUrl: string;
  pspUrl: string;
  merchantId: string;
  wallets: string[];
  walletTotalBefore: bigint;
  operations: Operation[];
  reconciliation: { state: string; unexplained: number; discrepancies: Record<string, number> } | null;
};

/** Payment statuses in which the customer has been charged. */
const CHARGED = ["captured", "settled", "refunded", "refund_settled", "chargeback"];

const short = (values: unknown[]) => values.slice(0, 5);

export async function runChecker(input: CheckInput): Promise<Check[]> {
  const client = new pg.Client({ connectionString: input.databaseUrl });
  await client.connect();
  const checks: Check[] = [];
  const add = (name: string, ok: boolean, detail: string, samples?: unknown[]) => checks.push({ name, ok, detail, samples: samples && samples.length ? short(samples) : undefined });
  try {
    const unbalanced = await client.query(
      `SELECT transaction_id, currency, sum(CASE WHEN direction = 'debit' THEN amount_minor ELSE -amount_minor END)::text AS net
       FROM ledger_entries GROUP BY transaction_id, currency HAVING sum(CASE WHEN direction = 'debit' THEN amount_minor ELSE -amount_minor END) <> 0`,
    );
    const txCount = (await client.query(`SELECT count(*)::int AS n FROM ledger_transactions`)).rows[0].n;
    add("every ledger transaction balances", unbalanced.rowCount === 0, `${unbalanced.rowCount} unbalanced of ${txCount} transactions`, unbalanced.rows);

    const mismatched = await client.query(
      `SELECT a.id, a.balance_minor::text AS cached, coalesce(e.total, 0)::text AS from_entries
       FROM ledger_accounts a
       LEFT JOIN (SELECT e.account_id, sum(CASE WHEN e.direction = a2.normal_side THEN e.amount_minor ELSE -e.amount_minor END) AS total
                  FROM ledger_entries e JOIN ledger_accounts a2 ON a2.id = e.account_id GROUP BY e.account_id) e ON e.account_id = a.id
       WHERE a.balance_minor <> coalesce(e.total, 0)`,
    );
    const accountCount = (await client.query(`SELECT count(*)::int AS n FROM ledger_accounts`)).rows[0].n;
    add("every account balance equals its entries", mismatched.rowCount === 0, `${mismatched.rowCount} of ${accountCount} accounts disagree`, mismatched.rows);

    const below = await client.query(`SELECT id, balance_minor::text AS balance, floor_minor::text AS floor FROM ledger_accounts WHERE floor_minor IS NOT NULL AND balance_minor < floor_minor`);
    add("no account below its floor", below.rowCount === 0, `${below.rowCount} accounts below their floor`, below.rows);

    const walletTotal = BigInt((await client.query(`SELECT coalesce(sum(balance_minor), 0)::text AS total FROM ledger_accounts WHERE id = ANY($1::text[])`, [input.wallets])).rows[0].total);
    add(
      "transfers conserve money (sum of the wallets' balances unchanged)",
      walletTotal === input.walletTotalBefore,
      `before ${input.walletTotalBefore}, after ${walletTotal} (USD minor units, ${input.wallets.length} wallets)`,
    );
    const perCurrency = await client.query(
      `SELECT currency, sum(CASE WHEN direction = 'debit' THEN amount_minor ELSE -amount_minor END)::text AS net FROM ledger_entries GROUP BY currency HAVING sum(CASE WHEN direction = 'debit' THEN amount_minor ELSE -amount_minor END) <> 0`,
    );
    add("debits equal credits per currency over the whole ledger", perCurrency.rowCount === 0, perCurrency.rowCount ? JSON.stringify(perCurrency.rows) : "0 net in every currency");

    // Every acknowledged operation exists exactly once; failed ones not at all (declined payments: at most once).
    const transfers = await client.query<{ op: string; n: number; ids: string[] }>(
      `SELECT metadata->>'chaos_op' AS op, count(*)::int AS n, array_agg(id) AS ids FROM transfers WHERE merchant_id = $1 AND metadata ? 'chaos_op' GROUP BY 1`,
      [input.merchantId],
    );
    const payments = await client.query<{ op: string; n: number; ids: string[]; statuses: string[] }>(
      `SELECT metadata->>'chaos_op' AS op, count(*)::int AS n, array_agg(id) AS ids, array_agg(status::text) AS statuses FROM payments WHERE merchant_id = $1 AND metadata ? 'chaos_op' GROUP BY 1`,
      [input.merchantId],
    );
    const refundKeys = input.operations.filter((op) => op.kind === "refund").flatMap((op) => op.keys);
    const refunds = await client.query<{ key: string; id: string; status: string }>(
      `SELECT idempotency_key AS key, id, status::text AS status FROM refunds WHERE merchant_id = $1 AND idempotency_key = ANY($2::text[])`,
      [input.merchantId, refundKeys],
    );
    const byOp = new Map<string, { n: number; ids: string[] }>();
    for (const row of [...transfers.rows, ...payments.rows]) byOp.set(row.op, { n: row.n, ids: row.ids });
    const refundByKey = new Map<string, string[]>();
    for (const row of refunds.rows) refundByKey.set(row.key, [...(refundByKey.get(row.key) ?? []), row.id]);
    const problems: string[] = [];
    const duplicates: string[] = [];
    let acknowledged = 0;
    for (const op of input.operations) {
      const found = op.kind === "refund" ? op.keys.flatMap((key) => refundByKey.get(key) ?? []) : (byOp.get(op.opId)?.ids ?? []);
      if (found.length > 1) duplicates.push(`${op.opId}: ${found.length} objects (${found.join(", ")})`);
      if (op.outcome === "ok") {
        acknowledged++;
        if (found.length !== 1) problems.push(`${op.opId} acknowledged (${op.objectId}) but ${found.length} found`);
        else if (op.objectId && found[0] !== op.objectId) problems.push(`${op.opId} acknowledged as ${op.objectId} but stored as ${found[0]}`);
      } else if (op.outcome === "failed") {
        const declinedPayment = op.kind === "payment" && op.status === 402;
        if (found.length > (declinedPayment ? 1 : 0)) problems.push(`${op.opId} failed (HTTP ${op.status} ${op.errorCode ?? ""}) but ${found.length} found`);
      }
    }
    add("every acknowledged operation exists exactly once", problems.length === 0 && duplicates.length === 0, `${acknowledged} acknowledged; ${problems.length} missing/mismatched; ${duplicates.length} executed more than once`, [...duplicates, ...problems]);

    const unknown = input.operations.filter((op) => op.outcome === "unknown");
    const resolved = input.operations.filter((op) => op.resolvedBy === "replay");
    add("every unknown outcome resolved", unknown.length === 0, `${resolved.length} unknown during the faults, resolved by replaying the key; ${unknown.length} still unknown`, unknown.map((op) => `${op.opId}: ${op.lastError}`));

    // The PSP side: no payment charged twice (PaymentIntents per settle_payment_id), no refund made twice.
    const intents = await listAllAtPsp(input.pspUrl, "payment_intents");
    const perPayment = new Map<string, PspObject[]>();
    for (const intent of intents) {
      const id = intent.metadata?.settle_payment_id;
      if (!id) continue;
      perPayment.set(id, [...(perPayment.get(id) ?? []), intent]);
    }
    const charged = (intent: PspObject) => ["succeeded", "requires_capture", "processing"].includes(intent.status);
    const doubleCharged = [...perPayment.entries()].filter(([, list]) => list.filter(charged).length > 1);
    const multiIntents = [...perPayment.entries()].filter(([, list]) => list.length > 1);
    add("no payment charged twice at the PSP", doubleCharged.length === 0, `${intents.length} PaymentIntents for ${perPayment.size} payments; ${multiIntents.length} payments with more than one intent, ${doubleCharged.length} charged more than once`, doubleCharged.map(([id, list]) => `${id}: ${list.map((i) => `${i.id}:${i.status}`).join(", ")}`));

    // A chaos operation charged twice through two payments (a client retry without its key) is also a double charge.
    const chaosPaymentsCharged = payments.rows.filter((row) => row.statuses.filter((status) => CHARGED.includes(status)).length > 1);
    add("no customer order charged twice (payments per chaos operation)", chaosPaymentsCharged.length === 0, `${chaosPaymentsCharged.length} operations with more than one charged payment`, chaosPaymentsCharged.map((row) => `${row.op}: ${row.ids.join(", ")}`));

    const pspRefunds = await listAllAtPsp(input.pspUrl, "refunds");
    const perRefund = new Map<string, number>();
    for (const refund of pspRefunds) {
      const id = refund.metadata?.settle_refund_id;
      if (id) perRefund.set(id, (perRefund.get(id) ?? 0) + 1);
    }
    const doubleRefunds = [...perRefund.entries()].filter(([, n]) => n > 1);
    add("no refund made twice at the PSP", doubleRefunds.length === 0, `${pspRefunds.length} PSP refunds; ${doubleRefunds.length} refunds made more than once`, doubleRefunds);

    // Our records agree with the PSP's, and nothing is left in flight after recovery.
    const ours = await client.query<{ id: string; status: string; psp: string | null; amount_refunded: string; amount_captured: string }>(
      `SELECT id, status::text AS status, psp_payment_intent_id AS psp, amount_refunded::text, amount_captured::text FROM payments WHERE merchant_id = $1`,
      [input.merchantId],
    );
    const intentById = new Map(intents.map((intent) => [intent.id, intent]));
    const disagree: string[] = [];
    const stuck: string[] = [];
    const overRefunded: string[] = [];
    for (const row of ours.rows) {
      if (["initiated", "pending"].includes(row.status)) stuck.push(`${row.id}:${row.status}`);
      if (BigInt(row.amount_refunded) > BigInt(row.amount_captured)) overRefunded.push(row.id);
      const intent = row.psp ? intentById.get(row.psp) : undefined;
      if (!intent) continue;
      const pspCharged = intent.status === "succeeded";
      const weCharged = CHARGED.includes(row.status);
      if (pspCharged !== weCharged && !(intent.status === "requires_capture" && row.status === "authorized")) disagree.push(`${row.id}: ours ${row.status}, PSP ${intent.status}`);
    }
    add("payments agree with the PSP", disagree.length === 0, `${ours.rowCount} payments; ${disagree.length} disagree`, disagree);
    add("no payment left in flight after recovery", stuck.length === 0, `${stuck.length} initiated/pending`, stuck);
    add("no payment refunded beyond its capture", overRefunded.length === 0, `${overRefunded.length} over-refunded`, overRefunded);

    if (input.reconciliation) {
      const { state, discrepancies, unexplained } = input.reconciliation;
      add("reconciliation: zero unexplained discrepancies", state === "completed" && unexplained === 0, `run ${state}; unexplained_count ${unexplained}; discrepancies by class ${JSON.stringify(discrepancies)}`);
    } else {
      add("reconciliation: zero unexplained discrepancies", false, "no reconciliation run");
    }
  } finally {
    await client.end();
  }
  return checks;
}
