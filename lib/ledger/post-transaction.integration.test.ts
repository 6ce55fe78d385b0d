import { describe, expect, test } from "vitest";
import { AppError } from "@/lib/api/errors";
import { db, sqlPool } from "@/lib/db/client";
import { createAccount } from "./create-account";
import { ensureMerchantAccounts } from "./ensure-merchant-accounts";
import { getAccountOrThrow } from "./get-account";
import { postTransaction, postTransactionNow } from "./post-transaction";
import { setAccountStatus } from "./set-account-status";
import { createFundedWallet, createTestMerchant, findBalanceDisagreements } from "./testing";

describe("postTransaction", () => {
  test("posts a capture on the chart of accounts and moves the cached balances", async () => {
    const merchantId = await createTestMerchant();
    const chart = await ensureMerchantAccounts(sqlPool(), merchantId, "USD");
    const posted = await postTransactionNow({
      merchantId,
      description: "capture pay_1",
      externalRef: "payment:pay_1:capture",
      entries: [
        { accountId: chart.psp_receivable, direction: "debit", amountMinor: 9_680n, currency: "USD" },
        { accountId: chart.psp_fees, direction: "debit", amountMinor: 320n, currency: "USD" },
        { accountId: chart.merchant_pending, direction: "credit", amountMinor: 10_000n, currency: "USD" },
      ],
    });
    expect(posted.replayed).toBe(false);
    expect(posted.entries.map((entry) => entry.balanceAfterMinor)).toEqual([9_680n, 320n, 10_000n]);
    expect((await getAccountOrThrow(sqlPool(), { merchantId, accountId: chart.merchant_pending })).balanceMinor).toBe(10_000n);
    expect((await getAccountOrThrow(sqlPool(), { merchantId, accountId: chart.merchant_pending })).version).toBe(1n);
    expect(await findBalanceDisagreements(merchantId)).toEqual([]);
  });

  test("the same external reference posts once and replays the first transaction", async () => {
    const merchantId = await createTestMerchant();
    const chart = await ensureMerchantAccounts(sqlPool(), merchantId, "USD");
    const input = {
      merchantId,
      description: "capture pay_2",
      externalRef: "payment:pay_2:capture",
      entries: [
        { accountId: chart.psp_receivable, direction: "debit" as const, amountMinor: 500n, currency: "USD" },
        { accountId: chart.merchant_pending, direction: "credit" as const, amountMinor: 500n, currency: "USD" },
      ],
    };
    const first = await postTransactionNow(input);
    const second = await postTransactionNow(input);
    expect(second.replayed).toBe(true);
    expect(second.id).toBe(first.id);
    expect((await getAccountOrThrow(sqlPool(), { merchantId, accountId: chart.merchant_pending })).balanceMinor).toBe(500n);
    await expect(
      postTransactionNow({ ...input, entries: input.entries.map((entry) => ({ ...entry, amountMinor: 501n })) }),
    ).rejects.toMatchObject({ code: "external_ref_conflict" });
  });

  test("composes inside a caller's Prisma transaction and rolls back with it", async () => {
    const merchantId = await createTestMerchant();
    const chart = await ensureMerchantAccounts(sqlPool(), merchantId, "EUR");
    await expect(
      db().$transaction(async (tx) => {
        await postTransaction(tx, {
          merchantId,
          description: "rolled back",
          entries: [
            { accountId: chart.bank_cash, direction: "debit", amountMinor: 100n, currency: "EUR" },
            { accountId: chart.merchant_available, direction: "credit", amountMinor: 100n, currency: "EUR" },
          ],
        });
        throw new Error("caller fails after posting");
      }),
    ).rejects.toThrow("caller fails after posting");
    expect((await getAccountOrThrow(sqlPool(), { merchantId, accountId: chart.merchant_available })).balanceMinor).toBe(0n);
    const committed = await db().$transaction((tx) =>
      postTransaction(tx, {
        merchantId,
        description: "committed",
        entries: [
          { accountId: chart.bank_cash, direction: "debit", amountMinor: 100n, currency: "EUR" },
          { accountId: chart.merchant_available, direction: "credit", amountMinor: 100n, currency: "EUR" },
        ],
      }),
    );
    expect(committed.entries[1]!.balanceAfterMinor).toBe(100n);
  });

  test("refuses to overdraw a floored account and writes nothing", async () => {
    const merchantId = await createTestMerchant();
    const wallet = await createFundedWallet(merchantId, "USD", 1_000n);
    const other = await createFundedWallet(merchantId, "USD", 0n);
    const error = await postTransactionNow({
      merchantId,
      description: "too much",
      entries: [
        { accountId: wallet, direction: "debit", amountMinor: 1_001n, currency: "USD" },
        { accountId: other, direction: "credit", amountMinor: 1_001n, currency: "USD" },
      ],
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "insufficient_funds" });
    expect((error as AppError).message).toContain("available balance is 1000");
    expect((await getAccountOrThrow(sqlPool(), { merchantId, accountId: wallet })).balanceMinor).toBe(1_000n);
    const [{ count }] = await sqlPool().query("SELECT count(*)::int AS count FROM ledger_transactions WHERE description = 'too much'").then((r) => r.rows);
    expect(count).toBe(0);
  });

  test("refuses frozen accounts, currency mismatches and other merchants' accounts", async () => {
    const merchantId = await createTestMerchant();
    const wallet = await createFundedWallet(merchantId, "USD", 1_000n);
    const other = await createFundedWallet(merchantId, "USD", 0n);
    const move = (from: string, to: string, currency = "USD") =>
      postTransactionNow({
        merchantId,
        description: "move",
        entries: [
          { accountId: from, direction: "debit", amountMinor: 10n, currency },
          { accountId: to, direction: "credit", amountMinor: 10n, currency },
        ],
      });
    await setAccountStatus(sqlPool(), { merchantId, accountId: other, status: "frozen" });
    await expect(move(wallet, other)).rejects.toMatchObject({ code: "account_inactive" });
    await setAccountStatus(sqlPool(), { merchantId, accountId: other, status: "open" });
    await expect(move(wallet, other)).resolves.toBeTruthy();

    const euros = await createAccount(sqlPool(), { merchantId, currency: "EUR" });
    await expect(move(wallet, euros.id, "USD")).rejects.toMatchObject({ code: "currency_mismatch" });

    const stranger = await createTestMerchant("Other");
    const foreign = await createFundedWallet(stranger, "USD", 100n);
    await expect(move(wallet, foreign)).rejects.toMatchObject({ code: "resource_missing" });
    expect((await getAccountOrThrow(sqlPool(), { merchantId: stranger, accountId: foreign })).balanceMinor).toBe(100n);
  });

  test("several entries on one account in one transaction keep a running balance", async () => {
    const merchantId = await createTestMerchant();
    const wallet = await createFundedWallet(merchantId, "USD", 100n);
    const other = await createFundedWallet(merchantId, "USD", 0n);
    const posted = await postTransactionNow({
      merchantId,
      description: "out and back",
      entries: [
        { accountId: wallet, direction: "debit", amountMinor: 100n, currency: "USD" },
        { accountId: other, direction: "credit", amountMinor: 100n, currency: "USD" },
        { accountId: other, direction: "debit", amountMinor: 40n, currency: "USD" },
        { accountId: wallet, direction: "credit", amountMinor: 40n, currency: "USD" },
      ],
    });
    expect(posted.entries.map((entry) => entry.balanceAfterMinor)).toEqual([0n, 100n, 60n, 40n]);
    expect(await findBalanceDisagreements(merchantId)).toEqual([]);
  });

  test("an unbalanced posting is a programmer error caught before the database", async () => {
    const merchantId = await createTestMerchant();
    const wallet = await createFundedWallet(merchantId, "USD", 100n);
    await expect(
      postTransactionNow({
        merchantId,
        description: "broken",
        entries: [
          { accountId: wallet, direction: "debit", amountMinor: 10n, currency: "USD" },
          { accountId: wallet, direction: "credit", amountMinor: 9n, currency: "USD" },
        ],
      }),
    ).rejects.toThrow(/does not balance/);
  });
});
