// Transfers, account history (keyset pages, as_of balances), reversals, FX and the balance check.
import { describe, expect, test } from "vitest";
import { sqlPool } from "@/lib/db/client";
import { getFxRate, importFxRatesCsv } from "@/lib/fx";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createAccount } from "./create-account";
import { createTransfer, createTransferNow } from "./create-transfer";
import { ensureMerchantAccounts } from "./ensure-merchant-accounts";
import { getAccountOrThrow } from "./get-account";
import { getLedgerHealth } from "./get-ledger-health";
import { getBalanceAsOf, listEntries } from "./list-entries";
import { getTransferOrThrow, listTransfers } from "./list-transfers";
import { postFxConversion } from "./post-fx-conversion";
import { postTransactionNow } from "./post-transaction";
import { reverseTransaction } from "./reverse-transaction";
import { runBalanceCheck, runBalanceCheckIncrement, startBalanceCheckLoop } from "./run-balance-check";
import { setAccountStatus } from "./set-account-status";
import { createFundedWallet, createTestMerchant, findBalanceDisagreements } from "./testing";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const balanceOf = async (merchantId: string, accountId: string) => (await getAccountOrThrow(sqlPool(), { merchantId, accountId })).balanceMinor;

describe("transfers", () => {
  test("move money between wallets and refuse what must not happen, writing nothing", async () => {
    const merchantId = await createTestMerchant();
    const alice = await createFundedWallet(merchantId, "USD", 1_000n);
    const bob = await createFundedWallet(merchantId, "USD", 0n);
    const transfer = await createTransferNow({ merchantId, fromAccountId: alice, toAccountId: bob, amountMinor: 400n, currency: "USD" });
    expect(transfer.id).toMatch(/^trf_/);
    expect(transfer.transactionId).toMatch(/^txn_/);
    expect(await balanceOf(merchantId, alice)).toBe(600n);
    expect(await balanceOf(merchantId, bob)).toBe(400n);
    expect(await getTransferOrThrow(sqlPool(), { merchantId, transferId: transfer.id })).toMatchObject({ amountMinor: 400n });

    const attempt = (overrides: Partial<Parameters<typeof createTransferNow>[0]>) =>
      createTransferNow({ merchantId, fromAccountId: alice, toAccountId: bob, amountMinor: 1n, currency: "USD", ...overrides });
    const insufficient = await attempt({ amountMinor: 601n }).catch((error: unknown) => error);
    expect(insufficient).toMatchObject({ code: "insufficient_funds" });
    expect(String((insufficient as Error).message)).toContain("available balance is 600");
    await expect(attempt({ toAccountId: alice })).rejects.toMatchObject({ code: "parameter_invalid", param: "to_account" });
    await expect(attempt({ amountMinor: 0n })).rejects.toMatchObject({ code: "parameter_invalid", param: "amount" });
    await expect(attempt({ amountMinor: -5n })).rejects.toMatchObject({ code: "parameter_invalid" });
    await expect(attempt({ currency: "EUR" })).rejects.toMatchObject({ code: "currency_mismatch" });
    const euroWallet = await createAccount(sqlPool(), { merchantId, currency: "EUR" });
    await expect(attempt({ toAccountId: euroWallet.id })).rejects.toMatchObject({ code: "currency_mismatch", param: "to_account" });
    await setAccountStatus(sqlPool(), { merchantId, accountId: bob, status: "frozen" });
    await expect(attempt({})).rejects.toMatchObject({ code: "account_inactive" });
    await setAccountStatus(sqlPool(), { merchantId, accountId: bob, status: "open" });

    const stranger = await createTestMerchant("Other");
    const foreign = await createFundedWallet(stranger, "USD", 50n);
    await expect(attempt({ toAccountId: foreign })).rejects.toMatchObject({ code: "resource_missing", param: "to_account" });
    await expect(createTransferNow({ merchantId: stranger, fromAccountId: foreign, toAccountId: alice, amountMinor: 1n, currency: "USD" })).rejects.toMatchObject({
      code: "resource_missing",
    });
    await expect(getTransferOrThrow(sqlPool(), { merchantId: stranger, transferId: transfer.id })).rejects.toMatchObject({ code: "resource_missing" });

    expect(await balanceOf(merchantId, alice)).toBe(600n);
    expect(await balanceOf(merchantId, bob)).toBe(400n);
    const { data } = await listTransfers(sqlPool(), { merchantId, limit: 10 });
    expect(data.map((row) => row.id)).toEqual([transfer.id]);
    expect(await findBalanceDisagreements(merchantId)).toEqual([]);
  });

  test("transfers between asset accounts credit the source and debit the destination", async () => {
    const merchantId = await createTestMerchant();
    const chart = await ensureMerchantAccounts(sqlPool(), merchantId, "USD");
    const posted = await createTransferNow({ merchantId, fromAccountId: chart.bank_cash, toAccountId: chart.suspense, amountMinor: 70n, currency: "USD" });
    expect(await balanceOf(merchantId, chart.bank_cash)).toBe(-70n);
    expect(await balanceOf(merchantId, chart.suspense)).toBe(70n);
    expect(posted.amountMinor).toBe(70n);
    await expect(
      createTransferNow({ merchantId, fromAccountId: chart.bank_cash, toAccountId: chart.merchant_available, amountMinor: 1n, currency: "USD" }),
    ).rejects.toMatchObject({ code: "parameter_invalid" });
  });
});

