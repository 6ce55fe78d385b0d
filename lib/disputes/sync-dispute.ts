// Applies the PSP's view of a dispute (re-read from the PSP, so event order does not matter): create our
// dp_ row, and on funds withdrawn move the payment to chargeback with the chargeback posting; on a win
// reverse it and return the payment to settled; on a loss close it (the merchant already bore it).
import type Stripe from "stripe";
import type { Actor } from "@/lib/compliance/record-audit-event";
import { db, type Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { logger } from "@/lib/log/logger";
import { feeInChargeCurrency } from "@/lib/payments/apply-payment-intent";
import { notifyMerchant } from "@/lib/payments/notify-merchant";
import { postChargeback, postChargebackReversal } from "@/lib/payments/postings";
import { transitionPayment } from "@/lib/payments/transition-payment";
import { callPsp } from "@/lib/psp/psp-gateway";
import { toDisputeDto, type DisputeRow } from "./dispute.types";

const CLOSED = ["won", "lost", "warning_closed", "prevented"];

function balanceTransactions(dispute: Stripe.Dispute): Stripe.BalanceTransaction[] {
  return (dispute.balance_transactions ?? []).filter((bt): bt is Stripe.BalanceTransaction => typeof bt === "object");
}

async function notify(tx: Tx, dispute: DisputeRow, type: string) {
  await notifyMerchant(tx, {
    merchantId: dispute.merchantId, type, objectType: "dispute", objectId: dispute.id, objectVersion: dispute.version,
    payload: toDisputeDto(dispute) as unknown as Record<string, unknown>,
  });
}

/** Applies a dispute object; returns null when it is not about one of our payments. */
export async function applyPspDispute(pspDispute: Stripe.Dispute, actor: Actor): Promise<DisputeRow | null> {
  const piId = typeof pspDispute.payment_intent === "string" ? pspDispute.payment_intent : pspDispute.payment_intent?.id;
  const payment = piId ? await db().payment.findUnique({ where: { pspPaymentIntentId: piId } }) : null;
  if (!payment) {
    logger.warn({ dispute: pspDispute.id, piId }, "dispute for a payment Settle does not know");
    return null;
  }
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`select id from payments where id = ${payment.id} for update`;
    let dispute = await tx.dispute.findUnique({ where: { pspDisputeId: pspDispute.id } });
    const evidence = pspDispute.evidence as unknown as Record<string, unknown>;
    const textEvidence = Object.fromEntries(Object.entries(evidence ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
    const fields = {
      status: pspDispute.status,
      reason: pspDispute.reason,
      evidenceDueBy: pspDispute.evidence_details?.due_by ? new Date(pspDispute.evidence_details.due_by * 1000) : null,
      evidence: textEvidence,
    };
    if (!dispute) {
      dispute = await tx.dispute.create({
        data: { id: newId("dispute"), merchantId: payment.merchantId, paymentId: payment.id, pspDisputeId: pspDispute.id, amount: BigInt(pspDispute.amount), currency: payment.currency, ...fields },
      });
      await notify(tx, dispute, "dispute.created");
    } else if (dispute.status !== pspDispute.status && !CLOSED.includes(dispute.status)) {
      await tx.dispute.update({ where: { id: dispute.id }, data: { ...fields, version: { increment: 1 } } });
      dispute = await tx.dispute.findUniqueOrThrow({ where: { id: dispute.id } });
      await notify(tx, dispute, "dispute.updated");
    }
    const ref = { id: payment.id, merchantId: payment.merchantId, currency: payment.currency };
    const bts = balanceTransactions(pspDispute);
    const withdrawal = bts.find((bt) => bt.reporting_category === "dispute" || (bt.type === "adjustment" && bt.amount < 0));
    const reinstated = bts.find((bt) => bt.reporting_category === "dispute_reversal" || (bt.type === "adjustment" && bt.amount > 0));
    if (withdrawal) {
      const amount = BigInt(pspDispute.amount);
      // The fee is in the settlement currency; scaled like the processing fee (see README-postings.md).
      const fee = withdrawal.amount === 0 ? 0n : feeInChargeCurrency(amount, { ...withdrawal, amount: Math.abs(withdrawal.amount) } as Stripe.BalanceTransaction);
      const posted = await postChargeback(tx, ref, dispute.id, amount, fee);
      if (posted && !posted.replayed) {
        await tx.dispute.update({ where: { id: dispute.id }, data: { feeAmount: fee } });
        await transitionPayment(tx, { merchantId: payment.merchantId, paymentId: payment.id, from: ["captured", "settled"], to: "chargeback", actor, reason: `dispute:${dispute.id}` })
          .catch((error) => logger.warn({ err: error, paymentId: payment.id }, "payment could not move to chargeback"));
      }
    }
    if (pspDispute.status === "won" && withdrawal) {
      const feeRefund = reinstated && reinstated.fee < 0 ? feeInChargeCurrency(BigInt(pspDispute.amount), { ...reinstated, fee: -reinstated.fee } as Stripe.BalanceTransaction) : 0n;
      await postChargebackReversal(tx, ref, dispute.id, BigInt(pspDispute.amount), feeRefund);
      const current = await tx.payment.findUniqueOrThrow({ where: { id: payment.id }, select: { status: true } });
      if (current.status === "chargeback") {
        await transitionPayment(tx, { merchantId: payment.merchantId, paymentId: payment.id, from: ["chargeback"], to: "settled", actor, reason: `dispute:${dispute.id}:won` });
      }
    }
    if (CLOSED.includes(pspDispute.status) && !dispute.closedAt) {
      await tx.dispute.update({ where: { id: dispute.id }, data: { ...fields, closedAt: new Date(), version: { increment: 1 } } });
      dispute = await tx.dispute.findUniqueOrThrow({ where: { id: dispute.id } });
      await notify(tx, dispute, pspDispute.status === "won" ? "dispute.won" : pspDispute.status === "lost" ? "dispute.lost" : "dispute.closed");
    }
    return dispute;
  });
}

/** Re-reads a dispute from the PSP (with its balance transactions) and applies it. */
export async function syncDispute(pspDisputeId: string, actor: Actor): Promise<DisputeRow | null> {
  const outcome = await callPsp("disputes.retrieve", (stripe) => stripe.disputes.retrieve(pspDisputeId));
  if (outcome.kind !== "ok") throw new Error(`could not read dispute ${pspDisputeId} from the PSP`);
  return applyPspDispute(outcome.value, actor);
}
