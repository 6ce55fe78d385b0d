// The fetch phase: pulls the PSP's balance transactions for the run's window through the stripe SDK
// (auto-pagination, source expanded for ids and metadata) and stages them page batch by page batch.
// Each batch and the cursor after it commit together, so a crash resumes at the last staged id.
import type pg from "pg";
import type Stripe from "stripe";
import { getStripe } from "@/lib/psp/psp-gateway";
import { stagePspRecords, type StagedPspRecord } from "./stage-psp-records";

/** Rows staged per transaction (and per checkpoint). */
export const FETCH_BATCH_ROWS = 1_000;
const PAGE_LIMIT = 100;

/** The PSP gateway's client (Stripe or the sandbox; tests point it at their own sandbox). */
export function defaultStripeClient(): Stripe {
  return getStripe();
}

type Source = { id?: string; object?: string; charge?: string | { id: string }; payment_intent?: string | { id: string } | null; metadata?: Record<string, string>; amount?: number; currency?: string };

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

/** One balance transaction as a staging row. Metadata carries our ids (settle_payment_id, settle_refund_id, settle_merchant_id). */
export function stagedFromBalanceTransaction(bt: Stripe.BalanceTransaction): StagedPspRecord {
  const source = (typeof bt.source === "object" && bt.source !== null ? bt.source : null) as Source | null;
  const sourceId = typeof bt.source === "string" ? bt.source : (source?.id ?? null);
  const metadata = source?.metadata ?? {};
  const isCharge = source?.object === "charge";
  const chargeId = isCharge ? (source?.id ?? null) : idOf(source?.charge);
  const converted = bt.exchange_rate !== null && bt.exchange_rate !== undefined;
  return {
    balanceTransactionId: bt.id,
    reportingCategory: bt.reporting_category,
    type: bt.type,
    sourceId,
    chargeId,
    paymentIntentId: idOf(source?.payment_intent),
    settleRef: metadata.settle_payment_id ?? metadata.settle_refund_id ?? metadata.settle_dispute_id ?? null,
    settleMerchantRef: metadata.settle_merchant_id ?? null,
    createdAt: new Date(bt.created * 1000),
    availableOn: bt.available_on ? new Date(bt.available_on * 1000) : null,
    currency: bt.currency.toUpperCase(),
    gross: BigInt(bt.amount),
    fee: BigInt(bt.fee),
    net: BigInt(bt.net),
    exchangeRate: converted ? String(bt.exchange_rate) : null,
    customerFacingAmount: converted && source?.amount !== undefined ? BigInt(Math.sign(bt.amount) * Math.abs(source.amount)) : null,
    customerFacingCurrency: converted && source?.currency ? source.currency.toUpperCase() : null,
    status: bt.status,
    payoutId: bt.type === "payout" ? sourceId : null,
  };
}

/**
 * Streams the window's balance transactions into staging. `startingAfter` resumes after a crash;
 * `onBatch` runs in the batch's transaction to move the checkpoint with the rows.
 */
export async function fetchPspRecords(input: {
  client: pg.ClientBase;
  stripe: Stripe;
  runId: string;
  windowStart: Date;
  windowEnd: Date;
  startingAfter: string | null;
  saveCheckpoint: (client: pg.ClientBase, lastId: string, stagedTotal: number) => Promise<void>;
  stagedSoFar: number;
}): Promise<number> {
  const { client, stripe, runId } = input;
  let staged = input.stagedSoFar;
  let batch: StagedPspRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await client.query("BEGIN");
    try {
      await stagePspRecords(client, runId, batch);
      staged += batch.length;
      await input.saveCheckpoint(client, batch[batch.length - 1]!.balanceTransactionId, staged);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
    batch = [];
  };
  const params: Stripe.BalanceTransactionListParams = {
    created: { gte: Math.floor(input.windowStart.getTime() / 1000), lt: Math.ceil(input.windowEnd.getTime() / 1000) },
    limit: PAGE_LIMIT,
    expand: ["data.source"],
    ...(input.startingAfter ? { starting_after: input.startingAfter } : {}),
  };
  for await (const bt of stripe.balanceTransactions.list(params)) {
    batch.push(stagedFromBalanceTransaction(bt));
    if (batch.length >= FETCH_BATCH_ROWS) await flush();
  }
  await flush();
  return staged;
}
