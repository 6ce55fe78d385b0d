// Brings a refund (and its payment) up to what the PSP says: succeeded → amount_refunded grows and the
// payment becomes refunded when nothing is left; failed/canceled → the reservation is released and the
// merchant's money comes back (even after an earlier success: Stripe's refund_failure, which also brings a
// refunded payment back to captured/settled and makes it refundable again). Idempotent.
import type Stripe from "stripe";
import { AppError } from "@/lib/api/errors";
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { db, type Tx } from "@/lib/db/client";
import { notifyMerchant } from "@/lib/payments/notify-merchant";
import { toPaymentDto } from "@/lib/payments/payment-dto";
import { isSettlementPosted, postRefundFailureSettlement, postRefundRelease } from "@/lib/payments/postings";
import { transitionPayment, type PaymentRow } from "@/lib/payments/transition-payment";
import { toRefundDto, type RefundRow } from "./refund.types";

type RefundStatus = RefundRow["status"];

const REFUND_FAILURE_ACTOR: Actor = { type: "system", id: "refunds.psp_failure" };

/** Guarded refund status change: one conditional UPDATE; returns null when another writer got there first. */
export async function transitionRefund(
  tx: Tx,
  refund: RefundRow,
  from: RefundStatus[],
  to: RefundStatus,
  patch: Partial<Pick<RefundRow, "pspRefundId" | "failureReason" | "approvedBy" | "succeededAt" | "failedAt" | "settledAt">> = {},
): Promise<RefundRow | null> {
  const { count } = await tx.refund.updateMany({
    where: { id: refund.id, status: { in: from } },
    data: { ...patch, status: to, version: { increment: 1 } },
  });
  if (count === 0) return null;
  const updated = await tx.refund.findUniqueOrThrow({ where: { id: refund.id } });
  if (to === "succeeded" || to === "failed") {
    await notifyMerchant(tx, {
      merchantId: updated.merchantId, type: `refund.${to}`, objectType: "refund", objectId: updated.id, objectVersion: updated.version,
      payload: toRefundDto(updated) as unknown as Record<string, unknown>,
    });
  }
  return updated;
}

/**
 * The payment's refunded amount changed and its status did not (the UPDATE that changed the amount also
 * bumped the version): the audit row and the merchant event carrying the new version, in the caller's
 * transaction, as transitionPayment writes them for a status change (no history row: no status change).
 */
async function announceRefundedAmountChange(
  tx: Tx, payment: PaymentRow, refund: RefundRow, actor: Actor, type: "payment.partially_refunded" | "payment.refund_failed", reason: string,
): Promise<void> {
  await recordAuditEvent(
    {
      merchantId: payment.merchantId, actor, action: type, target: { type: "payment", id: payment.id },
      data: { from: payment.status, to: payment.status, version: payment.version, reason, refund: refund.id, amount: refund.amount.toString() },
    },
    tx,
  );
  await notifyMerchant(tx, {
    merchantId: payment.merchantId, type, objectType: "payment", objectId: payment.id, objectVersion: payment.version,
    payload: toPaymentDto(payment) as unknown as Record<string, unknown>,
  });
}

/**
 * Marks a pending refund succeeded and counts it on the payment. When nothing is left the payment becomes
 * refunded (transitionPayment: one version bump, payment.refunded). Otherwise (a partial refund) the status
 * stays but the payment still changed (amount_refunded went up): its version goes up in the same UPDATE,
 * with the audit row and the merchant event payment.partially_refunded carrying that version.
 */
export async function succeedRefund(tx: Tx, refund: RefundRow, actor: Actor, pspRefundId?: string): Promise<RefundRow> {
  const done = await transitionRefund(tx, refund, ["pending"], "succeeded", { succeededAt: new Date(), ...(pspRefundId ? { pspRefundId } : {}) });
  if (!done) return tx.refund.findUniqueOrThrow({ where: { id: refund.id } });
  // One guarded UPDATE. The SET expressions see the row before the change, RETURNING the row after it, so
  // the CASE and becomes_refunded name the same condition: fully refunded from captured/settled, where
  // transitionPayment below bumps the version once for amount and status together.
  const rows = await tx.$queryRaw<{ becomes_refunded: boolean }[]>`
    update payments set amount_refunded = amount_refunded + ${refund.amount},
                        version = version + case when status in ('captured', 'settled') and amount_refunded + ${refund.amount} = amount_captured then 0 else 1 end,
                        updated_at = now()
    where id = ${refund.paymentId} and amount_refunded + ${refund.amount} <= amount_refund_reserved
    returning (status in ('captured', 'settled') and amount_refunded = amount_captured) as becomes_refunded`;
  if (rows.length !== 1) throw new Error(`Invariant violated: refund ${refund.id} exceeds the reservation on ${refund.paymentId}`);
  if (rows[0]!.becomes_refunded) {
    await transitionPayment(tx, {
      merchantId: refund.merchantId, paymentId: refund.paymentId, from: ["captured", "settled"], to: "refunded", actor, reason: `refund:${refund.id}`,
    });
  } else {
    const payment: PaymentRow = await tx.payment.findUniqueOrThrow({ where: { id: refund.paymentId } });
    await announceRefundedAmountChange(tx, payment, refund, actor, "payment.partially_refunded", `refund:${refund.id}`);
  }
  return done;
}

