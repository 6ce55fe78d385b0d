// balance.available: balance transactions became available: settle what is due. Re-reads the truth from the PSP, so order and duplicates do not matter.
import type Stripe from "stripe";
import { type HandlerResult, runSettlement } from "../sync-objects";

export async function handleBalanceAvailable(_event: Stripe.Event): Promise<HandlerResult> {
  return runSettlement();
}
