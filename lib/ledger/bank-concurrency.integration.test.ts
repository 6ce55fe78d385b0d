// The bank test: many concurrent workers move money at random among a few floored wallets for a while.
// Money is conserved, no wallet goes below its floor, every acknowledged transfer exists exactly once
// (and nothing unacknowledged does), and the background balance check, running throughout, stays quiet.
import { expect, test } from "vitest";
import { AppError } from "@/lib/api/errors";
import { db, sqlPool } from "@/lib/db/client";
import { createTransfer, createTransferNow } from "./create-transfer";
import { getLedgerHealth } from "./get-ledger-health";
import { runBalanceCheck, runBalanceCheckIncrement } from "./run-balance-check";
import { createFundedWallet, createTestMerchant, findBalanceDisagreements } from "./testing";

const WORKERS = 16;
const ACCOUNTS = 5;
const INITIAL_BALANCE = 1_000n;
/** 10 s by default; LEDGER_BANK_TEST_SECONDS shortens (or lengthens) it. */
const DURATION_MS = Number(process.env.LEDGER_BANK_TEST_SECONDS ?? "10") * 1_000;

test(`bank: ${WORKERS} workers × ${DURATION_MS / 1000} s of random transfers`, { timeout: DURATION_MS + 60_000 }, async () => {
  const merchantId = await createTestMerchant();
  const accounts: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) accounts.push(await createFundedWallet(merchantId, "USD", INITIAL_BALANCE));

  const acknowledged: string[] = [];
  const refusals = new Map<string, number>();
  const deadline = Date.now() + DURATION_MS;

  // Half the workers post in their own autocommit statement, half inside a Prisma interactive
  // transaction (the API path); both must be equally safe.
  const worker = async (index: number) => {
    while (Date.now() < deadline) {
      const from = accounts[Math.floor(Math.random() * ACCOUNTS)]!;
      let to = accounts[Math.floor(Math.random() * ACCOUNTS)]!;
      if (to === from) to = accounts[(accounts.indexOf(from) + 1) % ACCOUNTS]!;
      const input = { merchantId, fromAccountId: from, toAccountId: to, amountMinor: BigInt(1 + Math.floor(Math.random() * 400)), currency: "USD" };
      try {
        const transfer = index % 2 === 0 ? await createTransferNow(input) : await db().$transaction((tx) => createTransfer(tx, input));
        acknowledged.push(transfer.id);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        refusals.set(error.code, (refusals.get(error.code) ?? 0) + 1);
      }
    }
  };
  const checker = (async () => {
    while (Date.now() < deadline) {
      await runBalanceCheckIncrement();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  await Promise.all([...Array.from({ length: WORKERS }, (_, index) => worker(index)), checker]);

  const { rows: balances } = await sqlPool().query<{ balance_minor: bigint }>(`SELECT balance_minor FROM ledger_accounts WHERE id = ANY($1)`, [accounts]);
  const total = balances.reduce((sum, row) => sum + row.balance_minor, 0n);
  expect(total).toBe(INITIAL_BALANCE * BigInt(ACCOUNTS));
  expect(balances.every((row) => row.balance_minor >= 0n)).toBe(true);

  const { rows: stored } = await sqlPool().query<{ id: string; entries: number }>(
    `SELECT t.id, (SELECT count(*)::int FROM ledger_entries e WHERE e.transaction_id = t.transaction_id) AS entries
     FROM transfers t WHERE t.merchant_id = $1`,
    [merchantId],
  );
  expect(new Set(acknowledged).size).toBe(acknowledged.length);
  expect(stored.map((row) => row.id).sort()).toEqual([...acknowledged].sort());
  expect(stored.every((row) => row.entries === 2)).toBe(true);
  expect(acknowledged.length).toBeGreaterThan(WORKERS);
  expect([...refusals.keys()].filter((code) => code !== "insufficient_funds")).toEqual([]);

  expect(await findBalanceDisagreements(merchantId)).toEqual([]);
  await runBalanceCheckIncrement();
  await runBalanceCheckIncrement();
  expect((await runBalanceCheck({ sinceSeq: 0n })).mismatches).toEqual([]);
  expect(await getLedgerHealth()).toMatchObject({ ok: true, openAlerts: 0 });
  console.info(
    `bank test: ${acknowledged.length} transfers in ${DURATION_MS / 1000} s (${Math.round(acknowledged.length / (DURATION_MS / 1000))}/s), refusals ${JSON.stringify(Object.fromEntries(refusals))}`,
  );
});
