// Postings applied at COMMIT (ledger_deferred_postings + its deferred trigger), against a real PostgreSQL.
import type pg from "pg";
import { describe, expect, test } from "vitest";
import { sqlPool } from "@/lib/db/client";
import { ensureMerchantAccounts } from "./ensure-merchant-accounts";
import { getAccountOrThrow } from "./get-account";
import { postTransactionAtCommit } from "./post-at-commit";
import { inPgTransaction, querySql } from "./sql";
import { setAccountStatus } from "./set-account-status";
import { createTestMerchant, findBalanceDisagreements, findUnbalancedTransactions } from "./testing";

const inTransaction = <T>(work: (client: pg.PoolClient) => Promise<T>) => inPgTransaction(sqlPool(), work);

async function setup() {
  const merchantId = await createTestMerchant();
  const chart = await ensureMerchantAccounts(sqlPool(), merchantId, "USD");
  const capture = (ref: string, gross: bigint, fee: bigint) => ({
    merchantId,
    externalRef: ref,
    description: `Capture ${ref}`,
    entries: [
      { accountId: chart.psp_receivable, direction: "debit" as const, amountMinor: gross - fee, currency: "USD" },
      { accountId: chart.psp_fees, direction: "debit" as const, amountMinor: fee, currency: "USD" },
      { accountId: chart.merchant_pending, direction: "credit" as const, amountMinor: gross, currency: "USD" },
    ],
  });
  return { merchantId, chart, capture };
}

async function transactionsWithRef(merchantId: string, ref: string) {
  return querySql<{ id: string }>(sqlPool(), `SELECT id FROM ledger_transactions WHERE merchant_id = $1 AND external_ref = $2`, [merchantId, ref]);
}

