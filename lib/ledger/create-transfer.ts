// Moves money between two accounts of one merchant in one currency. The transfer row, the journal
// transaction and both balance changes are written by one statement (the SQL function
// ledger_post_transfers, see post-transfers.ts): inside a caller's transaction (createTransfer), group-
// committed with concurrent callers (createTransferNow), or — for POST /api/v1/transfers — group-committed
// together with the request's idempotency key and stored response (createTransferIdempotent).
import type { IdempotencyScope, IdempotentOutcome } from "@/lib/idempotency/run-idempotent";
import { expiresAt, lockId, openStoredResponse, sealStoredResponse } from "@/lib/idempotency/run-idempotent";
import { amountToJson } from "@/lib/money";
import { type TCreateTransferRequest, type TransferRecord, type TTransferDto, ZTransferDto } from "./create-transfer.types";
import { postTransfers, precheckTransfer, prepareTransfer } from "./post-transfers";
import type { SqlClient } from "./sql";
import { sharedTransferBatcher } from "./transfer-batcher";

export type CreateTransferInput = {
  merchantId: string;
  fromAccountId: string;
  toAccountId: string;
  amountMinor: bigint;
  currency: string;
  description?: string;
  metadata?: Record<string, unknown>;
};

/**
 * Both accounts must grow on the same side: the amount leaves `from` (its normal-side balance goes
 * down) and arrives at `to`. For wallets and merchant balances (credit side) that is debit from,
 * credit to. Mixed sides are not a transfer but a posting; use postTransaction for those.
 * Runs in the caller's transaction `tx` (one statement); refusals are AppErrors and write nothing.
 */
export async function createTransfer(tx: SqlClient, input: CreateTransferInput): Promise<TransferRecord> {
  const refusal = precheckTransfer(input);
  if (refusal) throw refusal;
  const [outcome] = await postTransfers(tx, [prepareTransfer(input)]);
  if (outcome!.kind === "refused") throw outcome!.error;
  if (outcome!.kind !== "posted") throw new Error("Invariant violated: a transfer without an idempotency key was replayed");
  return outcome!.transfer;
}

/**
 * A transfer in a transaction of its own, group-committed with concurrent callers of this process (one
 * statement and one COMMIT per batch; the promise settles after that COMMIT), retried on lock conflicts.
 */
export async function createTransferNow(input: CreateTransferInput): Promise<TransferRecord> {
  return sharedTransferBatcher().submit(input);
}

export function toTransferDto(transfer: TransferRecord): TTransferDto {
  return ZTransferDto.parse({
    id: transfer.id,
    object: "transfer",
    from_account: transfer.fromAccountId,
    to_account: transfer.toAccountId,
    amount: amountToJson(transfer.amountMinor),
    currency: transfer.currency,
    description: transfer.description,
    metadata: transfer.metadata,
    ledger_transaction: transfer.transactionId,
    created: transfer.createdAt.toISOString(),
  });
}

/** A transfer inside the caller's transaction, as its DTO (the dashboard's transfer form). */
export async function createTransferDto(tx: SqlClient, input: TCreateTransferRequest & { merchantId: string }): Promise<TTransferDto> {
  return toTransferDto(
    await createTransfer(tx, {
      merchantId: input.merchantId,
      fromAccountId: input.from_account,
      toAccountId: input.to_account,
      amountMinor: input.amount,
      currency: input.currency,
      description: input.description,
      metadata: input.metadata,
    }),
  );
}

/** HTTP status of a created transfer (POST /api/v1/transfers has no other success status). */
const TRANSFER_CREATED_STATUS = 200;

/**
 * POST /api/v1/transfers (withApi idempotency "statement"): the transfer, its idempotency key and the
 * sealed response commit in ONE statement, group-committed with concurrent requests. The response is
 * built before the statement (ids and `created` chosen here), so it can be sealed and stored with the
 * effect; the statement answers "posted", "replayed" (the stored response), or a refusal (thrown, and
 * stored for replay by runIdempotentInStatement like every final error).
 */
export async function createTransferIdempotent(
  scope: IdempotencyScope,
  request: TCreateTransferRequest & { merchantId: string },
): Promise<IdempotentOutcome> {
  const input: CreateTransferInput = {
    merchantId: request.merchantId,
    fromAccountId: request.from_account,
    toAccountId: request.to_account,
    amountMinor: request.amount,
    currency: request.currency,
    description: request.description,
    metadata: request.metadata,
  };
  const refusal = precheckTransfer(input);
  if (refusal) throw refusal;
  // Whole milliseconds: the column keeps milliseconds, and the stored response must say what GET says.
  const createdAt = new Date();
  const item = prepareTransfer(input, { createdAt });
  const body = JSON.stringify(
    toTransferDto({ ...input, id: item.transferId, description: input.description ?? null, metadata: input.metadata ?? {}, transactionId: item.transactionId, createdAt }),
  );
  item.idempotency = {
    lockId: lockId(scope),
    endpoint: scope.endpoint,
    key: scope.key,
    fingerprint: scope.fingerprint,
    requestId: scope.requestId,
    responseStatus: TRANSFER_CREATED_STATUS,
    responseBody: sealStoredResponse(scope, body),
    expiresAt: expiresAt(),
  };
  const outcome = await sharedTransferBatcher().submitPrepared(item);
  if (outcome.kind === "refused") throw outcome.error;
  if (outcome.kind === "replayed") return { status: outcome.status, body: openStoredResponse(scope, outcome.sealedBody), replayed: true };
  return { status: TRANSFER_CREATED_STATUS, body, replayed: false };
}
