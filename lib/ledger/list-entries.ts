// An account's history, newest first, with keyset pagination on the entry sequence; and the balance
// as of any moment, which is one indexed lookup of the last entry's balance_after.
import { type ListResponse, listResponse } from "@/lib/api/pagination";
import { sqlPool } from "@/lib/db/client";
import { amountToJson } from "@/lib/money";
import { getAccountOrThrow } from "./get-account";
import { type LedgerEntryRecord, type TEntryDto, type TListEntriesQuery, ZEntryDto } from "./list-entries.types";
import { querySql, type SqlClient } from "./sql";

type EntryRow = {
  id: string;
  seq: bigint;
  account_id: string;
  transaction_id: string;
  direction: string;
  amount_minor: bigint;
  currency: string;
  balance_after: bigint;
  description: string;
  created_at: Date;
};

function entryFromRow(row: EntryRow): LedgerEntryRecord {
  return {
    id: row.id,
    seq: BigInt(row.seq),
    accountId: row.account_id,
    transactionId: row.transaction_id,
    direction: row.direction as LedgerEntryRecord["direction"],
    amountMinor: BigInt(row.amount_minor),
    currency: row.currency,
    balanceAfterMinor: BigInt(row.balance_after),
    description: row.description,
    createdAt: row.created_at,
  };
}

export function toEntryDto(entry: LedgerEntryRecord): TEntryDto {
  return ZEntryDto.parse({
    id: entry.id,
    object: "ledger_entry",
    account: entry.accountId,
    transaction: entry.transactionId,
    direction: entry.direction,
    amount: amountToJson(entry.amountMinor),
    currency: entry.currency,
    balance_after: amountToJson(entry.balanceAfterMinor),
    sequence: amountToJson(entry.seq),
    description: entry.description,
    created: entry.createdAt.toISOString(),
  });
}

/** The account's normal-side balance at `asOf`: balance_after of its last entry then, or 0. */
export async function getBalanceAsOf(client: SqlClient, input: { merchantId: string; accountId: string; asOf: Date }): Promise<bigint> {
  await getAccountOrThrow(client, input);
  return balanceAsOf(client, input.accountId, input.asOf);
}

async function balanceAsOf(client: SqlClient, accountId: string, asOf: Date): Promise<bigint> {
  const [row] = await querySql<{ balance_after: bigint }>(
    client,
    `SELECT balance_after FROM ledger_entries
     WHERE account_id = $1 AND created_at <= $2::timestamptz
     ORDER BY created_at DESC, seq DESC LIMIT 1`,
    [accountId, asOf.toISOString()],
  );
  return row ? BigInt(row.balance_after) : 0n;
}

export type ListEntriesInput = { merchantId: string; accountId: string; limit: number } & Partial<Omit<TListEntriesQuery, "limit">>;

/**
 * Newest first. `starting_after` / `ending_before` are entry ids of this account. With `as_of`, only
 * entries up to that time, and `balanceAsOf` is the balance at that moment.
 */
export async function listEntries(
  client: SqlClient,
  input: ListEntriesInput,
): Promise<{ data: LedgerEntryRecord[]; hasMore: boolean; balanceAsOf: bigint | null }> {
  await getAccountOrThrow(client, input);
  const reversed = input.ending_before !== undefined;
  const cursor = input.ending_before ?? input.starting_after ?? null;
  const asOf = input.as_of ? input.as_of.toISOString() : null;
  // Entries of one account are in commit order by seq, and created_at never goes back along it.
  const rows = await querySql<EntryRow>(
    client,
    `SELECT e.id, e.seq, e.account_id, e.transaction_id, e.direction::text AS direction, e.amount_minor,
            e.currency::text AS currency, e.balance_after, t.description, e.created_at
     FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
     WHERE e.account_id = $1
       AND ($2::text IS NULL OR e.seq ${reversed ? ">" : "<"} (SELECT c.seq FROM ledger_entries c WHERE c.id = $2 AND c.account_id = $1))
       AND ($3::timestamptz IS NULL OR e.created_at <= $3::timestamptz)
     ORDER BY e.seq ${reversed ? "ASC" : "DESC"}
     LIMIT $4`,
    [input.accountId, cursor, asOf, input.limit + 1],
  );
  const hasMore = rows.length > input.limit;
  const page = rows.slice(0, input.limit).map(entryFromRow);
  return {
    data: reversed ? page.reverse() : page,
    hasMore,
    balanceAsOf: input.as_of ? await balanceAsOf(client, input.accountId, input.as_of) : null,
  };
}

/** GET /api/v1/accounts/:id/entries: a page of entries, and with as_of the balance at that moment. */
export async function listEntriesPage(
  input: { merchantId: string; accountId: string } & TListEntriesQuery,
): Promise<ListResponse<TEntryDto> & { balance_as_of?: { as_of: string; balance: number | string } }> {
  const page = await listEntries(sqlPool(), input);
  const list = listResponse(`/api/v1/accounts/${input.accountId}/entries`, page.data.map(toEntryDto), page.hasMore);
  if (!input.as_of || page.balanceAsOf === null) return list;
  return { ...list, balance_as_of: { as_of: input.as_of.toISOString(), balance: amountToJson(page.balanceAsOf) } };
}
