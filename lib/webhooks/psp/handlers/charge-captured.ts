// charge.captured: a manual-capture charge was captured. Re-reads the truth from the PSP, so order and duplicates do not matter.
import type Stripe from "stripe";
import { type HandlerResult, syncChargeById } from "../sync-objects";

export async function handleChargeCaptured(event: Stripe.Event): Promise<HandlerResult> {
  const object = event.data.object as Stripe.Charge;
  return syncChargeById(object, { skipIfKnown: true });
}
