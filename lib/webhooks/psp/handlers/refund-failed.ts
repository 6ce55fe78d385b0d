// refund.failed: a refund failed, possibly after it had succeeded. Re-reads the truth from the PSP, so order and duplicates do not matter.
import type Stripe from "stripe";
import { type HandlerResult, syncRefundById } from "../sync-objects";

export async function handleRefundFailed(event: Stripe.Event): Promise<HandlerResult> {
  const object = event.data.object as Stripe.Refund;
  return syncRefundById(object.id);
}
