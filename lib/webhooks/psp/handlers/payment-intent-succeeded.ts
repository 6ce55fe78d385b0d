// payment_intent.succeeded: the payment was captured (or a bank debit succeeded). Re-reads the truth from the PSP, so order and duplicates do not matter.
import type Stripe from "stripe";
import { type HandlerResult, syncPaymentIntentById } from "../sync-objects";

export async function handlePaymentIntentSucceeded(event: Stripe.Event): Promise<HandlerResult> {
  const object = event.data.object as Stripe.PaymentIntent;
  return syncPaymentIntentById(object);
}
