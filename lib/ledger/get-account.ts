// One account of the merchant, with its current balance (an O(1) read of the cached balance).
import { AppError } from "@/lib/api/errors";
import { sqlPool } from "@/lib/db/client";
import type { LedgerAccount, TAccountDto } from "./account.types";
import { ACCOUNT_COLUMNS, type AccountRow, accountFromRow, toAccountDto } from "./account-rows";
import { querySql, type SqlClient } from "./sql";

export async function findAccount(client: SqlClient, input: { merchantId: string; accountId: string }): Promise<LedgerAccount | null> {
  const [row] = await querySql<AccountRow>(client, `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE id = $1 AND merchant_id = $2`, [
    input.accountId,
    input.merchantId,
  ]);
  return row ? accountFromRow(row) : null;
}

/** Another merchant's account is reported exactly like a missing one. */
export async function getAccountOrThrow(client: SqlClient, input: { merchantId: string; accountId: string }): Promise<LedgerAccount> {
  const account = await findAccount(client, input);
  if (!account) throw new AppError("resource_missing", `No such account: '${input.accountId}'`, { param: "id" });
  return account;
}

/** GET /api/v1/accounts/:id: the account object with its balance. */
export async function getAccountDto(input: { merchantId: string; accountId: string }): Promise<TAccountDto> {
  return toAccountDto(await getAccountOrThrow(sqlPool(), input));
}
