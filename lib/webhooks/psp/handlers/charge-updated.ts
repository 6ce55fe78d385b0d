// charge.updated: a charge changed (e.g. its balance transaction arrived under async capture). Re-reads the truth from the PSP, so order and duplicates do not matter.
import type Stripe from "stripe";
import { type HandlerResult, syncChargeById } from "../sync-objects";

export async function handleChargeUpdated(event: Stripe.Event): Promise<HandlerResult> {
  const object = event.data.object as Stripe.Charge;
  return syncChargeById(object);
}
