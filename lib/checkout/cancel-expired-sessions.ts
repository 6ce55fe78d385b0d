// The checkout.cancel-expired job: once a checkout session has expired, the PaymentIntents of its attempts
// that the customer never confirmed are canceled at the PSP (else a customer still holding a client_secret
// could pay an expired checkout, and the PSP keeps open intents forever). Only intents in a state before
// confirmation are canceled: one that is processing (a bank debit), authorized or paid is left to the
// payments engine. Idempotent: the PSP call carries the payment's cancel key (v1:payment:<id>:cancel, the
// same key as cancelPayment), the payment transitions are guarded, and a session is marked handled
// (expiry_handled_at) only once every attempt is settled one way or the other.
import type Stripe from "stripe";
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { applyPaymentIntent, PI_EXPAND } from "@/lib/payments/apply-payment-intent";
import { cancelPayment } from "@/lib/payments/cancel-payment";
import { callPsp } from "@/lib/psp/psp-gateway";
import { attemptKey, CHECKOUT_ACTOR } from "./start-checkout-attempt";

/** Sessions handled per run; the next run (every minute) takes the rest. */
export const EXPIRED_SESSIONS_BATCH_SIZE = 50;
/** A confirmation already under way when the session expired (a 3-D Secure challenge) gets this long to land. */
export const EXPIRY_GRACE_MS = 2 * 60_000;
/** After this long past expiry a session is marked handled even if an attempt could not be settled (logged). */
export const EXPIRY_RETRY_MS = 24 * 3_600_000;
/** PaymentIntent states before the customer's confirmation went through: safe to cancel. */
const UNCONFIRMED = new Set<Stripe.PaymentIntent.Status>(["requires_payment_method", "requires_confirmation", "requires_action"]);

export type ExpiredSessionsResult = { sessions: number; canceled: number; left: number; retryLater: number };

type AttemptOutcome = "canceled" | "left" | "retry";

/** The cancel key of a payment: the same one cancelPayment sends, so the two can never cancel twice. */
export function pspCancelKey(paymentId: string): string {
  return `v1:payment:${paymentId}:cancel`;
}

async function releaseAttempt(payment: { id: string; merchantId: string; status: string; pspPaymentIntentId: string | null; paymentMethodType: string }): Promise<AttemptOutcome> {
  if (payment.paymentMethodType === "settle_wallet") return "left"; // no PSP involved
  if (payment.status === "initiated") {
    // Never reached the PSP (it is only called from pending): cancelPayment's guarded transition beats a racing attempt.
    try {
      await cancelPayment({ merchantId: payment.merchantId, paymentId: payment.id, reason: "abandoned", actor: CHECKOUT_ACTOR });
      return "canceled";
    } catch (error) {
      if (error instanceof AppError && error.code === "invalid_state_transition") return "retry"; // moved on meanwhile: look again next run
      throw error;
    }
  }
  if (!["pending", "failed"].includes(payment.status) || !payment.pspPaymentIntentId) {
    // review waits for a person; authorized, captured and the rest belong to the payments engine.
    // pending without an intent id is still being submitted (the recovery job resolves it): next run.
    return payment.status === "pending" ? "retry" : "left";
  }
  const piId = payment.pspPaymentIntentId;
  const current = await callPsp("payment_intents.retrieve", (stripe) => stripe.paymentIntents.retrieve(piId, { expand: PI_EXPAND }));
  if (current.kind !== "ok") return "retry";
  if (!UNCONFIRMED.has(current.value.status)) {
    if (payment.status === "pending") await applyPaymentIntent(payment.id, current.value, CHECKOUT_ACTOR); // processing, paid or canceled meanwhile
    return "left";
  }
  if (payment.status === "pending") {
    try {
      await cancelPayment({ merchantId: payment.merchantId, paymentId: payment.id, reason: "abandoned", actor: CHECKOUT_ACTOR });
      return "canceled";
    } catch (error) {
      if (error instanceof AppError && error.code === "psp_unavailable") return "retry";
      if (error instanceof AppError && error.code === "invalid_state_transition") return "left"; // confirmed in the meantime
      throw error;
    }
  }
  // A declined attempt: the payment is failed for good, its intent still waits for another card.
  const canceled = await callPsp("payment_intents.cancel", (stripe) =>
    stripe.paymentIntents.cancel(piId, { cancellation_reason: "abandoned", expand: PI_EXPAND }, { idempotencyKey: pspCancelKey(payment.id) }),
  );
  if (canceled.kind === "ok") {
    await applyPaymentIntent(payment.id, canceled.value, CHECKOUT_ACTOR); // records the PSP state; failed stays failed
    return "canceled";
  }
  return canceled.kind === "ambiguous" ? "retry" : "left"; // a definite refusal: no longer cancelable
}

export async function cancelExpiredCheckoutSessions(options: { now?: Date; batchSize?: number } = {}): Promise<ExpiredSessionsResult> {
  const now = options.now ?? new Date();
  const sessions = await db().checkoutSession.findMany({
    where: { expiryHandledAt: null, expiresAt: { lte: new Date(now.getTime() - EXPIRY_GRACE_MS) } },
    orderBy: { expiresAt: "asc" },
    take: options.batchSize ?? EXPIRED_SESSIONS_BATCH_SIZE,
    select: { id: true, merchantId: true, attempt: true, status: true, expiresAt: true },
  });
  const result: ExpiredSessionsResult = { sessions: 0, canceled: 0, left: 0, retryLater: 0 };
  for (const session of sessions) {
    const keys = Array.from({ length: session.attempt }, (_, index) => attemptKey(session.id, index + 1));
    const payments = keys.length === 0 ? [] : await db().payment.findMany({
      where: { merchantId: session.merchantId, idempotencyKey: { in: keys } },
      select: { id: true, merchantId: true, status: true, pspPaymentIntentId: true, paymentMethodType: true },
    });
    let retry = false;
    for (const payment of payments) {
      let outcome: AttemptOutcome;
      try {
        outcome = await releaseAttempt(payment);
      } catch (error) {
        logger.error({ err: error, sessionId: session.id, paymentId: payment.id }, "checkout expiry: could not release an attempt");
        outcome = "retry";
      }
      if (outcome === "canceled") result.canceled++;
      else if (outcome === "left") result.left++;
      else {
        result.retryLater++;
        retry = true;
      }
    }
    if (session.status === "open") await db().checkoutSession.updateMany({ where: { id: session.id, status: "open" }, data: { status: "expired" } });
    const givingUp = retry && now.getTime() - session.expiresAt.getTime() > EXPIRY_RETRY_MS;
    if (givingUp) logger.error({ sessionId: session.id }, "checkout expiry: an attempt is still unsettled a day after expiry; giving up on it");
    if (!retry || givingUp) {
      await db().checkoutSession.updateMany({ where: { id: session.id, expiryHandledAt: null }, data: { expiryHandledAt: now } });
      result.sessions++;
    }
  }
  return result;
}
