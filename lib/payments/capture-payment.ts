// Captures an authorised payment (all or part) at the PSP, then applies the PaymentIntent it returns:
// authorized → captured and the capture posting, in one transaction. Repeating a finished capture returns it.
import { AppError } from "@/lib/api/errors";
import type { Actor } from "@/lib/compliance/record-audit-event";
import { callPsp, pspErrorCode } from "@/lib/psp/psp-gateway";
import { applyPaymentIntent, PI_EXPAND, syncPaymentIntent } from "./apply-payment-intent";
import { getPaymentRowOrThrow } from "./get-payment";
import { toPaymentDto } from "./payment-dto";
import type { TPaymentDto } from "./payment.types";

export async function capturePayment(input: { merchantId: string; paymentId: string; amountToCapture?: bigint; actor: Actor }): Promise<TPaymentDto> {
  const payment = await getPaymentRowOrThrow(input.merchantId, input.paymentId);
  const amount = input.amountToCapture ?? payment.amount;
  if (["captured", "settled"].includes(payment.status) && payment.amountCaptured === amount) return toPaymentDto(payment);
  if (payment.status !== "authorized" || !payment.pspPaymentIntentId) {
    throw new AppError("invalid_state_transition", `Payment ${payment.id} is ${payment.status}; only an authorized payment can be captured.`);
  }
  if (amount > payment.amount) {
    throw new AppError("amount_too_large", `amount_to_capture (${amount}) is larger than the authorized amount (${payment.amount}).`, { param: "amount_to_capture" });
  }
  const piId = payment.pspPaymentIntentId;
  const outcome = await callPsp("payment_intents.capture", (stripe) =>
    stripe.paymentIntents.capture(piId, { amount_to_capture: Number(amount), expand: PI_EXPAND }, { idempotencyKey: `v1:payment:${payment.id}:capture:${amount}` }),
  );
  if (outcome.kind === "ok") return toPaymentDto((await applyPaymentIntent(payment.id, outcome.value, input.actor)).payment);
  if (outcome.kind === "ambiguous") {
    throw new AppError("psp_unavailable", `The PSP did not answer the capture of ${payment.id}; retry with the same Idempotency-Key.`);
  }
  // Refused: the PaymentIntent is not capturable any more (expired, canceled, captured elsewhere). Read the truth.
  const synced = await syncPaymentIntent(payment.id, piId, input.actor);
  const after = synced?.payment ?? payment;
  if (after.status === "captured" && after.amountCaptured === amount) return toPaymentDto(after);
  throw new AppError(
    pspErrorCode(outcome.error) === "amount_too_large" ? "amount_too_large" : "invalid_state_transition",
    `Payment ${payment.id} could not be captured: ${outcome.error.message}`,
    { param: pspErrorCode(outcome.error) === "amount_too_large" ? "amount_to_capture" : undefined },
  );
}
