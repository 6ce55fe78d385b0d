// The account history endpoint: query, entry object and the list with an optional as_of balance.
import { z } from "zod";
import { ZListQuery } from "@/lib/api/pagination";
import { SIDES } from "./chart-of-accounts";
import { ZJsonAmount } from "./account.types";

export const ZListEntriesQuery = ZListQuery.extend({
  /** ISO 8601 time: only entries up to then, and the account's balance at that moment. */
  as_of: z.iso.datetime({ offset: true }).transform((value) => new Date(value)).optional(),
});
export type TListEntriesQuery = z.infer<typeof ZListEntriesQuery>;

export const ZEntryDto = z.strictObject({
  id: z.string().startsWith("ent_"),
  object: z.literal("ledger_entry"),
  account: z.string(),
  transaction: z.string(),
  direction: z.enum(SIDES),
  amount: ZJsonAmount,
  currency: z.string().length(3),
  balance_after: ZJsonAmount,
  sequence: ZJsonAmount,
  description: z.string(),
  created: z.string(),
});
export type TEntryDto = z.infer<typeof ZEntryDto>;

export type LedgerEntryRecord = {
  id: string;
  seq: bigint;
  accountId: string;
  transactionId: string;
  direction: (typeof SIDES)[number];
  amountMinor: bigint;
  currency: string;
  balanceAfterMinor: bigint;
  description: string;
  createdAt: Date;
};
