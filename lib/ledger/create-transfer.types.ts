// POST /api/v1/transfers: request, and the transfer object every transfer endpoint returns.
import { z } from "zod";
import { ZListQuery } from "@/lib/api/pagination";
import { ZCurrencyCode, ZPositiveAmountMinor } from "@/lib/money";
import { ZJsonAmount } from "./account.types";

const ZMetadata = z
  .record(z.string().max(40), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
  .refine((value) => Object.keys(value).length <= 50, "metadata can have at most 50 keys");

export const ZCreateTransferRequest = z.strictObject({
  from_account: z.string().min(1).max(100),
  to_account: z.string().min(1).max(100),
  amount: ZPositiveAmountMinor,
  currency: ZCurrencyCode,
  description: z.string().min(1).max(500).optional(),
  metadata: ZMetadata.optional(),
});
export type TCreateTransferRequest = z.infer<typeof ZCreateTransferRequest>;

export const ZTransferDto = z.strictObject({
  id: z.string().startsWith("trf_"),
  object: z.literal("transfer"),
  from_account: z.string(),
  to_account: z.string(),
  amount: ZJsonAmount,
  currency: z.string().length(3),
  description: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  ledger_transaction: z.string().startsWith("txn_"),
  created: z.string(),
});
export type TTransferDto = z.infer<typeof ZTransferDto>;

export const ZListTransfersQuery = ZListQuery.extend({
  account: z.string().min(1).max(100).optional(),
});
export type TListTransfersQuery = z.infer<typeof ZListTransfersQuery>;

export type TransferRecord = {
  id: string;
  merchantId: string;
  fromAccountId: string;
  toAccountId: string;
  amountMinor: bigint;
  currency: string;
  description: string | null;
  metadata: Record<string, unknown>;
  transactionId: string;
  createdAt: Date;
};
