// payment_intent.payment_failed: a decline, a failed 3-D Secure or a failed bank debit. Re-reads the truth from the PSP, so order and duplicates do not matter.
import type Stripe from "stripe";
import { type HandlerResult, syncPaymentIntentById } from "../sync-objects";

export async function handlePaymentIntentPaymentFailed(event: Stripe.Event): Promise<HandlerResult> {
  const object = event.data.object as Stripe.PaymentIntent;
  return syncPaymentIntentById(object);
}
