// Moves money between two accounts of one merchant in one currency. The transfer row, the journal
// transaction and both balance changes are written by a single statement inside the caller's
// transaction (the API wrapper's, so the idempotency key and stored response commit with them).
import { AppError } from "@/lib/api/errors";
import { sqlPool } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { amountToJson } from "@/lib/money";
import { getAccountFacts } from "./account-facts";
import { type TCreateTransferRequest, type TransferRecord, type TTransferDto, ZTransferDto } from "./create-transfer.types";
import { postTransactionWith } from "./post-transaction";
import type { TPostingEntry } from "./post-transaction.types";
import { type SqlClient, withLedgerRetry } from "./sql";

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
 */
export async function createTransfer(tx: SqlClient, input: CreateTransferInput): Promise<TransferRecord> {
  if (input.amountMinor <= 0n) throw new AppError("parameter_invalid", "amount must be greater than zero", { param: "amount" });
  if (input.fromAccountId === input.toAccountId) {
    throw new AppError("parameter_invalid", "from_account and to_account must be different accounts.", { param: "to_account" });
  }
  const facts = await getAccountFacts(tx, input.merchantId, [input.fromAccountId, input.toAccountId]);
  const from = facts.get(input.fromAccountId);
  const to = facts.get(input.toAccountId);
  if (!from) throw new AppError("resource_missing", `No such account: '${input.fromAccountId}'`, { param: "from_account" });
  if (!to) throw new AppError("resource_missing", `No such account: '${input.toAccountId}'`, { param: "to_account" });
  for (const [account, param] of [[from, "from_account"], [to, "to_account"]] as const) {
    if (account.currency !== input.currency) {
      throw new AppError("currency_mismatch", `Account '${account.id}' holds ${account.currency}, not ${input.currency}.`, { param });
    }
  }
  if (from.normalSide !== to.normalSide) {
    throw new AppError(
      "parameter_invalid",
      `Account '${from.id}' grows on the ${from.normalSide} side and '${to.id}' on the ${to.normalSide} side; a transfer needs two accounts of the same kind.`,
      { param: "to_account" },
    );
  }
  const leaving = from.normalSide === "credit" ? "debit" : "credit";
  const arriving = leaving === "debit" ? "credit" : "debit";
  const transferId = newId("transfer");
  const entries: TPostingEntry[] = [
    { accountId: from.id, direction: leaving, amountMinor: input.amountMinor, currency: input.currency },
    { accountId: to.id, direction: arriving, amountMinor: input.amountMinor, currency: input.currency },
  ];
  const posted = await postTransactionWith(
    tx,
    {
      merchantId: input.merchantId,
      entries,
      description: input.description ?? `Transfer ${transferId}`,
      metadata: { transfer: transferId },
    },
    {
      id: transferId,
      fromAccountId: from.id,
      toAccountId: to.id,
      amountMinor: input.amountMinor,
      currency: input.currency,
      description: input.description ?? null,
      metadata: input.metadata,
    },
  );
  return {
    id: transferId,
    merchantId: input.merchantId,
    fromAccountId: from.id,
    toAccountId: to.id,
    amountMinor: input.amountMinor,
    currency: input.currency,
    description: input.description ?? null,
    metadata: input.metadata ?? {},
    transactionId: posted.id,
    createdAt: posted.createdAt,
  };
}

/** A transfer in a transaction of its own: one autocommit statement, retried on lock conflicts. */
export async function createTransferNow(input: CreateTransferInput): Promise<TransferRecord> {
  return withLedgerRetry(() => createTransfer(sqlPool(), input));
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

/** POST /api/v1/transfers, inside the API wrapper's transaction (idempotency "atomic"). */
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
