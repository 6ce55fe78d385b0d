// POST /api/v1/reviews/screen: screen a payment or transfer the merchant is about to make (AML
// thresholds, aggregates, structuring, and sanctions on the counterparty's name).
import { z } from "zod";
import { ZCurrencyCode, ZPositiveAmountMinor } from "@/lib/money";

export const ZScreenTransactionRequest = z.strictObject({
  subject_type: z.enum(["payment", "transfer"]),
  /** The merchant's id for the payment or transfer being screened (pay_…, trf_… or its own reference). */
  subject_id: z.string().trim().min(1).max(100),
  amount: ZPositiveAmountMinor,
  currency: ZCurrencyCode,
  customer: z.string().min(1).max(100).optional(),
  /** Screened against the loaded sanctions lists. */
  customer_name: z.string().trim().min(1).max(500).optional(),
  /** For transfers, the travel-rule data. */
  originator_name: z.string().trim().min(1).max(500).optional(),
  beneficiary_name: z.string().trim().min(1).max(500).optional(),
});
export type TScreenTransactionRequest = z.infer<typeof ZScreenTransactionRequest>;
