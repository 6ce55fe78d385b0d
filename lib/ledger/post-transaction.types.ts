// Input and output of postTransaction: the journal posting every money movement goes through.
import { z } from "zod";
import { ZCurrencyCode } from "@/lib/money";
import { SIDES } from "./chart-of-accounts";

/** A posting touches few accounts; a limit keeps one statement (and its row locks) small. */
export const ENTRIES_PER_TRANSACTION_MAX = 64;
const ZMetadata = z.record(z.string().max(40), z.unknown()).refine((value) => JSON.stringify(value).length <= 8_192, "metadata is limited to 8 KiB");

export const ZPostingEntry = z.strictObject({
  accountId: z.string().min(1).max(100),
  direction: z.enum(SIDES),
  amountMinor: z.bigint().positive().max(9223372036854775807n),
  currency: ZCurrencyCode,
});
export type TPostingEntry = z.input<typeof ZPostingEntry>;

export const ZFxDetails = z.strictObject({
  /** Units of the quote currency per unit of the base currency, as a decimal string ("0.9215"). */
  rate: z.string().regex(/^\d{1,20}(\.\d{1,18})?$/, "rate must be a positive decimal string"),
  base: ZCurrencyCode,
  quote: ZCurrencyCode,
  source: z.string().min(1).max(100),
  rateAt: z.date(),
});
export type TFxDetails = z.input<typeof ZFxDetails>;

export const ZPostTransactionRequest = z.strictObject({
  merchantId: z.string().min(1).max(100),
  entries: z.array(ZPostingEntry).min(2).max(ENTRIES_PER_TRANSACTION_MAX),
  description: z.string().min(1).max(1_000),
  /** Makes the posting idempotent per merchant, e.g. "payment:pay_…:capture". */
  externalRef: z.string().min(1).max(255).optional(),
  metadata: ZMetadata.optional(),
  reversesTransactionId: z.string().min(1).max(100).optional(),
  fx: ZFxDetails.optional(),
});
export type TPostTransactionRequest = z.input<typeof ZPostTransactionRequest>;

export type PostedEntry = {
  id: string;
  seq: bigint;
  accountId: string;
  direction: (typeof SIDES)[number];
  amountMinor: bigint;
  currency: string;
  /** The account's normal-side balance right after this entry. */
  balanceAfterMinor: bigint;
};

export type PostedTransaction = {
  id: string;
  merchantId: string;
  description: string;
  externalRef: string | null;
  reversesTransactionId: string | null;
  createdAt: Date;
  entries: PostedEntry[];
  /** True when `externalRef` had been posted before: nothing new was written, this is the earlier posting. */
  replayed: boolean;
};
