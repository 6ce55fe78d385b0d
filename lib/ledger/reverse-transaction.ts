// Corrects a posted transaction the only way the ledger allows: a new transaction with every entry
// mirrored (debit ↔ credit), linked by reverses_transaction_id. A transaction is reversed at most once.
import { AppError } from "@/lib/api/errors";
import { postTransaction } from "./post-transaction";
import type { PostedTransaction } from "./post-transaction.types";
import { querySql, type SqlClient } from "./sql";

export async function reverseTransaction(
  tx: SqlClient,
  input: { merchantId: string; transactionId: string; description?: string; externalRef?: string; metadata?: Record<string, unknown> },
): Promise<PostedTransaction> {
  const rows = await querySql<{
    description: string;
    reverses_transaction_id: string | null;
    reversed_by: string | null;
    fx_pair: string | null;
    fx_rate: string | null;
    fx_source: string | null;
    fx_rate_at: Date | null;
    entries: { account_id: string; direction: "debit" | "credit"; amount_minor: string; currency: string }[];
  }>(
    tx,
    `SELECT t.description, t.reverses_transaction_id,
            (SELECT r.id FROM ledger_transactions r WHERE r.reverses_transaction_id = t.id) AS reversed_by, t.fx_pair, t.fx_rate::text AS fx_rate, t.fx_source, t.fx_rate_at,
            (SELECT json_agg(json_build_object('account_id', e.account_id, 'direction', e.direction,
                     'amount_minor', e.amount_minor::text, 'currency', e.currency::text) ORDER BY e.seq)
             FROM ledger_entries e WHERE e.transaction_id = t.id) AS entries
     FROM ledger_transactions t WHERE t.id = $1 AND t.merchant_id = $2`,
    [input.transactionId, input.merchantId],
  );
  const original = rows[0];
  if (!original) throw new AppError("resource_missing", `No such ledger transaction: '${input.transactionId}'`, { param: "transaction" });
  if (original.reversed_by) {
    throw new AppError("invalid_state_transition", `Ledger transaction '${input.transactionId}' has already been reversed by '${original.reversed_by}'.`, {
      param: "transaction",
    });
  }
  const [base, quote] = original.fx_pair?.split("/") ?? [];
  return postTransaction(tx, {
    merchantId: input.merchantId,
    description: input.description ?? `Reversal of ${input.transactionId}: ${original.description}`.slice(0, 1_000),
    externalRef: input.externalRef,
    metadata: input.metadata,
    reversesTransactionId: input.transactionId,
    fx:
      base && quote && original.fx_rate && original.fx_source && original.fx_rate_at
        ? { base, quote, rate: original.fx_rate.replace(/0+$/, "").replace(/\.$/, ""), source: original.fx_source, rateAt: original.fx_rate_at }
        : undefined,
    entries: original.entries.map((entry) => ({
      accountId: entry.account_id,
      direction: entry.direction === "debit" ? "credit" : "debit",
      amountMinor: BigInt(entry.amount_minor),
      currency: entry.currency,
    })),
  });
}
