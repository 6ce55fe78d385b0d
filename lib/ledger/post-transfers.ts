// Transfers posted by the SQL function ledger_post_transfers (migration …_ledger_post_transfers): one
// statement for one transfer or a whole batch of them. It locks every account of the batch in id order,
// then decides each transfer in order against the balances the earlier ones left (checks first, then its
// writes: transaction, two entries with balance_after, both balances and versions, the transfer row and,
// for API requests, the idempotency key with the sealed response). A refused transfer writes nothing and
// does not affect the others. Run on the pool (autocommit) the statement is its own transaction, so a
// batch costs one round trip and one COMMIT (group commit); run on a caller's `tx` it joins that one.
import { AppError, assert } from "@/lib/api/errors";
import { newId } from "@/lib/ids";
import type { CreateTransferInput } from "./create-transfer";
import type { TransferRecord } from "./create-transfer.types";
import { querySql, type SqlClient, toLockTimeout } from "./sql";

/** The key record an API transfer writes with its effect (see lib/idempotency/run-idempotent.ts). */
export type TransferIdempotency = {
  lockId: bigint;
  endpoint: string;
  key: string;
  fingerprint: string;
  requestId: string;
  responseStatus: number;
  /** Already sealed (sealStoredResponse). */
  responseBody: string;
  expiresAt: Date;
};

/** A transfer with every id chosen, ready for the statement. */
export type PreparedTransfer = {
  input: CreateTransferInput;
  transferId: string;
  transactionId: string;
  /** Given when the response must be known (and sealed) before the statement runs: the API path. */
  createdAt?: Date;
  idempotency?: TransferIdempotency;
};

export type TransferOutcome =
  | { kind: "posted"; transfer: TransferRecord; fromBalanceAfterMinor: bigint; toBalanceAfterMinor: bigint }
  | { kind: "refused"; error: AppError }
  /** The key was already completed: its stored (sealed) response. */
  | { kind: "replayed"; status: number; sealedBody: string };

type Row = { i: number; outcome: string; transaction_id: string | null; created_at: Date | null; detail: Record<string, string | number> | null };

export const POST_TRANSFERS_SQL = `SELECT i, outcome, transaction_id, created_at, detail FROM ledger_post_transfers($1::jsonb)`;

/** Chooses the ids of a transfer (and, for the API, the time that goes into its stored response). */
export function prepareTransfer(input: CreateTransferInput, extra: { createdAt?: Date; idempotency?: TransferIdempotency } = {}): PreparedTransfer {
  return { input, transferId: newId("transfer"), transactionId: newId("transaction"), ...extra };
}

/** Refusals that need no lock (the statement checks them too). */
export function precheckTransfer(input: CreateTransferInput): AppError | null {
  if (input.amountMinor <= 0n) return new AppError("parameter_invalid", "amount must be greater than zero", { param: "amount" });
  if (input.fromAccountId === input.toAccountId) {
    return new AppError("parameter_invalid", "from_account and to_account must be different accounts.", { param: "to_account" });
  }
  return null;
}

function itemJson(item: PreparedTransfer, i: number): Record<string, unknown> {
  const { input } = item;
  return {
    i,
    merchant_id: input.merchantId,
    transfer_id: item.transferId,
    transaction_id: item.transactionId,
    from_entry_id: newId("entry"),
    to_entry_id: newId("entry"),
    from_id: input.fromAccountId,
    to_id: input.toAccountId,
    amount: input.amountMinor.toString(),
    currency: input.currency,
    description: input.description ?? null,
    transaction_description: input.description ?? `Transfer ${item.transferId}`,
    metadata: input.metadata ?? {},
    created_at: item.createdAt?.toISOString() ?? null,
    idempotency: item.idempotency
      ? {
          lock_id: item.idempotency.lockId.toString(),
          endpoint: item.idempotency.endpoint,
          key: item.idempotency.key,
          fingerprint: item.idempotency.fingerprint,
          request_id: item.idempotency.requestId,
          response_status: item.idempotency.responseStatus,
          response_body: item.idempotency.responseBody,
          expires_at: item.idempotency.expiresAt.toISOString(),
        }
      : null,
  };
}

