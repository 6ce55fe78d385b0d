// Ledger accounts as stored (LedgerAccount) and as the API shows them (ZAccountDto), plus the request schemas.
import { z } from "zod";
import { ZListQuery } from "@/lib/api/pagination";
import { ZCurrencyCode } from "@/lib/money";
import { ACCOUNT_STATUSES, ACCOUNT_TYPES, API_ACCOUNT_PURPOSES, SIDES, type AccountStatus, type AccountType, type Side } from "./chart-of-accounts";

export type LedgerAccount = {
  id: string;
  merchantId: string;
  currency: string;
  type: AccountType;
  normalSide: Side;
  code: string | null;
  purpose: string;
  name: string;
  customerRef: string | null;
  floorMinor: bigint | null;
  status: AccountStatus;
  balanceMinor: bigint;
  version: bigint;
  metadata: Record<string, unknown>;
  createdAt: Date;
};

/** JSON amount: a number while exact, a digit string beyond 2^53 (see amountToJson). */
export const ZJsonAmount = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]);

export const ZAccountDto = z.strictObject({
  id: z.string().startsWith("acct_"),
  object: z.literal("account"),
  currency: z.string().length(3),
  type: z.enum(ACCOUNT_TYPES),
  normal_balance: z.enum(SIDES),
  purpose: z.string(),
  code: z.string().nullable(),
  name: z.string(),
  status: z.enum(ACCOUNT_STATUSES),
  balance: ZJsonAmount,
  /** What may still leave the account: balance − floor (null when there is no floor). */
  available: ZJsonAmount.nullable(),
  floor: ZJsonAmount.nullable(),
  customer: z.string().nullable(),
  version: ZJsonAmount,
  metadata: z.record(z.string(), z.unknown()),
  created: z.string(),
});
export type TAccountDto = z.infer<typeof ZAccountDto>;

const ZMetadata = z
  .record(z.string().max(40), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
  .refine((value) => Object.keys(value).length <= 50, "metadata can have at most 50 keys");

export const ZCreateAccountRequest = z.strictObject({
  currency: ZCurrencyCode,
  /** A customer's wallet, or a balance of the merchant's own; both are liabilities with a floor of 0. */
  purpose: z.enum(API_ACCOUNT_PURPOSES).default("customer_wallet"),
  customer: z.string().min(1).max(100).optional(),
  name: z.string().min(1).max(200).optional(),
  metadata: ZMetadata.optional(),
});
export type TCreateAccountRequest = z.infer<typeof ZCreateAccountRequest>;

export const ZListAccountsQuery = ZListQuery.extend({
  currency: ZCurrencyCode.optional(),
  customer: z.string().min(1).max(100).optional(),
});
export type TListAccountsQuery = z.infer<typeof ZListAccountsQuery>;
