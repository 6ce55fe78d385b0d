// What PSP event handlers do: find the Settle object an event is about and re-read its current truth from
// the PSP (the payload may be stale or out of order), then apply it through the domain's one reconciler.
import type Stripe from "stripe";
import type { Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import { syncDispute } from "@/lib/disputes/sync-dispute";
import { applyPaymentIntent, PI_EXPAND } from "@/lib/payments/apply-payment-intent";
import { runSettlementSweep } from "@/lib/payments/settle-payments";
import { callPsp } from "@/lib/psp/psp-gateway";
import { applyPspRefund, findRefundForPsp } from "@/lib/refunds/apply-psp-refund";

export type HandlerResult = "processed" | "ignored";
export type PspEventHandler = (event: Stripe.Event) => Promise<HandlerResult>;

const WEBHOOK_ACTOR: Actor = { type: "system", id: "psp.webhook" };

function unreachable(what: string): Error {
  return new Error(`PSP unreachable while reading ${what}; will retry`);
}

/** Re-reads a PaymentIntent and applies it to the payment it belongs to (by PSP id, else by our metadata). */
export async function syncPaymentIntentById(piId: string): Promise<HandlerResult> {
  const outcome = await callPsp("payment_intents.retrieve", (stripe) => stripe.paymentIntents.retrieve(piId, { expand: PI_EXPAND }));
  if (outcome.kind === "invalid") return "ignored";
  if (outcome.kind !== "ok") throw unreachable(piId);
  const pi = outcome.value;
  const payment =
    (await db().payment.findUnique({ where: { pspPaymentIntentId: pi.id }, select: { id: true } })) ??
    (pi.metadata?.settle_payment_id ? await db().payment.findUnique({ where: { id: pi.metadata.settle_payment_id }, select: { id: true } }) : null);
  if (!payment) return "ignored";
  await applyPaymentIntent(payment.id, pi, WEBHOOK_ACTOR);
  return "processed";
}

export async function syncChargeById(chargeOrObject: string | Stripe.Charge): Promise<HandlerResult> {
  const piId = typeof chargeOrObject === "string" ? null : typeof chargeOrObject.payment_intent === "string" ? chargeOrObject.payment_intent : chargeOrObject.payment_intent?.id;
  if (piId) return syncPaymentIntentById(piId);
  const id = typeof chargeOrObject === "string" ? chargeOrObject : chargeOrObject.id;
  const outcome = await callPsp("charges.retrieve", (stripe) => stripe.charges.retrieve(id));
  if (outcome.kind === "invalid") return "ignored";
  if (outcome.kind !== "ok") throw unreachable(id);
  const pi = outcome.value.payment_intent;
  return pi ? syncPaymentIntentById(typeof pi === "string" ? pi : pi.id) : "ignored";
}

/** Re-reads a refund and applies it to our refund (refunds not made by Settle, e.g. released authorisations, are ignored). */
export async function syncRefundById(refundId: string): Promise<HandlerResult> {
  const outcome = await callPsp("refunds.retrieve", (stripe) => stripe.refunds.retrieve(refundId));
  if (outcome.kind === "invalid") return "ignored";
  if (outcome.kind !== "ok") throw unreachable(refundId);
  const ours = await findRefundForPsp(outcome.value);
  if (!ours) return "ignored";
  await applyPspRefund(ours.id, outcome.value, WEBHOOK_ACTOR);
  return "processed";
}

/** charge.refunded does not carry the refunds any more: list them and sync ours. */
export async function syncRefundsOfCharge(charge: Stripe.Charge): Promise<HandlerResult> {
  const outcome = await callPsp("refunds.list", (stripe) => stripe.refunds.list({ charge: charge.id, limit: 100 }));
  if (outcome.kind === "invalid") return "ignored";
  if (outcome.kind !== "ok") throw unreachable(charge.id);
  let result: HandlerResult = "ignored";
  for (const refund of outcome.value.data) if ((await syncRefundById(refund.id)) === "processed") result = "processed";
  return result;
}

export async function syncDisputeById(disputeId: string): Promise<HandlerResult> {
  return (await syncDispute(disputeId, WEBHOOK_ACTOR)) ? "processed" : "ignored";
}

export async function runSettlement(): Promise<HandlerResult> {
  await runSettlementSweep({ limit: 100 });
  return "processed";
}
