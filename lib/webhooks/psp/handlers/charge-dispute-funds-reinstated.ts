// charge.dispute.funds_reinstated: a won dispute returned the funds. Re-reads the truth from the PSP, so order and duplicates do not matter.
import type Stripe from "stripe";
import { type HandlerResult, syncDisputeById } from "../sync-objects";

export async function handleChargeDisputeFundsReinstated(event: Stripe.Event): Promise<HandlerResult> {
  const object = event.data.object as Stripe.Dispute;
  return syncDisputeById(object.id);
}
