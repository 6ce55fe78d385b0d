// charge.dispute.funds_withdrawn: the disputed amount and fee left the balance. Re-reads the truth from the PSP, so order and duplicates do not matter.
import type Stripe from "stripe";
import { type HandlerResult, syncDisputeById } from "../sync-objects";

export async function handleChargeDisputeFundsWithdrawn(event: Stripe.Event): Promise<HandlerResult> {
  const object = event.data.object as Stripe.Dispute;
  return syncDisputeById(object.id);
}
