// Cancels a payment that has not been captured: locally when the PSP was never called (review, or
// initiated), else at the PSP first, applying the PaymentIntent it returns.
import { AppError } from "@/lib/api/errors";
import type { Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import { callPsp } from "@/lib/psp/psp-gateway";
import { applyPaymentIntent, PI_EXPAND, syncPaymentIntent } from "./apply-payment-intent";
import { getPaymentRowOrThrow } from "./get-payment";
import { toPaymentDto } from "./payment-dto";
import type { TPaymentDto } from "./payment.types";
import { findPaymentIntentFor } from "./recover-payments";
import { transitionPayment } from "./transition-payment";

export async function cancelPayment(input: {
  merchantId: string;
  paymentId: string;
  reason?: "duplicate" | "fraudulent" | "requested_by_customer" | "abandoned";
  actor: Actor;
}): Promise<TPaymentDto> {
  let payment = await getPaymentRowOrThrow(input.merchantId, input.paymentId);
  if (payment.status === "canceled") return toPaymentDto(payment);
  if (payment.status === "review" || (payment.status === "initiated" && payment.paymentMethodType !== "settle_wallet")) {
    // The PSP is only ever called from pending, so nothing exists there; the guarded transition beats a racing create.
    const result = await db().$transaction((tx) =>
      transitionPayment(tx, { merchantId: payment.merchantId, paymentId: payment.id, from: [payment.status as "review" | "initiated"], to: "canceled", actor: input.actor, reason: input.reason ?? "canceled" }),
    );
    return toPaymentDto(result.payment);
  }
  if (!["pending", "authorized"].includes(payment.status)) {
    throw new AppError("invalid_state_transition", `Payment ${payment.id} is ${payment.status}; it cannot be canceled.`);
  }
  let piId = payment.pspPaymentIntentId;
  if (!piId) {
    const pi = await findPaymentIntentFor(payment);
    if (!pi) throw new AppError("invalid_state_transition", `Payment ${payment.id} is still being submitted to the PSP; retry the cancel shortly.`);
    payment = (await applyPaymentIntent(payment.id, pi, input.actor)).payment;
    piId = pi.id;
  }
  const id = piId;
  const outcome = await callPsp("payment_intents.cancel", (stripe) =>
    stripe.paymentIntents.cancel(id, { ...(input.reason ? { cancellation_reason: input.reason } : {}), expand: PI_EXPAND }, { idempotencyKey: `v1:payment:${payment.id}:cancel` }),
  );
  if (outcome.kind === "ok") return toPaymentDto((await applyPaymentIntent(payment.id, outcome.value, input.actor)).payment);
  if (outcome.kind === "ambiguous") throw new AppError("psp_unavailable", `The PSP did not answer the cancel of ${payment.id}; retry with the same Idempotency-Key.`);
  const synced = await syncPaymentIntent(payment.id, id, input.actor);
  const after = synced?.payment ?? payment;
  if (after.status === "canceled") return toPaymentDto(after);
  throw new AppError("invalid_state_transition", `Payment ${payment.id} is ${after.status} at the PSP; it cannot be canceled (${outcome.error.message}).`);
}