describe("account history", () => {
  test("keyset pages walk every entry exactly once, forwards and backwards", async () => {
    const merchantId = await createTestMerchant();
    const wallet = await createFundedWallet(merchantId, "USD", 0n);
    const chart = await ensureMerchantAccounts(sqlPool(), merchantId, "USD");
    for (let i = 1; i <= 23; i++) {
      await postTransactionNow({
        merchantId,
        description: `deposit ${i}`,
        entries: [
          { accountId: chart.bank_cash, direction: "debit", amountMinor: BigInt(i), currency: "USD" },
          { accountId: wallet, direction: "credit", amountMinor: BigInt(i), currency: "USD" },
        ],
      });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await listEntries(sqlPool(), { merchantId, accountId: wallet, limit: 5, starting_after: cursor });
      seen.push(...page.data.map((entry) => entry.id));
      pages++;
      if (!page.hasMore) break;
      cursor = page.data.at(-1)!.id;
    }
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(23);
    const all = await listEntries(sqlPool(), { merchantId, accountId: wallet, limit: 100 });
    expect(all.data.map((entry) => entry.id)).toEqual(seen);
    expect(all.data[0]!.balanceAfterMinor).toBe(276n); // 1 + … + 23, newest first
    expect(all.data.map((entry) => entry.description).at(-1)).toBe("deposit 1");
    const back = await listEntries(sqlPool(), { merchantId, accountId: wallet, limit: 5, ending_before: seen[10] });
    expect(back.data.map((entry) => entry.id)).toEqual(seen.slice(5, 10));
    expect(back.hasMore).toBe(true);
    await expect(listEntries(sqlPool(), { merchantId: await createTestMerchant(), accountId: wallet, limit: 5 })).rejects.toMatchObject({
      code: "resource_missing",
    });
  });

  test("as_of gives the balance at any moment from one indexed lookup", async () => {
    const merchantId = await createTestMerchant();
    const before = new Date();
    await sleep(5);
    const wallet = await createFundedWallet(merchantId, "USD", 100n);
    await sleep(5);
    const afterFirst = new Date();
    await sleep(5);
    const other = await createFundedWallet(merchantId, "USD", 0n);
    await createTransferNow({ merchantId, fromAccountId: wallet, toAccountId: other, amountMinor: 30n, currency: "USD" });
    await sleep(5);
    const afterSecond = new Date();
    expect(await getBalanceAsOf(sqlPool(), { merchantId, accountId: wallet, asOf: before })).toBe(0n);
    expect(await getBalanceAsOf(sqlPool(), { merchantId, accountId: wallet, asOf: afterFirst })).toBe(100n);
    expect(await getBalanceAsOf(sqlPool(), { merchantId, accountId: wallet, asOf: afterSecond })).toBe(70n);
    const page = await listEntries(sqlPool(), { merchantId, accountId: wallet, limit: 10, as_of: afterFirst });
    expect(page.balanceAsOf).toBe(100n);
    expect(page.data).toHaveLength(1);
  });
});

