// Settlement: when the PSP reports a captured charge's balance transaction available, post the
// settlement (bank_cash ← psp_receivable; the payment's share of merchant_pending → merchant_available)
// and move captured → settled; refunds whose balance transactions are available get their settlement
// posting, and a fully refunded payment becomes refund_settled. Driven by balance.available webhooks and
// a scheduled sweep; every step is idempotent (external refs, guarded transitions).
import type Stripe from "stripe";
import type { Actor } from "@/lib/compliance/record-audit-event";
import { db, type Tx } from "@/lib/db/client";
import { ensureMerchantAccounts, postTransaction } from "@/lib/ledger";
import { querySql } from "@/lib/ledger/sql";
import { logger } from "@/lib/log/logger";
import { callPsp } from "@/lib/psp/psp-gateway";
import { feeInChargeCurrency } from "./apply-payment-intent";
import { isSettlementPosted, postRefundSettlement, postSettlement } from "./postings";
import { transitionPayment, type PaymentRow } from "./transition-payment";

const SYSTEM_ACTOR: Actor = { type: "system", id: "payments.settlement" };
const SETTLEMENT_BATCH_MAX = 200;

/** Chargebacks on this payment whose funds are withdrawn and not reinstated (they already left merchant_pending). */
async function chargebacksHeld(tx: Tx, payment: PaymentRow): Promise<bigint> {
  const rows = await querySql<{ held: bigint | null }>(
    tx,
    `SELECT sum(d.amount)::bigint AS held FROM disputes d
     WHERE d.payment_id = $1
       AND EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.merchant_id = $2 AND t.external_ref = 'dispute:' || d.id || ':withdrawal')
       AND NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.merchant_id = $2 AND t.external_ref = 'dispute:' || d.id || ':reinstated')`,
    [payment.id, payment.merchantId],
  );
  return BigInt(rows[0]?.held ?? 0n);
}

/** Posts the charge's settlement if its balance transaction is available. Returns whether it is settled now. */
export async function settlePayment(paymentId: string, actor: Actor = SYSTEM_ACTOR): Promise<boolean> {
  const start = await db().payment.findUniqueOrThrow({ where: { id: paymentId } });
  if (!start.pspChargeId) return false;
  const chargeId = start.pspChargeId;
  const outcome = await callPsp("charges.retrieve", (stripe) => stripe.charges.retrieve(chargeId, { expand: ["balance_transaction"] }));
  if (outcome.kind !== "ok") return false;
  const bt = outcome.value.balance_transaction as Stripe.BalanceTransaction | null;
  if (!bt || typeof bt !== "object" || bt.status !== "available") return false;
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`select id from payments where id = ${paymentId} for update`;
    const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId } });
    if (await isSettlementPosted(tx, payment)) return true;
    let fee = payment.feeAmount;
    if (fee === null) {
      // Captured before the PSP had a balance transaction (async capture): book the fee now.
      fee = feeInChargeCurrency(payment.amountCaptured, bt);
      const chart = await ensureMerchantAccounts(tx, payment.merchantId, payment.currency);
      if (fee > 0n) {
        await postTransaction(tx, {
          merchantId: payment.merchantId, description: `PSP fee of ${payment.id}`, externalRef: `payment:${payment.id}:fee`,
          entries: [
            { accountId: chart.psp_fees, direction: "debit", amountMinor: fee, currency: payment.currency },
            { accountId: chart.psp_receivable, direction: "credit", amountMinor: fee, currency: payment.currency },
          ],
        });
      }
      await tx.payment.update({ where: { id: paymentId }, data: { feeAmount: fee } });
    }
    const net = payment.amountCaptured - fee;
    let move = payment.amountCaptured - payment.amountRefundReserved - (await chargebacksHeld(tx, payment));
    if (move < 0n) move = 0n;
    await postSettlement(tx, payment, net, move);
    if (payment.status === "captured") {
      await transitionPayment(tx, { merchantId: payment.merchantId, paymentId, from: ["captured"], to: "settled", actor, reason: `psp:${bt.id}:available` });
    }
    return true;
  });
}

