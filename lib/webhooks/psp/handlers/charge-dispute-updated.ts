// charge.dispute.updated: a dispute changed (evidence, escalation). Re-reads the truth from the PSP, so order and duplicates do not matter.
import type Stripe from "stripe";
import { type HandlerResult, syncDisputeById } from "../sync-objects";

export async function handleChargeDisputeUpdated(event: Stripe.Event): Promise<HandlerResult> {
  const object = event.data.object as Stripe.Dispute;
  return syncDisputeById(object.id);
}
