// After Stripe.js confirmed in the browser, the page asks Settle to re-read the truth from the PSP:
// the PaymentIntent is fetched with the secret key (never trusted from the browser) and applied through
// the payments engineer's applyPaymentIntent; the session completes when its payment went through.
import type Stripe from "stripe";
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { applyPaymentIntent, PI_EXPAND } from "@/lib/payments/apply-payment-intent";
import { customerEmailForRisk, recordPaymentOutcome, type PaymentRiskContext } from "@/lib/payments/create-payment";
import { findPaymentIntentFor } from "@/lib/payments/recover-payments";
import { logger } from "@/lib/log/logger";
import { callPsp } from "@/lib/psp/psp-gateway";
import { attemptDto, CHECKOUT_ACTOR, finishIfPaid, type CheckoutAttemptDto } from "./start-checkout-attempt";

function methodTypeOf(pmType: string | undefined): string | null {
  if (!pmType) return null;
  if (pmType === "us_bank_account" || pmType === "sepa_debit") return "bank_debit";
  return "card";
}

/**
 * The card's facts as the PSP knows them after the browser confirmed (the card never passes through Settle):
 * fingerprint, issuing country and billing country, for the fraud history.
 */
function cardFactsOf(pi: Stripe.PaymentIntent): Pick<PaymentRiskContext, "cardFingerprint" | "cardCountry" | "billingCountry"> {
  // A declined confirm detaches the method from the PaymentIntent; the error carries it (as with Stripe).
  const pm = pi.payment_method ?? pi.last_payment_error?.payment_method ?? null;
  if (!pm || typeof pm === "string") return {};
  return { cardFingerprint: pm.card?.fingerprint ?? null, cardCountry: pm.card?.country ?? null, billingCountry: pm.billing_details?.address?.country ?? null };
}

/** `ipAddress`: the shopper's (the browser that asks for the sync), for the fraud history. */
export async function syncCheckoutAttempt(input: { sessionId: string; attempt: number; ipAddress?: string | null }): Promise<CheckoutAttemptDto> {
  const session = await db().checkoutSession.findUnique({ where: { id: input.sessionId } });
  if (!session) throw new AppError("resource_missing", `No such checkout session: '${input.sessionId}'`, { param: "id" });
  if (!session.paymentId) throw new AppError("invalid_state_transition", "Nothing to check yet: this checkout has no payment attempt.");
  let payment = await db().payment.findUniqueOrThrow({ where: { id: session.paymentId } });
  if (payment.paymentMethodType === "settle_wallet") return attemptDto(session.attempt, await finishIfPaid(session.id), null);

  let pi = null;
  if (payment.pspPaymentIntentId) {
    const id = payment.pspPaymentIntentId;
    const outcome = await callPsp("payment_intents.retrieve", (stripe) => stripe.paymentIntents.retrieve(id, { expand: [...PI_EXPAND, "payment_method"] }));
    if (outcome.kind !== "ok") throw new AppError("psp_unavailable", "The payment service did not answer. Your payment is safe; try again in a moment.");
    pi = outcome.value;
  } else {
    pi = await findPaymentIntentFor(payment).catch(() => null);
  }
  if (pi) {
    payment = (await applyPaymentIntent(payment.id, pi, CHECKOUT_ACTOR)).payment;
    const pm = pi.payment_method;
    const pmId = typeof pm === "string" ? pm : pm?.id;
    const type = methodTypeOf(typeof pm === "object" && pm ? pm.type : undefined);
    if (pmId && payment.paymentMethod === "") {
      await db().payment.updateMany({ where: { id: payment.id, paymentMethod: "" }, data: { paymentMethod: pmId, ...(type ? { paymentMethodType: type } : {}) } });
    }
    // The attempt's outcome joins the fraud history (once per payment), so card, email and IP velocity see
    // checkout declines as they see API ones; the next attempt's risk step reads it.
    const context: PaymentRiskContext = {
      ipAddress: input.ipAddress ?? null, email: await customerEmailForRisk(session.merchantId, session.customerId), ...cardFactsOf(pi),
    };
    await recordPaymentOutcome(payment, context).catch((error) => logger.warn({ err: error, paymentId: payment.id }, "could not record the checkout attempt"));
  }
  payment = await finishIfPaid(session.id);
  return attemptDto(session.attempt, payment, pi);
}
