// The ONE place the payment lifecycle hands events to merchant webhooks (payment.*, refund.*, dispute.*),
// always inside the transaction of the change it announces, so an event exists iff the change committed.
import type { Tx } from "@/lib/db/client";
import { enqueueMerchantEvent } from "@/lib/notifications/enqueue-merchant-event";

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
