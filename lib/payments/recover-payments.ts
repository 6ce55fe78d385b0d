// The exactly-once safety net: payments stuck in initiated/pending (a crash or an ambiguous PSP answer
// between any two steps) and authorized ones whose capture answer was lost are resolved from the PSP's
// truth. A PaymentIntent is found by its stored id, or by metadata['settle_payment_id'] when the crash
// came before we stored it. If the PSP has none, the create is re-driven with the SAME idempotency key:
// if the first call did reach the PSP it replays that PaymentIntent, otherwise it makes the one and only
// charge. Only after the PSP's key lifetime (24 h) has passed is the payment failed instead, because a
// replay is no longer guaranteed then.
import type Stripe from "stripe";
import type { Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { callPsp } from "@/lib/psp/psp-gateway";
import { applyPaymentIntent, PI_EXPAND } from "./apply-payment-intent";
import { drivePayment } from "./create-payment";
import { transitionPayment, type PaymentRow } from "./transition-payment";

const SYSTEM_ACTOR: Actor = { type: "system", id: "payments.recovery" };
export const RECOVERY_THRESHOLD_MS = 2 * 60_000;
const RECOVERY_BATCH_MAX = 200;
/** Stripe keeps idempotency keys for at least 24 hours; past that a re-drive could charge twice. */
const PSP_KEY_LIFETIME_MS = 23 * 3_600_000;

/** The PaymentIntent made for this payment, if the PSP has one (search by our metadata). */
export async function findPaymentIntentFor(payment: PaymentRow): Promise<Stripe.PaymentIntent | null> {
  const outcome = await callPsp("payment_intents.search", (stripe) =>
    stripe.paymentIntents.search({ query: `metadata['settle_payment_id']:'${payment.id}'`, limit: 10 }),
  );
  if (outcome.kind !== "ok") throw new Error(`PSP search failed for ${payment.id}: ${String((outcome as { error?: unknown }).error)}`);
  const found = outcome.value.data[0];
  if (!found) return null;
  if (outcome.value.data.length > 1) logger.error({ paymentId: payment.id, count: outcome.value.data.length }, "more than one PaymentIntent for a payment");
  const fresh = await callPsp("payment_intents.retrieve", (stripe) => stripe.paymentIntents.retrieve(found.id, { expand: PI_EXPAND }));
  return fresh.kind === "ok" ? fresh.value : found;
}

export type RecoveryOutcome = "applied" | "redriven" | "failed_abandoned" | "unreachable" | "skipped";

/** Resolves one payment from the PSP's truth. Safe to run concurrently with anything else. */
export async function recoverPayment(paymentId: string, actor: Actor = SYSTEM_ACTOR): Promise<RecoveryOutcome> {
  const payment = await db().payment.findUniqueOrThrow({ where: { id: paymentId } });
  if (!["initiated", "pending", "authorized"].includes(payment.status) || payment.paymentMethodType === "settle_wallet") {
    if (payment.paymentMethodType === "settle_wallet" && ["initiated", "pending"].includes(payment.status)) {
      await drivePayment(payment, actor).catch(() => undefined);
      return "redriven";
    }
    return "skipped";
  }
  let pi: Stripe.PaymentIntent | null = null;
  if (payment.pspPaymentIntentId) {
    const id = payment.pspPaymentIntentId;
    const outcome = await callPsp("payment_intents.retrieve", (stripe) => stripe.paymentIntents.retrieve(id, { expand: PI_EXPAND }));
    if (outcome.kind !== "ok") return "unreachable";
    pi = outcome.value;
  } else {
    try {
      pi = await findPaymentIntentFor(payment);
    } catch {
      return "unreachable";
    }
  }
  if (pi) {
    await applyPaymentIntent(payment.id, pi, actor);
    return "applied";
  }
  if (payment.status === "authorized") return "skipped";
  if (Date.now() - payment.createdAt.getTime() > PSP_KEY_LIFETIME_MS) {
    await db().$transaction((tx) =>
      transitionPayment(tx, {
        merchantId: payment.merchantId, paymentId: payment.id, from: ["initiated", "pending"], to: "failed", actor, reason: "recovery:abandoned",
        patch: { failureCode: "psp_unreachable", failureMessage: "The payment never reached the PSP and was abandoned." },
      }),
    );
    return "failed_abandoned";
  }
  await drivePayment(payment, actor).catch((error) => {
    // A decline is an answer (the payment is failed and stored); anything else is retried next run.
    if ((error as { code?: string }).code !== "card_declined") logger.warn({ err: error, paymentId }, "re-drive did not finish");
  });
  return "redriven";
}

/** One pass of the recovery job: payments not updated for `olderThanMs` in a non-final pre-capture status. */
export async function recoverStuckPayments(options: { olderThanMs?: number; limit?: number } = {}): Promise<Record<RecoveryOutcome, number>> {
  const cutoff = new Date(Date.now() - (options.olderThanMs ?? RECOVERY_THRESHOLD_MS));
  const limit = Math.min(options.limit ?? RECOVERY_BATCH_MAX, RECOVERY_BATCH_MAX);
  // Pre-capture ones first: long-lived manual authorisations must not starve them.
  const stuck = await db().payment.findMany({
    where: { status: { in: ["initiated", "pending"] }, updatedAt: { lt: cutoff } },
    orderBy: { updatedAt: "asc" },
    take: limit,
    select: { id: true },
  });
  if (stuck.length < limit) {
    stuck.push(
      ...(await db().payment.findMany({
        where: { status: "authorized", updatedAt: { lt: cutoff } },
        orderBy: { updatedAt: "asc" },
        take: limit - stuck.length,
        select: { id: true },
      })),
    );
  }
  const counts: Record<RecoveryOutcome, number> = { applied: 0, redriven: 0, failed_abandoned: 0, unreachable: 0, skipped: 0 };
  for (const { id } of stuck) {
    try {
      counts[await recoverPayment(id)]++;
    } catch (error) {
      counts.unreachable++;
      logger.error({ err: error, paymentId: id }, "payment recovery failed");
    }
  }
  return counts;
}
