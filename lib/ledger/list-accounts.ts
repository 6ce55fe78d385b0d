// The merchant's accounts, newest first, with cursor pagination by id (ids sort by creation).
import { type ListResponse, listResponse } from "@/lib/api/pagination";
import { sqlPool } from "@/lib/db/client";
import type { LedgerAccount, TAccountDto, TListAccountsQuery } from "./account.types";
import { ACCOUNT_COLUMNS, type AccountRow, accountFromRow, toAccountDto } from "./account-rows";
import { querySql, type SqlClient } from "./sql";

export type ListAccountsInput = { merchantId: string } & Partial<TListAccountsQuery> & { limit: number };

export async function listAccounts(client: SqlClient, input: ListAccountsInput): Promise<{ data: LedgerAccount[]; hasMore: boolean }> {
  const reversed = input.ending_before !== undefined;
  const cursor = input.ending_before ?? input.starting_after ?? null;
  const rows = await querySql<AccountRow>(
    client,
    `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts
     WHERE merchant_id = $1
       AND ($2::text IS NULL OR ${reversed ? "id > $2" : "id < $2"})
       AND ($3::text IS NULL OR currency = $3)
       AND ($4::text IS NULL OR customer_ref = $4)
     ORDER BY id ${reversed ? "ASC" : "DESC"}
     LIMIT $5`,
    [input.merchantId, cursor, input.currency ?? null, input.customer ?? null, input.limit + 1],
  );
  const hasMore = rows.length > input.limit;
  const page = rows.slice(0, input.limit).map(accountFromRow);
  return { data: reversed ? page.reverse() : page, hasMore };
}

/** GET /api/v1/accounts: a page of account objects. */
export async function listAccountsPage(input: { merchantId: string } & TListAccountsQuery): Promise<ListResponse<TAccountDto>> {
  const { data, hasMore } = await listAccounts(sqlPool(), input);
  return listResponse("/api/v1/accounts", data.map(toAccountDto), hasMore);
}
