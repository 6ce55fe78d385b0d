// payment_intent.amount_capturable_updated: a manual-capture payment was authorised. Re-reads the truth from the PSP, so order and duplicates do not matter.
import type Stripe from "stripe";
import { type HandlerResult, syncPaymentIntentById } from "../sync-objects";

export async function handlePaymentIntentAmountCapturableUpdated(event: Stripe.Event): Promise<HandlerResult> {
  const object = event.data.object as Stripe.PaymentIntent;
  return syncPaymentIntentById(object);
}
