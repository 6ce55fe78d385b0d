// The ONE place the payment lifecycle hands events to merchant webhooks (payment.*, refund.*, dispute.*),
// always inside the transaction of the change it announces, so an event exists iff the change committed.
import type { Tx } from "@/lib/db/client";
import { enqueueMerchantEvent, merchantEventOutbox, type MerchantEventOutbox } from "@/lib/notifications/enqueue-merchant-event";

export type MerchantEventInput = {
  merchantId: string;
  /** e.g. payment.captured, refund.succeeded, dispute.lost */
  type: string;
  objectType: "payment" | "refund" | "dispute";
  objectId: string;
  objectVersion: number;
  payload: Record<string, unknown>;
};

export async function notifyMerchant(tx: Tx, event: MerchantEventInput): Promise<void> {
  await enqueueMerchantEvent(tx, event);
}

/**
 * The same event as rows for the caller to write: its INSERT inside a statement of the caller's, then its
 * deliveries (transitionPayment writes history, audit and event in one statement).
 */
export function merchantNotice(event: MerchantEventInput): MerchantEventOutbox {
  return merchantEventOutbox(event);
}
