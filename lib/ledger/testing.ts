// Helpers for the ledger's tests: a merchant, funded accounts, and balance recomputation from entries.
import { sqlPool } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { createAccount } from "./create-account";
import { ensureMerchantAccounts } from "./ensure-merchant-accounts";
import { postTransactionNow } from "./post-transaction";
import { querySql } from "./sql";

export async function createTestMerchant(name = "Test merchant"): Promise<string> {
  const id = newId("merchant");
  await querySql(sqlPool(), `INSERT INTO merchants (id, name) VALUES ($1, $2)`, [id, name]);
  return id;
}

/** A customer wallet (floor 0) funded from the merchant's bank_cash through merchant_available-free posting. */
export async function createFundedWallet(merchantId: string, currency: string, amountMinor: bigint): Promise<string> {
  const wallet = await createAccount(sqlPool(), { merchantId, currency, purpose: "customer_wallet" });
  if (amountMinor > 0n) await fundAccount(merchantId, wallet.id, currency, amountMinor);
  return wallet.id;
}

/** Credits a credit-normal account against the merchant's bank_cash (cash came in for it). */
export async function fundAccount(merchantId: string, accountId: string, currency: string, amountMinor: bigint): Promise<void> {
  const chart = await ensureMerchantAccounts(sqlPool(), merchantId, currency);
  await postTransactionNow({
    merchantId,
    description: "Test funding",
    entries: [
      { accountId: chart.bank_cash, direction: "debit", amountMinor, currency },
      { accountId, direction: "credit", amountMinor, currency },
    ],
  });
}

/** Every account of the merchant whose cached balance differs from the sum of its entries. */
export async function findBalanceDisagreements(merchantId?: string): Promise<{ id: string; cached: bigint; fromEntries: bigint }[]> {
  const rows = await querySql<{ id: string; cached: bigint; from_entries: bigint }>(
    sqlPool(),
    `SELECT a.id, a.balance_minor AS cached,
            coalesce((SELECT sum(CASE WHEN e.direction = a.normal_side THEN e.amount_minor ELSE -e.amount_minor END)
                      FROM ledger_entries e WHERE e.account_id = a.id), 0)::bigint AS from_entries
     FROM ledger_accounts a WHERE ($1::text IS NULL OR a.merchant_id = $1)`,
    [merchantId ?? null],
  );
  return rows.filter((row) => row.cached !== row.from_entries).map((row) => ({ id: row.id, cached: row.cached, fromEntries: row.from_entries }));
}

/** Transactions whose entries do not balance per currency (the database should make this impossible). */
export async function findUnbalancedTransactions(): Promise<string[]> {
  const rows = await querySql<{ transaction_id: string }>(
    sqlPool(),
    `SELECT transaction_id FROM ledger_entries GROUP BY transaction_id, currency
     HAVING sum(CASE WHEN direction = 'debit' THEN amount_minor ELSE -amount_minor END) <> 0`,
  );
  return rows.map((row) => row.transaction_id);
}
