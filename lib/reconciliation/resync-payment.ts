// Re-sync for reconciliation: re-reads a payment's PaymentIntent (and its refunds) from the PSP and
// applies the truth through the payments/refunds code (forward-only transitions with their ledger
// postings), e.g. a capture whose webhook never arrived. Reports what changed.
import type Stripe from "stripe";
import { AppError } from "@/lib/api/errors";
import type { Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import { applyPaymentIntent, PI_EXPAND } from "@/lib/payments/apply-payment-intent";
import { applyPspRefund, findRefundForPsp } from "@/lib/refunds/apply-psp-refund";

export type ResyncResult = { paymentId: string; changes: { before: string; after: string; refunds: number } };

/** Refunds read per re-sync; a payment has few. */
const REFUNDS_PER_RESYNC_MAX = 100;

export async function resyncPaymentFromPsp(input: { merchantId: string; paymentId: string; actor: Actor; stripe: Stripe }): Promise<ResyncResult> {
  const payment = await db().payment.findFirst({
    where: { id: input.paymentId, merchantId: input.merchantId },
    select: { id: true, status: true, pspPaymentIntentId: true },
  });
  if (!payment) throw new AppError("resource_missing", `No such payment: '${input.paymentId}'`, { param: "payment" });
  if (!payment.pspPaymentIntentId) {
    throw new AppError("invalid_state_transition", `Payment ${payment.id} was never sent to the PSP; there is nothing to re-sync.`);
  }
  let pi: Stripe.PaymentIntent;
  try {
    pi = await input.stripe.paymentIntents.retrieve(payment.pspPaymentIntentId, { expand: PI_EXPAND });
  } catch (error) {
    throw new AppError("psp_unavailable", "The PSP could not be reached to re-sync this payment; try again.", { cause: error });
  }
  const applied = await applyPaymentIntent(payment.id, pi, input.actor);
  let refunds = 0;
  const list = await input.stripe.refunds.list({ payment_intent: pi.id, limit: REFUNDS_PER_RESYNC_MAX });
  for (const pspRefund of list.data) {
    const ours = await findRefundForPsp(pspRefund);
    if (!ours) continue;
    await applyPspRefund(ours.id, pspRefund, input.actor);
    refunds++;
  }
  return { paymentId: payment.id, changes: { before: payment.status, after: applied.payment.status, refunds } };
}
