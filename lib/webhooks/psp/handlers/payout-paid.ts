// payout.paid: a payout arrived: settle what is due. Re-reads the truth from the PSP, so order and duplicates do not matter.
import type Stripe from "stripe";
import { type HandlerResult, runSettlement } from "../sync-objects";

export async function handlePayoutPaid(_event: Stripe.Event): Promise<HandlerResult> {
  return runSettlement();
}
