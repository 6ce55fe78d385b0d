// Reading transfers: one by id (another merchant's is "missing"), or a page newest first.
import { AppError } from "@/lib/api/errors";
import { type ListResponse, listResponse } from "@/lib/api/pagination";
import { sqlPool } from "@/lib/db/client";
import { toTransferDto } from "./create-transfer";
import type { TListTransfersQuery, TransferRecord, TTransferDto } from "./create-transfer.types";
import { querySql, type SqlClient } from "./sql";

const TRANSFER_COLUMNS = `id, merchant_id, from_account_id, to_account_id, amount_minor, currency::text AS currency, description, metadata, transaction_id, created_at`;

type TransferRow = {
  id: string;
  merchant_id: string;
  from_account_id: string;
  to_account_id: string;
  amount_minor: bigint;
  currency: string;
  description: string | null;
  metadata: Record<string, unknown> | null;
  transaction_id: string;
  created_at: Date;
};

function transferFromRow(row: TransferRow): TransferRecord {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    fromAccountId: row.from_account_id,
    toAccountId: row.to_account_id,
    amountMinor: BigInt(row.amount_minor),
    currency: row.currency,
    description: row.description,
    metadata: row.metadata ?? {},
    transactionId: row.transaction_id,
    createdAt: row.created_at,
  };
}

export async function getTransferOrThrow(client: SqlClient, input: { merchantId: string; transferId: string }): Promise<TransferRecord> {
  const [row] = await querySql<TransferRow>(client, `SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE id = $1 AND merchant_id = $2`, [
    input.transferId,
    input.merchantId,
  ]);
  if (!row) throw new AppError("resource_missing", `No such transfer: '${input.transferId}'`, { param: "id" });
  return transferFromRow(row);
}

export type ListTransfersInput = { merchantId: string; limit: number } & Partial<Omit<TListTransfersQuery, "limit">>;

/** Newest first; `account` keeps transfers from or to that account. */
export async function listTransfers(client: SqlClient, input: ListTransfersInput): Promise<{ data: TransferRecord[]; hasMore: boolean }> {
  const reversed = input.ending_before !== undefined;
  const cursor = input.ending_before ?? input.starting_after ?? null;
  const rows = await querySql<TransferRow>(
    client,
    `SELECT ${TRANSFER_COLUMNS} FROM transfers
     WHERE merchant_id = $1
       AND ($2::text IS NULL OR ${reversed ? "id > $2" : "id < $2"})
       AND ($3::text IS NULL OR from_account_id = $3 OR to_account_id = $3)
     ORDER BY id ${reversed ? "ASC" : "DESC"}
     LIMIT $4`,
    [input.merchantId, cursor, input.account ?? null, input.limit + 1],
  );
  const hasMore = rows.length > input.limit;
  const page = rows.slice(0, input.limit).map(transferFromRow);
  return { data: reversed ? page.reverse() : page, hasMore };
}

/** GET /api/v1/transfers/:id */
export async function getTransferDto(input: { merchantId: string; transferId: string }): Promise<TTransferDto> {
  return toTransferDto(await getTransferOrThrow(sqlPool(), input));
}

/** GET /api/v1/transfers */
export async function listTransfersPage(input: { merchantId: string } & TListTransfersQuery): Promise<ListResponse<TTransferDto>> {
  const { data, hasMore } = await listTransfers(sqlPool(), input);
  return listResponse("/api/v1/transfers", data.map(toTransferDto), hasMore);
}