describe("reversals", () => {
  test("a reversal mirrors every entry, links to the original, and happens once", async () => {
    const merchantId = await createTestMerchant();
    const chart = await ensureMerchantAccounts(sqlPool(), merchantId, "USD");
    const original = await postTransactionNow({
      merchantId,
      description: "capture",
      entries: [
        { accountId: chart.psp_receivable, direction: "debit", amountMinor: 970n, currency: "USD" },
        { accountId: chart.psp_fees, direction: "debit", amountMinor: 30n, currency: "USD" },
        { accountId: chart.merchant_pending, direction: "credit", amountMinor: 1_000n, currency: "USD" },
      ],
    });
    const reversal = await reverseTransaction(sqlPool(), { merchantId, transactionId: original.id });
    expect(reversal.reversesTransactionId).toBe(original.id);
    const mirrored = Object.fromEntries(reversal.entries.map((entry) => [entry.accountId, `${entry.direction} ${entry.amountMinor}`]));
    expect(mirrored).toEqual({
      [chart.psp_receivable]: "credit 970",
      [chart.psp_fees]: "credit 30",
      [chart.merchant_pending]: "debit 1000",
    });
    for (const id of [chart.psp_receivable, chart.psp_fees, chart.merchant_pending]) expect(await balanceOf(merchantId, id)).toBe(0n);
    await expect(reverseTransaction(sqlPool(), { merchantId, transactionId: original.id })).rejects.toMatchObject({ code: "invalid_state_transition" });
    await expect(reverseTransaction(sqlPool(), { merchantId: await createTestMerchant(), transactionId: original.id })).rejects.toMatchObject({
      code: "resource_missing",
    });
  });

  test("a reversal that would overdraw a floored account is refused", async () => {
    const merchantId = await createTestMerchant();
    const alice = await createFundedWallet(merchantId, "USD", 100n);
    const bob = await createFundedWallet(merchantId, "USD", 0n);
    const transfer = await createTransferNow({ merchantId, fromAccountId: alice, toAccountId: bob, amountMinor: 100n, currency: "USD" });
    await createTransferNow({ merchantId, fromAccountId: bob, toAccountId: alice, amountMinor: 60n, currency: "USD" });
    await expect(reverseTransaction(sqlPool(), { merchantId, transactionId: transfer.transactionId })).rejects.toMatchObject({
      code: "insufficient_funds",
    });
  });
});

describe("FX", () => {
  test("the shipped reference file imports, and rates resolve directly, inverted and crossed", async () => {
    const csv = readFileSync(path.resolve(import.meta.dirname, "../../data/fx-rates.csv"), "utf8");
    const { imported } = await importFxRatesCsv(csv);
    expect(imported).toBeGreaterThanOrEqual(20);
    expect(await importFxRatesCsv(csv)).toEqual({ imported }); // re-import is idempotent
    const at = new Date("2026-11-21T00:00:00Z");
    expect(await getFxRate("USD", "EUR", at)).toMatchObject({ rate: "0.9215", derivation: "direct", source: "settle-sample" });
    expect((await getFxRate("EUR", "USD", at)).rate).toBe("1.085187194791101465");
    const cross = await getFxRate("EUR", "GBP", at);
    expect(cross.derivation).toBe("cross");
    expect(cross.rate).toBe("0.856321215409658166"); // 0.7891 / 0.9215, rounded half-even to 18 places
    await expect(getFxRate("USD", "EUR", new Date("2026-11-19T00:00:00Z"))).rejects.toMatchObject({ code: "fx_rate_missing" });
    await expect(getFxRate("USD", "EUR", at, { maxAgeMs: 60_000 })).rejects.toMatchObject({ code: "fx_rate_missing" });
    await expect(getFxRate("USD", "XOF", at)).rejects.toMatchObject({ code: "fx_rate_missing" });
    await expect(importFxRatesCsv("base,quote,rate,as_of,source\nUSD,EUR,1.0e3,2026-01-01T00:00:00Z,x")).rejects.toMatchObject({
      code: "parameter_invalid",
    });
  });

  test("a conversion goes through the FX position accounts at the recorded rate; no rate, no posting", async () => {
    const merchantId = await createTestMerchant();
    const dollars = await createFundedWallet(merchantId, "USD", 10_000n);
    const yen = await createAccount(sqlPool(), { merchantId, currency: "JPY" });
    const francs = await createAccount(sqlPool(), { merchantId, currency: "XOF" });
    await expect(
      postFxConversion(sqlPool(), { merchantId, fromAccountId: dollars, toAccountId: francs.id, amountMinor: 100n, description: "no rate" }),
    ).rejects.toMatchObject({ code: "fx_rate_missing" });
    await importFxRatesCsv("base,quote,rate,as_of,source\nUSD,JPY,154.62,2026-11-20T00:00:00Z,test-feed");
    const conversion = await postFxConversion(sqlPool(), {
      merchantId,
      fromAccountId: dollars,
      toAccountId: yen.id,
      amountMinor: 1_000n, // 10.00 USD
      description: "wallet conversion",
      at: new Date("2026-11-21T00:00:00Z"),
    });
    expect(conversion.convertedMinor).toBe(1_546n); // ¥1,546 (JPY has no minor unit)
    expect(await balanceOf(merchantId, dollars)).toBe(9_000n);
    expect(await balanceOf(merchantId, yen.id)).toBe(1_546n);
    const usdChart = await ensureMerchantAccounts(sqlPool(), merchantId, "USD");
    const jpyChart = await ensureMerchantAccounts(sqlPool(), merchantId, "JPY");
    expect(await balanceOf(merchantId, usdChart.fx_position)).toBe(1_000n);
    expect(await balanceOf(merchantId, jpyChart.fx_position)).toBe(-1_546n);
    const { rows } = await sqlPool().query(`SELECT fx_pair, fx_rate::text AS rate, fx_source FROM ledger_transactions WHERE id = $1`, [
      conversion.transaction.id,
    ]);
    expect(rows[0]).toEqual({ fx_pair: "USD/JPY", rate: "154.620000000000000000", fx_source: "test-feed" });
    expect(await findBalanceDisagreements(merchantId)).toEqual([]);
    // Reversing a conversion keeps its rate.
    const reversal = await reverseTransaction(sqlPool(), { merchantId, transactionId: conversion.transaction.id });
    const { rows: reversed } = await sqlPool().query(`SELECT fx_pair, fx_rate::text AS rate FROM ledger_transactions WHERE id = $1`, [reversal.id]);
    expect(reversed[0]).toEqual({ fx_pair: "USD/JPY", rate: "154.620000000000000000" });
  });
});