describe("postTransactionAtCommit", () => {
  test("nothing is posted until COMMIT; then the entries, balances and versions are there and the queue row is gone", async () => {
    const { merchantId, chart, capture } = await setup();
    const { transactionId } = await inTransaction(async (client) => {
      const queued = await postTransactionAtCommit(client, capture("payment:pay_a:capture", 10_000n, 320n));
      // Inside the transaction, before COMMIT: queued, not posted.
      expect((await client.query(`SELECT count(*)::int AS n FROM ledger_transactions WHERE id = $1`, [queued.transactionId])).rows[0].n).toBe(0);
      expect((await client.query(`SELECT count(*)::int AS n FROM ledger_deferred_postings WHERE merchant_id = $1`, [merchantId])).rows[0].n).toBe(1);
      return queued;
    });
    const entries = await querySql<{ account_id: string; balance_after: bigint }>(
      sqlPool(),
      `SELECT account_id, balance_after FROM ledger_entries WHERE transaction_id = $1 ORDER BY account_id`,
      [transactionId],
    );
    expect(entries).toHaveLength(3);
    const pending = await getAccountOrThrow(sqlPool(), { merchantId, accountId: chart.merchant_pending });
    expect(pending.balanceMinor).toBe(10_000n);
    expect(pending.version).toBe(1n);
    expect((await getAccountOrThrow(sqlPool(), { merchantId, accountId: chart.psp_receivable })).balanceMinor).toBe(9_680n);
    expect((await getAccountOrThrow(sqlPool(), { merchantId, accountId: chart.psp_fees })).balanceMinor).toBe(320n);
    expect((await querySql<{ n: number }>(sqlPool(), `SELECT count(*)::int AS n FROM ledger_deferred_postings`))[0]!.n).toBe(0);
    expect(await findBalanceDisagreements(merchantId)).toEqual([]);
  });

  test("a rollback posts nothing", async () => {
    const { merchantId, chart, capture } = await setup();
    await expect(
      inTransaction(async (client) => {
        await postTransactionAtCommit(client, capture("payment:pay_b:capture", 5_000n, 150n));
        throw new Error("the caller's next step failed");
      }),
    ).rejects.toThrow("the caller's next step failed");
    expect(await transactionsWithRef(merchantId, "payment:pay_b:capture")).toEqual([]);
    expect((await getAccountOrThrow(sqlPool(), { merchantId, accountId: chart.merchant_pending })).balanceMinor).toBe(0n);
  });

  test("an external reference already posted (earlier, or twice in one transaction) posts nothing more", async () => {
    const { merchantId, chart, capture } = await setup();
    await inTransaction(async (client) => {
      await postTransactionAtCommit(client, capture("payment:pay_c:capture", 1_000n, 30n));
      await postTransactionAtCommit(client, capture("payment:pay_c:capture", 1_000n, 30n));
    });
    await inTransaction((client) => postTransactionAtCommit(client, capture("payment:pay_c:capture", 1_000n, 30n)));
    expect(await transactionsWithRef(merchantId, "payment:pay_c:capture")).toHaveLength(1);
    expect((await getAccountOrThrow(sqlPool(), { merchantId, accountId: chart.merchant_pending })).balanceMinor).toBe(1_000n);
    expect(await findBalanceDisagreements(merchantId)).toEqual([]);
  });

  test("a refusal at COMMIT (a frozen account) aborts the whole transaction, the caller's other writes included", async () => {
    const { merchantId, chart, capture } = await setup();
    await setAccountStatus(sqlPool(), { merchantId, accountId: chart.merchant_pending, status: "frozen" });
    await expect(
      inTransaction(async (client) => {
        await client.query(`UPDATE merchants SET name = 'renamed in the failed transaction' WHERE id = $1`, [merchantId]);
        await postTransactionAtCommit(client, capture("payment:pay_d:capture", 2_000n, 60n));
      }),
    ).rejects.toThrow(/refused at commit: account .* is frozen/);
    expect(await transactionsWithRef(merchantId, "payment:pay_d:capture")).toEqual([]);
    const [merchant] = await querySql<{ name: string }>(sqlPool(), `SELECT name FROM merchants WHERE id = $1`, [merchantId]);
    expect(merchant!.name).not.toBe("renamed in the failed transaction");
  });

  test("an account of another merchant is refused", async () => {
    const { capture } = await setup();
    const other = await setup();
    const request = capture("payment:pay_e:capture", 2_000n, 60n);
    request.entries[2]!.accountId = other.chart.merchant_pending;
    await expect(inTransaction((client) => postTransactionAtCommit(client, request))).rejects.toThrow(/refused at commit: .* does not exist/);
  });

  test("the database's own balance check still holds for a posting queued with raw SQL", async () => {
    const { merchantId, chart } = await setup();
    const entries = [
      { entry_id: "ent_raw_1", account_id: chart.psp_receivable, direction: "debit", amount_minor: "100", currency: "USD" },
      { entry_id: "ent_raw_2", account_id: chart.merchant_pending, direction: "credit", amount_minor: "99", currency: "USD" },
    ];
    await expect(
      inTransaction((client) =>
        client.query(
          `INSERT INTO ledger_deferred_postings (id, merchant_id, transaction_id, description, external_ref, entries)
           VALUES ('dpo_raw', $1, 'txn_raw', 'raw', 'raw:1', $2::jsonb)`,
          [merchantId, JSON.stringify(entries)],
        ),
      ),
    ).rejects.toThrow(/does not balance in USD: debits - credits = 1/);
    expect(await transactionsWithRef(merchantId, "raw:1")).toEqual([]);
  });

  test("40 concurrent transactions capturing onto the same three accounts: every cent once, the balance_after chain intact", async () => {
    const { merchantId, chart, capture } = await setup();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        inTransaction(async (client) => {
          await postTransactionAtCommit(client, capture(`payment:pay_f${i}:capture`, BigInt(1_000 + i), BigInt(i + 1)));
          // The caller's transaction goes on for a while after queueing the posting (as applyPaymentIntent does).
          await client.query(`SELECT pg_sleep(0.005)`);
        }),
      ),
    );
    const expectedGross = Array.from({ length: 40 }, (_, i) => BigInt(1_000 + i)).reduce((sum, value) => sum + value, 0n);
    const expectedFees = Array.from({ length: 40 }, (_, i) => BigInt(i + 1)).reduce((sum, value) => sum + value, 0n);
    const pending = await getAccountOrThrow(sqlPool(), { merchantId, accountId: chart.merchant_pending });
    expect(pending.balanceMinor).toBe(expectedGross);
    expect(pending.version).toBe(40n);
    expect((await getAccountOrThrow(sqlPool(), { merchantId, accountId: chart.psp_fees })).balanceMinor).toBe(expectedFees);
    expect(await findBalanceDisagreements(merchantId)).toEqual([]);
    expect(await findUnbalancedTransactions()).toEqual([]);
    // Per account, in seq order, each balance_after is the previous one plus this entry's signed amount.
    const broken = await querySql<{ account_id: string }>(
      sqlPool(),
      `SELECT e.account_id FROM (
         SELECT e.account_id, e.balance_after,
                lag(e.balance_after, 1, 0::bigint) OVER (PARTITION BY e.account_id ORDER BY e.seq)
                  + CASE WHEN e.direction = a.normal_side THEN e.amount_minor ELSE -e.amount_minor END AS expected
         FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id WHERE a.merchant_id = $1) e
       WHERE e.balance_after <> e.expected`,
      [merchantId],
    );
    expect(broken).toEqual([]);
  });
});
