// The receipt a customer sees (page and email): display strings only, nothing internal.
import { z } from "zod";

/** Optional line items in payment metadata: `line_items` as an array or a JSON string of one. */
export const ZMetadataLineItems = z
  .array(
    z.object({
      description: z.string().trim().min(1).max(200).optional(),
      name: z.string().trim().min(1).max(200).optional(),
      quantity: z.coerce.number().int().min(1).max(1_000_000).default(1),
      /** Unit amount in minor units. */
      amount: z.union([z.number().int(), z.string().regex(/^-?\d{1,18}$/)]),
    }),
  )
  .min(1)
  .max(100);

export type ReceiptLineItem = { description: string; quantity: number; unitAmount: string; amount: string };

export type Receipt = {
  receiptNumber: string;
  token: string;
  paymentId: string;
  merchantId: string;
  merchant: { name: string; country: string };
  /** "paid", "partially_refunded" or "refunded". */
  status: "paid" | "partially_refunded" | "refunded";
  paidAt: string;
  currency: string;
  amountPaid: string;
  amountRefunded: string | null;
  amountNet: string;
  description: string | null;
  statementDescriptor: string | null;
  lineItems: ReceiptLineItem[];
  paymentMethod: { type: string; brand: string | null; last4: string | null; wallet: string | null } | null;
  customerId: string | null;
};