/**
 * Fails a refund (pending or, after a late PSP failure, succeeded): release the reservation and give the
 * money back. A late failure on a payment that had become refunded (or refund_settled) also takes the
 * payment back to settled (settlement posted) or captured, with its history row, audit row and a
 * payment.refund_failed merchant event, all in this transaction. A late failure that leaves the status as
 * it is (a partial refund) still changes the payment (amount_refunded goes down): its version goes up in
 * the same UPDATE, with the audit row and the payment.refund_failed event carrying that version.
 */
export async function failRefund(
  tx: Tx, refund: RefundRow, failureReason: string, pspRefundId?: string, to: "failed" | "canceled" = "failed", actor: Actor = REFUND_FAILURE_ACTOR,
): Promise<RefundRow> {
  const wasSucceeded = refund.status === "succeeded";
  const failed = await transitionRefund(tx, refund, to === "canceled" ? ["pending_approval"] : ["pending", "pending_approval", "succeeded"], to, {
    failedAt: new Date(), failureReason, ...(pspRefundId ? { pspRefundId } : {}),
  });
  if (!failed) return tx.refund.findUniqueOrThrow({ where: { id: refund.id } });
  const refundedDelta = wasSucceeded ? refund.amount : 0n;
  // One guarded UPDATE. Money the merchant was told is refunded comes back: the payment object changes, so
  // its version goes up here, unless the status returns too (refunded/refund_settled: transitionPayment
  // below bumps it once for both). A pending refund's failure changes only the reservation (not in the DTO).
  const versionStep = wasSucceeded ? 1 : 0;
  const updated = await tx.$queryRaw<{ id: string }[]>`
    update payments set amount_refund_reserved = amount_refund_reserved - ${refund.amount},
                        amount_refunded = amount_refunded - ${refundedDelta},
                        version = version + case when status in ('refunded', 'refund_settled') then 0 else ${versionStep}::int end,
                        updated_at = now()
    where id = ${refund.paymentId} and amount_refund_reserved >= ${refund.amount} and amount_refunded >= ${refundedDelta}
    returning id`;
  if (updated.length !== 1) throw new Error(`Invariant violated: refund ${refund.id} exceeds what payment ${refund.paymentId} has reserved or refunded`);
  const payment: PaymentRow = await tx.payment.findUniqueOrThrow({ where: { id: refund.paymentId } });
  await postRefundRelease(tx, payment, refund.id, refund.amount);
  if (refund.settledAt) await postRefundFailureSettlement(tx, payment, refund.id, refund.amount);
  const failureData = { refund: refund.id, amount: refund.amount.toString(), failure_reason: failureReason };
  if (wasSucceeded && payment.status !== "refunded" && payment.status !== "refund_settled") {
    await announceRefundedAmountChange(tx, payment, refund, actor, "payment.refund_failed", `refund:${refund.id}:failed`);
  }
  if (wasSucceeded && (payment.status === "refunded" || payment.status === "refund_settled")) {
    if (!(payment.amountRefunded < payment.amountCaptured)) throw new Error(`Invariant violated: ${payment.id} still fully refunded after refund ${refund.id} failed`);
    const back = (await isSettlementPosted(tx, payment)) ? "settled" : "captured";
    await transitionPayment(tx, {
      merchantId: payment.merchantId, paymentId: payment.id, from: [payment.status], to: back, cause: "refund_failed", actor,
      reason: `refund:${refund.id}:failed`, data: failureData,
      // No longer (fully) refunded: the DTO must not say so.
      patch: { refundedAt: null, refundSettledAt: null },
    });
  }
  return failed;
}

async function lockRefund(tx: Tx, refundId: string): Promise<RefundRow> {
  const refund = await tx.refund.findUnique({ where: { id: refundId } });
  if (!refund) throw new AppError("resource_missing", `No such refund: '${refundId}'`, { param: "id" });
  // Payment row first, then the refund: the same order as createRefund, so no deadlock.
  await tx.$queryRaw`select id from payments where id = ${refund.paymentId} for update`;
  await tx.$queryRaw`select id from refunds where id = ${refundId} for update`;
  return tx.refund.findUniqueOrThrow({ where: { id: refundId } });
}

export async function applyPspRefund(refundId: string, pspRefund: Stripe.Refund, actor: Actor): Promise<RefundRow> {
  return db().$transaction(async (tx) => {
    let refund = await lockRefund(tx, refundId);
    if (!refund.pspRefundId) {
      await tx.refund.update({ where: { id: refundId }, data: { pspRefundId: pspRefund.id } });
      refund = { ...refund, pspRefundId: pspRefund.id };
    }
    switch (pspRefund.status) {
      case "succeeded":
        return succeedRefund(tx, refund, actor);
      case "failed":
      case "canceled":
        return failRefund(tx, refund, pspRefund.failure_reason ?? pspRefund.status, undefined, "failed", actor);
      default:
        return refund;
    }
  }, { timeout: 20_000, maxWait: 10_000 });
}

/** Finds our refund for a PSP refund object (by its id, or the settle_refund_id we put in its metadata). */
export async function findRefundForPsp(pspRefund: Stripe.Refund): Promise<RefundRow | null> {
  const byPsp = await db().refund.findUnique({ where: { pspRefundId: pspRefund.id } });
  if (byPsp) return byPsp;
  const ours = pspRefund.metadata?.settle_refund_id;
  return ours ? db().refund.findUnique({ where: { id: ours } }) : null;
}
