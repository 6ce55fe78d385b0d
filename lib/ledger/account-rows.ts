// Reading ledger_accounts rows and turning them into LedgerAccount and the API's account object.
import { amountToJson } from "@/lib/money";
import type { AccountStatus, AccountType, Side } from "./chart-of-accounts";
import { type LedgerAccount, type TAccountDto, ZAccountDto } from "./account.types";

export const ACCOUNT_COLUMNS = `id, merchant_id, currency::text AS currency, type::text AS type, normal_side::text AS normal_side,
  code, purpose, name, customer_ref, floor_minor, status::text AS status, balance_minor, version, metadata, created_at`;

export type AccountRow = {
  id: string;
  merchant_id: string;
  currency: string;
  type: string;
  normal_side: string;
  code: string | null;
  purpose: string;
  name: string;
  customer_ref: string | null;
  floor_minor: bigint | null;
  status: string;
  balance_minor: bigint;
  version: bigint;
  metadata: Record<string, unknown> | null;
  created_at: Date;
};

export function accountFromRow(row: AccountRow): LedgerAccount {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    currency: row.currency,
    type: row.type as AccountType,
    normalSide: row.normal_side as Side,
    code: row.code,
    purpose: row.purpose,
    name: row.name,
    customerRef: row.customer_ref,
    floorMinor: row.floor_minor === null ? null : BigInt(row.floor_minor),
    status: row.status as AccountStatus,
    balanceMinor: BigInt(row.balance_minor),
    version: BigInt(row.version),
    metadata: row.metadata ?? {},
    createdAt: row.created_at,
  };
}

export function toAccountDto(account: LedgerAccount): TAccountDto {
  return ZAccountDto.parse({
    id: account.id,
    object: "account",
    currency: account.currency,
    type: account.type,
    normal_balance: account.normalSide,
    purpose: account.purpose,
    code: account.code,
    name: account.name,
    status: account.status,
    balance: amountToJson(account.balanceMinor),
    available: account.floorMinor === null ? null : amountToJson(account.balanceMinor - account.floorMinor),
    floor: account.floorMinor === null ? null : amountToJson(account.floorMinor),
    customer: account.customerRef,
    version: amountToJson(account.version),
    metadata: account.metadata,
    created: account.createdAt.toISOString(),
  });
}
