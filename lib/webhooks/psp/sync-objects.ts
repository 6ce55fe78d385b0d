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

/** "deferred": not now — the event stays stored and is processed again shortly (see CREATE_IN_FLIGHT_MS). */
export type HandlerResult = "processed" | "ignored" | "deferred";
export type PspEventHandler = (event: Stripe.Event) => Promise<HandlerResult>;

const WEBHOOK_ACTOR: Actor = { type: "system", id: "psp.webhook" };

function unreachable(what: string): Error {
  return new Error(`PSP unreachable while reading ${what}; will retry`);
}

/**
 * A payment whose PaymentIntent create call is still in flight (pending, no PaymentIntent id stored yet,
 * changed within this window) is being driven by the request that made it, which applies the PSP's
 * answer itself: its webhooks are deferred rather than racing it for the row (they are re-processed
 * from psp_events afterwards, by then usually a no-op). A request that died leaves the payment to these
 * deferred events and to the recovery job.
 */
export const CREATE_IN_FLIGHT_MS = 30_000;

/**
 * What an event about a PaymentIntent (or one of its charges) needs, judged from our own rows without
 * calling the PSP (one indexed read):
 * - "known": nothing new — the payment already holds a final PaymentIntent status (succeeded/canceled,
 *   applied with its transitions in one transaction; a final status does not change) for the same
 *   charge, or exactly the status and charge the payload carries;
 * - "in_flight": the create call that made the PaymentIntent has not been applied yet (CREATE_IN_FLIGHT_MS);
 * - "apply": anything else (not known, a payload ahead of us): re-read from the PSP and apply.
 * Refunds, disputes and balance changes have handlers of their own.
 */
async function whatIsNew(piId: string, settlePaymentId: string | undefined, payload: { status?: string; chargeId: string | null }): Promise<"known" | "in_flight" | "apply"> {
  const rows = await db().$queryRaw<{ psp_payment_intent_id: string | null; psp_status: string | null; psp_charge_id: string | null; in_flight: boolean }[]>`
    select p.psp_payment_intent_id, s.psp_status, p.psp_charge_id,
           (p.status = 'pending' and p.psp_payment_intent_id is null and p.updated_at > now() - make_interval(secs => ${CREATE_IN_FLIGHT_MS / 1000})) as in_flight
    from payments p left join payment_psp_states s on s.payment_id = p.id
    where p.psp_payment_intent_id = ${piId} or p.id = ${settlePaymentId ?? null}
    order by (p.psp_payment_intent_id = ${piId}) desc nulls last
    limit 1`;
  const row = rows[0];
  if (!row) return "apply";
  if (row.in_flight) return "in_flight";
  if (row.psp_payment_intent_id !== piId || !row.psp_status) return "apply";
  const sameCharge = payload.chargeId === null || payload.chargeId === row.psp_charge_id;
  if (row.psp_status === "succeeded" || row.psp_status === "canceled") return sameCharge ? "known" : "apply";
  return payload.status === row.psp_status && sameCharge ? "known" : "apply";
}

function verdict(found: "known" | "in_flight" | "apply"): HandlerResult | null {
  return found === "known" ? "processed" : found === "in_flight" ? "deferred" : null;
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  return value == null ? null : typeof value === "string" ? value : value.id;
}

/**
 * Re-reads a PaymentIntent and applies it to the payment it belongs to (by PSP id, else by our metadata).
 * Given the event's PaymentIntent, an event that brings nothing new is a no-op (no PSP call, no
 * transaction), and one for a create call still in flight is deferred (whatIsNew).
 */
export async function syncPaymentIntentById(piOrId: string | Stripe.PaymentIntent): Promise<HandlerResult> {
  const piId = typeof piOrId === "string" ? piOrId : piOrId.id;
  if (typeof piOrId !== "string") {
    const early = verdict(await whatIsNew(piId, piOrId.metadata?.settle_payment_id, { status: piOrId.status, chargeId: idOf(piOrId.latest_charge) }));
    if (early) return early;
  }
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

/**
 * Syncs the PaymentIntent of a charge. `skipIfKnown` (charge.succeeded/captured/failed): a charge of a
 * payment whose PaymentIntent is already final here brings nothing new; one whose create call is in
 * flight is deferred. Not for charge.updated, which may carry a balance transaction (fee, exchange rate)
 * learned late.
 */
export async function syncChargeById(chargeOrObject: string | Stripe.Charge, options: { skipIfKnown?: boolean } = {}): Promise<HandlerResult> {
  const piId = typeof chargeOrObject === "string" ? null : idOf(chargeOrObject.payment_intent);
  if (piId && options.skipIfKnown && typeof chargeOrObject !== "string") {
    const early = verdict(await whatIsNew(piId, chargeOrObject.metadata?.settle_payment_id, { chargeId: chargeOrObject.id }));
    if (early) return early;
  }
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