describe("balance check", () => {
  test("the background loop advances the checkpoint and stops cleanly", async () => {
    const merchantId = await createTestMerchant();
    await createFundedWallet(merchantId, "USD", 10n);
    const { rows } = await sqlPool().query<{ max: bigint }>(`SELECT max(seq) AS max FROM ledger_entries`);
    const loop = startBalanceCheckLoop({ intervalMs: 20 });
    try {
      for (let waited = 0; waited < 10_000; waited += 50) {
        const checked = (await getLedgerHealth()).lastCheckedSeq;
        if (checked !== null && BigInt(checked) >= rows[0]!.max) break;
        await sleep(50);
      }
    } finally {
      await loop.stop();
    }
    expect(BigInt((await getLedgerHealth()).lastCheckedSeq ?? 0)).toBeGreaterThanOrEqual(rows[0]!.max);
  });

  test("finds nothing on a healthy ledger, then an alert for a tampered balance", async () => {
    const merchantId = await createTestMerchant();
    const alice = await createFundedWallet(merchantId, "USD", 1_000n);
    const bob = await createFundedWallet(merchantId, "USD", 0n);
    await createTransferNow({ merchantId, fromAccountId: alice, toAccountId: bob, amountMinor: 250n, currency: "USD" });
    const clean = await runBalanceCheck({ sinceSeq: 0n });
    expect(clean.mismatches).toEqual([]);
    expect(clean.entriesChecked).toBeGreaterThanOrEqual(4);
    // The checkpoint moves once every transaction older than the previous run has finished, anywhere on
    // the server (other test files run beside this one), so give it a few runs.
    let increment = await runBalanceCheckIncrement();
    for (let run = 0; run < 100 && increment.checkpoint.checkedSeq < increment.toSeq; run++) {
      await sleep(50);
      increment = await runBalanceCheckIncrement();
    }
    expect(increment.checkpoint.checkedSeq).toBe(increment.toSeq);
    expect(await getLedgerHealth()).toMatchObject({ ok: true, openAlerts: 0, lastCheckedSeq: Number(increment.toSeq) });

    // Someone edits a cached balance behind the ledger's back (the version guard is satisfied).
    await sqlPool().query(`UPDATE ledger_accounts SET balance_minor = balance_minor + 5, version = version + 1 WHERE id = $1`, [bob]);
    await createTransferNow({ merchantId, fromAccountId: alice, toAccountId: bob, amountMinor: 1n, currency: "USD" });
    const found = await runBalanceCheckIncrement();
    expect(found.mismatches.map((mismatch) => mismatch.kind)).toEqual(["entry_chain_broken"]);
    expect(found.mismatches[0]).toMatchObject({ accountId: bob, expectedMinor: 251n, actualMinor: 256n });
    const health = await getLedgerHealth();
    expect(health.ok).toBe(false);
    expect(health.openAlerts).toBe(1);
    await runBalanceCheckIncrement(); // the same problem does not raise a second alert
    expect((await getLedgerHealth()).openAlerts).toBe(1);

    await sqlPool().query(`UPDATE ledger_accounts SET balance_minor = balance_minor + 1, version = version + 1 WHERE id = $1`, [alice]);
    const full = await runBalanceCheck({ sinceSeq: 0n });
    expect(full.mismatches.map((mismatch) => mismatch.kind).sort()).toEqual(["balance_mismatch", "entry_chain_broken"]);
  });
});
