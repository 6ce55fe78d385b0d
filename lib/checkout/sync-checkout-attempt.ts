// After Stripe.js confirmed in the browser, the page asks Settle to re-read the truth from the PSP:
// the PaymentIntent is fetched with the secret key (never trusted from the browser) and applied through
// the payments engineer's applyPaymentIntent; the session completes when its payment went through.
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { applyPaymentIntent, PI_EXPAND } from "@/lib/payments/apply-payment-intent";
import { findPaymentIntentFor } from "@/lib/payments/recover-payments";
import { callPsp } from "@/lib/psp/psp-gateway";
import { attemptDto, CHECKOUT_ACTOR, finishIfPaid, type CheckoutAttemptDto } from "./start-checkout-attempt";

function methodTypeOf(pmType: string | undefined): string | null {
  if (!pmType) return null;
  if (pmType === "us_bank_account" || pmType === "sepa_debit") return "bank_debit";
  return "card";
}

export async function syncCheckoutAttempt(input: { sessionId: string; attempt: number }): Promise<CheckoutAttemptDto> {
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
  }
  payment = await finishIfPaid(session.id);
  return attemptDto(session.attempt, payment, pi);
}