/** Posts a succeeded refund's settlement once its balance transaction is available; refunded → refund_settled when all are. */
export async function settleRefund(refundId: string, actor: Actor = SYSTEM_ACTOR): Promise<boolean> {
  const refund = await db().refund.findUniqueOrThrow({ where: { id: refundId } });
  if (refund.status !== "succeeded" || refund.settledAt || !refund.pspRefundId) return refund.settledAt !== null;
  const pspRefundId = refund.pspRefundId;
  const outcome = await callPsp("refunds.retrieve", (stripe) => stripe.refunds.retrieve(pspRefundId, { expand: ["balance_transaction"] }));
  if (outcome.kind !== "ok") return false;
  const bt = outcome.value.balance_transaction as Stripe.BalanceTransaction | null;
  if (!bt || typeof bt !== "object" || bt.status !== "available" || outcome.value.status !== "succeeded") return false;
  await db().$transaction(async (tx) => {
    await tx.$queryRaw`select id from payments where id = ${refund.paymentId} for update`;
    const { count } = await tx.refund.updateMany({ where: { id: refundId, status: "succeeded", settledAt: null }, data: { settledAt: new Date(), version: { increment: 1 } } });
    if (count !== 1) return;
    const payment = await tx.payment.findUniqueOrThrow({ where: { id: refund.paymentId } });
    await postRefundSettlement(tx, payment, refund.id, refund.amount);
  });
  return true;
}

async function settleRefundedPayment(payment: PaymentRow, actor: Actor): Promise<boolean> {
  const open = await db().refund.count({ where: { paymentId: payment.id, OR: [{ status: "pending" }, { status: "pending_approval" }, { status: "succeeded", settledAt: null }] } });
  if (open > 0) return false;
  return db().$transaction(async (tx) => {
    // Re-check under the lock: a refund that failed late may have taken the payment out of refunded since it was listed.
    const [locked] = await tx.$queryRaw<{ status: string }[]>`select status::text as status from payments where id = ${payment.id} for update`;
    if (locked?.status !== "refunded") return false;
    if (!(await isSettlementPosted(tx, payment)) && payment.paymentMethodType !== "settle_wallet") return false;
    await transitionPayment(tx, { merchantId: payment.merchantId, paymentId: payment.id, from: ["refunded"], to: "refund_settled", actor, reason: "psp:refunds_available" });
    return true;
  });
}

/** One sweep: unsettled captured charges, unsettled succeeded refunds, refunded payments ready to close. */
export async function runSettlementSweep(options: { limit?: number } = {}): Promise<{ payments: number; refunds: number; refundSettled: number }> {
  const limit = Math.min(options.limit ?? SETTLEMENT_BATCH_MAX, SETTLEMENT_BATCH_MAX);
  const unsettled = await querySql<{ id: string }>(
    db() as unknown as Tx,
    `SELECT p.id FROM payments p
     WHERE p.status::text IN ('captured', 'refunded', 'chargeback', 'settled') AND p.psp_charge_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.merchant_id = p.merchant_id AND t.external_ref = 'payment:' || p.id || ':settle')
     ORDER BY p.captured_at NULLS LAST LIMIT $1`,
    [limit],
  );
  let payments = 0;
  for (const { id } of unsettled) {
    try {
      if (await settlePayment(id)) payments++;
    } catch (error) {
      logger.error({ err: error, paymentId: id }, "settlement failed");
    }
  }
  const refunds = await db().refund.findMany({ where: { status: "succeeded", settledAt: null }, take: limit, select: { id: true } });
  let refundsSettled = 0;
  for (const { id } of refunds) {
    try {
      if (await settleRefund(id)) refundsSettled++;
    } catch (error) {
      logger.error({ err: error, refundId: id }, "refund settlement failed");
    }
  }
  const refunded = await db().payment.findMany({ where: { status: "refunded" }, take: limit });
  let refundSettled = 0;
  for (const payment of refunded) {
    // One payment that fails to close must not stop the sweep for the others.
    try {
      if (await settleRefundedPayment(payment, SYSTEM_ACTOR)) refundSettled++;
    } catch (error) {
      logger.error({ err: error, paymentId: payment.id }, "refund_settled transition failed");
    }
  }
  return { payments, refunds: refundsSettled, refundSettled };
}
