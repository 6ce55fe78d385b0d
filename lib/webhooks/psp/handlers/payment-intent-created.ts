// payment_intent.created: a new PaymentIntent (ours carry metadata.settle_payment_id). Re-reads the truth from the PSP, so order and duplicates do not matter.
import type Stripe from "stripe";
import { type HandlerResult, syncPaymentIntentById } from "../sync-objects";

export async function handlePaymentIntentCreated(event: Stripe.Event): Promise<HandlerResult> {
  const object = event.data.object as Stripe.PaymentIntent;
  return syncPaymentIntentById(object);
}
