// The database itself refuses what the ledger must never contain, whatever code writes to it.
import { describe, expect, test } from "vitest";
import { sqlPool } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { ensureMerchantAccounts } from "./ensure-merchant-accounts";
import { postTransactionNow } from "./post-transaction";
import { createFundedWallet, createTestMerchant } from "./testing";

async function inTransaction(statements: (client: import("pg").PoolClient) => Promise<void>): Promise<void> {
  const client = await sqlPool().connect();
  try {
    await client.query("BEGIN");
    await statements(client);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function setup() {
  const merchantId = await createTestMerchant();
  const chart = await ensureMerchantAccounts(sqlPool(), merchantId, "USD");
  return { merchantId, chart };
}

function insertTransaction(client: import("pg").PoolClient, merchantId: string, id: string) {
  return client.query(`INSERT INTO ledger_transactions (id, merchant_id, description) VALUES ($1, $2, 'raw')`, [id, merchantId]);
}

function insertEntry(client: import("pg").PoolClient, transactionId: string, accountId: string, direction: string, amount: number) {
  return client.query(
    `INSERT INTO ledger_entries (id, transaction_id, account_id, direction, amount_minor, currency, balance_after)
     VALUES ($1, $2, $3, $4::"LedgerSide", $5, 'USD', 0)`,
    [newId("entry"), transactionId, accountId, direction, amount],
  );
}

describe("database guards", () => {
  test("an unbalanced transaction inserted with raw SQL fails at COMMIT, not before", async () => {
    const { merchantId, chart } = await setup();
    const id = newId("transaction");
    let insertsSucceeded = false;
    const attempt = inTransaction(async (client) => {
      await insertTransaction(client, merchantId, id);
      await insertEntry(client, id, chart.bank_cash, "debit", 100);
      await insertEntry(client, id, chart.merchant_available, "credit", 99);
      insertsSucceeded = true;
    });
    await expect(attempt).rejects.toThrow(/does not balance in USD: debits - credits = 1/);
    expect(insertsSucceeded).toBe(true);
    const { rows } = await sqlPool().query(`SELECT count(*)::int AS n FROM ledger_transactions WHERE id = $1`, [id]);
    expect(rows[0].n).toBe(0);
  });

  test("a balanced raw insert commits (the trigger is deferred: order of entries does not matter)", async () => {
    const { merchantId, chart } = await setup();
    const id = newId("transaction");
    await inTransaction(async (client) => {
      await insertTransaction(client, merchantId, id);
      await insertEntry(client, id, chart.bank_cash, "debit", 100);
      await insertEntry(client, id, chart.psp_fees, "debit", 5);
      await insertEntry(client, id, chart.merchant_pending, "credit", 105);
    });
  });

  test("a transaction with one entry, or none, fails at COMMIT", async () => {
    const { merchantId, chart } = await setup();
    await expect(
      inTransaction(async (client) => {
        const id = newId("transaction");
        await insertTransaction(client, merchantId, id);
        await insertEntry(client, id, chart.bank_cash, "debit", 100);
      }),
    ).rejects.toThrow(/has 1 entries; at least 2/);
    await expect(inTransaction((client) => insertTransaction(client, merchantId, newId("transaction")).then(() => {}))).rejects.toThrow(
      /has 0 entries/,
    );
  });

  test("entries and transactions cannot be updated, deleted or truncated", async () => {
    const { merchantId } = await setup();
    await createFundedWallet(merchantId, "USD", 500n);
    const pool = sqlPool();
    await expect(pool.query(`UPDATE ledger_entries SET amount_minor = amount_minor + 1`)).rejects.toThrow(/append-only: UPDATE rejected/);
    await expect(pool.query(`DELETE FROM ledger_entries`)).rejects.toThrow(/append-only: DELETE rejected/);
    await expect(pool.query(`TRUNCATE ledger_entries CASCADE`)).rejects.toThrow(/append-only: TRUNCATE rejected/);
    await expect(pool.query(`UPDATE ledger_transactions SET description = 'changed'`)).rejects.toThrow(/append-only/);
    await expect(pool.query(`DELETE FROM ledger_transactions`)).rejects.toThrow(/append-only/);
    await expect(pool.query(`DELETE FROM ledger_accounts`)).rejects.toThrow(/never deleted/);
  });

  test("non-positive amounts, overdrawn floors and identity changes are refused by constraints", async () => {
    const { merchantId, chart } = await setup();
    const wallet = await createFundedWallet(merchantId, "USD", 500n);
    await expect(
      inTransaction(async (client) => {
        const id = newId("transaction");
        await insertTransaction(client, merchantId, id);
        await insertEntry(client, id, chart.bank_cash, "debit", 0);
      }),
    ).rejects.toThrow(/ledger_entries_amount_check/);
    await expect(sqlPool().query(`UPDATE ledger_accounts SET balance_minor = -1, version = version + 1 WHERE id = $1`, [wallet])).rejects.toThrow(
      /ledger_accounts_floor_check/,
    );
    await expect(sqlPool().query(`UPDATE ledger_accounts SET currency = 'EUR' WHERE id = $1`, [wallet])).rejects.toThrow(/are fixed/);
    await expect(sqlPool().query(`UPDATE ledger_accounts SET balance_minor = 7 WHERE id = $1`, [wallet])).rejects.toThrow(/advance the version/);
  });

  test("an entry's currency must be its account's", async () => {
    const { merchantId, chart } = await setup();
    await expect(
      inTransaction(async (client) => {
        const id = newId("transaction");
        await insertTransaction(client, merchantId, id);
        await client.query(
          `INSERT INTO ledger_entries (id, transaction_id, account_id, direction, amount_minor, currency, balance_after)
           VALUES ($1, $2, $3, 'debit', 1, 'EUR', 0)`,
          [newId("entry"), id, chart.bank_cash],
        );
      }),
    ).rejects.toThrow(/ledger_entries_account_id_currency_fkey/);
  });

  test("accounts need an existing merchant", async () => {
    await expect(ensureMerchantAccounts(sqlPool(), "mer_missing", "USD")).rejects.toMatchObject({ code: "resource_missing" });
    // A posting through lib/ledger still works after all of that.
    const { merchantId, chart } = await setup();
    await postTransactionNow({
      merchantId,
      description: "ok",
      entries: [
        { accountId: chart.bank_cash, direction: "debit", amountMinor: 1n, currency: "USD" },
        { accountId: chart.suspense, direction: "credit", amountMinor: 1n, currency: "USD" },
      ],
    });
  });
});
