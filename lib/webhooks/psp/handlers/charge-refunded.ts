// charge.refunded: a refund was made on the charge (the payload has no refund list: list them). Re-reads the truth from the PSP, so order and duplicates do not matter.
import type Stripe from "stripe";
import { type HandlerResult, syncRefundsOfCharge } from "../sync-objects";

export async function handleChargeRefunded(event: Stripe.Event): Promise<HandlerResult> {
  const object = event.data.object as Stripe.Charge;
  return syncRefundsOfCharge(object);
}