/** The AppError a refusal code stands for (the same codes, params and messages as postTransaction's). */
function refusal(code: string, input: CreateTransferInput, detail: Row["detail"]): AppError {
  const from = input.fromAccountId;
  const to = input.toAccountId;
  switch (code) {
    case "from_missing":
      return new AppError("resource_missing", `No such account: '${from}'`, { param: "from_account" });
    case "to_missing":
      return new AppError("resource_missing", `No such account: '${to}'`, { param: "to_account" });
    case "invalid":
      return precheckTransfer(input) ?? new AppError("parameter_invalid", "The transfer is not valid.");
    case "from_currency_mismatch":
      return new AppError("currency_mismatch", `Account '${from}' holds ${detail?.currency}, not ${input.currency}.`, { param: "from_account" });
    case "to_currency_mismatch":
      return new AppError("currency_mismatch", `Account '${to}' holds ${detail?.currency}, not ${input.currency}.`, { param: "to_account" });
    case "sides_differ":
      return new AppError(
        "parameter_invalid",
        `Account '${from}' grows on the ${detail?.from_side} side and '${to}' on the ${detail?.to_side} side; a transfer needs two accounts of the same kind.`,
        { param: "to_account" },
      );
    case "from_inactive":
      return new AppError("account_inactive", `Account '${from}' is ${detail?.status}; it cannot send or receive money.`, { param: "from_account" });
    case "to_inactive":
      return new AppError("account_inactive", `Account '${to}' is ${detail?.status}; it cannot send or receive money.`, { param: "to_account" });
    case "insufficient_funds":
      return new AppError(
        "insufficient_funds",
        `Insufficient funds in account '${from}': available balance is ${detail?.available} (${input.currency} minor units), this needs ${input.amountMinor}.`,
        { param: "amount" },
      );
    case "idempotency_key_in_use":
      return new AppError("idempotency_key_in_use", "A request with this Idempotency-Key is still being processed. Retry once it has finished.");
    case "idempotency_key_reused":
      return new AppError(
        "idempotency_key_reused",
        "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than the one used on the original request.",
      );
    default:
      assert(false, `ledger_post_transfers returned an unknown outcome '${code}'`);
  }
}

/**
 * Posts the transfers in order in one statement on `client` (the pool: its own transaction; a `tx`: the
 * caller's). Returns one outcome per item, in the same order. Lock conflicts surface as lock_timeout.
 */
export async function postTransfers(client: SqlClient, items: readonly PreparedTransfer[]): Promise<TransferOutcome[]> {
  assert(items.length > 0, "postTransfers needs at least one transfer");
  let rows: Row[];
  try {
    rows = await querySql<Row>(client, POST_TRANSFERS_SQL, [JSON.stringify(items.map(itemJson))], "ledger_post_transfers_v1");
  } catch (error) {
    throw toLockTimeout(error);
  }
  assert(rows.length === items.length, "ledger_post_transfers answers every item");
  const outcomes: (TransferOutcome | undefined)[] = Array.from({ length: items.length }, () => undefined);
  for (const raw of rows) {
    // Prisma's raw queries may hand jsonb back as text; pg parses it.
    const row = { ...raw, i: Number(raw.i), detail: typeof raw.detail === "string" ? (JSON.parse(raw.detail) as Row["detail"]) : raw.detail };
    const item = items[row.i]!;
    const { input } = item;
    outcomes[row.i] = outcomeOf(row, item, input);
  }
  assert(outcomes.every((outcome) => outcome !== undefined), "ledger_post_transfers answers each item once");
  return outcomes as TransferOutcome[];
}

function outcomeOf(row: Row, item: PreparedTransfer, input: CreateTransferInput): TransferOutcome {
  if (row.outcome === "posted") {
    assert(row.transaction_id === item.transactionId && row.created_at, "a posted transfer has its transaction");
    return {
      kind: "posted",
      transfer: {
        id: item.transferId,
        merchantId: input.merchantId,
        fromAccountId: input.fromAccountId,
        toAccountId: input.toAccountId,
        amountMinor: input.amountMinor,
        currency: input.currency,
        description: input.description ?? null,
        metadata: input.metadata ?? {},
        transactionId: item.transactionId,
        createdAt: new Date(row.created_at),
      },
      fromBalanceAfterMinor: BigInt(row.detail!.from_balance_after!),
      toBalanceAfterMinor: BigInt(row.detail!.to_balance_after!),
    };
  }
  if (row.outcome === "replayed") {
    return { kind: "replayed", status: Number(row.detail!.response_status), sealedBody: String(row.detail!.response_body) };
  }
  return { kind: "refused", error: refusal(row.outcome, input, row.detail) };
}
